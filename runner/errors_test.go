package runner_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

const byteArrayConverter = "org.apache.kafka.connect.converters.ByteArrayConverter"

// converterRejects are source records of which ByteArrayConverter rejects the second (as the fixtures'
// fail1: "Invalid schema type for ByteArrayConverter: STRING").
func converterRejects(topic string) []connectors.Record {
	return []connectors.Record{
		{Topic: topic, Partition: connectors.AnyPartition, ValueSchema: connectors.BytesSchema, Value: []byte("a")},
		{Topic: topic, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "oops"},
		{Topic: topic, Partition: connectors.AnyPartition, ValueSchema: connectors.BytesSchema, Value: []byte("c")},
	}
}

// TestSourceToleranceAll: under errors.tolerance=all a record the converter rejects is skipped, logged
// (with the record only under errors.log.include.messages) and its offset committed; the others are
// delivered.
func TestSourceToleranceAll(t *testing.T) {
	h := newHarness(t, nil,
		offsetSourcePlugin("test.AllConnector", converterRejects("all")),
		offsetSourcePlugin("test.QuietConnector", converterRejects("quiet")))
	for _, c := range []struct{ name, class, include string }{{"all", "test.AllConnector", "true"}, {"quiet", "test.QuietConnector", "false"}} {
		h.create(c.name, map[string]string{"connector.class": c.class, "value.converter": byteArrayConverter,
			"errors.tolerance": "all", "errors.log.enable": "true", "errors.log.include.messages": c.include,
			// The log shows the record as polled, not as transformed.
			"transforms": "h", "transforms.h.type": "InsertHeader", "transforms.h.header": "x", "transforms.h.value.literal": "1"})
	}
	for _, name := range []string{"all", "quiet"} {
		h.waitOffset(name, 2)
		if got := kafkatest.Values(h.broker.Read(name, 3, time.Second)); !slices.Equal(got, []string{"a", "c"}) {
			t.Fatalf("%s: topic holds %q, want the good records", name, got)
		}
		h.waitState(name, runner.Running)
	}
	const prefix = "Error encountered in task "
	want := map[string]string{
		"all": "Error encountered in task all-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.converters.ByteArrayConverter', " +
			"where source record is = SourceRecord{sourcePartition={p=x}, sourceOffset={n=1}} ConnectRecord{topic='all', kafkaPartition=null, key=null, " +
			"keySchema=null, value=oops, valueSchema=Schema{STRING}, timestamp=null, headers=ConnectHeaders(headers=)}.",
		"quiet": "Error encountered in task quiet-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.converters.ByteArrayConverter'.",
	}
	for name, w := range want {
		var got []logLine
		for _, l := range h.logLines("error", prefix) {
			if l.Connector == name {
				got = append(got, l)
			}
		}
		if len(got) != 1 || got[0].Message != w || got[0].Error != "Invalid schema type for ByteArrayConverter: STRING" {
			t.Errorf("%s: error log lines %+v, want one saying\n%s", name, got, w)
		}
	}
	for _, l := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(l, `"connector":"quiet"`) && strings.Contains(l, "oops") {
			t.Errorf("the record's content was logged without errors.log.include.messages: %s", l)
		}
	}
}

// TestSourceToleranceNone: the default tolerance fails the task at the first record a converter rejects,
// with Apache's ConnectException and the cause in the status trace. Records before it are delivered and
// committed; the rejected one is not.
func TestSourceToleranceNone(t *testing.T) {
	h := newHarness(t, nil, offsetSourcePlugin("test.NoneConnector", converterRejects("none")))
	h.create("none", map[string]string{"connector.class": "test.NoneConnector", "value.converter": byteArrayConverter})
	st := h.waitState("none", runner.Failed)
	want := "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n" +
		"\tin stage VALUE_CONVERTER, class org.apache.kafka.connect.converters.ByteArrayConverter\n" +
		"Caused by: org.apache.kafka.connect.errors.DataException: Invalid schema type for ByteArrayConverter: STRING\n"
	if st.Tasks[0].Trace != want {
		t.Fatalf("trace:\n%s\nwant:\n%s", st.Tasks[0].Trace, want)
	}
	h.waitOffset("none", 0)
	if got := kafkatest.Values(h.broker.Read("none", 2, time.Second)); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("topic holds %q, want the record before the failure", got)
	}
	// errors.log.enable is off: only the task failure is logged, not the error handler's line.
	if l := h.logLines("error", "Error encountered in task"); len(l) != 0 {
		t.Fatalf("error handler lines logged with errors.log.enable=false: %+v", l)
	}
}

