package runner

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// newTask builds and starts one task, which reports initial until it runs. A task that cannot be built is
// returned FAILED, with the reason in its status, so that the connector's other tasks and the other
// connectors carry on.
func (h *Herder) newTask(c *connector, id int, taskCfg map[string]string, initial State) taskWorker {
	workerLog := logging.SourceTaskName
	if c.plugin.Type == connectors.SinkType {
		workerLog = logging.SinkTaskName
	}
	e := h.current()
	base := newTaskBase(c.name, id, taskCfg, c.plugin.Version, h.cfg.logger(workerLog), h.cfg.logger(taskCfg["task.class"]))
	base.st.set(initial, "")
	if e.set.topicTracking {
		base.tracked = h.topics.cache(c.name)
	}
	fail := func(err error) taskWorker {
		t := &failedTask{base}
		close(t.done)
		t.failed(err)
		return t
	}
	connCfg, err := e.resolve(c.config)
	if err != nil {
		return fail(err)
	}
	resolvedTask, err := e.resolve(taskCfg)
	if err != nil {
		return fail(err)
	}
	base.cfg = resolvedTask
	conv, err := newConverters(h.cfg.Registry, e.worker, connCfg)
	if err != nil {
		return fail(fmt.Errorf("connector %s: %w", c.name, err))
	}
	// One chain per task, from the connector's configuration, as Apache builds it.
	chain, err := transforms.NewChain(h.cfg.Registry, connCfg)
	if err != nil {
		return fail(fmt.Errorf("connector %s: %w", c.name, err))
	}
	errs, dlqCfg, err := newErrorHandler(string(c.plugin.Type), connCfg, base.name(), base.log)
	if err != nil {
		return fail(fmt.Errorf("connector %s: %w", c.name, err))
	}
	if c.target == TargetPaused {
		base.pause.set(true)
	}
	switch c.plugin.Type {
	case connectors.SourceType:
		src, ok := c.plugin.New().(connectors.Source)
		if !ok {
			return fail(fmt.Errorf("%s is not a source connector", c.plugin.Class))
		}
		props, err := kafka.ProducerProps(e.worker, connCfg, c.name, id)
		if err != nil {
			return fail(fmt.Errorf("connector %s: %w", c.name, err))
		}
		scfg, err := h.producerConfig(e, c.name, props)
		if err != nil {
			return fail(fmt.Errorf("connector %s: %w", c.name, err))
		}
		w := &sourceWorker{taskBase: base, task: src.NewTask(), chain: chain, conv: conv, errs: errs,
			tracker: newSubmitted(), store: h.cfg.Offsets, set: e.set}
		w.topics, err = newTopicCreator(e.worker, connCfg, func() (sarama.ClusterAdmin, error) {
			props, err := kafka.AdminProps(e.worker, connCfg, c.name, id)
			if err != nil {
				return nil, err
			}
			acfg, _, err := kafka.AdminConfig(props, props["client.id"])
			if err != nil {
				return nil, err
			}
			e.tune(acfg)
			return sarama.NewClusterAdmin(e.bootstrap, acfg)
		}, base.log)
		if err != nil {
			return fail(fmt.Errorf("connector %s: %w", c.name, err))
		}
		ctx, cancel := context.WithCancel(h.ctx)
		w.cancel = cancel
		go func() {
			p, ok := connectRetrying(ctx, w.taskBase, func() (sarama.AsyncProducer, error) {
				return sarama.NewAsyncProducer(e.bootstrap, scfg)
			})
			if !ok {
				w.st.set(Unassigned, "")
				close(w.done)
				return
			}
			w.producer = p
			w.start(ctx)
		}()
		return w
	case connectors.SinkType:
		snk, ok := c.plugin.New().(connectors.Sink)
		if !ok {
			return fail(fmt.Errorf("%s is not a sink connector", c.plugin.Class))
		}
		props, err := kafka.ConsumerProps(e.worker, connCfg, c.name, id)
		if err != nil {
			return fail(fmt.Errorf("connector %s: %w", c.name, err))
		}
		group := kafka.GroupID(props)
		scfg, warnings, err := kafka.ConsumerConfig(props, group, props["client.id"])
		if err != nil {
			return fail(fmt.Errorf("connector %s: %w", c.name, err))
		}
		h.warn(c.name, warnings)
		e.tune(scfg)
		scfg.Consumer.Return.Errors = true
		batch, _ := kafka.MaxPollRecords(props) // ConsumerConfig has checked max.poll.records
		w := &sinkWorker{taskBase: base, task: snk.NewTask(), conv: conv, chain: chain, errs: errs,
			taskClass: taskCfg["task.class"], set: e.set, maxBatch: batch}
		if err := w.subscribe(connCfg); err != nil {
			return fail(fmt.Errorf("connector %s: %w", c.name, err))
		}
		var dlq *dlqClients
		if dlqCfg.topic != "" {
			if dlq, err = h.dlqClients(e, connCfg, c.name, id, dlqCfg); err != nil {
				return fail(fmt.Errorf("connector %s: %w", c.name, err))
			}
		}
		ctx, cancel := context.WithCancel(h.ctx)
		w.cancel = cancel
		go func() {
			g, ok := connectRetrying(ctx, w.taskBase, func() (sarama.ConsumerGroup, error) {
				return sarama.NewConsumerGroup(e.bootstrap, group, scfg)
			})
			if !ok {
				w.st.set(Unassigned, "")
				close(w.done)
				return
			}
			w.group = g
			if w.regex != nil {
				cl, ok := connectRetrying(ctx, w.taskBase, func() (sarama.Client, error) {
					return sarama.NewClient(e.bootstrap, scfg)
				})
				if !ok {
					_ = g.Close()
					w.st.set(Unassigned, "")
					close(w.done)
					return
				}
				w.client = cl
			}
			if dlq != nil {
				q, err := dlq.open(ctx, w.taskBase)
				if err != nil || q == nil {
					_ = g.Close()
					if w.client != nil {
						_ = w.client.Close()
					}
					if err != nil {
						w.failed(fmt.Errorf("task %s: %w", w.name(), err))
					} else {
						w.st.set(Unassigned, "")
					}
					close(w.done)
					return
				}
				w.dlq, errs.dlq = q, q
			}
			w.start(ctx)
		}()
		return w
	}
	return fail(fmt.Errorf("%s is neither a source nor a sink connector", c.plugin.Class))
}

