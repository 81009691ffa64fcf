package rest_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// sourceConfig is a FileStreamSource configuration body reading in.txt of the env into topic.
func (e *env) sourceConfig(file, topic string, extra ...string) string {
	m := map[string]string{"connector.class": "FileStreamSource", "file": e.path(file), "topic": topic}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func (e *env) createSource(name, file, topic string, extra ...string) {
	e.t.Helper()
	r := e.req("POST", "/connectors", `{"name":"`+name+`","config":`+e.sourceConfig(file, topic, extra...)+`}`)
	if r.status != http.StatusCreated {
		e.t.Fatalf("creating %s: %s", name, r)
	}
}

// TestUnknownRoutesAndVerbs: net/http's plain-text answers are replaced by Apache's JSON errors.
func TestUnknownRoutesAndVerbs(t *testing.T) {
	e := newEnv(t, options{})
	e.expectError("GET", "/nope", "", 404, "HTTP 404 Not Found")
	e.expectError("GET", "/connectors/x/nope", "", 404, "HTTP 404 Not Found")
	e.expectError("DELETE", "/connector-plugins", "", 405, "HTTP 405 Method Not Allowed")
	e.expectError("POST", "/connectors/x/stop", "", 405, "HTTP 405 Method Not Allowed")
	r := e.req("PATCH", "/connectors", "")
	if r.header.Get("Allow") != "GET, HEAD, POST" {
		t.Fatalf("405 Allow header %q, want GET, HEAD, POST", r.header.Get("Allow"))
	}
	// A task id that is not an integer matches no route, as in Apache.
	e.expectError("GET", "/connectors/x/tasks/abc/status", "", 404, "HTTP 404 Not Found")
	e.expectError("POST", "/connectors/x/tasks/1.5/restart", "", 404, "HTTP 404 Not Found")
	e.expectError("GET", "/connectors/x/tasks/99999999999/status", "", 404, "HTTP 404 Not Found")
	// Trailing slashes are served like the slash-less path.
	e.expect("GET", "/connectors/", "", 200, `[]`)
	e.expectError("GET", "/connectors/nosuch/", "", 404, "Connector nosuch not found")
	// OPTIONS lists the verbs of a resource, as JAX-RS does; HEAD answers like GET without a body.
	r = e.req("OPTIONS", "/connectors/x/config", "")
	if r.status != 200 || r.header.Get("Allow") != "OPTIONS, GET, HEAD, PUT, PATCH, DELETE" || string(r.body) != "OPTIONS, GET, HEAD, PUT, PATCH, DELETE" {
		t.Fatalf("OPTIONS: %s, Allow %q", r, r.header.Get("Allow"))
	}
	e.expectError("OPTIONS", "/nope", "", 404, "HTTP 404 Not Found")
	r = e.req("HEAD", "/connectors", "")
	if r.status != 200 || len(r.body) != 0 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("HEAD /connectors: %s %v", r, r.header)
	}
	// An Accept header without JSON is 406, as in Apache.
	r = e.req("GET", "/connectors", "", "Accept", "text/plain")
	if r.status != 406 || string(r.body) != `{"error_code":406,"message":"HTTP 406 Not Acceptable"}` {
		t.Fatalf("Accept: text/plain: %s", r)
	}
	for _, accept := range []string{"application/json", "*/*", "text/html, application/xhtml+xml, */*;q=0.8", "application/*"} {
		if r := e.req("GET", "/connectors", "", "Accept", accept); r.status != 200 {
			t.Fatalf("Accept: %s: %s", accept, r)
		}
	}
}

