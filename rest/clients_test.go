package rest_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/rest"
)

// These tests replay the calls each real client makes (../shared/reference/clients.md: endpoints, query
// parameters) and decode the answers into the fields and types each client parses, as it parses them.

// call sends a request and decodes a JSON answer into v (when v is not nil), failing on another status.
func (e *env) call(method, path, body string, status int, v any, headers ...string) {
	e.t.Helper()
	r := e.req(method, path, body, headers...)
	if r.status != status {
		e.t.Fatalf("%s %s: %s, want status %d", method, path, clip(r.String()), status)
	}
	if v != nil {
		dec := json.NewDecoder(strings.NewReader(string(r.body)))
		if err := dec.Decode(v); err != nil {
			e.t.Fatalf("%s %s: answer %s does not decode into %T: %v", method, path, clip(r.String()), v, err)
		}
	}
}

// eventually retries check for up to 20 s.
func (e *env) eventually(check func() error) {
	e.t.Helper()
	kafkatest.Eventually(e.t, 20*time.Second, check)
}

// Shared shapes, with the fields the clients read.
type (
	clientTaskID struct {
		Connector string `json:"connector"`
		Task      int    `json:"task"`
	}
	clientInfo struct {
		Name   string            `json:"name"`
		Config map[string]string `json:"config"`
		Tasks  []clientTaskID    `json:"tasks"`
		Type   string            `json:"type"`
	}
	clientState struct {
		ID       int    `json:"id"`
		State    string `json:"state"`
		WorkerID string `json:"worker_id"`
		Trace    string `json:"trace"`
	}
	clientStatus struct {
		Name      string        `json:"name"`
		Connector clientState   `json:"connector"`
		Tasks     []clientState `json:"tasks"`
		Type      string        `json:"type"`
	}
	clientPlugin struct {
		Class   string `json:"class"`
		Type    string `json:"type"`
		Version string `json:"version"`
	}
	clientConfigInfos struct {
		Name       string   `json:"name"`
		ErrorCount int      `json:"error_count"`
		Groups     []string `json:"groups"`
		Configs    []struct {
			Definition struct {
				Name          string   `json:"name"`
				Type          string   `json:"type"`
				Required      bool     `json:"required"`
				DefaultValue  *string  `json:"default_value"`
				Importance    string   `json:"importance"`
				Documentation string   `json:"documentation"`
				Group         *string  `json:"group"`
				Order         int      `json:"order"`
				Width         string   `json:"width"`
				DisplayName   string   `json:"display_name"`
				Dependents    []string `json:"dependents"`
			} `json:"definition"`
			Value struct {
				Name              string   `json:"name"`
				Value             *string  `json:"value"`
				RecommendedValues []string `json:"recommended_values"`
				Errors            []string `json:"errors"`
				Visible           bool     `json:"visible"`
			} `json:"value"`
		} `json:"configs"`
	}
	clientError struct {
		ErrorCode int    `json:"error_code"`
		Message   string `json:"message"`
	}
)

// Enumerations clients map the answers onto (kafbat's swagger enums); a value outside them breaks them.
var (
	connectorStates = []string{"RUNNING", "FAILED", "PAUSED", "RESTARTING", "UNASSIGNED", "STOPPED"}
	taskStates      = []string{"RUNNING", "FAILED", "PAUSED", "RESTARTING", "UNASSIGNED"}
	connectorTypes  = []string{"source", "sink", "unknown"}
)

func checkStatusEnums(t *testing.T, s clientStatus) {
	t.Helper()
	if !slices.Contains(connectorStates, s.Connector.State) || !slices.Contains(connectorTypes, s.Type) || s.Connector.WorkerID == "" {
		t.Fatalf("status outside the clients' enums: %+v", s)
	}
	for _, task := range s.Tasks {
		if !slices.Contains(taskStates, task.State) || task.WorkerID == "" {
			t.Fatalf("task status outside the clients' enums: %+v", task)
		}
	}
}

