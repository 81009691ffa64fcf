package converters

import (
	"encoding/base64"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Apache's org.apache.kafka.connect.data.Values, as of 3.6: the text form SimpleHeaderConverter writes for
// any value, and the inference that reads such text back into a schema and a value. The inference has
// many quirks (only the first number of "1,2" is read, backslashes stay in quoted strings, a failed
// array or map reverts to the whole text as a string); they are kept, since they decide what a sink
// receives.

// schemaAndValue is a parse result; a nil *schemaAndValue is Java's null (the text "null").
type schemaAndValue struct {
	schema *connectors.Schema
	value  any
}

var (
	dateSchema      = connectors.DateSchema(false)
	timeSchema      = connectors.TimeSchema(false)
	timestampSchema = connectors.TimestampSchema(false)
	trueValue       = &schemaAndValue{connectors.BooleanSchema, true}
	falseValue      = &schemaAndValue{connectors.BooleanSchema, false}
)

// errRevert is Apache's DataException inside the parser: the array or map being read is abandoned.
var errRevert = errors.New("not a valid array or map")

// errCrash stands for the unexpected exceptions Apache's parser throws on some inputs (a
// NumberFormatException, a NullPointerException, a StackOverflowError), after which SimpleHeaderConverter
// returns the raw bytes.
var errCrash = errors.New("header text that Apache's parser fails on")

// maxValuesDepth bounds nesting; deeper text crashes, as Java overflows its stack (with the default 1 MB
// thread stack, Apache 3.6 reads 1500 nested arrays and fails on 2000).
const maxValuesDepth = 1500

// appendValuesText appends Values.convertToString's text for v: strings raw at the top level and quoted
// (with only '\' and '"' escaped) inside lists and maps, bytes as base64, dates in ISO 8601 forms.
func appendValuesText(dst []byte, v any, embedded bool) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case int8, int16, int32, int64, float32, float64, bool, connectors.Decimal:
		return connectors.AppendValue(dst, x), nil
	case string:
		if !embedded {
			return append(dst, x...), nil
		}
		dst = append(dst, '"')
		for i := 0; i < len(x); i++ {
			if x[i] == '\\' || x[i] == '"' {
				dst = append(dst, '\\')
			}
			dst = append(dst, x[i])
		}
		return append(dst, '"'), nil
	case []byte:
		if embedded {
			dst = append(dst, '"')
		}
		dst = base64.StdEncoding.AppendEncode(dst, x)
		if embedded {
			dst = append(dst, '"')
		}
		return dst, nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValuesText(dst, e, true); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case connectors.MapValue:
		dst = append(dst, '{')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValuesEntry(dst, e.Key, e.Value); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case map[string]any:
		dst = append(dst, '{')
		for i, k := range connectors.HashMapOrder(x) {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValuesEntry(dst, k, x[k]); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case *connectors.StructValue:
		if x == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '{')
		for i, f := range x.Schema().Fields {
			if i > 0 {
				dst = append(dst, ',')
			}
			v := x.GetIndex(i)
			if v == nil {
				v = f.Schema.Default // Struct.get applies the default
			}
			var err error
			if dst, err = appendValuesEntry(dst, f.Name, v); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case time.Time:
		return appendISODate(dst, x.UnixMilli()), nil
	}
	return dst, dataError("Failed to serialize unexpected value type " + connectors.JavaClass(v) + ": " + connectors.FormatValue(v))
}

func appendValuesEntry(dst []byte, k, v any) ([]byte, error) {
	dst, err := appendValuesText(dst, k, true)
	if err != nil {
		return dst, err
	}
	dst = append(dst, ':')
	return appendValuesText(dst, v, true)
}

// appendISODate formats a java.util.Date as Values does, choosing the pattern by the value: HH:mm:ss.SSS'Z'
// below one day (negative values included), yyyy-MM-dd at midnight, yyyy-MM-dd'T'HH:mm:ss.SSS'Z'
// otherwise; in UTC, the JVM zone Apache is run in.
func appendISODate(dst []byte, ms int64) []byte {
	c := javaCivil(ms)
	if ms < millisPerDay {
		return c.appendTime(dst)
	}
	dst = c.appendDate(dst)
	if ms%millisPerDay == 0 {
		return dst
	}
	return c.appendTime(append(dst, 'T'))
}

