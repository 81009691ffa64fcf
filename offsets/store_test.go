package offsets

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func openNew(t testing.TB) (*FileStore, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "connect.offsets")
	s, err := Open(path, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

func put(t testing.TB, s *FileStore, connector string, partition, offset map[string]any) {
	t.Helper()
	if err := s.Put(connector, connectors.PartitionOffset{Partition: partition, Offset: offset}); err != nil {
		t.Fatal(err)
	}
}

func flush(t testing.TB, s *FileStore) {
	t.Helper()
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
}

func get(t testing.TB, s *FileStore, connector string, partition map[string]any) map[string]any {
	t.Helper()
	got, err := s.Get(connector, partition)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRoundTrip(t *testing.T) {
	s, path := openNew(t)
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	name := "naïve €😀 \"q\" \\ <&>\n.txt"
	put(t, s, "local-file-source", map[string]any{"filename": "test.txt"}, map[string]any{"position": 8})
	put(t, s, "src-é \"q\" \\ 😀", map[string]any{"filename": name}, map[string]any{"position": uint16(5)})
	put(t, s, "db", map[string]any{"table": "t", "shard": int8(-3)},
		map[string]any{"lsn": uint64(math.MaxInt64), "ts": 8.0, "ratio": float32(0.1), "tiny": 1e-7,
			"huge": 1e21, "neg0": math.Copysign(0, -1), "ok": true, "none": nil})
	put(t, s, "stdin", map[string]any{"filename": nil}, map[string]any{"position": nil})
	flush(t, s)

	want := `{
  "format": "connect-standalone-offsets/1",
  "offsets": [
    {"key":["db",{"shard":-3,"table":"t"}],"offset":{"huge":1e+21,"lsn":9223372036854775807,"neg0":-0.0,"none":null,"ok":true,"ratio":0.1,"tiny":1e-7,"ts":8.0}},
    {"key":["local-file-source",{"filename":"test.txt"}],"offset":{"position":8}},
    {"key":["src-é \"q\" \\ 😀",{"filename":"naïve €😀 \"q\" \\ <&>\n.txt"}],"offset":{"position":5}},
    {"key":["stdin",{"filename":null}],"offset":{"position":null}}
  ]
}
`
	if got := readFile(t, path); got != want {
		t.Errorf("file\n%s\nwant\n%s", got, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	again, err := Open(path, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		connector string
		partition map[string]any
		want      map[string]any
	}{
		{"local-file-source", map[string]any{"filename": "test.txt"}, map[string]any{"position": int64(8)}},
		{"src-é \"q\" \\ 😀", map[string]any{"filename": name}, map[string]any{"position": int64(5)}},
		{"db", map[string]any{"shard": int64(-3), "table": "t"}, map[string]any{"lsn": int64(math.MaxInt64),
			"ts": 8.0, "ratio": 0.1, "tiny": 1e-7, "huge": 1e21, "neg0": math.Copysign(0, -1), "ok": true, "none": nil}},
		{"stdin", map[string]any{"filename": nil}, map[string]any{"position": nil}},
	}
	for _, c := range checks {
		got := get(t, again, c.connector, c.partition)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %v: got %#v, want %#v", c.connector, c.partition, got, c.want)
		}
		if n, ok := got["neg0"].(float64); ok && !math.Signbit(n) {
			t.Error("-0.0 lost its sign")
		}
	}
	if got := readFile(t, path); got != want {
		t.Error("opening rewrote the file")
	}
}

// Partitions are found by structure: key order and Go integer types do not matter; integer and float do.
func TestStructuralLookup(t *testing.T) {
	s, _ := openNew(t)
	put(t, s, "c", map[string]any{"b": "x", "a": 1, "c": true}, map[string]any{"position": 1})
	for _, p := range []map[string]any{
		{"a": int64(1), "b": "x", "c": true},
		{"c": true, "a": int32(1), "b": "x"},
		{"a": uint8(1), "c": true, "b": "x"},
		{"a": json.Number("1"), "c": true, "b": "x"}, // as a REST handler decoding with UseNumber passes it
	} {
		if got := get(t, s, "c", p); !reflect.DeepEqual(got, map[string]any{"position": int64(1)}) {
			t.Errorf("Get(%v) = %v", p, got)
		}
	}
	for _, p := range []map[string]any{
		{"a": 1.0, "b": "x", "c": true}, // Apache writes 1.0, a different key
		{"a": 1, "b": "x"},
		{"a": 1, "b": "x", "c": true, "d": nil},
	} {
		if got := get(t, s, "c", p); got != nil {
			t.Errorf("Get(%v) = %v, want nil", p, got)
		}
	}
	if got := get(t, s, "other", map[string]any{"a": 1, "b": "x", "c": true}); got != nil {
		t.Errorf("another connector sees %v", got)
	}
	// The same partition put with other types replaces the offset rather than adding a partition.
	put(t, s, "c", map[string]any{"a": int16(1), "c": true, "b": "x"}, map[string]any{"position": int64(2)})
	if got := s.Offsets("c"); len(got) != 1 || got[0].Offset["position"] != int64(2) {
		t.Errorf("Offsets = %v, want one partition at 2", got)
	}
}

// The caller owns what it passes in and what it gets back.
func TestMapsAreCopied(t *testing.T) {
	s, _ := openNew(t)
	part := map[string]any{"filename": "a"}
	off := map[string]any{"position": 1}
	put(t, s, "c", part, off)
	part["filename"] = "b"
	off["position"] = 99
	got := get(t, s, "c", map[string]any{"filename": "a"})
	if got["position"] != int64(1) {
		t.Fatalf("store changed with the caller's map: %v", got)
	}
	got["position"] = int64(42)
	list := s.Offsets("c")
	list[0].Partition["filename"] = "z"
	if got := get(t, s, "c", map[string]any{"filename": "a"}); got["position"] != int64(1) {
		t.Errorf("store changed through a returned map: %v", got)
	}
}

func TestNilOffsetRemoves(t *testing.T) {
	s, path := openNew(t)
	a, b := map[string]any{"filename": "a"}, map[string]any{"filename": "b"}
	put(t, s, "c", a, map[string]any{"position": 1})
	put(t, s, "c", b, map[string]any{"position": 2})
	flush(t, s)
	if err := s.Put("c", connectors.PartitionOffset{Partition: a}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "c", a); got != nil {
		t.Errorf("removed partition still has %v", got)
	}
	flush(t, s)
	want := `{
  "format": "connect-standalone-offsets/1",
  "offsets": [
    {"key":["c",{"filename":"b"}],"offset":{"position":2}}
  ]
}
`
	if got := readFile(t, path); got != want {
		t.Errorf("file\n%s\nwant\n%s", got, want)
	}
	put(t, s, "c", b, nil)
	flush(t, s)
	if got := s.Offsets("c"); got == nil || len(got) != 0 {
		t.Errorf("Offsets = %#v, want an empty non-nil list", got)
	}
	if got := readFile(t, path); got != "{\n  \"format\": \"connect-standalone-offsets/1\",\n  \"offsets\": []\n}\n" {
		t.Errorf("file %q", got)
	}
	// An empty, non-nil offset is an offset.
	put(t, s, "c", a, map[string]any{})
	if got := get(t, s, "c", a); got == nil || len(got) != 0 {
		t.Errorf("empty offset read back as %#v", got)
	}
}

func TestOffsetsListsOneConnectorSorted(t *testing.T) {
	s, _ := openNew(t)
	for _, c := range []string{"b", "a", "c", "a-"} {
		for _, f := range []string{"z", "x", "y"} {
			put(t, s, c, map[string]any{"f": f}, map[string]any{"c": c})
		}
	}
	got := s.Offsets("a")
	want := []connectors.PartitionOffset{
		{Partition: map[string]any{"f": "x"}, Offset: map[string]any{"c": "a"}},
		{Partition: map[string]any{"f": "y"}, Offset: map[string]any{"c": "a"}},
		{Partition: map[string]any{"f": "z"}, Offset: map[string]any{"c": "a"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Offsets(a) = %v, want %v", got, want)
	}
	if got := s.Offsets("none"); got == nil || len(got) != 0 {
		t.Errorf("Offsets(none) = %#v", got)
	}
}

func TestReader(t *testing.T) {
	s, _ := openNew(t)
	put(t, s, "c", map[string]any{"filename": "a"}, map[string]any{"position": 3})
	r := s.Reader("c")
	got, err := r.Offset(map[string]any{"filename": "a"})
	if err != nil || !reflect.DeepEqual(got, map[string]any{"position": int64(3)}) {
		t.Errorf("Offset = %v, %v", got, err)
	}
	if got, err := s.Reader("d").Offset(map[string]any{"filename": "a"}); got != nil || err != nil {
		t.Errorf("other connector's reader: %v, %v", got, err)
	}
	if _, err := r.Offset(map[string]any{"filename": []byte("a")}); err == nil ||
		err.Error() != `connector "c": partition map[filename:[97]]: value of "filename": unsupported type []uint8 (allowed: string, bool, integer, float, nil)` {
		t.Errorf("bad partition: %v", err)
	}
}

func TestPutRejectsBadValuesAndKeepsNothing(t *testing.T) {
	s, path := openNew(t)
	good := connectors.PartitionOffset{Partition: map[string]any{"f": "a"}, Offset: map[string]any{"position": 1}}
	cases := []struct {
		po   connectors.PartitionOffset
		want string
	}{
		{connectors.PartitionOffset{Partition: map[string]any{"f": "b"}, Offset: map[string]any{"position": math.NaN()}},
			`connector "c": offset map[position:NaN] of partition map[f:b]: value of "position": NaN cannot be stored: JSON has no representation for it`},
		{connectors.PartitionOffset{Partition: map[string]any{"f": "b"}, Offset: map[string]any{"position": math.Inf(1)}},
			`value of "position": +Inf cannot be stored`},
		{connectors.PartitionOffset{Partition: map[string]any{"f": "b"}, Offset: map[string]any{"position": uint64(math.MaxUint64)}},
			`value of "position": integer 18446744073709551615 does not fit in a 64-bit signed integer`},
		{connectors.PartitionOffset{Partition: map[string]any{"f": map[string]any{}}, Offset: map[string]any{"position": 1}},
			`connector "c": partition map[f:map[]]: value of "f": a nested object is not allowed: offsets hold primitive values only`},
		{connectors.PartitionOffset{Partition: map[string]any{"f": "a\xffb"}, Offset: map[string]any{"position": 1}},
			`value of "f": string "a\xffb" is not valid UTF-8`},
		{connectors.PartitionOffset{Partition: map[string]any{"f": "b"}, Offset: map[string]any{"t": time.Time{}}},
			`value of "t": unsupported type time.Time`},
	}
	for _, c := range cases {
		err := s.Put("c", good, c.po)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Put(%v) = %v, want an error containing %q", c.po, err, c.want)
		}
	}
	if err := s.Put("c\xff", good); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("invalid connector name: %v", err)
	}
	if got := s.Offsets("c"); len(got) != 0 {
		t.Errorf("a failed Put stored %v", got)
	}
	flush(t, s)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("nothing to write, yet the file exists: %v", err)
	}
}

// Flush writes only when something changed: no new file (new inode) and no new mtime otherwise.
func TestFlushOnlyWhenChanged(t *testing.T) {
	s, path := openNew(t)
	flush(t, s)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an empty new store wrote a file: %v", err)
	}
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 1})
	flush(t, s)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	unchanged := func(what string) {
		t.Helper()
		flush(t, s)
		after, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
			t.Errorf("%s rewrote the file", what)
		}
	}
	unchanged("a flush without changes")
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": int32(1)})
	unchanged("putting the same offset again")
	put(t, s, "c", map[string]any{"f": "never"}, nil)
	unchanged("removing an absent partition")

	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 2})
	flush(t, s)
	after, _ := os.Stat(path)
	if os.SameFile(before, after) {
		t.Error("a changed offset did not replace the file")
	}

	// Opening an existing file leaves it clean too.
	reopened, err := Open(path, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	flush(t, reopened)
	if again, _ := os.Stat(path); !os.SameFile(after, again) {
		t.Error("flushing a freshly opened store rewrote the file")
	}
}

