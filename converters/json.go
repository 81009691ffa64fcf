package converters

import (
	"container/list"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// JSONConverter is org.apache.kafka.connect.json.JsonConverter. With schemas.enable (the default) every
// value travels in an envelope {"schema":…,"payload":…}; without it only the payload is written, and read
// values have no schema. Make one with NewJSONConverter; like every converter it is used by one
// goroutine at a time.
type JSONConverter struct {
	schemasEnabled bool
	enc            jsonEncoder
	// Schemas are immutable and shared, so their JSON forms are cached by identity; parsed schemas are
	// cached by their JSON text.
	toJSON   *lru[*connectors.Schema, []byte]
	toSchema *lru[string, *connectors.Schema]
	buf      []byte
	parser   jsonParser
}

// NewJSONConverter returns a JsonConverter with Apache's defaults: schemas.enable=true,
// decimal.format=BASE64, replace.null.with.default=true, schemas.cache.size=1000.
func NewJSONConverter() *JSONConverter {
	c := &JSONConverter{}
	if err := c.Configure(nil, false); err != nil {
		panic(err) // the defaults always parse
	}
	return c
}

var jsonConfig = config.NewDef(
	converterTypeKey(),
	config.Key{Name: "schemas.enable", Type: config.Boolean, Default: true, Importance: config.High,
		Doc:   "Wrap every key or value in a JSON envelope that carries its schema next to its payload.",
		Group: "Schemas", OrderInGroup: 0, Width: config.WidthMedium, DisplayName: "Enable Schemas"},
	config.Key{Name: "schemas.cache.size", Type: config.Int, Default: int32(1000), Importance: config.High,
		Doc:   "How many schemas this converter keeps in its caches.",
		Group: "Schemas", OrderInGroup: 1, Width: config.WidthMedium, DisplayName: "Schema Cache Size"},
	config.Key{Name: "decimal.format", Type: config.String, Default: "BASE64", Validator: decimalFormats,
		Importance: config.Low,
		Doc:        "How Decimal values are written: BASE64 (the unscaled value's bytes, the default) or NUMERIC (a JSON number). Case insensitive.",
		Group:      "Serialization", OrderInGroup: 0, Width: config.WidthMedium, DisplayName: "Decimal Format"},
	config.Key{Name: "replace.null.with.default", Type: config.Boolean, Default: true, Importance: config.Low,
		Doc:   "Whether a null value whose schema has a default is written and read as that default (true) or as null (false).",
		Group: "Serialization", OrderInGroup: 1, Width: config.WidthMedium, DisplayName: "Replace null with default"},
)

// decimalFormats lists the formats in the order Apache's HashSet prints them.
var decimalFormats = stringIn{values: []string{"NUMERIC", "BASE64"}, fold: true}

// Config defines the converter's keys.
func (c *JSONConverter) Config() *config.Def { return jsonConfig }

// Configure applies schemas.enable, schemas.cache.size, decimal.format and replace.null.with.default.
func (c *JSONConverter) Configure(cfg map[string]string, isKey bool) error {
	s := settings(cfg)
	var err error
	if c.schemasEnabled, err = s.boolean("schemas.enable", true); err != nil {
		return err
	}
	size, err := s.integer("schemas.cache.size", 1000)
	if err != nil {
		return err
	}
	format, err := s.str("decimal.format", "BASE64", decimalFormats)
	if err != nil {
		return err
	}
	c.enc.numericDecimals = strings.EqualFold(format, "NUMERIC")
	if c.enc.replaceNull, err = s.boolean("replace.null.with.default", true); err != nil {
		return err
	}
	c.toJSON = newLRU[*connectors.Schema, []byte](size)
	c.toSchema = newLRU[string, *connectors.Schema](size)
	return nil
}

// FromConnect writes a value as JSON. A null value without a schema is a tombstone: nil bytes.
func (c *JSONConverter) FromConnect(topic string, schema *connectors.Schema, value any) ([]byte, error) {
	if schema == nil && value == nil {
		return nil, nil
	}
	buf := c.buf[:0]
	var err error
	if c.schemasEnabled {
		buf = append(buf, `{"schema":`...)
		if buf, err = c.appendSchema(buf, schema); err != nil {
			return nil, err
		}
		buf = append(buf, `,"payload":`...)
	}
	// The commonest record, a line of text, skips the general encoder.
	if s, ok := value.(string); ok && schema != nil && schema.Type == connectors.String && schema.Name == "" {
		buf = AppendJSONString(buf, s)
	} else if buf, err = c.enc.appendValue(buf, schema, value); err != nil {
		return nil, err
	}
	if c.schemasEnabled {
		buf = append(buf, '}')
	}
	out := slices.Clone(buf)
	if cap(buf) <= 1<<20 {
		c.buf = buf // keep the scratch buffer unless one huge record grew it
	}
	return out, nil
}

func (c *JSONConverter) appendSchema(dst []byte, s *connectors.Schema) ([]byte, error) {
	if s == nil {
		return append(dst, "null"...), nil
	}
	if b, ok := c.toJSON.get(s); ok {
		return append(dst, b...), nil
	}
	start := len(dst)
	dst, err := c.enc.appendSchema(dst, s)
	if err != nil {
		return dst, err
	}
	c.toJSON.put(s, slices.Clone(dst[start:]))
	return dst, nil
}

// ToConnect reads JSON into a schema and a value. Nil bytes are a tombstone: no schema, no value.
func (c *JSONConverter) ToConnect(topic string, data []byte) (*connectors.Schema, any, error) {
	if data == nil {
		return nil, nil, nil
	}
	skip := ""
	if c.schemasEnabled {
		skip = "schema" // read only when it is not in the cache
	}
	root, text, err := c.parser.parse(data, skip)
	if err != nil {
		return nil, nil, dataErrorCause("Converting byte[] to Kafka Connect data failed due to serialization error: ", err)
	}
	payload := &root
	var schema *connectors.Schema
	if c.schemasEnabled {
		if root.kind != jsonObject || len(root.keys) != 2 || root.get("schema") == nil || root.get("payload") == nil {
			return nil, nil, dataError(`JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.`)
		}
		if schema, err = c.schemaFromJSON(text[root.get("schema").start:root.get("schema").end]); err != nil {
			return nil, nil, err
		}
		payload = root.get("payload")
	}
	v, err := c.valueFromJSON(schema, payload)
	if err != nil {
		return nil, nil, err
	}
	return schema, v, nil
}

// schemaFromJSON is JsonConverter.asConnectSchema of the envelope's schema text; results are cached by
// that text.
func (c *JSONConverter) schemaFromJSON(raw []byte) (*connectors.Schema, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	if e, ok := c.toSchema.items[string(raw)]; ok { // indexing with string(raw) does not allocate
		c.toSchema.order.MoveToFront(e)
		return e.Value.(*lruEntry[string, *connectors.Schema]).val, nil
	}
	n, _, err := parseJSON(raw)
	if err != nil {
		return nil, dataErrorCause("Converting byte[] to Kafka Connect data failed due to serialization error: ", err)
	}
	s, err := c.buildSchema(&n)
	if err != nil {
		return nil, err
	}
	c.toSchema.put(string(raw), s)
	return s, nil
}

var jsonSchemaTypes = map[string]connectors.Type{
	"boolean": connectors.Boolean, "int8": connectors.Int8, "int16": connectors.Int16, "int32": connectors.Int32,
	"int64": connectors.Int64, "float": connectors.Float32, "double": connectors.Float64, "bytes": connectors.Bytes,
	"string": connectors.String, "array": connectors.Array, "map": connectors.Map, "struct": connectors.Struct,
}

func (c *JSONConverter) buildSchema(n *jsonNode) (*connectors.Schema, error) {
	if n.kind == jsonNull {
		return nil, nil
	}
	typ := n.get("type")
	if typ == nil || typ.kind != jsonString {
		return nil, dataError("Schema must contain 'type' field")
	}
	t, ok := jsonSchemaTypes[typ.text]
	if !ok {
		return nil, dataError("Unknown schema type: " + typ.text)
	}
	s := &connectors.Schema{Type: t}
	var err error
	switch t {
	case connectors.Array:
		items := n.get("items")
		if items.isNull() {
			return nil, dataError("Array schema did not specify the element type")
		}
		if s.ValueSchema, err = c.buildSchema(items); err != nil {
			return nil, err
		}
		if s.ValueSchema == nil {
			return nil, dataError("valueSchema cannot be null.")
		}
	case connectors.Map:
		keys := n.get("keys")
		if keys == nil {
			return nil, dataError("Map schema did not specify the key type")
		}
		values := n.get("values")
		if values == nil {
			return nil, dataError("Map schema did not specify the value type")
		}
		if s.KeySchema, err = c.buildSchema(keys); err != nil {
			return nil, err
		}
		if s.ValueSchema, err = c.buildSchema(values); err != nil {
			return nil, err
		}
		switch {
		case s.KeySchema == nil:
			return nil, dataError("keySchema cannot be null.")
		case s.ValueSchema == nil:
			return nil, dataError("valueSchema cannot be null.")
		}
	case connectors.Struct:
		fields := n.get("fields")
		if fields == nil || fields.kind != jsonArray {
			return nil, dataError(`Struct schema's "fields" argument is not an array.`)
		}
		for i := range fields.kids {
			f := &fields.kids[i]
			var name *jsonNode
			if f.kind == jsonObject {
				name = f.get("field")
			}
			if name == nil || name.kind != jsonString {
				return nil, dataError("Struct schema's field name not specified properly")
			}
			fs, err := c.buildSchema(f)
			if err != nil {
				return nil, err
			}
			switch {
			case name.text == "":
				return nil, dataError("fieldName cannot be null.")
			case fs == nil:
				return nil, dataError("fieldSchema for field " + name.text + " cannot be null.")
			case s.Field(name.text) != nil:
				return nil, dataError("Cannot create field because of field name duplication " + name.text)
			}
			s.Fields = append(s.Fields, connectors.Field{Name: name.text, Index: len(s.Fields), Schema: fs})
		}
	}
	if o := n.get("optional"); o != nil && o.kind == jsonBool && o.b {
		s.Optional = true
	}
	if v := n.get("name"); v != nil && v.kind == jsonString {
		s.Name = v.text
	}
	if v := n.get("version"); v != nil && v.isIntegral() {
		s.Version = int(v.intValue())
	}
	if v := n.get("doc"); v != nil && v.kind == jsonString {
		s.Doc = v.text
	}
	if p := n.get("parameters"); p != nil && p.kind == jsonObject {
		s.Parameters = make([]connectors.Param, 0, len(p.keys))
		for i, k := range p.keys {
			if p.kids[i].kind != jsonString {
				return nil, dataError("Schema parameters must have string values.")
			}
			s.Parameters = append(s.Parameters, connectors.Param{Key: k, Value: p.kids[i].text})
		}
	}
	if d := n.get("default"); d != nil {
		// The default is read with the schema built so far, so that its logical type applies.
		v, err := c.valueFromJSON(s, d)
		if err != nil {
			return nil, err
		}
		if v != nil {
			// Apache's builder rejects a struct default: the struct's schema is never equal to the
			// builder it is checked against.
			if s.Type == connectors.Struct || connectors.ValidateValue(s, v) != nil {
				return nil, dataError("Invalid default value")
			}
		} else if !s.Optional {
			return nil, dataError("Invalid default value")
		}
		s.Default = v
	}
	return s, nil
}

// valueFromJSON is JsonConverter.convertToConnect: n read as a value of schema s, or schemaless.
func (c *JSONConverter) valueFromJSON(s *connectors.Schema, n *jsonNode) (any, error) {
	if s == nil {
		if n.isNull() {
			return nil, nil
		}
		return c.schemalessFromJSON(n)
	}
	if n.isNull() {
		switch {
		case s.Default != nil && c.enc.replaceNull:
			return s.Default, nil
		case s.Optional:
			return nil, nil
		}
		return nil, dataError("Invalid null value for required " + s.Type.String() + " field")
	}
	switch s.Name {
	case connectors.DecimalName:
		return decimalFromJSON(s, n)
	case connectors.DateName:
		if !n.isInt() {
			return nil, dataError("Invalid type for Date, underlying representation should be integer but was " + jsonKindNames[n.kind])
		}
		return time.UnixMilli(int64(n.intValue()) * millisPerDay).UTC(), nil
	case connectors.TimeName:
		if !n.isInt() {
			return nil, dataError("Invalid type for Time, underlying representation should be integer but was " + jsonKindNames[n.kind])
		}
		ms := n.intValue()
		if ms < 0 || ms > millisPerDay {
			return nil, dataError("Time values must use number of milliseconds greater than 0 and less than 86400000")
		}
		return time.UnixMilli(int64(ms)).UTC(), nil
	case connectors.TimestampName:
		if !n.isIntegral() {
			return nil, dataError("Invalid type for Timestamp, underlying representation should be integral but was " + jsonKindNames[n.kind])
		}
		return time.UnixMilli(n.longValue()).UTC(), nil
	}
	// Mismatched JSON types are not rejected: Jackson's accessors coerce them (a string read as a number is
	// 0, anything but a boolean is false, anything but a string is null).
	switch s.Type {
	case connectors.Boolean:
		return n.kind == jsonBool && n.b, nil
	case connectors.Int8:
		return int8(n.intValue()), nil
	case connectors.Int16:
		return int16(n.intValue()), nil
	case connectors.Int32:
		return n.intValue(), nil
	case connectors.Int64:
		return n.longValue(), nil
	case connectors.Float32:
		return n.floatValue(), nil
	case connectors.Float64:
		return n.doubleValue(), nil
	case connectors.String:
		if n.kind != jsonString {
			return nil, nil
		}
		return n.text, nil
	case connectors.Bytes:
		b, err := n.binaryValue()
		if err != nil {
			return nil, dataErrorCause("Invalid bytes field", err)
		}
		if b == nil {
			return nil, nil
		}
		return b, nil
	case connectors.Array:
		return c.listFromJSON(s.ValueSchema, n)
	case connectors.Map:
		return c.mapFromJSON(s, n)
	case connectors.Struct:
		if n.kind != jsonObject {
			return nil, dataError("Structs should be encoded as JSON objects, but found " + jsonKindNames[n.kind])
		}
		st := connectors.NewStruct(s)
		for _, f := range s.Fields {
			v, err := c.valueFromJSON(f.Schema, n.get(f.Name))
			if err != nil {
				return nil, err
			}
			if v == nil {
				if !f.Schema.Optional {
					return nil, dataError(`Invalid value: null used for required field: "` + f.Name + `", schema type: ` + f.Schema.Type.String())
				}
				continue
			}
			if err := st.Put(f.Name, v); err != nil {
				return nil, &DataError{Message: err.Error()}
			}
		}
		return st, nil
	}
	return nil, dataError("Unknown schema type: " + s.Type.String())
}

func (c *JSONConverter) schemalessFromJSON(n *jsonNode) (any, error) {
	switch n.kind {
	case jsonArray:
		return c.listFromJSON(nil, n)
	case jsonObject:
		return c.mapFromJSON(nil, n)
	}
	return jsonToSchemaless(n)
}

// listFromJSON reads an ARRAY. Like Jackson's iteration it takes an object's values and treats any other
// node as empty.
func (c *JSONConverter) listFromJSON(elem *connectors.Schema, n *jsonNode) (any, error) {
	out := make([]any, 0, len(n.kids))
	if n.kind != jsonArray && n.kind != jsonObject {
		return out, nil
	}
	for i := range n.kids {
		v, err := c.valueFromJSON(elem, &n.kids[i])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// mapFromJSON reads a MAP into Java HashMap order: from an object when the keys are strings (or there is
// no schema), else from an array of [key, value] pairs.
func (c *JSONConverter) mapFromJSON(s *connectors.Schema, n *jsonNode) (any, error) {
	var keySchema, valueSchema *connectors.Schema
	if s != nil {
		keySchema, valueSchema = s.KeySchema, s.ValueSchema
	}
	var m connectors.MapValue
	if s == nil || keySchema.Type == connectors.String {
		if n.kind != jsonObject {
			return nil, dataError("Maps with string fields should be encoded as JSON objects, but found " + jsonKindNames[n.kind])
		}
		m = make(connectors.MapValue, 0, len(n.keys))
		for i, k := range n.keys {
			v, err := c.valueFromJSON(valueSchema, &n.kids[i])
			if err != nil {
				return nil, err
			}
			m = append(m, connectors.MapEntry{Key: k, Value: v})
		}
	} else {
		if n.kind != jsonArray {
			return nil, dataError("Maps with non-string fields should be encoded as JSON array of tuples, but found " + jsonKindNames[n.kind])
		}
		m = make(connectors.MapValue, 0, len(n.kids))
		for i := range n.kids {
			e := &n.kids[i]
			if e.kind != jsonArray {
				return nil, dataError("Found invalid map entry instead of array tuple: " + jsonKindNames[e.kind])
			}
			if len(e.kids) != 2 {
				return nil, dataError("Found invalid map entry, expected length 2 but found :" + strconv.Itoa(len(e.kids)))
			}
			k, err := c.valueFromJSON(keySchema, &e.kids[0])
			if err != nil {
				return nil, err
			}
			v, err := c.valueFromJSON(valueSchema, &e.kids[1])
			if err != nil {
				return nil, err
			}
			m = mapPut(m, k, v)
		}
	}
	connectors.SortHashMap(m, 0)
	return m, nil
}

func decimalFromJSON(s *connectors.Schema, n *jsonNode) (any, error) {
	switch n.kind {
	case jsonNumber:
		return n.decimalValue(), nil
	case jsonString:
		b, err := n.binaryValue()
		if err == nil {
			var scale int32
			if scale, err = decimalScale(s); err == nil {
				if len(b) == 0 {
					err = serializationError("Zero length BigInteger")
				} else {
					return connectors.Decimal{Unscaled: fromTwosComplement(b), Scale: scale}, nil
				}
			}
		}
		return nil, dataErrorCause("Invalid bytes for Decimal field", err)
	}
	return nil, dataError("Invalid type for Decimal, underlying representation should be numeric or bytes but was " + jsonKindNames[n.kind])
}

// lru is a small least-recently-used cache (Apache's LRUCache), used by one goroutine.
type lru[K comparable, V any] struct {
	size  int
	order *list.List // front is the most recent
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key K
	val V
}

func newLRU[K comparable, V any](size int) *lru[K, V] {
	return &lru[K, V]{size: size, order: list.New(), items: make(map[K]*list.Element)}
}

func (c *lru[K, V]) get(k K) (V, bool) {
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[K, V]).val, true
	}
	var zero V
	return zero, false
}

func (c *lru[K, V]) put(k K, v V) {
	if c.size <= 0 {
		return
	}
	if e, ok := c.items[k]; ok {
		e.Value.(*lruEntry[K, V]).val = v
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&lruEntry[K, V]{k, v})
	if c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruEntry[K, V]).key)
	}
}