// parseValuesText is Values.parseString: it infers a schema and value from header text. A nil result is
// Java's null.
func parseValuesText(s string) (*schemaAndValue, error) {
	if s == "" {
		return &schemaAndValue{connectors.StringSchema, ""}, nil
	}
	p := valuesParser{s: s}
	return p.parse(false)
}

// valuesParser is Values.Parser: a tokenizer that splits text at the unescaped delimiters : , { } [ ] "
// and lets the parser peek, mark and rewind.
type valuesParser struct {
	s     string
	pos   int
	peek  string
	peeks bool // a token has been read ahead into peek
	depth int
}

func (p *valuesParser) mark() int {
	if p.peeks {
		return p.pos - len(p.peek)
	}
	return p.pos
}

func (p *valuesParser) rewindTo(pos int) {
	p.pos = pos
	p.peeks = false
}

func (p *valuesParser) hasNext() bool { return p.peeks || p.pos < len(p.s) }

func (p *valuesParser) next() string {
	if p.peeks {
		p.peeks = false
		return p.peek
	}
	return p.consume()
}

// nextN reads n more tokens and returns the text they span, or false (rewinding) when there are fewer.
func (p *valuesParser) nextN(n int) (string, bool) {
	start := p.mark()
	for range n {
		if !p.hasNext() {
			p.rewindTo(start)
			return "", false
		}
		p.next()
	}
	return p.s[start:p.pos], true
}

func (p *valuesParser) consume() string {
	escaped := false
	start := p.pos
	for ; p.pos < len(p.s); p.pos++ {
		switch c := p.s[p.pos]; c {
		case '\\':
			escaped = !escaped
		case ':', ',', '{', '}', '[', ']', '"':
			if !escaped {
				if start < p.pos {
					return p.s[start:p.pos]
				}
				p.pos++
				return p.s[start:p.pos]
			}
			escaped = false
		default:
			escaped = false
		}
	}
	return p.s[start:p.pos]
}

// canConsume reads the next token if, trimmed, it is the expected one; blank tokens before it are
// skipped (and lost).
func (p *valuesParser) canConsume(expected string) bool {
	if !p.peeks {
		if !p.hasNext() {
			return false
		}
		p.peek, p.peeks = p.consume(), true
	}
	for isBlank(p.peek) && p.pos < len(p.s) {
		p.peek = p.consume()
	}
	if config.JavaTrim(p.peek) == expected {
		p.peeks = false
		return true
	}
	return false
}

func isBlank(s string) bool { return config.JavaTrim(s) == "" }

func (p *valuesParser) singleTokenLiteral(embedded bool, literal string) bool {
	start := p.mark()
	if p.canConsume(literal) && (embedded || !p.hasNext()) {
		return true
	}
	p.rewindTo(start)
	return false
}

func (p *valuesParser) parse(embedded bool) (*schemaAndValue, error) {
	if !p.hasNext() {
		return nil, nil
	}
	if p.depth++; p.depth > maxValuesDepth {
		return nil, errCrash
	}
	defer func() { p.depth-- }()
	if embedded && p.canConsume(`"`) {
		var sb strings.Builder
		for p.hasNext() {
			if p.canConsume(`"`) {
				break
			}
			sb.WriteString(p.next())
		}
		content := sb.String()
		// Quoted text may still be a date or a time; anything else stays a string.
		if parsed, err := parseValuesText(content); err == nil && parsed != nil && isTemporal(parsed.schema) {
			return parsed, nil
		}
		return &schemaAndValue{connectors.StringSchema, content}, nil
	}
	switch {
	case p.singleTokenLiteral(embedded, "null"):
		return nil, nil
	case p.singleTokenLiteral(embedded, "true"):
		return trueValue, nil
	case p.singleTokenLiteral(embedded, "false"):
		return falseValue, nil
	}
	start := p.mark()
	var sv *schemaAndValue
	var err error
	switch {
	case p.canConsume("["):
		sv, err = p.parseArray()
	case p.canConsume("{"):
		sv, err = p.parseMap()
	}
	switch {
	case err == errRevert:
		p.rewindTo(start)
	case err != nil || sv != nil:
		return sv, err
	}

	token := p.next()
	if isBlank(token) {
		return &schemaAndValue{connectors.StringSchema, token}, nil
	}
	token = config.JavaTrim(token)
	digit := isDigit(token[0])
	if digit {
		// A time or timestamp is split into five tokens at its unescaped colons.
		pos := p.mark()
		if rest, ok := p.nextN(4); ok {
			if t := parseTemporal(token + rest); t != nil {
				return t, nil
			}
		}
		p.rewindTo(pos)
		if t := parseTemporal(token); t != nil {
			return t, nil
		}
	}
	if digit || token[0] == '+' || token[0] == '-' {
		if sv := parseValuesNumber(token); sv != nil {
			return sv, nil
		}
	}
	if embedded {
		return nil, errRevert
	}
	return &schemaAndValue{connectors.StringSchema, p.s}, nil
}

