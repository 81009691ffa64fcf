package runner

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// State is the status of a connector or task, with Apache's names.
type State string

// States (lifecycle.md §1). STOPPED is only ever a connector state.
const (
	Unassigned State = "UNASSIGNED"
	Running    State = "RUNNING"
	Paused     State = "PAUSED"
	Stopped    State = "STOPPED"
	Failed     State = "FAILED"
	Restarting State = "RESTARTING"
)

// TargetState is the state a user asked a connector to be in.
type TargetState string

// Target states; they are spelled as the initial_state field of POST /connectors spells them.
const (
	TargetRunning TargetState = "RUNNING"
	TargetPaused  TargetState = "PAUSED"
	TargetStopped TargetState = "STOPPED"
)

// ParseTargetState parses an initial_state value case-insensitively; empty means RUNNING.
func ParseTargetState(s string) (TargetState, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "RUNNING":
		return TargetRunning, nil
	case "PAUSED":
		return TargetPaused, nil
	case "STOPPED":
		return TargetStopped, nil
	}
	return "", fmt.Errorf("invalid initial_state %q: must be one of RUNNING, PAUSED, STOPPED", s)
}

// Status is the reported state of one connector or task.
type Status struct {
	State State
	// Trace explains a FAILED state.
	Trace string
	// Version is the plugin version of the running instance.
	Version string
}

// statusCell holds a Status that a task goroutine writes and status readers read.
type statusCell struct {
	mu sync.Mutex
	s  Status
}

func (c *statusCell) get() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

func (c *statusCell) set(state State, trace string) {
	c.mu.Lock()
	c.s.State, c.s.Trace = state, trace
	c.mu.Unlock()
}

// fail records a failure. A later failure does not hide the first one.
func (c *statusCell) fail(err error) {
	c.mu.Lock()
	if c.s.State != Failed {
		c.s.State, c.s.Trace = Failed, traceOf(err)
	}
	c.mu.Unlock()
}

// traceOf renders an error for the status trace. Go has no Java stack trace; clients show the field as
// text, so the error chain, outermost first, is what explains the failure best. A failure the error
// handler did not tolerate reads as Apache's does: the ConnectException, then its causes.
func traceOf(err error) string {
	if err == nil {
		return ""
	}
	var te *toleranceError
	if errors.As(err, &te) {
		return te.trace()
	}
	return err.Error()
}

// ConnectorStatus is what GET /connectors/{c}/status reports.
type ConnectorStatus struct {
	Name      string
	Type      string // source, sink or unknown
	Connector Status
	Tasks     []TaskStatus
	// FileError is why the latest edit of the connector's file was not applied; "" when it was.
	FileError string
}

// TaskStatus is the status of one task.
type TaskStatus struct {
	ID int
	Status
}

// ConnectorInfo is what GET /connectors/{c} reports.
type ConnectorInfo struct {
	Name   string
	Type   string
	Config map[string]string
	Tasks  []int
}

// TaskInfo is a task with its configuration.
type TaskInfo struct {
	ID     int
	Config map[string]string
}
