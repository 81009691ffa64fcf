package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/internal/fixtures"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/internal/syncbuf"
)

// These tests run the real binary as a user would: built once, started as a process, stopped by signal or
// killed by PID, against a kfake broker over TCP.

var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "connect-standalone-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "connect-standalone")
	build := exec.Command("go", "build", "-race", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the binary:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running connect-standalone process.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	out    *syncbuf.Buffer
	exited chan struct{}
	code   int
}

func startProc(t *testing.T, dir string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, out: &syncbuf.Buffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(binPath, args...)
	p.cmd.Dir = dir
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := p.cmd.Wait()
		p.code = 0
		if ee, ok := err.(*exec.ExitError); ok {
			p.code = ee.ExitCode()
		}
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("process output:\n%s", p.out.String())
		}
	})
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.exited:
		return p.code
	case <-time.After(timeout):
		p.t.Fatalf("process %d did not exit within %s; output:\n%s", p.cmd.Process.Pid, timeout, p.out.String())
		return -1
	}
}

// signal sends sig to the process by its PID.
func (p *proc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := syscall.Kill(p.cmd.Process.Pid, sig); err != nil {
		p.t.Fatal(err)
	}
}

// stop sends SIGTERM and fails the test unless the process exits cleanly (code 0) in time.
func (p *proc) stop() {
	p.t.Helper()
	p.signal(syscall.SIGTERM)
	if code := p.wait(20 * time.Second); code != 0 {
		p.t.Fatalf("exit code %d after SIGTERM, want 0", code)
	}
}

// runBinary runs the binary to completion and returns its exit code and output.
func runBinary(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	p := startProc(t, dir, args...)
	code := p.wait(60 * time.Second)
	return code, p.out.String()
}

func write(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// workerFile writes a worker configuration for a broker.
func workerFile(t *testing.T, dir, bootstrap string, extra string) string {
	return write(t, filepath.Join(dir, "worker.properties"), "bootstrap.servers="+bootstrap+"\n"+
		"key.converter=org.apache.kafka.connect.storage.StringConverter\n"+
		"value.converter=org.apache.kafka.connect.storage.StringConverter\n"+
		"offset.storage.file.filename="+filepath.Join(dir, "connect.offsets")+"\n"+
		"offset.flush.interval.ms=200\n"+
		"listeners=http://127.0.0.1:0\n"+extra)
}

func TestUsageAndVersion(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 1, "Usage: connect-standalone"},
		{[]string{"--help"}, 1, "Usage: connect-standalone"},
		{[]string{"worker.properties", "--help"}, 1, "Usage: connect-standalone"},
		{[]string{"--bogus", "w.properties"}, 1, "unknown option --bogus"},
		{[]string{"--version"}, 0, "connect-standalone "},
	} {
		code, out := runBinary(t, t.TempDir(), c.args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d and %q", c.args, code, out, c.code, c.want)
		}
	}
}

// TestWorkerErrors: an invalid worker file exits 2 with a message naming the file, the line and the key.
func TestWorkerErrors(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	for _, c := range []struct {
		name, worker string
		want         []string
	}{
		{"missing offsets file key", "bootstrap.servers=" + b.Addr() + "\nkey.converter=org.apache.kafka.connect.storage.StringConverter\nvalue.converter=org.apache.kafka.connect.storage.StringConverter\n",
			[]string{"worker.properties", `"offset.storage.file.filename"`, "Missing required configuration"}},
		{"bad number", "bootstrap.servers=" + b.Addr() + "\nkey.converter=org.apache.kafka.connect.storage.StringConverter\nvalue.converter=org.apache.kafka.connect.storage.StringConverter\noffset.storage.file.filename=x\noffset.flush.interval.ms=ten\n",
			[]string{"worker.properties:5", "offset.flush.interval.ms", "Invalid value ten for configuration offset.flush.interval.ms: Not a number of type LONG"}},
		{"malformed escape", "a=\\u12x4\n", []string{"worker.properties:1", "Malformed \\uxxxx encoding"}},
		{"unreachable kafka", "bootstrap.servers=127.0.0.1:1\ndefault.api.timeout.ms=1500\nrequest.timeout.ms=1000\nkey.converter=org.apache.kafka.connect.storage.StringConverter\nvalue.converter=org.apache.kafka.connect.storage.StringConverter\noffset.storage.file.filename=x\n",
			[]string{"Failed to connect to and describe Kafka cluster", "127.0.0.1:1"}},
		{"bad log level", "log.level=loud\n" + "bootstrap.servers=" + b.Addr() + "\nkey.converter=org.apache.kafka.connect.storage.StringConverter\nvalue.converter=org.apache.kafka.connect.storage.StringConverter\noffset.storage.file.filename=x\n",
			[]string{"worker.properties", "log.level"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			w := write(t, filepath.Join(dir, "worker.properties"), c.worker)
			code, out := runBinary(t, dir, w)
			if code != 2 {
				t.Fatalf("exit %d, want 2; output:\n%s", code, out)
			}
			for _, s := range c.want {
				if !strings.Contains(out, s) {
					t.Errorf("output does not mention %q:\n%s", s, out)
				}
			}
		})
	}
	t.Run("missing worker file", func(t *testing.T) {
		code, out := runBinary(t, t.TempDir(), "/nonexistent/worker.properties")
		if code != 2 || !strings.Contains(out, "/nonexistent/worker.properties") {
			t.Fatalf("exit %d, output %q; want 2 naming the file", code, out)
		}
	})
	t.Run("corrupt offsets file", func(t *testing.T) {
		dir := t.TempDir()
		w := workerFile(t, dir, b.Addr(), "")
		write(t, filepath.Join(dir, "connect.offsets"), `{"format":"connect-standalone-offsets/1","offsets":[{"key":`)
		code, out := runBinary(t, dir, w)
		if code != 2 || !strings.Contains(out, filepath.Join(dir, "connect.offsets")) {
			t.Fatalf("exit %d, want 2 naming the offsets file; output:\n%s", code, out)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "connect.offsets")); !strings.HasSuffix(string(b), `"key":`) {
			t.Fatalf("the corrupt offsets file was changed: %q", b)
		}
	})
}

