package logging

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// lines decodes the JSON log lines written so far and forgets them.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		out = append(out, m)
	}
	buf.Reset()
	return out
}

func messages(ls []map[string]any) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l["message"].(string))
	}
	return out
}

func TestNewRejectsBadSettings(t *testing.T) {
	for _, c := range []struct{ level, format, want string }{
		{"loud", "json", `log.level "loud": want one of trace, debug, info, warn, error`},
		{"off", "json", `log.level "off": want one of trace, debug, info, warn, error`},
		{"info", "xml", `log.format "xml": want console or json`},
	} {
		if _, err := New(io.Discard, c.level, c.format); err == nil || err.Error() != c.want {
			t.Errorf("New(%q, %q) = %v, want %q", c.level, c.format, err, c.want)
		}
	}
}

func TestRootLevelAndLoggerField(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(&buf, "WARN", "json")
	if err != nil {
		t.Fatal(err)
	}
	log := l.Logger(HerderName)
	log.Info().Msg("hidden")
	log.Warn().Msg("shown")
	got := lines(t, &buf)
	if len(got) != 1 || got[0]["message"] != "shown" || got[0]["logger"] != HerderName || got[0]["level"] != "warn" {
		t.Fatalf("log lines %v, want only the warning, naming its logger", got)
	}
	if s, ok := l.Get("ROOT"); !ok || s.Level != "WARN" || !s.Modified.IsZero() {
		t.Fatalf("root = %+v %v, want WARN never modified", s, ok)
	}
}

// TestHierarchy: levels are inherited along dotted names, as log4j does, also by loggers created later.
func TestHierarchy(t *testing.T) {
	var buf bytes.Buffer
	l, _ := New(&buf, "info", "json")
	clock := time.UnixMilli(1700000000000)
	l.now = func() time.Time { return clock }
	src := l.Logger("org.apache.kafka.connect.file.FileStreamSourceTask")
	sink := l.Logger("org.apache.kafka.connect.file.FileStreamSinkTask")
	herder := l.Logger(HerderName)

	changed, err := l.Set("org.apache.kafka.connect.file", "debug")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"org.apache.kafka.connect.file", "org.apache.kafka.connect.file.FileStreamSinkTask", "org.apache.kafka.connect.file.FileStreamSourceTask"}
	if !slices.Equal(changed, want) {
		t.Fatalf("Set returned %q, want %q", changed, want)
	}
	src.Debug().Msg("source debug")
	sink.Debug().Msg("sink debug")
	herder.Debug().Msg("herder debug")
	// A logger created after the change inherits the namespace's level.
	later := l.Logger("org.apache.kafka.connect.file.FileStreamSourceConnector")
	later.Debug().Msg("later debug")
	// A name that merely starts with the namespace's text is not under it.
	sibling := l.Logger("org.apache.kafka.connect.filesystem.X")
	sibling.Debug().Msg("sibling debug")
	if got := messages(lines(t, &buf)); !slices.Equal(got, []string{"source debug", "sink debug", "later debug"}) {
		t.Fatalf("logged %q", got)
	}

	s, ok := l.Get("org.apache.kafka.connect.file.FileStreamSourceConnector")
	if !ok || s.Level != "DEBUG" || !s.Modified.IsZero() {
		t.Fatalf("inheriting logger = %+v, want DEBUG, never modified itself", s)
	}
	s, _ = l.Get("org.apache.kafka.connect.file")
	if s.Level != "DEBUG" || !s.Modified.Equal(clock) {
		t.Fatalf("namespace = %+v, want DEBUG modified at %v", s, clock)
	}
	if _, ok := l.Get("com.example.nosuch"); ok {
		t.Fatal("an unknown logger was found")
	}

	all := l.All()
	wantAll := []string{"org.apache.kafka.connect.file", "org.apache.kafka.connect.file.FileStreamSinkTask", "org.apache.kafka.connect.file.FileStreamSourceTask", "root"}
	var names []string
	for n := range all {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, wantAll) {
		t.Fatalf("All lists %q, want the loggers with a level of their own and root: %q", names, wantAll)
	}

	// Setting the same level again keeps the modification time; root reaches every logger.
	clock = clock.Add(time.Minute)
	l.Set("org.apache.kafka.connect.file", "DEBUG")
	if s, _ := l.Get("org.apache.kafka.connect.file"); !s.Modified.Equal(time.UnixMilli(1700000000000)) {
		t.Fatalf("an unchanged level got a new modification time: %+v", s)
	}
	changed, _ = l.Set("Root", "error")
	if len(changed) != 7 || changed[len(changed)-1] != "root" {
		t.Fatalf("Set(root) returned %q, want every logger and root", changed)
	}
	src.Warn().Msg("quiet")
	herder.Error().Msg("loud")
	if got := messages(lines(t, &buf)); !slices.Equal(got, []string{"loud"}) {
		t.Fatalf("after root=ERROR logged %q", got)
	}

	if _, err := l.Set("x", "LOUD"); err == nil || err.Error() != "invalid log level 'LOUD'" {
		t.Fatalf("Set with a bad level: %v", err)
	}
	l.Set("x", "off")
	if s, _ := l.Get("x"); s.Level != "OFF" {
		t.Fatalf("x = %+v, want OFF", s)
	}
}

