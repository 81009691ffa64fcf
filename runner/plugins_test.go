package runner_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner"
)

// TestPluginsOrder: plugins are listed in Apache's order (fixtures 004 and 005): by type, then by class.
// The fixtures list plugins this project lacks (MirrorMaker), and this project has BooleanConverter
// (Apache 3.7), so the lists are compared on the plugins both have; every transformation and predicate of
// Apache's list is one of them.
func TestPluginsOrder(t *testing.T) {
	h := newHarness(t, nil)
	type entry struct{ Class, Type string }
	fixture := func(file string) []entry {
		var body []entry
		if err := json.Unmarshal(loadExchange(t, file).Body, &body); err != nil {
			t.Fatal(err)
		}
		return body
	}
	ours := func(ps []connectors.Plugin) []entry {
		var out []entry
		for _, p := range ps {
			out = append(out, entry{p.Class, string(p.Type)})
		}
		return out
	}
	common := func(a, b []entry) []entry {
		return slices.DeleteFunc(slices.Clone(a), func(e entry) bool { return !slices.Contains(b, e) })
	}
	for _, c := range []struct {
		file  string
		types []connectors.PluginType
	}{
		{"004-plugins.json", []connectors.PluginType{connectors.SourceType, connectors.SinkType}},
		{"005-plugins-connectorsOnly-false.json", nil},
	} {
		got, want := ours(h.herder.Plugins(c.types...)), fixture(c.file)
		if g, w := common(got, want), common(want, got); !reflect.DeepEqual(g, w) || len(g) < 2 {
			t.Errorf("%s: plugins in common, ours:\n%v\nApache's:\n%v", c.file, g, w)
		}
		for i := 1; i < len(got); i++ {
			if got[i-1].Type == got[i].Type && got[i-1].Class > got[i].Class {
				t.Errorf("%s: %s listed before %s", c.file, got[i-1].Class, got[i].Class)
			}
		}
	}
	all := ours(h.herder.Plugins())
	var types []string
	for _, e := range all {
		if len(types) == 0 || types[len(types)-1] != e.Type {
			types = append(types, e.Type)
		}
	}
	if want := []string{"sink", "source", "transformation", "predicate", "converter", "header_converter"}; !slices.Equal(types, want) {
		t.Fatalf("type order %v, want %v", types, want)
	}
	for _, e := range fixture("005-plugins-connectorsOnly-false.json") {
		if (e.Type == "transformation" || e.Type == "predicate") && !slices.Contains(all, e) {
			t.Errorf("Apache's %s %s is not listed", e.Type, e.Class)
		}
	}
	if n := len(h.herder.Plugins(connectors.ConverterType)); n == 0 || n >= len(all) {
		t.Fatalf("Plugins(converter) lists %d plugins", n)
	}
}

// TestPluginConfig compares the keys of the file connectors, by alias and by class, with Apache's answers
// field by field (fixtures 006–008), and checks the unknown-plugin text (009).
func TestPluginConfig(t *testing.T) {
	h := newHarness(t, nil)
	for _, c := range []struct{ plugin, file string }{
		{"FileStreamSource", "006-plugin-config-FileStreamSource.json"},
		{"FileStreamSink", "007-plugin-config-FileStreamSink.json"},
		{"org.apache.kafka.connect.file.FileStreamSourceConnector", "008-plugin-config-fqcn-source.json"},
	} {
		got, err := h.herder.PluginConfig(c.plugin)
		if err != nil {
			t.Fatal(err)
		}
		var want []map[string]any
		if err := json.Unmarshal(loadExchange(t, c.file).Body, &want); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d keys, want %d", c.plugin, len(got), len(want))
		}
		for i := range min(len(got), len(want)) {
			b, _ := json.Marshal(got[i])
			var g map[string]any
			_ = json.Unmarshal(b, &g)
			for field, w := range want[i] {
				if !reflect.DeepEqual(g[field], w) {
					t.Errorf("%s key %d (%v) field %s = %#v, want %#v", c.plugin, i, want[i]["name"], field, g[field], w)
				}
			}
			if len(g) != len(want[i]) {
				t.Errorf("%s key %d has fields %v, want %v", c.plugin, i, g, want[i])
			}
		}
	}

	_, err := h.herder.PluginConfig("NoSuchConnector")
	wantErr(t, err, runner.KindNotFound, loadExchange(t, "009-plugin-config-unknown.json").message(t))

	// A transformation shows its own keys (fixture 010).
	got, err := h.herder.PluginConfig("org.apache.kafka.connect.transforms.HoistField$Value")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	var g, w any
	_ = json.Unmarshal(b, &g)
	_ = json.Unmarshal(loadExchange(t, "010-plugin-config-transform.json").Body, &w)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("HoistField$Value keys %s, want Apache's %s", b, loadExchange(t, "010-plugin-config-transform.json").Body)
	}

	// A converter shows its own keys.
	keys, err := h.herder.PluginConfig("JsonConverter")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	if !slices.Contains(names, "schemas.enable") || slices.Contains(names, "connector.class") {
		t.Fatalf("JsonConverter keys %v", names)
	}
}

