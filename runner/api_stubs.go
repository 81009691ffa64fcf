package runner

// This file pins the herder operations the REST API needs beyond those already implemented. Each is being
// implemented in its own file; the stubs are deleted as they are.

import (
	"context"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// KindForbidden is for operations the worker configuration disallows (topic tracking off: HTTP 403).
const KindForbidden ErrorKind = 100

var errNotImplemented = &Error{Kind: KindInternal, Msg: "not implemented yet"}

// PatchConfig merges patch into a connector's configuration (a nil value removes the key), validates and
// applies the result like PutConfig. Changing or removing "name" is rejected (KindInvalid).
func (h *Herder) PatchConfig(name string, patch map[string]*string) (*ConnectorInfo, error) {
	return nil, errNotImplemented
}

// TaskStatus returns one task's status; unknown connector or task: KindNotFound
// "No status found for task <c>-<t>".
func (h *Herder) TaskStatus(name string, id int) (*TaskStatus, error) { return nil, errNotImplemented }

// PauseTask pauses one task (an extension: Apache has no task-level pause). The connector stays RUNNING and
// the task shows PAUSED; any connector-level pause/resume/stop/restart or config change overrides it. Not
// persisted.
func (h *Herder) PauseTask(name string, id int) error { return errNotImplemented }

// ResumeTask resumes a task paused by PauseTask.
func (h *Herder) ResumeTask(name string, id int) error { return errNotImplemented }

// Topics returns the topics the connector's tasks have produced to or consumed from since it was created or
// its topics were reset, sorted. An unknown connector has none (Apache does not check existence).
// topic.tracking.enable=false: KindForbidden "Topic tracking is disabled.".
func (h *Herder) Topics(name string) ([]string, error) { return nil, errNotImplemented }

// ResetTopics forgets a connector's active topics. KindForbidden "Topic tracking is disabled." or
// "Topic tracking reset is disabled.".
func (h *Herder) ResetTopics(name string) error { return errNotImplemented }

// Offsets returns a connector's offsets: for a source, the partitions with a stored offset; for a sink, the
// committed positions of its consumer group connect-<name> as partition {"kafka_topic","kafka_partition"}
// and offset {"kafka_offset"}.
func (h *Herder) Offsets(ctx context.Context, name string) ([]connectors.PartitionOffset, error) {
	return nil, errNotImplemented
}

// AlterOffsets sets offsets of a STOPPED connector (nil offset: reset that partition) and returns Apache's
// success message. Not stopped: KindInvalid with Apache's text.
func (h *Herder) AlterOffsets(ctx context.Context, name string, offsets []connectors.PartitionOffset) (string, error) {
	return "", errNotImplemented
}

// ResetOffsets removes every offset of a STOPPED connector and returns Apache's success message.
func (h *Herder) ResetOffsets(ctx context.Context, name string) (string, error) {
	return "", errNotImplemented
}

// Plugins lists the registered plugins of the given types (all when none), in Apache's order.
func (h *Herder) Plugins(types ...connectors.PluginType) []connectors.Plugin { return nil }

// PluginConfig returns the configuration keys of a plugin named by class or alias, as
// GET /connector-plugins/{p}/config shows them. Unknown: KindNotFound "Unknown plugin <p>.".
func (h *Herder) PluginConfig(plugin string) ([]config.KeyInfo, error) { return nil, errNotImplemented }

// ConfigInfos is Apache's answer to a validation request.
type ConfigInfos struct {
	Name       string       `json:"name"`
	ErrorCount int          `json:"error_count"`
	Groups     []string     `json:"groups"`
	Configs    []ConfigInfo `json:"configs"`
}

// ConfigInfo is one key of a validation answer: its definition (nil when unknown) and its value.
type ConfigInfo struct {
	Definition *config.KeyInfo `json:"definition"`
	Value      *config.Result  `json:"value"`
}

// Validate validates a connector configuration as PUT /connector-plugins/{p}/config/validate does; it
// reports problems in the answer, and fails only when the request itself is wrong (no connector.class:
// KindInvalid "Connector config contains no connector type"; unknown class: KindInvalid naming the
// available ones; a path plugin that does not match the body's class: KindInvalid with Apache's text).
// pathPlugin may be empty (POST /connector-plugins/validate).
func (h *Herder) Validate(pathPlugin string, cfg map[string]string) (*ConfigInfos, error) {
	return nil, errNotImplemented
}

// SetReady marks the worker ready: every connector file given on the command line has been submitted.
func (h *Herder) SetReady() {}

// Ready reports whether SetReady was called.
func (h *Herder) Ready() bool { return false }

// Healthy waits until the herder can take a request (its operation lock) or ctx ends.
func (h *Herder) Healthy(ctx context.Context) error { return errNotImplemented }

// CreateOwned creates a connector defined by a connector file (owner is the file's path). File-owned
// connectors are not saved in the state file: at start the file wins. Otherwise as Create.
func (h *Herder) CreateOwned(owner, name string, config map[string]string, target TargetState) (*ConnectorInfo, error) {
	return nil, errNotImplemented
}

// Restore recreates the connectors earlier runs created or changed through REST, from the state file
// (Config.StateFile), with their configurations and target states. Connectors named in skip (those the
// command line's files define) are left to their files. A missing state file restores nothing; an unreadable
// one is an error naming it.
func (h *Herder) Restore(skip []string) error { return errNotImplemented }
