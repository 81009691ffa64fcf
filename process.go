package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/broker"
	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/file"
	"github.com/connect-standalone/connect-standalone/converters"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/rest"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
	"github.com/connect-standalone/connect-standalone/runner/reload"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// restShutdownTimeout bounds the wait for in-flight REST requests at shutdown.
const restShutdownTimeout = 10 * time.Second

// process is everything one run of the command holds.
type process struct {
	ctx     context.Context // ends at SIGINT/SIGTERM
	log     zerolog.Logger
	levels  *logging.Levels
	rest    *rest.Server
	broker  *broker.Broker
	store   *offsets.FileStore
	herder  *runner.Herder
	watcher *reload.Watcher

	workerPath string
	// The worker configuration in effect. Start-up sets it; afterwards only ApplyWorker, called by the
	// watcher one reload at a time, replaces it.
	worker       *workerConfig
	startWorker  *workerConfig     // the one read at start, which the restart-only keys still follow
	clientWorker map[string]string // the worker configuration the clients get (effective bootstrap.servers)
	clusterID    string
	kafkaVersion sarama.KafkaVersion
	// shutdownTimeout is task.shutdown.graceful.timeout.ms, read when the process stops.
	shutdownTimeout atomic.Int64
}

// workerConfig is a worker file read and checked the way start-up and every reload check it.
type workerConfig struct {
	file      *config.File
	hash      string
	worker    map[string]string // config providers resolved
	values    config.Values
	providers *config.Providers
	rest      rest.Config
}

// readWorker parses and validates the content of the worker file. Errors name the file, the line and the
// key.
func readWorker(path string, data []byte) (*workerConfig, error) {
	wf, err := config.ParseProperties(path, data)
	if err != nil {
		return nil, err
	}
	providers, err := config.NewProviders(wf.Props)
	if err != nil {
		return nil, wf.Annotate(err)
	}
	worker, err := providers.ResolveWorker(wf.Props)
	if err != nil {
		return nil, wf.Annotate(err)
	}
	values, err := config.WorkerDef().Parse(worker)
	if err != nil {
		return nil, wf.Annotate(err)
	}
	restCfg, err := rest.WorkerConfig(values)
	if err != nil {
		return nil, wf.Annotate(err)
	}
	if _, err := kafka.ParseOverridePolicy(worker[config.ClientOverridePolicy]); err != nil {
		return nil, wf.Annotate(&config.Error{Key: config.ClientOverridePolicy, Msg: err.Error()})
	}
	return &workerConfig{file: wf, hash: reload.Hash(data), worker: worker, values: values, providers: providers, rest: restCfg}, nil
}

// start reads the worker file and starts the services; any error is a worker-configuration or start-up
// error (exit 2), and names the file, line and key where it can.
func start(ctx context.Context, workerPath string, stderr io.Writer) (*process, error) {
	data, err := os.ReadFile(workerPath)
	if err != nil {
		return nil, fmt.Errorf("reading properties: %w", err)
	}
	wc, err := readWorker(workerPath, data)
	if err != nil {
		return nil, err
	}
	levels, err := logging.New(stderr, wc.values.String(config.LogLevel), wc.values.String(config.LogFormat))
	if err != nil {
		return nil, wc.file.Annotate(&config.Error{Key: config.LogLevel, Msg: err.Error()})
	}
	p := &process{ctx: ctx, log: levels.Logger(logging.CommandLineName), levels: levels, workerPath: workerPath, worker: wc,
		startWorker: wc}
	p.warnUnknown(wc)
	p.shutdownTimeout.Store(int64(time.Duration(wc.values.Long(config.TaskShutdownTimeout)) * time.Millisecond))
	ok := false
	defer func() {
		if !ok {
			p.shutdown()
		}
	}()

	// The REST ports are bound first, as Apache does: a second worker on the same port fails at once, and the
	// worker id (shown in statuses) can carry the port actually bound. Until the herder exists requests are
	// answered 503.
	if p.rest, err = rest.Listen(p.restConfig(wc)); err != nil {
		return nil, err
	}

	if listeners := wc.values.List(config.EmbeddedBrokerListeners); len(listeners) > 0 {
		b, err := broker.Start(broker.Config{Listeners: listeners, DataDir: wc.values.String(config.EmbeddedBrokerDataDir)},
			levels.Logger(logging.BrokerName))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", workerPath, err)
		}
		p.broker = b
	}
	bootstrap := p.bootstrapOf(wc)
	p.clientWorker = clientWorker(wc, bootstrap)

	p.store, err = offsets.Open(wc.values.String(config.OffsetStorageFile), levels.Logger(logging.OffsetStoreName))
	if err != nil {
		return nil, wc.file.Annotate(&config.Error{Key: config.OffsetStorageFile, Msg: err.Error()})
	}

	p.clusterID, p.kafkaVersion, err = connectKafka(ctx, p.clientWorker, bootstrap, p.log)
	if err != nil {
		return nil, err
	}
	p.log.Info().Strs("bootstrap.servers", bootstrap).Str("kafka_cluster_id", p.clusterID).Stringer("protocol", p.kafkaVersion).Msg("connected to Kafka")

	registry := connectors.NewRegistry(slices.Concat(file.Plugins(), converters.Plugins(), transforms.Plugins())...)
	p.herder, err = runner.New(runner.Config{
		Worker:       p.clientWorker,
		Providers:    wc.providers,
		Registry:     registry,
		Offsets:      p.store,
		Bootstrap:    bootstrap,
		KafkaVersion: p.kafkaVersion,
		WorkerID:     p.rest.WorkerID(),
		StateFile:    config.ConnectorsStateFilePath(wc.values),
		Log:          levels.Logger(logging.HerderName),
		Loggers:      levels.Logger,
	})
	if err != nil {
		return nil, wc.file.Annotate(err)
	}
	p.rest.Start(p.herder, p.clusterID)
	ok = true
	return p, nil
}

