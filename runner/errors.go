package runner

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/converters"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// stage is the step of a record's pipeline that failed, named as Apache's Stage enum names it in log lines
// and dead letter queue headers.
type stage uint8

const (
	// stageTaskPoll is a source task's Poll. Poll failures are not governed by errors.tolerance (as in
	// Apache): they fail the task.
	stageTaskPoll stage = iota
	stageTaskPut
	stageTransformation
	stageKeyConverter
	stageValueConverter
	stageHeaderConverter
	stageKafkaProduce
	// stageKafkaConsume exists in Apache's enum but no Apache code reports it; neither does this runner.
	stageKafkaConsume
)

var stageNames = [...]string{"TASK_POLL", "TASK_PUT", "TRANSFORMATION", "KEY_CONVERTER", "VALUE_CONVERTER",
	"HEADER_CONVERTER", "KAFKA_PRODUCE", "KAFKA_CONSUME"}

func (s stage) String() string { return stageNames[s] }

// Java class names the error handler reports.
const (
	// workerSourceTaskClass is the class Apache names when a source record could not be produced.
	workerSourceTaskClass   = "org.apache.kafka.connect.runtime.WorkerSourceTask"
	connectExceptionClass   = "org.apache.kafka.connect.errors.ConnectException"
	retriableExceptionClass = "org.apache.kafka.connect.errors.RetriableException"
)

// retryBaseDelay is Apache's first backoff (RETRIES_DELAY_MIN_MS); each further attempt doubles it.
const retryBaseDelay = 300 * time.Millisecond

// errStopped ends a retry that the task's stop interrupted: the record is neither skipped nor a failure,
// and its offset is not committed, so it is processed again after a restart.
var errStopped = errors.New("the task is stopping")

// errorHandler is one task's Apache RetryWithToleranceOperator with its reporters: it retries retriable
// failures of a record's converters, transforms and (for sinks) Put, reports what still fails to the log
// and the dead letter queue, and decides whether the record is skipped or the task fails.
type errorHandler struct {
	// task is the task as Apache prints its id: <connector>-<task>.
	task string
	// retryTimeout is errors.retry.timeout; negative retries without limit.
	retryTimeout time.Duration
	// maxDelay is errors.retry.delay.max.ms.
	maxDelay    time.Duration
	tolerateAll bool
	logErrors   bool
	// logRecords is errors.log.include.messages: only then do record contents reach the log.
	logRecords bool
	log        zerolog.Logger
	// dlq is the sink's dead letter queue; nil when there is none.
	dlq *deadLetterQueue
}

// dlqSettings are a sink connector's errors.deadletterqueue.* keys.
type dlqSettings struct {
	topic       string // blank: no dead letter queue
	replication int16
	headers     bool
}

// newErrorHandler reads a connector's errors.* keys. kind is config.KindSource or config.KindSink.
func newErrorHandler(kind string, conn map[string]string, task string, log zerolog.Logger) (*errorHandler, dlqSettings, error) {
	names := []string{config.ErrorsRetryTimeout, config.ErrorsRetryDelayMax, config.ErrorsTolerance,
		config.ErrorsLogEnable, config.ErrorsLogIncludeMessages}
	if kind == config.KindSink {
		names = append(names, config.DLQTopicName, config.DLQReplicationFactor, config.DLQContextHeadersEnable)
	}
	all := config.ConnectorDef(kind)
	def := config.NewDef()
	for _, n := range names {
		k, _ := all.Lookup(n)
		def.Define(k)
	}
	v, err := def.Parse(conn)
	if err != nil {
		return nil, dlqSettings{}, err
	}
	h := &errorHandler{
		task:         task,
		retryTimeout: time.Duration(v.Long(config.ErrorsRetryTimeout)) * time.Millisecond,
		maxDelay:     time.Duration(v.Long(config.ErrorsRetryDelayMax)) * time.Millisecond,
		tolerateAll:  v.String(config.ErrorsTolerance) == "all",
		logErrors:    v.Bool(config.ErrorsLogEnable),
		logRecords:   v.Bool(config.ErrorsLogIncludeMessages),
		log:          log,
	}
	if h.retryTimeout < 0 {
		h.retryTimeout = -1
	}
	var dlq dlqSettings
	if kind == config.KindSink {
		dlq = dlqSettings{topic: config.JavaTrim(v.String(config.DLQTopicName)),
			replication: v.Short(config.DLQReplicationFactor), headers: v.Bool(config.DLQContextHeadersEnable)}
	}
	return h, dlq, nil
}

