package config

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The validators of Apache's ConfigDef, with Apache's reason texts and descriptions.

// rangeValidator is ConfigDef.Range.
type rangeValidator struct {
	min, max         *float64
	minText, maxText string
}

// AtLeast accepts numbers >= min ("Value must be at least 1").
func AtLeast(min int64) Validator {
	f := float64(min)
	return rangeValidator{min: &f, minText: strconv.FormatInt(min, 10)}
}

// Between accepts numbers in [min, max] ("Value must be no more than 10").
func Between(min, max int64) Validator {
	lo, hi := float64(min), float64(max)
	return rangeValidator{min: &lo, max: &hi, minText: strconv.FormatInt(min, 10), maxText: strconv.FormatInt(max, 10)}
}

// BetweenFloat accepts numbers in [min, max], printed as Java prints doubles ("1.0").
func BetweenFloat(min, max float64) Validator {
	return rangeValidator{min: &min, max: &max, minText: javaDouble(min), maxText: javaDouble(max)}
}

func (r rangeValidator) Validate(name string, value any) error {
	var n float64
	switch v := value.(type) {
	case nil:
		return &Error{Msg: invalidValue(name, "null", "Value must be non-null")}
	case int16:
		n = float64(v)
	case int32:
		n = float64(v)
	case int64:
		n = float64(v)
	case int:
		n = float64(v)
	case float64:
		n = v
	default:
		return errors.New("Value must be a number")
	}
	if r.min != nil && n < *r.min {
		return errors.New("Value must be at least " + r.minText)
	}
	if r.max != nil && n > *r.max {
		return errors.New("Value must be no more than " + r.maxText)
	}
	return nil
}

func (r rangeValidator) String() string {
	switch {
	case r.min == nil && r.max == nil:
		return "[...]"
	case r.min == nil:
		return "[...," + r.maxText + "]"
	case r.max == nil:
		return "[" + r.minText + ",...]"
	}
	return "[" + r.minText + ",...," + r.maxText + "]"
}

// oneOf is ConfigDef.ValidString.
type oneOf []string

// OneOf accepts exactly one of the given strings, case-sensitively ("String must be one of: none, all").
// A null value is rejected.
func OneOf(valid ...string) Validator { return oneOf(slices.Clone(valid)) }

func (o oneOf) Validate(name string, value any) error {
	if s, ok := value.(string); ok && slices.Contains(o, s) {
		return nil
	}
	return errors.New("String must be one of: " + strings.Join(o, ", "))
}

func (o oneOf) String() string { return "[" + strings.Join(o, ", ") + "]" }

// oneOfFold is ConfigDef.CaseInsensitiveValidString.
type oneOfFold struct{ upper []string }

// OneOfIgnoreCase accepts one of the given strings in any case ("String must be one of (case
// insensitive): ..."). The list in messages is upper-cased, in the order Apache's HashSet prints it.
func OneOfIgnoreCase(valid ...string) Validator {
	up := make([]string, len(valid))
	for i, v := range valid {
		up[i] = strings.ToUpper(v)
	}
	return oneOfFold{upper: javaHashSetOrder(up)}
}

func (o oneOfFold) Validate(name string, value any) error {
	if s, ok := value.(string); ok && slices.Contains(o.upper, strings.ToUpper(s)) {
		return nil
	}
	return errors.New("String must be one of (case insensitive): " + strings.Join(o.upper, ", "))
}

func (o oneOfFold) String() string { return "(case insensitive) [" + strings.Join(o.upper, ", ") + "]" }

// validList is ConfigDef.ValidList.
type validList struct{ oneOf }

// ValidList accepts a LIST whose every item is one of the given strings; the message names the first
// item that is not.
func ValidList(valid ...string) Validator { return validList{oneOf(slices.Clone(valid))} }

func (v validList) Validate(name string, value any) error {
	items, _ := value.([]string)
	for _, it := range items {
		if err := v.oneOf.Validate(name, it); err != nil {
			return &Error{Msg: invalidValue(name, it, err.Error())}
		}
	}
	return nil
}

type nonEmptyString struct{}

// NonEmptyString rejects "" ("String must be non-empty"); null is accepted.
func NonEmptyString() Validator { return nonEmptyString{} }

func (nonEmptyString) Validate(name string, value any) error {
	if s, ok := value.(string); ok && s == "" {
		return errors.New("String must be non-empty")
	}
	return nil
}

func (nonEmptyString) String() string { return "non-empty string" }

type nonEmptyNoControl struct{}