// Puts racing with flushes are never lost: the last flush writes the last Put of every partition.
func TestConcurrentPutAndFlush(t *testing.T) {
	s, path := openNew(t)
	const writers, puts = 8, 300
	var wg sync.WaitGroup
	done := make(chan struct{})
	flushErr := make(chan error, 1)
	go func() {
		defer close(flushErr)
		for {
			select {
			case <-done:
				return
			default:
			}
			if err := s.Flush(); err != nil {
				flushErr <- err
				return
			}
		}
	}()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= puts; i++ {
				part := map[string]any{"f": fmt.Sprint(w)}
				if err := s.Put("c", connectors.PartitionOffset{Partition: part, Offset: map[string]any{"position": i}}); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Get("c", part); err != nil {
					t.Error(err)
					return
				}
				_ = s.Offsets("c")
			}
		}()
	}
	wg.Wait()
	close(done)
	select {
	case err := <-flushErr:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("flusher did not stop")
	}
	flush(t, s)

	again, err := Open(path, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	for w := range writers {
		if got := get(t, again, "c", map[string]any{"f": fmt.Sprint(w)}); got["position"] != int64(puts) {
			t.Errorf("writer %d: file has %v, want position %d", w, got, puts)
		}
	}
}

// A Put that lands while a flush writes is not lost: that flush writes the older snapshot, the next one the
// new offset.
func TestPutDuringFlushIsWrittenNext(t *testing.T) {
	s, path := openNew(t)
	part := map[string]any{"f": "a"}
	put(t, s, "c", part, map[string]any{"position": 1})
	s.beforeWrite = func() {
		s.beforeWrite = nil
		put(t, s, "c", part, map[string]any{"position": 2})
	}
	flush(t, s)
	if got := get(t, mustOpen(t, path), "c", part); got["position"] != int64(1) {
		t.Fatalf("first flush wrote %v, want the snapshot taken before the Put (1)", got)
	}
	flush(t, s)
	if got := get(t, mustOpen(t, path), "c", part); got["position"] != int64(2) {
		t.Errorf("second flush left %v, want 2: the Put during the first flush was lost", got)
	}
}

