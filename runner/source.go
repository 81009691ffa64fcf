package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/offsets"
)

// sourceWorker runs one source task: Poll → converters → producer; offsets become committable only when
// Kafka has acknowledged their records.
type sourceWorker struct {
	*taskBase
	task     connectors.SourceTask
	conv     converterSet
	producer sarama.AsyncProducer
	tracker  *submitted
	store    *offsets.FileStore
	// topics creates topics as topic.creation.* says; nil when that is off.
	topics *topicCreator
	set    settings

	// commitMu serialises offset commits of this task (the periodic one and the final one).
	commitMu sync.Mutex
	// produceErr carries the first failed delivery to the poll loop.
	produceErr chan error
}

func (w *sourceWorker) start(parent context.Context) {
	// A failed delivery interrupts the poll loop through this context.
	ctx, cancel := context.WithCancel(parent)
	w.produceErr = make(chan error, 1)
	var acks sync.WaitGroup
	acks.Add(2)
	go func() {
		defer acks.Done()
		for m := range w.producer.Successes() {
			w.tracker.ack(m.Metadata.(*submittedRecord))
			w.tracked.note(m.Topic)
		}
	}()
	go func() {
		defer acks.Done()
		for e := range w.producer.Errors() {
			select {
			case w.produceErr <- fmt.Errorf("producing a record to topic %s: %w", e.Msg.Topic, e.Err):
			default:
			}
			cancel()
		}
	}()
	go func() {
		defer close(w.done)
		w.run(ctx)
		// A failed delivery cancels ctx to interrupt the loop; it is a task failure, not a stop.
		select {
		case err := <-w.produceErr:
			w.failed(fmt.Errorf("task %s: %w", w.name(), err))
		default:
		}
		w.finish(&acks)
		cancel()
	}()
}

func (w *sourceWorker) run(ctx context.Context) {
	if err := w.task.Start(connectors.TaskContext{Offsets: w.store.Reader(w.conn), Log: w.log}, w.cfg); err != nil {
		w.failed(fmt.Errorf("starting task %s: %w", w.name(), err))
		return
	}
	w.st.set(Running, "")
	w.log.Info().Msg("source task started")
	// Offsets are committed on their own schedule, also while the task is paused.
	go func() {
		tick := time.NewTicker(w.set.flushInterval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				w.commit()
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		if !w.waitResumed(ctx) {
			return
		}
		pollCtx, done := w.pause.interruptible(ctx)
		batch, err := w.task.Poll(pollCtx)
		done()
		if err != nil && ctx.Err() == nil && !errors.Is(err, context.Canceled) {
			w.failed(fmt.Errorf("task %s poll: %w", w.name(), err))
			return
		}
		if ctx.Err() != nil {
			// Stopping: records polled now are not sent; their offsets are not committed either, so they
			// are read again after a restart.
			return
		}
		if len(batch) > 0 {
			if err := w.send(ctx, batch); err != nil {
				if ctx.Err() == nil {
					w.failed(err)
				}
				return
			}
		}
	}
}

// send converts a batch and hands it to the producer.
func (w *sourceWorker) send(ctx context.Context, batch []connectors.Record) error {
	handles := make([]*submittedRecord, len(batch))
	w.tracker.submit(batch, handles)
	msgs := make([]sarama.ProducerMessage, len(batch))
	for i := range batch {
		r := &batch[i]
		if w.topics != nil {
			if err := w.topics.ensure(r.Topic); err != nil {
				return fmt.Errorf("task %s: %w", w.name(), err)
			}
		}
		m := &msgs[i]
		m.Topic = r.Topic
		m.Partition = r.Partition
		m.Timestamp = r.Timestamp
		m.Metadata = handles[i]
		if len(r.Headers) > 0 {
			m.Headers = make([]sarama.RecordHeader, len(r.Headers))
			for j, h := range r.Headers {
				v, err := w.conv.header.FromHeader(r.Topic, h.Key, h.Schema, h.Value)
				if err != nil {
					return fmt.Errorf("task %s: converting header %q of a record for topic %s: %w", w.name(), h.Key, r.Topic, err)
				}
				m.Headers[j] = sarama.RecordHeader{Key: []byte(h.Key), Value: v}
			}
		}
		k, err := w.conv.key.FromConnect(r.Topic, r.KeySchema, r.Key)
		if err != nil {
			return fmt.Errorf("task %s: converting the key of a record for topic %s: %w", w.name(), r.Topic, err)
		}
		v, err := w.conv.value.FromConnect(r.Topic, r.ValueSchema, r.Value)
		if err != nil {
			return fmt.Errorf("task %s: converting the value of a record for topic %s: %w", w.name(), r.Topic, err)
		}
		if k != nil {
			m.Key = sarama.ByteEncoder(k)
		}
		if v != nil {
			m.Value = sarama.ByteEncoder(v)
		}
		select {
		case w.producer.Input() <- m:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// commit stores the offsets that became committable and writes the offsets file, bounded by
// offset.flush.timeout.ms; what is not written now is written next time.
func (w *sourceWorker) commit() {
	w.commitMu.Lock()
	defer w.commitMu.Unlock()
	offs := w.tracker.take()
	if len(offs) > 0 {
		if err := w.store.Put(w.conn, offs...); err != nil {
			w.log.Error().Err(err).Msg("storing source offsets")
			return
		}
	}
	if err := withTimeout(w.set.flushTimeout, w.store.Flush); err != nil {
		w.log.Error().Err(err).Str("file", w.store.Path()).Msg("writing the offsets file failed; retrying at the next commit")
	}
}

// finish stops the task: it waits (within offset.flush.timeout.ms) for records in flight, commits what
// Kafka acknowledged, stops the task and closes the producer.
func (w *sourceWorker) finish(acks *sync.WaitGroup) {
	if err := w.task.Stop(); err != nil {
		w.log.Warn().Err(err).Msg("stopping source task")
	}
	timeout := make(chan struct{})
	t := time.AfterFunc(w.set.flushTimeout, func() { close(timeout) })
	if !w.tracker.awaitDrained(timeout) {
		w.log.Warn().Int("records", w.tracker.outstanding()).
			Msg("records still unacknowledged at shutdown; their offsets are not committed, so they will be sent again")
	}
	t.Stop()
	w.commit()
	w.topics.close()
	w.producer.AsyncClose()
	acksDone := make(chan struct{})
	go func() { acks.Wait(); close(acksDone) }()
	select {
	case <-acksDone:
	case <-time.After(w.set.flushTimeout):
		w.log.Warn().Msg("producer did not close in time")
	}
	if w.st.get().State != Failed {
		w.st.set(Unassigned, "")
	}
	w.log.Info().Msg("source task stopped")
}
