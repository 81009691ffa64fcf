package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/connect-standalone/connect-standalone/internal/fixtures"
)

type exchange struct {
	Path        string          `json:"path"`
	RequestBody json.RawMessage `json:"request_body"`
	Status      int             `json:"status"`
	Body        json.RawMessage `json:"body"`
}

func readFixture(t *testing.T, prefix string) exchange {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(fixtures.Dir(t, "rest"), prefix+"-*.json"))
	if len(matches) != 1 {
		t.Fatalf("fixture %s: found %v", prefix, matches)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	var ex exchange
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatalf("%s: %v", matches[0], err)
	}
	return ex
}

// encode renders v as Apache's REST API does: compact, with <, > and & unescaped.
func encode(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// fileStreamSourceDef and fileStreamSinkDef are the connectors' own keys as the fixtures show them, so
// that the validate answers can be compared whole.
func fileStreamSourceDef() *Def {
	return NewDef(
		Key{Name: "file", Type: String, Importance: High, Doc: "Source filename. If not specified, the standard input will be used"},
		Key{Name: "topic", Type: String, Required: true, Importance: High, Doc: "The topic to publish data to"},
		Key{Name: "batch.size", Type: Int, Default: 2000, Importance: Low, Doc: "The maximum number of records the source task can read from the file each time it is polled"},
	)
}

func fileStreamSinkDef() *Def {
	return NewDef(Key{Name: "file", Type: String, Importance: High, Doc: "Destination filename. If not specified, the standard output will be used"})
}

// TestKeyInfoMatchesFixtures compares GET /connector-plugins/{plugin}/config answers byte for byte: the
// connector's own keys first, then the framework keys of ConnectorDef.
func TestKeyInfoMatchesFixtures(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		kind    string
		own     *Def
	}{
		{"006", KindSource, fileStreamSourceDef()},
		{"007", KindSink, fileStreamSinkDef()},
		{"008", KindSource, fileStreamSourceDef()},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			ex := readFixture(t, tc.fixture)
			var want []json.RawMessage
			if err := json.Unmarshal(ex.Body, &want); err != nil {
				t.Fatal(err)
			}
			framework := ConnectorDef(tc.kind)
			got := append(tc.own.Infos(), framework.Infos()...)
			if len(got) != len(want) {
				t.Fatalf("%d keys, fixture has %d", len(got), len(want))
			}
			for i := range want {
				if g, w := encode(t, got[i]), compact(t, want[i]); g != w {
					t.Errorf("key %d:\n got %s\nwant %s", i, g, w)
				}
			}
		})
	}
}

// TestKeyInfoOfTransformKey compares a plugin key without group (fixture 010, HoistField$Value).
func TestKeyInfoOfTransformKey(t *testing.T) {
	ex := readFixture(t, "010")
	def := NewDef(Key{Name: "field", Type: String, Required: true, Importance: Medium,
		Doc: "Field name for the single field that will be created in the resulting Struct or Map."})
	if g, w := encode(t, def.Infos()), compact(t, ex.Body); g != w {
		t.Fatalf("got  %s\nwant %s", g, w)
	}
}

type configInfos struct {
	Name       string   `json:"name"`
	ErrorCount int      `json:"error_count"`
	Groups     []string `json:"groups"`
	Configs    []struct {
		Definition json.RawMessage `json:"definition"`
		Value      json.RawMessage `json:"value"`
	} `json:"configs"`
}

