package kafka

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Login modules whose credentials connect-standalone can use.
const (
	plainLoginModule = "org.apache.kafka.common.security.plain.PlainLoginModule"
	scramLoginModule = "org.apache.kafka.common.security.scram.ScramLoginModule"
)

// jaasEntry is one login module of a sasl.jaas.config value:
//
//	org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";
type jaasEntry struct {
	module  string
	quoted  bool // the module name was a quoted string, which may be anything, a password included
	options map[string]string
}

// parseJAAS reads a sasl.jaas.config value the way Kafka's JaasConfig does (java.io.StreamTokenizer with
// // and /* */ comments, quoted or bare values) and requires exactly one login module, as Kafka does for
// a client. Errors use Kafka's texts but never quote the value, which holds a password.
func parseJAAS(text string) (jaasEntry, error) {
	t := &jaasTokenizer{s: text}
	var entries []jaasEntry
	for tok := t.next(); tok.kind != tokEOF; tok = t.next() {
		e := jaasEntry{module: tok.text, quoted: tok.kind != tokWord, options: make(map[string]string)}
		flag := t.next()
		if flag.kind == tokEOF {
			return jaasEntry{}, errors.New("Login module control flag not specified in JAAS config")
		}
		if flag.kind != tokWord && flag.kind != tokQuoted {
			return jaasEntry{}, errors.New("Login module control flag is not available in the JAAS config")
		}
		switch strings.ToUpper(flag.text) {
		case "REQUIRED", "REQUISITE", "SUFFICIENT", "OPTIONAL":
		default:
			return jaasEntry{}, errors.New("Invalid login module control flag in JAAS config (want required, requisite, sufficient or optional)")
		}
		tok = t.next()
		for tok.kind != tokEOF && !tok.is(';') {
			key := tok
			if eq := t.next(); !eq.is('=') {
				return jaasEntry{}, valueMissing(key)
			}
			val := t.next()
			if val.kind != tokWord && val.kind != tokQuoted {
				return jaasEntry{}, valueMissing(key)
			}
			e.options[key.text] = val.text
			tok = t.next()
		}
		if !tok.is(';') {
			return jaasEntry{}, errors.New("JAAS config entry not terminated by semi-colon")
		}
		entries = append(entries, e)
	}
	switch len(entries) {
	case 0:
		return jaasEntry{}, errors.New("Login module not specified in JAAS config")
	case 1:
		return entries[0], nil
	}
	return jaasEntry{}, fmt.Errorf("JAAS config property contains %d login modules, should be 1 module", len(entries))
}

var (
	plainName = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$.-]{0,63}$`)
	className = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$`)
)

// valueMissing names the option only when it is a bare identifier: a quoted "key" may well be a password
// that lost its key.
func valueMissing(key jaasToken) error {
	if key.kind == tokWord && plainName.MatchString(key.text) {
		return fmt.Errorf("Value not specified for key '%s' in JAAS config", key.text)
	}
	return errors.New("Value not specified for a key in JAAS config")
}

// credentials returns the username and password of a PLAIN or SCRAM login module, and whether SCRAM
// should authenticate with a delegation token (tokenauth=true).
func (e jaasEntry) credentials() (user, pass string, tokenAuth bool, err error) {
	switch e.module {
	case plainLoginModule, scramLoginModule:
	default:
		name := "this login module"
		if !e.quoted && className.MatchString(e.module) {
			name = e.module
		}
		return "", "", false, fmt.Errorf("%s is not supported by connect-standalone (use %s or %s)", name, plainLoginModule, scramLoginModule)
	}
	user, hasUser := e.options["username"]
	pass, hasPass := e.options["password"]
	switch {
	case !hasUser:
		return "", "", false, errors.New("the login module has no username option")
	case !hasPass:
		return "", "", false, errors.New("the login module has no password option")
	}
	return user, pass, strings.EqualFold(e.options["tokenauth"], "true"), nil
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokWord
	tokQuoted
	tokNumber
	tokChar
)

