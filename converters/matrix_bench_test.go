package converters

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// The benchmarks below complete bench_test.go's matrix: every converter of issue 5 (String, JSON with and
// without schemas) in both directions, for a string and for a struct.

func BenchmarkStringConverterFromStruct(b *testing.B) {
	benchFrom(b, NewStringConverter(), benchStructSchema, benchStruct(b))
}

// BenchmarkStringConverterToStruct reads back the text a struct was written as: StringConverter always
// yields a string, so this is the struct case of the sink side.
func BenchmarkStringConverterToStruct(b *testing.B) {
	c := NewStringConverter()
	data, err := c.FromConnect("topic", benchStructSchema, benchStruct(b))
	if err != nil {
		b.Fatal(err)
	}
	benchTo(b, c, data)
}

func BenchmarkJSONToStringPlain(b *testing.B) {
	c := NewJSONConverter()
	if err := c.Configure(map[string]string{"schemas.enable": "false"}, false); err != nil {
		b.Fatal(err)
	}
	data, err := c.FromConnect("topic", connectors.StringSchema, benchLine)
	if err != nil {
		b.Fatal(err)
	}
	benchTo(b, c, data)
}
