package transforms

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Java's conversions between numbers, and from text to numbers, which Cast and MaskField reproduce:
// Number.byteValue() and friends narrow by truncating bits (integers) or by saturating (floating point,
// NaN being 0), and the parse methods accept Java's grammars.

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
		return connectors.DoubleToLong(float64(x))
	case float64:
		return connectors.DoubleToLong(x)
	case connectors.Decimal:
		return connectors.DecimalLong(x)
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

// epoch0 is new java.util.Date(0).
var epoch0 = time.UnixMilli(0).UTC()
