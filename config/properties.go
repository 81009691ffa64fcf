package config

import (
	"fmt"
	"os"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// File is a loaded Java .properties file.
type File struct {
	Path  string
	Props map[string]string
	// Lines is the 1-based line on which each key was last defined (where its logical line starts).
	Lines map[string]int
}

// Load reads a .properties file exactly as java.util.Properties.load(InputStream) does: bytes are
// ISO-8859-1, so non-ASCII text must be written as \uXXXX to reach the value unchanged. Worker and
// connector files are read this way by Apache. ${...} references are kept literally: config providers
// resolve them later.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading properties: %w", err)
	}
	return ParseProperties(path, data)
}

// ParseProperties parses the content of a .properties file read from path (used in errors only), with
// the rules of Load.
func ParseProperties(path string, data []byte) (*File, error) {
	text := make([]rune, len(data))
	for i, b := range data {
		text[i] = rune(b) // ISO-8859-1: every byte is the code point of the same value
	}
	return parseProps(path, text)
}

// parsePropertiesUTF8 parses a .properties file decoded as UTF-8, as Properties.load(Reader) on a UTF-8
// reader does (Apache's FileConfigProvider).
func parsePropertiesUTF8(path string, data []byte) (*File, error) {
	if !utf8.Valid(data) {
		return nil, &Error{File: path, Msg: "not valid UTF-8"}
	}
	return parseProps(path, []rune(string(data)))
}

func parseProps(path string, text []rune) (*File, error) {
	f := &File{Path: path, Props: map[string]string{}, Lines: map[string]int{}}
	r := lineReader{in: text, line: 1}
	var line, out []rune
	for {
		var (
			start int
			ok    bool
		)
		line, start, ok = r.readLine(line[:0])
		if !ok {
			return f, nil
		}
		keyEnd, valStart := splitKeyValue(line)
		var key, val string
		var err error
		if key, out, err = unescape(line[:keyEnd], out); err == nil {
			val, out, err = unescape(line[valStart:], out)
		}
		if err != nil {
			return nil, &Error{File: path, Line: start, Msg: err.Error()}
		}
		f.Props[key] = val
		f.Lines[key] = start
	}
}

// lineReader splits text into logical lines the way java.util.Properties.LineReader does.
type lineReader struct {
	in   []rune
	pos  int
	line int // natural line of in[pos]
}

// get returns the next character and the natural line it is on.
func (r *lineReader) get() (c rune, line int, ok bool) {
	if r.pos >= len(r.in) {
		return 0, r.line, false
	}
	c, line = r.in[r.pos], r.line
	r.pos++
	if c == '\n' || (c == '\r' && (r.pos >= len(r.in) || r.in[r.pos] != '\n')) {
		r.line++
	}
	return c, line, true
}

// readLine appends the next logical line to buf: leading whitespace, blank lines and comment lines are
// skipped, and a line ending in an odd number of backslashes continues on the next natural line (whose
// leading whitespace is skipped). It returns the natural line where the logical line starts; ok is false
// at the end of the input.
func (r *lineReader) readLine(buf []rune) (line []rune, start int, ok bool) {
	var (
		skipSpace      = true  // skipping leading whitespace of a natural line
		continuation   = false // the natural line continues a logical line
		newLine        = true  // no character of the logical line seen yet
		trailingEscape = false // an odd number of backslashes precedes
	)
	for {
		c, at, more := r.get()
		if !more {
			break
		}
		if skipSpace {
			if isPropSpace(c) || (!continuation && (c == '\r' || c == '\n')) {
				continue
			}
			skipSpace, continuation = false, false
		}
		if newLine {
			newLine = false
			start = at
			if c == '#' || c == '!' {
				// A comment runs to the end of its natural line and never continues.
				for c != '\n' && c != '\r' {
					if c, _, more = r.get(); !more {
						return buf, 0, false
					}
				}
				skipSpace, newLine = true, true
				continue
			}
		}
		if c != '\n' && c != '\r' {
			buf = append(buf, c)
			trailingEscape = c == '\\' && !trailingEscape
			continue
		}
		if len(buf) == 0 {
			skipSpace, newLine = true, true
			continue
		}
		if !trailingEscape {
			return buf, start, true
		}
		buf = buf[:len(buf)-1]
		skipSpace, continuation, trailingEscape = true, true, false
		if c == '\r' && r.pos < len(r.in) && r.in[r.pos] == '\n' {
			r.get()
		}
	}
	if len(buf) == 0 {
		return buf, 0, false
	}
	if trailingEscape { // a backslash at the end of the input is dropped
		buf = buf[:len(buf)-1]
	}
	return buf, start, true
}

func isPropSpace(c rune) bool { return c == ' ' || c == '\t' || c == '\f' }

// splitKeyValue finds the end of the key (the first unescaped '=', ':' or whitespace) and the start of the
// value (after whitespace, at most one '=' or ':', and whitespace again).
func splitKeyValue(line []rune) (keyEnd, valStart int) {
	keyEnd, valStart = len(line), len(line)
	hasSep, escaped := false, false
	for i, c := range line {
		if !escaped && (c == '=' || c == ':') {
			keyEnd, valStart, hasSep = i, i+1, true
			break
		}
		if !escaped && isPropSpace(c) {
			keyEnd, valStart = i, i+1
			break
		}
		escaped = c == '\\' && !escaped
	}
	for valStart < len(line) {
		c := line[valStart]
		if !isPropSpace(c) {
			if hasSep || (c != '=' && c != ':') {
				break
			}
			hasSep = true
		}
		valStart++
	}
	return keyEnd, valStart
}

// errMalformedUnicode is Java's text for a bad \u escape.
var errMalformedUnicode = fmt.Errorf(`Malformed \uxxxx encoding.`)

// unescape decodes the escapes of a key or value: \t \n \r \f, \uXXXX, and a backslash before any other
// character standing for that character. out is scratch space, returned for reuse.
func unescape(s []rune, out []rune) (string, []rune, error) {
	if !slices.Contains(s, '\\') {
		return string(s), out, nil
	}
	out = out[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 't':
			c = '\t'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 'f':
			c = '\f'
		case 'u':
			if i+4 >= len(s) {
				return "", out, errMalformedUnicode
			}
			var v rune
			for _, h := range s[i+1 : i+5] {
				d, ok := hexDigit(h)
				if !ok {
					return "", out, errMalformedUnicode
				}
				v = v<<4 | d
			}
			i += 4
			c = v
		}
		out = append(out, c)
	}
	return utf16String(out), out, nil
}

// utf16String converts runes to a string, joining the UTF-16 surrogate pairs that \u escapes spell
// (\uD83D\uDE00 is one emoji, as in Java). A lone surrogate becomes U+FFFD.
func utf16String(rs []rune) string {
	if !slices.ContainsFunc(rs, func(r rune) bool { return utf16.IsSurrogate(r) }) {
		return string(rs)
	}
	u := make([]uint16, 0, len(rs))
	for _, r := range rs {
		if r < 0x10000 {
			u = append(u, uint16(r)) // keeps surrogate halves for Decode to pair
		} else {
			u = utf16.AppendRune(u, r)
		}
	}
	return string(utf16.Decode(u))
}

func hexDigit(c rune) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
