package runner_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

// hashes matches Java's identity-hash rendering of byte arrays ([B@1b6d3586), which no two runs share.
var hashes = regexp.MustCompile(`\[B@[0-9a-f]+`)

const (
	jsonConverter   = "org.apache.kafka.connect.json.JsonConverter"
	stringConverter = "org.apache.kafka.connect.storage.StringConverter"
)

// TestFileSourceBytesOnTopic: lines of a file reach the topic as exactly the bytes Apache's converters
// produce (file-connectors.md §1.8).
func TestFileSourceBytesOnTopic(t *testing.T) {
	h := newHarness(t, nil)
	input := h.path("in.txt")
	appendFile(t, input, "foo\nhello \"w\"\né€😀\n\nlast")
	cases := []struct {
		name, converter, schemas string
		want                     []string
	}{
		{"string", stringConverter, "", []string{"foo", `hello "w"`, "é€😀", ""}},
		{"json-schemas", jsonConverter, "true", []string{
			`{"schema":{"type":"string","optional":false},"payload":"foo"}`,
			`{"schema":{"type":"string","optional":false},"payload":"hello \"w\""}`,
			`{"schema":{"type":"string","optional":false},"payload":"é€\uD83D\uDE00"}`,
			`{"schema":{"type":"string","optional":false},"payload":""}`,
		}},
		{"json-plain", jsonConverter, "false", []string{`"foo"`, `"hello \"w\""`, `"é€\uD83D\uDE00"`, `""`}},
	}
	for _, c := range cases {
		cfg := map[string]string{"connector.class": "FileStreamSource", "file": input, "topic": "t-" + c.name,
			"value.converter": c.converter, "key.converter": c.converter}
		if c.schemas != "" {
			cfg["value.converter.schemas.enable"] = c.schemas
			cfg["key.converter.schemas.enable"] = c.schemas
		}
		h.create("src-"+c.name, cfg)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := h.broker.Read("t-"+c.name, len(c.want), 20*time.Second)
			if !slices.Equal(kafkatest.Values(got), c.want) {
				t.Fatalf("topic values:\n got %q\nwant %q", kafkatest.Values(got), c.want)
			}
			for _, r := range got {
				if !r.KeyNull {
					t.Errorf("key = %q, want null", r.Key)
				}
			}
		})
	}
	// The unterminated last line is held back, as Apache does.
	if got := h.broker.Read("t-string", 5, time.Second); len(got) != 4 {
		t.Fatalf("%d records on the topic, want 4 (the partial last line must wait)", len(got))
	}
}

