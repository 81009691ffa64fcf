package config

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// This file holds the few pieces of Java's text behaviour that Apache's messages and parsing depend on.

// JavaTrim is Java's String.trim, which Apache's ConfigDef applies to the values of known keys: it removes
// every character up to U+0020 (spaces and control characters) from both ends, and nothing else.
func JavaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// isJavaRegexSpace is \s in a Java regex: [ \t\n\x0B\f\r].
func isJavaRegexSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\x0b' || c == '\f' || c == '\r'
}

// SplitList parses a LIST value as ConfigDef does: trim as String.trim does, empty means no items, else
// split on \s*,\s* keeping empty items (a trailing comma yields a trailing "").
func SplitList(s string) []string {
	s = JavaTrim(s)
	if s == "" {
		return []string{}
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		if i > 0 {
			for len(p) > 0 && isJavaRegexSpace(p[0]) {
				p = p[1:]
			}
		}
		if i < len(parts)-1 {
			for len(p) > 0 && isJavaRegexSpace(p[len(p)-1]) {
				p = p[:len(p)-1]
			}
		}
		parts[i] = p
	}
	return parts
}

// parseJavaDouble accepts what Double.parseDouble accepts for ordinary input: decimal and hexadecimal
// floating-point literals with an optional sign and an optional d/D/f/F suffix, NaN and Infinity.
func parseJavaDouble(s string) (float64, bool) {
	switch s {
	case "NaN", "+NaN", "-NaN":
		return math.NaN(), true
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if n := len(s); n > 0 && strings.ContainsRune("dDfF", rune(s[n-1])) {
		s = s[:n-1]
	}
	if s == "" || strings.ContainsAny(s, "_iInN") { // Go also reads inf, nan and 1_000; Java does not
		return 0, false
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0, false
	}
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		if !strings.ContainsAny(body, "pP") { // Java requires the binary exponent
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // Java rounds to ±Infinity or 0 instead of failing
		}
		return 0, false
	}
	return f, true
}

// javaDouble is Double.toString: plain notation between 10^-3 and 10^7, else d.dddE±n, always with a
// fractional digit.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// javaString renders a parsed value as Java's String.valueOf does, which is how Apache's
// "Invalid value <v> for configuration <k>" shows it.
func javaString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int16:
		return strconv.FormatInt(int64(v), 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return javaDouble(v)
	case []string:
		return "[" + strings.Join(v, ", ") + "]"
	case Secret:
		return v.String()
	}
	return "?"
}

// JavaStringHash is Java's String.hashCode, computed over the UTF-16 code units of s.
func JavaStringHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			h = 31*h + int32(0xD800+(r>>10))
			h = 31*h + int32(0xDC00+(r&0x3FF))
			continue
		}
		h = 31*h + r
	}
	return h
}

// javaHashSetOrder returns the distinct items in the order a java.util.HashSet filled with them (in this
// order) iterates: by bucket, then by insertion. Apache prints some sets of valid values this way.
func javaHashSetOrder(items []string) []string {
	var distinct []string
	for _, s := range items {
		if !slices.Contains(distinct, s) {
			distinct = append(distinct, s)
		}
	}
	capacity := 16
	for float64(len(distinct)) > 0.75*float64(capacity) {
		capacity *= 2
	}
	bucket := func(s string) int {
		h := uint32(JavaStringHash(s))
		return int((h ^ h>>16) & uint32(capacity-1))
	}
	out := slices.Clone(distinct)
	slices.SortStableFunc(out, func(a, b string) int { return bucket(a) - bucket(b) })
	return out
}
