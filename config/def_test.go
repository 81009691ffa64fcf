package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseTypes(t *testing.T) {
	for _, tc := range []struct {
		typ  Type
		raw  string
		want any
		err  string // Apache's message for key "k"
	}{
		{String, "  abc \t", "abc", ""},
		{String, "", "", ""},
		{Class, " org.x.Y ", "org.x.Y", ""},
		{Boolean, " TRUE ", true, ""},
		{Boolean, "False", false, ""},
		{Boolean, "yes", nil, "Invalid value yes for configuration k: Expected value to be either true or false"},
		{Int, " 42 ", int32(42), ""},
		{Int, "+7", int32(7), ""},
		{Int, "-2147483648", int32(-2147483648), ""},
		{Int, "2147483648", nil, "Invalid value 2147483648 for configuration k: Not a number of type INT"},
		{Int, " x", nil, "Invalid value  x for configuration k: Not a number of type INT"},
		{Int, "1_000", nil, "Invalid value 1_000 for configuration k: Not a number of type INT"},
		{Int, "0x10", nil, "Invalid value 0x10 for configuration k: Not a number of type INT"},
		{Int, "", nil, "Invalid value  for configuration k: Not a number of type INT"},
		{Short, "32767", int16(32767), ""},
		{Short, "32768", nil, "Invalid value 32768 for configuration k: Not a number of type SHORT"},
		{Long, "9223372036854775807", int64(9223372036854775807), ""},
		{Long, "abc", nil, "Invalid value abc for configuration k: Not a number of type LONG"},
		{Double, "1.5", 1.5, ""},
		{Double, "1d", 1.0, ""},
		{Double, "0x1p3", 8.0, ""},
		{Double, "5.", 5.0, ""},
		{Double, "1e400", "Infinity", ""},
		{Double, "inf", nil, "Invalid value inf for configuration k: Not a number of type DOUBLE"},
		{Double, "0x10", nil, "Invalid value 0x10 for configuration k: Not a number of type DOUBLE"},
		{Double, "+-5", nil, "Invalid value +-5 for configuration k: Not a number of type DOUBLE"},
		{List, "", []string{}, ""},
		{List, "   ", []string{}, ""},
		{List, " a , b,c ", []string{"a", "b", "c"}, ""},
		{List, "a,", []string{"a", ""}, ""},
		{List, "a,,b", []string{"a", "", "b"}, ""},
		{Password, " s3cret ", NewSecret("s3cret"), ""},
	} {
		t.Run(fmt.Sprintf("%s %q", tc.typ, tc.raw), func(t *testing.T) {
			v, msg := parseValue("k", tc.typ, tc.raw)
			if msg != tc.err {
				t.Fatalf("error %q, want %q", msg, tc.err)
			}
			if tc.err != "" {
				return
			}
			if s, ok := tc.want.(string); ok && tc.typ == Double {
				if got := javaString(v); got != s {
					t.Fatalf("value %s, want %s", got, s)
				}
				return
			}
			if !reflect.DeepEqual(v, tc.want) {
				t.Fatalf("value %#v (%T), want %#v (%T)", v, v, tc.want, tc.want)
			}
		})
	}
}

