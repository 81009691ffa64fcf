// Package reload watches the files a connect-standalone worker runs from — the worker file, the connector
// files named on the command line and the connector files of a connectors directory — and applies their
// changes while the worker runs.
//
// Directories are watched, not files, because editors save by writing a temporary file and renaming it,
// and Kubernetes updates a ConfigMap volume by swapping a symbolic link to a new directory; the links a
// file is reached through are followed and their directories watched too. Bursts of events are debounced,
// and a file has changed when its content has (a SHA-256 hash), not its modification time.
//
// A changed file is parsed and validated exactly as at start-up, and applied only when valid: a connector
// file through the herder's ApplyFile (the path REST calls take too), the worker file through a
// WorkerApplier. An invalid version keeps the last good one running; the error is logged, naming the
// file, line and key, and kept in the Status until a later version applies. An empty or half-written file
// is never read as a deletion: only a file that stays gone deletes its connector.
package reload

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/runner"
)

// Defaults of Config's timings.
const (
	// DefaultDebounce is how long the files must be quiet after an event before they are read: editors and
	// tools write a file in several steps.
	DefaultDebounce = 200 * time.Millisecond
	// DefaultMaxDelay bounds the wait of a change while events keep coming (a busy directory).
	DefaultMaxDelay = 2 * time.Second
	// DefaultGrace is how long a file must stay gone before its connector is deleted, so that a save that
	// deletes the file before writing it again does not restart the connector.
	DefaultGrace = 500 * time.Millisecond
	// DefaultPoll is how often files are read when changes cannot be watched (and watches are retried).
	DefaultPoll = 2 * time.Second
)

// ErrStopped is returned by Reload after Stop.
var ErrStopped = errors.New("the file watcher is stopped")

// Herder applies connector files; *runner.Herder is one.
type Herder interface {
	ApplyFile(owner string, def *runner.FileConnector) (runner.FileChange, error)
	// SetFileError shows in a connector's status why its file's latest edit was not applied ("" clears it).
	SetFileError(connector, msg string)
}

// WorkerApplier validates and applies a new version of the worker file, the way start-up validates it. An
// error leaves the running configuration as it was and says why, naming the file, line and key.
type WorkerApplier interface {
	ApplyWorker(data []byte) (WorkerResult, error)
}

// WorkerResult is what applying a worker file did.
type WorkerResult struct {
	// ConnectorsDir is the connectors directory the worker file now names (connectors.dir); "" for none.
	ConnectorsDir string
	// Restarted are the connectors restarted because what their tasks are built from changed.
	Restarted []string
	// PendingRestart are the keys whose change takes effect only at the next start.
	PendingRestart []string
}

// Started is the version of a file the process read at start-up, so that the watcher does not apply it a
// second time.
type Started struct {
	Path string
	// Hash is the Hash of the content read.
	Hash string
	// Connector is the connector a connector file created; "" when it failed.
	Connector string
	// Err is why the file could not be applied at start; nil when it was.
	Err error
}

// Config configures a Watcher.
type Config struct {
	Herder Herder
	// WorkerFile is the worker file's path; Worker applies its changes. Both empty: no worker file is
	// watched.
	WorkerFile string
	Worker     WorkerApplier
	// ConnectorFiles are the connector files named on the command line.
	ConnectorFiles []string
	// ConnectorsDir is the connectors directory (connectors.dir); "" for none. A change of the worker file
	// may name another one.
	ConnectorsDir string
	// Started are the versions the process applied, or failed to apply, at start-up: the worker file, the
	// connector files and the files of the connectors directory.
	Started []Started
	Log     zerolog.Logger
	// Timings; zero takes the defaults above.
	Debounce, MaxDelay, Grace, Poll time.Duration
}

