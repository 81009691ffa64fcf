package runner_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

// The sample record of Apache's transform examples (transforms.md §2): key "k1", value
// id=7,name=ann,ts=1700000000123,nested={a=x,b=3}, header h1=v1, timestamp 1700000000123.
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
	sampleTime = time.UnixMilli(1700000000123)
)

// The sample value in the JSON converter's words.
const (
	nestedField  = `{"type":"struct","fields":[{"type":"string","optional":false,"field":"a"},{"type":"int32","optional":true,"field":"b"}],"optional":true,"field":"nested"}`
	sampleFields = `{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"int64","optional":false,"field":"ts"},` + nestedField
	sampleJSON   = `{"type":"struct","fields":[` + sampleFields + `],"optional":false}`
	samplePay    = `{"id":7,"name":"ann","ts":1700000000123,"nested":{"a":"x","b":3}}`
	keyJSON      = `{"type":"string","optional":false}`
)

func sampleRecord(t *testing.T, topic string) connectors.Record {
	t.Helper()
	nested := connectors.NewStruct(nestedSchema)
	s := connectors.NewStruct(sampleSchema)
	for _, err := range []error{nested.Put("a", "x"), nested.Put("b", int32(3)),
		s.Put("id", int32(7)), s.Put("name", "ann"), s.Put("ts", int64(1700000000123)), s.Put("nested", nested)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return connectors.Record{Topic: topic, Partition: connectors.AnyPartition, KeySchema: connectors.StringSchema, Key: "k1",
		ValueSchema: sampleSchema, Value: s, Timestamp: sampleTime,
		Headers: []connectors.Header{{Key: "h1", Schema: connectors.StringSchema, Value: "v1"}}}
}

// envelope is what the JSON converter writes with schemas.enable=true.
func envelope(schema, payload string) string {
	return `{"schema":` + schema + `,"payload":` + payload + `}`
}

// smtCase is one transform applied to the sample record: its configuration (keys after
// transforms.t.), and what reaches the topic, with the JSON converter's schemas on and off. An empty
// topic is the source topic; empty key or value schemas are the sample's.
type smtCase struct {
	name        string
	cfg         map[string]string
	topic       string // %s is the source topic
	keySchema   string
	keyPayload  string
	valueSchema string
	payload     string
	headers     string
}

// smtCases exercise every transform family on the sample record; the expected schemas and values are
// Apache's (transforms/testdata/apache.golden), written as the JSON converter writes them.
var smtCases = []smtCase{
	{name: "cast", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.Cast$Value", "spec": "id:string,ts:int32,name:boolean"},
		valueSchema: `{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},{"type":"boolean","optional":true,"field":"name"},{"type":"int32","optional":false,"field":"ts"},` + nestedField + `],"optional":false}`,
		payload:     `{"id":"7","name":false,"ts":-807049093,"nested":{"a":"x","b":3}}`},
	{name: "dropheaders", cfg: map[string]string{"type": "DropHeaders", "headers": "h1"}, headers: ""},
	{name: "extract", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.ExtractField$Value", "field": "name"},
		valueSchema: `{"type":"string","optional":true}`, payload: `"ann"`},
	{name: "flatten", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.Flatten$Value"},
		valueSchema: `{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"int64","optional":false,"field":"ts"},{"type":"string","optional":true,"field":"nested.a"},{"type":"int32","optional":true,"field":"nested.b"}],"optional":false}`,
		payload:     `{"id":7,"name":"ann","ts":1700000000123,"nested.a":"x","nested.b":3}`},
	{name: "headerfrom", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.HeaderFrom$Value", "fields": "id,name", "headers": "h_id,h_name", "operation": "move"},
		valueSchema: `{"type":"struct","fields":[{"type":"int64","optional":false,"field":"ts"},` + nestedField + `],"optional":false}`,
		payload:     `{"ts":1700000000123,"nested":{"a":"x","b":3}}`, headers: "h1=v1,h_id=7,h_name=ann"},
	{name: "hoist", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.HoistField$Key", "field": "k"},
		keySchema: `{"type":"struct","fields":[{"type":"string","optional":false,"field":"k"}],"optional":false}`, keyPayload: `{"k":"k1"}`},
	{name: "insert", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.InsertField$Value",
		"topic.field": "t", "partition.field": "p", "timestamp.field": "ts2", "static.field": "sf", "static.value": "sv"},
		valueSchema: `{"type":"struct","fields":[` + sampleFields + `,{"type":"string","optional":true,"field":"t"},{"type":"int32","optional":true,"field":"p"},{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts2"},{"type":"string","optional":true,"field":"sf"}],"optional":false}`,
		payload:     `{"id":7,"name":"ann","ts":1700000000123,"nested":{"a":"x","b":3},"t":"%s","p":null,"ts2":1700000000123,"sf":"sv"}`},
	{name: "insertheader", cfg: map[string]string{"type": "InsertHeader", "header": "added", "value.literal": "42"}, headers: "h1=v1,added=42"},
	{name: "mask", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.MaskField$Value", "fields": "id,name,ts"},
		payload: `{"id":0,"name":"","ts":0,"nested":{"a":"x","b":3}}`},
	{name: "regexrouter", cfg: map[string]string{"type": "RegexRouter", "regex": "smt-(.*)", "replacement": "routed-$1"}, topic: "routed-regexrouter-%s"},
	{name: "replace", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.ReplaceField$Value", "exclude": "ts", "renames": "id:ident,name:n"},
		valueSchema: `{"type":"struct","fields":[{"type":"int32","optional":false,"field":"ident"},{"type":"string","optional":true,"field":"n"},` + nestedField + `],"optional":false}`,
		payload:     `{"ident":7,"n":"ann","nested":{"a":"x","b":3}}`},
	{name: "setschema", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", "schema.name": "com.example.Order", "schema.version": "3"},
		valueSchema: `{"type":"struct","fields":[` + sampleFields + `],"optional":false,"name":"com.example.Order","version":3}`},
	{name: "tsconverter", cfg: map[string]string{"type": "org.apache.kafka.connect.transforms.TimestampConverter$Value", "field": "ts", "target.type": "string", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSX"},
		valueSchema: `{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"string","optional":false,"field":"ts"},` + nestedField + `],"optional":false}`,
		payload:     `{"id":7,"name":"ann","ts":"2023-11-14T22:13:20.123Z","nested":{"a":"x","b":3}}`},
	{name: "tsrouter", cfg: map[string]string{"type": "TimestampRouter", "topic.format": "${topic}-${timestamp}", "timestamp.format": "yyyyMMdd"}, topic: "smt-tsrouter-%s-20231114"},
	{name: "valuetokey", cfg: map[string]string{"type": "ValueToKey", "fields": "name,id"},
		keySchema: `{"type":"struct","fields":[{"type":"string","optional":true,"field":"name"},{"type":"int32","optional":false,"field":"id"}],"optional":false}`, keyPayload: `{"name":"ann","id":7}`},
}

// TestTransformsSourceBytes: each transform family on a source record, then the JSON converter with
// schemas on and off, puts Apache's bytes on the topic (key, value and headers).
func TestTransformsSourceBytes(t *testing.T) {
	var plugins []connectors.Plugin
	for _, c := range smtCases {
		for _, mode := range []string{"on", "off"} {
			plugins = append(plugins, staticSourcePlugin("test.smt"+c.name+mode+"Connector", []connectors.Record{sampleRecord(t, "smt-"+c.name+"-"+mode)}))
		}
	}
	h := newHarness(t, nil, plugins...)
	for _, c := range smtCases {
		for _, mode := range []string{"on", "off"} {
			cfg := map[string]string{"connector.class": "test.smt" + c.name + mode + "Connector", "transforms": "t",
				"key.converter": jsonConverter, "value.converter": jsonConverter,
				"key.converter.schemas.enable": fmt.Sprint(mode == "on"), "value.converter.schemas.enable": fmt.Sprint(mode == "on")}
			for k, v := range c.cfg {
				cfg["transforms.t."+k] = v
			}
			h.create(c.name+"-"+mode, cfg)
		}
	}
	for _, c := range smtCases {
		for _, mode := range []string{"on", "off"} {
			t.Run(c.name+"-"+mode, func(t *testing.T) {
				source := "smt-" + c.name + "-" + mode
				topic := source
				if c.topic != "" {
					topic = fmt.Sprintf(c.topic, mode)
				}
				got := h.broker.Read(topic, 1, 20*time.Second)
				if len(got) != 1 {
					st, _ := h.herder.Status(c.name + "-" + mode)
					t.Fatalf("no record on topic %s; status %+v", topic, st)
				}
				keySchema, keyPayload := or(c.keySchema, keyJSON), or(c.keyPayload, `"k1"`)
				valueSchema, payload := or(c.valueSchema, sampleJSON), or(c.payload, samplePay)
				if strings.Contains(payload, "%s") {
					payload = fmt.Sprintf(payload, source)
				}
				wantKey, wantValue := keyPayload, payload
				if mode == "on" {
					wantKey, wantValue = envelope(keySchema, keyPayload), envelope(valueSchema, payload)
				}
				if string(got[0].Key) != wantKey {
					t.Errorf("key:\n got %s\nwant %s", got[0].Key, wantKey)
				}
				if string(got[0].Value) != wantValue {
					t.Errorf("value:\n got %s\nwant %s", got[0].Value, wantValue)
				}
				wantHeaders := "h1=v1"
				if c.headers != "" || c.name == "dropheaders" {
					wantHeaders = c.headers
				}
				if h := headerText(got[0].Headers); h != wantHeaders {
					t.Errorf("headers %q, want %q", h, wantHeaders)
				}
				if !got[0].Timestamp.Equal(sampleTime) {
					t.Errorf("timestamp %v, want %v", got[0].Timestamp, sampleTime)
				}
			})
		}
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func headerText(hs []kgo.RecordHeader) string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Key+"="+string(h.Value))
	}
	return strings.Join(out, ",")
}

