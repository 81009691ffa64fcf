package file

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// SinkTask is FileStreamSinkTask: it appends each record's value, as Java's String.valueOf renders it,
// followed by "\n", to the file (or to standard output).
//
// Lines are formatted into a 64 KiB buffer that reaches the operating system when it fills, and at the
// latest writeDelay after a Put left something in it: one write per buffer instead of Apache's one per line,
// while readers of the file (tail -f) still see lines within milliseconds. Flush also fsyncs the file: the
// runner commits consumed offsets only after Flush, so a committed offset never covers a line a crash could
// still lose. Write errors fail the task; Apache's PrintStream swallows
// them and loses lines silently.
type SinkTask struct {
	// stdout is what "standard output" means; nil is os.Stdout. Tests put their own writer here.
	stdout io.Writer

	dest string   // for error messages: "file '<name>'" or "standard output"
	f    *os.File // nil when writing to standard output, which is never synced nor closed

	// mu guards w between the task's goroutine and the delayed write.
	mu sync.Mutex
	w  *bufio.Writer
	// delayed writes the buffer writeDelay after a Put; pending says it is due.
	delayed *time.Timer
	pending bool
}

// writeDelay bounds how long a line waits in the buffer. Writing at the end of every Put cost a system call
// per Put, and while a source produces as fast as the sink consumes, each Put carries a handful of records:
// in the source → sink pipeline that was a tenth of the process's CPU time.
const writeDelay = 5 * time.Millisecond

var _ connectors.SinkTask = (*SinkTask)(nil)

// Start opens the file for appending, creating it if needed; it never truncates.
func (t *SinkTask) Start(_ connectors.TaskContext, cfg map[string]string) error {
	name, _ := fileSetting(cfg)
	if name == "" {
		out := t.stdout
		if out == nil {
			out = os.Stdout
		}
		t.dest, t.w = "standard output", bufio.NewWriterSize(out, readChunk)
	} else {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("Couldn't find or create file '%s' for FileStreamSinkTask: %w", name, err)
		}
		t.dest, t.f, t.w = fmt.Sprintf("file '%s'", name), f, bufio.NewWriterSize(f, readChunk)
	}
	// Created stopped: Put starts it when it leaves lines in the buffer.
	t.delayed = time.AfterFunc(time.Hour, t.writeDelayed)
	t.delayed.Stop()
	return nil
}

// writeDelayed hands the buffer to the operating system. An error stays in the bufio.Writer, which returns
// it from every later write and flush, so the next Put or Flush fails the task and no offset past the lost
// lines is committed.
func (t *SinkTask) writeDelayed() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending = false
	if t.w != nil {
		_ = t.w.Flush()
	}
}

// Put writes one line per record into the buffer, and has it written within writeDelay.
func (t *SinkTask) Put(records []connectors.Record) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.w == nil {
		return errors.New("FileStreamSinkTask: Put called while the task is not started")
	}
	for i := range records {
		if s, ok := records[i].Value.(string); ok { // the common case, without a detour through formatting
			t.w.WriteString(s)
		} else {
			t.w.WriteString(connectors.FormatValue(records[i].Value))
		}
		// bufio.Writer keeps its first error, so checking the last write of each line is enough.
		if err := t.w.WriteByte('\n'); err != nil {
			return t.writeError(err)
		}
	}
	if t.w.Buffered() > 0 && !t.pending {
		t.pending = true
		t.delayed.Reset(writeDelay)
	}
	return nil
}

// Flush makes every line put so far durable before the runner commits the offsets.
func (t *SinkTask) Flush(map[connectors.TopicPartition]int64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.w == nil {
		return nil
	}
	if err := t.w.Flush(); err != nil {
		return t.writeError(err)
	}
	if t.f != nil {
		if err := t.f.Sync(); err != nil {
			return fmt.Errorf("syncing %s: %w", t.dest, err)
		}
	}
	return nil
}

// Stop writes what is buffered and closes the file; standard output stays open.
func (t *SinkTask) Stop() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.w == nil {
		return nil
	}
	t.delayed.Stop()
	t.pending = false
	err := t.w.Flush()
	if err != nil {
		err = t.writeError(err)
	}
	if t.f != nil {
		if cerr := t.f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("closing %s: %w", t.dest, cerr)
		}
		t.f = nil
	}
	t.w = nil
	return err
}

func (t *SinkTask) writeError(err error) error {
	return fmt.Errorf("writing to %s: %w", t.dest, err)
}