// errantRecord is the record a failure is reported with: the original consumed record of a sink, the
// original (untransformed) record of a source, or neither when the failure concerns no single record.
type errantRecord struct {
	consumed *sarama.ConsumerMessage
	source   *connectors.Record
}

// handle deals with the failure err of one stage of a record's pipeline, whose class is the converter,
// transform or task that failed (for stageTransformation it is taken from the *transforms.Error). A
// retriable failure is retried by calling retry, which re-runs the stage, as errors.retry.timeout allows;
// what still fails is reported, then skipped (errors.tolerance=all: skip is true) or not tolerated (a
// *toleranceError to fail the task with); both false and nil mean a retry succeeded. When the task stops
// while a retry waits, the error is errStopped.
func (h *errorHandler) handle(ctx context.Context, st stage, class string, err error, retry func() error, rec errantRecord) (skip bool, _ error) {
	if connectors.IsRetriable(err) && retry != nil {
		if err = h.retry(ctx, h.retryTimeout, err, retry); err == nil {
			return false, nil
		}
		if errors.Is(err, errStopped) {
			return false, err
		}
	}
	return h.fail(ctx, st, class, err, rec)
}

// transform runs a record through chain, with the handler's retries and tolerance. The transforms may
// rewrite r in place, so a retry starts again from the record as it came in. It returns the record to go
// on with, or nil when a transform dropped it or a tolerated failure skipped it.
func (h *errorHandler) transform(ctx context.Context, chain *transforms.Chain, r *connectors.Record, rec errantRecord) (*connectors.Record, error) {
	saved := *r
	out, err := chain.Apply(r)
	if err != nil {
		skip, err := h.handle(ctx, stageTransformation, "", err, func() error {
			*r = saved
			var err error
			out, err = chain.Apply(r)
			return err
		}, rec)
		if skip || err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fail reports a failure that retrying did not cure and decides, as Apache's operator does, whether the
// record is skipped.
func (h *errorHandler) fail(ctx context.Context, st stage, class string, err error, rec errantRecord) (skip bool, _ error) {
	class, cause := culprit(st, class, err)
	h.report(ctx, st, class, cause, rec)
	if h.tolerateAll {
		return true, nil
	}
	return false, &toleranceError{stage: st, class: class, cause: cause}
}

// culprit returns the failing class and the error Apache would report: for a transform, the exception the
// transform (or its predicate) raised, with the transform's class.
func culprit(st stage, class string, err error) (string, error) {
	var te *transforms.Error
	if st == stageTransformation && errors.As(err, &te) {
		return te.Class, te.Err
	}
	return class, err
}

// retry calls op again while the last error is retriable and the timeout allows (negative: no limit),
// waiting between attempts as Apache's backoff does. first is the error of the attempt the caller made.
// It returns nil once op succeeds, the last error when retrying ends, or errStopped when ctx ends.
func (h *errorHandler) retry(ctx context.Context, timeout time.Duration, first error, op func() error) error {
	err := first
	var deadline time.Time
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	for attempt := 1; connectors.IsRetriable(err); attempt++ {
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return err
		}
		h.log.Debug().Err(err).Int("attempt", attempt).Msg("retrying after a retriable error")
		t := time.NewTimer(h.backoff(attempt, deadline))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errStopped
		}
		err = op()
	}
	return err
}

// backoff is Apache's delay before retry number attempt (from 1): 300 ms doubled each time; once that
// exceeds errors.retry.delay.max.ms, a random delay below it; never past the deadline (zero: none).
func (h *errorHandler) backoff(attempt int, deadline time.Time) time.Duration {
	delay := h.maxDelay + 1
	if shift := attempt - 1; shift < 32 {
		delay = retryBaseDelay << shift
	}
	if delay > h.maxDelay {
		delay = 0
		if h.maxDelay > 0 {
			delay = rand.N(h.maxDelay)
		}
	}
	if !deadline.IsZero() {
		delay = max(0, min(delay, time.Until(deadline)))
	}
	return delay
}

// report hands a failure to the reporters: the log (errors.log.enable) and the dead letter queue (sinks).
// Both report even when the task then fails, as Apache's do.
func (h *errorHandler) report(ctx context.Context, st stage, class string, cause error, rec errantRecord) {
	if h.logErrors {
		h.log.Error().Err(cause).Msg(h.message(st, class, rec))
	}
	if h.dlq != nil && rec.consumed != nil {
		h.dlq.send(ctx, rec.consumed, st, class, cause)
	}
}