// TestConnectorFileErrors: an invalid connector file exits 3 with a message naming the file and problem.
func TestConnectorFileErrors(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	for _, c := range []struct {
		name, file, body string
		want             []string
	}{
		{"unknown class", "c.properties", "name=x\nconnector.class=NoSuchConnector\ntopic=t\n",
			[]string{"c.properties", "NoSuchConnector", "org.apache.kafka.connect.file.FileStreamSourceConnector"}},
		{"missing topic", "c.properties", "name=x\nconnector.class=FileStreamSource\n",
			[]string{"c.properties", `Missing required configuration "topic" which has no default value.`}},
		{"tasks.max zero", "c.properties", "name=x\nconnector.class=FileStreamSink\ntopics=t\ntasks.max=0\n",
			[]string{"c.properties", "Invalid value 0 for configuration tasks.max: Value must be at least 1"}},
		{"missing name", "c.properties", "connector.class=FileStreamSource\ntopic=t\n",
			[]string{"is missing the mandatory 'name' configuration", "c.properties"}},
		{"malformed json", "c.json", "{\"name\": \"x\",\n \"config\": {\"topic\": }}\n", []string{"c.json:2"}},
		{"name mismatch", "c.json", `{"name":"x","config":{"name":"y","connector.class":"FileStreamSource","topic":"t"}}`,
			[]string{"c.json", "doesn't match"}},
		{"sink without topics", "c.properties", "name=x\nconnector.class=FileStreamSink\n",
			[]string{"Must configure one of topics or topics.regex"}},
		{"unreadable", "missing.properties", "", []string{"missing.properties"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			w := workerFile(t, dir, b.Addr(), "")
			path := filepath.Join(dir, c.file)
			if c.body != "" {
				write(t, path, c.body)
			}
			code, out := runBinary(t, dir, w, path)
			if code != 3 {
				t.Fatalf("exit %d, want 3; output:\n%s", code, out)
			}
			for _, s := range c.want {
				if !strings.Contains(out, s) {
					t.Errorf("output does not mention %q:\n%s", s, out)
				}
			}
		})
	}
	t.Run("duplicate name", func(t *testing.T) {
		dir := t.TempDir()
		w := workerFile(t, dir, b.Addr(), "")
		c1 := write(t, filepath.Join(dir, "a.properties"), "name=x\nconnector.class=FileStreamSource\ntopic=t\nfile="+filepath.Join(dir, "in")+"\n")
		c2 := write(t, filepath.Join(dir, "b.properties"), "name=x\nconnector.class=FileStreamSink\ntopics=t\n")
		code, out := runBinary(t, dir, w, c1, c2)
		if code != 3 || !strings.Contains(out, "Connector x already exists") || !strings.Contains(out, "b.properties") {
			t.Fatalf("exit %d; want 3 with 'Connector x already exists' naming b.properties; output:\n%s", code, out)
		}
	})
}