// dlqClients are the settings of a sink task's dead letter queue clients, checked when the task is built.
type dlqClients struct {
	settings  dlqSettings
	conn      string
	task      int
	bootstrap []string
	producer  *sarama.Config
	admin     *sarama.Config
}

// dlqClients builds the configurations of the dead letter queue's producer (client.id
// connector-dlq-producer-<conn>-<task>) and admin client, as Apache's Worker does.
func (h *Herder) dlqClients(e *env, connCfg map[string]string, conn string, task int, s dlqSettings) (*dlqClients, error) {
	pprops, err := kafka.DLQProducerProps(e.worker, connCfg, conn, task)
	if err != nil {
		return nil, err
	}
	pcfg, err := h.producerConfig(e, conn, pprops)
	if err != nil {
		return nil, err
	}
	aprops, err := kafka.DLQAdminProps(e.worker, connCfg)
	if err != nil {
		return nil, err
	}
	acfg, _, err := kafka.AdminConfig(aprops, aprops["client.id"])
	if err != nil {
		return nil, err
	}
	e.tune(acfg)
	return &dlqClients{settings: s, conn: conn, task: task, bootstrap: e.bootstrap, producer: pcfg, admin: acfg}, nil
}

// producerConfig turns a connector's producer properties into the configuration of an asynchronous
// producer that reports both successes and errors, logging the warnings about them.
func (h *Herder) producerConfig(e *env, conn string, props map[string]string) (*sarama.Config, error) {
	cfg, warnings, err := kafka.ProducerConfig(props, props["client.id"])
	if err != nil {
		return nil, err
	}
	h.warn(conn, warnings)
	e.tune(cfg)
	cfg.Producer.Return.Successes = true
	cfg.Producer.Return.Errors = true
	return cfg, nil
}

// open creates the dead letter queue topic if needed and connects its producer, waiting for the brokers as
// any client of a task does. It returns nil without an error when ctx ends first.
func (d *dlqClients) open(ctx context.Context, t *taskBase) (*deadLetterQueue, error) {
	admin, ok := connectRetrying(ctx, t, func() (sarama.ClusterAdmin, error) {
		return sarama.NewClusterAdmin(d.bootstrap, d.admin)
	})
	if !ok {
		return nil, nil
	}
	err := ensureDLQTopic(admin, d.settings, t.log)
	_ = admin.Close()
	if err != nil {
		return nil, err
	}
	p, ok := connectRetrying(ctx, t, func() (sarama.AsyncProducer, error) {
		return sarama.NewAsyncProducer(d.bootstrap, d.producer)
	})
	if !ok {
		return nil, nil
	}
	return newDeadLetterQueue(d.settings, d.conn, d.task, p, t.log), nil
}

// subscribe reads topics / topics.regex from the connector configuration.
func (w *sinkWorker) subscribe(cfg map[string]string) error {
	if re := strings.TrimSpace(cfg["topics.regex"]); re != "" {
		// Java's Pattern.matcher(topic).matches() must match the whole name.
		rx, err := regexp.Compile(`^(?:` + re + `)$`)
		if err != nil {
			return fmt.Errorf("topics.regex %q: %w", re, err)
		}
		w.regex = rx
		return nil
	}
	for _, t := range strings.Split(cfg["topics"], ",") {
		if t = strings.TrimSpace(t); t != "" {
			w.topics = append(w.topics, t)
		}
	}
	return nil
}

// connectRetrying creates a Kafka client, retrying while the brokers cannot be reached: a task waits for
// its broker rather than failing. It returns false when ctx ends first.
func connectRetrying[T any](ctx context.Context, t *taskBase, connect func() (T, error)) (T, bool) {
	backoff := 500 * time.Millisecond
	for attempt := 0; ; attempt++ {
		v, err := connect()
		if err == nil {
			return v, true
		}
		if attempt == 0 {
			t.log.Warn().Err(err).Msg("cannot reach Kafka; retrying until it is reachable")
		}
		sleep(ctx, backoff)
		if ctx.Err() != nil {
			var zero T
			return zero, false
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (h *Herder) warn(conn string, warnings []kafka.Warning) {
	for _, w := range warnings {
		h.log.Warn().Str("connector", conn).Msg(w.String())
	}
}

// resolve applies the config providers in effect to a configuration.
func (h *Herder) resolve(cfg map[string]string) (map[string]string, error) {
	return h.current().resolve(cfg)
}

// failedTask stands for a task that could not be built: it reports FAILED until restarted.
type failedTask struct{ *taskBase }

func (t *failedTask) stop(context.Context) bool { return true }
