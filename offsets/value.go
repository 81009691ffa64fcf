package offsets

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Partition and offset maps hold primitive values only, as Apache requires of source offsets. Every value is
// normalised on the way in so that the store holds one Go type per kind of value:
//
//	string, bool, nil    as they are
//	any Go integer type  int64 (a task reading back "position" gets the Long that FileStreamSource expects)
//	float32, float64     float64
//
// An integer and a float are different values even when numerically equal (8 and 8.0), because Apache writes
// them differently ("8", "8.0") and reads them back as Long and Double.

// normalizeMap returns a copy of m with every value normalised. The copy decouples the store from the
// caller, who may reuse its map after Put.
func normalizeMap(m map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !utf8.ValidString(k) {
			return nil, fmt.Errorf("key %q is not valid UTF-8", k)
		}
		n, err := normalizeValue(v)
		if err != nil {
			return nil, fmt.Errorf("value of %q: %w", k, err)
		}
		out[k] = n
	}
	return out, nil
}

func normalizeValue(v any) (any, error) {
	switch v := v.(type) {
	case nil, bool:
		return v, nil
	case string:
		// JSON cannot carry invalid UTF-8; writing it would silently turn the value into another one, and
		// the partition would not be found again after a restart.
		if !utf8.ValidString(v) {
			return nil, fmt.Errorf("string %q is not valid UTF-8", v)
		}
		return v, nil
	case int:
		return int64(v), nil
	case int8:
		return int64(v), nil
	case int16:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case int64:
		return v, nil
	case uint:
		return fromUnsigned(uint64(v))
	case uint8:
		return int64(v), nil
	case uint16:
		return int64(v), nil
	case uint32:
		return int64(v), nil
	case uint64:
		return fromUnsigned(v)
	case float32:
		// Widen through the shortest decimal text, which is what Apache writes for a Java float and reads
		// back as a double: float32(0.1) becomes 0.1, not 0.10000000149011612.
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(v), 'g', -1, 32), 64)
		return checkFloat(f)
	case float64:
		return checkFloat(v)
	case json.Number:
		return parseNumber(string(v))
	case []any:
		return nil, fmt.Errorf("a list is not allowed: offsets hold primitive values only")
	case map[string]any:
		return nil, fmt.Errorf("a nested object is not allowed: offsets hold primitive values only")
	default:
		return nil, fmt.Errorf("unsupported type %T (allowed: string, bool, integer, float, nil)", v)
	}
}

func fromUnsigned(u uint64) (any, error) {
	if u > math.MaxInt64 {
		return nil, fmt.Errorf("integer %d does not fit in a 64-bit signed integer", u)
	}
	return int64(u), nil
}

func checkFloat(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%v cannot be stored: JSON has no representation for it", f)
	}
	return f, nil
}

// parseNumber reads a JSON number the way Apache's schemaless JsonConverter does: a number written without
// fraction or exponent is an integer (int64), anything else a float64.
func parseNumber(s string) (any, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '.' || c == 'e' || c == 'E' {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("number %s: %w", s, err)
			}
			return checkFloat(f)
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("integer %s does not fit in a 64-bit signed integer", s)
	}
	return n, nil
}

// appendMap appends the canonical JSON text of a normalised map: compact, keys sorted. Two maps are the same
// partition exactly when their canonical texts are equal, whatever order their keys were put in.
//
// Apache instead compares the bytes its JSON encoder produced, which follow the Java HashMap iteration order
// of the task's map, so a task that builds an equal map in another order (or with an int instead of a long)
// misses its own offset. Comparing structure avoids that whole class of silent re-reads.
func appendMap(b []byte, m map[string]any) []byte {
	b = append(b, '{')
	switch len(m) {
	case 0:
	case 1: // the common case (FileStreamSource's {"filename": …}) needs no sorting
		for k, v := range m {
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, v)
		}
	default:
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, m[k])
		}
	}
	return append(b, '}')
}

// appendValue appends a normalised value as JSON.
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return appendFloat(b, v)
	case string:
		return appendString(b, v)
	default:
		// Unreachable: every stored value went through normalizeValue.
		panic(fmt.Sprintf("offsets: value of type %T was not normalised", v))
	}
}

// appendFloat writes f so that it reads back as a float: always with a fraction or an exponent (8.0, not 8).
func appendFloat(b []byte, f float64) []byte {
	start := len(b)
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 reads better as 1e-7.
		if n := len(b); n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	return append(b, ".0"...)
}

// appendString appends s as a JSON string. Non-ASCII text stays raw UTF-8 so that file names remain
// readable in the file; only the characters JSON requires are escaped.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