// TestClientKcctl replays kcctl: it parses GET /'s version to turn features on, lists with expand=status,
// applies configurations with PUT, and uses restart parameters, stop, offsets, plugins and logger scopes.
func TestClientKcctl(t *testing.T) {
	e := newEnv(t, options{})
	var root struct {
		Version        string `json:"version"`
		Commit         string `json:"commit"`
		KafkaClusterID string `json:"kafka_cluster_id"`
	}
	e.call("GET", "/", "", 200, &root)
	// kcctl's Version: split on ".", the first two parts are integers.
	parts := strings.Split(root.Version, ".")
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if len(parts) != 3 || err1 != nil || err2 != nil || root.KafkaClusterID != "kfake" || root.Commit != "test-commit" {
		t.Fatalf("GET / = %+v: kcctl cannot parse it", root)
	}
	atLeast := func(ma, mi int) bool { return major > ma || major == ma && minor >= mi }
	for _, f := range [][2]int{{2, 3}, {2, 5}, {3, 0}, {3, 2}, {3, 5}, {3, 6}, {3, 7}} {
		if !atLeast(f[0], f[1]) {
			t.Fatalf("version %s turns off kcctl's features of %d.%d, which are all served", root.Version, f[0], f[1])
		}
	}

	e.write("in.txt", "k1\n")
	e.call("PUT", "/connectors/kc/config", e.sourceConfig("in.txt", "t-kc"), 201, &clientInfo{})
	var list map[string]struct {
		Status clientStatus `json:"status"`
	}
	e.eventually(func() error {
		e.call("GET", "/connectors?expand=status", "", 200, &list)
		if s := list["kc"].Status; s.Connector.State != "RUNNING" || len(s.Tasks) != 1 || s.Tasks[0].State != "RUNNING" {
			return fmt.Errorf("kc is %+v", s)
		}
		return nil
	})
	checkStatusEnums(t, list["kc"].Status)
	var info clientInfo
	e.call("GET", "/connectors/kc", "", 200, &info)
	if info.Type != "source" || len(info.Tasks) != 1 || info.Tasks[0] != (clientTaskID{"kc", 0}) {
		t.Fatalf("describe: %+v", info)
	}
	var topics map[string]struct {
		Topics []string `json:"topics"`
	}
	e.eventually(func() error {
		e.call("GET", "/connectors/kc/topics", "", 200, &topics)
		if !slices.Equal(topics["kc"].Topics, []string{"t-kc"}) {
			return fmt.Errorf("topics %v", topics)
		}
		return nil
	})
	var status clientStatus
	e.call("POST", "/connectors/kc/restart?includeTasks=true&onlyFailed=false", "", 202, &status)
	checkStatusEnums(t, status)
	e.call("POST", "/connectors/kc/tasks/0/restart", "", 204, nil)
	e.call("PUT", "/connectors/kc/pause", "", 202, nil)
	e.call("PUT", "/connectors/kc/resume", "", 202, nil)
	e.call("PUT", "/connectors/kc/stop", "", 204, nil)

	type offsets struct {
		Offsets []struct {
			Partition map[string]any `json:"partition"`
			Offset    map[string]any `json:"offset"`
		} `json:"offsets"`
	}
	var offs offsets
	e.call("GET", "/connectors/kc/offsets", "", 200, &offs)
	if len(offs.Offsets) != 1 || offs.Offsets[0].Offset["position"] != float64(3) {
		t.Fatalf("offsets %+v", offs)
	}
	var msg struct {
		Message string `json:"message"`
	}
	e.call("PATCH", "/connectors/kc/offsets", `{"offsets":[{"partition":{"filename":"`+e.path("in.txt")+`"},"offset":{"position":0}}]}`, 200, &msg)
	e.call("DELETE", "/connectors/kc/offsets", "", 200, &msg)
	if msg.Message == "" {
		t.Fatal("no message")
	}

	var plugins []clientPlugin
	e.call("GET", "/connector-plugins?connectorsOnly=false", "", 200, &plugins)
	var keys []struct {
		Name          string  `json:"name"`
		Type          string  `json:"type"`
		DefaultValue  *string `json:"default_value"`
		Importance    string  `json:"importance"`
		Documentation string  `json:"documentation"`
	}
	e.call("GET", "/connector-plugins/"+plugins[0].Class+"/config", "", 200, &keys)
	var v clientConfigInfos
	e.call("PUT", "/connector-plugins/FileStreamSource/config/validate", `{"connector.class":"FileStreamSource","name":"kc","topic":"t"}`, 200, &v)
	if v.ErrorCount != 0 || len(keys) == 0 {
		t.Fatalf("validate %+v", v)
	}

	var loggers map[string]struct {
		Level        string `json:"level"`
		LastModified *int64 `json:"last_modified"`
	}
	e.call("GET", "/admin/loggers", "", 200, &loggers)
	e.call("PUT", "/admin/loggers/org.apache.kafka.connect?scope=cluster", `{"level":"DEBUG"}`, 204, nil)
	var changed []string
	e.call("PUT", "/admin/loggers/org.apache.kafka.connect", `{"level":"INFO"}`, 200, &changed)
	e.call("GET", "/admin/loggers/org.apache.kafka.connect", "", 200, &struct{ Level string }{})

	// Every error is {"error_code","message"}; a 409 is retried by kcctl, so it must be one.
	var ce clientError
	e.call("GET", "/connectors/nope", "", 404, &ce)
	e.call("PUT", "/connectors/kc/nope", "", 404, &ce)
	e.call("POST", "/connectors", `{"name":"kc","config":`+e.sourceConfig("in.txt", "t")+`}`, 409, &ce)
	if ce.ErrorCode != 409 || ce.Message != "Connector kc already exists" {
		t.Fatalf("409 body %+v", ce)
	}
	e.call("DELETE", "/connectors/kc", "", 204, nil)
}

