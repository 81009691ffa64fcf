package transforms

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/file"
	"github.com/connect-standalone/connect-standalone/converters"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
)

func fullRegistry() *connectors.Registry {
	return connectors.NewRegistry(append(file.Plugins(), Plugins()...)...)
}

func newChain(t *testing.T, props map[string]string) *Chain {
	t.Helper()
	cfg := map[string]string{"name": "c", "connector.class": "FileStreamSource"}
	for k, v := range props {
		cfg[k] = v
	}
	c, err := NewChain(fullRegistry(), cfg)
	if err != nil {
		t.Fatalf("NewChain: %v", err)
	}
	return c
}

// fileLine is a record as FileStreamSource makes it.
func fileLine(line string) *connectors.Record {
	return &connectors.Record{Topic: "connect-test", Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: line,
		SourcePartition: map[string]any{"filename": "test.txt"}, SourceOffset: map[string]any{"position": int64(4)}}
}

// TestChainDocsExample runs the example of Apache's documentation (file-connectors.md §1.8) and checks the
// bytes the JSON converter writes for it, with and without schemas.
func TestChainDocsExample(t *testing.T) {
	c := newChain(t, map[string]string{
		"transforms":                           "MakeMap, InsertSource",
		"transforms.MakeMap.type":              "org.apache.kafka.connect.transforms.HoistField$Value",
		"transforms.MakeMap.field":             "line",
		"transforms.InsertSource.type":         "org.apache.kafka.connect.transforms.InsertField$Value",
		"transforms.InsertSource.static.field": "data_source",
		"transforms.InsertSource.static.value": "test-file-source",
	})
	out, err := c.Apply(fileLine("foo"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		schemas string
		want    string
	}{
		{"true", `{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"data_source"}],"optional":false},"payload":{"line":"foo","data_source":"test-file-source"}}`},
		{"false", `{"line":"foo","data_source":"test-file-source"}`},
	} {
		conv := converters.NewJSONConverter()
		if err := conv.Configure(map[string]string{"schemas.enable": tc.schemas}, false); err != nil {
			t.Fatal(err)
		}
		got, err := conv.FromConnect(out.Topic, out.ValueSchema, out.Value)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("schemas.enable=%s:\n got %s\nwant %s", tc.schemas, got, tc.want)
		}
	}
	if out.SourceOffset["position"] != int64(4) || out.Topic != "connect-test" {
		t.Errorf("the record lost its coordinates: %+v", out)
	}
}