func (p *valuesParser) parseArray() (*schemaAndValue, error) {
	var result []any
	var elem *connectors.Schema
	for p.hasNext() {
		if p.canConsume("]") {
			if elem == nil {
				// every element was null, or their types did not agree
				return &schemaAndValue{&connectors.Schema{Type: connectors.Array}, orEmpty(result)}, nil
			}
			aligned := make([]any, len(result))
			for i, v := range result {
				c, err := convertValueTo(elem, v)
				if err != nil {
					return nil, err
				}
				aligned[i] = c
			}
			return &schemaAndValue{&connectors.Schema{Type: connectors.Array, ValueSchema: elem}, aligned}, nil
		}
		if p.canConsume(",") {
			return nil, errRevert
		}
		el, err := p.parse(true)
		if err != nil {
			return nil, err
		}
		elem = commonSchema(elem, el)
		result = append(result, valueOf(el))
		mark := p.mark()
		if p.canConsume("]") {
			p.rewindTo(mark)
		} else if !p.canConsume(",") {
			return nil, errRevert
		}
	}
	return nil, errRevert
}

func (p *valuesParser) parseMap() (*schemaAndValue, error) {
	var result connectors.MapValue
	var keySchema, valueSchema *connectors.Schema
	for p.hasNext() {
		if p.canConsume("}") {
			switch {
			case keySchema != nil && valueSchema != nil:
				aligned := make(connectors.MapValue, 0, len(result))
				for _, e := range result {
					k, err := convertValueTo(keySchema, e.Key)
					if err != nil {
						return nil, err
					}
					v, err := convertValueTo(valueSchema, e.Value)
					if err != nil {
						return nil, err
					}
					aligned = mapPut(aligned, k, v)
				}
				return &schemaAndValue{&connectors.Schema{Type: connectors.Map, KeySchema: keySchema, ValueSchema: valueSchema}, aligned}, nil
			case keySchema != nil:
				aligned := make(connectors.MapValue, 0, len(result))
				for _, e := range result {
					k, err := convertValueTo(keySchema, e.Key)
					if err != nil {
						return nil, err
					}
					aligned = mapPut(aligned, k, e.Value)
				}
				return &schemaAndValue{&connectors.Schema{Type: connectors.Map, KeySchema: keySchema}, aligned}, nil
			}
			return &schemaAndValue{&connectors.Schema{Type: connectors.Map}, orEmptyMap(result)}, nil
		}
		if p.canConsume(",") {
			return nil, errRevert
		}
		key, err := p.parse(true)
		if err != nil {
			return nil, err
		}
		if key == nil || key.value == nil {
			return nil, errRevert
		}
		if !p.canConsume(":") {
			return nil, errRevert
		}
		val, err := p.parse(true)
		if err != nil {
			return nil, err
		}
		result = mapPut(result, key.value, valueOf(val))
		p.canConsume(",")
		keySchema = commonSchema(keySchema, key)
		valueSchema = commonSchema(valueSchema, val)
	}
	return nil, errRevert
}