// TestClientKafbatKafkaUI replays kafbat kafka-ui (its swagger contract): expand=info&expand=status, the
// enums it maps states and types onto, task statuses, restart parameters, stop, topics and offsets.
func TestClientKafbatKafkaUI(t *testing.T) {
	e := newEnv(t, options{})
	var root struct{ Version string }
	e.call("GET", "/", "", 200, &root)
	e.write("in.txt", "x\n")
	var created clientInfo
	e.call("POST", "/connectors", `{"name":"ui","config":`+e.sourceConfig("in.txt", "t-ui")+`}`, 201, &created)
	var all map[string]struct {
		Info   clientInfo   `json:"info"`
		Status clientStatus `json:"status"`
	}
	e.eventually(func() error {
		e.call("GET", "/connectors?expand=info&expand=status", "", 200, &all)
		if all["ui"].Status.Connector.State != "RUNNING" || len(all["ui"].Status.Tasks) != 1 {
			return fmt.Errorf("%+v", all)
		}
		return nil
	})
	if all["ui"].Info.Name != "ui" || all["ui"].Info.Config["topic"] != "t-ui" || !slices.Contains(connectorTypes, all["ui"].Info.Type) {
		t.Fatalf("expanded info %+v", all["ui"].Info)
	}
	checkStatusEnums(t, all["ui"].Status)
	var cfg map[string]string
	e.call("GET", "/connectors/ui/config", "", 200, &cfg)
	cfg["batch.size"] = "5"
	b, _ := json.Marshal(cfg)
	e.call("PUT", "/connectors/ui/config", string(b), 200, &clientInfo{})
	var tasks []struct {
		ID     clientTaskID      `json:"id"`
		Config map[string]string `json:"config"`
	}
	e.call("GET", "/connectors/ui/tasks", "", 200, &tasks)
	if len(tasks) != 1 || tasks[0].ID != (clientTaskID{"ui", 0}) || tasks[0].Config["task.class"] == "" {
		t.Fatalf("tasks %+v", tasks)
	}
	var ts clientState
	e.eventually(func() error {
		e.call("GET", "/connectors/ui/tasks/0/status", "", 200, &ts)
		if ts.State != "RUNNING" {
			return fmt.Errorf("task %+v", ts)
		}
		return nil
	})
	e.call("POST", "/connectors/ui/restart?includeTasks=true&onlyFailed=false", "", 202, &clientStatus{})
	e.call("POST", "/connectors/ui/tasks/0/restart", "", 204, nil)
	e.call("PUT", "/connectors/ui/pause", "", 202, nil)
	e.call("PUT", "/connectors/ui/resume", "", 202, nil)
	e.call("PUT", "/connectors/ui/stop", "", 204, nil)
	var st clientStatus
	e.call("GET", "/connectors/ui/status", "", 200, &st)
	if st.Connector.State != "STOPPED" || len(st.Tasks) != 0 {
		t.Fatalf("stopped: %+v", st)
	}
	e.call("GET", "/connectors/ui/topics", "", 200, &map[string]struct{ Topics []string }{})
	e.call("GET", "/connectors/ui/offsets", "", 200, &struct{ Offsets []any }{})
	e.call("DELETE", "/connectors/ui/offsets", "", 200, &struct{ Message string }{})
	var plugins []clientPlugin
	e.call("GET", "/connector-plugins", "", 200, &plugins)
	var v clientConfigInfos
	e.call("PUT", "/connector-plugins/FileStreamSource/config/validate", `{"connector.class":"FileStreamSource","topic":"t","tasks.max":"x"}`, 200, &v)
	if v.ErrorCount == 0 || len(v.Groups) == 0 || v.Configs[0].Definition.DisplayName == "" {
		t.Fatalf("validate %+v", v)
	}
	e.call("DELETE", "/connectors/ui", "", 204, nil)
}

