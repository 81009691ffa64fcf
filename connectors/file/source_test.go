package file

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
	"github.com/connect-standalone/connect-standalone/internal/syncbuf"
)

// storedOffsets is an OffsetReader over offsets given by the test, keyed by filename, recording what the
// task asked for.
type storedOffsets struct {
	byFile map[string]map[string]any
	asked  []map[string]any
}

func (s *storedOffsets) Offset(partition map[string]any) (map[string]any, error) {
	s.asked = append(s.asked, partition)
	name, _ := partition["filename"].(string)
	return s.byFile[name], nil
}

type sourceRun struct {
	task *SourceTask
	log  *syncbuf.Buffer
}

func startSource(t *testing.T, cfg map[string]string, offsets connectors.OffsetReader, stdin io.Reader) *sourceRun {
	t.Helper()
	r := &sourceRun{task: &SourceTask{stdin: stdin}, log: &syncbuf.Buffer{}}
	tc := connectors.TaskContext{Offsets: offsets, Log: zerolog.New(r.log)}
	if err := r.task.Start(tc, cfg); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := r.task.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return r
}

// poll calls Poll with a context that ends after wait and checks that Poll honoured it.
func (r *sourceRun) poll(t *testing.T, wait time.Duration) []connectors.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	start := time.Now()
	recs, err := r.task.Poll(ctx)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	if d := time.Since(start); d > wait+500*time.Millisecond {
		t.Fatalf("Poll took %v with a context of %v", d, wait)
	}
	return recs
}

// polledLine is a record read back as value@position. Only the last record of a batch is sure to carry
// its exact position; the others carry the position where their pass over the buffer began.
type polledLine struct {
	line
	last bool
}

// pollLines polls until want lines came (or 5 s passed).
func (r *sourceRun) pollLines(t *testing.T, want int) []polledLine {
	t.Helper()
	var out []polledLine
	deadline := time.Now().Add(5 * time.Second)
	for len(out) < want && time.Now().Before(deadline) {
		out = append(out, polledLines(t, r.poll(t, 2*time.Second))...)
	}
	return out
}

func polledLines(t *testing.T, recs []connectors.Record) []polledLine {
	t.Helper()
	out := make([]polledLine, len(recs))
	for i, rec := range recs {
		out[i] = polledLine{recordLine(t, rec), i == len(recs)-1}
	}
	return out
}

func recordLine(t *testing.T, rec connectors.Record) line {
	t.Helper()
	s, ok := rec.Value.(string)
	if !ok {
		t.Fatalf("value %#v is not a string", rec.Value)
	}
	pos, ok := rec.SourceOffset["position"].(int64)
	if !ok {
		t.Fatalf("offset %#v has no int64 position", rec.SourceOffset)
	}
	return line{s, pos}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

// sameLines checks the values read and their positions: exact for the last record of each batch, and for
// the others never past the end of their line (resuming there re-reads, never skips), never going back.
func sameLines(t *testing.T, what string, got []polledLine, want []line) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		g, w := got[i], want[i]
		ok = g.value == w.value && g.pos <= w.pos && (!g.last || g.pos == w.pos) && (i == 0 || g.pos >= got[i-1].pos)
	}
	if !ok {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

func TestSourceRecordFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "foo\n")
	r := startSource(t, map[string]string{"file": path, "topic": "connect-test"}, nil, nil)
	before := time.Now()
	recs := r.poll(t, 2*time.Second)
	after := time.Now()
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	rec := recs[0]
	if rec.Topic != "connect-test" || rec.Partition != connectors.AnyPartition || rec.Key != nil || rec.KeySchema != nil ||
		rec.ValueSchema != connectors.StringSchema || rec.Value != "foo" || rec.Headers != nil {
		t.Errorf("record = %+v", rec)
	}
	if rec.Timestamp.Before(before) || rec.Timestamp.After(after) {
		t.Errorf("timestamp %v not within the poll [%v, %v]", rec.Timestamp, before, after)
	}
	if want := map[string]any{"filename": path}; !reflect.DeepEqual(rec.SourcePartition, want) {
		t.Errorf("partition = %#v, want %#v", rec.SourcePartition, want)
	}
	if want := map[string]any{"position": int64(4)}; !reflect.DeepEqual(rec.SourceOffset, want) {
		t.Errorf("offset = %#v, want %#v", rec.SourceOffset, want)
	}
}

