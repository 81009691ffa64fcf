package runner_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
)

// reconfigure applies the harness's worker configuration with changes (an empty value removes the key)
// through Herder.Reconfigure, as a reload of the worker file does, and returns what was restarted.
func (h *harness) reconfigure(changes map[string]string) ([]string, error) {
	h.t.Helper()
	worker := maps.Clone(h.worker)
	for k, v := range changes {
		if v == "" {
			delete(worker, k)
		} else {
			worker[k] = v
		}
	}
	bootstrap := strings.Split(worker["bootstrap.servers"], ",")
	props := kafka.WorkerAdminProps(worker)
	acfg, _, err := kafka.AdminConfig(props, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	version, err := kafka.NegotiateVersion(ctx, bootstrap, acfg)
	if err != nil {
		h.t.Fatal(err)
	}
	providers, err := config.NewProviders(worker)
	if err != nil {
		h.t.Fatal(err)
	}
	restarted, err := h.herder.Reconfigure(runner.Reconfig{Worker: worker, Providers: providers, Bootstrap: bootstrap,
		KafkaVersion: version, WorkerID: "127.0.0.1:8084", StateFile: h.stateFile})
	if err == nil {
		h.worker = worker
	}
	return restarted, err
}

func (h *harness) generations(names ...string) map[string]int {
	h.t.Helper()
	out := map[string]int{}
	for _, n := range names {
		g, err := h.herder.Generation(n)
		if err != nil {
			h.t.Fatal(err)
		}
		out[n] = g
	}
	return out
}

// TestReconfigureRestartsOnlyWhatChanged: a worker change restarts exactly the connectors whose tasks are
// built from what changed; settings that apply at once restart nothing.
func TestReconfigureRestartsOnlyWhatChanged(t *testing.T) {
	h := newHarness(t, nil)
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": h.path("in.txt"), "topic": "t"})
	h.create("sink", map[string]string{"connector.class": "FileStreamSink", "file": h.path("out.txt"), "topics": "t"})
	h.create("own-conv", map[string]string{"connector.class": "FileStreamSink", "topics": "t",
		"value.converter": "org.apache.kafka.connect.storage.StringConverter"})
	h.waitState("src", runner.Running)
	h.waitState("sink", runner.Running)
	all := []string{"own-conv", "sink", "src"}

	for _, c := range []struct {
		name    string
		changes map[string]string
		want    []string
	}{
		{"producer key", map[string]string{"producer.linger.ms": "7"}, []string{"src"}},
		{"consumer key", map[string]string{"consumer.max.poll.records": "100"}, []string{"own-conv", "sink"}},
		{"worker value converter", map[string]string{"value.converter": "org.apache.kafka.connect.converters.ByteArrayConverter"}, []string{"sink", "src"}},
		{"live settings", map[string]string{"task.shutdown.graceful.timeout.ms": "4000", "topic.tracking.allow.reset": "false", "plugin.path": "/opt"}, nil},
		{"flush interval", map[string]string{"offset.flush.interval.ms": "150"}, all},
	} {
		before := h.generations(all...)
		restarted, err := h.reconfigure(c.changes)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(restarted, c.want) {
			t.Fatalf("%s: restarted %q, want %q", c.name, restarted, c.want)
		}
		after := h.generations(all...)
		for _, n := range all {
			if grew := after[n] > before[n]; grew != slices.Contains(c.want, n) {
				t.Fatalf("%s: %s generation %d -> %d", c.name, n, before[n], after[n])
			}
		}
	}
	if h.herder.WorkerID() != "127.0.0.1:8084" {
		t.Fatalf("worker id %q, want the new one", h.herder.WorkerID())
	}
	if err := h.herder.ResetTopics("src"); runner.KindOf(err) != runner.KindForbidden {
		t.Fatalf("reset with topic.tracking.allow.reset=false: %v", err)
	}
}

// TestReconfigureToAnotherBroker: bootstrap.servers naming another cluster restarts the connectors there;
// records then go to the new broker, and none is lost or repeated.
func TestReconfigureToAnotherBroker(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("in.txt")
	appendFile(t, in, "one\ntwo\n")
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t"})
	if got := kafkatest.Values(h.broker.Read("t", 2, 20*time.Second)); !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("first broker holds %q", got)
	}
	second := kafkatest.Start(t, kafkatest.Options{})
	restarted, err := h.reconfigure(map[string]string{"bootstrap.servers": second.Addr()})
	if err != nil || !slices.Equal(restarted, []string{"src"}) {
		t.Fatalf("restarted %q, err %v", restarted, err)
	}
	appendFile(t, in, "three\n")
	if got := kafkatest.Values(second.Read("t", 1, 20*time.Second)); !slices.Equal(got, []string{"three"}) {
		t.Fatalf("second broker holds %q, want only the line written after the change", got)
	}
	if got := kafkatest.Values(second.Read("t", 2, time.Second)); !slices.Equal(got, []string{"three"}) {
		t.Fatalf("second broker holds %q, want only the line written after the change, once", got)
	}
	if got := kafkatest.Values(h.broker.Read("t", 3, time.Second)); len(got) != 2 {
		t.Fatalf("first broker holds %q after the change", got)
	}
}