// TestClientAKHQ replays AKHQ (through sourcelab's kafka-connect-client): expand=info&expand=status,
// the plugin list, a validation per plugin to build its forms, and the plain restart.
func TestClientAKHQ(t *testing.T) {
	e := newEnv(t, options{})
	var plugins []clientPlugin
	e.call("GET", "/connector-plugins", "", 200, &plugins)
	for _, p := range plugins {
		var v clientConfigInfos
		e.call("PUT", "/connector-plugins/"+p.Class+"/config/validate", `{"connector.class":"`+p.Class+`","topics":"getPlugins"}`, 200, &v)
		if v.Name != p.Class || len(v.Configs) == 0 {
			t.Fatalf("validate for the form of %s: %+v", p.Class, v)
		}
		for _, c := range v.Configs {
			if c.Definition.Name == "" || c.Definition.Type == "" || c.Definition.Importance == "" || c.Definition.Width == "" {
				t.Fatalf("a definition AKHQ cannot render: %+v", c.Definition)
			}
		}
	}
	e.write("in.txt", "")
	e.call("POST", "/connectors", `{"name":"akhq","config":`+e.sourceConfig("in.txt", "t")+`}`, 201, &clientInfo{})
	e.call("PUT", "/connectors/akhq/config", e.sourceConfig("in.txt", "t2"), 200, &clientInfo{})
	var all map[string]struct {
		Info   clientInfo   `json:"info"`
		Status clientStatus `json:"status"`
	}
	e.call("GET", "/connectors?expand=info&expand=status", "", 200, &all)
	if all["akhq"].Info.Config["topic"] != "t2" {
		t.Fatalf("expanded %+v", all)
	}
	e.call("GET", "/connectors/akhq/status", "", 200, &clientStatus{})
	e.call("POST", "/connectors/akhq/restart", "", 204, nil)
	e.eventually(func() error {
		var st clientStatus
		e.call("GET", "/connectors/akhq/status", "", 200, &st)
		if len(st.Tasks) != 1 {
			return fmt.Errorf("%+v", st)
		}
		return nil
	})
	e.call("POST", "/connectors/akhq/tasks/0/restart", "", 204, nil)
	e.call("PUT", "/connectors/akhq/pause", "", 202, nil)
	e.call("PUT", "/connectors/akhq/resume", "", 202, nil)
	e.call("DELETE", "/connectors/akhq", "", 204, nil)
	var ce clientError
	e.call("GET", "/connectors/akhq", "", 404, &ce)
}

