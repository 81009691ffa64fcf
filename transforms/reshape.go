package transforms

import (
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// headerFrom is HeaderFrom$Key and HeaderFrom$Value: fields of the key or value are copied or moved into
// headers.
type headerFrom struct {
	side        side
	fields      []string
	headers     []string
	move        bool
	operation   string
	replaceNull bool
	cache       schemaCache
}

var headerFromDef = config.NewDef(
	config.Key{Name: "fields", Type: config.List, Required: true, Validator: nonEmptyList, Importance: config.High,
		Doc: "Field names in the record whose values are to be copied or moved to headers."},
	config.Key{Name: "headers", Type: config.List, Required: true, Validator: nonEmptyList, Importance: config.High,
		Doc: "Header names, in the same order as the field names listed in the fields configuration property."},
	config.Key{Name: "operation", Type: config.String, Required: true, Validator: config.OneOf("move", "copy"), Importance: config.High,
		Doc: "Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value)."},
	replaceNullKey(),
)

func (t *headerFrom) Config() *config.Def { return headerFromDef }

func (t *headerFrom) Configure(cfg map[string]string) error {
	v, err := headerFromDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.fields, t.headers = v.List("fields"), v.List("headers")
	if len(t.fields) != len(t.headers) {
		return configError("headers", "'fields' config must have the same number of elements as 'headers' config.")
	}
	t.operation = v.String("operation")
	t.move = t.operation == "move"
	t.replaceNull = v.Bool("replace.null.with.default")
	return nil
}

func (t *headerFrom) Apply(r *connectors.Record) (*connectors.Record, error) {
	v, schema := t.side.value(r), t.side.schema(r)
	purpose := "header " + t.operation
	headers := make([]connectors.Header, len(r.Headers), len(r.Headers)+len(t.fields))
	copy(headers, r.Headers)
	if schema == nil {
		m, err := requireMap(v, purpose)
		if err != nil {
			return nil, err
		}
		updated := copyJavaMap(m, 0)
		for i, f := range t.fields {
			if t.move {
				updated.remove(f)
			}
			headers = append(headers, connectors.Header{Key: t.headers[i], Value: mapGet(m, f)})
		}
		r.Headers = headers
		return t.side.set(r, nil, updated.value()), nil
	}
	s, err := requireStruct(v, purpose)
	if err != nil {
		return nil, err
	}
	updatedSchema, updated := schema, s
	if t.move {
		if updatedSchema, err = t.cache.getOrBuild(schema, t.moveSchema); err != nil {
			return nil, err
		}
		updated = connectors.NewStruct(updatedSchema)
		for _, f := range updatedSchema.Fields {
			fv, err := fieldByName(s, f.Name, t.replaceNull)
			if err != nil {
				return nil, err
			}
			if err := put(updated, f.Name, fv); err != nil {
				return nil, err
			}
		}
	}
	for i, name := range t.fields {
		var fv any
		if f := s.Schema().Field(name); f != nil {
			fv = fieldValue(s, f.Index, t.replaceNull)
		}
		f := schema.Field(name)
		if f == nil {
			return nil, &Exception{Class: NullPointerException, Message: `Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null`}
		}
		headers = append(headers, connectors.Header{Key: t.headers[i], Schema: f.Schema, Value: fv})
	}
	r.Headers = headers
	return t.side.set(r, updatedSchema, updated), nil
}

// moveSchema is the struct schema without the moved fields.
func (t *headerFrom) moveSchema(in *connectors.Schema) (*connectors.Schema, error) {
	if in.Type != connectors.Struct {
		return nil, dataError("Cannot list fields on non-struct type")
	}
	out := copyBasics(in, connectors.Struct)
	for _, f := range in.Fields {
		if !slices.Contains(t.fields, f.Name) {
			if err := addField(out, f.Name, f.Schema); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// maskField is MaskField$Key and MaskField$Value: the listed fields keep their type but lose their value
// (0, false, "", empty list or map), or get a configured replacement.
type maskField struct {
	side        side
	fields      []string // in Apache's HashSet order
	replacement *string
	replaceNull bool
}

const maskPurpose = "mask fields"

var maskFieldDef = config.NewDef(
	config.Key{Name: "fields", Type: config.List, Required: true, Validator: nonEmptyList, Importance: config.High,
		Doc: "Names of fields to mask."},
	config.Key{Name: "replacement", Type: config.String, Validator: config.NonEmptyString(), Importance: config.Low,
		Doc: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only)."},
	replaceNullKey(),
)

func (t *maskField) Config() *config.Def { return maskFieldDef }

func (t *maskField) Configure(cfg map[string]string) error {
	v, err := maskFieldDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.fields = hashSetOrder(v.List("fields"))
	t.replacement = nil
	if !v.IsNull("replacement") {
		s := v.String("replacement")
		t.replacement = &s
	}
	t.replaceNull = v.Bool("replace.null.with.default")
	return nil
}

func (t *maskField) Apply(r *connectors.Record) (*connectors.Record, error) {
	v, schema := t.side.value(r), t.side.schema(r)
	if schema == nil {
		m, err := requireMap(v, maskPurpose)
		if err != nil {
			return nil, err
		}
		updated := copyJavaMap(m, len(t.fields))
		for _, f := range t.fields {
			mv, err := t.masked(mapGet(m, f))
			if err != nil {
				return nil, err
			}
			updated.put(f, mv)
		}
		return t.side.set(r, nil, updated.value()), nil
	}
	s, err := requireStruct(v, maskPurpose)
	if err != nil {
		return nil, err
	}
	updated := connectors.NewStruct(s.Schema())
	for i, f := range s.Schema().Fields {
		fv := fieldValue(s, i, t.replaceNull)
		if slices.Contains(t.fields, f.Name) {
			if fv, err = t.masked(fv); err != nil {
				return nil, err
			}
		}
		if err := put(updated, f.Name, fv); err != nil {
			return nil, err
		}
	}
	return t.side.set(r, schema, updated), nil
}

func (t *maskField) masked(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if t.replacement == nil {
		return maskedValue(v)
	}
	return maskedWith(v, *t.replacement)
}

// maskedValue is the empty value of v's class.
func maskedValue(v any) (any, error) {
	switch v.(type) {
	case bool:
		return false, nil
	case int8:
		return int8(0), nil
	case int16:
		return int16(0), nil
	case int32:
		return int32(0), nil
	case int64:
		return int64(0), nil
	case float32:
		return float32(0), nil
	case float64:
		return float64(0), nil
	case connectors.Decimal:
		return connectors.Decimal{Unscaled: new(big.Int)}, nil
	case time.Time:
		return epoch0, nil
	case string:
		return "", nil
	case []any:
		return []any{}, nil
	case connectors.MapValue, map[string]any:
		return connectors.MapValue{}, nil
	}
	return nil, dataError("Cannot mask value of type: class %s", connectors.JavaClass(v))
}

// maskedWith converts the replacement to v's class, as Apache's Values.convertTo... do for numbers.
func maskedWith(v any, replacement string) (any, error) {
	switch v.(type) {
	case string:
		return replacement, nil
	case connectors.Decimal:
		d, ok := connectors.ParseDecimal(replacement)
		if !ok {
			return nil, dataError("Unable to convert %s (class java.lang.String) to number", replacement)
		}
		return d, nil
	case int8, int16, int32, int64, float32, float64:
	default:
		return nil, dataError("Cannot mask value of type class %s with custom replacement.", connectors.JavaClass(v))
	}
	d, ok := connectors.ParseDecimal(replacement)
	if !ok {
		return nil, dataError("Unable to convert %s (class java.lang.String) to a number", replacement)
	}
	switch v.(type) {
	case int8:
		return int8(connectors.DecimalLong(d)), nil
	case int16:
		return int16(connectors.DecimalLong(d)), nil
	case int32:
		return int32(connectors.DecimalLong(d)), nil
	case int64:
		return connectors.DecimalLong(d), nil
	}
	f, _ := strconv.ParseFloat(replacement, 64) // the grammar was checked; out of range is ±Inf as in Java
	if _, ok := v.(float32); ok {
		return float32(f), nil
	}
	return f, nil
}

// replaceField is ReplaceField$Key and ReplaceField$Value: fields are kept (include), dropped (exclude)
// and renamed.
type replaceField struct {
	side             side
	exclude, include []string
	renames          map[string]string
	reverse          map[string]string
	replaceNull      bool
	cache            schemaCache
}

const replacePurpose = "field replacement"

var replaceFieldDef = config.NewDef(
	config.Key{Name: "exclude", Type: config.List, Default: []string{}, Importance: config.Medium,
		Doc: "Fields to exclude. This takes precedence over the fields to include."},
	config.Key{Name: "blacklist", Type: config.List, Importance: config.Low, Doc: "Deprecated. Use exclude instead."},
	config.Key{Name: "include", Type: config.List, Default: []string{}, Importance: config.Medium,
		Doc: "Fields to include. If specified, only these fields will be used."},
	config.Key{Name: "whitelist", Type: config.List, Importance: config.Low, Doc: "Deprecated. Use include instead."},
	config.Key{Name: "renames", Type: config.List, Default: []string{}, Importance: config.Medium,
		Validator: config.Func("list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>", func(name string, value any) error {
			l, _ := value.([]string)
			_, err := parseRenames(l)
			return err
		}),
		Doc: "Field rename mappings."},
	replaceNullKey(),
)

func (t *replaceField) Config() *config.Def { return replaceFieldDef }

func (t *replaceField) Configure(cfg map[string]string) error {
	// The deprecated whitelist and blacklist stand for include and exclude when those are not set.
	translated := make(map[string]string, len(cfg))
	for k, v := range cfg {
		translated[k] = v
	}
	for target, alias := range map[string]string{"include": "whitelist", "exclude": "blacklist"} {
		if v, ok := cfg[alias]; ok {
			if _, set := cfg[target]; !set {
				translated[target] = v
			}
			delete(translated, alias)
		}
	}
	v, err := replaceFieldDef.Parse(translated)
	if err != nil {
		return err
	}
	t.exclude, t.include = v.List("exclude"), v.List("include")
	renames := v.List("renames")
	if t.renames, err = parseRenames(renames); err != nil {
		return config.Errors{{Key: "renames", Msg: err.(*config.Error).Msg}}
	}
	t.reverse = make(map[string]string, len(t.renames))
	var from []string
	for _, m := range renames {
		from = append(from, javaSplit(m, ':')[0])
	}
	for _, k := range hashMapKeyOrder(from) {
		t.reverse[t.renames[k]] = k
	}
	t.replaceNull = v.Bool("replace.null.with.default")
	return nil
}

func parseRenames(mappings []string) (map[string]string, error) {
	m := make(map[string]string, len(mappings))
	for _, mapping := range mappings {
		parts := javaSplit(mapping, ':')
		if len(parts) != 2 {
			return nil, &config.Error{Msg: invalidValue("renames", javaList(mappings), "Invalid rename mapping: "+mapping)}
		}
		m[parts[0]] = parts[1]
	}
	return m, nil
}

func (t *replaceField) keep(name string) bool {
	return !slices.Contains(t.exclude, name) && (len(t.include) == 0 || slices.Contains(t.include, name))
}

func (t *replaceField) renamed(name string) string {
	if to, ok := t.renames[name]; ok {
		return to
	}
	return name
}

func (t *replaceField) Apply(r *connectors.Record) (*connectors.Record, error) {
	v := t.side.value(r)
	if v == nil {
		return r, nil
	}
	if t.side.schema(r) == nil {
		m, err := requireMap(v, replacePurpose)
		if err != nil {
			return nil, err
		}
		out := newJavaMap(len(m), len(m))
		for _, e := range m {
			name, ok := e.Key.(string)
			if !ok {
				return nil, &Exception{Class: ClassCastException, Message: "class " + connectors.JavaClass(e.Key) + " cannot be cast to class java.lang.String"}
			}
			if t.keep(name) {
				out.put(t.renamed(name), e.Value)
			}
		}
		return t.side.set(r, nil, out.value()), nil
	}
	s, err := requireStruct(v, replacePurpose)
	if err != nil {
		return nil, err
	}
	updatedSchema, err := t.cache.getOrBuild(s.Schema(), t.buildSchema)
	if err != nil {
		return nil, err
	}
	out := connectors.NewStruct(updatedSchema)
	for _, f := range updatedSchema.Fields {
		from := f.Name
		if orig, ok := t.reverse[f.Name]; ok {
			from = orig
		}
		fv, err := fieldByName(s, from, t.replaceNull)
		if err != nil {
			return nil, err
		}
		if err := put(out, f.Name, fv); err != nil {
			return nil, err
		}
	}
	return t.side.set(r, updatedSchema, out), nil
}

func (t *replaceField) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	out := copyBasics(in, connectors.Struct)
	for _, f := range in.Fields {
		if t.keep(f.Name) {
			if err := addField(out, t.renamed(f.Name), f.Schema); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// setSchemaMetadata is SetSchemaMetadata$Key and SetSchemaMetadata$Value: the schema gets a new name
// and/or version; a struct value is rebuilt against it.
type setSchemaMetadata struct {
	side        side
	name        *string
	version     *int
	replaceNull bool
	cache       schemaCache
}

var setSchemaMetadataDef = config.NewDef(
	config.Key{Name: "schema.name", Type: config.String, Importance: config.High, Doc: "Schema name to set."},
	config.Key{Name: "schema.version", Type: config.Int, Importance: config.High, Doc: "Schema version to set."},
	replaceNullKey(),
)

func (t *setSchemaMetadata) Config() *config.Def { return setSchemaMetadataDef }

func (t *setSchemaMetadata) Configure(cfg map[string]string) error {
	v, err := setSchemaMetadataDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.name, t.version = nil, nil
	if !v.IsNull("schema.name") {
		n := v.String("schema.name")
		t.name = &n
	}
	if !v.IsNull("schema.version") {
		n := v.Int("schema.version")
		t.version = &n
	}
	t.replaceNull = v.Bool("replace.null.with.default")
	if t.name == nil && t.version == nil {
		return configError("", "Neither schema name nor version configured")
	}
	return nil
}

func (t *setSchemaMetadata) Apply(r *connectors.Record) (*connectors.Record, error) {
	v, schema := t.side.value(r), t.side.schema(r)
	if v == nil && schema == nil {
		return r, nil
	}
	if schema == nil {
		return nil, dataError("Schema required for [updating schema metadata]")
	}
	updated, _ := t.cache.getOrBuild(schema, func(in *connectors.Schema) (*connectors.Schema, error) {
		out := *in
		if t.name != nil {
			out.Name = *t.name
		}
		if t.version != nil {
			out.Version = *t.version
		}
		if out.Type != connectors.Map {
			out.KeySchema = nil
		}
		if out.Type != connectors.Map && out.Type != connectors.Array {
			out.ValueSchema = nil
		}
		return &out, nil
	})
	if s, ok := v.(*connectors.StructValue); ok && s != nil {
		rebuilt := connectors.NewStruct(updated)
		for _, f := range updated.Fields {
			var fv any
			if f.Index < len(s.Schema().Fields) {
				fv = s.GetIndex(f.Index)
				if fv == nil && t.replaceNull {
					fv = f.Schema.Default
				}
			}
			if err := put(rebuilt, f.Name, fv); err != nil {
				return nil, err
			}
		}
		v = rebuilt
	}
	return t.side.set(r, updated, v), nil
}

// valueToKey is ValueToKey: the key becomes a struct (or map) of some fields of the value.
type valueToKey struct {
	fields      []string
	replaceNull bool
	cache       schemaCache
}

const valueToKeyPurpose = "copying fields from value to key"

var valueToKeyDef = config.NewDef(
	config.Key{Name: "fields", Type: config.List, Required: true, Validator: nonEmptyList, Importance: config.High,
		Doc: "Field names on the record value to extract as the record key."},
	replaceNullKey(),
)

func (t *valueToKey) Config() *config.Def { return valueToKeyDef }

func (t *valueToKey) Configure(cfg map[string]string) error {
	v, err := valueToKeyDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.fields, t.replaceNull = v.List("fields"), v.Bool("replace.null.with.default")
	return nil
}

func (t *valueToKey) Apply(r *connectors.Record) (*connectors.Record, error) {
	if r.ValueSchema == nil {
		m, err := requireMap(r.Value, valueToKeyPurpose)
		if err != nil {
			return nil, err
		}
		key := newJavaMap(len(t.fields), len(t.fields))
		for _, f := range t.fields {
			key.put(f, mapGet(m, f))
		}
		r.KeySchema, r.Key = nil, key.value()
		return r, nil
	}
	s, err := requireStruct(r.Value, valueToKeyPurpose)
	if err != nil {
		return nil, err
	}
	keySchema, err := t.cache.getOrBuild(s.Schema(), func(in *connectors.Schema) (*connectors.Schema, error) {
		out := &connectors.Schema{Type: connectors.Struct}
		for _, f := range t.fields {
			vf := in.Field(f)
			if vf == nil {
				return nil, dataError("Field does not exist: %s", f)
			}
			if err := addField(out, f, vf.Schema); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	key := connectors.NewStruct(keySchema)
	for _, f := range t.fields {
		fv, err := fieldByName(s, f, t.replaceNull)
		if err != nil {
			return nil, err
		}
		if err := put(key, f, fv); err != nil {
			return nil, err
		}
	}
	r.KeySchema, r.Key, r.ValueSchema = keySchema, key, s.Schema()
	return r, nil
}
