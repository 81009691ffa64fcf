package converters

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
)

// Golden tests over every case Apache 3.6.0's converters produced (shared/fixtures/apache-3.6/converters)
// and over what its FileStreamSink wrote (sink-text).

type fixtureCase struct {
	Direction string            `json:"direction"`
	Converter string            `json:"converter"`
	Config    map[string]string `json:"config"`
	Case      string            `json:"case"`
	Schema    json.RawMessage   `json:"schema"`
	Value     *string           `json:"value"`
	ToString  *string           `json:"value_toString"`
	BytesHex  *string           `json:"bytes_hex"`
	BytesNull bool              `json:"bytes_null"`
	Error     string            `json:"error"`
	Cause     string            `json:"error_cause"`
	RoundTrip *string           `json:"roundtrip_fromConnectHeader_text"`
	line      int
}

func readCases(t *testing.T, name string) []fixtureCase {
	f, err := os.Open(filepath.Join(fixtures.Dir(t, "converters"), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []fixtureCase
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for n := 1; s.Scan(); n++ {
		var c fixtureCase
		if err := json.Unmarshal(s.Bytes(), &c); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		c.line = n
		out = append(out, c)
	}
	return out
}

// javaMessage strips the exception class Java prints before a message.
func javaMessage(s string) string {
	if i := strings.Index(s, ": "); i >= 0 && strings.Contains(s[:i], ".") && !strings.Contains(s[:i], " ") {
		return s[i+2:]
	}
	return s
}

// skipped lists the cases this port cannot express, with the reason.
var skipped = map[string]string{
	"bytes ByteBuffer wrap(010203,1,1)": "Go has no ByteBuffer",
	"ByteBuffer wrap(010203,1,1)":       "Go has no ByteBuffer",
	"ByteBuffer":                        "Go has no ByteBuffer",
}

func TestFromConnectGolden(t *testing.T) {
	cases := readCases(t, "from-connect.jsonl")
	if len(cases) != 374 {
		t.Errorf("expected 374 cases, found %d", len(cases))
	}
	ran := 0
	for _, c := range cases {
		name := fmt.Sprintf("%d %s %s %v", c.line, short(c.Converter), c.Case, c.Config)
		t.Run(name, func(t *testing.T) {
			if why, ok := skipped[c.Case]; ok {
				t.Skip(why)
			}
			ran++
			schema := fixtureSchema(t, c.Schema)
			value := fixtureValue(t, c.Case, *c.Value, schema)
			got, err := fromConnect(t, c, schema, value)
			checkError(t, err, c.Error, c.Cause)
			if c.Error != "" {
				return
			}
			if c.BytesNull {
				if got != nil {
					t.Fatalf("got %x, want null bytes", got)
				}
				return
			}
			if got == nil {
				t.Fatalf("got null bytes, want %s", *c.BytesHex)
			}
			if h := hex.EncodeToString(got); h != *c.BytesHex {
				t.Fatalf("bytes differ\n got %s (%q)\nwant %s", h, got, *c.BytesHex)
			}
		})
	}
	if ran != len(cases)-4 {
		t.Errorf("ran %d of %d cases", ran, len(cases))
	}
}

func fromConnect(t *testing.T, c fixtureCase, schema *connectors.Schema, value any) ([]byte, error) {
	cfg := map[string]string{}
	isKey := false
	header := false
	for k, v := range c.Config {
		switch k {
		case "(isKey)":
			isKey = v == "true"
		case "converter.type":
			header = v == "header"
		default:
			cfg[k] = v
		}
	}
	class := short(c.Converter)
	if class == "SimpleHeaderConverter" {
		return SimpleHeaderConverter{}.FromHeader("topic", "key", schema, value)
	}
	conv := newConverter(t, class)
	if header {
		h := HeaderConverterFor(conv)
		if err := h.Configure(cfg); err != nil {
			t.Fatal(err)
		}
		return h.FromHeader("topic", "key", schema, value)
	}
	if err := conv.Configure(cfg, isKey); err != nil {
		t.Fatal(err)
	}
	return conv.FromConnect("topic", schema, value)
}

func newConverter(t testing.TB, class string) Converter {
	for _, p := range Plugins() {
		if p.Type == connectors.ConverterType && short(p.Class) == class {
			return p.New().(Converter)
		}
	}
	t.Fatalf("no converter %s", class)
	return nil
}

func short(class string) string { return class[strings.LastIndexByte(class, '.')+1:] }

func checkError(t *testing.T, err error, want, wantCause string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	de, ok := err.(*DataError)
	if !ok {
		t.Fatalf("error %T %v is not a *DataError", err, err)
	}
	if de.Message != javaMessage(want) {
		t.Fatalf("error message\n got %q\nwant %q", de.Message, javaMessage(want))
	}
	// Causes are compared where this port reproduces them: casts and deserializer size checks.
	if strings.HasPrefix(wantCause, "java.lang.ClassCastException") ||
		strings.HasPrefix(wantCause, "org.apache.kafka.common.errors.SerializationException: Size") {
		if de.Cause == nil || de.Cause.Error() != javaMessage(wantCause) {
			t.Fatalf("error cause\n got %v\nwant %q", de.Cause, javaMessage(wantCause))
		}
	}
}

func TestToConnectGolden(t *testing.T) {
	cases := readCases(t, "to-connect.jsonl")
	if len(cases) != 101 {
		t.Errorf("expected 101 cases, found %d", len(cases))
	}
	for _, c := range cases {
		name := fmt.Sprintf("%d %s %s %v", c.line, short(c.Converter), c.Case, c.Config)
		t.Run(name, func(t *testing.T) {
			var data []byte
			if !c.BytesNull {
				var err error
				if data, err = hex.DecodeString(*c.BytesHex); err != nil {
					t.Fatal(err)
				}
				if data == nil {
					data = []byte{}
				}
			}
			var schema *connectors.Schema
			var value any
			var err error
			class := short(c.Converter)
			if class == "SimpleHeaderConverter" {
				schema, value, err = SimpleHeaderConverter{}.ToHeader("topic", "key", data)
			} else {
				conv := newConverter(t, class)
				if err := conv.Configure(c.Config, false); err != nil {
					t.Fatal(err)
				}
				schema, value, err = conv.ToConnect("topic", data)
			}
			checkError(t, err, c.Error, c.Cause)
			if c.Error != "" {
				return
			}
			wantSchema := compactJSON(t, c.Schema)
			enc := jsonEncoder{replaceNull: true}
			gotSchema, err := enc.appendSchema(nil, schema)
			if err != nil {
				t.Fatal(err)
			}
			if string(gotSchema) != wantSchema {
				t.Errorf("schema\n got %s\nwant %s", gotSchema, wantSchema)
			}
			switch {
			case strings.HasPrefix(*c.Value, "null (SchemaAndValue itself is null)"):
				if value != nil {
					t.Errorf("value %#v, want none", value)
				}
			case c.ToString == nil:
				want := fixtureValue(t, c.Case, *c.Value, schema)
				if !connectors.ValueEqual(value, want) {
					t.Errorf("value %#v, want %#v", value, want)
				}
			default:
				if got := connectors.FormatValue(value); got != *c.ToString {
					t.Errorf("value text\n got %q\nwant %q", got, *c.ToString)
				}
				if want := fixtureValue(t, c.Case, *c.Value, schema); !sameJavaType(value, want) {
					t.Errorf("value %#v (%T), want %#v (%T)", value, value, want, want)
				}
			}
			if c.RoundTrip != nil {
				out, err := SimpleHeaderConverter{}.FromHeader("topic", "key", schema, value)
				if err != nil {
					t.Fatal(err)
				}
				if string(out) != *c.RoundTrip {
					t.Errorf("round trip %q, want %q", out, *c.RoundTrip)
				}
			}
		})
	}
}

// sameJavaType compares the Go types standing for Java classes, down through lists and maps.
func sameJavaType(a, b any) bool {
	if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) {
		return false
	}
	switch x := a.(type) {
	case []any:
		y := b.([]any)
		for i := range x {
			if i < len(y) && !sameJavaType(x[i], y[i]) {
				return false
			}
		}
	case connectors.MapValue:
		y := b.(connectors.MapValue)
		for i := range x {
			if i < len(y) && (!sameJavaType(x[i].Key, y[i].Key) || !sameJavaType(x[i].Value, y[i].Value)) {
				return false
			}
		}
	}
	return true
}

func compactJSON(t *testing.T, raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	// encoding/json writes <, > and & escaped; Apache's schemas never contain them.
	return b.String()
}

// TestSinkTextGolden replays the records Apache's FileStreamSink consumed: converter, then
// String.valueOf(value) and a newline must give the bytes it wrote, and all records the whole file.
func TestSinkTextGolden(t *testing.T) {
	dir := fixtures.Dir(t, "sink-text")
	raw, err := os.ReadFile(filepath.Join(dir, "inputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	type record struct {
		Offset     int     `json:"offset"`
		Label      string  `json:"label"`
		ValueHex   *string `json:"value_bytes_hex"`
		Null       bool    `json:"null_value"`
		WrittenHex string  `json:"written_hex"`
	}
	var rawTopics map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rawTopics); err != nil {
		t.Fatal(err)
	}
	type sinkTopic struct {
		Converter  string
		Config     map[string]string
		Records    []record
		OutputFile string
	}
	topics := map[string]sinkTopic{}
	for name, fields := range rawTopics {
		var st sinkTopic
		for key, dst := range map[string]any{"value.converter": &st.Converter, "value.converter config": &st.Config,
			"records (topic order, partition 0)": &st.Records, "output_file": &st.OutputFile} {
			if err := json.Unmarshal(fields[key], dst); err != nil {
				t.Fatalf("%s %s: %v", name, key, err)
			}
		}
		topics[name] = st
	}
	if len(topics) != 6 {
		t.Errorf("expected 6 topics, found %d", len(topics))
	}
	for name, topic := range topics {
		t.Run(name, func(t *testing.T) {
			conv := newConverter(t, short(topic.Converter))
			if err := conv.Configure(topic.Config, false); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, topic.OutputFile))
			if err != nil {
				t.Fatal(err)
			}
			var file []byte
			identity := false
			for _, r := range topic.Records {
				var data []byte
				if !r.Null {
					data, _ = hex.DecodeString(*r.ValueHex)
					if data == nil {
						data = []byte{}
					}
				}
				_, value, err := conv.ToConnect("topic", data)
				if err != nil {
					t.Fatalf("record %d (%s): %v", r.Offset, r.Label, err)
				}
				line := connectors.FormatValue(value) + "\n"
				file = append(file, line...)
				if _, ok := value.([]byte); ok {
					// Java prints a byte[] as its identity hash code, which no one can reproduce.
					identity = true
					if !strings.HasPrefix(line, "[B@") {
						t.Errorf("record %d (%s): %q, want a [B@ line", r.Offset, r.Label, line)
					}
					continue
				}
				if got := hex.EncodeToString([]byte(line)); got != r.WrittenHex {
					t.Errorf("record %d (%s): wrote %s (%q), want %s", r.Offset, r.Label, got, line, r.WrittenHex)
				}
			}
			if identity {
				// Compare the file line by line, except the identity hashes.
				gl, wl := strings.Split(string(file), "\n"), strings.Split(string(want), "\n")
				if len(gl) != len(wl) {
					t.Fatalf("%d lines, want %d", len(gl), len(wl))
				}
				for i := range gl {
					if strings.HasPrefix(wl[i], "[B@") && strings.HasPrefix(gl[i], "[B@") {
						continue
					}
					if gl[i] != wl[i] {
						t.Errorf("line %d: %q, want %q", i+1, gl[i], wl[i])
					}
				}
				return
			}
			if !bytes.Equal(file, want) {
				t.Errorf("file\n got %q\nwant %q", file, want)
			}
		})
	}
}

