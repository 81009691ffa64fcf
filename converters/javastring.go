package converters

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Java strings in Go.
//
// A Go string stands for a Java string as its UTF-8 text, with two extensions. A lone UTF-16 surrogate,
// which a Java string may hold (the JSON escape "\uD800" makes one), is kept in its three-byte
// generalised UTF-8 form (ED A0 80 to ED BF BF). Any other invalid byte sequence stands for the U+FFFD
// that Java's UTF-8 decoder would have put in its place, so text read from a file without decoding prints
// the way Apache prints the decoded text.

const replacementChar = '\uFFFD'

// utf8Next reads one character at s[i:] by the rules of Java's UTF-8 decoder. It returns the code point
// and its length; for a well-formed encoding of a surrogate it returns the surrogate (0xD800-0xDFFF),
// which Java's decoder rejects; for a malformed sequence it returns -1 and the number of bytes Java's
// decoder replaces with one U+FFFD.
func utf8Next(s string, i int) (rune, int) {
	b1 := s[i]
	n := len(s) - i
	switch {
	case b1 < 0x80:
		return rune(b1), 1
	case b1 >= 0xc2 && b1 <= 0xdf:
		if n > 1 && isCont(s[i+1]) {
			return rune(b1&0x1f)<<6 | rune(s[i+1]&0x3f), 2
		}
		return -1, 1
	case b1 >= 0xe0 && b1 <= 0xef:
		if n < 3 {
			if n > 1 && bad3(b1, s[i+1]) {
				return -1, 1
			}
			return -1, n // a truncated sequence at the end is replaced as a whole
		}
		b2, b3 := s[i+1], s[i+2]
		if bad3(b1, b2) {
			return -1, 1
		}
		if !isCont(b3) {
			return -1, 2
		}
		return rune(b1&0x0f)<<12 | rune(b2&0x3f)<<6 | rune(b3&0x3f), 3
	case b1 >= 0xf0 && b1 <= 0xf4:
		if n < 4 {
			switch {
			case n > 1 && bad4(b1, s[i+1]):
				return -1, 1
			case n > 2 && !isCont(s[i+2]):
				return -1, 2
			}
			return -1, n
		}
		b2, b3, b4 := s[i+1], s[i+2], s[i+3]
		switch {
		case bad4(b1, b2):
			return -1, 1
		case !isCont(b3):
			return -1, 2
		case !isCont(b4):
			return -1, 3
		}
		return rune(b1&0x07)<<18 | rune(b2&0x3f)<<12 | rune(b3&0x3f)<<6 | rune(b4&0x3f), 4
	}
	return -1, 1
}

func isCont(b byte) bool { return b&0xc0 == 0x80 }

// bad3 reports whether b2 cannot follow the lead byte b1 of a three-byte sequence (overlong E0 forms).
func bad3(b1, b2 byte) bool { return b1 == 0xe0 && b2&0xe0 == 0x80 || !isCont(b2) }

// bad4 reports whether b2 cannot follow the lead byte b1 of a four-byte sequence (overlong F0 forms and
// code points above U+10FFFF).
func bad4(b1, b2 byte) bool {
	return b1 == 0xf0 && (b2 < 0x90 || b2 > 0xbf) || b1 == 0xf4 && b2&0xf0 != 0x80 || !isCont(b2)
}

func isSurrogate(r rune) bool     { return r >= 0xd800 && r <= 0xdfff }
func isHighSurrogate(r rune) bool { return r >= 0xd800 && r <= 0xdbff }
func isLowSurrogate(r rune) bool  { return r >= 0xdc00 && r <= 0xdfff }

