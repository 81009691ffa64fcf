package rest

import (
	"context"
	"net/http"
	"time"

	"github.com/connect-standalone/connect-standalone/runner/reload"
)

// The reload endpoints (an extension: Apache never reloads its files) are admin endpoints, served where
// /admin/loggers is.

type reloadStatus struct {
	Directory string       `json:"directory,omitempty"`
	Files     []reloadFile `json:"files"`
	Problems  []string     `json:"problems,omitempty"`
}

type reloadFile struct {
	File           string         `json:"file"`
	Kind           string         `json:"kind"`
	Connector      string         `json:"connector,omitempty"`
	State          string         `json:"state"`
	Applied        *reloadVersion `json:"applied"`
	Failed         *reloadVersion `json:"failed"`
	PendingRestart []string       `json:"pending_restart,omitempty"`
}

type reloadVersion struct {
	Hash  string `json:"hash"`
	Time  string `json:"time"`
	Error string `json:"error,omitempty"`
}

// reloadError is one entry of GET /health's reload_errors.
type reloadError struct {
	File  string `json:"file,omitempty"`
	Error string `json:"error"`
}

func reloadStatusOf(st reload.Status) reloadStatus {
	out := reloadStatus{Directory: st.Dir, Files: make([]reloadFile, len(st.Files)), Problems: st.Problems}
	version := func(v *reload.Version) *reloadVersion {
		if v == nil {
			return nil
		}
		return &reloadVersion{Hash: v.Hash, Time: v.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Error: v.Error}
	}
	for i, f := range st.Files {
		out.Files[i] = reloadFile{File: f.Path, Kind: f.Kind, Connector: f.Connector, State: f.State,
			Applied: version(f.Applied), Failed: version(f.Failed), PendingRestart: f.PendingRestart}
	}
	return out
}

// reloadErrors summarises for GET /health what the last reloads could not apply; nil when all is well.
func reloadErrors(r Reloader) []reloadError {
	if r == nil {
		return nil
	}
	var out []reloadError
	for _, e := range r.Status().Errors() {
		out = append(out, reloadError{File: e.Path, Error: e.Error})
	}
	return out
}

const noReloader = "The file watcher is not running yet."

func getReload(a *api, w http.ResponseWriter, r *http.Request) {
	rl := a.srv.reloaderOf()
	if rl == nil {
		writeError(w, http.StatusServiceUnavailable, noReloader)
		return
	}
	writeJSON(w, http.StatusOK, reloadStatusOf(rl.Status()))
}

// postReload reads every file again and applies it, as SIGHUP does, and answers the status afterwards.
func postReload(a *api, w http.ResponseWriter, r *http.Request) {
	rl := a.srv.reloaderOf()
	if rl == nil {
		writeError(w, http.StatusServiceUnavailable, noReloader)
		return
	}
	// The reload is carried through even if the client hangs up; the answer waits up to the request timeout.
	ctx := context.WithoutCancel(r.Context())
	st, err := call(a, func() (reload.Status, error) {
		ctx, cancel := context.WithTimeout(ctx, a.timeout+time.Second)
		defer cancel()
		return rl.Reload(ctx)
	})
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, reloadStatusOf(st))
}
