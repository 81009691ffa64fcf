package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/runner"
)

// offsetsBody renders offsets as GET /connectors/{c}/offsets does.
func offsetsBody(offs []connectors.PartitionOffset) any {
	type entry struct {
		Partition map[string]any `json:"partition"`
		Offset    map[string]any `json:"offset"`
	}
	out := struct {
		Offsets []entry `json:"offsets"`
	}{Offsets: []entry{}}
	for _, o := range offs {
		out.Offsets = append(out.Offsets, entry{o.Partition, o.Offset})
	}
	return out
}

// waitOffsets waits until a connector's offsets, rendered as the REST API renders them, are want.
func waitOffsets(t *testing.T, h *harness, name string, want []byte) {
	t.Helper()
	var w any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	kafkatest.Eventually(t, 20*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		offs, err := h.herder.Offsets(ctx, name)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(offsetsBody(offs))
		var g any
		_ = json.Unmarshal(b, &g)
		if !reflect.DeepEqual(g, w) {
			return fmt.Errorf("offsets of %s:\n got %s\nwant %s", name, b, want)
		}
		return nil
	})
}

// storedOffset reads a partition's offset from the offsets file itself, as a restarted worker would.
func storedOffset(t *testing.T, h *harness, conn string, partition map[string]any) map[string]any {
	t.Helper()
	s, err := offsets.Open(h.worker["offset.storage.file.filename"], zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	off, err := s.Get(conn, partition)
	if err != nil {
		t.Fatal(err)
	}
	return off
}

// TestSourceOffsets replays Apache's offsets session on a FileStreamSource (fixtures 077–105): the same
// answers and error texts, the offsets file changed before the call returns, and the task reading from the
// altered position after a resume and from the start after a reset.
func TestSourceOffsets(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("src1.txt")
	appendFile(t, in, "alpha\nbeta\ngamma\n") // the fixtures' file: 17 bytes
	h.create("src1", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "ap-src1"})
	if got := kafkatest.Values(h.broker.Read("ap-src1", 3, 20*time.Second)); !slices.Equal(got, []string{"alpha", "beta", "gamma"}) {
		t.Fatalf("ap-src1 holds %q", got)
	}
	ours := func(b []byte) []byte { // the fixtures' file name replaced by ours
		return []byte(strings.ReplaceAll(string(b), "/data/ap3/data/src1.txt", in))
	}
	waitOffsets(t, h, "src1", ours(loadExchange(t, "077-offsets-get-running.json").Body))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	patch := loadExchange(t, "093-offsets-patch-stopped.json")
	position6 := patch.requestOffsets(t)
	position6[0].Partition["filename"] = in
	_, err := h.herder.AlterOffsets(ctx, "src1", position6)
	wantErr(t, err, runner.KindInvalid, loadExchange(t, "078-offsets-patch-not-stopped.json").message(t))
	_, err = h.herder.ResetOffsets(ctx, "src1")
	wantErr(t, err, runner.KindInvalid, loadExchange(t, "079-offsets-delete-not-stopped.json").message(t))
	if err := h.herder.Pause("src1"); err != nil {
		t.Fatal(err)
	}
	_, err = h.herder.ResetOffsets(ctx, "src1") // paused is not stopped (fixture 081, there for src2)
	wantErr(t, err, runner.KindInvalid, strings.ReplaceAll(loadExchange(t, "081-offsets-delete-paused-not-stopped.json").message(t), "src2", "src1"))
	if err := h.herder.Stop("src1"); err != nil {
		t.Fatal(err)
	}
	waitOffsets(t, h, "src1", ours(loadExchange(t, "092-offsets-get-stopped.json").Body))

	for _, fx := range []struct {
		file string
		kind runner.ErrorKind
	}{
		{"095-offsets-patch-empty-list.json", runner.KindInvalid},
		{"096-offsets-patch-no-offsets-key.json", runner.KindInvalid},
		{"097-offsets-patch-missing-position.json", runner.KindInvalid},
		{"098-offsets-patch-nested-value.json", runner.KindInvalid},
		{"099-offsets-patch-string-position.json", runner.KindInvalid},
		{"100-offsets-patch-null-partition.json", runner.KindInvalid},
	} {
		ex := loadExchange(t, fx.file)
		_, err := h.herder.AlterOffsets(ctx, "src1", ex.requestOffsets(t))
		wantErr(t, err, fx.kind, ex.message(t))
	}
	if got := storedOffset(t, h, "src1", map[string]any{"filename": in}); !reflect.DeepEqual(got, map[string]any{"position": int64(17)}) {
		t.Fatalf("rejected requests changed the stored offset to %v", got)
	}

	msg, err := h.herder.AlterOffsets(ctx, "src1", position6)
	if err != nil || msg != patch.message(t) {
		t.Fatalf("AlterOffsets = %q, %v; want %q", msg, err, patch.message(t))
	}
	// Durable when the call returns.
	if got := storedOffset(t, h, "src1", map[string]any{"filename": in}); !reflect.DeepEqual(got, map[string]any{"position": int64(6)}) {
		t.Fatalf("offsets file holds %v after the patch, want position 6", got)
	}
	waitOffsets(t, h, "src1", ours(loadExchange(t, "094-offsets-get-after-patch.json").Body))
	tomb := loadExchange(t, "101-offsets-patch-null-offset-tombstone.json")
	if msg, err := h.herder.AlterOffsets(ctx, "src1", tomb.requestOffsets(t)); err != nil || msg != tomb.message(t) {
		t.Fatalf("tombstone for another file: %q, %v", msg, err)
	}
	waitOffsets(t, h, "src1", ours(loadExchange(t, "102-offsets-get-after-tombstone-patch.json").Body))

	// Resumed, the task reads again from byte 6.
	if err := h.herder.Resume("src1"); err != nil {
		t.Fatal(err)
	}
	if got := kafkatest.Values(h.broker.Read("ap-src1", 5, 20*time.Second)); !slices.Equal(got, []string{"alpha", "beta", "gamma", "beta", "gamma"}) {
		t.Fatalf("after the patch and a resume ap-src1 holds %q", got)
	}
	waitOffsets(t, h, "src1", ours(loadExchange(t, "092-offsets-get-stopped.json").Body))

	if err := h.herder.Stop("src1"); err != nil {
		t.Fatal(err)
	}
	reset := loadExchange(t, "103-offsets-delete-stopped.json")
	if msg, err := h.herder.ResetOffsets(ctx, "src1"); err != nil || msg != reset.message(t) {
		t.Fatalf("ResetOffsets = %q, %v; want %q", msg, err, reset.message(t))
	}
	if got := storedOffset(t, h, "src1", map[string]any{"filename": in}); got != nil {
		t.Fatalf("offsets file still holds %v after the reset", got)
	}
	waitOffsets(t, h, "src1", loadExchange(t, "104-offsets-get-after-delete.json").Body)
	again := loadExchange(t, "105-offsets-delete-again-nothing-stored.json")
	if msg, err := h.herder.ResetOffsets(ctx, "src1"); err != nil || msg != again.message(t) {
		t.Fatalf("second ResetOffsets = %q, %v", msg, err)
	}
	// Resumed after the reset, the task reads the file from the start.
	if err := h.herder.Resume("src1"); err != nil {
		t.Fatal(err)
	}
	want := []string{"alpha", "beta", "gamma", "beta", "gamma", "alpha", "beta", "gamma"}
	if got := kafkatest.Values(h.broker.Read("ap-src1", 8, 20*time.Second)); !slices.Equal(got, want) {
		t.Fatalf("after the reset and a resume ap-src1 holds %q", got)
	}

	_, err = h.herder.Offsets(ctx, "nosuch")
	wantErr(t, err, runner.KindNotFound, loadExchange(t, "166-unknown-connector-offsets.json").message(t))
	_, err = h.herder.AlterOffsets(ctx, "nosuch", position6)
	wantErr(t, err, runner.KindNotFound, loadExchange(t, "167-unknown-connector-offsets-patch.json").message(t))
	_, err = h.herder.ResetOffsets(ctx, "nosuch")
	wantErr(t, err, runner.KindNotFound, loadExchange(t, "168-unknown-connector-offsets-delete.json").message(t))
}

