package rest

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/runner"
)

// api is what the handlers serve once the herder exists.
type api struct {
	srv           *Server
	h             *runner.Herder
	clusterID     string
	commit        string
	loggers       *logging.Levels
	log           zerolog.Logger
	timeout       time.Duration
	healthTimeout time.Duration
}

// handlerFunc is a handler of the API.
type handlerFunc func(a *api, w http.ResponseWriter, r *http.Request)

// routes builds the API's mux; withAdmin adds /admin/loggers (when admin.listeners is unset).
func (s *Server) routes(withAdmin bool) *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(fn handlerFunc, patterns ...string) { s.handle(mux, fn, patterns...) }
	handle(root, "GET /{$}")
	handle(health, "GET /health")

	handle(listConnectors, "GET /connectors")
	handle(createConnector, "POST /connectors")
	handle(getConnector, "GET /connectors/{connector}")
	// DELETE …/config is an extension: the seed's documentation spelled delete that way.
	handle(deleteConnector, "DELETE /connectors/{connector}", "DELETE /connectors/{connector}/config")
	handle(getConfig, "GET /connectors/{connector}/config")
	handle(putConfig, "PUT /connectors/{connector}/config")
	handle(patchConfig, "PATCH /connectors/{connector}/config")
	handle(getStatus, "GET /connectors/{connector}/status")
	handle(restartConnector, "POST /connectors/{connector}/restart")
	// POST for pause and resume is an extension; Apache has PUT only.
	handle(pauseConnector, "PUT /connectors/{connector}/pause", "POST /connectors/{connector}/pause")
	handle(resumeConnector, "PUT /connectors/{connector}/resume", "POST /connectors/{connector}/resume")
	handle(stopConnector, "PUT /connectors/{connector}/stop")
	handle(getTasks, "GET /connectors/{connector}/tasks")
	handle(putTasks, "POST /connectors/{connector}/tasks")
	handle(getTasksConfig, "GET /connectors/{connector}/tasks-config")
	handle(getTaskStatus, "GET /connectors/{connector}/tasks/{task}/status")
	// PUT for task restart and task-level pause and resume are extensions.
	handle(restartTask, "POST /connectors/{connector}/tasks/{task}/restart", "PUT /connectors/{connector}/tasks/{task}/restart")
	handle(pauseTask, "POST /connectors/{connector}/tasks/{task}/pause", "PUT /connectors/{connector}/tasks/{task}/pause")
	handle(resumeTask, "POST /connectors/{connector}/tasks/{task}/resume", "PUT /connectors/{connector}/tasks/{task}/resume")
	handle(getTopics, "GET /connectors/{connector}/topics")
	handle(resetTopics, "PUT /connectors/{connector}/topics/reset")
	handle(getOffsets, "GET /connectors/{connector}/offsets")
	handle(alterOffsets, "PATCH /connectors/{connector}/offsets")
	handle(resetOffsets, "DELETE /connectors/{connector}/offsets")
	handle(fence, "PUT /connectors/{connector}/fence")

	handle(listPlugins, "GET /connector-plugins")
	handle(pluginConfig, "GET /connector-plugins/{plugin}/config")
	// POST for validate, and validate without a plugin in the path, are extensions.
	handle(validate, "PUT /connector-plugins/{plugin}/config/validate", "POST /connector-plugins/{plugin}/config/validate",
		"POST /connector-plugins/validate")

	if withAdmin {
		s.adminRoutes(mux)
	}
	return mux
}

// adminRoutes adds the admin endpoints to mux.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	s.handle(mux, listLoggers, "GET /admin/loggers")
	s.handle(mux, getLogger, "GET /admin/loggers/{logger}")
	s.handle(mux, setLogger, "PUT /admin/loggers/{logger}")
	s.handle(mux, getReload, "GET /admin/reload")
	s.handle(mux, postReload, "POST /admin/reload")
}

