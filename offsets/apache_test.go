package offsets

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
)

// fixtureEntry is one mapping of an Apache file, in file order, as its .txt sidecar describes it.
type fixtureEntry struct {
	key       string // exact key bytes
	value     string // exact value bytes; "" for a tombstone (Java null)
	connector string
	partition map[string]any
	position  int64
}

func (e fixtureEntry) tombstone() bool { return e.value == "" }

func file(name string) map[string]any { return map[string]any{"filename": name} }

var apacheFixtures = []struct {
	name    string
	entries []fixtureEntry
}{
	{"a1-one-connector-3-lines", []fixtureEntry{
		{`["file-a",{"filename":"/data/ap3/off/a/input.txt"}]`, `{"position":18}`, "file-a", file("/data/ap3/off/a/input.txt"), 18},
	}},
	{"a2-one-connector-5-lines-after-restart", []fixtureEntry{
		{`["file-a",{"filename":"/data/ap3/off/a/input.txt"}]`, `{"position":30}`, "file-a", file("/data/ap3/off/a/input.txt"), 30},
	}},
	{"b-two-connectors", []fixtureEntry{
		{`["file-b1",{"filename":"/data/ap3/off/b/first.txt"}]`, `{"position":16}`, "file-b1", file("/data/ap3/off/b/first.txt"), 16},
		{`["file-b2",{"filename":"/data/ap3/off/b/second.txt"}]`, `{"position":27}`, "file-b2", file("/data/ap3/off/b/second.txt"), 27},
	}},
	{"c1-after-connector-deleted", []fixtureEntry{
		{`["del-c",{"filename":"/data/ap3/off/c/del.txt"}]`, `{"position":9}`, "del-c", file("/data/ap3/off/c/del.txt"), 9},
		{`["keep-c",{"filename":"/data/ap3/off/c/keep.txt"}]`, `{"position":6}`, "keep-c", file("/data/ap3/off/c/keep.txt"), 6},
	}},
	{"c2-after-offsets-reset-and-patch", []fixtureEntry{
		{`["keep-c",{"filename":"/data/ap3/off/c/keep.txt"}]`, `{"position":6}`, "keep-c", file("/data/ap3/off/c/keep.txt"), 6},
		{`["patch-c",{"filename":"/data/ap3/off/c/patch.txt"}]`, `{"position":3}`, "patch-c", file("/data/ap3/off/c/patch.txt"), 3},
		{`["reset-c",{"filename":"/data/ap3/off/c/reset.txt"}]`, "", "reset-c", file("/data/ap3/off/c/reset.txt"), 0},
		{`["del-c",{"filename":"/data/ap3/off/c/del.txt"}]`, `{"position":9}`, "del-c", file("/data/ap3/off/c/del.txt"), 9},
		{`["patch-c",{"filename":"/data/ap3/off/c/never-read.txt"}]`, "", "patch-c", file("/data/ap3/off/c/never-read.txt"), 0},
	}},
	{"d1-non-ascii-3-lines", []fixtureEntry{
		{`["utf8-src",{"filename":"/data/ap3/off/d/utf8.txt"}]`, `{"position":8}`, "utf8-src", file("/data/ap3/off/d/utf8.txt"), 8},
	}},
	{"d2-non-ascii-after-restart-and-append", []fixtureEntry{
		{`["utf8-src",{"filename":"/data/ap3/off/d/utf8.txt"}]`, `{"position":15}`, "utf8-src", file("/data/ap3/off/d/utf8.txt"), 15},
	}},
	{"e-non-ascii-names", []fixtureEntry{
		{`["src-é \"q\" \\ \uD83D\uDE00",{"filename":"/data/ap3/off/e/naïve €\uD83D\uDE00 \"q\".txt"}]`, `{"position":5}`,
			"src-é \"q\" \\ 😀", file("/data/ap3/off/e/naïve €😀 \"q\".txt"), 5},
	}},
	{"f-rest-session", []fixtureEntry{
		{`["src2",{"filename":"/data/ap3/data/src2.txt"}]`, `{"position":8}`, "src2", file("/data/ap3/data/src2.txt"), 8},
		{`["src1",{"filename":"/data/ap3/data/other.txt"}]`, "", "src1", file("/data/ap3/data/other.txt"), 0},
		{`["src1",{"filename":"/data/ap3/data/src1.txt"}]`, `{"position":17}`, "src1", file("/data/ap3/data/src1.txt"), 17},
	}},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures.Dir(t, "offsets"), name+".offsets"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The Java reader returns every mapping of each Apache file, byte for byte, tombstones included.
func TestReadJavaHashMapFixtures(t *testing.T) {
	for _, fx := range apacheFixtures {
		t.Run(fx.name, func(t *testing.T) {
			m, err := readJavaHashMap(readFixture(t, fx.name))
			if err != nil {
				t.Fatal(err)
			}
			if m.trailing != 0 {
				t.Errorf("trailing = %d, want 0", m.trailing)
			}
			if len(m.entries) != len(fx.entries) {
				t.Fatalf("%d mappings, want %d", len(m.entries), len(fx.entries))
			}
			for i, want := range fx.entries {
				got := m.entries[i]
				if string(got.key) != want.key {
					t.Errorf("mapping %d key = %s, want %s", i, got.key, want.key)
				}
				if want.tombstone() != (got.value == nil) || string(got.value) != want.value {
					t.Errorf("mapping %d value = %q (nil %v), want %q", i, got.value, got.value == nil, want.value)
				}
			}
		})
	}
}

// javaHashMapBytes writes a HashMap<byte[],byte[]> the way Java's ObjectOutputStream does (lifecycle.md
// §4.1); a nil value is Java null. It lets the tests build Apache files for cases Apache was not run on.
func javaHashMapBytes(entries []javaEntry) []byte {
	utf := func(b []byte, s string) []byte {
		b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
		return append(b, s...)
	}
	b := []byte{0xAC, 0xED, 0x00, 0x05, tcObject, tcClassDesc}
	b = utf(b, hashMapClass)
	b = binary.BigEndian.AppendUint64(b, uint64(hashMapUID))
	b = append(b, scSerializable|scWriteMethod, 0, 2, 'F')
	b = utf(b, "loadFactor")
	b = append(b, 'I')
	b = utf(b, "threshold")
	b = append(b, tcEndBlockData, tcNull)
	capacity, threshold := 16, 0
	if len(entries) > 0 {
		for float64(len(entries)) > 0.75*float64(capacity) {
			capacity *= 2
		}
		threshold = capacity * 3 / 4
	}
	b = binary.BigEndian.AppendUint32(b, 0x3f400000) // 0.75f
	b = binary.BigEndian.AppendUint32(b, uint32(threshold))
	b = append(b, tcBlockData, 8)
	b = binary.BigEndian.AppendUint32(b, uint32(capacity))
	b = binary.BigEndian.AppendUint32(b, uint32(len(entries)))
	first := true
	array := func(a []byte) {
		if a == nil {
			b = append(b, tcNull)
			return
		}
		b = append(b, tcArray)
		if first {
			b = append(b, tcClassDesc)
			b = utf(b, byteArrayClass)
			b = binary.BigEndian.AppendUint64(b, uint64(byteArrayUIDValue))
			b = append(b, scSerializable, 0, 0, tcEndBlockData, tcNull)
			first = false
		} else {
			b = append(b, tcReference, 0x00, 0x7e, 0x00, 0x02)
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(a)))
		b = append(b, a...)
	}
	for _, e := range entries {
		array(e.key)
		array(e.value)
	}
	return append(b, tcEndBlockData)
}