// TestRetries: a retriable failure is retried within errors.retry.timeout and the record goes through once
// it succeeds; when the retries run out, tolerance none fails the task (KAFKA-18073) and tolerance all skips
// the record.
func TestRetries(t *testing.T) {
	records := func(topic string) []connectors.Record {
		var out []connectors.Record
		for _, v := range []string{"r0", "always", "r2"} {
			out = append(out, connectors.Record{Topic: topic, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: v})
		}
		return out
	}
	h := newHarness(t, nil, flakyPlugin(),
		offsetSourcePlugin("test.RecoverConnector", records("recover")[:1]),
		offsetSourcePlugin("test.ExhaustNoneConnector", records("exhaust-none")),
		offsetSourcePlugin("test.ExhaustAllConnector", records("exhaust-all")),
		offsetSourcePlugin("test.ForeverConnector", records("forever")))
	flaky := func(class string, cfg map[string]string) map[string]string {
		out := map[string]string{"connector.class": class, "transforms": "f", "transforms.f.type": flakyClass,
			"errors.retry.delay.max.ms": "20"}
		for k, v := range cfg {
			out[k] = v
		}
		return out
	}
	start := time.Now()
	h.create("recover", flaky("test.RecoverConnector", map[string]string{"transforms.f.failures": "3", "errors.retry.timeout": "10000"}))
	if got := kafkatest.Values(h.broker.Read("recover", 1, 20*time.Second)); !slices.Equal(got, []string{"r0"}) {
		t.Fatalf("recover: topic holds %q", got)
	}
	// Three retries: 300 ms exceeds the 20 ms cap, so each waits a random time below 20 ms.
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("three retries took %s", d)
	}
	h.waitState("recover", runner.Running)

	h.create("exhaust-none", flaky("test.ExhaustNoneConnector", map[string]string{"transforms.f.always": "always", "errors.retry.timeout": "200"}))
	st := h.waitState("exhaust-none", runner.Failed)
	for _, want := range []string{"Tolerance exceeded in error handler", "in stage TRANSFORMATION, class test.Flaky",
		"Caused by: org.apache.kafka.connect.errors.RetriableException\nCaused by: flaky failure"} {
		if !strings.Contains(st.Tasks[0].Trace, want) {
			t.Errorf("exhaust-none: trace %q does not say %q", st.Tasks[0].Trace, want)
		}
	}

	h.create("exhaust-all", flaky("test.ExhaustAllConnector", map[string]string{"transforms.f.always": "always", "errors.retry.timeout": "200",
		"errors.tolerance": "all"}))
	h.waitOffset("exhaust-all", 2)
	if got := kafkatest.Values(h.broker.Read("exhaust-all", 3, time.Second)); !slices.Equal(got, []string{"r0", "r2"}) {
		t.Fatalf("exhaust-all: topic holds %q", got)
	}
	h.waitState("exhaust-all", runner.Running)

	// Retrying without limit (-1) ends when the task is stopped; the task is not failed, and the record
	// is not committed.
	h.create("forever", flaky("test.ForeverConnector", map[string]string{"transforms.f.always": "always", "errors.retry.timeout": "-1"}))
	h.waitOffset("forever", 0)
	time.Sleep(200 * time.Millisecond)
	stopped := time.Now()
	if err := h.herder.Stop("forever"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(stopped); d > 3*time.Second {
		t.Fatalf("stopping a task that retries took %s", d)
	}
	if st, _ := h.herder.Status("forever"); st.Connector.State != runner.Stopped {
		t.Fatalf("status after stop: %+v", st)
	}
	if offs := h.store.Offsets("forever"); len(offs) != 1 || offs[0].Offset["n"] != int64(0) {
		t.Fatalf("stored offsets %v: the record being retried must not be committed", offs)
	}
}

