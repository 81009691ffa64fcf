package rest_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/internal/syncbuf"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/rest"
)

// gate is a source connector whose Start blocks until the gate opens, to hold the herder busy.
type gate struct {
	once    sync.Once
	open    chan struct{}
	entered chan struct{}
}

func newGate() *gate { return &gate{open: make(chan struct{}), entered: make(chan struct{}, 16)} }

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

func (g *gate) plugin() connectors.Plugin {
	return connectors.Plugin{Class: "com.example.GateConnector", Type: connectors.SourceType, Version: "1.0",
		New: func() any { return &gateConnector{g: g} }}
}

type gateConnector struct{ g *gate }

func (c *gateConnector) Version() string                { return "1.0" }
func (c *gateConnector) Config() *config.Def            { return config.NewDef() }
func (c *gateConnector) Stop() error                    { return nil }
func (c *gateConnector) NewTask() connectors.SourceTask { return nil }
func (c *gateConnector) TaskConfigs(int) ([]map[string]string, error) {
	return nil, nil
}
func (c *gateConnector) Start(map[string]string) error {
	c.g.entered <- struct{}{}
	<-c.g.open
	return nil
}

// TestTaskPauseAndResume: the task-level pause extension pauses one task; the connector stays RUNNING and
// its other tasks keep running; a paused source task delivers nothing until resumed.
func TestTaskPauseAndResume(t *testing.T) {
	e := newEnv(t, options{worker: map[string]string{"value.converter": "org.apache.kafka.connect.storage.StringConverter"}})
	// A sink with two tasks shows the per-task state.
	r := e.req("POST", "/connectors", `{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"t-sink","tasks.max":"2","file":"`+e.path("out.txt")+`"}}`)
	if r.status != 201 {
		t.Fatalf("create sink: %s", r)
	}
	e.waitStates("sink", "RUNNING", "RUNNING", "RUNNING")
	e.expect("POST", "/connectors/sink/tasks/1/pause", "", 202, "")
	e.waitStates("sink", "RUNNING", "RUNNING", "PAUSED")
	e.expect("GET", "/connectors/sink/tasks/1/status", "", 200, `{"id":1,"state":"PAUSED","worker_id":"`+e.server.WorkerID()+`"}`)
	e.expect("PUT", "/connectors/sink/tasks/1/resume", "", 202, "")
	e.waitStates("sink", "RUNNING", "RUNNING", "RUNNING")

	// A paused source task delivers nothing until resumed.
	e.write("in.txt", "one\n")
	e.createSource("src", "in.txt", "t")
	if got := e.broker.Read("t", 1, 20*time.Second); len(got) != 1 {
		t.Fatalf("%d records", len(got))
	}
	e.expect("POST", "/connectors/src/tasks/0/pause", "", 202, "")
	e.waitStates("src", "RUNNING", "PAUSED")
	e.appendTo("in.txt", "two\n")
	time.Sleep(1500 * time.Millisecond)
	if got := e.broker.Read("t", 100, time.Second); len(got) != 1 {
		t.Fatalf("a paused task delivered: %q", kafkatest.Values(got))
	}
	e.expect("POST", "/connectors/src/tasks/0/resume", "", 202, "")
	if got := kafkatest.Values(e.broker.Read("t", 2, 20*time.Second)); !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("after resuming the task, topic holds %q", got)
	}
	// A connector-level change overrides a task pause.
	e.expect("POST", "/connectors/src/tasks/0/pause", "", 202, "")
	e.waitStates("src", "RUNNING", "PAUSED")
	e.expect("PUT", "/connectors/src/pause", "", 202, "")
	e.expect("PUT", "/connectors/src/resume", "", 202, "")
	e.waitStates("src", "RUNNING", "RUNNING")
}