// TestReconfigureMovesOffsets: a new offset.storage.file.filename takes the offsets along when it holds
// none, so the sources carry on without reading again; the old file is left as it was.
func TestReconfigureMovesOffsets(t *testing.T) {
	h := newHarness(t, nil)
	in := h.path("in.txt")
	appendFile(t, in, "a\nb\n")
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t"})
	h.create("sink", map[string]string{"connector.class": "FileStreamSink", "topics": "t", "file": h.path("out.txt")})
	h.broker.Read("t", 2, 20*time.Second)
	moved := h.path("moved.offsets")
	before := h.generations("sink")
	restarted, err := h.reconfigure(map[string]string{"offset.storage.file.filename": moved})
	if err != nil || !slices.Equal(restarted, []string{"src"}) {
		t.Fatalf("restarted %q, err %v; want the source only", restarted, err)
	}
	if h.generations("sink")["sink"] != before["sink"] {
		t.Fatal("a sink was restarted for the offsets file")
	}
	b, err := os.ReadFile(moved)
	if err != nil || !strings.Contains(string(b), `"position":4`) {
		t.Fatalf("new offsets file: %s (%v); want src's position", b, err)
	}
	appendFile(t, in, "c\n")
	kafkatest.Eventually(t, 20*time.Second, func() error {
		if got := kafkatest.Values(h.broker.Read("t", 4, 2*time.Second)); !slices.Equal(got, []string{"a", "b", "c"}) {
			return fmt.Errorf("topic holds %q", got)
		}
		if b, _ := os.ReadFile(moved); !strings.Contains(string(b), `"position":6`) {
			return fmt.Errorf("new offsets file %s", b)
		}
		return nil
	})
	if b, _ := os.ReadFile(h.path("connect.offsets")); !strings.Contains(string(b), `"position":4`) {
		t.Fatalf("old offsets file changed after the move: %s", b)
	}
}