// TestSuppressedEventsDoNotAllocate: a disabled level costs no allocation, so debug lines can stay in hot
// paths.
func TestSuppressedEventsDoNotAllocate(t *testing.T) {
	l, _ := New(io.Discard, "info", "json")
	log := l.Logger(SourceTaskName).With().Str("connector", "c").Int("task", 0).Logger()
	allocs := testing.AllocsPerRun(1000, func() {
		log.Debug().Str("k", "v").Int("n", 1).Msg("suppressed")
	})
	if allocs != 0 {
		t.Fatalf("a suppressed event allocated %v times", allocs)
	}
	l.Set(SourceTaskName, "DEBUG")
	if !log.Debug().Enabled() {
		t.Fatal("a derived logger did not follow its level change")
	}
	if e := log.Trace(); e.Enabled() {
		t.Fatal("trace is enabled at DEBUG")
	}
}

func TestValidLevel(t *testing.T) {
	for _, s := range []string{"ALL", "trace", "Debug", "INFO", "warn", "ERROR", "fatal", "OFF"} {
		if !ValidLevel(s) {
			t.Errorf("%s is not valid", s)
		}
	}
	for _, s := range []string{"", "LOUD", "warning", "5"} {
		if ValidLevel(s) {
			t.Errorf("%q is valid", s)
		}
	}
	var _ zerolog.Sampler = (*node)(nil)
}

// TestSetFormat: log.format changes while the process runs, for loggers handed out before the change too;
// an unknown format is refused and changes nothing.
func TestSetFormat(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(&buf, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	log := l.Logger(HerderName)
	log.Info().Str("k", "v").Msg("as json")
	if got := messages(lines(t, &buf)); !slices.Equal(got, []string{"as json"}) {
		t.Fatalf("json lines %q", got)
	}
	if err := l.SetFormat("console"); err != nil {
		t.Fatal(err)
	}
	log.Info().Str("k", "v").Msg("as text")
	out := buf.String()
	if strings.HasPrefix(out, "{") || !strings.Contains(out, "INF") || !strings.Contains(out, "as text") || !strings.Contains(out, "k=v") {
		t.Fatalf("console line %q", out)
	}
	buf.Reset()
	if err := l.SetFormat("xml"); err == nil || err.Error() != `log.format "xml": want console or json` {
		t.Fatalf("SetFormat(xml) = %v", err)
	}
	log.Info().Msg("still text")
	if out := buf.String(); strings.HasPrefix(out, "{") || !strings.Contains(out, "INF") || !strings.Contains(out, "still text") {
		t.Fatalf("after SetFormat(xml): %q, want the console line", out)
	}
	buf.Reset()
	if err := l.SetFormat("json"); err != nil {
		t.Fatal(err)
	}
	log.Info().Msg("json again")
	if got := messages(lines(t, &buf)); !slices.Equal(got, []string{"json again"}) {
		t.Fatalf("json lines %q", got)
	}
}

// Apache's log lines carry milliseconds; zerolog's default timestamp has whole seconds.
func TestTimestampsHaveMilliseconds(t *testing.T) {
	for format, pattern := range map[string]string{
		"json":    `^\{.*"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)".*"message":"hello"\}\n$`,
		"console": `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INF hello logger=x\n$`,
	} {
		var b bytes.Buffer
		l, err := New(&b, "info", format)
		if err != nil {
			t.Fatal(err)
		}
		lg := l.Logger("x")
		lg.Info().Msg("hello")
		if !regexp.MustCompile(pattern).MatchString(b.String()) {
			t.Errorf("%s: %q does not match %s", format, b.String(), pattern)
		}
	}
}
