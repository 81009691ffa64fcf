package rest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/fixtures"
)

// exchange is one recorded Apache 3.6 REST exchange (../shared/fixtures/apache-3.6/README.md).
type exchange struct {
	Seq            int               `json:"seq"`
	Method         string            `json:"method"`
	Path           string            `json:"path"`
	RequestHeaders map[string]string `json:"request_headers"`
	RequestBody    json.RawMessage   `json:"request_body"`
	RawText        bool              `json:"request_body_is_raw_text"`
	Status         int               `json:"status"`
	Headers        map[string]string `json:"headers"`
	Body           json.RawMessage   `json:"body"`
	BodyIsJSON     bool              `json:"body_is_json"`
	Note           string            `json:"note"`
}

func loadExchange(t *testing.T, dir string, seq int) exchange {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("%03d-*.json", seq)))
	if len(matches) != 1 {
		t.Fatalf("fixture %03d: %d files", seq, len(matches))
	}
	raw, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	var x exchange
	if err := json.Unmarshal(raw, &x); err != nil {
		t.Fatalf("%s: %v", matches[0], err)
	}
	return x
}

// deviation is how our answer to a recorded exchange deliberately differs from Apache 3.6's.
type deviation struct {
	why    string
	path   string // request path to send instead
	status int    // expected status instead of Apache's
	body   string // expected body (compact JSON) instead of Apache's; "" keeps Apache's (or none)
	check  func(t *testing.T, r response)
	// before runs first: waits for a state Apache had reached when the exchange was recorded.
	before func(e *env)
	skip   bool
}

