package runner

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// sinkWorker runs one sink task: consumer group → converters → Put; consumed positions are committed to
// Kafka only after the task has flushed everything before them.
//
// sarama calls ConsumeClaim on one goroutine per partition; they only forward messages to a single
// processing goroutine, which alone calls the task (a SinkTask need not be safe for concurrent use) and
// commits.
type sinkWorker struct {
	*taskBase
	task   connectors.SinkTask
	conv   converterSet
	group  sarama.ConsumerGroup
	client sarama.Client // for resolving topics.regex
	topics []string
	regex  *regexp.Regexp
	set    settings
	// maxBatch bounds the records handed to one Put (the consumer's max.poll.records).
	maxBatch int

	msgs     chan *sarama.ConsumerMessage
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
	w.msgs = make(chan *sarama.ConsumerMessage, 2*w.maxBatch)
	w.requests = make(chan sinkRequest)
	w.failedCh = make(chan struct{})
	go func() {
		defer close(w.done)
		if err := w.task.Start(connectors.TaskContext{Log: w.log}, w.cfg); err != nil {
			w.failed(fmt.Errorf("starting task %s: %w", w.name(), err))
			w.close()
			return
		}
		w.st.set(Running, "")
		w.log.Info().Strs("topics", w.topics).Msg("sink task started")
		procCtx, stopProc := context.WithCancel(context.Background())
		procDone := make(chan struct{})
		go func() { defer close(procDone); w.process(procCtx) }()
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

// ConsumeClaim implements sarama.ConsumerGroupHandler: it forwards one partition's messages.
func (w *sinkWorker) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for {
		select {
		case m, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			select {
			case w.msgs <- m:
			case <-sess.Context().Done():
				return nil
			}
		case <-sess.Context().Done():
			return nil
		}
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

// process is the single goroutine that calls the task.
func (w *sinkWorker) process(ctx context.Context) {
	next := map[connectors.TopicPartition]int64{} // next offset to commit, per partition
	batch := make([]*sarama.ConsumerMessage, 0, w.maxBatch)
	var current sarama.ConsumerGroupSession
	tick := time.NewTicker(w.set.flushInterval)
	defer tick.Stop()
	failed := false
	put := func() {
		if failed || len(batch) == 0 {
			batch = batch[:0]
			return
		}
		if err := w.put(batch); err != nil {
			failed = true
			w.fail(err)
		} else {
			for _, m := range batch {
				next[connectors.TopicPartition{Topic: m.Topic, Partition: m.Partition}] = m.Offset + 1
			}
		}
		clear(batch)
		batch = batch[:0]
	}
	drain := func() {
		for len(batch) < w.maxBatch {
			select {
			case m := <-w.msgs:
				batch = append(batch, m)
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
		case m := <-msgs:
			batch = append(batch, m)
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
					<-w.msgs
					continue
				}
				drain()
				put()
			}
			if !failed {
				w.commit(r.sess, next)
			}
			clear(next)
			current = nil
			close(r.done)
		case <-tick.C:
			if current != nil && !failed {
				w.commit(current, next)
			}
		case <-ctx.Done():
			return
		}
	}
}

// put converts a batch and hands it to the task.
func (w *sinkWorker) put(msgs []*sarama.ConsumerMessage) error {
	recs := make([]connectors.Record, len(msgs))
	for i, m := range msgs {
		w.tracked.note(m.Topic)
		r := &recs[i]
		r.Topic, r.Partition, r.Offset, r.Timestamp = m.Topic, m.Partition, m.Offset, m.Timestamp
		r.TimestampType = connectors.CreateTime
		var err error
		if r.KeySchema, r.Key, err = w.conv.key.ToConnect(m.Topic, m.Key); err != nil {
			return fmt.Errorf("task %s: converting the key of %s-%d@%d: %w", w.name(), m.Topic, m.Partition, m.Offset, err)
		}
		if r.ValueSchema, r.Value, err = w.conv.value.ToConnect(m.Topic, m.Value); err != nil {
			return fmt.Errorf("task %s: converting the value of %s-%d@%d: %w", w.name(), m.Topic, m.Partition, m.Offset, err)
		}
		if len(m.Headers) > 0 {
			r.Headers = make([]connectors.Header, len(m.Headers))
			for j, h := range m.Headers {
				s, v, err := w.conv.header.ToHeader(m.Topic, string(h.Key), h.Value)
				if err != nil {
					return fmt.Errorf("task %s: converting header %q of %s-%d@%d: %w", w.name(), h.Key, m.Topic, m.Partition, m.Offset, err)
				}
				r.Headers[j] = connectors.Header{Key: string(h.Key), Schema: s, Value: v}
			}
		}
	}
	if err := w.task.Put(recs); err != nil {
		return fmt.Errorf("task %s put: %w", w.name(), err)
	}
	return nil
}

// commit flushes the task and commits the offsets that the session owns.
func (w *sinkWorker) commit(sess sarama.ConsumerGroupSession, next map[connectors.TopicPartition]int64) {
	if len(next) == 0 {
		return
	}
	if err := w.task.Flush(maps.Clone(next)); err != nil {
		// Nothing is committed: the records since the last commit are consumed again after a restart.
		w.fail(fmt.Errorf("task %s flush: %w", w.name(), err))
		return
	}
	owned := sess.Claims()
	for tp, off := range next {
		if slices.Contains(owned[tp.Topic], tp.Partition) {
			sess.MarkOffset(tp.Topic, tp.Partition, off, "")
		}
	}
	sess.Commit()
}

func (w *sinkWorker) fail(err error) {
	w.failed(err)
	w.failOnce.Do(func() { close(w.failedCh) })
}

func (w *sinkWorker) close() {
	if err := w.task.Stop(); err != nil {
		w.log.Warn().Err(err).Msg("stopping sink task")
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