// TestRestartVariants: plain restart 204; includeTasks/onlyFailed 202 with the status before the restart,
// the restarted instances RESTARTING; lenient flags; task restart 204 (POST, and PUT as an extension).
func TestRestartVariants(t *testing.T) {
	e := newEnv(t, options{})
	id := e.server.WorkerID()
	e.write("ok.txt", "fine\n")
	e.createSource("ok", "ok.txt", "t-ok")
	e.waitStates("ok", "RUNNING", "RUNNING")
	e.expect("POST", "/connectors/ok/restart", "", 204, "")
	e.expect("POST", "/connectors/ok/restart?includeTasks=yes&onlyFailed=1", "", 204, "")
	e.expect("POST", "/connectors/ok/restart?includeTasks=false&onlyFailed=false", "", 204, "")
	e.waitStates("ok", "RUNNING", "RUNNING")
	e.expect("POST", "/connectors/ok/restart?includeTasks=TRUE", "", 202,
		`{"name":"ok","connector":{"state":"RESTARTING","worker_id":"`+id+`"},"tasks":[{"id":0,"state":"RESTARTING","worker_id":"`+id+`"}],"type":"source"}`)
	e.waitStates("ok", "RUNNING", "RUNNING")
	e.expect("POST", "/connectors/ok/restart?onlyFailed=true", "", 202,
		`{"name":"ok","connector":{"state":"RUNNING","worker_id":"`+id+`"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"`+id+`"}],"type":"source"}`)
	e.expect("POST", "/connectors/ok/tasks/0/restart", "", 204, "")
	e.expect("PUT", "/connectors/ok/tasks/0/restart", "", 204, "")
	e.waitStates("ok", "RUNNING", "RUNNING")

	// A task that fails (a string value through ByteArrayConverter): onlyFailed restarts only it.
	e.write("bad.txt", "boom\n")
	e.createSource("bad", "bad.txt", "t-bad", "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter")
	st := e.waitStates("bad", "RUNNING", "FAILED")
	if st.Tasks[0].Trace == "" || st.Tasks[0].WorkerID != id {
		t.Fatalf("a FAILED task has no trace: %+v", st)
	}
	r := e.req("POST", "/connectors/bad/restart?includeTasks=true&onlyFailed=true", "")
	var got connectorStatus
	r.json(t, &got)
	if r.status != 202 || got.Connector.State != "RUNNING" || got.Tasks[0].State != "RESTARTING" || got.Tasks[0].Trace == "" {
		t.Fatalf("restart onlyFailed: %s, want the task RESTARTING with its old trace", r)
	}
	e.waitStates("bad", "RUNNING", "FAILED")
}

// TestOffsetsAlterAndReset: offsets can be read at any time, changed only while STOPPED; the source then
// resumes from the new position.
func TestOffsetsAlterAndReset(t *testing.T) {
	e := newEnv(t, options{worker: map[string]string{"value.converter": "org.apache.kafka.connect.storage.StringConverter"}})
	e.write("in.txt", "a\nb\nc\n")
	in := e.path("in.txt")
	e.createSource("src", "in.txt", "t")
	if got := kafkatest.Values(e.broker.Read("t", 3, 20*time.Second)); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("topic holds %q", got)
	}
	offsets := `{"offsets":[{"partition":{"filename":"` + in + `"},"offset":{"position":6}}]}`
	kafkatest.Eventually(t, 20*time.Second, func() error {
		if r := e.req("GET", "/connectors/src/offsets", ""); string(r.body) != offsets {
			return fmt.Errorf("offsets %s", r)
		}
		return nil
	})
	notStopped := "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/src/stop' endpoint"
	e.expectError("PATCH", "/connectors/src/offsets", offsets, 400, notStopped)
	e.expectError("DELETE", "/connectors/src/offsets", "", 400, notStopped)
	e.expectError("PATCH", "/connectors/src/offsets", `{"offsets":[]}`, 400, "Partitions / offsets need to be provided for an alter offsets request")

	e.expect("PUT", "/connectors/src/stop", "", 204, "")
	e.waitStates("src", "STOPPED")
	e.expect("PATCH", "/connectors/src/offsets", `{"offsets":[{"partition":{"filename":"`+in+`"},"offset":{"position":2}}]}`, 200,
		`{"message":"The offsets for this connector have been altered successfully"}`)
	e.expect("GET", "/connectors/src/offsets", "", 200, `{"offsets":[{"partition":{"filename":"`+in+`"},"offset":{"position":2}}]}`)
	e.expect("PUT", "/connectors/src/resume", "", 202, "")
	if got := kafkatest.Values(e.broker.Read("t", 5, 20*time.Second)); !slices.Equal(got, []string{"a", "b", "c", "b", "c"}) {
		t.Fatalf("after moving the offset back to 2 the topic holds %q, want b and c again", got)
	}

	e.expect("PUT", "/connectors/src/stop", "", 204, "")
	e.expect("DELETE", "/connectors/src/offsets", "", 200, `{"message":"The offsets for this connector have been reset successfully"}`)
	e.expect("GET", "/connectors/src/offsets", "", 200, `{"offsets":[]}`)
	e.expect("PUT", "/connectors/src/resume", "", 202, "")
	if got := kafkatest.Values(e.broker.Read("t", 8, 20*time.Second)); !slices.Equal(got, []string{"a", "b", "c", "b", "c", "a", "b", "c"}) {
		t.Fatalf("after a reset the topic holds %q, want the file once more", got)
	}
}

