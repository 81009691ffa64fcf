package config

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

// Importance is a key's importance, shown by the REST API.
type Importance uint8

// Importances.
const (
	High Importance = iota + 1
	Medium
	Low
)

// Width is the display width hint of a key, shown by the REST API.
type Width uint8

// Widths.
const (
	WidthNone Width = iota
	WidthShort
	WidthMedium
	WidthLong
)

// Validator checks a parsed value. Name is the key; value is the typed value (nil when the key is null).
// The returned error's text is the reason, placed by the caller in Apache's
// "Invalid value <v> for configuration <k>: <reason>".
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
	// Default is the typed default (bool, string, int32, int16, int64, float64, []string), or nil for a
	// null default. It is ignored when Required is set.
	Default      any
	Validator    Validator
	Importance   Importance
	Doc          string
	Group        string
	OrderInGroup int
	Width        Width
	DisplayName  string
	Dependents   []string
}

// Def is an ordered set of key definitions: Apache's ConfigDef. The same Def validates files at start-up,
// hot reloads and the REST validate endpoint, so all three always agree.
type Def struct {
	keys  []Key
	index map[string]int
}