// TestTypedBytesOnTopic: records of every Connect type become exactly Apache's bytes on the topic, through
// each converter (expected bytes are Apache's, converters.md §1.3–§4).
func TestTypedBytesOnTopic(t *testing.T) {
	user := &connectors.Schema{Type: connectors.Struct, Name: "com.example.User", Version: 2, Doc: "a user", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int32Schema},
		{Name: "name", Index: 1, Schema: connectors.OptionalStringSchema},
		{Name: "score", Index: 2, Schema: &connectors.Schema{Type: connectors.Float64, Default: 1.5}},
	}}
	ann := connectors.NewStruct(user)
	if err := ann.Put("id", int32(7)); err != nil {
		t.Fatal(err)
	}
	if err := ann.Put("name", "ann"); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		converter string
		cfg       map[string]string
		schema    *connectors.Schema
		value     any
		want      string // hex when prefixed "hex:", else text
	}{
		{"string-env", jsonConverter, nil, connectors.StringSchema, "hello", `{"schema":{"type":"string","optional":false},"payload":"hello"}`},
		{"int8-env", jsonConverter, nil, connectors.Int8Schema, int8(-5), `{"schema":{"type":"int8","optional":false},"payload":-5}`},
		{"int64-plain", jsonConverter, map[string]string{"schemas.enable": "false"}, connectors.Int64Schema, int64(1234567890123), `1234567890123`},
		{"float32-env", jsonConverter, nil, connectors.Float32Schema, float32(1.1), `{"schema":{"type":"float","optional":false},"payload":1.1}`},
		{"float64-env", jsonConverter, nil, connectors.Float64Schema, 1e7, `{"schema":{"type":"double","optional":false},"payload":1.0E7}`},
		{"boolean-plain", jsonConverter, map[string]string{"schemas.enable": "false"}, connectors.BooleanSchema, true, `true`},
		{"bytes-env", jsonConverter, nil, connectors.BytesSchema, []byte{0, 1, 0xff, 0x41}, `{"schema":{"type":"bytes","optional":false},"payload":"AAH/QQ=="}`},
		{"array-env", jsonConverter, nil, &connectors.Schema{Type: connectors.Array, ValueSchema: connectors.Int32Schema}, []any{int32(1), int32(2), int32(3)},
			`{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}`},
		{"map-int-keys-plain", jsonConverter, map[string]string{"schemas.enable": "false"},
			&connectors.Schema{Type: connectors.Map, KeySchema: connectors.Int32Schema, ValueSchema: connectors.StringSchema},
			connectors.MapValue{{Key: int32(1), Value: "one"}, {Key: int32(2), Value: "two"}}, `[[1,"one"],[2,"two"]]`},
		{"decimal-env", jsonConverter, nil, connectors.DecimalSchema(2, false), connectors.Decimal{Unscaled: big.NewInt(12345), Scale: 2},
			`{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"MDk="}`},
		{"date-env", jsonConverter, nil, connectors.DateSchema(false), day,
			`{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":19723}`},
		{"struct-env", jsonConverter, nil, user, ann,
			`{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"double","optional":false,"default":1.5,"field":"score"}],"optional":false,"name":"com.example.User","version":2,"doc":"a user"},"payload":{"id":7,"name":"ann","score":1.5}}`},
		{"struct-plain", jsonConverter, map[string]string{"schemas.enable": "false"}, user, ann, `{"id":7,"name":"ann","score":1.5}`},
		{"string-converter-struct", stringConverter, nil, user, ann, `Struct{id=7,name=ann}`},
		{"bytearray", "org.apache.kafka.connect.converters.ByteArrayConverter", nil, connectors.BytesSchema, []byte{0, 1, 0xff}, "hex:0001ff"},
		{"integer", "org.apache.kafka.connect.converters.IntegerConverter", nil, connectors.Int32Schema, int32(-2), "hex:fffffffe"},
		{"long", "org.apache.kafka.connect.converters.LongConverter", nil, connectors.Int64Schema, int64(1), "hex:0000000000000001"},
		{"double", "org.apache.kafka.connect.converters.DoubleConverter", nil, connectors.Float64Schema, 1e7, "hex:416312d000000000"},
		{"float", "org.apache.kafka.connect.converters.FloatConverter", nil, connectors.Float32Schema, float32(1.5), "hex:3fc00000"},
		{"short", "org.apache.kafka.connect.converters.ShortConverter", nil, connectors.Int16Schema, int16(258), "hex:0102"},
	}
	var plugins []connectors.Plugin
	for _, c := range cases {
		rec := connectors.Record{Topic: "typed-" + c.name, Partition: connectors.AnyPartition, ValueSchema: c.schema, Value: c.value}
		plugins = append(plugins, staticSourcePlugin("test."+c.name+"Connector", []connectors.Record{rec}))
	}
	h := newHarness(t, nil, plugins...)
	for _, c := range cases {
		cfg := map[string]string{"connector.class": "test." + c.name + "Connector", "value.converter": c.converter}
		for k, v := range c.cfg {
			cfg["value.converter."+k] = v
		}
		h.create(c.name, cfg)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := h.broker.Read("typed-"+c.name, 1, 20*time.Second)
			if len(got) != 1 {
				st, _ := h.herder.Status(c.name)
				t.Fatalf("no record on the topic; status %+v", st)
			}
			if hexWant, ok := strings.CutPrefix(c.want, "hex:"); ok {
				if h := hex.EncodeToString(got[0].Value); h != hexWant {
					t.Fatalf("value bytes %s, want %s", h, hexWant)
				}
				return
			}
			if string(got[0].Value) != c.want {
				t.Fatalf("value bytes:\n got %s\nwant %s", got[0].Value, c.want)
			}
		})
	}
}