// TestSourceOffsetsWithoutHook: a source connector without an offsets hook gets Apache's default answer, and
// the framework still checks that offsets hold primitive values only.
func TestSourceOffsetsWithoutHook(t *testing.T) {
	h := newHarness(t, nil, staticSourcePlugin("test.PlainSourceConnector", nil))
	if _, err := h.herder.Create("plain", map[string]string{"connector.class": "test.PlainSourceConnector"}, runner.TargetStopped); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	msg, err := h.herder.AlterOffsets(ctx, "plain", []connectors.PartitionOffset{
		{Partition: map[string]any{"shard": json.Number("3")}, Offset: map[string]any{"seq": json.Number("42"), "id": "x"}}})
	want := "The Connect framework-managed offsets for this connector have been altered successfully. However, if this " +
		"connector manages offsets externally, they will need to be manually altered in the system that the connector uses."
	if err != nil || msg != want {
		t.Fatalf("AlterOffsets = %q, %v; want %q", msg, err, want)
	}
	if got := storedOffset(t, h, "plain", map[string]any{"shard": 3}); !reflect.DeepEqual(got, map[string]any{"seq": int64(42), "id": "x"}) {
		t.Fatalf("stored %v", got)
	}
	_, err = h.herder.AlterOffsets(ctx, "plain", []connectors.PartitionOffset{
		{Partition: map[string]any{"a": []any{1}}, Offset: map[string]any{"seq": 1}}})
	wantErr(t, err, runner.KindInvalid, "Offsets may only contain primitive types as values, but field a contains ARRAY")
	msg, err = h.herder.ResetOffsets(ctx, "plain")
	if err != nil || !strings.Contains(msg, "framework-managed offsets for this connector have been reset successfully") ||
		!strings.HasSuffix(msg, "manually reset in the system that the connector uses.") {
		t.Fatalf("ResetOffsets = %q, %v", msg, err)
	}
	if got := storedOffset(t, h, "plain", map[string]any{"shard": 3}); got != nil {
		t.Fatalf("after the reset the file holds %v", got)
	}
}

