package converters

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// JSON input as Apache's JsonConverter reads it: Jackson's ObjectMapper.readTree with leading zeros
// allowed and floating-point numbers kept as exact decimals. Only the first value of the input is read
// (whatever follows is ignored, except that a top-level number must end at white space); an empty input
// is the "missing" node.

// DecodeJSON decodes JSON the way Apache's JsonConverter reads a schemaless value (schemas.enable=false),
// as Apache also reads source offsets and partitions: null, booleans, integers as int64 (wrapping beyond
// 64 bits, as Java's longValue does), other numbers as float64, strings, arrays as []any and objects as
// connectors.MapValue in Java HashMap order. Empty input decodes to nil.
func DecodeJSON(data []byte) (any, error) {
	n, _, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	return jsonToSchemaless(&n)
}

type jsonKind uint8

const (
	jsonMissing jsonKind = iota
	jsonNull
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// Jackson's node type names, used in Apache's error messages.
var jsonKindNames = [...]string{
	jsonMissing: "MISSING", jsonNull: "NULL", jsonBool: "BOOLEAN", jsonNumber: "NUMBER",
	jsonString: "STRING", jsonArray: "ARRAY", jsonObject: "OBJECT",
}

// numberClass is the class of Jackson's number node: IntNode, LongNode, BigIntegerNode or, for any
// number with a fraction or an exponent, an exact DecimalNode.
type numberClass uint8

const (
	numInt numberClass = iota
	numLong
	numBigInteger
	numDecimal
)

// jsonNode is a node of the parsed tree.
type jsonNode struct {
	kind jsonKind
	num  numberClass
	b    bool
	// text is a string's value or a number's literal text.
	text string
	// i is the value of an int or long number.
	i int64
	// kids are an array's elements or an object's values; keys are the object's keys, in order of first
	// appearance (a repeated key keeps its first place and its last value, as in Jackson's ObjectNode).
	kids []jsonNode
	keys []string
	// start and end delimit the node's text in the input.
	start, end int
}

func (n *jsonNode) get(key string) *jsonNode {
	for i, k := range n.keys {
		if k == key {
			return &n.kids[i]
		}
	}
	return nil
}

func (n *jsonNode) isNull() bool { return n == nil || n.kind == jsonNull || n.kind == jsonMissing }

// maxJSONDepth bounds nesting, where Jackson 2.13 would eventually overflow the Java stack.
const maxJSONDepth = 10000

type jsonParser struct {
	data  []byte
	pos   int
	depth int
	// kids and keys collect the children of the containers being read, so that each container gets its
	// slices in one allocation when it is complete.
	kids []jsonNode
	keys []string
	// arena and keyArena hold the children of completed containers; nodes point into them.
	arena    []jsonNode
	keyArena []string
	// skipping is set while a value is only being checked: nothing is kept.
	skipping bool
	// skipKey, when set, is a key of the top-level object whose value is only checked and delimited
	// (kind jsonSkipped), to be read later if at all.
	skipKey string
}

// jsonSkipped marks a value that was checked but not read; its text is data[start:end].
const jsonSkipped jsonKind = 255

// parseJSON parses the first JSON value of data. Like Jackson it reads UTF-8 (after an optional byte
// order mark), UTF-16 and UTF-32, telling them apart by the first bytes; it returns the UTF-8 text the
// nodes' positions refer to.
func parseJSON(data []byte) (jsonNode, []byte, error) {
	var p jsonParser
	return p.parse(data, "")
}

// parse parses data with p, whose scratch space is reused from call to call.
func (p *jsonParser) parse(data []byte, skipKey string) (jsonNode, []byte, error) {
	data = transcodeJSON(data)
	*p = jsonParser{data: data, skipKey: skipKey, kids: p.kids[:0], keys: p.keys[:0],
		arena: p.arena[:0], keyArena: p.keyArena[:0]}
	p.skipSpace()
	if p.pos >= len(p.data) {
		return jsonNode{kind: jsonMissing}, data, nil
	}
	n, err := p.value()
	if err != nil {
		return n, data, err
	}
	if n.kind == jsonNumber && p.pos < len(p.data) && !isJSONSpace(p.data[p.pos]) {
		return n, data, p.errorf("Expected space separating root-level values")
	}
	return n, data, nil
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) && isJSONSpace(p.data[p.pos]) {
		p.pos++
	}
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("JSON parse error at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *jsonParser) unexpected(what string) error {
	if p.pos >= len(p.data) {
		return p.errorf("unexpected end of input: %s", what)
	}
	c := p.data[p.pos]
	if c < 0x20 {
		return p.errorf("illegal character (code %d): %s", c, what)
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return p.errorf("unexpected character %q: %s", r, what)
}

func (p *jsonParser) value() (jsonNode, error) {
	if p.pos >= len(p.data) {
		return jsonNode{}, p.unexpected("expected a value")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return jsonNode{kind: jsonString, text: s, start: start, end: p.pos}, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return jsonNode{kind: jsonBool, b: true, start: start, end: p.pos + 4}, p.literal("true")
	case c == 'f':
		return jsonNode{kind: jsonBool, start: start, end: p.pos + 5}, p.literal("false")
	case c == 'n':
		return jsonNode{kind: jsonNull, start: start, end: p.pos + 4}, p.literal("null")
	}
	return jsonNode{}, p.unrecognized()
}

// unrecognized reports a bare word the way Jackson names it.
func (p *jsonParser) unrecognized() error {
	end := p.pos
	for end < len(p.data) {
		r, n := utf8.DecodeRune(p.data[end:])
		if !isIdentifierPart(r) {
			break
		}
		end += n
	}
	if end == p.pos {
		return p.unexpected("expected a JSON value (string, number, array, object, true, false or null)")
	}
	return p.errorf("unrecognized token '%s': expected a JSON value (string, number, array, object, true, false or null)", p.data[p.pos:end])
}

func isIdentifierPart(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) || r >= utf8.RuneSelf && r != utf8.RuneError
}

func (p *jsonParser) literal(word string) error {
	end := p.pos + len(word)
	if end > len(p.data) || string(p.data[p.pos:end]) != word {
		return p.unrecognized()
	}
	if end < len(p.data) {
		if r, _ := utf8.DecodeRune(p.data[end:]); isIdentifierPart(r) {
			return p.unrecognized()
		}
	}
	p.pos = end
	return nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("nesting deeper than %d levels", maxJSONDepth)
	}
	return nil
}