func valueOf(sv *schemaAndValue) any {
	if sv == nil {
		return nil
	}
	return sv.value
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

func orEmptyMap(m connectors.MapValue) connectors.MapValue {
	if m == nil {
		return connectors.MapValue{}
	}
	return m
}

func isTemporal(s *connectors.Schema) bool {
	return s != nil && (s.Name == connectors.DateName || s.Name == connectors.TimeName || s.Name == connectors.TimestampName)
}

// commonSchema is Values.commonSchemaFor: the schema of a list's elements (or a map's keys or values) so
// far, merged with the next one's. Numbers widen along INT8, INT16, INT32, INT64, FLOAT32, FLOAT64; any
// other mix has no common schema (nil), after which the next element starts afresh.
func commonSchema(prev *connectors.Schema, latest *schemaAndValue) *connectors.Schema {
	if latest == nil {
		return prev
	}
	if prev == nil {
		return latest.schema
	}
	next := latest.schema
	if prev.Type == next.Type {
		// Every parsed schema is required, so the latest one wins.
		return next
	}
	if r, ok := numericRank(prev.Type); ok {
		if q, ok := numericRank(next.Type); ok {
			if q > r {
				return next
			}
			return prev
		}
	}
	return nil
}

func numericRank(t connectors.Type) (int, bool) {
	switch t {
	case connectors.Int8:
		return 0, true
	case connectors.Int16:
		return 1, true
	case connectors.Int32:
		return 2, true
	case connectors.Int64:
		return 3, true
	case connectors.Float32:
		return 4, true
	case connectors.Float64:
		return 5, true
	}
	return 0, false
}

// parseValuesNumber reads a token as a Java BigDecimal and returns the narrowest fitting schema: an integer
// type when the value is integral, FLOAT32 or FLOAT64 when it has a non-zero scale and is finite in that
// type, else a Decimal. It returns nil for a token that is not a number.
func parseValuesNumber(token string) *schemaAndValue {
	d, ok := connectors.ParseDecimal(token)
	if !ok {
		return nil
	}
	if n, ok := exactInt64(d); ok {
		switch {
		case n >= math.MinInt8 && n <= math.MaxInt8:
			return &schemaAndValue{connectors.Int8Schema, int8(n)}
		case n >= math.MinInt16 && n <= math.MaxInt16:
			return &schemaAndValue{connectors.Int16Schema, int16(n)}
		case n >= math.MinInt32 && n <= math.MaxInt32:
			return &schemaAndValue{connectors.Int32Schema, int32(n)}
		}
		return &schemaAndValue{connectors.Int64Schema, n}
	}
	if d.Scale != 0 {
		if f := bigDecimalFloat(d, token, 32); !math.IsInf(f, 0) {
			return &schemaAndValue{connectors.Float32Schema, float32(f)}
		}
		if f := bigDecimalFloat(d, token, 64); !math.IsInf(f, 0) {
			return &schemaAndValue{connectors.Float64Schema, f}
		}
	}
	return &schemaAndValue{connectors.DecimalSchema(d.Scale, false), d}
}

// exactInt64 is BigDecimal.longValueExact: the value when it is integral and fits in 64 bits.
func exactInt64(d connectors.Decimal) (int64, bool) {
	u := d.Unscaled
	if u.Sign() == 0 {
		return 0, true
	}
	// Bound the powers of ten by the number of digits: a value with more than 19 integer digits does not
	// fit, and a non-zero value whose scale reaches its digits has a fraction.
	digits := int64(len(new(big.Int).Abs(u).String()))
	switch scale := int64(d.Scale); {
	case scale < 0:
		if digits-scale > 19 {
			return 0, false
		}
		u = new(big.Int).Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(-scale), nil))
	case scale > 0:
		if scale >= digits {
			return 0, false
		}
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(scale), nil)
		q, r := new(big.Int).QuoRem(u, p, new(big.Int))
		if r.Sign() != 0 {
			return 0, false
		}
		u = q
	}
	if !u.IsInt64() {
		return 0, false
	}
	return u.Int64(), true
}

// bigDecimalFloat is BigDecimal.floatValue (bitSize 32) or doubleValue (64): correctly rounded, with zero
// positive unless the value itself is negative.
func bigDecimalFloat(d connectors.Decimal, text string, bitSize int) float64 {
	f, _ := strconv.ParseFloat(text, bitSize)
	if d.Unscaled.Sign() == 0 {
		return 0
	}
	return f
}

