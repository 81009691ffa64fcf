package transforms

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/converters"
)

// testdata/cases.txt lists records and transform configurations; testdata/apache.golden is what Apache
// Kafka 3.9's own transform classes made of them on JDK 17 (see testdata/harness). TestApacheGolden runs
// the same cases here and compares, case by case: the topic, partition and timestamp, each schema in the
// JSON converter's schema form, each value as Java prints it (with its Java class, so that a schemaless
// map's key order and every number's type are checked), the headers, or the error's class and message.

// deviations are the cases where this package deliberately differs from Apache, with what it does
// instead and why.
var deviations = map[string]string{
	// Apache finds a bad replacement only when a topic matches, and then fails every such record; it is
	// reported when the transform is configured.
	"regex-router-groups": "error: org.apache.kafka.common.config.ConfigException: Invalid value $10|$11|\\$|${x} for configuration replacement: No group with name {x}",
	// Apache dereferences the missing format; the exception class is kept, with a message that says why.
	"ts-string-schema-no-format": "error: java.lang.NullPointerException: TimestampConverter requires format option to be specified when using string timestamps",
	// Apache builds the new schema with Schema.fields(), which throws for anything but a struct, so it
	// cannot rename a string or map schema at all; here it can.
	"setschema-string": "topic=orders partition=null timestamp=1700000000123\n" +
		`key: {"type":"string","optional":true,"version":2} | null` + "\n" +
		`value: null | v:java.lang.String` + "\nheaders:",
}

