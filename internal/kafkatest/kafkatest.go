// Package kafkatest gives tests a real Kafka-protocol broker (franz-go's kfake, over TCP on loopback) and an
// independent Kafka client (franz-go's kgo) to put records on topics and read them back. The code under test
// talks to the broker through sarama; checking it with a different client keeps the tests honest.
package kafkatest

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Broker is a kfake cluster started by a test.
type Broker struct {
	t       testing.TB
	cluster *kfake.Cluster
	port    int
	dataDir string
}

// Options configure a test broker.
type Options struct {
	// DataDir persists the broker's log, so that a restarted broker keeps its records.
	DataDir string
}

// Start starts a broker on 127.0.0.1; it is closed when the test ends.
func Start(t testing.TB, o Options) *Broker {
	t.Helper()
	b := &Broker{t: t, dataDir: o.DataDir}
	c, err := kfake.NewCluster(b.opts()...)
	if err != nil {
		t.Fatalf("starting kfake: %v", err)
	}
	b.cluster = c
	_, port, _ := net.SplitHostPort(c.ListenAddrs()[0])
	b.port, _ = strconv.Atoi(port)
	t.Cleanup(b.Close)
	return b
}

// opts are the kfake options of the broker: one broker on b.port (0: a free one) with auto-created topics
// of one partition, keeping its log in b.dataDir if there is one.
func (b *Broker) opts() []kfake.Opt {
	opts := []kfake.Opt{kfake.NumBrokers(1), kfake.Ports(b.port), kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(1), kfake.ClusterID("kfake")}
	if b.dataDir != "" {
		opts = append(opts, kfake.DataDir(b.dataDir))
	}
	return opts
}

// Addr is the broker's host:port.
func (b *Broker) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(b.port)) }

// Close stops the broker (idempotent).
func (b *Broker) Close() {
	if b.cluster != nil {
		b.cluster.Close()
		b.cluster = nil
	}
}

// Restart starts the broker again on the same port (with the same data directory, if any).
func (b *Broker) Restart() {
	b.t.Helper()
	b.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := kfake.NewCluster(b.opts()...)
		if err == nil {
			b.cluster = c
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("restarting kfake on port %d: %v", b.port, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Record is a record read back from a topic.
type Record struct {
	Key, Value []byte
	// KeyNull and ValueNull tell a null key or value from an empty one.
	KeyNull, ValueNull bool
	Headers            []kgo.RecordHeader
	Partition          int32
	Offset             int64
	Timestamp          time.Time
}

// Read reads records of a topic from the beginning until it has n of them or the timeout expires, and
// returns what it has.
func (b *Broker) Read(topic string, n int, timeout time.Duration) []Record {
	b.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		b.t.Fatalf("kgo client: %v", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out []Record
	for len(out) < n && ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		fs.EachRecord(func(r *kgo.Record) {
			out = append(out, Record{Key: r.Key, Value: r.Value, KeyNull: r.Key == nil, ValueNull: r.Value == nil,
				Headers: r.Headers, Partition: r.Partition, Offset: r.Offset, Timestamp: r.Timestamp})
		})
	}
	return out
}

// Produce puts records on a topic (nil value: a tombstone), synchronously.
func (b *Broker) Produce(topic string, records ...*kgo.Record) {
	b.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()), kgo.DefaultProduceTopic(topic), kgo.AllowAutoTopicCreation())
	if err != nil {
		b.t.Fatalf("kgo client: %v", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		b.t.Fatalf("producing to %s: %v", topic, err)
	}
}

// Values returns the values of records as strings, for compact assertions.
func Values(rs []Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		if r.ValueNull {
			out[i] = "<null>"
			continue
		}
		out[i] = string(r.Value)
	}
	return out
}

// Eventually polls cond every 20 ms until it holds or timeout passes; it reports the last failure.
func Eventually(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s: %v", timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Topic describes a topic as the broker holds it.
type Topic struct {
	Partitions int
	Configs    map[string]string
}

// Describe returns a topic's partition count and its explicitly set configs; ok is false when it does not
// exist.
func (b *Broker) Describe(topic string) (t Topic, ok bool) {
	b.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()))
	if err != nil {
		b.t.Fatalf("kgo client: %v", err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	details, err := adm.ListTopics(ctx, topic)
	if err != nil {
		b.t.Fatalf("listing topic %s: %v", topic, err)
	}
	d, found := details[topic]
	if !found || d.Err != nil {
		return t, false
	}
	t.Partitions = len(d.Partitions)
	t.Configs = map[string]string{}
	rcs, err := adm.DescribeTopicConfigs(ctx, topic)
	if err != nil {
		b.t.Fatalf("describing configs of %s: %v", topic, err)
	}
	for _, rc := range rcs {
		for _, c := range rc.Configs {
			if c.Source == kmsg.ConfigSourceDynamicTopicConfig && c.Value != nil {
				t.Configs[c.Key] = *c.Value
			}
		}
	}
	return t, true
}
