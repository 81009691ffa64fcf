package converters

import (
	"bytes"
	"encoding/hex"
	"math"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// Expected bytes in these tests were produced by OpenJDK 17 (String.getBytes and new String) and Kafka's
// serializers.

func TestStringConverterEncodings(t *testing.T) {
	cases := []struct {
		cfg   map[string]string
		isKey bool
		value string
		want  string // hex
	}{
		{nil, false, "héllo € 😀", "68c3a96c6c6f20e282ac20f09f9880"},
		{nil, false, "x\xed\xa0\x80y", "783f79"}, // lone surrogate
		{nil, false, "", ""},
		{map[string]string{"converter.encoding": "UTF-16"}, false, "A", "feff0041"},
		{map[string]string{"converter.encoding": "UTF-16"}, false, "", ""},
		{map[string]string{"converter.encoding": "utf-16"}, false, "x\xed\xa0\x80y", "feff0078fffd0079"},
		{map[string]string{"converter.encoding": "UTF-16LE"}, false, "h😀", "68003dd800de"},
		{map[string]string{"converter.encoding": "latin1"}, false, "héllo € 😀", "68e96c6c6f203f203f"},
		{map[string]string{"converter.encoding": "US-ASCII"}, false, "héllo", "683f6c6c6f"},
		// key.serializer.encoding / value.serializer.encoding win over converter.encoding.
		{map[string]string{"converter.encoding": "UTF-16", "value.serializer.encoding": "ISO-8859-1"}, false, "é", "e9"},
		{map[string]string{"converter.encoding": "UTF-16", "value.serializer.encoding": "ISO-8859-1"}, true, "é", "feff00e9"},
		{map[string]string{"key.serializer.encoding": "UTF-16BE"}, true, "é", "00e9"},
		// serializer.encoding alone is overridden by converter.encoding, as in Apache.
		{map[string]string{"serializer.encoding": "UTF-16"}, false, "é", "c3a9"},
	}
	for _, c := range cases {
		conv := NewStringConverter()
		if err := conv.Configure(c.cfg, c.isKey); err != nil {
			t.Fatalf("%v: %v", c.cfg, err)
		}
		got, err := conv.FromConnect("t", nil, c.value)
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(got) != c.want {
			t.Errorf("%v key=%v %q: %x, want %s", c.cfg, c.isKey, c.value, got, c.want)
		}
	}
}

func TestStringConverterDecoding(t *testing.T) {
	cases := []struct {
		cfg  map[string]string
		in   string // hex
		want string
	}{
		{nil, "ff41", "\uFFFDA"},
		{nil, "e28241", "\uFFFDA"},
		{nil, "eda080", "\uFFFD"},
		{nil, "e080af", "\uFFFD\uFFFD\uFFFD"},
		{nil, "f09f98", "\uFFFD"},
		{nil, "", ""},
		{map[string]string{"converter.encoding": "UTF-16"}, "fffe4100", "A"},
		{map[string]string{"converter.encoding": "UTF-16"}, "d83d0041", "\uFFFD"},
		{map[string]string{"converter.encoding": "ISO-8859-1"}, "e9ff", "éÿ"},
		{map[string]string{"converter.encoding": "US-ASCII"}, "41e9", "A\uFFFD"},
		{map[string]string{"converter.encoding": "UTF-16", "value.deserializer.encoding": "UTF-8"}, "c3a9", "é"},
	}
	for _, c := range cases {
		conv := NewStringConverter()
		if err := conv.Configure(c.cfg, false); err != nil {
			t.Fatal(err)
		}
		in, _ := hex.DecodeString(c.in)
		if in == nil {
			in = []byte{}
		}
		s, v, err := conv.ToConnect("t", in)
		if err != nil {
			t.Fatal(err)
		}
		if s != connectors.OptionalStringSchema || v != c.want {
			t.Errorf("%v %s: %v %q, want %q", c.cfg, c.in, s, v, c.want)
		}
	}
	if s, v, _ := NewStringConverter().ToConnect("t", nil); s != connectors.OptionalStringSchema || v != nil {
		t.Errorf("null: %v %v", s, v)
	}
	err := NewStringConverter().Configure(map[string]string{"converter.encoding": "EBCDIC-XYZ"}, false)
	if err == nil || err.Error() != "Invalid value EBCDIC-XYZ for configuration value.serializer.encoding: unsupported encoding EBCDIC-XYZ (supported: UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1, US-ASCII)" {
		t.Errorf("unknown charset: %v", err)
	}
}

func TestNumberConverters(t *testing.T) {
	cases := []struct {
		conv  *NumberConverter
		value any
		hex   string
	}{
		{NewShortConverter(), int16(258), "0102"},
		{NewIntegerConverter(), int32(-2), "fffffffe"},
		{NewLongConverter(), int64(1234567890123), "0000011f71fb04cb"},
		{NewFloatConverter(), math.Float32frombits(0x7fc00001), "7fc00001"},
		{NewDoubleConverter(), math.Float64frombits(0x7ff8000000000001), "7ff8000000000000"},
		{NewDoubleConverter(), math.Copysign(0, -1), "8000000000000000"},
	}
	for _, c := range cases {
		out, err := c.conv.FromConnect("t", nil, c.value)
		if err != nil || hex.EncodeToString(out) != c.hex {
			t.Errorf("%T %v: %x %v, want %s", c.value, c.value, out, err, c.hex)
		}
		s, v, err := c.conv.ToConnect("t", out)
		if err != nil || !s.Optional {
			t.Errorf("read back %x: %v %v", out, s, err)
		}
		again, err := c.conv.FromConnect("t", s, v)
		if err != nil || !bytes.Equal(again, out) {
			t.Errorf("round trip of %x gave %x (%v)", out, again, err)
		}
	}
	_, _, err := NewShortConverter().ToConnect("t", []byte{1})
	if dataMessage(err) != "Failed to deserialize short: " || err.Error() != "Failed to deserialize short: Size of data received by ShortDeserializer is not 2" {
		t.Errorf("short size: %v", err)
	}
	_, _, err = NewDoubleConverter().ToConnect("t", []byte{1})
	if err == nil || err.Error() != "Failed to deserialize double: Size of data received by Deserializer is not 8" {
		t.Errorf("double size: %v", err)
	}
	_, err = NewShortConverter().FromConnect("t", nil, "x")
	if err == nil || err.Error() != "Failed to serialize to short (was class java.lang.String): class java.lang.String cannot be cast to class java.lang.Short (java.lang.String and java.lang.Short are in module java.base of loader 'bootstrap')" {
		t.Errorf("short from string: %v", err)
	}
	if out, err := NewLongConverter().FromConnect("t", connectors.StringSchema, nil); out != nil || err != nil {
		t.Errorf("null: %x %v", out, err)
	}
}

func TestBooleanAndByteArrayConverters(t *testing.T) {
	var b BooleanConverter
	for _, c := range []struct {
		in   []byte
		want any
		err  string
	}{
		{[]byte{1}, true, ""},
		{[]byte{0}, false, ""},
		{nil, nil, ""},
		{[]byte{0xff}, nil, "Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: -1"},
		{[]byte{1, 0}, nil, "Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1"},
	} {
		_, v, err := b.ToConnect("t", c.in)
		if v != c.want || (err == nil) != (c.err == "") || err != nil && err.Error() != c.err {
			t.Errorf("%x: %v %v", c.in, v, err)
		}
	}
	if out, err := b.FromConnect("t", nil, true); err != nil || !bytes.Equal(out, []byte{1}) {
		t.Errorf("true: %x %v", out, err)
	}
	if _, err := b.FromConnect("t", connectors.Int8Schema, true); dataMessage(err) != "Invalid schema type for BooleanConverter: INT8" {
		t.Errorf("schema: %v", err)
	}
	if _, err := b.FromConnect("t", nil, "true"); dataMessage(err) != "BooleanConverter is not compatible with objects of type class java.lang.String" {
		t.Errorf("string: %v", err)
	}

	var ba ByteArrayConverter
	in := []byte{0, 1, 0xff}
	if out, err := ba.FromConnect("t", connectors.OptionalBytesSchema, in); err != nil || &out[0] != &in[0] {
		t.Errorf("bytes are not passed through: %v", err)
	}
	if _, err := ba.FromConnect("t", connectors.StringSchema, "hello"); dataMessage(err) != "Invalid schema type for ByteArrayConverter: STRING" {
		t.Errorf("string schema: %v", err)
	}
	h := HeaderConverterFor(ba)
	if s, v, err := h.ToHeader("t", "k", in); err != nil || s != connectors.OptionalBytesSchema || !bytes.Equal(v.([]byte), in) {
		t.Errorf("as header: %v %v %v", s, v, err)
	}
}

func TestPlugins(t *testing.T) {
	ps := Plugins()
	reg := connectors.NewRegistry(ps...)
	counts := map[connectors.PluginType]int{}
	for _, p := range ps {
		counts[p.Type]++
		if p.Version != connectors.APIVersion {
			t.Errorf("%s version %q", p.Class, p.Version)
		}
		a, b := p.New(), p.New()
		switch p.Type {
		case connectors.ConverterType:
			if _, ok := a.(Converter); !ok {
				t.Errorf("%s New returns %T, not a Converter", p.Class, a)
			}
		case connectors.HeaderConverterType:
			if _, ok := a.(HeaderConverter); !ok {
				t.Errorf("%s New returns %T, not a HeaderConverter", p.Class, a)
			}
		}
		if c, ok := a.(*JSONConverter); ok && c == b.(*JSONConverter) {
			t.Error("New returned the same JsonConverter twice")
		}
	}
	if counts[connectors.ConverterType] != 9 || counts[connectors.HeaderConverterType] != 10 {
		t.Errorf("counts %v, want 9 converters and 10 header converters", counts)
	}
	for _, alias := range []string{"JsonConverter", "Json", "org.apache.kafka.connect.storage.StringConverter", "ByteArray"} {
		if _, ok := reg.Lookup(alias, connectors.ConverterType); !ok {
			t.Errorf("no converter for %q", alias)
		}
	}
	if _, ok := reg.Lookup("SimpleHeaderConverter", connectors.ConverterType); ok {
		t.Error("SimpleHeaderConverter registered as a record converter")
	}
	p, ok := reg.Lookup("SimpleHeaderConverter", connectors.HeaderConverterType)
	if !ok {
		t.Fatal("no SimpleHeaderConverter")
	}
	h := p.New().(HeaderConverter)
	if len(h.Config().Keys()) != 0 {
		t.Error("SimpleHeaderConverter has configuration keys")
	}
	// A JsonConverter header converter keeps the envelope by default.
	p, _ = reg.Lookup("JsonConverter", connectors.HeaderConverterType)
	h = p.New().(HeaderConverter)
	if err := h.Configure(map[string]string{"converter.type": "header"}); err != nil {
		t.Fatal(err)
	}
	out, err := h.FromHeader("t", "k", connectors.Int32Schema, int32(5))
	if err != nil || string(out) != `{"schema":{"type":"int32","optional":false},"payload":5}` {
		t.Errorf("json header: %s %v", out, err)
	}
}