// TestValidateMatchesFixtures compares every entry (definition and value) of Apache's validate answers.
func TestValidateMatchesFixtures(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		kind    string
		own     *Def
	}{
		{"011", KindSource, fileStreamSourceDef()},
		{"012", KindSource, fileStreamSourceDef()},
		{"013", KindSink, fileStreamSinkDef()},
		{"019", KindSource, fileStreamSourceDef()},
		{"190", KindSink, fileStreamSinkDef()},
		{"192", KindSource, fileStreamSourceDef()},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			ex := readFixture(t, tc.fixture)
			var want configInfos
			if err := json.Unmarshal(ex.Body, &want); err != nil {
				t.Fatal(err)
			}
			var props map[string]string
			if err := json.Unmarshal(ex.RequestBody, &props); err != nil {
				t.Fatal(err)
			}
			def := ConnectorDef(tc.kind).Merge(tc.own)
			if tc.kind == KindSink {
				if errs := ValidateSink(props); len(errs) > 0 {
					t.Fatalf("ValidateSink: %v", errs)
				}
			}
			results := def.Validate(props)
			if len(results) != len(want.Configs) {
				t.Fatalf("%d results, fixture has %d", len(results), len(want.Configs))
			}
			count := 0
			for i, r := range results {
				count += len(r.Errors)
				if g, w := encode(t, r), compact(t, want.Configs[i].Value); g != w {
					t.Errorf("value %d:\n got %s\nwant %s", i, g, w)
				}
				if g, w := encode(t, def.keys[i].Info()), compact(t, want.Configs[i].Definition); g != w {
					t.Errorf("definition %d:\n got %s\nwant %s", i, g, w)
				}
			}
			if count != want.ErrorCount {
				t.Errorf("error count %d, fixture %d", count, want.ErrorCount)
			}
			if !slices.Equal(def.Groups(), want.Groups) {
				t.Errorf("groups %q, fixture %q", def.Groups(), want.Groups)
			}
		})
	}
}

// TestCreateErrorsMatchFixtures checks the messages Apache lists when POST /connectors is refused.
func TestCreateErrorsMatchFixtures(t *testing.T) {
	for _, fixture := range []string{"022", "023", "028"} {
		t.Run(fixture, func(t *testing.T) {
			ex := readFixture(t, fixture)
			var req struct {
				Name   string            `json:"name"`
				Config map[string]string `json:"config"`
			}
			if err := json.Unmarshal(ex.RequestBody, &req); err != nil {
				t.Fatal(err)
			}
			var body struct {
				Message string `json:"message"`
			}
			if err := json.Unmarshal(ex.Body, &body); err != nil {
				t.Fatal(err)
			}
			req.Config["name"] = req.Name
			_, err := ConnectorDef(KindSource).Merge(fileStreamSourceDef()).Parse(req.Config)
			es, ok := err.(Errors)
			if !ok {
				t.Fatalf("Parse error %v is not Errors", err)
			}
			var b strings.Builder
			b.WriteString("Connector configuration is invalid and contains the following ")
			b.WriteString(strconv.Itoa(len(es)))
			b.WriteString(" error(s):\n")
			for _, m := range es.Messages() {
				b.WriteString(m + "\n")
			}
			b.WriteString("You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`")
			if b.String() != body.Message {
				t.Fatalf("got  %q\nwant %q", b.String(), body.Message)
			}
		})
	}
}

// TestValidateSinkMatchesFixtures checks the sink checks Apache answers with a 500.
func TestValidateSinkMatchesFixtures(t *testing.T) {
	for _, fixture := range []string{"014", "015", "191"} {
		t.Run(fixture, func(t *testing.T) {
			ex := readFixture(t, fixture)
			var props map[string]string
			var req struct {
				Config map[string]string `json:"config"`
			}
			if err := json.Unmarshal(ex.RequestBody, &req); err == nil && req.Config != nil {
				props = req.Config
			} else if err := json.Unmarshal(ex.RequestBody, &props); err != nil {
				t.Fatal(err)
			}
			var body struct {
				Message string `json:"message"`
			}
			if err := json.Unmarshal(ex.Body, &body); err != nil {
				t.Fatal(err)
			}
			errs := ValidateSink(props)
			if len(errs) == 0 {
				t.Fatal("no error")
			}
			want := strings.TrimPrefix(body.Message, "org.apache.kafka.common.config.ConfigException: ")
			if errs[0].Msg != want {
				t.Fatalf("got %q, want %q", errs[0].Msg, want)
			}
		})
	}
}