func TestModeKept(t *testing.T) {
	s, path := openNew(t)
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 1})
	flush(t, s)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 2})
	flush(t, s)
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v after flush, want 0640", fi.Mode().Perm())
	}
}

func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestNoTempFileRemains(t *testing.T) {
	s, path := openNew(t)
	for i := range 5 {
		put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": i})
		flush(t, s)
		if names := dirNames(t, filepath.Dir(path)); !reflect.DeepEqual(names, []string{"connect.offsets"}) {
			t.Fatalf("directory holds %v", names)
		}
	}
}

// A write that cannot happen returns an error, leaves the old file as it was and no temporary file, and is
// retried by the next Flush.
func TestFlushFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	probe := filepath.Join(dir, "probe")
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	_, err := os.Create(probe)
	os.Chmod(dir, 0o700)
	if err == nil {
		t.Skip("a read-only directory is writable here (running as root?); see TestFlushFailureTargetIsDirectory")
	}

	path := filepath.Join(dir, "connect.offsets")
	s, err := Open(path, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 1})
	flush(t, s)
	old := readFile(t, path)

	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 2})
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	err = s.Flush()
	os.Chmod(dir, 0o700)
	if err == nil || !strings.Contains(err.Error(), "offsets file "+path+": writing: ") {
		t.Fatalf("Flush into a read-only directory: %v", err)
	}
	if got := readFile(t, path); got != old {
		t.Error("old file changed")
	}
	if names := dirNames(t, dir); !reflect.DeepEqual(names, []string{"connect.offsets"}) {
		t.Errorf("directory holds %v", names)
	}
	flush(t, s)
	if got := get(t, mustOpen(t, path), "c", map[string]any{"f": "a"}); got["position"] != int64(2) {
		t.Errorf("retried flush wrote %v", got)
	}
}

