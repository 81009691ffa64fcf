package transforms

import (
	"sync"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// copyBasics starts a schema of type t with the name, version, doc and parameters of src, as Apache's
// SchemaUtil.copySchemaBasics does. Optionality and default are not copied.
func copyBasics(src *connectors.Schema, t connectors.Type) *connectors.Schema {
	s := &connectors.Schema{Type: t, Name: src.Name, Version: src.Version, Doc: src.Doc, Parameters: src.Parameters}
	if t == connectors.Array && src.Type == connectors.Array {
		s.ValueSchema = src.ValueSchema
	}
	return s
}

// addField appends a field to a STRUCT schema being built, rejecting a duplicate name as Apache's
// SchemaBuilder does.
func addField(s *connectors.Schema, name string, fs *connectors.Schema) error {
	if s.Field(name) != nil {
		return &Exception{Class: SchemaBuilderException, Message: "Cannot create field because of field name duplication " + name}
	}
	s.Fields = append(s.Fields, connectors.Field{Name: name, Index: len(s.Fields), Schema: fs})
	return nil
}

// fieldValue is Struct.get (the field's default for a null value) or, without withDefault,
// Struct.getWithoutDefault.
func fieldValue(s *connectors.StructValue, i int, withDefault bool) any {
	v := s.GetIndex(i)
	if v == nil && withDefault {
		return s.Schema().Fields[i].Schema.Default
	}
	return v
}

// fieldByName is fieldValue by name; a name the struct does not have is Apache's DataException
// "x is not a valid field name".
func fieldByName(s *connectors.StructValue, name string, withDefault bool) (any, error) {
	f := s.Schema().Field(name)
	if f == nil {
		return nil, dataError("%s is not a valid field name", name)
	}
	return fieldValue(s, f.Index, withDefault), nil
}

// put sets a struct field, checking the value as Apache's Struct.put does.
func put(s *connectors.StructValue, name string, v any) error {
	if err := s.Put(name, v); err != nil {
		return asDataError(err)
	}
	return nil
}

// asDataError gives an error of the data model Apache's DataException class.
func asDataError(err error) error {
	if _, ok := err.(*Exception); ok {
		return err
	}
	return &Exception{Class: DataException, Message: err.Error()}
}

// lookupField is Schema.field, which fails on a schema that is not a STRUCT.
func lookupField(s *connectors.Schema, name string) (*connectors.Field, error) {
	if s.Type != connectors.Struct {
		return nil, dataError("Cannot look up fields on non-struct type")
	}
	return s.Field(name), nil
}

// schemaCache remembers the schemas a transform derived from the schemas it saw, as Apache's LRU caches of
// 16 do, so that a stream of records with one schema builds it once and hands the converters the same
// schema every time. Schemas are looked up by identity first, then by equality.
type schemaCache struct {
	mu      sync.Mutex
	entries [16]struct{ in, out *connectors.Schema }
	n, next int
}

func (c *schemaCache) get(in *connectors.Schema) *connectors.Schema {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < c.n; i++ {
		if c.entries[i].in == in {
			return c.entries[i].out
		}
	}
	for i := 0; i < c.n; i++ {
		if connectors.SchemaEqual(c.entries[i].in, in) {
			return c.entries[i].out
		}
	}
	return nil
}

func (c *schemaCache) put(in, out *connectors.Schema) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[c.next].in, c.entries[c.next].out = in, out
	c.next = (c.next + 1) % len(c.entries)
	if c.n < len(c.entries) {
		c.n++
	}
}

// getOrBuild returns the cached derivation of in, or builds and caches it.
func (c *schemaCache) getOrBuild(in *connectors.Schema, build func(*connectors.Schema) (*connectors.Schema, error)) (*connectors.Schema, error) {
	if out := c.get(in); out != nil {
		return out, nil
	}
	out, err := build(in)
	if err != nil {
		return nil, err
	}
	c.put(in, out)
	return out, nil
}
