package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/file"
	"github.com/connect-standalone/connect-standalone/converters"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/internal/syncbuf"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/rest"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// env is a REST server over a real herder, a real kfake broker and real files in a temporary directory;
// tests talk to it with a real HTTP client over loopback.
type env struct {
	t       *testing.T
	broker  *kafkatest.Broker
	dir     string
	worker  map[string]string
	levels  *logging.Levels
	logs    *syncbuf.Buffer
	herder  *runner.Herder
	store   *offsets.FileStore
	server  *rest.Server
	base    string // http://127.0.0.1:port
	client  *http.Client
	restCfg rest.Config
}

type options struct {
	worker   map[string]string // extra worker keys
	rest     func(*rest.Config)
	plugins  []connectors.Plugin
	broker   *kafkatest.Broker // shared broker, else a new one
	notReady bool              // leave SetReady uncalled
}

func newEnv(t *testing.T, o options) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), logs: &syncbuf.Buffer{}, client: &http.Client{Timeout: 30 * time.Second}}
	e.broker = o.broker
	if e.broker == nil {
		e.broker = kafkatest.Start(t, kafkatest.Options{})
	}
	e.worker = map[string]string{
		"bootstrap.servers":            e.broker.Addr(),
		"key.converter":                "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":              "org.apache.kafka.connect.json.JsonConverter",
		"offset.storage.file.filename": filepath.Join(e.dir, "connect.offsets"),
		"offset.flush.interval.ms":     "100",
	}
	maps.Copy(e.worker, o.worker)
	levels, err := logging.New(e.logs, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	e.levels = levels

	e.restCfg = rest.Config{Listeners: []string{"http://127.0.0.1:0"}, Commit: "test-commit", Loggers: levels,
		Log: levels.Logger(logging.RestServerName)}
	if o.rest != nil {
		o.rest(&e.restCfg)
	}
	e.server, err = rest.Listen(e.restCfg)
	if err != nil {
		t.Fatalf("rest.Listen: %v", err)
	}
	t.Cleanup(e.close)
	e.base = "http://" + e.server.Addrs()[0].String()

	e.store, err = offsets.Open(e.worker["offset.storage.file.filename"], levels.Logger(logging.OffsetStoreName))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, version, _, err := kafka.LookupCluster(ctx, e.worker, []string{e.broker.Addr()})
	if err != nil {
		t.Fatalf("negotiating the protocol version: %v", err)
	}
	providers, err := config.NewProviders(e.worker)
	if err != nil {
		t.Fatal(err)
	}
	plugins := slices.Concat(file.Plugins(), converters.Plugins(), transforms.Plugins(), o.plugins)
	e.herder, err = runner.New(runner.Config{
		Worker: e.worker, Providers: providers, Registry: connectors.NewRegistry(plugins...), Offsets: e.store,
		Bootstrap: []string{e.broker.Addr()}, KafkaVersion: version, WorkerID: e.server.WorkerID(),
		Log: levels.Logger(logging.HerderName),
	})
	if err != nil {
		t.Fatalf("runner.New: %v", err)
	}
	e.server.Start(e.herder, "kfake")
	if !o.notReady {
		e.herder.SetReady()
	}
	return e
}

func (e *env) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e.server != nil {
		e.server.Shutdown(ctx)
	}
	if e.herder != nil {
		e.herder.Shutdown()
		e.herder = nil
	}
	if e.t.Failed() {
		e.t.Logf("worker log:\n%s", e.logs.String())
	}
}

func (e *env) path(name string) string { return filepath.Join(e.dir, name) }

func (e *env) write(name, text string) string {
	e.t.Helper()
	p := e.path(name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) appendTo(name, text string) {
	e.t.Helper()
	f, err := os.OpenFile(e.path(name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		e.t.Fatal(err)
	}
}

// response is an HTTP answer, read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// json decodes the body into v and fails the test if it is not JSON.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %s is not the JSON expected: %v", r, err)
	}
}

// req sends a request; a non-empty body is sent as application/json unless headers say otherwise.
func (e *env) req(method, path, body string, headers ...string) response {
	e.t.Helper()
	return doRequest(e.t, e.client, method, e.base+path, body, headers...)
}

func doRequest(t testing.TB, client *http.Client, method, url, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			r.Header.Del(headers[i])
		} else {
			r.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := client.Do(r)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// expect checks an answer's status and exact body (compact JSON, or empty).
func (e *env) expect(method, path, body string, status int, want string) response {
	e.t.Helper()
	r := e.req(method, path, body)
	if r.status != status || string(r.body) != want {
		e.t.Fatalf("%s %s: got %s, want %d %s", method, path, r, status, want)
	}
	if want != "" && r.header.Get("Content-Type") != "application/json" {
		e.t.Fatalf("%s %s: Content-Type %q, want application/json", method, path, r.header.Get("Content-Type"))
	}
	return r
}

// expectError checks an error answer: status and Apache's {"error_code","message"} body.
func (e *env) expectError(method, path, body string, status int, msg string) {
	e.t.Helper()
	want, _ := json.Marshal(map[string]any{"error_code": status, "message": msg})
	var got struct {
		ErrorCode int    `json:"error_code"`
		Message   string `json:"message"`
	}
	r := e.req(method, path, body)
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != status || got.ErrorCode != status || got.Message != msg {
		e.t.Fatalf("%s %s: got %s, want %d %s", method, path, r, status, want)
	}
	if !strings.HasPrefix(string(r.body), `{"error_code":`) {
		e.t.Fatalf("%s %s: error body %s does not start with error_code as Apache's", method, path, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		e.t.Fatalf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
}

// status returns a connector's status as the API reports it.
func (e *env) status(name string) connectorStatus {
	e.t.Helper()
	var st connectorStatus
	r := e.req("GET", "/connectors/"+name+"/status", "")
	if r.status != http.StatusOK {
		e.t.Fatalf("status of %s: %s", name, r)
	}
	r.json(e.t, &st)
	return st
}

// waitStates waits until the connector and each of its tasks (in id order) are in the given states.
func (e *env) waitStates(name, connector string, tasks ...string) connectorStatus {
	e.t.Helper()
	var st connectorStatus
	kafkatest.Eventually(e.t, 20*time.Second, func() error {
		st = e.status(name)
		got := []string{st.Connector.State}
		for _, t := range st.Tasks {
			got = append(got, t.State)
		}
		want := append([]string{connector}, tasks...)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("%s is %v, want %v", name, got, want)
		}
		return nil
	})
	return st
}

type connectorStatus struct {
	Name      string `json:"name"`
	Connector struct {
		State    string `json:"state"`
		WorkerID string `json:"worker_id"`
		Trace    string `json:"trace"`
	} `json:"connector"`
	Tasks []struct {
		ID       int    `json:"id"`
		State    string `json:"state"`
		WorkerID string `json:"worker_id"`
		Trace    string `json:"trace"`
	} `json:"tasks"`
	Type string `json:"type"`
}
