package converters

import "github.com/connect-standalone/connect-standalone/connectors"

// Plugins lists the converters and header converters, as Apache 3.6 registers them: every record converter
// is also a header converter, and SimpleHeaderConverter is only a header converter. New returns a
// Converter for type converter and a HeaderConverter for type header_converter, freshly made with
// Apache's defaults. BooleanConverter, added in Apache 3.7, is listed last.
func Plugins() []connectors.Plugin {
	record := []struct {
		class string
		new   func() Converter
	}{
		{"org.apache.kafka.connect.converters.ByteArrayConverter", func() Converter { return ByteArrayConverter{} }},
		{"org.apache.kafka.connect.converters.DoubleConverter", func() Converter { return NewDoubleConverter() }},
		{"org.apache.kafka.connect.converters.FloatConverter", func() Converter { return NewFloatConverter() }},
		{"org.apache.kafka.connect.converters.IntegerConverter", func() Converter { return NewIntegerConverter() }},
		{"org.apache.kafka.connect.converters.LongConverter", func() Converter { return NewLongConverter() }},
		{"org.apache.kafka.connect.converters.ShortConverter", func() Converter { return NewShortConverter() }},
		{"org.apache.kafka.connect.json.JsonConverter", func() Converter { return NewJSONConverter() }},
		{"org.apache.kafka.connect.storage.StringConverter", func() Converter { return NewStringConverter() }},
		{"org.apache.kafka.connect.converters.BooleanConverter", func() Converter { return BooleanConverter{} }},
	}
	var out []connectors.Plugin
	for _, r := range record {
		out = append(out, connectors.Plugin{Class: r.class, Type: connectors.ConverterType, Version: Version,
			New: func() any { return r.new() }})
	}
	for _, r := range record {
		if r.class == "org.apache.kafka.connect.converters.BooleanConverter" {
			continue
		}
		out = append(out, connectors.Plugin{Class: r.class, Type: connectors.HeaderConverterType, Version: Version,
			New: func() any { return HeaderConverterFor(r.new()) }})
	}
	out = append(out,
		connectors.Plugin{Class: "org.apache.kafka.connect.storage.SimpleHeaderConverter",
			Type: connectors.HeaderConverterType, Version: Version, New: func() any { return SimpleHeaderConverter{} }},
		connectors.Plugin{Class: "org.apache.kafka.connect.converters.BooleanConverter",
			Type: connectors.HeaderConverterType, Version: Version,
			New: func() any { return HeaderConverterFor(BooleanConverter{}) }},
	)
	return out
}