// convertValueTo is Values.convertTo(toSchema, null, value) for the schemas the parser infers: it aligns a
// list's elements (or a map's entries) with their common schema.
func convertValueTo(to *connectors.Schema, v any) (any, error) {
	if v == nil {
		if to.Optional {
			return nil, nil
		}
		return nil, errRevert
	}
	switch to.Type {
	case connectors.Bytes:
		if to.Name == connectors.DecimalName {
			switch x := v.(type) {
			case []byte:
				scale, err := decimalScale(to)
				if err != nil || len(x) == 0 {
					return nil, errRevert
				}
				return connectors.Decimal{Unscaled: fromTwosComplement(x), Scale: scale}, nil
			case connectors.Decimal:
				return x, nil
			case int8, int16, int32, int64, float32, float64:
				// BigDecimal.valueOf(double): the digits of Double.toString.
				d, _ := connectors.ParseDecimal(connectors.FormatFloat64(numberAsDouble(x)))
				return d, nil
			case string:
				// Apache returns the double value here, not a BigDecimal, and fails on anything else.
				d, ok := connectors.ParseDecimal(x)
				if !ok {
					return nil, errCrash
				}
				return bigDecimalFloat(d, x, 64), nil
			}
		}
		switch x := v.(type) {
		case []byte:
			return x, nil
		case connectors.Decimal:
			b, err := decimalBytes(to, x)
			if err != nil {
				return nil, errRevert
			}
			return b, nil
		}
	case connectors.String:
		b, err := appendValuesText(nil, v, false)
		if err != nil {
			return nil, errRevert
		}
		return string(b), nil
	case connectors.Boolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			sv, err := parseValuesText(x)
			if err != nil || sv == nil {
				return nil, errCrash
			}
			if b, ok := sv.value.(bool); ok {
				return b, nil
			}
		}
		n, err := valuesAsLong(v)
		return n != 0, err
	case connectors.Int8:
		if x, ok := v.(int8); ok {
			return x, nil
		}
		n, err := valuesAsLong(v)
		return int8(n), err
	case connectors.Int16:
		if x, ok := v.(int16); ok {
			return x, nil
		}
		n, err := valuesAsLong(v)
		return int16(n), err
	case connectors.Int32:
		switch to.Name {
		case connectors.DateName, connectors.TimeName:
			if s, ok := v.(string); ok {
				var err error
				if v, err = parseNonNull(s); err != nil {
					return nil, err
				}
			}
			if t, ok := v.(time.Time); ok {
				return t, nil
			}
			n, err := valuesAsLong(v)
			if err != nil {
				return nil, err
			}
			if to.Name == connectors.DateName {
				return time.UnixMilli(int64(int32(n)) * millisPerDay).UTC(), nil
			}
			if ms := int32(n); ms >= 0 && ms <= millisPerDay {
				return time.UnixMilli(int64(ms)).UTC(), nil
			}
			return nil, errRevert
		}
		if x, ok := v.(int32); ok {
			return x, nil
		}
		n, err := valuesAsLong(v)
		return int32(n), err
	case connectors.Int64:
		if to.Name == connectors.TimestampName {
			if s, ok := v.(string); ok {
				var err error
				if v, err = parseNonNull(s); err != nil {
					return nil, err
				}
			}
			if t, ok := v.(time.Time); ok {
				return t, nil
			}
			n, err := valuesAsLong(v)
			if err != nil {
				return nil, err
			}
			return time.UnixMilli(n).UTC(), nil
		}
		if x, ok := v.(int64); ok {
			return x, nil
		}
		return valuesAsLong(v)
	case connectors.Float32:
		if x, ok := v.(float32); ok {
			return x, nil
		}
		f, err := valuesAsDouble(v)
		return float32(f), err
	case connectors.Float64:
		if x, ok := v.(float64); ok {
			return x, nil
		}
		return valuesAsDouble(v)
	case connectors.Array:
		if s, ok := v.(string); ok {
			var err error
			if v, err = parseNonNull(s); err != nil {
				return nil, err
			}
		}
		if l, ok := v.([]any); ok {
			return l, nil
		}
	case connectors.Map:
		if s, ok := v.(string); ok {
			var err error
			if v, err = parseNonNull(s); err != nil {
				return nil, err
			}
		}
		if m, ok := v.(connectors.MapValue); ok {
			return m, nil
		}
	}
	return nil, errRevert
}