// Works as root too: the rename fails because a directory took the file's place.
func TestFlushFailureTargetIsDirectory(t *testing.T) {
	s, path := openNew(t)
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 1})
	flush(t, s)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(path, "keep"), []byte("x"), 0o600)
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 2})
	if err := s.Flush(); err == nil || !strings.Contains(err.Error(), "offsets file "+path+": writing: ") {
		t.Fatalf("Flush = %v", err)
	}
	if names := dirNames(t, filepath.Dir(path)); !reflect.DeepEqual(names, []string{"connect.offsets"}) {
		t.Errorf("directory holds %v", names)
	}
	if got := readFile(t, filepath.Join(path, "keep")); got != "x" {
		t.Error("directory content changed")
	}
	// Still dirty: once the obstacle is gone, the next Flush writes.
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	flush(t, s)
	if got := get(t, mustOpen(t, path), "c", map[string]any{"f": "a"}); got["position"] != int64(2) {
		t.Errorf("retried flush wrote %v", got)
	}
}

func mustOpen(t testing.TB, path string) *FileStore {
	t.Helper()
	s, err := Open(path, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A temporary file left by a crash during a write is removed at the next start; the file is intact.
func TestStaleTempRemovedOnOpen(t *testing.T) {
	s, path := openNew(t)
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 1})
	flush(t, s)
	stale := filepath.Join(filepath.Dir(path), ".connect.offsets.tmp-123456")
	writeFile(t, stale, []byte(`{"format":`), 0o600)
	other := filepath.Join(filepath.Dir(path), ".other.offsets.tmp-1")
	writeFile(t, other, nil, 0o600)
	var logs strings.Builder
	if _, err := Open(path, zerolog.New(&logs)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another file's temp was touched: %v", err)
	}
	if !strings.Contains(logs.String(), "removed a temporary file left by an interrupted offsets write") {
		t.Errorf("log: %s", logs.String())
	}
}