func fixtureJavaEntries(fx []fixtureEntry) []javaEntry {
	var out []javaEntry
	for _, e := range fx {
		je := javaEntry{key: []byte(e.key)}
		if !e.tombstone() {
			je.value = []byte(e.value)
		}
		out = append(out, je)
	}
	return out
}

// The test writer reproduces Apache's files exactly, so files it builds are files Apache could have written.
func TestJavaWriterMatchesFixtures(t *testing.T) {
	for _, fx := range apacheFixtures {
		got := javaHashMapBytes(fixtureJavaEntries(fx.entries))
		if want := readFixture(t, fx.name); !bytes.Equal(got, want) {
			t.Errorf("%s: test writer output differs from Apache's file\ngot  %x\nwant %x", fx.name, got, want)
		}
	}
}

func writeFile(t testing.TB, path string, data []byte, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Every Apache file is taken over: offsets kept (tombstones dropped), original kept byte for byte, file
// rewritten in our format with the same mode, and that file re-opens to the same offsets.
func TestTakeOverApacheFixtures(t *testing.T) {
	for _, fx := range apacheFixtures {
		t.Run(fx.name, func(t *testing.T) {
			original := readFixture(t, fx.name)
			path := filepath.Join(t.TempDir(), "connect.offsets")
			writeFile(t, path, original, 0o644)
			var logs bytes.Buffer
			s, err := Open(path, zerolog.New(&logs))
			if err != nil {
				t.Fatal(err)
			}

			live := 0
			for _, e := range fx.entries {
				got, err := s.Get(e.connector, e.partition)
				if err != nil {
					t.Fatal(err)
				}
				if e.tombstone() {
					if got != nil {
						t.Errorf("%s %v: tombstoned partition has offset %v", e.connector, e.partition, got)
					}
					continue
				}
				live++
				if want := map[string]any{"position": e.position}; !reflect.DeepEqual(got, want) {
					t.Errorf("%s %v: offset %#v, want %#v", e.connector, e.partition, got, want)
				}
			}
			checkStoreMatches(t, s, fx.entries)

			if backup := readFile(t, path+".apache-backup"); backup != string(original) {
				t.Error("backup is not byte-identical to the Apache file")
			}
			if _, err := os.Stat(path + ".apache-backup.1"); err == nil {
				t.Error("a second backup was written")
			}
			text := readFile(t, path)
			if !strings.HasPrefix(text, "{\n  \"format\": \"connect-standalone-offsets/1\",") {
				t.Errorf("file was not rewritten in our format:\n%s", text)
			}
			if n := strings.Count(text, `{"key":`); n != live {
				t.Errorf("file has %d entries, want %d:\n%s", n, live, text)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("mode after takeover: %v %v, want 0644", fi.Mode(), err)
			}
			for _, want := range []string{`"level":"info"`, "took over the offsets file of Apache Kafka Connect",
				fmt.Sprintf(`"offsets":%d`, live), fmt.Sprintf(`"tombstones_dropped":%d`, len(fx.entries)-live),
				`"backup":"` + path + `.apache-backup"`} {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log lacks %s:\n%s", want, logs.String())
				}
			}

			again, err := Open(path, zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			checkStoreMatches(t, again, fx.entries)
			if readFile(t, path) != text {
				t.Error("re-opening rewrote the file")
			}
		})
	}
}

// checkStoreMatches compares every connector's offsets in s with the live entries of a fixture.
func checkStoreMatches(t *testing.T, s *FileStore, entries []fixtureEntry) {
	t.Helper()
	want := map[string][]connectors.PartitionOffset{}
	for _, e := range entries {
		if _, ok := want[e.connector]; !ok {
			want[e.connector] = []connectors.PartitionOffset{}
		}
		if !e.tombstone() {
			want[e.connector] = append(want[e.connector], connectors.PartitionOffset{
				Partition: e.partition, Offset: map[string]any{"position": e.position}})
		}
	}
	for c, w := range want {
		if got := s.Offsets(c); !reflect.DeepEqual(got, w) {
			t.Errorf("Offsets(%q) = %v, want %v", c, got, w)
		}
	}
}

// Our file for Apache's files, exactly: sorted by connector, Apache-style keys, non-ASCII kept readable.
func TestTakeOverWritesExactFile(t *testing.T) {
	cases := map[string]string{
		"a1-one-connector-3-lines": `{
  "format": "connect-standalone-offsets/1",
  "offsets": [
    {"key":["file-a",{"filename":"/data/ap3/off/a/input.txt"}],"offset":{"position":18}}
  ]
}
`,
		"c2-after-offsets-reset-and-patch": `{
  "format": "connect-standalone-offsets/1",
  "offsets": [
    {"key":["del-c",{"filename":"/data/ap3/off/c/del.txt"}],"offset":{"position":9}},
    {"key":["keep-c",{"filename":"/data/ap3/off/c/keep.txt"}],"offset":{"position":6}},
    {"key":["patch-c",{"filename":"/data/ap3/off/c/patch.txt"}],"offset":{"position":3}}
  ]
}
`,
		"e-non-ascii-names": `{
  "format": "connect-standalone-offsets/1",
  "offsets": [
    {"key":["src-é \"q\" \\ 😀",{"filename":"/data/ap3/off/e/naïve €😀 \"q\".txt"}],"offset":{"position":5}}
  ]
}
`,
	}
	for name, want := range cases {
		path := filepath.Join(t.TempDir(), "connect.offsets")
		writeFile(t, path, readFixture(t, name), 0o600)
		if _, err := Open(path, zerolog.Nop()); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, path); got != want {
			t.Errorf("%s: file is\n%s\nwant\n%s", name, got, want)
		}
	}
}

