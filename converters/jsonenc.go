package converters

import (
	"encoding/base64"
	"math"
	"math/big"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// JSON output as Apache's JsonConverter writes it through Jackson: compact, object keys in insertion
// order, Java's number texts, Jackson's string escaping. The encoder appends to a byte slice and never
// reflects on values.

// AppendJSON appends the JSON Apache's JsonConverter writes for a schemaless value (with
// schemas.enable=false), as Apache also writes source offsets and partitions: null, booleans, integers,
// Java's float texts (NaN and the infinities as strings), strings, bytes as base64, lists as arrays, maps
// with only string keys as objects and other maps as arrays of [key, value] pairs. A map[string]any is
// written in Java HashMap order. Decimals, times and structs have no schemaless form and are errors.
func AppendJSON(dst []byte, v any) ([]byte, error) {
	e := jsonEncoder{replaceNull: true}
	return e.appendValue(dst, nil, v)
}

// AppendJSONString appends s as a JSON string the way Jackson escapes it: '"', '\' and control characters
// escaped (\b \t \n \f \r, otherwise \u00XX with upper-case hex), characters outside the Basic
// Multilingual Plane and lone surrogates as \uXXXX surrogate escapes, everything else (including '/', DEL,
// '<', '>', '&', U+2028 and U+2029) as raw UTF-8. Invalid UTF-8 is written as U+FFFD.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\r':
				dst = append(dst, '\\', 'r')
			default:
				dst = appendUnicodeEscape(dst, rune(c))
			}
			i++
			start = i
			continue
		}
		r, n := javaChar(s, i)
		switch {
		case r >= 0x10000:
			dst = append(dst, s[start:i]...)
			r -= 0x10000
			dst = appendUnicodeEscape(dst, 0xd800+r>>10)
			dst = appendUnicodeEscape(dst, 0xdc00+r&0x3ff)
			start = i + n
		case isSurrogate(r):
			dst = append(dst, s[start:i]...)
			dst = appendUnicodeEscape(dst, r)
			start = i + n
		case r == replacementChar && s[i:i+n] != "\uFFFD":
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			start = i + n
		}
		i += n
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const upperHex = "0123456789ABCDEF"

func appendUnicodeEscape(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', upperHex[r>>12&0xf], upperHex[r>>8&0xf], upperHex[r>>4&0xf], upperHex[r&0xf])
}

// jsonEncoder writes Connect values and schemas as JsonConverter does.
type jsonEncoder struct {
	// numericDecimals writes Decimals as JSON numbers (decimal.format=NUMERIC) instead of base64.
	numericDecimals bool
	// replaceNull writes a null that has a schema default as the default (replace.null.with.default).
	replaceNull bool
}

var jsonTypeNames = [...]string{
	connectors.Boolean: "boolean", connectors.Int8: "int8", connectors.Int16: "int16",
	connectors.Int32: "int32", connectors.Int64: "int64", connectors.Float32: "float",
	connectors.Float64: "double", connectors.Bytes: "bytes", connectors.String: "string",
	connectors.Array: "array", connectors.Map: "map", connectors.Struct: "struct",
}

// appendSchema appends the JSON form of s (JsonConverter.asJsonSchema), or null.
func (e *jsonEncoder) appendSchema(dst []byte, s *connectors.Schema) ([]byte, error) {
	if s == nil {
		return append(dst, "null"...), nil
	}
	dst, err := e.appendSchemaFields(dst, s)
	return append(dst, '}'), err
}