// dlqRecord reads the only record of a dead letter queue topic.
func dlqRecord(t *testing.T, h *harness, topic string) kafkatest.Record {
	t.Helper()
	got := h.broker.Read(topic, 1, 20*time.Second)
	if len(got) != 1 {
		t.Fatalf("dead letter queue %s holds %d records", topic, len(got))
	}
	if more := h.broker.Read(topic, 2, 500*time.Millisecond); len(more) != 1 {
		t.Fatalf("dead letter queue %s holds %d records, want 1", topic, len(more))
	}
	return got[0]
}

// TestSinkDeadLetterQueue: under errors.tolerance=all a sink skips the records its converter rejects and
// the good ones reach the file; the rejected one goes to the dead letter queue as it was consumed (key,
// value, headers, timestamp), with Apache's context headers; the queue's topic is created with one
// partition. Its offset is committed: a restarted connector does not see it again.
func TestSinkDeadLetterQueue(t *testing.T) {
	h := newHarness(t, nil)
	good := func(s string) *kgo.Record {
		return &kgo.Record{Value: []byte(envelope(`{"type":"string","optional":false}`, `"`+s+`"`)), Timestamp: sampleTime}
	}
	bad := &kgo.Record{Key: []byte("kbad"), Value: []byte("not json"), Timestamp: time.UnixMilli(1600000000000),
		Headers: []kgo.RecordHeader{{Key: "h", Value: []byte("hv")}}}
	h.broker.Produce("in", good("g0"), bad, good("g2"))
	out := h.path("out.txt")
	cfg := map[string]string{"connector.class": "FileStreamSink", "topics": "in", "file": out, "value.converter": jsonConverter,
		"errors.tolerance": "all", "errors.log.enable": "true", "errors.log.include.messages": "true",
		"errors.deadletterqueue.topic.name": " dlq ", "errors.deadletterqueue.topic.replication.factor": "1",
		"errors.deadletterqueue.context.headers.enable": "true"}
	h.create("snk", cfg)
	waitLines(t, out, []string{"g0", "g2"})
	d := dlqRecord(t, h, "dlq")
	if string(d.Key) != "kbad" || string(d.Value) != "not json" || !d.Timestamp.Equal(time.UnixMilli(1600000000000)) {
		t.Errorf("dead letter record key %q value %q timestamp %v; want the consumed record", d.Key, d.Value, d.Timestamp)
	}
	headers := map[string]string{}
	var names []string
	for _, hd := range d.Headers {
		names = append(names, hd.Key)
		headers[hd.Key] = string(hd.Value)
	}
	wantNames := []string{"h", "__connect.errors.topic", "__connect.errors.partition", "__connect.errors.offset",
		"__connect.errors.connector.name", "__connect.errors.task.id", "__connect.errors.stage", "__connect.errors.class.name",
		"__connect.errors.exception.class.name", "__connect.errors.exception.message", "__connect.errors.exception.stacktrace"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("headers %q, want %q", names, wantNames)
	}
	const message = "Converting byte[] to Kafka Connect data failed due to serialization error: "
	for k, want := range map[string]string{
		"h": "hv", "__connect.errors.topic": "in", "__connect.errors.partition": "0", "__connect.errors.offset": "1",
		"__connect.errors.connector.name": "snk", "__connect.errors.task.id": "0", "__connect.errors.stage": "VALUE_CONVERTER",
		"__connect.errors.class.name":           "org.apache.kafka.connect.json.JsonConverter",
		"__connect.errors.exception.class.name": "org.apache.kafka.connect.errors.DataException",
		"__connect.errors.exception.message":    message,
	} {
		if headers[k] != want {
			t.Errorf("header %s = %q, want %q", k, headers[k], want)
		}
	}
	trace := headers["__connect.errors.exception.stacktrace"]
	if first, rest, _ := strings.Cut(trace, "\n"); first != "org.apache.kafka.connect.errors.DataException: "+message ||
		!strings.HasPrefix(rest, "Caused by: ") {
		t.Errorf("stacktrace header %q: want the DataException, then its cause", trace)
	}
	if got, ok := h.broker.Describe("dlq"); !ok || got.Partitions != 1 {
		t.Errorf("dead letter queue topic %+v (exists %v), want 1 partition", got, ok)
	}
	lines := h.logLines("error", "Error encountered in task snk-0")
	want := "Error encountered in task snk-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', " +
		"where consumed record is {topic='in', partition=0, offset=1, timestamp=1600000000000, timestampType=CreateTime}."
	if len(lines) != 1 || lines[0].Message != want || !strings.HasPrefix(lines[0].Error, message) {
		t.Errorf("log lines %+v, want one saying\n%s", lines, want)
	}
	h.waitState("snk", runner.Running)

	// The skipped record is handled: after a restart only new records are consumed.
	h.restart()
	h.broker.Produce("in", good("g3"))
	h.create("snk", cfg)
	waitLines(t, out, []string{"g0", "g2", "g3"})
	if got := h.broker.Read("dlq", 2, 500*time.Millisecond); len(got) != 1 {
		t.Fatalf("dead letter queue holds %d records after the restart, want 1", len(got))
	}
}

