package converters

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// describeSchema and describeValue print a parse result compactly, with the Java types visible
// (b = Byte, s = Short, i = Integer, l = Long, f = Float, d = Double, z = Boolean, S = String as UTF-8
// hex, D = BigDecimal unscaled e scale, T = java.util.Date in milliseconds).
func describeSchema(s *connectors.Schema) string {
	if s == nil {
		return "null"
	}
	b := s.Type.String()
	if s.Name != "" {
		b += ":" + s.Name[strings.LastIndex(s.Name, ".")+1:]
	}
	if s.Parameters != nil {
		var ps []string
		for _, p := range s.Parameters {
			ps = append(ps, p.Key+"="+p.Value)
		}
		b += "{" + strings.Join(ps, ", ") + "}"
	}
	if s.Optional {
		b += "?"
	}
	switch s.Type {
	case connectors.Array:
		b += "<" + describeSchema(s.ValueSchema) + ">"
	case connectors.Map:
		b += "<" + describeSchema(s.KeySchema) + "," + describeSchema(s.ValueSchema) + ">"
	}
	return b
}

func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case int8:
		return fmt.Sprintf("b%d", x)
	case int16:
		return fmt.Sprintf("s%d", x)
	case int32:
		return fmt.Sprintf("i%d", x)
	case int64:
		return fmt.Sprintf("l%d", x)
	case float32:
		return "f" + connectors.FormatFloat32(x)
	case float64:
		return "d" + connectors.FormatFloat64(x)
	case bool:
		return fmt.Sprintf("z%v", x)
	case string:
		return "S" + hex.EncodeToString(appendUTF8(nil, x))
	case connectors.Decimal:
		return fmt.Sprintf("D%se%d", x.Unscaled, x.Scale)
	case time.Time:
		return fmt.Sprintf("T%d", x.UnixMilli())
	case []byte:
		return "B" + hex.EncodeToString(x)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, describeValue(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case connectors.MapValue:
		var parts []string
		for _, e := range x {
			parts = append(parts, describeValue(e.Key)+"="+describeValue(e.Value))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprintf("?%T", v)
}

// TestSimpleHeaderConverterInference checks header texts beyond the fixtures; every expectation was
// produced by Apache 3.6.0's Values.parseString and convertToString (JVM in UTC).
func TestSimpleHeaderConverterInference(t *testing.T) {
	cases := []struct {
		text, want string
	}{
		{" , ", "STRING S202c20 R202c20"},
		{`[1,"a",2]`, "STRING S5b312c2261222c325d R5b312c2261222c325d"},
		{"[1,2024-01-01]", "ARRAY<INT32:Date> [T86400000,T1704067200000] R5b313937302d30312d30322c323032342d30312d30315d"},
		{`{1:"a", 1.0:"b"}`, "MAP<INT8,STRING> {b1=S62} R7b313a2262227d"},
		{`[" "]`, "ARRAY<STRING> [S] R5b22225d"},
		{"[1,]", "ARRAY<INT8> [b1] R5b315d"},
		{"[,1]", "STRING S5b2c315d R5b2c315d"},
		{`{"a":null}`, "MAP<STRING,null> {S61=null} R7b2261223a6e756c6c7d"},
		{`{"a":1 "b":2}`, "MAP<STRING,INT8> {S61=b1,S62=b2} R7b2261223a312c2262223a327d"},
		{`[-0.0, 1.5, "", 1e400,]`, "BYTES"},
		{`["null", 1, true]`, "BYTES"},
		{"1e20", "FLOAT32 f1.0E20 R312e30453230"},
		{"1e-400", "FLOAT32 f0.0 R302e30"},
		{"-1e-400", "FLOAT32 f-0.0 R2d302e30"},
		{"+.5", "FLOAT32 f0.5 R302e35"},
		{"1.", "INT8 b1 R31"},
		{"01:02:03.004Z,junk", "INT32:Time T3723004 R30313a30323a30332e3030345a"},
		{"2024-01-0x", "INT32:Date T1703980800000 R323032332d31322d3331"},
		{"1582-10-10", "INT32:Date T-12218860800000 R30303a30303a30302e3030305a"},
		{"0000-01-01", "INT32:Date T-62167392000000 R30303a30303a30302e3030305a"},
		{`"2024-01-01"`, "STRING S22323032342d30312d303122 R22323032342d30312d303122"},
		{`["2024-01-01"]`, "ARRAY<INT32:Date> [T1704067200000] R5b323032342d30312d30315d"},
		{"[true, 1]", "ARRAY<null> [ztrue,b1] R5b747275652c315d"},
		{"[1, 300, 70000, 5000000000, 1.5, 3.4028236E38]", "ARRAY<FLOAT64> [d1.0,d300.0,d70000.0,d5.0E9,d1.5,d3.4028236E38] R5b312e302c3330302e302c37303030302e302c352e3045392c312e352c332e343032383233364533385d"},
		{`{"k":[1,"x"]}`, "MAP<STRING,ARRAY<null>> {S6b=[b1,S78]} R7b226b223a5b312c2278225d7d"},
		{`a\,b`, "STRING S615c2c62 R615c2c62"},
		{"[[[[[[1]]]]]]", "ARRAY<ARRAY<ARRAY<ARRAY<ARRAY<ARRAY<INT8>>>>>> [[[[[[b1]]]]]] R5b5b5b5b5b5b315d5d5d5d5d5d"},
		{`{"a":{"b":[1,2.5]}}`, "MAP<STRING,MAP<STRING,ARRAY<FLOAT32>>> {S61={S62=[f1.0,f2.5]}} R7b2261223a7b2262223a5b312e302c322e355d7d7d"},
		{" true ", "BOOLEAN ztrue R74727565"},
		{"null", "NULL"},
		{"[null, null]", "ARRAY<null> [null,null] R5b6e756c6c2c6e756c6c5d"},
		{"{}", "MAP<null,null> {} R7b7d"},
		{`["a\"b"]`, "ARRAY<STRING> [S615c2262] R5b22615c5c5c2262225d"},
		{"[2024-01-01T00:00:00.000Z, 01:02:03.004Z]", "ARRAY<INT64:Timestamp> [T1704067200000,T3723004] R5b323032342d30312d30312c30313a30323a30332e3030345a5d"},
		{`{"x":1,"x":2}`, "MAP<STRING,INT8> {S78=b2} R7b2278223a327d"},
		{"2024-13-45", "INT32:Date T1739491200000 R323032352d30322d3134"},
		{"24:00:00.000Z", "INT32:Time T86400000 R313937302d30312d3032"},
		{"9223372036854775808", "BYTES:Decimal{scale=0} D9223372036854775808e0 R39323233333732303336383534373735383038"},
		{"-9223372036854775808", "INT64 l-9223372036854775808 R2d39323233333732303336383534373735383038"},
		{"32768", "INT32 i32768 R3332373638"},
		{"3.4028235E38", "FLOAT32 f3.4028235E38 R332e34303238323335453338"},
		{"1e39", "FLOAT64 d1.0E39 R312e30453339"},
		{"[é]", "STRING S5bc3a95d R5bc3a95d"},
		{`["é😀"]`, "ARRAY<STRING> [Sc3a9f09f9880] R5b22c3a9f09f9880225d"},
		{strings.Repeat("[", 2000) + strings.Repeat("]", 2000), "BYTES"},
	}
	var c SimpleHeaderConverter
	for _, tc := range cases {
		s, v, err := c.ToHeader("t", "k", []byte(tc.text))
		if err != nil {
			t.Fatalf("%q: %v", tc.text, err)
		}
		var got string
		switch {
		case s == nil && v == nil:
			got = "NULL"
		case s == connectors.BytesSchema:
			got = "BYTES"
			if string(v.([]byte)) != tc.text {
				t.Errorf("%q: bytes fallback returned %q", tc.text, v)
			}
		default:
			got = describeSchema(s) + " " + describeValue(v)
			out, err := c.FromHeader("t", "k", s, v)
			if err != nil {
				t.Fatalf("%q: %v", tc.text, err)
			}
			got += " R" + hex.EncodeToString(out)
		}
		if got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.text, got, tc.want)
		}
	}
}