type jaasToken struct {
	kind tokKind
	text string // word or quoted text; the character for tokChar
}

func (t jaasToken) is(c byte) bool { return t.kind == tokChar && t.text == string(c) }

// jaasTokenizer splits text like java.io.StreamTokenizer configured by Kafka's JaasConfig: letters, '-',
// '_' and '$' start words, digits and '.' continue them; a token starting with a digit or '.' is a
// number, which JaasConfig does not accept as a value; '"' and '\” quote strings with Java escapes.
type jaasTokenizer struct {
	s   string
	pos int
}

func isWordStart(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '$' || r >= 0xA0
}

func isWordPart(r rune) bool {
	return isWordStart(r) || r >= '0' && r <= '9' || r == '.' || r == '-'
}

func (t *jaasTokenizer) next() jaasToken {
	for t.pos < len(t.s) {
		c := t.s[t.pos]
		switch {
		case c <= ' ':
			t.pos++
		case c == '/' && strings.HasPrefix(t.s[t.pos:], "/*"):
			end := strings.Index(t.s[t.pos+2:], "*/")
			if end < 0 {
				t.pos = len(t.s)
			} else {
				t.pos += 2 + end + 2
			}
		case c == '/':
			// "//" and a lone '/' (StreamTokenizer's comment character) run to the end of the line.
			end := strings.IndexAny(t.s[t.pos:], "\r\n")
			if end < 0 {
				t.pos = len(t.s)
			} else {
				t.pos += end
			}
		case c == '"' || c == '\'':
			return t.quoted(c)
		case c >= '0' && c <= '9' || c == '.' || c == '-':
			start := t.pos
			for t.pos < len(t.s) && (t.s[t.pos] >= '0' && t.s[t.pos] <= '9' || t.s[t.pos] == '.') {
				t.pos++
			}
			if t.pos == start+1 && c == '-' {
				return jaasToken{kind: tokChar, text: "-"}
			}
			return jaasToken{kind: tokNumber, text: t.s[start:t.pos]}
		default:
			r, size := utf8.DecodeRuneInString(t.s[t.pos:])
			if !isWordStart(r) {
				t.pos += size
				return jaasToken{kind: tokChar, text: string(r)}
			}
			start := t.pos
			for t.pos < len(t.s) {
				r, size := utf8.DecodeRuneInString(t.s[t.pos:])
				if !isWordPart(r) {
					break
				}
				t.pos += size
			}
			return jaasToken{kind: tokWord, text: t.s[start:t.pos]}
		}
	}
	return jaasToken{kind: tokEOF}
}

// quoted reads a quoted string; like StreamTokenizer it ends at the closing quote, a line end or the end
// of the text, and understands \n, \t, octal and the other Java escapes.
func (t *jaasTokenizer) quoted(q byte) jaasToken {
	t.pos++
	var b strings.Builder
	for t.pos < len(t.s) {
		c := t.s[t.pos]
		if c == q {
			t.pos++
			break
		}
		if c == '\n' || c == '\r' {
			break
		}
		t.pos++
		if c != '\\' || t.pos >= len(t.s) {
			b.WriteByte(c)
			continue
		}
		e := t.s[t.pos]
		t.pos++
		switch e {
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		default:
			if e >= '0' && e <= '7' {
				n := int(e - '0')
				limit := 2 // up to three octal digits, the first at most 3
				if e > '3' {
					limit = 1
				}
				for ; limit > 0 && t.pos < len(t.s) && t.s[t.pos] >= '0' && t.s[t.pos] <= '7'; limit-- {
					n = n*8 + int(t.s[t.pos]-'0')
					t.pos++
				}
				b.WriteRune(rune(n))
			} else {
				b.WriteByte(e)
			}
		}
	}
	return jaasToken{kind: tokQuoted, text: b.String()}
}
