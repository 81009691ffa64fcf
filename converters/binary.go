package converters

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Converters of raw bytes and of single numbers in Kafka's serializer formats.

var typeOnlyConfig = config.NewDef(converterTypeKey())

// ByteArrayConverter is org.apache.kafka.connect.converters.ByteArrayConverter: bytes pass through
// unchanged.
type ByteArrayConverter struct{}

// Config defines the converter's keys: only converter.type.
func (ByteArrayConverter) Config() *config.Def { return typeOnlyConfig }

// Configure does nothing: the converter has no settings.
func (ByteArrayConverter) Configure(map[string]string, bool) error { return nil }

// FromConnect returns the value itself, which must be bytes (or null) under a BYTES schema (or none).
func (ByteArrayConverter) FromConnect(topic string, schema *connectors.Schema, value any) ([]byte, error) {
	if schema != nil && schema.Type != connectors.Bytes {
		return nil, dataError("Invalid schema type for ByteArrayConverter: " + schema.Type.String())
	}
	switch v := value.(type) {
	case nil:
		return nil, nil
	case []byte:
		return v, nil
	}
	return nil, dataError("ByteArrayConverter is not compatible with objects of type class " + connectors.JavaClass(value))
}

// ToConnect returns the bytes themselves with an optional BYTES schema.
func (ByteArrayConverter) ToConnect(topic string, data []byte) (*connectors.Schema, any, error) {
	if data == nil {
		return connectors.OptionalBytesSchema, nil, nil
	}
	return connectors.OptionalBytesSchema, data, nil
}

// NumberConverter is one of Apache's org.apache.kafka.connect.converters number converters: a single
// number in the big-endian encoding of Kafka's serializers. The schema given to FromConnect is ignored,
// but the value must have exactly the converter's Java type. Make one with NewShortConverter,
// NewIntegerConverter, NewLongConverter, NewFloatConverter or NewDoubleConverter.
type NumberConverter struct {
	kind numberKind
}

type numberKind uint8

const (
	shortNumber numberKind = iota
	integerNumber
	longNumber
	floatNumber
	doubleNumber
)

var numberKinds = [...]struct {
	typeName     string // as in Apache's messages
	javaClass    string
	deserializer string // the deserializer named in its size error
	size         int
	schema       *connectors.Schema
}{
	shortNumber:   {"short", "java.lang.Short", "ShortDeserializer", 2, connectors.OptionalInt16Schema},
	integerNumber: {"integer", "java.lang.Integer", "IntegerDeserializer", 4, connectors.OptionalInt32Schema},
	longNumber:    {"long", "java.lang.Long", "LongDeserializer", 8, connectors.OptionalInt64Schema},
	floatNumber:   {"float", "java.lang.Float", "Deserializer", 4, connectors.OptionalFloat32Schema},
	doubleNumber:  {"double", "java.lang.Double", "Deserializer", 8, connectors.OptionalFloat64Schema},
}

// NewShortConverter returns ShortConverter: INT16 values as 2 bytes.
func NewShortConverter() *NumberConverter { return &NumberConverter{shortNumber} }

// NewIntegerConverter returns IntegerConverter: INT32 values as 4 bytes.
func NewIntegerConverter() *NumberConverter { return &NumberConverter{integerNumber} }

// NewLongConverter returns LongConverter: INT64 values as 8 bytes.
func NewLongConverter() *NumberConverter { return &NumberConverter{longNumber} }

// NewFloatConverter returns FloatConverter: FLOAT32 values as their 4 IEEE-754 bytes, NaN payload kept.
func NewFloatConverter() *NumberConverter { return &NumberConverter{floatNumber} }

// NewDoubleConverter returns DoubleConverter: FLOAT64 values as their 8 IEEE-754 bytes, every NaN written
// as the canonical 7FF8000000000000 (Java's doubleToLongBits).
func NewDoubleConverter() *NumberConverter { return &NumberConverter{doubleNumber} }

// Config defines the converter's keys: only converter.type.
func (c *NumberConverter) Config() *config.Def { return typeOnlyConfig }

// Configure does nothing: the converter has no settings.
func (c *NumberConverter) Configure(map[string]string, bool) error { return nil }

// FromConnect encodes the number; null stays null.
func (c *NumberConverter) FromConnect(topic string, schema *connectors.Schema, value any) ([]byte, error) {
	if value == nil {
		return nil, nil
	}
	k := numberKinds[c.kind]
	out := make([]byte, k.size)
	switch v := value.(type) {
	case int16:
		if c.kind == shortNumber {
			binary.BigEndian.PutUint16(out, uint16(v))
			return out, nil
		}
	case int32:
		if c.kind == integerNumber {
			binary.BigEndian.PutUint32(out, uint32(v))
			return out, nil
		}
	case int64:
		if c.kind == longNumber {
			binary.BigEndian.PutUint64(out, uint64(v))
			return out, nil
		}
	case float32:
		if c.kind == floatNumber {
			binary.BigEndian.PutUint32(out, math.Float32bits(v))
			return out, nil
		}
	case float64:
		if c.kind == doubleNumber {
			bits := math.Float64bits(v)
			if v != v {
				bits = 0x7ff8000000000000
			}
			binary.BigEndian.PutUint64(out, bits)
			return out, nil
		}
	}
	class := connectors.JavaClass(value)
	return nil, dataErrorCause("Failed to serialize to "+k.typeName+" (was class "+class+"): ", classCastError(class, k.javaClass))
}

