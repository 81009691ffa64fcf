package connectors

// Java's text forms of the data model. Apache writes these where it calls toString: FileStreamSink lines,
// StringConverter output, Values (SimpleHeaderConverter) and log lines. They are reproduced byte for byte,
// including JDK 17's Double.toString, which does not always print the shortest digits.

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// FormatValue returns what Java's String.valueOf returns for the value Apache would hold:
//
//	nil                  null
//	string               the string itself
//	bool, integers       true, false, 42
//	float32, float64     Float.toString / Double.toString (1.0E7, 0.1, NaN, -0.0)
//	Decimal              BigDecimal.toString (123.45, 1E+3, 0E-10)
//	time.Time            java.util.Date.toString in UTC (Tue Nov 14 22:13:20 UTC 2023)
//	[]any                [a, b, null]
//	MapValue             {k=v, k2=v2} in entry order; a map[string]any in Java HashMap order
//	*StructValue         Struct{f1=v1,f2=v2}, null fields left out
//	[]byte               [B@ followed by a hash of the content
//
// Java prints a byte array as its identity hash code, which changes from run to run; the hash here is
// derived from the content instead, so that the text is at least stable.
func FormatValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "null"
	}
	return string(AppendValue(make([]byte, 0, 32), v))
}

// AppendValue appends FormatValue(v) to dst.
func AppendValue(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case string:
		return append(dst, v...)
	case bool:
		return strconv.AppendBool(dst, v)
	case int8:
		return strconv.AppendInt(dst, int64(v), 10)
	case int16:
		return strconv.AppendInt(dst, int64(v), 10)
	case int32:
		return strconv.AppendInt(dst, int64(v), 10)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case float32:
		return AppendFloat32(dst, v)
	case float64:
		return AppendFloat64(dst, v)
	case Decimal:
		return AppendDecimal(dst, v)
	case time.Time:
		return AppendDate(dst, v)
	case []byte:
		return appendByteArray(dst, v)
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendValue(dst, e)
		}
		return append(dst, ']')
	case MapValue:
		dst = append(dst, '{')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendValue(dst, e.Key)
			dst = append(dst, '=')
			dst = AppendValue(dst, e.Value)
		}
		return append(dst, '}')
	case map[string]any:
		dst = append(dst, '{')
		for i, k := range HashMapOrder(v) {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, k...)
			dst = append(dst, '=')
			dst = AppendValue(dst, v[k])
		}
		return append(dst, '}')
	case *StructValue:
		if v == nil {
			return append(dst, "null"...)
		}
		dst = append(dst, "Struct{"...)
		first := true
		for i, f := range v.schema.Fields {
			if v.values[i] == nil {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(dst, f.Name...)
			dst = append(dst, '=')
			dst = AppendValue(dst, v.values[i])
		}
		return append(dst, '}')
	default:
		return fmt.Append(dst, v)
	}
}

// appendByteArray writes Java's text for a byte[]: the class name "[B", "@" and a hash in lowercase hex.
func appendByteArray(dst []byte, b []byte) []byte {
	h := uint32(2166136261)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	h &= 0x7fffffff
	if h == 0 {
		h = 1
	}
	dst = append(dst, "[B@"...)
	return strconv.AppendUint(dst, uint64(h), 16)
}

// FormatDecimal returns Java's BigDecimal.toString of d.
func FormatDecimal(d Decimal) string { return string(AppendDecimal(nil, d)) }

// AppendDecimal appends Java's BigDecimal.toString of d: plain notation when the scale is not negative and the
// exponent is at least -6 (123.45, 0.0000), scientific notation otherwise (1E+3, 1E-10, 0E+3).
func AppendDecimal(dst []byte, d Decimal) []byte {
	var digits []byte
	if d.Unscaled == nil {
		digits = []byte{'0'}
	} else {
		if d.Unscaled.Sign() < 0 {
			dst = append(dst, '-')
		}
		digits = new(big.Int).Abs(d.Unscaled).Append(nil, 10)
	}
	scale := int64(d.Scale)
	if scale == 0 {
		return append(dst, digits...)
	}
	adjusted := -scale + int64(len(digits)-1)
	if scale > 0 && adjusted >= -6 {
		if n := int64(len(digits)); n > scale {
			dst = append(dst, digits[:n-scale]...)
			dst = append(dst, '.')
			return append(dst, digits[n-scale:]...)
		}
		dst = append(dst, '0', '.')
		for i := int64(len(digits)); i < scale; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[0])
	if len(digits) > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'E')
	if adjusted > 0 {
		dst = append(dst, '+')
	}
	return strconv.AppendInt(dst, adjusted, 10)
}

