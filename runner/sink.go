package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// sinkWorker runs one sink task: consumer group → converters → transforms → Put; consumed positions are
// committed to Kafka only after the task has flushed everything before them, and after the dead letter
// queue has every record reported to it.
//
// sarama calls ConsumeClaim on one goroutine per partition; they only forward messages to a single
// processing goroutine, which alone calls the task (a SinkTask need not be safe for concurrent use) and
// commits.
type sinkWorker struct {
	*taskBase
	task  connectors.SinkTask
	conv  converterSet
	chain *transforms.Chain
	errs  *errorHandler
	dlq   *deadLetterQueue // nil without a dead letter queue
	// taskClass names the task in error reports of its Put.
	taskClass string
	group     sarama.ConsumerGroup
	client    sarama.Client // for resolving topics.regex
	topics    []string
	regex     *regexp.Regexp
	set       settings
	// maxBatch bounds the records handed to one Put (the consumer's max.poll.records).
	maxBatch int

	// msgs carries consumed messages from the claims' goroutines to the one that calls the task, up to
	// maxBatch per send: a channel hand-off per message cost about as much CPU as the task's own work.
	msgs chan []*sarama.ConsumerMessage
	// spare takes emptied batches back, for reuse.
	spare chan []*sarama.ConsumerMessage
	// recs and origin are put's buffers, owned by the goroutine that calls the task.
	recs     []connectors.Record
	origin   []*sarama.ConsumerMessage
	requests chan sinkRequest

	// failedCh is closed when the task has failed, to end consumption.
	failOnce sync.Once
	failedCh chan struct{}
}

// sinkRequest tells the processing goroutine that a session begins (it commits through it from then on)
// or ends (it flushes and commits everything consumed through it, then forgets its partitions).
type sinkRequest struct {
	sess  sarama.ConsumerGroupSession
	begin bool
	done  chan struct{}
}

func (w *sinkWorker) start(ctx context.Context) {
	w.msgs = make(chan []*sarama.ConsumerMessage, 4)
	w.spare = make(chan []*sarama.ConsumerMessage, 8)
	w.requests = make(chan sinkRequest)
	w.failedCh = make(chan struct{})
	go func() {
		defer close(w.done)
		if err := w.task.Start(connectors.TaskContext{Log: w.pluginLog}, w.cfg); err != nil {
			w.failed(fmt.Errorf("starting task %s: %w", w.name(), err))
			w.close()
			return
		}
		w.st.set(Running, "")
		w.log.Info().Strs("topics", w.topics).Msg("sink task started")
		procCtx, stopProc := context.WithCancel(context.Background())
		procDone := make(chan struct{})
		// Retries of the error handler end when the task is asked to stop (ctx), the processing loop
		// only once consumption has ended (procCtx).
		go func() { defer close(procDone); w.process(procCtx, ctx) }()
		go func() {
			for err := range w.group.Errors() {
				w.log.Warn().Err(err).Msg("consumer group")
			}
		}()
		consumeCtx, stopConsume := context.WithCancel(ctx)
		go func() {
			select {
			case <-w.failedCh:
				stopConsume()
			case <-consumeCtx.Done():
			}
		}()
		go w.watchPause(consumeCtx)
		w.consume(consumeCtx)
		stopConsume()
		stopProc()
		<-procDone
		w.close()
	}()
}

// consume runs consumer-group sessions until ctx ends. Each session ends at a rebalance, when the
// subscription of topics.regex changes, or on errors (retried with a pause).
func (w *sinkWorker) consume(ctx context.Context) {
	for ctx.Err() == nil {
		topics, err := w.subscription()
		if err != nil || len(topics) == 0 {
			if err != nil {
				w.log.Warn().Err(err).Msg("resolving topics.regex")
			}
			sleep(ctx, 5*time.Second)
			continue
		}
		sessCtx, endSession := context.WithCancel(ctx)
		if w.regex != nil {
			go w.watchSubscription(sessCtx, endSession, topics)
		}
		err = w.group.Consume(sessCtx, topics, w)
		endSession()
		if err != nil && ctx.Err() == nil {
			w.log.Warn().Err(err).Msg("consumer group session ended; joining again")
			sleep(ctx, time.Second)
		}
	}
}

func (w *sinkWorker) subscription() ([]string, error) {
	if w.regex == nil {
		return w.topics, nil
	}
	if err := w.client.RefreshMetadata(); err != nil {
		return nil, err
	}
	all, err := w.client.Topics()
	if err != nil {
		return nil, err
	}
	var topics []string
	for _, t := range all {
		if w.regex.MatchString(t) {
			topics = append(topics, t)
		}
	}
	slices.Sort(topics)
	return topics, nil
}