// TestRequestBodyErrors: a wrong content type is 415 as in Apache; malformed or mistyped bodies, unknown
// fields and null values are 400 saying what is wrong (Apache: 500 with a parser or Java text).
func TestRequestBodyErrors(t *testing.T) {
	e := newEnv(t, options{})
	body := `{"name":"m","config":{"connector.class":"FileStreamSource","topic":"t"}}`
	for _, c := range []struct{ method, path string }{
		{"POST", "/connectors"}, {"PUT", "/connectors/m/config"}, {"PATCH", "/connectors/m/config"},
		{"PATCH", "/connectors/m/offsets"}, {"PUT", "/connector-plugins/FileStreamSource/config/validate"},
		{"POST", "/connector-plugins/validate"}, {"PUT", "/admin/loggers/x"},
	} {
		for _, ct := range []string{"text/plain", ""} {
			r := e.req(c.method, c.path, body, "Content-Type", ct)
			if r.status != 415 || string(r.body) != `{"error_code":415,"message":"HTTP 415 Unsupported Media Type"}` {
				t.Fatalf("%s %s with Content-Type %q: %s", c.method, c.path, ct, r)
			}
		}
	}
	if r := e.req("POST", "/connectors", body, "Content-Type", "application/json; charset=utf-8"); r.status != 201 {
		t.Fatalf("a charset parameter is accepted: %s", r)
	}

	for _, c := range []struct{ method, path, body, msg string }{
		{"POST", "/connectors", `{"name":"a","config":{"topic":"t"},"initial_stat":"PAUSED"}`,
			`Invalid request body: unknown field "initial_stat"; the known fields are "name", "config", "initial_state"`},
		{"POST", "/connectors", `{"name":"a","config":"topic=t"}`,
			`"config" must be a JSON object of configuration values, not a string`},
		{"POST", "/connectors", `{"name":5,"config":{}}`,
			`Invalid request body: field "name" must be a string, not a number (line 1, column 9)`},
		{"POST", "/connectors", "{\n  \"name\": \"a\",\n  \"config\": {\"topic\" \"t\"}\n}",
			`Malformed JSON in the request body at line 3, column 22: invalid character '"' after object key`},
		{"POST", "/connectors", `{"name":"a","config":{"topic":"t"}} {}`,
			`Malformed JSON in the request body at line 1, column 37: unexpected data after the JSON value`},
		{"POST", "/connectors", `   `, `The request body is empty; a JSON object is expected`},
		{"POST", "/connectors", `{"name":"a"}`, `The request body has no "config": a connector needs its configuration`},
		{"POST", "/connectors", `{"name":"a","config":null}`, `The request body has no "config": a connector needs its configuration`},
		{"POST", "/connectors", `{"name":"a","config":{"connector.class":"FileStreamSource","topic":"t"},"initial_state":"SLEEPING"}`,
			`invalid initial_state "SLEEPING": must be one of RUNNING, PAUSED, STOPPED`},
		{"POST", "/connectors", `{"name":"a","config":{"connector.class":"FileStreamSource","topic":"t","file":null,"batch.size":null}}`,
			`Invalid value null for configuration batch.size, file: Null value can not be supplied as the configuration value.`},
		{"PUT", "/connectors/a/config", `{"connector.class":"FileStreamSource","topic":["t"]}`,
			`Invalid value of configuration topic: a configuration value must be a string, not an array`},
		{"PUT", "/connectors/a/config", `["connector.class"]`,
			`The request body must be a JSON object of configuration values, not an array`},
		{"PUT", "/connectors/a/config", `{"connector.class":"FileStreamSource","topic":"t","file":null}`,
			`Invalid value null for configuration file: Null value can not be supplied as the configuration value.`},
		{"PUT", "/connector-plugins/FileStreamSource/config/validate", `{"connector.class":{"a":1}}`,
			`Invalid value of configuration connector.class: a configuration value must be a string, not an object`},
		{"PATCH", "/connectors/m/offsets", `{"offsets":[{"partition":{"filename":"x"},"ofset":{"position":1}}]}`,
			`Invalid request body: unknown field "ofset"; the known fields are "offsets"`},
		{"PATCH", "/connectors/m/offsets", `{"offsets":{"partition":{}}}`,
			`Invalid request body: field "offsets" must be a JSON array, not an object (line 1, column 12)`},
		{"PUT", "/admin/loggers/x", `{"level":["DEBUG"]}`,
			`Invalid value of configuration level: a configuration value must be a string, not an array`},
	} {
		e.expectError(c.method, c.path, c.body, 400, c.msg)
	}

	// A body over the limit is 413, and nothing is created.
	big := `{"name":"big","config":{"connector.class":"FileStreamSource","topic":"t","x":"` + strings.Repeat("x", 1<<20) + `"}}`
	e.expectError("POST", "/connectors", big, 413, "The request body is larger than the limit of 1048576 bytes")
	e.expectError("GET", "/connectors/big", "", 404, "Connector big not found")
}

