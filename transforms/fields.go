package transforms

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// extractField is ExtractField$Key and ExtractField$Value: the key or value becomes one of its fields
// (with field.syntax.version=V2, a nested field named by a dotted path).
type extractField struct {
	side        side
	field       string
	path        []string
	replaceNull bool
}

const extractPurpose = "field extraction"

const fieldSyntaxDoc = "Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements at the root level of the struct or map. If set to `V2`, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. E.g. to access the subfield `baz` from a field named \"foo.bar\" in a struct/map the following format can be used to access its elements: \"`foo.bar`.baz\"."

var extractFieldDef = config.NewDef(
	config.Key{Name: "field", Type: config.String, Required: true, Importance: config.Medium, Doc: "Field name to extract."},
	replaceNullKey(),
	config.Key{Name: "field.syntax.version", Type: config.String, Default: "V1", Validator: config.OneOfIgnoreCase("V1", "V2"),
		Importance: config.High, Doc: fieldSyntaxDoc},
)

func (t *extractField) Config() *config.Def { return extractFieldDef }

func (t *extractField) Configure(cfg map[string]string) error {
	v, err := extractFieldDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.field, t.replaceNull = v.String("field"), v.Bool("replace.null.with.default")
	if !strings.EqualFold(v.String("field.syntax.version"), "V2") {
		t.path = []string{t.field}
		return nil
	}
	if t.path, err = parseFieldPath(t.field); err != nil {
		return configError("field", err.Error())
	}
	if len(t.path) == 0 {
		// Apache accepts it and then fails on every record.
		return configError("field", invalidValue("field", t.field, "the field path names no field"))
	}
	return nil
}

// parseFieldPath splits a V2 field path on dots; a step wrapped in backticks may contain dots, and a
// backslash before a backtick that is followed by a dot keeps the backtick in the name.
func parseFieldPath(path string) ([]string, error) {
	var steps []string
	idx := 0
	for idx >= 0 && idx < len(path) {
		if path[idx] != '`' {
			start := idx
			if dot := strings.IndexByte(path[idx:], '.'); dot >= 0 {
				idx += dot
				steps = append(steps, path[start:idx])
				idx++
			} else {
				steps = append(steps, path[start:])
				idx = -1
			}
			continue
		}
		backtickAt := idx
		idx++
		var field strings.Builder
		start := idx
		for {
			bt := strings.IndexByte(path[idx:], '`')
			if bt < 0 {
				return nil, incompleteBacktick(path, backtickAt)
			}
			idx += bt
			escaped := path[idx-1] == '\\'
			if idx >= len(path)-1 {
				if escaped {
					return nil, incompleteBacktick(path, backtickAt)
				}
				field.WriteString(path[start:idx])
				steps = append(steps, field.String())
				idx++
				break
			}
			if path[idx+1] != '.' {
				idx++
				continue
			}
			if escaped {
				field.WriteString(path[start : idx-1])
				field.WriteByte('`')
				idx++
				start = idx
				continue
			}
			field.WriteString(path[start:idx])
			steps = append(steps, field.String())
			idx += 2
			break
		}
	}
	if path != "" && path[len(path)-1] == '.' {
		steps = append(steps, "")
	}
	return steps, nil
}

func incompleteBacktick(path string, at int) error {
	pos := len(utf16.Encode([]rune(path[:at]))) // Java counts UTF-16 units
	return errorString("Incomplete backtick pair in path: [" + path + "], consider adding a backslash before backtick at position " +
		strconv.Itoa(pos) + " to escape it")
}

func (t *extractField) Apply(r *connectors.Record) (*connectors.Record, error) {
	schema, v := t.side.schema(r), t.side.value(r)
	if schema == nil {
		m, ok, err := requireMapOrNull(v, extractPurpose)
		for _, step := range t.path[:len(t.path)-1] {
			if err != nil || !ok {
				break
			}
			m, ok, err = requireMapOrNull(mapGet(m, step), "nested field access")
		}
		if err != nil {
			return nil, err
		}
		if !ok {
			return t.side.set(r, nil, nil), nil
		}
		return t.side.set(r, nil, mapGet(m, t.path[len(t.path)-1])), nil
	}
	s, err := requireStructOrNull(v, extractPurpose)
	if err != nil {
		return nil, err
	}
	field, err := t.fieldFrom(schema)
	if err != nil {
		return nil, err
	}
	if field == nil {
		return nil, &Exception{Class: IllegalArgumentException, Message: "Unknown field: " + t.field}
	}
	if s == nil {
		return t.side.set(r, field.Schema, nil), nil
	}
	value, err := t.valueFrom(s)
	if err != nil {
		return nil, err
	}
	return t.side.set(r, field.Schema, value), nil
}

