package connectors

import (
	"fmt"
	"math/big"
	"reflect"
	"time"
)

// JavaClass returns the name of the Java class Apache would hold for a Go value of the data model, for
// error messages that match Apache's ("class java.lang.Long"). Unknown Go types are named as Go names them.
func JavaClass(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case int8:
		return "java.lang.Byte"
	case int16:
		return "java.lang.Short"
	case int32:
		return "java.lang.Integer"
	case int64:
		return "java.lang.Long"
	case float32:
		return "java.lang.Float"
	case float64:
		return "java.lang.Double"
	case bool:
		return "java.lang.Boolean"
	case string:
		return "java.lang.String"
	case []byte:
		return "[B"
	case []any:
		return "java.util.ArrayList"
	case MapValue, map[string]any:
		return "java.util.HashMap"
	case *StructValue:
		return "org.apache.kafka.connect.data.Struct"
	case Decimal:
		return "java.math.BigDecimal"
	case time.Time:
		return "java.util.Date"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// ValidateValue checks value against schema as Apache's ConnectSchema.validateValue does.
func ValidateValue(schema *Schema, value any) error {
	return validateValue("", schema, value)
}

func validateValue(field string, schema *Schema, value any) error {
	if value == nil {
		// Apache rejects null for a required field even when the field has a default: defaults apply when
		// a converter reads a missing value, not when a value is set.
		if schema == nil || schema.Optional {
			return nil
		}
		return fmt.Errorf("Invalid value: null used for required field: %q, schema type: %s", field, schema.Type)
	}
	if schema == nil {
		return nil
	}
	ok := false
	switch schema.Name {
	case DecimalName:
		_, ok = value.(Decimal)
	case DateName, TimeName, TimestampName:
		_, ok = value.(time.Time)
	default:
		t, known := SchemaTypeOf(value)
		ok = known && t == schema.Type
	}
	if !ok {
		forField := ""
		if field != "" {
			forField = fmt.Sprintf(" for field: %q", field)
		}
		return fmt.Errorf("Invalid Java object for schema with type %s: class %s%s", schema.Type, JavaClass(value), forField)
	}
	switch schema.Type {
	case Struct:
		if s := value.(*StructValue); !SchemaEqual(s.schema, schema) {
			return fmt.Errorf("Struct schemas do not match.")
		}
	case Array:
		for _, e := range value.([]any) {
			if err := validateValue(field, schema.ValueSchema, e); err != nil {
				return err
			}
		}
	case Map:
		var err error
		eachMapEntry(value, func(k, v any) bool {
			if err = validateValue(field, schema.KeySchema, k); err == nil {
				err = validateValue(field, schema.ValueSchema, v)
			}
			return err == nil
		})
		return err
	}
	return nil
}

// SchemaTypeOf is ConnectSchema.schemaType: the schema type Apache infers from a schemaless value's Java
// class, false for values Connect has no schemaless type for (null, BigDecimal, java.util.Date).
func SchemaTypeOf(v any) (Type, bool) {
	switch v.(type) {
	case int8:
		return Int8, true
	case int16:
		return Int16, true
	case int32:
		return Int32, true
	case int64:
		return Int64, true
	case float32:
		return Float32, true
	case float64:
		return Float64, true
	case bool:
		return Boolean, true
	case string:
		return String, true
	case []byte:
		return Bytes, true
	case []any:
		return Array, true
	case MapValue, map[string]any:
		return Map, true
	case *StructValue:
		return Struct, true
	}
	return 0, false
}

// eachMapEntry calls fn for every entry of a MapValue or map[string]any, in iteration order (HashMapOrder
// for a Go map), until fn returns false.
func eachMapEntry(m any, fn func(k, v any) bool) {
	switch m := m.(type) {
	case MapValue:
		for _, e := range m {
			if !fn(e.Key, e.Value) {
				return
			}
		}
	case map[string]any:
		for _, k := range HashMapOrder(m) {
			if !fn(k, m[k]) {
				return
			}
		}
	}
}

// SchemaEqual reports whether two schemas are equal in every attribute, as Apache's ConnectSchema.equals.
func SchemaEqual(a, b *Schema) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	if a.Type != b.Type || a.Optional != b.Optional || a.Name != b.Name || a.Version != b.Version ||
		a.Doc != b.Doc || len(a.Parameters) != len(b.Parameters) || len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Parameters {
		if a.Parameters[i] != b.Parameters[i] {
			return false
		}
	}
	for i := range a.Fields {
		fa, fb := a.Fields[i], b.Fields[i]
		if fa.Name != fb.Name || fa.Index != fb.Index || !SchemaEqual(fa.Schema, fb.Schema) {
			return false
		}
	}
	return SchemaEqual(a.KeySchema, b.KeySchema) && SchemaEqual(a.ValueSchema, b.ValueSchema) &&
		ValueEqual(a.Default, b.Default)
}

// ValueEqual compares two values of the data model deeply (bytes by content, decimals by value and scale).
func ValueEqual(a, b any) bool {
	switch a := a.(type) {
	case Decimal:
		b, ok := b.(Decimal)
		return ok && a.Scale == b.Scale && bigEqual(a.Unscaled, b.Unscaled)
	case time.Time:
		b, ok := b.(time.Time)
		return ok && a.Equal(b)
	case *StructValue:
		b, ok := b.(*StructValue)
		if !ok || !SchemaEqual(a.schema, b.schema) {
			return false
		}
		for i := range a.values {
			if !ValueEqual(a.values[i], b.values[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func bigEqual(a, b *big.Int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cmp(b) == 0
}