// javaChar reads the character at s[i:] of a Go string standing for a Java string (see above): a code
// point, a lone surrogate, or U+FFFD for invalid bytes. Two surrogates in generalised form that make a
// pair are read together as the code point they encode.
func javaChar(s string, i int) (rune, int) {
	if s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	r, n := utf8Next(s, i)
	switch {
	case r < 0:
		return replacementChar, n
	case isHighSurrogate(r) && i+n < len(s):
		if lo, m := utf8Next(s, i+n); isLowSurrogate(lo) {
			return (r-0xd800)<<10 + (lo - 0xdc00) + 0x10000, n + m
		}
	}
	return r, n
}

// decodeUTF8 is Java's new String(bytes, UTF_8): malformed input becomes U+FFFD.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	s := string(b)
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8Next(s, i)
		if r < 0 || isSurrogate(r) {
			sb.WriteRune(replacementChar)
		} else {
			sb.WriteString(s[i : i+n])
		}
		i += n
	}
	return sb.String()
}

// appendUTF8 is Java's String.getBytes(UTF_8): a lone surrogate becomes '?'.
func appendUTF8(dst []byte, s string) []byte {
	if utf8.ValidString(s) {
		return append(dst, s...)
	}
	for i := 0; i < len(s); {
		r, n := javaChar(s, i)
		if isSurrogate(r) {
			dst = append(dst, '?')
		} else {
			dst = utf8.AppendRune(dst, r)
		}
		i += n
	}
	return dst
}

// charset is the part of a Java charset a StringConverter uses.
type charset struct {
	name   string
	encode func(dst []byte, s string) []byte
	decode func(b []byte) string
}

var charsets = []*charset{
	{"UTF-8", appendUTF8, decodeUTF8},
	{"UTF-16", func(dst []byte, s string) []byte {
		if s == "" {
			return dst
		}
		return appendUTF16(append(dst, 0xfe, 0xff), s, false)
	}, func(b []byte) string {
		switch {
		case len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff:
			return decodeUTF16(b[2:], false)
		case len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe:
			return decodeUTF16(b[2:], true)
		}
		return decodeUTF16(b, false)
	}},
	{"UTF-16BE", func(dst []byte, s string) []byte { return appendUTF16(dst, s, false) },
		func(b []byte) string { return decodeUTF16(b, false) }},
	{"UTF-16LE", func(dst []byte, s string) []byte { return appendUTF16(dst, s, true) },
		func(b []byte) string { return decodeUTF16(b, true) }},
	{"ISO-8859-1", func(dst []byte, s string) []byte { return appendSingleByte(dst, s, 0xff) },
		func(b []byte) string { return decodeSingleByte(b, 0xff) }},
	{"US-ASCII", func(dst []byte, s string) []byte { return appendSingleByte(dst, s, 0x7f) },
		func(b []byte) string { return decodeSingleByte(b, 0x7f) }},
}

// charsetAliases are the other names Java accepts for the charsets above.
var charsetAliases = map[string]string{
	"utf8": "UTF-8", "unicode-1-1-utf-8": "UTF-8",
	"utf_16": "UTF-16", "unicodebig": "UTF-16", "unicode": "UTF-16", "utf16": "UTF-16",
	"iso-10646-ucs-2": "UTF-16BE", "utf_16be": "UTF-16BE", "unicodebigunmarked": "UTF-16BE", "x-utf-16be": "UTF-16BE",
	"utf_16le": "UTF-16LE", "unicodelittleunmarked": "UTF-16LE", "x-utf-16le": "UTF-16LE",
	"819": "ISO-8859-1", "8859_1": "ISO-8859-1", "ibm-819": "ISO-8859-1", "ibm819": "ISO-8859-1",
	"iso8859-1": "ISO-8859-1", "iso8859_1": "ISO-8859-1", "iso_8859-1": "ISO-8859-1", "iso_8859-1:1987": "ISO-8859-1",
	"iso_8859_1": "ISO-8859-1", "cp819": "ISO-8859-1", "csisolatin1": "ISO-8859-1", "iso-ir-100": "ISO-8859-1",
	"l1": "ISO-8859-1", "latin1": "ISO-8859-1",
	"646": "US-ASCII", "ansi_x3.4-1968": "US-ASCII", "ansi_x3.4-1986": "US-ASCII", "ascii": "US-ASCII",
	"ibm367": "US-ASCII", "iso646-us": "US-ASCII", "iso_646.irv:1991": "US-ASCII", "ascii7": "US-ASCII",
	"cp367": "US-ASCII", "csascii": "US-ASCII", "default": "US-ASCII", "iso-ir-6": "US-ASCII",
	"iso_646.irv:1983": "US-ASCII", "us": "US-ASCII",
}