// message is Apache's LogReporter line. Only errors.log.include.messages adds the record: its coordinates
// for a sink, its whole content for a source.
func (h *errorHandler) message(st stage, class string, rec errantRecord) string {
	var b strings.Builder
	b.WriteString("Error encountered in task ")
	b.WriteString(h.task)
	b.WriteString(". Executing stage '")
	b.WriteString(st.String())
	b.WriteString("' with class '")
	b.WriteString(class)
	b.WriteByte('\'')
	if h.logRecords {
		switch {
		case rec.consumed != nil:
			m := rec.consumed
			b.WriteString(", where consumed record is {topic='")
			b.WriteString(m.Topic)
			b.WriteString("', partition=")
			b.WriteString(strconv.Itoa(int(m.Partition)))
			b.WriteString(", offset=")
			b.WriteString(strconv.FormatInt(m.Offset, 10))
			b.WriteString(", timestamp=")
			b.WriteString(strconv.FormatInt(kafkaTimestamp(m.Timestamp), 10))
			b.WriteString(", timestampType=CreateTime}")
		case rec.source != nil:
			b.WriteString(", where source record is = ")
			b.WriteString(connectors.FormatRecord(rec.source, false))
		}
	}
	b.WriteByte('.')
	return b.String()
}

// kafkaTimestamp is a record timestamp in Kafka's terms: epoch milliseconds, -1 for none.
func kafkaTimestamp(t time.Time) int64 {
	if t.IsZero() {
		return -1
	}
	return t.UnixMilli()
}

// toleranceError fails a task whose error handler did not tolerate a failure (errors.tolerance=none).
type toleranceError struct {
	stage stage
	class string
	cause error
}

func (e *toleranceError) Error() string {
	return "Tolerance exceeded in error handler (stage " + e.stage.String() + ", class " + e.class + "): " + e.cause.Error()
}

func (e *toleranceError) Unwrap() error { return e.cause }

// trace is the task's status trace, shaped as Apache's: the ConnectException, where it happened, and the
// causes, one per line; Go has no stack frames to show.
func (e *toleranceError) trace() string {
	var b strings.Builder
	b.WriteString(connectExceptionClass)
	b.WriteString(": Tolerance exceeded in error handler\n\tin stage ")
	b.WriteString(e.stage.String())
	b.WriteString(", class ")
	b.WriteString(e.class)
	b.WriteByte('\n')
	writeCauses(&b, "Caused by: ", e.cause)
	return b.String()
}

// errorChain renders an error as the dead letter queue's exception.stacktrace header: Go has no Java stack
// trace, so it is the error chain, one cause per line ("<Java class>: <message>" where the error has a Java
// class), each after the first prefixed "Caused by: ".
func errorChain(err error) string {
	var b strings.Builder
	writeCauses(&b, "", err)
	return b.String()
}

func writeCauses(b *strings.Builder, prefix string, err error) {
	for ; err != nil; err = errors.Unwrap(err) {
		class, msg := javaClassOf(err), ownMessage(err)
		if class == "" && msg == "" {
			continue
		}
		b.WriteString(prefix)
		b.WriteString(class)
		if class != "" && msg != "" {
			b.WriteString(": ")
		}
		b.WriteString(msg)
		b.WriteByte('\n')
		prefix = "Caused by: "
	}
}

// javaClassOf returns the Java exception class an error stands for, or "" when it stands for none.
func javaClassOf(err error) string {
	if jc, ok := err.(interface{ JavaClass() string }); ok {
		return jc.JavaClass()
	}
	if _, ok := err.(*connectors.RetriableError); ok {
		return retriableExceptionClass
	}
	return ""
}

// exceptionClass is the Java class reported for a failure; ConnectException when the error has none.
func exceptionClass(err error) string {
	if c := javaClassOf(err); c != "" {
		return c
	}
	return connectExceptionClass
}

// exceptionMessage is what Java's getMessage would return: Apache's message without the cause for the
// exceptions that carry one, else the error's text.
func exceptionMessage(err error) string {
	if de, ok := err.(*converters.DataError); ok {
		return de.Message
	}
	return err.Error()
}

// ownMessage is the part of an error's text that its wrapped error does not already say.
func ownMessage(err error) string {
	switch e := err.(type) {
	case *converters.DataError:
		return e.Message
	case *connectors.RetriableError:
		return ""
	}
	msg := err.Error()
	if inner := errors.Unwrap(err); inner != nil {
		if rest, ok := strings.CutSuffix(msg, inner.Error()); ok {
			msg = strings.TrimSuffix(rest, ": ")
		}
	}
	return msg
}