// TestTopics: active topics, their reset, and the worker switches that turn tracking off (403).
func TestTopics(t *testing.T) {
	e := newEnv(t, options{})
	e.write("in.txt", "x\n")
	e.createSource("src", "in.txt", "t-topics")
	kafkatest.Eventually(t, 20*time.Second, func() error {
		if r := e.req("GET", "/connectors/src/topics", ""); string(r.body) != `{"src":{"topics":["t-topics"]}}` {
			return fmt.Errorf("topics %s", r)
		}
		return nil
	})
	e.expect("PUT", "/connectors/src/topics/reset", "", 202, "")
	e.expect("GET", "/connectors/src/topics", "", 200, `{"src":{"topics":[]}}`)

	off := newEnv(t, options{broker: e.broker, worker: map[string]string{"topic.tracking.enable": "false"}})
	off.write("in.txt", "")
	off.createSource("src", "in.txt", "t")
	off.expectError("GET", "/connectors/src/topics", "", 403, "Topic tracking is disabled.")
	off.expectError("PUT", "/connectors/src/topics/reset", "", 403, "Topic tracking is disabled.")

	noReset := newEnv(t, options{broker: e.broker, worker: map[string]string{"topic.tracking.allow.reset": "false"}})
	noReset.write("in.txt", "")
	noReset.createSource("src", "in.txt", "t")
	noReset.expect("GET", "/connectors/src/topics", "", 200, `{"src":{"topics":[]}}`)
	noReset.expectError("PUT", "/connectors/src/topics/reset", "", 403, "Topic tracking reset is disabled.")
}