// TestValidate compares validation answers with Apache's (fixtures 011, 012, 013, 019, 190, 192) and the
// request errors with its texts, where Apache's 500 answers become 400 (KindInvalid).
func TestValidate(t *testing.T) {
	h := newHarness(t, nil)
	for _, f := range []string{
		"011-validate-source-valid.json",
		"012-validate-source-invalid.json",
		"013-validate-sink-valid.json",
		"019-validate-source-with-converter.json",
		"190-validate-sink-invalid-values.json",
		"192-validate-alias-path-short.json",
	} {
		ex := loadExchange(t, f)
		var req map[string]string
		if err := json.Unmarshal(ex.RequestBody, &req); err != nil {
			t.Fatal(err)
		}
		got, err := h.herder.Validate(pathPlugin(ex.Path), req)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		compareConfigInfos(t, f, got, ex.Body)
	}

	// Apache 3.6 answers a sink without topics, or with both topics and topics.regex, with a 500 (fixtures
	// 014, 015); here the problem is an error of the topics key.
	for _, c := range []struct{ file, msg string }{
		{"014-validate-sink-invalid.json", "Must configure one of topics or topics.regex"},
		{"015-validate-sink-both-topics-and-regex.json", "topics and topics.regex are mutually exclusive options, but both are set."},
	} {
		ex := loadExchange(t, c.file)
		var req map[string]string
		if err := json.Unmarshal(ex.RequestBody, &req); err != nil {
			t.Fatal(err)
		}
		got, err := h.herder.Validate(pathPlugin(ex.Path), req)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if !strings.HasSuffix(ex.message(t), c.msg) {
			t.Fatalf("%s says %q", c.file, ex.message(t))
		}
		// 014 also has tasks.max=x, with its two errors as in fixture 012's style.
		others := len(valueErrors(got, "tasks.max"))
		if errs := valueErrors(got, "topics"); got.ErrorCount != 1+others || !slices.Equal(errs, []string{c.msg}) {
			t.Errorf("%s: error_count %d, topics errors %q; want %d, [%q]", c.file, got.ErrorCount, errs, 1+others, c.msg)
		}
	}

	mismatch := loadExchange(t, "016-validate-class-mismatch.json")
	_, err := h.herder.Validate(pathPlugin(mismatch.Path), map[string]string{"connector.class": "FileStreamSource", "topic": "t"})
	wantErr(t, err, runner.KindInvalid, mismatch.message(t))
	_, err = h.herder.Validate("FileStreamSource", map[string]string{"topic": "t"}) // fixture 017, with trunk's text
	wantErr(t, err, runner.KindInvalid, "Connector config contains no connector type")
	_, err = h.herder.Validate("", map[string]string{"connector.class": " ", "topic": "t"})
	wantErr(t, err, runner.KindInvalid, "Connector config contains no connector type")
	_, err = h.herder.Validate("NoSuch", map[string]string{"connector.class": "NoSuch", "topic": "t"}) // fixture 018
	if runner.KindOf(err) != runner.KindInvalid || !strings.HasPrefix(err.Error(), "Failed to find any class that implements Connector and which name matches NoSuch, available") ||
		!strings.Contains(err.Error(), "org.apache.kafka.connect.file.FileStreamSinkConnector") {
		t.Fatalf("unknown class: %v (kind %d)", err, runner.KindOf(err))
	}
	if got, err := h.herder.Validate("", map[string]string{"connector.class": "FileStreamSink", "name": "a/b", "topics": "t"}); err != nil ||
		got.ErrorCount != 1 || len(valueErrors(got, "name")) != 1 {
		t.Fatalf("a name with '/': %+v, %v; want one error on name", got, err)
	}
	// Converters named in the configuration must exist, as creating the connector requires.
	got, err := h.herder.Validate("", map[string]string{"connector.class": "FileStreamSource", "name": "v", "topic": "t", "value.converter": "NoSuchConverter"})
	if err != nil || got.ErrorCount != 1 || !slices.Equal(valueErrors(got, "value.converter"),
		[]string{"Invalid value NoSuchConverter for configuration value.converter: Class NoSuchConverter could not be found."}) {
		t.Fatalf("unknown converter: %+v, %v", got, err)
	}
}

