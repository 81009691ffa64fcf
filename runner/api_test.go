package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

// wantErr fails unless err is a herder error of the given kind with exactly the given text.
func wantErr(t *testing.T, err error, kind runner.ErrorKind, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want kind %d %q", kind, msg)
	}
	if runner.KindOf(err) != kind || err.Error() != msg {
		t.Fatalf("error (kind %d):\n %q\nwant (kind %d):\n %q", runner.KindOf(err), err.Error(), kind, msg)
	}
}

// exchange is one recorded REST exchange of Apache 3.6 (fixtures/apache-3.6/rest).
type exchange struct {
	Path        string          `json:"path"`
	Status      int             `json:"status"`
	RequestBody json.RawMessage `json:"request_body"`
	Body        json.RawMessage `json:"body"`
}

func loadExchange(t *testing.T, file string) exchange {
	t.Helper()
	b, err := os.ReadFile(fixtures.Dir(t, "rest", file))
	if err != nil {
		t.Fatal(err)
	}
	var e exchange
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return e
}

// message is the text of an error or Message body.
func (e exchange) message(t *testing.T) string {
	t.Helper()
	var m struct{ Message string }
	if err := json.Unmarshal(e.Body, &m); err != nil || m.Message == "" {
		t.Fatalf("exchange %s has no message: %s", e.Path, e.Body)
	}
	return m.Message
}

// requestOffsets decodes an offsets request body as the REST layer does (numbers kept exact).
func (e exchange) requestOffsets(t *testing.T) []connectors.PartitionOffset {
	t.Helper()
	var body struct {
		Offsets []struct {
			Partition map[string]any `json:"partition"`
			Offset    map[string]any `json:"offset"`
		} `json:"offsets"`
	}
	dec := json.NewDecoder(bytes.NewReader(e.RequestBody))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatal(err)
	}
	var out []connectors.PartitionOffset
	for _, o := range body.Offsets {
		out = append(out, connectors.PartitionOffset{Partition: o.Partition, Offset: o.Offset})
	}
	return out
}

// sameJSON fails unless got, marshalled, is the JSON value want (key order aside).
func sameJSON(t *testing.T, what string, got any, want []byte) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, b, want)
	}
}

func ptr(s string) *string { return &s }

