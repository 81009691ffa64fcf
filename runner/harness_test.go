package runner_test

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
	"github.com/connect-standalone/connect-standalone/transforms"
)

// harness runs a herder against a real kfake broker, with real files in a temporary directory.
type harness struct {
	t       *testing.T
	broker  *kafkatest.Broker
	dir     string
	worker  map[string]string
	plugins []connectors.Plugin
	herder  *runner.Herder
	store   *offsets.FileStore
	logs    *syncbuf.Buffer
	// stateFile is the herder's Config.StateFile ("" : connectors are not saved).
	stateFile string
}

func newHarness(t *testing.T, worker map[string]string, extra ...connectors.Plugin) *harness {
	t.Helper()
	h := &harness{t: t, broker: kafkatest.Start(t, kafkatest.Options{}), dir: t.TempDir(), logs: &syncbuf.Buffer{}}
	h.worker = map[string]string{
		"key.converter":                "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":              "org.apache.kafka.connect.storage.StringConverter",
		"offset.storage.file.filename": filepath.Join(h.dir, "connect.offsets"),
		"offset.flush.interval.ms":     "100",
	}
	maps.Copy(h.worker, worker)
	h.plugins = slices.Concat(file.Plugins(), converters.Plugins(), transforms.Plugins(), extra)
	h.start()
	t.Cleanup(h.stop)
	return h
}

// start starts a herder on the harness's worker configuration and offsets file.
func (h *harness) start() {
	h.t.Helper()
	h.worker["bootstrap.servers"] = h.broker.Addr()
	log := zerolog.New(zerolog.MultiLevelWriter(h.logs, zerolog.NewTestWriter(h.t))).Level(zerolog.DebugLevel)
	store, err := offsets.Open(h.worker["offset.storage.file.filename"], log)
	if err != nil {
		h.t.Fatalf("opening offsets: %v", err)
	}
	h.store = store
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, version, _, err := kafka.LookupCluster(ctx, h.worker, []string{h.broker.Addr()})
	if err != nil {
		h.t.Fatalf("negotiating the protocol version: %v", err)
	}
	providers, err := config.NewProviders(h.worker)
	if err != nil {
		h.t.Fatal(err)
	}
	h.herder, err = runner.New(runner.Config{
		Worker: h.worker, Providers: providers, Registry: connectors.NewRegistry(h.plugins...), Offsets: store,
		Bootstrap: []string{h.broker.Addr()}, KafkaVersion: version, WorkerID: "127.0.0.1:8083",
		StateFile: h.stateFile, Log: log,
		// Every component logs with its logger name, so tests can see who logged what.
		Loggers: func(name string) zerolog.Logger { return log.With().Str("logger", name).Logger() },
	})
	if err != nil {
		h.t.Fatalf("runner.New: %v", err)
	}
}

func (h *harness) stop() {
	if h.herder != nil {
		h.herder.Shutdown()
		h.herder = nil
	}
}

// restart shuts the herder down gracefully and starts a new one on the same files.
func (h *harness) restart() {
	h.t.Helper()
	h.stop()
	h.start()
}

func (h *harness) path(name string) string { return filepath.Join(h.dir, name) }

// create creates a connector and fails the test on error.
func (h *harness) create(name string, cfg map[string]string) {
	h.t.Helper()
	if _, err := h.herder.Create(name, cfg, runner.TargetRunning); err != nil {
		h.t.Fatalf("creating %s: %v", name, err)
	}
}

// waitState waits until a connector's tasks all report state.
func (h *harness) waitState(name string, state runner.State) *runner.ConnectorStatus {
	h.t.Helper()
	var st *runner.ConnectorStatus
	kafkatest.Eventually(h.t, 15*time.Second, func() error {
		var err error
		st, err = h.herder.Status(name)
		if err != nil {
			return err
		}
		if len(st.Tasks) == 0 {
			return fmt.Errorf("no tasks yet (connector %s)", st.Connector.State)
		}
		for _, t := range st.Tasks {
			if t.State != state {
				return fmt.Errorf("task %d is %s (%s), want %s", t.ID, t.State, t.Trace, state)
			}
		}
		return nil
	})
	return st
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// staticSource is a test source connector whose single task emits the given records once, then waits.
type staticSource struct{ records []connectors.Record }

func staticSourcePlugin(class string, records []connectors.Record) connectors.Plugin {
	return connectors.Plugin{Class: class, Type: connectors.SourceType, Version: "test",
		New: func() any { return &staticSource{records: records} }}
}

func (s *staticSource) Version() string               { return "test" }
func (s *staticSource) Config() *config.Def           { return config.NewDef() }
func (s *staticSource) Start(map[string]string) error { return nil }
func (s *staticSource) Stop() error                   { return nil }
func (s *staticSource) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{{}}, nil
}
func (s *staticSource) NewTask() connectors.SourceTask { return &staticTask{records: s.records} }

type staticTask struct {
	records []connectors.Record
	sent    bool
}

func (t *staticTask) Start(connectors.TaskContext, map[string]string) error { return nil }
func (t *staticTask) Stop() error                                           { return nil }
func (t *staticTask) Poll(ctx context.Context) ([]connectors.Record, error) {
	if !t.sent {
		t.sent = true
		return append([]connectors.Record(nil), t.records...), nil
	}
	<-ctx.Done()
	return nil, nil
}

// failingSink is a sink connector whose tasks fail in Put after `after` records.
type failingSink struct{ after int }

func failingSinkPlugin(after int) connectors.Plugin {
	return connectors.Plugin{Class: "test.FailingSinkConnector", Type: connectors.SinkType, Version: "test",
		New: func() any { return &failingSink{after: after} }}
}

func (s *failingSink) Version() string               { return "test" }
func (s *failingSink) Config() *config.Def           { return config.NewDef() }
func (s *failingSink) Start(map[string]string) error { return nil }
func (s *failingSink) Stop() error                   { return nil }
func (s *failingSink) NewTask() connectors.SinkTask  { return &failingSinkTask{after: s.after} }
func (s *failingSink) TaskConfigs(n int) ([]map[string]string, error) {
	return []map[string]string{{}}, nil
}

type failingSinkTask struct{ after, seen int }

func (t *failingSinkTask) Start(connectors.TaskContext, map[string]string) error { return nil }
func (t *failingSinkTask) Stop() error                                           { return nil }
func (t *failingSinkTask) Flush(map[connectors.TopicPartition]int64) error       { return nil }
func (t *failingSinkTask) Put(rs []connectors.Record) error {
	t.seen += len(rs)
	if t.seen > t.after {
		return fmt.Errorf("disk on fire after %d records", t.after)
	}
	return nil
}
