package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/runner/kafka"
)

// probe asks the broker about topics over one connection of its own: one small request per question, so
// that watching a run costs the broker next to nothing.
type probe struct {
	b   *sarama.Broker
	cfg *sarama.Config
}

func newProbe(addr string) (*probe, error) {
	cfg := sarama.NewConfig()
	cfg.ClientID = "connect-standalone-bench-probe"
	cfg.Net.DialTimeout = 5 * time.Second
	cfg.Net.ReadTimeout = 10 * time.Second
	cfg.Net.WriteTimeout = 10 * time.Second
	b := sarama.NewBroker(addr)
	if err := b.Open(cfg); err != nil {
		return nil, err
	}
	if ok, err := b.Connected(); !ok {
		return nil, fmt.Errorf("connecting to the broker at %s: %w", addr, err)
	}
	return &probe{b: b, cfg: cfg}, nil
}

func (p *probe) close() { _ = p.b.Close() }

// endOffset returns the end offset of partition 0 of topic, the number of records it holds (topics here
// have one partition and nothing deletes records); a topic that does not exist yet holds none.
func (p *probe) endOffset(topic string) (int64, error) {
	req := sarama.NewOffsetRequest(p.cfg.Version)
	req.AddBlock(topic, 0, sarama.OffsetNewest, 1)
	resp, err := p.b.GetAvailableOffsets(req)
	if err != nil {
		return 0, fmt.Errorf("listing the end offset of %s: %w", topic, err)
	}
	blk := resp.GetBlock(topic, 0)
	switch {
	case blk == nil || errors.Is(blk.Err, sarama.ErrUnknownTopicOrPartition):
		return 0, nil
	case !errors.Is(blk.Err, sarama.ErrNoError):
		return 0, fmt.Errorf("listing the end offset of %s: %w", topic, blk.Err)
	case len(blk.Offsets) > 0:
		return blk.Offsets[0], nil
	}
	return blk.Offset, nil
}

// deleteTopic drops a topic the bench no longer needs, so that the broker's memory does not grow from run
// to run and every run meets the same broker.
func (p *probe) deleteTopic(topic string) error {
	resp, err := p.b.DeleteTopics(sarama.NewDeleteTopicsRequest(p.cfg.Version, []string{topic}, 10*time.Second))
	if err != nil {
		return fmt.Errorf("deleting topic %s: %w", topic, err)
	}
	if kerr, ok := resp.TopicErrorCodes[topic]; ok && kerr != sarama.ErrNoError && kerr != sarama.ErrUnknownTopicOrPartition {
		return fmt.Errorf("deleting topic %s: %w", topic, kerr)
	}
	return nil
}

// Client settings of the ceiling programs.
const (
	// settingsConnect: exactly what the runner gives a source task's producer or a sink task's consumer,
	// built by runner/kafka from the same worker keys (acks=all, one request in flight, range assignor...).
	settingsConnect = "connect"
	// settingsDefault: sarama's own defaults, for reference (acks=1, five requests in flight...).
	settingsDefault = "default"
)

// producerConfig returns the producer configuration of a ceiling run. With the connect settings it is
// built from the worker configuration (bootstrap.servers and any producer.* keys) as the runner builds it.
func producerConfig(ctx context.Context, settings string, worker map[string]string, name string) (*sarama.Config, error) {
	switch settings {
	case settingsDefault:
		return sarama.NewConfig(), nil
	case settingsConnect:
		props, err := kafka.ProducerProps(worker, map[string]string{}, name, 0)
		if err != nil {
			return nil, err
		}
		cfg, _, err := kafka.ProducerConfig(props, props["client.id"])
		if err != nil {
			return nil, err
		}
		if cfg.Version, err = negotiate(ctx, worker); err != nil {
			return nil, err
		}
		// As the runner sets them: it acknowledges offsets from the successes.
		cfg.Producer.Return.Successes = true
		cfg.Producer.Return.Errors = true
		return cfg, nil
	}
	return nil, fmt.Errorf("unknown settings %q (want %s or %s)", settings, settingsConnect, settingsDefault)
}

