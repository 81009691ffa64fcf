package file

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/syncbuf"
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

// eventually fails the test unless get returns want within a second: how long the sink may keep lines in
// its buffer before writing them is a few milliseconds.
func eventually(t *testing.T, what string, get func() string, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		got := get()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %q, want %q", what, got, want)
		}
		time.Sleep(time.Millisecond)
	}
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
	// Visible within milliseconds without a Flush, as with Apache (whose PrintStream writes every line
	// through), for readers such as tail -f.
	eventually(t, "after Put", func() string { return fileContent(t, path) }, want)
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
	// The write fails in Flush, before the runner commits the offsets of the lost lines.
	task := &SinkTask{}
	startSink(t, task, map[string]string{"file": "/dev/full"})
	if err := task.Put(values("lost?")); err != nil {
		t.Fatalf("Put into the buffer: %v", err)
	}
	err := task.Flush(nil)
	if err == nil || !errors.Is(err, syscall.ENOSPC) || !strings.HasPrefix(err.Error(), "writing to file '/dev/full': ") {
		t.Errorf("Flush error = %v", err)
	}
	if err := task.Stop(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Stop after a failed write = %v", err)
	}

	// The write fails in the background, after Put: the next Put fails the task.
	task = &SinkTask{}
	startSink(t, task, map[string]string{"file": "/dev/full"})
	if err := task.Put(values("lost?")); err != nil {
		t.Fatalf("Put into the buffer: %v", err)
	}
	deadline := time.Now().Add(time.Second)
	for {
		err := task.Put(values("more"))
		if errors.Is(err, syscall.ENOSPC) && strings.HasPrefix(err.Error(), "writing to file '/dev/full': ") {
			break
		}
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("Put after the delayed write failed = %v, want ENOSPC", err)
		}
		time.Sleep(time.Millisecond)
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
		var out syncbuf.Buffer
		task := &SinkTask{stdout: &out}
		startSink(t, task, cfg)
		if err := task.Put(values("a", int64(42), nil)); err != nil {
			t.Fatal(err)
		}
		// Shown within milliseconds, as Java's System.out (autoflush) shows it at once.
		eventually(t, fmt.Sprintf("%v: stdout", cfg), out.String, "a\n42\nnull\n")
		if err := task.Flush(nil); err != nil {
			t.Errorf("Flush: %v", err)
		}
		if err := task.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	}
}