// TestSinkOffsets replays Apache's sink offsets session (fixtures 125–133): offsets read from and written
// to the consumer group connect-<name>, Apache's texts for bad requests, and the task consuming again from
// the altered offset after a resume, and from the start after a reset.
func TestSinkOffsets(t *testing.T) {
	h := newHarness(t, nil)
	var recs []*kgo.Record
	var lines []string
	for i := range 6 { // fixture 125: 6 records consumed
		lines = append(lines, fmt.Sprint("r", i))
		recs = append(recs, &kgo.Record{Value: []byte(lines[i])})
	}
	h.broker.Produce("ap-src1", recs...)
	out := h.path("sink1.txt")
	h.create("sink1", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "ap-src1"})
	waitLines(t, out, lines)
	waitOffsets(t, h, "sink1", loadExchange(t, "125-offsets-get-sink-running.json").Body)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	patch := loadExchange(t, "128-offsets-patch-sink.json")
	_, err := h.herder.AlterOffsets(ctx, "sink1", patch.requestOffsets(t))
	wantErr(t, err, runner.KindInvalid, strings.ReplaceAll(loadExchange(t, "078-offsets-patch-not-stopped.json").message(t), "src1", "sink1"))
	if err := h.herder.Stop("sink1"); err != nil {
		t.Fatal(err)
	}
	waitOffsets(t, h, "sink1", loadExchange(t, "127-offsets-get-sink-stopped.json").Body)

	for _, f := range []string{"130-offsets-patch-sink-bad-partition.json", "131-offsets-patch-sink-bad-offset.json", "132-offsets-patch-sink-non-int.json"} {
		ex := loadExchange(t, f)
		_, err := h.herder.AlterOffsets(ctx, "sink1", ex.requestOffsets(t))
		wantErr(t, err, runner.KindInvalid, ex.message(t))
	}
	for _, c := range []struct {
		offsets []connectors.PartitionOffset
		msg     string
	}{
		{[]connectors.PartitionOffset{{Offset: map[string]any{"kafka_offset": 1}}}, "The partition for a sink connector offset cannot be null or missing"},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"kafka_topic": nil, "kafka_partition": 0}}}, "Kafka topic names must be valid strings and may not be null"},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"kafka_topic": "t", "kafka_partition": nil}}}, "Kafka partitions must be valid numbers and may not be null"},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"kafka_topic": "t", "kafka_partition": json.Number("1.5")}}},
			"Failed to parse the following Kafka partition value in the provided offsets: '1.5'. Partition values for sink connectors need to be integers."},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"kafka_topic": "t", "kafka_partition": "0"}, Offset: map[string]any{"kafka_offset": "not a number"}}},
			"Failed to parse the following Kafka offset value in the provided offsets: 'not a number'. Offset values for sink connectors need to be integers."},
	} {
		_, err := h.herder.AlterOffsets(ctx, "sink1", c.offsets)
		wantErr(t, err, runner.KindInvalid, c.msg)
	}

	// FileStreamSink keeps no offsets of its own and says so, so Apache's short answer is given (fixture 128).
	altered := patch.message(t)
	resetMsg := loadExchange(t, "133-offsets-delete-sink.json").message(t)
	msg, err := h.herder.AlterOffsets(ctx, "sink1", patch.requestOffsets(t)) // kafka_offset 1
	if err != nil || msg != altered {
		t.Fatalf("AlterOffsets = %q, %v; want %q", msg, err, altered)
	}
	waitOffsets(t, h, "sink1", loadExchange(t, "129-offsets-get-sink-after-patch.json").Body)
	if err := h.herder.Resume("sink1"); err != nil {
		t.Fatal(err)
	}
	waitLines(t, out, append(slices.Clone(lines), lines[1:]...))

	waitOffsets(t, h, "sink1", loadExchange(t, "127-offsets-get-sink-stopped.json").Body)
	if err := h.herder.Stop("sink1"); err != nil {
		t.Fatal(err)
	}
	if msg, err := h.herder.ResetOffsets(ctx, "sink1"); err != nil || msg != resetMsg {
		t.Fatalf("ResetOffsets = %q, %v; want %q", msg, err, resetMsg)
	}
	// Apache against kfake answers 500 here (fixture 134); a group without offsets has none.
	waitOffsets(t, h, "sink1", []byte(`{"offsets":[]}`))
	if err := h.herder.Resume("sink1"); err != nil {
		t.Fatal(err)
	}
	waitLines(t, out, append(append(slices.Clone(lines), lines[1:]...), lines...))

	// A null offset resets one partition.
	if err := h.herder.Stop("sink1"); err != nil {
		t.Fatal(err)
	}
	waitOffsets(t, h, "sink1", loadExchange(t, "127-offsets-get-sink-stopped.json").Body)
	if _, err := h.herder.AlterOffsets(ctx, "sink1", []connectors.PartitionOffset{
		{Partition: map[string]any{"kafka_topic": "ap-src1", "kafka_partition": json.Number("0")}}}); err != nil {
		t.Fatal(err)
	}
	waitOffsets(t, h, "sink1", []byte(`{"offsets":[]}`))
}

// TestSinkOffsetsOfTrimmedGroup: a group.id override is trimmed as Java trims it, so the task commits to the
// group whose offsets the offsets API reads.
func TestSinkOffsetsOfTrimmedGroup(t *testing.T) {
	h := newHarness(t, nil)
	h.broker.Produce("trimmed-group", &kgo.Record{Value: []byte("a")}, &kgo.Record{Value: []byte("b")})
	out := h.path("sink.txt")
	h.create("sink", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "trimmed-group",
		"consumer.override.group.id": " g "})
	waitLines(t, out, []string{"a", "b"})
	waitOffsets(t, h, "sink", []byte(`{"offsets":[{"partition":{"kafka_topic":"trimmed-group","kafka_partition":0},"offset":{"kafka_offset":2}}]}`))
}
