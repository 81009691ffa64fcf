package file

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

type line struct {
	value string
	pos   int64
}

func (l line) String() string { return fmt.Sprintf("%q@%d", l.value, l.pos) }

// splitAll feeds input to a lineBuffer in pieces of the given size (0: all at once) and returns every line
// it yields, with the position after it.
func splitAll(input []byte, piece int) []line {
	var b lineBuffer
	b.reset(0)
	var out []line
	take := func() {
		for {
			l, ok := b.next()
			if !ok {
				return
			}
			out = append(out, line{decodeLine(l), b.pos})
		}
	}
	if piece <= 0 {
		piece = len(input)
	}
	for len(input) > 0 {
		n := min(piece, len(input))
		b.add(input[:n])
		input = input[n:]
		take()
	}
	return out
}

// The table of file-connectors.md §1.4, plus the edge cases around "\r", each fed at once, byte by byte and
// in pairs, so that every terminator is also seen split across reads.
func TestSplitLines(t *testing.T) {
	x3000 := strings.Repeat("x", 3000)
	tests := []struct {
		name  string
		input string
		want  []line
	}{
		{"spec row 1: LF, empty line, partial tail", "a\nbb\n\nccc", []line{{"a", 2}, {"bb", 5}, {"", 6}}},
		{"spec row 2: CRLF and lone CR", "a\r\nb\rc\n", []line{{"a", 3}, {"b", 5}, {"c", 7}}},
		{"spec row 3: CR as last byte waits", "a\r", nil},
		{"spec row 4: 3000-char line", x3000 + "\n", []line{{x3000, 3001}}},
		{"CR then a char decides", "a\rb", []line{{"a", 2}}},
		{"CR CR LF is an empty CR line then CRLF", "a\r\r\nb\n", []line{{"a", 2}, {"", 4}, {"b", 6}}},
		{"LF CR: CR waits for the next byte", "a\n\r", []line{{"a", 2}}},
		{"empty lines of every kind", "\n\r\n\r\rx", []line{{"", 1}, {"", 3}, {"", 4}, {"", 5}}},
		{"only CR endings", "one\rtwo\rthree\rx", []line{{"one", 4}, {"two", 8}, {"three", 14}}},
		{"no terminator at all", "abc", nil},
		{"non-ASCII positions count bytes", "é€\n😀\nx\n", []line{{"é€", 6}, {"😀", 11}, {"x", 13}}},
	}
	for _, tt := range tests {
		for _, piece := range []int{0, 1, 2} {
			t.Run(fmt.Sprintf("%s/piece=%d", tt.name, piece), func(t *testing.T) {
				got := splitAll([]byte(tt.input), piece)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("lines of %q:\n got %v\nwant %v", tt.input, got, tt.want)
				}
			})
		}
	}
}

// A file with no '\n' at all must not be rescanned for every line: the cost stays linear. 9 MB of
// CR-terminated lines in one buffer takes milliseconds when linear and minutes when quadratic.
func TestSplitLinesCROnlyIsLinear(t *testing.T) {
	in := append(bytes.Repeat([]byte("0123456789\r"), 800_000), 'x') // the 'x' settles the last '\r'
	start := time.Now()
	got := splitAll(in, 0)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("splitting 8.8 MB took %v", d)
	}
	if len(got) != 800_000 || got[len(got)-1] != (line{"0123456789", int64(len(in) - 1)}) {
		t.Fatalf("got %d lines, last %v", len(got), got[len(got)-1])
	}
}

// Java's decoder replaces each malformed sequence with one U+FFFD; Go's would replace each byte.
func TestDecodeLineLikeJava(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0xFF, 'A'}, "\uFFFDA"}, // verified on JDK 17 (file-connectors.md §1.3)
		{[]byte{0x98, 0x80}, "\uFFFD\uFFFD"},
		{[]byte{0xE2, 0x82, 'A'}, "\uFFFDA"},             // truncated 3-byte sequence: one replacement
		{[]byte{0xE2, 'A'}, "\uFFFDA"},                   // lead alone
		{[]byte{0xE0, 0x80, 0x80}, "\uFFFD\uFFFD\uFFFD"}, // overlong: lead alone, then two stray bytes
		{[]byte{0xED, 0xA0, 0x80}, "\uFFFD"},             // encoded surrogate: one sequence of three
		{[]byte{0xED, 0xA0, 'A'}, "\uFFFDA"},
		{[]byte{0xF0, 0x9F, 0x98, 'A'}, "\uFFFDA"}, // truncated emoji
		{[]byte{0xF0, 0x9F, 'A'}, "\uFFFDA"},
		{[]byte{0xF0, 0x8F, 0x80, 0x80}, "\uFFFD\uFFFD\uFFFD\uFFFD"}, // overlong 4-byte
		{[]byte{0xF4, 0x90, 0x80, 0x80}, "\uFFFD\uFFFD\uFFFD\uFFFD"}, // above U+10FFFF
		{[]byte{0xC0, 0xAF}, "\uFFFD\uFFFD"},
		{[]byte{0xF8, 'A'}, "\uFFFDA"},
		{[]byte{0xE2, 0x82}, "\uFFFD"}, // at the end of the line
		{[]byte("ok \uFFFD é"), "ok \uFFFD é"},
	}
	for _, tt := range tests {
		if got := decodeLine(tt.in); got != tt.want {
			t.Errorf("decodeLine(% x) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}
