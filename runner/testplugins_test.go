package runner_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// recordingSink is a sink connector whose task writes one line per record to the file of its "file" key,
// showing everything a transform can change: topic, partition, offset, key, value, the value schema's
// name and version, and the headers. Its Put writes all of a batch or nothing, and logs each call's values
// to <file>.puts. "fail.value" makes Put fail (not retriably) for a batch holding that value;
// "retriable.puts" makes the first N calls of Put fail retriably.
type recordingSink struct{ cfg map[string]string }

const recordingSinkClass = "test.RecordingSinkConnector"

func recordingSinkPlugin() connectors.Plugin {
	return connectors.Plugin{Class: recordingSinkClass, Type: connectors.SinkType, Version: "test",
		New: func() any { return &recordingSink{} }}
}

func (s *recordingSink) Version() string { return "test" }
func (s *recordingSink) Config() *config.Def {
	return config.NewDef(config.Key{Name: "file", Type: config.String, Required: true, Importance: config.High})
}
func (s *recordingSink) Start(cfg map[string]string) error { s.cfg = cfg; return nil }
func (s *recordingSink) Stop() error                       { return nil }
func (s *recordingSink) NewTask() connectors.SinkTask      { return &recordingTask{} }
func (s *recordingSink) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{s.cfg}, nil
}

type recordingTask struct {
	file, failValue string
	retriable, puts int
}

func (t *recordingTask) Start(_ connectors.TaskContext, cfg map[string]string) error {
	t.file, t.failValue = cfg["file"], cfg["fail.value"]
	if n := cfg["retriable.puts"]; n != "" {
		if _, err := fmt.Sscan(n, &t.retriable); err != nil {
			return err
		}
	}
	return nil
}
func (t *recordingTask) Stop() error                                     { return nil }
func (t *recordingTask) Flush(map[connectors.TopicPartition]int64) error { return nil }

func (t *recordingTask) Put(rs []connectors.Record) error {
	var values []string
	for _, r := range rs {
		values = append(values, connectors.FormatValue(r.Value))
	}
	if err := appendLine(t.file+".puts", strings.Join(values, ",")); err != nil {
		return err
	}
	t.puts++
	if t.puts <= t.retriable {
		return connectors.Retriable(fmt.Errorf("sink unavailable (put %d)", t.puts))
	}
	if t.failValue != "" && slices.Contains(values, t.failValue) {
		return errors.New("poison pill")
	}
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(recordLine(&r))
		b.WriteByte('\n')
	}
	return appendLine(t.file, strings.TrimSuffix(b.String(), "\n"))
}

// recordLine is how the recording sink writes a record.
func recordLine(r *connectors.Record) string {
	schema := "-"
	if s := r.ValueSchema; s != nil && s.Name != "" {
		schema = fmt.Sprintf("%s/%d", s.Name, s.Version)
	}
	var hs []string
	for _, h := range r.Headers {
		hs = append(hs, h.Key+"="+connectors.FormatValue(h.Value))
	}
	return fmt.Sprintf("%s/%d@%d key=%s value=%s schema=%s headers=[%s]", r.Topic, r.Partition, r.Offset,
		connectors.FormatValue(r.Key), connectors.FormatValue(r.Value), schema, strings.Join(hs, ","))
}

func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// flakyTransform fails retriably: the first "failures" records it sees, and always for records whose
// value is "always". It passes every other record on unchanged.
type flakyTransform struct {
	mu       sync.Mutex
	failures int
	always   string
	calls    int
}

const flakyClass = "test.Flaky"

func flakyPlugin() connectors.Plugin {
	return connectors.Plugin{Class: flakyClass, Type: connectors.TransformationType, Version: "test",
		New: func() any { return &flakyTransform{} }}
}

var flakyDef = config.NewDef(
	config.Key{Name: "failures", Type: config.Int, Default: 0, Importance: config.Low},
	config.Key{Name: "always", Type: config.String, Default: "", Importance: config.Low},
)

func (f *flakyTransform) Config() *config.Def { return flakyDef }
func (f *flakyTransform) Configure(cfg map[string]string) error {
	v, err := flakyDef.Parse(cfg)
	if err != nil {
		return err
	}
	f.failures, f.always = v.Int("failures"), v.String("always")
	return nil
}
func (f *flakyTransform) Apply(r *connectors.Record) (*connectors.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls <= f.failures || (f.always != "" && r.Value == f.always) {
		return nil, connectors.Retriable(fmt.Errorf("flaky failure %d", f.calls))
	}
	return r, nil
}

// offsetSource is a source connector whose task emits the given records once, each with source
// partition {"p": "x"} and offset {"n": <index>}, then waits.
func offsetSourcePlugin(class string, records []connectors.Record) connectors.Plugin {
	recs := slices.Clone(records)
	for i := range recs {
		recs[i].SourcePartition = map[string]any{"p": "x"}
		recs[i].SourceOffset = map[string]any{"n": int64(i)}
	}
	return staticSourcePlugin(class, recs)
}

// logLine is one line of the harness's log.
type logLine struct {
	Level, Message, Error, Connector string
	Task                             *int
}

// logLines returns the lines of the harness's log at a level whose message starts with prefix.
func (h *harness) logLines(level, prefix string) []logLine {
	var out []logLine
	for _, l := range strings.Split(h.logs.String(), "\n") {
		var ll logLine
		if json.Unmarshal([]byte(l), &ll) != nil {
			continue
		}
		if ll.Level == level && strings.HasPrefix(ll.Message, prefix) {
			out = append(out, ll)
		}
	}
	return out
}

// waitOffset waits until the offsets file holds offset {"n": n} for a connector of offsetSource.
func (h *harness) waitOffset(conn string, n int64) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		offs := h.store.Offsets(conn)
		if len(offs) == 1 && offs[0].Offset["n"] == n {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: stored offsets %v, want n=%d", conn, offs, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
