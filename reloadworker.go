package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
	"github.com/connect-standalone/connect-standalone/runner/reload"
)

// restartOnlyKeys are the worker keys whose change takes effect at the next start. The embedded broker
// keeps its topics in memory unless it has a data directory, and every client is connected to it:
// restarting it in place would lose data for a development convenience, so a change is reported instead.
var restartOnlyKeys = []string{config.EmbeddedBrokerListeners, config.EmbeddedBrokerDataDir}

// ApplyWorker applies a new version of the worker file while the process runs (the file watcher calls it,
// one version at a time). The new version is checked first, as at start-up, then applied all at once or
// not at all:
//
//   - a change of the brokers or of the keys the cluster lookup uses looks the cluster id and protocol
//     version up again (waiting up to default.api.timeout.ms), as start-up does;
//   - new listeners are bound before anything else changes; one that cannot be bound fails the reload;
//   - the herder restarts the connectors whose tasks are built from what changed (see
//     runner.Herder.Reconfigure), after their final offset commits;
//   - then the REST server switches to its new listeners, header rules and CORS settings, and log.level
//     and log.format apply to every logger.
func (p *process) ApplyWorker(data []byte) (reload.WorkerResult, error) {
	next, err := readWorker(p.workerPath, data)
	if err != nil {
		return reload.WorkerResult{}, err
	}
	old := p.worker
	var pending []string
	for _, k := range restartOnlyKeys {
		ov, oset := p.startWorker.worker[k]
		nv, nset := next.worker[k]
		if oset != nset || strings.TrimSpace(ov) != strings.TrimSpace(nv) {
			pending = append(pending, k)
		}
	}
	p.warnUnknown(next)

	bootstrap := p.bootstrapOf(next)
	worker := clientWorker(next, bootstrap)
	clusterID, version := p.clusterID, p.kafkaVersion
	if !maps.Equal(kafka.WorkerAdminProps(p.clientWorker), kafka.WorkerAdminProps(worker)) {
		p.log.Info().Strs("bootstrap.servers", bootstrap).Msg("the worker file names other brokers or client settings; connecting")
		if clusterID, version, err = connectKafka(p.ctx, worker, bootstrap, p.log); err != nil {
			return reload.WorkerResult{}, fmt.Errorf("%s: %w", p.workerPath, err)
		}
	}

	rb, err := p.rest.Rebind(p.restConfig(next))
	if err != nil {
		return reload.WorkerResult{}, fmt.Errorf("%s: %w", p.workerPath, err)
	}
	restarted, err := p.herder.Reconfigure(runner.Reconfig{
		Worker:       worker,
		Providers:    next.providers,
		Bootstrap:    bootstrap,
		KafkaVersion: version,
		WorkerID:     rb.WorkerID(),
		StateFile:    config.ConnectorsStateFilePath(next.values),
	})
	if err != nil {
		rb.Abort()
		return reload.WorkerResult{}, fmt.Errorf("%s: %w", p.workerPath, err)
	}
	rb.Commit()

	if clusterID != p.clusterID {
		p.rest.SetClusterID(clusterID)
		p.log.Info().Strs("bootstrap.servers", bootstrap).Str("kafka_cluster_id", clusterID).Stringer("protocol", version).Msg("connected to Kafka")
	}
	if level := next.values.String(config.LogLevel); !strings.EqualFold(level, old.values.String(config.LogLevel)) {
		// As PUT /admin/loggers/root does: every logger gets the level.
		if _, err := p.levels.Set(logging.RootName, level); err != nil {
			p.log.Error().Err(err).Msg("changing log.level")
		}
	}
	if format := next.values.String(config.LogFormat); format != old.values.String(config.LogFormat) {
		if err := p.levels.SetFormat(format); err != nil {
			p.log.Error().Err(err).Msg("changing log.format")
		}
	}
	p.shutdownTimeout.Store(int64(time.Duration(next.values.Long(config.TaskShutdownTimeout)) * time.Millisecond))
	p.worker, p.clientWorker, p.clusterID, p.kafkaVersion = next, worker, clusterID, version
	return reload.WorkerResult{
		ConnectorsDir:  strings.TrimSpace(next.values.String(config.ConnectorsDir)),
		Restarted:      restarted,
		PendingRestart: slices.Clip(pending),
	}, nil
}