// fixtureSchema builds the Go schema from the fixture's JSON form, with encoding/json rather than this
// package's decoder.
func fixtureSchema(t *testing.T, raw json.RawMessage) *connectors.Schema {
	t.Helper()
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	n := orderedJSON(t, json.NewDecoder(bytes.NewReader(raw)))
	return schemaFromOrdered(t, n)
}

type ordered struct {
	obj   []orderedField // nil for non-objects
	arr   []ordered
	isArr bool
	val   any // string, json.Number, bool or nil
}

type orderedField struct {
	key string
	val ordered
}

func (o ordered) get(k string) (ordered, bool) {
	for _, f := range o.obj {
		if f.key == k {
			return f.val, true
		}
	}
	return ordered{}, false
}

func orderedJSON(t *testing.T, d *json.Decoder) ordered {
	t.Helper()
	d.UseNumber()
	tok, err := d.Token()
	if err != nil {
		t.Fatal(err)
	}
	switch tok {
	case json.Delim('{'):
		o := ordered{obj: []orderedField{}}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				t.Fatal(err)
			}
			o.obj = append(o.obj, orderedField{k.(string), orderedJSON(t, d)})
		}
		d.Token()
		return o
	case json.Delim('['):
		o := ordered{isArr: true}
		for d.More() {
			o.arr = append(o.arr, orderedJSON(t, d))
		}
		d.Token()
		return o
	}
	return ordered{val: tok}
}

