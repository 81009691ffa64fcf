package connectors

import (
	"bufio"
	"encoding/json"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/fixtures"
)

// The expected texts below were printed by OpenJDK 17.0.15 (Double.toString, Float.toString,
// BigDecimal.toString, java.util.Date.toString with TZ=UTC).

func TestFormatFloat64(t *testing.T) {
	cases := []struct {
		bits uint64
		want string
	}{
		{0x0000000000000000, "0.0"},
		{0x8000000000000000, "-0.0"},
		{0x7ff8000000000000, "NaN"},
		{0x7ff0000000000000, "Infinity"},
		{0xfff0000000000000, "-Infinity"},
		{math.Float64bits(1), "1.0"},
		{math.Float64bits(100), "100.0"},
		{math.Float64bits(0.1), "0.1"},
		{math.Float64bits(-2.5e-10), "-2.5E-10"},
		{math.Float64bits(0.001), "0.001"},
		{math.Float64bits(0.0001), "1.0E-4"},
		{math.Float64bits(9999999), "9999999.0"},
		{math.Float64bits(1e7), "1.0E7"},
		{math.Float64bits(123456789), "1.23456789E8"},
		{math.Float64bits(0.30000000000000004), "0.30000000000000004"},
		{0x7fefffffffffffff, "1.7976931348623157E308"},
		// Integers below 2^63 print all their digits where the shortest form has fewer.
		{0x438f67ea69ed3795, "2.82879384806159008E17"},
		{0x43d2f4fa6dc41b36, "5.4639677453943992E18"},
		{0x43af4bfa6d993a29, "1.12758569352908506E18"},
		{0x436f5111960b7b8c, "7.0518882013273184E16"},
		// Not the nearest of the shortest candidates.
		{0x44b52d02c7e14af6, "9.999999999999999E22"},
		{0x4477e2e676f7fc7e, "7.049999999999999E21"},
		{0x45341579726039b3, "2.4279926386116523E25"},
		{0x453f48700e4e3ea0, "3.7818777860986595E25"},
		// Shorter than strconv: the upper edge of the rounding interval is accepted.
		{0x456017f7df96be17, "1.55648E26"},
		{0x459017f7df96be17, "1.245184E27"},
		{0x45d017f7df96be17, "1.9922944E28"},
		// Powers of two and subnormals.
		{0x0060000000000000, "7.1202363472230444E-307"},
		{0x0200000000000000, "4.7783097267364807E-299"},
		{0x0000000000000001, "4.9E-324"},
		{0x000000000000000a, "4.9E-323"},
		{0x0000000000000020, "1.58E-322"},
	}
	for _, c := range cases {
		f := math.Float64frombits(c.bits)
		if got := FormatFloat64(f); got != c.want {
			t.Errorf("FormatFloat64(%#016x) = %q, want %q", c.bits, got, c.want)
		}
		if got := string(AppendFloat64([]byte("x"), f)); got != "x"+c.want {
			t.Errorf("AppendFloat64(%#016x) = %q", c.bits, got)
		}
	}
}

func TestFormatFloat32(t *testing.T) {
	cases := []struct {
		bits uint32
		want string
	}{
		{0x00000000, "0.0"},
		{0x80000000, "-0.0"},
		{0x7fc00001, "NaN"},
		{0xff800000, "-Infinity"},
		{math.Float32bits(1.1), "1.1"},
		{math.Float32bits(0.1), "0.1"},
		{math.Float32bits(1e7), "1.0E7"},
		{math.Float32bits(1e10), "1.0E10"},
		{math.Float32bits(123456.79), "123456.79"},
		{math.Float32bits(123456789), "1.23456792E8"},
		{0x7f7fffff, "3.4028235E38"},
		{0x00000001, "1.4E-45"},
		{0x00000003, "4.2E-45"},
		{0x00000007, "9.8E-45"},
		{0x00000080, "1.794E-43"},
		{0x00002000, "1.14794E-41"},
		{0x4c000004, "3.3554448E7"},
		{0x4c03d090, "3.4554432E7"},
		{0x00800000, "1.17549435E-38"},
		{0x10800000, "5.0487098E-29"},
		{0x2c800000, "3.6379788E-12"},
		{0x6a183528, "4.6001936E25"},
		{0x6a6efd8b, "7.2230416E25"},
	}
	for _, c := range cases {
		f := math.Float32frombits(c.bits)
		if got := FormatFloat32(f); got != c.want {
			t.Errorf("FormatFloat32(%#08x) = %q, want %q", c.bits, got, c.want)
		}
	}
}