func (p *jsonParser) array() (jsonNode, error) {
	if err := p.enter(); err != nil {
		return jsonNode{}, err
	}
	base := len(p.kids)
	n, err := p.arrayBody(base)
	p.kids = p.kids[:base]
	p.depth--
	return n, err
}

func (p *jsonParser) arrayBody(base int) (jsonNode, error) {
	n := jsonNode{kind: jsonArray, start: p.pos}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		n.end = p.pos
		return n, nil
	}
	for {
		p.skipSpace()
		el, err := p.value()
		if err != nil {
			return n, err
		}
		p.kids = append(p.kids, el)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return n, p.unexpected("expected ',' or ']' in an array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			n.end = p.pos
			n.kids = p.keep(base)
			return n, nil
		default:
			return n, p.unexpected("expected ',' or ']' in an array")
		}
	}
}

func (p *jsonParser) object() (jsonNode, error) {
	if err := p.enter(); err != nil {
		return jsonNode{}, err
	}
	base, keyBase := len(p.kids), len(p.keys)
	n, err := p.objectBody(base, keyBase)
	p.kids, p.keys = p.kids[:base], p.keys[:keyBase]
	p.depth--
	return n, err
}

func (p *jsonParser) objectBody(base, keyBase int) (jsonNode, error) {
	n := jsonNode{kind: jsonObject, start: p.pos}
	top := p.depth == 1
	p.pos++
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		n.end = p.pos
		return n, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return n, p.unexpected("expected a double-quoted field name")
		}
		key, err := p.str()
		if err != nil {
			return n, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return n, p.unexpected("expected ':' after a field name")
		}
		p.pos++
		p.skipSpace()
		var val jsonNode
		if top && p.skipKey != "" && key == p.skipKey {
			val = jsonNode{kind: jsonSkipped, start: p.pos}
			err = p.skip()
			val.end = p.pos
		} else {
			val, err = p.value()
		}
		if err != nil {
			return n, err
		}
		if i := slices.Index(p.keys[keyBase:], key); i >= 0 {
			p.kids[base+i] = val // a repeated key keeps its place and takes the last value
		} else {
			p.keys = append(p.keys, key)
			p.kids = append(p.kids, val)
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return n, p.unexpected("expected ',' or '}' in an object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			n.end = p.pos
			n.kids = p.keep(base)
			if !p.skipping {
				start := len(p.keyArena)
				p.keyArena = append(p.keyArena, p.keys[keyBase:]...)
				n.keys = p.keyArena[start:len(p.keyArena):len(p.keyArena)]
			}
			return n, nil
		default:
			return n, p.unexpected("expected ',' or '}' in an object")
		}
	}
}

