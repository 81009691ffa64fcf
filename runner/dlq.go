package runner

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// The headers Apache's DeadLetterQueueReporter adds with errors.deadletterqueue.context.headers.enable.
const (
	dlqHeaderPrefix     = "__connect.errors."
	dlqHeaderTopic      = dlqHeaderPrefix + "topic"
	dlqHeaderPartition  = dlqHeaderPrefix + "partition"
	dlqHeaderOffset     = dlqHeaderPrefix + "offset"
	dlqHeaderConnector  = dlqHeaderPrefix + "connector.name"
	dlqHeaderTask       = dlqHeaderPrefix + "task.id"
	dlqHeaderStage      = dlqHeaderPrefix + "stage"
	dlqHeaderClass      = dlqHeaderPrefix + "class.name"
	dlqHeaderException  = dlqHeaderPrefix + "exception.class.name"
	dlqHeaderMessage    = dlqHeaderPrefix + "exception.message"
	dlqHeaderStacktrace = dlqHeaderPrefix + "exception.stacktrace"
	dlqContextHeaders   = 10 // how many headers the list above adds
)

// dlqTopicPartitions is the partition count of a dead letter queue topic Connect creates.
const dlqTopicPartitions = 1

// deadLetterQueue writes the consumed records a sink task could not process to the connector's dead letter
// queue topic, as Apache's DeadLetterQueueReporter does: the original key, value, headers and timestamp,
// plus the error context headers when enabled.
//
// Records are produced asynchronously; a record whose failure was reported is handled (its offset may be
// committed) only once the dead letter queue has it, so the task awaits the queue before every offset
// commit. A record the queue could not take fails the task: it must not be lost silently.
type deadLetterQueue struct {
	topic    string
	headers  bool
	conn     string
	task     string // the task number as text
	producer sarama.AsyncProducer
	log      zerolog.Logger

	mu      sync.Mutex
	pending int
	err     error // the first failed delivery
	changed *sync.Cond
	done    chan struct{} // closed when the producer's results are all read
}

// ensureDLQTopic creates the dead letter queue topic if it does not exist, with one partition and the
// configured replication factor, as Apache does when a sink task starts.
func ensureDLQTopic(admin sarama.ClusterAdmin, s dlqSettings, log zerolog.Logger) error {
	exists, err := topicExists(admin, s.topic)
	if err != nil {
		return fmt.Errorf("dead letter queue: describing topic %s: %w", s.topic, err)
	}
	if exists {
		return nil
	}
	log.Info().Str("topic", s.topic).Int16("replication_factor", s.replication).
		Msg("dead letter queue topic does not exist; creating it")
	err = admin.CreateTopic(s.topic, &sarama.TopicDetail{NumPartitions: dlqTopicPartitions, ReplicationFactor: s.replication}, false)
	switch {
	case err == nil, errors.Is(err, sarama.ErrTopicAlreadyExists):
		return nil
	case s.replication > 0 && errors.Is(err, sarama.ErrInvalidReplicationFactor):
		return fmt.Errorf("could not create the dead letter queue topic %s with replication factor %d (%w): "+
			"the cluster has fewer brokers than that; set %s to at most the number of brokers (1 for a single broker)",
			s.topic, s.replication, err, config.DLQReplicationFactor)
	}
	return fmt.Errorf("could not create the dead letter queue topic %s: %w", s.topic, err)
}

func newDeadLetterQueue(s dlqSettings, conn string, task int, producer sarama.AsyncProducer, log zerolog.Logger) *deadLetterQueue {
	q := &deadLetterQueue{topic: s.topic, headers: s.headers, conn: conn, task: strconv.Itoa(task),
		producer: producer, log: log, done: make(chan struct{})}
	q.changed = sync.NewCond(&q.mu)
	go q.results()
	return q
}

