package runner

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// taskWorker is one running task: a goroutine that moves records.
type taskWorker interface {
	taskID() int
	status() Status
	config() map[string]string
	// setPaused pauses or resumes the task (non-blocking; the task reports PAUSED once it has paused).
	setPaused(paused bool)
	// stop asks the task to stop gracefully (final offset commit) and waits until it has, or until ctx is
	// done; it reports whether the task stopped in time.
	stop(ctx context.Context) bool
}

// taskBase is the part of a task every kind shares: identity, status, pause control and the goroutine's
// lifetime.
type taskBase struct {
	conn string
	id   int
	cfg  map[string]string
	log  zerolog.Logger
	// pluginLog is the logger handed to the task itself, named after its class.
	pluginLog zerolog.Logger
	st        statusCell
	pause     pauser
	cancel    context.CancelFunc
	done      chan struct{}
	version   string
	// tracked records the topics the task uses (nil when topic tracking is off); only the goroutine that
	// sees acknowledged (source) or consumed (sink) records calls it.
	tracked *topicCache
}

func newTaskBase(conn string, id int, cfg map[string]string, version string, log, pluginLog zerolog.Logger) *taskBase {
	return &taskBase{
		conn: conn, id: id, cfg: cfg, version: version,
		log:       log.With().Str("connector", conn).Int("task", id).Logger(),
		pluginLog: pluginLog.With().Str("connector", conn).Int("task", id).Logger(),
		done:      make(chan struct{}),
		pause:     pauser{wake: make(chan struct{})},
	}
}

func (t *taskBase) taskID() int               { return t.id }
func (t *taskBase) config() map[string]string { return t.cfg }
func (t *taskBase) setPaused(p bool)          { t.pause.set(p) }

func (t *taskBase) status() Status {
	s := t.st.get()
	s.Version = t.version
	return s
}

func (t *taskBase) stop(ctx context.Context) bool {
	t.cancel()
	select {
	case <-t.done:
		return true
	case <-ctx.Done():
		t.log.Error().Msg("graceful stop of task failed: it did not stop within task.shutdown.graceful.timeout.ms")
		return false
	}
}

// failed records a task failure in its status and the log.
func (t *taskBase) failed(err error) {
	t.st.fail(err)
	t.log.Error().Err(err).Msg("task failed; it will not be restarted automatically (restart it through the REST API)")
}

// name is the task's id as Apache prints it.
func (t *taskBase) name() string { return fmt.Sprintf("%s-%d", t.conn, t.id) }

// pauser is a pause switch a task goroutine can wait on.
type pauser struct {
	mu     sync.Mutex
	paused bool
	wake   chan struct{} // closed and replaced at every change
	// interrupt cancels a blocking call of the task (a source task's Poll) so that a pause takes effect
	// at once.
	interrupt context.CancelFunc
}

func (p *pauser) set(paused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused == paused {
		return
	}
	p.paused = paused
	close(p.wake)
	p.wake = make(chan struct{})
	if paused && p.interrupt != nil {
		p.interrupt()
	}
}

func (p *pauser) state() (bool, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paused, p.wake
}

// interruptible returns a context for one blocking call that a pause cancels.
func (p *pauser) interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(ctx)
	p.mu.Lock()
	p.interrupt = cancel
	p.mu.Unlock()
	return c, func() {
		p.mu.Lock()
		p.interrupt = nil
		p.mu.Unlock()
		cancel()
	}
}

// waitResumed blocks while the task is paused, reporting PAUSED; it returns false when ctx ends first.
func (t *taskBase) waitResumed(ctx context.Context) bool {
	for {
		paused, wake := t.pause.state()
		if !paused {
			if t.st.get().State == Paused {
				t.st.set(Running, "")
				t.log.Info().Msg("task resumed")
			}
			return true
		}
		if t.st.get().State != Paused {
			t.st.set(Paused, "")
			t.log.Info().Msg("task paused")
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return false
		}
	}
}

// withTimeout runs fn and waits for it at most d; fn keeps running in the background after a timeout.
func withTimeout(d time.Duration, fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("timed out after %s", d)
	}
}
