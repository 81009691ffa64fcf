package runner

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
)

// Reconfig is a new worker configuration for Reconfigure: the parts of Config a change of the worker file
// can change. The fields mean what Config's do.
type Reconfig struct {
	// Worker is the worker configuration, config providers resolved, with bootstrap.servers set to the
	// brokers every client uses.
	Worker       map[string]string
	Providers    *config.Providers
	Bootstrap    []string
	KafkaVersion sarama.KafkaVersion
	WorkerID     string
	StateFile    string
}

// Reconfigure applies a new worker configuration while the worker runs and returns the connectors it
// restarted, sorted.
//
// A connector is restarted only when what its tasks are built from changes: the brokers or protocol
// version, the producer.*, consumer.* and admin.* keys its clients get, the converters it takes from the
// worker, the config providers (for a connector whose configuration uses them), topic.creation.enable (for
// a source), offset.flush.*, topic.tracking.enable, or the offsets file (for a source). Its tasks stop
// gracefully first, committing their offsets, so the new tasks carry on where the old ones stopped. Other
// settings (task.shutdown.graceful.timeout.ms, topic.tracking.allow.reset, the worker id) apply at once.
//
// When offset.storage.file.filename changes, the offsets store moves there (see offsets.FileStore.Move):
// the offsets come along unless that file already holds offsets. When connectors.state.file changes, the
// connectors created through the REST API are saved in the new file from now on; connectors saved in it
// that do not exist here are created, as at start-up.
//
// Nothing changes when it fails: an invalid worker configuration, a new configuration under which a
// running connector's configuration would no longer be valid (a config provider it uses is gone, ...), an
// unreadable new state file, or an offsets file that cannot be moved.
func (h *Herder) Reconfigure(r Reconfig) ([]string, error) {
	next, err := newEnv(r.Worker, r.Providers, r.Bootstrap, r.KafkaVersion, r.WorkerID, r.StateFile)
	if err != nil {
		return nil, fmt.Errorf("worker configuration: %w", err)
	}
	h.op.Lock()
	defer h.op.Unlock()
	old := h.current()

	oldOffsets := strings.TrimSpace(old.worker[config.OffsetStorageFile])
	newOffsets := strings.TrimSpace(next.worker[config.OffsetStorageFile])
	moveOffsets := newOffsets != oldOffsets
	var state *stateDoc
	if next.stateFile != old.stateFile && next.stateFile != "" {
		if state, err = h.readState(next.stateFile); err != nil {
			return nil, err
		}
	}

	h.mu.RLock()
	all := slices.SortedFunc(maps.Values(h.conns), func(a, b *connector) int { return strings.Compare(a.name, b.name) })
	h.mu.RUnlock()
	var affected []*connector
	var broken []string
	for _, c := range all {
		if taskInputs(old, c) == taskInputs(next, c) && !(moveOffsets && c.plugin.Type == connectors.SourceType) {
			continue
		}
		// A change must not break a connector that is valid now.
		if _, err := h.validateWith(next, c.config); err != nil {
			if _, was := h.validateWith(old, c.config); was == nil {
				broken = append(broken, fmt.Sprintf("connector %s: %v", c.name, err))
				continue
			}
		}
		affected = append(affected, c)
	}
	if len(broken) > 0 {
		return nil, errorf(KindInvalid, "the new worker configuration would make running connectors invalid; nothing was changed:\n%s",
			strings.Join(broken, "\n"))
	}

	h.stopAll(affected)
	if moveOffsets {
		if err := h.cfg.Offsets.Move(newOffsets); err != nil {
			for _, c := range affected {
				h.startConnector(c)
			}
			return nil, fmt.Errorf("%s: moving the offsets file: %w", config.OffsetStorageFile, err)
		}
	}
	h.env.Store(next)
	if state != nil {
		if err := h.restore(next.stateFile, state, h.Connectors()); err != nil {
			h.log.Error().Err(err).Msg("restoring the connectors of the new connectors state file")
		}
	}
	if next.stateFile != old.stateFile {
		// The REST-created connectors are now saved in the new file (save logs a failure).
		_ = h.save()
	}
	names := make([]string, len(affected))
	for i, c := range affected {
		h.startConnector(c)
		names[i] = c.name
	}
	h.log.Info().Strs("restarted", names).Msg("worker configuration changed")
	return names, nil
}

// stopAll stops connectors (tasks and instances) in parallel; each stop commits its tasks' offsets. The
// caller holds h.op.
func (h *Herder) stopAll(cs []*connector) {
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() { defer wg.Done(); h.stopConnector(c) }()
	}
	wg.Wait()
}

// taskInputs renders what a connector's tasks are built from that the worker configuration provides: two
// configurations that render the same build the same tasks. It is derived from the same functions that
// build the tasks, so what a worker key changes is never guessed.
func taskInputs(e *env, c *connector) string {
	var b strings.Builder
	fmt.Fprintf(&b, "bootstrap=%s\nversion=%s\nflush=%s,%s\ntracking=%t\n", strings.Join(e.bootstrap, ","),
		e.kafkaVersion, e.set.flushInterval, e.set.flushTimeout, e.set.topicTracking)
	props := func(what string, p map[string]string, err error) {
		b.WriteString(what)
		if err != nil {
			b.WriteString(" error=" + err.Error() + "\n")
			return
		}
		b.WriteByte('\n')
		writeSorted(&b, p)
	}
	for _, key := range []string{config.KeyConverter, config.ValueConverter, config.HeaderConverter} {
		class, p := converterProps(key, e.worker, c.config)
		props(key+"="+class, p, nil)
	}
	switch c.plugin.Type {
	case connectors.SourceType:
		p, err := kafka.ProducerProps(e.worker, c.config, c.name, 0)
		props("producer", p, err)
		p, err = kafka.AdminProps(e.worker, c.config, c.name, 0)
		props("admin", p, err)
		fmt.Fprintf(&b, "topic.creation=%t\n", topicCreationEnabled(e.worker, c.config))
	case connectors.SinkType:
		p, err := kafka.ConsumerProps(e.worker, c.config, c.name, 0)
		props("consumer", p, err)
		if config.JavaTrim(c.config[config.DLQTopicName]) != "" {
			p, err = kafka.DLQProducerProps(e.worker, c.config, c.name, 0)
			props("dlq.producer", p, err)
			p, err = kafka.DLQAdminProps(e.worker, c.config)
			props("dlq.admin", p, err)
		}
	}
	if usesProviders(c.config) {
		providers := map[string]string{}
		for k, v := range e.worker {
			if k == config.ConfigProviders || strings.HasPrefix(k, config.ConfigProviders+".") {
				providers[k] = v
			}
		}
		props("providers", providers, nil)
	}
	return b.String()
}

// usesProviders reports whether a configuration holds a ${provider:path:key} reference.
func usesProviders(cfg map[string]string) bool {
	for _, v := range cfg {
		if strings.Contains(v, "${") {
			return true
		}
	}
	return false
}

func writeSorted(b *strings.Builder, m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
		b.WriteByte('\n')
	}
}
