package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the bench executable: the bench starts its broker and its
// ceiling helpers by running itself with a sub-command.
func TestMain(m *testing.M) {
	if code, ok := subcommand(os.Args[1:]); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestBenchEndToEnd runs the whole bench on a few hundred lines against a freshly built connect-standalone:
// every scenario must complete, the sink files must match the input, and the results file and the summary
// line must carry the figures.
func TestBenchEndToEnd(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the bench reads /proc")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "connect-standalone")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building connect-standalone: %v\n%s", err, out)
	}
	resultsDir := filepath.Join(dir, "results")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-bin", bin, "-n", "300", "-size", "40", "-runs", "1", "-results", resultsDir,
		"-idle-wait", "0", "-retries", "0", "-settle", "100ms", "-timeout", "60s", "-version", "test"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("bench exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "summary: source ") || !strings.Contains(last, "| budget ") {
		t.Errorf("last line is not the summary: %q", last)
	}
	data, err := os.ReadFile(filepath.Join(resultsDir, "latest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Params.N != 300 || res.Params.LineSize != 40 || res.Version != "test" {
		t.Errorf("params = %+v, version %q", res.Params, res.Version)
	}
	for _, name := range []string{"source.runner.rate", "source.ceiling-connect.rate", "source.ceiling-default.rate",
		"sink.runner.rate", "sink.ceiling-connect.rate", "sink.ceiling-default.rate", "pipeline.runner.rate",
		"pipeline.ceiling-connect.rate", "source-json.runner.rate", "source.runner.peak_mb", "startup.first_record_ms", "idle.rss_mb"} {
		f := res.lookup(name)
		if f == nil || len(f.Values) != 1 || f.Values[0] <= 0 {
			t.Errorf("figure %s = %+v, want one positive value", name, f)
		}
	}
	for _, name := range []string{"source", "sink", "pipeline"} {
		if _, ok := res.Ratios[name]; !ok {
			t.Errorf("no %s ratio in %v", name, res.Ratios)
		}
	}
	// The timestamped file is the same as latest.json.
	matches, _ := filepath.Glob(filepath.Join(resultsDir, "2*.json"))
	if len(matches) != 1 {
		t.Fatalf("timestamped results files: %v", matches)
	}
	if stamped, _ := os.ReadFile(matches[0]); !bytes.Equal(stamped, data) {
		t.Error("the timestamped results file differs from latest.json")
	}
}

func TestSummaryChecksTheBudget(t *testing.T) {
	r := newResults(options{n: 1000, size: 100, runs: 3})
	for _, v := range []float64{500_000, 520_000, 480_000} {
		r.add("source.runner.rate", "records/s", v)
	}
	for _, v := range []float64{550_000, 560_000, 540_000} {
		r.add("source.ceiling-connect.rate", "records/s", v)
	}
	r.add("sink.runner.rate", "records/s", 900_000)
	r.add("sink.ceiling-connect.rate", "records/s", 1_000_000)
	r.add("pipeline.runner.rate", "records/s", 410_000)
	r.add("pipeline.ceiling-connect.rate", "records/s", 500_000)
	r.declare("startup.ready_ms", "ms")
	r.add("source.runner.peak_mb", "MB", 30)
	r.add("pipeline.runner.peak_mb", "MB", 41.5)
	if r.finish() {
		t.Fatal("finish reported every budget point met")
	}
	want := []string{
		"summary: source 500.0k/s = 0.91× ceiling [≥0.85×, ≥480.0k/s] ok",
		"| sink 900.0k/s = 0.90× ceiling [≥0.80×, ≥1.00M/s] MISS",
		"| pipeline 410.0k/s = 0.82× ceiling [≥400.0k/s] ok",
		"| ready n/a (REST API never answered GET /) [≤20 ms] MISS",
		"| peak 41.5 MB [≤40 MB] MISS",
		"| budget 2/5 met",
	}
	for _, w := range want {
		if !strings.Contains(r.Summary, w) {
			t.Errorf("summary lacks %q:\n%s", w, r.Summary)
		}
	}
	if got := r.Ratios["source"]; got < 0.909 || got > 0.910 {
		t.Errorf("source ratio = %v, want 500/550", got)
	}
}

