package reload_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/reload"
)

// TestInPlaceWrite: a file rewritten in place (truncate and write, as some editors and `cat >` do) is
// applied: the connector's configuration changes, its next lines go to the new topic, and the status shows
// the new content's hash as applied.
func TestInPlaceWrite(t *testing.T) {
	h := newHarness(t)
	in := h.path("in-src.txt")
	appendFile(t, in, "a\n")
	src := h.source("src.properties", "src", "t1")
	h.watch("", src)
	if got := kafkatest.Values(h.broker.Read("t1", 1, 20*time.Second)); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("t1 holds %q", got)
	}

	text := strings.Replace(read(t, src), "topic=t1", "topic=t2", 1)
	f, err := os.OpenFile(src, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Written in two parts, as a slow writer does: only the whole file is applied.
	f.WriteString(text[:10])
	time.Sleep(20 * time.Millisecond)
	f.WriteString(text[10:])
	f.Close()

	h.waitConfig("src", "topic", "t2")
	appendFile(t, in, "b\n")
	if got := kafkatest.Values(h.broker.Read("t2", 1, 20*time.Second)); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("t2 holds %q, want the line appended after the change", got)
	}
	st := h.fileStatus(src, reload.StateApplied)
	if st.Applied == nil || st.Applied.Hash != reload.Hash([]byte(text)) || st.Connector != "src" {
		t.Fatalf("status %+v, want the new content applied", st)
	}
	if got := kafkatest.Values(h.broker.Read("t1", 2, time.Second)); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("t1 holds %q; the line was read again after the change", got)
	}
}

// TestAtomicRename: an editor-style save (write a temporary file, rename it over the file) is applied, and
// the temporary file itself is not taken for a connector file.
func TestAtomicRename(t *testing.T) {
	h := newHarness(t)
	src := h.source("src.properties", "src", "t1")
	h.watch("", src)
	saveAtomically(t, src, strings.Replace(read(t, src), "topic=t1", "topic=t2", 1))
	h.waitConfig("src", "topic", "t2")
	h.waitConnectors("src")
	if n := len(h.watcher.Status().Files); n != 1 {
		t.Fatalf("%d files watched, want 1: %+v", n, h.watcher.Status().Files)
	}
}