// handle registers fn for the patterns. The middleware answers every request before Start itself, so the
// handlers always find the api.
func (s *Server) handle(mux *http.ServeMux, fn handlerFunc, patterns ...string) {
	h := func(w http.ResponseWriter, r *http.Request) { fn(s.api.Load(), w, r) }
	for _, p := range patterns {
		mux.HandleFunc(p, h)
	}
}

// call runs a herder operation, answering 500 "Request timed out" if it takes longer than the request
// timeout, as Apache does. The operation itself carries on.
func call[T any](a *api, op func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := op()
		done <- result{v, err}
	}()
	t := time.NewTimer(a.timeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-t.C:
		var zero T
		return zero, errTimedOut
	}
}

// do is call for operations without a result.
func do(a *api, op func() error) error {
	_, err := call(a, func() (struct{}, error) { return struct{}{}, op() })
	return err
}

// queryBool parses a query flag as JAX-RS does: only "true" (any case) is true.
func queryBool(r *http.Request, name string) bool {
	return strings.EqualFold(r.URL.Query().Get(name), "true")
}

// taskParam returns the {task} path value; a non-integer answers 404 as Apache's router does.
func taskParam(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.ParseInt(r.PathValue("task"), 10, 32)
	if err != nil {
		writeError(w, http.StatusNotFound, "HTTP 404 Not Found")
		return 0, false
	}
	return int(n), true
}

// location is the URL of a created connector: absolute, on the host the client used, as JAX-RS resolves
// Apache's relative location against the request.
func location(r *http.Request, name string) string {
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return "http://" + host + "/connectors/" + url.PathEscape(name)
}

func root(a *api, w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, serverInfo{Version: runner.ApacheVersion, Commit: a.commit, KafkaClusterID: a.clusterID})
}

func health(a *api, w http.ResponseWriter, r *http.Request) {
	if !a.h.Ready() {
		writeJSON(w, http.StatusServiceUnavailable, healthStarting)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.healthTimeout)
	defer cancel()
	if err := a.h.Healthy(ctx); err != nil {
		writeJSON(w, http.StatusInternalServerError, healthUnhealthy)
		return
	}
	// A file that could not be reloaded leaves the worker healthy (the last good configuration runs), but
	// is worth a look: it is listed, and the answer is otherwise Apache's.
	h := healthHealthy
	h.ReloadErrors = reloadErrors(a.srv.reloaderOf())
	writeJSON(w, http.StatusOK, h)
}

func listConnectors(a *api, w http.ResponseWriter, r *http.Request) {
	names := a.h.Connectors()
	expand, ok := r.URL.Query()["expand"]
	if !ok {
		if names == nil {
			names = []string{}
		}
		writeJSON(w, http.StatusOK, names)
		return
	}
	// Each connector gets the expansions asked for, in the order asked; unknown ones are ignored, and a
	// connector deleted meanwhile is left out, as Apache does.
	out := make(object, 0, len(names))
next:
	for _, name := range names {
		entry := object{}
		seen := map[string]bool{}
		for _, e := range expand {
			if seen[e] {
				continue
			}
			seen[e] = true
			switch e {
			case "status":
				st, err := a.h.Status(name)
				if err != nil {
					continue next
				}
				entry = append(entry, member{"status", stateOf(st, a.h.WorkerID())})
			case "info":
				info, err := a.h.Info(name)
				if err != nil {
					continue next
				}
				entry = append(entry, member{"info", infoOf(info)})
			}
		}
		out = append(out, member{name, entry})
	}
	writeJSON(w, http.StatusOK, out)
}