func TestSimpleHeaderConverterText(t *testing.T) {
	st := &connectors.Schema{Type: connectors.Struct, Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int32Schema},
		{Name: "n", Index: 1, Schema: &connectors.Schema{Type: connectors.String, Optional: true, Default: "dflt"}},
		{Name: "o", Index: 2, Schema: connectors.OptionalStringSchema},
	}}
	sv := connectors.NewStruct(st)
	mustPut(t, sv, "id", int32(1))
	cases := []struct {
		v    any
		want string
	}{
		{"plain text", "plain text"},
		{int64(42), "42"},
		{float32(0.1), "0.1"},
		{1e7, "1.0E7"},
		{true, "true"},
		{[]byte{1, 2, 3}, "AQID"},
		{[]any{"a", `b"c`, `d\e`}, `["a","b\"c","d\\e"]`},
		{[]any{1.5, 2.0, nil, []byte{1}}, `[1.5,2.0,null,"AQ=="]`},
		{connectors.MapValue{{Key: "k", Value: []any{"x"}}, {Key: int32(5), Value: nil}}, `{"k":["x"],5:null}`},
		{map[string]any{"b": int64(1), "a": "x"}, `{"a":"x","b":1}`},
		{sv, `{"id":1,"n":"dflt","o":null}`},
		{connectors.Decimal{Unscaled: big.NewInt(12345), Scale: 2}, "123.45"},
		{time.UnixMilli(1704067200000), "2024-01-01"},
		{time.UnixMilli(3723004), "01:02:03.004Z"},
		{time.UnixMilli(-1), "23:59:59.999Z"},
		{time.UnixMilli(1700000000123), "2023-11-14T22:13:20.123Z"},
		{time.UnixMilli(253402300800001), "10000-01-01T00:00:00.001Z"},
		{"x\xed\xa0\x80y", "x?y"}, // a lone surrogate, which Java's UTF-8 encoder replaces
	}
	for _, c := range cases {
		got, err := SimpleHeaderConverter{}.FromHeader("t", "k", nil, c.v)
		if err != nil {
			t.Fatalf("%#v: %v", c.v, err)
		}
		if string(got) != c.want {
			t.Errorf("%#v: %q, want %q", c.v, got, c.want)
		}
	}
	if got, err := (SimpleHeaderConverter{}).FromHeader("t", "k", nil, nil); got != nil || err != nil {
		t.Errorf("null header: %q, %v", got, err)
	}
	if s, v, err := (SimpleHeaderConverter{}).ToHeader("t", "k", nil); s != nil || v != nil || err != nil {
		t.Errorf("null bytes: %v %v %v", s, v, err)
	}
}
