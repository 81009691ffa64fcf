package config

import (
	"slices"
	"strings"
	"testing"
)

func TestWorkerDefDefaults(t *testing.T) {
	v, err := WorkerDef().Parse(map[string]string{
		"key.converter":                "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":              " JsonConverter ",
		"offset.storage.file.filename": "/tmp/connect.offsets",
		"bootstrap.servers":            " a:9092 , b:9092 ",
		"offset.flush.interval.ms":     "10000",
		"log.level":                    "DEBUG",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got, want any
	}{
		{v.List("bootstrap.servers"), []string{"a:9092", "b:9092"}},
		{v.String("value.converter"), "JsonConverter"},
		{v.Long("offset.flush.interval.ms"), int64(10000)},
		{v.Long("offset.flush.timeout.ms"), int64(5000)},
		{v.Long("task.shutdown.graceful.timeout.ms"), int64(5000)},
		{v.String("header.converter"), "org.apache.kafka.connect.storage.SimpleHeaderConverter"},
		{v.List("listeners"), []string{"http://127.0.0.1:8083"}},
		{v.IsNull("admin.listeners"), true},
		{v.IsNull("plugin.path"), true},
		{v.List("config.providers"), []string{}},
		{v.String("connector.client.config.override.policy"), "All"},
		{v.Bool("topic.creation.enable"), true},
		{v.String("ssl.client.auth"), "none"},
		{v.List("ssl.enabled.protocols"), []string{"TLSv1.2", "TLSv1.3"}},
		{v.List("embedded.broker.listeners"), []string{}},
		{v.IsNull("embedded.broker.data.dir"), true},
		{v.String("log.level"), "DEBUG"},
		{v.String("log.format"), "console"},
		{v.Int("metrics.num.samples"), 2},
	} {
		if !equalAny(c.got, c.want) {
			t.Errorf("got %#v, want %#v", c.got, c.want)
		}
	}
	k, _ := WorkerDef().Lookup("listeners")
	if !strings.Contains(k.Doc, "Unlike Apache") || k.Info().DefaultValue == nil || *k.Info().DefaultValue != "http://127.0.0.1:8083" {
		t.Fatalf("listeners key: %+v", k.Info())
	}
}

func equalAny(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, ok := b.([]string)
		return ok && slices.Equal(as, bs)
	}
	return a == b
}

func TestWorkerDefErrors(t *testing.T) {
	base := map[string]string{"key.converter": "a", "value.converter": "b", "offset.storage.file.filename": "f"}
	for _, tc := range []struct {
		key, value, want string
	}{
		{"listeners", "", "Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443."},
		{"listeners", "http://:8083, ,http://:8084", "Empty URL found when parsing listeners list."},
		{"listeners", "http://:8083,", "Empty URL found when parsing listeners list."},
		{"admin.listeners", "http://:1,,", "Empty URL found when parsing admin.listeners list."},
		{"plugin.discovery", "fast", "Invalid value fast for configuration plugin.discovery: String must be one of (case insensitive): ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL"},
		{"ssl.client.auth", "maybe", "Invalid value maybe for configuration ssl.client.auth: String must be one of: required, requested, none"},
		{"log.format", "xml", "Invalid value xml for configuration log.format: String must be one of: console, json"},
		{"metrics.num.samples", "0", "Invalid value 0 for configuration metrics.num.samples: Value must be at least 1"},
		{"response.http.headers.config", "set X-Frame-Options", "Invalid format of header name and header value pair 'X-Frame-Options'. Expected: '[header name]:[header value]'"},
		{"response.http.headers.config", "put X-A:b", "Invalid header config action: 'put'. Expected one of [set, add, setDate, addDate]"},
		{"response.http.headers.config", "set X-A:", "Invalid format of header name and header value pair 'X-A:'. Expected: '[header name]:[header value]'"},
		{"response.http.headers.config", "oops", "Invalid format of header config 'oops'. Expected: '[action] [header name]:[header value]'"},
	} {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			props := map[string]string{tc.key: tc.value}
			for k, v := range base {
				props[k] = v
			}
			_, err := WorkerDef().Parse(props)
			es, _ := err.(Errors)
			if len(es) != 1 || es[0].Msg != tc.want || es[0].Key != tc.key {
				t.Fatalf("errors %v, want %q", err, tc.want)
			}
		})
	}
	// Admin listeners may be empty (turned off); good header rules pass.
	props := map[string]string{"admin.listeners": "", "response.http.headers.config": `set X-Frame-Options:DENY,"add Cache-Control: no-cache, no-store",setDate Expires:31540000000`}
	for k, v := range base {
		props[k] = v
	}
	if _, err := WorkerDef().Parse(props); err != nil {
		t.Fatal(err)
	}
	rules, err := ParseHeaderRules(props["response.http.headers.config"])
	if err != nil {
		t.Fatal(err)
	}
	want := []HeaderRule{{"set", "X-Frame-Options", "DENY"}, {"add", "Cache-Control", "no-cache, no-store"}, {"setDate", "Expires", "31540000000"}}
	if !slices.Equal(rules, want) {
		t.Fatalf("rules %+v", rules)
	}
}