// NonEmptyStringWithoutControlChars rejects "" ("String may not be empty") and text with ISO control
// characters ("String may not contain control sequences but had the following ASCII chars: 10");
// null is accepted (a missing required key is reported on its own).
func NonEmptyStringWithoutControlChars() Validator { return nonEmptyNoControl{} }

func (nonEmptyNoControl) Validate(name string, value any) error {
	s, ok := value.(string)
	if !ok {
		return nil
	}
	if s == "" {
		return errors.New("String may not be empty")
	}
	var found []string
	for _, r := range s {
		if unicode.IsControl(r) {
			found = append(found, strconv.Itoa(int(r)))
		}
	}
	if len(found) > 0 {
		return errors.New("String may not contain control sequences but had the following ASCII chars: " + strings.Join(found, ", "))
	}
	return nil
}

func (nonEmptyNoControl) String() string { return "non-empty string without ISO control characters" }

type nonNull struct{}

// NonNull rejects null ("Invalid value null for configuration k: entry must be non null").
func NonNull() Validator { return nonNull{} }

func (nonNull) Validate(name string, value any) error {
	if value == nil {
		return errors.New("entry must be non null")
	}
	return nil
}

func (nonNull) String() string { return "non-null string" }

// all is ConfigDef.CompositeValidator.
type all []Validator

// All runs validators in order and reports the first failure.
func All(validators ...Validator) Validator { return all(slices.Clone(validators)) }

func (a all) Validate(name string, value any) error {
	for _, v := range a {
		if err := v.Validate(name, value); err != nil {
			if _, ok := err.(*Error); ok {
				return err
			}
			// Keep the value shown by the failing validator, which is the value validated.
			return &Error{Msg: invalidValue(name, javaString(value), err.Error())}
		}
	}
	return nil
}

func (a all) String() string {
	parts := make([]string, len(a))
	for i, v := range a {
		parts[i] = v.String()
	}
	return strings.Join(parts, ", ")
}

// funcValidator adapts a function.
type funcValidator struct {
	desc string
	fn   func(name string, value any) error
}

// Func makes a Validator of fn, described by desc (Apache's LambdaValidator).
func Func(desc string, fn func(name string, value any) error) Validator {
	return funcValidator{desc: desc, fn: fn}
}

func (f funcValidator) Validate(name string, value any) error { return f.fn(name, value) }
func (f funcValidator) String() string                        { return f.desc }

// uniqueAliases rejects a list with a repeated item ("Duplicate alias provided."), after NonNull.
func uniqueAliases(desc string) Validator {
	return All(NonNull(), Func(desc, func(name string, value any) error {
		items, _ := value.([]string)
		for i, it := range items {
			if slices.Contains(items[:i], it) {
				return errors.New("Duplicate alias provided.")
			}
		}
		return nil
	}))
}

// regexValidator checks that a STRING is a regular expression (Apache's RegexValidator).
type regexValidator struct{}

// Regex accepts a valid regular expression ("Invalid regex: ..."). See JavaRegex for which syntax is
// accepted.
func Regex() Validator { return regexValidator{} }

func (regexValidator) Validate(name string, value any) error {
	s, _ := value.(string)
	if _, err := JavaRegex(s); err != nil {
		return errors.New("Invalid regex: " + err.Error())
	}
	return nil
}

func (regexValidator) String() string { return "valid regex" }

// JavaRegex compiles a regular expression written for java.util.regex, anchored so that it matches only
// whole strings, as Java's Matcher.matches() does (Apache's topics.regex, topic creation include and
// exclude lists, and most regex settings are used that way).
//
// Go's regexp is not Java's: it accepts the syntax both share (classes, groups, alternation, greedy and
// lazy quantifiers, \Q...\E, \p{..} Unicode classes, inline flags i, m, s) and rejects Java-only
// constructs (lookaround, backreferences, possessive quantifiers, atomic groups) with an error saying so,
// rather than matching something different from what Apache would.
func JavaRegex(expr string) (*regexp.Regexp, error) {
	for _, unsupported := range []struct{ syntax, what string }{
		{"(?=", "lookahead"}, {"(?!", "negative lookahead"}, {"(?<=", "lookbehind"},
		{"(?<!", "negative lookbehind"}, {"(?>", "atomic groups"}, {"(?P<", "(?P<name>) groups"},
		{"(?U", "the U flag"}, {"[[:", "POSIX classes"},
	} {
		if strings.Contains(expr, unsupported.syntax) {
			return nil, errors.New(unsupported.what + " (" + unsupported.syntax + ") is not supported in " + strconv.Quote(expr))
		}
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	// Re-render the parsed expression so an unterminated \Q cannot swallow the anchors.
	return regexp.Compile(`^(?:` + re.String() + `)$`)
}
