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
	"github.com/connect-standalone/connect-standalone/transforms"
)

// sourceWorker runs one source task: Poll → transforms → converters → producer; offsets become
// committable only when Kafka has acknowledged their records, or when a record is dropped by a transform
// or skipped by the error handler.
type sourceWorker struct {
	*taskBase
	task     connectors.SourceTask
	chain    *transforms.Chain
	conv     converterSet
	errs     *errorHandler
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
			h, _ := inFlightOf(m.Metadata)
			w.tracker.ack(h)
			w.tracked.note(m.Topic)
		}
	}()
	go func() {
		defer acks.Done()
		for e := range w.producer.Errors() {
			if w.errs.tolerateAll {
				// Apache skips a record it could not produce under errors.tolerance=all, and acknowledges
				// it, so that its offset is committed.
				h, orig := inFlightOf(e.Msg.Metadata)
				w.log.Error().Err(e.Err).Str("topic", e.Msg.Topic).Msg("failed to send a record; skipping it (errors.tolerance=all)")
				w.errs.report(ctx, stageKafkaProduce, workerSourceTaskClass, e.Err, errantRecord{source: orig})
				w.tracker.ack(h)
				continue
			}
			// The task fails: the record is not awaited at shutdown, and its offset never committed.
			h, _ := inFlightOf(e.Msg.Metadata)
			w.tracker.abandon([]*submittedRecord{h})
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
	if err := w.task.Start(connectors.TaskContext{Offsets: w.store.Reader(w.conn), Log: w.pluginLog}, w.cfg); err != nil {
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

// send runs the transforms and converters on a batch and hands it to the producer. A record the transforms
// drop, or that the error handler skips, is acknowledged at once: its offset becomes committable with its
// predecessors', so that a filtered stream is not read again after a restart (Apache does not commit
// these offsets until a later record of the same source partition is produced).
func (w *sourceWorker) send(ctx context.Context, batch []connectors.Record) error {
	handles := make([]*submittedRecord, len(batch))
	w.tracker.submit(batch, handles)
	msgs := make([]sarama.ProducerMessage, len(batch))
	// A message's key and value point into one array per batch: boxing each slice into sarama's Encoder
	// interface would cost an allocation per key and per value.
	encoders := make([]sarama.ByteEncoder, 2*len(batch))
	var stopping <-chan time.Time // set when ctx ends mid-batch
	for i := range batch {
		m := &msgs[i]
		// With errors.log.include.messages, a failure is logged with the record as polled; the transforms
		// may rewrite batch[i] in place, so it is copied first.
		var polled *connectors.Record
		if w.errs.logRecords {
			p := batch[i]
			polled = &p
		}
		ok, err := w.convert(ctx, &batch[i], m, encoders[2*i:2*i+2], polled)
		if err != nil {
			w.tracker.abandon(handles[i:])
			if errors.Is(err, errStopped) {
				return ctx.Err()
			}
			return err
		}
		if !ok {
			w.tracker.ack(handles[i])
			continue
		}
		if w.topics != nil {
			if err := w.topics.ensure(m.Topic); err != nil {
				w.tracker.abandon(handles[i:])
				return fmt.Errorf("task %s: %w", w.name(), err)
			}
		}
		m.Metadata = handles[i]
		if polled != nil {
			m.Metadata = &inFlight{handle: handles[i], record: polled}
		}
		if !w.hand(ctx, m, &stopping) {
			w.tracker.abandon(handles[i:])
			return ctx.Err()
		}
	}
	return nil
}

// hand gives a message to the producer. Once the task is stopping, the rest of a batch already being sent
// is still handed over, within offset.flush.timeout.ms: records of a batch may share a conservative offset
// (FileStreamSource's do) and only the last carries the exact one, so a batch cut short would be read again
// after a clean restart. It reports false when the producer could not take the message in time.
func (w *sourceWorker) hand(ctx context.Context, m *sarama.ProducerMessage, stopping *<-chan time.Time) bool {
	if *stopping == nil {
		select {
		case w.producer.Input() <- m:
			return true
		case <-ctx.Done():
			*stopping = time.After(w.set.flushTimeout)
		}
	}
	select {
	case w.producer.Input() <- m:
		return true
	case <-*stopping:
		return false
	}
}

// convert turns a polled record into a producer message: transforms, then the header, key and value
// converters, each failure handled by the error handler. It returns false when the record is dropped by
// a transform or skipped. polled is the record as polled, for the log; nil when the log leaves it out.
func (w *sourceWorker) convert(ctx context.Context, r *connectors.Record, m *sarama.ProducerMessage, enc []sarama.ByteEncoder, polled *connectors.Record) (bool, error) {
	orig := errantRecord{source: polled}
	if w.chain.Len() > 0 {
		out, err := w.errs.transform(ctx, w.chain, r, orig)
		if out == nil {
			return false, err
		}
		r = out
	}
	m.Topic, m.Partition, m.Timestamp = r.Topic, r.Partition, r.Timestamp
	if len(r.Headers) > 0 {
		m.Headers = make([]sarama.RecordHeader, len(r.Headers))
		for j := range r.Headers {
			h := &r.Headers[j]
			v, err := w.conv.header.FromHeader(r.Topic, h.Key, h.Schema, h.Value)
			if err != nil {
				skip, err := w.errs.handle(ctx, stageHeaderConverter, w.conv.headerClass, err, func() error {
					var err error
					v, err = w.conv.header.FromHeader(r.Topic, h.Key, h.Schema, h.Value)
					return err
				}, orig)
				if skip || err != nil {
					return false, err
				}
			}
			m.Headers[j] = sarama.RecordHeader{Key: []byte(h.Key), Value: v}
		}
	}
	k, err := w.conv.key.FromConnect(r.Topic, r.KeySchema, r.Key)
	if err != nil {
		skip, err := w.errs.handle(ctx, stageKeyConverter, w.conv.keyClass, err, func() error {
			var err error
			k, err = w.conv.key.FromConnect(r.Topic, r.KeySchema, r.Key)
			return err
		}, orig)
		if skip || err != nil {
			return false, err
		}
	}
	v, err := w.conv.value.FromConnect(r.Topic, r.ValueSchema, r.Value)
	if err != nil {
		skip, err := w.errs.handle(ctx, stageValueConverter, w.conv.valueClass, err, func() error {
			var err error
			v, err = w.conv.value.FromConnect(r.Topic, r.ValueSchema, r.Value)
			return err
		}, orig)
		if skip || err != nil {
			return false, err
		}
	}
	if k != nil {
		enc[0] = k
		m.Key = &enc[0]
	}
	if v != nil {
		enc[1] = v
		m.Value = &enc[1]
	}
	return true, nil
}

// inFlight is a producer message's metadata when errors.log.include.messages needs the polled record in
// case the message cannot be produced; otherwise the metadata is the *submittedRecord alone.
type inFlight struct {
	handle *submittedRecord
	record *connectors.Record
}

// inFlightOf reads a producer message's metadata.
func inFlightOf(md any) (*submittedRecord, *connectors.Record) {
	switch md := md.(type) {
	case *submittedRecord:
		return md, nil
	case *inFlight:
		return md.handle, md.record
	}
	return nil, nil
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
