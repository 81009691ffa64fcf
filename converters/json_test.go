package converters

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func jsonConverter(t *testing.T, cfg map[string]string) *JSONConverter {
	t.Helper()
	c := NewJSONConverter()
	if err := c.Configure(cfg, false); err != nil {
		t.Fatal(err)
	}
	return c
}

func plainJSON(t *testing.T) *JSONConverter {
	return jsonConverter(t, map[string]string{"schemas.enable": "false"})
}

func dataMessage(err error) string {
	var de *DataError
	if errors.As(err, &de) {
		return de.Message
	}
	if err == nil {
		return ""
	}
	return "not a DataError: " + err.Error()
}

// TestJSONReadCoercions: a payload of the wrong JSON type is not rejected but converted the way Jackson's
// accessors convert it.
func TestJSONReadCoercions(t *testing.T) {
	c := jsonConverter(t, nil)
	cases := []struct {
		in   string
		want string // describeValue of the result
	}{
		{`{"schema":{"type":"int32","optional":false},"payload":1.9}`, "i1"},
		{`{"schema":{"type":"int32","optional":false},"payload":3000000000}`, "i-1294967296"},
		{`{"schema":{"type":"int8","optional":false},"payload":300}`, "b44"},
		{`{"schema":{"type":"int16","optional":false},"payload":-1.5e1}`, "s-15"},
		{`{"schema":{"type":"int64","optional":false},"payload":12345678901234567890}`, "l-6101065172474983726"},
		{`{"schema":{"type":"int64","optional":false},"payload":1e20}`, "l7766279631452241920"},
		{`{"schema":{"type":"int32","optional":false},"payload":"12"}`, "i0"},
		{`{"schema":{"type":"boolean","optional":false},"payload":1}`, "zfalse"},
		{`{"schema":{"type":"float","optional":false},"payload":"NaN"}`, "f0.0"},
		{`{"schema":{"type":"float","optional":false},"payload":0.1}`, "f0.1"},
		{`{"schema":{"type":"double","optional":false},"payload":100}`, "d100.0"},
		{`{"schema":{"type":"double","optional":false},"payload":-0.0}`, "d0.0"},
		{`{"schema":{"type":"double","optional":false},"payload":-1e-400}`, "d-0.0"},
		{`{"schema":{"type":"string","optional":true},"payload":5}`, "null"},
		{`{"schema":{"type":"bytes","optional":true},"payload":5}`, "null"},
		{`{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":{"a":1,"b":2}}`, "[i1,i2]"},
		{`{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":"x"}`, "[]"},
		{`{"schema":{"type":"bytes","optional":false},"payload":" AAH/ QQ=="}`, "B0001ff41"},
		{`{"schema":{"type":"string","optional":false},"payload":"\uD83D\uDE00 \u00e9 \uD800"}`, "Sf09f988020c3a9203f"},
		{`{"payload":"x","schema":{"type":"string","optional":false}}`, "S78"},
		{`{"schema":{"type":"string","optional":"true"},"payload":"x"}`, "S78"},
		{`{"schema":{"type":"int32","optional":false},"payload":007}`, "i7"},
		{`{"schema":{"type":"int32","optional":false},"payload":1} trailing`, "i1"},
		{`{"schema":{"type":"int32","optional":false},"payload":1,"payload":2}`, "i2"},
		{`{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":1.50}`, "D150e2"},
		{`{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":7}`, "D7e0"},
		{`{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":"/w=="}`, "D-1e2"},
		{`{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time"},"payload":86400000}`, "T86400000"},
		{`{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp"},"payload":-1}`, "T-1"},
		{`{"schema":null,"payload":12345678901234567890}`, "l-6101065172474983726"},
		{`{"schema":null,"payload":[1,1.0,"x",true,null]}`, "[l1,d1.0,Sx,ztrue,null]"},
	}
	for _, tc := range cases {
		_, v, err := c.ToConnect("t", []byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := describeValue(v); got != tc.want {
			// describeValue writes strings as hex; "Sx" stands for the plain text x here.
			if got != strings.Replace(tc.want, "Sx", "S78", 1) {
				t.Errorf("%s:\n got %s\nwant %s", tc.in, got, tc.want)
			}
		}
	}
}

func TestJSONReadErrors(t *testing.T) {
	c := jsonConverter(t, nil)
	const envelope = `JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.`
	const parse = "Converting byte[] to Kafka Connect data failed due to serialization error: "
	cases := []struct{ in, want string }{
		{`hello`, parse},
		{`{"a":`, parse},
		{`{"schema":null,"payload":NaN}`, parse},
		{`{"schema":null,"payload":"a` + "\x01" + `"}`, parse},
		{`{"schema":null,"payload":"\q"}`, parse},
		{`{"schema":null,"payload":01.}`, parse},
		{`{"schema":null,"payload":truex}`, parse},
		{"1x", parse},
		{"\xff", parse},
		{``, envelope},
		{`"foo"`, envelope},
		{`{"a":1}`, envelope},
		{`{"schema":null,"payload":1,"x":2}`, envelope},
		{`{"schema":{"optional":false},"payload":1}`, "Schema must contain 'type' field"},
		{`{"schema":{"type":7},"payload":1}`, "Schema must contain 'type' field"},
		{`{"schema":"int32","payload":1}`, "Schema must contain 'type' field"},
		{`{"schema":{"type":"uint8"},"payload":1}`, "Unknown schema type: uint8"},
		{`{"schema":{"type":"array"},"payload":[]}`, "Array schema did not specify the element type"},
		{`{"schema":{"type":"map","values":{"type":"int8"}},"payload":{}}`, "Map schema did not specify the key type"},
		{`{"schema":{"type":"map","keys":null,"values":{"type":"int8"}},"payload":{}}`, "keySchema cannot be null."},
		{`{"schema":{"type":"struct"},"payload":{}}`, `Struct schema's "fields" argument is not an array.`},
		{`{"schema":{"type":"struct","fields":[{"type":"int8"}]},"payload":{}}`, "Struct schema's field name not specified properly"},
		{`{"schema":{"type":"struct","fields":[{"type":"int8","field":"a"},{"type":"int8","field":"a"}]},"payload":{}}`, "Cannot create field because of field name duplication a"},
		{`{"schema":{"type":"string","parameters":{"a":1}},"payload":"x"}`, "Schema parameters must have string values."},
		{`{"schema":{"type":"struct","fields":[{"type":"int8","field":"a"}],"default":{"a":1}},"payload":null}`, "Invalid default value"},
		{`{"schema":{"type":"string","default":5},"payload":null}`, "Invalid default value"},
		{`{"schema":{"type":"string","default":null},"payload":null}`, "Invalid null value for required STRING field"},
		{`{"schema":{"type":"int32","optional":false},"payload":null}`, "Invalid null value for required INT32 field"},
		{`{"schema":{"type":"bytes","optional":false},"payload":"AAH/QQ"}`, "Invalid bytes field"},
		{`{"schema":{"type":"map","keys":{"type":"string"},"values":{"type":"int8"}},"payload":[]}`, "Maps with string fields should be encoded as JSON objects, but found ARRAY"},
		{`{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":{}}`, "Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT"},
		{`{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":[1]}`, "Found invalid map entry instead of array tuple: NUMBER"},
		{`{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":[[1]]}`, "Found invalid map entry, expected length 2 but found :1"},
		{`{"schema":{"type":"struct","fields":[]},"payload":"x"}`, "Structs should be encoded as JSON objects, but found STRING"},
		{`{"schema":{"type":"struct","fields":[{"type":"string","field":"name"}]},"payload":{"name":5}}`, `Invalid value: null used for required field: "name", schema type: STRING`},
		{`{"schema":{"type":"struct","fields":[{"type":"int8","field":"a"}]},"payload":{}}`, "Invalid null value for required INT8 field"},
		{`{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":3000000000}`, "Invalid type for Date, underlying representation should be integer but was NUMBER"},
		{`{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Time"},"payload":"1"}`, "Invalid type for Time, underlying representation should be integer but was STRING"},
		{`{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Time"},"payload":86400001}`, "Time values must use number of milliseconds greater than 0 and less than 86400000"},
		{`{"schema":{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp"},"payload":1.0}`, "Invalid type for Timestamp, underlying representation should be integral but was NUMBER"},
		{`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":true}`, "Invalid type for Decimal, underlying representation should be numeric or bytes but was BOOLEAN"},
		{`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":""}`, "Invalid bytes for Decimal field"},
		{`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal"},"payload":"AA=="}`, "Invalid bytes for Decimal field"},
	}
	for _, tc := range cases {
		_, _, err := c.ToConnect("t", []byte(tc.in))
		if got := dataMessage(err); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestJSONReadSchemalessAndEncodings(t *testing.T) {
	c := plainJSON(t)
	cases := []struct{ in, want string }{
		{"", "null"},
		{"  \n", "null"},
		{"null", "null"},
		{"-0.0", "d0.0"},
		{"1e400", "dInfinity"},
		{"00.5", "d0.5"},
		{"-007", "l-7"},
		{`{"b":1,"a":"x","c":2.5}`, "{S61=S78,S62=l1,S63=d2.5}"},
		{`[1 , [ ] ,{}]`, "[l1,[],{}]"},
		{"\xef\xbb\xbf42", "l42"},
		{"\x00[\x001\x00]", "[l1]"},
		{"\xff\xfe\"\x00\xe9\x00\"\x00", "Sc3a9"},
		{"\x00\x00\x00\x35", "l5"},
		{"\"\xc0\x80\"", "S00"}, // Jackson accepts an overlong NUL
	}
	for _, tc := range cases {
		s, v, err := c.ToConnect("t", []byte(tc.in))
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if s != nil {
			t.Errorf("%q: schema %v, want none", tc.in, s)
		}
		if got := describeValue(v); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	if s, v, err := c.ToConnect("t", nil); s != nil || v != nil || err != nil {
		t.Errorf("tombstone: %v %v %v", s, v, err)
	}
}

func TestJSONReadStructAndCache(t *testing.T) {
	c := jsonConverter(t, nil)
	in := `{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"double","optional":false,"default":1.5,"field":"score"}],"optional":false,"name":"com.example.User","version":2,"doc":"a user"},"payload":{"id":7,"name":"ann","extra":1}}`
	s1, v1, err := c.ToConnect("t", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := connectors.FormatValue(v1); got != "Struct{id=7,name=ann,score=1.5}" {
		t.Errorf("value %s", got)
	}
	s2, _, err := c.ToConnect("t", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if s1 != s2 {
		t.Error("the second read of the same schema did not come from the cache")
	}
	// replace.null.with.default=false: the unset required field is an error.
	c = jsonConverter(t, map[string]string{"replace.null.with.default": "false"})
	if _, _, err := c.ToConnect("t", []byte(in)); dataMessage(err) != "Invalid null value for required FLOAT64 field" {
		t.Errorf("got %v", err)
	}
	opt := `{"schema":{"type":"string","optional":true,"default":"dflt"},"payload":null}`
	if _, v, err := c.ToConnect("t", []byte(opt)); err != nil || v != nil {
		t.Errorf("optional with default, replace off: %v %v", v, err)
	}
}

func TestJSONWriteErrorsAndEdges(t *testing.T) {
	dec := connectors.DecimalSchema(2, false)
	st := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{{Name: "a", Schema: connectors.Int32Schema}}}
	other := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{{Name: "a", Schema: connectors.Int64Schema}}}
	sv := connectors.NewStruct(other)
	mustPut(t, sv, "a", int64(1))
	optKeys := &connectors.Schema{Type: connectors.Map, KeySchema: connectors.OptionalStringSchema, ValueSchema: connectors.Int32Schema}
	cases := []struct {
		schema  *connectors.Schema
		value   any
		want    string
		wantErr string
	}{
		{connectors.StringSchema, int32(1), "", "Invalid type for STRING: class java.lang.Integer"},
		{connectors.BytesSchema, "x", "", "Invalid type for bytes type: class java.lang.String"},
		{&connectors.Schema{Type: connectors.Array, ValueSchema: connectors.Int32Schema}, []any{int64(1)}, "", "Invalid type for INT32: class java.lang.Long"},
		{&connectors.Schema{Type: connectors.Array, ValueSchema: connectors.Int32Schema}, "x", "", "Invalid type for ARRAY: class java.lang.String"},
		{dec, 1.5, "", "Invalid type for Decimal, expected BigDecimal but was class java.lang.Double"},
		{connectors.DateSchema(false), int32(1), "", "Invalid type for Date, expected Date but was class java.lang.Integer"},
		{connectors.TimeSchema(false), time.UnixMilli(86400001), "", "Kafka Connect Time type should not have any date fields set to non-zero values."},
		{connectors.TimeSchema(false), time.UnixMilli(86400000), "86400000", ""},
		{connectors.DateSchema(false), time.UnixMilli(-86400000), "-1", ""},
		{&connectors.Schema{Type: connectors.Bytes, Name: connectors.DecimalName}, connectors.Decimal{Unscaled: big.NewInt(1)}, "", "Invalid Decimal schema: scale parameter not found."},
		{dec, connectors.Decimal{Unscaled: big.NewInt(-129), Scale: 2}, `"/38="`, ""},
		{dec, connectors.Decimal{Unscaled: big.NewInt(128), Scale: 2}, `"AIA="`, ""},
		{nil, connectors.Decimal{Unscaled: big.NewInt(1)}, "", "Java class class java.math.BigDecimal does not have corresponding schema type."},
		{st, sv, "", "Mismatching schema."},
		{optKeys, connectors.MapValue{{Key: nil, Value: int32(1)}, {Key: "b", Value: int32(2)}}, `{"null":1,"b":2}`, ""},
		{nil, map[string]any{}, `{}`, ""},
		{nil, connectors.MapValue{{Key: true, Value: nil}}, `[[true,null]]`, ""},
		{nil, []any{float32(math.Inf(1)), math.NaN(), math.Copysign(0, -1)}, `["Infinity","NaN",-0.0]`, ""},
		{nil, "<&>\u2028\u007f/", "\"<&>\u2028\u007f/\"", ""},
		{nil, "\x01\x1f\"\\\b\f\n\r\t", `"\u0001\u001F\"\\\b\f\n\r\t"`, ""},
		{nil, "bad \xff utf8", "\"bad \uFFFD utf8\"", ""},
		{nil, "lone \xed\xb0\x80 low", `"lone \uDC00 low"`, ""},
	}
	c := plainJSON(t)
	for _, tc := range cases {
		got, err := c.FromConnect("t", tc.schema, tc.value)
		if msg := dataMessage(err); msg != tc.wantErr {
			t.Errorf("%#v: error %q, want %q", tc.value, msg, tc.wantErr)
			continue
		}
		if tc.wantErr == "" && string(got) != tc.want {
			t.Errorf("%#v: %s, want %s", tc.value, got, tc.want)
		}
	}
}

func TestJSONConfig(t *testing.T) {
	cases := []struct {
		cfg  map[string]string
		want string
	}{
		{map[string]string{"schemas.enable": "maybe"}, "Invalid value maybe for configuration schemas.enable: Expected value to be either true or false"},
		{map[string]string{"schemas.cache.size": "big"}, "Invalid value big for configuration schemas.cache.size: Not a number of type INT"},
		{map[string]string{"decimal.format": "TEXT"}, "Invalid value TEXT for configuration decimal.format: String must be one of (case insensitive): NUMERIC, BASE64"},
		{map[string]string{"replace.null.with.default": "1"}, "Invalid value 1 for configuration replace.null.with.default: Expected value to be either true or false"},
		{map[string]string{"schemas.enable": " FALSE ", "decimal.format": "numeric", "schemas.cache.size": " 0 "}, ""},
	}
	for _, tc := range cases {
		err := NewJSONConverter().Configure(tc.cfg, false)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.cfg, got, tc.want)
		}
	}
	c := jsonConverter(t, map[string]string{"schemas.enable": " FALSE ", "decimal.format": "numeric", "schemas.cache.size": "0"})
	out, err := c.FromConnect("t", connectors.DecimalSchema(2, false), connectors.Decimal{Unscaled: big.NewInt(12345), Scale: 2})
	if err != nil || string(out) != "123.45" {
		t.Errorf("numeric decimal without envelope: %s %v", out, err)
	}
	keys := map[string]bool{}
	for _, k := range c.Config().Keys() {
		keys[k.Name] = true
	}
	for _, k := range []string{"converter.type", "schemas.enable", "schemas.cache.size", "decimal.format", "replace.null.with.default"} {
		if !keys[k] {
			t.Errorf("Config lacks %s", k)
		}
	}
}

func TestAppendAndDecodeJSON(t *testing.T) {
	v := map[string]any{"position": int64(18), "file": "/tmp/a é.txt", "nested": []any{true, nil, 1.5}}
	out, err := AppendJSON([]byte("x"), v)
	if err != nil {
		t.Fatal(err)
	}
	// Java's HashMap iterates these keys as file, position, nested.
	const want = `x{"file":"/tmp/a é.txt","position":18,"nested":[true,null,1.5]}`
	if string(out) != want {
		t.Errorf("AppendJSON = %s, want %s", out, want)
	}
	back, err := DecodeJSON(out[1:])
	if err != nil {
		t.Fatal(err)
	}
	if got := connectors.FormatValue(back); got != "{file=/tmp/a é.txt, position=18, nested=[true, null, 1.5]}" {
		t.Errorf("DecodeJSON = %s", got)
	}
	if _, err := AppendJSON(nil, time.Now()); err == nil {
		t.Error("AppendJSON accepted a time without a schema")
	}
	if _, err := DecodeJSON([]byte("{")); err == nil {
		t.Error("DecodeJSON accepted truncated input")
	}
	if got := string(AppendJSONString(nil, "😀\u00e9")); got != `"\uD83D\uDE00é"` {
		t.Errorf("AppendJSONString = %s", got)
	}
}