func TestValidateSinkDLQ(t *testing.T) {
	for _, tc := range []struct {
		props map[string]string
		want  []string
	}{
		{map[string]string{"topics": " ", "topics.regex": "\t"}, []string{"Must configure one of topics or topics.regex"}},
		{map[string]string{"topics": "a, dlq", "errors.deadletterqueue.topic.name": " dlq "},
			[]string{"The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') consumed by the connector"}},
		{map[string]string{"topics.regex": "d.*", "errors.deadletterqueue.topic.name": "dlq"},
			[]string{"The DLQ topic 'dlq' may not be included in the regex matching the topics ('topics.regex=d.*') consumed by the connector"}},
		{map[string]string{"topics.regex": "d", "errors.deadletterqueue.topic.name": "dlq"}, nil}, // whole-name match only
		{map[string]string{"topics": "a,,a", "errors.deadletterqueue.topic.name": "b"}, nil},
	} {
		got := ValidateSink(tc.props).Messages()
		if !slices.Equal(got, tc.want) {
			t.Errorf("%v: %q, want %q", tc.props, got, tc.want)
		}
	}
}

func TestWithTransforms(t *testing.T) {
	hoist := NewDef(Key{Name: "field", Type: String, Required: true, Importance: Medium, Doc: "Field name."})
	transforms := PluginSet{
		Classes: []string{"org.apache.kafka.connect.transforms.HoistField$Value"},
		Config: func(class string) (*Def, bool) {
			if class == "org.apache.kafka.connect.transforms.HoistField$Value" {
				return hoist, true
			}
			return nil, false
		},
	}
	predicates := PluginSet{Config: func(class string) (*Def, bool) {
		if class == "TopicNameMatches" {
			return NewDef(Key{Name: "pattern", Type: String, Required: true, Validator: Regex(), Importance: Medium}), true
		}
		return nil, false
	}}
	props := map[string]string{
		"name": "c", "connector.class": "X",
		"transforms": "h, bad, h", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value",
		"transforms.bad.type": "Nope", "transforms.bad.negate": "true",
		"predicates": "p", "predicates.p.type": "TopicNameMatches", "predicates.p.pattern": "a[",
	}
	def := WithTransforms(ConnectorDef(""), props, transforms, predicates)
	var names []string
	for _, k := range def.Keys()[ConnectorDef("").Len():] {
		names = append(names, k.Name)
	}
	wantNames := []string{
		"transforms.h.type", "transforms.h.field", "transforms.h.negate", "transforms.h.predicate",
		"transforms.bad.type",
		"predicates.p.type", "predicates.p.pattern",
	}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("keys %q, want %q", names, wantNames)
	}
	k, _ := def.Lookup("transforms.h.type")
	if got := encode(t, k.Info()); got != `{"name":"transforms.h.type","type":"CLASS","required":true,"default_value":null,"importance":"HIGH","documentation":"Class for the 'h' transformation.","group":"Transforms: h","width":"LONG","display_name":"Transformation type for h","dependents":[],"order":0}` {
		t.Fatalf("type key info %s", got)
	}
	errs := map[string][]string{}
	for _, r := range def.Validate(props) {
		if len(r.Errors) > 0 {
			errs[r.Name] = r.Errors
		}
		if r.Name == "transforms.h.type" && !slices.Equal(r.RecommendedValues, transforms.Classes) {
			t.Errorf("recommended %q", r.RecommendedValues)
		}
	}
	want := map[string][]string{
		"transforms":           {"Invalid value [h, bad, h] for configuration transforms: Duplicate alias provided."},
		"transforms.h.field":   {`Missing required configuration "transforms.h.field" which has no default value.`},
		"transforms.bad.type":  {"Config 'transforms.bad.negate' was provided but there is no config 'transforms.bad.predicate' defining a predicate to be negated."},
		"predicates.p.pattern": {"Invalid value a[ for configuration pattern: Invalid regex: error parsing regexp: missing closing ]: `[`"},
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %q", errs)
	}
	for k, w := range want {
		if !slices.Equal(errs[k], w) {
			t.Errorf("%s: %q, want %q", k, errs[k], w)
		}
	}
	props["transforms.bad.predicate"] = "p"
	for _, r := range WithTransforms(ConnectorDef(""), props, transforms, predicates).Validate(props) {
		if r.Name == "transforms.bad.type" && !slices.Equal(r.Errors, []string{"Invalid value Nope for configuration transforms.bad.type: Class Nope could not be found."}) {
			t.Errorf("bad.type: %q", r.Errors)
		}
	}
}

