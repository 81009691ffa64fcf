package transforms

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/converters"
)

// cast is Cast$Key and Cast$Value: it casts the whole key or value, or some of its fields, to another
// primitive type, with Java's conversions.
type cast struct {
	side        side
	casts       map[string]connectors.Type
	order       []string        // the fields of casts, in Apache's HashMap order
	whole       connectors.Type // the type of a whole-value cast; 0 when casting fields
	replaceNull bool
	cache       schemaCache
}

const castPurpose = "cast types"

var castDef = config.NewDef(
	config.Key{Name: "spec", Type: config.List, Required: true, Importance: config.High,
		Validator: config.Func("list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>", func(name string, value any) error {
			l, _ := value.([]string)
			if len(l) == 0 {
				return &config.Error{Msg: "Must specify at least one field to cast."}
			}
			_, _, err := parseCastSpec(l)
			return err
		}),
		Doc: "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string."},
	replaceNullKey(),
)

func (t *cast) Config() *config.Def { return castDef }

func (t *cast) Configure(cfg map[string]string) error {
	v, err := castDef.Parse(cfg)
	if err != nil {
		return err
	}
	casts, whole, err := parseCastSpec(v.List("spec"))
	if err != nil {
		return config.Errors{{Key: "spec", Msg: err.(*config.Error).Msg}}
	}
	t.casts, t.whole, t.replaceNull = casts, whole, v.Bool("replace.null.with.default")
	fields := make([]string, 0, len(casts))
	for _, item := range v.List("spec") {
		if f, _, ok := strings.Cut(item, ":"); ok {
			fields = append(fields, config.JavaTrim(f))
		}
	}
	t.order = hashMapKeyOrder(fields)
	return nil
}

// castOutputTypes are the types Cast casts to, in Apache's order.
var castOutputTypes = []connectors.Type{connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64,
	connectors.Float32, connectors.Float64, connectors.Boolean, connectors.String}

// parseCastSpec reads field:type items, or a single type for the whole value, with Apache's messages.
func parseCastSpec(items []string) (map[string]connectors.Type, connectors.Type, error) {
	casts := map[string]connectors.Type{}
	var whole connectors.Type
	for _, item := range items {
		parts := javaSplit(item, ':')
		if len(parts) > 2 {
			return nil, 0, &config.Error{Msg: invalidValue("renames", javaList(items), "Invalid rename mapping: "+item)}
		}
		name := ""
		if len(parts) > 0 {
			name = parts[len(parts)-1]
		}
		typ, ok := typeByName(config.JavaTrim(name))
		if !ok {
			return nil, 0, &config.Error{Msg: "Invalid type found in casting spec: " + config.JavaTrim(name)}
		}
		if typ > connectors.String {
			return nil, 0, &config.Error{Msg: "Cast transformation does not support casting to " + typ.String() +
				"; supported types are " + typeList(castOutputTypes)}
		}
		if len(parts) == 2 {
			casts[config.JavaTrim(parts[0])] = typ
		} else {
			whole = typ
		}
	}
	if whole != 0 && len(items) > 1 {
		return nil, 0, &config.Error{Msg: "Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec"}
	}
	return casts, whole, nil
}

// javaSplit is String.split with a one-character separator: trailing empty parts are dropped.
func javaSplit(s string, sep byte) []string {
	parts := strings.Split(s, string(sep))
	if len(parts) == 1 {
		return parts
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// typeByName is Schema.Type.valueOf of an upper-cased name.
func typeByName(name string) (connectors.Type, bool) {
	up := strings.ToUpper(name)
	for t := connectors.Int8; t <= connectors.Struct; t++ {
		if t.String() == up {
			return t, true
		}
	}
	return 0, false
}

func typeList(types []connectors.Type) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.String()
	}
	return javaList(names)
}

func (t *cast) Apply(r *connectors.Record) (*connectors.Record, error) {
	v := t.side.value(r)
	if v == nil {
		return r, nil
	}
	schema := t.side.schema(r)
	if schema == nil {
		if t.whole != 0 {
			out, err := castValue(nil, v, t.whole)
			if err != nil {
				return nil, err
			}
			return t.side.set(r, nil, out), nil
		}
		m, err := requireMap(v, castPurpose)
		if err != nil {
			return nil, err
		}
		updated := copyJavaMap(m, len(t.order))
		for _, f := range t.order {
			out, err := castValue(nil, mapGet(m, f), t.casts[f])
			if err != nil {
				return nil, err
			}
			updated.put(f, out)
		}
		return t.side.set(r, nil, updated.value()), nil
	}
	updatedSchema, err := t.cache.getOrBuild(schema, t.buildSchema)
	if err != nil {
		return nil, err
	}
	if t.whole != 0 {
		out, err := castValue(schema, v, t.whole)
		if err != nil {
			return nil, err
		}
		return t.side.set(r, updatedSchema, out), nil
	}
	s, err := requireStruct(v, castPurpose)
	if err != nil {
		return nil, err
	}
	updated := connectors.NewStruct(updatedSchema)
	for i, f := range s.Schema().Fields {
		fv := fieldValue(s, i, t.replaceNull)
		if typ, ok := t.casts[f.Name]; ok {
			if fv, err = castValue(f.Schema, fv, typ); err != nil {
				return nil, err
			}
		}
		if err := put(updated, f.Name, fv); err != nil {
			return nil, err
		}
	}
	return t.side.set(r, updatedSchema, updated), nil
}