// TestTransformsSinkRecords: each transform family on records consumed by a sink, after the converters:
// the task sees Apache's results (a line per record in its file), and offsets are committed on the
// consumed topic even when a transform routes the record elsewhere.
func TestTransformsSinkRecords(t *testing.T) {
	type sinkCase struct {
		name string
		cfg  map[string]string
		want string // %s is the consumed topic
	}
	cases := []sinkCase{
		{"cast", map[string]string{"type": "org.apache.kafka.connect.transforms.Cast$Value", "spec": "id:string,ts:int32,name:boolean"},
			"%s/0@0 key=k1 value=Struct{id=7,name=false,ts=-807049093,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
		{"dropheaders", map[string]string{"type": "DropHeaders", "headers": "h1"},
			"%s/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[]"},
		{"extract", map[string]string{"type": "org.apache.kafka.connect.transforms.ExtractField$Value", "field": "nested.a", "field.syntax.version": "V2"},
			"%s/0@0 key=k1 value=x schema=- headers=[h1=v1]"},
		{"flatten", map[string]string{"type": "org.apache.kafka.connect.transforms.Flatten$Value", "delimiter": "_"},
			"%s/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested_a=x,nested_b=3} schema=- headers=[h1=v1]"},
		{"headerfrom", map[string]string{"type": "org.apache.kafka.connect.transforms.HeaderFrom$Value", "fields": "id,name", "headers": "h_id,h_name", "operation": "copy"},
			"%s/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1,h_id=7,h_name=ann]"},
		{"hoist", map[string]string{"type": "org.apache.kafka.connect.transforms.HoistField$Key", "field": "k"},
			"%s/0@0 key=Struct{k=k1} value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
		{"insert", map[string]string{"type": "org.apache.kafka.connect.transforms.InsertField$Value",
			"topic.field": "t!", "partition.field": "p", "offset.field": "o", "static.field": "sf", "static.value": "sv"},
			"%s/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3},t=%s,p=0,o=0,sf=sv} schema=- headers=[h1=v1]"},
		{"insertheader", map[string]string{"type": "InsertHeader", "header": "added", "value.literal": "true"},
			"%s/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1,added=true]"},
		{"mask", map[string]string{"type": "org.apache.kafka.connect.transforms.MaskField$Value", "fields": "id,name", "replacement": "9"},
			"%s/0@0 key=k1 value=Struct{id=9,name=9,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
		{"regexrouter", map[string]string{"type": "RegexRouter", "regex": "sink-(.*)", "replacement": "routed-$1"},
			"routed-regexrouter/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
		{"replace", map[string]string{"type": "org.apache.kafka.connect.transforms.ReplaceField$Value", "include": "id,nested", "renames": "id:ident"},
			"%s/0@0 key=k1 value=Struct{ident=7,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
		{"setschema", map[string]string{"type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", "schema.name": "com.example.Order", "schema.version": "3"},
			"%s/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=com.example.Order/3 headers=[h1=v1]"},
		{"tsconverter", map[string]string{"type": "org.apache.kafka.connect.transforms.TimestampConverter$Value", "field": "ts", "target.type": "Timestamp"},
			"%s/0@0 key=k1 value=Struct{id=7,name=ann,ts=Tue Nov 14 22:13:20 UTC 2023,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
		{"tsrouter", map[string]string{"type": "TimestampRouter"},
			"%s-20231114/0@0 key=k1 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
		{"valuetokey", map[string]string{"type": "ValueToKey", "fields": "ts"},
			"%s/0@0 key=Struct{ts=1700000000123} value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[h1=v1]"},
	}
	h := newHarness(t, nil, recordingSinkPlugin())
	sinkCfg := func(name string, cfg map[string]string) map[string]string {
		out := map[string]string{"connector.class": recordingSinkClass, "topics": "sink-" + name, "file": h.path(name + ".txt"),
			"key.converter": jsonConverter, "value.converter": jsonConverter, "transforms": "t"}
		for k, v := range cfg {
			out["transforms.t."+k] = v
		}
		return out
	}
	value := envelope(sampleJSON, samplePay)
	for _, c := range cases {
		h.broker.Produce("sink-"+c.name, &kgo.Record{Key: []byte(envelope(keyJSON, `"k1"`)), Value: []byte(value),
			Headers: []kgo.RecordHeader{{Key: "h1", Value: []byte("v1")}}, Timestamp: sampleTime})
		h.create("sink-"+c.name, sinkCfg(c.name, c.cfg))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := strings.ReplaceAll(c.want, "%s", "sink-"+c.name)
			waitLines(t, h.path(c.name+".txt"), []string{want})
		})
	}

	// The routed records were committed on their consumed topic: after a restart, only new records arrive.
	h.restart()
	routed := cases[slices.IndexFunc(cases, func(c sinkCase) bool { return c.name == "regexrouter" })]
	h.broker.Produce("sink-regexrouter", &kgo.Record{Key: []byte(envelope(keyJSON, `"k2"`)), Value: []byte(value), Timestamp: sampleTime})
	h.create("sink-regexrouter", sinkCfg("regexrouter", routed.cfg))
	waitLines(t, h.path("regexrouter.txt"), []string{routed.want,
		"routed-regexrouter/0@1 key=k2 value=Struct{id=7,name=ann,ts=1700000000123,nested=Struct{a=x,b=3}} schema=- headers=[]"})
}

// TestTransformChainInOrder: Apache's documented example (HoistField, then InsertField) on
// FileStreamSource, then a router: each transform gets the previous one's output. In the other order,
// InsertField meets a string and the task fails with Apache's message.
func TestTransformChainInOrder(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("in.txt")
	appendFile(t, in, "foo\nbar\n")
	chain := map[string]string{
		"transforms":                           "MakeMap,InsertSource,Route",
		"transforms.MakeMap.type":              "org.apache.kafka.connect.transforms.HoistField$Value",
		"transforms.MakeMap.field":             "line",
		"transforms.InsertSource.type":         "org.apache.kafka.connect.transforms.InsertField$Value",
		"transforms.InsertSource.static.field": "data_source",
		"transforms.InsertSource.static.value": "test-file-source",
		"transforms.Route.type":                "RegexRouter",
		"transforms.Route.regex":               "(.*)-in",
		"transforms.Route.replacement":         "$1-out",
	}
	schema := `{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"data_source"}],"optional":false}`
	for _, mode := range []string{"on", "off"} {
		cfg := map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "chain-" + mode + "-in",
			"value.converter": jsonConverter, "value.converter.schemas.enable": fmt.Sprint(mode == "on")}
		for k, v := range chain {
			cfg[k] = v
		}
		h.create("chain-"+mode, cfg)
		var want []string
		for _, line := range []string{"foo", "bar"} {
			payload := `{"line":"` + line + `","data_source":"test-file-source"}`
			if mode == "on" {
				payload = envelope(schema, payload)
			}
			want = append(want, payload)
		}
		if got := kafkatest.Values(h.broker.Read("chain-"+mode+"-out", 2, 20*time.Second)); !slices.Equal(got, want) {
			t.Fatalf("schemas %s: topic holds\n%q\nwant\n%q", mode, got, want)
		}
	}

	reversed := map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "reversed"}
	for k, v := range chain {
		reversed[k] = v
	}
	reversed["transforms"] = "InsertSource,MakeMap"
	h.create("reversed", reversed)
	st := h.waitState("reversed", runner.Failed)
	for _, want := range []string{"Tolerance exceeded in error handler", "in stage TRANSFORMATION, class org.apache.kafka.connect.transforms.InsertField$Value",
		"Caused by: org.apache.kafka.connect.errors.DataException: Only Struct objects supported for [field insertion], found: java.lang.String"} {
		if !strings.Contains(st.Tasks[0].Trace, want) {
			t.Errorf("trace %q does not say %q", st.Tasks[0].Trace, want)
		}
	}
}

// TestPredicates: each predicate, with and without negate, decides which records a Filter drops; the
// dropped records' offsets are committed all the same.
func TestPredicates(t *testing.T) {
	records := func(name string) []connectors.Record {
		return []connectors.Record{
			{Topic: "pa-" + name, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "one",
				Headers: []connectors.Header{{Key: "tag", Schema: connectors.StringSchema, Value: "x"}}},
			{Topic: "pb-" + name, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "two"},
			{Topic: "pa-" + name, Partition: connectors.AnyPartition, ValueSchema: connectors.OptionalStringSchema},
		}
	}
	cases := []struct {
		name   string
		cfg    map[string]string
		negate bool
		want   []string
	}{
		{"header", map[string]string{"type": "HasHeaderKey", "name": "tag"}, false, []string{"two", "<null>"}},
		{"header-negate", map[string]string{"type": "org.apache.kafka.connect.transforms.predicates.HasHeaderKey", "name": "tag"}, true, []string{"one"}},
		{"tombstone", map[string]string{"type": "RecordIsTombstone"}, false, []string{"one", "two"}},
		{"tombstone-negate", map[string]string{"type": "RecordIsTombstone"}, true, []string{"<null>"}},
		{"topic", map[string]string{"type": "TopicNameMatches", "pattern": "pa-.*"}, false, []string{"two"}},
		{"topic-negate", map[string]string{"type": "TopicNameMatches", "pattern": "pa-.*"}, true, []string{"one", "<null>"}},
	}
	var plugins []connectors.Plugin
	for _, c := range cases {
		plugins = append(plugins, offsetSourcePlugin("test.pred-"+c.name+"Connector", records(c.name)))
	}
	h := newHarness(t, nil, plugins...)
	for _, c := range cases {
		cfg := map[string]string{"connector.class": "test.pred-" + c.name + "Connector",
			"transforms": "drop,route", "transforms.drop.type": "Filter", "transforms.drop.predicate": "p",
			"transforms.route.type": "RegexRouter", "transforms.route.regex": "p[ab]-(.*)", "transforms.route.replacement": "pred-$1",
			"predicates": "p"}
		if c.negate {
			cfg["transforms.drop.negate"] = "true"
		}
		for k, v := range c.cfg {
			cfg["predicates.p."+k] = v
		}
		h.create(c.name, cfg)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Once the last record's offset is stored, every record was produced or dropped.
			h.waitOffset(c.name, 2)
			if got := kafkatest.Values(h.broker.Read("pred-"+c.name, len(c.want)+1, 500*time.Millisecond)); !slices.Equal(got, c.want) {
				t.Fatalf("topic holds %q, want %q", got, c.want)
			}
		})
	}
}

// TestFilteredSourceDoesNotReread: records a transform drops have their offsets committed, so after a
// restart a filtered file is not read again (Apache would resend the filtered lines once the filter is
// removed, since it commits no offset for them).
func TestFilteredSourceDoesNotReread(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("in.txt")
	appendFile(t, in, "a\nb\nc\n")
	cfg := map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "filtered",
		"transforms": "drop", "transforms.drop.type": "org.apache.kafka.connect.transforms.Filter"}
	h.create("src", cfg)
	kafkatest.Eventually(t, 20*time.Second, func() error {
		if offs := h.store.Offsets("src"); len(offs) != 1 || offs[0].Offset["position"] != int64(6) {
			return fmt.Errorf("stored offsets %v, want position 6", offs)
		}
		return nil
	})
	h.restart()
	delete(cfg, "transforms")
	delete(cfg, "transforms.drop.type")
	h.create("src", cfg)
	appendFile(t, in, "d\n")
	if got := kafkatest.Values(h.broker.Read("filtered", 1, 20*time.Second)); !slices.Equal(got, []string{"d"}) {
		t.Fatalf("topic holds %q, want only the line written after the filter was removed", got)
	}
	if got := h.broker.Read("filtered", 2, time.Second); len(got) != 1 {
		t.Fatalf("topic holds %d records, want 1: the filtered lines were read again", len(got))
	}
	kafkatest.Eventually(t, 20*time.Second, func() error {
		if offs := h.store.Offsets("src"); len(offs) != 1 || offs[0].Offset["position"] != int64(8) {
			return fmt.Errorf("stored offsets %v, want position 8", offs)
		}
		return nil
	})
}

