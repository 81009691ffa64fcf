// Package logging builds the process logger and hands out named loggers whose levels can be changed while
// the process runs, the way Apache Kafka Connect's /admin/loggers changes log4j levels.
//
// Loggers are named like the Apache classes doing the same work (org.apache.kafka.connect.runtime.
// WorkerSourceTask, …), and levels are hierarchical as in log4j: a logger without a level of its own takes
// the level of its nearest dotted ancestor that has one, and finally of the root logger. So what users set
// for Apache (org.apache.kafka.connect=DEBUG) works here too.
//
// A named logger decides per event, before the event is built, whether its level is enabled: a suppressed
// debug line costs an atomic load and allocates nothing.
package logging

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Logger names of this process's components: the Apache classes that do the same work, so that a level set
// for Apache applies here. Connector plugins log under their task's class name
// (org.apache.kafka.connect.file.FileStreamSourceTask, …).
const (
	CommandLineName = "org.apache.kafka.connect.cli.ConnectStandalone"
	HerderName      = "org.apache.kafka.connect.runtime.standalone.StandaloneHerder"
	WorkerName      = "org.apache.kafka.connect.runtime.Worker"
	SourceTaskName  = "org.apache.kafka.connect.runtime.WorkerSourceTask"
	SinkTaskName    = "org.apache.kafka.connect.runtime.WorkerSinkTask"
	RestServerName  = "org.apache.kafka.connect.runtime.rest.RestServer"
	OffsetStoreName = "org.apache.kafka.connect.storage.FileOffsetBackingStore"
	// BrokerName is the embedded broker's logger; Apache's broker logs under kafka.*.
	BrokerName = "kafka.server.EmbeddedBroker"
	// ReloadName is the file watcher's logger (Apache never reloads its files): a child of the command
	// line's, so that a level set for ConnectStandalone applies to it too.
	ReloadName = CommandLineName + ".Reload"
	// RootName is how the REST API names the root logger (any case).
	RootName = "root"
)

// levelNames maps log4j level names to zerolog levels. ALL and FATAL are accepted as log4j accepts them.
var levelNames = map[string]zerolog.Level{
	"ALL":   zerolog.TraceLevel,
	"TRACE": zerolog.TraceLevel,
	"DEBUG": zerolog.DebugLevel,
	"INFO":  zerolog.InfoLevel,
	"WARN":  zerolog.WarnLevel,
	"ERROR": zerolog.ErrorLevel,
	"FATAL": zerolog.FatalLevel,
	"OFF":   zerolog.Disabled,
}

// ValidLevel reports whether s names a log4j level (any case): ALL, TRACE, DEBUG, INFO, WARN, ERROR,
// FATAL or OFF.
func ValidLevel(s string) bool {
	_, ok := levelNames[strings.ToUpper(s)]
	return ok
}

// Setting is the level of one logger as the REST API reports it.
type Setting struct {
	// Level is the log4j name of the level: the logger's own, or the one it inherits.
	Level string
	// Modified is when the level was last changed through Set; zero if never.
	Modified time.Time
}

// Levels owns the level of every named logger of the process. It is safe for concurrent use.
type Levels struct {
	base zerolog.Logger
	now  func() time.Time
	// out is where every event goes, in the format log.format names; SetFormat switches it.
	out *formatWriter

	mu    sync.Mutex
	root  *node
	nodes map[string]*node // every logger handed out or set, by name; the root is not in it
}

// node is one named logger. Its effective level is what the events check; the rest is guarded by
// Levels.mu.
type node struct {
	name      string
	effective atomic.Int32 // a zerolog.Level
	explicit  string       // own log4j level name; empty: inherited
	modified  time.Time
}

// Sample implements zerolog.Sampler: zerolog asks it before building an event, so a disabled level costs
// one atomic load.
func (n *node) Sample(lvl zerolog.Level) bool {
	return lvl >= zerolog.Level(n.effective.Load())
}

// New builds the process's loggers writing to w: level is log.level (trace, debug, info, warn or error) and
// becomes the root level; format is log.format (console or json).
func New(w io.Writer, level, format string) (*Levels, error) {
	name := strings.ToUpper(strings.TrimSpace(level))
	if lvl, ok := levelNames[name]; !ok || lvl > zerolog.ErrorLevel || name == "ALL" {
		return nil, fmt.Errorf("log.level %q: want one of trace, debug, info, warn, error", level)
	}
	out := &formatWriter{raw: w}
	if err := out.set(format); err != nil {
		return nil, err
	}
	// Every event passes the base level; each named logger's sampler applies its own level.
	base := zerolog.New(out).Level(zerolog.TraceLevel).Hook(millisTime{time.Now})
	l := &Levels{base: base, now: time.Now, out: out, root: &node{name: RootName, explicit: name}, nodes: map[string]*node{}}
	l.root.effective.Store(int32(levelNames[name]))
	return l, nil
}

