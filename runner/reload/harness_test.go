package reload_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/file"
	"github.com/connect-standalone/connect-standalone/converters"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/internal/syncbuf"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
	"github.com/connect-standalone/connect-standalone/runner/reload"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// harness runs a real herder against a real kfake broker, and a watcher on real files in a temporary
// directory: every change a test makes reaches the watcher through real fsnotify events.
type harness struct {
	t       *testing.T
	broker  *kafkatest.Broker
	dir     string
	herder  *runner.Herder
	store   *offsets.FileStore
	watcher *reload.Watcher
	logs    *syncbuf.Buffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, broker: kafkatest.Start(t, kafkatest.Options{}), dir: t.TempDir(), logs: &syncbuf.Buffer{}}
	worker := map[string]string{
		"bootstrap.servers":            h.broker.Addr(),
		"key.converter":                "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":              "org.apache.kafka.connect.storage.StringConverter",
		"offset.storage.file.filename": filepath.Join(t.TempDir(), "connect.offsets"),
		"offset.flush.interval.ms":     "100",
	}
	log := zerolog.New(zerolog.MultiLevelWriter(h.logs, zerolog.NewTestWriter(t))).Level(zerolog.DebugLevel)
	store, err := offsets.Open(worker["offset.storage.file.filename"], log)
	if err != nil {
		t.Fatal(err)
	}
	h.store = store
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, version, _, err := kafka.LookupCluster(ctx, worker, []string{h.broker.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	providers, err := config.NewProviders(worker)
	if err != nil {
		t.Fatal(err)
	}
	plugins := slices.Concat(file.Plugins(), converters.Plugins(), transforms.Plugins())
	h.herder, err = runner.New(runner.Config{Worker: worker, Providers: providers, Registry: connectors.NewRegistry(plugins...),
		Offsets: store, Bootstrap: []string{h.broker.Addr()}, KafkaVersion: version, WorkerID: "127.0.0.1:8083", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if h.watcher != nil {
			h.watcher.Stop() // the watcher stops before the herder
		}
		h.herder.Shutdown()
	})
	return h
}

func (h *harness) path(name string) string { return filepath.Join(h.dir, name) }

// watch starts the watcher on connector files (and a connectors directory), as the process does after
// creating their connectors at start-up.
func (h *harness) watch(dir string, files ...string) {
	h.t.Helper()
	var started []reload.Started
	for _, p := range files {
		f, hash, err := reload.ReadConnectorFile(p)
		if err != nil {
			h.t.Fatal(err)
		}
		target, _ := runner.ParseTargetState(f.InitialState)
		if _, err := h.herder.CreateOwned(p, f.Name, f.Config, target); err != nil {
			h.t.Fatal(err)
		}
		started = append(started, reload.Started{Path: p, Hash: hash, Connector: f.Name})
	}
	h.watcher = reload.Start(reload.Config{Herder: h.herder, ConnectorFiles: files, ConnectorsDir: dir, Started: started,
		Log: zerolog.New(zerolog.MultiLevelWriter(h.logs, zerolog.NewTestWriter(h.t)))})
}

// source writes a FileStreamSource connector file reading in.txt; extra lines are appended.
func (h *harness) source(file, name, topic string, extra ...string) string {
	h.t.Helper()
	text := "name=" + name + "\nconnector.class=FileStreamSource\nfile=" + h.path("in-"+name+".txt") + "\ntopic=" + topic + "\n"
	for _, e := range extra {
		text += e + "\n"
	}
	return write(h.t, h.path(file), text)
}

// config waits until a connector's configuration has key=value.
func (h *harness) waitConfig(name, key, value string) {
	h.t.Helper()
	kafkatest.Eventually(h.t, 15*time.Second, func() error {
		cfg, err := h.herder.Config(name)
		if err != nil {
			return err
		}
		if cfg[key] != value {
			return fmt.Errorf("%s=%q, want %q", key, cfg[key], value)
		}
		return nil
	})
}

// waitRunning waits until a connector's tasks all run.
func (h *harness) waitRunning(name string) {
	h.t.Helper()
	kafkatest.Eventually(h.t, 15*time.Second, func() error {
		st, err := h.herder.Status(name)
		if err != nil {
			return err
		}
		if len(st.Tasks) == 0 {
			return fmt.Errorf("no tasks (connector %s)", st.Connector.State)
		}
		for _, t := range st.Tasks {
			if t.State != runner.Running {
				return fmt.Errorf("task %d is %s %s", t.ID, t.State, t.Trace)
			}
		}
		return nil
	})
}

// waitConnectors waits until the herder runs exactly the named connectors.
func (h *harness) waitConnectors(names ...string) {
	h.t.Helper()
	slices.Sort(names)
	kafkatest.Eventually(h.t, 15*time.Second, func() error {
		if got := h.herder.Connectors(); !slices.Equal(got, names) {
			return fmt.Errorf("connectors %q, want %q", got, names)
		}
		return nil
	})
}

// fileStatus waits until the watcher reports a file in a state, and returns its status.
func (h *harness) fileStatus(path, state string) reload.FileStatus {
	h.t.Helper()
	var out reload.FileStatus
	kafkatest.Eventually(h.t, 15*time.Second, func() error {
		for _, f := range h.watcher.Status().Files {
			if f.Path == path {
				out = f
				if f.State != state {
					return fmt.Errorf("%s is %s, want %s", path, f.State, state)
				}
				return nil
			}
		}
		return fmt.Errorf("%s is not watched", path)
	})
	return out
}

// failedVersion waits until the watcher reports that a file's content text could not be applied, and
// returns the failed version.
func (h *harness) failedVersion(path, text string) *reload.Version {
	h.t.Helper()
	var out *reload.Version
	kafkatest.Eventually(h.t, 15*time.Second, func() error {
		st := h.fileStatus(path, reload.StateFailed)
		if st.Failed == nil || st.Failed.Hash != reload.Hash([]byte(text)) {
			return fmt.Errorf("the failed version of %s is %+v, not the one written", path, st.Failed)
		}
		out = st.Failed
		return nil
	})
	return out
}

func (h *harness) generation(name string) int {
	h.t.Helper()
	g, err := h.herder.Generation(name)
	if err != nil {
		h.t.Fatal(err)
	}
	return g
}

// settle lets the watcher see any event still on its way (debounce and grace), so that a test can assert
// that nothing happened.
func settle() { time.Sleep(reload.DefaultDebounce + reload.DefaultGrace + 300*time.Millisecond) }

func write(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// saveAtomically writes a file the way most editors save: a temporary file renamed over it.
func saveAtomically(t *testing.T, path, text string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".swp")
	write(t, tmp, text)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lines(prefix string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}

// countLines counts each value on a topic.
func countLines(values []string) map[string]int {
	out := map[string]int{}
	for _, v := range values {
		out[v]++
	}
	return out
}

// exactlyOnce reports the first line of want that is missing or repeated in got.
func exactlyOnce(got, want []string) error {
	counts := countLines(got)
	for _, w := range want {
		if counts[w] != 1 {
			return fmt.Errorf("%q is on the topic %d times, want once (%d records)", w, counts[w], len(got))
		}
	}
	if len(got) != len(want) {
		extra := slices.DeleteFunc(slices.Clone(slices.Sorted(maps.Keys(counts))), func(v string) bool { return slices.Contains(want, v) })
		return fmt.Errorf("%d records on the topic, want %d (unexpected: %q)", len(got), len(want), extra)
	}
	return nil
}