// restConfig is the REST server's configuration for a worker configuration.
func (p *process) restConfig(wc *workerConfig) rest.Config {
	c := wc.rest
	c.Commit, c.Loggers, c.Log = version, p.levels, p.levels.Logger(logging.RestServerName)
	return c
}

// warnUnknown logs Apache's warning for each key of the worker file that no definition knows.
func (p *process) warnUnknown(wc *workerConfig) {
	for _, k := range config.WorkerDef().Unknown(wc.worker, config.WorkerPrefixes()...) {
		p.log.Warn().Str("file", wc.file.Path).Msgf("The configuration '%s' was supplied but isn't a known config.", k)
	}
}

// bootstrapOf is the brokers every client connects to: those the user gave, else the embedded broker's.
func (p *process) bootstrapOf(wc *workerConfig) []string {
	if _, set := wc.worker[config.BootstrapServers]; !set && p.broker != nil {
		return p.broker.Addrs()
	}
	return wc.values.List(config.BootstrapServers)
}

// clientWorker is the worker configuration the clients are built from: every client gets the same
// bootstrap list, the user's or the embedded broker's.
func clientWorker(wc *workerConfig, bootstrap []string) map[string]string {
	w := maps.Clone(wc.worker)
	w[config.BootstrapServers] = strings.Join(bootstrap, ",")
	return w
}

// connectKafka looks up the cluster id and the protocol version to speak (see kafka.LookupCluster), logging
// the warnings of the worker's admin settings.
func connectKafka(ctx context.Context, worker map[string]string, bootstrap []string, log zerolog.Logger) (string, sarama.KafkaVersion, error) {
	id, version, warnings, err := kafka.LookupCluster(ctx, worker, bootstrap)
	for _, w := range warnings {
		log.Warn().Msg(w.String())
	}
	return id, version, err
}

// shutdown stops the file watcher (so that no reload reaches a stopping herder), the REST server (letting
// requests in flight finish), the connectors (final offset commits), then the embedded broker.
func (p *process) shutdown() {
	if p.watcher != nil {
		p.watcher.Stop()
	}
	if p.rest != nil {
		ctx, cancel := context.WithTimeout(context.Background(), restShutdownTimeout)
		if err := p.rest.Shutdown(ctx); err != nil {
			p.log.Warn().Err(err).Msg("REST requests were still running at shutdown")
		}
		cancel()
	}
	if p.herder != nil {
		p.herder.Shutdown()
	}
	if p.store != nil {
		if err := p.store.Flush(); err != nil {
			p.log.Error().Err(err).Msg("final write of the offsets file")
		}
	}
	if p.broker != nil {
		p.broker.Close()
	}
}
