package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
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
	"github.com/connect-standalone/connect-standalone/transforms"
)

// restShutdownTimeout bounds the wait for in-flight REST requests at shutdown.
const restShutdownTimeout = 10 * time.Second

// process is everything one run of the command holds.
type process struct {
	log             zerolog.Logger
	rest            *rest.Server
	broker          *broker.Broker
	store           *offsets.FileStore
	herder          *runner.Herder
	shutdownTimeout time.Duration
}

// start reads the worker file and starts the services; any error is a worker-configuration or start-up
// error (exit 2), and names the file, line and key where it can.
func start(ctx context.Context, workerPath string, stderr io.Writer) (*process, error) {
	wf, err := config.Load(workerPath)
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
	levels, err := logging.New(stderr, values.String(config.LogLevel), values.String(config.LogFormat))
	if err != nil {
		return nil, wf.Annotate(&config.Error{Key: config.LogLevel, Msg: err.Error()})
	}
	log := levels.Logger(logging.CommandLineName)
	for _, k := range config.WorkerDef().Unknown(worker, config.WorkerPrefixes()...) {
		log.Warn().Str("file", workerPath).Msgf("The configuration '%s' was supplied but isn't a known config.", k)
	}
	p := &process{log: log, shutdownTimeout: time.Duration(values.Long(config.TaskShutdownTimeout)) * time.Millisecond}
	ok := false
	defer func() {
		if !ok {
			p.shutdown()
		}
	}()

	// The REST ports are bound first, as Apache does: a second worker on the same port fails at once, and the
	// worker id (shown in statuses) can carry the port actually bound. Until the herder exists requests are
	// answered 503.
	restCfg, err := rest.WorkerConfig(values)
	if err != nil {
		return nil, wf.Annotate(err)
	}
	restCfg.Commit, restCfg.Loggers, restCfg.Log = version, levels, levels.Logger(logging.RestServerName)
	if p.rest, err = rest.Listen(restCfg); err != nil {
		return nil, err
	}

	bootstrap := values.List(config.BootstrapServers)
	if listeners := values.List(config.EmbeddedBrokerListeners); len(listeners) > 0 {
		b, err := broker.Start(broker.Config{Listeners: listeners, DataDir: values.String(config.EmbeddedBrokerDataDir)},
			levels.Logger(logging.BrokerName))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", workerPath, err)
		}
		p.broker = b
		if _, set := worker[config.BootstrapServers]; !set {
			bootstrap = b.Addrs()
		}
	}
	// Every client gets the same bootstrap list the user gave or the embedded broker's.
	worker[config.BootstrapServers] = strings.Join(bootstrap, ",")

	if _, err := kafka.ParseOverridePolicy(worker[config.ClientOverridePolicy]); err != nil {
		return nil, wf.Annotate(&config.Error{Key: config.ClientOverridePolicy, Msg: err.Error()})
	}

	p.store, err = offsets.Open(values.String(config.OffsetStorageFile), levels.Logger(logging.OffsetStoreName))
	if err != nil {
		return nil, wf.Annotate(&config.Error{Key: config.OffsetStorageFile, Msg: err.Error()})
	}

	clusterID, kafkaVersion, err := connectKafka(ctx, worker, bootstrap, log)
	if err != nil {
		return nil, err
	}
	log.Info().Strs("bootstrap.servers", bootstrap).Str("kafka_cluster_id", clusterID).Stringer("protocol", kafkaVersion).Msg("connected to Kafka")

	registry := connectors.NewRegistry(slices.Concat(file.Plugins(), converters.Plugins(), transforms.Plugins())...)
	p.herder, err = runner.New(runner.Config{
		Worker:       worker,
		Providers:    providers,
		Registry:     registry,
		Offsets:      p.store,
		Bootstrap:    bootstrap,
		KafkaVersion: kafkaVersion,
		WorkerID:     p.rest.WorkerID(),
		StateFile:    config.ConnectorsStateFilePath(values),
		Log:          levels.Logger(logging.HerderName),
		Loggers:      levels.Logger,
	})
	if err != nil {
		return nil, wf.Annotate(err)
	}
	p.rest.Start(p.herder, clusterID)
	ok = true
	return p, nil
}

// connectKafka looks up the cluster id and the protocol version to speak, as Apache does before it starts
// anything; it waits for the brokers up to the admin client's default.api.timeout.ms (60 s by default).
func connectKafka(ctx context.Context, worker map[string]string, bootstrap []string, log zerolog.Logger) (string, sarama.KafkaVersion, error) {
	props := kafka.WorkerAdminProps(worker)
	if props["client.id"] == "" {
		props["client.id"] = "connect-standalone-cluster-lookup"
	}
	cfg, warnings, err := kafka.AdminConfig(props, props["client.id"])
	if err != nil {
		return "", sarama.KafkaVersion{}, err
	}
	for _, w := range warnings {
		log.Warn().Msg(w.String())
	}
	timeout := 60 * time.Second
	if ms, err := strconv.Atoi(strings.TrimSpace(props["default.api.timeout.ms"])); err == nil && ms > 0 {
		timeout = time.Duration(ms) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// ClusterID waits for the brokers (it retries until ctx ends), as Apache's start-up does.
	id, err := kafka.ClusterID(ctx, bootstrap, cfg)
	if err != nil {
		return "", sarama.KafkaVersion{}, err
	}
	v, err := kafka.NegotiateVersion(ctx, bootstrap, cfg)
	if err != nil {
		return "", sarama.KafkaVersion{}, err
	}
	return id, v, nil
}

// shutdown stops the REST server (letting requests in flight finish), the connectors (final offset
// commits), then the embedded broker.
func (p *process) shutdown() {
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