// TestPatchConfig: a patch adds, changes and removes keys and restarts the connector with the result; it may
// not change or remove the name; the merged configuration is validated like PUT's.
func TestPatchConfig(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("in.txt")
	appendFile(t, in, "one\n")
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t1", "batch.size": "5"})
	if got := kafkatest.Values(h.broker.Read("t1", 1, 20*time.Second)); !slices.Equal(got, []string{"one"}) {
		t.Fatalf("t1 holds %q", got)
	}

	info, err := h.herder.PatchConfig("src", map[string]*string{"topic": ptr("t2"), "batch.size": nil, "tasks.max": ptr("1")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t2", "tasks.max": "1", "name": "src"}
	if !reflect.DeepEqual(info.Config, want) || info.Name != "src" || info.Type != "source" || !slices.Equal(info.Tasks, []int{0}) {
		t.Fatalf("patched info %+v; want config %v and task 0", info, want)
	}
	if cfg, _ := h.herder.Config("src"); !reflect.DeepEqual(cfg, want) {
		t.Fatalf("stored config %v, want %v", cfg, want)
	}
	// The connector now runs with the patched configuration: new lines go to t2.
	appendFile(t, in, "two\n")
	if got := kafkatest.Values(h.broker.Read("t2", 1, 20*time.Second)); !slices.Equal(got, []string{"two"}) {
		t.Fatalf("t2 holds %q after the patch", got)
	}

	_, err = h.herder.PatchConfig("src", map[string]*string{"name": ptr("other")})
	wantErr(t, err, runner.KindInvalid, "Connector name configuration (other) doesn't match connector name in the URL (src)")
	_, err = h.herder.PatchConfig("src", map[string]*string{"name": nil})
	wantErr(t, err, runner.KindInvalid, "Connector name configuration cannot be removed from the configuration of connector src")
	if _, err := h.herder.PatchConfig("src", map[string]*string{"name": ptr("src")}); err != nil {
		t.Fatalf("a patch that keeps the name: %v", err)
	}
	_, err = h.herder.PatchConfig("src", map[string]*string{"topic": nil})
	wantErr(t, err, runner.KindInvalid, "Connector configuration is invalid and contains the following 1 error(s):\n"+
		"Missing required configuration \"topic\" which has no default value.\n"+
		"You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`")
	if cfg, _ := h.herder.Config("src"); !reflect.DeepEqual(cfg, want) {
		t.Fatalf("an invalid patch changed the config to %v", cfg)
	}
	_, err = h.herder.PatchConfig("nosuch", map[string]*string{"topic": ptr("x")})
	wantErr(t, err, runner.KindNotFound, "Connector nosuch not found")
}

// tickingSource is a source connector with tasks.max tasks; task i writes "<i>-<n>" to topic
// "<prefix><i>" every 20 ms.
type tickingSource struct{ prefix string }

func tickingSourcePlugin() connectors.Plugin {
	return connectors.Plugin{Class: "test.TickingSourceConnector", Type: connectors.SourceType, Version: "test",
		New: func() any { return &tickingSource{} }}
}

func (s *tickingSource) Version() string                   { return "test" }
func (s *tickingSource) Config() *config.Def               { return config.NewDef() }
func (s *tickingSource) Start(cfg map[string]string) error { s.prefix = cfg["prefix"]; return nil }
func (s *tickingSource) Stop() error                       { return nil }
func (s *tickingSource) TaskConfigs(max int) ([]map[string]string, error) {
	out := make([]map[string]string, max)
	for i := range out {
		out[i] = map[string]string{"id": fmt.Sprint(i), "prefix": s.prefix}
	}
	return out, nil
}
func (s *tickingSource) NewTask() connectors.SourceTask { return &tickingTask{} }

type tickingTask struct {
	topic, id string
	n         int
}

func (t *tickingTask) Start(_ connectors.TaskContext, cfg map[string]string) error {
	t.id, t.topic = cfg["id"], cfg["prefix"]+cfg["id"]
	return nil
}
func (t *tickingTask) Stop() error { return nil }
func (t *tickingTask) Poll(ctx context.Context) ([]connectors.Record, error) {
	select {
	case <-ctx.Done():
		return nil, nil
	case <-time.After(20 * time.Millisecond):
	}
	t.n++
	return []connectors.Record{{Topic: t.topic, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema,
		Value: fmt.Sprintf("%s-%d", t.id, t.n)}}, nil
}

// growing reports whether a topic gains records within d.
func growing(h *harness, topic string, d time.Duration) bool {
	before := len(h.broker.Read(topic, 1<<20, 300*time.Millisecond))
	time.Sleep(d)
	return len(h.broker.Read(topic, before+1, 2*time.Second)) > before
}

// taskStates returns the connector's state and its tasks' states.
func taskStates(t *testing.T, h *harness, name string) (runner.State, []runner.State) {
	t.Helper()
	st, err := h.herder.Status(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []runner.State
	for _, ts := range st.Tasks {
		out = append(out, ts.State)
	}
	return st.Connector.State, out
}

// waitTaskStates waits until a connector and its tasks report the given states.
func waitTaskStates(t *testing.T, h *harness, name string, conn runner.State, tasks ...runner.State) {
	t.Helper()
	kafkatest.Eventually(t, 15*time.Second, func() error {
		c, ts := taskStates(t, h, name)
		if c != conn || !slices.Equal(ts, tasks) {
			return fmt.Errorf("connector %s, tasks %v; want %s, %v", c, ts, conn, tasks)
		}
		return nil
	})
}

// TestTaskPauseResume: pausing one task stops its records while its sibling and the connector keep
// running; resuming it, or resuming the connector, lets it continue.
func TestTaskPauseResume(t *testing.T) {
	h := newHarness(t, nil, tickingSourcePlugin())
	h.create("tick", map[string]string{"connector.class": "test.TickingSourceConnector", "tasks.max": "2", "prefix": "tick-"})
	waitTaskStates(t, h, "tick", runner.Running, runner.Running, runner.Running)

	if err := h.herder.PauseTask("tick", 0); err != nil {
		t.Fatal(err)
	}
	waitTaskStates(t, h, "tick", runner.Running, runner.Paused, runner.Running)
	st, err := h.herder.TaskStatus("tick", 0)
	if err != nil || st.ID != 0 || st.State != runner.Paused || st.Version != "test" {
		t.Fatalf("TaskStatus(tick, 0) = %+v, %v; want task 0 PAUSED", st, err)
	}
	if growing(h, "tick-0", time.Second) {
		t.Fatal("the paused task still produces records")
	}
	if !growing(h, "tick-1", 500*time.Millisecond) {
		t.Fatal("the other task stopped producing records")
	}

	if err := h.herder.ResumeTask("tick", 0); err != nil {
		t.Fatal(err)
	}
	waitTaskStates(t, h, "tick", runner.Running, runner.Running, runner.Running)
	if !growing(h, "tick-0", 500*time.Millisecond) {
		t.Fatal("the resumed task produces no records")
	}

	// A connector-level resume overrides a task-level pause, even of a running connector.
	if err := h.herder.PauseTask("tick", 1); err != nil {
		t.Fatal(err)
	}
	waitTaskStates(t, h, "tick", runner.Running, runner.Running, runner.Paused)
	if err := h.herder.Resume("tick"); err != nil {
		t.Fatal(err)
	}
	waitTaskStates(t, h, "tick", runner.Running, runner.Running, runner.Running)

	// A task of a paused connector resumes with its connector only.
	if err := h.herder.Pause("tick"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, h.herder.ResumeTask("tick", 0), runner.KindInvalid, "Connector tick is paused; resume the connector to resume its tasks")

	wantErr(t, h.herder.PauseTask("tick", 2), runner.KindNotFound, "Task tick-2 not found")
	wantErr(t, h.herder.ResumeTask("nosuch", 0), runner.KindNotFound, "Connector nosuch not found")
	_, err = h.herder.TaskStatus("tick", 7) // as fixture 054
	wantErr(t, err, runner.KindNotFound, "No status found for task tick-7")
	_, err = h.herder.TaskStatus("nosuch", 0)
	wantErr(t, err, runner.KindNotFound, loadExchange(t, "165-unknown-connector-task-status.json").message(t))
	if err := h.herder.Stop("tick"); err != nil {
		t.Fatal(err)
	}
	_, err = h.herder.TaskStatus("tick", 0) // a stopped connector has no tasks (fixture 086)
	wantErr(t, err, runner.KindNotFound, "No status found for task tick-0")
}

// TestSinkTaskPause: a paused sink task consumes nothing; resumed, it writes what arrived meanwhile.
func TestSinkTaskPause(t *testing.T) {
	h := newHarness(t, nil)
	out := h.path("out.txt")
	h.broker.Produce("t", &kgo.Record{Value: []byte("a")})
	h.create("snk", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "t"})
	waitLines(t, out, []string{"a"})
	if err := h.herder.PauseTask("snk", 0); err != nil {
		t.Fatal(err)
	}
	waitTaskStates(t, h, "snk", runner.Running, runner.Paused)
	h.broker.Produce("t", &kgo.Record{Value: []byte("b")})
	time.Sleep(time.Second)
	if b, _ := os.ReadFile(out); string(b) != "a\n" {
		t.Fatalf("the paused sink task wrote %q", b)
	}
	if err := h.herder.ResumeTask("snk", 0); err != nil {
		t.Fatal(err)
	}
	waitLines(t, out, []string{"a", "b"})
	waitTaskStates(t, h, "snk", runner.Running, runner.Running)
}

// TestTopicTracking: the topics a source produced to and a sink consumed from are listed, survive a
// restart, are forgotten by a reset (and recorded again as they are used) and by a delete.
func TestTopicTracking(t *testing.T) {
	h := newHarness(t, nil)
	in, out := h.path("in.txt"), h.path("out.txt")
	appendFile(t, in, "x\n")
	h.create("src1", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "ap-src1"})
	h.create("sink1", map[string]string{"connector.class": "FileStreamSink", "file": out, "topics": "ap-src1"})
	waitLines(t, out, []string{"x"})
	topics := func(name string) []string {
		t.Helper()
		got, err := h.herder.Topics(name)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// Apache's answers: fixture 056 for the source, 124 for the sink.
	sameJSON(t, "source topics", map[string]any{"src1": map[string]any{"topics": topics("src1")}}, loadExchange(t, "056-topics.json").Body)
	sameJSON(t, "sink topics", map[string]any{"sink1": map[string]any{"topics": topics("sink1")}}, loadExchange(t, "124-topics-sink.json").Body)
	if got := topics("nosuch"); got == nil || len(got) != 0 {
		t.Fatalf("unknown connector: %#v, want an empty list (fixture 059)", got)
	}

	if _, err := h.herder.Restart("src1", true, false); err != nil {
		t.Fatal(err)
	}
	if got := topics("src1"); !slices.Equal(got, []string{"ap-src1"}) {
		t.Fatalf("after a restart: %q", got)
	}
	appendFile(t, in, "after-restart\n") // the restarted task now knows it uses ap-src1
	waitLines(t, out, []string{"x", "after-restart"})

	if err := h.herder.ResetTopics("src1"); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "after reset", map[string]any{"src1": map[string]any{"topics": topics("src1")}}, loadExchange(t, "058-topics-after-reset.json").Body)
	if err := h.herder.ResetTopics("nosuch"); err != nil { // fixture 175: not an error
		t.Fatal(err)
	}
	// The running task records the topic again with its next record.
	appendFile(t, in, "y\n")
	waitLines(t, out, []string{"x", "after-restart", "y"})
	kafkatest.Eventually(t, 5*time.Second, func() error {
		if got := topics("src1"); !slices.Equal(got, []string{"ap-src1"}) {
			return fmt.Errorf("after a reset and a new record: %q", got)
		}
		return nil
	})

	if err := h.herder.Delete("src1"); err != nil {
		t.Fatal(err)
	}
	if got := topics("src1"); len(got) != 0 {
		t.Fatalf("a deleted connector still has topics %q", got)
	}
}

// TestTopicTrackingSettings: topic.tracking.enable=false forbids both calls, topic.tracking.allow.reset=false
// the reset, with Apache's texts; nothing is recorded when tracking is off.
func TestTopicTrackingSettings(t *testing.T) {
	off := newHarness(t, map[string]string{"topic.tracking.enable": "false"})
	in := off.path("in.txt")
	appendFile(t, in, "x\n")
	off.create("src", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t"})
	off.broker.Read("t", 1, 20*time.Second)
	_, err := off.herder.Topics("src")
	wantErr(t, err, runner.KindForbidden, "Topic tracking is disabled.")
	wantErr(t, off.herder.ResetTopics("src"), runner.KindForbidden, "Topic tracking is disabled.")

	noReset := newHarness(t, map[string]string{"topic.tracking.allow.reset": "false"})
	if got, err := noReset.herder.Topics("src"); err != nil || len(got) != 0 {
		t.Fatalf("Topics = %q, %v", got, err)
	}
	wantErr(t, noReset.herder.ResetTopics("src"), runner.KindForbidden, "Topic tracking reset is disabled.")
}

// restartStates summarises a restart answer as "CONN/task0,task1" with a '+' after each state that keeps
// a trace.
func restartStates(st *runner.ConnectorStatus) string {
	s := string(st.Connector.State)
	if st.Connector.Trace != "" {
		s += "+"
	}
	var tasks []string
	for _, t := range st.Tasks {
		ts := string(t.State)
		if t.Trace != "" {
			ts += "+"
		}
		tasks = append(tasks, ts)
	}
	return s + "/" + strings.Join(tasks, ",")
}

// fixtureStates summarises a recorded status body like restartStates.
func fixtureStates(t *testing.T, file string) string {
	t.Helper()
	var body struct {
		Connector struct{ State, Trace string }
		Tasks     []struct{ State, Trace string }
	}
	if err := json.Unmarshal(loadExchange(t, file).Body, &body); err != nil {
		t.Fatal(err)
	}
	st := &runner.ConnectorStatus{Connector: runner.Status{State: runner.State(body.Connector.State), Trace: body.Connector.Trace}}
	for i, ts := range body.Tasks {
		st.Tasks = append(st.Tasks, runner.TaskStatus{ID: i, Status: runner.Status{State: runner.State(ts.State), Trace: ts.Trace}})
	}
	return restartStates(st)
}

// TestRestartVariants: each restart variant answers with the states Apache's does (fixtures 069–072,
// 114–116), restarted instances run again, and unknown connectors and tasks are not found (without the
// phantom task Apache leaves behind, fixtures 185–187).
func TestRestartVariants(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("src1.txt")
	appendFile(t, in, "alpha\nbeta\n")
	h.create("src1", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "ap-src1"})
	// As the fixtures' fail1: a string value through ByteArrayConverter fails the task.
	h.create("fail1", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "ap-fail1",
		"value.converter": "org.apache.kafka.connect.converters.ByteArrayConverter"})
	h.waitState("src1", runner.Running)
	h.waitState("fail1", runner.Failed)

	for _, c := range []struct {
		name                     string
		includeTasks, onlyFailed bool
		fixture                  string
	}{
		{"src1", true, false, "069-restart-includeTasks.json"},
		{"src1", false, true, "071-restart-onlyFailed-nothing-failed.json"},
		{"src1", true, true, "072-restart-includeTasks-onlyFailed-nothing-failed.json"},
		{"fail1", false, true, "114-restart-onlyFailed-task-failed.json"},
		{"fail1", true, true, "115-restart-includeTasks-onlyFailed-task-failed.json"},
		{"fail1", true, false, "116-restart-includeTasks-task-failed.json"},
	} {
		st, err := h.herder.Restart(c.name, c.includeTasks, c.onlyFailed)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := restartStates(st), fixtureStates(t, c.fixture); got != want {
			t.Errorf("%s: restart answer %s, want %s as Apache's", c.fixture, got, want)
		}
		if c.name == "src1" {
			h.waitState("src1", runner.Running)
		} else {
			h.waitState("fail1", runner.Failed) // the restarted task fails again (fixture 118)
		}
	}
	if got, want := restartStates(h.waitState("src1", runner.Running)), fixtureStates(t, "070-status-after-restart-includeTasks.json"); got != want {
		t.Errorf("status after restarts %s, want %s", got, want)
	}
	// The plain restart answers 204 in Apache; the snapshot still shows what it restarted.
	if st, err := h.herder.Restart("src1", false, false); err != nil || st.Connector.State != runner.Restarting || st.Tasks[0].State != runner.Running {
		t.Fatalf("plain restart: %+v, %v; want the connector RESTARTING and its task left RUNNING", st, err)
	}
	h.waitState("src1", runner.Running)

	_, err := h.herder.Restart("nosuch", false, false)
	wantErr(t, err, runner.KindNotFound, "Connector nosuch not found")
	_, err = h.herder.Restart("nosuch", true, false)
	wantErr(t, err, runner.KindNotFound, "Connector nosuch not found")
	wantErr(t, h.herder.RestartTask("nosuch", 0), runner.KindNotFound, "Connector nosuch not found")
	wantErr(t, h.herder.RestartTask("src1", 9), runner.KindNotFound, "Task src1-9 not found") // fixture 185
	if _, ts := taskStates(t, h, "src1"); len(ts) != 1 {
		t.Fatalf("after restarting an unknown task the connector has tasks %v; want only task 0", ts)
	}
	if err := h.herder.RestartTask("src1", 0); err != nil {
		t.Fatal(err)
	}
	h.waitState("src1", runner.Running)
	// Each line was read once: restarts commit and resume from the offsets.
	if got := kafkatest.Values(h.broker.Read("ap-src1", 3, 2*time.Second)); !slices.Equal(got, []string{"alpha", "beta"}) {
		t.Fatalf("ap-src1 holds %q", got)
	}
}