// TestSinkWritesWhatApacheWrote replays the records Apache's FileStreamSink consumed (sink-text fixtures)
// through the real broker and compares the file byte for byte.
func TestSinkWritesWhatApacheWrote(t *testing.T) {
	dir := fixtures.Dir(t, "sink-text")
	raw, err := os.ReadFile(filepath.Join(dir, "inputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	type record struct {
		Label      string `json:"label"`
		ValueHex   string `json:"value_bytes_hex"`
		Null       bool   `json:"null_value"`
		WrittenHex string `json:"written_hex"`
	}
	var fields map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	type input struct {
		Topic, Converter string
		Config           map[string]string
		Records          []record
	}
	inputs := map[string]input{}
	for name, f := range fields {
		var in input
		// A struct tag cannot name the records key: it contains a comma.
		for key, dst := range map[string]any{"topic": &in.Topic, "value.converter": &in.Converter,
			"value.converter config": &in.Config, "records (topic order, partition 0)": &in.Records} {
			if err := json.Unmarshal(f[key], dst); err != nil {
				t.Fatalf("inputs.json %s.%s: %v", name, key, err)
			}
		}
		if len(in.Records) == 0 {
			t.Fatalf("inputs.json %s has no records", name)
		}
		inputs[name] = in
	}
	h := newHarness(t, nil)
	for name, in := range inputs {
		var recs []*kgo.Record
		for _, r := range in.Records {
			v, err := hex.DecodeString(r.ValueHex)
			if err != nil {
				t.Fatal(err)
			}
			if r.Null {
				v = nil
			}
			recs = append(recs, &kgo.Record{Value: v})
		}
		h.broker.Produce(in.Topic, recs...)
		cfg := map[string]string{"connector.class": "FileStreamSink", "topics": in.Topic,
			"file": h.path(name + ".txt"), "value.converter": in.Converter}
		for k, v := range in.Config {
			cfg["value.converter."+k] = v
		}
		h.create("sink-"+name, cfg)
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			var want strings.Builder
			for _, r := range in.Records {
				w, _ := hex.DecodeString(r.WrittenHex)
				if strings.HasPrefix(string(w), "[B@") { // a Java identity hash: only the shape can match
					want.WriteString("[B@\n")
					continue
				}
				want.Write(w)
			}
			kafkatest.Eventually(t, 20*time.Second, func() error {
				got, _ := os.ReadFile(h.path(name + ".txt"))
				text := hashes.ReplaceAllString(string(got), "[B@")
				if text != want.String() {
					return fmt.Errorf("sink file:\n got %q\nwant %q", text, want.String())
				}
				return nil
			})
			// And the file Apache left matches what we wrote (apart from identity hashes).
			apache, err := os.ReadFile(filepath.Join(dir, name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			apache = []byte(hashes.ReplaceAllString(string(apache), "[B@"))
			if string(apache) != want.String() {
				t.Fatalf("Apache's %s.txt differs from its inputs.json", name)
			}
		})
	}
}

// TestPipelineAndRestartExactlyOnce: file → topic → file; after a graceful restart, appended lines arrive
// once each and nothing is read twice.
func TestPipelineAndRestartExactlyOnce(t *testing.T) {
	h := newHarness(t, nil)
	in, out := h.path("test.txt"), h.path("test.sink.txt")
	h.create("local-file-source", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "connect-test"})
	h.create("local-file-sink", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "connect-test"})
	var want []string
	for i := range 100 {
		want = append(want, "line "+strconv.Itoa(i))
	}
	appendFile(t, in, strings.Join(want[:50], "\n")+"\n")
	waitLines(t, out, want[:50])

	h.restart()
	h.create("local-file-source", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "connect-test"})
	h.create("local-file-sink", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "connect-test"})
	appendFile(t, in, strings.Join(want[50:], "\n")+"\n")
	waitLines(t, out, want)
	if got := kafkatest.Values(h.broker.Read("connect-test", 101, 2*time.Second)); !slices.Equal(got, want) {
		t.Fatalf("topic holds %d records, want each of the 100 lines once: %q", len(got), got)
	}
	offs := h.store.Offsets("local-file-source")
	if len(offs) != 1 || offs[0].Offset["position"] != int64(len(strings.Join(want, "\n"))+1) {
		t.Fatalf("stored offsets %v, want position %d", offs, len(strings.Join(want, "\n"))+1)
	}
}