func createConnector(a *api, w http.ResponseWriter, r *http.Request) {
	body, rerr := readBody(r)
	if rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	var req createRequest
	if rerr := decodeStrict(body, &req); rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	if len(req.Config) == 0 || bytes.Equal(req.Config, []byte("null")) {
		writeError(w, http.StatusBadRequest, `The request body has no "config": a connector needs its configuration`)
		return
	}
	values, rerr := configValues(req.Config, `"config"`)
	if rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	cfg, rerr := requireValues(values)
	if rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	var name, state string
	if req.Name != nil {
		name = strings.TrimSpace(*req.Name)
	}
	if req.InitialState != nil {
		state = *req.InitialState
	}
	target, err := runner.ParseTargetState(state)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	info, err := call(a, func() (*runner.ConnectorInfo, error) { return a.h.Create(name, cfg, target) })
	if err != nil {
		writeHerderError(w, err)
		return
	}
	w.Header().Set("Location", location(r, info.Name))
	writeJSON(w, http.StatusCreated, infoOf(info))
}

func getConnector(a *api, w http.ResponseWriter, r *http.Request) {
	info, err := a.h.Info(r.PathValue("connector"))
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, infoOf(info))
}

func deleteConnector(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	if err := do(a, func() error { return a.h.Delete(name) }); err != nil {
		writeHerderError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func getConfig(a *api, w http.ResponseWriter, r *http.Request) {
	cfg, err := a.h.Config(r.PathValue("connector"))
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, cfg)
}

// configBody reads a request body that is a flat map of configuration values.
func configBody(w http.ResponseWriter, r *http.Request) (map[string]*string, bool) {
	body, rerr := readBody(r)
	if rerr == nil {
		var values map[string]*string
		if values, rerr = configValues(body, "The request body"); rerr == nil {
			return values, true
		}
	}
	writeError(w, rerr.status, rerr.msg)
	return nil, false
}

func putConfig(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	values, ok := configBody(w, r)
	if !ok {
		return
	}
	cfg, rerr := requireValues(values)
	if rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	type result struct {
		info    *runner.ConnectorInfo
		created bool
	}
	res, err := call(a, func() (result, error) {
		info, created, err := a.h.PutConfig(name, cfg)
		return result{info, created}, err
	})
	if err != nil {
		writeHerderError(w, err)
		return
	}
	status := http.StatusOK
	if res.created {
		w.Header().Set("Location", location(r, res.info.Name))
		status = http.StatusCreated
	}
	writeJSON(w, status, infoOf(res.info))
}

func patchConfig(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	patch, ok := configBody(w, r)
	if !ok {
		return
	}
	info, err := call(a, func() (*runner.ConnectorInfo, error) { return a.h.PatchConfig(name, patch) })
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, infoOf(info))
}

func getStatus(a *api, w http.ResponseWriter, r *http.Request) {
	st, err := a.h.Status(r.PathValue("connector"))
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, stateOf(st, a.h.WorkerID()))
}

func restartConnector(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	includeTasks, onlyFailed := queryBool(r, "includeTasks"), queryBool(r, "onlyFailed")
	st, err := call(a, func() (*runner.ConnectorStatus, error) { return a.h.Restart(name, includeTasks, onlyFailed) })
	if err != nil {
		writeHerderError(w, err)
		return
	}
	if !includeTasks && !onlyFailed {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusAccepted, stateOf(st, a.h.WorkerID()))
}