// The rows of file-connectors.md §1.4 through a real file, and the held-back tail completed later.
func TestSourceSpecTableAndCompletedTail(t *testing.T) {
	dir := t.TempDir()
	x3000 := strings.Repeat("x", 3000)
	tests := []struct {
		name, content string
		want          []line
		appended      string
		thenWant      []line
	}{
		{"lf", "a\nbb\n\nccc", []line{{"a", 2}, {"bb", 5}, {"", 6}}, "\n", []line{{"ccc", 10}}},
		{"crlf-cr", "a\r\nb\rc\n", []line{{"a", 3}, {"b", 5}, {"c", 7}}, "d\n", []line{{"d", 9}}},
		{"cr-last", "a\r", nil, "\nb\n", []line{{"a", 3}, {"b", 5}}},
		{"cr-then-char", "a\r", nil, "b\n", []line{{"a", 2}, {"b", 4}}},
		{"long", x3000 + "\n", []line{{x3000, 3001}}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			writeFile(t, path, tt.content)
			r := startSource(t, map[string]string{"file": path, "topic": "t"}, nil, nil)
			var got []polledLine
			if len(tt.want) > 0 {
				got = r.pollLines(t, len(tt.want))
			}
			// Nothing more: the tail is held back, even at end of file.
			got = append(got, polledLines(t, r.poll(t, 100*time.Millisecond))...)
			sameLines(t, "lines", got, tt.want)
			if tt.appended == "" {
				return
			}
			appendFile(t, path, tt.appended)
			sameLines(t, "after appending", r.pollLines(t, len(tt.thenWant)), tt.thenWant)
		})
	}
}

func TestSourceBatchSize(t *testing.T) {
	dir := t.TempDir()
	var many strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&many, "%d\n", i)
	}
	tests := []struct {
		batch   string
		content string
		sizes   []int
	}{
		// The stuck-lines case of §1.6: Apache yields only 1 and 2 until the file grows.
		{"2", "1\n2\n3\n4\n5\n", []int{2, 2, 1}},
		{"1", "1\n2\n3\n", []int{1, 1, 1}},
		{"0", "1\n2\n", []int{1, 1}}, // no validator in Apache: below 1 behaves as 1
		{"2000", many.String(), []int{2000, 2000, 1000}},
		{"", many.String(), []int{2000, 2000, 1000}}, // the default
	}
	for _, tt := range tests {
		t.Run("batch.size="+tt.batch, func(t *testing.T) {
			path := filepath.Join(dir, "b"+tt.batch)
			writeFile(t, path, tt.content)
			cfg := map[string]string{"file": path, "topic": "t"}
			if tt.batch != "" {
				cfg["batch.size"] = tt.batch
			}
			r := startSource(t, cfg, nil, nil)
			var sizes []int
			var all []string
			for range tt.sizes {
				recs := r.poll(t, 2*time.Second)
				sizes = append(sizes, len(recs))
				for _, rec := range recs {
					all = append(all, rec.Value.(string))
				}
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.sizes) {
				t.Errorf("batch sizes %v, want %v", sizes, tt.sizes)
			}
			if got, want := strings.Join(all, "\n")+"\n", tt.content; got != want {
				t.Errorf("lines differ from the file: got %d bytes, want %d", len(got), len(want))
			}
			if recs := r.poll(t, 50*time.Millisecond); len(recs) != 0 {
				t.Errorf("extra records after the file was read: %d", len(recs))
			}
		})
	}
}

