// Package converters turns Connect data (schemas and values of package connectors) into the bytes Apache
// Kafka Connect puts on a topic, and back: StringConverter, JsonConverter, ByteArrayConverter, the number
// converters and SimpleHeaderConverter, byte for byte as Apache's.
package converters

import (
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Converter converts record keys or values. It is configured once, then used from one goroutine.
type Converter interface {
	// Config defines the converter's keys (without prefix), for validation and the REST API.
	Config() *config.Def
	// Configure receives the converter's keys with their prefix stripped (value.converter.schemas.enable
	// arrives as schemas.enable); isKey says whether it converts keys or values.
	Configure(cfg map[string]string, isKey bool) error
	// FromConnect returns the bytes for a value; nil bytes mean a null record key or value (a tombstone).
	FromConnect(topic string, schema *connectors.Schema, value any) ([]byte, error)
	// ToConnect decodes bytes (nil for null) into a schema and a value.
	ToConnect(topic string, data []byte) (*connectors.Schema, any, error)
}

// HeaderConverter converts header values.
type HeaderConverter interface {
	Config() *config.Def
	Configure(cfg map[string]string) error
	FromHeader(topic, key string, schema *connectors.Schema, value any) ([]byte, error)
	ToHeader(topic, key string, data []byte) (*connectors.Schema, any, error)
}