// TestSinkToleranceNone: the default tolerance fails a sink task at a record its converter rejects; the
// record still reaches the dead letter queue (reported before the task fails, as in Apache), without
// context headers unless enabled; the log line leaves the record out unless include.messages is set.
func TestSinkToleranceNone(t *testing.T) {
	h := newHarness(t, nil)
	h.broker.Produce("in", &kgo.Record{Value: []byte("plain text")})
	h.create("snk", map[string]string{"connector.class": "FileStreamSink", "topics": "in", "file": h.path("out.txt"),
		"value.converter": jsonConverter, "errors.log.enable": "true",
		"errors.deadletterqueue.topic.name": "dlq", "errors.deadletterqueue.topic.replication.factor": "1"})
	st := h.waitState("snk", runner.Failed)
	for _, want := range []string{"org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n",
		"\tin stage VALUE_CONVERTER, class org.apache.kafka.connect.json.JsonConverter\n",
		"Caused by: org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: \nCaused by: "} {
		if !strings.Contains(st.Tasks[0].Trace, want) {
			t.Errorf("trace %q does not say %q", st.Tasks[0].Trace, want)
		}
	}
	d := dlqRecord(t, h, "dlq")
	if string(d.Value) != "plain text" || !d.KeyNull || len(d.Headers) != 0 {
		t.Errorf("dead letter record %+v, want the consumed value with no headers", d)
	}
	lines := h.logLines("error", "Error encountered in task snk-0")
	if len(lines) != 1 || lines[0].Message != "Error encountered in task snk-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'." {
		t.Errorf("log lines %+v", lines)
	}
}

// TestDeadLetterQueueReplicationFactor: the default replication factor of 3 cannot be had from a single
// broker; the task fails saying which key to set.
func TestDeadLetterQueueReplicationFactor(t *testing.T) {
	h := newHarness(t, nil)
	h.create("snk", map[string]string{"connector.class": "FileStreamSink", "topics": "in", "file": h.path("out.txt"),
		"errors.tolerance": "all", "errors.deadletterqueue.topic.name": "dlq"})
	st := h.waitState("snk", runner.Failed)
	for _, want := range []string{"could not create the dead letter queue topic dlq with replication factor 3",
		"set errors.deadletterqueue.topic.replication.factor to at most the number of brokers"} {
		if !strings.Contains(st.Tasks[0].Trace, want) {
			t.Errorf("trace %q does not say %q", st.Tasks[0].Trace, want)
		}
	}
}

