// Package file provides the FileStreamSource and FileStreamSink connectors, the built-in counterparts of
// Apache Kafka's connect-file plugin: the source turns each line of a file (or of standard input) into a
// record, the sink appends each record's value as a line to a file (or to standard output).
//
// Both keep Apache's class names, configuration keys, source partitions and offsets, so that configuration
// files and offsets written for Apache work unchanged. They differ from Apache where Apache is broken:
// source positions count bytes (Apache counts UTF-16 units, which garbles non-ASCII files on restart), a
// stored position past the end of the file no longer hangs the task, complete lines are never held back
// behind a full batch, and the sink reports write errors and fsyncs before offsets are committed.
package file

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strconv"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Class names, as Apache names the connectors.
const (
	SourceClass = "org.apache.kafka.connect.file.FileStreamSourceConnector"
	SinkClass   = "org.apache.kafka.connect.file.FileStreamSinkConnector"
)

// Version is the version both connectors report: the Apache Kafka release whose behaviour they follow.
const Version = connectors.APIVersion

// Configuration keys.
const (
	FileKey      = "file"
	TopicKey     = "topic"
	BatchSizeKey = "batch.size"
)

// DefaultBatchSize is the default of batch.size: the most records one Poll returns.
const DefaultBatchSize = 2000

// Keys of the source partition and source offset maps, as Apache stores them.
const (
	filenameField = "filename"
	positionField = "position"
)

// Plugins returns the two connectors for the plugin registry.
func Plugins() []connectors.Plugin {
	return []connectors.Plugin{
		{Class: SourceClass, Type: connectors.SourceType, Version: Version, New: func() any { return &SourceConnector{} }},
		{Class: SinkClass, Type: connectors.SinkType, Version: Version, New: func() any { return &SinkConnector{} }},
	}
}

// sourceKeys defines the source connector's own keys exactly as Apache's ConfigDef does (REST fixture 006).
// Like Apache's short define(), they have no group, order or display name: the REST API shows order -1 and
// the key name.
func sourceKeys() []config.Key {
	return []config.Key{
		{Name: FileKey, Type: config.String, Importance: config.High,
			Doc: "Source filename. If not specified, the standard input will be used"},
		{Name: TopicKey, Type: config.String, Required: true, Validator: config.NonEmptyString(),
			Importance: config.High, Doc: "The topic to publish data to"},
		{Name: BatchSizeKey, Type: config.Int, Default: int32(DefaultBatchSize), Importance: config.Low,
			Doc: "The maximum number of records the source task can read from the file each time it is polled"},
	}
}

// sinkKeys defines the sink connector's own key (REST fixture 007); topics and topics.regex are framework keys.
func sinkKeys() []config.Key {
	return []config.Key{
		{Name: FileKey, Type: config.String, Importance: config.High,
			Doc: "Destination filename. If not specified, the standard output will be used"},
	}
}

// fileSetting reads the file key: (name, true) when it is set, even empty; ("", false) when absent, which
// Apache keeps as null (visible in the stdin source partition).
func fileSetting(cfg map[string]string) (string, bool) {
	v, ok := cfg[FileKey]
	if !ok {
		return "", false
	}
	return config.JavaTrim(v), true
}

// sourceConfig is the parsed configuration of the source connector and task.
type sourceConfig struct {
	file      string
	fileSet   bool
	topic     string
	batchSize int
}

// parseSourceConfig parses the source keys with ConfigDef's rules and error texts, so that a configuration
// the runner let through but a task cannot use fails with the message Apache would give.
func parseSourceConfig(cfg map[string]string) (sourceConfig, error) {
	var c sourceConfig
	c.file, c.fileSet = fileSetting(cfg)
	topic, ok := cfg[TopicKey]
	if !ok {
		return c, fmt.Errorf("Missing required configuration %q which has no default value.", TopicKey)
	}
	c.topic = config.JavaTrim(topic)
	if c.topic == "" {
		return c, fmt.Errorf("Invalid value %s for configuration %s: String must be non-empty", c.topic, TopicKey)
	}
	c.batchSize = DefaultBatchSize
	if v, ok := cfg[BatchSizeKey]; ok {
		n, err := strconv.ParseInt(config.JavaTrim(v), 10, 32)
		if err != nil {
			return c, fmt.Errorf("Invalid value %s for configuration %s: Not a number of type INT", v, BatchSizeKey)
		}
		c.batchSize = int(n)
	}
	return c, nil
}

// SourceConnector is FileStreamSourceConnector: one task reading one file or standard input.
type SourceConnector struct {
	cfg map[string]string
}