// TestUnknownConnectorIs404Everywhere: Apache standalone answers some of these with 500 or 200.
func TestUnknownConnectorIs404Everywhere(t *testing.T) {
	e := newEnv(t, options{})
	for _, c := range []struct{ method, path, body, msg string }{
		{"GET", "/connectors/nosuch", "", ""},
		{"DELETE", "/connectors/nosuch", "", ""},
		{"DELETE", "/connectors/nosuch/config", "", ""},
		{"GET", "/connectors/nosuch/config", "", ""},
		{"PATCH", "/connectors/nosuch/config", `{"topic":"t"}`, ""},
		{"GET", "/connectors/nosuch/status", "", "No status found for connector nosuch"},
		{"POST", "/connectors/nosuch/restart", "", ""},
		{"POST", "/connectors/nosuch/restart?includeTasks=true&onlyFailed=true", "", ""},
		{"PUT", "/connectors/nosuch/pause", "", ""},
		{"POST", "/connectors/nosuch/pause", "", ""},
		{"PUT", "/connectors/nosuch/resume", "", ""},
		{"POST", "/connectors/nosuch/resume", "", ""},
		{"PUT", "/connectors/nosuch/stop", "", ""},
		{"GET", "/connectors/nosuch/tasks", "", ""},
		{"POST", "/connectors/nosuch/tasks", `[]`, ""},
		{"GET", "/connectors/nosuch/tasks-config", "", ""},
		{"GET", "/connectors/nosuch/tasks/0/status", "", "No status found for task nosuch-0"},
		{"POST", "/connectors/nosuch/tasks/0/restart", "", ""},
		{"PUT", "/connectors/nosuch/tasks/0/restart", "", ""},
		{"POST", "/connectors/nosuch/tasks/0/pause", "", ""},
		{"POST", "/connectors/nosuch/tasks/0/resume", "", ""},
		{"GET", "/connectors/nosuch/topics", "", ""},
		{"PUT", "/connectors/nosuch/topics/reset", "", ""},
		{"GET", "/connectors/nosuch/offsets", "", ""},
		{"PATCH", "/connectors/nosuch/offsets", `{"offsets":[{"partition":{"filename":"x"},"offset":{"position":1}}]}`, ""},
		{"DELETE", "/connectors/nosuch/offsets", "", ""},
		{"PUT", "/connectors/nosuch/fence", "", ""},
	} {
		msg := c.msg
		if msg == "" {
			msg = "Connector nosuch not found"
		}
		e.expectError(c.method, c.path, c.body, 404, msg)
	}
	// Unknown tasks of a known connector.
	e.write("in.txt", "")
	e.createSource("src", "in.txt", "t")
	for _, c := range []struct{ method, path, msg string }{
		{"GET", "/connectors/src/tasks/7/status", "No status found for task src-7"},
		{"POST", "/connectors/src/tasks/7/restart", "Task src-7 not found"},
		{"POST", "/connectors/src/tasks/-1/pause", ""},
	} {
		r := e.req(c.method, c.path, "")
		if r.status != 404 || c.msg != "" && !strings.Contains(string(r.body), c.msg) {
			t.Fatalf("%s %s: %s, want 404 %s", c.method, c.path, r, c.msg)
		}
	}
	// Distributed-mode endpoints are refused as Apache's standalone worker refuses them.
	e.expectError("POST", "/connectors/src/tasks", `[]`, 500, "Kafka Connect in standalone mode does not support externally setting task configurations.")
	e.expectError("PUT", "/connectors/src/fence", "", 500, "Kafka Connect in standalone mode does not support exactly-once source connectors.")
}

