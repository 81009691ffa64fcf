// Package runner is the heart of connect-standalone: the herder, which owns the desired and actual state of
// every connector, and the workers, one goroutine per task, that move records between connectors and Kafka.
//
// Every change of state — from a connector file at start-up, a REST call or a file reload — is a call to
// the Herder, which serialises them, so they can never disagree or race.
package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/logging"
)

// ErrorKind classifies herder errors so that callers (the REST layer, the command line) can answer them.
type ErrorKind int

// Error kinds.
const (
	KindInternal ErrorKind = iota
	KindNotFound
	KindExists
	KindInvalid
	// KindForbidden is for operations the worker configuration disallows (topic tracking off: HTTP 403).
	KindForbidden
)

// Error is an error of a herder operation.
type Error struct {
	Kind ErrorKind
	Msg  string
	// Problems are the problems of an invalid connector configuration, one per key where they are about one
	// (Msg lists them all); callers that know where each key was written can say so.
	Problems config.Errors
}

func (e *Error) Error() string { return e.Msg }

func errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of a herder error (KindInternal for other errors).
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Herder owns every connector of this process.
type Herder struct {
	// cfg is the configuration New was given; the parts a worker reload changes are in env.
	cfg Config
	env atomic.Pointer[env]
	log zerolog.Logger

	// op serialises state changes; it is held for a whole operation, including waits for tasks to stop.
	op sync.Mutex
	// mu guards conns and each connector's tasks and taskConfigs; readers take only mu, so status stays
	// readable during a slow operation. Writers hold op as well.
	mu    sync.RWMutex
	conns map[string]*connector

	// topics records the topics each connector uses (when topic.tracking.enable is true).
	topics *topicTracker
	// saved are the connector names the state file holds (as last read or written). Guarded by op.
	saved map[string]bool
	ready atomic.Bool

	ctx    context.Context // parent of every task; cancelled at shutdown
	cancel context.CancelFunc
}

// connector is the herder's record of one connector.
type connector struct {
	name   string
	config map[string]string // as given, config-provider references unresolved
	target TargetState
	plugin connectors.Plugin
	// owner is the connector file that defines the connector; empty for one created through the REST API,
	// which is saved in the state file.
	owner string
	// fileErr is why the last edit of the owner file could not be applied (guarded by Herder.mu); the
	// connector keeps running with its last good configuration meanwhile.
	fileErr string

	impl  connectors.Connector // running instance, nil when not started
	st    statusCell
	tasks []taskWorker
	// taskConfigs are the configurations the tasks were started with.
	taskConfigs []map[string]string
	// generation counts task (re)starts, so that callers can see what a change restarted.
	generation int
}