// TestSinkPutFailures: under tolerance all, a batch whose Put fails is put again one record at a time, so
// that only the failing record is skipped and sent to the dead letter queue (stage TASK_PUT, the task's
// class); every good record is written once, and no record reaches the task alone more than once. Under
// tolerance none, the task fails. A retriable Put failure is retried until it succeeds.
func TestSinkPutFailures(t *testing.T) {
	h := newHarness(t, nil, recordingSinkPlugin())
	var recs []*kgo.Record
	values := []string{"v0", "v1", "poison", "v3", "v4"}
	for _, v := range values {
		recs = append(recs, &kgo.Record{Value: []byte(v)})
	}
	h.broker.Produce("in", recs...)
	sink := func(name string, cfg map[string]string) {
		c := map[string]string{"connector.class": recordingSinkClass, "topics": "in", "file": h.path(name + ".txt")}
		for k, v := range cfg {
			c[k] = v
		}
		h.create(name, c)
	}
	sink("all", map[string]string{"fail.value": "poison", "errors.tolerance": "all",
		"errors.deadletterqueue.topic.name": "dlq-all", "errors.deadletterqueue.topic.replication.factor": "1",
		"errors.deadletterqueue.context.headers.enable": "true"})
	sink("none", map[string]string{"fail.value": "poison"})
	sink("retry", map[string]string{"retriable.puts": "2"})

	var want []string
	for i, v := range values {
		if v != "poison" {
			want = append(want, fmt.Sprintf("in/0@%d key=null value=%s schema=- headers=[]", i, v))
		}
	}
	waitLines(t, h.path("all.txt"), want)
	d := dlqRecord(t, h, "dlq-all")
	headers := map[string]string{}
	for _, hd := range d.Headers {
		headers[hd.Key] = string(hd.Value)
	}
	if string(d.Value) != "poison" || headers["__connect.errors.stage"] != "TASK_PUT" || headers["__connect.errors.offset"] != "2" ||
		headers["__connect.errors.class.name"] != "test.RecordingSinkTask" ||
		headers["__connect.errors.exception.class.name"] != "org.apache.kafka.connect.errors.ConnectException" ||
		headers["__connect.errors.exception.message"] != "poison pill" || headers["__connect.errors.exception.stacktrace"] != "poison pill\n" {
		t.Errorf("dead letter record %q with headers %v", d.Value, headers)
	}
	puts, err := os.ReadFile(h.path("all.txt.puts"))
	if err != nil {
		t.Fatal(err)
	}
	alone := map[string]int{}
	for _, p := range strings.Split(strings.TrimSpace(string(puts)), "\n") {
		if !strings.Contains(p, ",") {
			alone[p]++
		}
	}
	for v, n := range alone {
		if n > 1 {
			t.Errorf("%s was put alone %d times; puts:\n%s", v, n, puts)
		}
	}
	if alone["poison"] != 1 {
		t.Errorf("poison was put alone %d times, want once; puts:\n%s", alone["poison"], puts)
	}
	h.waitState("all", runner.Running)

	st := h.waitState("none", runner.Failed)
	for _, want := range []string{"Tolerance exceeded in error handler", "in stage TASK_PUT, class test.RecordingSinkTask", "Caused by: poison pill"} {
		if !strings.Contains(st.Tasks[0].Trace, want) {
			t.Errorf("none: trace %q does not say %q", st.Tasks[0].Trace, want)
		}
	}

	var all []string
	for i, v := range values {
		all = append(all, fmt.Sprintf("in/0@%d key=null value=%s schema=- headers=[]", i, v))
	}
	waitLines(t, h.path("retry.txt"), all)
	h.waitState("retry", runner.Running)
}