var (
	_ connectors.Source        = (*SourceConnector)(nil)
	_ connectors.OffsetAlterer = (*SourceConnector)(nil)
)

// Version implements connectors.Connector.
func (c *SourceConnector) Version() string { return Version }

// Config implements connectors.Connector.
func (c *SourceConnector) Config() *config.Def { return config.NewDef(sourceKeys()...) }

// Start checks the configuration and keeps it for the task.
func (c *SourceConnector) Start(cfg map[string]string) error {
	if _, err := parseSourceConfig(cfg); err != nil {
		return err
	}
	c.cfg = maps.Clone(cfg)
	return nil
}

// TaskConfigs returns a single task configuration whatever maxTasks is: one reader per file makes sense.
func (c *SourceConnector) TaskConfigs(int) ([]map[string]string, error) {
	if c.cfg == nil {
		return nil, errors.New("FileStreamSourceConnector: task configurations requested before Start")
	}
	return []map[string]string{maps.Clone(c.cfg)}, nil
}

// Stop implements connectors.Connector; the connector has nothing running of its own.
func (c *SourceConnector) Stop() error { return nil }

// NewTask implements connectors.Source.
func (c *SourceConnector) NewTask() connectors.SourceTask { return &SourceTask{} }

// AlterOffsets checks offsets set through the REST API with Apache's rules and messages: null offsets are
// always allowed (so stray partitions can be cleaned up); any other offset needs a non-negative integer
// position, and a partition with a filename. Whether the position fits the file is checked by the task when
// it opens the file.
func (c *SourceConnector) AlterOffsets(cfg map[string]string, offsets []connectors.PartitionOffset) (bool, error) {
	if name, _ := fileSetting(cfg); name == "" {
		return false, errors.New("Offsets cannot be modified if the 'file' configuration is unspecified. " +
			"This is because stdin is used for input and offsets are not tracked.")
	}
	for _, po := range offsets {
		if po.Offset == nil {
			continue
		}
		v, ok := po.Offset[positionField]
		if !ok {
			return false, errors.New("Offset objects should either be null or contain the key 'position'")
		}
		pos, ok := asInt64(v)
		if !ok {
			return false, errors.New("The value for the 'position' key in the offset is expected to be a Long value")
		}
		if pos < 0 {
			return false, errors.New("The value for the 'position' key in the offset should be a non-negative value")
		}
		if po.Partition == nil {
			return false, errors.New("Partition objects cannot be null")
		}
		if _, ok := po.Partition[filenameField]; !ok {
			return false, errors.New("Partition objects should contain the key 'filename'")
		}
	}
	return true, nil
}

// asInt64 accepts the integer types a decoded offset may hold. Apache requires a Long; every integral JSON
// number decodes to one there, so any Go integer counts, but a float or a string does not.
func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case int8:
		return int64(n), true
	case json.Number: // from a decoder using UseNumber: only an integer literal counts
		if i, err := n.Int64(); err == nil {
			return i, true
		}
	}
	return 0, false
}

// SinkConnector is FileStreamSinkConnector: tasks.max tasks appending to the same file or to standard output.
type SinkConnector struct {
	cfg map[string]string
}

var _ connectors.Sink = (*SinkConnector)(nil)

// Version implements connectors.Connector.
func (c *SinkConnector) Version() string { return Version }

// Config implements connectors.Connector.
// AlterOffsets accepts any offsets altered through the REST API: the sink keeps no offsets of its own (its
// positions are the consumer group's), as Apache's FileStreamSinkConnector says.
func (c *SinkConnector) AlterOffsets(map[string]string, []connectors.PartitionOffset) (bool, error) {
	return true, nil
}

func (c *SinkConnector) Config() *config.Def { return config.NewDef(sinkKeys()...) }

// Start keeps the configuration for the tasks.
func (c *SinkConnector) Start(cfg map[string]string) error {
	c.cfg = maps.Clone(cfg)
	return nil
}

// TaskConfigs returns maxTasks identical configurations, as Apache does: every task appends to the same file.
func (c *SinkConnector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	if c.cfg == nil {
		return nil, errors.New("FileStreamSinkConnector: task configurations requested before Start")
	}
	out := make([]map[string]string, 0, max(maxTasks, 0))
	for range maxTasks {
		out = append(out, maps.Clone(c.cfg))
	}
	return out, nil
}

// Stop implements connectors.Connector; the connector has nothing running of its own.
func (c *SinkConnector) Stop() error { return nil }

// NewTask implements connectors.Sink.
func (c *SinkConnector) NewTask() connectors.SinkTask { return &SinkTask{} }