// TestPluginsAndValidate: plugin lists, a plugin's keys, and validation with every verb and path.
func TestPluginsAndValidate(t *testing.T) {
	e := newEnv(t, options{})
	connectorsOnly := `[{"class":"org.apache.kafka.connect.file.FileStreamSinkConnector","type":"sink","version":"3.9.0"},{"class":"org.apache.kafka.connect.file.FileStreamSourceConnector","type":"source","version":"3.9.0"}]`
	e.expect("GET", "/connector-plugins", "", 200, connectorsOnly)
	e.expect("GET", "/connector-plugins?connectorsOnly=true", "", 200, connectorsOnly)
	var all []struct{ Class, Type string }
	e.req("GET", "/connector-plugins?connectorsOnly=false", "").json(t, &all)
	if len(all) <= 2 || !slices.ContainsFunc(all, func(p struct{ Class, Type string }) bool {
		return p.Class == "org.apache.kafka.connect.storage.StringConverter" && p.Type == "converter"
	}) {
		t.Fatalf("connectorsOnly=false lists %v", all)
	}
	// Only "true" is true, as in Apache: "yes" lists everything.
	if r := e.req("GET", "/connector-plugins?connectorsOnly=yes", ""); len(r.body) <= len(connectorsOnly) {
		t.Fatalf("connectorsOnly=yes: %s", r)
	}

	var keys []struct {
		Name  string `json:"name"`
		Order int    `json:"order"`
	}
	e.req("GET", "/connector-plugins/FileStreamSource/config", "").json(t, &keys)
	if len(keys) < 4 || keys[0].Name != "file" || keys[1].Name != "topic" || !slices.ContainsFunc(keys, func(k struct {
		Name  string `json:"name"`
		Order int    `json:"order"`
	}) bool {
		return k.Name == "tasks.max" && k.Order == 3
	}) {
		t.Fatalf("FileStreamSource keys %+v", keys)
	}
	e.expectError("GET", "/connector-plugins/Nope/config", "", 404, "Unknown plugin Nope.")

	body := `{"connector.class":"FileStreamSource","name":"v","topic":"t","tasks.max":0}`
	for _, c := range []struct{ method, path string }{
		{"PUT", "/connector-plugins/FileStreamSource/config/validate"},
		{"POST", "/connector-plugins/FileStreamSource/config/validate"},
		{"PUT", "/connector-plugins/Source/config/validate/"},
		{"POST", "/connector-plugins/validate"},
	} {
		var v struct {
			Name       string `json:"name"`
			ErrorCount int    `json:"error_count"`
			Configs    []struct {
				Value struct {
					Name   string   `json:"name"`
					Value  *string  `json:"value"`
					Errors []string `json:"errors"`
				} `json:"value"`
			} `json:"configs"`
		}
		r := e.req(c.method, c.path, body)
		if r.status != 200 {
			t.Fatalf("%s %s: %s", c.method, c.path, r)
		}
		r.json(t, &v)
		i := slices.IndexFunc(v.Configs, func(c struct {
			Value struct {
				Name   string   `json:"name"`
				Value  *string  `json:"value"`
				Errors []string `json:"errors"`
			} `json:"value"`
		}) bool {
			return c.Value.Name == "tasks.max"
		})
		if v.Name != "FileStreamSource" || v.ErrorCount != 1 || i < 0 || *v.Configs[i].Value.Value != "0" ||
			!slices.Equal(v.Configs[i].Value.Errors, []string{"Invalid value 0 for configuration tasks.max: Value must be at least 1"}) {
			t.Fatalf("%s %s: %s", c.method, c.path, clip(r.String()))
		}
	}
	e.expectError("POST", "/connector-plugins/validate", `{"topic":"t"}`, 400, "Connector config contains no connector type")
	e.expectError("PUT", "/connector-plugins/FileStreamSink/config/validate", `{"connector.class":"FileStreamSource"}`, 400,
		"Included connector type FileStreamSource does not match request type FileStreamSink")
	if r := e.req("POST", "/connector-plugins/validate", `{"connector.class":"Nope"}`); r.status != 400 || !strings.Contains(string(r.body), "Nope") {
		t.Fatalf("validate an unknown class: %s", r)
	}
}

