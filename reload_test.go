package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// These tests change the files of a running binary, as a user editing them does, and watch it follow.

// reloadStatus is GET /admin/reload's answer.
type reloadStatus struct {
	Directory string `json:"directory"`
	Files     []struct {
		File      string `json:"file"`
		Kind      string `json:"kind"`
		Connector string `json:"connector"`
		State     string `json:"state"`
		Applied   *struct {
			Hash string `json:"hash"`
			Time string `json:"time"`
		} `json:"applied"`
		Failed *struct {
			Hash  string `json:"hash"`
			Error string `json:"error"`
		} `json:"failed"`
		PendingRestart []string `json:"pending_restart"`
	} `json:"files"`
}

func getReloadStatus(t *testing.T, base string) reloadStatus {
	t.Helper()
	code, body := call(t, "GET", base+"/admin/reload", "")
	var st reloadStatus
	if code != 200 || json.Unmarshal([]byte(body), &st) != nil {
		t.Fatalf("GET /admin/reload: %d %s", code, body)
	}
	return st
}

// waitFileState waits until GET /admin/reload shows a file in a state.
func waitFileState(t *testing.T, base, file, state string) {
	t.Helper()
	kafkatest.Eventually(t, 30*time.Second, func() error {
		for _, f := range getReloadStatus(t, base).Files {
			if f.File == file {
				if f.State != state {
					return fmt.Errorf("%s is %s, want %s", file, f.State, state)
				}
				return nil
			}
		}
		return fmt.Errorf("%s is not listed", file)
	})
}

func waitConfigValue(t *testing.T, base, name, key, value string) {
	t.Helper()
	kafkatest.Eventually(t, 30*time.Second, func() error {
		code, body := call(t, "GET", base+"/connectors/"+name+"/config", "")
		var cfg map[string]string
		if code != 200 || json.Unmarshal([]byte(body), &cfg) != nil {
			return fmt.Errorf("config of %s: %d %s", name, code, body)
		}
		if cfg[key] != value {
			return fmt.Errorf("%s=%q, want %q", key, cfg[key], value)
		}
		return nil
	})
}

func listenerURL(t *testing.T) string { return "http://127.0.0.1:" + strconv.Itoa(freePort(t)) }

// TestReloadWorkerToAnotherBroker: bootstrap.servers changed in the worker file to a second broker: the
// worker looks the new cluster up, restarts its connectors there, and lines appended afterwards go to the
// second broker, none lost or repeated.
func TestReloadWorkerToAnotherBroker(t *testing.T) {
	first := kafkatest.Start(t, kafkatest.Options{})
	second := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	base := listenerURL(t)
	in := filepath.Join(dir, "in.txt")
	write(t, in, "one\ntwo\n")
	w := workerFile(t, dir, first.Addr(), "listeners="+base+"\n")
	src := write(t, filepath.Join(dir, "source.properties"), "name=src\nconnector.class=FileStreamSource\nfile="+in+"\ntopic=t\n")
	p := startProc(t, dir, w, src)
	waitHealthy(t, p, base)
	if got := kafkatest.Values(first.Read("t", 2, 30*time.Second)); !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("first broker holds %q", got)
	}

	workerFile(t, dir, second.Addr(), "listeners="+base+"\n")
	kafkatest.Eventually(t, 30*time.Second, func() error {
		if !strings.Contains(p.out.String(), "restarted=[\"src\"]") && !strings.Contains(p.out.String(), "restarted=[src]") {
			return fmt.Errorf("no reload of the worker file in the log yet")
		}
		return nil
	})
	appendTo(t, in, "three\n")
	if got := kafkatest.Values(second.Read("t", 1, 30*time.Second)); !slices.Equal(got, []string{"three"}) {
		t.Fatalf("second broker holds %q, want the line written after the change", got)
	}
	if got := kafkatest.Values(second.Read("t", 2, time.Second)); !slices.Equal(got, []string{"three"}) {
		t.Fatalf("second broker holds %q, want the line written after the change, once", got)
	}
	if got := kafkatest.Values(first.Read("t", 3, time.Second)); len(got) != 2 {
		t.Fatalf("first broker holds %q after the change", got)
	}
	p.stop()
}