// classCastError is the text of the JVM's ClassCastException for a failed cast.
func classCastError(from, to string) error {
	inJavaBase := func(class string) bool { return strings.HasPrefix(class, "java.") || strings.HasPrefix(class, "[") }
	detail := from + " and " + to + " are in module java.base of loader 'bootstrap'"
	if !inJavaBase(from) {
		detail = from + " is in unnamed module of loader 'app'; " + to + " is in module java.base of loader 'bootstrap'"
	}
	return serializationError("class " + from + " cannot be cast to class " + to + " (" + detail + ")")
}

// ToConnect decodes the number, which must have exactly the type's size.
func (c *NumberConverter) ToConnect(topic string, data []byte) (*connectors.Schema, any, error) {
	k := numberKinds[c.kind]
	if data == nil {
		return k.schema, nil, nil
	}
	if len(data) != k.size {
		return nil, nil, dataErrorCause("Failed to deserialize "+k.typeName+": ",
			serializationError("Size of data received by "+k.deserializer+" is not "+strconv.Itoa(k.size)))
	}
	var v any
	switch c.kind {
	case shortNumber:
		v = int16(binary.BigEndian.Uint16(data))
	case integerNumber:
		v = int32(binary.BigEndian.Uint32(data))
	case longNumber:
		v = int64(binary.BigEndian.Uint64(data))
	case floatNumber:
		v = math.Float32frombits(binary.BigEndian.Uint32(data))
	case doubleNumber:
		v = math.Float64frombits(binary.BigEndian.Uint64(data))
	}
	return k.schema, v, nil
}

// BooleanConverter is org.apache.kafka.connect.converters.BooleanConverter (Apache 3.7 and later): a
// boolean as one byte, 01 for true and 00 for false.
type BooleanConverter struct{}

// Config defines the converter's keys: only converter.type.
func (BooleanConverter) Config() *config.Def { return typeOnlyConfig }

// Configure does nothing: the converter has no settings.
func (BooleanConverter) Configure(map[string]string, bool) error { return nil }

// FromConnect encodes a boolean under a BOOLEAN schema (or none); null stays null.
func (BooleanConverter) FromConnect(topic string, schema *connectors.Schema, value any) ([]byte, error) {
	if schema != nil && schema.Type != connectors.Boolean {
		return nil, dataError("Invalid schema type for BooleanConverter: " + schema.Type.String())
	}
	switch v := value.(type) {
	case nil:
		return nil, nil
	case bool:
		if v {
			return []byte{1}, nil
		}
		return []byte{0}, nil
	}
	return nil, dataError("BooleanConverter is not compatible with objects of type class " + connectors.JavaClass(value))
}

// ToConnect decodes one byte, which must be 00 or 01.
func (BooleanConverter) ToConnect(topic string, data []byte) (*connectors.Schema, any, error) {
	switch {
	case data == nil:
		return connectors.OptionalBooleanSchema, nil, nil
	case len(data) != 1:
		return nil, nil, dataErrorCause("Failed to deserialize boolean: ",
			serializationError("Size of data received by BooleanDeserializer is not 1"))
	case data[0] == 1:
		return connectors.OptionalBooleanSchema, true, nil
	case data[0] == 0:
		return connectors.OptionalBooleanSchema, false, nil
	}
	return nil, nil, dataErrorCause("Failed to deserialize boolean: ",
		serializationError("Unexpected byte received by BooleanDeserializer: "+strconv.Itoa(int(int8(data[0])))))
}

// HeaderConverterFor adapts a record converter to a header converter, as Apache's JsonConverter,
// StringConverter, ByteArrayConverter and number converters serve both roles: it is configured as a value
// converter (converter.type=header) and converts each header value as it would a record value.
func HeaderConverterFor(c Converter) HeaderConverter { return headerAdapter{c} }

type headerAdapter struct{ c Converter }

func (h headerAdapter) Config() *config.Def { return h.c.Config() }

func (h headerAdapter) Configure(cfg map[string]string) error { return h.c.Configure(cfg, false) }

func (h headerAdapter) FromHeader(topic, key string, schema *connectors.Schema, value any) ([]byte, error) {
	return h.c.FromConnect(topic, schema, value)
}

func (h headerAdapter) ToHeader(topic, key string, data []byte) (*connectors.Schema, any, error) {
	return h.c.ToConnect(topic, data)
}