// TestLoggers: levels read and set through /admin/loggers change what the process logs, at once.
func TestLoggers(t *testing.T) {
	e := newEnv(t, options{})
	herderLines := func() int { return strings.Count(e.logs.String(), `"logger":"`+logging.HerderName+`"`) }
	e.write("in.txt", "")

	e.expect("GET", "/admin/loggers", "", 200, `{"root":{"level":"INFO","last_modified":null}}`)
	// Requests are logged under the REST server's logger, without their bodies, until it is quieted.
	requestLines := func() int { return strings.Count(e.logs.String(), `"message":"REST request"`) }
	e.req("GET", "/connectors/nosuch?x=1", "")
	// The line is written once the answer is sent.
	kafkatest.Eventually(t, 5*time.Second, func() error {
		if !strings.Contains(e.logs.String(), `"method":"GET","uri":"/connectors/nosuch?x=1","status":404`) {
			return fmt.Errorf("no request log line for GET /connectors/nosuch")
		}
		return nil
	})
	e.expect("PUT", "/admin/loggers/"+logging.RestServerName, `{"level":"WARN"}`, 200, `["`+logging.RestServerName+`"]`)
	before := requestLines()
	e.req("GET", "/connectors", "")
	time.Sleep(200 * time.Millisecond)
	if requestLines() != before {
		t.Fatal("requests are still logged with the REST server's logger at WARN")
	}

	e.expect("GET", "/admin/loggers/ROOT", "", 200, `{"level":"INFO","last_modified":null}`)
	e.expect("GET", "/admin/loggers/"+logging.HerderName, "", 200, `{"level":"INFO","last_modified":null}`)
	e.expectError("GET", "/admin/loggers/com.example.nosuch", "", 404, "Logger com.example.nosuch not found.")
	e.expectError("PUT", "/admin/loggers/org.apache.kafka.connect", `{"level":"LOUD"}`, 404, "invalid log level 'LOUD'.")
	e.expectError("PUT", "/admin/loggers/org.apache.kafka.connect", `{"lvl":"INFO"}`, 400, "Desired 'level' parameter was not specified in request.")
	e.expectError("PUT", "/admin/loggers/org.apache.kafka.connect", `{"level":null}`, 400, "Desired 'level' parameter was not specified in request.")

	// The herder logs at INFO when a connector is created; at ERROR it does not.
	before = herderLines()
	e.createSource("a", "in.txt", "t")
	if herderLines() == before {
		t.Fatal("the herder logged nothing at INFO")
	}
	began := time.Now()
	r := e.req("PUT", "/admin/loggers/org.apache.kafka.connect.runtime", `{"level":"error"}`)
	var changed []string
	r.json(t, &changed)
	if r.status != 200 || !slices.Contains(changed, "org.apache.kafka.connect.runtime") || !slices.Contains(changed, logging.HerderName) ||
		!slices.IsSorted(changed) || slices.Contains(changed, logging.RestServerName) == false {
		t.Fatalf("PUT level: %s", r)
	}
	before = herderLines()
	e.createSource("b", "in.txt", "t")
	if n := herderLines(); n != before {
		t.Fatalf("the herder logged %d lines at ERROR level", n-before)
	}
	var lvl struct {
		Level        string `json:"level"`
		LastModified int64  `json:"last_modified"`
	}
	e.req("GET", "/admin/loggers/"+logging.HerderName, "").json(t, &lvl)
	if lvl.Level != "ERROR" || lvl.LastModified < began.UnixMilli()-1 || lvl.LastModified > time.Now().UnixMilli() {
		t.Fatalf("herder logger %+v", lvl)
	}
	// scope=cluster answers 204 (one worker: applied here); another scope is the worker scope.
	e.expect("PUT", "/admin/loggers/"+logging.HerderName+"?scope=cluster", `{"level":"DEBUG"}`, 204, "")
	errorModified := lvl.LastModified
	lvl.Level, lvl.LastModified = "", 0
	r = e.req("GET", "/admin/loggers/"+logging.HerderName, "")
	r.json(t, &lvl)
	if r.status != 200 || lvl.Level != "DEBUG" || lvl.LastModified < errorModified {
		t.Fatalf("herder logger after scope=cluster: %s, want DEBUG modified at or after %d", r, errorModified)
	}
	e.expect("PUT", "/admin/loggers/com.example.fresh?scope=galaxy", `{"level":"WARN","extra":"ignored"}`, 200, `["com.example.fresh"]`)
	before = herderLines()
	e.createSource("c", "in.txt", "t")
	if herderLines() == before {
		t.Fatal("the herder logged nothing at DEBUG")
	}
}

// TestAdminListeners: admin.listeners unset serves /admin on the API's listeners; empty turns it off; a URL
// moves it there.
func TestAdminListeners(t *testing.T) {
	off := newEnv(t, options{rest: func(c *rest.Config) { c.AdminListeners = []string{} }})
	off.expectError("GET", "/admin/loggers", "", 404, "HTTP 404 Not Found")

	moved := newEnv(t, options{broker: off.broker, rest: func(c *rest.Config) { c.AdminListeners = []string{"http://127.0.0.1:0"} }})
	moved.expectError("GET", "/admin/loggers", "", 404, "HTTP 404 Not Found")
	admin := "http://" + moved.server.Addrs()[1].String()
	if r := doRequest(t, moved.client, "GET", admin+"/admin/loggers", ""); r.status != 200 || !strings.Contains(string(r.body), `"root"`) {
		t.Fatalf("admin listener: %s", r)
	}
	if r := doRequest(t, moved.client, "GET", admin+"/connectors", ""); r.status != 404 {
		t.Fatalf("the admin listener serves the API: %s", r)
	}
}

