package converters

import (
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// A 100-byte line of text, the commonest record (FileStreamSource with a string schema).
var benchLine = strings.Repeat("0123456789", 9) + "abcdefghi\t"

var benchStructSchema = &connectors.Schema{Type: connectors.Struct, Name: "com.example.User", Fields: []connectors.Field{
	{Name: "id", Index: 0, Schema: connectors.Int32Schema},
	{Name: "name", Index: 1, Schema: connectors.OptionalStringSchema},
	{Name: "score", Index: 2, Schema: connectors.Float64Schema},
}}

func benchStruct(b *testing.B) *connectors.StructValue {
	s := connectors.NewStruct(benchStructSchema)
	for k, v := range map[string]any{"id": int32(7), "name": "ann", "score": 1.5} {
		if err := s.Put(k, v); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func benchFrom(b *testing.B, c Converter, schema *connectors.Schema, value any) {
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, err := c.FromConnect("topic", schema, value)
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.SetBytes(int64(n))
}

func benchTo(b *testing.B, c Converter, data []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := c.ToConnect("topic", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStringConverterFrom(b *testing.B) {
	benchFrom(b, NewStringConverter(), connectors.StringSchema, benchLine)
}

func BenchmarkStringConverterTo(b *testing.B) {
	benchTo(b, NewStringConverter(), []byte(benchLine))
}

func BenchmarkJSONFromStringEnvelope(b *testing.B) {
	benchFrom(b, NewJSONConverter(), connectors.StringSchema, benchLine)
}

func BenchmarkJSONFromStringPlain(b *testing.B) {
	c := NewJSONConverter()
	c.Configure(map[string]string{"schemas.enable": "false"}, false)
	benchFrom(b, c, connectors.StringSchema, benchLine)
}

func BenchmarkJSONFromStructEnvelope(b *testing.B) {
	benchFrom(b, NewJSONConverter(), benchStructSchema, benchStruct(b))
}

func BenchmarkJSONFromStructPlain(b *testing.B) {
	c := NewJSONConverter()
	c.Configure(map[string]string{"schemas.enable": "false"}, false)
	benchFrom(b, c, benchStructSchema, benchStruct(b))
}

func BenchmarkJSONToStringEnvelope(b *testing.B) {
	c := NewJSONConverter()
	data, _ := c.FromConnect("topic", connectors.StringSchema, benchLine)
	benchTo(b, c, data)
}

func BenchmarkJSONToStructEnvelope(b *testing.B) {
	c := NewJSONConverter()
	data, _ := c.FromConnect("topic", benchStructSchema, benchStruct(b))
	benchTo(b, c, data)
}

func BenchmarkJSONToStructPlain(b *testing.B) {
	c := NewJSONConverter()
	c.Configure(map[string]string{"schemas.enable": "false"}, false)
	data, _ := c.FromConnect("topic", benchStructSchema, benchStruct(b))
	benchTo(b, c, data)
}