// consumerConfig returns the consumer-group configuration of a ceiling run and the group to join, built
// like producerConfig.
func consumerConfig(ctx context.Context, settings string, worker map[string]string, name string) (*sarama.Config, string, error) {
	switch settings {
	case settingsDefault:
		cfg := sarama.NewConfig()
		// The one change the job needs: the records were there before the group.
		cfg.Consumer.Offsets.Initial = sarama.OffsetOldest
		return cfg, "bench-" + name, nil
	case settingsConnect:
		props, err := kafka.ConsumerProps(worker, map[string]string{}, name, 0)
		if err != nil {
			return nil, "", err
		}
		cfg, _, err := kafka.ConsumerConfig(props, props["group.id"], props["client.id"])
		if err != nil {
			return nil, "", err
		}
		if cfg.Version, err = negotiate(ctx, worker); err != nil {
			return nil, "", err
		}
		cfg.Consumer.Return.Errors = true
		return cfg, kafka.GroupID(props), nil
	}
	return nil, "", fmt.Errorf("unknown settings %q (want %s or %s)", settings, settingsConnect, settingsDefault)
}

// properties are key=value settings given one per flag, such as -worker producer.linger.ms=5.
type properties map[string]string

func (p properties) String() string { return strings.Join(p.pairs(), ",") }

// pairs returns the settings as key=value, sorted by key.
func (p properties) pairs() []string {
	keys := slices.Sorted(maps.Keys(p))
	for i, k := range keys {
		keys[i] = k + "=" + p[k]
	}
	return keys
}

func (p properties) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q: want key=value", s)
	}
	p[strings.TrimSpace(k)] = v
	return nil
}

// negotiate picks the protocol version as the runner does at start-up.
func negotiate(ctx context.Context, worker map[string]string) (sarama.KafkaVersion, error) {
	addrs, err := kafka.BootstrapServers(kafka.WorkerAdminProps(worker))
	if err != nil {
		return sarama.KafkaVersion{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, version, _, err := kafka.LookupCluster(ctx, worker, addrs)
	return version, err
}

// produceFile sends every line of a file (without its "\n") as one record to partition 0 of topic,
// reading line by line as a plain producer program would, and returns once every record was acknowledged
// or ctx ended.
func produceFile(ctx context.Context, cfg *sarama.Config, addr, topic, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	p, err := sarama.NewAsyncProducer([]string{addr}, cfg)
	if err != nil {
		return 0, fmt.Errorf("starting the producer: %w", err)
	}
	var acked, failed atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var drained sync.WaitGroup
	drained.Add(2)
	go func() {
		defer drained.Done()
		for range p.Successes() {
			acked.Add(1)
		}
	}()
	go func() {
		defer drained.Done()
		for e := range p.Errors() {
			failed.Add(1)
			errOnce.Do(func() { firstErr = e.Err })
		}
	}()
	r := bufio.NewReaderSize(f, 64<<10)
	var sent int64
	var readErr error
	for {
		line, err := r.ReadSlice('\n')
		if len(line) > 0 {
			if line[len(line)-1] == '\n' {
				line = line[:len(line)-1]
			}
			select {
			case p.Input() <- &sarama.ProducerMessage{Topic: topic, Partition: -1, Value: sarama.ByteEncoder(append([]byte(nil), line...))}:
				sent++
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			break
		}
	}
	p.AsyncClose()
	drained.Wait()
	switch {
	case ctx.Err() != nil:
		return sent, fmt.Errorf("stopped after %d records: %w", sent, ctx.Err())
	case readErr != nil:
		return sent, fmt.Errorf("reading %s: %w", path, readErr)
	case failed.Load() > 0:
		return sent, fmt.Errorf("%d of %d records failed, the first with: %w", failed.Load(), sent, firstErr)
	case cfg.Producer.Return.Successes && acked.Load() != sent:
		return sent, fmt.Errorf("%d records sent but %d acknowledged", sent, acked.Load())
	}
	return sent, nil
}