// watchSubscription ends the session when the topics matching topics.regex change.
func (w *sinkWorker) watchSubscription(ctx context.Context, end context.CancelFunc, current []string) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if topics, err := w.subscription(); err == nil && !slices.Equal(topics, current) {
				w.log.Info().Strs("topics", topics).Msg("topics matching topics.regex changed; resubscribing")
				end()
				return
			}
		}
	}
}

// watchPause pauses and resumes fetching as the task's pause switch changes.
func (w *sinkWorker) watchPause(ctx context.Context) {
	for {
		paused, wake := w.pause.state()
		if paused {
			w.group.PauseAll()
			if w.st.get().State == Running {
				w.st.set(Paused, "")
				w.log.Info().Msg("task paused")
			}
		} else {
			w.group.ResumeAll()
			if w.st.get().State == Paused {
				w.st.set(Running, "")
				w.log.Info().Msg("task resumed")
			}
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return
		}
	}
}

// Setup implements sarama.ConsumerGroupHandler.
func (w *sinkWorker) Setup(sess sarama.ConsumerGroupSession) error {
	w.log.Debug().Interface("partitions", sess.Claims()).Msg("partitions assigned")
	w.request(sess, true)
	return nil
}

// ConsumeClaim implements sarama.ConsumerGroupHandler: it forwards one partition's messages, as many at a
// time as have arrived (up to maxBatch).
func (w *sinkWorker) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	in := claim.Messages()
	for {
		var batch []*sarama.ConsumerMessage
		select {
		case m, ok := <-in:
			if !ok {
				return nil
			}
			batch = append(w.spareBatch(), m)
		case <-sess.Context().Done():
			return nil
		}
		closed := false
	more:
		for len(batch) < w.maxBatch {
			select {
			case m, ok := <-in:
				if !ok {
					closed = true
					break more
				}
				batch = append(batch, m)
			default:
				break more
			}
		}
		select {
		case w.msgs <- batch:
		case <-sess.Context().Done():
			return nil
		}
		if closed {
			return nil
		}
	}
}

// spareBatch returns an empty batch with room for maxBatch messages.
func (w *sinkWorker) spareBatch() []*sarama.ConsumerMessage {
	select {
	case b := <-w.spare:
		return b
	default:
		return make([]*sarama.ConsumerMessage, 0, w.maxBatch)
	}
}

// recycle gives a forwarded batch back to spareBatch once its messages are copied out.
func (w *sinkWorker) recycle(b []*sarama.ConsumerMessage) {
	clear(b)
	select {
	case w.spare <- b[:0]:
	default:
	}
}

// Cleanup implements sarama.ConsumerGroupHandler: before partitions are given up, everything consumed
// through this session is flushed by the task and committed.
func (w *sinkWorker) Cleanup(sess sarama.ConsumerGroupSession) error {
	w.request(sess, false)
	return nil
}

func (w *sinkWorker) request(sess sarama.ConsumerGroupSession, begin bool) {
	r := sinkRequest{sess: sess, begin: begin, done: make(chan struct{})}
	select {
	case w.requests <- r:
		<-r.done
	case <-w.failedCh:
	}
}