// New returns a herder. Call Shutdown to stop it.
func New(cfg Config) (*Herder, error) {
	e, err := newEnv(cfg.Worker, cfg.Providers, cfg.Bootstrap, cfg.KafkaVersion, cfg.WorkerID, cfg.StateFile)
	if err != nil {
		return nil, fmt.Errorf("worker configuration: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Herder{cfg: cfg, log: cfg.logger(logging.HerderName), conns: map[string]*connector{}, saved: map[string]bool{},
		topics: newTopicTracker(), ctx: ctx, cancel: cancel}
	h.env.Store(e)
	return h, nil
}

// current returns the worker configuration in effect.
func (h *Herder) current() *env { return h.env.Load() }

// WorkerID returns the id shown in statuses.
func (h *Herder) WorkerID() string { return h.current().workerID }

func (h *Herder) get(name string) *connector {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.conns[name]
}

func (h *Herder) mustGet(name string) (*connector, error) {
	c := h.get(name)
	if c == nil {
		return nil, errorf(KindNotFound, "Connector %s not found", name)
	}
	return c, nil
}

// Create creates and starts a connector; it fails if one of that name exists. The connector is saved in
// the state file (see CreateOwned for connectors defined by connector files).
func (h *Herder) Create(name string, config map[string]string, target TargetState) (*ConnectorInfo, error) {
	h.op.Lock()
	defer h.op.Unlock()
	if h.get(name) != nil {
		return nil, errorf(KindExists, "Connector %s already exists", name)
	}
	info, err := h.put(name, config, target, "")
	if err != nil {
		return nil, err
	}
	if err := h.save(); err != nil {
		return nil, err
	}
	return info, nil
}

// PutConfig creates a connector or replaces its configuration (its target state is kept); created says which.
func (h *Herder) PutConfig(name string, config map[string]string) (info *ConnectorInfo, created bool, err error) {
	h.op.Lock()
	defer h.op.Unlock()
	old := h.get(name)
	if old == nil {
		info, err = h.put(name, config, TargetRunning, "")
		created = true
	} else {
		info, err = h.put(name, config, old.target, old.owner)
	}
	if err != nil {
		return nil, created, err
	}
	if err := h.saveIfREST(name); err != nil {
		return nil, created, err
	}
	return info, created, nil
}

// put validates a configuration and (re)starts the connector with it. The caller holds h.op.
func (h *Herder) put(name string, cfg map[string]string, target TargetState, owner string) (*ConnectorInfo, error) {
	cfg = maps.Clone(cfg)
	if n, ok := cfg["name"]; ok && n != name {
		return nil, errorf(KindInvalid, "Connector name configuration (%s) doesn't match connector name in the URL (%s)", n, name)
	}
	cfg["name"] = name
	plugin, err := h.validate(cfg)
	if err != nil {
		return nil, err
	}
	return h.apply(name, cfg, plugin, target, owner), nil
}

// apply (re)starts a connector with a validated configuration. A connector that already runs with that
// configuration and target state is left running; only its owner is updated. The caller holds h.op.
func (h *Herder) apply(name string, cfg map[string]string, plugin connectors.Plugin, target TargetState, owner string) *ConnectorInfo {
	old := h.get(name)
	if old != nil {
		if maps.Equal(old.config, cfg) && old.target == target && old.st.get().State != Failed {
			if old.owner != owner {
				h.mu.Lock()
				old.owner = owner
				h.mu.Unlock()
			}
			return h.info(old)
		}
		h.stopConnector(old)
	}
	c := &connector{name: name, config: cfg, target: target, plugin: plugin, owner: owner}
	c.st.set(Unassigned, "") // until it starts
	if old != nil {
		c.generation = old.generation
	}
	h.mu.Lock()
	h.conns[name] = c
	h.mu.Unlock()
	h.startConnector(c)
	return h.info(c)
}

// Delete stops a connector and forgets it. Its source offsets are kept, as in Apache: a new connector of the
// same name resumes from them.
func (h *Herder) Delete(name string) error {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.mustGet(name)
	if err != nil {
		return err
	}
	h.remove(c)
	if c.owner == "" {
		return h.save()
	}
	return nil
}

// remove stops a connector and forgets it, keeping its offsets. The caller holds h.op.
func (h *Herder) remove(c *connector) {
	h.stopConnector(c)
	h.mu.Lock()
	delete(h.conns, c.name)
	h.mu.Unlock()
	// Apache keeps a connector's active topics until it is deleted.
	h.topics.forget(c.name)
	h.log.Info().Str("connector", c.name).Msg("connector deleted")
}

// Pause pauses a connector and its tasks.
func (h *Herder) Pause(name string) error { return h.setTarget(name, TargetPaused) }

// Resume resumes a paused or stopped connector.
func (h *Herder) Resume(name string) error { return h.setTarget(name, TargetRunning) }

// Stop stops a connector's tasks and the connector; it stays configured, STOPPED.
func (h *Herder) Stop(name string) error { return h.setTarget(name, TargetStopped) }

func (h *Herder) setTarget(name string, target TargetState) error {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.mustGet(name)
	if err != nil {
		return err
	}
	if c.target == target {
		if target == TargetRunning {
			// A connector-level resume also resumes tasks paused one by one.
			h.resumeTasks(c)
		}
		return nil
	}
	if c.st.get().State == Failed && target != TargetStopped {
		// Apache ignores pause and resume of a FAILED connector (it can be restarted, stopped or deleted).
		h.log.Warn().Str("connector", name).Msgf("connector is FAILED; ignoring the request to make it %s", target)
		return nil
	}
	prev := c.target
	c.target = target
	switch {
	case target == TargetStopped:
		h.stopConnector(c)
		c.st.set(Stopped, "")
	case target == TargetPaused && prev == TargetRunning:
		for _, t := range c.tasks {
			t.setPaused(true)
		}
		h.stopInstance(c)
		c.st.set(Paused, "")
	case target == TargetPaused: // from STOPPED: still no tasks
		c.st.set(Paused, "")
	case target == TargetRunning && prev == TargetPaused && len(c.tasks) > 0:
		if err := h.startInstance(c); err == nil {
			h.resumeTasks(c)
		}
	default:
		h.startConnector(c)
	}
	h.log.Info().Str("connector", name).Str("target", string(target)).Msg("connector target state changed")
	return h.saveIfREST(name)
}

// resumeTasks lifts the pause of every task of a running connector.
func (h *Herder) resumeTasks(c *connector) {
	for _, t := range c.tasks {
		t.setPaused(false)
	}
}

// Restart restarts a connector, and with includeTasks its tasks; onlyFailed limits both to FAILED ones.
// It returns the status before the restart, with the instances it restarts shown as RESTARTING (their
// trace kept), as Apache's 202 answer shows it; restarted tasks report RESTARTING until they run again.
//
// Without includeTasks and onlyFailed it is Apache's plain restart: the connector object is restarted and
// its tasks are replaced only if the task configurations it now generates differ.
func (h *Herder) Restart(name string, includeTasks, onlyFailed bool) (*ConnectorStatus, error) {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.mustGet(name)
	if err != nil {
		return nil, err
	}
	before := h.status(c)
	restartConn := !onlyFailed || before.Connector.State == Failed
	var restartTasks []int
	if includeTasks {
		for _, t := range before.Tasks {
			if !onlyFailed || t.State == Failed {
				restartTasks = append(restartTasks, t.ID)
			}
		}
	}
	if restartConn {
		before.Connector.State = Restarting
	}
	for i := range before.Tasks {
		if slices.Contains(restartTasks, before.Tasks[i].ID) {
			before.Tasks[i].State = Restarting
		}
	}
	generation := c.generation
	if restartConn {
		h.restartInstance(c)
	}
	// Tasks the connector's restart has just replaced are not restarted a second time.
	if c.generation == generation {
		for _, id := range restartTasks {
			if id < len(c.tasks) {
				h.restartTask(c, id, Restarting)
			}
		}
	}
	return before, nil
}

// restartInstance stops the connector object and starts it again as its target state says. Its tasks are
// left alone unless the task configurations it now generates differ, as in Apache; tasks paused one by one
// are resumed.
func (h *Herder) restartInstance(c *connector) {
	h.stopInstance(c)
	switch c.target {
	case TargetStopped:
		c.st.set(Stopped, "")
		return
	case TargetPaused:
		c.st.set(Paused, "")
		return
	}
	if h.startInstance(c) != nil {
		return
	}
	cfgs, err := h.taskConfigs(c)
	if err != nil {
		h.failConnector(c, err)
		return
	}
	if slices.EqualFunc(cfgs, c.taskConfigs, maps.Equal) {
		h.resumeTasks(c)
		return
	}
	h.stopTasks(c)
	h.startTasks(c, cfgs)
}

// RestartTask restarts one task with its current configuration.
func (h *Herder) RestartTask(name string, id int) error {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.task(name, id)
	if err != nil {
		return err
	}
	h.restartTask(c, id, Unassigned)
	return nil
}

// restartTask stops one task (gracefully, with its final commit) and starts it again with the same
// configuration; the new task reports initial until it runs.
func (h *Herder) restartTask(c *connector, id int, initial State) {
	ctx, cancel := context.WithTimeout(context.Background(), h.current().set.shutdownTimeout)
	c.tasks[id].stop(ctx)
	cancel()
	t := h.newTask(c, id, c.taskConfigs[id], initial)
	h.mu.Lock()
	c.tasks[id] = t
	h.mu.Unlock()
	c.generation++
}

// Shutdown stops every connector (tasks first, with final offset commits), sharing one deadline of
// task.shutdown.graceful.timeout.ms for the tasks.
func (h *Herder) Shutdown() {
	h.op.Lock()
	defer h.op.Unlock()
	h.mu.RLock()
	all := slices.Collect(maps.Values(h.conns))
	h.mu.RUnlock()
	ctx, cancel := context.WithTimeout(context.Background(), h.current().set.shutdownTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range all {
		for _, t := range c.tasks {
			wg.Add(1)
			go func() { defer wg.Done(); t.stop(ctx) }()
		}
	}
	wg.Wait()
	h.mu.Lock()
	for _, c := range all {
		c.tasks, c.taskConfigs = nil, nil
	}
	h.mu.Unlock()
	for _, c := range all {
		h.stopInstance(c)
		c.st.set(Unassigned, "")
	}
	h.cancel()
	if err := h.cfg.Offsets.Flush(); err != nil {
		h.log.Error().Err(err).Msg("final write of the offsets file")
	}
}

// startConnector starts a connector as its target state says. The caller holds h.op.
func (h *Herder) startConnector(c *connector) {
	switch c.target {
	case TargetStopped:
		c.st.set(Stopped, "")
		return
	case TargetPaused:
		// Apache creates no tasks for a connector created PAUSED until it is resumed.
		c.st.set(Paused, "")
		return
	}
	if err := h.startInstance(c); err != nil {
		return
	}
	cfgs, err := h.taskConfigs(c)
	if err != nil {
		h.failConnector(c, err)
		return
	}
	h.startTasks(c, cfgs)
}

func (h *Herder) startTasks(c *connector, cfgs []map[string]string) {
	tasks := make([]taskWorker, len(cfgs))
	for i, tc := range cfgs {
		tasks[i] = h.newTask(c, i, tc, Unassigned)
	}
	h.mu.Lock()
	c.tasks, c.taskConfigs = tasks, cfgs
	h.mu.Unlock()
	c.generation++
}

// startInstance starts the connector object itself (not its tasks).
func (h *Herder) startInstance(c *connector) error {
	impl, ok := c.plugin.New().(connectors.Connector)
	if !ok {
		err := fmt.Errorf("%s is not a connector", c.plugin.Class)
		h.failConnector(c, err)
		return err
	}
	resolved, err := h.resolve(c.config)
	if err != nil {
		h.failConnector(c, err)
		return err
	}
	if err := impl.Start(resolved); err != nil {
		err = fmt.Errorf("starting connector %s: %w", c.name, err)
		h.failConnector(c, err)
		return err
	}
	c.impl = impl
	c.st.set(Running, "")
	h.log.Info().Str("connector", c.name).Str("class", c.plugin.Class).Msg("connector started")
	return nil
}

func (h *Herder) taskConfigs(c *connector) ([]map[string]string, error) {
	max := 1
	if s, ok := c.config["tasks.max"]; ok {
		if n, err := strconv.Atoi(s); err == nil {
			max = n
		}
	}
	cfgs, err := c.impl.TaskConfigs(max)
	if err != nil {
		return nil, fmt.Errorf("connector %s: generating task configurations: %w", c.name, err)
	}
	if len(cfgs) > max {
		return nil, fmt.Errorf("connector %s: it generated %d task configurations, more than tasks.max=%d", c.name, len(cfgs), max)
	}
	taskClass := c.plugin.Class[:len(c.plugin.Class)-len("Connector")] + "Task"
	out := make([]map[string]string, len(cfgs))
	for i, tc := range cfgs {
		out[i] = maps.Clone(tc)
		if _, ok := out[i]["task.class"]; !ok {
			out[i]["task.class"] = taskClass
		}
	}
	return out, nil
}

func (h *Herder) failConnector(c *connector, err error) {
	c.st.fail(err)
	h.log.Error().Err(err).Str("connector", c.name).Msg("connector failed")
}

// stopConnector stops a connector's tasks (graceful, final commits) and the connector instance. The caller
// holds h.op.
func (h *Herder) stopConnector(c *connector) {
	h.stopTasks(c)
	h.stopInstance(c)
	if c.st.get().State != Failed {
		c.st.set(Unassigned, "")
	}
}

// stopTasks stops a connector's tasks, sharing one deadline of task.shutdown.graceful.timeout.ms.
func (h *Herder) stopTasks(c *connector) {
	ctx, cancel := context.WithTimeout(context.Background(), h.current().set.shutdownTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, t := range c.tasks {
		wg.Add(1)
		go func() { defer wg.Done(); t.stop(ctx) }()
	}
	wg.Wait()
	h.mu.Lock()
	c.tasks, c.taskConfigs = nil, nil
	h.mu.Unlock()
}

// stopInstance stops the connector object, waiting at most 5 s as Apache does.
func (h *Herder) stopInstance(c *connector) {
	if c.impl != nil {
		stopped := make(chan error, 1)
		impl := c.impl
		go func() { stopped <- impl.Stop() }()
		select {
		case err := <-stopped:
			if err != nil {
				h.log.Warn().Err(err).Str("connector", c.name).Msg("stopping connector")
			}
		case <-time.After(5 * time.Second): // Apache gives connectors a fixed 5 s
			h.log.Error().Str("connector", c.name).Msg("connector did not stop within 5s")
		}
		c.impl = nil
	}
}

// Connectors returns the names of all connectors, sorted.
func (h *Herder) Connectors() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return slices.Sorted(maps.Keys(h.conns))
}

// Info returns a connector's configuration and tasks.
func (h *Herder) Info(name string) (*ConnectorInfo, error) {
	c, err := h.mustGet(name)
	if err != nil {
		return nil, err
	}
	return h.info(c), nil
}

func (h *Herder) info(c *connector) *ConnectorInfo {
	h.mu.RLock()
	defer h.mu.RUnlock()
	info := &ConnectorInfo{Name: c.name, Type: string(c.plugin.Type), Config: maps.Clone(c.config)}
	for i := range c.taskConfigs {
		info.Tasks = append(info.Tasks, i)
	}
	return info
}

// Config returns a connector's configuration as given.
func (h *Herder) Config(name string) (map[string]string, error) {
	c, err := h.mustGet(name)
	if err != nil {
		return nil, err
	}
	return maps.Clone(c.config), nil
}

// Tasks returns a connector's tasks with their configurations.
func (h *Herder) Tasks(name string) ([]TaskInfo, error) {
	c, err := h.mustGet(name)
	if err != nil {
		return nil, err
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]TaskInfo, len(c.taskConfigs))
	for i, tc := range c.taskConfigs {
		out[i] = TaskInfo{ID: i, Config: maps.Clone(tc)}
	}
	return out, nil
}

// Status returns a connector's status and its tasks' statuses.
func (h *Herder) Status(name string) (*ConnectorStatus, error) {
	c := h.get(name)
	if c == nil {
		return nil, errorf(KindNotFound, "No status found for connector %s", name)
	}
	return h.status(c), nil
}

func (h *Herder) status(c *connector) *ConnectorStatus {
	h.mu.RLock()
	defer h.mu.RUnlock()
	s := &ConnectorStatus{Name: c.name, Type: string(c.plugin.Type), Connector: c.st.get(), FileError: c.fileErr}
	s.Connector.Version = c.plugin.Version
	for _, t := range c.tasks {
		s.Tasks = append(s.Tasks, TaskStatus{ID: t.taskID(), Status: t.status()})
	}
	return s
}

// SetFileError records why the latest edit of the file that owns a connector could not be applied, so that
// the connector's status shows it; "" clears it. An unknown connector is ignored: the error is then the
// watcher's to report.
func (h *Herder) SetFileError(name, msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c := h.conns[name]; c != nil {
		c.fileErr = msg
	}
}

// Generation returns how many times a connector's tasks have been (re)started; tests and the reload status use it.
func (h *Herder) Generation(name string) (int, error) {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.mustGet(name)
	if err != nil {
		return 0, err
	}
	return c.generation, nil
}
