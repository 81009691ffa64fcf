package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// These tests run the binary with its REST API, as a user does with curl.

var httpClient = &http.Client{Timeout: 30 * time.Second}

// call sends a request to a worker's REST API and returns the status and body.
func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitHealthy waits until the worker at base answers GET /health with 200.
func waitHealthy(t *testing.T, p *proc, base string) {
	t.Helper()
	kafkatest.Eventually(t, 60*time.Second, func() error {
		select {
		case <-p.exited:
			t.Fatalf("the worker exited (%d):\n%s", p.code, p.out.String())
		default:
		}
		resp, err := httpClient.Get(base + "/health")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("health %d", resp.StatusCode)
		}
		return nil
	})
}

func stateOf(t *testing.T, base, name string) string {
	t.Helper()
	code, body := call(t, "GET", base+"/connectors/"+name+"/status", "")
	var st struct {
		Connector struct{ State string } `json:"connector"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &st) != nil {
		t.Fatalf("status of %s: %d %s", name, code, body)
	}
	return st.Connector.State
}

// TestRESTTwoWorkersOnePort: a second worker on a port in use exits 2 naming the address.
func TestRESTTwoWorkersOnePort(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	port := freePort(t)
	listener := "http://127.0.0.1:" + strconv.Itoa(port)
	dir1, dir2 := t.TempDir(), t.TempDir()
	first := startProc(t, dir1, workerFile(t, dir1, b.Addr(), "listeners="+listener+"\n"))
	waitHealthy(t, first, listener)

	code, out := runBinary(t, dir2, workerFile(t, dir2, b.Addr(), "listeners="+listener+"\n"))
	want := "listeners " + listener + ": address already in use — is another worker running?"
	if code != 2 || !strings.Contains(out, want) {
		t.Fatalf("second worker: exit %d, output:\n%s\nwant exit 2 and %q", code, out, want)
	}
	// The first worker is unharmed.
	if code, body := call(t, "GET", listener+"/", ""); code != 200 || !strings.Contains(body, `"version":"3.9.0"`) {
		t.Fatalf("first worker: %d %s", code, body)
	}
	first.stop()
}

// TestRESTListenerErrors: an HTTPS listener is refused at start with a clear message (exit 2).
func TestRESTListenerErrors(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	code, out := runBinary(t, dir, workerFile(t, dir, b.Addr(), "listeners=https://127.0.0.1:0\n"))
	if code != 2 || !strings.Contains(out, "worker.properties") || !strings.Contains(out, "HTTPS listeners are not supported yet") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// TestRESTChangesSurviveRestart: connectors created, paused or stopped through REST come back after a
// restart, in the state they were left in; a connector deleted through REST does not; for a connector
// defined by a file given on the command line, the file wins.
func TestRESTChangesSurviveRestart(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	base := "http://127.0.0.1:" + strconv.Itoa(freePort(t))
	w := workerFile(t, dir, b.Addr(), "listeners="+base+"\n")
	in := filepath.Join(dir, "in.txt")
	write(t, in, "l1\nl2\n")
	src := write(t, filepath.Join(dir, "src.properties"), "name=src\nconnector.class=FileStreamSource\nfile="+in+"\ntopic=t\n")

	p := startProc(t, dir, w, src)
	waitHealthy(t, p, base)
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/connectors", `{"name":"rsink","config":{"connector.class":"FileStreamSink","topics":"t","file":"` + filepath.Join(dir, "out.txt") + `"}}`},
		{"PUT", "/connectors/rsink/pause", ""},
		{"PUT", "/connectors/rsrc/config", `{"connector.class":"FileStreamSource","file":"` + in + `","topic":"t2"}`},
		{"PUT", "/connectors/rsrc/stop", ""},
		{"POST", "/connectors", `{"name":"gone","config":{"connector.class":"FileStreamSink","topics":"t"},"initial_state":"PAUSED"}`},
		{"DELETE", "/connectors/gone", ""},
		{"PUT", "/connectors/src/config", `{"connector.class":"FileStreamSource","file":"` + in + `","topic":"changed-by-rest"}`},
	} {
		if code, body := call(t, c.method, base+c.path, c.body); code >= 300 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, code, body)
		}
	}
	if got := kafkatest.Values(b.Read("t", 2, 30*time.Second)); len(got) != 2 {
		t.Fatalf("topic holds %q", got)
	}
	p.stop()
	if _, err := os.Stat(filepath.Join(dir, "connect.offsets.connectors.json")); err != nil {
		t.Fatalf("no state file beside the offsets file: %v", err)
	}

	p = startProc(t, dir, w, src)
	waitHealthy(t, p, base)
	if code, body := call(t, "GET", base+"/connectors", ""); code != 200 || body != `["rsink","rsrc","src"]` {
		t.Fatalf("after the restart: %d %s", code, body)
	}
	if s := stateOf(t, base, "rsink"); s != "PAUSED" {
		t.Fatalf("rsink is %s, want PAUSED as left", s)
	}
	if s := stateOf(t, base, "rsrc"); s != "STOPPED" {
		t.Fatalf("rsrc is %s, want STOPPED as left", s)
	}
	if code, body := call(t, "GET", base+"/connectors/rsrc/config", ""); code != 200 || !strings.Contains(body, `"topic":"t2"`) {
		t.Fatalf("rsrc config: %d %s", code, body)
	}
	if code, body := call(t, "GET", base+"/connectors/src/config", ""); code != 200 || !strings.Contains(body, `"topic":"t"`) {
		t.Fatalf("src config after the restart: %d %s; want its file's", code, body)
	}
	p.stop()
}

// TestRESTStartupAndShutdown: a worker serves the API on the address its listeners key names; GET / reports
// the Apache API version, this build's version and the Kafka cluster id; a connector's status names that
// address as the worker id; the REST server's log lines name their logger; and SIGTERM (exit 0) closes the
// port.
func TestRESTStartupAndShutdown(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	base := "http://127.0.0.1:" + strconv.Itoa(freePort(t))
	write(t, filepath.Join(dir, "in.txt"), "")
	src := write(t, filepath.Join(dir, "src.properties"), "name=src\nconnector.class=FileStreamSource\nfile="+filepath.Join(dir, "in.txt")+"\ntopic=t\n")
	p := startProc(t, dir, workerFile(t, dir, b.Addr(), "listeners="+base+"\nlog.format=json\n"), src)
	waitHealthy(t, p, base)
	code, body := call(t, "GET", base+"/", "")
	if code != 200 || body != `{"version":"3.9.0","commit":"dev","kafka_cluster_id":"kfake"}` {
		t.Fatalf("GET /: %d %s", code, body)
	}
	if code, body := call(t, "GET", base+"/connectors/src/status", ""); code != 200 || !strings.Contains(body, `"worker_id":"`+strings.TrimPrefix(base, "http://")+`"`) {
		t.Fatalf("status: %d %s", code, body)
	}
	// Log levels are the process's: the REST server's lines name their logger.
	if !strings.Contains(p.out.String(), `"logger":"org.apache.kafka.connect.runtime.rest.RestServer"`) {
		t.Fatalf("no REST server log line names its logger:\n%s", p.out.String())
	}
	p.stop()
	if _, err := httpClient.Get(base + "/"); err == nil {
		t.Fatal("the REST port still answers after the worker exited")
	}
}