// TestCreateAndConfig covers create (with initial_state), the Location header, coercion of scalar values,
// bad names and classes, PUT config (201/200), PATCH config and DELETE …/config.
func TestCreateAndConfig(t *testing.T) {
	e := newEnv(t, options{})
	e.write("in.txt", "")
	in := e.path("in.txt")

	r := e.req("POST", "/connectors", `{"name":" c1 ","config":{"connector.class":"FileStreamSource","file":"`+in+`","topic":"t","tasks.max":1,"batch.size":10,"x.flag":true,"x.ratio":0.5}}`)
	if r.status != 201 || r.header.Get("Location") != e.base+"/connectors/c1" {
		t.Fatalf("create: %s, Location %q", r, r.header.Get("Location"))
	}
	want := `{"name":"c1","config":{"batch.size":"10","connector.class":"FileStreamSource","file":"` + in + `","name":"c1","tasks.max":"1","topic":"t","x.flag":"true","x.ratio":"0.5"},"tasks":[{"connector":"c1","task":0}],"type":"source"}`
	if string(r.body) != want {
		t.Fatalf("create answered %s, want %s", r.body, want)
	}
	e.expect("GET", "/connectors/c1/config", "", 200, `{"batch.size":"10","connector.class":"FileStreamSource","file":"`+in+`","name":"c1","tasks.max":"1","topic":"t","x.flag":"true","x.ratio":"0.5"}`)
	e.expectError("POST", "/connectors", `{"name":"c1","config":{"connector.class":"FileStreamSource","topic":"t"}}`, 409, "Connector c1 already exists")

	// initial_state, any case.
	for _, c := range []struct{ name, state, connState string }{{"p1", "paused", "PAUSED"}, {"s1", "STOPPED", "STOPPED"}, {"r1", "Running", "RUNNING"}} {
		r := e.req("POST", "/connectors", `{"name":"`+c.name+`","config":`+e.sourceConfig("in.txt", "t")+`,"initial_state":"`+c.state+`"}`)
		if r.status != 201 {
			t.Fatalf("create %s: %s", c.state, r)
		}
		var info struct{ Tasks []any }
		r.json(t, &info)
		if (len(info.Tasks) == 0) != (c.connState != "RUNNING") {
			t.Fatalf("created %s: tasks %v", c.state, info.Tasks)
		}
		if c.connState == "RUNNING" {
			e.waitStates(c.name, "RUNNING", "RUNNING")
		} else {
			e.waitStates(c.name, c.connState)
		}
	}

	// Names Apache accepts but cannot address, or that break logs, are refused.
	for _, c := range []struct{ name, msg string }{
		{"a/b", `Invalid connector name "a/b": a connector name may not contain '/'`},
		{"a\nb", "String may not contain control sequences but had the following ASCII chars: 10"},
		{"", "Invalid value  for configuration name: String may not be empty"},
	} {
		b, _ := json.Marshal(map[string]any{"name": c.name, "config": map[string]string{"connector.class": "FileStreamSource", "topic": "t"}})
		r := e.req("POST", "/connectors", string(b))
		var got struct{ Message string }
		json.Unmarshal(r.body, &got)
		if r.status != 400 || !strings.Contains(got.Message, c.msg) {
			t.Fatalf("name %q: %s, want 400 with %q", c.name, r, c.msg)
		}
	}
	// A name with characters that need escaping is addressable, and its Location is escaped.
	r = e.req("POST", "/connectors", `{"name":"my conn é","config":`+e.sourceConfig("in.txt", "t")+`}`)
	if r.status != 201 || r.header.Get("Location") != e.base+"/connectors/my%20conn%20%C3%A9" {
		t.Fatalf("create with a space: %s, Location %q", r, r.header.Get("Location"))
	}
	e.waitStates("my%20conn%20%C3%A9", "RUNNING", "RUNNING")
	e.expect("GET", "/connectors/my%20conn%20%C3%A9/status", "", 200, `{"name":"my conn é","connector":{"state":"RUNNING","worker_id":"`+e.server.WorkerID()+`"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"`+e.server.WorkerID()+`"}],"type":"source"}`)

	// An unknown class is 400 naming it and the connectors available.
	r = e.req("POST", "/connectors", `{"name":"u","config":{"connector.class":"com.example.Nope","topic":"t"}}`)
	if r.status != 400 || !strings.Contains(string(r.body), "com.example.Nope") || !strings.Contains(string(r.body), "org.apache.kafka.connect.file.FileStreamSinkConnector") {
		t.Fatalf("unknown class: %s", r)
	}

	// PUT config: 201 with Location when it creates, 200 when it replaces; the target state is kept.
	r = e.req("PUT", "/connectors/c2/config", e.sourceConfig("in.txt", "t"))
	if r.status != 201 || r.header.Get("Location") != e.base+"/connectors/c2" {
		t.Fatalf("PUT config (create): %s", r)
	}
	e.expect("PUT", "/connectors/c2/pause", "", 202, "")
	r = e.req("PUT", "/connectors/c2/config", e.sourceConfig("in.txt", "t2"))
	if r.status != 200 || r.header.Get("Location") != "" {
		t.Fatalf("PUT config (replace): %s", r)
	}
	e.waitStates("c2", "PAUSED")
	e.expectError("PUT", "/connectors/c2/config", `{"name":"other","connector.class":"FileStreamSource","topic":"t"}`, 400,
		"Connector name configuration (other) doesn't match connector name in the URL (c2)")

	// PATCH: set and remove keys; the name cannot change.
	r = e.req("PATCH", "/connectors/c1/config", `{"batch.size":"20","x.flag":null,"x.new":7}`)
	if r.status != 200 {
		t.Fatalf("PATCH: %s", r)
	}
	e.expect("GET", "/connectors/c1/config", "", 200, `{"batch.size":"20","connector.class":"FileStreamSource","file":"`+in+`","name":"c1","tasks.max":"1","topic":"t","x.new":"7","x.ratio":"0.5"}`)
	if r := e.req("PATCH", "/connectors/c1/config", `{"name":"renamed"}`); r.status != 400 {
		t.Fatalf("PATCH renaming: %s, want 400", r)
	}
	if r := e.req("PATCH", "/connectors/c1/config", `{"tasks.max":"0"}`); r.status != 400 || !strings.Contains(string(r.body), "Value must be at least 1") {
		t.Fatalf("PATCH with an invalid value: %s, want 400", r)
	}

	// DELETE …/config is an extension deleting the connector, like DELETE /connectors/{c}.
	e.expect("DELETE", "/connectors/c2/config", "", 204, "")
	e.expectError("GET", "/connectors/c2", "", 404, "Connector c2 not found")
	e.expect("DELETE", "/connectors/p1", "", 204, "")
	e.expect("GET", "/connectors", "", 200, `["c1","my conn é","r1","s1"]`)
}