// waitLines waits until a file holds exactly the given lines.
func waitLines(t *testing.T, path string, want []string) {
	t.Helper()
	kafkatest.Eventually(t, 20*time.Second, func() error {
		b, _ := os.ReadFile(path)
		got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if len(b) == 0 {
			got = nil
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s has %d lines, want %d (last: %q)", filepath.Base(path), len(got), len(want), tail(got))
		}
		return nil
	})
}

func tail(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// TestFailedTaskLeavesOthersRunning: a task that fails is FAILED with its error; the process and the other
// connectors carry on.
func TestFailedTaskLeavesOthersRunning(t *testing.T) {
	h := newHarness(t, nil, failingSinkPlugin(2))
	in, out := h.path("in.txt"), h.path("out.txt")
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t"})
	h.create("bad", map[string]string{"connector.class": "test.FailingSinkConnector", "topics": "t"})
	h.create("good", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "t"})
	appendFile(t, in, "a\nb\nc\nd\n")
	st := h.waitState("bad", runner.Failed)
	if !strings.Contains(st.Tasks[0].Trace, "disk on fire after 2 records") {
		t.Fatalf("trace %q does not say why the task failed", st.Tasks[0].Trace)
	}
	if st.Connector.State != runner.Running {
		t.Fatalf("connector state %s, want RUNNING (only its task failed)", st.Connector.State)
	}
	waitLines(t, out, []string{"a", "b", "c", "d"})
	appendFile(t, in, "e\n")
	waitLines(t, out, []string{"a", "b", "c", "d", "e"})
	h.waitState("good", runner.Running)
	h.waitState("src", runner.Running)
}

// TestPauseStopsDeliveryResumeRestarts: pausing a source stops records reaching the topic; resuming
// delivers what was written meanwhile; stopping removes the tasks.
func TestPauseStopsDeliveryResumeRestarts(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("in.txt")
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t"})
	appendFile(t, in, "one\n")
	if got := h.broker.Read("t", 1, 20*time.Second); len(got) != 1 {
		t.Fatalf("got %d records before pausing", len(got))
	}
	if err := h.herder.Pause("src"); err != nil {
		t.Fatal(err)
	}
	h.waitState("src", runner.Paused)
	appendFile(t, in, "two\n")
	if got := h.broker.Read("t", 2, 1500*time.Millisecond); len(got) != 1 {
		t.Fatalf("%d records on the topic while paused, want 1", len(got))
	}
	if err := h.herder.Resume("src"); err != nil {
		t.Fatal(err)
	}
	h.waitState("src", runner.Running)
	if got := kafkatest.Values(h.broker.Read("t", 2, 20*time.Second)); !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("after resume the topic holds %q", got)
	}
	if err := h.herder.Stop("src"); err != nil {
		t.Fatal(err)
	}
	st, err := h.herder.Status("src")
	if err != nil {
		t.Fatal(err)
	}
	if st.Connector.State != runner.Stopped || len(st.Tasks) != 0 {
		t.Fatalf("after stop: %+v, want STOPPED with no tasks", st)
	}
	appendFile(t, in, "three\n")
	if err := h.herder.Resume("src"); err != nil {
		t.Fatal(err)
	}
	if got := kafkatest.Values(h.broker.Read("t", 3, 20*time.Second)); !slices.Equal(got, []string{"one", "two", "three"}) {
		t.Fatalf("after resuming from STOPPED the topic holds %q", got)
	}
}