// A backup is never overwritten: a different file under the name moves the backup to .1, .2, …; an
// identical one (a takeover interrupted after its backup) is reused.
func TestTakeOverBackupNames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "connect.offsets")
	apache := readFixture(t, "b-two-connectors")

	writeFile(t, path+".apache-backup", []byte("older backup"), 0o600)
	writeFile(t, path+".apache-backup.1", []byte("another"), 0o600)
	writeFile(t, path, apache, 0o640)
	var logs bytes.Buffer
	if _, err := Open(path, zerolog.New(&logs)); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path+".apache-backup"); got != "older backup" {
		t.Errorf("existing backup overwritten: %q", got)
	}
	if got := readFile(t, path+".apache-backup.1"); got != "another" {
		t.Errorf("existing backup .1 overwritten: %q", got)
	}
	if got := readFile(t, path+".apache-backup.2"); got != string(apache) {
		t.Error("backup .2 is not the Apache file")
	}
	if fi, _ := os.Stat(path + ".apache-backup.2"); fi.Mode().Perm() != 0o640 {
		t.Errorf("backup mode %v, want the original's 0640", fi.Mode().Perm())
	}
	if !strings.Contains(logs.String(), `"backup":"`+path+`.apache-backup.2"`) {
		t.Errorf("log does not name the backup:\n%s", logs.String())
	}

	// The same Apache file again (as if the rewrite had not happened): the identical backup is reused.
	writeFile(t, path, apache, 0o640)
	if _, err := Open(path, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".apache-backup.3"); err == nil {
		t.Error("an identical backup was written again")
	}
}