// TestHealthAndTimeouts: /health is 503 until the worker is ready, 200 when the herder answers, 500 when
// it does not within the health timeout; a herder call that outlasts the request timeout is 500
// "Request timed out" (as Apache), and carries on.
func TestHealthAndTimeouts(t *testing.T) {
	g := newGate()
	defer g.release()
	e := newEnv(t, options{plugins: []connectors.Plugin{g.plugin()}, notReady: true,
		rest: func(c *rest.Config) { c.RequestTimeout, c.HealthTimeout = 500*time.Millisecond, 300*time.Millisecond }})
	e.expect("GET", "/health", "", 503, `{"status":"starting","message":"Worker is still starting up."}`)
	e.herder.SetReady()
	e.expect("GET", "/health", "", 200, `{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}`)

	began := time.Now()
	e.expectError("POST", "/connectors", `{"name":"slow","config":{"connector.class":"com.example.GateConnector"}}`, 500, "Request timed out")
	if took := time.Since(began); took < 500*time.Millisecond || took > 5*time.Second {
		t.Fatalf("timed out after %s, want the 500ms request timeout", took)
	}
	e.expect("GET", "/health", "", 500, `{"status":"unhealthy","message":"Worker was unable to handle this request and may be unable to handle other requests."}`)
	// Reads do not wait for the busy herder.
	e.expect("GET", "/connectors", "", 200, `["slow"]`)
	g.release()
	e.waitStates("slow", "RUNNING")
	e.expect("GET", "/health", "", 200, `{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}`)
}

// TestBeforeStart: between Listen and Start every request is answered 503 in JSON.
func TestBeforeStart(t *testing.T) {
	levels, _ := logging.New(&syncbuf.Buffer{}, "info", "json")
	s, err := rest.Listen(rest.Config{Listeners: []string{"http://127.0.0.1:0"}, Loggers: levels})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	base := "http://" + s.Addrs()[0].String()
	client := &http.Client{Timeout: 10 * time.Second}
	if r := doRequest(t, client, "GET", base+"/connectors", ""); r.status != 503 || string(r.body) != `{"error_code":503,"message":"Worker is still starting up."}` {
		t.Fatalf("before Start: %s", r)
	}
	if r := doRequest(t, client, "GET", base+"/health", ""); r.status != 503 || string(r.body) != `{"status":"starting","message":"Worker is still starting up."}` {
		t.Fatalf("health before Start: %s", r)
	}
}

