package transforms

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// javaDateFormat is a java.text.SimpleDateFormat as TimestampConverter and TimestampRouter use it: time
// zone UTC, locale en_US (weeks start on Sunday, and the week of 1 January is week 1), lenient parsing.
// Every pattern letter of SimpleDateFormat is supported: G y Y M L d D E u F w W a H k K h m s S z Z X,
// with text in single quotes and two single quotes for a quote character.
//
// As in java.util.GregorianCalendar, dates before 15 October 1582 are in the Julian calendar.
type javaDateFormat struct {
	pattern string
	items   []dateItem
}

// dateItem is a pattern letter repeated count times, or (letter 0) literal text.
type dateItem struct {
	letter  byte
	count   int
	literal string
}

const patternLetters = "GyMdkHmsSEDFwWahKzZYuXL"

// compileJavaDateFormat reads a pattern as SimpleDateFormat's constructor does, with its error texts.
func compileJavaDateFormat(pattern string) (*javaDateFormat, error) {
	f := &javaDateFormat{pattern: pattern}
	var lit strings.Builder
	var letter byte
	count := 0
	closeField := func() error {
		if count == 0 {
			return nil
		}
		if letter == 'X' && count >= 4 {
			return errors.New("invalid ISO 8601 format: length=" + strconv.Itoa(count))
		}
		f.items = append(f.items, dateItem{letter: letter, count: count})
		count = 0
		return nil
	}
	closeLiteral := func() {
		if lit.Len() > 0 {
			f.items = append(f.items, dateItem{literal: lit.String()})
			lit.Reset()
		}
	}
	inQuote := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '\'' {
			if i+1 < len(pattern) && pattern[i+1] == '\'' {
				i++
				if err := closeField(); err != nil {
					return nil, err
				}
				lit.WriteByte('\'')
				continue
			}
			if !inQuote {
				if err := closeField(); err != nil {
					return nil, err
				}
			}
			inQuote = !inQuote
			continue
		}
		if inQuote || !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			if err := closeField(); err != nil {
				return nil, err
			}
			lit.WriteByte(c)
			continue
		}
		if strings.IndexByte(patternLetters, c) < 0 {
			return nil, errors.New("Illegal pattern character '" + string(c) + "'")
		}
		if count > 0 && c != letter {
			if err := closeField(); err != nil {
				return nil, err
			}
		}
		closeLiteral()
		letter = c
		count++
	}
	if inQuote {
		return nil, errors.New("Unterminated quote")
	}
	if err := closeField(); err != nil {
		return nil, err
	}
	closeLiteral()
	return f, nil
}

