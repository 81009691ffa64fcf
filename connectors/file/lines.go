package file

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
)

// readChunk is how much the source asks for per read: large reads keep system calls few.
const readChunk = 64 << 10

// lineBuffer holds bytes read from the input and cuts them into lines with Apache's rules: a line ends at
// "\n", "\r\n" or a lone "\r"; a "\r" that is the last byte buffered says nothing yet (a "\n" may follow);
// bytes after the last terminator wait for more input.
//
// It tracks the input position of every byte, so that a line's offset is the byte position after its
// terminator. The search state below keeps scanning linear in the input size even for a single huge line
// or a file without "\n" (old-Mac "\r" endings), where a naive "find the next \n" would rescan the rest of
// the buffer for every line.
type lineBuffer struct {
	buf        []byte
	start, end int   // buf[start:end] is buffered and not yet consumed
	pos        int64 // input position of buf[start]

	// scanned: buf[start:scanned] holds no terminator (valid when scanned > start).
	scanned int
	// lf is the index of the next '\n' at or after the search start, or -1 for "none in buf[:lfScanned]".
	// A value below the search start is stale and recomputed.
	lf, lfScanned int
}

func (b *lineBuffer) reset(pos int64) {
	b.start, b.end, b.pos = 0, 0, pos
	b.scanned, b.lf, b.lfScanned = 0, -1, 0
}

// buffered returns the bytes not yet consumed.
func (b *lineBuffer) buffered() []byte { return b.buf[b.start:b.end] }

// next returns the next complete line (without its terminator) and consumes it; the slice is valid until the
// next call that adds data. pos is then the position after the terminator.
func (b *lineBuffer) next() ([]byte, bool) {
	from := max(b.start, b.scanned)
	if b.lf < from {
		s := max(from, b.lfScanned)
		if k := bytes.IndexByte(b.buf[s:b.end], '\n'); k >= 0 {
			b.lf = s + k
		} else {
			b.lf, b.lfScanned = -1, b.end
		}
	}
	limit := b.end
	if b.lf >= 0 {
		limit = b.lf
	}
	// The first '\r' before the next '\n' ends the line, if there is one: IndexByte stops at it, so this
	// costs no more than the line itself.
	if k := bytes.IndexByte(b.buf[from:limit], '\r'); k >= 0 {
		cr := from + k
		if cr+1 == b.end {
			b.scanned = cr // undecided until the next byte arrives; look at this '\r' again then
			return nil, false
		}
		n := cr + 1
		if b.buf[n] == '\n' {
			n++
		}
		return b.consume(cr, n), true
	}
	if b.lf < 0 {
		b.scanned = b.end
		return nil, false
	}
	return b.consume(b.lf, b.lf+1), true
}

// consume returns buf[start:lineEnd] and moves start to next.
func (b *lineBuffer) consume(lineEnd, next int) []byte {
	line := b.buf[b.start:lineEnd]
	b.pos += int64(next - b.start)
	b.start = next
	return line
}

// space returns room for at least min more bytes at the end of the buffer. The bytes still buffered (in
// practice at most a partial line) move to the front, and the buffer doubles until min bytes are free, which
// is how lines of any length fit.
func (b *lineBuffer) space(min int) []byte {
	if b.start > 0 {
		n := copy(b.buf, b.buf[b.start:b.end])
		b.shift(b.start)
		b.end = n
	}
	if len(b.buf)-b.end < min {
		size := max(2*len(b.buf), readChunk)
		for size-b.end < min {
			size *= 2
		}
		grown := make([]byte, size)
		copy(grown, b.buf[:b.end])
		b.buf = grown
	}
	return b.buf[b.end:]
}

// shift moves every index d bytes towards the front after the buffered bytes were moved there.
func (b *lineBuffer) shift(d int) {
	b.start -= d
	b.scanned = max(b.scanned-d, 0)
	b.lfScanned = max(b.lfScanned-d, 0)
	if b.lf >= 0 {
		b.lf -= d // may become negative, hence stale, if it pointed before start: recomputed on next
	}
}

// readFrom reads once from r into the buffer, asking for a whole chunk. full reports whether the read
// filled all the room offered, a hint that more input is waiting.
func (b *lineBuffer) readFrom(r io.Reader) (n int, full bool, err error) {
	room := b.space(readChunk / 2)
	n, err = r.Read(room)
	b.end += n
	return n, n == len(room), err
}

// add appends p to the buffer.
func (b *lineBuffer) add(p []byte) {
	b.end += copy(b.space(len(p)), p)
}

// decodeLine turns a line's bytes into a string as Java's UTF-8 decoder (with REPLACE, as
// InputStreamReader uses it) does: valid UTF-8 is taken as is, and each malformed sequence becomes one
// U+FFFD. The copy made here is the line's only allocation.
func decodeLine(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	var sb strings.Builder
	sb.Grow(len(p) + 8)
	for i := 0; i < len(p); {
		if c := p[i]; c < utf8.RuneSelf {
			sb.WriteByte(c)
			i++
			continue
		}
		if r, size := utf8.DecodeRune(p[i:]); r != utf8.RuneError || size > 1 {
			sb.Write(p[i : i+size])
			i += size
			continue
		}
		sb.WriteRune(utf8.RuneError)
		i += malformedLen(p[i:])
	}
	return sb.String()
}

// malformedLen returns how many bytes Java's UTF-8 decoder treats as one malformed sequence at the start of
// p, which does not start a valid sequence. Java replaces the longest prefix that could have begun a valid
// sequence (the lead byte plus the continuation bytes that fit it) with one U+FFFD, where Go's decoder
// would produce one U+FFFD per byte; an encoded surrogate (ED A0..BF xx) is one sequence of three. The end
// of p counts as a non-continuation byte: in the file a terminator or more bytes follow.
func malformedLen(p []byte) int {
	cont := func(i int) bool { return i < len(p) && p[i]&0xC0 == 0x80 }
	switch c := p[0]; {
	case c >= 0xE0 && c <= 0xEF:
		if !cont(1) || (c == 0xE0 && p[1] < 0xA0) { // overlong E0 80..9F
			return 1
		}
		if cont(2) { // only an encoded surrogate is invalid with both continuations present
			return 3
		}
		return 2
	case c >= 0xF0 && c <= 0xF4:
		if !cont(1) || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F) {
			return 1
		}
		if !cont(2) {
			return 2
		}
		return 3
	default: // stray continuation, C0/C1, F5..FF, or a two-byte lead without its continuation
		return 1
	}
}