// TestValidateAgreesWithCreate: Create rejects a configuration with exactly the errors Validate lists.
func TestValidateAgreesWithCreate(t *testing.T) {
	h := newHarness(t, nil)
	cfg := map[string]string{"connector.class": "FileStreamSource", "name": "v1", "tasks.max": "0", "batch.size": "abc",
		"topic.creation.default.partitions": "0", "transforms": "route"}
	got, err := h.herder.Validate("", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, c := range got.Configs {
		all = append(all, c.Value.Errors...)
	}
	if len(all) != got.ErrorCount || got.ErrorCount < 5 {
		t.Fatalf("error_count %d, errors %q", got.ErrorCount, all)
	}
	_, err = h.herder.Create("v1", cfg, runner.TargetRunning)
	if err == nil {
		t.Fatal("Create accepted an invalid configuration")
	}
	want := fmt.Sprintf("Connector configuration is invalid and contains the following %d error(s):\n%s\n"+
		"You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
		len(all), strings.Join(all, "\n"))
	wantErr(t, err, runner.KindInvalid, want)
}

// pathPlugin is the {plugin} of a /connector-plugins/{plugin}/config/validate path.
func pathPlugin(path string) string {
	p := strings.TrimPrefix(path, "/connector-plugins/")
	return p[:strings.Index(p, "/")]
}

func valueErrors(ci *runner.ConfigInfos, key string) []string {
	for _, c := range ci.Configs {
		if c.Value != nil && c.Value.Name == key {
			return c.Value.Errors
		}
	}
	return nil
}

// compareConfigInfos compares a validation answer with Apache's, entry by entry.
func compareConfigInfos(t *testing.T, what string, got *runner.ConfigInfos, want json.RawMessage) {
	t.Helper()
	var w struct {
		Name       string            `json:"name"`
		ErrorCount int               `json:"error_count"`
		Groups     []string          `json:"groups"`
		Configs    []json.RawMessage `json:"configs"`
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if got.Name != w.Name || got.ErrorCount != w.ErrorCount || !slices.Equal(got.Groups, w.Groups) {
		t.Errorf("%s: name %q, error_count %d, groups %q; want %q, %d, %q", what, got.Name, got.ErrorCount, got.Groups, w.Name, w.ErrorCount, w.Groups)
	}
	if len(got.Configs) != len(w.Configs) {
		t.Errorf("%s: %d configs, want %d", what, len(got.Configs), len(w.Configs))
	}
	for i := range min(len(got.Configs), len(w.Configs)) {
		b, _ := json.Marshal(got.Configs[i])
		var g, wc any
		_ = json.Unmarshal(b, &g)
		_ = json.Unmarshal(w.Configs[i], &wc)
		if !reflect.DeepEqual(g, wc) {
			t.Errorf("%s: config %d\n got %s\nwant %s", what, i, b, w.Configs[i])
		}
	}
	// The whole answer, too, so that no field is left out of the comparison.
	b, _ := json.Marshal(got)
	var g, wa any
	_ = json.Unmarshal(b, &g)
	_ = json.Unmarshal(want, &wa)
	if !reflect.DeepEqual(g, wa) {
		t.Errorf("%s: answers differ", what)
	}
}

// TestValidateHidesResolvedValues: a value that comes from a config provider is validated resolved, but the
// answer shows the reference, never the value it resolved to (Apache 3.6 echoes the resolved value; trunk
// shows the reference, as here).
func TestValidateHidesResolvedValues(t *testing.T) {
	t.Setenv("CS_TEST_SECRET_TOPIC", "secret-topic")
	t.Setenv("CS_TEST_BAD_BATCH", "not-a-number-7f3a")
	h := newHarness(t, map[string]string{
		"config.providers":           "env",
		"config.providers.env.class": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
	})
	got, err := h.herder.Validate("", map[string]string{"connector.class": "FileStreamSource", "name": "v",
		"topic": "${env:CS_TEST_SECRET_TOPIC}", "batch.size": "${env:CS_TEST_BAD_BATCH}"})
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]*string{}
	for _, c := range got.Configs {
		values[c.Value.Name] = c.Value.Value
	}
	if v := values["topic"]; v == nil || *v != "${env:CS_TEST_SECRET_TOPIC}" {
		t.Fatalf("topic shown as %v, want the reference", v)
	}
	if got.ErrorCount != 1 || !slices.Equal(valueErrors(got, "batch.size"),
		[]string{"Invalid value for configuration 'batch.size': the value resolved from the config provider reference failed validation"}) {
		t.Fatalf("error_count %d, batch.size errors %q", got.ErrorCount, valueErrors(got, "batch.size"))
	}
	b, _ := json.Marshal(got)
	if strings.Contains(string(b), "secret-topic") || strings.Contains(string(b), "not-a-number-7f3a") {
		t.Fatalf("the answer reveals a resolved value: %s", b)
	}
}