func TestSummaryWarnsAboutForeignLoad(t *testing.T) {
	r := newResults(options{n: 1000, size: 100, runs: 1})
	r.add("pipeline.runner.rate", "records/s", 500_000)
	r.add("pipeline.runner.foreign_load", "cores", 0.4)
	if !r.finish() {
		t.Errorf("pipeline 500k/s should meet its budget: %s", r.Summary)
	}
	if !strings.Contains(r.Summary, "WARNING: other processes took up to 0.40 cores") {
		t.Errorf("no warning in %q", r.Summary)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestWriteAndCompare(t *testing.T) {
	dir := t.TempDir()
	old := newResults(options{n: 1000, size: 100, runs: 1, version: "v1"})
	old.Time = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	old.add("source.runner.rate", "records/s", 400_000)
	old.add("idle.rss_mb", "MB", 16)
	old.finish()
	path, err := old.write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "20260102T030405Z.json" {
		t.Errorf("results file %s", path)
	}
	cur := newResults(options{n: 1000, size: 100, runs: 1})
	cur.add("source.runner.rate", "records/s", 440_000)
	cur.add("idle.rss_mb", "MB", 12)
	cur.add("sink.runner.rate", "records/s", 1) // not in the old file: not compared
	var out bytes.Buffer
	if err := cur.printComparison(&out, filepath.Join(dir, "latest.json")); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"source.runner.rate", "4e+05", "4.4e+05", "+10.0%", "idle.rss_mb", "-25.0%"} {
		if !strings.Contains(text, want) {
			t.Errorf("comparison lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "sink.runner.rate") {
		t.Errorf("comparison shows a figure the old file lacks:\n%s", text)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"format":"other"}`), 0o644)
	if err := cur.printComparison(&out, bad); err == nil || !strings.Contains(err.Error(), `format "other"`) {
		t.Errorf("comparing with a foreign file: %v", err)
	}
}

func TestInputAndContentCheck(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	if err := writeInput(in, 3, 20); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(in)
	want := "000000000000 nopqrs\n000000000001 nopqrs\n000000000002 nopqrs\n"
	if string(got) != want {
		t.Fatalf("input file:\n%q\nwant\n%q", got, want)
	}
	same := filepath.Join(dir, "same.txt")
	os.WriteFile(same, got, 0o644)
	if err := sameContent(same, in); err != nil {
		t.Errorf("identical files: %v", err)
	}
	changed := filepath.Join(dir, "changed.txt")
	os.WriteFile(changed, []byte(strings.Replace(want, "000000000001", "000000000009", 1)), 0o644)
	if err := sameContent(changed, in); err == nil || !strings.Contains(err.Error(), "at line 2") {
		t.Errorf("changed second line: %v", err)
	}
	short := filepath.Join(dir, "short.txt")
	os.WriteFile(short, []byte(want[:40]), 0o644) // the first two lines
	if err := sameContent(short, in); err == nil || !strings.Contains(err.Error(), "at line 3") {
		t.Errorf("missing last line: %v", err)
	}
}

func TestWriteProperties(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.properties")
	if err := writeProperties(path, map[string]string{"b": `C:\dir\file`, "a": "1"}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "a=1\nb=C:\\\\dir\\\\file\n"; string(got) != want {
		t.Errorf("properties file %q, want %q", got, want)
	}
}

func TestPropertiesFlag(t *testing.T) {
	p := properties{}
	if err := p.Set("producer.linger.ms=5"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("x=a=b"); err != nil {
		t.Fatal(err)
	}
	if p["producer.linger.ms"] != "5" || p["x"] != "a=b" {
		t.Errorf("properties = %v", p)
	}
	if err := p.Set("novalue"); err == nil {
		t.Error("a setting without = was accepted")
	}
	if got := p.String(); got != "producer.linger.ms=5,x=a=b" {
		t.Errorf("String() = %q", got)
	}
}

func TestForeignLoad(t *testing.T) {
	t0 := time.Unix(100, 0)
	before := cpuSnapshot{at: t0, machine: 10 * time.Second, broker: 2 * time.Second, own: time.Second, ok: true}
	after := cpuSnapshot{at: t0.Add(2 * time.Second), machine: 13 * time.Second, broker: 2500 * time.Millisecond,
		own: 1100 * time.Millisecond, ok: true}
	// 3 s busy in 2 s: 0.5 s broker, 0.1 s bench, 1.4 s measured, so 1 s by others = 0.5 cores.
	if got := foreign(before, after, 1400*time.Millisecond); got < 0.499 || got > 0.501 {
		t.Errorf("foreign = %v, want 0.5", got)
	}
	if got := foreign(before, after, 3*time.Second); got != 0 {
		t.Errorf("foreign = %v, want 0 when the measured process explains everything", got)
	}
}

func TestProcStatus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux's")
	}
	hwm, err := procStatusKB(os.Getpid(), "VmHWM")
	if err != nil || hwm <= 0 {
		t.Errorf("VmHWM = %d, %v", hwm, err)
	}
	if _, err := procStatusKB(os.Getpid(), "NoSuchField"); err == nil {
		t.Error("a missing field was found")
	}
	if cpu, err := procCPU(os.Getpid()); err != nil || cpu < 0 {
		t.Errorf("procCPU = %v, %v", cpu, err)
	}
}

func TestOptions(t *testing.T) {
	var stderr bytes.Buffer
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"-n", "0"}, "-n must be at least 1"},
		{[]string{"-size", "1"}, "-size must be at least 2"},
		{[]string{"-only", "source,nope"}, `unknown scenario group "nope"`},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		if _, err := parseOptions(c.args, &stderr); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.err)
		}
	}
	o, err := parseOptions([]string{"-n", "1000"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if o.timeout != 60*time.Second || !o.only["startup"] || o.runs != 3 {
		t.Errorf("defaults: timeout %s, only %v, runs %d", o.timeout, o.only, o.runs)
	}
}