// Cutting an Apache file anywhere is an error naming the file; the file stays as it was and no backup or
// rewrite happens. (Apache starts from zero on such a file.)
func TestTruncatedApacheFiles(t *testing.T) {
	for _, fx := range apacheFixtures {
		original := readFixture(t, fx.name)
		dir := t.TempDir()
		path := filepath.Join(dir, "connect.offsets")
		for n := range len(original) {
			cut := original[:n]
			writeFile(t, path, cut, 0o600)
			_, err := Open(path, zerolog.Nop())
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("%s cut at %d: error %v, want a *CorruptError", fx.name, n, err)
			}
			want := "truncated"
			if n == 0 {
				want = "the file is empty (0 bytes)"
			}
			msg := err.Error()
			if !strings.Contains(msg, want) || !strings.Contains(msg, "offsets file "+path+" cannot be read") ||
				!strings.Contains(msg, "delete it to start every source connector from the beginning") {
				t.Fatalf("%s cut at %d: error %q", fx.name, n, msg)
			}
			if got := readFile(t, path); got != string(cut) {
				t.Fatalf("%s cut at %d: file changed", fx.name, n)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: directory holds %d files after failed opens, want only the offsets file", fx.name, len(entries))
		}
	}
}

func TestTruncatedApacheFileMessage(t *testing.T) {
	original := readFixture(t, "c2-after-offsets-reset-and-patch")
	path := filepath.Join(t.TempDir(), "connect.offsets")
	writeFile(t, path, original[:300], 0o600)
	_, err := Open(path, zerolog.Nop())
	want := "offsets file " + path + " cannot be read: Apache Kafka format (Java serialization): " +
		"the data is truncated: the file ends after 300 bytes, in the middle of " +
		"the key of mapping 3 of 5 (Apache Kafka rewrites this file in place, so a crash or a full disk during a " +
		"write leaves it incomplete). Restore it from a backup, or delete it to start every source connector from " +
		"the beginning (they will read their sources again)"
	if err == nil || err.Error() != want {
		t.Errorf("error\n%v\nwant\n%s", err, want)
	}
}

