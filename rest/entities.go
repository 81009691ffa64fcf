package rest

import (
	"encoding/json"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner"
)

// The JSON shapes of Apache's REST entities. Field order is Apache's; clients do not depend on it, but the
// bytes then match Apache's.

type serverInfo struct {
	Version        string `json:"version"`
	Commit         string `json:"commit"`
	KafkaClusterID string `json:"kafka_cluster_id"`
}

type healthStatus struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	// ReloadErrors (an extension) lists the files whose last change could not be applied.
	ReloadErrors []reloadError `json:"reload_errors,omitempty"`
}

var (
	healthStarting  = healthStatus{Status: "starting", Message: "Worker is still starting up."}
	healthHealthy   = healthStatus{Status: "healthy", Message: "Worker has completed startup and is ready to handle requests."}
	healthUnhealthy = healthStatus{Status: "unhealthy", Message: "Worker was unable to handle this request and may be unable to handle other requests."}
)

type taskID struct {
	Connector string `json:"connector"`
	Task      int    `json:"task"`
}

type connectorInfo struct {
	Name   string            `json:"name"`
	Config map[string]string `json:"config"`
	Tasks  []taskID          `json:"tasks"`
	Type   string            `json:"type"`
}

func infoOf(i *runner.ConnectorInfo) connectorInfo {
	out := connectorInfo{Name: i.Name, Config: i.Config, Tasks: make([]taskID, len(i.Tasks)), Type: i.Type}
	for k, t := range i.Tasks {
		out.Tasks[k] = taskID{Connector: i.Name, Task: t}
	}
	if out.Config == nil {
		out.Config = map[string]string{}
	}
	return out
}

type taskInfo struct {
	ID     taskID            `json:"id"`
	Config map[string]string `json:"config"`
}

// The status entities. Apache adds "version" only from 4.1; the API implemented is older.
type connectorState struct {
	State    runner.State `json:"state"`
	WorkerID string       `json:"worker_id"`
	Trace    string       `json:"trace,omitempty"`
}

type taskState struct {
	ID       int          `json:"id"`
	State    runner.State `json:"state"`
	WorkerID string       `json:"worker_id"`
	Trace    string       `json:"trace,omitempty"`
}

type connectorStateInfo struct {
	Name      string         `json:"name"`
	Connector connectorState `json:"connector"`
	Tasks     []taskState    `json:"tasks"`
	Type      string         `json:"type"`
	// ReloadError, an extension, says why the latest edit of the connector's file was not applied.
	ReloadError string `json:"reload_error,omitempty"`
}

func stateOf(s *runner.ConnectorStatus, workerID string) connectorStateInfo {
	out := connectorStateInfo{
		Name:      s.Name,
		Connector: connectorState{State: s.Connector.State, WorkerID: workerID, Trace: s.Connector.Trace},
		Tasks:     make([]taskState, len(s.Tasks)),
		Type:      s.Type,

		ReloadError: s.FileError,
	}
	for i, t := range s.Tasks {
		out.Tasks[i] = taskStateOf(t, workerID)
	}
	return out
}

func taskStateOf(t runner.TaskStatus, workerID string) taskState {
	return taskState{ID: t.ID, State: t.State, WorkerID: workerID, Trace: t.Trace}
}

type topicsInfo struct {
	Topics []string `json:"topics"`
}

type partitionOffset struct {
	Partition valueMap `json:"partition"`
	Offset    valueMap `json:"offset"`
}

type connectorOffsets struct {
	Offsets []partitionOffset `json:"offsets"`
}

// alterOffsetsRequest is the body of PATCH /connectors/{c}/offsets.
type alterOffsetsRequest struct {
	Offsets []struct {
		Partition map[string]any `json:"partition"`
		Offset    map[string]any `json:"offset"`
	} `json:"offsets"`
}

type message struct {
	Message string `json:"message"`
}

type pluginInfo struct {
	Class   string `json:"class"`
	Type    string `json:"type"`
	Version string `json:"version,omitempty"`
}

func pluginOf(p connectors.Plugin) pluginInfo {
	return pluginInfo{Class: p.Class, Type: string(p.Type), Version: p.Version}
}

type loggerLevel struct {
	Level        string `json:"level"`
	LastModified *int64 `json:"last_modified"`
}

// createRequest is the body of POST /connectors.
type createRequest struct {
	Name         *string         `json:"name"`
	Config       json.RawMessage `json:"config"`
	InitialState *string         `json:"initial_state"`
}