// TestBrokerRestartLosesNothing: a broker that goes away mid-stream and comes back; tasks wait and every
// line arrives (at least once).
func TestBrokerRestartLosesNothing(t *testing.T) {
	h := newHarness(t, nil)
	h.broker.Close()
	h.broker = kafkatest.Start(t, kafkatest.Options{DataDir: t.TempDir()})
	h.restart()
	in, out := h.path("in.txt"), h.path("out.txt")
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t"})
	h.create("snk", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "t"})
	var want []string
	for i := range 300 {
		want = append(want, fmt.Sprintf("record %03d", i))
	}
	appendFile(t, in, strings.Join(want[:100], "\n")+"\n")
	waitLines(t, out, want[:100])

	h.broker.Close()
	appendFile(t, in, strings.Join(want[100:200], "\n")+"\n")
	time.Sleep(2 * time.Second) // the tasks now retry against a broker that is gone
	h.broker.Restart()
	appendFile(t, in, strings.Join(want[200:], "\n")+"\n")

	kafkatest.Eventually(t, 60*time.Second, func() error {
		b, _ := os.ReadFile(out)
		seen := map[string]bool{}
		for _, l := range strings.Split(string(b), "\n") {
			seen[l] = true
		}
		for _, w := range want {
			if !seen[w] {
				return fmt.Errorf("%q missing from the sink file", w)
			}
		}
		return nil
	})
	for _, name := range []string{"src", "snk"} {
		h.waitState(name, runner.Running)
	}
}

