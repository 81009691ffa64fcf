package file

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
)

func TestPlugins(t *testing.T) {
	reg := connectors.NewRegistry(Plugins()...)
	for _, tt := range []struct {
		alias string
		class string
		typ   connectors.PluginType
	}{
		{"FileStreamSource", SourceClass, connectors.SourceType},
		{"FileStreamSourceConnector", SourceClass, connectors.SourceType},
		{SourceClass, SourceClass, connectors.SourceType},
		{"FileStreamSink", SinkClass, connectors.SinkType},
		{SinkClass, SinkClass, connectors.SinkType},
	} {
		p, err := reg.Connector(tt.alias)
		if err != nil || p.Class != tt.class || p.Type != tt.typ || p.Version != connectors.APIVersion {
			t.Errorf("Connector(%q) = %+v, %v", tt.alias, p, err)
		}
	}
	for _, p := range Plugins() {
		a, b := p.New(), p.New()
		if a == b {
			t.Errorf("%s: New returned the same instance twice", p.Class)
		}
		switch c := a.(type) {
		case *SourceConnector:
			if p.Type != connectors.SourceType || c.Version() != connectors.APIVersion {
				t.Errorf("%s: %T", p.Class, a)
			}
		case *SinkConnector:
			if p.Type != connectors.SinkType || c.Version() != connectors.APIVersion {
				t.Errorf("%s: %T", p.Class, a)
			}
		default:
			t.Errorf("%s: New returned %T", p.Class, a)
		}
	}
}

// The connectors' own keys are exactly those Apache 3.6 lists first in GET /connector-plugins/<c>/config,
// rendered field by field as the REST API renders them.
func TestConfigKeysMatchApache(t *testing.T) {
	dir := fixtures.Dir(t, "rest")
	for _, tt := range []struct {
		fixture string
		def     *config.Def
	}{
		{"006-plugin-config-FileStreamSource.json", (&SourceConnector{}).Config()},
		{"007-plugin-config-FileStreamSink.json", (&SinkConnector{}).Config()},
	} {
		var fx struct{ Body []config.KeyInfo }
		if err := json.Unmarshal([]byte(readFixture(t, filepath.Join(dir, tt.fixture))), &fx); err != nil {
			t.Fatal(err)
		}
		var want []config.KeyInfo
		for _, k := range fx.Body {
			if k.Group == nil { // the connector's own keys; the framework's are grouped
				want = append(want, k)
			}
		}
		if got := tt.def.Infos(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.fixture, got, want)
		}
	}
}

func TestTopicValidator(t *testing.T) {
	keys := sourceKeys()
	v := keys[1].Validator
	if keys[1].Name != "topic" || v == nil {
		t.Fatalf("topic key %+v has no validator", keys[1])
	}
	if err := v.Validate("topic", ""); err == nil || err.Error() != "String must be non-empty" {
		t.Errorf("empty topic: %v", err)
	}
	if err := v.Validate("topic", "t"); err != nil {
		t.Errorf("topic t: %v", err)
	}
	if err := v.Validate("topic", nil); err != nil {
		t.Errorf("null topic: %v", err)
	}
	if v.String() != "non-empty string" {
		t.Errorf("String() = %q", v.String())
	}
}

func TestTaskConfigs(t *testing.T) {
	cfg := map[string]string{"name": "src", "connector.class": "FileStreamSource", "file": "in.txt", "topic": "t", "tasks.max": "4"}
	src := &SourceConnector{}
	if err := src.Start(cfg); err != nil {
		t.Fatal(err)
	}
	for _, maxTasks := range []int{1, 4} {
		got, err := src.TaskConfigs(maxTasks)
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], cfg) {
			t.Errorf("source TaskConfigs(%d) = %v, %v", maxTasks, got, err)
		}
	}

	sinkCfg := map[string]string{"name": "snk", "connector.class": "FileStreamSink", "file": "out.txt", "topics": "t"}
	sink := &SinkConnector{}
	if err := sink.Start(sinkCfg); err != nil {
		t.Fatal(err)
	}
	got, err := sink.TaskConfigs(3)
	if err != nil || len(got) != 3 {
		t.Fatalf("sink TaskConfigs(3) = %v, %v", got, err)
	}
	for _, c := range got {
		if !reflect.DeepEqual(c, sinkCfg) {
			t.Errorf("sink task config %v, want %v", c, sinkCfg)
		}
	}
	got[0]["file"] = "changed" // copies: one task's map is not another's, nor the connector's
	if got[1]["file"] != "out.txt" || sinkCfg["file"] != "out.txt" {
		t.Error("task configurations share their map")
	}
}