// TestClientKafkaConnectUI replays Landoop's kafka-connect-ui, a browser application: every call is
// cross-origin, with preflight requests for PUT, POST and DELETE.
func TestClientKafkaConnectUI(t *testing.T) {
	const origin = "http://localhost:8000"
	e := newEnv(t, options{rest: func(c *rest.Config) {
		c.AllowOrigin, c.AllowMethods = origin, "GET,POST,PUT,DELETE,OPTIONS"
	}})
	browser := func(method, path, body string, status int, v any) {
		t.Helper()
		if method != "GET" {
			r := e.req("OPTIONS", path, "", "Origin", origin, "Access-Control-Request-Method", method, "Access-Control-Request-Headers", "content-type")
			if r.header.Get("Access-Control-Allow-Origin") != origin || !strings.Contains(r.header.Get("Access-Control-Allow-Methods"), method) {
				t.Fatalf("preflight for %s %s refused: %d %v", method, path, r.status, r.header)
			}
		}
		r := e.req(method, path, body, "Origin", origin)
		if r.header.Get("Access-Control-Allow-Origin") != origin {
			t.Fatalf("%s %s: no Access-Control-Allow-Origin, the browser drops the answer", method, path)
		}
		if r.status != status {
			t.Fatalf("%s %s: %s, want %d", method, path, r, status)
		}
		if v != nil {
			r.json(t, v)
		}
	}
	var names []string
	browser("GET", "/connectors", "", 200, &names)
	var plugins []clientPlugin
	browser("GET", "/connector-plugins", "", 200, &plugins)
	var v clientConfigInfos
	browser("PUT", "/connector-plugins/FileStreamSink/config/validate", `{"connector.class":"FileStreamSink","topics":"t","name":"ui"}`, 200, &v)
	browser("POST", "/connectors", `{"name":"ui","config":{"connector.class":"FileStreamSink","topics":"t","file":"`+e.path("out.txt")+`"}}`, 201, &clientInfo{})
	browser("GET", "/connectors/ui", "", 200, &clientInfo{})
	var cfg map[string]string
	browser("GET", "/connectors/ui/config", "", 200, &cfg)
	browser("PUT", "/connectors/ui/config", `{"connector.class":"FileStreamSink","topics":"t2"}`, 200, &clientInfo{})
	browser("GET", "/connectors/ui/status", "", 200, &clientStatus{})
	browser("GET", "/connectors/ui/tasks", "", 200, &[]any{})
	browser("POST", "/connectors/ui/restart", "", 204, nil)
	browser("PUT", "/connectors/ui/pause", "", 202, nil)
	browser("PUT", "/connectors/ui/resume", "", 202, nil)
	e.eventually(func() error {
		var st clientStatus
		e.call("GET", "/connectors/ui/status", "", 200, &st)
		if len(st.Tasks) != 1 {
			return fmt.Errorf("%+v", st)
		}
		return nil
	})
	browser("POST", "/connectors/ui/tasks/0/restart", "", 204, nil)
	browser("DELETE", "/connectors/ui", "", 204, nil)
}