func TestTopicCreationDef(t *testing.T) {
	props := map[string]string{
		"topic.creation.groups":                     "compacted, default",
		"topic.creation.default.replication.factor": "-1",
		"topic.creation.default.partitions":         "3",
		"topic.creation.compacted.include":          "c-.*, d",
		"topic.creation.compacted.cleanup.policy":   "compact",
	}
	d := TopicCreationDef(props)
	v, err := d.Parse(props)
	if err != nil {
		t.Fatal(err)
	}
	if v.Short("topic.creation.compacted.replication.factor") != -1 || v.Int("topic.creation.compacted.partitions") != 3 ||
		!slices.Equal(v.List("topic.creation.compacted.include"), []string{"c-.*", "d"}) ||
		!slices.Equal(v.List("topic.creation.default.include"), []string{".*"}) {
		t.Fatalf("values %v", v)
	}
	_, err = TopicCreationDef(map[string]string{"topic.creation.default.partitions": "0", "topic.creation.groups": "g", "topic.creation.g.exclude": "(?=x)"}).
		Parse(map[string]string{"topic.creation.default.partitions": "0", "topic.creation.groups": "g", "topic.creation.g.exclude": "(?=x)", "topic.creation.g.partitions": "5", "topic.creation.g.replication.factor": "1"})
	want := `key "topic.creation.default.replication.factor": Missing required configuration "topic.creation.default.replication.factor" which has no default value.` + "\n" +
		`key "topic.creation.default.partitions": Invalid value 0 for configuration partitions: Number of partitions must be positive, or -1 to use the broker's default` + "\n" +
		`key "topic.creation.g.exclude": Invalid value [(?=x)] for configuration exclude: Syntax error in regular expression: lookahead ((?=) is not supported in "(?=x)"`
	if err == nil || err.Error() != want {
		t.Fatalf("errors:\n%v\nwant:\n%s", err, want)
	}
}
