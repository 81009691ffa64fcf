package runner_test

import (
	"encoding/json"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
)

// stateEntries reads the state file as a user would: the saved connectors by name.
func stateEntries(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format     string           `json:"format"`
		Connectors []map[string]any `json:"connectors"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("state file is not JSON: %v\n%s", err, b)
	}
	if doc.Format != "connect-standalone-connectors/1" {
		t.Fatalf("format %q", doc.Format)
	}
	out := map[string]map[string]any{}
	for _, c := range doc.Connectors {
		out[c["name"].(string)] = c
	}
	return out
}

// TestStateSurvivesRestart: connectors created and changed through REST come back after a restart with
// their configuration and target state; file-owned ones are not saved, and the state file is readable JSON
// in the shape of a POST /connectors body.
func TestStateSurvivesRestart(t *testing.T) {
	h := newHarness(t, nil)
	h.stateFile = h.path("connect.offsets.connectors.json")
	h.restart()
	if err := h.herder.Restore(nil); err != nil { // no file yet
		t.Fatal(err)
	}
	in := h.path("in.txt")
	appendFile(t, in, "one\n")
	src := map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": "t", "batch.size": "10"}
	h.create("src", src)
	if got := kafkatest.Values(h.broker.Read("t", 1, 20*time.Second)); !slices.Equal(got, []string{"one"}) {
		t.Fatalf("t holds %q", got)
	}
	if err := h.herder.Pause("src"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.herder.Create("stopped", map[string]string{"connector.class": "FileStreamSink", "topics": "t", "file": h.path("out.txt")}, runner.TargetStopped); err != nil {
		t.Fatal(err)
	}
	if _, err := h.herder.PatchConfig("stopped", map[string]*string{"tasks.max": ptr("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.herder.CreateOwned("/etc/connect/owned.properties", "owned", map[string]string{"connector.class": "FileStreamSink", "topics": "t"}, runner.TargetRunning); err != nil {
		t.Fatal(err)
	}
	if _, err := h.herder.Create("gone", map[string]string{"connector.class": "FileStreamSink", "topics": "t"}, runner.TargetRunning); err != nil {
		t.Fatal(err)
	}
	if err := h.herder.Delete("gone"); err != nil {
		t.Fatal(err)
	}

	saved := stateEntries(t, h.stateFile)
	if names := slices.Sorted(maps.Keys(saved)); !slices.Equal(names, []string{"src", "stopped"}) {
		t.Fatalf("saved connectors %v, want src and stopped (not the file-owned or the deleted one)", names)
	}
	wantSrc := map[string]any{"name": "src", "initial_state": "PAUSED", "config": map[string]any{
		"connector.class": "FileStreamSource", "file": in, "topic": "t", "batch.size": "10", "name": "src"}}
	if !reflect.DeepEqual(saved["src"], wantSrc) {
		t.Fatalf("saved src %v, want %v", saved["src"], wantSrc)
	}
	if saved["stopped"]["initial_state"] != "STOPPED" || saved["stopped"]["config"].(map[string]any)["tasks.max"] != "2" {
		t.Fatalf("saved stopped %v", saved["stopped"])
	}
	if fi, err := os.Stat(h.stateFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, %v; want 0600 (configurations may hold credentials)", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(h.stateFile); !strings.Contains(string(b), "\n    {\n      \"name\": \"src\",") {
		t.Fatalf("state file is not indented for reading:\n%s", b)
	}

	h.restart()
	if err := h.herder.Restore(nil); err != nil {
		t.Fatal(err)
	}
	if got := h.herder.Connectors(); !slices.Equal(got, []string{"src", "stopped"}) {
		t.Fatalf("after the restart: connectors %v", got)
	}
	st, err := h.herder.Status("src")
	if err != nil || st.Connector.State != runner.Paused {
		t.Fatalf("src after the restart: %+v, %v; want PAUSED", st, err)
	}
	if cfg, _ := h.herder.Config("src"); cfg["batch.size"] != "10" || cfg["file"] != in {
		t.Fatalf("src config after the restart: %v", cfg)
	}
	if st, _ := h.herder.Status("stopped"); st.Connector.State != runner.Stopped || len(st.Tasks) != 0 {
		t.Fatalf("stopped after the restart: %+v", st)
	}
	// Still paused: nothing new is read until it is resumed, and then the offsets carry on.
	appendFile(t, in, "two\n")
	if got := h.broker.Read("t", 2, time.Second); len(got) != 1 {
		t.Fatalf("%d records while paused", len(got))
	}
	if err := h.herder.Resume("src"); err != nil {
		t.Fatal(err)
	}
	if got := kafkatest.Values(h.broker.Read("t", 2, 20*time.Second)); !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("after resume t holds %q", got)
	}
	if saved := stateEntries(t, h.stateFile); saved["src"]["initial_state"] != "RUNNING" {
		t.Fatalf("resume not saved: %v", saved["src"])
	}
}

// TestStateFileWins: at start a connector file's definition replaces a saved connector of the same name,
// which is dropped from the state file.
func TestStateFileWins(t *testing.T) {
	h := newHarness(t, nil)
	h.stateFile = h.path("state.json")
	h.restart()
	for _, name := range []string{"a", "b"} {
		if _, err := h.herder.Create(name, map[string]string{"connector.class": "FileStreamSink", "topics": "saved"}, runner.TargetPaused); err != nil {
			t.Fatal(err)
		}
	}
	h.restart()
	if err := h.herder.Restore([]string{"b"}); err != nil {
		t.Fatal(err)
	}
	if got := h.herder.Connectors(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("restored %v, want only a (b is left to its file)", got)
	}
	if _, err := h.herder.CreateOwned("b.properties", "b", map[string]string{"connector.class": "FileStreamSink", "topics": "from-file"}, runner.TargetRunning); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := h.herder.Config("b"); cfg["topics"] != "from-file" {
		t.Fatalf("b runs %v, want the file's configuration", cfg)
	}
	if names := slices.Sorted(maps.Keys(stateEntries(t, h.stateFile))); !slices.Equal(names, []string{"a"}) {
		t.Fatalf("state file holds %v, want only a", names)
	}
	// REST changes to the file-owned connector apply, and are not saved.
	if _, _, err := h.herder.PutConfig("b", map[string]string{"connector.class": "FileStreamSink", "topics": "changed"}); err != nil {
		t.Fatal(err)
	}
	if err := h.herder.Stop("b"); err != nil {
		t.Fatal(err)
	}
	if st, _ := h.herder.Status("b"); st.Connector.State != runner.Stopped {
		t.Fatalf("b: %+v", st)
	}
	if names := slices.Sorted(maps.Keys(stateEntries(t, h.stateFile))); !slices.Equal(names, []string{"a"}) {
		t.Fatalf("state file holds %v after changing the file-owned b", names)
	}
}

// TestStateFileCorrupt: a state file that cannot be read stops the start with an error naming it, and is
// left untouched.
func TestStateFileCorrupt(t *testing.T) {
	h := newHarness(t, nil)
	for _, c := range []struct{ content, reason string }{
		{"", "the file is empty"},
		{`{"format":"connect-standalone-connectors/1","connectors":[{"name":"x","config":{}`, "unexpected EOF"},
		{`{"format":"other","connectors":[]}`, `format "other" is not "connect-standalone-connectors/1"`},
		{`{"format":"connect-standalone-connectors/1","connectors":[{"name":"x","config":{},"initial_state":"SLEEPING"}]}`, `invalid initial_state "SLEEPING"`},
		{`{"format":"connect-standalone-connectors/1","connectors":[{"name":"x","config":{},"state":"PAUSED"}]}`, `unknown field "state"`},
		{`{"format":"connect-standalone-connectors/1","connectors":[]} {}`, "unexpected data after the JSON document"},
	} {
		h.stateFile = h.path("state.json")
		if err := os.WriteFile(h.stateFile, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		h.restart()
		err := h.herder.Restore(nil)
		if err == nil || !strings.Contains(err.Error(), "connectors state file "+h.stateFile+" cannot be read: ") || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("content %q: error %v; want the file named and %q", c.content, err, c.reason)
		}
		if b, _ := os.ReadFile(h.stateFile); string(b) != c.content {
			t.Errorf("the corrupt file was changed to %q", b)
		}
	}
	// A saved connector that can no longer be created is named too.
	if err := os.WriteFile(h.stateFile, []byte(`{"format":"connect-standalone-connectors/1","connectors":[{"name":"x","config":{"connector.class":"Gone"},"initial_state":"RUNNING"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	h.restart()
	if err := h.herder.Restore(nil); err == nil || !strings.HasPrefix(err.Error(), "connectors state file "+h.stateFile+`: restoring connector "x": Failed to find any class`) {
		t.Fatalf("error %v", err)
	}
}

// TestConnectorsStateFileKey: connectors.state.file defaults to a file beside the offsets file; empty turns
// saving off.
func TestConnectorsStateFileKey(t *testing.T) {
	for _, c := range []struct {
		set   bool
		value string
		want  string
	}{
		{false, "", "/var/lib/connect/connect.offsets.connectors.json"},
		{true, "", ""},
		{true, "/etc/connect/state.json", "/etc/connect/state.json"},
	} {
		worker := map[string]string{"key.converter": "StringConverter", "value.converter": "StringConverter",
			"offset.storage.file.filename": "/var/lib/connect/connect.offsets"}
		if c.set {
			worker["connectors.state.file"] = c.value
		}
		v, err := config.WorkerDef().Parse(worker)
		if err != nil {
			t.Fatal(err)
		}
		if got := config.ConnectorsStateFilePath(v); got != c.want {
			t.Errorf("connectors.state.file set %v to %q: path %q, want %q", c.set, c.value, got, c.want)
		}
	}
}