var fixtureTypes = map[string]connectors.Type{
	"boolean": connectors.Boolean, "int8": connectors.Int8, "int16": connectors.Int16, "int32": connectors.Int32,
	"int64": connectors.Int64, "float": connectors.Float32, "double": connectors.Float64, "bytes": connectors.Bytes,
	"string": connectors.String, "array": connectors.Array, "map": connectors.Map, "struct": connectors.Struct,
}

func schemaFromOrdered(t *testing.T, n ordered) *connectors.Schema {
	t.Helper()
	if n.obj == nil {
		return nil
	}
	typ, _ := n.get("type")
	s := &connectors.Schema{Type: fixtureTypes[typ.val.(string)]}
	if s.Type == 0 {
		t.Fatalf("unknown type %v", typ.val)
	}
	if v, ok := n.get("optional"); ok {
		s.Optional = v.val.(bool)
	}
	if v, ok := n.get("name"); ok {
		s.Name = v.val.(string)
	}
	if v, ok := n.get("version"); ok {
		i, _ := v.val.(json.Number).Int64()
		s.Version = int(i)
	}
	if v, ok := n.get("doc"); ok {
		s.Doc = v.val.(string)
	}
	if v, ok := n.get("parameters"); ok {
		for _, f := range v.obj {
			s.Parameters = append(s.Parameters, connectors.Param{Key: f.key, Value: f.val.val.(string)})
		}
	}
	if v, ok := n.get("items"); ok {
		s.ValueSchema = schemaFromOrdered(t, v)
	}
	if v, ok := n.get("keys"); ok {
		s.KeySchema = schemaFromOrdered(t, v)
	}
	if v, ok := n.get("values"); ok {
		s.ValueSchema = schemaFromOrdered(t, v)
	}
	if v, ok := n.get("fields"); ok {
		for i, f := range v.arr {
			name, _ := f.get("field")
			s.Fields = append(s.Fields, connectors.Field{Name: name.val.(string), Index: i, Schema: schemaFromOrdered(t, f)})
		}
	}
	if v, ok := n.get("default"); ok {
		switch x := v.val.(type) {
		case string:
			s.Default = x
		case json.Number:
			switch s.Type {
			case connectors.Int32:
				i, _ := x.Int64()
				s.Default = int32(i)
			case connectors.Float64:
				s.Default, _ = x.Float64()
			default:
				t.Fatalf("default %v for %s", x, s.Type)
			}
		default:
			t.Fatalf("unsupported default %v", v.val)
		}
	}
	return s
}

