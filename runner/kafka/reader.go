package kafka

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
)

// reader reads Java client properties the way Apache's ConfigDef parses them: values are trimmed,
// numbers are Java ints and longs, booleans are true/false in any case, and a bad value gets Apache's
// "Invalid value X for configuration Y: ..." text. It remembers which keys it read, so that finish can
// sort the rest into warnings (keys without effect), errors (keys connect-standalone cannot honour) and
// unknown keys.
type reader struct {
	client string
	props  map[string]string
	used   map[string]bool
	errs   []*ConfigError
	warns  []Warning
}

func newReader(client string, props map[string]string) *reader {
	return &reader{client: client, props: props, used: make(map[string]bool, len(props))}
}

// lookup returns the raw value of key and marks it read.
func (r *reader) lookup(key string) (string, bool) {
	v, ok := r.props[key]
	if ok {
		r.used[key] = true
	}
	return v, ok
}

// has reports whether key is set, without reading it.
func (r *reader) has(key string) bool {
	_, ok := r.props[key]
	return ok
}

func (r *reader) fail(key, msg string) {
	r.errs = append(r.errs, &ConfigError{Client: r.client, Key: key, Msg: msg})
}

// invalid records Apache's ConfigException text. value must not be a secret.
func (r *reader) invalid(key, value, reason string) {
	r.fail(key, "Invalid value "+value+" for configuration "+key+": "+reason)
}

func (r *reader) warn(key, reason string) {
	r.warns = append(r.warns, Warning{Client: r.client, Key: key, Reason: reason})
}

// bound is an Apache Range validator; a nil end is open.
type bound struct{ min, max *int64 }

func atLeast(n int64) bound    { return bound{min: &n} }
func between(a, b int64) bound { return bound{min: &a, max: &b} }
func (b bound) check(n int64) string {
	switch {
	case b.min != nil && n < *b.min:
		return "Value must be at least " + strconv.FormatInt(*b.min, 10)
	case b.max != nil && n > *b.max:
		return "Value must be no more than " + strconv.FormatInt(*b.max, 10)
	}
	return ""
}

// number parses a Java SHORT (bits 16), INT (32) or LONG (64).
func (r *reader) number(key string, def int64, bits int, b bound) int64 {
	raw, ok := r.lookup(key)
	if !ok {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, bits)
	if err != nil {
		typ := map[int]string{16: "SHORT", 32: "INT", 64: "LONG"}[bits]
		r.invalid(key, raw, "Not a number of type "+typ)
		return def
	}
	if msg := b.check(n); msg != "" {
		r.invalid(key, strconv.FormatInt(n, 10), msg)
		return def
	}
	return n
}

func (r *reader) int(key string, def int64, b bound) int64  { return r.number(key, def, 32, b) }
func (r *reader) long(key string, def int64, b bound) int64 { return r.number(key, def, 64, b) }

func (r *reader) bool(key string, def bool) bool {
	raw, ok := r.lookup(key)
	if !ok {
		return def
	}
	switch v := strings.TrimSpace(raw); {
	case strings.EqualFold(v, "true"):
		return true
	case strings.EqualFold(v, "false"):
		return false
	}
	r.invalid(key, raw, "Expected value to be either true or false")
	return def
}

// str returns a Java STRING: trimmed.
func (r *reader) str(key, def string) string {
	raw, ok := r.lookup(key)
	if !ok {
		return def
	}
	return strings.TrimSpace(raw)
}

// oneOf returns a STRING that must be one of valid (Apache's ValidString, or CaseInsensitiveValidString
// when fold is set; then the result is the canonical spelling from valid).
func (r *reader) oneOf(key, def string, fold bool, valid ...string) string {
	if !r.has(key) {
		return def
	}
	v := r.str(key, def)
	for _, s := range valid {
		if v == s || fold && strings.EqualFold(v, s) {
			return s
		}
	}
	if fold {
		r.invalid(key, v, "String must be one of (case insensitive): "+strings.Join(valid, ", "))
	} else {
		r.invalid(key, v, "String must be one of: "+strings.Join(valid, ", "))
	}
	return def
}

func (r *reader) list(key string, def []string) []string {
	raw, ok := r.lookup(key)
	if !ok {
		return def
	}
	return config.SplitList(raw)
}

// secret returns a Java PASSWORD value (trimmed) and whether it is set. Its text never reaches a message.
func (r *reader) secret(key string) (string, bool) {
	raw, ok := r.lookup(key)
	return strings.TrimSpace(raw), ok
}

// ignore marks keys read without looking at them: keys that only matter in a setting not in use, such
// as ssl.* on a PLAINTEXT connection, which the Java client ignores too.
func (r *reader) ignore(match func(key string) bool) {
	for k := range r.props {
		if match(k) {
			r.used[k] = true
		}
	}
}

// checkType validates a value of a key that has no effect, so that a typo in it fails as it would in
// Apache rather than being reported as harmless.
func (r *reader) checkType(key string, t javaType) {
	switch t {
	case tInt:
		r.int(key, 0, bound{})
	case tLong:
		r.long(key, 0, bound{})
	case tShort:
		r.number(key, 0, 16, bound{})
	case tBool:
		r.bool(key, false)
	case tDouble:
		raw, _ := r.lookup(key)
		if _, err := strconv.ParseFloat(strings.TrimSpace(raw), 64); err != nil {
			r.invalid(key, raw, "Not a number of type DOUBLE")
		}
	default:
		r.lookup(key)
	}
}

// finish sorts out the keys nothing read: keys without effect become warnings, keys that cannot be
// honoured and unknown keys become errors.
func (r *reader) finish() {
	keys := make([]string, 0, len(r.props))
	for k := range r.props {
		if !r.used[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	bit := clientBit(r.client)
	for _, k := range keys {
		info, ok := lookupKey(k)
		switch {
		case ok && info.clients&bit != 0:
			switch info.kind {
			case noEffect:
				if info.typ != tPassword {
					r.checkType(k, info.typ)
				}
				r.warn(k, info.reason)
			case unsupported:
				r.fail(k, "not supported by connect-standalone ("+info.reason+")")
			default:
				// A mapped key that the current settings do not use (ssl.* without SSL): Java ignores
				// it as well.
			}
		case ok:
			r.fail(k, "not "+article(r.client)+" configuration (it is "+article(clientNames(info.clients))+" configuration)")
		default:
			r.fail(k, "unknown "+r.client+" configuration; Apache's client would ignore it with a warning, connect-standalone rejects it so that a typo cannot go unnoticed")
		}
	}
}

func (r *reader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(r.errs, func(a, b *ConfigError) int { return cmp.Compare(a.Key, b.Key) })
	errs := make([]error, len(r.errs))
	for i, e := range r.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

func (r *reader) warnings() []Warning {
	slices.SortStableFunc(r.warns, func(a, b Warning) int { return cmp.Compare(a.Key, b.Key) })
	return r.warns
}

// article prefixes a client name with "a" or "an".
func article(name string) string {
	if strings.HasPrefix(name, "admin") {
		return "an " + name
	}
	return "a " + name
}