// TestReconfigureRefusesBreakingChange: a worker change under which a running connector's configuration
// would no longer be valid changes nothing: with topic.creation.enable turned on, a source's topic.creation.*
// keys are checked, and an invalid one is refused.
func TestReconfigureRefusesBreakingChange(t *testing.T) {
	h := newHarness(t, map[string]string{"topic.creation.enable": "false"})
	h.create("src", map[string]string{"connector.class": "FileStreamSource", "file": h.path("in.txt"), "topic": "t",
		"topic.creation.default.partitions": "0", "topic.creation.default.replication.factor": "1"})
	h.waitState("src", runner.Running)
	before := h.generations("src")
	_, err := h.reconfigure(map[string]string{"topic.creation.enable": "true", "producer.linger.ms": "5"})
	if runner.KindOf(err) != runner.KindInvalid || !strings.Contains(err.Error(), "connector src:") ||
		!strings.Contains(err.Error(), "Invalid value 0 for configuration partitions") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("err %v, want the broken connector and key named", err)
	}
	if h.generations("src")["src"] != before["src"] {
		t.Fatal("a refused change restarted the connector")
	}
	// The old configuration is still in effect: a change that leaves topic creation off applies.
	if restarted, err := h.reconfigure(map[string]string{"producer.linger.ms": "5"}); err != nil || !slices.Equal(restarted, []string{"src"}) {
		t.Fatalf("restarted %q, err %v", restarted, err)
	}
}

// TestReconfigureMovesStateFile: connectors.state.file changing saves the REST-created connectors in the
// new file at once.
func TestReconfigureMovesStateFile(t *testing.T) {
	h := newHarness(t, nil)
	h.stateFile = h.path("first.json")
	h.restart()
	h.create("rest", map[string]string{"connector.class": "FileStreamSink", "topics": "t"})
	h.stateFile = h.path("second.json")
	if _, err := h.reconfigure(nil); err != nil {
		t.Fatal(err)
	}
	if saved := stateEntries(t, h.stateFile); saved["rest"] == nil {
		t.Fatalf("the new state file holds %v", saved)
	}
}

// TestApplyFileTakesOverRESTConnector: a connector file naming a connector created through the REST API
// makes it the file's: it is not restarted if nothing changes, and it leaves the state file.
func TestApplyFileTakesOverRESTConnector(t *testing.T) {
	h := newHarness(t, nil)
	h.stateFile = h.path("state.json")
	h.restart()
	cfg := map[string]string{"connector.class": "FileStreamSink", "topics": "t"}
	h.create("c", cfg)
	h.waitState("c", runner.Running)
	before := h.generations("c")
	change, err := h.herder.ApplyFile("/etc/c.properties", &runner.FileConnector{Name: "c", Config: cfg, Target: runner.TargetRunning})
	if err != nil || change.Changed() {
		t.Fatalf("change %+v, err %v; want nothing to do", change, err)
	}
	if h.generations("c")["c"] != before["c"] {
		t.Fatal("taking over an identical connector restarted it")
	}
	if saved := stateEntries(t, h.stateFile); saved["c"] != nil {
		t.Fatalf("the file-owned connector is still in the state file: %v", saved)
	}
	// Another file cannot take it.
	_, err = h.herder.ApplyFile("/etc/other.properties", &runner.FileConnector{Name: "c", Config: cfg, Target: runner.TargetRunning})
	if runner.KindOf(err) != runner.KindExists || err.Error() != "Connector c already exists: the connector file /etc/c.properties defines it" {
		t.Fatalf("err %v", err)
	}
	// An invalid version changes nothing, and names the key.
	bad := map[string]string{"connector.class": "FileStreamSink", "topics": "t", "tasks.max": "0"}
	_, err = h.herder.ApplyFile("/etc/c.properties", &runner.FileConnector{Name: "c", Config: bad, Target: runner.TargetRunning})
	var he *runner.Error
	if !errors.As(err, &he) || len(he.Problems) != 1 || he.Problems[0].Key != "tasks.max" {
		t.Fatalf("err %#v, want one problem on tasks.max", err)
	}
	if got, _ := h.herder.Config("c"); got["tasks.max"] != "" {
		t.Fatalf("config %v after an invalid version", got)
	}
	// The file gone: the connector is deleted.
	change, err = h.herder.ApplyFile("/etc/c.properties", nil)
	if err != nil || change.Removed != "c" || len(h.herder.Connectors()) != 0 {
		t.Fatalf("change %+v, err %v, connectors %v", change, err, h.herder.Connectors())
	}
}