// TestClientRedpandaConsole replays Redpanda Console (cloudhut/connect-client): GET /, the expanded list,
// restart with both parameters, stop, topics and their reset.
func TestClientRedpandaConsole(t *testing.T) {
	e := newEnv(t, options{})
	var root struct {
		Version        string `json:"version"`
		Commit         string `json:"commit"`
		KafkaClusterID string `json:"kafka_cluster_id"`
	}
	e.call("GET", "/", "", 200, &root)
	if root.Version == "" || root.KafkaClusterID == "" {
		t.Fatalf("root %+v", root)
	}
	e.write("in.txt", "r\n")
	e.call("POST", "/connectors", `{"name":"rp","config":`+e.sourceConfig("in.txt", "t-rp")+`}`, 201, &clientInfo{})
	var all map[string]struct {
		Info   clientInfo   `json:"info"`
		Status clientStatus `json:"status"`
	}
	e.call("GET", "/connectors?expand=info&expand=status", "", 200, &all)
	if _, ok := all["rp"]; !ok {
		t.Fatalf("expanded %+v", all)
	}
	var cfg map[string]string
	e.call("GET", "/connectors/rp/config", "", 200, &cfg)
	e.call("PUT", "/connectors/rp/config", e.sourceConfig("in.txt", "t-rp"), 200, &clientInfo{})
	e.call("POST", "/connectors/rp/restart?includeTasks=true&onlyFailed=true", "", 202, &clientStatus{})
	e.eventually(func() error {
		var topics map[string]struct{ Topics []string }
		e.call("GET", "/connectors/rp/topics", "", 200, &topics)
		if len(topics["rp"].Topics) != 1 {
			return fmt.Errorf("%+v", topics)
		}
		return nil
	})
	e.call("PUT", "/connectors/rp/topics/reset", "", 202, nil)
	e.call("PUT", "/connectors/rp/stop", "", 204, nil)
	e.call("PUT", "/connectors/rp/resume", "", 202, nil)
	e.call("PUT", "/connectors/rp/pause", "", 202, nil)
	e.call("GET", "/connector-plugins", "", 200, &[]clientPlugin{})
	e.call("PUT", "/connector-plugins/FileStreamSource/config/validate", `{"connector.class":"FileStreamSource","name":"rp","topic":"t"}`, 200, &clientConfigInfos{})
	e.call("DELETE", "/connectors/rp", "", 204, nil)
}

// ricardo is the ricardo-ch go-kafka-connect client's behaviour, which its CLI and the Terraform provider
// use: synchronous calls poll until the worker shows the change.
type ricardo struct{ e *env }

func (c ricardo) code(method, path, body string) (int, []byte) {
	r := c.e.req(method, path, body)
	return r.status, r.body
}