// process is the single goroutine that calls the task. taskCtx ends when the task is asked to stop: it
// interrupts the error handler's retries.
func (w *sinkWorker) process(ctx, taskCtx context.Context) {
	next := map[connectors.TopicPartition]int64{} // next offset to commit, per partition
	// batch collects what the claims forwarded; Put gets it maxBatch records at a time.
	batch := make([]*sarama.ConsumerMessage, 0, 2*w.maxBatch)
	var current sarama.ConsumerGroupSession
	tick := time.NewTicker(w.set.flushInterval)
	defer tick.Stop()
	// failed: the task failed; nothing more is put or committed. halted: a stop interrupted a batch; what
	// was written before it may still be committed, but nothing after it.
	failed, halted := false, false
	put := func() {
		for start := 0; start < len(batch) && !failed && !halted; start += w.maxBatch {
			chunk := batch[start:min(start+w.maxBatch, len(batch))]
			err := w.put(taskCtx, chunk)
			if err == nil && w.dlq != nil {
				err = w.dlq.failure()
			}
			switch {
			case errors.Is(err, errStopped):
				halted = true
			case err != nil:
				failed = true
				w.fail(err)
			default:
				for _, m := range chunk {
					next[connectors.TopicPartition{Topic: m.Topic, Partition: m.Partition}] = m.Offset + 1
				}
			}
		}
		clear(batch)
		batch = batch[:0]
	}
	commit := func(sess sarama.ConsumerGroupSession) {
		if failed || len(next) == 0 {
			return
		}
		if w.dlq != nil {
			// Records reported to the dead letter queue are handled only once it has them.
			switch err := w.dlq.await(w.set.flushTimeout); {
			case errors.Is(err, errStopped):
				halted = true
				return
			case err != nil && w.dlq.failure() != nil:
				failed = true
				w.fail(err)
				return
			case err != nil:
				w.log.Warn().Err(err).Msg("offsets not committed; retrying at the next commit")
				return
			}
		}
		if !w.commit(sess, next) {
			failed = true
		}
	}
	drain := func() {
		for len(batch) < w.maxBatch {
			select {
			case b := <-w.msgs:
				batch = append(batch, b...)
				w.recycle(b)
			default:
				return
			}
		}
	}
	for {
		// While the task is paused, records already fetched wait in w.msgs: pausing the consumer stops new
		// fetches, but a fetch in flight may still deliver records, and a paused task must not see them.
		paused, wake := w.pause.state()
		msgs := w.msgs
		if paused {
			msgs = nil
		}
		select {
		case b := <-msgs:
			batch = append(batch, b...)
			w.recycle(b)
			drain()
			put()
		case <-wake:
		case r := <-w.requests:
			if r.begin {
				current = r.sess
				close(r.done)
				continue
			}
			// The session ends: messages already forwarded through it are written, flushed and
			// committed before its partitions are given up. A paused task drops them instead; they are
			// not committed, so they are consumed again later.
			for len(w.msgs) > 0 {
				if paused {
					w.recycle(<-w.msgs)
					continue
				}
				drain()
				put()
			}
			commit(r.sess)
			clear(next)
			current = nil
			close(r.done)
		case <-tick.C:
			if current != nil {
				commit(current)
			}
		case <-ctx.Done():
			return
		}
	}
}

// put converts and transforms a batch and hands what remains of it to the task. It returns nil once every
// record is handled: written, dropped by a transform, or skipped by the error handler (and reported).
// Otherwise the task fails with the error, or errStopped says that a stop interrupted a retry.
func (w *sinkWorker) put(ctx context.Context, msgs []*sarama.ConsumerMessage) error {
	// The slices are reused from batch to batch (SinkTask.Put may not keep them): allocating them for
	// every batch was a tenth of the bytes the sink allocated. What the last batch left in them is
	// overwritten by the next one.
	recs := w.recs[:0]
	// origin[i] is the consumed record of recs[i], for the error reports of Put.
	origin := w.origin[:0]
	defer func() { w.recs, w.origin = recs, origin }()
	for _, m := range msgs {
		w.tracked.note(m.Topic)
		recs = append(recs, connectors.Record{})
		ok, err := w.convert(ctx, m, &recs[len(recs)-1])
		if err != nil {
			return err
		}
		if !ok {
			recs = recs[:len(recs)-1]
			continue
		}
		origin = append(origin, m)
	}
	if len(recs) == 0 {
		return nil
	}
	return w.deliver(ctx, recs, origin)
}

// convert fills r from a consumed record: key, value and header converters, then the transforms, each
// failure handled by the error handler. It returns false when the record is dropped or skipped. r keeps the
// consumed topic, partition and offset unless a transform changes them; offsets are committed from the
// consumed records, never from r.
func (w *sinkWorker) convert(ctx context.Context, m *sarama.ConsumerMessage, r *connectors.Record) (bool, error) {
	rec := errantRecord{consumed: m}
	r.Topic, r.Partition, r.Offset, r.Timestamp = m.Topic, m.Partition, m.Offset, m.Timestamp
	r.TimestampType = connectors.CreateTime
	var err error
	if r.KeySchema, r.Key, err = w.conv.key.ToConnect(m.Topic, m.Key); err != nil {
		skip, err := w.errs.handle(ctx, stageKeyConverter, w.conv.keyClass, err, func() error {
			var err error
			r.KeySchema, r.Key, err = w.conv.key.ToConnect(m.Topic, m.Key)
			return err
		}, rec)
		if skip || err != nil {
			return false, err
		}
	}
	if r.ValueSchema, r.Value, err = w.conv.value.ToConnect(m.Topic, m.Value); err != nil {
		skip, err := w.errs.handle(ctx, stageValueConverter, w.conv.valueClass, err, func() error {
			var err error
			r.ValueSchema, r.Value, err = w.conv.value.ToConnect(m.Topic, m.Value)
			return err
		}, rec)
		if skip || err != nil {
			return false, err
		}
	}
	if len(m.Headers) > 0 {
		r.Headers = make([]connectors.Header, len(m.Headers))
		for j, h := range m.Headers {
			hs, hv, err := w.conv.header.ToHeader(m.Topic, string(h.Key), h.Value)
			if err != nil {
				skip, err := w.errs.handle(ctx, stageHeaderConverter, w.conv.headerClass, err, func() error {
					var err error
					hs, hv, err = w.conv.header.ToHeader(m.Topic, string(h.Key), h.Value)
					return err
				}, rec)
				if skip || err != nil {
					return false, err
				}
			}
			r.Headers[j] = connectors.Header{Key: string(h.Key), Schema: hs, Value: hv}
		}
	}
	if w.chain.Len() == 0 {
		return true, nil
	}
	out, err := w.errs.transform(ctx, w.chain, r, rec)
	if out == nil {
		return false, err
	}
	if out != r {
		*r = *out
	}
	return true, nil
}