func TestAlterOffsets(t *testing.T) {
	fileCfg := map[string]string{"file": "/data/src1.txt", "topic": "t"}
	part := map[string]any{"filename": "/data/src1.txt"}
	tests := []struct {
		name    string
		cfg     map[string]string
		offsets []connectors.PartitionOffset
		want    string // "" for success
	}{
		{"position", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": int64(6)}}}, ""},
		{"position zero", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": int64(0)}}}, ""},
		{"json.Number integer", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": json.Number("6")}}}, ""},
		{"tombstone for another file", fileCfg, []connectors.PartitionOffset{{Partition: map[string]any{"filename": "other"}, Offset: nil}}, ""},
		{"tombstone for garbage", fileCfg, []connectors.PartitionOffset{{Partition: nil, Offset: nil}}, ""},
		{"no position (rest/097)", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"pos": int64(6)}}},
			"Offset objects should either be null or contain the key 'position'"},
		{"string position (rest/099)", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": "6"}}},
			"The value for the 'position' key in the offset is expected to be a Long value"},
		{"float position", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": 6.0}}},
			"The value for the 'position' key in the offset is expected to be a Long value"},
		{"decimal json.Number", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": json.Number("6.5")}}},
			"The value for the 'position' key in the offset is expected to be a Long value"},
		{"null position", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": nil}}},
			"The value for the 'position' key in the offset is expected to be a Long value"},
		{"negative", fileCfg, []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"position": int64(-1)}}},
			"The value for the 'position' key in the offset should be a non-negative value"},
		{"null partition (rest/100)", fileCfg, []connectors.PartitionOffset{{Partition: nil, Offset: map[string]any{"position": int64(1)}}},
			"Partition objects cannot be null"},
		{"partition without filename", fileCfg, []connectors.PartitionOffset{{Partition: map[string]any{"file": "x"}, Offset: map[string]any{"position": int64(1)}}},
			"Partition objects should contain the key 'filename'"},
		{"stdin", map[string]string{"topic": "t"}, []connectors.PartitionOffset{{Partition: part, Offset: nil}},
			"Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked."},
		{"empty file", map[string]string{"topic": "t", "file": " "}, nil,
			"Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked."},
	}
	for _, tt := range tests {
		ok, err := (&SourceConnector{}).AlterOffsets(tt.cfg, tt.offsets)
		switch {
		case tt.want == "" && (err != nil || !ok):
			t.Errorf("%s: AlterOffsets = %v, %v; want true", tt.name, ok, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("%s: AlterOffsets error = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// The Apache error texts are those of the REST transcript: the runner passes them through unchanged.
func TestAlterOffsetsTextsMatchTranscript(t *testing.T) {
	dir := fixtures.Dir(t, "rest")
	for _, name := range []string{"097-offsets-patch-missing-position.json", "099-offsets-patch-string-position.json",
		"100-offsets-patch-null-partition.json"} {
		var fx struct {
			RequestBody struct {
				Offsets []struct {
					Partition map[string]any `json:"partition"`
					Offset    map[string]any `json:"offset"`
				} `json:"offsets"`
			} `json:"request_body"`
			Body struct{ Message string } `json:"body"`
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatal(err)
		}
		var offsets []connectors.PartitionOffset
		for _, o := range fx.RequestBody.Offsets {
			if p, ok := o.Offset["position"].(float64); ok { // integral JSON numbers are Longs in Apache
				o.Offset["position"] = int64(p)
			}
			offsets = append(offsets, connectors.PartitionOffset{Partition: o.Partition, Offset: o.Offset})
		}
		_, err = (&SourceConnector{}).AlterOffsets(map[string]string{"file": "/data/ap3/data/src1.txt", "topic": "t"}, offsets)
		if err == nil || err.Error() != fx.Body.Message {
			t.Errorf("%s: error %v, want %q", name, err, fx.Body.Message)
		}
	}
}
