package converters

import (
	"math"
	"math/big"
	"strconv"
	"time"
)

// The ISO 8601 texts Values writes and reads through java.text.SimpleDateFormat, in UTC: the calendar is
// Java's, Julian before 15 October 1582, and parsing is lenient (2024-02-30 is 1 March, 25:00 is one
// o'clock the next day).

// civil holds the calendar fields of an instant.
type civil struct {
	year                     int64 // proleptic: 0 is 1 BC
	month, day               int
	hour, minute, sec, milli int
}

// gregorianCutoverDay is 1582-10-15, in days since the epoch.
const gregorianCutoverDay = -141427

func javaCivil(ms int64) civil {
	days := floorDiv(ms, millisPerDay)
	rem := ms - days*millisPerDay
	c := civil{hour: int(rem / 3600000), minute: int(rem / 60000 % 60), sec: int(rem / 1000 % 60), milli: int(rem % 1000)}
	if days >= gregorianCutoverDay {
		t := time.Unix(days*86400, 0).UTC()
		c.year, c.month, c.day = int64(t.Year()), int(t.Month()), t.Day()
		return c
	}
	e := 4*(days+2440588+1401) + 3
	h := 5*floorDiv(floorMod(e, 1461), 4) + 2
	c.day = int(floorDiv(floorMod(h, 153), 5)) + 1
	c.month = int(floorMod(floorDiv(h, 153)+2, 12)) + 1
	c.year = floorDiv(e, 1461) - 4716 + int64((14-c.month)/12)
	return c
}

// appendDate writes yyyy-MM-dd; the year is the year of the era, at least four digits.
func (c civil) appendDate(dst []byte) []byte {
	y := c.year
	if y <= 0 {
		y = 1 - y
	}
	s := strconv.FormatInt(y, 10)
	for i := len(s); i < 4; i++ {
		dst = append(dst, '0')
	}
	dst = append(dst, s...)
	dst = append(dst, '-')
	dst = append2(dst, c.month)
	dst = append(dst, '-')
	return append2(dst, c.day)
}

// appendTime writes HH:mm:ss.SSS followed by a literal Z.
func (c civil) appendTime(dst []byte) []byte {
	dst = append2(dst, c.hour)
	dst = append(dst, ':')
	dst = append2(dst, c.minute)
	dst = append(dst, ':')
	dst = append2(dst, c.sec)
	dst = append(dst, '.', byte('0'+c.milli/100), byte('0'+c.milli/10%10), byte('0'+c.milli%10))
	return append(dst, 'Z')
}

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }

// dateField is one element of a date pattern: a numeric field (y M d H m s S) or a literal character.
type dateField struct {
	field   byte
	literal byte
}

func lit(c byte) dateField { return dateField{literal: c} }

var (
	datePattern = []dateField{{field: 'y'}, lit('-'), {field: 'M'}, lit('-'), {field: 'd'}}
	timePattern = []dateField{{field: 'H'}, lit(':'), {field: 'm'}, lit(':'), {field: 's'}, lit('.'),
		{field: 'S'}, lit('Z')}
	timestampPattern = append(append(append([]dateField{}, datePattern...), lit('T')), timePattern...)
)

// parseLenientDate parses text with a pattern as a lenient SimpleDateFormat does: each number may have any
// number of digits (and a minus sign) after spaces or tabs, literals must match, text after the pattern
// is ignored, and out-of-range fields roll over into the next ones.
func parseLenientDate(text string, pattern []dateField) (int64, bool) {
	year, month, day := int64(1970), int64(1), int64(1)
	var hour, minute, sec, milli int64
	pos := 0
	for _, f := range pattern {
		if f.field == 0 {
			if pos >= len(text) || text[pos] != f.literal {
				return 0, false
			}
			pos++
			continue
		}
		for pos < len(text) && (text[pos] == ' ' || text[pos] == '\t') {
			pos++
		}
		start := pos
		if pos < len(text) && text[pos] == '-' {
			pos++
		}
		digits := pos
		for pos < len(text) && isDigit(text[pos]) {
			pos++
		}
		if pos == digits {
			return 0, false
		}
		n := int64(javaIntValue(text[start:pos]))
		switch f.field {
		case 'y':
			year = n
		case 'M':
			month = n
		case 'd':
			day = n
		case 'H':
			hour = n
		case 'm':
			minute = n
		case 's':
			sec = n
		case 'S':
			milli = n
		}
	}
	// GregorianCalendar.computeTime: the time of day may spill into other days.
	timeOfDay := ((hour*60+minute)*60+sec)*1000 + milli
	dayOffset := floorDiv(timeOfDay, millisPerDay)
	timeOfDay -= dayOffset * millisPerDay
	y, m := year+floorDiv(month-1, 12), floorMod(month-1, 12)+1
	greg := dayOffset + gregorianDays(y, m) + day - 1
	jul := dayOffset + julianDays(y, m) + day - 1
	// Before the cutover year the Julian date; from it on the Gregorian date from the cutover on, before
	// it the Julian one.
	if year < 1582 || greg < gregorianCutoverDay {
		return jul*millisPerDay + timeOfDay, true
	}
	return greg*millisPerDay + timeOfDay, true
}

// javaIntValue is Number.intValue of what DecimalFormat parses from an optionally negative run of digits:
// a long truncated to 32 bits, or beyond the long range a double saturated to the int range.
func javaIntValue(s string) int32 {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return int32(n)
	}
	x, _ := new(big.Int).SetString(s, 10)
	if x.Sign() < 0 {
		return math.MinInt32
	}
	return math.MaxInt32
}

// gregorianDays is the day number (days since 1970-01-01) of the first of a month in the proleptic
// Gregorian calendar.
func gregorianDays(year, month int64) int64 {
	y := year
	if month <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (month + 9) % 12
	doy := (153*mp + 2) / 5
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// julianDays is the day number of the first of a month in the Julian calendar.
func julianDays(year, month int64) int64 {
	a := (14 - month) / 12
	y := year + 4800 - a
	m := month + 12*a - 3
	jdn := 1 + (153*m+2)/5 + 365*y + floorDiv(y, 4) - 32083
	return jdn - 2440588
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