// TestGracefulShutdown: Shutdown lets a request in flight finish and answer, then refuses connections.
func TestGracefulShutdown(t *testing.T) {
	g := newGate()
	defer g.release()
	e := newEnv(t, options{plugins: []connectors.Plugin{g.plugin()}})
	answered := make(chan response, 1)
	go func() {
		answered <- doRequest(t, e.client, "POST", e.base+"/connectors", `{"name":"slow","config":{"connector.class":"com.example.GateConnector"}}`)
	}()
	select {
	case <-g.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the request did not reach the connector")
	}
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- e.server.Shutdown(ctx)
	}()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a request was in flight", err)
	default:
	}
	g.release()
	select {
	case r := <-answered:
		if r.status != 201 {
			t.Fatalf("the request in flight was answered %s", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request in flight was not answered")
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if _, err := net.DialTimeout("tcp", e.server.Addrs()[0].String(), time.Second); err == nil {
		t.Fatal("the listener still accepts connections after Shutdown")
	}
}

// TestCORS: no CORS headers unless access.control.allow.origin is set; then allowed origins get them and
// preflight requests are answered.
func TestCORS(t *testing.T) {
	plain := newEnv(t, options{})
	if r := plain.req("GET", "/connectors", "", "Origin", "http://ui.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS headers without access.control.allow.origin: %v", r.header)
	}

	e := newEnv(t, options{broker: plain.broker, rest: func(c *rest.Config) {
		c.AllowOrigin, c.AllowMethods = "http://ui.example,https://*.corp.example", "GET,POST,PUT,DELETE"
	}})
	for _, origin := range []string{"http://ui.example", "https://connect.corp.example"} {
		r := e.req("GET", "/connectors", "", "Origin", origin)
		if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != origin || r.header.Get("Access-Control-Allow-Credentials") != "true" {
			t.Fatalf("origin %s: %v", origin, r.header)
		}
	}
	if r := e.req("GET", "/connectors", "", "Origin", "http://evil.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("a foreign origin got CORS headers: %v", r.header)
	}
	r := e.req("OPTIONS", "/connectors/x/config", "", "Origin", "http://ui.example", "Access-Control-Request-Method", "PUT",
		"Access-Control-Request-Headers", "content-type")
	h := r.header
	if r.status != 204 || h.Get("Access-Control-Allow-Origin") != "http://ui.example" || h.Get("Access-Control-Allow-Methods") != "GET,POST,PUT,DELETE" ||
		!strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "content-type") || h.Get("Access-Control-Max-Age") != "1800" {
		t.Fatalf("preflight: %d %v", r.status, h)
	}
	// A method not allowed gets no Allow-Methods, so the browser refuses.
	r = e.req("OPTIONS", "/connectors/x/config", "", "Origin", "http://ui.example", "Access-Control-Request-Method", "PATCH")
	if r.header.Get("Access-Control-Allow-Methods") != "" {
		t.Fatalf("preflight for PATCH: %v", r.header)
	}
	// Errors carry the headers too.
	if r := e.req("GET", "/connectors/nosuch", "", "Origin", "http://ui.example"); r.status != 404 || r.header.Get("Access-Control-Allow-Origin") != "http://ui.example" {
		t.Fatalf("404 with CORS: %v", r.header)
	}

	star := newEnv(t, options{broker: plain.broker, rest: func(c *rest.Config) { c.AllowOrigin = "*" }})
	r = star.req("OPTIONS", "/connectors", "", "Origin", "http://any.example", "Access-Control-Request-Method", "POST")
	if r.header.Get("Access-Control-Allow-Origin") != "http://any.example" || r.header.Get("Access-Control-Allow-Methods") != "GET,POST,HEAD" {
		t.Fatalf("* with default methods: %v", r.header)
	}
}

// TestResponseHeaders: response.http.headers.config rules apply to every answer.
func TestResponseHeaders(t *testing.T) {
	rules, err := config.ParseHeaderRules(`set X-Frame-Options:DENY,add Cache-Control:no-store,"add X-Note:a,b",setDate Expires:3600000`)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, options{rest: func(c *rest.Config) { c.HeaderRules = rules }})
	for _, path := range []string{"/connectors", "/connectors/nosuch", "/nope"} {
		r := e.req("GET", path, "")
		exp, err := http.ParseTime(r.header.Get("Expires"))
		if r.header.Get("X-Frame-Options") != "DENY" || r.header.Get("Cache-Control") != "no-store" || r.header.Get("X-Note") != "a,b" ||
			err != nil || exp.Sub(time.Now()) < 59*time.Minute || exp.Sub(time.Now()) > 61*time.Minute {
			t.Fatalf("GET %s: headers %v", path, r.header)
		}
	}
}

