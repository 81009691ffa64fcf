package connectors

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Java's numeric conversions. Apache's converters and transforms apply them, and their results reach the
// topics, so they must be Java's: Go's int64(f) of NaN or of an out-of-range float is not what Java's cast
// gives.

// DoubleToLong is Java's (long) cast of a double: truncation toward zero, saturating at the int64 limits,
// NaN to 0.
func DoubleToLong(f float64) int64 {
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

// DecimalLong is BigDecimal.longValue: the integer part of d (truncated toward zero), modulo 2^64.
func DecimalLong(d Decimal) int64 {
	u := new(big.Int)
	if d.Unscaled != nil {
		u.Set(d.Unscaled)
	}
	switch {
	case d.Scale > 0:
		if int(d.Scale) > len(u.Text(10)) {
			return 0 // |d| < 1; also spares computing a huge power of ten
		}
		u.Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
	case d.Scale < 0:
		if d.Scale < -64 {
			return 0 // 10^n is a multiple of 2^64 for n >= 64
		}
		u.Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(-int64(d.Scale)), nil))
	}
	return int64(u.And(u, new(big.Int).SetUint64(math.MaxUint64)).Uint64())
}

// ParseDecimal parses text as Java's new BigDecimal(String) does: an optional sign, digits with at most one
// decimal point (at least one digit), then optionally e or E, an optional sign and digits. The scale is the
// number of digits after the point minus the exponent, and must fit in 32 bits, as in Java.
func ParseDecimal(s string) (Decimal, bool) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var digits strings.Builder
	frac, point := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits.WriteByte(c)
			if point {
				frac++
			}
			continue
		case c == '.' && !point:
			point = true
			continue
		}
		break
	}
	if digits.Len() == 0 {
		return Decimal{}, false
	}
	exp := int64(0)
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return Decimal{}, false
		}
		e := s[i+1:]
		body := strings.TrimLeft(e, "+-")
		if body == "" || len(e)-len(body) > 1 || strings.TrimLeft(body, "0123456789") != "" {
			return Decimal{}, false
		}
		var err error
		if exp, err = strconv.ParseInt(e, 10, 32); err != nil {
			return Decimal{}, false
		}
	}
	scale := int64(frac) - exp
	if scale != int64(int32(scale)) {
		return Decimal{}, false
	}
	u, _ := new(big.Int).SetString(digits.String(), 10)
	if neg {
		u.Neg(u)
	}
	return Decimal{Unscaled: u, Scale: int32(scale)}, true
}