// A symbolic link at the configured path stays a link; the file it points to is replaced.
func TestSymlinkKept(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "data", "offsets.json")
	if err := os.Mkdir(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "connect.offsets")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	s := mustOpen(t, link) // dangling link: the target does not exist yet
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 1})
	flush(t, s)
	// Now the link resolves; the next store writes through it.
	s = mustOpen(t, link)
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 2})
	flush(t, s)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced: %v %v", fi.Mode(), err)
	}
	if got := get(t, mustOpen(t, real), "c", map[string]any{"f": "a"}); got["position"] != int64(2) {
		t.Errorf("target holds %v", got)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("", zerolog.Nop()); err == nil || err.Error() != "offsets: no file name given (offset.storage.file.filename)" {
		t.Errorf("empty path: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "no-such-dir", "connect.offsets")
	if _, err := Open(missing, zerolog.Nop()); err == nil || !strings.HasPrefix(err.Error(), "offsets file "+missing+": directory: ") {
		t.Errorf("missing directory: %v", err)
	}
}

// Our own file, damaged in various ways: each an error naming the file, the file left as it was.
func TestCorruptOwnFile(t *testing.T) {
	s, path := openNew(t)
	put(t, s, "c", map[string]any{"f": "a"}, map[string]any{"position": 1})
	put(t, s, "d", map[string]any{"f": "b"}, map[string]any{"position": 2})
	flush(t, s)
	valid := readFile(t, path)

	check := func(name, content, want string) {
		t.Helper()
		writeFile(t, path, []byte(content), 0o600)
		_, err := Open(path, zerolog.Nop())
		var ce *CorruptError
		if !errors.As(err, &ce) || ce.Path != path || !strings.Contains(err.Error(), "offsets file "+path+" cannot be read: ") ||
			!strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want a CorruptError containing %q", name, err, want)
		}
		if got := readFile(t, path); got != content {
			t.Errorf("%s: file changed", name)
		}
	}

	// Every cut that loses the closing brace (all but the final newline) is truncated JSON.
	for n := 1; n < len(valid)-1; n++ {
		cut := valid[:n]
		want := "the JSON is truncated"
		if strings.TrimSpace(cut) == "" {
			want = "contains no JSON value"
		}
		check(fmt.Sprintf("cut at %d", n), cut, want)
	}
	check("empty", "", "the file is empty (0 bytes)")
	check("whitespace", " \n", "it contains no JSON value")
	check("garbage", "hello", "invalid JSON at byte 1: invalid character 'h' looking for beginning of value")
	check("binary", "\x00\x01\xfe", "it is not valid UTF-8 text")
	check("no marker", `{"offsets":[]}`, `it has no "format" field, so it is not a connect-standalone offsets file`)
	check("no list", `{"format":"connect-standalone-offsets/1"}`, `it has no "offsets" list`)
	check("trailing data", valid+"{}", "unexpected data after the end of the JSON value")
	check("unknown field", `{"format":"connect-standalone-offsets/1","offsets":[{"key":["c",{}],"offset":{},"x":1}]}`,
		`in the offsets list: invalid content: json: unknown field "x"`)
	check("short key", `{"format":"connect-standalone-offsets/1","offsets":[{"key":["c"],"offset":{}}]}`,
		"entry 1 of the offsets list: the key must be [connector, partition], but it has 1 elements")
	check("numeric connector", `{"format":"connect-standalone-offsets/1","offsets":[{"key":[1,{}],"offset":{}}]}`,
		"entry 1 of the offsets list: the connector name in the key is 1, not a string")
	check("no offset", `{"format":"connect-standalone-offsets/1","offsets":[{"key":["c",{}]}]}`,
		`entry 1 of the offsets list: it has no "offset"`)
	check("nested value", `{"format":"connect-standalone-offsets/1","offsets":[{"key":["c",{"f":[1]}],"offset":{}}]}`,
		`entry 1 of the offsets list: the partition of connector "c": value of "f": a list is not allowed`)
	check("huge integer", `{"format":"connect-standalone-offsets/1","offsets":[{"key":["c",{}],"offset":{"p":9223372036854775808}}]}`,
		`offset: value of "p": integer 9223372036854775808 does not fit in a 64-bit signed integer`)
	check("conflicting duplicate", `{"format":"connect-standalone-offsets/1","offsets":[
{"key":["c",{"a":1,"b":2}],"offset":{"p":1}},
{"key":["c",{"b":2,"a":1}],"offset":{"p":2}}]}`,
		`entry 1 of the offsets list and entry 2 of the offsets list are the same partition with different offsets ({"p":1} and {"p":2}), and which one the connector expects cannot be told`)

	writeFile(t, path, []byte(`{"format":"connect-standalone-offsets/2","offsets":{"new":"layout"}}`), 0o600)
	_, err := Open(path, zerolog.Nop())
	var fe *FormatError
	want := `offsets file ` + path + ` has format "connect-standalone-offsets/2", but this version of connect-standalone ` +
		`reads only "connect-standalone-offsets/1": it was probably written by a newer version; run that version, or ` +
		`move the file away to start every source connector from the beginning`
	if !errors.As(err, &fe) || err.Error() != want {
		t.Errorf("unknown format: %v", err)
	}
}

// Hand edits that are still valid are accepted: other whitespace, key order, a byte-order mark, a null
// offset (no offset).
func TestHandEditedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connect.offsets")
	writeFile(t, path, []byte("\xEF\xBB\xBF"+`{"offsets": [
	{"offset": {"position": 7}, "key": ["c", {"f": "a"}]},
	{"key": ["c", {"f": "b"}], "offset": null}
], "format": "connect-standalone-offsets/1"}`), 0o600)
	s := mustOpen(t, path)
	if got := s.Offsets("c"); !reflect.DeepEqual(got, []connectors.PartitionOffset{
		{Partition: map[string]any{"f": "a"}, Offset: map[string]any{"position": int64(7)}}}) {
		t.Errorf("Offsets = %v", got)
	}
}