// keep moves the children collected since base into the arena and returns them.
func (p *jsonParser) keep(base int) []jsonNode {
	if p.skipping {
		return nil
	}
	start := len(p.arena)
	p.arena = append(p.arena, p.kids[base:]...)
	return p.arena[start:len(p.arena):len(p.arena)]
}

// skip checks the value at p.pos like value does, without keeping anything of it.
func (p *jsonParser) skip() error {
	p.skipping = true
	_, err := p.value()
	p.skipping = false
	return err
}

// internKey returns the string of s, without allocating for the keys of Connect's envelope and schemas.
func internKey(s []byte) string {
	switch string(s) {
	case "schema":
		return "schema"
	case "payload":
		return "payload"
	case "type":
		return "type"
	case "optional":
		return "optional"
	case "name":
		return "name"
	case "version":
		return "version"
	case "doc":
		return "doc"
	case "parameters":
		return "parameters"
	case "default":
		return "default"
	case "items":
		return "items"
	case "keys":
		return "keys"
	case "values":
		return "values"
	case "fields":
		return "fields"
	case "field":
		return "field"
	case "string":
		return "string"
	case "struct":
		return "struct"
	case "int32":
		return "int32"
	case "int64":
		return "int64"
	}
	return string(s)
}

// str reads a string at p.pos (the opening quote). Escapes are Jackson's; control characters must be
// escaped; multi-byte UTF-8 is decoded as Jackson does, without rejecting overlong forms or encoded
// surrogates, so a lone surrogate stays one (see javastring.go).
func (p *jsonParser) str() (string, error) {
	p.pos++
	start := p.pos
	// Fast path: nothing to unescape and valid UTF-8.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			if s := p.data[start:p.pos]; utf8.Valid(s) {
				p.pos++
				if p.skipping {
					return "", nil
				}
				return internKey(s), nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	// Slow path: keep the plain prefix when it is valid UTF-8, then decode the rest char by char.
	prefix := p.data[start:p.pos]
	if !utf8.Valid(prefix) {
		p.pos, prefix = start, nil
	}
	out := make([]byte, 0, len(prefix)+32)
	out = append(out, prefix...)
	for {
		if p.pos >= len(p.data) {
			return "", p.unexpected("unterminated string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(out), nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			if isHighSurrogate(r) && p.pos+6 <= len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
				save := p.pos
				if lo, err := p.escape(); err == nil && isLowSurrogate(lo) {
					out = utf8.AppendRune(out, (r-0xd800)<<10+(lo-0xdc00)+0x10000)
					continue
				}
				p.pos = save
			}
			out = appendWTF8(out, r)
		case c < 0x20:
			return "", p.errorf("illegal unquoted character (code %d): has to be escaped in a string", c)
		case c < utf8.RuneSelf:
			out = append(out, c)
			p.pos++
		default:
			var err error
			if out, err = p.multiByte(out); err != nil {
				return "", err
			}
		}
	}
}