// deviations lists every recorded exchange answered differently, and why. Anything not listed must match
// Apache's status, Content-Type and JSON body (environment values normalised).
var deviations = map[int]deviation{
	1:   {why: "GET / reports the Apache API version implemented (3.9.0) and this project's version as commit", body: `{"version":"3.9.0","commit":"test-commit","kafka_cluster_id":"kfake"}`},
	4:   {why: "the built-in plugins only (Apache's classpath also has MirrorMaker)", body: `[{"class":"org.apache.kafka.connect.file.FileStreamSinkConnector","type":"sink","version":"3.9.0"},{"class":"org.apache.kafka.connect.file.FileStreamSourceConnector","type":"source","version":"3.9.0"}]`},
	5:   {why: "the built-in plugins only (no MirrorMaker), and BooleanConverter (3.7+)", check: checkAllPlugins},
	14:  {why: "a sink without topics is reported like every other problem: 200 with the error on the topics key (Apache: 500)", status: 200, check: validation("FileStreamSink", -1)},
	15:  {why: "both topics and topics.regex are reported like every other problem: 200 with errors (Apache: 500)", status: 200, check: validation("FileStreamSink", -1)},
	17:  {why: "a missing connector.class is the client's mistake: 400 with trunk's message, not 500", status: 400, body: `{"error_code":400,"message":"Connector config contains no connector type"}`},
	18:  {why: "an unknown class is the client's mistake: 400 naming it and the available ones (as Apache 4.1+)", status: 400, check: unknownClass("NoSuch")},
	24:  {why: "an unknown class is the client's mistake: 400 naming it and the available ones (as Apache 4.1+)", status: 400, check: unknownClass("com.example.NoSuchConnector")},
	25:  {why: "trunk's message, which does not echo the configuration (it may hold secrets)", body: `{"error_code":400,"message":"Connector config contains no connector type"}`},
	27:  {why: "a null value is rejected with 400 naming the key; Apache answers 500 and stores a connector that can only fail", status: 400, body: `{"error_code":400,"message":"Invalid value null for configuration file: Null value can not be supplied as the configuration value."}`},
	29:  {why: "a missing config is the client's mistake: 400, not a NullPointerException", status: 400, body: `{"error_code":400,"message":"The request body has no \"config\": a connector needs its configuration"}`},
	30:  {why: "initial_state exists in the API implemented (3.7+): the connector is created PAUSED, with no tasks", status: 201, body: `{"name":"bad8","config":{"connector.class":"FileStreamSource","topic":"t","name":"bad8"},"tasks":[],"type":"source"}`},
	32:  {why: "bad6 was never stored (027)", skip: true},
	33:  {why: "bad6 was never stored (027)", skip: true},
	34:  {why: "bad6 was never stored (027)", skip: true},
	35:  {why: "bad6 was never stored (027)", status: 404, body: `{"error_code":404,"message":"Connector bad6 not found"}`},
	59:  {why: "an unknown connector is 404 on every endpoint", status: 404, body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	64:  {why: "POST pause is an extension (the seed's spelling)", status: 202},
	76:  {why: "PUT task restart is an extension (the seed's spelling)", status: 204},
	97:  {why: "an offset the connector rejects is the client's mistake: 400 with Apache's message (Apache: 500)", status: 400, body: `{"error_code":400,"message":"Offset objects should either be null or contain the key 'position'"}`},
	98:  {why: "a nested offset value is the client's mistake: 400 with Apache's message (Apache: 500)", status: 400, body: `{"error_code":400,"message":"Offsets may only contain primitive types as values, but field position contains MAP"}`},
	99:  {why: "an offset the connector rejects is the client's mistake: 400 with Apache's message (Apache: 500)", status: 400, body: `{"error_code":400,"message":"The value for the 'position' key in the offset is expected to be a Long value"}`},
	100: {why: "a null partition is the client's mistake: 400 with Apache's message (Apache: 500)", status: 400, body: `{"error_code":400,"message":"Partition objects cannot be null"}`},
	116: {why: "(not a deviation) the task restarted by 115 has failed again, as in Apache's session", before: func(e *env) { e.waitStates("fail1", "RUNNING", "FAILED") }},
	134: {why: "Apache's 500 came from the test broker's handling of a deleted group; no committed offsets is an empty list", status: 200, body: `{"offsets":[]}`},
	136: {why: "last_modified (3.7+); no org.reflections logger here", body: `{"root":{"level":"INFO","last_modified":null}}`},
	137: {why: "last_modified (3.7+)", body: `{"level":"INFO","last_modified":null}`},
	140: {why: "last_modified (3.7+) is the time of the PUT", check: loggerLevel("DEBUG", true)},
	145: {why: "last_modified (3.7+); no org.reflections logger here", check: loggersAfterPuts},
	149: {why: "DELETE …/config is an extension that deletes the connector; sent for an unknown one to keep src1", path: "/connectors/nosuch/config", status: 404, body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	150: {why: "POST validate is an extension", status: 200, check: validation("FileStreamSource", 1)},
	151: {why: "POST /connector-plugins/validate is an extension", status: 200, check: validation("FileStreamSource", 1)},
	152: {why: "malformed JSON is the client's mistake: 400 saying where", status: 400, body: `{"error_code":400,"message":"Malformed JSON in the request body: it ends (line 1, column 26) before the JSON value is complete"}`},
	153: {why: "malformed JSON is the client's mistake: 400 saying where", status: 400, body: `{"error_code":400,"message":"Malformed JSON in the request body at line 1, column 2: invalid character 'n' looking for beginning of object key string"}`},
	154: {why: "malformed JSON is the client's mistake: 400 saying where", status: 400, body: `{"error_code":400,"message":"Malformed JSON in the request body: it ends (line 1, column 4) before the JSON value is complete"}`},
	155: {why: "malformed JSON is the client's mistake: 400 saying where", status: 400, body: `{"error_code":400,"message":"Malformed JSON in the request body: it ends (line 1, column 11) before the JSON value is complete"}`},
	156: {why: "an empty body is the client's mistake: 400", status: 400, body: `{"error_code":400,"message":"The request body is empty; a JSON object is expected"}`},
	157: {why: "a body of the wrong shape is the client's mistake: 400", status: 400, body: `{"error_code":400,"message":"The request body must be a JSON object, not an array"}`},
	169: {why: "one message for an unknown connector on every endpoint (the herder's)", body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	170: {why: "one message for an unknown connector on every endpoint (the herder's)", body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	171: {why: "an unknown connector is 404 on every endpoint", status: 404, body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	172: {why: "an unknown connector is 404 on every endpoint", status: 404, body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	173: {why: "one message for an unknown connector on every endpoint (the herder's)", body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	174: {why: "an unknown connector is 404 on every endpoint", status: 404, body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	175: {why: "an unknown connector is 404 on every endpoint", status: 404, body: `{"error_code":404,"message":"Connector nosuch not found"}`},
	186: {why: "restarting an unknown task leaves no phantom FAILED task behind", body: `{"name":"src2","connector":{"state":"RUNNING","worker_id":"127.0.0.1:33083"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:33083"}],"type":"source"}`},
	187: {why: "restarting an unknown task leaves no phantom FAILED task behind", status: 404, body: `{"error_code":404,"message":"No status found for task src2-9"}`},
	191: {why: "a sink without topics is the client's mistake: 400 with the invalid-configuration text", status: 400, check: errorContains(400, "Must configure one of topics or topics.regex")},
}

// TestGoldenApacheSession replays Apache 3.6's recorded REST session, in order, against this server, a real
// herder and a real broker, and compares each answer with Apache's.
func TestGoldenApacheSession(t *testing.T) {
	dir := fixtures.Dir(t, "rest")
	e := newEnv(t, options{})
	// Apache's file connector classes are loaded, so their loggers exist and PUT on their namespace lists them.
	for _, n := range []string{"FileStreamSinkConnector", "FileStreamSinkTask", "FileStreamSourceConnector", "FileStreamSourceTask"} {
		e.levels.Logger("org.apache.kafka.connect.file." + n)
	}
	// The capture's input files.
	e.write("src1.txt", "alpha\nbeta\ngamma\n")
	e.write("src2.txt", "one\ntwo\n")
	e.write("fail1.txt", "boom\n")
	replace := strings.NewReplacer("127.0.0.1:33083", e.server.WorkerID(), "/data/ap3/data/", e.dir+"/")

	for seq := 1; seq <= 193; seq++ {
		x := loadExchange(t, dir, seq)
		dev, deviates := deviations[seq]
		if dev.skip {
			continue
		}
		if dev.before != nil {
			dev.before(e)
		}
		path := x.Path
		if dev.path != "" {
			path = dev.path
		}
		var body string
		switch {
		case x.RawText:
			json.Unmarshal(x.RequestBody, &body)
		case string(x.RequestBody) != "null":
			body = replace.Replace(string(x.RequestBody))
		}
		status, wantBody := x.Status, ""
		if x.BodyIsJSON {
			wantBody = replace.Replace(compact(t, x.Body))
		}
		if deviates {
			if dev.status != 0 {
				status = dev.status
			}
			if dev.body != "" {
				wantBody = replace.Replace(dev.body)
			} else if dev.status != 0 && dev.status != x.Status {
				wantBody = ""
			}
		}

		// Reads are retried for a while: tasks move records and commit offsets in the background.
		deadline := time.Now().Add(20 * time.Second)
		for {
			r := send(t, e, x, path, body)
			problem := compareAnswer(r, status, wantBody, x, dev, replace, e)
			if problem == "" && dev.check != nil {
				dev.check(t, r)
			}
			if problem == "" {
				break
			}
			if x.Method != http.MethodGet || time.Now().After(deadline) {
				t.Fatalf("%03d %s %s: %s\ngot:  %d %s\nwant: %d %s", seq, x.Method, path, problem, r.status, clip(string(r.body)), status, clip(wantBody))
			}
			time.Sleep(100 * time.Millisecond)
		}
		if seq == 30 { // the connector created PAUSED is not part of Apache's session
			e.expect("DELETE", "/connectors/bad8", "", 204, "")
		}
	}
}

// send replays the request of an exchange: its method, path, headers and body, byte for byte.
func send(t *testing.T, e *env, x exchange, path, body string) response {
	t.Helper()
	var rd *strings.Reader
	if body != "" || x.RawText {
		rd = strings.NewReader(body)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(x.Method, e.base+path, rd)
	} else {
		req, err = http.NewRequest(x.Method, e.base+path, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range x.RequestHeaders {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", x.Method, path, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b.Bytes()}
}

// compareAnswer returns what differs between an answer and the expected one, or "".
func compareAnswer(r response, status int, wantBody string, x exchange, dev deviation, replace *strings.Replacer, e *env) string {
	if r.status != status {
		return fmt.Sprintf("status %d, want %d", r.status, status)
	}
	if loc := x.Headers["location"]; loc != "" {
		if got, want := r.header.Get("Location"), strings.Replace(loc, "127.0.0.1:33083", strings.TrimPrefix(e.base, "http://"), 1); got != want {
			return fmt.Sprintf("Location %q, want %q", got, want)
		}
	}
	ct := r.header.Get("Content-Type")
	if len(r.body) == 0 {
		if wantBody != "" && dev.check == nil {
			return "empty body"
		}
		if ct != "" {
			return fmt.Sprintf("Content-Type %q on an empty answer", ct)
		}
		return ""
	}
	// Apache sends its router's 404/405/415 errors without a Content-Type; these are JSON too, said so.
	if ct != "application/json" {
		return fmt.Sprintf("Content-Type %q, want application/json", ct)
	}
	if dev.check != nil {
		return ""
	}
	if wantBody == "" {
		return "a body where Apache sends none"
	}
	return sameJSON(wantBody, string(r.body))
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

func compact(t *testing.T, raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// jsonObject is a decoded JSON object that remembers its key order.
type jsonObject struct {
	keys []string
	vals map[string]any
}

func parseOrdered(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	return orderedValue(dec)
}

func orderedValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := jsonObject{vals: map[string]any{}}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := orderedValue(dec)
			if err != nil {
				return nil, err
			}
			o.keys = append(o.keys, k.(string))
			o.vals[k.(string)] = v
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		var a []any
		for dec.More() {
			v, err := orderedValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return tok, nil
}

// entityFields are the field names of Apache's REST entities. An object made only of them is an entity,
// whose field order is checked; other objects are maps (configurations, offsets, connectors by name), whose
// order is not meaningful.
var entityFields = map[string]bool{}

func init() {
	for _, f := range strings.Fields(`name config tasks type connector state worker_id trace id task error_code
		message version commit kafka_cluster_id offsets partition offset level last_modified definition value
		recommended_values errors visible required default_value importance documentation group width
		display_name dependents order error_count groups configs class topics status info`) {
		entityFields[f] = true
	}
}

// sameJSON compares two JSON texts: equal values, entity fields in the same order, and a Java stack trace
// matched by presence only (its text is the JVM's).
func sameJSON(want, got string) string {
	w, err := parseOrdered(want)
	if err != nil {
		return fmt.Sprintf("expected body is not JSON: %v", err)
	}
	g, err := parseOrdered(got)
	if err != nil {
		return fmt.Sprintf("body is not JSON: %v", err)
	}
	return diffJSON("$", w, g)
}

func diffJSON(path string, want, got any) string {
	switch w := want.(type) {
	case jsonObject:
		g, ok := got.(jsonObject)
		if !ok {
			return path + ": not an object"
		}
		if !slices.Equal(sortedCopy(w.keys), sortedCopy(g.keys)) {
			return fmt.Sprintf("%s: keys %v, want %v", path, g.keys, w.keys)
		}
		entity := true
		for _, k := range w.keys {
			entity = entity && entityFields[k]
		}
		if entity && !slices.Equal(w.keys, g.keys) {
			return fmt.Sprintf("%s: field order %v, want %v", path, g.keys, w.keys)
		}
		for _, k := range w.keys {
			if k == "trace" {
				if s, _ := g.vals[k].(string); s == "" {
					return path + ".trace: empty, want a trace"
				}
				continue
			}
			if d := diffJSON(path+"."+k, w.vals[k], g.vals[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: %v, want %d elements", path, got, len(w))
		}
		for i := range w {
			if d := diffJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if fmt.Sprint(want) != fmt.Sprint(got) {
		return fmt.Sprintf("%s: %v, want %v", path, got, want)
	}
	return ""
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// checkAllPlugins: the same list as Apache's, in the same order, but for MirrorMaker's connectors (not
// built in) and BooleanConverter (Apache 3.7+), with this project's version.
func checkAllPlugins(t *testing.T, r response) {
	t.Helper()
	type plugin struct{ Class, Type, Version string }
	var got, apache []plugin
	r.json(t, &got)
	json.Unmarshal(loadExchange(t, fixtures.Dir(t, "rest"), 5).Body, &apache)
	got = slices.DeleteFunc(got, func(p plugin) bool { return strings.HasSuffix(p.Class, ".BooleanConverter") })
	apache = slices.DeleteFunc(apache, func(p plugin) bool { return strings.Contains(p.Class, ".mirror.") })
	for i := range apache {
		apache[i].Version = "3.9.0"
	}
	if !slices.Equal(got, apache) {
		t.Fatalf("plugins:\n%v\nwant Apache's without MirrorMaker:\n%v", got, apache)
	}
}

func unknownClass(class string) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var e struct {
			ErrorCode int    `json:"error_code"`
			Message   string `json:"message"`
		}
		r.json(t, &e)
		if e.ErrorCode != 400 || !strings.Contains(e.Message, class) ||
			!strings.Contains(e.Message, "org.apache.kafka.connect.file.FileStreamSourceConnector") {
			t.Fatalf("unknown class answer %s does not name %s and the available connectors", r, class)
		}
	}
}

func errorContains(status int, text string) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var e struct {
			ErrorCode int    `json:"error_code"`
			Message   string `json:"message"`
		}
		r.json(t, &e)
		if e.ErrorCode != status || !strings.Contains(e.Message, text) {
			t.Fatalf("answer %s, want %d mentioning %q", r, status, text)
		}
	}
}

func validation(name string, errors int) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var v struct {
			Name       string `json:"name"`
			ErrorCount int    `json:"error_count"`
			Configs    []any  `json:"configs"`
		}
		r.json(t, &v)
		if v.Name != name || len(v.Configs) == 0 || errors >= 0 && v.ErrorCount != errors || errors < 0 && v.ErrorCount == 0 {
			t.Fatalf("validation answer %s, want %s with %d errors", clip(r.String()), name, errors)
		}
	}
}

func loggerLevel(level string, modified bool) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var l struct {
			Level        string `json:"level"`
			LastModified *int64 `json:"last_modified"`
		}
		r.json(t, &l)
		if l.Level != level || (l.LastModified != nil) != modified {
			t.Fatalf("logger %s, want level %s (modified: %v)", r, level, modified)
		}
		if modified && time.Since(time.UnixMilli(*l.LastModified)).Abs() > time.Minute {
			t.Fatalf("last_modified %d is not the time of the change", *l.LastModified)
		}
	}
}

func loggersAfterPuts(t *testing.T, r response) {
	t.Helper()
	var got map[string]struct {
		Level        string `json:"level"`
		LastModified *int64 `json:"last_modified"`
	}
	r.json(t, &got)
	want := map[string]string{
		"com.example.fresh": "WARN", "org.apache.kafka.connect.file": "INFO",
		"org.apache.kafka.connect.file.FileStreamSinkConnector": "INFO", "org.apache.kafka.connect.file.FileStreamSinkTask": "INFO",
		"org.apache.kafka.connect.file.FileStreamSourceConnector": "INFO", "org.apache.kafka.connect.file.FileStreamSourceTask": "INFO",
		"root": "INFO",
	}
	if len(got) != len(want) {
		t.Fatalf("loggers %s, want %v", r, want)
	}
	for name, level := range want {
		l, ok := got[name]
		if !ok || l.Level != level || (l.LastModified == nil) != (name == "root") {
			t.Fatalf("logger %s in %s, want %s, modified unless root", name, r, level)
		}
	}
	// Sorted by name, as Apache's TreeMap.
	if !bytes.HasPrefix(r.body, []byte(`{"com.example.fresh":`)) || !bytes.Contains(r.body, []byte(`},"root":{"level":"INFO","last_modified":null}}`)) {
		t.Fatalf("loggers not sorted by name: %s", r.body)
	}
}