// TestSymlinkSwap: a file reached through the links of a Kubernetes ConfigMap volume
// (src.properties -> ..data/src.properties, ..data -> ..2024_01_01) follows an update, which writes a new
// timestamped directory and swaps the ..data link atomically.
func TestSymlinkSwap(t *testing.T) {
	h := newHarness(t)
	cm := h.path("configmap")
	version := func(name, topic string) {
		if err := os.MkdirAll(filepath.Join(cm, name), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(cm, name, "src.properties"),
			"name=src\nconnector.class=FileStreamSource\nfile="+h.path("in.txt")+"\ntopic="+topic+"\n")
	}
	version("..2024_01_01", "t1")
	if err := os.Symlink("..2024_01_01", filepath.Join(cm, "..data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..data/src.properties", filepath.Join(cm, "src.properties")); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(cm, "src.properties")
	h.watch("", src)

	// The kubelet's update: a new directory, a new link renamed over ..data, the old directory removed.
	version("..2024_01_02", "t2")
	if err := os.Symlink("..2024_01_02", filepath.Join(cm, "..data_tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(cm, "..data_tmp"), filepath.Join(cm, "..data")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(cm, "..2024_01_01")); err != nil {
		t.Fatal(err)
	}
	h.waitConfig("src", "topic", "t2")

	// And a second update, to be sure the watch followed the swap.
	version("..2024_01_03", "t3")
	if err := os.Symlink("..2024_01_03", filepath.Join(cm, "..data_tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(cm, "..data_tmp"), filepath.Join(cm, "..data")); err != nil {
		t.Fatal(err)
	}
	h.waitConfig("src", "topic", "t3")
}

// TestDeleteAndRecreate: deleting a file deletes its connector and keeps its offsets, as Apache's delete
// does; creating the file again brings the connector back, and it carries on from its offsets.
func TestDeleteAndRecreate(t *testing.T) {
	h := newHarness(t)
	in := h.path("in-src.txt")
	appendFile(t, in, strings.Join(lines("l", 0, 50), "\n")+"\n")
	src := h.source("src.properties", "src", "t")
	text := read(t, src)
	h.watch("", src)
	h.broker.Read("t", 50, 20*time.Second)

	if err := os.Remove(src); err != nil {
		t.Fatal(err)
	}
	h.waitConnectors()
	st := h.fileStatus(src, reload.StateMissing)
	if st.Connector != "" {
		t.Fatalf("a missing file still shows connector %q", st.Connector)
	}
	if offs := h.store.Offsets("src"); len(offs) != 1 || offs[0].Offset["position"] == nil {
		t.Fatalf("offsets of the deleted connector: %v, want them kept", offs)
	}
	appendFile(t, in, strings.Join(lines("l", 50, 60), "\n")+"\n")

	write(t, src, text)
	h.waitConnectors("src")
	h.fileStatus(src, reload.StateApplied)
	kafkatest.Eventually(t, 20*time.Second, func() error {
		return exactlyOnce(kafkatest.Values(h.broker.Read("t", 61, 2*time.Second)), lines("l", 0, 60))
	})
}

// TestRenameConnector: changing "name" in a file deletes the old connector (keeping its offsets) and
// creates the new one.
func TestRenameConnector(t *testing.T) {
	h := newHarness(t)
	in := h.path("in-old.txt")
	appendFile(t, in, "x\n")
	src := h.source("src.properties", "old", "t")
	h.watch("", src)
	h.broker.Read("t", 1, 20*time.Second)
	kafkatest.Eventually(t, 10*time.Second, func() error {
		if len(h.store.Offsets("old")) == 0 {
			return fmt.Errorf("no offsets committed for old yet")
		}
		return nil
	})

	saveAtomically(t, src, strings.Replace(read(t, src), "name=old", "name=new", 1))
	h.waitConnectors("new")
	if offs := h.store.Offsets("old"); len(offs) != 1 {
		t.Fatalf("offsets of the renamed connector: %v, want them kept", offs)
	}
	if st := h.fileStatus(src, reload.StateApplied); st.Connector != "new" {
		t.Fatalf("status names connector %q, want new", st.Connector)
	}
	if !strings.Contains(h.logs.String(), "connector renamed in its file") {
		t.Fatalf("the log does not report the rename:\n%s", h.logs.String())
	}
}

// TestBrokenEditKeepsRunning: an invalid edit changes nothing: the connector keeps running with its last
// good configuration, its tasks are not restarted, and the error is logged and reported with the file, the
// line and the key. Fixing the file applies it.
func TestBrokenEditKeepsRunning(t *testing.T) {
	h := newHarness(t)
	in := h.path("in-src.txt")
	src := h.source("src.properties", "src", "t1")
	h.watch("", src)
	h.waitRunning("src")
	gen := h.generation("src")

	saveAtomically(t, src, read(t, src)+"tasks.max=zero\n")
	st := h.fileStatus(src, reload.StateFailed)
	want := src + `:5: key "tasks.max": Invalid value zero for configuration tasks.max: Not a number of type INT`
	if st.Failed == nil || st.Failed.Error != want {
		t.Fatalf("failed version %+v, want error %q", st.Failed, want)
	}
	if st.Applied == nil || st.Failed.Hash == st.Applied.Hash || st.Connector != "src" {
		t.Fatalf("status %+v: want the last good version still applied", st)
	}
	inLog, _ := json.Marshal(want) // the log is JSON
	if !strings.Contains(h.logs.String(), string(inLog)) || !strings.Contains(h.logs.String(), "keeps running with its last good configuration") {
		t.Fatalf("the log does not report the error:\n%s", h.logs.String())
	}
	if errs := h.watcher.Status().Errors(); len(errs) != 1 || errs[0].Path != src || errs[0].Error != want {
		t.Fatalf("errors %+v", errs)
	}
	if cs, err := h.herder.Status("src"); err != nil || cs.FileError != want || cs.Connector.State != runner.Running {
		t.Fatalf("connector status %+v, %v: want RUNNING with the file's error", cs, err)
	}
	appendFile(t, in, "still\n")
	if got := kafkatest.Values(h.broker.Read("t1", 1, 20*time.Second)); !slices.Equal(got, []string{"still"}) {
		t.Fatalf("t1 holds %q: the connector does not run on its last good configuration", got)
	}
	if g := h.generation("src"); g != gen {
		t.Fatalf("generation %d -> %d: a broken edit restarted the tasks", gen, g)
	}

	// A JSON file with a syntax error is reported with its line and column.
	broken := "{\"name\": \"src\",\n \"config\": {\"topic\": }}\n"
	saveAtomically(t, src, broken)
	if v := h.failedVersion(src, broken); !strings.HasPrefix(v.Error, src+":2:") {
		t.Fatalf("error %q, want the line of the JSON mistake", v.Error)
	}

	fixed := read(t, h.source("src.properties", "src", "t2", "tasks.max=1"))
	st = h.fileStatus(src, reload.StateApplied)
	if st.Applied.Hash != reload.Hash([]byte(fixed)) || st.Failed == nil {
		t.Fatalf("status %+v: want the fix applied and the last failure kept", st)
	}
	h.waitConfig("src", "topic", "t2")
	if errs := h.watcher.Status().Errors(); len(errs) != 0 {
		t.Fatalf("errors after the fix: %+v", errs)
	}
	if cs, err := h.herder.Status("src"); err != nil || cs.FileError != "" {
		t.Fatalf("connector status %+v, %v after the fix: want no file error", cs, err)
	}
}

// TestOnlyTheEditedConnectorRestarts: of two connectors, only the one whose file changed is restarted.
func TestOnlyTheEditedConnectorRestarts(t *testing.T) {
	h := newHarness(t)
	a := h.source("a.properties", "a", "ta")
	b := h.source("b.properties", "b", "tb")
	h.watch("", a, b)
	h.waitRunning("a")
	h.waitRunning("b")
	ga, gb := h.generation("a"), h.generation("b")

	saveAtomically(t, a, read(t, a)+"batch.size=50\n")
	h.waitConfig("a", "batch.size", "50")
	h.waitRunning("a")
	if g := h.generation("a"); g != ga+1 {
		t.Fatalf("a: generation %d -> %d, want one restart", ga, g)
	}
	// A save that changes nothing (same bytes) and one that changes only a comment restart nothing.
	saveAtomically(t, b, read(t, b))
	saveAtomically(t, a, "# tuned\n"+read(t, a))
	settle()
	if g := h.generation("b"); g != gb {
		t.Fatalf("b: generation %d -> %d: an unchanged connector was restarted", gb, g)
	}
	if g := h.generation("a"); g != ga+1 {
		t.Fatalf("a: generation %d, want %d: a comment restarted it", g, ga+1)
	}
}

// TestNoLineLostOrRepeatedAcrossReload: lines appended while the connector is reconfigured reach the topic
// exactly once: the old tasks commit their offsets before the new ones start from them.
func TestNoLineLostOrRepeatedAcrossReload(t *testing.T) {
	h := newHarness(t)
	in := h.path("in-src.txt")
	src := h.source("src.properties", "src", "t")
	h.watch("", src)
	h.waitRunning("src")

	want := lines("row-", 0, 3000)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < len(want); i += 50 {
			appendFile(t, in, strings.Join(want[i:i+50], "\n")+"\n")
			time.Sleep(5 * time.Millisecond)
		}
	}()
	for i, size := range []string{"7", "100", "3"} {
		time.Sleep(150 * time.Millisecond)
		saveAtomically(t, src, read(t, src)+"batch.size="+size+"\n")
		h.waitConfig("src", "batch.size", size)
		if g := h.generation("src"); g < i+2 {
			t.Fatalf("generation %d after %d reloads", g, i+1)
		}
	}
	<-done
	kafkatest.Eventually(t, 30*time.Second, func() error {
		return exactlyOnce(kafkatest.Values(h.broker.Read("t", len(want)+1, 3*time.Second)), want)
	})
}

// TestDirectoryMode: every *.properties and *.json file of the connectors directory is a connector,
// created, changed and deleted as files come and go; other files are ignored.
func TestDirectoryMode(t *testing.T) {
	h := newHarness(t)
	dir := h.path("connectors.d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h.watch(dir)
	h.waitConnectors()

	write(t, filepath.Join(dir, "a.properties"), "name=a\nconnector.class=FileStreamSource\nfile="+h.path("a.txt")+"\ntopic=ta\n")
	write(t, filepath.Join(dir, "b.json"), `{"name":"b","config":{"connector.class":"FileStreamSink","topics":"ta","file":"`+h.path("out.txt")+`"}}`)
	write(t, filepath.Join(dir, "notes.txt"), "name=c\nconnector.class=FileStreamSource\ntopic=tc\n")
	write(t, filepath.Join(dir, ".hidden.properties"), "name=d\nconnector.class=FileStreamSource\ntopic=td\n")
	h.waitConnectors("a", "b")
	appendFile(t, h.path("a.txt"), "through the directory\n")
	kafkatest.Eventually(t, 20*time.Second, func() error {
		if b, _ := os.ReadFile(h.path("out.txt")); string(b) != "through the directory\n" {
			return fmt.Errorf("out.txt holds %q", b)
		}
		return nil
	})

	// A broken file in the directory is reported, and the others run on.
	write(t, filepath.Join(dir, "c.properties"), "name=c\nconnector.class=NoSuchConnector\n")
	if st := h.fileStatus(filepath.Join(dir, "c.properties"), reload.StateFailed); !strings.Contains(st.Failed.Error, "NoSuchConnector") {
		t.Fatalf("error %q", st.Failed.Error)
	}
	// Two files defining one connector: the second is refused, and applied once the first lets go of it.
	write(t, filepath.Join(dir, "z.properties"), "name=a\nconnector.class=FileStreamSource\nfile="+h.path("a.txt")+"\ntopic=tz\n")
	st := h.fileStatus(filepath.Join(dir, "z.properties"), reload.StateFailed)
	if want := "Connector a already exists: the connector file " + filepath.Join(dir, "a.properties") + " defines it"; !strings.Contains(st.Failed.Error, want) {
		t.Fatalf("error %q, want %q", st.Failed.Error, want)
	}
	if err := os.Remove(filepath.Join(dir, "a.properties")); err != nil {
		t.Fatal(err)
	}
	h.fileStatus(filepath.Join(dir, "z.properties"), reload.StateApplied)
	h.waitConfig("a", "topic", "tz")

	if err := os.Remove(filepath.Join(dir, "b.json")); err != nil {
		t.Fatal(err)
	}
	h.waitConnectors("a")
	var paths []string
	for _, f := range h.watcher.Status().Files {
		paths = append(paths, filepath.Base(f.Path))
	}
	if !slices.Equal(paths, []string{"c.properties", "z.properties"}) {
		t.Fatalf("watched files %q, want the directory's connector files only", paths)
	}
}

// TestEmptyFileIsNotADeletion: a file emptied (mid-save, or by mistake) keeps its connector running and
// is reported; content coming back applies as usual.
func TestEmptyFileIsNotADeletion(t *testing.T) {
	h := newHarness(t)
	src := h.source("src.properties", "src", "t1")
	text := read(t, src)
	h.watch("", src)
	h.waitRunning("src")
	gen := h.generation("src")

	write(t, src, "")
	if st := h.fileStatus(src, reload.StateFailed); st.Failed.Error != src+": the file is empty; nothing is applied until it has content" {
		t.Fatalf("error %q", st.Failed.Error)
	}
	h.waitConnectors("src")
	if g := h.generation("src"); g != gen {
		t.Fatalf("an empty file restarted the connector")
	}
	write(t, src, strings.Replace(text, "t1", "t2", 1))
	h.waitConfig("src", "topic", "t2")
}

// TestFileOverridesREST: REST changes to a file-owned connector apply until its file changes, or until a
// reload (SIGHUP) applies every file again.
func TestFileOverridesREST(t *testing.T) {
	h := newHarness(t)
	src := h.source("src.properties", "src", "t1")
	h.watch("", src)
	h.waitRunning("src")

	cfg, _ := h.herder.Config("src")
	cfg["topic"] = "from-rest"
	if _, _, err := h.herder.PutConfig("src", cfg); err != nil {
		t.Fatal(err)
	}
	if err := h.herder.Pause("src"); err != nil {
		t.Fatal(err)
	}
	settle()
	h.waitConfig("src", "topic", "from-rest") // an unchanged file leaves the REST change alone

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := h.watcher.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Files) != 1 || st.Files[0].State != reload.StateApplied {
		t.Fatalf("status after the reload: %+v", st)
	}
	h.waitConfig("src", "topic", "t1")
	h.waitRunning("src") // the file says nothing of initial_state: RUNNING

	if err := h.herder.Pause("src"); err != nil {
		t.Fatal(err)
	}
	saveAtomically(t, src, read(t, src)+"batch.size=9\n")
	h.waitConfig("src", "batch.size", "9")
	h.waitRunning("src")
}

// TestStopWaitsAndEnds: Stop ends the watcher; later changes are not applied and Reload says it stopped.
func TestStopWaitsAndEnds(t *testing.T) {
	h := newHarness(t)
	src := h.source("src.properties", "src", "t1")
	h.watch("", src)
	h.watcher.Stop()
	saveAtomically(t, src, strings.Replace(read(t, src), "t1", "t2", 1))
	settle()
	h.waitConfig("src", "topic", "t1")
	if _, err := h.watcher.Reload(context.Background()); err != reload.ErrStopped {
		t.Fatalf("Reload after Stop: %v", err)
	}
}