// buildSchema derives the cast schema: for a whole-value cast the target type with the name, version,
// doc, parameters and optionality of the original; for field casts the original struct with each cast
// field's schema replaced by a plain schema of the target type (optional if the original was).
func (t *cast) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	var out *connectors.Schema
	if t.whole != 0 {
		out = copyBasics(in, t.whole)
	} else {
		if in.Type != connectors.Struct {
			return nil, dataError("Cannot list fields on non-struct type")
		}
		out = copyBasics(in, connectors.Struct)
		for _, f := range in.Fields {
			typ, ok := t.casts[f.Name]
			if !ok {
				if err := addField(out, f.Name, f.Schema); err != nil {
					return nil, err
				}
				continue
			}
			fs := &connectors.Schema{Type: typ, Optional: f.Schema.Optional}
			if f.Schema.Default != nil {
				d, err := castValue(f.Schema, f.Schema.Default, typ)
				if err != nil {
					return nil, err
				}
				fs.Default = d
			}
			if err := addField(out, f.Name, fs); err != nil {
				return nil, err
			}
		}
	}
	out.Optional = in.Optional
	if in.Default != nil {
		d, err := castValue(in, in.Default, out.Type)
		if err != nil {
			return nil, err
		}
		out.Default = d
	}
	return out, nil
}

// castValue converts a value as Apache's Cast.castValueToType does. The schema, when known, decides the
// input type (and its logical type); without one the value's class does.
func castValue(schema *connectors.Schema, v any, target connectors.Type) (any, error) {
	if v == nil {
		return nil, nil
	}
	var in connectors.Type
	if schema == nil {
		t, ok := connectors.SchemaTypeOf(v)
		if !ok {
			return nil, dataError("Cast transformation was passed a value of type class %s which is not supported by Connect's data API", connectors.JavaClass(v))
		}
		in = t
	} else {
		in = schema.Type
	}
	if in > connectors.Bytes {
		return nil, dataError("Cast transformation does not support casting from %s; supported types are %s", in,
			typeList(append(castOutputTypes[:len(castOutputTypes):len(castOutputTypes)], connectors.Bytes)))
	}
	if schema != nil && schema.Name != "" && target != connectors.String {
		var err error
		if v, err = encodeLogical(schema, v); err != nil {
			return nil, err
		}
	}
	outOfRange := func() error {
		return dataError("Value (%s) was out of range for requested data type", connectors.FormatValue(v))
	}
	unexpected := func() error {
		return dataError("Unexpected type in Cast transformation: class %s", connectors.JavaClass(v))
	}
	switch target {
	case connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64:
		var n int64
		switch x := v.(type) {
		case bool:
			n = int64(b2i(x))
		case string:
			var ok bool
			if n, ok = parseJavaInteger(x, intBits(target)); !ok {
				return nil, outOfRange()
			}
		default:
			if !isNumber(v) {
				return nil, unexpected()
			}
			if target == connectors.Int64 {
				n = longValue(v)
			} else {
				n = int64(intValue(v))
			}
		}
		switch target {
		case connectors.Int8:
			return int8(n), nil
		case connectors.Int16:
			return int16(n), nil
		case connectors.Int32:
			return int32(n), nil
		}
		return n, nil
	case connectors.Float32, connectors.Float64:
		var f float64
		switch x := v.(type) {
		case bool:
			f = float64(b2i(x))
		case string:
			bits := 64
			if target == connectors.Float32 {
				bits = 32
			}
			var ok bool
			if f, ok = parseJavaFloat(x, bits); !ok {
				return nil, outOfRange()
			}
		default:
			if !isNumber(v) {
				return nil, unexpected()
			}
			if target == connectors.Float32 {
				return floatValue(v), nil
			}
			f = doubleValue(v)
		}
		if target == connectors.Float32 {
			return float32(f), nil
		}
		return f, nil
	case connectors.Boolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			return strings.EqualFold(x, "true"), nil
		}
		if !isNumber(v) {
			return nil, unexpected()
		}
		return longValue(v) != 0, nil
	case connectors.String:
		switch x := v.(type) {
		case time.Time:
			text, err := converters.SimpleHeaderConverter{}.FromHeader("", "", nil, x)
			if err != nil {
				return nil, asDataError(err)
			}
			return string(text), nil
		case []byte:
			return base64.StdEncoding.EncodeToString(x), nil
		}
		return connectors.FormatValue(v), nil
	}
	return nil, dataError("%s is not supported in the Cast transformation.", target)
}

// intBits is the size of an integer type.
func intBits(t connectors.Type) int {
	switch t {
	case connectors.Int8:
		return 8
	case connectors.Int16:
		return 16
	case connectors.Int32:
		return 32
	}
	return 64
}

// encodeLogical turns Date, Time and Timestamp values into their integer encodings, as Apache does
// before casting them to anything but a string.
func encodeLogical(schema *connectors.Schema, v any) (any, error) {
	switch schema.Name {
	case connectors.DateName, connectors.TimeName, connectors.TimestampName:
	default:
		return v, nil
	}
	t, ok := v.(time.Time)
	if !ok {
		return nil, &Exception{Class: ClassCastException, Message: "class " + connectors.JavaClass(v) + " cannot be cast to class java.util.Date"}
	}
	n, err := converters.TemporalToInt(schema.Name, t)
	switch {
	case err != nil:
		return nil, asDataError(err)
	case schema.Name == connectors.TimestampName:
		return n, nil
	}
	return int32(n), nil
}