// escape reads a backslash escape and returns the char it stands for (a UTF-16 unit for \u).
func (p *jsonParser) escape() (rune, error) {
	p.pos++
	if p.pos >= len(p.data) {
		return 0, p.unexpected("unterminated escape")
	}
	c := p.data[p.pos]
	p.pos++
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		var r rune
		for range 4 {
			if p.pos >= len(p.data) {
				return 0, p.unexpected("expected a hex digit in a \\u escape")
			}
			d := hexValue(p.data[p.pos])
			if d < 0 {
				return 0, p.unexpected("expected a hex digit in a \\u escape")
			}
			r = r<<4 | d
			p.pos++
		}
		return r, nil
	}
	p.pos--
	return 0, p.unexpected("unrecognized character escape")
}

func hexValue(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// multiByte decodes one multi-byte UTF-8 sequence inside a string the way Jackson does: the lead byte
// gives the length and the following bytes must be continuation bytes; the value is not checked further.
func (p *jsonParser) multiByte(out []byte) ([]byte, error) {
	c := p.data[p.pos]
	var n int
	var r rune
	switch {
	case c&0xe0 == 0xc0:
		n, r = 2, rune(c&0x1f)
	case c&0xf0 == 0xe0:
		n, r = 3, rune(c&0x0f)
	case c&0xf8 == 0xf0:
		n, r = 4, rune(c&0x07)
	default:
		return out, p.errorf("invalid UTF-8 start byte 0x%02x", c)
	}
	for i := 1; i < n; i++ {
		if p.pos+i >= len(p.data) {
			return out, p.unexpected("unterminated string")
		}
		d := p.data[p.pos+i]
		if !isCont(d) {
			return out, p.errorf("invalid UTF-8 middle byte 0x%02x", d)
		}
		r = r<<6 | rune(d&0x3f)
	}
	p.pos += n
	if n == 4 {
		// Java splits it into two chars, keeping only 16 bits of each.
		r -= 0x10000
		hi, lo := (0xd800|r>>10)&0xffff, 0xdc00|r&0x3ff
		if isHighSurrogate(hi) {
			return utf8.AppendRune(out, (hi-0xd800)<<10+(lo-0xdc00)+0x10000), nil
		}
		return appendWTF8(appendWTF8(out, hi), lo), nil
	}
	return appendWTF8(out, r), nil
}

// appendWTF8 appends a UTF-16 char, keeping a surrogate in its generalised UTF-8 form.
func appendWTF8(dst []byte, r rune) []byte {
	if isSurrogate(r) {
		return append(dst, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
	}
	return utf8.AppendRune(dst, r)
}

func (p *jsonParser) number() (jsonNode, error) {
	start := p.pos
	n := jsonNode{kind: jsonNumber, start: start}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
		p.pos++
	}
	if p.pos == digits {
		return n, p.unexpected("expected a digit after a minus sign")
	}
	integral := true
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		integral = false
		p.pos++
		frac := p.pos
		for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
			p.pos++
		}
		if p.pos == frac {
			return n, p.unexpected("decimal point not followed by a digit")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		integral = false
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		exp := p.pos
		for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
			p.pos++
		}
		if p.pos == exp {
			return n, p.unexpected("exponent indicator not followed by a digit")
		}
	}
	n.end = p.pos
	if !integral {
		n.num = numDecimal
		if !decimalInRange(p.data[start:p.pos]) {
			return n, p.errorf("number %s: scale out of range", p.data[start:p.pos])
		}
		if !p.skipping {
			n.text = string(p.data[start:p.pos])
		}
		return n, nil
	}
	n.text = string(p.data[start:p.pos])
	v, err := strconv.ParseInt(n.text, 10, 64)
	switch {
	case err != nil:
		n.num = numBigInteger
	case v >= math.MinInt32 && v <= math.MaxInt32:
		n.num, n.i = numInt, v
	default:
		n.num, n.i = numLong, v
	}
	return n, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// decimalInRange reports whether a JSON number's BigDecimal scale (fraction digits minus exponent) fits
