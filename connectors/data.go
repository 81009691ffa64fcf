package connectors

import (
	"fmt"
	"math/big"
	"time"
)

// Type is the type of a Connect schema, as in Apache's Schema.Type.
type Type uint8

// The Connect schema types.
const (
	Int8 Type = iota + 1
	Int16
	Int32
	Int64
	Float32
	Float64
	Boolean
	String
	Bytes
	Array
	Map
	Struct
)

var typeNames = [...]string{
	Int8: "INT8", Int16: "INT16", Int32: "INT32", Int64: "INT64",
	Float32: "FLOAT32", Float64: "FLOAT64", Boolean: "BOOLEAN", String: "STRING",
	Bytes: "BYTES", Array: "ARRAY", Map: "MAP", Struct: "STRUCT",
}

// String returns the Java enum name (INT32, STRING, …), which appears in Apache's error messages.
func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Names of Connect's logical types. Logical handling is keyed on the schema name only, as in Apache.
const (
	DecimalName   = "org.apache.kafka.connect.data.Decimal"
	DateName      = "org.apache.kafka.connect.data.Date"
	TimeName      = "org.apache.kafka.connect.data.Time"
	TimestampName = "org.apache.kafka.connect.data.Timestamp"
	// DecimalScaleParam is the schema parameter holding a Decimal's scale.
	DecimalScaleParam = "scale"
)

// Schema describes a value, as Apache's ConnectSchema does. Schemas are treated as immutable once built:
// records, converters and transforms share them freely.
//
// Value representations (Go type held in an `any`) by schema type:
//
//	INT8 int8, INT16 int16, INT32 int32, INT64 int64, FLOAT32 float32, FLOAT64 float64,
//	BOOLEAN bool, STRING string, BYTES []byte, ARRAY []any, MAP connectors.MapValue,
//	STRUCT *connectors.StructValue; Decimal connectors.Decimal; Date, Time and Timestamp time.Time (UTC).
//
// Schemaless values use the same Go types; a schemaless map may also be a map[string]any, which is
// iterated in Java HashMap order wherever order becomes visible (see HashMapOrder).
type Schema struct {
	Type     Type
	Optional bool
	// Default is the default value, or nil for none (Apache cannot tell "no default" from a null default
	// either).
	Default any
	Name    string
	// Version is the schema version; 0 means none.
	Version int
	Doc     string
	// Parameters keep their insertion order, which is visible in the JSON schema.
	Parameters []Param
	// Fields of a STRUCT, in order.
	Fields []Field
	// KeySchema is the key schema of a MAP.
	KeySchema *Schema
	// ValueSchema is the element schema of an ARRAY or the value schema of a MAP.
	ValueSchema *Schema
}

// Param is one schema parameter.
type Param struct{ Key, Value string }

// Field is one field of a STRUCT schema.
type Field struct {
	Name   string
	Index  int
	Schema *Schema
}

