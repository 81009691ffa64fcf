// Package connectors is the connector API of connect-standalone: the interfaces a connector and its tasks
// implement, the data model they exchange with the runner (records, schemas, values), and the registry that
// resolves the class names found in configuration files.
//
// A connector never sees Kafka, the offsets file or HTTP: it sees its configuration, its records and, for a
// source task, a reader of the offsets it committed before.
package connectors

import (
	"context"
	"errors"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
)

// APIVersion is the Apache Kafka release whose Connect behaviour and REST API this project implements. The
// built-in plugins report it as their version, as Apache's report the Kafka version, and GET / reports it,
// because clients such as kcctl turn features on by it.
const APIVersion = "3.9.0"

// Connector is the part of a connector that runs once per connector: it checks its configuration and splits
// the work into task configurations. It is Apache's Connector class.
type Connector interface {
	// Version is reported in the REST API's plugin list and status.
	Version() string
	// Config defines the connector's own keys. The runner adds the framework keys (name, tasks.max, …).
	Config() *config.Def
	// Start is called with the connector's configuration, config-provider references resolved.
	Start(cfg map[string]string) error
	// TaskConfigs returns at most maxTasks task configurations.
	TaskConfigs(maxTasks int) ([]map[string]string, error)
	Stop() error
}

// Source is a source connector: it reads from an external system into Kafka.
type Source interface {
	Connector
	NewTask() SourceTask
}

// Sink is a sink connector: it writes Kafka records to an external system.
type Sink interface {
	Connector
	NewTask() SinkTask
}

// OffsetReader reads the source offsets a task committed before, for resuming after a restart.
type OffsetReader interface {
	// Offset returns the stored offset of a source partition, or nil when there is none.
	Offset(partition map[string]any) (map[string]any, error)
}

// TaskContext is what the runner gives a task when it starts it.
type TaskContext struct {
	// Offsets reads the offsets committed before (source tasks only).
	Offsets OffsetReader
	// Log is the task's logger; its lines carry the connector and task.
	Log zerolog.Logger
}

// SourceTask moves records from an external system towards Kafka. The runner calls Start, then Poll from a
// single goroutine until the context passed to Poll is cancelled, then Stop from that same goroutine.
type SourceTask interface {
	Start(tc TaskContext, cfg map[string]string) error
	// Poll returns the next records. It blocks until records are available or ctx is done, and may return
	// an empty batch at any time; after ctx is done it returns promptly. The runner is done with a batch
	// when it calls Poll again, so the task may then reuse the slice's array (the values the records
	// hold stay the runner's: the task does not change them).
	Poll(ctx context.Context) ([]Record, error)
	Stop() error
}

// SinkTask writes records consumed from Kafka to an external system.
type SinkTask interface {
	Start(tc TaskContext, cfg map[string]string) error
	// Put writes a batch. It may buffer; Flush makes everything put so far durable. The runner reuses the
	// slice for the next batch: a task that keeps records past Put keeps copies of them (a Record and
	// the values it holds are never changed by the runner once put).
	Put(records []Record) error
	// Flush is called before the runner commits the consumed offsets given, so that nothing is committed
	// that the task has not written.
	Flush(offsets map[TopicPartition]int64) error
	Stop() error
}

// OffsetAlterer is implemented by source connectors that check offsets altered through the REST API.
// Returning true says the connector keeps no offsets of its own outside the runner.
type OffsetAlterer interface {
	AlterOffsets(cfg map[string]string, offsets []PartitionOffset) (bool, error)
}

// PartitionOffset is a source partition with its offset (nil offset: reset).
type PartitionOffset struct {
	Partition map[string]any
	Offset    map[string]any
}

// RetriableError marks an error that may go away if the operation is tried again (Apache's
// RetriableException). The runner retries such errors within errors.retry.timeout.
type RetriableError struct{ Err error }

func (e *RetriableError) Error() string { return e.Err.Error() }
func (e *RetriableError) Unwrap() error { return e.Err }

// Retriable wraps err as a RetriableError.
func Retriable(err error) error { return &RetriableError{Err: err} }

// IsRetriable reports whether err, or an error it wraps, is retriable.
func IsRetriable(err error) bool {
	var r *RetriableError
	return errors.As(err, &r)
}