// Malformed Java streams are refused with a reason; only HashMap and byte[] are accepted.
func TestMalformedApacheFiles(t *testing.T) {
	a1 := readFixture(t, "a1-one-connector-3-lines")
	replace := func(old, new string) []byte {
		if !bytes.Contains(a1, []byte(old)) {
			t.Fatalf("fixture lacks %q", old)
		}
		return bytes.Replace(a1, []byte(old), []byte(new), 1)
	}
	patch := func(at int, b ...byte) []byte {
		out := bytes.Clone(a1)
		copy(out[at:], b)
		return out
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"other class", replace("java.util.HashMap", "java.util.TreeMap"),
			`class "java.util.TreeMap" is not allowed (an offsets file holds only java.util.HashMap and [B)`},
		{"char array", replace("[B", "[C"), `class "[C" is not allowed`},
		{"wrong version", patch(3, 0x04), "not a Java serialization stream: it starts with aced0004"},
		{"wrong serialVersionUID", patch(0x1a, 0x00), "class java.util.HashMap has serialVersionUID"},
		{"negative size", patch(0x4d, 0xff, 0xff, 0xff, 0xff), "the HashMap claims -1 mappings"},
		{"object field", patch(0x31, 'L'), "class java.util.HashMap has a field of type 'L', which no offsets file has"},
		{"zero load factor", patch(0x3f, 0, 0, 0, 0), "illegal load factor 0"},
		{"bad back-reference", patch(0x9d, 0x00, 0x7e, 0x00, 0x09), "back-reference to unknown handle 0x7e0009"},
		{"not an array", patch(0x51, 0x74), "expected a byte array or null, found byte 0x74"},
		{"key is not JSON", replace(`["file-a"`, `{"file-a"`), "the key is not a JSON list"},
		{"key has three elements", replace(`["file-a",{"filename":"/data/ap3/off/a/input.txt"}]`, `["file-a",{"filename":"/data/ap3/off/a/input.t"},1]`),
			"the key must be [connector, partition], but it has 3 elements"},
		{"offset is a list", replace(`{"position":18}`, `["position",18]`), `offset: ["position",18] is not a JSON object`},
		{"nested offset value", replace(`{"position":18}`, `{"positio":[8]}`), `value of "positio": a list is not allowed`},
		{"offset trailing bytes", replace(`{"position":18}`, `{"position":1}}`), `1 unexpected bytes follow the JSON object`},
		{"invalid UTF-8 key", replace("file-a", "file-\xff"), "the key is not valid UTF-8"},
		{"no end marker", patch(len(a1)-1, 0x77), "expected TC_ENDBLOCKDATA (the end of the HashMap), found byte 0x77"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "connect.offsets")
			writeFile(t, path, c.data, 0o600)
			_, err := Open(path, zerolog.Nop())
			var ce *CorruptError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want a CorruptError naming the file and containing %q", err, c.want)
			}
			if got := readFile(t, path); got != string(c.data) {
				t.Error("file changed")
			}
			if _, err := os.Stat(path + ".apache-backup"); err == nil {
				t.Error("backup written for an unreadable file")
			}
		})
	}
}