// blockingSource is a source connector whose Start blocks until release is closed.
type blockingSource struct {
	tickingSource
	release chan struct{}
}

func (s *blockingSource) Start(map[string]string) error { <-s.release; return nil }

// TestReadyAndHealthy: Ready follows SetReady; Healthy answers while the herder is idle and times out
// while an operation holds it.
func TestReadyAndHealthy(t *testing.T) {
	release := make(chan struct{})
	plugin := connectors.Plugin{Class: "test.BlockingSourceConnector", Type: connectors.SourceType, Version: "test",
		New: func() any { return &blockingSource{release: release} }}
	h := newHarness(t, nil, plugin)
	if h.herder.Ready() {
		t.Fatal("ready before SetReady")
	}
	h.herder.SetReady()
	if !h.herder.Ready() {
		t.Fatal("not ready after SetReady")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.herder.Healthy(ctx); err != nil {
		t.Fatalf("idle herder: %v", err)
	}

	created := make(chan error, 1)
	go func() {
		_, err := h.herder.Create("slow", map[string]string{"connector.class": "test.BlockingSourceConnector"}, runner.TargetRunning)
		created <- err
	}()
	kafkatest.Eventually(t, 5*time.Second, func() error { // the create holds the herder once the connector exists
		if _, err := h.herder.Status("slow"); err != nil {
			return err
		}
		return nil
	})
	short, cancelShort := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancelShort()
	if err := h.herder.Healthy(short); err == nil {
		t.Fatal("Healthy succeeded while an operation holds the herder")
	}
	close(release)
	if err := <-created; err != nil {
		t.Fatal(err)
	}
	if err := h.herder.Healthy(ctx); err != nil {
		t.Fatalf("after the operation: %v", err)
	}
}
