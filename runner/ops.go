package runner

import (
	"context"
	"fmt"
	"maps"
)

// PatchConfig merges patch into a connector's configuration (a nil value removes the key), validates and
// applies the result like PutConfig. Changing or removing "name" is rejected (KindInvalid): Apache lets a
// patch do either, which leaves a connector whose configuration names another one.
func (h *Herder) PatchConfig(name string, patch map[string]*string) (*ConnectorInfo, error) {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.mustGet(name)
	if err != nil {
		return nil, err
	}
	if v, ok := patch["name"]; ok {
		if v == nil {
			return nil, errorf(KindInvalid, "Connector name configuration cannot be removed from the configuration of connector %s", name)
		}
		if *v != name {
			return nil, errorf(KindInvalid, "Connector name configuration (%s) doesn't match connector name in the URL (%s)", *v, name)
		}
	}
	cfg := maps.Clone(c.config)
	for k, v := range patch {
		if v == nil {
			delete(cfg, k)
		} else {
			cfg[k] = *v
		}
	}
	info, err := h.put(name, cfg, c.target, c.owner)
	if err != nil {
		return nil, err
	}
	if err := h.saveIfREST(name); err != nil {
		return nil, err
	}
	return info, nil
}

// TaskStatus returns one task's status; unknown connector or task: KindNotFound
// "No status found for task <c>-<t>".
func (h *Herder) TaskStatus(name string, id int) (*TaskStatus, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	c := h.conns[name]
	if c == nil || id < 0 || id >= len(c.tasks) {
		return nil, errorf(KindNotFound, "No status found for task %s-%d", name, id)
	}
	return &TaskStatus{ID: id, Status: c.tasks[id].status()}, nil
}

// PauseTask pauses one task (an extension: Apache has no task-level pause). The connector stays RUNNING and
// the task shows PAUSED: a source task stops polling, a sink task stops fetching. Any connector-level
// pause, resume, stop or restart, and any configuration change, overrides it. Not persisted.
// Unknown connector or task: KindNotFound.
func (h *Herder) PauseTask(name string, id int) error {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.task(name, id)
	if err != nil {
		return err
	}
	c.tasks[id].setPaused(true)
	h.log.Info().Str("connector", name).Int("task", id).Msg("task pause requested")
	return nil
}

// ResumeTask resumes a task paused by PauseTask. A task of a paused connector resumes with its connector:
// KindInvalid.
func (h *Herder) ResumeTask(name string, id int) error {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.task(name, id)
	if err != nil {
		return err
	}
	if c.target == TargetPaused {
		return errorf(KindInvalid, "Connector %s is paused; resume the connector to resume its tasks", name)
	}
	c.tasks[id].setPaused(false)
	h.log.Info().Str("connector", name).Int("task", id).Msg("task resume requested")
	return nil
}

// task finds a connector with the given task. The caller holds h.op.
func (h *Herder) task(name string, id int) (*connector, error) {
	c, err := h.mustGet(name)
	if err != nil {
		return nil, err
	}
	if id < 0 || id >= len(c.tasks) {
		return nil, errorf(KindNotFound, "Task %s-%d not found", name, id)
	}
	return c, nil
}

// SetReady marks the worker ready: every connector file given on the command line has been submitted.
func (h *Herder) SetReady() { h.ready.Store(true) }

// Ready reports whether SetReady was called.
func (h *Herder) Ready() bool { return h.ready.Load() }

// Healthy waits until the herder can take a request (its operation lock) or ctx ends; it is Apache's
// liveness check.
func (h *Herder) Healthy(ctx context.Context) error {
	acquired := make(chan struct{})
	go func() {
		// If ctx ends first this goroutine still takes and releases the lock when it can, and then ends.
		h.op.Lock()
		h.op.Unlock()
		close(acquired)
	}()
	select {
	case <-acquired:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the worker did not take a request in time: %w", ctx.Err())
	}
}