// deliver hands records to the task's Put, with the error handler's rules, which Apache does not apply to
// Put. A retriable failure is retried with the same batch, as Apache redelivers it: without limit while
// errors.retry.timeout is 0 (Apache's behaviour), else within that timeout. Then a failure fails the task
// under errors.tolerance=none. Under all, the batch is put again one record at a time, each record once
// (again retried if retriable), and only the records whose Put still fails are reported and skipped.
// Records of the failed batch put before the failure may therefore reach the task twice (at least once);
// a task whose Put writes all or nothing sees each record written once.
func (w *sinkWorker) deliver(ctx context.Context, recs []connectors.Record, origin []*sarama.ConsumerMessage) error {
	timeout := w.errs.retryTimeout
	if timeout == 0 {
		timeout = -1
	}
	put := func(rs []connectors.Record) error {
		err := w.task.Put(rs)
		if err != nil {
			err = w.errs.retry(ctx, timeout, err, func() error { return w.task.Put(rs) })
		}
		return err
	}
	err := put(recs)
	if err == nil || errors.Is(err, errStopped) {
		return err
	}
	if !w.errs.tolerateAll || len(recs) == 1 {
		var rec errantRecord
		if len(recs) == 1 {
			rec.consumed = origin[0]
		}
		if _, err := w.errs.fail(ctx, stageTaskPut, w.taskClass, err, rec); err != nil {
			return err
		}
		return nil
	}
	w.log.Warn().Err(err).Int("records", len(recs)).Msg("put failed; putting the batch again record by record to skip only the failing ones (errors.tolerance=all)")
	for i := range recs {
		err := put(recs[i : i+1 : i+1])
		if errors.Is(err, errStopped) {
			return err
		}
		if err != nil {
			if _, err := w.errs.fail(ctx, stageTaskPut, w.taskClass, err, errantRecord{consumed: origin[i]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// commit flushes the task and commits the offsets that the session owns. It reports false when the flush
// failed, which fails the task.
func (w *sinkWorker) commit(sess sarama.ConsumerGroupSession, next map[connectors.TopicPartition]int64) bool {
	if err := w.task.Flush(maps.Clone(next)); err != nil {
		// Nothing is committed: the records since the last commit are consumed again after a restart.
		w.fail(fmt.Errorf("task %s flush: %w", w.name(), err))
		return false
	}
	owned := sess.Claims()
	for tp, off := range next {
		if slices.Contains(owned[tp.Topic], tp.Partition) {
			sess.MarkOffset(tp.Topic, tp.Partition, off, "")
		}
	}
	sess.Commit()
	return true
}

func (w *sinkWorker) fail(err error) {
	w.failed(err)
	w.failOnce.Do(func() { close(w.failedCh) })
}

func (w *sinkWorker) close() {
	if err := w.task.Stop(); err != nil {
		w.log.Warn().Err(err).Msg("stopping sink task")
	}
	if w.dlq != nil {
		w.dlq.close(w.set.flushTimeout)
	}
	if err := w.group.Close(); err != nil {
		w.log.Warn().Err(err).Msg("closing consumer group")
	}
	if w.client != nil {
		_ = w.client.Close()
	}
	if w.st.get().State != Failed {
		w.st.set(Unassigned, "")
	}
	w.log.Info().Msg("sink task stopped")
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
