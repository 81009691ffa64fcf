package config

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/magiconair/properties"
)

// propCase is one rule or edge example of config.md §4 (java.util.Properties.load, verified on JDK 17).
type propCase struct {
	name  string
	in    string
	want  map[string]string
	lines map[string]int // checked when set
	err   string         // expected error text instead of want
	// magiconairOK says whether github.com/magiconair/properties (ISO-8859-1, expansion disabled) gives
	// exactly want; the test pins its gaps so a change in the library is noticed.
	magiconairOK bool
}

var propCases = []propCase{
	{name: "LF line ends", in: "a=1\nb=2\n", want: map[string]string{"a": "1", "b": "2"}, lines: map[string]int{"a": 1, "b": 2}, magiconairOK: true},
	{name: "CR line ends", in: "a=1\rb=2\r", want: map[string]string{"a": "1", "b": "2"}, lines: map[string]int{"a": 1, "b": 2}, magiconairOK: true},
	{name: "CRLF line ends", in: "a=1\r\nb=2\r\n", want: map[string]string{"a": "1", "b": "2"}, lines: map[string]int{"a": 1, "b": 2}, magiconairOK: true},
	{name: "leading whitespace skipped", in: "  \t\fa=1", want: map[string]string{"a": "1"}, magiconairOK: true},
	{name: "whitespace-only lines ignored", in: "a=1\n   \n\t\f\nb=2", want: map[string]string{"a": "1", "b": "2"}, lines: map[string]int{"a": 1, "b": 4}, magiconairOK: true},
	{name: "hash and bang comments", in: "# c\n  ! c\na=1", want: map[string]string{"a": "1"}, lines: map[string]int{"a": 3}, magiconairOK: true},
	{name: "comment never continues", in: "# c \\\na=1", want: map[string]string{"a": "1"}, magiconairOK: true},
	{name: "hash later in a line is data", in: "w=4 # x", want: map[string]string{"w": "4 # x"}, magiconairOK: true},
	{name: "continuation skips next line's leading whitespace", in: "a=hello \\\n   world", want: map[string]string{"a": "hello world"}, magiconairOK: true},
	{name: "continuation line starting with # is data", in: "a=1\\\n# not a comment", want: map[string]string{"a": "1# not a comment"}, magiconairOK: true},
	{name: "continuation onto an empty line", in: "a=x\\\n\nb=y", want: map[string]string{"a": "x", "b": "y"}, lines: map[string]int{"a": 1, "b": 3}, magiconairOK: true},
	{name: "continuation with CR line ends", in: "a=1\\\r   2\r", want: map[string]string{"a": "12"}, magiconairOK: true},
	{name: "continuation with CRLF line ends", in: "a=1\\\r\n   2\r\nb=3", want: map[string]string{"a": "12", "b": "3"}, lines: map[string]int{"a": 1, "b": 3}},
	{name: "continuation inside a key", in: "ke\\\n  y=v", want: map[string]string{"key": "v"}},
	{name: "even trailing backslashes are literal", in: "a=x\\\\\nb=y", want: map[string]string{"a": `x\`, "b": "y"}, magiconairOK: true},
	{name: "odd trailing backslashes continue", in: "a=x\\\\\\\ny", want: map[string]string{"a": `x\y`}, magiconairOK: true},
	{name: "backslash at EOF is dropped", in: "a=x\\", want: map[string]string{"a": "x"}},
	{name: "lone backslash at EOF is an empty key", in: "\\", want: map[string]string{"": ""}},
	{name: "key ends at =", in: "a=b", want: map[string]string{"a": "b"}, magiconairOK: true},
	{name: "key ends at :", in: "c:3", want: map[string]string{"c": "3"}, magiconairOK: true},
	{name: "key ends at space", in: "d 4", want: map[string]string{"d": "4"}, magiconairOK: true},
	{name: "key ends at tab and form feed", in: "d\t4\ne\f5", want: map[string]string{"d": "4", "e": "5"}, magiconairOK: true},
	{name: "only one separator", in: "a = = b", want: map[string]string{"a": "= b"}, magiconairOK: true},
	{name: "whitespace then colon", in: "a\t:\t b", want: map[string]string{"a": "b"}, magiconairOK: true},
	{name: "key alone", in: "a   ", want: map[string]string{"a": ""}, magiconairOK: true},
	{name: "one-character key alone on a line", in: "a\nb=1", want: map[string]string{"a": "", "b": "1"}, magiconairOK: true},
	{name: "empty key", in: "=c", want: map[string]string{"": "c"}},
	{name: "value keeps trailing whitespace", in: "b = 2 ", want: map[string]string{"b": "2 "}, magiconairOK: true},
	{name: "escapes", in: `t=\t\n\r\f`, want: map[string]string{"t": "\t\n\r\f"}, magiconairOK: true},
	{name: "backslash before other characters", in: `k=\:\=\ \#\\\b\x`, want: map[string]string{"k": `:= #\bx`}, magiconairOK: true},
	{name: "windows path", in: `file=C:\temp\x.txt`, want: map[string]string{"file": "C:\tempx.txt"}, magiconairOK: true},
	{name: "escaped space in key", in: `my\ key=v`, want: map[string]string{"my key": "v"}, magiconairOK: true},
	{name: "unicode escape in key", in: `\u0041bc=1`, want: map[string]string{"Abc": "1"}, magiconairOK: true},
	{name: "surrogate pair escapes", in: `e=\uD83D\uDE00`, want: map[string]string{"e": "😀"}},
	{name: "separators inside a value are literal", in: "url=http://h:8083", want: map[string]string{"url": "http://h:8083"}, magiconairOK: true},
	{name: "duplicate keys: last wins", in: "a=1\na=2", want: map[string]string{"a": "2"}, lines: map[string]int{"a": 2}, magiconairOK: true},
	{name: "BOM is not stripped", in: "\xef\xbb\xbfa=1", want: map[string]string{"ï»¿a": "1"}, magiconairOK: true},
	{name: "bytes are ISO-8859-1", in: "k=\xc3\xa9", want: map[string]string{"k": "Ã©"}, magiconairOK: true},
	{name: "provider references stay literal", in: "a=${env:HOME}\nb=${a}", want: map[string]string{"a": "${env:HOME}", "b": "${a}"}, magiconairOK: true},
	{name: "malformed unicode escape", in: `a=\u12`, err: `x.properties:1: Malformed \uxxxx encoding.`},
	{name: "malformed unicode escape names its line", in: "a=1\n\nb=\\uZZZZ", err: `x.properties:3: Malformed \uxxxx encoding.`},
	{name: "malformed unicode escape in a key", in: "\\u00G1=1", err: `x.properties:1: Malformed \uxxxx encoding.`},
}

func TestParseProperties(t *testing.T) {
	for _, tc := range propCases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseProperties("x.properties", []byte(tc.in))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				var ce *Error
				if !errors.As(err, &ce) || ce.File != "x.properties" || ce.Line == 0 {
					t.Fatalf("error %#v does not carry file and line", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !maps.Equal(f.Props, tc.want) {
				t.Fatalf("props = %q, want %q", f.Props, tc.want)
			}
			for k, want := range tc.lines {
				if got := f.Lines[k]; got != want {
					t.Errorf("line of %q = %d, want %d", k, got, want)
				}
			}
		})
	}
}

// TestMagiconairGaps records where github.com/magiconair/properties differs from Java on the §4 table,
// which is why Load does not use it.
func TestMagiconairGaps(t *testing.T) {
	loader := &properties.Loader{Encoding: properties.ISO_8859_1, DisableExpansion: true}
	for _, tc := range propCases {
		if tc.err != "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			p, err := loader.LoadBytes([]byte(tc.in))
			same := err == nil && maps.Equal(p.Map(), tc.want)
			if same != tc.magiconairOK {
				got := "error " + errString(err)
				if err == nil {
					got = formatMap(p.Map())
				}
				t.Errorf("magiconair gives %s; the table says matching=%v (want %q): update the gap list in the report", got, tc.magiconairOK, tc.want)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func formatMap(m map[string]string) string {
	b, _ := json.Marshal(m)
	return string(b)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "worker.properties")
	if err := os.WriteFile(path, []byte("bootstrap.servers=localhost:9092\n# comment\noffset.flush.interval.ms=abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Path != path || f.Props["offset.flush.interval.ms"] != "abc" || f.Lines["offset.flush.interval.ms"] != 3 {
		t.Fatalf("Load = %+v", f)
	}
	// Errors from a Def located in the file read like compiler errors.
	_, perr := WorkerDef().Parse(f.Props)
	got := f.Annotate(perr).Error()
	want := path + `: key "key.converter": Missing required configuration "key.converter" which has no default value.` + "\n" +
		path + `: key "value.converter": Missing required configuration "value.converter" which has no default value.` + "\n" +
		path + `:3: key "offset.flush.interval.ms": Invalid value abc for configuration offset.flush.interval.ms: Not a number of type LONG` + "\n" +
		path + `: key "offset.storage.file.filename": Missing required configuration "offset.storage.file.filename" which has no default value.`
	if got != want {
		t.Fatalf("annotated errors:\n%s\nwant:\n%s", got, want)
	}

	if _, err := Load(filepath.Join(dir, "missing.properties")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load of a missing file: %v", err)
	}
}