// accepted runs a state change answered 202 with no body.
func accepted(a *api, w http.ResponseWriter, op func() error) {
	if err := do(a, op); err != nil {
		writeHerderError(w, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func pauseConnector(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	accepted(a, w, func() error { return a.h.Pause(name) })
}

func resumeConnector(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	accepted(a, w, func() error { return a.h.Resume(name) })
}

func stopConnector(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	if err := do(a, func() error { return a.h.Stop(name) }); err != nil {
		writeHerderError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func getTasks(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	tasks, err := a.h.Tasks(name)
	if err != nil {
		writeHerderError(w, err)
		return
	}
	out := make([]taskInfo, len(tasks))
	for i, t := range tasks {
		out[i] = taskInfo{ID: taskID{Connector: name, Task: t.ID}, Config: t.Config}
	}
	writeJSON(w, http.StatusOK, out)
}

// getTasksConfig is Apache 3.x's deprecated GET /connectors/{c}/tasks-config: task configurations keyed
// "<connector>-<task>".
func getTasksConfig(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	tasks, err := a.h.Tasks(name)
	if err != nil {
		writeHerderError(w, err)
		return
	}
	out := make(object, len(tasks))
	for i, t := range tasks {
		out[i] = member{name + "-" + strconv.Itoa(t.ID), t.Config}
	}
	writeJSON(w, http.StatusOK, out)
}

// putTasks and fence are distributed-mode endpoints that workers call on each other; Apache's standalone
// herder rejects them with 500, and so does this one.
func putTasks(a *api, w http.ResponseWriter, r *http.Request) {
	if _, err := a.h.Info(r.PathValue("connector")); err != nil {
		writeHerderError(w, err)
		return
	}
	writeError(w, http.StatusInternalServerError, "Kafka Connect in standalone mode does not support externally setting task configurations.")
}

func fence(a *api, w http.ResponseWriter, r *http.Request) {
	if _, err := a.h.Info(r.PathValue("connector")); err != nil {
		writeHerderError(w, err)
		return
	}
	writeError(w, http.StatusInternalServerError, "Kafka Connect in standalone mode does not support exactly-once source connectors.")
}

func getTaskStatus(a *api, w http.ResponseWriter, r *http.Request) {
	id, ok := taskParam(w, r)
	if !ok {
		return
	}
	st, err := a.h.TaskStatus(r.PathValue("connector"), id)
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, taskStateOf(*st, a.h.WorkerID()))
}

func restartTask(a *api, w http.ResponseWriter, r *http.Request) {
	id, ok := taskParam(w, r)
	if !ok {
		return
	}
	name := r.PathValue("connector")
	if err := do(a, func() error { return a.h.RestartTask(name, id) }); err != nil {
		writeHerderError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func pauseTask(a *api, w http.ResponseWriter, r *http.Request) {
	if id, ok := taskParam(w, r); ok {
		name := r.PathValue("connector")
		accepted(a, w, func() error { return a.h.PauseTask(name, id) })
	}
}

func resumeTask(a *api, w http.ResponseWriter, r *http.Request) {
	if id, ok := taskParam(w, r); ok {
		name := r.PathValue("connector")
		accepted(a, w, func() error { return a.h.ResumeTask(name, id) })
	}
}

func getTopics(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	// Apache answers an unknown connector with an empty list; a 404 tells a typo from an idle connector.
	if _, err := a.h.Info(name); err != nil {
		writeHerderError(w, err)
		return
	}
	topics, err := a.h.Topics(name)
	if err != nil {
		writeHerderError(w, err)
		return
	}
	if topics == nil {
		topics = []string{}
	}
	writeJSON(w, http.StatusOK, object{{name, topicsInfo{Topics: topics}}})
}

func resetTopics(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	if _, err := a.h.Info(name); err != nil {
		writeHerderError(w, err)
		return
	}
	accepted(a, w, func() error { return a.h.ResetTopics(name) })
}

func getOffsets(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	offs, err := call(a, func() ([]connectors.PartitionOffset, error) { return a.h.Offsets(r.Context(), name) })
	if err != nil {
		writeHerderError(w, err)
		return
	}
	out := connectorOffsets{Offsets: make([]partitionOffset, len(offs))}
	for i, o := range offs {
		out.Offsets[i] = partitionOffset{Partition: o.Partition, Offset: o.Offset}
	}
	writeJSON(w, http.StatusOK, out)
}

func alterOffsets(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	body, rerr := readBody(r)
	if rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	var req alterOffsetsRequest
	if rerr := decodeStrict(body, &req); rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	offs := make([]connectors.PartitionOffset, len(req.Offsets))
	for i, o := range req.Offsets {
		offs[i] = connectors.PartitionOffset{Partition: o.Partition, Offset: o.Offset}
		numbers(offs[i].Partition)
		numbers(offs[i].Offset)
	}
	// A change of offsets is carried through even if the client hangs up.
	ctx := context.WithoutCancel(r.Context())
	msg, err := call(a, func() (string, error) { return a.h.AlterOffsets(ctx, name, offs) })
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, message{msg})
}

func resetOffsets(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("connector")
	ctx := context.WithoutCancel(r.Context())
	msg, err := call(a, func() (string, error) { return a.h.ResetOffsets(ctx, name) })
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, message{msg})
}

func listPlugins(a *api, w http.ResponseWriter, r *http.Request) {
	types := []connectors.PluginType{connectors.SinkType, connectors.SourceType}
	// connectorsOnly defaults to true; given, only "true" is true.
	if q := r.URL.Query(); q.Has("connectorsOnly") && !queryBool(r, "connectorsOnly") {
		types = append(types, connectors.TransformationType, connectors.PredicateType, connectors.ConverterType,
			connectors.HeaderConverterType)
	}
	plugins := a.h.Plugins(types...)
	out := make([]pluginInfo, len(plugins))
	for i, p := range plugins {
		out[i] = pluginOf(p)
	}
	writeJSON(w, http.StatusOK, out)
}

func pluginConfig(a *api, w http.ResponseWriter, r *http.Request) {
	keys, err := a.h.PluginConfig(r.PathValue("plugin"))
	if err != nil {
		writeHerderError(w, err)
		return
	}
	if keys == nil {
		keys = []config.KeyInfo{}
	}
	writeJSON(w, http.StatusOK, keys)
}

func validate(a *api, w http.ResponseWriter, r *http.Request) {
	values, ok := configBody(w, r)
	if !ok {
		return
	}
	cfg, rerr := requireValues(values)
	if rerr != nil {
		writeError(w, rerr.status, rerr.msg)
		return
	}
	plugin := r.PathValue("plugin")
	infos, err := call(a, func() (*runner.ConfigInfos, error) { return a.h.Validate(plugin, cfg) })
	if err != nil {
		writeHerderError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, infos)
}

func levelOf(s logging.Setting) loggerLevel {
	l := loggerLevel{Level: s.Level}
	if !s.Modified.IsZero() {
		ms := s.Modified.UnixMilli()
		l.LastModified = &ms
	}
	return l
}

func listLoggers(a *api, w http.ResponseWriter, r *http.Request) {
	all := a.loggers.All()
	out := make(map[string]loggerLevel, len(all))
	for name, s := range all {
		out[name] = levelOf(s)
	}
	writeJSON(w, http.StatusOK, out)
}

func getLogger(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("logger")
	s, ok := a.loggers.Get(name)
	if !ok {
		writeError(w, http.StatusNotFound, "Logger "+name+" not found.")
		return
	}
	writeJSON(w, http.StatusOK, levelOf(s))
}

func setLogger(a *api, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("logger")
	values, ok := configBody(w, r)
	if !ok {
		return
	}
	level := values["level"]
	if level == nil {
		writeError(w, http.StatusBadRequest, "Desired 'level' parameter was not specified in request.")
		return
	}
	// Apache answers an unknown level with 404; clients rely on the status, so it is kept.
	if !logging.ValidLevel(*level) {
		writeError(w, http.StatusNotFound, "invalid log level '"+*level+"'.")
		return
	}
	scope := r.URL.Query().Get("scope")
	a.log.Info().Str("namespace", name).Str("level", strings.ToUpper(*level)).Str("scope", scope).
		Msg("setting the level of a logger namespace and its children")
	changed, err := a.loggers.Set(name, *level)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	// Standalone has one worker: the cluster scope is applied here, answered as Apache answers it.
	if strings.EqualFold(scope, "cluster") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, changed)
}
