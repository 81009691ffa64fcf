package kafka

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/connect-standalone/connect-standalone/internal/fixtures"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kversion"
)

// newCluster starts a kfake broker on 127.0.0.1 with a random port and closes it with the test.
func newCluster(t *testing.T, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	opts = append([]kfake.Opt{
		kfake.Ports(0),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) { return net.Listen(network, "127.0.0.1:0") }),
	}, opts...)
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatalf("starting kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

func timeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func adminConfig(t *testing.T, props map[string]string) *sarama.Config {
	t.Helper()
	cfg, _, err := AdminConfig(props, "")
	if err != nil {
		t.Fatalf("AdminConfig: %v", err)
	}
	return cfg
}

func TestNegotiateVersion(t *testing.T) {
	tests := []struct {
		name string
		max  *kversion.Versions
		want sarama.KafkaVersion
	}{
		{"broker capped at Kafka 2.8", kversion.V2_8_0(), sarama.V2_8_2_0},
		{"broker capped at Kafka 3.6", kversion.V3_6_0(), sarama.V3_6_2_0},
		{"broker capped at Kafka 3.9", kversion.V3_9_0(), sarama.V3_9_2_0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, kfake.MaxVersions(tt.max))
			cfg := adminConfig(t, map[string]string{"bootstrap.servers": c.ListenAddrs()[0]})
			got, err := NegotiateVersion(timeout(t, 10*time.Second), c.ListenAddrs(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("NegotiateVersion = %s, want %s", got, tt.want)
			}
		})
	}

	t.Run("uncapped broker", func(t *testing.T) {
		c := newCluster(t)
		cfg := adminConfig(t, map[string]string{"bootstrap.servers": c.ListenAddrs()[0]})
		got, err := NegotiateVersion(timeout(t, 10*time.Second), c.ListenAddrs(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		// kfake implements Kafka 4's request versions (it refuses Produce below v3 and Fetch below v4,
		// as Kafka 4 does), so anything older than 4.0 would be a wrong answer.
		if !got.IsAtLeast(sarama.V4_0_0_0) {
			t.Errorf("NegotiateVersion = %s, want 4.0 or newer", got)
		}
	})
}

func TestClusterID(t *testing.T) {
	for name, opts := range map[string][]kfake.Opt{
		"DescribeCluster":            nil,
		"Metadata, before Kafka 2.8": {kfake.MaxVersions(kversion.V2_4_0())},
	} {
		t.Run(name, func(t *testing.T) {
			c := newCluster(t, append(opts, kfake.ClusterID("test-cluster"))...)
			cfg := adminConfig(t, WorkerAdminProps(map[string]string{"bootstrap.servers": c.ListenAddrs()[0]}))
			id, err := ClusterID(timeout(t, 10*time.Second), c.ListenAddrs(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if id != "test-cluster" {
				t.Errorf("ClusterID = %q, want test-cluster", id)
			}
		})
	}
}

// TestClusterIDMatchesApache: Apache 3.6 reported kfake's default cluster id as kafka_cluster_id.
func TestClusterIDMatchesApache(t *testing.T) {
	data, err := os.ReadFile(fixtures.Dir(t, "rest", "001-root.json"))
	if err != nil {
		t.Fatal(err)
	}
	var root struct {
		Body struct {
			ClusterID string `json:"kafka_cluster_id"`
		} `json:"body"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	c := newCluster(t)
	cfg := adminConfig(t, map[string]string{"bootstrap.servers": c.ListenAddrs()[0]})
	id, err := ClusterID(timeout(t, 10*time.Second), c.ListenAddrs(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if id != root.Body.ClusterID {
		t.Errorf("ClusterID = %q, Apache reported %q", id, root.Body.ClusterID)
	}
}

func TestClusterIDUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	cfg := adminConfig(t, map[string]string{"bootstrap.servers": addr})

	start := time.Now()
	_, err = ClusterID(timeout(t, 700*time.Millisecond), []string{addr}, cfg)
	if err == nil {
		t.Fatal("ClusterID succeeded without a broker")
	}
	if !errors.Is(err, ErrClusterUnreachable) {
		t.Errorf("error %v does not wrap ErrClusterUnreachable", err)
	}
	const apache = "Failed to connect to and describe Kafka cluster. Check worker's broker connection and security properties."
	if !strings.HasPrefix(err.Error(), apache) || !strings.Contains(err.Error(), addr) {
		t.Errorf("error = %q, want Apache's text and the broker address", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("ClusterID took %s, past its context deadline", d)
	}
}

// TestProduceConsume sends records through a producer built from ProducerProps and reads them back
// through a consumer group built from ConsumerProps, checking every byte.
func TestProduceConsume(t *testing.T) {
	c := newCluster(t, kfake.AllowAutoTopicCreation(), kfake.SeedTopics(3, "events"))
	addrs := c.ListenAddrs()
	worker := map[string]string{"bootstrap.servers": addrs[0], "key.converter": "x", "value.converter": "y"}
	ctx := timeout(t, 30*time.Second)

	pprops, err := ProducerProps(worker, map[string]string{"name": "src"}, "src", 0)
	if err != nil {
		t.Fatal(err)
	}
	pcfg, warns, err := ProducerConfig(pprops, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings for Connect's own defaults: %v", warns)
	}
	version, err := NegotiateVersion(ctx, addrs, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	pcfg.Version = version
	pcfg.Producer.Return.Successes = true

	type record struct {
		key, value []byte
		headers    map[string][]byte
	}
	sent := []record{
		{key: []byte("k1"), value: []byte(`{"a":1}`), headers: map[string][]byte{"h": []byte("v")}},
		{key: nil, value: []byte{0, 1, 2, 0xff, 0xfe}},
		{key: []byte("k2"), value: nil}, // a tombstone
		{key: []byte{}, value: []byte{}},
		{key: []byte("é€😀"), value: bytes.Repeat([]byte("x"), 100_000)},
	}
	producer, err := sarama.NewSyncProducer(addrs, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range sent {
		msg := &sarama.ProducerMessage{Topic: "events", Partition: -1}
		if r.key != nil {
			msg.Key = sarama.ByteEncoder(r.key)
		}
		if r.value != nil {
			msg.Value = sarama.ByteEncoder(r.value)
		}
		for k, v := range r.headers {
			msg.Headers = append(msg.Headers, sarama.RecordHeader{Key: []byte(k), Value: v})
		}
		if _, _, err := producer.SendMessage(msg); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	if err := producer.Close(); err != nil {
		t.Fatal(err)
	}

	cprops, err := ConsumerProps(worker, map[string]string{"name": "sink"}, "sink", 0)
	if err != nil {
		t.Fatal(err)
	}
	ccfg, warns, err := ConsumerConfig(cprops, GroupID(cprops), cprops["client.id"])
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings for Connect's own defaults: %v", warns)
	}
	ccfg.Version = version
	ccfg.Consumer.Return.Errors = true
	group, err := sarama.NewConsumerGroup(addrs, GroupID(cprops), ccfg)
	if err != nil {
		t.Fatal(err)
	}
	defer group.Close()

	h := &collector{want: len(sent), done: make(chan struct{})}
	consumeCtx, stop := context.WithCancel(ctx)
	defer stop()
	consumed := make(chan error, 1)
	go func() {
		for consumeCtx.Err() == nil {
			if err := group.Consume(consumeCtx, []string{"events"}, h); err != nil {
				consumed <- err
				return
			}
		}
		consumed <- nil
	}()
	select {
	case <-h.done:
	case err := <-consumed:
		t.Fatalf("consuming stopped: %v", err)
	case <-ctx.Done():
		t.Fatalf("got %d of %d records before the deadline", h.count(), len(sent))
	}

	got := h.records()
	for _, want := range sent {
		m := findRecord(got, want.key, want.value)
		if m == nil {
			t.Errorf("record key=%q value of %d bytes not consumed back", want.key, len(want.value))
			continue
		}
		for k, v := range want.headers {
			if len(m.Headers) != 1 || string(m.Headers[0].Key) != k || !bytes.Equal(m.Headers[0].Value, v) {
				t.Errorf("headers of %q: %v", want.key, m.Headers)
			}
		}
	}

	// The group chose Java's first assignor, range, and committed nothing: auto commit is off.
	admin, err := sarama.NewClusterAdmin(addrs, adminConfig(t, map[string]string{"bootstrap.servers": addrs[0]}))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	desc, err := admin.DescribeConsumerGroups([]string{"connect-sink"})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc) != 1 || desc[0].Protocol != "range" {
		t.Errorf("group connect-sink: %+v, want protocol range", desc)
	}
	offsets, err := admin.ListConsumerGroupOffsets("connect-sink", map[string][]int32{"events": {0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range offsets.Blocks["events"] {
		if b.Offset != -1 {
			t.Errorf("partition %d has committed offset %d; nothing should have been committed", p, b.Offset)
		}
	}
	stop()
	if err := <-consumed; err != nil {
		t.Errorf("consume: %v", err)
	}
}

func findRecord(ms []*sarama.ConsumerMessage, key, value []byte) *sarama.ConsumerMessage {
	for _, m := range ms {
		if bytes.Equal(m.Key, key) && bytes.Equal(m.Value, value) && (key == nil) == (m.Key == nil) && (value == nil) == (m.Value == nil) {
			return m
		}
	}
	return nil
}

// collector gathers consumed records and marks them without committing.
type collector struct {
	mu   sync.Mutex
	msgs []*sarama.ConsumerMessage
	want int
	done chan struct{}
	once sync.Once
}

func (c *collector) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (c *collector) Cleanup(sarama.ConsumerGroupSession) error { return nil }

func (c *collector) ConsumeClaim(s sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for m := range claim.Messages() {
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		n := len(c.msgs)
		c.mu.Unlock()
		s.MarkMessage(m, "")
		if n >= c.want {
			c.once.Do(func() { close(c.done) })
		}
	}
	return nil
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.msgs)
}

func (c *collector) records() []*sarama.ConsumerMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*sarama.ConsumerMessage(nil), c.msgs...)
}

func TestSASL(t *testing.T) {
	c := newCluster(t, kfake.EnableSASL(), kfake.ClusterID("sasl-cluster"), kfake.SeedTopics(1, "sasl-topic"),
		kfake.Superuser("PLAIN", "plain-user", "plain-secret"),
		kfake.Superuser("SCRAM-SHA-256", "scram-user", "scram-secret"),
		kfake.Superuser("SCRAM-SHA-512", "scram512-user", "scram512-secret"))
	addr := c.ListenAddrs()[0]
	props := func(mech, module, user, pass string) map[string]string {
		return map[string]string{
			"bootstrap.servers": addr,
			"security.protocol": "SASL_PLAINTEXT",
			"sasl.mechanism":    mech,
			"sasl.jaas.config":  fmt.Sprintf(`org.apache.kafka.common.security.%s required username="%s" password="%s";`, module, user, pass),
		}
	}
	ok := []struct {
		name  string
		props map[string]string
	}{
		{"PLAIN", props("PLAIN", "plain.PlainLoginModule", "plain-user", "plain-secret")},
		{"SCRAM-SHA-256", props("SCRAM-SHA-256", "scram.ScramLoginModule", "scram-user", "scram-secret")},
		{"SCRAM-SHA-512", props("SCRAM-SHA-512", "scram.ScramLoginModule", "scram512-user", "scram512-secret")},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ClusterID(timeout(t, 10*time.Second), []string{addr}, adminConfig(t, tt.props))
			if err != nil {
				t.Fatal(err)
			}
			if id != "sasl-cluster" {
				t.Errorf("ClusterID = %q", id)
			}
			// A producer built the same way produces.
			pcfg, _, err := ProducerConfig(tt.props, "p")
			if err != nil {
				t.Fatal(err)
			}
			pcfg.Producer.Return.Successes = true
			p, err := sarama.NewSyncProducer([]string{addr}, pcfg)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if _, _, err := p.SendMessage(&sarama.ProducerMessage{Topic: "sasl-topic", Partition: -1, Value: sarama.StringEncoder(tt.name)}); err != nil {
				t.Fatal(err)
			}
		})
	}

	bad := []struct {
		name  string
		props map[string]string
	}{
		{"PLAIN wrong password", props("PLAIN", "plain.PlainLoginModule", "plain-user", "not-the-password")},
		{"SCRAM-SHA-256 wrong password", props("SCRAM-SHA-256", "scram.ScramLoginModule", "scram-user", "not-the-password")},
		{"SCRAM-SHA-256 unknown user", props("SCRAM-SHA-256", "scram.ScramLoginModule", "nobody", "not-the-password")},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := ClusterID(timeout(t, 20*time.Second), []string{addr}, adminConfig(t, tt.props))
			if err == nil {
				t.Fatal("authenticated with a wrong password")
			}
			msg := err.Error()
			if !errors.Is(err, ErrClusterUnreachable) || !strings.Contains(msg, "SASL") ||
				!strings.Contains(msg, "check the username and password in sasl.jaas.config") {
				t.Errorf("error = %q, want it to explain the failed SASL authentication", msg)
			}
			if strings.Contains(msg, "not-the-password") {
				t.Errorf("error leaks the password: %q", msg)
			}
			// Authentication failures are not retried until the deadline.
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s; a failed authentication should end the lookup at once", d)
			}
		})
	}
}

func warningTexts(ws []Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

func apiKeys(v *kversion.Versions, drop ...int16) []sarama.ApiVersionsResponseKey {
	var keys []sarama.ApiVersionsResponseKey
	v.EachMaxKeyVersion(func(k, max int16) {
		for _, d := range drop {
			if k == d {
				return
			}
		}
		keys = append(keys, sarama.ApiVersionsResponseKey{ApiKey: k, MaxVersion: max})
	})
	return keys
}

func TestVersionFor(t *testing.T) {
	tests := []struct {
		name string
		keys []sarama.ApiVersionsResponseKey
		want sarama.KafkaVersion
	}{
		{"Kafka 0.10.2", apiKeys(kversion.V0_10_2()), sarama.V0_10_2_2},
		{"Kafka 0.11", apiKeys(kversion.V0_11_0()), sarama.V0_11_0_2},
		{"Kafka 2.4", apiKeys(kversion.V2_4_0()), sarama.V2_4_1_0},
		{"Kafka 3.6", apiKeys(kversion.V3_6_0()), sarama.V3_6_2_0},
		// A Kafka-compatible broker without transactions or configs still gets its version.
		{"Kafka 3.6 without InitProducerId and DescribeConfigs", apiKeys(kversion.V3_6_0(), 22, 32), sarama.V3_6_2_0},
	}
	for _, tt := range tests {
		got, err := versionFor(tt.keys)
		if err != nil || got != tt.want {
			t.Errorf("%s: versionFor = %s, %v; want %s", tt.name, got, err, tt.want)
		}
	}
	_, err := versionFor(apiKeys(kversion.V3_6_0(), 0))
	if err == nil || err.Error() != "the broker does not support the Produce request" {
		t.Errorf("broker without Produce: %v", err)
	}
}

// TestIdempotentProducer: producer.enable.idempotence=true with Connect's one request in flight gives a
// working idempotent producer.
func TestIdempotentProducer(t *testing.T) {
	c := newCluster(t, kfake.SeedTopics(1, "idem"))
	addrs := c.ListenAddrs()
	props, err := ProducerProps(map[string]string{"bootstrap.servers": addrs[0], "producer.enable.idempotence": "true"}, nil, "src", 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := ProducerConfig(props, "")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Producer.Idempotent {
		t.Fatal("not idempotent")
	}
	cfg.Version, err = NegotiateVersion(timeout(t, 10*time.Second), addrs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Producer.Return.Successes = true
	p, err := sarama.NewSyncProducer(addrs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i := 0; i < 3; i++ {
		part, off, err := p.SendMessage(&sarama.ProducerMessage{Topic: "idem", Partition: -1, Value: sarama.StringEncoder(fmt.Sprint(i))})
		if err != nil || part != 0 || off != int64(i) {
			t.Fatalf("record %d: partition %d offset %d, %v", i, part, off, err)
		}
	}
}