// TestInitialStates: a connector created PAUSED has no tasks until resumed (as Apache's standalone herder);
// one created STOPPED has none either, and resuming either starts its tasks.
func TestInitialStates(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("in.txt")
	appendFile(t, in, "x\n")
	for _, target := range []runner.TargetState{runner.TargetPaused, runner.TargetStopped} {
		name := "src-" + strings.ToLower(string(target))
		topic := "t-" + name
		if _, err := h.herder.Create(name, map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": topic}, target); err != nil {
			t.Fatal(err)
		}
		st, err := h.herder.Status(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(st.Connector.State) != string(target) || len(st.Tasks) != 0 {
			t.Fatalf("%s: status %+v, want %s with no tasks", name, st, target)
		}
		if got := h.broker.Read(topic, 1, time.Second); len(got) != 0 {
			t.Fatalf("%s: %d records produced before resume", name, len(got))
		}
		if err := h.herder.Resume(name); err != nil {
			t.Fatal(err)
		}
		h.waitState(name, runner.Running)
		if got := kafkatest.Values(h.broker.Read(topic, 1, 20*time.Second)); !slices.Equal(got, []string{"x"}) {
			t.Fatalf("%s: after resume the topic holds %q", name, got)
		}
	}
}

// TestConfigProvidersResolveAtStart: ${provider:path:key} references are resolved when the task starts, and
// the stored configuration keeps the reference (as Apache's GET /connectors/{c}/config shows it).
func TestConfigProvidersResolveAtStart(t *testing.T) {
	dir := t.TempDir()
	secrets := filepath.Join(dir, "secrets.properties")
	if err := os.WriteFile(secrets, []byte("topic=from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CS_TEST_INPUT", filepath.Join(dir, "in.txt"))
	h := newHarness(t, map[string]string{
		"config.providers":            "env,file",
		"config.providers.env.class":  "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
		"config.providers.file.class": "FileConfigProvider",
	})
	appendFile(t, filepath.Join(dir, "in.txt"), "resolved\n")
	raw := map[string]string{"connector.class": "FileStreamSource", "file": "${env:CS_TEST_INPUT}", "topic": "${file:" + secrets + ":topic}"}
	h.create("src", raw)
	if got := kafkatest.Values(h.broker.Read("from-file", 1, 20*time.Second)); !slices.Equal(got, []string{"resolved"}) {
		t.Fatalf("topic from-file holds %q", got)
	}
	cfg, err := h.herder.Config("src")
	if err != nil {
		t.Fatal(err)
	}
	if cfg["file"] != "${env:CS_TEST_INPUT}" || cfg["topic"] != raw["topic"] {
		t.Fatalf("stored config %v keeps resolved values; want the references", cfg)
	}
}

// flushFailSink accepts records but cannot flush them.
type flushFailSink struct{ failingSink }

func (s *flushFailSink) NewTask() connectors.SinkTask { return &flushFailTask{} }

type flushFailTask struct{ failingSinkTask }

func (t *flushFailTask) Put([]connectors.Record) error { return nil }
func (t *flushFailTask) Flush(map[connectors.TopicPartition]int64) error {
	return fmt.Errorf("cannot make the records durable")
}

// TestSinkCommitsOnlyFlushedRecords: a sink whose flush fails commits nothing, so the records are delivered
// again to the connector's next incarnation (same group connect-<name>): nothing is lost.
func TestSinkCommitsOnlyFlushedRecords(t *testing.T) {
	plugin := connectors.Plugin{Class: "test.FlushFailSinkConnector", Type: connectors.SinkType, Version: "test",
		New: func() any { return &flushFailSink{} }}
	h := newHarness(t, nil, plugin)
	var recs []*kgo.Record
	for i := range 20 {
		recs = append(recs, &kgo.Record{Value: []byte(fmt.Sprint("r", i))})
	}
	h.broker.Produce("t", recs...)
	h.create("snk", map[string]string{"connector.class": "test.FlushFailSinkConnector", "topics": "t"})
	st := h.waitState("snk", runner.Failed)
	if !strings.Contains(st.Tasks[0].Trace, "cannot make the records durable") {
		t.Fatalf("trace %q", st.Tasks[0].Trace)
	}
	if err := h.herder.Delete("snk"); err != nil {
		t.Fatal(err)
	}
	out := h.path("out.txt")
	h.create("snk", map[string]string{"connector.class": "FileStreamSink", "topics": "t", "file": out})
	var want []string
	for i := range 20 {
		want = append(want, fmt.Sprint("r", i))
	}
	waitLines(t, out, want)
}

// TestTopicCreation: a source connector's topic.creation.* settings create its topics on first use, with
// the first matching group's partitions and configs, and the default group's otherwise.
func TestTopicCreation(t *testing.T) {
	recs := []connectors.Record{
		{Topic: "logs-app", Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "a"},
		{Topic: "metrics", Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "b"},
		{Topic: "logs-skip", Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "c"},
	}
	h := newHarness(t, nil, staticSourcePlugin("test.TopicsConnector", recs))
	h.create("src", map[string]string{"connector.class": "test.TopicsConnector",
		"topic.creation.default.partitions": "2", "topic.creation.default.replication.factor": "-1",
		"topic.creation.groups":                   "compacted",
		"topic.creation.compacted.include":        "logs-.*",
		"topic.creation.compacted.exclude":        "logs-skip",
		"topic.creation.compacted.partitions":     "3",
		"topic.creation.compacted.cleanup.policy": "compact",
	})
	for _, topic := range []string{"logs-app", "metrics", "logs-skip"} {
		if got := h.broker.Read(topic, 1, 20*time.Second); len(got) != 1 {
			t.Fatalf("%s: %d records", topic, len(got))
		}
	}
	for topic, want := range map[string]kafkatest.Topic{
		"logs-app":  {Partitions: 3, Configs: map[string]string{"cleanup.policy": "compact"}},
		"metrics":   {Partitions: 2, Configs: map[string]string{}},
		"logs-skip": {Partitions: 2, Configs: map[string]string{}},
	} {
		got, ok := h.broker.Describe(topic)
		if !ok || got.Partitions != want.Partitions || !maps.Equal(got.Configs, want.Configs) {
			t.Errorf("%s: %+v (exists %v), want %+v", topic, got, ok, want)
		}
	}
	// Invalid settings are reported when the connector is created.
	_, err := h.herder.Create("bad", map[string]string{"connector.class": "test.TopicsConnector", "topic.creation.default.partitions": "0"}, runner.TargetRunning)
	if err == nil || !strings.Contains(err.Error(), `Missing required configuration "topic.creation.default.replication.factor"`) ||
		!strings.Contains(err.Error(), "Invalid value 0 for configuration partitions") { // Apache names embedded keys so
		t.Fatalf("error %v; want the missing replication factor and the bad partitions named", err)
	}
}

// TestComponentsLogUnderApacheNames: the herder, the task workers and the task itself log under the names
// of the Apache classes doing the same work, which /admin/loggers sets levels by.
func TestComponentsLogUnderApacheNames(t *testing.T) {
	h := newHarness(t, nil)
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": h.path("not-there-yet.txt"), "topic": "t"})
	want := map[string]string{ // logger → a message it logs
		"org.apache.kafka.connect.runtime.standalone.StandaloneHerder": "connector started",
		"org.apache.kafka.connect.runtime.WorkerSourceTask":            "source task started",
		"org.apache.kafka.connect.file.FileStreamSourceTask":           "Couldn't find file",
	}
	kafkatest.Eventually(t, 10*time.Second, func() error {
		logs := h.logs.String()
		for logger, msg := range want {
			found := false
			for _, line := range strings.Split(logs, "\n") {
				if strings.Contains(line, `"logger":"`+logger+`"`) && strings.Contains(line, msg) {
					found = true
				}
			}
			if !found {
				return fmt.Errorf("no line %q from logger %s", msg, logger)
			}
		}
		return nil
	})
}

// TestGracefulStopMidStreamExactlyOnce: stopping while a large file is being read and sent, then starting
// again, delivers every line exactly once: the batch being sent is finished and its offset committed.
func TestGracefulStopMidStreamExactlyOnce(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("big.txt")
	const n = 300000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "line-%06d\n", i)
	}
	appendFile(t, in, b.String())
	cfg := map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "big"}
	h.create("src", cfg)
	kafkatest.Eventually(t, 30*time.Second, func() error {
		if len(h.broker.Read("big", 1, 100*time.Millisecond)) == 0 {
			return fmt.Errorf("no record yet")
		}
		return nil
	})
	h.restart() // graceful, while the task is still reading and sending
	if got := len(h.broker.Read("big", n, time.Second)); got >= n {
		t.Fatalf("all %d records were sent before the stop: the test did not stop mid-stream", got)
	}
	h.create("src", cfg)
	var got []string
	kafkatest.Eventually(t, 60*time.Second, func() error {
		got = kafkatest.Values(h.broker.Read("big", n+1, 2*time.Second))
		if len(got) < n {
			return fmt.Errorf("%d of %d records", len(got), n)
		}
		return nil
	})
	seen := map[string]int{}
	for _, v := range got {
		seen[v]++
	}
	for i := range n {
		if c := seen[fmt.Sprintf("line-%06d", i)]; c != 1 {
			t.Fatalf("line-%06d is on the topic %d times; %d records for %d lines", i, c, len(got), n)
		}
	}
}