func TestSourceBadConfig(t *testing.T) {
	tests := []struct {
		cfg  map[string]string
		want string
	}{
		{map[string]string{"file": "x"}, `Missing required configuration "topic" which has no default value.`},
		{map[string]string{"file": "x", "topic": "  "}, "Invalid value  for configuration topic: String must be non-empty"},
		{map[string]string{"topic": "t", "batch.size": "ten"}, "Invalid value ten for configuration batch.size: Not a number of type INT"},
		{map[string]string{"topic": "t", "batch.size": "3000000000"}, "Invalid value 3000000000 for configuration batch.size: Not a number of type INT"},
	}
	for _, tt := range tests {
		task := &SourceTask{stdin: strings.NewReader("")}
		err := task.Start(connectors.TaskContext{Log: zerolog.Nop()}, tt.cfg)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Start(%v) = %v, want %q", tt.cfg, err, tt.want)
		}
		c := &SourceConnector{}
		if err := c.Start(tt.cfg); err == nil || err.Error() != tt.want {
			t.Errorf("connector Start(%v) = %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

// Values are trimmed as ConfigDef trims them: the partition holds the trimmed name.
func TestSourceTrimsConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "a\nb\n")
	r := startSource(t, map[string]string{"file": " " + path + "\t", "topic": " t ", "batch.size": " 1 "}, nil, nil)
	recs := r.poll(t, 2*time.Second)
	if len(recs) != 1 || recs[0].Topic != "t" || recs[0].SourcePartition["filename"] != path {
		t.Fatalf("records = %+v", recs)
	}
}

func TestSourceResume(t *testing.T) {
	dir := t.TempDir()
	ascii := filepath.Join(dir, "ascii.txt")
	writeFile(t, ascii, "a\nbb\nccc\n")
	stored := &storedOffsets{byFile: map[string]map[string]any{ascii: {"position": int64(5)}}}
	r := startSource(t, map[string]string{"file": ascii, "topic": "t"}, stored, nil)
	sameLines(t, "resumed at 5", r.pollLines(t, 1), []line{{"ccc", 9}})
	if want := []map[string]any{{"filename": ascii}}; !reflect.DeepEqual(stored.asked, want) {
		t.Errorf("offsets asked for %v, want %v", stored.asked, want)
	}

	// Positions count bytes, so a non-ASCII file resumes exactly where it stopped (Apache stores 8 for
	// these 13 bytes and re-sends a garbled line: fixtures d1/d2).
	utf := filepath.Join(dir, "utf8.txt")
	writeFile(t, utf, "é€\n😀\nx\n")
	first := startSource(t, map[string]string{"file": utf, "topic": "t"}, nil, nil)
	sameLines(t, "first run", first.pollLines(t, 3), []line{{"é€", 6}, {"😀", 11}, {"x", 13}})
	appendFile(t, utf, "y\n")
	stored = &storedOffsets{byFile: map[string]map[string]any{utf: {"position": int64(13)}}}
	second := startSource(t, map[string]string{"file": utf, "topic": "t"}, stored, nil)
	sameLines(t, "after restart", second.pollLines(t, 1), []line{{"y", 15}})

	// A null position starts at the beginning, as Apache does.
	stored = &storedOffsets{byFile: map[string]map[string]any{utf: {"position": nil}}}
	third := startSource(t, map[string]string{"file": utf, "topic": "t"}, stored, nil)
	sameLines(t, "null position", third.pollLines(t, 4), []line{{"é€", 6}, {"😀", 11}, {"x", 13}, {"y", 15}})
}

func TestSourceStoredPositionWrongTypeFailsTask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "a\n")
	for _, v := range []any{"5", 5.0, map[string]any{"z": int64(1)}} {
		stored := &storedOffsets{byFile: map[string]map[string]any{path: {"position": v}}}
		r := startSource(t, map[string]string{"file": path, "topic": "t"}, stored, nil)
		_, err := r.task.Poll(context.Background())
		if err == nil || !strings.HasPrefix(err.Error(), "Offset position is the incorrect type") ||
			!strings.Contains(err.Error(), path) {
			t.Errorf("position %#v: Poll error = %v", v, err)
		}
	}
}

func TestSourceStoredPositionPastEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "a\nbb\n") // 5 bytes, say rewritten while the worker was stopped
	stored := &storedOffsets{byFile: map[string]map[string]any{path: {"position": int64(100)}}}
	r := startSource(t, map[string]string{"file": path, "topic": "t"}, stored, nil)
	if recs := r.poll(t, 200*time.Millisecond); len(recs) != 0 {
		t.Fatalf("got %d records before anything was appended", len(recs))
	}
	log := r.log.String()
	for _, want := range []string{`"level":"warn"`, `"file":"` + path + `"`, `"position":100`, `"size":5`,
		"Stored position 100 is past the end of file " + path + " (5 bytes)"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
	appendFile(t, path, "z\n")
	sameLines(t, "after the end", r.pollLines(t, 1), []line{{"z", 7}})
}

func TestSourceFileCreatedLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "later.txt")
	r := startSource(t, map[string]string{"file": path, "topic": "t"}, nil, nil)
	for range 3 {
		if recs := r.poll(t, 100*time.Millisecond); len(recs) != 0 {
			t.Fatalf("records from a missing file: %v", recs)
		}
	}
	want := "Couldn't find file " + path + " for FileStreamSourceTask, sleeping to wait for it to be created"
	if log := r.log.String(); strings.Count(log, want) != 1 || !strings.Contains(log, `"level":"warn"`) {
		t.Errorf("want exactly one warning %q, log:\n%s", want, log)
	}
	writeFile(t, path, "hello\n")
	sameLines(t, "once created", r.pollLines(t, 1), []line{{"hello", 6}})
}

// Only a missing file is waited for; any other open error fails the task (here: a path through a regular
// file, which even root cannot open).
func TestSourceOpenErrorFailsTask(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "plain.txt")
	writeFile(t, parent, "a\n")
	path := filepath.Join(parent, "in.txt")
	r := startSource(t, map[string]string{"file": path, "topic": "t"}, nil, nil)
	_, err := r.task.Poll(context.Background())
	if err == nil || err.Error() != fmt.Sprintf("opening file %q: open %s: not a directory", path, path) {
		t.Errorf("Poll error = %v", err)
	}
}

func TestSourceInvalidUTF8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bin.txt")
	writeFile(t, path, "\xffA\n\xe2\x82B\nok\n")
	r := startSource(t, map[string]string{"file": path, "topic": "t"}, nil, nil)
	sameLines(t, "lines", r.pollLines(t, 3), []line{{"\uFFFDA", 3}, {"\uFFFDB", 7}, {"ok", 10}})
}

func TestSourceStdin(t *testing.T) {
	for _, tt := range []struct {
		name     string
		cfg      map[string]string
		filename any
	}{
		{"file unset", map[string]string{"topic": "t"}, nil},
		{"file empty", map[string]string{"topic": "t", "file": " "}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, w := io.Pipe()
			defer w.Close()
			r := startSource(t, tt.cfg, &storedOffsets{}, in)
			go func() {
				// Split across writes: the CRLF and the line itself arrive in pieces.
				for _, s := range []string{"one\r", "\ntw", "o\n", "three"} {
					if _, err := w.Write([]byte(s)); err != nil {
						return
					}
				}
			}()
			var recs []connectors.Record
			deadline := time.Now().Add(5 * time.Second)
			for len(recs) < 2 && time.Now().Before(deadline) {
				recs = append(recs, r.poll(t, 2*time.Second)...)
			}
			if len(recs) != 2 || recs[0].Value != "one" || recs[1].Value != "two" {
				t.Fatalf("records = %+v", recs)
			}
			for _, rec := range recs {
				if want := map[string]any{"filename": tt.filename}; !reflect.DeepEqual(rec.SourcePartition, want) {
					t.Errorf("partition = %#v, want %#v", rec.SourcePartition, want)
				}
				if want := map[string]any{"position": nil}; !reflect.DeepEqual(rec.SourceOffset, want) {
					t.Errorf("offset = %#v, want %#v", rec.SourceOffset, want)
				}
			}
			// stdin blocks with nothing to read; Poll still returns when its context ends.
			if recs := r.poll(t, 100*time.Millisecond); len(recs) != 0 {
				t.Errorf("unterminated line emitted: %+v", recs)
			}
		})
	}
}

