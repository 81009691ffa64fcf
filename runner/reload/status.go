package reload

import (
	"slices"
	"strings"
	"time"
)

// Kinds of watched files.
const (
	KindWorker    = "worker"
	KindConnector = "connector"
)

// States of a watched file.
const (
	// StateApplied: the file's current content is in effect.
	StateApplied = "applied"
	// StateFailed: the file's current content could not be applied (see Failed.Error); what was applied
	// before keeps running.
	StateFailed = "failed"
	// StateMissing: the file is gone (its connector was deleted; for the worker file, the running
	// configuration is kept).
	StateMissing = "missing"
)

// Status is what the watcher reports: every watched file with its last applied and last failed version.
type Status struct {
	// Dir is the connectors directory (connectors.dir); "" when none is set.
	Dir string
	// Files are the worker file, then the connector files by path.
	Files []FileStatus
	// Problems keep the watcher from being told of changes (an inotify limit, a directory that cannot be
	// watched or read); the files concerned are then read again every poll interval.
	Problems []string
}

// FileStatus is one watched file.
type FileStatus struct {
	Path string
	Kind string
	// State is StateApplied, StateFailed or StateMissing.
	State string
	// Connector is the connector the file defines, as last applied; "" for the worker file, or when the
	// file has never been applied.
	Connector string
	// Applied is the version last applied, Failed the last one that could not be (nil: none).
	Applied, Failed *Version
	// PendingRestart are the worker keys whose change takes effect only at the next start.
	PendingRestart []string
}

// Version is one version of a file's content.
type Version struct {
	Hash string
	Time time.Time
	// Error says why a failed version was not applied, naming the file, line and key where it can.
	Error string
}

// FileError is a file whose current version could not be applied.
type FileError struct {
	Path  string
	Error string
}

// Errors lists the files whose current version failed, and the watcher's problems (Path is then the
// directory or "" when the problem is not about one).
func (s Status) Errors() []FileError {
	var out []FileError
	for _, f := range s.Files {
		if f.State == StateFailed && f.Failed != nil {
			out = append(out, FileError{Path: f.Path, Error: f.Failed.Error})
		}
	}
	for _, p := range s.Problems {
		out = append(out, FileError{Error: p})
	}
	return out
}

// sortFiles orders a status: the worker file first, then connector files by path.
func sortFiles(files []FileStatus) {
	slices.SortFunc(files, func(a, b FileStatus) int {
		if a.Kind != b.Kind {
			if a.Kind == KindWorker {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Path, b.Path)
	})
}