// appendSchemaFields appends the schema object without its closing brace, so that a struct field can add
// its "field" key last.
func (e *jsonEncoder) appendSchemaFields(dst []byte, s *connectors.Schema) ([]byte, error) {
	if int(s.Type) >= len(jsonTypeNames) || jsonTypeNames[s.Type] == "" {
		return dst, dataError("Couldn't translate unsupported schema type " + s.Type.String() + ".")
	}
	dst = append(dst, `{"type":"`...)
	dst = append(dst, jsonTypeNames[s.Type]...)
	dst = append(dst, '"')
	var err error
	switch s.Type {
	case connectors.Array:
		dst = append(dst, `,"items":`...)
		if dst, err = e.appendSchema(dst, s.ValueSchema); err != nil {
			return dst, err
		}
	case connectors.Map:
		dst = append(dst, `,"keys":`...)
		if dst, err = e.appendSchema(dst, s.KeySchema); err != nil {
			return dst, err
		}
		dst = append(dst, `,"values":`...)
		if dst, err = e.appendSchema(dst, s.ValueSchema); err != nil {
			return dst, err
		}
	case connectors.Struct:
		dst = append(dst, `,"fields":[`...)
		for i, f := range s.Fields {
			if i > 0 {
				dst = append(dst, ',')
			}
			if f.Schema == nil {
				return dst, dataError("fieldSchema for field " + f.Name + " cannot be null.")
			}
			if dst, err = e.appendSchemaFields(dst, f.Schema); err != nil {
				return dst, err
			}
			dst = append(dst, `,"field":`...)
			dst = AppendJSONString(dst, f.Name)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"optional":`...)
	dst = strconv.AppendBool(dst, s.Optional)
	if s.Name != "" {
		dst = append(dst, `,"name":`...)
		dst = AppendJSONString(dst, s.Name)
	}
	if s.Version != 0 {
		dst = append(dst, `,"version":`...)
		dst = strconv.AppendInt(dst, int64(s.Version), 10)
	}
	if s.Doc != "" {
		dst = append(dst, `,"doc":`...)
		dst = AppendJSONString(dst, s.Doc)
	}
	if s.Parameters != nil {
		dst = append(dst, `,"parameters":{`...)
		for i, p := range s.Parameters {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, p.Key)
			dst = append(dst, ':')
			dst = AppendJSONString(dst, p.Value)
		}
		dst = append(dst, '}')
	}
	if s.Default != nil {
		dst = append(dst, `,"default":`...)
		if dst, err = e.appendValue(dst, s, s.Default); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// appendValue appends the JSON of a value of schema s (JsonConverter.convertToJson); s is nil for a
// schemaless value, whose type then comes from its Go type.
func (e *jsonEncoder) appendValue(dst []byte, s *connectors.Schema, v any) ([]byte, error) {
	if sv, ok := v.(*connectors.StructValue); ok && sv == nil {
		v = nil
	}
	if v == nil {
		switch {
		case s == nil:
			return append(dst, "null"...), nil
		case s.Default != nil && e.replaceNull:
			return e.appendValue(dst, s, s.Default)
		case s.Optional:
			return append(dst, "null"...), nil
		}
		return dst, dataError("Conversion error: null value for field that is required and has no default value")
	}
	if s != nil && s.Name != "" {
		switch s.Name {
		case connectors.DecimalName:
			return e.appendDecimal(dst, s, v)
		case connectors.DateName, connectors.TimeName, connectors.TimestampName:
			return appendTemporal(dst, s, v)
		}
	}
	var t connectors.Type
	if s != nil {
		t = s.Type
	} else if st, ok := connectors.SchemaTypeOf(v); ok {
		t = st
	} else {
		return dst, dataError("Java class class " + connectors.JavaClass(v) + " does not have corresponding schema type.")
	}
	switch t {
	case connectors.Int8:
		if x, ok := v.(int8); ok {
			return strconv.AppendInt(dst, int64(x), 10), nil
		}
	case connectors.Int16:
		if x, ok := v.(int16); ok {
			return strconv.AppendInt(dst, int64(x), 10), nil
		}
	case connectors.Int32:
		if x, ok := v.(int32); ok {
			return strconv.AppendInt(dst, int64(x), 10), nil
		}
	case connectors.Int64:
		if x, ok := v.(int64); ok {
			return strconv.AppendInt(dst, x, 10), nil
		}
	case connectors.Float32:
		if x, ok := v.(float32); ok {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				dst = append(dst, '"')
				return append(connectors.AppendFloat32(dst, x), '"'), nil
			}
			return connectors.AppendFloat32(dst, x), nil
		}
	case connectors.Float64:
		if x, ok := v.(float64); ok {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				dst = append(dst, '"')
				return append(connectors.AppendFloat64(dst, x), '"'), nil
			}
			return connectors.AppendFloat64(dst, x), nil
		}
	case connectors.Boolean:
		if x, ok := v.(bool); ok {
			return strconv.AppendBool(dst, x), nil
		}
	case connectors.String:
		if x, ok := v.(string); ok {
			return AppendJSONString(dst, x), nil
		}
	case connectors.Bytes:
		x, ok := v.([]byte)
		if !ok {
			return dst, dataError("Invalid type for bytes type: class " + connectors.JavaClass(v))
		}
		return appendBase64(dst, x), nil
	case connectors.Array:
		if x, ok := v.([]any); ok {
			var elem *connectors.Schema
			if s != nil {
				elem = s.ValueSchema
			}
			dst = append(dst, '[')
			for i, el := range x {
				if i > 0 {
					dst = append(dst, ',')
				}
				var err error
				if dst, err = e.appendValue(dst, elem, el); err != nil {
					return dst, err
				}
			}
			return append(dst, ']'), nil
		}
	case connectors.Map:
		switch x := v.(type) {
		case connectors.MapValue:
			return e.appendMap(dst, s, len(x), func(yield func(k, v any) error) error {
				for _, en := range x {
					if err := yield(en.Key, en.Value); err != nil {
						return err
					}
				}
				return nil
			}, s == nil && stringKeys(x))
		case map[string]any:
			return e.appendMap(dst, s, len(x), func(yield func(k, v any) error) error {
				for _, k := range connectors.HashMapOrder(x) {
					if err := yield(k, x[k]); err != nil {
						return err
					}
				}
				return nil
			}, s == nil)
		}
	case connectors.Struct:
		if x, ok := v.(*connectors.StructValue); ok {
			if !connectors.SchemaEqual(x.Schema(), s) {
				return dst, dataError("Mismatching schema.")
			}
			dst = append(dst, '{')
			for i, f := range s.Fields {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = AppendJSONString(dst, f.Name)
				dst = append(dst, ':')
				var err error
				if dst, err = e.appendValue(dst, f.Schema, x.GetIndex(i)); err != nil {
					return dst, err
				}
			}
			return append(dst, '}'), nil
		}
	default:
		return dst, dataError("Couldn't translate unsupported schema type " + t.String() + ".")
	}
	return dst, dataError("Invalid type for " + t.String() + ": class " + connectors.JavaClass(v))
}

// appendMap writes a map as a JSON object when its keys are strings (by schema, or all of them when
// schemaless), else as an array of [key, value] pairs.
func (e *jsonEncoder) appendMap(dst []byte, s *connectors.Schema, n int, each func(func(k, v any) error) error, schemalessStrings bool) ([]byte, error) {
	var keySchema, valueSchema *connectors.Schema
	objectMode := schemalessStrings
	if s != nil {
		keySchema, valueSchema = s.KeySchema, s.ValueSchema
		objectMode = keySchema != nil && keySchema.Type == connectors.String
	}
	open, closing := byte('['), byte(']')
	if objectMode {
		open, closing = '{', '}'
	}
	dst = append(dst, open)
	first := true
	err := each(func(k, v any) error {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		var err error
		if objectMode {
			// The key is written through its schema, then used as text, as Jackson's asText does.
			mark := len(dst)
			if dst, err = e.appendValue(dst, keySchema, k); err != nil {
				return err
			}
			if dst[mark] != '"' {
				key := string(dst[mark:])
				dst = AppendJSONString(dst[:mark], key)
			}
			dst = append(dst, ':')
		} else {
			dst = append(dst, '[')
			if dst, err = e.appendValue(dst, keySchema, k); err != nil {
				return err
			}
			dst = append(dst, ',')
		}
		if dst, err = e.appendValue(dst, valueSchema, v); err != nil {
			return err
		}
		if !objectMode {
			dst = append(dst, ']')
		}
		return nil
	})
	if err != nil {
		return dst, err
	}
	return append(dst, closing), nil
}

func stringKeys(m connectors.MapValue) bool {
	for _, e := range m {
		if _, ok := e.Key.(string); !ok {
			return false
		}
	}
	return true
}

func appendBase64(dst []byte, b []byte) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

func (e *jsonEncoder) appendDecimal(dst []byte, s *connectors.Schema, v any) ([]byte, error) {
	d, ok := v.(connectors.Decimal)
	if !ok {
		return dst, dataError("Invalid type for Decimal, expected BigDecimal but was class " + connectors.JavaClass(v))
	}
	if e.numericDecimals {
		return connectors.AppendDecimal(dst, d), nil
	}
	b, err := decimalBytes(s, d)
	if err != nil {
		return dst, err
	}
	return appendBase64(dst, b), nil
}

// decimalScale is Decimal.scale(schema): the schema's "scale" parameter.
func decimalScale(s *connectors.Schema) (int32, error) {
	p, ok := s.Param(connectors.DecimalScaleParam)
	if !ok {
		return 0, dataError("Invalid Decimal schema: scale parameter not found.")
	}
	n, err := strconv.ParseInt(p, 10, 32)
	if err != nil {
		return 0, dataErrorCause("Invalid scale parameter found in Decimal schema: ",
			serializationError(`For input string: "`+p+`"`))
	}
	return int32(n), nil
}

// decimalBytes is Decimal.fromLogical: the unscaled value as minimal big-endian two's complement.
func decimalBytes(s *connectors.Schema, d connectors.Decimal) ([]byte, error) {
	scale, err := decimalScale(s)
	if err != nil {
		return nil, err
	}
	if d.Scale != scale {
		return nil, dataError("Decimal value has mismatching scale for given Decimal schema. Schema has scale " +
			strconv.Itoa(int(scale)) + ", value has scale " + strconv.Itoa(int(d.Scale)) + ".")
	}
	return twosComplement(d.Unscaled), nil
}

// twosComplement is Java's BigInteger.toByteArray.
func twosComplement(x *big.Int) []byte {
	if x == nil || x.Sign() == 0 {
		return []byte{0}
	}
	if x.Sign() > 0 {
		b := x.Bytes()
		if b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// -x-1 has the complemented bits of x.
	b := new(big.Int).Sub(new(big.Int).Neg(x), big.NewInt(1)).Bytes()
	for i := range b {
		b[i] = ^b[i]
	}
	if len(b) == 0 || b[0]&0x80 == 0 {
		b = append([]byte{0xff}, b...)
	}
	return b
}

// fromTwosComplement is Java's new BigInteger(byte[]).
func fromTwosComplement(b []byte) *big.Int {
	x := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return x
}

// appendTemporal writes a Date (days), Time (milliseconds of the day) or Timestamp (milliseconds).
func appendTemporal(dst []byte, s *connectors.Schema, v any) ([]byte, error) {
	t, ok := v.(time.Time)
	kind := s.Name[len("org.apache.kafka.connect.data."):]
	if !ok {
		return dst, dataError("Invalid type for " + kind + ", expected Date but was class " + connectors.JavaClass(v))
	}
	n, err := TemporalToInt(s.Name, t)
	if err != nil {
		return dst, err
	}
	return strconv.AppendInt(dst, n, 10), nil
}

// TemporalToInt is the fromLogical of Connect's Date, Time and Timestamp types: days since the epoch for a
// Date, milliseconds of the day for a Time (both fit an int32), milliseconds since the epoch for a
// Timestamp. A Date with a time of day, or a Time with a date, is a *DataError with Apache's text.
func TemporalToInt(name string, t time.Time) (int64, error) {
	ms := t.UnixMilli()
	switch name {
	case connectors.DateName:
		if ms%millisPerDay != 0 {
			return 0, dataError("Kafka Connect Date type should not have any time fields set to non-zero values.")
		}
		return int64(int32(ms / millisPerDay)), nil
	case connectors.TimeName:
		if ms < 0 || ms > millisPerDay {
			return 0, dataError("Kafka Connect Time type should not have any date fields set to non-zero values.")
		}
		return int64(int32(ms)), nil
	}
	return ms, nil
}

const millisPerDay = 86400000