// TestFormatFloatFixtures checks every float and double of Apache's converter fixtures: their value
// descriptions carry the IEEE bits and the text Java printed for them.
func TestFormatFloatFixtures(t *testing.T) {
	dir := fixtures.Dir(t)
	re := regexp.MustCompile(`^(Float|Double) (\S+) \(IEEE bits 0x([0-9a-f]+)\)$`)
	n := 0
	for _, name := range []string{"from-connect.jsonl", "to-connect.jsonl"} {
		f, err := os.Open(filepath.Join(dir, "converters", name))
		if err != nil {
			t.Fatal(err)
		}
		s := bufio.NewScanner(f)
		s.Buffer(nil, 1<<20)
		for s.Scan() {
			var c struct{ Value string }
			if err := json.Unmarshal(s.Bytes(), &c); err != nil {
				t.Fatal(err)
			}
			m := re.FindStringSubmatch(c.Value)
			if m == nil {
				continue
			}
			bits, _ := strconv.ParseUint(m[3], 16, 64)
			var got string
			if m[1] == "Float" {
				got = FormatFloat32(math.Float32frombits(uint32(bits)))
			} else {
				got = FormatFloat64(math.Float64frombits(bits))
			}
			if got != m[2] {
				t.Errorf("%s bits %s: got %q, want %q", m[1], m[3], got, m[2])
			}
			n++
		}
		f.Close()
	}
	if n < 50 {
		t.Errorf("only %d float cases found in the fixtures", n)
	}
}

