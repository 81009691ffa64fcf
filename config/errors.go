package config

import (
	"strconv"
	"strings"
)

// Error is one configuration problem. Msg is Apache's text (for example `Invalid value abc for
// configuration offset.flush.interval.ms: Not a number of type LONG`); File, Line, Column and Key say
// where it comes from when that is known, so that a user can go straight to the offending line.
type Error struct {
	File   string // path of the file the value came from; "" when unknown
	Line   int    // 1-based line in File; 0 when unknown
	Column int    // 1-based column in Line; 0 when unknown
	Key    string // the configuration key; "" when the problem is not about one key
	Msg    string
}

// Error renders the problem as `file:line:col: key "k": msg`, leaving out the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
			if e.Column > 0 {
				b.WriteByte(':')
				b.WriteString(strconv.Itoa(e.Column))
			}
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString("key ")
		b.WriteString(strconv.Quote(e.Key))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one configuration, in the order they were found.
type Errors []*Error

// Error renders one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As and errors.Is look at each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Messages returns Apache's text of each problem, as Apache lists them in "Connector configuration is
// invalid and contains the following N error(s)".
func (es Errors) Messages() []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Msg
	}
	return out
}

// Locate returns err with File set to path, and Line to the line where the problem's key is defined, on
// every *Error in it (err itself, or the members of an Errors) that has no file yet. Other errors are
// returned unchanged. The original errors are not modified.
func Locate(err error, path string, lines map[string]int) error {
	locate := func(e *Error) *Error {
		if e.File != "" {
			return e
		}
		c := *e
		c.File = path
		if c.Key != "" {
			c.Line = lines[c.Key]
		}
		return &c
	}
	switch x := err.(type) {
	case Errors:
		out := make(Errors, len(x))
		for i, e := range x {
			out[i] = locate(e)
		}
		return out
	case *Error:
		return locate(x)
	}
	return err
}

// keyError builds the *Error of one key.
func keyError(key, msg string) *Error { return &Error{Key: key, Msg: msg} }
