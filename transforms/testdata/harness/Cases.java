import org.apache.kafka.connect.data.*;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.header.*;
import org.apache.kafka.common.record.TimestampType;
import java.util.*;
import java.math.BigDecimal;
import java.nio.file.*;

public class Cases {
  static Schema SD = SchemaBuilder.struct().name("com.example.SD").version(2).doc("d").parameter("p", "v")
      .field("n", SchemaBuilder.string().optional().defaultValue("dn").build())
      .field("o", SchemaBuilder.int32().defaultValue(5).build())
      .field("t", SchemaBuilder.int64().defaultValue(1700000000123L).build()).build();
  static Schema SM = SchemaBuilder.struct().field("m", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build()).build();
  static Schema schema(String s) {
    switch (s) {
      case "null": return null;
      case "S": return H.S;
      case "SD": return SD;
      case "SM": return SM;
      case "ARR": return SchemaBuilder.array(Schema.INT32_SCHEMA).build();
      case "STRING": return Schema.STRING_SCHEMA;
      case "OPTIONAL_STRING": return Schema.OPTIONAL_STRING_SCHEMA;
      case "INT8": return Schema.INT8_SCHEMA;
      case "INT32": return Schema.INT32_SCHEMA;
      case "INT64": return Schema.INT64_SCHEMA;
      case "OPTIONAL_INT64": return Schema.OPTIONAL_INT64_SCHEMA;
      case "FLOAT64": return Schema.FLOAT64_SCHEMA;
      case "BOOLEAN": return Schema.BOOLEAN_SCHEMA;
      case "BYTES": return Schema.BYTES_SCHEMA;
      case "Timestamp": return Timestamp.SCHEMA;
      case "Date": return org.apache.kafka.connect.data.Date.SCHEMA;
      case "Time": return Time.SCHEMA;
      case "Decimal2": return Decimal.schema(2);
    }
    throw new IllegalArgumentException("schema " + s);
  }
  static Object value(String s) {
    if (s.equals("null")) return null;
    if (s.equals("S")) return H.sv();
    if (s.equals("smap")) return H.smap();
    if (s.equals("SD")) return new Struct(SD);
    if (s.equals("SM")) { Map<String,Integer> m = new HashMap<>(); m.put("a", 1); return new Struct(SM).put("m", m); }
    int c = s.indexOf(':');
    String t = s.substring(0, c), v = s.substring(c + 1);
    switch (t) {
      case "string": return v;
      case "int8": return Byte.parseByte(v);
      case "int16": return Short.parseShort(v);
      case "int32": return Integer.parseInt(v);
      case "int64": return Long.parseLong(v);
      case "float32": return Float.parseFloat(v);
      case "float64": return Double.parseDouble(v);
      case "bool": return Boolean.parseBoolean(v);
      case "bytes": { byte[] b = new byte[v.length() / 2]; for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(v.substring(2*i, 2*i+2), 16); return b; }
      case "date": return new java.util.Date(Long.parseLong(v));
      case "decimal": return new BigDecimal(v);
      case "map": { Map<String,Object> m = new HashMap<>(); for (String kv : v.split(";")) { int e = kv.indexOf('='); m.put(kv.substring(0, e), value(kv.substring(e + 1))); } return m; }
      case "list": { List<Object> l = new ArrayList<>(); for (String it : v.split(",")) l.add(value(it)); return l; }
    }
    throw new IllegalArgumentException("value " + s);
  }
  public static void all() throws Exception {
    List<String> lines = Files.readAllLines(Paths.get(System.getProperty("cases")));
    String name = null, cls = null; boolean pred = false; Map<String,String> cfg = null;
    String kind = "source", topic = "orders", partition = null, keySchema = "null", key = "null", valueSchema = "null", value = "null";
    Long ts = 1700000000123L; List<String[]> headers = null;
    for (String line : lines) {
      if (line.startsWith("#") || line.isEmpty()) continue;
      int sp = line.indexOf(' ');
      String w = sp < 0 ? line : line.substring(0, sp), rest = sp < 0 ? "" : line.substring(sp + 1);
      switch (w) {
        case "case": name = rest; cls = null; pred = false; cfg = new LinkedHashMap<>(); kind = "source"; topic = "orders"; partition = null;
          keySchema = "null"; key = "null"; valueSchema = "null"; value = "null"; ts = 1700000000123L; headers = new ArrayList<>(); break;
        case "class": cls = rest; break;
        case "predicate": cls = rest; pred = true; break;
        case "config": { int e = rest.indexOf('='); cfg.put(rest.substring(0, e), rest.substring(e + 1)); break; }
        case "record": kind = rest; break;
        case "topic": topic = rest; break;
        case "partition": partition = rest; break;
        case "timestamp": ts = rest.equals("null") ? null : Long.parseLong(rest); break;
        case "keySchema": keySchema = rest; break;
        case "key": key = rest; break;
        case "valueSchema": valueSchema = rest; break;
        case "value": value = rest; break;
        case "header": { int e = rest.indexOf(' '); headers.add(new String[]{rest.substring(0, e), rest.substring(e + 1)}); break; }
        case "end": {
          ConnectHeaders hs = new ConnectHeaders();
          for (String[] h : headers) hs.add(h[0], value(h[1]), null);
          ConnectRecord<?> r;
          if (kind.equals("sink")) {
            Integer p = partition == null ? 3 : Integer.valueOf(partition);
            r = new SinkRecord(topic, p, schema(keySchema), value(key), schema(valueSchema), value(value), 42L, ts, TimestampType.CREATE_TIME, hs);
          } else {
            Integer p = partition == null ? null : Integer.valueOf(partition);
            r = new SourceRecord(Collections.singletonMap("f", "x"), Collections.singletonMap("p", 1L), topic, p, schema(keySchema), value(key), schema(valueSchema), value(value), ts, hs);
          }
          if (pred) H.pred(name, cls, cfg, r); else H.run(name, cls, cfg, r);
          break;
        }
        default: throw new IllegalArgumentException(line);
      }
    }
  }
}