// TestBadTransformConfigs: a bad transform or predicate configuration is rejected when the connector is
// created, with a message naming the alias and the key; Validate lists each alias's keys and the same
// problems.
func TestBadTransformConfigs(t *testing.T) {
	h := newHarness(t, nil)
	base := func(extra map[string]string) map[string]string {
		cfg := map[string]string{"connector.class": "FileStreamSource", "name": "v", "file": h.path("in.txt"), "topic": "t"}
		for k, v := range extra {
			cfg[k] = v
		}
		return cfg
	}
	cases := []struct {
		name string
		cfg  map[string]string
		want string
	}{
		{"no-type", map[string]string{"transforms": "MakeMap"},
			`Missing required configuration "transforms.MakeMap.type" which has no default value.`},
		{"unknown-class", map[string]string{"transforms": "x", "transforms.x.type": "NoSuchTransform"},
			"Invalid value NoSuchTransform for configuration transforms.x.type: Class NoSuchTransform could not be found."},
		{"missing-key", map[string]string{"transforms": "MakeMap", "transforms.MakeMap.type": "org.apache.kafka.connect.transforms.HoistField$Value"},
			`Missing required configuration "transforms.MakeMap.field" which has no default value.`},
		{"bad-value", map[string]string{"transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "id:uuid"},
			"Invalid value id:uuid for configuration transforms.c.spec: Invalid type found in casting spec: uuid"},
		{"configure-check", map[string]string{"transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value"},
			"Invalid value org.apache.kafka.connect.transforms.InsertField$Value for configuration transforms.i.type: No field insertion configured"},
		{"negate-without-predicate", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.negate": "true"},
			"Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated."},
		{"undeclared-predicate", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.predicate": "nope"},
			"Invalid value nope for configuration transforms.f.predicate: Unknown configuration 'predicates.nope.type': the predicate is not listed in predicates"},
		{"predicate-missing-key", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.predicate": "p",
			"predicates": "p", "predicates.p.type": "TopicNameMatches"},
			`Missing required configuration "predicates.p.pattern" which has no default value.`},
		{"duplicate-alias", map[string]string{"transforms": "f,f", "transforms.f.type": "Filter"},
			"Invalid value [f, f] for configuration transforms: Duplicate alias provided."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := base(c.cfg)
			_, err := h.herder.Create("v", cfg, runner.TargetRunning)
			if runner.KindOf(err) != runner.KindInvalid || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Create: %v\nwant an invalid configuration saying %q", err, c.want)
			}
			got, err := h.herder.Validate("", cfg)
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, ci := range got.Configs {
				all = append(all, ci.Value.Errors...)
			}
			if !slices.ContainsFunc(all, func(e string) bool { return strings.Contains(e, c.want) }) {
				t.Fatalf("Validate errors %q do not say %q", all, c.want)
			}
		})
	}

	// Validate lists each alias's own keys, with their definitions, in the alias's group.
	got, err := h.herder.Validate("", base(map[string]string{"transforms": "MakeMap",
		"transforms.MakeMap.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.MakeMap.field": "line"}))
	if err != nil || got.ErrorCount != 0 {
		t.Fatalf("Validate: %+v, %v", got, err)
	}
	var keys []string
	for _, ci := range got.Configs {
		if strings.HasPrefix(ci.Value.Name, "transforms.MakeMap.") {
			keys = append(keys, ci.Value.Name+"@"+or(deref(ci.Definition.Group), "-"))
		}
	}
	slices.Sort(keys)
	want := []string{"transforms.MakeMap.field@Transforms: MakeMap", "transforms.MakeMap.negate@Transforms: MakeMap",
		"transforms.MakeMap.predicate@Transforms: MakeMap", "transforms.MakeMap.type@Transforms: MakeMap"}
	if !slices.Equal(keys, want) {
		t.Fatalf("alias keys %q, want %q", keys, want)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