func (c ricardo) until(what string, cond func() bool) {
	c.e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			c.e.t.Fatalf("timeout on %s sync", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c ricardo) create(name string, cfg map[string]string) {
	c.e.t.Helper()
	b, _ := json.Marshal(map[string]any{"name": name, "config": cfg})
	if code, body := c.code("POST", "/connectors", string(b)); code != 201 {
		c.e.t.Fatalf("create: %d %s", code, body)
	}
	c.until("creating connector", func() bool { code, _ := c.code("GET", "/connectors/"+name, ""); return code == 200 })
}

func (c ricardo) update(name string, cfg map[string]string) {
	c.e.t.Helper()
	b, _ := json.Marshal(cfg)
	if code, body := c.code("PUT", "/connectors/"+name+"/config", string(b)); code != 200 && code != 201 {
		c.e.t.Fatalf("update: %d %s", code, body)
	}
	c.until("updating connector", func() bool { return c.upToDate(name, cfg) })
}

// upToDate is IsUpToDate: GET config must hold the submitted map plus name, and nothing else.
func (c ricardo) upToDate(name string, cfg map[string]string) bool {
	want := maps.Clone(cfg)
	want["name"] = name
	code, body := c.code("GET", "/connectors/"+name+"/config", "")
	var got map[string]any
	if code != 200 || json.Unmarshal(body, &got) != nil || len(got) != len(want) {
		return false
	}
	for k, v := range got {
		if fmt.Sprintf("%v", v) != want[k] {
			return false
		}
	}
	return true
}

func (c ricardo) state(name string) string {
	var st struct {
		Connector map[string]any `json:"connector"`
	}
	_, body := c.code("GET", "/connectors/"+name+"/status", "")
	json.Unmarshal(body, &st)
	s, _ := st.Connector["state"].(string)
	return s
}

func (c ricardo) remove(name string) {
	c.e.t.Helper()
	if code, body := c.code("DELETE", "/connectors/"+name, ""); code != 204 {
		c.e.t.Fatalf("delete: %d %s", code, body)
	}
	c.until("deleting connector", func() bool { code, _ := c.code("GET", "/connectors/"+name, ""); return code == 404 })
}

// TestClientRicardoGo replays ricardo-ch/go-kafka-connect: synchronous create, pause (polls for PAUSED),
// resume (polls for RUNNING), delete (polls for 404), and DeployConnector's IsUpToDate comparison.
func TestClientRicardoGo(t *testing.T) {
	e := newEnv(t, options{})
	c := ricardo{e}
	e.write("in.txt", "")
	cfg := map[string]string{"connector.class": "FileStreamSource", "file": e.path("in.txt"), "topic": "t", "tasks.max": "1"}
	var names []string
	e.call("GET", "/connectors", "", 200, &names)
	c.create("rc", cfg)
	if !c.upToDate("rc", cfg) {
		t.Fatal("IsUpToDate is false right after creating: a deploy would redeploy forever")
	}
	var status struct {
		Name            string           `json:"name"`
		ConnectorStatus map[string]any   `json:"connector"`
		TasksStatus     []map[string]any `json:"tasks"`
	}
	e.call("GET", "/connectors/rc/status", "", 200, &status)
	e.call("GET", "/connectors/rc/tasks", "", 200, &[]struct {
		ID     map[string]any    `json:"id"`
		Config map[string]string `json:"config"`
	}{})
	c.until("task status", func() bool {
		var ts map[string]any
		code, body := c.code("GET", "/connectors/rc/tasks/0/status", "")
		json.Unmarshal(body, &ts)
		return code == 200 && ts["state"] == "RUNNING"
	})
	e.call("POST", "/connectors/rc/restart", "", 204, nil)
	e.call("POST", "/connectors/rc/tasks/0/restart", "", 204, nil)

	// DeployConnector with a changed config: pause (sync), update (sync), resume (sync).
	cfg2 := maps.Clone(cfg)
	cfg2["batch.size"] = "10"
	if c.upToDate("rc", cfg2) {
		t.Fatal("IsUpToDate is true for a changed config")
	}
	e.call("PUT", "/connectors/rc/pause", "", 202, nil)
	c.until("pausing connector", func() bool { return c.state("rc") == "PAUSED" })
	c.update("rc", cfg2)
	e.call("PUT", "/connectors/rc/resume", "", 202, nil)
	c.until("resuming connector", func() bool { return c.state("rc") == "RUNNING" })
	c.remove("rc")
}

// TestClientTerraformProvider replays the Terraform provider (Mongey/terraform-provider-kafka-connect,
// over the ricardo-ch client): create, read back (the state must equal the configuration, or every plan
// shows a diff), update including a removed key, import by name, and delete.
func TestClientTerraformProvider(t *testing.T) {
	e := newEnv(t, options{})
	c := ricardo{e}
	cfg := map[string]string{"connector.class": "FileStreamSink", "topics": "t-tf", "file": e.path("out.txt"), "tasks.max": "2", "batch.size": "3"}
	c.create("tf", cfg)
	read := func() map[string]string {
		var info clientInfo
		e.call("GET", "/connectors/tf", "", 200, &info)
		return info.Config
	}
	want := maps.Clone(cfg)
	want["name"] = "tf"
	if got := read(); !maps.Equal(got, want) {
		t.Fatalf("read back %v, want the configuration applied plus name: %v", got, want)
	}
	delete(cfg, "batch.size")
	cfg["topics"] = "t-tf2"
	c.update("tf", cfg)
	want = maps.Clone(cfg)
	want["name"] = "tf"
	if got := read(); !maps.Equal(got, want) {
		t.Fatalf("after the update read back %v, want %v (a removed key must be gone)", got, want)
	}
	// terraform import: the connector is read by name.
	var info clientInfo
	e.call("GET", "/connectors/tf", "", 200, &info)
	if info.Name != "tf" || info.Type != "sink" {
		t.Fatalf("import %+v", info)
	}
	c.remove("tf")
}
