package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/converters"
)

// TestBackoff: Apache's schedule: 300 ms doubled per attempt; past errors.retry.delay.max.ms a random delay
// below it; never past the deadline.
func TestBackoff(t *testing.T) {
	h := &errorHandler{maxDelay: time.Second}
	for attempt, want := range map[int]time.Duration{1: 300 * time.Millisecond, 2: 600 * time.Millisecond} {
		if got := h.backoff(attempt, time.Time{}); got != want {
			t.Errorf("attempt %d: %s, want %s", attempt, got, want)
		}
	}
	for _, attempt := range []int{3, 40, 100} {
		if got := h.backoff(attempt, time.Time{}); got < 0 || got >= time.Second {
			t.Errorf("attempt %d: %s, want a delay below the 1s cap", attempt, got)
		}
	}
	if got := h.backoff(2, time.Now().Add(100*time.Millisecond)); got > 100*time.Millisecond {
		t.Errorf("backoff %s passes the deadline 100ms away", got)
	}
	if got := h.backoff(1, time.Now().Add(-time.Second)); got != 0 {
		t.Errorf("backoff %s after the deadline", got)
	}
	if got := (&errorHandler{}).backoff(1, time.Time{}); got != 0 {
		t.Errorf("backoff %s with errors.retry.delay.max.ms=0", got)
	}
}

// TestRetryStopsAtTimeoutAndOnStop: retries end at errors.retry.timeout with the last error, at once for
// a timeout of 0, never for an error that is not retriable, and when the task stops.
func TestRetryStopsAtTimeoutAndOnStop(t *testing.T) {
	h := &errorHandler{maxDelay: 10 * time.Millisecond, log: zerolog.Nop()}
	retriable := connectors.Retriable(errors.New("busy"))
	calls := 0
	op := func() error { calls++; return retriable }
	if err := h.retry(context.Background(), 0, retriable, op); err != retriable || calls != 0 {
		t.Fatalf("timeout 0: %v after %d calls, want no retry", err, calls)
	}
	start := time.Now()
	if err := h.retry(context.Background(), 150*time.Millisecond, retriable, op); err != retriable || calls < 2 {
		t.Fatalf("timeout 150ms: %v after %d calls", err, calls)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > time.Second {
		t.Fatalf("retrying for 150ms took %s", d)
	}
	calls = 0
	fatal := errors.New("no")
	if err := h.retry(context.Background(), -1, fatal, op); err != fatal || calls != 0 {
		t.Fatalf("non-retriable: %v after %d calls", err, calls)
	}
	calls = 0
	if err := h.retry(context.Background(), -1, retriable, func() error {
		if calls++; calls == 3 {
			return nil
		}
		return retriable
	}); err != nil || calls != 3 {
		t.Fatalf("recovering: %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := h.retry(ctx, -1, retriable, op); !errors.Is(err, errStopped) {
		t.Fatalf("stopped: %v", err)
	}
}

// TestErrorChain: the dead letter queue's stacktrace header and the status trace show each cause once,
// with its Java class where it has one.
func TestErrorChain(t *testing.T) {
	de := &converters.DataError{Message: "Converting byte[] to Kafka Connect data failed due to serialization error: ", Cause: errors.New("Unrecognized token 'x'")}
	for _, c := range []struct {
		err  error
		want string
	}{
		{de, "org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: \nCaused by: Unrecognized token 'x'\n"},
		{fmt.Errorf("writing the file: %w", io.ErrShortWrite), "writing the file\nCaused by: short write\n"},
		{connectors.Retriable(errors.New("busy")), "org.apache.kafka.connect.errors.RetriableException\nCaused by: busy\n"},
	} {
		if got := errorChain(c.err); got != c.want {
			t.Errorf("errorChain(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	if got, want := exceptionMessage(de), de.Message; got != want {
		t.Errorf("exception message %q, want Apache's %q", got, want)
	}
	if got := exceptionClass(errors.New("x")); got != "org.apache.kafka.connect.errors.ConnectException" {
		t.Errorf("exception class of a Go error: %q", got)
	}
}