// results reads the producer's acknowledgements and failures until it is closed.
func (q *deadLetterQueue) results() {
	defer close(q.done)
	successes, failures := q.producer.Successes(), q.producer.Errors()
	for successes != nil || failures != nil {
		var err error
		select {
		case _, ok := <-successes:
			if !ok {
				successes = nil
				continue
			}
		case e, ok := <-failures:
			if !ok {
				failures = nil
				continue
			}
			err = e.Err
			q.log.Error().Err(err).Str("topic", q.topic).Msg("could not produce a record to the dead letter queue")
		}
		q.mu.Lock()
		q.pending--
		if err != nil && q.err == nil {
			q.err = fmt.Errorf("could not produce a record to the dead letter queue topic %s: %w", q.topic, err)
		}
		q.changed.Broadcast()
		q.mu.Unlock()
	}
}

// send produces the original record m with the failure's context. If ctx ends before the producer takes
// the record, the queue remembers that a record is missing: await then returns errStopped, so that no
// offset past the record is committed.
func (q *deadLetterQueue) send(ctx context.Context, m *sarama.ConsumerMessage, st stage, class string, cause error) {
	msg := &sarama.ProducerMessage{Topic: q.topic, Partition: connectors.AnyPartition, Timestamp: m.Timestamp}
	if m.Key != nil {
		msg.Key = sarama.ByteEncoder(m.Key)
	}
	if m.Value != nil {
		msg.Value = sarama.ByteEncoder(m.Value)
	}
	n := len(m.Headers)
	if q.headers {
		n += dlqContextHeaders
	}
	if n > 0 {
		msg.Headers = make([]sarama.RecordHeader, 0, n)
	}
	for _, h := range m.Headers {
		msg.Headers = append(msg.Headers, *h)
	}
	if q.headers {
		add := func(k, v string) {
			msg.Headers = append(msg.Headers, sarama.RecordHeader{Key: []byte(k), Value: []byte(v)})
		}
		add(dlqHeaderTopic, m.Topic)
		add(dlqHeaderPartition, strconv.Itoa(int(m.Partition)))
		add(dlqHeaderOffset, strconv.FormatInt(m.Offset, 10))
		add(dlqHeaderConnector, q.conn)
		add(dlqHeaderTask, q.task)
		add(dlqHeaderStage, st.String())
		add(dlqHeaderClass, class)
		add(dlqHeaderException, exceptionClass(cause))
		add(dlqHeaderMessage, exceptionMessage(cause))
		add(dlqHeaderStacktrace, errorChain(cause))
	}
	q.mu.Lock()
	q.pending++
	q.mu.Unlock()
	select {
	case q.producer.Input() <- msg:
	case <-ctx.Done():
		q.mu.Lock()
		q.pending--
		if q.err == nil {
			q.err = errStopped
		}
		q.changed.Broadcast()
		q.mu.Unlock()
	}
}

// failure returns the first record the queue could not take, if any.
func (q *deadLetterQueue) failure() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

// await waits until every record sent is acknowledged, a delivery failed, or timeout passes. It returns
// the failure, or an error saying the wait timed out.
func (q *deadLetterQueue) await(timeout time.Duration) error {
	expired := false
	t := time.AfterFunc(timeout, func() {
		q.mu.Lock()
		expired = true
		q.changed.Broadcast()
		q.mu.Unlock()
	})
	defer t.Stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.pending > 0 && q.err == nil && !expired {
		q.changed.Wait()
	}
	switch {
	case q.err != nil:
		return q.err
	case q.pending > 0:
		return fmt.Errorf("%d records not yet acknowledged by the dead letter queue topic %s after %s", q.pending, q.topic, timeout)
	}
	return nil
}

// close flushes the producer and closes it, waiting at most timeout for records in flight.
func (q *deadLetterQueue) close(timeout time.Duration) {
	q.producer.AsyncClose()
	select {
	case <-q.done:
	case <-time.After(timeout):
		q.log.Warn().Str("topic", q.topic).Msg("the dead letter queue producer did not close in time")
	}
}