// in 32 bits, as Java requires.
func decimalInRange(text []byte) bool {
	frac, exp := int64(0), int64(0)
	i := 0
	for i < len(text) && text[i] != '.' && text[i] != 'e' && text[i] != 'E' {
		i++
	}
	if i < len(text) && text[i] == '.' {
		for i++; i < len(text) && isDigit(text[i]); i++ {
			frac++
		}
	}
	if i < len(text) {
		i++
		neg := text[i] == '-'
		if text[i] == '-' || text[i] == '+' {
			i++
		}
		for ; i < len(text); i++ {
			exp = exp*10 + int64(text[i]-'0')
			if exp > 1<<40 {
				return false
			}
		}
		if neg {
			exp = -exp
		}
		if exp > math.MaxInt32 || exp < math.MinInt32 {
			return false
		}
	}
	scale := frac - exp
	return scale <= math.MaxInt32 && scale >= math.MinInt32
}

// Number accessors, with the conversions of Jackson's numeric nodes (Java's narrowing casts, BigInteger
// and BigDecimal truncation). Non-numeric nodes give 0, as Jackson's do.

func (n *jsonNode) longValue() int64 {
	if n.kind != jsonNumber {
		return 0
	}
	switch n.num {
	case numInt, numLong:
		return n.i
	}
	// Jackson's longValue of a big or fractional number: the integer part's low 64 bits.
	d, ok := connectors.ParseDecimal(n.text)
	if !ok {
		return 0
	}
	return connectors.DecimalLong(d)
}

func (n *jsonNode) intValue() int32 { return int32(n.longValue()) }

func (n *jsonNode) doubleValue() float64 {
	if n.kind != jsonNumber {
		return 0
	}
	switch n.num {
	case numInt, numLong:
		return float64(n.i)
	}
	f, _ := strconv.ParseFloat(n.text, 64)
	return decimalZero(n.text, f)
}

// decimalZero makes the result of converting a zero BigDecimal positive: unlike a double, a BigDecimal
// has no negative zero, but a negative value too small for the type still converts to -0.0.
func decimalZero(text string, f float64) float64 {
	if f != 0 {
		return f
	}
	for i := 0; i < len(text) && text[i] != 'e' && text[i] != 'E'; i++ {
		if text[i] >= '1' && text[i] <= '9' {
			return f
		}
	}
	return 0
}

func (n *jsonNode) floatValue() float32 {
	if n.kind != jsonNumber {
		return 0
	}
	switch n.num {
	case numInt, numLong:
		return float32(n.i)
	}
	f, _ := strconv.ParseFloat(n.text, 32)
	return float32(decimalZero(n.text, f))
}

// decimalValue is the node's exact value as a BigDecimal (integers with scale 0).
func (n *jsonNode) decimalValue() connectors.Decimal {
	if n.num == numInt || n.num == numLong {
		return connectors.Decimal{Unscaled: big.NewInt(n.i)}
	}
	d, _ := connectors.ParseDecimal(n.text)
	return d
}

func (n *jsonNode) isIntegral() bool { return n.kind == jsonNumber && n.num != numDecimal }

func (n *jsonNode) isInt() bool { return n.kind == jsonNumber && n.num == numInt }

// binaryValue is TextNode.binaryValue: the string decoded as base64, or nil for a node that is not a
// string.
func (n *jsonNode) binaryValue() ([]byte, error) {
	if n.kind != jsonString {
		return nil, nil
	}
	return decodeJacksonBase64(n.text)
}