// TestListeners: several listeners, every interface, the advertised worker id, and clear errors.
func TestListeners(t *testing.T) {
	levels, _ := logging.New(&syncbuf.Buffer{}, "info", "json")
	listen := func(c rest.Config) (*rest.Server, error) {
		c.Loggers = levels
		s, err := rest.Listen(c)
		if err == nil {
			t.Cleanup(func() { s.Shutdown(context.Background()) })
		}
		return s, err
	}
	s, err := listen(rest.Config{Listeners: []string{"http://127.0.0.1:0", "http://:0"}})
	if err != nil {
		t.Fatal(err)
	}
	port := s.Addrs()[0].(*net.TCPAddr).Port
	if len(s.Addrs()) != 2 || s.WorkerID() != fmt.Sprintf("127.0.0.1:%d", port) {
		t.Fatalf("addresses %v, worker id %s", s.Addrs(), s.WorkerID())
	}
	if ip := s.Addrs()[1].(*net.TCPAddr).IP; !ip.IsUnspecified() {
		t.Fatalf("http://:0 listens on %v, want every interface", ip)
	}
	s, err = listen(rest.Config{Listeners: []string{"http://0.0.0.0:0"}, AdvertisedHost: "connect.example", AdvertisedPort: 9999})
	if err != nil || s.WorkerID() != "connect.example:9999" {
		t.Fatalf("advertised worker id %q (%v)", s.WorkerID(), err)
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	url := "http://" + busy.Addr().String()
	for _, c := range []struct {
		cfg  rest.Config
		want string
	}{
		{rest.Config{Listeners: []string{url}}, "listeners " + url + ": address already in use — is another worker running?"},
		{rest.Config{Listeners: []string{"http://127.0.0.1:0"}, AdminListeners: []string{url}}, "admin.listeners " + url + ": address already in use — is another worker running?"},
		{rest.Config{Listeners: []string{"https://127.0.0.1:0"}}, "listeners: listener https://127.0.0.1:0: HTTPS listeners are not supported yet; use http:// (behind a TLS proxy if needed)"},
		{rest.Config{Listeners: []string{"127.0.0.1:8083"}}, `listeners: listener "127.0.0.1:8083": want a URL such as http://127.0.0.1:8083`},
		{rest.Config{Listeners: []string{"http://127.0.0.1"}}, "listeners: listener http://127.0.0.1: no port; want a URL such as http://127.0.0.1:8083"},
		{rest.Config{Listeners: []string{"ftp://127.0.0.1:21"}}, `listeners: listener ftp://127.0.0.1:21: unknown scheme "ftp"; want http`},
	} {
		if _, err := listen(c.cfg); err == nil || err.Error() != c.want {
			t.Errorf("Listen(%v) = %v, want %q", c.cfg.Listeners, err, c.want)
		}
	}
}

// TestWorkerConfig reads the REST keys of a worker configuration.
func TestWorkerConfig(t *testing.T) {
	parse := func(extra map[string]string) config.Values {
		w := map[string]string{"key.converter": "x", "value.converter": "x", "offset.storage.file.filename": "f"}
		for k, v := range extra {
			w[k] = v
		}
		v, err := config.WorkerDef().Parse(w)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	c, err := rest.WorkerConfig(parse(nil))
	if err != nil || !slices.Equal(c.Listeners, []string{"http://127.0.0.1:8083"}) || c.AdminListeners != nil || c.AllowOrigin != "" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = rest.WorkerConfig(parse(map[string]string{"admin.listeners": "", "listeners": "http://:8083,http://127.0.0.1:9000",
		"rest.advertised.host.name": "h", "rest.advertised.port": "1", "access.control.allow.origin": "*",
		"access.control.allow.methods": "GET,PUT", "response.http.headers.config": "set A:b"}))
	if err != nil || c.AdminListeners == nil || len(c.AdminListeners) != 0 || len(c.Listeners) != 2 || c.AdvertisedHost != "h" ||
		c.AdvertisedPort != 1 || c.AllowMethods != "GET,PUT" || len(c.HeaderRules) != 1 {
		t.Fatalf("parsed: %+v %v", c, err)
	}
	for _, bad := range []struct{ key, value, want string }{
		{"listeners", "https://:8443", `key "listeners": listener https://:8443: HTTPS listeners are not supported yet`},
		{"response.http.headers.config", "setDate Expires:soon", `Invalid header value 'soon' for setDate Expires`},
	} {
		_, err := rest.WorkerConfig(parse(map[string]string{bad.key: bad.value}))
		var ce *config.Error
		if err == nil || !strings.Contains(err.Error(), bad.want) || !errorsAs(err, &ce) || ce.Key != bad.key {
			t.Errorf("%s=%s: %v, want a config error naming the key with %q", bad.key, bad.value, err, bad.want)
		}
	}
}

func errorsAs(err error, target **config.Error) bool {
	e, ok := err.(*config.Error)
	if ok {
		*target = e
	}
	return ok
}
