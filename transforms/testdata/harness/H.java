import org.apache.kafka.connect.data.*;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.header.*;
import org.apache.kafka.connect.transforms.*;
import org.apache.kafka.connect.transforms.predicates.*;
import org.apache.kafka.common.record.TimestampType;
import java.util.*;
import java.math.BigDecimal;

public class H {
  static String q(String s) { StringBuilder b = new StringBuilder("\""); for (char c : s.toCharArray()) { if (c=='"'||c=='\\') b.append('\\'); b.append(c);} return b.append('"').toString(); }
  static String payload(Schema s, Object v) {
    if (v == null) return "null";
    if (s != null && Decimal.LOGICAL_NAME.equals(s.name())) return q(Base64.getEncoder().encodeToString(((BigDecimal)v).unscaledValue().toByteArray()));
    if (s != null && org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(s.name())) return String.valueOf(org.apache.kafka.connect.data.Date.fromLogical(s,(java.util.Date)v));
    if (s != null && Time.LOGICAL_NAME.equals(s.name())) return String.valueOf(Time.fromLogical(s,(java.util.Date)v));
    if (s != null && Timestamp.LOGICAL_NAME.equals(s.name())) return String.valueOf(Timestamp.fromLogical(s,(java.util.Date)v));
    if (v instanceof String) return q((String)v);
    if (v instanceof Struct) { Struct st=(Struct)v; StringBuilder b=new StringBuilder("{"); boolean f=true; for (Field fl: st.schema().fields()) { if(!f)b.append(','); f=false; b.append(q(fl.name())).append(':').append(payload(fl.schema(), st.get(fl))); } return b.append('}').toString(); }
    if (v instanceof byte[]) return q(Base64.getEncoder().encodeToString((byte[])v));
    return String.valueOf(v);
  }
  static String schema(Schema s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("{\"type\":");
    String t = s.type().getName(); if (t.equals("float32")) t="float"; if (t.equals("float64")) t="double";
    b.append(q(t));
    switch (s.type()) {
      case ARRAY: b.append(",\"items\":").append(schema(s.valueSchema())); break;
      case MAP: b.append(",\"keys\":").append(schema(s.keySchema())).append(",\"values\":").append(schema(s.valueSchema())); break;
      case STRUCT: b.append(",\"fields\":["); boolean f=true; for (Field fl : s.fields()) { if(!f) b.append(','); f=false; String fs=schema(fl.schema()); b.append(fs, 0, fs.length()-1).append(",\"field\":").append(q(fl.name())).append('}'); } b.append(']'); break;
      default:
    }
    b.append(",\"optional\":").append(s.isOptional());
    if (s.name()!=null) b.append(",\"name\":").append(q(s.name()));
    if (s.version()!=null) b.append(",\"version\":").append(s.version());
    if (s.doc()!=null) b.append(",\"doc\":").append(q(s.doc()));
    if (s.parameters()!=null && !s.parameters().isEmpty()) { b.append(",\"parameters\":{"); boolean f=true; for (Map.Entry<String,String> e : s.parameters().entrySet()) { if(!f)b.append(','); f=false; b.append(q(e.getKey())).append(':').append(q(e.getValue())); } b.append('}'); }
    if (s.defaultValue()!=null) b.append(",\"default\":").append(payload(s, s.defaultValue()));
    return b.append('}').toString();
  }
  static String val(Object v) {
    if (v == null) return "null";
    String cls = v.getClass().getName();
    if (v instanceof Map) cls = "java.util.Map";
    if (v instanceof List) cls = "java.util.List";
    String text = (v instanceof byte[]) ? Arrays.toString((byte[])v) : String.valueOf(v);
    return text + ":" + cls;
  }
  static String describe(ConnectRecord<?> r) {
    if (r == null) return "dropped";
    StringBuilder b = new StringBuilder();
    b.append("topic=").append(r.topic()).append(" partition=").append(r.kafkaPartition()).append(" timestamp=").append(r.timestamp()).append('\n');
    b.append("key: ").append(schema(r.keySchema())).append(" | ").append(val(r.key())).append('\n');
    b.append("value: ").append(schema(r.valueSchema())).append(" | ").append(val(r.value())).append('\n');
    b.append("headers:");
    for (Header h : r.headers()) b.append(' ').append(h.key()).append('=').append(val(h.value())).append('/').append(schema(h.schema()));
    return b.toString();
  }
  static Schema S = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).field("ts", Schema.INT64_SCHEMA)
     .field("nested", SchemaBuilder.struct().optional().field("a", Schema.STRING_SCHEMA).field("b", Schema.OPTIONAL_INT32_SCHEMA).build()).build();
  static Struct sv() { return new Struct(S).put("id", 7).put("name", "ann").put("ts", 1700000000123L).put("nested", new Struct(S.field("nested").schema()).put("a","x").put("b",3)); }
  static Map<String,Object> smap() { Map<String,Object> n = new HashMap<>(); n.put("a","x"); n.put("b",3L); Map<String,Object> m = new HashMap<>(); m.put("id",7L); m.put("name","ann"); m.put("ts",1700000000123L); m.put("nested", n); return m; }
  static ConnectHeaders hs(Object... kv) { ConnectHeaders h = new ConnectHeaders(); for (int i=0;i<kv.length;i+=2) h.add((String)kv[i], kv[i+1], null); return h; }
  static SourceRecord src(Schema ks, Object k, Schema vs, Object v) { return new SourceRecord(Collections.singletonMap("f","x"), Collections.singletonMap("p",1L), "orders", null, ks, k, vs, v, 1700000000123L, new ConnectHeaders()); }
  static SinkRecord sink(Schema ks, Object k, Schema vs, Object v) { return new SinkRecord("orders", 3, ks, k, vs, v, 42L, 1700000000123L, TimestampType.CREATE_TIME); }
  static Map<String,String> cfg(String... kv) { Map<String,String> m = new LinkedHashMap<>(); for (int i=0;i<kv.length;i+=2) m.put(kv[i], kv[i+1]); return m; }

  @SuppressWarnings({"unchecked","rawtypes"})
  static void run(String name, String cls, Map<String,String> c, ConnectRecord rec) {
    System.out.println("== " + name);
    try {
      Transformation t = (Transformation) Class.forName("org.apache.kafka.connect.transforms." + cls).getDeclaredConstructor().newInstance();
      t.configure(c);
      System.out.println(describe(t.apply(rec)));
    } catch (Throwable e) {
      Throwable x = e;
      System.out.println("error: " + x.getClass().getName() + ": " + x.getMessage());
    }
  }
  @SuppressWarnings({"unchecked","rawtypes"})
  static void pred(String name, String cls, Map<String,String> c, ConnectRecord rec) {
    System.out.println("== " + name);
    try {
      Predicate p = (Predicate) Class.forName("org.apache.kafka.connect.transforms.predicates." + cls).getDeclaredConstructor().newInstance();
      p.configure(c);
      System.out.println(p.test(rec));
    } catch (Throwable e) { System.out.println("error: " + e.getClass().getName() + ": " + e.getMessage()); }
  }
  public static void main(String[] a) throws Exception {
    Cases.all();
  }
}