// decodeJacksonBase64 decodes base64 as Jackson's default variant does: the standard alphabet, padding
// required, white space (anything up to U+0020) allowed before each group of four.
func decodeJacksonBase64(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)*3/4)
	i := 0
	next := func() (int, bool) {
		if i >= len(s) {
			return 0, false
		}
		c := s[i]
		i++
		return int(base64Value[c]), true
	}
	for {
		for i < len(s) && s[i] <= ' ' {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		b0, _ := next()
		if b0 < 0 {
			return nil, errors.New("illegal character in base64 content")
		}
		b1, ok := next()
		if !ok || b1 < 0 {
			return nil, errors.New("unexpected end or illegal character in base64 content")
		}
		b2, ok := next()
		if !ok {
			return nil, errors.New("base64 content must end with padding")
		}
		if b2 < 0 {
			if b2 != base64Pad {
				return nil, errors.New("illegal character in base64 content")
			}
			if b3, ok := next(); !ok || b3 != base64Pad {
				return nil, errors.New("expected padding character '='")
			}
			out = append(out, byte((b0<<6|b1)>>4))
			continue
		}
		b3, ok := next()
		if !ok {
			return nil, errors.New("base64 content must end with padding")
		}
		if b3 < 0 {
			if b3 != base64Pad {
				return nil, errors.New("illegal character in base64 content")
			}
			v := (b0<<12 | b1<<6 | b2) >> 2
			out = append(out, byte(v>>8), byte(v))
			continue
		}
		v := b0<<18 | b1<<12 | b2<<6 | b3
		out = append(out, byte(v>>16), byte(v>>8), byte(v))
	}
}

const base64Pad = -2

var base64Value = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = int8(i)
	}
	t['='] = base64Pad
	return t
}()

// jsonToSchemaless converts a node to the value Apache's JsonConverter returns without a schema.
func jsonToSchemaless(n *jsonNode) (any, error) {
	switch n.kind {
	case jsonBool:
		return n.b, nil
	case jsonNumber:
		if n.isIntegral() {
			return n.longValue(), nil
		}
		return n.doubleValue(), nil
	case jsonString:
		return n.text, nil
	case jsonArray:
		out := make([]any, len(n.kids))
		for i := range n.kids {
			v, err := jsonToSchemaless(&n.kids[i])
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case jsonObject:
		m := make(connectors.MapValue, len(n.kids))
		for i := range n.kids {
			v, err := jsonToSchemaless(&n.kids[i])
			if err != nil {
				return nil, err
			}
			m[i] = connectors.MapEntry{Key: n.keys[i], Value: v}
		}
		connectors.SortHashMap(m, 0)
		return m, nil
	}
	return nil, nil
}

// transcodeJSON detects the encoding of JSON input as Jackson's bootstrapper does and returns it as
// UTF-8 without a byte order mark.
func transcodeJSON(b []byte) []byte {
	switch {
	case len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf:
		return b[3:]
	case len(b) >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xfe && b[3] == 0xff:
		return utf32ToUTF8(b[4:], false)
	case len(b) >= 4 && b[0] == 0xff && b[1] == 0xfe && b[2] == 0 && b[3] == 0:
		return utf32ToUTF8(b[4:], true)
	case len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff:
		return []byte(decodeUTF16(b[2:], false))
	case len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe:
		return []byte(decodeUTF16(b[2:], true))
	case len(b) >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0:
		return utf32ToUTF8(b, false)
	case len(b) >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0:
		return utf32ToUTF8(b, true)
	case len(b) >= 2 && b[0] == 0 && b[1] != 0:
		return []byte(decodeUTF16(b, false))
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
		return []byte(decodeUTF16(b, true))
	}
	return b
}

func utf32ToUTF8(b []byte, little bool) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i+3 < len(b); i += 4 {
		var r rune
		if little {
			r = rune(b[i]) | rune(b[i+1])<<8 | rune(b[i+2])<<16 | rune(b[i+3])<<24
		} else {
			r = rune(b[i])<<24 | rune(b[i+1])<<16 | rune(b[i+2])<<8 | rune(b[i+3])
		}
		if r < 0 || r > unicode.MaxRune || isSurrogate(r) {
			r = replacementChar
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}