// At end of input nothing more comes, but the task keeps running, like Apache's.
func TestSourceStdinEOF(t *testing.T) {
	r := startSource(t, map[string]string{"topic": "t"}, nil, strings.NewReader("a\nb"))
	recs := r.poll(t, 2*time.Second)
	if len(recs) != 1 || recs[0].Value != "a" {
		t.Fatalf("records = %+v", recs)
	}
	for range 2 {
		if recs := r.poll(t, 100*time.Millisecond); len(recs) != 0 {
			t.Fatalf("records after end of input: %+v", recs)
		}
	}
}

func TestSourcePollHonoursContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idle.txt")
	writeFile(t, path, "")
	for _, cfg := range []map[string]string{
		{"file": path, "topic": "t"},              // idle file
		{"file": path + ".missing", "topic": "t"}, // waiting for the file
		{"topic": "t"},                            // stdin with nothing to read
	} {
		in, w := io.Pipe()
		r := startSource(t, cfg, nil, in)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan time.Duration, 1)
		go func() {
			start := time.Now()
			r.task.Poll(ctx)
			done <- time.Since(start)
		}()
		time.Sleep(30 * time.Millisecond)
		cancel()
		select {
		case <-done:
		case <-time.After(100 * time.Millisecond): // less than a second: not the idle bound
			t.Errorf("%v: Poll did not return within 100 ms of cancellation", cfg)
			<-done
		}
		w.Close()
	}
}

// With nothing to read, Poll returns an empty batch after about a second, so the runner stays in control.
func TestSourcePollReturnsWhenIdle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idle.txt")
	writeFile(t, path, "")
	r := startSource(t, map[string]string{"file": path, "topic": "t"}, nil, nil)
	start := time.Now()
	recs, err := r.task.Poll(context.Background())
	if d := time.Since(start); err != nil || len(recs) != 0 || d < 900*time.Millisecond || d > 1500*time.Millisecond {
		t.Errorf("Poll = %d records, %v after %v", len(recs), err, d)
	}
}

// After a long idle time, an appended line is still picked up within the backoff ceiling.
func TestSourcePicksUpAppendedLinesQuickly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tail.txt")
	writeFile(t, path, "")
	r := startSource(t, map[string]string{"file": path, "topic": "t"}, nil, nil)
	r.poll(t, 1200*time.Millisecond) // backs off to the ceiling
	go func() {
		time.Sleep(50 * time.Millisecond)
		appendFile(t, path, "late\n")
	}()
	start := time.Now()
	recs := r.poll(t, 2*time.Second)
	if d := time.Since(start); len(recs) != 1 || d > 50*time.Millisecond+maxIdleWait+100*time.Millisecond {
		t.Errorf("got %d records after %v", len(recs), d)
	}
}

func TestSourceStopClosesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	writeFile(t, path, "a\n")
	task := &SourceTask{}
	if err := task.Start(connectors.TaskContext{Log: zerolog.Nop()}, map[string]string{"file": path, "topic": "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := task.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := task.f
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read(make([]byte, 1)); err == nil || !strings.Contains(err.Error(), "file already closed") {
		t.Errorf("file still open after Stop: read error %v", err)
	}
	if err := task.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// Golden data: Apache's captures a1/a2 (ASCII) give the same positions and records; d1/d2 (non-ASCII) show
// where Apache's UTF-16 count goes wrong and ours does not.
func TestSourceMatchesApacheFixtures(t *testing.T) {
	dir := fixtures.Dir(t, "offsets")
	a1 := readFixture(t, filepath.Join(dir, "a1-one-connector-3-lines.txt"))
	input := unquoteAfter(t, a1, "input.txt = ")
	a2 := readFixture(t, filepath.Join(dir, "a2-one-connector-5-lines-after-restart.txt"))
	appended := unquoteAfter(t, a2, "after start\n")
	path := filepath.Join(t.TempDir(), "input.txt")
	writeFile(t, path, input)

	r := startSource(t, map[string]string{"file": path, "topic": "off-a"}, nil, nil)
	got := r.pollLines(t, 3)
	if want := storedPosition(t, a1); len(got) != 3 || got[2].pos != want {
		t.Errorf("a1: lines %v, want last position %d", got, want)
	}
	appendFile(t, path, appended)
	stored := &storedOffsets{byFile: map[string]map[string]any{path: {"position": got[2].pos}}}
	r2 := startSource(t, map[string]string{"file": path, "topic": "off-a"}, stored, nil)
	got2 := r2.pollLines(t, 2)
	if want := storedPosition(t, a2); len(got2) != 2 || got2[1].pos != want {
		t.Errorf("a2: lines %v, want last position %d", got2, want)
	}
	var values []string
	for _, l := range append(got, got2...) {
		values = append(values, hex.EncodeToString([]byte(l.value)))
	}
	if want := topicValues(a2); fmt.Sprint(values) != fmt.Sprint(want) {
		t.Errorf("a1+a2 values %v, want %v", values, want)
	}

	d1 := readFixture(t, filepath.Join(dir, "d1-non-ascii-3-lines.txt"))
	hexLine := strings.SplitN(strings.SplitN(d1, "bytes: ", 2)[1], "(", 2)[0]
	raw, err := hex.DecodeString(strings.NewReplacer(" ", "", "|", "").Replace(hexLine))
	if err != nil {
		t.Fatalf("d1 bytes: %v", err)
	}
	utf := filepath.Join(t.TempDir(), "utf8.txt")
	writeFile(t, utf, string(raw))
	r3 := startSource(t, map[string]string{"file": utf, "topic": "off-d"}, nil, nil)
	got3 := r3.pollLines(t, 3)
	values = values[:0]
	for _, l := range got3 {
		values = append(values, hex.EncodeToString([]byte(l.value)))
	}
	if want := topicValues(d1); fmt.Sprint(values) != fmt.Sprint(want) {
		t.Errorf("d1 values %v, want %v", values, want)
	}
	// Apache stored 8 (UTF-16 units); the byte position is the file size.
	if apache := storedPosition(t, d1); apache != 8 || len(got3) != 3 || got3[2].pos != int64(len(raw)) {
		t.Errorf("d1: our last position %v, file size %d (Apache stored %d)", got3, len(raw), apache)
	}
}

func readFixture(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unquoteAfter returns the Go-unquoted string literal that follows marker in s.
func unquoteAfter(t *testing.T, s, marker string) string {
	t.Helper()
	i := strings.Index(s, marker)
	if i < 0 {
		t.Fatalf("fixture lacks %q", marker)
	}
	rest := s[i+len(marker):]
	lit, err := strconv.QuotedPrefix(rest)
	if err != nil {
		t.Fatalf("fixture: no string after %q: %v", marker, err)
	}
	v, _ := strconv.Unquote(lit)
	return v
}

// storedPosition returns the position of the (single) offset in a fixture sidecar.
func storedPosition(t *testing.T, s string) int64 {
	t.Helper()
	const marker = `offset map    : {"position": `
	i := strings.LastIndex(s, marker)
	if i < 0 {
		t.Fatal("fixture has no offset map")
	}
	rest := s[i+len(marker):]
	n, err := strconv.ParseInt(rest[:strings.IndexByte(rest, '}')], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// topicValues returns the hex of the record values listed in a fixture sidecar.
func topicValues(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "(hex "); i >= 0 && strings.Contains(l, "key=null") {
			out = append(out, strings.TrimSuffix(l[i+len("(hex "):], ")"))
		}
	}
	return out
}
