package runner

import (
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// topicTracker records, per connector, the topics its tasks have produced to or consumed from (Apache's
// active topics, GET /connectors/{c}/topics). An entry lives as long as the connector: a restart or a new
// configuration keeps it, a delete drops it.
type topicTracker struct {
	mu    sync.Mutex
	conns map[string]*trackedTopics
}

// trackedTopics are one connector's topics.
type trackedTopics struct {
	// epoch counts resets, so that the tasks' caches notice them and record their topics again.
	epoch  atomic.Uint64
	mu     sync.Mutex
	topics map[string]struct{}
}

func newTopicTracker() *topicTracker {
	return &topicTracker{conns: map[string]*trackedTopics{}}
}

// entry returns a connector's record, creating it when create is set.
func (tt *topicTracker) entry(conn string, create bool) *trackedTopics {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	e := tt.conns[conn]
	if e == nil && create {
		e = &trackedTopics{topics: map[string]struct{}{}}
		tt.conns[conn] = e
	}
	return e
}

// cache returns the cache a new task of conn records its topics through; nil when tracking is off.
func (tt *topicTracker) cache(conn string) *topicCache {
	if tt == nil {
		return nil
	}
	t := tt.entry(conn, true)
	return &topicCache{t: t, epoch: t.epoch.Load(), seen: map[string]struct{}{}}
}

// list returns a connector's topics, sorted; never nil.
func (tt *topicTracker) list(conn string) []string {
	e := tt.entry(conn, false)
	if e == nil {
		return []string{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string{}, slices.Sorted(maps.Keys(e.topics))...)
}

// reset forgets a connector's topics; its tasks record them again as they use them.
func (tt *topicTracker) reset(conn string) {
	e := tt.entry(conn, false)
	if e == nil {
		return
	}
	e.mu.Lock()
	clear(e.topics)
	e.epoch.Add(1)
	e.mu.Unlock()
}

// forget drops a deleted connector's record. Tasks of the deleted connector that are still winding down
// hold the old record, so they cannot add to a new connector of the same name.
func (tt *topicTracker) forget(conn string) {
	if tt == nil {
		return
	}
	tt.mu.Lock()
	delete(tt.conns, conn)
	tt.mu.Unlock()
}

// topicCache is one task's view of its connector's topics. It keeps the per-record cost to a map lookup in
// memory only this task's goroutine touches, plus an atomic load; the shared record is locked only the
// first time the task sees a topic (and again after a reset).
type topicCache struct {
	t     *trackedTopics
	epoch uint64
	seen  map[string]struct{}
}

// note records that the task used topic. A nil cache (tracking off) does nothing.
func (c *topicCache) note(topic string) {
	if c == nil {
		return
	}
	if e := c.t.epoch.Load(); e != c.epoch {
		clear(c.seen)
		c.epoch = e
	}
	if _, ok := c.seen[topic]; ok {
		return
	}
	c.seen[topic] = struct{}{}
	c.t.mu.Lock()
	c.t.topics[topic] = struct{}{}
	c.t.mu.Unlock()
}

// Topics returns the topics the connector's tasks have produced to or consumed from since it was created or
// its topics were reset, sorted. An unknown connector has none (Apache does not check existence).
// topic.tracking.enable=false: KindForbidden "Topic tracking is disabled.".
func (h *Herder) Topics(name string) ([]string, error) {
	if !h.current().set.topicTracking {
		return nil, errorf(KindForbidden, "Topic tracking is disabled.")
	}
	return h.topics.list(name), nil
}

// ResetTopics forgets a connector's active topics. KindForbidden "Topic tracking is disabled." or
// "Topic tracking reset is disabled.". An unknown connector is not an error, as in Apache.
func (h *Herder) ResetTopics(name string) error {
	set := h.current().set
	if !set.topicTracking {
		return errorf(KindForbidden, "Topic tracking is disabled.")
	}
	if !set.topicTrackingReset {
		return errorf(KindForbidden, "Topic tracking reset is disabled.")
	}
	h.topics.reset(name)
	return nil
}