// fixtureValue builds the Go value from the fixture's description of the Java value ("Byte -5",
// "Double 1.0E7 (IEEE bits 0x…)", "ArrayList [1, 2]", "Struct Struct{id=5}", …). Lists, maps and
// structs take their element types from the schema; the few values whose description is ambiguous
// without one are built by hand, by case name.
func fixtureValue(t *testing.T, name, desc string, schema *connectors.Schema) any {
	t.Helper()
	if v, ok := handBuilt(t, name, schema); ok {
		return v
	}
	kind, rest, _ := strings.Cut(desc, " ")
	switch kind {
	case "null":
		return nil
	case "Byte", "Short", "Integer", "Long":
		n, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]any{"Byte": int8(n), "Short": int16(n), "Integer": int32(n), "Long": n}[kind]
	case "Float", "Double":
		i := strings.Index(rest, "(IEEE bits 0x")
		bits, err := strconv.ParseUint(strings.TrimSuffix(rest[i+len("(IEEE bits 0x"):], ")"), 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		if kind == "Float" {
			return math.Float32frombits(uint32(bits))
		}
		return math.Float64frombits(bits)
	case "Boolean":
		return rest == "true"
	case "String":
		end := strings.LastIndex(rest, `" (Java escapes`)
		return javaUnescape(t, rest[1:end])
	case "byte[]":
		h := strings.TrimPrefix(rest, "hex ")
		h = h[:strings.Index(h, " (length")]
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			b = []byte{}
		}
		return b
	case "BigDecimal":
		var unscaled string
		var scale int32
		i := strings.Index(rest, "(unscaled ")
		if _, err := fmt.Sscanf(rest[i:], "(unscaled %s scale %d)", &unscaled, &scale); err != nil {
			t.Fatal(err)
		}
		u, _ := new(big.Int).SetString(strings.TrimSuffix(unscaled, ","), 10)
		return connectors.Decimal{Unscaled: u, Scale: scale}
	case "java.util.Date":
		var ms int64
		if _, err := fmt.Sscanf(rest, "epochMillis=%d", &ms); err != nil {
			t.Fatal(err)
		}
		return time.UnixMilli(ms).UTC()
	case "ArrayList", "HashMap", "LinkedHashMap", "SingletonMap", "Struct":
		if schema == nil {
			t.Fatalf("no schema to type %q", desc)
		}
		return textValue(t, rest, schema)
	}
	t.Fatalf("cannot build a value from %q", desc)
	return nil
}

