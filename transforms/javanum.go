package transforms

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Java's conversions between numbers, and from text to numbers, which Cast and MaskField reproduce:
// Number.byteValue() and friends narrow by truncating bits (integers) or by saturating (floating point,
// NaN being 0), and the parse methods accept Java's grammars.

// schemaTypeOf is ConnectSchema.schemaType: the schema type of a schemaless value, false for values
// Connect has no schemaless type for (BigDecimal, java.util.Date).
func schemaTypeOf(v any) (connectors.Type, bool) {
	switch v.(type) {
	case int8:
		return connectors.Int8, true
	case int16:
		return connectors.Int16, true
	case int32:
		return connectors.Int32, true
	case int64:
		return connectors.Int64, true
	case float32:
		return connectors.Float32, true
	case float64:
		return connectors.Float64, true
	case bool:
		return connectors.Boolean, true
	case string:
		return connectors.String, true
	case []byte:
		return connectors.Bytes, true
	case []any:
		return connectors.Array, true
	case connectors.MapValue, map[string]any:
		return connectors.Map, true
	case *connectors.StructValue:
		return connectors.Struct, true
	}
	return 0, false
}

// isNumber reports whether v is a java.lang.Number of the data model.
func isNumber(v any) bool {
	switch v.(type) {
	case int8, int16, int32, int64, float32, float64, connectors.Decimal:
		return true
	}
	return false
}

// longValue is Number.longValue.
func longValue(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case float32:
		return doubleToLong(float64(x))
	case float64:
		return doubleToLong(x)
	case connectors.Decimal:
		return decimalLong(x)
	}
	return 0
}

// intValue is Number.intValue.
func intValue(v any) int32 {
	switch x := v.(type) {
	case float32:
		return doubleToInt(float64(x))
	case float64:
		return doubleToInt(x)
	}
	return int32(longValue(v))
}

// floatValue is Number.floatValue.
func floatValue(v any) float32 {
	switch x := v.(type) {
	case float32:
		return x
	case float64:
		return float32(x)
	case connectors.Decimal:
		f, _ := strconv.ParseFloat(connectors.FormatDecimal(x), 32)
		return float32(f)
	}
	return float32(longValue(v))
}

// doubleValue is Number.doubleValue.
func doubleValue(v any) float64 {
	switch x := v.(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	case connectors.Decimal:
		f, _ := strconv.ParseFloat(connectors.FormatDecimal(x), 64)
		return f
	}
	return float64(longValue(v))
}

// doubleToLong is Java's (long) cast: NaN is 0, out-of-range values saturate.
func doubleToLong(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// doubleToInt is Java's (int) cast.
func doubleToInt(f float64) int32 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int32(f)
}

// decimalLong is BigDecimal.longValue: the integer part's low 64 bits.
func decimalLong(d connectors.Decimal) int64 {
	i := decimalInteger(d)
	mask := new(big.Int).SetUint64(math.MaxUint64)
	return int64(i.And(i, mask).Uint64())
}

// decimalInteger is BigDecimal.toBigInteger: the value truncated towards zero.
func decimalInteger(d connectors.Decimal) *big.Int {
	i := new(big.Int)
	if d.Unscaled != nil {
		i.Set(d.Unscaled)
	}
	switch {
	case d.Scale > 0:
		i.Quo(i, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
	case d.Scale < 0:
		i.Mul(i, new(big.Int).Exp(big.NewInt(10), big.NewInt(-int64(d.Scale)), nil))
	}
	return i
}

// parseJavaInteger is Byte.parseByte, Short.parseShort, Integer.parseInt or Long.parseLong: an optional
// sign and decimal digits, within the type's range.
func parseJavaInteger(s string, bits int) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, bits)
	return n, err == nil
}

// parseJavaFloat is Float.parseFloat or Double.parseDouble: surrounding whitespace is ignored, and besides
// decimal and hexadecimal literals (with an optional f, F, d or D suffix) it reads NaN and Infinity.
func parseJavaFloat(s string, bits int) (float64, bool) {
	s = config.JavaTrim(s)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0, false
	}
	neg := strings.HasPrefix(s, "-")
	switch body {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	if n := len(s); n > 0 && strings.ContainsRune("fFdD", rune(s[n-1])) && !isHexWithoutExponentEnd(s) {
		s = s[:n-1]
	}
	if s == "" || strings.ContainsAny(s, "_iInN") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // Java rounds to infinity or zero
		}
		return 0, false
	}
	return f, true
}

// isHexWithoutExponentEnd reports whether a trailing d or f of s is a hexadecimal digit rather than a
// suffix: in 0x1.fp1f the last f is a suffix, in 0x1.f it is a digit (and the literal lacks its exponent).
func isHexWithoutExponentEnd(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "0x") && !strings.Contains(l, "p")
}

// parseBigDecimal is new BigDecimal(String): an optional sign, digits with an optional point, and an
// optional exponent; no spaces.
func parseBigDecimal(s string) (connectors.Decimal, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var digits strings.Builder
	frac, seenPoint, seenDigit := 0, false, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits.WriteByte(c)
			seenDigit = true
			if seenPoint {
				frac++
			}
			continue
		case c == '.' && !seenPoint:
			seenPoint = true
			continue
		}
		break
	}
	if !seenDigit {
		return connectors.Decimal{}, false
	}
	exp := int64(0)
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		e, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil || s[i+1:] == "" {
			return connectors.Decimal{}, false
		}
		exp = e
		i = len(s)
	}
	if i != len(s) {
		return connectors.Decimal{}, false
	}
	scale := int64(frac) - exp
	if scale != int64(int32(scale)) {
		return connectors.Decimal{}, false
	}
	u, _ := new(big.Int).SetString(digits.String(), 10)
	if neg {
		u.Neg(u)
	}
	return connectors.Decimal{Unscaled: u, Scale: int32(scale)}, true
}

// epoch0 is new java.util.Date(0).
var epoch0 = time.UnixMilli(0).UTC()