func (t *extractField) fieldFrom(schema *connectors.Schema) (*connectors.Field, error) {
	current := schema
	for _, step := range t.path[:len(t.path)-1] {
		f, err := lookupField(current, step)
		if err != nil || f == nil {
			return nil, err
		}
		current = f.Schema
	}
	return lookupField(current, t.path[len(t.path)-1])
}

func (t *extractField) valueFrom(s *connectors.StructValue) (any, error) {
	current := s
	for _, step := range t.path[:len(t.path)-1] {
		f := current.Schema().Field(step)
		if f == nil {
			return nil, nil
		}
		sub, err := requireStructOrNull(fieldValue(current, f.Index, true), "nested field access")
		if err != nil || sub == nil {
			return nil, err
		}
		current = sub
	}
	f := current.Schema().Field(t.path[len(t.path)-1])
	if f == nil {
		return nil, nil
	}
	return fieldValue(current, f.Index, t.replaceNull), nil
}

// hoistField is HoistField$Key and HoistField$Value: the key or value is wrapped in a struct (or map) with
// a single field.
type hoistField struct {
	side  side
	field string
	cache schemaCache
}

var hoistFieldDef = config.NewDef(
	config.Key{Name: "field", Type: config.String, Required: true, Importance: config.Medium,
		Doc: "Field name for the single field that will be created in the resulting Struct or Map."},
)

func (t *hoistField) Config() *config.Def { return hoistFieldDef }

func (t *hoistField) Configure(cfg map[string]string) error {
	v, err := hoistFieldDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.field = v.String("field")
	return nil
}

func (t *hoistField) Apply(r *connectors.Record) (*connectors.Record, error) {
	schema, v := t.side.schema(r), t.side.value(r)
	if schema == nil {
		return t.side.set(r, nil, connectors.MapValue{{Key: t.field, Value: v}}), nil
	}
	updated, _ := t.cache.getOrBuild(schema, func(in *connectors.Schema) (*connectors.Schema, error) {
		return &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{{Name: t.field, Schema: in}}}, nil
	})
	s := connectors.NewStruct(updated)
	if err := put(s, t.field, v); err != nil {
		return nil, err
	}
	return t.side.set(r, updated, s), nil
}

// flatten is Flatten$Key and Flatten$Value: nested structs (or maps) become top-level fields named by
// their path, joined with the delimiter.
type flatten struct {
	side      side
	delimiter string
	cache     schemaCache
}

const flattenPurpose = "flattening"

var flattenDef = config.NewDef(
	config.Key{Name: "delimiter", Type: config.String, Default: ".", Importance: config.Medium,
		Doc: "Delimiter to insert between field names from the input record when generating field names for the output record"},
)

func (t *flatten) Config() *config.Def { return flattenDef }

func (t *flatten) Configure(cfg map[string]string) error {
	v, err := flattenDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.delimiter = v.String("delimiter")
	return nil
}

func (t *flatten) name(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + t.delimiter + field
}

func (t *flatten) Apply(r *connectors.Record) (*connectors.Record, error) {
	v := t.side.value(r)
	if v == nil {
		return r, nil
	}
	schema := t.side.schema(r)
	if schema == nil {
		m, err := requireMap(v, flattenPurpose)
		if err != nil {
			return nil, err
		}
		// A LinkedHashMap in Apache: insertion order.
		out := make(connectors.MapValue, 0, len(m))
		if err := t.flattenMap(m, "", &out); err != nil {
			return nil, err
		}
		return t.side.set(r, nil, out), nil
	}
	s, err := requireStruct(v, flattenPurpose)
	if err != nil {
		return nil, err
	}
	updated, err := t.cache.getOrBuild(schema, t.buildSchema)
	if err != nil {
		return nil, err
	}
	out := connectors.NewStruct(updated)
	if err := t.flattenStruct(s, "", out); err != nil {
		return nil, err
	}
	return t.side.set(r, updated, out), nil
}

func (t *flatten) flattenMap(m connectors.MapValue, prefix string, out *connectors.MapValue) error {
	for _, e := range m {
		key, ok := e.Key.(string)
		if !ok {
			return &Exception{Class: ClassCastException, Message: "class " + connectors.JavaClass(e.Key) + " cannot be cast to class java.lang.String"}
		}
		name := t.name(prefix, key)
		if e.Value == nil {
			linkedPut(out, name, nil)
			continue
		}
		typ, ok := connectors.SchemaTypeOf(e.Value)
		if !ok {
			return dataError("Flatten transformation was passed a value of type class %s which is not supported by Connect's data API", connectors.JavaClass(e.Value))
		}
		switch typ {
		case connectors.Map:
			nested, _ := mapEntries(e.Value)
			if err := t.flattenMap(nested, name, out); err != nil {
				return err
			}
		case connectors.Struct:
			return dataError("Flatten transformation does not support class %s for record without schemas (for field %s).", connectors.JavaClass(e.Value), name)
		default:
			linkedPut(out, name, e.Value)
		}
	}
	return nil
}