func TestApacheGolden(t *testing.T) {
	golden := readGolden(t)
	cases := readCases(t)
	if len(cases) != len(golden) {
		t.Fatalf("%d cases, %d golden outputs", len(cases), len(golden))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, ok := golden[c.name]
			if !ok {
				t.Fatalf("no golden output")
			}
			got := c.run(t)
			if dev, ok := deviations[c.name]; ok {
				if dev == want {
					t.Fatalf("deviation recorded but Apache does the same")
				}
				want = dev
			}
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

type goldenCase struct {
	name, class string
	predicate   bool
	cfg         map[string]string
	sink        bool
	record      connectors.Record
}

func readGolden(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("testdata/apache.golden")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, block := range strings.Split(string(data), "== ")[1:] {
		name, body, _ := strings.Cut(strings.TrimRight(block, "\n"), "\n")
		out[name] = body
	}
	return out
}

func readCases(t *testing.T) []*goldenCase {
	t.Helper()
	f, err := os.Open("testdata/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []*goldenCase
	var c *goldenCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		r := func() *connectors.Record { return &c.record }
		switch word {
		case "case":
			c = &goldenCase{name: rest, cfg: map[string]string{}, record: connectors.Record{
				Topic: "orders", Partition: connectors.AnyPartition, Timestamp: time.UnixMilli(1700000000123).UTC(),
				SourcePartition: map[string]any{"f": "x"}, SourceOffset: map[string]any{"p": int64(1)},
			}}
		case "class":
			c.class = rest
		case "predicate":
			c.class, c.predicate = rest, true
		case "config":
			k, v, _ := strings.Cut(rest, "=")
			c.cfg[k] = v
		case "record":
			c.sink = rest == "sink"
			if c.sink {
				r().Partition, r().Offset, r().TimestampType = 3, 42, connectors.CreateTime
				r().SourcePartition, r().SourceOffset = nil, nil
			}
		case "topic":
			r().Topic = rest
		case "partition":
			p, _ := strconv.Atoi(rest)
			r().Partition = int32(p)
		case "timestamp":
			if rest == "null" {
				r().Timestamp = time.Time{}
			} else {
				ms, _ := strconv.ParseInt(rest, 10, 64)
				r().Timestamp = time.UnixMilli(ms).UTC()
			}
		case "keySchema":
			r().KeySchema = specSchema(t, rest)
		case "key":
			r().Key = specValue(t, rest)
		case "valueSchema":
			r().ValueSchema = specSchema(t, rest)
		case "value":
			r().Value = specValue(t, rest)
		case "header":
			k, v, _ := strings.Cut(rest, " ")
			r().Headers = append(r().Headers, connectors.Header{Key: k, Value: specValue(t, v)})
		case "end":
			cases = append(cases, c)
		default:
			t.Fatalf("bad line %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func (c *goldenCase) run(t *testing.T) string {
	t.Helper()
	pkg := transformPackage
	if c.predicate {
		pkg = predicatePackage
	}
	p, ok := registry().Lookup(pkg + c.class)
	if !ok {
		t.Fatalf("no plugin %s", c.class)
	}
	inst := p.New()
	if sa, ok := inst.(sinkAware); ok {
		sa.setSink(c.sink)
	}
	if err := inst.(configurable).Configure(c.cfg); err != nil {
		return describeError(err)
	}
	r := c.record
	if c.predicate {
		ok, err := inst.(Predicate).Test(&r)
		if err != nil {
			return describeError(err)
		}
		return strconv.FormatBool(ok)
	}
	out, err := inst.(Transformation).Apply(&r)
	if err != nil {
		return describeError(err)
	}
	return describeRecord(t, out)
}

func registry() *connectors.Registry { return connectors.NewRegistry(Plugins()...) }

func describeError(err error) string {
	var es config.Errors
	if errors.As(err, &es) {
		return "error: org.apache.kafka.common.config.ConfigException: " + es[0].Msg
	}
	var e *Exception
	if errors.As(err, &e) {
		return "error: " + e.Class + ": " + e.Message
	}
	return "error: (not an Exception) " + err.Error()
}

func describeRecord(t *testing.T, r *connectors.Record) string {
	if r == nil {
		return "dropped"
	}
	var b strings.Builder
	ts := "null"
	if !r.Timestamp.IsZero() {
		ts = strconv.FormatInt(r.Timestamp.UnixMilli(), 10)
	}
	partition := "null"
	if r.Partition != connectors.AnyPartition {
		partition = strconv.Itoa(int(r.Partition))
	}
	fmt.Fprintf(&b, "topic=%s partition=%s timestamp=%s\n", r.Topic, partition, ts)
	fmt.Fprintf(&b, "key: %s | %s\n", schemaJSON(t, r.KeySchema), describeValue(r.Key))
	fmt.Fprintf(&b, "value: %s | %s\n", schemaJSON(t, r.ValueSchema), describeValue(r.Value))
	b.WriteString("headers:")
	for _, h := range r.Headers {
		fmt.Fprintf(&b, " %s=%s/%s", h.Key, describeValue(h.Value), schemaJSON(t, h.Schema))
	}
	return b.String()
}

// schemaJSON renders a schema as the JSON converter writes it: as the item schema of an empty array, which
// encodes whatever the schema is.
func schemaJSON(t *testing.T, s *connectors.Schema) string {
	if s == nil {
		return "null"
	}
	data, err := converters.NewJSONConverter().FromConnect("t", &connectors.Schema{Type: connectors.Array, ValueSchema: s}, []any{})
	if err != nil {
		return "unencodable: " + err.Error()
	}
	var env struct {
		Schema struct {
			Items json.RawMessage `json:"items"`
		} `json:"schema"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	return string(env.Schema.Items)
}

// describeValue is String.valueOf(v) and the Java class, maps and lists being named by their interface.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case []byte:
		parts := make([]string, len(x))
		for i, c := range x {
			parts[i] = strconv.Itoa(int(int8(c)))
		}
		return "[" + strings.Join(parts, ", ") + "]:[B"
	case connectors.MapValue, map[string]any:
		return connectors.FormatValue(v) + ":java.util.Map"
	case []any:
		return connectors.FormatValue(v) + ":java.util.List"
	}
	return connectors.FormatValue(v) + ":" + connectors.JavaClass(v)
}

// The sample data of the cases.

var (
	nestedSchema = &connectors.Schema{Type: connectors.Struct, Optional: true, Fields: []connectors.Field{
		{Name: "a", Index: 0, Schema: connectors.StringSchema},
		{Name: "b", Index: 1, Schema: connectors.OptionalInt32Schema},
	}}
	sampleSchema = &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int32Schema},
		{Name: "name", Index: 1, Schema: connectors.OptionalStringSchema},
		{Name: "ts", Index: 2, Schema: connectors.Int64Schema},
		{Name: "nested", Index: 3, Schema: nestedSchema},
	}}
	defaultsSchema = &connectors.Schema{Type: connectors.Struct, Name: "com.example.SD", Version: 2, Doc: "d",
		Parameters: []connectors.Param{{Key: "p", Value: "v"}}, Fields: []connectors.Field{
			{Name: "n", Index: 0, Schema: &connectors.Schema{Type: connectors.String, Optional: true, Default: "dn"}},
			{Name: "o", Index: 1, Schema: &connectors.Schema{Type: connectors.Int32, Default: int32(5)}},
			{Name: "t", Index: 2, Schema: &connectors.Schema{Type: connectors.Int64, Default: int64(1700000000123)}},
		}}
	mapFieldSchema = &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "m", Index: 0, Schema: &connectors.Schema{Type: connectors.Map, KeySchema: connectors.StringSchema, ValueSchema: connectors.Int32Schema}},
	}}
)

// sampleStruct is id=7,name=ann,ts=1700000000123,nested={a=x,b=3}.
func sampleStruct(t testing.TB) *connectors.StructValue {
	nested := connectors.NewStruct(nestedSchema)
	s := connectors.NewStruct(sampleSchema)
	for _, err := range []error{
		nested.Put("a", "x"), nested.Put("b", int32(3)),
		s.Put("id", int32(7)), s.Put("name", "ann"), s.Put("ts", int64(1700000000123)), s.Put("nested", nested),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// sampleMap is the schemaless sample, a HashMap filled as Java fills it.
func sampleMap() connectors.MapValue {
	nested := newJavaMap(0, 2)
	nested.put("a", "x")
	nested.put("b", int64(3))
	m := newJavaMap(0, 4)
	m.put("id", int64(7))
	m.put("name", "ann")
	m.put("ts", int64(1700000000123))
	m.put("nested", nested.value())
	return m.value()
}

func specSchema(t testing.TB, s string) *connectors.Schema {
	switch s {
	case "null":
		return nil
	case "S":
		return sampleSchema
	case "SD":
		return defaultsSchema
	case "SM":
		return mapFieldSchema
	case "ARR":
		return &connectors.Schema{Type: connectors.Array, ValueSchema: connectors.Int32Schema}
	case "STRING":
		return connectors.StringSchema
	case "OPTIONAL_STRING":
		return connectors.OptionalStringSchema
	case "INT8":
		return connectors.Int8Schema
	case "INT32":
		return connectors.Int32Schema
	case "INT64":
		return connectors.Int64Schema
	case "OPTIONAL_INT64":
		return connectors.OptionalInt64Schema
	case "FLOAT64":
		return connectors.Float64Schema
	case "BOOLEAN":
		return connectors.BooleanSchema
	case "BYTES":
		return connectors.BytesSchema
	case "Timestamp":
		return connectors.TimestampSchema(false)
	case "Date":
		return connectors.DateSchema(false)
	case "Time":
		return connectors.TimeSchema(false)
	case "Decimal2":
		return connectors.DecimalSchema(2, false)
	}
	t.Fatalf("unknown schema %q", s)
	return nil
}

func specValue(t testing.TB, s string) any {
	switch s {
	case "null":
		return nil
	case "S":
		return sampleStruct(t)
	case "smap":
		return sampleMap()
	case "SD":
		return connectors.NewStruct(defaultsSchema)
	case "SM":
		st := connectors.NewStruct(mapFieldSchema)
		if err := st.Put("m", connectors.MapValue{{Key: "a", Value: int32(1)}}); err != nil {
			t.Fatal(err)
		}
		return st
	}
	typ, v, _ := strings.Cut(s, ":")
	num := func(bits int) int64 {
		n, err := strconv.ParseInt(v, 10, bits)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	switch typ {
	case "string":
		return v
	case "int8":
		return int8(num(8))
	case "int16":
		return int16(num(16))
	case "int32":
		return int32(num(32))
	case "int64":
		return num(64)
	case "float32":
		f, _ := strconv.ParseFloat(v, 32)
		return float32(f)
	case "float64":
		f, _ := strconv.ParseFloat(v, 64)
		return f
	case "bool":
		return v == "true"
	case "bytes":
		b, err := hex.DecodeString(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	case "date":
		return time.UnixMilli(num(64)).UTC()
	case "decimal":
		d, ok := connectors.ParseDecimal(v)
		if !ok {
			t.Fatalf("bad decimal %q", v)
		}
		return d
	case "map":
		m := newJavaMap(0, 4)
		for _, kv := range strings.Split(v, ";") {
			k, val, _ := strings.Cut(kv, "=")
			m.put(k, specValue(t, val))
		}
		return m.value()
	case "list":
		var l []any
		for _, it := range strings.Split(v, ",") {
			l = append(l, specValue(t, it))
		}
		return l
	}
	t.Fatalf("unknown value %q", s)
	return nil
}