// TestReloadWorkerLiveKeys: log.level applies at once; listeners move to a new port (the old one closes);
// response headers change; a listener that cannot be bound keeps the old one and is reported; an
// embedded.broker.* change is reported as taking effect at the next start.
func TestReloadWorkerLiveKeys(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	oldBase, newBase := listenerURL(t), listenerURL(t)
	w := workerFile(t, dir, b.Addr(), "listeners="+oldBase+"\n")
	src := write(t, filepath.Join(dir, "source.properties"), "name=src\nconnector.class=FileStreamSource\nfile="+filepath.Join(dir, "in.txt")+"\ntopic=t\n")
	p := startProc(t, dir, w, src)
	waitHealthy(t, p, oldBase)

	// At info, a connector file read without a change logs nothing.
	appendTo(t, src, "# a comment\n")
	waitFileState(t, oldBase, src, "applied")
	time.Sleep(time.Second)
	const debugLine = "connector file read; the connector already runs as it says"
	if strings.Contains(p.out.String(), debugLine) {
		t.Fatalf("a debug line was logged at log.level=info:\n%s", p.out.String())
	}

	workerFile(t, dir, b.Addr(), "listeners="+newBase+"\nlog.level=debug\nresponse.http.headers.config=set X-Reloaded: yes\n")
	waitHealthy(t, p, newBase)
	if _, err := httpClient.Get(oldBase + "/"); err == nil {
		t.Fatal("the old listener still answers")
	}
	resp, err := httpClient.Get(newBase + "/connectors")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Reloaded") != "yes" {
		t.Fatalf("response headers %v, want the new rule applied", resp.Header)
	}
	if code, body := call(t, "GET", newBase+"/admin/loggers/root", ""); code != 200 || !strings.Contains(body, `"level":"DEBUG"`) {
		t.Fatalf("root logger: %d %s", code, body)
	}
	if code, body := call(t, "GET", newBase+"/connectors/src/status", ""); code != 200 || !strings.Contains(body, `"worker_id":"`+strings.TrimPrefix(newBase, "http://")+`"`) {
		t.Fatalf("status after the rebind: %d %s; want the new worker id", code, body)
	}
	appendTo(t, src, "# another comment\n")
	kafkatest.Eventually(t, 30*time.Second, func() error {
		if !strings.Contains(p.out.String(), debugLine) {
			return fmt.Errorf("no debug line after log.level=debug")
		}
		return nil
	})

	// A port in use: the reload fails as a whole, and the worker keeps its listener.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyURL := "http://" + busy.Addr().String()
	workerFile(t, dir, b.Addr(), "listeners="+busyURL+"\nlog.level=debug\n")
	waitFileState(t, newBase, w, "failed")
	st := getReloadStatus(t, newBase)
	if f := st.Files[0]; f.Kind != "worker" || f.Failed == nil || !strings.Contains(f.Failed.Error, "listeners "+busyURL+": address already in use") {
		t.Fatalf("worker file status %+v", f)
	}
	code, body := call(t, "GET", newBase+"/health", "")
	if code != 200 || !strings.Contains(body, `"status":"healthy"`) || !strings.Contains(body, `"reload_errors":[{"file":"`+w+`"`) {
		t.Fatalf("health: %d %s", code, body)
	}

	// The embedded broker cannot be replaced live: the change is applied otherwise, and reported.
	workerFile(t, dir, b.Addr(), "listeners="+newBase+"\nlog.level=info\nembedded.broker.listeners=127.0.0.1:0\n")
	kafkatest.Eventually(t, 30*time.Second, func() error {
		f := getReloadStatus(t, newBase).Files[0]
		if f.State != "applied" || !slices.Equal(f.PendingRestart, []string{"embedded.broker.listeners"}) {
			return fmt.Errorf("worker file status %+v", f)
		}
		return nil
	})
	if code, body := call(t, "GET", newBase+"/health", ""); code != 200 || body != `{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}` {
		t.Fatalf("health once fixed: %d %s; want Apache's answer", code, body)
	}
	p.stop()
}

// TestReloadConnectorErrorsOverREST: a broken edit of a connector file is shown by GET /health (still 200:
// the worker is healthy) and GET /admin/reload, naming the file, line and key; the connector keeps its
// last good configuration; fixing the file applies it and clears the error.
func TestReloadConnectorErrorsOverREST(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	base := listenerURL(t)
	w := workerFile(t, dir, b.Addr(), "listeners="+base+"\n")
	srcText := "name=src\nconnector.class=FileStreamSource\nfile=" + filepath.Join(dir, "in.txt") + "\ntopic=t\n"
	src := write(t, filepath.Join(dir, "source.properties"), srcText)
	p := startProc(t, dir, w, src)
	waitHealthy(t, p, base)
	st := getReloadStatus(t, base)
	if len(st.Files) != 2 || st.Files[0].File != w || st.Files[0].Kind != "worker" || st.Files[1].File != src ||
		st.Files[1].Connector != "src" || st.Files[1].State != "applied" || st.Files[1].Applied == nil {
		t.Fatalf("status at start: %+v", st)
	}

	write(t, src, srcText+"batch.size=lots\n")
	waitFileState(t, base, src, "failed")
	want := src + `:5: key "batch.size": Invalid value lots for configuration batch.size: Not a number of type INT`
	code, body := call(t, "GET", base+"/health", "")
	wantBody, _ := json.Marshal(want)
	if code != 200 || !strings.Contains(body, `"reload_errors":[{"file":"`+src+`","error":`+string(wantBody)+`}]`) {
		t.Fatalf("health: %d %s", code, body)
	}
	waitConfigValue(t, base, "src", "topic", "t")
	if s := stateOf(t, base, "src"); s != "RUNNING" {
		t.Fatalf("src is %s after a broken edit", s)
	}
	// The connector's status says why its file was not applied (an extension field).
	if code, body := call(t, "GET", base+"/connectors/src/status", ""); code != 200 || !strings.Contains(body, `"reload_error":`+string(wantBody)) {
		t.Fatalf("status after a broken edit: %d %s", code, body)
	}

	write(t, src, strings.Replace(srcText, "topic=t", "topic=t2", 1))
	waitFileState(t, base, src, "applied")
	waitConfigValue(t, base, "src", "topic", "t2")
	if code, body := call(t, "GET", base+"/health", ""); code != 200 || strings.Contains(body, "reload_errors") {
		t.Fatalf("health after the fix: %d %s", code, body)
	}
	if code, body := call(t, "GET", base+"/connectors/src/status", ""); code != 200 || strings.Contains(body, "reload_error") {
		t.Fatalf("status after the fix: %d %s", code, body)
	}
	p.stop()
}