// linkedPut is LinkedHashMap.put: a key already there keeps its place.
func linkedPut(m *connectors.MapValue, key string, v any) {
	for i := range *m {
		if k, ok := (*m)[i].Key.(string); ok && k == key {
			(*m)[i].Value = v
			return
		}
	}
	*m = append(*m, connectors.MapEntry{Key: key, Value: v})
}

func (t *flatten) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	if in.Type != connectors.Struct {
		return nil, dataError("Cannot list fields on non-struct type")
	}
	out := copyBasics(in, connectors.Struct)
	def, _ := in.Default.(*connectors.StructValue)
	if err := t.flattenSchema(in, "", out, in.Optional, def); err != nil {
		return nil, err
	}
	return out, nil
}

// flattenSchema adds the flattened fields of a struct schema: a field is optional when it or any
// ancestor is, and takes its default from its own schema or else from its parent's default struct.
func (t *flatten) flattenSchema(s *connectors.Schema, prefix string, out *connectors.Schema, optional bool, parentDefault *connectors.StructValue) error {
	for _, f := range s.Fields {
		name := t.name(prefix, f.Name)
		fieldOptional := optional || f.Schema.Optional
		def := f.Schema.Default
		if def == nil && parentDefault != nil && f.Index < len(parentDefault.Schema().Fields) {
			def = fieldValue(parentDefault, f.Index, true)
		}
		switch f.Schema.Type {
		case connectors.Struct:
			nested, _ := def.(*connectors.StructValue)
			if err := t.flattenSchema(f.Schema, name, out, fieldOptional, nested); err != nil {
				return err
			}
		case connectors.Map:
			return dataError("Flatten transformation does not support %s for record with schemas (for field %s).", f.Schema.Type, name)
		default:
			fs := copyBasics(f.Schema, f.Schema.Type)
			fs.Optional = fieldOptional
			fs.Default = def
			if err := addField(out, name, fs); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *flatten) flattenStruct(s *connectors.StructValue, prefix string, out *connectors.StructValue) error {
	if s == nil {
		return nil
	}
	for i, f := range s.Schema().Fields {
		name := t.name(prefix, f.Name)
		switch f.Schema.Type {
		case connectors.Struct:
			nested, err := requireStructOrNull(fieldValue(s, i, true), flattenPurpose)
			if err != nil {
				return err
			}
			if err := t.flattenStruct(nested, name, out); err != nil {
				return err
			}
		case connectors.Map:
			return dataError("Flatten transformation does not support %s for record with schemas (for field %s).", f.Schema.Type, name)
		default:
			if err := put(out, name, fieldValue(s, i, true)); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertField is InsertField$Key and InsertField$Value: it adds the record's topic, partition, offset
// (sink records only), timestamp and a static value as fields.
type insertField struct {
	side                                    side
	topic, partition, offset, timestamp, st *insertionSpec
	staticValue                             any // a string, boxed once
	replaceNull                             bool
	sink                                    bool
	cache                                   schemaCache
}

// insertionSpec is a field to insert: "name!" is required, "name?" or "name" optional.
type insertionSpec struct {
	name     string
	key      any // name, boxed once for the maps it goes into
	optional bool
}

func parseInsertionSpec(v config.Values, key string) *insertionSpec {
	if v.IsNull(key) {
		return nil
	}
	spec := &insertionSpec{name: v.String(key), optional: true}
	switch {
	case strings.HasSuffix(spec.name, "?"):
		spec.name = spec.name[:len(spec.name)-1]
	case strings.HasSuffix(spec.name, "!"):
		spec.name, spec.optional = spec.name[:len(spec.name)-1], false
	}
	spec.key = spec.name
	return spec
}

const (
	insertPurpose  = "field insertion"
	optionalityDoc = "Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)."
)

var insertFieldDef = config.NewDef(
	config.Key{Name: "topic.field", Type: config.String, Importance: config.Medium, Doc: "Field name for Kafka topic. " + optionalityDoc},
	config.Key{Name: "partition.field", Type: config.String, Importance: config.Medium, Doc: "Field name for Kafka partition. " + optionalityDoc},
	config.Key{Name: "offset.field", Type: config.String, Importance: config.Medium, Doc: "Field name for Kafka offset - only applicable to sink connectors.<br/>" + optionalityDoc},
	config.Key{Name: "timestamp.field", Type: config.String, Importance: config.Medium, Doc: "Field name for record timestamp. " + optionalityDoc},
	config.Key{Name: "static.field", Type: config.String, Importance: config.Medium, Doc: "Field name for static data field. " + optionalityDoc},
	config.Key{Name: "static.value", Type: config.String, Importance: config.Medium, Doc: "Static field value, if field name configured."},
	replaceNullKey(),
)

func (t *insertField) Config() *config.Def { return insertFieldDef }

func (t *insertField) setSink(sink bool) { t.sink = sink }

func (t *insertField) Configure(cfg map[string]string) error {
	v, err := insertFieldDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.topic = parseInsertionSpec(v, "topic.field")
	t.partition = parseInsertionSpec(v, "partition.field")
	t.offset = parseInsertionSpec(v, "offset.field")
	t.timestamp = parseInsertionSpec(v, "timestamp.field")
	t.st = parseInsertionSpec(v, "static.field")
	t.staticValue = v.String("static.value")
	t.replaceNull = v.Bool("replace.null.with.default")
	if t.topic == nil && t.partition == nil && t.offset == nil && t.timestamp == nil && t.st == nil {
		return configError("", "No field insertion configured")
	}
	if t.st != nil && v.IsNull("static.value") {
		return configError("static.value", invalidValue("static.value", "null", "No value specified for static field: "+v.String("static.field")))
	}
	return nil
}

var optionalTimestampSchema = connectors.TimestampSchema(true)
var timestampSchema = connectors.TimestampSchema(false)

func (t *insertField) Apply(r *connectors.Record) (*connectors.Record, error) {
	v := t.side.value(r)
	if v == nil {
		return r, nil
	}
	if t.side.schema(r) == nil {
		m, err := requireMap(v, insertPurpose)
		if err != nil {
			return nil, err
		}
		out := copyJavaMap(m, 5)
		if t.topic != nil {
			out.put(t.topic.key, r.Topic)
		}
		if t.partition != nil && r.Partition != connectors.AnyPartition {
			out.put(t.partition.key, r.Partition)
		}
		if t.offset != nil {
			if err := requireSink(t.sink, insertPurpose); err != nil {
				return nil, err
			}
			out.put(t.offset.key, r.Offset)
		}
		if t.timestamp != nil && !r.Timestamp.IsZero() {
			out.put(t.timestamp.key, r.Timestamp.UnixMilli())
		}
		if t.st != nil {
			out.put(t.st.key, t.staticValue)
		}
		return t.side.set(r, nil, out.value()), nil
	}
	s, err := requireStruct(v, insertPurpose)
	if err != nil {
		return nil, err
	}
	updated, err := t.cache.getOrBuild(s.Schema(), t.buildSchema)
	if err != nil {
		return nil, err
	}
	out := connectors.NewStruct(updated)
	for i, f := range s.Schema().Fields {
		if err := put(out, f.Name, fieldValue(s, i, t.replaceNull)); err != nil {
			return nil, err
		}
	}
	if t.topic != nil {
		if err := put(out, t.topic.name, r.Topic); err != nil {
			return nil, err
		}
	}
	if t.partition != nil && r.Partition != connectors.AnyPartition {
		if err := put(out, t.partition.name, r.Partition); err != nil {
			return nil, err
		}
	}
	if t.offset != nil {
		if err := requireSink(t.sink, insertPurpose); err != nil {
			return nil, err
		}
		if err := put(out, t.offset.name, r.Offset); err != nil {
			return nil, err
		}
	}
	if t.timestamp != nil && !r.Timestamp.IsZero() {
		if err := put(out, t.timestamp.name, time.UnixMilli(r.Timestamp.UnixMilli()).UTC()); err != nil {
			return nil, err
		}
	}
	if t.st != nil {
		if err := put(out, t.st.name, t.staticValue); err != nil {
			return nil, err
		}
	}
	return t.side.set(r, updated, out), nil
}

// buildSchema is the original struct's fields followed by the inserted ones, in the order topic,
// partition, offset, timestamp, static.
func (t *insertField) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	out := copyBasics(in, connectors.Struct)
	for _, f := range in.Fields {
		if err := addField(out, f.Name, f.Schema); err != nil {
			return nil, err
		}
	}
	for _, add := range []struct {
		spec               *insertionSpec
		optional, required *connectors.Schema
	}{
		{t.topic, connectors.OptionalStringSchema, connectors.StringSchema},
		{t.partition, connectors.OptionalInt32Schema, connectors.Int32Schema},
		{t.offset, connectors.OptionalInt64Schema, connectors.Int64Schema},
		{t.timestamp, optionalTimestampSchema, timestampSchema},
		{t.st, connectors.OptionalStringSchema, connectors.StringSchema},
	} {
		if add.spec == nil {
			continue
		}
		fs := add.required
		if add.spec.optional {
			fs = add.optional
		}
		if err := addField(out, add.spec.name, fs); err != nil {
			return nil, err
		}
	}
	return out, nil
}