// TestChainSchemalessHashMapBytes: a schemaless map rebuilt by a transform is a new HashMap, so its keys
// reach the topic in Java's order (converters.md §7), not in the order they came in. InsertField copies the
// map with new HashMap(map), whose table has 8 slots for 4 entries: the order (checked on JDK 17) differs
// from that of a HashMap filled from scratch with the same keys (zeta, b, name, id, age).
func TestChainSchemalessHashMapBytes(t *testing.T) {
	c := newChain(t, map[string]string{
		"transforms":                  "ins",
		"transforms.ins.type":         "org.apache.kafka.connect.transforms.InsertField$Value",
		"transforms.ins.static.field": "zeta",
		"transforms.ins.static.value": "z",
	})
	conv := converters.NewJSONConverter()
	if err := conv.Configure(map[string]string{"schemas.enable": "false"}, false); err != nil {
		t.Fatal(err)
	}
	_, v, err := conv.ToConnect("t", []byte(`{"name":"x","id":1,"age":2,"b":null}`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Apply(&connectors.Record{Topic: "t", Partition: connectors.AnyPartition, Value: v})
	if err != nil {
		t.Fatal(err)
	}
	got, err := conv.FromConnect("t", out.ValueSchema, out.Value)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"x","zeta":"z","b":null,"id":1,"age":2}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestChainPredicates(t *testing.T) {
	base := map[string]string{
		"transforms":                "drop",
		"transforms.drop.type":      "Filter",
		"transforms.drop.predicate": "IsFoo",
		"predicates":                "IsFoo",
		"predicates.IsFoo.type":     "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
		"predicates.IsFoo.pattern":  "foo.*",
	}
	for _, tc := range []struct {
		negate string
		kept   []string
	}{
		{"", []string{"bar", "xfoo"}},
		{"false", []string{"bar", "xfoo"}},
		{"TRUE", []string{"foo", "foo.1"}},
	} {
		props := maps(base)
		if tc.negate != "" {
			props["transforms.drop.negate"] = tc.negate
		}
		c := newChain(t, props)
		var kept []string
		for _, topic := range []string{"foo", "bar", "foo.1", "xfoo"} {
			out, err := c.Apply(&connectors.Record{Topic: topic, Partition: connectors.AnyPartition})
			if err != nil {
				t.Fatal(err)
			}
			if out != nil {
				kept = append(kept, out.Topic)
			}
		}
		if !slices.Equal(kept, tc.kept) {
			t.Errorf("negate=%q: kept %q, want %q", tc.negate, kept, tc.kept)
		}
	}
}

func TestChainHeaderAndTombstonePredicates(t *testing.T) {
	c := newChain(t, map[string]string{
		"transforms":                          "mark,dropTombstones",
		"transforms.mark.type":                "InsertHeader",
		"transforms.mark.header":              "seen",
		"transforms.mark.value.literal":       "true",
		"transforms.mark.predicate":           "hasTrace",
		"transforms.mark.negate":              "true",
		"transforms.dropTombstones.type":      "Filter",
		"transforms.dropTombstones.predicate": "tombstone",
		"predicates":                          "hasTrace, tombstone",
		"predicates.hasTrace.type":            "HasHeaderKey",
		"predicates.hasTrace.name":            "trace",
		"predicates.tombstone.type":           "RecordIsTombstone",
	})
	traced := &connectors.Record{Topic: "t", Value: "v", Headers: []connectors.Header{{Key: "trace", Value: "1"}}}
	plain := &connectors.Record{Topic: "t", Value: "v"}
	tomb := &connectors.Record{Topic: "t", Key: "k"}
	if out, _ := c.Apply(traced); out == nil || len(out.Headers) != 1 {
		t.Errorf("a traced record is not marked: %+v", out)
	}
	out, err := c.Apply(plain)
	if err != nil || out == nil || len(out.Headers) != 1 || out.Headers[0].Key != "seen" || out.Headers[0].Value != true ||
		out.Headers[0].Schema.Type != connectors.Boolean {
		t.Errorf("a plain record is marked %+v (%v)", out, err)
	}
	if out, err := c.Apply(tomb); out != nil || err != nil {
		t.Errorf("a tombstone is kept: %+v (%v)", out, err)
	}
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestChainOrder: the transforms run in the order of the transforms key, each on the previous output.
func TestChainOrder(t *testing.T) {
	props := map[string]string{
		"transforms.route.type":        "RegexRouter",
		"transforms.route.regex":       "(.*)ders",
		"transforms.route.replacement": "$1-x",
		"transforms.day.type":          "TimestampRouter",
		"transforms.hoist.type":        "org.apache.kafka.connect.transforms.HoistField$Value",
		"transforms.hoist.field":       "line",
		"transforms.rename.type":       "org.apache.kafka.connect.transforms.ReplaceField$Value",
		"transforms.rename.renames":    "line:text",
	}
	for _, tc := range []struct {
		order string
		topic string
		value string
	}{
		{"route,day,hoist,rename", "or-x-20231114", "Struct{text=foo}"},
		{"day,route,rename,hoist", "orders-20231114", ""},
	} {
		p := maps(props)
		p["transforms"] = tc.order
		c := newChain(t, p)
		r := fileLine("foo")
		r.Topic, r.Timestamp = "orders", time.UnixMilli(1700000000123)
		out, err := c.Apply(r)
		if tc.value == "" {
			// ReplaceField before HoistField sees a string, not a struct.
			var e *Error
			if !errors.As(err, &e) || e.Alias != "rename" || e.Class != "org.apache.kafka.connect.transforms.ReplaceField$Value" ||
				e.JavaClass() != DataException || !strings.Contains(err.Error(), "Only Struct objects supported for [field replacement], found: java.lang.String") {
				t.Errorf("%s: error %v", tc.order, err)
			}
			// The routers reuse the record, so it carries the topic that day and route gave it.
			if r.Topic != tc.topic {
				t.Errorf("%s: topic %q, want %q", tc.order, r.Topic, tc.topic)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.order, err)
		}
		if out.Topic != tc.topic || connectors.FormatValue(out.Value) != tc.value {
			t.Errorf("%s: topic %q value %s, want %q %s", tc.order, out.Topic, connectors.FormatValue(out.Value), tc.topic, tc.value)
		}
	}
}

// TestChainDropSkipsRest: once a transform drops the record, the later ones do not see it.
func TestChainDropSkipsRest(t *testing.T) {
	props := map[string]string{
		"transforms":                  "drop, extract",
		"transforms.drop.type":        "Filter",
		"transforms.drop.predicate":   "isOrders",
		"transforms.extract.type":     "org.apache.kafka.connect.transforms.ExtractField$Value",
		"transforms.extract.field":    "f",
		"predicates":                  "isOrders",
		"predicates.isOrders.type":    "TopicNameMatches",
		"predicates.isOrders.pattern": "orders",
	}
	c := newChain(t, props)
	out, err := c.Apply(&connectors.Record{Topic: "orders", Value: "not a map"})
	if out != nil || err != nil {
		t.Fatalf("dropped record: %v, %v", out, err)
	}
	_, err = c.Apply(&connectors.Record{Topic: "other", Value: "not a map"})
	var e *Error
	if !errors.As(err, &e) || e.Alias != "extract" || e.Class != "org.apache.kafka.connect.transforms.ExtractField$Value" {
		t.Fatalf("error %v", err)
	}
	var ex *Exception
	if !errors.As(err, &ex) || ex.Class != DataException ||
		ex.Message != "Only Map objects supported in absence of schema for [field extraction], found: java.lang.String" {
		t.Fatalf("cause %#v", ex)
	}
	if want := "transformation extract (org.apache.kafka.connect.transforms.ExtractField$Value): Only Map objects supported in absence of schema for [field extraction], found: java.lang.String"; err.Error() != want {
		t.Errorf("message %q", err)
	}
}

// TestChainSinkSide: connector.class decides whether records are sink records, which InsertField needs for
// the Kafka offset.
func TestChainSinkSide(t *testing.T) {
	props := map[string]string{
		"name": "c", "topics": "t",
		"transforms":                  "ins",
		"transforms.ins.type":         "org.apache.kafka.connect.transforms.InsertField$Value",
		"transforms.ins.offset.field": "off",
	}
	rec := func() *connectors.Record {
		return &connectors.Record{Topic: "t", Partition: 0, Offset: 17, Value: connectors.MapValue{{Key: "a", Value: int64(1)}}}
	}
	props["connector.class"] = "FileStreamSink"
	c, err := NewChain(fullRegistry(), props)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Apply(rec())
	if err != nil || connectors.FormatValue(out.Value) != "{a=1, off=17}" {
		t.Errorf("sink: %v %v", out, err)
	}
	props["connector.class"] = "org.apache.kafka.connect.file.FileStreamSourceConnector"
	if c, err = NewChain(fullRegistry(), props); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Apply(rec()); err == nil || !strings.Contains(err.Error(), "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord") {
		t.Errorf("source: %v", err)
	}
}

// TestChainKeepsInput: a transform builds new values; the record it was given keeps its values.
func TestChainKeepsInput(t *testing.T) {
	c := newChain(t, map[string]string{
		"transforms":                   "mask,hdr",
		"transforms.mask.type":         "org.apache.kafka.connect.transforms.MaskField$Value",
		"transforms.mask.fields":       "id",
		"transforms.hdr.type":          "InsertHeader",
		"transforms.hdr.header":        "h",
		"transforms.hdr.value.literal": "1",
	})
	s := sampleStruct(t)
	m := sampleMap()
	headers := make([]connectors.Header, 1, 4) // spare capacity another record might share
	headers[0] = connectors.Header{Key: "a", Value: "1"}
	if _, err := c.Apply(&connectors.Record{ValueSchema: sampleSchema, Value: s, Headers: headers}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Apply(&connectors.Record{Value: m, Headers: headers}); err != nil {
		t.Fatal(err)
	}
	if connectors.FormatValue(s) != "Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}}" ||
		connectors.FormatValue(m) != "{name=ann, id=7, nested={a=x, b=3}, ts=1700000000123}" {
		t.Errorf("input changed: %s %s", connectors.FormatValue(s), connectors.FormatValue(m))
	}
	if spare := headers[:2][1]; spare.Key != "" {
		t.Errorf("a header was written into the input's spare capacity: %+v", spare)
	}
}

func TestNewChainErrors(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"missing required key", map[string]string{
			"transforms": "MakeMap", "transforms.MakeMap.type": "org.apache.kafka.connect.transforms.HoistField$Value"},
			`key "transforms.MakeMap.field": Missing required configuration "transforms.MakeMap.field" which has no default value.`},
		{"bad regex", map[string]string{
			"transforms": "r", "transforms.r.type": "RegexRouter", "transforms.r.regex": "(ab", "transforms.r.replacement": "x"},
			`key "transforms.r.regex": Invalid value (ab for configuration regex: Invalid regex: error parsing regexp: missing closing ): ` + "`(ab`"},
		{"unsupported regex", map[string]string{
			"transforms": "r", "transforms.r.type": "RegexRouter", "transforms.r.regex": "a(?=b)", "transforms.r.replacement": "x"},
			`key "transforms.r.regex": Invalid value a(?=b) for configuration regex: Invalid regex: lookahead ((?=) is not supported in "a(?=b)"`},
		{"bad group reference", map[string]string{
			"transforms": "r", "transforms.r.type": "RegexRouter", "transforms.r.regex": "(a)", "transforms.r.replacement": "$2"},
			`key "transforms.r.replacement": Invalid value $2 for configuration replacement: No group 2`},
		{"unknown type", map[string]string{"transforms": "x", "transforms.x.type": "com.example.Nope"},
			`key "transforms.x.type": Invalid value com.example.Nope for configuration transforms.x.type: Class com.example.Nope could not be found.`},
		{"nested class needs its full name", map[string]string{"transforms": "x", "transforms.x.type": "Value"},
			`key "transforms.x.type": Invalid value Value for configuration transforms.x.type: Class Value could not be found.`},
		{"predicate is not a transformation", map[string]string{"transforms": "x", "transforms.x.type": "RecordIsTombstone"},
			`key "transforms.x.type": Invalid value RecordIsTombstone for configuration transforms.x.type: Class RecordIsTombstone could not be found.`},
		{"missing type", map[string]string{"transforms": "x"},
			`key "transforms.x.type": Missing required configuration "transforms.x.type" which has no default value.`},
		{"duplicate alias", map[string]string{"transforms": "f,f", "transforms.f.type": "Filter"},
			`key "transforms": Invalid value [f, f] for configuration transforms: Duplicate alias provided.`},
		{"negate without predicate", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.negate": "true"},
			`key "transforms.f.negate": Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated.`},
		{"negate not a boolean", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.negate": "yes",
			"transforms.f.predicate": "p", "predicates": "p", "predicates.p.type": "RecordIsTombstone"},
			`key "transforms.f.negate": Invalid value yes for configuration transforms.f.negate: Expected value to be either true or false`},
		{"predicate not declared", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.predicate": "p",
			"predicates.p.type": "RecordIsTombstone"},
			`key "transforms.f.predicate": Invalid value p for configuration transforms.f.predicate: Unknown configuration 'predicates.p.type': the predicate is not listed in predicates`},
		{"predicate without type", map[string]string{"predicates": "p"},
			`key "predicates.p.type": Missing required configuration "predicates.p.type" which has no default value.`},
		{"predicate bad pattern", map[string]string{"predicates": "p", "predicates.p.type": "TopicNameMatches", "predicates.p.pattern": ""},
			`key "predicates.p.pattern": Invalid value  for configuration pattern: String must be non-empty`},
		{"no field insertion", map[string]string{"transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value"},
			`key "transforms.i.type": No field insertion configured`},
		{"static field without value", map[string]string{"transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
			"transforms.i.static.field": "s"},
			`key "transforms.i.static.value": Invalid value null for configuration static.value: No value specified for static field: s`},
		{"header lists differ", map[string]string{"transforms": "h", "transforms.h.type": "org.apache.kafka.connect.transforms.HeaderFrom$Key",
			"transforms.h.fields": "a,b", "transforms.h.headers": "x", "transforms.h.operation": "copy"},
			`key "transforms.h.headers": 'fields' config must have the same number of elements as 'headers' config.`},
		{"header operation", map[string]string{"transforms": "h", "transforms.h.type": "org.apache.kafka.connect.transforms.HeaderFrom$Key",
			"transforms.h.fields": "a", "transforms.h.headers": "x", "transforms.h.operation": "Move"},
			`key "transforms.h.operation": Invalid value Move for configuration operation: String must be one of: move, copy`},
		{"empty list", map[string]string{"transforms": "d", "transforms.d.type": "DropHeaders", "transforms.d.headers": ""},
			`key "transforms.d.headers": Invalid value [] for configuration headers: Empty list`},
		{"cast to bytes", map[string]string{"transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "a:bytes"},
			`key "transforms.c.spec": Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]`},
		{"cast unknown type", map[string]string{"transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "a:int128"},
			`key "transforms.c.spec": Invalid type found in casting spec: int128`},
		{"cast whole and field", map[string]string{"transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "int8, a:int16"},
			`key "transforms.c.spec": Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec`},
		{"cast mapping", map[string]string{"transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "a:b:c"},
			`key "transforms.c.spec": Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c`},
		{"cast empty", map[string]string{"transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": ""},
			`key "transforms.c.spec": Must specify at least one field to cast.`},
		{"rename mapping", map[string]string{"transforms": "r", "transforms.r.type": "org.apache.kafka.connect.transforms.ReplaceField$Value", "transforms.r.renames": "a:b,c"},
			`key "transforms.r.renames": Invalid value [a:b, c] for configuration renames: Invalid rename mapping: c`},
		{"timestamp string without format", map[string]string{"transforms": "t", "transforms.t.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value",
			"transforms.t.target.type": "string"},
			`key "transforms.t.format": TimestampConverter requires format option to be specified when using string timestamps`},
		{"timestamp target case", map[string]string{"transforms": "t", "transforms.t.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value",
			"transforms.t.target.type": "timestamp"},
			`key "transforms.t.target.type": Invalid value timestamp for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp`},
		{"timestamp bad pattern", map[string]string{"transforms": "t", "transforms.t.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value",
			"transforms.t.target.type": "unix", "transforms.t.format": "yyyy-MM-dd'T"},
			`key "transforms.t.format": Invalid value java.lang.IllegalArgumentException: Unterminated quote for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: yyyy-MM-dd'T`},
		{"router bad pattern", map[string]string{"transforms": "t", "transforms.t.type": "TimestampRouter", "transforms.t.timestamp.format": "yyyy-XXXX"},
			`key "transforms.t.timestamp.format": Invalid value yyyy-XXXX for configuration timestamp.format: invalid ISO 8601 format: length=4`},
		{"schema metadata", map[string]string{"transforms": "s", "transforms.s.type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value"},
			`key "transforms.s.type": Neither schema name nor version configured`},
		{"schema version", map[string]string{"transforms": "s", "transforms.s.type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value",
			"transforms.s.schema.version": "v1"},
			`key "transforms.s.schema.version": Invalid value v1 for configuration transforms.s.schema.version: Not a number of type INT`},
		{"field syntax", map[string]string{"transforms": "e", "transforms.e.type": "org.apache.kafka.connect.transforms.ExtractField$Value",
			"transforms.e.field": "a", "transforms.e.field.syntax.version": "V3"},
			`key "transforms.e.field.syntax.version": Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2`},
		{"field path", map[string]string{"transforms": "e", "transforms.e.type": "org.apache.kafka.connect.transforms.ExtractField$Value",
			"transforms.e.field": "a.`b.c", "transforms.e.field.syntax.version": "V2"},
			"key \"transforms.e.field\": Incomplete backtick pair in path: [a.`b.c], consider adding a backslash before backtick at position 2 to escape it"},
		{"mask replacement", map[string]string{"transforms": "m", "transforms.m.type": "org.apache.kafka.connect.transforms.MaskField$Value",
			"transforms.m.fields": "a", "transforms.m.replacement": ""},
			`key "transforms.m.replacement": Invalid value  for configuration replacement: String must be non-empty`},
		{"several problems", map[string]string{"transforms": "a,b", "transforms.a.type": "Filter", "transforms.a.negate": "true",
			"transforms.b.type": "org.apache.kafka.connect.transforms.HoistField$Key"},
			`key "transforms.a.negate": Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' defining a predicate to be negated.` + "\n" +
				`key "transforms.b.field": Missing required configuration "transforms.b.field" which has no default value.`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := maps(tc.props)
			props["name"], props["connector.class"] = "c", "FileStreamSource"
			_, err := NewChain(fullRegistry(), props)
			var es config.Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v is not config.Errors", err)
			}
			if err.Error() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", err, tc.want)
			}
		})
	}
}

// TestValidationWithTransforms: config.WithTransforms with this package's plugin sets lists every alias's
// keys and reports their problems, including those Apache finds only when it configures a transform.
func TestValidationWithTransforms(t *testing.T) {
	reg := fullRegistry()
	ts, ps := PluginSets(reg)
	props := map[string]string{
		"name": "c", "connector.class": "FileStreamSource", "topic": "t",
		"transforms":                   "MakeMap, ins, route",
		"transforms.MakeMap.type":      "org.apache.kafka.connect.transforms.HoistField$Value",
		"transforms.ins.type":          "org.apache.kafka.connect.transforms.InsertField$Value",
		"transforms.route.type":        "RegexRouter",
		"transforms.route.regex":       "a[",
		"transforms.route.replacement": "x",
		"transforms.route.predicate":   "p",
		"predicates":                   "p",
		"predicates.p.type":            "TopicNameMatches",
	}
	def := config.WithTransforms(config.ConnectorDef(config.KindSource), props, ts, ps)
	errs := map[string][]string{}
	for _, r := range def.Validate(props) {
		if len(r.Errors) > 0 {
			errs[r.Name] = r.Errors
		}
		if r.Name == "transforms.MakeMap.type" && (len(r.RecommendedValues) != 26 || r.RecommendedValues[0] != "org.apache.kafka.connect.transforms.Cast$Key") {
			t.Errorf("recommended %q", r.RecommendedValues)
		}
	}
	want := map[string][]string{
		"transforms.MakeMap.field": {`Missing required configuration "transforms.MakeMap.field" which has no default value.`},
		"transforms.ins.type":      {"No field insertion configured"},
		"transforms.route.regex":   {"Invalid value a[ for configuration regex: Invalid regex: error parsing regexp: missing closing ]: `[`"},
		"predicates.p.pattern":     {`Missing required configuration "predicates.p.pattern" which has no default value.`},
	}
	if len(errs) != len(want) {
		t.Errorf("errors %q", errs)
	}
	for k, w := range want {
		if !slices.Equal(errs[k], w) {
			t.Errorf("%s: %q, want %q", k, errs[k], w)
		}
	}
	var keys []string
	for _, k := range def.Keys() {
		if strings.HasPrefix(k.Name, "transforms.ins.") {
			keys = append(keys, k.Name)
		}
	}
	wantKeys := []string{"transforms.ins.type", "transforms.ins.negate", "transforms.ins.offset.field", "transforms.ins.partition.field",
		"transforms.ins.predicate", "transforms.ins.replace.null.with.default", "transforms.ins.static.field",
		"transforms.ins.static.value", "transforms.ins.timestamp.field", "transforms.ins.topic.field"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("keys %q, want %q", keys, wantKeys)
	}
}

// TestPluginsMatchApache: the transforms and predicates are those Apache lists, by the same names, and a
// transform's keys are described as Apache's REST API describes them.
func TestPluginsMatchApache(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures.Dir(t, "rest"), "005-plugins-connectorsOnly-false.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Body []struct{ Class, Type string }
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, p := range list.Body {
		if p.Type == "transformation" || p.Type == "predicate" {
			want = append(want, p.Type+" "+p.Class)
		}
	}
	for _, p := range Plugins() {
		got = append(got, string(p.Type)+" "+p.Class)
		if p.Version != connectors.APIVersion {
			t.Errorf("%s: version %s", p.Class, p.Version)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("plugins:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	data, err = os.ReadFile(filepath.Join(fixtures.Dir(t, "rest"), "010-plugin-config-transform.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct{ Body json.RawMessage }
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	p, _ := registry().Lookup("org.apache.kafka.connect.transforms.HoistField$Value")
	gotJSON, err := json.Marshal(p.New().(Transformation).Config().Infos())
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	_ = json.Unmarshal(cfg.Body, &a)
	_ = json.Unmarshal(gotJSON, &b)
	wantJSON, _ := json.Marshal(a)
	gotJSON, _ = json.Marshal(b)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("HoistField$Value config:\n%s\nwant:\n%s", gotJSON, wantJSON)
	}
}

// TestPluginConfigs: every plugin's keys parse their own defaults, and Configure reports a missing
// required key with Apache's message.
func TestPluginConfigs(t *testing.T) {
	for _, p := range Plugins() {
		c := p.New().(configurable)
		required := false
		for _, k := range c.Config().Keys() {
			if k.Doc == "" {
				t.Errorf("%s: %s has no documentation", p.Class, k.Name)
			}
			required = required || k.Required
		}
		err := c.Configure(map[string]string{})
		switch {
		case required && (err == nil || !strings.Contains(err.Error(), "Missing required configuration")):
			t.Errorf("%s: configured without its required keys: %v", p.Class, err)
		case !required && err != nil && !strings.Contains(p.Class, "InsertField") && !strings.Contains(p.Class, "SetSchemaMetadata"):
			t.Errorf("%s: %v", p.Class, err)
		}
	}
}

// TestChainConcurrent: a chain may be shared by tasks.
func TestChainConcurrent(t *testing.T) {
	c := newChain(t, map[string]string{
		"transforms":           "cast,flat",
		"transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
		"transforms.cast.spec": "id:string",
		"transforms.flat.type": "org.apache.kafka.connect.transforms.Flatten$Value",
	})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				out, err := c.Apply(&connectors.Record{ValueSchema: sampleSchema, Value: sampleStruct(t)})
				if err == nil && connectors.FormatValue(out.Value) != "Struct{id=7,name=ann,ts=1700000000123,nested.a=x,nested.b=3}" {
					err = errors.New(connectors.FormatValue(out.Value))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