// TestListExpand: GET /connectors with expand=status, info, both (in the order asked), and unknown ones.
func TestListExpand(t *testing.T) {
	e := newEnv(t, options{})
	e.write("in.txt", "")
	e.createSource("b", "in.txt", "t")
	e.createSource("a", "in.txt", "t", "tasks.max", "1")
	e.expect("PUT", "/connectors/a/stop", "", 204, "")
	e.waitStates("b", "RUNNING", "RUNNING")
	id := e.server.WorkerID()
	in := e.path("in.txt")
	statusA := `{"name":"a","connector":{"state":"STOPPED","worker_id":"` + id + `"},"tasks":[],"type":"source"}`
	statusB := `{"name":"b","connector":{"state":"RUNNING","worker_id":"` + id + `"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"` + id + `"}],"type":"source"}`
	infoA := `{"name":"a","config":{"connector.class":"FileStreamSource","file":"` + in + `","name":"a","tasks.max":"1","topic":"t"},"tasks":[],"type":"source"}`
	infoB := `{"name":"b","config":{"connector.class":"FileStreamSource","file":"` + in + `","name":"b","topic":"t"},"tasks":[{"connector":"b","task":0}],"type":"source"}`

	e.expect("GET", "/connectors", "", 200, `["a","b"]`)
	e.expect("GET", "/connectors?expand=status", "", 200, `{"a":{"status":`+statusA+`},"b":{"status":`+statusB+`}}`)
	e.expect("GET", "/connectors?expand=info", "", 200, `{"a":{"info":`+infoA+`},"b":{"info":`+infoB+`}}`)
	e.expect("GET", "/connectors?expand=status&expand=info", "", 200, `{"a":{"status":`+statusA+`,"info":`+infoA+`},"b":{"status":`+statusB+`,"info":`+infoB+`}}`)
	e.expect("GET", "/connectors?expand=info&expand=status&expand=info", "", 200, `{"a":{"info":`+infoA+`,"status":`+statusA+`},"b":{"info":`+infoB+`,"status":`+statusB+`}}`)
	e.expect("GET", "/connectors?expand=bogus", "", 200, `{"a":{},"b":{}}`)
	e.expect("GET", "/connectors/b/tasks", "", 200, `[{"id":{"connector":"b","task":0},"config":{"connector.class":"FileStreamSource","file":"`+in+`","name":"b","task.class":"org.apache.kafka.connect.file.FileStreamSourceTask","topic":"t"}}]`)
	e.expect("GET", "/connectors/b/tasks-config", "", 200, `{"b-0":{"connector.class":"FileStreamSource","file":"`+in+`","name":"b","task.class":"org.apache.kafka.connect.file.FileStreamSourceTask","topic":"t"}}`)
	e.expect("GET", "/connectors/a/tasks", "", 200, `[]`)
}