func TestFormatDecimal(t *testing.T) {
	cases := []struct {
		unscaled string
		scale    int32
		want     string
	}{
		{"12345", 2, "123.45"},
		{"-100", 2, "-1.00"},
		{"0", 2, "0.00"},
		{"-1", 2, "-0.01"},
		{"0", 4, "0.0000"},
		{"1000", 0, "1000"},
		{"1", -3, "1E+3"},
		{"15", -3, "1.5E+4"},
		{"1", 10, "1E-10"},
		{"1", 6, "0.000001"},
		{"1", 7, "1E-7"},
		{"-123", 9, "-1.23E-7"},
		{"123", 8, "0.00000123"},
		{"0", -3, "0E+3"},
		{"0", 10, "0E-10"},
		{"1234567890123456789012", 2, "12345678901234567890.12"},
		{"1", -400, "1E+400"},
	}
	for _, c := range cases {
		u, _ := new(big.Int).SetString(c.unscaled, 10)
		if got := FormatDecimal(Decimal{Unscaled: u, Scale: c.scale}); got != c.want {
			t.Errorf("BigDecimal(%s, %d) = %q, want %q", c.unscaled, c.scale, got, c.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	cases := []struct {
		ms   int64
		want string
	}{
		{0, "Thu Jan 01 00:00:00 UTC 1970"},
		{-1, "Wed Dec 31 23:59:59 UTC 1969"},
		{1700000000123, "Tue Nov 14 22:13:20 UTC 2023"},
		{1709251200000, "Fri Mar 01 00:00:00 UTC 2024"},
		// The Julian calendar before the Gregorian cutover, and years of the era before year 1.
		{-12219292800000, "Fri Oct 15 00:00:00 UTC 1582"},
		{-12219292800001, "Thu Oct 04 23:59:59 UTC 1582"},
		{-62135596800000, "Mon Jan 03 00:00:00 UTC 1"},
		{-62198755200000, "Fri Jan 03 00:00:00 UTC 2"},
		{-100000000000000, "Thu Feb 26 14:13:20 UTC 1200"},
		{253402300800000, "Sat Jan 01 00:00:00 UTC 10000"},
		{8640000000000000, "Sat Sep 13 00:00:00 UTC 275760"},
		{-8640000000000000, "Tue Nov 20 00:00:00 UTC 271817"},
	}
	for _, c := range cases {
		if got := FormatDate(time.UnixMilli(c.ms)); got != c.want {
			t.Errorf("Date(%d) = %q, want %q", c.ms, got, c.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	inner := &Schema{Type: Struct, Name: "com.example.Inner", Fields: []Field{
		{Name: "x", Index: 0, Schema: Float64Schema},
		{Name: "tags", Index: 1, Schema: &Schema{Type: Array, ValueSchema: StringSchema}},
	}}
	outer := &Schema{Type: Struct, Fields: []Field{
		{Name: "id", Index: 0, Schema: Int64Schema},
		{Name: "inner", Index: 1, Schema: inner},
		{Name: "attrs", Index: 2, Schema: &Schema{Type: Map, Optional: true, KeySchema: StringSchema, ValueSchema: StringSchema}},
		{Name: "opt", Index: 3, Schema: &Schema{Type: String, Optional: true}},
		{Name: "when", Index: 4, Schema: TimestampSchema(false)},
	}}
	in := NewStruct(inner)
	mustPut(t, in, "x", 1.5)
	mustPut(t, in, "tags", []any{"t1", "t2"})
	out := NewStruct(outer)
	mustPut(t, out, "id", int64(9))
	mustPut(t, out, "inner", in)
	mustPut(t, out, "attrs", MapValue{{"k1", "v1"}, {"k2", "v2"}})
	mustPut(t, out, "when", time.UnixMilli(1700000000123).UTC())

	cases := []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{"line one", "line one"},
		{int8(-5), "-5"},
		{int16(300), "300"},
		{int32(42), "42"},
		{int64(-6101065172474983726), "-6101065172474983726"},
		{true, "true"},
		{1e7, "1.0E7"},
		{float32(0.1), "0.1"},
		{[]any{int64(1), "x", nil}, "[1, x, null]"},
		{[]any{}, "[]"},
		{MapValue{{int32(2), "two"}, {int32(1), "one"}}, "{2=two, 1=one}"},
		{MapValue{}, "{}"},
		{map[string]any{"name": "x", "id": int64(1), "age": int64(2), "zeta": []any{int64(1), "b", nil}, "b": nil},
			"{zeta=[1, b, null], b=null, name=x, id=1, age=2}"},
		{map[string]any{"b": int64(1), "a": "x", "c": []any{1.5, true}}, "{a=x, b=1, c=[1.5, true]}"},
		{out, "Struct{id=9,inner=Struct{x=1.5,tags=[t1, t2]},attrs={k1=v1, k2=v2},when=Tue Nov 14 22:13:20 UTC 2023}"},
		{NewStruct(outer), "Struct{}"},
		{Decimal{Unscaled: big.NewInt(1), Scale: -3}, "1E+3"},
		{time.UnixMilli(1704067200000), "Mon Jan 01 00:00:00 UTC 2024"},
	}
	for _, c := range cases {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestFormatValueBytes(t *testing.T) {
	a := FormatValue([]byte{1, 2, 3})
	if !regexp.MustCompile(`^\[B@[0-9a-f]{1,8}$`).MatchString(a) {
		t.Fatalf("byte[] renders as %q, want [B@<hex>", a)
	}
	if b := FormatValue([]byte{1, 2, 3}); b != a {
		t.Errorf("same content renders differently: %q and %q", a, b)
	}
	if c := FormatValue([]byte{1, 2, 4}); c == a {
		t.Errorf("different contents render the same: %q", c)
	}
	if got := FormatValue([]any{[]byte{1, 2, 3}}); got != "["+a+"]" {
		t.Errorf("list of byte[] = %q", got)
	}
	if strings.Contains(FormatValue([]byte{}), "@0") && FormatValue([]byte{}) == "[B@0" {
		t.Error("empty array renders a zero hash")
	}
}

func mustPut(t *testing.T, s *StructValue, name string, v any) {
	t.Helper()
	if err := s.Put(name, v); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkAppendFloat64(b *testing.B) {
	values := []float64{0.1, 1.5, 123.456, 1e7, math.Pi, 2.718281828459045e-10, 6.02214076e23, 42}
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendFloat64(buf[:0], values[i%len(values)])
	}
}