// Apache files built with the test writer, for what the captured files do not show.
func TestTakeOverBuiltApacheFiles(t *testing.T) {
	open := func(t *testing.T, entries ...javaEntry) (*FileStore, string, error) {
		path := filepath.Join(t.TempDir(), "connect.offsets")
		writeFile(t, path, javaHashMapBytes(entries), 0o600)
		s, err := Open(path, zerolog.Nop())
		return s, path, err
	}
	kv := func(k, v string) javaEntry {
		e := javaEntry{key: []byte(k)}
		if v != "" {
			e.value = []byte(v)
		}
		return e
	}

	t.Run("value types and multi-key partitions", func(t *testing.T) {
		s, path, err := open(t,
			kv(`["c",{"table":"t","shard":3,"ratio":0.5,"on":true,"nothing":null}]`,
				`{"lsn":123456789012,"ts":1.0,"big":1.0E7,"small":1.0E-4,"name":"x/y","flag":false,"none":null}`),
			kv(`["c",null]`, `{"p":1}`))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get("c", map[string]any{"shard": int32(3), "on": true, "nothing": nil, "ratio": 0.5, "table": "t"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"lsn": int64(123456789012), "ts": 1.0, "big": 1e7, "small": 1e-4,
			"name": "x/y", "flag": false, "none": nil}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("offset %#v, want %#v", got, want)
		}
		if got, _ := s.Get("c", map[string]any{}); !reflect.DeepEqual(got, map[string]any{"p": int64(1)}) {
			t.Errorf("null partition read as %#v, want the empty partition's offset", got)
		}
		wantFile := `{
  "format": "connect-standalone-offsets/1",
  "offsets": [
    {"key":["c",{"nothing":null,"on":true,"ratio":0.5,"shard":3,"table":"t"}],"offset":{"big":10000000.0,"flag":false,"lsn":123456789012,"name":"x/y","none":null,"small":0.0001,"ts":1.0}},
    {"key":["c",{}],"offset":{"p":1}}
  ]
}
`
		if got := readFile(t, path); got != wantFile {
			t.Errorf("file\n%s\nwant\n%s", got, wantFile)
		}
	})

	t.Run("many entries", func(t *testing.T) {
		var entries []javaEntry
		for i := range 30 { // capacity 64 in the header
			entries = append(entries, kv(fmt.Sprintf(`["c",{"f":"%02d"}]`, i), fmt.Sprintf(`{"position":%d}`, i)))
		}
		s, _, err := open(t, entries...)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Offsets("c"); len(got) != 30 || got[29].Offset["position"] != int64(29) {
			t.Errorf("Offsets = %v", got)
		}
	})

	t.Run("empty map", func(t *testing.T) {
		s, path, err := open(t)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Offsets("c"); len(got) != 0 {
			t.Errorf("Offsets = %v", got)
		}
		if got := readFile(t, path); got != "{\n  \"format\": \"connect-standalone-offsets/1\",\n  \"offsets\": []\n}\n" {
			t.Errorf("file %q", got)
		}
	})

	t.Run("same partition spelled twice, same offset", func(t *testing.T) {
		s, _, err := open(t, kv(`["c",{"a":1,"b":2}]`, `{"p":1}`), kv(`["c",{"b":2,"a":1}]`, `{"p":1}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Offsets("c"); len(got) != 1 {
			t.Errorf("Offsets = %v, want one partition", got)
		}
	})

	t.Run("same partition spelled twice, different offsets", func(t *testing.T) {
		_, path, err := open(t, kv(`["c",{"a":1,"b":2}]`, `{"p":1}`), kv(`["c",{"b":2,"a":1}]`, ""))
		want := `mapping 1 of 2 (key "[\"c\",{\"a\":1,\"b\":2}]") and mapping 2 of 2 (key "[\"c\",{\"b\":2,\"a\":1}]") ` +
			`are the same partition with different offsets ({"p":1} and null)`
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("error %v, want it to contain %s", err, want)
		}
	})

	t.Run("trailing bytes are ignored like Java does, with a warning", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "connect.offsets")
		data := append(javaHashMapBytes([]javaEntry{kv(`["c",{"f":"x"}]`, `{"position":4}`)}), "junk"...)
		writeFile(t, path, data, 0o600)
		var logs bytes.Buffer
		s, err := Open(path, zerolog.New(&logs))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get("c", map[string]any{"f": "x"}); got["position"] != int64(4) {
			t.Errorf("offset %v", got)
		}
		if !strings.Contains(logs.String(), `"level":"warn","file":"`+path+`","bytes":4`) {
			t.Errorf("no warning about trailing bytes:\n%s", logs.String())
		}
		if readFile(t, path+".apache-backup") != string(data) {
			t.Error("backup lacks the trailing bytes")
		}
	})

	t.Run("block data split and array back-reference", func(t *testing.T) {
		// Java may split block data, and may refer back to an array already written; both are valid.
		data := javaHashMapBytes([]javaEntry{kv(`["c",{"f":"x"}]`, `{"position":4}`)})
		i := bytes.Index(data, []byte{tcBlockData, 8})
		split := concat(data[:i], []byte{tcBlockData, 3}, data[i+2:i+5], []byte{tcBlockLong, 0, 0, 0, 5}, data[i+5:len(data)-1])
		// A second mapping whose key and value refer back to the arrays of the first (handles 3 and 4):
		// the same partition with the same offset, which must merge.
		split = concat(split, []byte{tcReference, 0, 0x7e, 0, 3, tcReference, 0, 0x7e, 0, 4, tcEndBlockData})
		sizeAt := bytes.Index(split, []byte{tcBlockLong}) + 5 + 1
		binary.BigEndian.PutUint32(split[sizeAt:], 2)
		m, err := readJavaHashMap(split)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.entries) != 2 || string(m.entries[1].key) != `["c",{"f":"x"}]` || string(m.entries[1].value) != `{"position":4}` {
			t.Errorf("entries %q", m.entries)
		}
	})
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// Keys decode the way Jackson escaped them: a surrogate-pair escape is one character.
func TestApacheKeyEscapes(t *testing.T) {
	items, _, err := decodeApache(readFixture(t, "e-non-ascii-names"))
	if err != nil {
		t.Fatal(err)
	}
	if got := items[0].connector; got != "src-\u00e9 \"q\" \\ \U0001F600" {
		t.Errorf("connector %q", got)
	}
	name, _ := json.Marshal(items[0].partition["filename"])
	if got := items[0].partition["filename"]; got != "/data/ap3/off/e/na\u00efve \u20ac\U0001F600 \"q\".txt" {
		t.Errorf("filename %s", name)
	}
}

// byteArrayUIDValue is the negative constant as a variable, so that it converts to its two's-complement bits.
var byteArrayUIDValue int64 = byteArrayUID
