package transforms

import (
	"math"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// timestampConverter is TimestampConverter$Key and TimestampConverter$Value: a timestamp (the whole key or
// value, or one field) is converted between text in a SimpleDateFormat pattern, Unix time in a given
// precision, and Connect's Date, Time and Timestamp types.
type timestampConverter struct {
	side        side
	field       string
	target      string
	format      *javaDateFormat
	precision   string
	replaceNull bool
	cache       schemaCache
}

// The target types and precisions, as configured.
const (
	tsString    = "string"
	tsUnix      = "unix"
	tsDate      = "Date"
	tsTime      = "Time"
	tsTimestamp = "Timestamp"

	precisionSeconds = "seconds"
	precisionMillis  = "milliseconds"
	precisionMicros  = "microseconds"
	precisionNanos   = "nanoseconds"
)

const timestampPurpose = "converting timestamp formats"

var timestampConverterDef = config.NewDef(
	config.Key{Name: "field", Type: config.String, Default: "", Importance: config.High,
		Doc: "The field containing the timestamp, or empty if the entire value is a timestamp"},
	config.Key{Name: "target.type", Type: config.String, Required: true, Validator: config.OneOf(tsString, tsUnix, tsDate, tsTime, tsTimestamp),
		Importance: config.High, Doc: "The desired timestamp representation: string, unix, Date, Time, or Timestamp"},
	config.Key{Name: "format", Type: config.String, Default: "", Importance: config.Medium,
		Doc: "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string."},
	config.Key{Name: "unix.precision", Type: config.String, Default: precisionMillis,
		Validator:  config.OneOf(precisionNanos, precisionMicros, precisionMillis, precisionSeconds),
		Importance: config.Low,
		Doc:        "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components."},
	replaceNullKey(),
)

func (t *timestampConverter) Config() *config.Def { return timestampConverterDef }

func (t *timestampConverter) Configure(cfg map[string]string) error {
	v, err := timestampConverterDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.field, t.target, t.precision = v.String("field"), v.String("target.type"), v.String("unix.precision")
	t.replaceNull = v.Bool("replace.null.with.default")
	pattern := v.String("format")
	blank := config.JavaTrim(pattern) == ""
	if t.target == tsString && blank {
		return configError("format", "TimestampConverter requires format option to be specified when using string timestamps")
	}
	t.format = nil
	if !blank {
		if t.format, err = compileJavaDateFormat(pattern); err != nil {
			// Apache's text, which has the reason where a value goes and its message where a key goes.
			return configError("format", "Invalid value java.lang.IllegalArgumentException: "+err.Error()+
				" for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: "+pattern)
		}
	}
	return nil
}

// Schemas of the target types.
var (
	dateSchema         = connectors.DateSchema(false)
	optionalDateSchema = connectors.DateSchema(true)
	timeSchema         = connectors.TimeSchema(false)
	optionalTimeSchema = connectors.TimeSchema(true)
)

func targetSchema(target string, optional bool) *connectors.Schema {
	pick := func(required, opt *connectors.Schema) *connectors.Schema {
		if optional {
			return opt
		}
		return required
	}
	switch target {
	case tsString:
		return pick(connectors.StringSchema, connectors.OptionalStringSchema)
	case tsUnix:
		return pick(connectors.Int64Schema, connectors.OptionalInt64Schema)
	case tsDate:
		return pick(dateSchema, optionalDateSchema)
	case tsTime:
		return pick(timeSchema, optionalTimeSchema)
	}
	return pick(timestampSchema, optionalTimestampSchema)
}

// kindOf says how a schema holds a timestamp.
func kindOf(s *connectors.Schema) (string, error) {
	switch {
	case s.Name == connectors.TimestampName:
		return tsTimestamp, nil
	case s.Name == connectors.DateName:
		return tsDate, nil
	case s.Name == connectors.TimeName:
		return tsTime, nil
	case s.Type == connectors.String:
		return tsString, nil
	case s.Type == connectors.Int64:
		return tsUnix, nil
	}
	return "", &Exception{Class: ConnectException, Message: "Schema " + connectors.FormatSchema(s) + " does not correspond to a known timestamp type format"}
}

func (t *timestampConverter) Apply(r *connectors.Record) (*connectors.Record, error) {
	v, schema := t.side.value(r), t.side.schema(r)
	if schema == nil {
		if v == nil || t.field == "" {
			out, err := t.convert(v, "")
			if err != nil {
				return nil, err
			}
			return t.side.set(r, nil, out), nil
		}
		m, err := requireMap(v, timestampPurpose)
		if err != nil {
			return nil, err
		}
		out, err := t.convert(mapGet(m, t.field), "")
		if err != nil {
			return nil, err
		}
		updated := copyJavaMap(m, 1)
		updated.put(t.field, out)
		return t.side.set(r, nil, updated.value()), nil
	}
	if t.field == "" {
		kind, err := kindOf(schema)
		if err != nil {
			return nil, err
		}
		out, err := t.convert(v, kind)
		if err != nil {
			return nil, err
		}
		return t.side.set(r, targetSchema(t.target, schema.Optional), out), nil
	}
	s, err := requireStructOrNull(v, timestampPurpose)
	if err != nil {
		return nil, err
	}
	updatedSchema, err := t.cache.getOrBuild(schema, t.buildSchema)
	if err != nil {
		return nil, err
	}
	out, err := t.convertStruct(s, updatedSchema)
	if err != nil {
		return nil, err
	}
	return t.side.set(r, updatedSchema, out), nil
}

// buildSchema replaces the schema of the converted field (keeping its optionality); the struct's default
// is converted too.
func (t *timestampConverter) buildSchema(in *connectors.Schema) (*connectors.Schema, error) {
	if in.Type != connectors.Struct {
		return nil, dataError("Cannot list fields on non-struct type")
	}
	out := copyBasics(in, connectors.Struct)
	for _, f := range in.Fields {
		fs := f.Schema
		if f.Name == t.field {
			fs = targetSchema(t.target, f.Schema.Optional)
		}
		if err := addField(out, f.Name, fs); err != nil {
			return nil, err
		}
	}
	out.Optional = in.Optional
	if def, ok := in.Default.(*connectors.StructValue); ok && def != nil {
		d, err := t.convertStruct(def, out)
		if err != nil {
			return nil, err
		}
		out.Default = d
	}
	return out, nil
}

func (t *timestampConverter) convertStruct(s *connectors.StructValue, schema *connectors.Schema) (*connectors.StructValue, error) {
	if s == nil {
		return nil, nil
	}
	out := connectors.NewStruct(schema)
	for i, f := range s.Schema().Fields {
		fv := fieldValue(s, i, t.replaceNull)
		if f.Name == t.field {
			kind, err := kindOf(f.Schema)
			if err != nil {
				return nil, err
			}
			if fv, err = t.convert(fv, kind); err != nil {
				return nil, err
			}
		}
		if err := put(out, f.Name, fv); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// convert turns a timestamp of the given kind ("" to infer it from the value) into the target type,
// through milliseconds since the epoch.
func (t *timestampConverter) convert(ts any, kind string) (any, error) {
	if ts == nil {
		return nil, nil
	}
	if kind == "" {
		switch ts.(type) {
		case time.Time:
			kind = tsTimestamp
		case int64:
			kind = tsUnix
		case string:
			kind = tsString
		default:
			return nil, dataError("TimestampConverter does not support class %s objects as timestamps", connectors.JavaClass(ts))
		}
	}
	var ms int64
	switch kind {
	case tsString:
		s, ok := ts.(string)
		if !ok {
			return nil, dataError("Expected string timestamp to be a String, but found class %s", connectors.JavaClass(ts))
		}
		if t.format == nil {
			return nil, &Exception{Class: NullPointerException, Message: "TimestampConverter requires format option to be specified when using string timestamps"}
		}
		if ms, ok = t.format.parse(s); !ok {
			return nil, dataError("Could not parse timestamp: value (%s) does not match pattern (%s)", s, t.format.pattern)
		}
	case tsUnix:
		n, ok := ts.(int64)
		if !ok {
			return nil, dataError("Expected Unix timestamp to be a Long, but found class %s", connectors.JavaClass(ts))
		}
		switch t.precision {
		case precisionSeconds:
			ms = saturatingMul(n, 1000)
		case precisionMicros:
			ms = n / 1000
		case precisionNanos:
			ms = n / 1000000
		default:
			ms = n
		}
	default:
		d, ok := ts.(time.Time)
		if !ok {
			return nil, dataError("Expected %s to be a java.util.Date, but found class %s", kind, connectors.JavaClass(ts))
		}
		ms = d.UnixMilli()
	}
	switch t.target {
	case tsString:
		return t.format.format(ms), nil
	case tsUnix:
		switch t.precision {
		case precisionSeconds:
			return ms / 1000, nil
		case precisionMicros:
			return saturatingMul(ms, 1000), nil
		case precisionNanos:
			return saturatingMul(ms, 1000000), nil
		}
		return ms, nil
	case tsDate:
		return time.UnixMilli(floorDiv(ms, msPerDay) * msPerDay).UTC(), nil
	case tsTime:
		return time.UnixMilli(floorMod(ms, msPerDay)).UTC(), nil
	}
	return time.UnixMilli(ms).UTC(), nil
}

// saturatingMul is TimeUnit's conversion to a finer unit: it stops at the range of a long.
func saturatingMul(n, factor int64) int64 {
	switch {
	case n > math.MaxInt64/factor:
		return math.MaxInt64
	case n < math.MinInt64/factor:
		return math.MinInt64
	}
	return n * factor
}
