package converters

import (
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// SimpleHeaderConverter is org.apache.kafka.connect.storage.SimpleHeaderConverter, the default header
// converter: header values are written as text (strings raw, numbers and booleans as Java prints them,
// bytes in base64, lists and maps in a JSON-like form, dates in ISO 8601) and read back by inferring a
// schema from the text.
type SimpleHeaderConverter struct{}

var emptyConfig = config.NewDef()

// Config defines the converter's keys: it has none, not even converter.type.
func (SimpleHeaderConverter) Config() *config.Def { return emptyConfig }

// Configure does nothing: the converter has no settings.
func (SimpleHeaderConverter) Configure(map[string]string) error { return nil }

// FromHeader writes the value's text in UTF-8; null stays null. The schema is not used.
func (SimpleHeaderConverter) FromHeader(topic, key string, schema *connectors.Schema, value any) ([]byte, error) {
	if value == nil {
		return nil, nil
	}
	text, err := appendValuesText(nil, value, false)
	if err != nil {
		return nil, err
	}
	if utf8.Valid(text) {
		return text, nil // already what the encoder would write
	}
	return appendUTF8(nil, string(text)), nil
}

// ToHeader infers a schema and value from the UTF-8 text (see Values in values.go): "42" is an INT8,
// "1.5" a FLOAT32, "true" a BOOLEAN, "2024-01-01" a Date, "[1,2]" an ARRAY of INT8, "null" no schema and
// no value, and anything else a STRING. Text too deeply nested to read is returned as raw BYTES, as Apache
// falls back to bytes when its parser fails.
func (SimpleHeaderConverter) ToHeader(topic, key string, data []byte) (*connectors.Schema, any, error) {
	if data == nil {
		return nil, nil, nil
	}
	sv, err := parseValuesText(decodeUTF8(data))
	switch {
	case err != nil:
		return connectors.BytesSchema, data, nil
	case sv == nil:
		return nil, nil, nil
	}
	return sv.schema, sv.value, nil
}
