package runner

import (
	"fmt"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/converters"
	"github.com/connect-standalone/connect-standalone/offsets"
)

// Config is what the runner needs from the process: the worker's configuration and the shared services.
type Config struct {
	// Worker is the worker configuration, config providers already resolved.
	Worker map[string]string
	// Providers resolve ${provider:path:key} references in connector configurations.
	Providers *config.Providers
	Registry  *connectors.Registry
	Offsets   *offsets.FileStore
	// Bootstrap are the Kafka brokers every client connects to.
	Bootstrap []string
	// KafkaVersion is the protocol version negotiated with the brokers.
	KafkaVersion sarama.KafkaVersion
	// WorkerID names this worker in statuses (advertised host:port of the REST listener).
	WorkerID string
	// StateFile is where connectors created or changed through REST are saved so that a restart brings them
	// back (config.ConnectorsStateFilePath gives it from the worker configuration); empty: not saved
	// (Apache's behaviour).
	StateFile string
	Log       zerolog.Logger
	// Loggers, when set, returns the named logger of a component (see package logging): the herder, the
	// task workers and each task's plugin log under Apache's class names, so that /admin/loggers reaches
	// them. Unset: everything logs to Log.
	Loggers func(name string) zerolog.Logger
}

// logger returns a component's named logger.
func (c Config) logger(name string) zerolog.Logger {
	if c.Loggers == nil {
		return c.Log
	}
	return c.Loggers(name)
}

// env is what the herder builds tasks from besides their connectors' configurations: the worker
// configuration and what it names. New sets it and Reconfigure replaces it whole, under the herder's
// operation lock; readers load it once per operation, so a task is always built from one env.
type env struct {
	worker       map[string]string
	providers    *config.Providers
	bootstrap    []string
	kafkaVersion sarama.KafkaVersion
	workerID     string
	stateFile    string
	set          settings
}

func newEnv(worker map[string]string, providers *config.Providers, bootstrap []string, version sarama.KafkaVersion,
	workerID, stateFile string) (*env, error) {
	set, err := parseSettings(worker)
	if err != nil {
		return nil, err
	}
	return &env{worker: worker, providers: providers, bootstrap: bootstrap, kafkaVersion: version, workerID: workerID,
		stateFile: stateFile, set: set}, nil
}

// resolve applies the config providers to a configuration.
func (e *env) resolve(cfg map[string]string) (map[string]string, error) {
	if e.providers == nil {
		return cfg, nil
	}
	return e.providers.Resolve(cfg)
}

// tune applies what every Kafka client of the worker shares.
func (e *env) tune(c *sarama.Config) {
	c.Version = e.kafkaVersion
}

// settings are the worker keys the runner acts on, parsed once.
type settings struct {
	flushInterval      time.Duration
	flushTimeout       time.Duration
	shutdownTimeout    time.Duration
	topicTracking      bool
	topicTrackingReset bool
}

func parseSettings(worker map[string]string) (settings, error) {
	v, err := config.WorkerDef().Parse(worker)
	if err != nil {
		return settings{}, err
	}
	return settings{
		flushInterval:      time.Duration(v.Long("offset.flush.interval.ms")) * time.Millisecond,
		flushTimeout:       time.Duration(v.Long("offset.flush.timeout.ms")) * time.Millisecond,
		shutdownTimeout:    time.Duration(v.Long("task.shutdown.graceful.timeout.ms")) * time.Millisecond,
		topicTracking:      v.Bool(config.TopicTrackingEnable),
		topicTrackingReset: v.Bool(config.TopicTrackingAllowReset),
	}, nil
}

// converterSet is the converters one task uses, with their Java class names for error reports.
type converterSet struct {
	key, value                        converters.Converter
	header                            converters.HeaderConverter
	keyClass, valueClass, headerClass string
}

// newConverters builds a task's converters. A converter named in the connector config replaces the
// worker's and is configured only from the connector's own prefixed keys, as in Apache.
func newConverters(reg *connectors.Registry, worker, conn map[string]string) (converterSet, error) {
	var cs converterSet
	for _, c := range []struct {
		key   string
		dst   *converters.Converter
		class *string
	}{{"key.converter", &cs.key, &cs.keyClass}, {"value.converter", &cs.value, &cs.valueClass}} {
		class, props := converterProps(c.key, worker, conn)
		if class == "" {
			return cs, fmt.Errorf("%s: Missing required configuration %q which has no default value.", c.key, c.key)
		}
		p, ok := reg.Lookup(class, connectors.ConverterType)
		if !ok {
			return cs, fmt.Errorf("Invalid value %s for configuration %s: Class %s could not be found.", class, c.key, class)
		}
		conv, ok := p.New().(converters.Converter)
		if !ok {
			return cs, fmt.Errorf("%s: %s is not a converter", c.key, class)
		}
		if err := conv.Configure(props, c.key == "key.converter"); err != nil {
			return cs, fmt.Errorf("%s %s: %w", c.key, class, err)
		}
		*c.dst, *c.class = conv, p.Class
	}
	class, props := converterProps("header.converter", worker, conn)
	if class == "" {
		class = "org.apache.kafka.connect.storage.SimpleHeaderConverter"
	}
	p, ok := reg.Lookup(class, connectors.HeaderConverterType)
	if !ok {
		return cs, fmt.Errorf("Invalid value %s for configuration header.converter: Class %s could not be found.", class, class)
	}
	hc, ok := p.New().(converters.HeaderConverter)
	if !ok {
		return cs, fmt.Errorf("header.converter: %s is not a header converter", class)
	}
	if err := hc.Configure(props); err != nil {
		return cs, fmt.Errorf("header.converter %s: %w", class, err)
	}
	cs.header, cs.headerClass = hc, p.Class
	return cs, nil
}

// converterProps picks the class and prefixed keys for one converter from the connector config when it
// names the converter, else from the worker config.
func converterProps(key string, worker, conn map[string]string) (string, map[string]string) {
	src := worker
	if c := strings.TrimSpace(conn[key]); c != "" {
		src = conn
	}
	props := map[string]string{}
	prefix := key + "."
	for k, v := range src {
		if strings.HasPrefix(k, prefix) {
			props[k[len(prefix):]] = v
		}
	}
	props["converter.type"] = strings.TrimSuffix(key, ".converter")
	return strings.TrimSpace(src[key]), props
}