// TestSourceProduceFailures: a record Kafka refuses (here: a partition the topic does not have) is skipped
// under errors.tolerance=all, reported in stage KAFKA_PRODUCE, and its offset committed; under none the
// task fails.
func TestSourceProduceFailures(t *testing.T) {
	records := func(topic string) []connectors.Record {
		return []connectors.Record{
			{Topic: topic, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "a"},
			{Topic: topic, Partition: 7, ValueSchema: connectors.StringSchema, Value: "nowhere"},
			{Topic: topic, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema, Value: "c"},
		}
	}
	h := newHarness(t, nil, offsetSourcePlugin("test.ProduceAllConnector", records("produce-all")),
		offsetSourcePlugin("test.ProduceNoneConnector", records("produce-none")))
	h.create("produce-all", map[string]string{"connector.class": "test.ProduceAllConnector", "errors.tolerance": "all",
		"errors.log.enable": "true", "errors.log.include.messages": "true"})
	h.waitOffset("produce-all", 2)
	if got := kafkatest.Values(h.broker.Read("produce-all", 3, time.Second)); !slices.Equal(got, []string{"a", "c"}) {
		t.Fatalf("topic holds %q", got)
	}
	want := "Error encountered in task produce-all-0. Executing stage 'KAFKA_PRODUCE' with class 'org.apache.kafka.connect.runtime.WorkerSourceTask', " +
		"where source record is = SourceRecord{sourcePartition={p=x}, sourceOffset={n=1}} ConnectRecord{topic='produce-all', kafkaPartition=7, key=null, " +
		"keySchema=null, value=nowhere, valueSchema=Schema{STRING}, timestamp=null, headers=ConnectHeaders(headers=)}."
	if lines := h.logLines("error", "Error encountered in task produce-all-0"); len(lines) != 1 || lines[0].Message != want {
		t.Errorf("log lines %+v, want one saying\n%s", lines, want)
	}
	h.waitState("produce-all", runner.Running)

	h.create("produce-none", map[string]string{"connector.class": "test.ProduceNoneConnector"})
	st := h.waitState("produce-none", runner.Failed)
	if !strings.Contains(st.Tasks[0].Trace, "producing a record to topic produce-none") {
		t.Fatalf("trace %q", st.Tasks[0].Trace)
	}
}

// TestDeadLetterQueueFailureFailsTask: a record the dead letter queue cannot take (here: larger than its
// producer's max.request.size) fails the task, and no offset is committed past it: it is not lost.
func TestDeadLetterQueueFailureFailsTask(t *testing.T) {
	h := newHarness(t, nil)
	h.broker.Produce("in", &kgo.Record{Value: []byte(strings.Repeat("x", 200))})
	cfg := map[string]string{"connector.class": "FileStreamSink", "topics": "in", "file": h.path("out.txt"),
		"value.converter": jsonConverter, "errors.tolerance": "all",
		"errors.deadletterqueue.topic.name": "dlq", "errors.deadletterqueue.topic.replication.factor": "1",
		"producer.override.max.request.size": "100"}
	h.create("snk", cfg)
	st := h.waitState("snk", runner.Failed)
	if !strings.Contains(st.Tasks[0].Trace, "could not produce a record to the dead letter queue topic dlq") {
		t.Fatalf("trace %q", st.Tasks[0].Trace)
	}
	// The record was not committed: without the size limit, it reaches the dead letter queue.
	if err := h.herder.Delete("snk"); err != nil {
		t.Fatal(err)
	}
	delete(cfg, "producer.override.max.request.size")
	h.create("snk", cfg)
	if d := dlqRecord(t, h, "dlq"); string(d.Value) != strings.Repeat("x", 200) {
		t.Fatalf("dead letter record %q", d.Value)
	}
}
