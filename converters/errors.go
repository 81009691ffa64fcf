package converters

import (
	"errors"
	"strings"
)

// DataError is Apache's DataException: a value that cannot be converted. Message is Apache's exact text;
// Cause, when set, is what Apache attaches as the exception's cause (a deserializer's complaint, a parse
// error).
type DataError struct {
	Message string
	Cause   error
}

// JavaClass is the Java exception class Apache throws, for reproducing its stack-trace texts.
func (e *DataError) JavaClass() string { return "org.apache.kafka.connect.errors.DataException" }

// Error returns the message followed by the cause, if any.
func (e *DataError) Error() string {
	if e.Cause == nil {
		return e.Message
	}
	if strings.HasSuffix(e.Message, ": ") {
		return e.Message + e.Cause.Error()
	}
	return e.Message + ": " + e.Cause.Error()
}

func (e *DataError) Unwrap() error { return e.Cause }

func dataError(msg string) error { return &DataError{Message: msg} }

func dataErrorCause(msg string, cause error) error { return &DataError{Message: msg, Cause: cause} }

// serializationError is the message of a Kafka SerializationException, used as a DataError's cause.
func serializationError(msg string) error { return errors.New(msg) }