// TestPauseAndResumeDelivery: pausing (PUT, or POST as an extension) visibly stops delivery; resuming
// restarts it, from where it stopped.
func TestPauseAndResumeDelivery(t *testing.T) {
	e := newEnv(t, options{worker: map[string]string{"value.converter": "org.apache.kafka.connect.storage.StringConverter"}})
	for _, verb := range []string{"PUT", "POST"} {
		name, file, topic := "src-"+verb, "in-"+verb+".txt", "t-"+verb
		e.write(file, "a1\na2\n")
		e.createSource(name, file, topic)
		if got := kafkatest.Values(e.broker.Read(topic, 2, 20*time.Second)); !slices.Equal(got, []string{"a1", "a2"}) {
			t.Fatalf("topic holds %q", got)
		}
		e.expect(verb, "/connectors/"+name+"/pause", "", 202, "")
		e.waitStates(name, "PAUSED", "PAUSED")
		e.appendTo(file, "while-paused\n")
		time.Sleep(1500 * time.Millisecond)
		if got := e.broker.Read(topic, 100, time.Second); len(got) != 2 {
			t.Fatalf("%s pause: a paused source delivered: %q", verb, kafkatest.Values(got))
		}
		e.expect(verb, "/connectors/"+name+"/resume", "", 202, "")
		e.waitStates(name, "RUNNING", "RUNNING")
		if got := kafkatest.Values(e.broker.Read(topic, 3, 20*time.Second)); !slices.Equal(got, []string{"a1", "a2", "while-paused"}) {
			t.Fatalf("%s resume: topic holds %q", verb, got)
		}
	}
}