const (
	javaMillisPerDay = 86400000
	// javaGregorianCutover is 1582-10-15T00:00Z: java.util.Date uses the Julian calendar before it.
	javaGregorianCutover = -12219292800000
)

var (
	javaWeekdays = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	javaMonths   = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// FormatDate returns java.util.Date.toString for t in the UTC time zone, e.g. "Tue Nov 14 22:13:20 UTC 2023".
func FormatDate(t time.Time) string { return string(AppendDate(nil, t)) }

// AppendDate appends java.util.Date.toString for t, as a JVM running in UTC prints it (the fixtures' and
// the usual container's zone). Like Java it uses the Julian calendar before 15 October 1582 and prints
// years before year 1 as years of the era (1 BC is "1").
func AppendDate(dst []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	y, mo, d, hh, mm, ss := javaCalendar(ms)
	days := floorDivide(ms, javaMillisPerDay)
	dst = append(dst, javaWeekdays[floorModulo(days+4, 7)]...)
	dst = append(dst, ' ')
	dst = append(dst, javaMonths[mo-1]...)
	dst = append(dst, ' ')
	dst = appendTwoDigits(dst, d)
	dst = append(dst, ' ')
	dst = appendTwoDigits(dst, hh)
	dst = append(dst, ':')
	dst = appendTwoDigits(dst, mm)
	dst = append(dst, ':')
	dst = appendTwoDigits(dst, ss)
	dst = append(dst, " UTC "...)
	if y <= 0 {
		y = 1 - y
	}
	return strconv.AppendInt(dst, y, 10)
}

// javaCalendar splits milliseconds since the epoch into the UTC fields java.util.Date shows: the proleptic
// year (0 is 1 BC), month 1-12, day, hour, minute and second, in the Julian calendar before 15 October 1582.
func javaCalendar(ms int64) (year int64, month, day, hour, minute, sec int) {
	days := floorDivide(ms, javaMillisPerDay)
	rem := ms - days*javaMillisPerDay
	hour = int(rem / 3600000)
	minute = int(rem / 60000 % 60)
	sec = int(rem / 1000 % 60)
	if ms >= javaGregorianCutover {
		// Go's calendar is the proleptic Gregorian one, which is right from the cutover on.
		t := time.UnixMilli(days * javaMillisPerDay).UTC()
		return int64(t.Year()), int(t.Month()), t.Day(), hour, minute, sec
	}
	// Julian calendar from the Julian day number (1970-01-01 is day 2440588).
	e := 4*(days+2440588+1401) + 3
	h := 5*floorDivide(floorModulo(e, 1461), 4) + 2
	day = int(floorDivide(floorModulo(h, 153), 5)) + 1
	month = int(floorModulo(floorDivide(h, 153)+2, 12)) + 1
	year = floorDivide(e, 1461) - 4716 + int64((14-month)/12)
	return year, month, day, hour, minute, sec
}

func appendTwoDigits(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

func floorDivide(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorModulo(a, b int64) int64 { return a - floorDivide(a, b)*b }

// FormatFloat64 returns Java's Double.toString(f) as JDK 17 prints it.
func FormatFloat64(f float64) string { return string(AppendFloat64(make([]byte, 0, 24), f)) }

// FormatFloat32 returns Java's Float.toString(f) as JDK 17 prints it.
func FormatFloat32(f float32) string { return string(AppendFloat32(make([]byte, 0, 24), f)) }

// AppendFloat64 appends Java's Double.toString(f) as JDK 17 prints it: "NaN", "Infinity", "-0.0", plain
// notation with at least one fractional digit for 10^-3 <= |f| < 10^7 ("100.0", "0.001"), otherwise
// d.dddE±n ("1.0E7", "4.9E-324"). The digits are those of JDK 17's FloatingDecimal, which are the shortest
// that read back as f except in a few families of values (2.82879384806159008E17, 9.999999999999999E22 for
// 1e23); JDK 19 and later print the shortest digits everywhere, so the fixtures' JDK 17 is the reference.
func AppendFloat64(dst []byte, f float64) []byte {
	u := math.Float64bits(f)
	neg := u>>63 != 0
	fract := u & (1<<52 - 1)
	binExp := int(u>>52) & 0x7ff
	nSig := 53
	switch binExp {
	case 0x7ff:
		return appendNonFinite(dst, fract != 0, neg)
	case 0:
		if fract == 0 {
			return appendZero(dst, neg)
		}
		// Subnormal: normalise the fraction so that bit 52 is set, as for normal numbers.
		lz := bits.LeadingZeros64(fract)
		shift := lz - 11
		fract <<= uint(shift)
		binExp = 1 - shift
		nSig = 64 - lz
	default:
		fract |= 1 << 52
	}
	var d javaDigits
	d.dtoa(binExp-1023, fract, nSig, math.Abs(f), 64)
	return d.appendTo(dst, neg)
}

// AppendFloat32 appends Java's Float.toString(f) as JDK 17 prints it (same layout as AppendFloat64, with
// float precision: 1.1f is "1.1", and integral values above 2^24 keep their exact digits, 1.23456792E8).
func AppendFloat32(dst []byte, f float32) []byte {
	u := math.Float32bits(f)
	neg := u>>31 != 0
	fract := u & (1<<23 - 1)
	binExp := int(u>>23) & 0xff
	nSig := 24
	switch binExp {
	case 0xff:
		return appendNonFinite(dst, fract != 0, neg)
	case 0:
		if fract == 0 {
			return appendZero(dst, neg)
		}
		lz := bits.LeadingZeros32(fract)
		shift := lz - 8
		fract <<= uint(shift)
		binExp = 1 - shift
		nSig = 32 - lz
	default:
		fract |= 1 << 23
	}
	var d javaDigits
	d.dtoa(binExp-127, uint64(fract)<<29, nSig, math.Abs(float64(f)), 32)
	return d.appendTo(dst, neg)
}

func appendNonFinite(dst []byte, nan, neg bool) []byte {
	switch {
	case nan:
		return append(dst, "NaN"...)
	case neg:
		return append(dst, "-Infinity"...)
	}
	return append(dst, "Infinity"...)
}

func appendZero(dst []byte, neg bool) []byte {
	if neg {
		return append(dst, "-0.0"...)
	}
	return append(dst, "0.0"...)
}

// javaDigits is the decimal form FloatingDecimal builds before printing: 0.d1d2…dn × 10^exp.
type javaDigits struct {
	buf [24]byte
	n   int
	exp int
}

// The digit generation below re-implements the behaviour of JDK 17's FloatingDecimal.dtoa, checked against
// Float.toString for every float and Double.toString for tens of millions of doubles (random bit patterns,
// integers, powers of two and ten, subnormals, short decimals and values whose rounding interval ends on
// a short decimal). Its quirks are kept on purpose: exact integers below 2^63 print all their digits, the
// 32- and 64-bit loops stop on wrapped-around bounds, and E-notation always develops a second digit.

// dtoa fills d with the digits of the positive value fract × 2^(binExp-52), fract having bit 52 set. nSig is
// the precision of the source type; v and bitSize are the value itself, for the fast path of the
// big-number case.
func (d *javaDigits) dtoa(binExp int, fract uint64, nSig int, v float64, bitSize int) {
	tailZeros := bits.TrailingZeros64(fract)
	nFractBits := 53 - tailZeros
	nTinyBits := max(0, nFractBits-binExp-1)
	if binExp <= 62 && binExp >= -21 && nTinyBits == 0 {
		// An integer below 2^63 is printed from its exact value; only the digits below the precision of
		// the type are rounded away, and for doubles that leaves up to 19 digits (2.82879384806159008E17).
		insignificant := 0
		if binExp > nSig {
			insignificant = insignificantDigits(binExp - nSig - 1)
		}
		if binExp >= 52 {
			fract <<= uint(binExp - 52)
		} else {
			fract >>= uint(52 - binExp)
		}
		d.fromInteger(fract, insignificant)
		return
	}
	// value = B/S × 10^decExp with 1 <= B/S < 10, and M is half a unit in the last place scaled like B.
	decExp := estimateDecExp(fract, binExp)
	b5 := max(0, -decExp)
	b2 := b5 + nTinyBits + binExp
	s5 := max(0, decExp)
	s2 := s5 + nTinyBits
	m5 := b5
	m2 := b2 - nSig
	fract >>= uint(tailZeros)
	b2 -= nFractBits - 1
	common := min(b2, s2)
	b2 -= common
	s2 -= common
	m2 -= common
	if nFractBits == 1 {
		// A power of two: the JDK halves M on both sides.
		m2--
	}
	if m2 < 0 {
		b2 -= m2
		s2 -= m2
		m2 = 0
	}
	bBits := nFractBits + b2 + bitsOfPow5(b5)
	tenSBits := s2 + 1 + bitsOfPow5(s5+1)
	switch {
	case bBits < 32 && tenSBits < 32:
		d.digits32(decExp, int32(fract)*int32(pow5[b5])<<(b2&31), int32(pow5[s5])<<(s2&31), int32(pow5[m5])<<(m2&31))
	case bBits < 64 && tenSBits < 64:
		d.digits64(decExp, int64(fract)*pow5[b5]<<(b2&63), pow5[s5]<<(s2&63), pow5[m5]<<(m2&63))
	default:
		if nFractBits != 1 && d.shortest(v, bitSize) {
			return
		}
		d.n = 0
		d.digitsBig(decExp, fract, b5, b2, s5, s2, m5, m2)
	}
}

// bitsOfPow5 is the JDK's estimate of the bit length of 5^i.
func bitsOfPow5(i int) int {
	if i < len(pow5Bits) {
		return pow5Bits[i]
	}
	return i * 3
}

var pow5Bits = [...]int{0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61}

var pow5 = func() (p [27]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 5
	}
	return p
}()

// insignificantDigits is floor(p2 × log10 2): how many low decimal digits of an integer of the given excess
// binary precision carry no information.
func insignificantDigits(p2 int) int {
	if p2 < 2 {
		return 0
	}
	return p2 * 30103 / 100000
}

// estimateDecExp is the JDK's guess at floor(log10(value)), from a tangent of log10 at 1.5; it is sometimes one
// too high, which the digit loops correct.
func estimateDecExp(fract uint64, binExp int) int {
	m := math.Float64frombits(0x3ff0000000000000 | fract&(1<<52-1))
	// The conversions keep the compiler from fusing multiply-adds: Java rounds every step.
	e := float64(float64(m-1.5)*0.289529654) + 0.176091259
	e += float64(float64(binExp) * 0.301029995663981)
	return int(math.Floor(e))
}

func (d *javaDigits) push(c byte) {
	d.buf[d.n] = c
	d.n++
}

// fromInteger sets the digits of v after rounding away its lowest insignificant digits (half up); trailing
// zeros are dropped.
func (d *javaDigits) fromInteger(v uint64, insignificant int) {
	exp := 0
	if insignificant > 0 {
		p := uint64(pow5[insignificant]) << uint(insignificant)
		r := v % p
		v /= p
		exp = insignificant
		if r >= p>>1 {
			v++
		}
	}
	for v%10 == 0 {
		v /= 10
		exp++
	}
	var tmp [20]byte
	i := len(tmp)
	for v != 0 {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	d.n = copy(d.buf[:], tmp[i:])
	d.exp = exp + d.n
}

// eForm reports whether a value with this decimal exponent prints in E-notation, where Java always shows
// at least two significant digits.
func eForm(decExp int) bool { return decExp < -3 || decExp >= 8 }

// digits32 is the digit loop when B, 10·S and M fit in 32 bits. M is not protected from overflow in its
// last multiplication; a wrapped M makes the loop run on, and that is what Java prints.
func (d *javaDigits) digits32(decExp int, b, s, m int32) {
	tens := s * 10
	q := b / s
	b = 10 * (b % s)
	m *= 10
	low := b < m
	high := b+m > tens
	if q == 0 && !high {
		decExp-- // the estimate was one too high
	} else {
		d.push(byte('0' + q))
	}
	if eForm(decExp) {
		low, high = false, false
	}
	for !low && !high {
		q = b / s
		b = 10 * (b % s)
		m *= 10
		if m > 0 {
			low = b < m
			high = b+m > tens
		} else {
			low, high = true, true
		}
		d.push(byte('0' + q))
	}
	d.round(decExp, low, high, int64((b<<1)-tens))
}

// digits64 is digits32 for values that fit in 64 bits.
func (d *javaDigits) digits64(decExp int, b, s, m int64) {
	tens := s * 10
	q := b / s
	b = 10 * (b % s)
	m *= 10
	low := b < m
	high := b+m > tens
	if q == 0 && !high {
		decExp--
	} else {
		d.push(byte('0' + q))
	}
	if eForm(decExp) {
		low, high = false, false
	}
	for !low && !high {
		q = b / s
		b = 10 * (b % s)
		m *= 10
		if m > 0 {
			low = b < m
			high = b+m > tens
		} else {
			low, high = true, true
		}
		d.push(byte('0' + q))
	}
	d.round(decExp, low, high, (b<<1)-tens)
}

// digitsBig is the digit loop on exact big numbers. Unlike the 32- and 64-bit loops it accepts a rounded-up
// digit that lands exactly on the upper edge of the rounding interval.
func (d *javaDigits) digitsBig(decExp int, fract uint64, b5, b2, s5, s2, m5, m2 int) {
	ten := big.NewInt(10)
	pow52 := func(p5, p2 int) *big.Int {
		x := new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(p5)), nil)
		return x.Lsh(x, uint(p2))
	}
	s := pow52(s5, s2)
	b := pow52(b5, b2)
	b.Mul(b, new(big.Int).SetUint64(fract))
	m := pow52(m5+1, m2+1) // 10·M: compared with the remainder after it is multiplied by 10
	tenS := pow52(s5+1, s2+1)
	q, sum := new(big.Int), new(big.Int)
	next := func() byte {
		q.QuoRem(b, s, b)
		b.Mul(b, ten)
		return byte('0' + q.Int64())
	}
	c := next()
	low := b.Cmp(m) < 0
	high := tenS.Cmp(sum.Add(b, m)) <= 0
	if c == '0' && !high {
		decExp--
	} else {
		d.push(c)
	}
	if eForm(decExp) {
		low, high = false, false
	}
	for !low && !high {
		c = next()
		m.Mul(m, ten)
		low = b.Cmp(m) < 0
		high = tenS.Cmp(sum.Add(b, m)) <= 0
		d.push(c)
	}
	var diff int64
	if high && low {
		diff = int64(sum.Lsh(b, 1).Cmp(tenS))
	}
	d.round(decExp, low, high, diff)
}

// round applies the loops' stopping decision to the last digit: up when only the rounded-up value is close
// enough, to the nearer one when both are (ties to even).
func (d *javaDigits) round(decExp int, low, high bool, lowDiff int64) {
	d.exp = decExp + 1
	if high && (!low || lowDiff > 0 || lowDiff == 0 && d.buf[d.n-1]&1 != 0) {
		d.roundUp()
	}
}

func (d *javaDigits) roundUp() {
	i := d.n - 1
	for i > 0 && d.buf[i] == '9' {
		d.buf[i] = '0'
		i--
	}
	if d.buf[i] == '9' {
		// Carry out of the first digit: 1 followed by the zeros already there, one decade up.
		d.exp++
		d.buf[0] = '1'
		return
	}
	d.buf[i]++
}

// shortest is the fast path of the big-number loop, which is exact and so picks the shortest decimal in the
// rounding interval, as strconv does. The two differ only where strconv accepts a decimal on the lower
// edge (even mantissas) or rejects one on the upper edge (odd mantissas), and in E-notation values whose
// shortest form has one digit. Those cases report false and take the exact loop.
func (d *javaDigits) shortest(v float64, bitSize int) bool {
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], v, 'e', -1, bitSize) // d[.ddd]e±xx
	var dec uint64
	n, i := 0, 0
	for ; s[i] != 'e'; i++ {
		if s[i] != '.' {
			d.buf[n] = s[i]
			n++
			dec = dec*10 + uint64(s[i]-'0')
		}
	}
	e10 := 0
	neg := s[i+1] == '-'
	for _, c := range s[i+2:] {
		e10 = e10*10 + int(c-'0')
	}
	if neg {
		e10 = -e10
	}
	d.n, d.exp = n, e10+1
	if n == 1 && eForm(e10) {
		return false
	}
	// The value is m × 2^e2 and the interval edges are odd × 2^(e2-1). A decimal dec × 10^p can only be an
	// edge if it has exactly that power of two.
	var m uint64
	var e2 int
	if bitSize == 32 {
		u := math.Float32bits(float32(v))
		m, e2 = uint64(u&(1<<23-1)), int(u>>23)&0xff
		if e2 != 0 {
			m |= 1 << 23
		}
		e2 = max(e2, 1) - 150
	} else {
		u := math.Float64bits(v)
		m, e2 = u&(1<<52-1), int(u>>52)&0x7ff
		if e2 != 0 {
			m |= 1 << 52
		}
		e2 = max(e2, 1) - 1075
	}
	if bits.TrailingZeros64(dec)+e10-(n-1) == e2-1 {
		return false
	}
	if e2 >= 1 {
		// The upper edge (2m+1) × 2^(e2-1) wins over strconv's answer only when it is a shorter decimal,
		// which takes at least one factor 5 in 2m+1 per dropped digit.
		odd := 2*m + 1
		z := max(1, e10+2-n)
		for ; z > 0 && odd%5 == 0; z-- {
			odd /= 5
		}
		if z == 0 {
			return false
		}
	}
	return true
}

