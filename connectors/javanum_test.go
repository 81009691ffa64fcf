package connectors

import (
	"math"
	"math/big"
	"testing"
)

func TestDoubleToLong(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want int64
	}{{1.9, 1}, {-1.9, -1}, {math.NaN(), 0}, {1e300, math.MaxInt64}, {-1e300, math.MinInt64}, {math.Inf(1), math.MaxInt64}} {
		if got := DoubleToLong(c.in); got != c.want {
			t.Errorf("DoubleToLong(%v) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestDecimalLong(t *testing.T) {
	dec := func(u string, scale int32) Decimal {
		b, _ := new(big.Int).SetString(u, 10)
		return Decimal{Unscaled: b, Scale: scale}
	}
	for _, c := range []struct {
		in   Decimal
		want int64
	}{
		{dec("12345", 2), 123},
		{dec("-12345", 2), -123},            // toward zero
		{dec("5", -2), 500},                 // 5E+2
		{dec("18446744073709551617", 0), 1}, // 2^64 + 1 wraps
		{dec("-1", 0), -1},
		{dec("7", 1000000), 0}, // tiny: no huge power of ten computed
		{dec("3", -70), 0},     // 3E+70 is a multiple of 2^64
		{Decimal{Scale: 3}, 0}, // nil unscaled
	} {
		if got := DecimalLong(c.in); got != c.want {
			t.Errorf("DecimalLong(%v) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	for _, c := range []struct {
		in       string
		unscaled string
		scale    int32
		ok       bool
	}{
		{"123.45", "12345", 2, true},
		{"-0.01", "-1", 2, true},
		{"+5", "5", 0, true},
		{"1e3", "1", -3, true},
		{"1.5E-2", "15", 3, true},
		{"1e+3", "1", -3, true},
		{".5", "5", 1, true},
		{"5.", "5", 0, true},
		{"007", "7", 0, true},
		{"", "", 0, false},
		{".", "", 0, false},
		{"1e", "", 0, false},
		{"1e+-3", "", 0, false},
		{"1.2.3", "", 0, false},
		{"0x10", "", 0, false},
		{"1_000", "", 0, false},
		{" 1", "", 0, false},
		{"1e2147483648", "", 0, false},
		{"NaN", "", 0, false},
	} {
		d, ok := ParseDecimal(c.in)
		if ok != c.ok || ok && (d.Unscaled.String() != c.unscaled || d.Scale != c.scale) {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %s scale %d, %v", c.in, d, ok, c.unscaled, c.scale, c.ok)
		}
	}
}