// lookupCharset finds a charset by its Java name or alias, ignoring case as Java does.
func lookupCharset(name string) (*charset, error) {
	canonical := name
	if c, ok := charsetAliases[strings.ToLower(name)]; ok {
		canonical = c
	}
	for _, cs := range charsets {
		if strings.EqualFold(cs.name, canonical) {
			return cs, nil
		}
	}
	names := make([]string, len(charsets))
	for i, cs := range charsets {
		names[i] = cs.name
	}
	return nil, fmt.Errorf("unsupported encoding %s (supported: %s)", name, strings.Join(names, ", "))
}

// appendUTF16 encodes s as UTF-16 code units; a lone surrogate is replaced with U+FFFD, as Java's encoder
// replaces what it cannot encode.
func appendUTF16(dst []byte, s string, little bool) []byte {
	put := func(dst []byte, u rune) []byte {
		if little {
			return append(dst, byte(u), byte(u>>8))
		}
		return append(dst, byte(u>>8), byte(u))
	}
	for i := 0; i < len(s); {
		r, n := javaChar(s, i)
		i += n
		switch {
		case isSurrogate(r):
			dst = put(dst, replacementChar)
		case r >= 0x10000:
			r -= 0x10000
			dst = put(dst, 0xd800+r>>10)
			dst = put(dst, 0xdc00+r&0x3ff)
		default:
			dst = put(dst, r)
		}
	}
	return dst
}

// decodeUTF16 decodes UTF-16 code units the way Java does: an unpaired low surrogate, a high surrogate
// followed by anything but a low one (both units are replaced), a truncated pair and an odd last byte each
// become U+FFFD.
func decodeUTF16(b []byte, little bool) string {
	unit := func(i int) rune {
		if little {
			return rune(b[i]) | rune(b[i+1])<<8
		}
		return rune(b[i])<<8 | rune(b[i+1])
	}
	out := make([]byte, 0, len(b))
	i := 0
	for ; i+1 < len(b); i += 2 {
		u := unit(i)
		switch {
		case isHighSurrogate(u):
			if i+3 >= len(b) {
				return string(utf8.AppendRune(out, replacementChar))
			}
			lo := unit(i + 2)
			i += 2
			if isLowSurrogate(lo) {
				out = utf8.AppendRune(out, (u-0xd800)<<10+(lo-0xdc00)+0x10000)
			} else {
				out = utf8.AppendRune(out, replacementChar)
			}
		case isLowSurrogate(u):
			out = utf8.AppendRune(out, replacementChar)
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	if i < len(b) {
		out = utf8.AppendRune(out, replacementChar)
	}
	return string(out)
}

// appendSingleByte encodes s in ISO-8859-1 (max 0xff) or US-ASCII (max 0x7f); other characters, a
// surrogate pair counting as one, become '?'.
func appendSingleByte(dst []byte, s string, maxChar rune) []byte {
	for i := 0; i < len(s); {
		r, n := javaChar(s, i)
		i += n
		if r > maxChar {
			r = '?'
		}
		dst = append(dst, byte(r))
	}
	return dst
}

// decodeSingleByte decodes ISO-8859-1 (max 0xff, every byte is its character) or US-ASCII (max 0x7f,
// other bytes become U+FFFD).
func decodeSingleByte(b []byte, maxChar byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		r := rune(c)
		if c > maxChar {
			r = replacementChar
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}