// parseNonNull parses text that Apache then dereferences: "null" makes it crash.
func parseNonNull(s string) (any, error) {
	sv, err := parseValuesText(s)
	if err != nil || sv == nil {
		return nil, errCrash
	}
	return sv.value, nil
}

// valuesAsLong is Values.asLong without a schema: Number.longValue, or a string read as a BigDecimal.
func valuesAsLong(v any) (int64, error) {
	switch x := v.(type) {
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case float32:
		return connectors.DoubleToLong(float64(x)), nil
	case float64:
		return connectors.DoubleToLong(x), nil
	case connectors.Decimal:
		return connectors.DecimalLong(x), nil
	case string:
		if d, ok := connectors.ParseDecimal(x); ok {
			return connectors.DecimalLong(d), nil
		}
	}
	return 0, errRevert
}

// valuesAsDouble is Values.asDouble without a schema.
func valuesAsDouble(v any) (float64, error) {
	switch x := v.(type) {
	case connectors.Decimal:
		return bigDecimalFloat(x, connectors.FormatDecimal(x), 64), nil
	case string:
		if d, ok := connectors.ParseDecimal(x); ok {
			return bigDecimalFloat(d, x, 64), nil
		}
		return 0, errRevert
	case int8, int16, int32, int64, float32, float64:
		return numberAsDouble(x), nil
	}
	n, err := valuesAsLong(v)
	return float64(n), err
}

func numberAsDouble(v any) float64 {
	switch x := v.(type) {
	case int8:
		return float64(x)
	case int16:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// parseTemporal is Values.parseAsTemporal: text of exactly the length of HH:mm:ss.SSS'Z' (13),
// yyyy-MM-dd'T'HH:mm:ss.SSS'Z' (24) or yyyy-MM-dd (10), escaped colons unescaped first, read by a lenient
// SimpleDateFormat.
func parseTemporal(token string) *schemaAndValue {
	token = strings.ReplaceAll(token, `\:`, ":")
	var pattern []dateField
	var schema *connectors.Schema
	switch javaLength(token) {
	case 13:
		pattern, schema = timePattern, timeSchema
	case 24:
		pattern, schema = timestampPattern, timestampSchema
	case 10:
		pattern, schema = datePattern, dateSchema
	default:
		return nil
	}
	ms, ok := parseLenientDate(token, pattern)
	if !ok {
		return nil
	}
	return &schemaAndValue{schema, time.UnixMilli(ms).UTC()}
}

// javaLength is the length of s in UTF-16 code units.
func javaLength(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := javaChar(s, i)
		i += size
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// mapPut is HashMap.put / LinkedHashMap.put on entries in iteration order: an equal key keeps its place
// and takes the new value.
func mapPut(m connectors.MapValue, k, v any) connectors.MapValue {
	for i := range m {
		if javaEquals(m[i].Key, k) {
			m[i].Value = v
			return m
		}
	}
	return append(m, connectors.MapEntry{Key: k, Value: v})
}

// javaEquals is Java's equals between two values of the data model: same class and value (floats by
// their bits, so NaN equals NaN and 0.0 differs from -0.0), lists and maps by content, arrays never.
func javaEquals(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case float32:
		y, ok := b.(float32)
		return ok && (x != x && y != y || math.Float32bits(x) == math.Float32bits(y))
	case float64:
		y, ok := b.(float64)
		return ok && (x != x && y != y || math.Float64bits(x) == math.Float64bits(y))
	case []byte:
		return false
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !javaEquals(x[i], y[i]) {
				return false
			}
		}
		return true
	case connectors.MapValue:
		y, ok := b.(connectors.MapValue)
		if !ok || len(x) != len(y) {
			return false
		}
		for _, e := range x {
			found := false
			for _, f := range y {
				if javaEquals(e.Key, f.Key) {
					found = javaEquals(e.Value, f.Value)
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	case int8, int16, int32, int64, bool, string:
		return a == b
	}
	return connectors.ValueEqual(a, b)
}