// Watcher watches the files and applies their changes. Its methods are safe for concurrent use.
type Watcher struct {
	cfg  Config
	log  zerolog.Logger
	fsw  *fsnotify.Watcher
	reqs chan chan Status
	quit chan struct{}
	done chan struct{}
	stop sync.Once

	// Owned by the goroutine that scans (Start's caller, then run).
	started     map[string]Started // what start-up read of files not seen yet, by absolute path
	dir         string             // the connectors directory as configured
	watched     map[string]bool    // directories watched
	interesting []string           // paths whose events matter: files, the links they go through, their directories
	degraded    bool               // a directory could not be watched: files are polled
	timer       *time.Timer
	due         time.Time // when timer fires; zero when it is stopped
	burst       time.Time // first event of the current burst
	fswErr      error

	// mu guards what Status reads: files and their fields, problems, shownDir. The scanning goroutine
	// writes them under mu and reads them without.
	mu       sync.Mutex
	files    map[string]*file // by absolute path
	problems []string
	shownDir string
}

// file is one watched file.
type file struct {
	path    string // as configured: the owner of its connector in the herder
	key     string // absolute, clean
	kind    string
	cmdline bool // named on the command line (or the worker file): watched even while missing
	state   string
	// hash is the content last handled (applied or failed); "" to apply whatever comes next.
	hash      string
	connector string
	applied   *Version
	failed    *Version
	pending   []string
	// gone is when the file was first seen missing; zero when it is there.
	gone time.Time
	// conflict: the last failure was a connector name another file defines; retried at every scan, since
	// that file may let go of it.
	conflict bool
}

