// Package config reads and checks everything a user configures: Java .properties files (byte for byte
// as java.util.Properties reads them), connector files in Apache's JSON and properties forms, config
// providers (${file:...}, ${env:...}, ${dir:...}), and the definitions of every worker and connector key
// with Apache's types, defaults, documentation and error texts.
//
// A Def is Apache's ConfigDef. The same Def checks files at start-up, hot reloads and the REST validate
// endpoint, so all three always agree, and renders the key descriptions the REST API shows.
package config

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Type is the type of a config key, as in Apache's ConfigDef.Type.
type Type uint8

// Config key types.
const (
	Boolean Type = iota + 1
	String
	Int
	Short
	Long
	Double
	List
	Class
	Password
)

var typeNames = [...]string{"", "BOOLEAN", "STRING", "INT", "SHORT", "LONG", "DOUBLE", "LIST", "CLASS", "PASSWORD"}

// String returns Apache's name of the type: "BOOLEAN", "STRING", "INT", ...
func (t Type) String() string {
	if int(t) < len(typeNames) && t != 0 {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Importance is a key's importance, shown by the REST API.
type Importance uint8

// Importances.
const (
	High Importance = iota + 1
	Medium
	Low
)

// String returns "HIGH", "MEDIUM" or "LOW".
func (i Importance) String() string {
	switch i {
	case High:
		return "HIGH"
	case Medium:
		return "MEDIUM"
	case Low:
		return "LOW"
	}
	return "Importance(" + strconv.Itoa(int(i)) + ")"
}

// Width is the display width hint of a key, shown by the REST API.
type Width uint8

// Widths.
const (
	WidthNone Width = iota
	WidthShort
	WidthMedium
	WidthLong
)

// String returns "NONE", "SHORT", "MEDIUM" or "LONG".
func (w Width) String() string {
	switch w {
	case WidthNone:
		return "NONE"
	case WidthShort:
		return "SHORT"
	case WidthMedium:
		return "MEDIUM"
	case WidthLong:
		return "LONG"
	}
	return "Width(" + strconv.Itoa(int(w)) + ")"
}

// Validator checks a parsed value. Name is the key; value is the typed value (nil when the key is null).
// The returned error's text is the reason, placed by the caller in Apache's
// "Invalid value <v> for configuration <k>: <reason>". A validator whose message has another shape
// returns an *Error: its Msg is used as it is.
type Validator interface {
	Validate(name string, value any) error
	// String describes the valid values for documentation ("[1,...]", "[none, all]").
	String() string
}

// Key defines one configuration key.
type Key struct {
	Name string
	Type Type
	// Required keys have no default: a missing value is an error.
	Required bool
	// Default is the typed default (bool, string, int32, int16, int64, float64, []string, Secret), or nil
	// for a null default. It is ignored when Required is set. For convenience a Go int may be given for
	// any number type, and a string for any type: it is parsed as a value from a file would be.
	Default    any
	Validator  Validator
	Importance Importance
	Doc        string
	// Group, OrderInGroup, Width and DisplayName are display hints for the REST API. A key without a
	// group and without an order shows order -1; an empty DisplayName shows the key name.
	Group        string
	OrderInGroup int
	Width        Width
	DisplayName  string
	Dependents   []string
	// Recommended are the values the REST validate endpoint recommends for the key.
	Recommended []string

	badDefault string // why Default could not be used; reported by Parse and Validate
}

// Def is an ordered set of key definitions: Apache's ConfigDef. The same Def validates files at start-up,
// hot reloads and the REST validate endpoint, so all three always agree. The zero Def is empty and ready
// to use. A Def must not be changed while other goroutines use it.
type Def struct {
	keys   []Key
	index  map[string]int
	groups []string
}

// NewDef returns a Def with the given keys, in that order.
func NewDef(keys ...Key) *Def {
	return new(Def).Define(keys...)
}

// Define adds keys at the end and returns d. Defining a name twice is a programming error and panics,
// as Apache's ConfigDef throws.
func (d *Def) Define(keys ...Key) *Def {
	if d.index == nil {
		d.index = make(map[string]int, len(keys))
	}
	for _, k := range keys {
		if _, dup := d.index[k.Name]; dup {
			panic(fmt.Sprintf("config: configuration %s is defined twice", k.Name))
		}
		k.Dependents = slices.Clone(k.Dependents)
		k.Recommended = slices.Clone(k.Recommended)
		normalizeDefault(&k)
		if k.Group != "" && !slices.Contains(d.groups, k.Group) {
			d.groups = append(d.groups, k.Group)
		}
		d.index[k.Name] = len(d.keys)
		d.keys = append(d.keys, k)
	}
	return d
}

// Keys returns the keys in definition order.
func (d *Def) Keys() []Key { return slices.Clone(d.keys) }

// Len returns the number of keys.
func (d *Def) Len() int { return len(d.keys) }

// Lookup returns the key with the given name.
func (d *Def) Lookup(name string) (Key, bool) {
	i, ok := d.index[name]
	if !ok {
		return Key{}, false
	}
	return d.keys[i], true
}

// Groups returns the group names in the order their first key was defined.
func (d *Def) Groups() []string { return slices.Clone(d.groups) }

// Merge returns a new Def with d's keys followed by the keys of others that are not defined yet.
func (d *Def) Merge(others ...*Def) *Def {
	m := new(Def).Define(d.keys...)
	for _, o := range others {
		for _, k := range o.keys {
			if _, dup := m.index[k.Name]; !dup {
				m.Define(k)
			}
		}
	}
	return m
}

// Embed adds the keys of other to d, renamed prefix+name, as Apache embeds the keys of each
// transformation, predicate or topic creation group: in other's documentation order, in group
// `group` (or "group: subgroup" for keys that have a group), numbered on from the highest order already
// used in group. The validators of embedded keys see the name without the prefix, as in Apache. It
// returns d.
func (d *Def) Embed(prefix, group string, other *Def) *Def {
	order := 0
	for _, k := range d.keys {
		if k.Group == group {
			order = max(order, k.OrderInGroup+1)
		}
	}
	for _, k := range other.sortedKeys() {
		k.Name = prefix + k.Name
		if k.Group == "" {
			k.Group = group
		} else {
			k.Group = group + ": " + k.Group
		}
		k.OrderInGroup = order
		order++
		deps := make([]string, len(k.Dependents))
		for i, dep := range k.Dependents {
			deps[i] = prefix + dep
		}
		k.Dependents = deps
		if k.Validator != nil {
			k.Validator = embeddedValidator{prefix: prefix, base: k.Validator}
		}
		d.Define(k)
	}
	return d
}

// sortedKeys is Apache's documentation order: keys without a group first, then by group, order in
// group, required before optional, importance and name.
func (d *Def) sortedKeys() []Key {
	ks := slices.Clone(d.keys)
	slices.SortStableFunc(ks, func(a, b Key) int {
		if c := cmp.Compare(d.groupRank(a.Group), d.groupRank(b.Group)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.order(), b.order()); c != 0 {
			return c
		}
		if a.Required != b.Required {
			if a.Required {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.Importance, b.Importance); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return ks
}

func (d *Def) groupRank(g string) int {
	if g == "" {
		return -1
	}
	return slices.Index(d.groups, g)
}

// order is the order in group the REST API shows: -1 for a key defined without group and order.
func (k *Key) order() int {
	if k.Group == "" && k.OrderInGroup == 0 {
		return -1
	}
	return k.OrderInGroup
}

// embeddedValidator runs an embedded key's validator under the key's own (unprefixed) name.
type embeddedValidator struct {
	prefix string
	base   Validator
}

func (v embeddedValidator) Validate(name string, value any) error {
	short := strings.TrimPrefix(name, v.prefix)
	err := v.base.Validate(short, value)
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{Msg: invalidValue(short, javaString(value), err.Error())}
}

func (v embeddedValidator) String() string { return v.base.String() }

// Unknown returns, sorted, the keys of props that d does not define and that start with none of the
// prefixes. Apache logs each as "The configuration 'x' was supplied but isn't a known config.".
func (d *Def) Unknown(props map[string]string, prefixes ...string) []string {
	var out []string
	for k := range props {
		if _, ok := d.index[k]; ok {
			continue
		}
		if slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Parse parses and validates props against d, as Apache's ConfigDef.parse does, but reports every problem
// at once (as Errors) instead of the first. Values of known keys are trimmed and parsed to their type;
// missing keys get their default. Values holds every key that parsed, also when err is not nil.
func (d *Def) Parse(props map[string]string) (Values, error) {
	vals := make(Values, len(d.keys))
	var errs Errors
	for i := range d.keys {
		k := &d.keys[i]
		var v any
		raw, ok := props[k.Name]
		if !ok && k.badDefault != "" {
			errs = append(errs, keyError(k.Name, k.badDefault))
			continue
		}
		if ok {
			pv, msg := parseValue(k.Name, k.Type, raw)
			if msg != "" {
				errs = append(errs, keyError(k.Name, msg))
				continue
			}
			v = pv
		} else if k.Required {
			errs = append(errs, keyError(k.Name, missingMessage(k.Name)))
			continue
		} else {
			v = k.Default
		}
		if k.Validator != nil {
			if err := k.Validator.Validate(k.Name, v); err != nil {
				errs = append(errs, validatorError(k.Name, v, err))
				continue
			}
		}
		if l, ok := v.([]string); ok {
			v = slices.Clone(l) // a caller changing a list must not change the Def's default
		}
		vals[k.Name] = v
	}
	if len(errs) > 0 {
		return vals, errs
	}
	return vals, nil
}

// Result is the outcome of validating one key: Apache's ConfigValueInfo, the "value" part of each entry
// of the REST validate response. The JSON field names and order are Apache's.
type Result struct {
	Name string `json:"name"`
	// Value is the parsed value rendered back to text (a LIST comma-joined, a PASSWORD "[hidden]"); nil
	// when the key is null, missing or unparseable.
	Value             *string  `json:"value"`
	RecommendedValues []string `json:"recommended_values"`
	Errors            []string `json:"errors"`
	Visible           bool     `json:"visible"`
}

// Validate checks props against d for the REST validate endpoint: one Result per key, in definition
// order, with Apache's ConfigDef.validate behaviour, including its quirk that a value that does not
// parse is then also given to the validator as null, which may add a second error
// ("Invalid value null for configuration tasks.max: Value must be non-null").
func (d *Def) Validate(props map[string]string) []Result {
	out := make([]Result, len(d.keys))
	for i := range d.keys {
		k := &d.keys[i]
		r := Result{Name: k.Name, RecommendedValues: slices.Clone(k.Recommended), Errors: []string{}, Visible: true}
		if r.RecommendedValues == nil {
			r.RecommendedValues = []string{}
		}
		var v any
		switch raw, ok := props[k.Name]; {
		case k.badDefault != "" && !ok:
			r.Errors = append(r.Errors, k.badDefault)
		case ok:
			pv, msg := parseValue(k.Name, k.Type, raw)
			if msg != "" {
				r.Errors = append(r.Errors, msg)
			}
			v = pv
		case k.Required:
			r.Errors = append(r.Errors, missingMessage(k.Name))
		default:
			v = k.Default
		}
		if k.Validator != nil {
			if err := k.Validator.Validate(k.Name, v); err != nil {
				r.Errors = append(r.Errors, validatorError(k.Name, v, err).Msg)
			}
		}
		r.Value = valueText(v, k.Type)
		out[i] = r
	}
	return out
}

// KeyInfo describes a key as Apache's REST API does (ConfigKeyInfo, returned by
// GET /connector-plugins/{plugin}/config and in each validate entry's "definition"). The JSON field
// names and order are Apache's (up to 4.1: "order"; see rest-api.md §5.5).
type KeyInfo struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Required      bool     `json:"required"`
	DefaultValue  *string  `json:"default_value"`
	Importance    string   `json:"importance"`
	Documentation string   `json:"documentation"`
	Group         *string  `json:"group"`
	Width         string   `json:"width"`
	DisplayName   string   `json:"display_name"`
	Dependents    []string `json:"dependents"`
	Order         int      `json:"order"`
}

// Info renders the key as the REST API shows it.
func (k Key) Info() KeyInfo {
	info := KeyInfo{
		Name:          k.Name,
		Type:          k.Type.String(),
		Required:      k.Required,
		Importance:    k.Importance.String(),
		Documentation: k.Doc,
		Width:         k.Width.String(),
		DisplayName:   k.DisplayName,
		Dependents:    slices.Clone(k.Dependents),
		Order:         k.order(),
	}
	if !k.Required {
		info.DefaultValue = valueText(k.Default, k.Type)
	}
	if k.Group != "" {
		g := k.Group
		info.Group = &g
	}
	if info.DisplayName == "" {
		info.DisplayName = k.Name
	}
	if info.Dependents == nil {
		info.Dependents = []string{}
	}
	return info
}

// Infos renders every key, in definition order.
func (d *Def) Infos() []KeyInfo {
	out := make([]KeyInfo, len(d.keys))
	for i, k := range d.keys {
		out[i] = k.Info()
	}
	return out
}

// missingMessage is Apache's text for a required key that has no value.
func missingMessage(name string) string {
	return `Missing required configuration "` + name + `" which has no default value.`
}

// invalidValue is Apache's ConfigException text.
func invalidValue(name, value, reason string) string {
	return "Invalid value " + value + " for configuration " + name + ": " + reason
}

// validatorError turns a validator's error into the key's *Error.
func validatorError(name string, value any, err error) *Error {
	if e, ok := err.(*Error); ok {
		c := *e
		if c.Key == "" {
			c.Key = name
		}
		return &c
	}
	return keyError(name, invalidValue(name, javaString(value), err.Error()))
}

// parseValue parses a value from a file the way ConfigDef.parseType parses a string. On failure it
// returns Apache's message, which shows the value as given (untrimmed).
func parseValue(name string, t Type, raw string) (any, string) {
	s := JavaTrim(raw)
	var err error
	switch t {
	case String, Class:
		return s, ""
	case Password:
		return Secret{s}, ""
	case List:
		return SplitList(s), ""
	case Boolean:
		switch {
		case strings.EqualFold(s, "true"):
			return true, ""
		case strings.EqualFold(s, "false"):
			return false, ""
		}
		return nil, invalidValue(name, raw, "Expected value to be either true or false")
	case Int:
		var n int64
		if n, err = strconv.ParseInt(s, 10, 32); err == nil {
			return int32(n), ""
		}
	case Short:
		var n int64
		if n, err = strconv.ParseInt(s, 10, 16); err == nil {
			return int16(n), ""
		}
	case Long:
		var n int64
		if n, err = strconv.ParseInt(s, 10, 64); err == nil {
			return n, ""
		}
	case Double:
		if f, ok := parseJavaDouble(s); ok {
			return f, ""
		}
	default:
		return nil, invalidValue(name, raw, "Unknown type.")
	}
	return nil, invalidValue(name, raw, "Not a number of type "+t.String())
}

// valueText is ConfigDef.convertToString: the text the REST API shows for a parsed value.
func valueText(v any, t Type) *string {
	if v == nil {
		return nil
	}
	var s string
	if l, ok := v.([]string); ok && t == List {
		s = strings.Join(l, ",")
	} else {
		s = javaString(v)
	}
	return &s
}

// normalizeDefault converts k.Default to the Go type of k.Type, or records why it cannot.
func normalizeDefault(k *Key) {
	if k.Required || k.Default == nil {
		return
	}
	bad := func() {
		k.badDefault = fmt.Sprintf("Invalid default value %v of Go type %T for a key of type %s", k.Default, k.Default, k.Type)
	}
	if s, ok := k.Default.(string); ok && k.Type != String && k.Type != Class {
		v, msg := parseValue(k.Name, k.Type, s)
		if msg != "" {
			k.badDefault = msg
			return
		}
		k.Default = v
		return
	}
	switch v := k.Default.(type) {
	case int:
		switch k.Type {
		case Int:
			if int64(v) != int64(int32(v)) {
				bad()
				return
			}
			k.Default = int32(v)
		case Short:
			if int64(v) != int64(int16(v)) {
				bad()
				return
			}
			k.Default = int16(v)
		case Long:
			k.Default = int64(v)
		case Double:
			k.Default = float64(v)
		default:
			bad()
		}
	case int32:
		switch k.Type {
		case Int:
		case Long:
			k.Default = int64(v)
		default:
			bad()
		}
	case int16:
		if k.Type != Short {
			bad()
		}
	case int64:
		if k.Type != Long {
			bad()
		}
	case float64:
		if k.Type != Double {
			bad()
		}
	case bool:
		if k.Type != Boolean {
			bad()
		}
	case string:
		// String or Class: kept as given, as Apache keeps a default it does not trim.
	case []string:
		if k.Type != List {
			bad()
			return
		}
		k.Default = slices.Clone(v)
	case Secret:
		if k.Type != Password {
			bad()
		}
	default:
		bad()
	}
}

// Values are parsed configuration values by key, as Parse returns them: every defined key that parsed,
// with its default when it was not set. The getters return the zero value for a key that is null,
// undefined or of another type.
type Values map[string]any

// Get returns the parsed value of a key: bool, string, int32, int16, int64, float64, []string, Secret, or
// nil.
func (v Values) Get(name string) any { return v[name] }

// String returns a STRING or CLASS value.
func (v Values) String(name string) string {
	s, _ := v[name].(string)
	return s
}

// Int returns an INT value.
func (v Values) Int(name string) int {
	n, _ := v[name].(int32)
	return int(n)
}

// Short returns a SHORT value.
func (v Values) Short(name string) int16 {
	n, _ := v[name].(int16)
	return n
}

// Long returns a LONG value.
func (v Values) Long(name string) int64 {
	n, _ := v[name].(int64)
	return n
}

// Double returns a DOUBLE value.
func (v Values) Double(name string) float64 {
	f, _ := v[name].(float64)
	return f
}

// Bool returns a BOOLEAN value.
func (v Values) Bool(name string) bool {
	b, _ := v[name].(bool)
	return b
}

// List returns a LIST value (nil when null). The caller may modify it.
func (v Values) List(name string) []string {
	l, _ := v[name].([]string)
	return slices.Clone(l)
}

// Password returns a PASSWORD value.
func (v Values) Password(name string) Secret {
	s, _ := v[name].(Secret)
	return s
}

// IsNull reports whether a key's value is null (or the key is unknown).
func (v Values) IsNull(name string) bool { return v[name] == nil }

// Clone returns a copy.
func (v Values) Clone() Values { return maps.Clone(v) }

// Secret is the value of a PASSWORD key. It prints as "[hidden]" (also in JSON and with %v or %#v), so a
// secret cannot reach a log or a REST answer by accident; Reveal returns the text.
type Secret struct{ text string }

// NewSecret wraps a secret text.
func NewSecret(text string) Secret { return Secret{text} }

// Reveal returns the secret text.
func (s Secret) Reveal() string { return s.text }

// String returns "[hidden]".
func (s Secret) String() string { return "[hidden]" }

// GoString returns "[hidden]".
func (s Secret) GoString() string { return "[hidden]" }

// MarshalText returns "[hidden]".
func (s Secret) MarshalText() ([]byte, error) { return []byte("[hidden]"), nil }