// pipeline starts the binary with a file source on in.txt to topic t.
func pipeline(t *testing.T, dir, bootstrap string) *proc {
	t.Helper()
	w := workerFile(t, dir, bootstrap, "")
	src := write(t, filepath.Join(dir, "source.properties"),
		"name=src\nconnector.class=FileStreamSource\nfile="+filepath.Join(dir, "in.txt")+"\ntopic=t\n")
	return startProc(t, dir, w, src)
}

func lines(prefix string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, prefix+strconv.Itoa(i))
	}
	return out
}

// TestGracefulRestartExactlyOnce: SIGTERM exits 0 after committing; a restart neither loses nor repeats.
func TestGracefulRestartExactlyOnce(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	want := lines("line-", 0, 2000)
	appendTo(t, in, strings.Join(want[:1000], "\n")+"\n")
	p := pipeline(t, dir, b.Addr())
	if got := b.Read("t", 1000, 30*time.Second); len(got) != 1000 {
		t.Fatalf("%d records on the topic, want 1000", len(got))
	}
	p.stop()
	// The offsets file is readable JSON holding Apache's key and the position after the last line.
	raw, err := os.ReadFile(filepath.Join(dir, "connect.offsets"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Offsets []struct {
			Key    []any          `json:"key"`
			Offset map[string]any `json:"offset"`
		} `json:"offsets"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("offsets file is not JSON: %v\n%s", err, raw)
	}
	size := len(strings.Join(want[:1000], "\n")) + 1
	if len(f.Offsets) != 1 || f.Offsets[0].Key[0] != "src" || f.Offsets[0].Offset["position"] != float64(size) {
		t.Fatalf("offsets file %s, want src at position %d", raw, size)
	}

	appendTo(t, in, strings.Join(want[1000:], "\n")+"\n")
	p = pipeline(t, dir, b.Addr())
	got := kafkatest.Values(b.Read("t", 2001, 30*time.Second))
	if !slices.Equal(got, want) {
		t.Fatalf("topic holds %d records, want the 2000 lines once each", len(got))
	}
	p.signal(syscall.SIGINT)
	if code := p.wait(15 * time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGINT, want 0", code)
	}
}

// TestKill9LosesNothing: after kill -9 a restart delivers every line (some may come twice: at-least-once).
func TestKill9LosesNothing(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	want := lines("row-", 0, 3000)
	p := pipeline(t, dir, b.Addr())
	for i := 0; i < 1500; i += 100 {
		appendTo(t, in, strings.Join(want[i:i+100], "\n")+"\n")
		time.Sleep(20 * time.Millisecond)
	}
	b.Read("t", 700, 30*time.Second)
	p.signal(syscall.SIGKILL)
	p.wait(10 * time.Second)
	appendTo(t, in, strings.Join(want[1500:], "\n")+"\n")
	pipeline(t, dir, b.Addr())
	kafkatest.Eventually(t, 60*time.Second, func() error {
		got := map[string]bool{}
		for _, v := range kafkatest.Values(b.Read("t", 1<<30, 2*time.Second)) {
			got[v] = true
		}
		for _, w := range want {
			if !got[w] {
				return fmt.Errorf("%s missing from the topic", w)
			}
		}
		return nil
	})
}

// TestApacheOffsetsTakeover: a worker switching from Apache keeps Apache's offsets file and re-reads nothing.
func TestApacheOffsetsTakeover(t *testing.T) {
	fixture, err := os.ReadFile(fixtures.Dir(t, "offsets", "a1-one-connector-3-lines.offsets"))
	if err != nil {
		t.Fatal(err)
	}
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	// Apache read "line1\nline2\nline3\n" and stored position 18 for its absolute path; put our path in the
	// key (the stream holds the key's length, then its bytes) and keep every other byte as Apache wrote it.
	oldKey := []byte(`["file-a",{"filename":"/data/ap3/off/a/input.txt"}]`)
	newKey := []byte(`["src",{"filename":"` + in + `"}]`)
	i := bytes.Index(fixture, oldKey)
	if i < 4 {
		t.Fatal("fixture layout changed")
	}
	var spliced []byte
	spliced = append(spliced, fixture[:i-4]...)
	spliced = binary.BigEndian.AppendUint32(spliced, uint32(len(newKey)))
	spliced = append(spliced, newKey...)
	spliced = append(spliced, fixture[i+len(oldKey):]...)
	write(t, filepath.Join(dir, "connect.offsets"), string(spliced))
	appendTo(t, in, "line1\nline2\nline3\nline4\nline5\n")

	p := pipeline(t, dir, b.Addr())
	if got := kafkatest.Values(b.Read("t", 3, 30*time.Second)); !slices.Equal(got, []string{"line4", "line5"}) {
		t.Fatalf("topic holds %q, want only the lines Apache had not read", got)
	}
	if backup, err := os.ReadFile(filepath.Join(dir, "connect.offsets.apache-backup")); err != nil || !bytes.Equal(backup, spliced) {
		t.Fatalf("Apache's file was not kept beside ours (err %v)", err)
	}
	p.signal(syscall.SIGTERM)
	p.wait(15 * time.Second)
	raw, _ := os.ReadFile(filepath.Join(dir, "connect.offsets"))
	if !strings.Contains(string(raw), `"position":30`) {
		t.Fatalf("offsets file after the run: %s; want position 30", raw)
	}
}

// TestQuickStart runs the README's quick start: the examples, unchanged but for ports and paths, against the
// embedded broker.
func TestQuickStart(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	for _, name := range []string{"connect-standalone.properties", "connect-file-source.properties", "connect-file-sink.properties"} {
		b, err := os.ReadFile(filepath.Join("examples", name))
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(b), "127.0.0.1:9092", "127.0.0.1:"+strconv.Itoa(port))
		s = strings.ReplaceAll(s, "/tmp/connect.offsets", filepath.Join(dir, "connect.offsets"))
		s = strings.ReplaceAll(s, "offset.flush.interval.ms=10000", "offset.flush.interval.ms=10000\nlisteners=http://127.0.0.1:0")
		write(t, filepath.Join(dir, name), s)
	}
	appendTo(t, filepath.Join(dir, "test.txt"), "hello\nworld\n")
	p := startProc(t, dir, "connect-standalone.properties", "connect-file-source.properties", "connect-file-sink.properties")
	sink := filepath.Join(dir, "test.sink.txt")
	kafkatest.Eventually(t, 30*time.Second, func() error {
		b, _ := os.ReadFile(sink)
		if string(b) != "hello\nworld\n" {
			return fmt.Errorf("test.sink.txt holds %q", b)
		}
		return nil
	})
	appendTo(t, filepath.Join(dir, "test.txt"), "one more line\n")
	kafkatest.Eventually(t, 30*time.Second, func() error {
		b, _ := os.ReadFile(sink)
		if string(b) != "hello\nworld\none more line\n" {
			return fmt.Errorf("test.sink.txt holds %q", b)
		}
		return nil
	})
	p.stop()
	if out := p.out.String(); !strings.Contains(out, "embedded Kafka-protocol broker started") {
		t.Fatalf("the log does not say the embedded broker started:\n%s", out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestJSONLogsAndSecrets: with log.format=json every line is JSON, task lines name their connector and task,
// and values that came from a config provider never reach the log. SIGTERM exits 0 within
// task.shutdown.graceful.timeout.ms plus a little.
func TestJSONLogsAndSecrets(t *testing.T) {
	b := kafkatest.Start(t, kafkatest.Options{})
	dir := t.TempDir()
	const secret = "s3cr3t-value-that-must-not-be-logged"
	write(t, filepath.Join(dir, "secrets.properties"), "password="+secret+"\n")
	w := workerFile(t, dir, b.Addr(), "log.format=json\ntask.shutdown.graceful.timeout.ms=3000\n"+
		"config.providers=file\nconfig.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"+
		"x.secret=${file:"+filepath.Join(dir, "secrets.properties")+":password}\n")
	src := write(t, filepath.Join(dir, "source.json"), `{"name":"src","config":{"connector.class":"FileStreamSource",`+
		`"file":"`+filepath.Join(dir, "in.txt")+`","topic":"t","my.password":"${file:`+filepath.Join(dir, "secrets.properties")+`:password}"}}`)
	appendTo(t, filepath.Join(dir, "in.txt"), "a\nb\n")
	p := startProc(t, dir, w, src)
	if got := b.Read("t", 2, 30*time.Second); len(got) != 2 {
		t.Fatalf("%d records on the topic", len(got))
	}
	began := time.Now()
	p.stop()
	if took := time.Since(began); took > 3*time.Second+3*time.Second {
		t.Fatalf("shutdown took %s, more than task.shutdown.graceful.timeout.ms (3s) plus a little", took)
	}
	out := p.out.String()
	if strings.Contains(out, secret) {
		t.Fatalf("a secret reached the log:\n%s", out)
	}
	taskLine := false
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		if m["message"] == "source task started" {
			taskLine = m["connector"] == "src" && m["task"] == float64(0)
		}
	}
	if !taskLine {
		t.Fatalf("no task line names connector src and task 0:\n%s", out)
	}
}