// Start watches the files of cfg: it reads them once (applying what changed since start-up) and returns;
// changes are then applied as they come until Stop. Watching problems are logged and reported in the
// Status, never fatal: the files are then read every poll interval.
func Start(cfg Config) *Watcher {
	if cfg.Debounce <= 0 {
		cfg.Debounce = DefaultDebounce
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	if cfg.Grace < 0 {
		cfg.Grace = 0
	} else if cfg.Grace == 0 {
		cfg.Grace = DefaultGrace
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	w := &Watcher{cfg: cfg, log: cfg.Log, reqs: make(chan chan Status), quit: make(chan struct{}), done: make(chan struct{}),
		dir: cfg.ConnectorsDir, watched: map[string]bool{}, files: map[string]*file{}, shownDir: cfg.ConnectorsDir}
	w.timer = time.NewTimer(time.Hour)
	w.timer.Stop()
	if fsw, err := fsnotify.NewWatcher(); err != nil {
		w.fswErr = err
		w.log.Error().Err(err).Dur("poll", cfg.Poll).Msg("file change notifications are unavailable; the files are read at every poll interval instead")
	} else {
		w.fsw = fsw
	}

	w.started = map[string]Started{}
	for _, s := range cfg.Started {
		w.started[absPath(s.Path)] = s
	}
	if cfg.WorkerFile != "" && cfg.Worker != nil {
		w.track(cfg.WorkerFile, KindWorker, true)
	}
	for _, p := range cfg.ConnectorFiles {
		w.track(p, KindConnector, true)
	}
	w.scan(false) // it tracks the files of the connectors directory too
	go w.run()
	return w
}

// track starts watching a file, with the version start-up read of it, if any.
func (w *Watcher) track(path, kind string, cmdline bool) {
	f := &file{path: path, key: absPath(path), kind: kind, cmdline: cmdline}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.files[f.key] != nil {
		return
	}
	if s, ok := w.started[f.key]; ok {
		delete(w.started, f.key) // only for the first time the file is seen
		f.hash = s.Hash
		if s.Err != nil {
			f.state, f.failed = StateFailed, &Version{Hash: s.Hash, Time: time.Now(), Error: s.Err.Error()}
			f.conflict = runner.KindOf(s.Err) == runner.KindExists
		} else {
			f.state, f.connector, f.applied = StateApplied, s.Connector, &Version{Hash: s.Hash, Time: time.Now()}
		}
	}
	w.files[f.key] = f
}

// Stop stops watching; a reload in progress completes first. The herder can be shut down afterwards.
func (w *Watcher) Stop() {
	w.stop.Do(func() {
		close(w.quit)
		<-w.done
		if w.fsw != nil {
			w.fsw.Close()
		}
	})
}

// Reload reads every file again and applies each one, changed or not, with the same validate-first rule
// as a change: what SIGHUP does. A connector file re-applied overrides what REST calls changed in its
// connector since. It returns the status afterwards.
func (w *Watcher) Reload(ctx context.Context) (Status, error) {
	reply := make(chan Status, 1)
	select {
	case w.reqs <- reply:
	case <-w.done:
		return Status{}, ErrStopped
	case <-ctx.Done():
		return Status{}, ctx.Err()
	}
	select {
	case st := <-reply:
		return st, nil
	case <-ctx.Done():
		return Status{}, fmt.Errorf("the reload goes on, but its result was not waited for: %w", ctx.Err())
	}
}

// Status returns every watched file with its state.
func (w *Watcher) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := Status{Dir: w.shownDir, Problems: slices.Clone(w.problems)}
	for _, f := range w.files {
		out := FileStatus{Path: f.path, Kind: f.kind, State: f.state, Connector: f.connector,
			PendingRestart: slices.Clone(f.pending)}
		if f.applied != nil {
			v := *f.applied
			out.Applied = &v
		}
		if f.failed != nil {
			v := *f.failed
			out.Failed = &v
		}
		st.Files = append(st.Files, out)
	}
	sortFiles(st.Files)
	return st
}

func (w *Watcher) run() {
	defer close(w.done)
	var events <-chan fsnotify.Event
	var errs <-chan error
	if w.fsw != nil {
		events, errs = w.fsw.Events, w.fsw.Errors
	}
	poll := time.NewTicker(w.cfg.Poll)
	defer poll.Stop()
	defer w.timer.Stop()
	for {
		select {
		case <-w.quit:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if w.relevant(ev.Name) {
				w.debounce()
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			// An overflow loses events: read everything again.
			w.log.Warn().Err(err).Msg("file watcher error; reading the files again")
			w.debounce()
		case <-w.timer.C:
			w.due, w.burst = time.Time{}, time.Time{}
			w.scan(false)
		case <-poll.C:
			if w.degraded {
				w.scan(false)
			}
		case reply := <-w.reqs:
			w.scan(true)
			reply <- w.Status()
		}
	}
}

// debounce schedules a scan once events have stopped for the debounce time, and at most MaxDelay after the
// first event of a burst.
func (w *Watcher) debounce() {
	now := time.Now()
	if w.burst.IsZero() {
		w.burst = now
	}
	due := now.Add(w.cfg.Debounce)
	if limit := w.burst.Add(w.cfg.MaxDelay); due.After(limit) {
		due = limit
	}
	w.schedule(due)
}

func (w *Watcher) schedule(at time.Time) {
	w.due = at
	w.timer.Reset(time.Until(at))
}

// relevant reports whether an event's path can change what a watched file reads: a watched file, a link on
// the way to one, a directory above one (a ConfigMap's ..data swap), or a new file of the connectors
// directory. Other files of the same directories (logs, the offsets file) are ignored.
func (w *Watcher) relevant(name string) bool {
	name = filepath.Clean(name)
	for _, p := range w.interesting {
		if p == name || strings.HasPrefix(p, name+string(filepath.Separator)) {
			return true
		}
	}
	return w.dir != "" && filepath.Dir(name) == absPath(w.dir) && IsConnectorFile(filepath.Base(name))
}

// scan reads the files and applies what changed (everything when force is set), then watches what the
// files now go through.
func (w *Watcher) scan(force bool) {
	now := time.Now()
	for _, f := range w.sorted() {
		if f.kind == KindWorker {
			w.scanWorker(f, force, now)
		}
	}
	w.syncDir()

	type read struct {
		f    *file
		data []byte
		err  error
	}
	var reads []read
	for _, f := range w.sorted() {
		if f.kind == KindConnector {
			data, err := os.ReadFile(f.path)
			reads = append(reads, read{f, data, err})
		}
	}
	// Files that went away first, so that a connector moving to another file (a rename in the connectors
	// directory) is free to be created there.
	for _, r := range reads {
		if errors.Is(r.err, fs.ErrNotExist) {
			w.connectorGone(r.f, now)
		}
	}
	for _, r := range reads {
		switch {
		case errors.Is(r.err, fs.ErrNotExist):
		case r.err != nil:
			w.fail(r.f, "", now, fmt.Sprintf("%s: %v", r.f.path, r.err))
		default:
			w.mu.Lock()
			r.f.gone = time.Time{}
			w.mu.Unlock()
			hash := Hash(r.data)
			if force || hash != r.f.hash || r.f.conflict {
				w.applyConnector(r.f, r.data, hash, now)
			}
		}
	}
	w.rewatch()

	// A file seen gone is looked at again when its grace ends.
	if w.due.IsZero() {
		var next time.Time
		for _, f := range w.files {
			if !f.gone.IsZero() {
				if at := f.gone.Add(w.cfg.Grace); next.IsZero() || at.Before(next) {
					next = at
				}
			}
		}
		if !next.IsZero() {
			w.schedule(next)
		}
	}
}

// sorted returns the watched files in path order, so that files are applied in a stable order.
func (w *Watcher) sorted() []*file {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.SortedFunc(maps.Values(w.files), func(a, b *file) int { return strings.Compare(a.key, b.key) })
}

// syncDir starts watching the connector files new in the connectors directory, and lets go of those of a
// directory the worker file no longer names (their connectors are deleted).
func (w *Watcher) syncDir() {
	var listed []string
	if w.dir != "" {
		listed, _ = DirFiles(w.dir) // an unreadable directory is reported by rewatch
	}
	dir := ""
	if w.dir != "" {
		dir = absPath(w.dir)
	}
	for _, f := range w.sorted() {
		if f.kind != KindConnector || f.cmdline || filepath.Dir(f.key) == dir {
			continue
		}
		w.deleteConnector(f, "its directory is no longer connectors.dir")
		w.mu.Lock()
		delete(w.files, f.key)
		w.mu.Unlock()
	}
	for _, p := range listed {
		if !w.onCommandLine(p) {
			w.track(p, KindConnector, false)
		}
	}
}

// onCommandLine reports whether a file of the connectors directory is also named on the command line
// (maybe by another path): it is watched once, as the command line's.
func (w *Watcher) onCommandLine(path string) bool {
	return SameFileIn(path, w.cfg.ConnectorFiles)
}

// SameFileIn reports whether path is the same file as one of files, however each is spelled (relative,
// through links): a file of the connectors directory that is also named on the command line belongs to
// the command line.
func SameFileIn(path string, files []string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, p := range files {
		if other, err := os.Stat(p); err == nil && os.SameFile(fi, other) {
			return true
		}
	}
	return false
}

// connectorGone handles a connector file found missing: once it has stayed gone for the grace time, its
// connector is deleted (its offsets are kept). A file of the connectors directory is then no longer
// watched; a file named on the command line is, and comes back with its connector when it is created again.
func (w *Watcher) connectorGone(f *file, now time.Time) {
	if f.state == StateMissing || !w.goneForGrace(f, now) {
		return
	}
	w.deleteConnector(f, "its file is gone")
	w.mu.Lock()
	defer w.mu.Unlock()
	if !f.cmdline {
		delete(w.files, f.key)
		return
	}
	f.state, f.hash, f.connector, f.gone, f.conflict = StateMissing, "", "", time.Time{}, false
}

// goneForGrace notes when a file was first found missing and reports whether it has stayed gone for the
// grace time since.
func (w *Watcher) goneForGrace(f *file, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if f.gone.IsZero() {
		f.gone = now
	}
	return now.Sub(f.gone) >= w.cfg.Grace
}

// deleteConnector deletes the connector a file defines, if any.
func (w *Watcher) deleteConnector(f *file, why string) {
	change, err := w.cfg.Herder.ApplyFile(f.path, nil)
	if err != nil {
		w.log.Error().Err(err).Str("file", f.path).Msg("deleting the connector of a connector file")
		return
	}
	if change.Removed != "" {
		w.log.Info().Str("file", f.path).Str("connector", change.Removed).
			Msgf("connector deleted: %s; its offsets are kept", why)
	}
}

// applyConnector applies one version of a connector file.
func (w *Watcher) applyConnector(f *file, data []byte, hash string, now time.Time) {
	if blank(data) {
		w.fail(f, hash, now, f.path+": the file is empty; nothing is applied until it has content")
		return
	}
	cf, err := config.ParseConnectorFile(f.path, data)
	if err != nil {
		w.fail(f, hash, now, describe(f.path, nil, err))
		return
	}
	target, err := runner.ParseTargetState(cf.InitialState)
	if err != nil {
		w.fail(f, hash, now, describe(f.path, cf, err))
		return
	}
	change, err := w.cfg.Herder.ApplyFile(f.path, &runner.FileConnector{Name: cf.Name, Config: cf.Config, Target: target})
	if err != nil {
		conflict := runner.KindOf(err) == runner.KindExists
		w.fail(f, hash, now, describe(f.path, cf, err))
		w.mu.Lock()
		f.conflict = conflict
		w.mu.Unlock()
		return
	}
	w.mu.Lock()
	f.state, f.hash, f.connector, f.conflict = StateApplied, hash, cf.Name, false
	f.applied = &Version{Hash: hash, Time: now}
	w.mu.Unlock()
	w.cfg.Herder.SetFileError(cf.Name, "")

	ev := w.log.Info().Str("file", f.path).Str("version", short(hash))
	switch {
	case change.Removed != "" && change.Created != "":
		ev.Str("connector", change.Created).Str("removed", change.Removed).
			Msg("connector renamed in its file: the old connector is deleted (its offsets are kept) and the new one created")
	case change.Created != "":
		ev.Str("connector", change.Created).Msg("connector created from its file")
	case change.Updated != "":
		ev.Str("connector", change.Updated).Msg("connector reconfigured from its file")
	default:
		w.log.Debug().Str("file", f.path).Str("connector", cf.Name).Str("version", short(hash)).
			Msg("connector file read; the connector already runs as it says")
	}
}

// scanWorker applies a new version of the worker file.
func (w *Watcher) scanWorker(f *file, force bool, now time.Time) {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		if f.state == StateMissing || !w.goneForGrace(f, now) {
			return
		}
		w.mu.Lock()
		f.state, f.hash, f.gone = StateMissing, "", time.Time{}
		w.mu.Unlock()
		w.log.Warn().Str("file", f.path).Msg("the worker file is gone; the running configuration is kept")
		return
	}
	if err != nil {
		w.fail(f, "", now, fmt.Sprintf("%s: %v", f.path, err))
		return
	}
	w.mu.Lock()
	f.gone = time.Time{}
	w.mu.Unlock()
	hash := Hash(data)
	if !force && hash == f.hash {
		return
	}
	if blank(data) {
		w.fail(f, hash, now, f.path+": the file is empty; the running configuration is kept")
		return
	}
	res, err := w.cfg.Worker.ApplyWorker(data)
	if err != nil {
		w.fail(f, hash, now, err.Error())
		return
	}
	w.mu.Lock()
	f.state, f.hash, f.applied, f.pending = StateApplied, hash, &Version{Hash: hash, Time: now}, res.PendingRestart
	w.shownDir = res.ConnectorsDir
	w.mu.Unlock()
	ev := w.log.Info().Str("file", f.path).Str("version", short(hash)).Strs("restarted", res.Restarted)
	if len(res.PendingRestart) > 0 {
		ev.Strs("pending_restart", res.PendingRestart)
	}
	ev.Msg("worker configuration applied")
	if len(res.PendingRestart) > 0 {
		w.log.Warn().Str("file", f.path).Strs("keys", res.PendingRestart).
			Msg("these worker keys changed and take effect at the next start")
	}
	if res.ConnectorsDir != w.dir {
		w.log.Info().Str("from", w.dir).Str("to", res.ConnectorsDir).Msg("connectors.dir changed")
		w.dir = res.ConnectorsDir
	}
}

// fail records a version that could not be applied; what was applied before keeps running. The same
// failure again (a retried conflict, a forced reload) is not logged again.
func (w *Watcher) fail(f *file, hash string, now time.Time, msg string) {
	repeated := f.state == StateFailed && f.failed != nil && f.failed.Hash == hash && f.failed.Error == msg
	w.mu.Lock()
	f.state, f.hash = StateFailed, hash
	if !repeated {
		f.failed = &Version{Hash: hash, Time: now, Error: msg}
	}
	w.mu.Unlock()
	if repeated {
		return
	}
	if f.kind != KindWorker && f.connector != "" {
		w.cfg.Herder.SetFileError(f.connector, msg)
	}
	ev := w.log.Error().Str("file", f.path).Str("error", msg)
	if hash != "" {
		ev.Str("version", short(hash))
	}
	switch {
	case f.kind == KindWorker:
		ev.Msg("the worker file was not applied; the running configuration is kept")
	case f.connector != "":
		ev.Str("connector", f.connector).Msg("the connector file was not applied; the connector keeps running with its last good configuration")
	default:
		ev.Msg("the connector file was not applied")
	}
}

// rewatch watches the directories of the files and of the links they go through, and reports those that
// cannot be watched; their files are then read every poll interval.
func (w *Watcher) rewatch() {
	wanted := map[string]bool{}    // directories to watch
	essential := map[string]bool{} // those whose failure means changes would be missed
	var interesting []string
	for _, f := range w.sorted() {
		essential[filepath.Dir(f.key)] = true
		for _, p := range linkChain(f.key) {
			wanted[filepath.Dir(p)] = true
			interesting = append(interesting, p)
		}
	}
	if w.dir != "" {
		d := absPath(w.dir)
		wanted[d], essential[d] = true, true
		interesting = append(interesting, d)
	}
	var problems []string
	if w.fsw == nil {
		problems = append(problems, fmt.Sprintf("file change notifications are unavailable (%v); the files are read every %s", w.fswErr, w.cfg.Poll))
	} else {
		for _, d := range slices.Sorted(maps.Keys(wanted)) {
			// Adding again is cheap, and follows a directory that a link now points elsewhere.
			if err := w.fsw.Add(d); err != nil {
				delete(wanted, d)
				if essential[d] {
					problems = append(problems, fmt.Sprintf("cannot watch %s (%v); its files are read every %s", d, err, w.cfg.Poll))
				}
			}
		}
		for d := range w.watched {
			if !wanted[d] {
				_ = w.fsw.Remove(d) // gone already when the directory was deleted
			}
		}
	}
	w.watched, w.interesting = wanted, interesting
	w.degraded = len(problems) > 0
	w.mu.Lock()
	changed := !slices.Equal(problems, w.problems)
	w.problems = problems
	w.mu.Unlock()
	if changed {
		for _, p := range problems {
			w.log.Warn().Msg(p)
		}
	}
}

// short is a hash as logs show it.
func short(hash string) string {
	if len(hash) > len("sha256:")+12 {
		return hash[:len("sha256:")+12]
	}
	return hash
}