// textValue reads Java's toString text of a value of schema s.
func textValue(t *testing.T, text string, s *connectors.Schema) any {
	t.Helper()
	if s == nil {
		t.Fatalf("no schema to read %q", text)
	}
	if text == "null" && (s == nil || s.Optional || s.Type != connectors.String) {
		return nil
	}
	switch s.Type {
	case connectors.Int8, connectors.Int16, connectors.Int32, connectors.Int64:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return map[connectors.Type]any{connectors.Int8: int8(n), connectors.Int16: int16(n),
			connectors.Int32: int32(n), connectors.Int64: n}[s.Type]
	case connectors.Float32:
		f, err := strconv.ParseFloat(text, 32)
		if err != nil {
			t.Fatal(err)
		}
		return float32(f)
	case connectors.Float64:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	case connectors.Boolean:
		return text == "true"
	case connectors.String:
		return text
	case connectors.Array:
		out := []any{}
		for _, e := range splitTop(strings.TrimSuffix(strings.TrimPrefix(text, "["), "]"), ", ") {
			out = append(out, textValue(t, e, s.ValueSchema))
		}
		return out
	case connectors.Map:
		out := connectors.MapValue{}
		for _, e := range splitTop(strings.TrimSuffix(strings.TrimPrefix(text, "{"), "}"), ", ") {
			k, v, _ := strings.Cut(e, "=")
			out = append(out, connectors.MapEntry{Key: textValue(t, k, s.KeySchema), Value: textValue(t, v, s.ValueSchema)})
		}
		return out
	case connectors.Struct:
		st := connectors.NewStruct(s)
		for _, e := range splitTop(strings.TrimSuffix(strings.TrimPrefix(text, "Struct{"), "}"), ",") {
			k, v, _ := strings.Cut(e, "=")
			f := s.Field(k)
			if f == nil {
				t.Fatalf("no field %q in %s", k, text)
			}
			if err := st.Put(k, textValue(t, v, f.Schema)); err != nil {
				t.Fatal(err)
			}
		}
		return st
	}
	t.Fatalf("cannot read %q as %s", text, s.Type)
	return nil
}

// splitTop splits at sep outside brackets and braces.
func splitTop(s, sep string) []string {
	if s == "" {
		return nil
	}
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		}
		if depth == 0 && strings.HasPrefix(s[i:], sep) {
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, s[start:])
}

