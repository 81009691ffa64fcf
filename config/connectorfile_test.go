package config

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadConnectorFile(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		wantName      string
		wantConfig    map[string]string
		wantState     string
		wantLines     map[string]int
		err           string // %s stands for the file path
	}{
		{
			name:       "flat JSON",
			content:    "{\n  \"name\": \"src\",\n  \"connector.class\": \"FileStreamSource\",\n  \"tasks.max\": 1,\n  \"ratio\": 1.50,\n  \"enabled\": true\n}\n",
			wantName:   "src",
			wantConfig: map[string]string{"name": "src", "connector.class": "FileStreamSource", "tasks.max": "1", "ratio": "1.50", "enabled": "true"},
			wantLines:  map[string]int{"name": 2, "connector.class": 3, "enabled": 6},
		},
		{
			name:       "flat JSON with a BOM and an initial_state entry kept as config",
			content:    "\xef\xbb\xbf{\"name\": \"a\", \"initial_state\": \"PAUSED\"}",
			wantName:   "a",
			wantConfig: map[string]string{"name": "a", "initial_state": "PAUSED"},
		},
		{
			name:       "POST body form",
			content:    "{\"name\": \"src\", \"config\": {\"connector.class\": \"FileStreamSource\", \"topic\": \"t\"}, \"initial_state\": \"paused\", \"extra\": [1, {\"x\": 2}]}",
			wantName:   "src",
			wantConfig: map[string]string{"name": "src", "connector.class": "FileStreamSource", "topic": "t"},
			wantState:  "PAUSED",
		},
		{
			name:       "POST body form with matching config name",
			content:    `{"name": "src", "config": {"name": "src", "batch.size": 10}, "initial_state": null}`,
			wantName:   "src",
			wantConfig: map[string]string{"name": "src", "batch.size": "10"},
		},
		{
			name:     "properties",
			content:  "# source\nname=local-file-source \nconnector.class=FileStreamSource\ntopic=${env:TOPIC}\n",
			wantName: "local-file-source ",
			wantConfig: map[string]string{
				"name": "local-file-source ", "connector.class": "FileStreamSource", "topic": "${env:TOPIC}",
			},
			wantLines: map[string]int{"name": 2, "topic": 4},
		},
		{name: "flat JSON without name", content: `{"connector.class": "X"}`,
			err: "Connector configuration at '%s' is missing the mandatory 'name' configuration"},
		{name: "properties without name", content: "connector.class=X\n",
			err: "Connector configuration at '%s' is missing the mandatory 'name' configuration"},
		{name: "POST body form without name", content: `{"config": {"connector.class": "X"}}`,
			err: "Connector configuration at '%s' is missing the mandatory 'name' configuration"},
		{name: "POST body form with another config name", content: `{"name": "a", "config": {"name": "b"}}`,
			err: "Connector name configuration in 'config' doesn't match the one specified in 'name' at '%s'"},
		{name: "null value", content: "{\"name\": \"a\",\n \"file\": null}",
			err: `%s:2: key "file": null is not a valid value; write a string`},
		{name: "null value in config", content: "{\"name\": \"a\", \"config\": {\n\"file\": null}}",
			err: `%s:2: key "file": null is not a valid value; write a string`},
		{name: "nested value in config", content: "{\"name\": \"a\", \"config\": {\"x\": {\"y\": 1}}}",
			err: `%s:1: key "x": the value must be a string, a number or a boolean`},
		{name: "nested value without config", content: "{\"name\": \"a\",\n\"x\": [1]}",
			err: `%s:2: key "x": the value must be a string, a number or a boolean (a connector file is either a flat JSON object of strings, or {"name": ..., "config": {...}})`},
		{name: "config not an object", content: "{\"name\": \"a\", \"config\": \"x\", \"y\": {}}",
			err: `%s:1: key "config": "config" must be a JSON object of strings`},
		{name: "bad initial state", content: `{"name": "a", "config": {}, "initial_state": "GONE"}`,
			err: `%s:1: key "initial_state": invalid initial state "GONE": must be RUNNING, PAUSED or STOPPED`},
		{name: "JSON syntax error", content: "{\n  \"name\": \"a\",\n  \"x\": tru\n}",
			err: "%s:3:11: invalid JSON: invalid character '\\n' in literal true (expecting 'e')"},
		{name: "truncated JSON", content: "{\n  \"name\": \"a\",\n",
			err: "%s:3:1: invalid JSON: unexpected end of JSON input"},
		{name: "data after the object", content: "{\"name\": \"a\"}\n{}",
			err: "%s:2:1: invalid JSON: unexpected data after the JSON object"},
		{name: "malformed properties escape", content: "name=a\nx=\\uZZ\n",
			err: `%s:2: Malformed \uxxxx encoding.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "conn.file")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			cf, err := LoadConnectorFile(path)
			if tc.err != "" {
				want := sprintfPath(tc.err, path)
				if err == nil || err.Error() != want {
					t.Fatalf("error\n %v\nwant\n %s", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cf.Path != path || cf.Name != tc.wantName || cf.InitialState != tc.wantState || !maps.Equal(cf.Config, tc.wantConfig) {
				t.Fatalf("got %+v", cf)
			}
			for k, line := range tc.wantLines {
				if cf.Lines[k] != line {
					t.Errorf("line of %q = %d, want %d", k, cf.Lines[k], line)
				}
			}
		})
	}
	if _, err := LoadConnectorFile(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func sprintfPath(format, path string) string {
	out := []byte{}
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && format[i+1] == 's' {
			out = append(out, path...)
			i++
			continue
		}
		out = append(out, format[i])
	}
	return string(out)
}

func TestConnectorFileAnnotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sink.json")
	content := "{\n  \"name\": \"s\",\n  \"config\": {\n    \"connector.class\": \"FileStreamSink\",\n    \"tasks.max\": 0\n  }\n}\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	cf, err := LoadConnectorFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ConnectorDef(KindSink).Parse(cf.Config)
	want := path + `:5: key "tasks.max": Invalid value 0 for configuration tasks.max: Value must be at least 1`
	if got := cf.Annotate(err).Error(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