// appendTo prints the digits the way Double.toString lays them out.
func (d *javaDigits) appendTo(dst []byte, neg bool) []byte {
	if neg {
		dst = append(dst, '-')
	}
	digits := d.buf[:d.n]
	switch e := d.exp; {
	case e > 0 && e < 8:
		if len(digits) <= e {
			dst = append(dst, digits...)
			for i := len(digits); i < e; i++ {
				dst = append(dst, '0')
			}
			return append(dst, '.', '0')
		}
		dst = append(dst, digits[:e]...)
		dst = append(dst, '.')
		return append(dst, digits[e:]...)
	case e <= 0 && e > -3:
		dst = append(dst, '0', '.')
		for i := e; i < 0; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	default:
		dst = append(dst, digits[0], '.')
		if len(digits) > 1 {
			dst = append(dst, digits[1:]...)
		} else {
			dst = append(dst, '0')
		}
		dst = append(dst, 'E')
		return strconv.AppendInt(dst, int64(e-1), 10)
	}
}

// FormatRecord renders a record as Apache's SourceRecord.toString (sink false) or SinkRecord.toString does,
// for the messages and log lines that include a record. A sink record's original coordinates are not kept
// on the record; its current ones are shown.
func FormatRecord(r *Record, sink bool) string {
	var b strings.Builder
	if sink {
		b.WriteString("SinkRecord{kafkaOffset=")
		b.WriteString(strconv.FormatInt(r.Offset, 10))
		b.WriteString(", timestampType=")
		b.WriteString(formatTimestampType(r.TimestampType))
		b.WriteString(", originalTopic=")
		b.WriteString(r.Topic)
		b.WriteString(", originalKafkaPartition=")
		b.WriteString(formatPartition(r.Partition))
		b.WriteString(", originalKafkaOffset=")
		b.WriteString(strconv.FormatInt(r.Offset, 10))
	} else {
		b.WriteString("SourceRecord{sourcePartition=")
		b.WriteString(formatSourceMap(r.SourcePartition))
		b.WriteString(", sourceOffset=")
		b.WriteString(formatSourceMap(r.SourceOffset))
	}
	b.WriteString("} ConnectRecord{topic='")
	b.WriteString(r.Topic)
	b.WriteString("', kafkaPartition=")
	b.WriteString(formatPartition(r.Partition))
	b.WriteString(", key=")
	b.WriteString(FormatValue(r.Key))
	b.WriteString(", keySchema=")
	b.WriteString(FormatSchema(r.KeySchema))
	b.WriteString(", value=")
	b.WriteString(FormatValue(r.Value))
	b.WriteString(", valueSchema=")
	b.WriteString(FormatSchema(r.ValueSchema))
	b.WriteString(", timestamp=")
	if r.Timestamp.IsZero() {
		b.WriteString("null")
	} else {
		b.WriteString(strconv.FormatInt(r.Timestamp.UnixMilli(), 10))
	}
	b.WriteString(", headers=ConnectHeaders(headers=")
	if len(r.Headers) > 0 {
		b.WriteByte('[')
		for i, h := range r.Headers {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("ConnectHeader(key=")
			b.WriteString(h.Key)
			b.WriteString(", value=")
			b.WriteString(FormatValue(h.Value))
			b.WriteString(", schema=")
			b.WriteString(FormatSchema(h.Schema))
			b.WriteByte(')')
		}
		b.WriteByte(']')
	}
	b.WriteString(")}")
	return b.String()
}

func formatPartition(p int32) string {
	if p == AnyPartition {
		return "null"
	}
	return strconv.Itoa(int(p))
}

func formatSourceMap(m map[string]any) string {
	if m == nil {
		return "null"
	}
	return FormatValue(m)
}

func formatTimestampType(t TimestampType) string {
	switch t {
	case CreateTime:
		return "CreateTime"
	case LogAppendTime:
		return "LogAppendTime"
	}
	return "NoTimestampType"
}

// FormatSchema renders a schema as Apache's ConnectSchema.toString does: Schema{TYPE}, or Schema{name:TYPE}.
func FormatSchema(s *Schema) string {
	if s == nil {
		return "null"
	}
	if s.Name != "" {
		return "Schema{" + s.Name + ":" + s.Type.String() + "}"
	}
	return "Schema{" + s.Type.String() + "}"
}