// javaUnescape reads a Java string literal's body (\" \\ \uXXXX), keeping lone surrogates in the
// generalised UTF-8 form the package uses for them.
func javaUnescape(t *testing.T, s string) string {
	t.Helper()
	var units []rune
	for i := 0; i < len(s); {
		if s[i] == '\\' {
			switch s[i+1] {
			case 'u':
				n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
				if err != nil {
					t.Fatal(err)
				}
				units = append(units, rune(n))
				i += 6
			default:
				units = append(units, rune(s[i+1]))
				i += 2
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		units = append(units, r)
		i += n
	}
	var b []byte
	for i := 0; i < len(units); i++ {
		if isHighSurrogate(units[i]) && i+1 < len(units) && isLowSurrogate(units[i+1]) {
			b = utf8.AppendRune(b, (units[i]-0xd800)<<10+(units[i+1]-0xdc00)+0x10000)
			i++
			continue
		}
		b = appendWTF8(b, units[i])
	}
	return string(b)
}

// handBuilt holds the values whose descriptions do not say enough: schemaless containers (which Java
// classes are inside?) and the nested structs (Date.toString drops the milliseconds).
func handBuilt(t *testing.T, name string, schema *connectors.Schema) (any, bool) {
	switch name {
	case "schemaless List [1,b,null]":
		return []any{int32(1), "b", nil}, true
	case "schemaless HashMap {name,id,age,zeta,b} (insertion order shown; HashMap iterates in hash order)":
		return map[string]any{"name": "x", "id": int64(1), "age": int32(2), "zeta": []any{int32(1), "b", nil}, "b": nil}, true
	case "schemaless HashMap {b:1,a:x,c:[1.5,true]}", "HashMap {b:1,a:x,c:[1.5,true]}":
		m := connectors.MapValue{{Key: "b", Value: int32(1)}, {Key: "a", Value: "x"}, {Key: "c", Value: []any{1.5, true}}}
		connectors.SortHashMap(m, 0)
		return m, true
	case "schemaless map with Integer keys {2:two,1:one}":
		return connectors.MapValue{{Key: int32(2), Value: "two"}, {Key: int32(1), Value: "one"}}, true
	case "schemaless map mixed keys {1:a,k:2}":
		return connectors.MapValue{{Key: int32(1), Value: "a"}, {Key: "k", Value: int32(2)}}, true
	case "schemaless nested map/list":
		return connectors.MapValue{{Key: "o", Value: connectors.MapValue{{Key: "p", Value: []any{int32(1), int32(2)}}}}, {Key: "e", Value: connectors.MapValue{}}}, true
	case "schemaless Struct (error)":
		s := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{{Name: "id", Schema: connectors.Int32Schema}}}
		st := connectors.NewStruct(s)
		st.Put("id", int32(1))
		return st, true
	case "List [1,x,null]":
		return []any{int32(1), "x", nil}, true
	case "List mixed":
		return []any{1.5, 2.0, nil, []byte{1}}, true
	case "Map mixed":
		return connectors.MapValue{{Key: "k", Value: []any{"x"}}, {Key: int32(5), Value: nil}}, true
	// to-connect results without a schema
	case "schemaless object":
		m := connectors.MapValue{{Key: "b", Value: int64(1)}, {Key: "a", Value: "x"},
			{Key: "c", Value: []any{1.5, true, nil}}, {Key: "d", Value: connectors.MapValue{{Key: "e", Value: nil}}},
			{Key: "name", Value: "n"}, {Key: "zeta", Value: int64(0)}}
		connectors.SortHashMap(m, 0)
		return m, true
	case "schemaless array":
		return []any{int64(1), "a", nil, 2.0, connectors.MapValue{{Key: "k", Value: []any{}}}}, true
	case "trailing garbage":
		return connectors.MapValue{{Key: "a", Value: int64(1)}}, true
	case "envelope read with schemas.enable=false (stays a map)":
		return connectors.MapValue{{Key: "schema", Value: connectors.MapValue{{Key: "optional", Value: false},
			{Key: "type", Value: "string"}}}, {Key: "payload", Value: "foo"}}, true
	case "envelope schema null":
		return connectors.MapValue{{Key: "a", Value: []any{int64(1), int64(2)}}, {Key: "b", Value: int64(1)}}, true
	case `header text "{\"a\":[1,2],\"b\":{\"c\":true}}"`:
		return connectors.MapValue{{Key: "a", Value: []any{int8(1), int8(2)}}, {Key: "b", Value: connectors.MapValue{{Key: "c", Value: true}}}}, true
	case `header text "[1,\"a\"]"`:
		return []any{int8(1), "a"}, true
	case `header text "[null]"`:
		return []any{nil}, true
	case "nested struct", "nested Struct":
		st := connectors.NewStruct(schema)
		inner := connectors.NewStruct(schema.Field("inner").Schema)
		mustPut(t, inner, "x", 1.5)
		mustPut(t, inner, "tags", []any{"t1", "t2"})
		mustPut(t, st, "id", int64(9))
		mustPut(t, st, "inner", inner)
		mustPut(t, st, "attrs", connectors.MapValue{{Key: "k1", Value: "v1"}, {Key: "k2", Value: "v2"}})
		mustPut(t, st, "when", time.UnixMilli(1700000000123).UTC())
		return st, true
	}
	return nil, false
}

func mustPut(t *testing.T, s *connectors.StructValue, name string, v any) {
	t.Helper()
	if err := s.Put(name, v); err != nil {
		t.Fatal(err)
	}
}
