package file

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func startSink(t *testing.T, task *SinkTask, cfg map[string]string) {
	t.Helper()
	if err := task.Start(connectors.TaskContext{Log: zerolog.Nop()}, cfg); err != nil {
		t.Fatalf("Start: %v", err)
	}
}

func values(vs ...any) []connectors.Record {
	recs := make([]connectors.Record, len(vs))
	for i, v := range vs {
		recs[i] = connectors.Record{Topic: "t", Value: v, Offset: int64(i)}
	}
	return recs
}

func fileContent(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSinkAppendsLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	writeFile(t, path, "kept\n") // an existing file is appended to, never truncated

	task := &SinkTask{}
	startSink(t, task, map[string]string{"file": path, "topics": "t"})
	if err := task.Put(values("line one", "two\nlines", nil, "")); err != nil {
		t.Fatal(err)
	}
	want := "kept\nline one\ntwo\nlines\nnull\n\n"
	// Visible as soon as Put returns, as with Apache (whose PrintStream writes every line through).
	if got := fileContent(t, path); got != want {
		t.Errorf("after Put: %q, want %q", got, want)
	}
	if err := task.Flush(map[connectors.TopicPartition]int64{{Topic: "t"}: 4}); err != nil {
		t.Fatal(err)
	}
	if got := fileContent(t, path); got != want {
		t.Errorf("after Flush: %q, want %q", got, want)
	}
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}

	// A second task (a restart, or tasks.max=2) appends too.
	second := &SinkTask{}
	startSink(t, second, map[string]string{"file": path})
	if err := second.Put(values("again")); err != nil {
		t.Fatal(err)
	}
	if err := second.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := fileContent(t, path); got != want+"again\n" {
		t.Errorf("after second task: %q", got)
	}
}

func TestSinkCreatesFileWithMode0644(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.txt")
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	task := &SinkTask{}
	startSink(t, task, map[string]string{"file": path})
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 || fi.Size() != 0 {
		t.Errorf("created file: mode %v, size %d", fi.Mode().Perm(), fi.Size())
	}
}

// A large batch goes through the 64 KiB buffer in several writes and arrives whole and in order.
func TestSinkLargeBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.txt")
	task := &SinkTask{}
	startSink(t, task, map[string]string{"file": path})
	line := strings.Repeat("y", 99)
	vs := make([]any, 10_000)
	for i := range vs {
		vs[i] = line
	}
	if err := task.Put(values(vs...)); err != nil {
		t.Fatal(err)
	}
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := fileContent(t, path); got != strings.Repeat(line+"\n", 10_000) {
		t.Errorf("file has %d bytes, want %d", len(got), 100*10_000)
	}
}

func TestSinkOpenFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "out.txt")
	task := &SinkTask{}
	err := task.Start(connectors.TaskContext{Log: zerolog.Nop()}, map[string]string{"file": path})
	want := "Couldn't find or create file '" + path + "' for FileStreamSinkTask: open " + path + ": no such file or directory"
	if err == nil || err.Error() != want {
		t.Errorf("Start error = %v, want %q", err, want)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the OS error is not wrapped: %v", err)
	}
	if err := task.Stop(); err != nil {
		t.Errorf("Stop after a failed Start: %v", err)
	}
}

// Apache's PrintStream swallows write errors and loses the lines; here the task fails.
func TestSinkWriteErrorIsReturned(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	task := &SinkTask{}
	startSink(t, task, map[string]string{"file": "/dev/full"})
	err := task.Put(values("lost?"))
	if err == nil || !errors.Is(err, syscall.ENOSPC) || !strings.HasPrefix(err.Error(), "writing to file '/dev/full': ") {
		t.Errorf("Put error = %v", err)
	}
	if err := task.Flush(nil); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Flush after a failed write = %v", err)
	}
	if err := task.Stop(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Stop after a failed write = %v", err)
	}
}

func TestSinkStdout(t *testing.T) {
	for _, cfg := range []map[string]string{{}, {"file": ""}, {"file": "  "}} {
		var out bytes.Buffer
		task := &SinkTask{stdout: &out}
		startSink(t, task, cfg)
		if err := task.Put(values("a", int64(42), nil)); err != nil {
			t.Fatal(err)
		}
		// Shown at once, as Java's System.out (autoflush) shows it.
		if got := out.String(); got != "a\n42\nnull\n" {
			t.Errorf("%v: stdout got %q", cfg, got)
		}
		if err := task.Flush(nil); err != nil {
			t.Errorf("Flush: %v", err)
		}
		if err := task.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	}
}