// TestSIGHUPReloadsEveryFile: SIGHUP applies every file again, changed or not, so a file-owned connector
// changed through REST gets its file's configuration back; POST /admin/reload does the same. The process
// is not stopped by the signal.
func TestSIGHUPReloadsEveryFile(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	base := listenerURL(t)
	in := filepath.Join(dir, "in.txt")
	w := workerFile(t, dir, b.Addr(), "listeners="+base+"\n")
	src := write(t, filepath.Join(dir, "source.properties"), "name=src\nconnector.class=FileStreamSource\nfile="+in+"\ntopic=t\n")
	p := startProc(t, dir, w, src)
	waitHealthy(t, p, base)

	put := func() {
		t.Helper()
		if code, body := call(t, "PUT", base+"/connectors/src/config", `{"connector.class":"FileStreamSource","file":"`+in+`","topic":"from-rest"}`); code != 200 {
			t.Fatalf("PUT config: %d %s", code, body)
		}
		time.Sleep(time.Second) // the file did not change: nothing must happen
		waitConfigValue(t, base, "src", "topic", "from-rest")
	}
	put()
	p.signal(syscall.SIGHUP)
	waitConfigValue(t, base, "src", "topic", "t")

	put()
	code, body := call(t, "POST", base+"/admin/reload", "")
	if code != 200 || !strings.Contains(body, `"connector":"src","state":"applied"`) {
		t.Fatalf("POST /admin/reload: %d %s", code, body)
	}
	waitConfigValue(t, base, "src", "topic", "t")

	select {
	case <-p.exited:
		t.Fatalf("SIGHUP ended the process (exit %d)", p.code)
	default:
	}
	p.stop()
}

// TestConnectorsDirectory: with connectors.dir, the directory's files are connectors: a bad one at start is
// reported and does not stop the worker; files added and removed create and delete connectors; pointing
// connectors.dir elsewhere in the worker file swaps the set.
func TestConnectorsDirectory(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	base := listenerURL(t)
	d1, d2 := filepath.Join(dir, "d1"), filepath.Join(dir, "d2")
	for _, d := range []string{d1, d2} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sink := func(name string) string {
		return "name=" + name + "\nconnector.class=FileStreamSink\ntopics=t\nfile=" + filepath.Join(dir, name+".out") + "\n"
	}
	write(t, filepath.Join(d1, "a.properties"), sink("a"))
	write(t, filepath.Join(d1, "broken.properties"), "name=broken\nconnector.class=FileStreamSink\n")
	write(t, filepath.Join(d2, "c.properties"), sink("c"))
	w := workerFile(t, dir, b.Addr(), "listeners="+base+"\nconnectors.dir="+d1+"\n")
	p := startProc(t, dir, w)
	waitHealthy(t, p, base)
	if code, body := call(t, "GET", base+"/connectors", ""); code != 200 || body != `["a"]` {
		t.Fatalf("connectors at start: %d %s", code, body)
	}
	waitFileState(t, base, filepath.Join(d1, "broken.properties"), "failed")

	write(t, filepath.Join(d1, "b.properties"), sink("b"))
	kafkatest.Eventually(t, 30*time.Second, func() error {
		if _, body := call(t, "GET", base+"/connectors", ""); body != `["a","b"]` {
			return fmt.Errorf("connectors %s", body)
		}
		return nil
	})
	if err := os.Remove(filepath.Join(d1, "a.properties")); err != nil {
		t.Fatal(err)
	}
	kafkatest.Eventually(t, 30*time.Second, func() error {
		if _, body := call(t, "GET", base+"/connectors", ""); body != `["b"]` {
			return fmt.Errorf("connectors %s", body)
		}
		return nil
	})

	workerFile(t, dir, b.Addr(), "listeners="+base+"\nconnectors.dir="+d2+"\n")
	kafkatest.Eventually(t, 30*time.Second, func() error {
		if _, body := call(t, "GET", base+"/connectors", ""); body != `["c"]` {
			return fmt.Errorf("connectors %s", body)
		}
		return nil
	})
	if st := getReloadStatus(t, base); st.Directory != d2 || len(st.Files) != 2 || st.Files[1].File != filepath.Join(d2, "c.properties") {
		t.Fatalf("status after the switch: %+v", st)
	}
	p.stop()
}