// Field returns the field with the given name, or nil.
func (s *Schema) Field(name string) *Field {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// Param returns the value of a schema parameter and whether it is set.
func (s *Schema) Param(key string) (string, bool) {
	for _, p := range s.Parameters {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}

// Predefined schemas, the counterparts of Apache's Schema.*_SCHEMA constants. They must not be modified.
var (
	Int8Schema            = &Schema{Type: Int8}
	Int16Schema           = &Schema{Type: Int16}
	Int32Schema           = &Schema{Type: Int32}
	Int64Schema           = &Schema{Type: Int64}
	Float32Schema         = &Schema{Type: Float32}
	Float64Schema         = &Schema{Type: Float64}
	BooleanSchema         = &Schema{Type: Boolean}
	StringSchema          = &Schema{Type: String}
	BytesSchema           = &Schema{Type: Bytes}
	OptionalInt8Schema    = &Schema{Type: Int8, Optional: true}
	OptionalInt16Schema   = &Schema{Type: Int16, Optional: true}
	OptionalInt32Schema   = &Schema{Type: Int32, Optional: true}
	OptionalInt64Schema   = &Schema{Type: Int64, Optional: true}
	OptionalFloat32Schema = &Schema{Type: Float32, Optional: true}
	OptionalFloat64Schema = &Schema{Type: Float64, Optional: true}
	OptionalBooleanSchema = &Schema{Type: Boolean, Optional: true}
	OptionalStringSchema  = &Schema{Type: String, Optional: true}
	OptionalBytesSchema   = &Schema{Type: Bytes, Optional: true}
)

// DecimalSchema returns the schema of Connect's Decimal logical type with the given scale.
func DecimalSchema(scale int32, optional bool) *Schema {
	return &Schema{Type: Bytes, Optional: optional, Name: DecimalName, Version: 1,
		Parameters: []Param{{DecimalScaleParam, fmt.Sprint(scale)}}}
}

// DateSchema, TimeSchema and TimestampSchema return the schemas of Connect's other logical types.
func DateSchema(optional bool) *Schema {
	return &Schema{Type: Int32, Optional: optional, Name: DateName, Version: 1}
}

// TimeSchema returns the schema of Connect's Time logical type (milliseconds since midnight).
func TimeSchema(optional bool) *Schema {
	return &Schema{Type: Int32, Optional: optional, Name: TimeName, Version: 1}
}

// TimestampSchema returns the schema of Connect's Timestamp logical type (milliseconds since the epoch).
func TimestampSchema(optional bool) *Schema {
	return &Schema{Type: Int64, Optional: optional, Name: TimestampName, Version: 1}
}

// Decimal is an arbitrary-precision decimal, Unscaled × 10^-Scale, as Java's BigDecimal.
type Decimal struct {
	Unscaled *big.Int
	Scale    int32
}

// MapValue is a Connect map whose iteration order is the order of its entries. Whoever builds a map decides
// that order: converters that decode into what Java holds in a HashMap sort the entries into Java HashMap
// order (HashMapOrder), so that re-encoding produces Apache's bytes.
type MapValue []MapEntry

// MapEntry is one key/value pair of a MapValue.
type MapEntry struct {
	Key   any
	Value any
}

// Get returns the value for key and whether it is present. Keys are compared with ==.
func (m MapValue) Get(key any) (any, bool) {
	for _, e := range m {
		if e.Key == key {
			return e.Value, true
		}
	}
	return nil, false
}

// StructValue is a value of a STRUCT schema: one slot per field, in field order.
type StructValue struct {
	schema *Schema
	values []any
}

// NewStruct returns an empty struct (every field null) of the given STRUCT schema.
func NewStruct(schema *Schema) *StructValue {
	return &StructValue{schema: schema, values: make([]any, len(schema.Fields))}
}

// Schema returns the struct's schema.
func (s *StructValue) Schema() *Schema { return s.schema }

// Get returns the value of the named field (nil when unset or unknown).
func (s *StructValue) Get(name string) any {
	if f := s.schema.Field(name); f != nil {
		return s.values[f.Index]
	}
	return nil
}

// GetIndex returns the value of the field at index i.
func (s *StructValue) GetIndex(i int) any { return s.values[i] }

// Put sets a field, checking the value against the field's schema as Apache's Struct.put does.
func (s *StructValue) Put(name string, value any) error {
	f := s.schema.Field(name)
	if f == nil {
		return fmt.Errorf("%s is not a valid field name", name)
	}
	if err := validateValue(name, f.Schema, value); err != nil {
		return err
	}
	s.values[f.Index] = value
	return nil
}

// TimestampType says where a consumed record's timestamp came from.
type TimestampType int8

// Timestamp types, as in Kafka.
const (
	NoTimestampType TimestampType = iota
	CreateTime
	LogAppendTime
)

// AnyPartition, as a record's Partition, leaves the choice of partition to the producer's partitioner.
const AnyPartition int32 = -1

// Header is one record header.
type Header struct {
	Key    string
	Schema *Schema
	Value  any
}

// Record is a record on its way between a connector and Kafka: a Connect SourceRecord (filled by a source
// task) or SinkRecord (filled by the runner for a sink task). Records are passed by value in batches so that
// a batch costs one allocation, not one per record.
type Record struct {
	Topic string
	// Partition is the Kafka partition; AnyPartition on a source record lets the producer choose.
	Partition   int32
	KeySchema   *Schema
	Key         any
	ValueSchema *Schema
	Value       any
	// Timestamp is the record's timestamp; the zero time means none.
	Timestamp time.Time
	Headers   []Header

	// SourcePartition and SourceOffset say where a source record came from; the runner stores the offset
	// once Kafka has acknowledged the record and every earlier one of the same partition.
	SourcePartition map[string]any
	SourceOffset    map[string]any

	// Offset and TimestampType are set on sink records: the record's position in its Kafka partition.
	Offset        int64
	TimestampType TimestampType
}

// TopicPartition names one partition of a topic.
type TopicPartition struct {
	Topic     string
	Partition int32
}

func (tp TopicPartition) String() string { return fmt.Sprintf("%s-%d", tp.Topic, tp.Partition) }