var (
	monthNames      = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	shortMonthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	// Indexed by Java's DAY_OF_WEEK: 1 is Sunday.
	weekdayNames      = [8]string{"", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortWeekdayNames = [8]string{"", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	amPmNames         = [2]string{"AM", "PM"}
	eraNames          = [2]string{"BC", "AD"}
)

const msPerDay = 86400000

// calendar holds the fields of an instant in UTC.
type calendar struct {
	days                      int64 // since 1970-01-01
	year                      int64 // proleptic: 0 is 1 BC
	month, day                int   // 1-based
	hour, minute, sec, millis int
}

func newCalendar(ms int64) calendar {
	days := floorDiv(ms, msPerDay)
	rem := int(ms - days*msPerDay)
	y, m, d := civil(days)
	return calendar{days: days, year: y, month: m, day: d,
		hour: rem / 3600000, minute: rem / 60000 % 60, sec: rem / 1000 % 60, millis: rem % 1000}
}

// dayOfWeek is Java's DAY_OF_WEEK: 1 for Sunday to 7 for Saturday.
func dayOfWeek(days int64) int { return int(floorMod(days+4, 7)) + 1 }

// weekStartOnOrBefore returns the day of week dow (1 is Sunday) on or before days.
func weekStartOnOrBefore(days int64, dow int) int64 {
	return days - floorMod(int64(dayOfWeek(days)-dow), 7)
}

// weekNumber is the week of date in the period starting at first, weeks starting on Sunday and the week
// of the first day being week 1.
func weekNumber(first, date int64) int {
	start := weekStartOnOrBefore(first, 1)
	return int(floorDiv(date-start, 7)) + 1
}

func (c calendar) yearOfEra() int64 {
	if c.year <= 0 {
		return 1 - c.year
	}
	return c.year
}

// month1 is the first day of the month, which in October 1582 is the first Gregorian day for the days
// after the cutover.
func (c calendar) month1() int64 {
	if c.year == cutoverYear && c.month == 10 && c.days >= gregorianCutover {
		return gregorianCutover
	}
	return c.days - int64(c.day-1)
}

func (c calendar) weekOfYear() int {
	w := weekNumber(jan1(c.year), c.days)
	if w >= 52 {
		nextJan1 := jan1(c.year + 1)
		if sunday := weekStartOnOrBefore(nextJan1, 1); sunday != nextJan1 && c.days >= sunday {
			w = 1 // the days of December in the week of the next 1 January
		}
	}
	return w
}

func (c calendar) weekYear() int64 {
	y, w := c.yearOfEra(), c.weekOfYear()
	switch {
	case c.month == 1 && w >= 52:
		y--
	case c.month != 1 && w == 1:
		y++
	}
	return y
}

func (f *javaDateFormat) format(ms int64) string {
	return string(f.appendFormat(make([]byte, 0, len(f.pattern)+8), ms))
}

func (f *javaDateFormat) appendFormat(dst []byte, ms int64) []byte {
	c := newCalendar(ms)
	for _, it := range f.items {
		n := it.count
		switch it.letter {
		case 0:
			dst = append(dst, it.literal...)
		case 'G':
			dst = append(dst, eraNames[b2i(c.year > 0)]...)
		case 'y':
			dst = appendYear(dst, c.yearOfEra(), n)
		case 'Y':
			dst = appendYear(dst, c.weekYear(), n)
		case 'M', 'L':
			switch {
			case n >= 4:
				dst = append(dst, monthNames[c.month-1]...)
			case n == 3:
				dst = append(dst, shortMonthNames[c.month-1]...)
			default:
				dst = zeroPad(dst, int64(c.month), n)
			}
		case 'd':
			dst = zeroPad(dst, int64(c.day), n)
		case 'D':
			dst = zeroPad(dst, c.days-jan1(c.year)+1, n)
		case 'E':
			if n >= 4 {
				dst = append(dst, weekdayNames[dayOfWeek(c.days)]...)
			} else {
				dst = append(dst, shortWeekdayNames[dayOfWeek(c.days)]...)
			}
		case 'u':
			dst = zeroPad(dst, int64((dayOfWeek(c.days)+5)%7+1), n)
		case 'F':
			dst = zeroPad(dst, (c.days-c.month1())/7+1, n)
		case 'w':
			dst = zeroPad(dst, int64(c.weekOfYear()), n)
		case 'W':
			dst = zeroPad(dst, int64(weekNumber(c.month1(), c.days)), n)
		case 'a':
			dst = append(dst, amPmNames[b2i(c.hour >= 12)]...)
		case 'H':
			dst = zeroPad(dst, int64(c.hour), n)
		case 'k':
			h := c.hour
			if h == 0 {
				h = 24
			}
			dst = zeroPad(dst, int64(h), n)
		case 'K':
			dst = zeroPad(dst, int64(c.hour%12), n)
		case 'h':
			h := c.hour % 12
			if h == 0 {
				h = 12
			}
			dst = zeroPad(dst, int64(h), n)
		case 'm':
			dst = zeroPad(dst, int64(c.minute), n)
		case 's':
			dst = zeroPad(dst, int64(c.sec), n)
		case 'S':
			dst = zeroPad(dst, int64(c.millis), n)
		case 'z':
			if n >= 4 {
				dst = append(dst, "Coordinated Universal Time"...)
			} else {
				dst = append(dst, "UTC"...)
			}
		case 'Z':
			dst = append(dst, "+0000"...)
		case 'X':
			dst = append(dst, 'Z')
		}
	}
	return dst
}

// appendYear prints a year as SimpleDateFormat does: two letters keep the last two digits, other counts
// are a minimum width.
func appendYear(dst []byte, y int64, n int) []byte {
	if n == 2 {
		return zeroPad(dst, y%100, 2)
	}
	return zeroPad(dst, y, n)
}

func zeroPad(dst []byte, v int64, width int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Calendar fields a parse sets, as in java.util.Calendar.
const (
	fEra = iota
	fYear
	fMonth
	fDayOfMonth
	fDayOfYear
	fDayOfWeek
	fDayOfWeekInMonth
	fWeekOfYear
	fWeekOfMonth
	fAmPm
	fHour
	fHourOfDay
	fMinute
	fSecond
	fMillis
	fZoneOffset
	nFields
)

// parsedFields are the fields a parse found, each with the order in which it was set (its stamp, 0 when
// unset), because Calendar resolves conflicting fields by which was set last.
type parsedFields struct {
	val   [nFields]int64
	stamp [nFields]int
	next  int
}

func (p *parsedFields) set(field int, v int64) {
	p.next++
	p.val[field], p.stamp[field] = v, p.next
}

// parse reads a date the way a lenient SimpleDateFormat does: fields out of range roll over (month 13 is
// January of the next year), text after the pattern is ignored, and spaces before a field are skipped.
// It returns milliseconds since the epoch, and false when the text does not match.
func (f *javaDateFormat) parse(text string) (int64, bool) {
	var p parsedFields
	pos := 0
	ambiguousYear := false
	for i, it := range f.items {
		if it.letter == 0 {
			if !strings.HasPrefix(text[pos:], it.literal) {
				return 0, false
			}
			pos += len(it.literal)
			continue
		}
		obeyCount := i+1 < len(f.items) && abutsNumber(f.items[i+1])
		next, ambiguous, ok := subParse(text, pos, it.letter, it.count, obeyCount, &p)
		if !ok {
			return 0, false
		}
		ambiguousYear = ambiguousYear || ambiguous
		pos = next
	}
	ms := p.establish()
	if ambiguousYear {
		if start := defaultCenturyStart(); ms < start {
			p.val[fYear] += 100
			ms = p.establish()
		}
	}
	return ms, true
}

// abutsNumber reports whether an item is a numeric field, which makes the field before it parse exactly
// its count of digits ("yyyyMMdd").
func abutsNumber(it dateItem) bool {
	switch it.letter {
	case 'M', 'L':
		return it.count <= 2
	case 'y', 'd', 'k', 'H', 'm', 's', 'S', 'D', 'F', 'w', 'W', 'h', 'K', 'Y', 'u':
		return true
	}
	return false
}

// defaultCenturyStart is 80 years before now: two-digit years are read into the century after it.
func defaultCenturyStart() int64 { return time.Now().UTC().AddDate(-80, 0, 0).UnixMilli() }

// subParse reads one field at start, returning where it ends, whether it was an ambiguous two-digit
// year, and false when it does not match.
func subParse(text string, start int, letter byte, count int, obeyCount bool, p *parsedFields) (int, bool, bool) {
	pos := start
	for pos < len(text) && (text[pos] == ' ' || text[pos] == '\t') {
		pos++
	}
	if pos >= len(text) {
		return 0, false, false
	}
	actualStart := pos
	number := func() (int64, int, bool) {
		limit := len(text)
		if obeyCount {
			if start+count > len(text) {
				return 0, 0, false
			}
			limit = start + count
		}
		return parseJavaInt(text[:limit], pos)
	}
	switch letter {
	case 'G':
		return matchName(text, start, eraNames[:], fEra, 0, p)
	case 'y', 'Y':
		v, end, ok := number()
		if !ok {
			return 0, false, false
		}
		ambiguous := false
		if count <= 2 && end-actualStart == 2 && isDigit(text[actualStart]) && isDigit(text[actualStart+1]) {
			startYear := int64(time.UnixMilli(defaultCenturyStart()).UTC().Year())
			twoDigits := startYear % 100
			ambiguous = v == twoDigits
			v += startYear / 100 * 100
			if v%100 < twoDigits {
				v += 100
			}
		}
		p.set(fYear, v)
		return end, ambiguous, true
	case 'M', 'L':
		if count <= 2 {
			v, end, ok := number()
			if !ok {
				return 0, false, false
			}
			p.set(fMonth, v-1)
			return end, false, true
		}
		if end, _, ok := matchName(text, start, monthNames[:], fMonth, 0, p); ok {
			return end, false, true
		}
		return matchName(text, start, shortMonthNames[:], fMonth, 0, p)
	case 'E':
		if end, _, ok := matchName(text, start, weekdayNames[1:], fDayOfWeek, 1, p); ok {
			return end, false, true
		}
		return matchName(text, start, shortWeekdayNames[1:], fDayOfWeek, 1, p)
	case 'a':
		return matchName(text, start, amPmNames[:], fAmPm, 0, p)
	case 'z', 'Z':
		return parseZone(text, start, pos, p)
	case 'X':
		switch text[pos] {
		case 'Z':
			p.set(fZoneOffset, 0)
			return pos + 1, false, true
		case '+':
			return parseNumericZone(text, pos+1, 1, count, count == 3, p)
		case '-':
			return parseNumericZone(text, pos+1, -1, count, count == 3, p)
		}
		return 0, false, false
	}
	v, end, ok := number()
	if !ok {
		return 0, false, false
	}
	switch letter {
	case 'k':
		if v == 24 {
			v = 0
		}
		p.set(fHourOfDay, v)
	case 'H':
		p.set(fHourOfDay, v)
	case 'h':
		if v == 12 {
			v = 0
		}
		p.set(fHour, v)
	case 'K':
		p.set(fHour, v)
	case 'd':
		p.set(fDayOfMonth, v)
	case 'D':
		p.set(fDayOfYear, v)
	case 'F':
		p.set(fDayOfWeekInMonth, v)
	case 'w':
		p.set(fWeekOfYear, v)
	case 'W':
		p.set(fWeekOfMonth, v)
	case 'u':
		// ISO day of week (Monday 1) to Java's (Sunday 1); Java leaves values out of range as they are.
		if v >= 1 && v <= 7 {
			v = v%7 + 1
		}
		p.set(fDayOfWeek, v)
	case 'm':
		p.set(fMinute, v)
	case 's':
		p.set(fSecond, v)
	case 'S':
		p.set(fMillis, v)
	}
	return end, false, true
}

// parseJavaInt reads an integer at pos as the date format's DecimalFormat does: an optional minus and at
// least one digit. The value is Number.intValue of what it read.
func parseJavaInt(text string, pos int) (int64, int, bool) {
	i := pos
	neg := i < len(text) && text[i] == '-'
	if neg {
		i++
	}
	digits := i
	var v uint64
	overflow := false
	for i < len(text) && isDigit(text[i]) {
		if v > (1<<63-1)/10 {
			overflow = true
		}
		v = v*10 + uint64(text[i]-'0')
		i++
	}
	if i == digits {
		return 0, 0, false
	}
	switch {
	case overflow || v > 1<<63 || v == 1<<63 && !neg:
		// DecimalFormat returns a Double, whose intValue saturates.
		if neg {
			return -1 << 31, i, true
		}
		return 1<<31 - 1, i, true
	case neg:
		return int64(int32(-int64(v))), i, true
	}
	return int64(int32(int64(v))), i, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// matchName sets field to the index (plus base) of the longest name that text has at start, ignoring
// case.
func matchName(text string, start int, names []string, field int, base int64, p *parsedFields) (int, bool, bool) {
	best := -1
	for i, name := range names {
		if len(name) > 0 && (best < 0 || len(name) > len(names[best])) && len(text)-start >= len(name) &&
			strings.EqualFold(text[start:start+len(name)], name) {
			best = i
		}
	}
	if best < 0 {
		return 0, false, false
	}
	p.set(field, int64(best)+base)
	return start + len(names[best]), false, true
}

// parseZone reads a general or RFC 822 time zone: +hhmm, GMT, GMT+h:mm, or the name of UTC or GMT.
// Names of other zones are not known here.
func parseZone(text string, start, pos int, p *parsedFields) (int, bool, bool) {
	switch c := text[pos]; {
	case c == '+':
		return parseNumericZone(text, pos+1, 1, 0, false, p)
	case c == '-':
		return parseNumericZone(text, pos+1, -1, 0, false, p)
	case (c == 'G' || c == 'g') && len(text)-start >= 3 && strings.EqualFold(text[start:start+3], "GMT"):
		pos = start + 3
		if pos < len(text) && (text[pos] == '+' || text[pos] == '-') {
			sign := int64(1)
			if text[pos] == '-' {
				sign = -1
			}
			return parseNumericZone(text, pos+1, sign, 0, true, p)
		}
		p.set(fZoneOffset, 0)
		return pos, false, true
	}
	for _, name := range []string{"Coordinated Universal Time", "UTC", "Greenwich Mean Time", "GMT"} {
		if len(text)-pos >= len(name) && strings.EqualFold(text[pos:pos+len(name)], name) {
			p.set(fZoneOffset, 0)
			return pos + len(name), false, true
		}
	}
	return 0, false, false
}

// parseNumericZone reads hh[[:]mm] after a sign: count is the number of X letters (0 for the general and
// RFC 822 forms), colon whether a colon separates hours and minutes.
func parseNumericZone(text string, pos int, sign int64, count int, colon bool, p *parsedFields) (int, bool, bool) {
	digit := func(i int) (int64, bool) {
		if i < len(text) && isDigit(text[i]) {
			return int64(text[i] - '0'), true
		}
		return 0, false
	}
	h, ok := digit(pos)
	if !ok {
		return 0, false, false
	}
	pos++
	if d, ok := digit(pos); ok {
		h = h*10 + d
		pos++
	} else if count > 0 || !colon {
		return 0, false, false
	}
	if h > 23 {
		return 0, false, false
	}
	var m int64
	if count != 1 {
		if colon {
			if pos >= len(text) || text[pos] != ':' {
				return 0, false, false
			}
			pos++
		}
		d1, ok1 := digit(pos)
		d2, ok2 := digit(pos + 1)
		if !ok1 || !ok2 {
			return 0, false, false
		}
		m = d1*10 + d2
		if m > 59 {
			return 0, false, false
		}
		pos += 2
	}
	p.set(fZoneOffset, sign*(h*60+m)*60000)
	return pos, false, true
}

// establish computes the instant from the parsed fields as a lenient GregorianCalendar does: among the
// ways of naming a day (day of month, day of year, week and day of week, ...) the one set last wins, and
// hour of day wins over hour and AM/PM when it was set last.
func (p *parsedFields) establish() int64 {
	st, v := &p.stamp, &p.val
	year := int64(1970)
	if st[fYear] != 0 {
		year = v[fYear]
	}
	if st[fEra] != 0 && v[fEra] == 0 {
		year = 1 - year
	}
	agg := func(a, b int) int {
		if a == 0 || b == 0 {
			return 0
		}
		return max(a, b)
	}
	dowStamp := st[fDayOfWeek]
	domStamp := st[fDayOfMonth]
	womStamp := agg(st[fWeekOfMonth], dowStamp)
	dowimStamp := agg(st[fDayOfWeekInMonth], dowStamp)
	doyStamp := st[fDayOfYear]
	woyStamp := agg(st[fWeekOfYear], dowStamp)
	best := max(domStamp, womStamp, dowimStamp, doyStamp, woyStamp)
	if best == 0 {
		womStamp = st[fWeekOfMonth]
		dowimStamp = max(st[fDayOfWeekInMonth], dowStamp)
		woyStamp = st[fWeekOfYear]
		best = max(womStamp, dowimStamp, woyStamp)
		if best == 0 {
			domStamp = st[fMonth]
			best = domStamp
		}
	}
	dow := int64(1) // the first day of the week, Sunday
	if dowStamp != 0 {
		dow = v[fDayOfWeek]
	}
	onOrBefore := func(days, dow int64) int64 { return weekStartOnOrBefore(days, int(floorMod(dow-1, 7))+1) }
	byMonth := best == domStamp || (best == womStamp && st[fWeekOfMonth] >= st[fWeekOfYear]) ||
		(best == dowimStamp && st[fDayOfWeekInMonth] >= st[fWeekOfYear])
	byYearDay := !byMonth && best == doyStamp

	// dateIn is the day the fields name in the Julian or the Gregorian calendar.
	dateIn := func(julian bool) int64 {
		first := daysFromCivil
		if julian {
			first = julianDaysFromCivil
		}
		if !byMonth {
			jan1 := first(year, 1, 1)
			if byYearDay {
				return jan1 + v[fDayOfYear] - 1
			}
			start := onOrBefore(jan1, 1)
			if dowStamp != 0 && dow != 1 {
				start = onOrBefore(start+6, dow)
			}
			return start + 7*(v[fWeekOfYear]-1)
		}
		y, month := year, int64(0)
		if st[fMonth] != 0 {
			month = v[fMonth]
		}
		y += floorDiv(month, 12)
		month = floorMod(month, 12)
		day1 := first(y, int(month)+1, 1)
		switch {
		case best == domStamp:
			if st[fDayOfMonth] != 0 {
				return day1 + v[fDayOfMonth] - 1
			}
			return day1
		case best == womStamp && (womStamp != dowimStamp || st[fWeekOfMonth] >= st[fDayOfWeekInMonth]):
			start := onOrBefore(day1, 1)
			return onOrBefore(start+6, dow) + 7*(v[fWeekOfMonth]-1)
		}
		dowim := int64(1)
		if st[fDayOfWeekInMonth] != 0 {
			dowim = v[fDayOfWeekInMonth]
		}
		if dowim >= 0 {
			return onOrBefore(day1+7*dowim-1, dow)
		}
		next := first(y, int(month)+2, 1)
		return onOrBefore(next+7*(dowim+1)-1, dow)
	}

	var hours int64
	hourOfDayStamp := st[fHourOfDay]
	hourStamp := agg(st[fHour], st[fAmPm])
	bestTime := max(hourStamp, hourOfDayStamp)
	if bestTime == 0 {
		bestTime = max(st[fHour], st[fAmPm])
	}
	if bestTime != 0 {
		if bestTime == hourOfDayStamp {
			hours = v[fHourOfDay]
		} else {
			hours = v[fHour]
			if st[fAmPm] != 0 {
				hours += 12 * v[fAmPm]
			}
		}
	}
	timeOfDay := ((hours*60+v[fMinute])*60+v[fSecond])*1000 + v[fMillis]
	days := floorDiv(timeOfDay, msPerDay)
	timeOfDay -= days * msPerDay

	// GregorianCalendar tries the calendar of the year first, and takes the other one only for a date that
	// falls on the other side of the cutover.
	gregorian := func() int64 { return days + dateIn(false) }
	julian := func() int64 { return days + dateIn(true) }
	switch {
	case year > cutoverYear:
		if g := gregorian(); g >= gregorianCutover {
			days = g
		} else {
			days = julian()
		}
	case year < cutoverYear:
		days = julian()
	default:
		if g := gregorian(); !byMonth || g < gregorianCutover {
			days = julian()
		} else {
			days = g
		}
	}
	return days*msPerDay + timeOfDay - v[fZoneOffset]
}

// The Gregorian calendar starts on 15 October 1582, the day after 4 October 1582 of the Julian calendar.
const (
	cutoverYear      = 1582
	gregorianCutover = -141427 // 1582-10-15 in days since 1970-01-01
)

// civil returns the year (0 is 1 BC), month and day of a day since 1970-01-01, in the Julian calendar
// before the cutover and the Gregorian calendar from it on, as java.util.GregorianCalendar does.
func civil(days int64) (int64, int, int) {
	if days >= gregorianCutover {
		return civilFromDays(days)
	}
	e := 4*(days+2440588+1401) + 3
	h := 5*floorDiv(floorMod(e, 1461), 4) + 2
	d := int(floorDiv(floorMod(h, 153), 5)) + 1
	m := int(floorMod(floorDiv(h, 153)+2, 12)) + 1
	return floorDiv(e, 1461) - 4716 + int64((14-m)/12), m, d
}

// jan1 is the first day of a year, which is a Julian date up to 1582.
func jan1(year int64) int64 {
	if year > cutoverYear {
		return daysFromCivil(year, 1, 1)
	}
	return julianDaysFromCivil(year, 1, 1)
}

// julianDaysFromCivil returns the days since 1970-01-01 of a date of the Julian calendar.
func julianDaysFromCivil(y int64, m, d int) int64 {
	a := int64((14 - m) / 12)
	yy := y + 4800 - a
	mm := int64(m) + 12*a - 3
	return int64(d) + (153*mm+2)/5 + 365*yy + floorDiv(yy, 4) - 32083 - 2440588
}

// daysFromCivil returns the days since 1970-01-01 of a date of the proleptic Gregorian calendar.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (int64, int, int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := int(doy - (153*mp+2)/5 + 1)
	m := int(mp + 3)
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