func TestJavaDouble(t *testing.T) {
	tenth, fifth := 0.1, 0.2
	// Double.toString on JDK 17.
	for f, want := range map[float64]string{
		1: "1.0", 0.001: "0.001", 1e7: "1.0E7", 1.5e-5: "1.5E-5", 123456.789: "123456.789",
		9999999: "9999999.0", 0.002: "0.002", -2.5: "-2.5", tenth + fifth: "0.30000000000000004",
	} {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestValidators(t *testing.T) {
	for _, tc := range []struct {
		name  string
		v     Validator
		typ   Type
		raw   *string // nil: the key is absent (default nil, or the validator sees null)
		err   string  // full message, "" when valid
		descr string
	}{
		{"at least ok", AtLeast(1), Int, ptr("1"), "", "[1,...]"},
		{"at least", AtLeast(1), Int, ptr("0"), "Invalid value 0 for configuration k: Value must be at least 1", "[1,...]"},
		{"at least null", AtLeast(1), Int, nil, "Invalid value null for configuration k: Value must be non-null", "[1,...]"},
		{"between high", Between(1, 10), Long, ptr("11"), "Invalid value 11 for configuration k: Value must be no more than 10", "[1,...,10]"},
		{"between float", BetweenFloat(0, 1), Double, ptr("1.5"), "Invalid value 1.5 for configuration k: Value must be no more than 1.0", "[0.0,...,1.0]"},
		{"one of", OneOf("none", "all"), String, ptr("ALL"), "Invalid value ALL for configuration k: String must be one of: none, all", "[none, all]"},
		{"one of null", OneOf("none", "all"), String, nil, "Invalid value null for configuration k: String must be one of: none, all", "[none, all]"},
		{"one of ignore case ok", OneOfIgnoreCase("poll", "interval", "connector"), String, ptr("Interval"), "", "(case insensitive) [INTERVAL, POLL, CONNECTOR]"},
		// The order of the names is a Java HashSet's (checked with JDK 17).
		{"one of ignore case", OneOfIgnoreCase("only_scan", "hybrid_warn", "hybrid_fail", "service_load"), String, ptr("x"),
			"Invalid value x for configuration k: String must be one of (case insensitive): ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL", "(case insensitive) [ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL]"},
		{"log levels", OneOfIgnoreCase("trace", "debug", "info", "warn", "error"), String, ptr("verbose"),
			"Invalid value verbose for configuration k: String must be one of (case insensitive): TRACE, ERROR, INFO, DEBUG, WARN", "(case insensitive) [TRACE, ERROR, INFO, DEBUG, WARN]"},
		{"valid list", ValidList("a", "b"), List, ptr("a, c"), "Invalid value c for configuration k: String must be one of: a, b", "[a, b]"},
		{"non-empty", NonEmptyString(), String, ptr(" "), "Invalid value  for configuration k: String must be non-empty", "non-empty string"},
		{"non-empty null", NonEmptyString(), String, nil, "", "non-empty string"},
		{"no control chars empty", NonEmptyStringWithoutControlChars(), String, ptr(""), "Invalid value  for configuration k: String may not be empty", "non-empty string without ISO control characters"},
		{"no control chars", NonEmptyStringWithoutControlChars(), String, ptr("a\nb\u0085c"), "Invalid value a\nb\u0085c for configuration k: String may not contain control sequences but had the following ASCII chars: 10, 133", "non-empty string without ISO control characters"},
		{"no control chars emoji", NonEmptyStringWithoutControlChars(), String, ptr("é😀"), "", "non-empty string without ISO control characters"},
		{"non null", NonNull(), String, nil, "Invalid value null for configuration k: entry must be non null", "non-null string"},
		{"regex", Regex(), String, ptr("a["), "Invalid value a[ for configuration k: Invalid regex: error parsing regexp: missing closing ]: `[`", "valid regex"},
		{"regex java only", Regex(), String, ptr("a(?=b)"), "Invalid value a(?=b) for configuration k: Invalid regex: lookahead ((?=) is not supported in \"a(?=b)\"", "valid regex"},
		{"all", All(NonNull(), AtLeast(5)), Int, ptr("3"), "Invalid value 3 for configuration k: Value must be at least 5", "non-null string, [5,...]"},
		{"func", Func("even", func(_ string, v any) error {
			if v.(int32)%2 != 0 {
				return errors.New("Value must be even")
			}
			return nil
		}), Int, ptr("3"), "Invalid value 3 for configuration k: Value must be even", "even"},
		{"unique aliases", uniqueAliases("unique transformation aliases"), List, ptr("a,b,a"), "Invalid value [a, b, a] for configuration k: Duplicate alias provided.", "non-null string, unique transformation aliases"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.String(); got != tc.descr {
				t.Errorf("String() = %q, want %q", got, tc.descr)
			}
			d := NewDef(Key{Name: "k", Type: tc.typ, Validator: tc.v})
			props := map[string]string{}
			if tc.raw != nil {
				props["k"] = *tc.raw
			}
			_, err := d.Parse(props)
			got := ""
			if err != nil {
				es := err.(Errors)
				if len(es) != 1 {
					t.Fatalf("%d errors: %v", len(es), es)
				}
				got = es[0].Msg
			}
			if got != tc.err {
				t.Fatalf("error %q, want %q", got, tc.err)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestJavaRegex(t *testing.T) {
	for _, tc := range []struct {
		expr, in string
		match    bool
	}{
		{"t.*", "topic", true},
		{"t.*", "a-topic", false}, // whole-string match, as Matcher.matches()
		{"a|b", "b", true},
		{"a|b", "ab", false},
		{`\Qa.b`, "a.b", true}, // an unterminated \Q does not swallow the anchors
		{`\Qa.b`, "axb", false},
		{"(?i)TOPIC", "topic", true},
	} {
		re, err := JavaRegex(tc.expr)
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		if got := re.MatchString(tc.in); got != tc.match {
			t.Errorf("%q matches %q = %v, want %v", tc.expr, tc.in, got, tc.match)
		}
	}
	for _, expr := range []string{"a(?!b)", "(?<=a)b", `(a)\1`, "a*+", "(?>a)", "[[:alpha:]]", "(?P<x>a)"} {
		if _, err := JavaRegex(expr); err == nil {
			t.Errorf("%q: accepted, want an error", expr)
		}
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	props := map[string]string{"name": "c", "tasks.max": "0", "errors.tolerance": "bogus", "errors.log.enable": "maybe", "errors.retry.timeout": " 5 "}
	vals, err := ConnectorDef("").Parse(props)
	want := `key "connector.class": Missing required configuration "connector.class" which has no default value.` + "\n" +
		`key "tasks.max": Invalid value 0 for configuration tasks.max: Value must be at least 1` + "\n" +
		`key "errors.tolerance": Invalid value bogus for configuration errors.tolerance: String must be one of: none, all` + "\n" +
		`key "errors.log.enable": Invalid value maybe for configuration errors.log.enable: Expected value to be either true or false`
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n%v\nwant:\n%s", err, want)
	}
	var one *Error
	if !errors.As(err, &one) || one.Key != "connector.class" {
		t.Fatalf("errors.As finds %+v", one)
	}
	// Values that parsed are still there.
	if vals.String("name") != "c" || vals.Long("errors.retry.timeout") != 5 || vals.Long("errors.retry.delay.max.ms") != 60000 {
		t.Fatalf("values %v", vals)
	}
}

func TestValidateQuirkNullAfterParseFailure(t *testing.T) {
	// Apache gives the validator the null left by a failed parse: tasks.max=x has two errors.
	rs := ConnectorDef("").Validate(map[string]string{"name": "c", "connector.class": "X", "tasks.max": "x"})
	r := rs[2]
	want := []string{
		"Invalid value x for configuration tasks.max: Not a number of type INT",
		"Invalid value null for configuration tasks.max: Value must be non-null",
	}
	if r.Name != "tasks.max" || r.Value != nil || !slices.Equal(r.Errors, want) {
		t.Fatalf("result %+v", r)
	}
	// A missing required key with a null-accepting validator has only the missing error.
	rs = ConnectorDef("").Validate(map[string]string{})
	if !slices.Equal(rs[0].Errors, []string{`Missing required configuration "name" which has no default value.`}) {
		t.Fatalf("name: %+v", rs[0])
	}
}

func TestValidateRendersValues(t *testing.T) {
	d := NewDef(
		Key{Name: "l", Type: List, Default: "x"},
		Key{Name: "p", Type: Password},
		Key{Name: "d", Type: Double, Default: 2},
		Key{Name: "b", Type: Boolean, Default: true},
	)
	rs := d.Validate(map[string]string{"l": " a , b ", "p": "secret"})
	got := encode(t, rs)
	want := `[{"name":"l","value":"a,b","recommended_values":[],"errors":[],"visible":true},` +
		`{"name":"p","value":"[hidden]","recommended_values":[],"errors":[],"visible":true},` +
		`{"name":"d","value":"2.0","recommended_values":[],"errors":[],"visible":true},` +
		`{"name":"b","value":"true","recommended_values":[],"errors":[],"visible":true}]`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	infos := encode(t, d.Infos())
	if !strings.Contains(infos, `"name":"l","type":"LIST","required":false,"default_value":"x"`) ||
		!strings.Contains(infos, `"name":"p","type":"PASSWORD","required":false,"default_value":null`) ||
		!strings.Contains(infos, `"name":"d","type":"DOUBLE","required":false,"default_value":"2.0"`) {
		t.Fatalf("infos %s", infos)
	}
}

func TestDefaults(t *testing.T) {
	d := NewDef(
		Key{Name: "i", Type: Int, Default: 5},
		Key{Name: "s", Type: Short, Default: "3"},
		Key{Name: "l", Type: Long, Default: int32(7)},
		Key{Name: "list", Type: List, Default: "a, b"},
		Key{Name: "pw", Type: Password, Default: "x"},
		Key{Name: "bad", Type: Int, Default: "five"},
		Key{Name: "wrong", Type: Boolean, Default: 1},
	)
	v, err := d.Parse(nil)
	want := "key \"bad\": Invalid value five for configuration bad: Not a number of type INT\n" +
		"key \"wrong\": Invalid default value 1 of Go type int for a key of type BOOLEAN"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v", err)
	}
	if v.Int("i") != 5 || v.Short("s") != 3 || v.Long("l") != 7 || !slices.Equal(v.List("list"), []string{"a", "b"}) || v.Password("pw").Reveal() != "x" {
		t.Fatalf("values %#v", v)
	}
	// A value given in the file overrides a bad default.
	if _, err := NewDef(Key{Name: "bad", Type: Int, Default: "five"}).Parse(map[string]string{"bad": "4"}); err != nil {
		t.Fatalf("set value: %v", err)
	}
}

func TestDefineTwicePanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "config: configuration a is defined twice" {
			t.Fatalf("recover() = %v", r)
		}
	}()
	NewDef(Key{Name: "a", Type: String}, Key{Name: "a", Type: Int})
}

func TestMergeAndLookup(t *testing.T) {
	a := NewDef(Key{Name: "x", Type: String, Doc: "from a"})
	b := NewDef(Key{Name: "x", Type: Int, Doc: "from b"}, Key{Name: "y", Type: Int, Group: "G"})
	m := a.Merge(b)
	if m.Len() != 2 || a.Len() != 1 {
		t.Fatalf("merge changed its inputs or lost keys: %d %d", m.Len(), a.Len())
	}
	if k, _ := m.Lookup("x"); k.Doc != "from a" {
		t.Fatalf("x = %+v", k)
	}
	if _, ok := m.Lookup("z"); ok {
		t.Fatal("z found")
	}
	if !slices.Equal(m.Groups(), []string{"G"}) {
		t.Fatalf("groups %q", m.Groups())
	}
}

func TestEmbed(t *testing.T) {
	child := NewDef(
		Key{Name: "b", Type: String, Importance: Low, Doc: "b"},
		Key{Name: "a", Type: Int, Default: 1, Validator: AtLeast(1), Importance: Low, Doc: "a"},
		Key{Name: "req", Type: String, Required: true, Importance: Low, Doc: "req"},
		Key{Name: "hi", Type: String, Importance: High, Doc: "hi"},
	)
	d := NewDef(Key{Name: "transforms.t.type", Type: Class, Required: true, Group: "Transforms: t", OrderInGroup: 0})
	d.Embed("transforms.t.", "Transforms: t", child)
	var names []string
	for _, k := range d.Keys()[1:] {
		names = append(names, fmt.Sprintf("%s/%s/%d", k.Name, k.Group, k.OrderInGroup))
	}
	// Apache's documentation order: required first, then importance, then name; numbered after .type.
	want := []string{"transforms.t.req/Transforms: t/1", "transforms.t.hi/Transforms: t/2", "transforms.t.a/Transforms: t/3", "transforms.t.b/Transforms: t/4"}
	if !slices.Equal(names, want) {
		t.Fatalf("embedded %q, want %q", names, want)
	}
	// Embedded validators name the key without its prefix, as in Apache; the type error names it whole.
	rs := d.Validate(map[string]string{"transforms.t.type": "X", "transforms.t.req": "r", "transforms.t.a": "0"})
	if got := rs[3].Errors; !slices.Equal(got, []string{"Invalid value 0 for configuration a: Value must be at least 1"}) {
		t.Fatalf("a: %q", got)
	}
	rs = d.Validate(map[string]string{"transforms.t.a": "z"})
	if got := rs[3].Errors; !slices.Equal(got, []string{"Invalid value z for configuration transforms.t.a: Not a number of type INT", "Invalid value null for configuration a: Value must be non-null"}) {
		t.Fatalf("a: %q", got)
	}
}

func TestUnknown(t *testing.T) {
	props := map[string]string{"bootstrap.servers": "x", "producer.acks": "all", "rest.port": "8083", "internal.key.converter": "x", "consumer.x": "y"}
	got := WorkerDef().Unknown(props, WorkerPrefixes()...)
	if !slices.Equal(got, []string{"internal.key.converter", "rest.port"}) {
		t.Fatalf("unknown %q", got)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret("hunter2")
	b, _ := json.Marshal(map[string]any{"p": s})
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", s, s, s, s), string(b)} {
		if strings.Contains(out, "hunter2") {
			t.Fatalf("secret printed: %s", out)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Fatal("Reveal")
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{File: "worker.properties", Line: 12, Key: "k", Msg: "m"}, `worker.properties:12: key "k": m`},
		{Error{File: "c.json", Line: 3, Column: 7, Msg: "m"}, `c.json:3:7: m`},
		{Error{File: "w", Key: "k", Msg: "m"}, `w: key "k": m`},
		{Error{Key: "k", Msg: "m"}, `key "k": m`},
		{Error{Msg: "m"}, `m`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
	// Locate leaves errors that already name a file, and other errors, alone.
	other := errors.New("plain")
	if Locate(other, "f", nil) != other {
		t.Fatal("plain error changed")
	}
	e := &Error{File: "a", Key: "k", Msg: "m"}
	if got := Locate(e, "b", map[string]int{"k": 2}).Error(); got != `a: key "k": m` {
		t.Fatalf("located %q", got)
	}
	if got := Locate(&Error{Key: "k", Msg: "m"}, "b", map[string]int{"k": 2}).Error(); got != `b:2: key "k": m` {
		t.Fatalf("located %q", got)
	}
}