// SetFormat switches every logger to a log.format (console or json) at once.
func (l *Levels) SetFormat(format string) error {
	return l.out.set(format)
}

// formatWriter receives every event as zerolog's JSON line and writes it in the current format.
type formatWriter struct {
	raw io.Writer
	cur atomic.Pointer[io.Writer]
}

func (f *formatWriter) set(format string) error {
	var w io.Writer
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "console":
		w = zerolog.ConsoleWriter{Out: f.raw, TimeFormat: "2006-01-02 15:04:05.000", NoColor: !isTerminal(f.raw)}
	case "json":
		w = f.raw
	default:
		return fmt.Errorf("log.format %q: want console or json", format)
	}
	f.cur.Store(&w)
	return nil
}

// millisTime stamps every event with the time in milliseconds, as Apache's log lines carry it. zerolog's
// own Timestamp writes whole seconds unless its package-wide TimeFieldFormat is changed.
type millisTime struct{ now func() time.Time }

func (h millisTime) Run(e *zerolog.Event, _ zerolog.Level, _ string) {
	e.Str(zerolog.TimestampFieldName, h.now().Format("2006-01-02T15:04:05.000Z07:00"))
}

func (f *formatWriter) Write(p []byte) (int, error) { return (*f.cur.Load()).Write(p) }

// Logger returns the logger called name, creating it with the level it inherits if it does not exist yet.
// Its events carry a "logger" field with the name, which is what to give PUT /admin/loggers/{name}.
func (l *Levels) Logger(name string) zerolog.Logger {
	l.mu.Lock()
	n := l.lookup(name, true)
	l.mu.Unlock()
	return l.base.With().Str("logger", n.name).Logger().Sample(n)
}

// lookup returns the node called name (root in any case, or empty, is the root); create adds a missing one.
// The caller holds l.mu.
func (l *Levels) lookup(name string, create bool) *node {
	if name == "" || strings.EqualFold(name, RootName) {
		return l.root
	}
	n := l.nodes[name]
	if n == nil && create {
		n = &node{name: name}
		n.effective.Store(int32(levelNames[l.inherited(name)]))
		l.nodes[name] = n
	}
	return n
}

// inherited is the level name a logger without its own level has: its nearest dotted ancestor's, else the
// root's. The caller holds l.mu.
func (l *Levels) inherited(name string) string {
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name, '.') {
		name = name[:i]
		if n := l.nodes[name]; n != nil && n.explicit != "" {
			return n.explicit
		}
	}
	return l.root.explicit
}

func (l *Levels) levelOf(n *node) string {
	if n.explicit != "" {
		return n.explicit
	}
	return l.inherited(n.name)
}

// Get returns the level of an existing logger (one handed out by Logger or set by Set); "root" in any case
// is the root logger.
func (l *Levels) Get(name string) (Setting, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.lookup(name, false)
	if n == nil {
		return Setting{}, false
	}
	return Setting{Level: l.levelOf(n), Modified: n.modified}, true
}

// All returns the loggers that have a level of their own, and the root logger (as "root").
func (l *Levels) All() map[string]Setting {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]Setting{RootName: {Level: l.root.explicit, Modified: l.root.modified}}
	for name, n := range l.nodes {
		if n.explicit != "" {
			out[name] = Setting{Level: n.explicit, Modified: n.modified}
		}
	}
	return out
}

// Set gives the logger namespace and every existing logger under it (namespace itself, and the names that
// continue it after a dot) the level, creating the namespace logger if needed; "root" sets every logger.
// It returns the names of the loggers it set, sorted (root as "root"). Loggers whose level changes get a
// new modification time. The level is a log4j level name in any case.
func (l *Levels) Set(namespace, level string) ([]string, error) {
	name := strings.ToUpper(level)
	if _, ok := levelNames[name]; !ok {
		return nil, fmt.Errorf("invalid log level '%s'", level)
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var set []*node
	if top := l.lookup(namespace, true); top == l.root {
		set = append(set, l.root)
		for _, n := range l.nodes {
			set = append(set, n)
		}
	} else {
		for _, n := range l.nodes {
			if n.name == top.name || strings.HasPrefix(n.name, top.name+".") {
				set = append(set, n)
			}
		}
	}
	names := make([]string, 0, len(set))
	for _, n := range set {
		if n.explicit != name {
			n.explicit, n.modified = name, now
		}
		names = append(names, n.name)
	}
	// Loggers below the namespace that were created later inherit from it, and a change anywhere may change
	// what others inherit: recompute every effective level (there are only a few dozen loggers).
	for _, n := range l.nodes {
		n.effective.Store(int32(levelNames[l.levelOf(n)]))
	}
	l.root.effective.Store(int32(levelNames[l.root.explicit]))
	slices.Sort(names)
	return names, nil
}

// isTerminal reports whether w is a terminal, where colours help; in files and pipes they are noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
