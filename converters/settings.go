package converters

import (
	"errors"
	"strconv"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Configuration handling shared by the converters: the keys' definitions and the parsing Apache's
// AbstractConfig does when a converter is configured, with its error texts.

// Version is the Apache Kafka version whose converters this package reproduces.
const Version = connectors.APIVersion

// converterTypeKey is converter.type, which Connect sets itself on every converter it configures.
func converterTypeKey() config.Key {
	return config.Key{
		Name:       "converter.type",
		Type:       config.String,
		Required:   true,
		Validator:  stringIn{values: []string{"key", "value", "header"}},
		Importance: config.Low,
		Doc:        "Whether the converter handles record keys, record values or headers. Set by the worker.",
	}
}

// stringIn accepts one of a fixed set of strings (Apache's ValidString, or CaseInsensitiveValidString when
// fold is set, whose values are listed upper-cased).
type stringIn struct {
	values []string
	fold   bool
}

func (v stringIn) Validate(name string, value any) error {
	s, _ := value.(string)
	for _, ok := range v.values {
		if s == ok || v.fold && strings.EqualFold(s, ok) {
			return nil
		}
	}
	if v.fold {
		return errors.New("String must be one of (case insensitive): " + strings.Join(v.values, ", "))
	}
	return errors.New("String must be one of: " + strings.Join(v.values, ", "))
}

func (v stringIn) String() string {
	if v.fold {
		return "(case insensitive) [" + strings.Join(v.values, ", ") + "]"
	}
	return "[" + strings.Join(v.values, ", ") + "]"
}

// settings are a converter's keys, prefix stripped, as given to Configure.
type settings map[string]string

// boolean parses a BOOLEAN key: true or false in any case, surrounding white space ignored.
func (s settings) boolean(name string, def bool) (bool, error) {
	raw, ok := s[name]
	if !ok {
		return def, nil
	}
	switch v := config.JavaTrim(raw); {
	case strings.EqualFold(v, "true"):
		return true, nil
	case strings.EqualFold(v, "false"):
		return false, nil
	}
	return false, invalidSetting(name, raw, "Expected value to be either true or false")
}

// integer parses an INT key.
func (s settings) integer(name string, def int) (int, error) {
	raw, ok := s[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(config.JavaTrim(raw), 10, 32)
	if err != nil {
		return 0, invalidSetting(name, raw, "Not a number of type INT")
	}
	return int(n), nil
}

// str returns a STRING key, trimmed, and checks it with v when v is not nil.
func (s settings) str(name, def string, v config.Validator) (string, error) {
	raw, ok := s[name]
	if !ok {
		return def, nil
	}
	val := config.JavaTrim(raw)
	if v != nil {
		if err := v.Validate(name, val); err != nil {
			return "", invalidSetting(name, val, err.Error())
		}
	}
	return val, nil
}

// invalidSetting is Apache's ConfigException text.
func invalidSetting(name, value, reason string) error {
	return errors.New("Invalid value " + value + " for configuration " + name + ": " + reason)
}
