package converters

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// StringConverter is org.apache.kafka.connect.storage.StringConverter: any value is written as the text
// Java's toString gives it, in the configured charset; bytes are read back as an optional string.
type StringConverter struct {
	encoder, decoder *charset
}

// NewStringConverter returns a StringConverter using UTF-8.
func NewStringConverter() *StringConverter {
	cs, _ := lookupCharset("UTF-8")
	return &StringConverter{encoder: cs, decoder: cs}
}

var stringConfig = config.NewDef(
	converterTypeKey(),
	config.Key{Name: "converter.encoding", Type: config.String, Default: "UTF-8", Importance: config.High,
		Doc:   "The Java name of the character set strings are encoded in and decoded from (UTF-8, UTF-16, ISO-8859-1, US-ASCII, …).",
		Width: config.WidthMedium, DisplayName: "Encoding"},
)

// Config defines the converter's keys.
func (c *StringConverter) Config() *config.Def { return stringConfig }

// Configure picks the charsets. As in Apache, key.serializer.encoding or value.serializer.encoding (by
// isKey) chooses the encoding for writing and key.deserializer.encoding or value.deserializer.encoding for
// reading; otherwise converter.encoding chooses both. Unlike Apache, an unknown charset is reported here
// rather than on the first record.
func (c *StringConverter) Configure(cfg map[string]string, isKey bool) error {
	side := "value."
	if isKey {
		side = "key."
	}
	def := "UTF-8"
	if v, ok := cfg["converter.encoding"]; ok {
		def = config.JavaTrim(v)
	}
	pick := func(name string) (*charset, error) {
		enc := def
		if v, ok := cfg[side+name]; ok {
			enc = v
		}
		cs, err := lookupCharset(enc)
		if err != nil {
			return nil, invalidSetting(side+name, enc, err.Error())
		}
		return cs, nil
	}
	var err error
	if c.encoder, err = pick("serializer.encoding"); err != nil {
		return err
	}
	c.decoder, err = pick("deserializer.encoding")
	return err
}

// FromConnect writes String.valueOf(value) in the charset; the schema is ignored and null stays null.
// A string value costs one allocation, the output.
func (c *StringConverter) FromConnect(topic string, schema *connectors.Schema, value any) ([]byte, error) {
	switch v := value.(type) {
	case nil:
		return nil, nil
	case string:
		if c.encoder.name == "UTF-8" {
			out := make([]byte, 0, len(v))
			return appendUTF8(out, v), nil
		}
		return c.encoder.encode(make([]byte, 0, 2*len(v)+2), v), nil
	}
	return c.encoder.encode(nil, connectors.FormatValue(value)), nil
}

// ToConnect decodes the bytes, replacing malformed input with U+FFFD; the schema is always an optional
// string.
func (c *StringConverter) ToConnect(topic string, data []byte) (*connectors.Schema, any, error) {
	if data == nil {
		return connectors.OptionalStringSchema, nil, nil
	}
	return connectors.OptionalStringSchema, c.decoder.decode(data), nil
}
