package kafka

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
)

// connectProducer returns the properties ProducerProps gives a source task with the worker keys kv.
func connectProducer(t *testing.T, kv ...string) map[string]string {
	t.Helper()
	worker := map[string]string{"bootstrap.servers": "broker:9092"}
	for i := 0; i < len(kv); i += 2 {
		worker["producer."+kv[i]] = kv[i+1]
	}
	props, err := ProducerProps(worker, nil, "src", 0)
	if err != nil {
		t.Fatal(err)
	}
	return props
}

func connectConsumer(t *testing.T, kv ...string) map[string]string {
	t.Helper()
	worker := map[string]string{"bootstrap.servers": "broker:9092"}
	for i := 0; i < len(kv); i += 2 {
		worker["consumer."+kv[i]] = kv[i+1]
	}
	props, err := ConsumerProps(worker, nil, "sink", 0)
	if err != nil {
		t.Fatal(err)
	}
	return props
}

// plain returns client properties with just bootstrap.servers and kv: Java's own defaults apply.
func plain(kv ...string) map[string]string {
	m := map[string]string{"bootstrap.servers": "broker:9092"}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func strategyNames(cfg *sarama.Config) []string {
	var names []string
	for _, s := range cfg.Consumer.Group.Rebalance.GroupStrategies {
		names = append(names, s.Name())
	}
	return names
}

type field struct {
	name string
	get  func(*sarama.Config) any
	want any
}

func checkFields(t *testing.T, cfg *sarama.Config, fields []field) {
	t.Helper()
	for _, f := range fields {
		got := f.get(cfg)
		if gs, ok := got.([]string); ok {
			if !slices.Equal(gs, f.want.([]string)) {
				t.Errorf("%s = %v, want %v", f.name, gs, f.want)
			}
			continue
		}
		if got != f.want {
			t.Errorf("%s = %v, want %v", f.name, got, f.want)
		}
	}
}

var (
	acks        = func(c *sarama.Config) any { return c.Producer.RequiredAcks }
	inFlight    = func(c *sarama.Config) any { return c.Net.MaxOpenRequests }
	idempotent  = func(c *sarama.Config) any { return c.Producer.Idempotent }
	retryMax    = func(c *sarama.Config) any { return c.Producer.Retry.Max }
	metaRetries = func(c *sarama.Config) any { return c.Metadata.Retry.Max }
	retryWait   = func(c *sarama.Config) any { return c.Producer.Retry.Backoff }
	ackTimeout  = func(c *sarama.Config) any { return c.Producer.Timeout }
	codec       = func(c *sarama.Config) any { return c.Producer.Compression }
	codecLevel  = func(c *sarama.Config) any { return c.Producer.CompressionLevel }
	flushEvery  = func(c *sarama.Config) any { return c.Producer.Flush.Frequency }
	flushBytes  = func(c *sarama.Config) any { return c.Producer.Flush.Bytes }
	maxMessage  = func(c *sarama.Config) any { return c.Producer.MaxMessageBytes }
	clientIDOf  = func(c *sarama.Config) any { return c.ClientID }
	readTimeout = func(c *sarama.Config) any { return c.Net.ReadTimeout }
	dial        = func(c *sarama.Config) any { return c.Net.DialTimeout }
	metaAge     = func(c *sarama.Config) any { return c.Metadata.RefreshFrequency }
	metaBackoff = func(c *sarama.Config) any { return c.Metadata.Retry.Backoff }
	canonical   = func(c *sarama.Config) any { return c.Net.ResolveCanonicalBootstrapServers }
	autoCommit  = func(c *sarama.Config) any { return c.Consumer.Offsets.AutoCommit.Enable }
	commitEvery = func(c *sarama.Config) any { return c.Consumer.Offsets.AutoCommit.Interval }
	initial     = func(c *sarama.Config) any { return c.Consumer.Offsets.Initial }
	strategies  = func(c *sarama.Config) any { return strategyNames(c) }
	session     = func(c *sarama.Config) any { return c.Consumer.Group.Session.Timeout }
	heartbeat   = func(c *sarama.Config) any { return c.Consumer.Group.Heartbeat.Interval }
	rebalance   = func(c *sarama.Config) any { return c.Consumer.Group.Rebalance.Timeout }
	fetchMin    = func(c *sarama.Config) any { return c.Consumer.Fetch.Min }
	fetchPart   = func(c *sarama.Config) any { return c.Consumer.Fetch.Default }
	fetchMax    = func(c *sarama.Config) any { return c.Consumer.Fetch.MaxBytes }
	fetchWait   = func(c *sarama.Config) any { return c.Consumer.MaxWaitTime }
	isolation   = func(c *sarama.Config) any { return c.Consumer.IsolationLevel }
	instance    = func(c *sarama.Config) any { return c.Consumer.Group.InstanceId }
	rack        = func(c *sarama.Config) any { return c.RackID }
	autoCreate  = func(c *sarama.Config) any { return c.Metadata.AllowAutoTopicCreation }
	fetchRetry  = func(c *sarama.Config) any { return c.Consumer.Retry.Backoff }
	adminRetry  = func(c *sarama.Config) any { return c.Admin.Retry.Max }
	adminWait   = func(c *sarama.Config) any { return c.Admin.Timeout }
	tlsOn       = func(c *sarama.Config) any { return c.Net.TLS.Enable }
	saslOn      = func(c *sarama.Config) any { return c.Net.SASL.Enable }
	saslMech    = func(c *sarama.Config) any { return c.Net.SASL.Mechanism }
	saslUser    = func(c *sarama.Config) any { return c.Net.SASL.User }
	saslPass    = func(c *sarama.Config) any { return c.Net.SASL.Password }
	saslVersion = func(c *sarama.Config) any { return c.Net.SASL.Version }
	scramFunc   = func(c *sarama.Config) any { return c.Net.SASL.SCRAMClientGeneratorFunc != nil }
)

const plainJAAS = `org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";`

func TestProducerConfigMapping(t *testing.T) {
	tests := []struct {
		name   string
		props  map[string]string
		fields []field
	}{
		{"Connect's source producer", connectProducer(t), []field{
			{"acks", acks, sarama.WaitForAll},
			{"max in flight", inFlight, 1},
			{"idempotent", idempotent, false},
			// delivery.timeout.ms=2147483647 / retry.backoff.ms=100 would allow 21 million retries; sarama
			// keeps a slot per retry, so they are capped (an unreachable broker waits in metadata instead).
			{"retries", retryMax, maxSendRetries},
			{"metadata retries (max.block.ms forever)", metaRetries, math.MaxInt32},
			{"retry backoff", retryWait, 100 * time.Millisecond},
			{"broker ack timeout", ackTimeout, 30 * time.Second},
			{"compression", codec, sarama.CompressionNone},
			{"linger", flushEvery, time.Duration(0)},
			{"max message", maxMessage, 1048576},
			{"client id", clientIDOf, "connector-producer-src-0"},
			{"request timeout", readTimeout, 30 * time.Second},
			{"connect timeout", dial, 10 * time.Second},
			{"metadata age", metaAge, 5 * time.Minute},
			{"metadata backoff", metaBackoff, 100 * time.Millisecond},
			{"canonical bootstrap", canonical, false},
			{"TLS", tlsOn, false},
			{"SASL", saslOn, false},
		}},
		{"Java's defaults give way to sarama's one request in flight", plain(), []field{
			{"acks", acks, sarama.WaitForAll},
			{"max in flight", inFlight, 5},
			{"idempotent", idempotent, false},
			{"retries bounded by delivery.timeout.ms 120000, then capped", retryMax, maxSendRetries},
			{"metadata retries bounded by max.block.ms 60000", metaRetries, 600},
			{"generated client id", clientIDOf, "producer-1"},
		}},
		{"acks=0", connectProducer(t, "acks", "0"), []field{{"acks", acks, sarama.NoResponse}}},
		{"acks=1", connectProducer(t, "acks", " 1 "), []field{{"acks", acks, sarama.WaitForLocal}}},
		{"acks=-1", connectProducer(t, "acks", "-1"), []field{{"acks", acks, sarama.WaitForAll}}},
		{"enable.idempotence=true", connectProducer(t, "enable.idempotence", "TRUE"), []field{{"idempotent", idempotent, true}}},
		{"max.in.flight.requests.per.connection", connectProducer(t, "max.in.flight.requests.per.connection", "5"), []field{{"max in flight", inFlight, 5}}},
		{"gzip", connectProducer(t, "compression.type", "gzip"), []field{
			{"codec", codec, sarama.CompressionGZIP}, {"level", codecLevel, sarama.CompressionLevelDefault}}},
		{"gzip level", connectProducer(t, "compression.type", "gzip", "compression.gzip.level", "9"), []field{
			{"codec", codec, sarama.CompressionGZIP}, {"level", codecLevel, 9}}},
		{"snappy", connectProducer(t, "compression.type", "snappy"), []field{{"codec", codec, sarama.CompressionSnappy}}},
		{"lz4", connectProducer(t, "compression.type", "lz4"), []field{{"codec", codec, sarama.CompressionLZ4}}},
		{"zstd default level", connectProducer(t, "compression.type", "zstd"), []field{
			{"codec", codec, sarama.CompressionZSTD}, {"level", codecLevel, 3}}},
		{"zstd level", connectProducer(t, "compression.type", "zstd", "compression.zstd.level", "-5"), []field{{"level", codecLevel, -5}}},
		{"linger.ms and batch.size", connectProducer(t, "linger.ms", "25", "batch.size", "65536"), []field{
			{"flush frequency", flushEvery, 25 * time.Millisecond}, {"flush bytes", flushBytes, 65536}}},
		{"batch.size alone does not delay sends", connectProducer(t, "batch.size", "65536"), []field{
			{"flush frequency", flushEvery, time.Duration(0)}, {"flush bytes", flushBytes, 0}}},
		{"max.request.size", connectProducer(t, "max.request.size", "5242880"), []field{{"max message", maxMessage, 5242880}}},
		{"retries", connectProducer(t, "retries", "7"), []field{{"retries", retryMax, 7}}},
		{"delivery.timeout.ms over retry.backoff.ms", connectProducer(t, "delivery.timeout.ms", "60000", "retry.backoff.ms", "500"), []field{
			{"retries", retryMax, 120}, {"backoff", retryWait, 500 * time.Millisecond}, {"metadata backoff", metaBackoff, 500 * time.Millisecond}}},
		{"retry.backoff.ms=0 leaves retries", connectProducer(t, "retry.backoff.ms", "0", "retries", "9"), []field{{"retries", retryMax, 9}}},
		{"request.timeout.ms", connectProducer(t, "request.timeout.ms", "15000"), []field{
			{"read", readTimeout, 15 * time.Second}, {"acks", ackTimeout, 15 * time.Second}}},
		{"client.id", connectProducer(t, "client.id", "  mine "), []field{{"client id", clientIDOf, "mine"}}},
		{"metadata.max.age.ms", connectProducer(t, "metadata.max.age.ms", "1000"), []field{{"age", metaAge, time.Second}}},
		{"metadata.max.age.ms forever", connectProducer(t, "metadata.max.age.ms", "9223372036854775807"), []field{
			{"age", metaAge, time.Duration(math.MaxInt64)}}},
		{"socket.connection.setup.timeout.ms", connectProducer(t, "socket.connection.setup.timeout.ms", "2500"), []field{
			{"dial", dial, 2500 * time.Millisecond}}},
		{"client.dns.lookup", connectProducer(t, "client.dns.lookup", "resolve_canonical_bootstrap_servers_only"), []field{
			{"canonical", canonical, true}}},
		{"SSL", connectProducer(t, "security.protocol", "SSL"), []field{{"TLS", tlsOn, true}, {"SASL", saslOn, false}}},
		{"SASL_PLAINTEXT PLAIN", connectProducer(t, "security.protocol", "sasl_plaintext", "sasl.mechanism", "PLAIN", "sasl.jaas.config", plainJAAS), []field{
			{"TLS", tlsOn, false}, {"SASL", saslOn, true}, {"mechanism", saslMech, sarama.SASLMechanism(sarama.SASLTypePlaintext)},
			{"user", saslUser, "alice"}, {"password", saslPass, "alice-secret"}, {"handshake", saslVersion, sarama.SASLHandshakeV1}}},
		{"SASL_SSL SCRAM-SHA-512", connectProducer(t, "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
			"sasl.jaas.config", `org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password='b\"ob';`), []field{
			{"TLS", tlsOn, true}, {"SASL", saslOn, true}, {"mechanism", saslMech, sarama.SASLMechanism(sarama.SASLTypeSCRAMSHA512)},
			{"user", saslUser, "bob"}, {"password", saslPass, `b"ob`}, {"scram client", scramFunc, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := ProducerConfig(tt.props, "")
			if err != nil {
				t.Fatal(err)
			}
			checkFields(t, cfg, tt.fields)
		})
	}
}

func TestConsumerConfigMapping(t *testing.T) {
	tests := []struct {
		name   string
		props  map[string]string
		fields []field
	}{
		{"Connect's sink consumer", connectConsumer(t), []field{
			{"auto commit", autoCommit, false},
			{"initial offset", initial, sarama.OffsetOldest},
			{"assignors", strategies, []string{"range", "cooperative-sticky"}},
			{"session", session, 45 * time.Second},
			{"heartbeat", heartbeat, 3 * time.Second},
			{"rebalance timeout", rebalance, 5 * time.Minute},
			{"fetch min", fetchMin, int32(1)},
			{"partition fetch", fetchPart, int32(1048576)},
			{"fetch max", fetchMax, int32(52428800)},
			{"fetch wait", fetchWait, 500 * time.Millisecond},
			{"isolation", isolation, sarama.ReadUncommitted},
			{"client id", clientIDOf, "connector-consumer-sink-0"},
			{"fetch retry backoff", fetchRetry, 100 * time.Millisecond},
			{"auto create", autoCreate, true},
			{"instance", instance, ""},
		}},
		{"Java's defaults", plain("group.id", "g"), []field{
			{"auto commit", autoCommit, true},
			{"commit interval", commitEvery, 5 * time.Second},
			{"initial offset", initial, sarama.OffsetNewest},
			{"generated client id", clientIDOf, "consumer-g-1"},
		}},
		{"auto.offset.reset=latest", connectConsumer(t, "auto.offset.reset", "latest"), []field{{"initial", initial, sarama.OffsetNewest}}},
		{"enable.auto.commit", connectConsumer(t, "enable.auto.commit", "true", "auto.commit.interval.ms", "1500"), []field{
			{"auto commit", autoCommit, true}, {"interval", commitEvery, 1500 * time.Millisecond}}},
		{"range only", connectConsumer(t, "partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor"), []field{
			{"assignors", strategies, []string{"range"}}}},
		{"round robin and sticky", connectConsumer(t, "partition.assignment.strategy",
			"org.apache.kafka.clients.consumer.RoundRobinAssignor, org.apache.kafka.clients.consumer.StickyAssignor"), []field{
			{"assignors", strategies, []string{"roundrobin", "sticky"}}}},
		{"cooperative sticky", connectConsumer(t, "partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"), []field{
			{"assignors", strategies, []string{"cooperative-sticky"}}}},
		{"session and heartbeat", connectConsumer(t, "session.timeout.ms", "10000", "heartbeat.interval.ms", "1000"), []field{
			{"session", session, 10 * time.Second}, {"heartbeat", heartbeat, time.Second}}},
		{"max.poll.interval.ms", connectConsumer(t, "max.poll.interval.ms", "120000"), []field{{"rebalance", rebalance, 2 * time.Minute}}},
		{"fetch sizes", connectConsumer(t, "fetch.min.bytes", "1024", "fetch.max.bytes", "1000000", "max.partition.fetch.bytes", "2000", "fetch.max.wait.ms", "100"), []field{
			{"min", fetchMin, int32(1024)}, {"max", fetchMax, int32(1000000)}, {"partition", fetchPart, int32(2000)}, {"wait", fetchWait, 100 * time.Millisecond}}},
		{"fetch.min.bytes=0", connectConsumer(t, "fetch.min.bytes", "0"), []field{{"min", fetchMin, int32(1)}}},
		{"read_committed", connectConsumer(t, "isolation.level", "read_committed"), []field{{"isolation", isolation, sarama.ReadCommitted}}},
		{"group.instance.id", connectConsumer(t, "group.instance.id", "worker-a"), []field{{"instance", instance, "worker-a"}}},
		{"client.rack", connectConsumer(t, "client.rack", "eu-1a"), []field{{"rack", rack, "eu-1a"}}},
		{"allow.auto.create.topics", connectConsumer(t, "allow.auto.create.topics", "false"), []field{{"auto create", autoCreate, false}}},
		{"group.protocol=classic", connectConsumer(t, "group.protocol", "CLASSIC"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := ConsumerConfig(tt.props, "", "")
			if err != nil {
				t.Fatal(err)
			}
			checkFields(t, cfg, tt.fields)
		})
	}
}

func TestAdminConfigMapping(t *testing.T) {
	worker := map[string]string{"bootstrap.servers": "broker:9092"}
	props, err := AdminProps(worker, nil, "src", 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := AdminConfig(props, "")
	if err != nil {
		t.Fatal(err)
	}
	checkFields(t, cfg, []field{
		// default.api.timeout.ms 60000 / retry.backoff.ms 100
		{"retries", adminRetry, 600},
		{"timeout", adminWait, 30 * time.Second},
		{"client id", clientIDOf, "connector-adminclient-src-0"},
	})

	cfg, _, err = AdminConfig(plain("retries", "3", "request.timeout.ms", "5000"), "")
	if err != nil {
		t.Fatal(err)
	}
	checkFields(t, cfg, []field{{"retries", adminRetry, 3}, {"timeout", adminWait, 5 * time.Second}, {"client id", clientIDOf, "adminclient-1"}})

	cfg, _, err = AdminConfig(plain("default.api.timeout.ms", "120000", "retry.backoff.ms", "1000"), "adm")
	if err != nil {
		t.Fatal(err)
	}
	checkFields(t, cfg, []field{{"retries", adminRetry, 120}, {"client id from the argument", clientIDOf, "adm"}})
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		client string
		props  map[string]string
		want   string
	}{
		{"acks", Producer, plain("acks", "2"),
			"producer.acks: Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1"},
		{"long", Producer, plain("linger.ms", "soon"),
			"producer.linger.ms: Invalid value soon for configuration linger.ms: Not a number of type LONG"},
		{"int overflow", Producer, plain("retries", "3000000000"),
			"producer.retries: Invalid value 3000000000 for configuration retries: Not a number of type INT"},
		{"range", Producer, plain("batch.size", " -1"),
			"producer.batch.size: Invalid value -1 for configuration batch.size: Value must be at least 0"},
		{"boolean", Producer, plain("enable.idempotence", "yes"),
			"producer.enable.idempotence: Invalid value yes for configuration enable.idempotence: Expected value to be either true or false"},
		{"compression", Producer, plain("compression.type", "brotli"),
			"producer.compression.type: Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd"},
		{"gzip level", Producer, plain("compression.gzip.level", "0"),
			"producer.compression.gzip.level: Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"},
		{"zstd level", Producer, plain("compression.zstd.level", "23"),
			"producer.compression.zstd.level: Invalid value 23 for configuration compression.zstd.level: Value must be no more than 22"},
		{"transactions", Producer, plain("transactional.id", "tx-1"),
			"producer.transactional.id: not supported by connect-standalone (transactions are not implemented)"},
		{"interceptors", Producer, plain("interceptor.classes", "com.example.Audit"),
			"producer.interceptor.classes: not supported by connect-standalone (interceptors are Java classes)"},
		{"custom partitioner", Producer, plain("partitioner.class", "com.example.ByRegion"),
			"producer.partitioner.class: custom partitioner com.example.ByRegion is not supported by connect-standalone (it names a Java class, and connect-standalone runs no Java code; Apache's DefaultPartitioner, UniformStickyPartitioner and RoundRobinPartitioner are)"},
		{"serializer", Producer, plain("value.serializer", "org.apache.kafka.common.serialization.StringSerializer"),
			"producer.value.serializer: org.apache.kafka.common.serialization.StringSerializer is not supported by connect-standalone: records are already bytes (only org.apache.kafka.common.serialization.ByteArraySerializer is accepted)"},
		{"unknown key", Producer, plain("lingr.ms", "5"),
			"producer.lingr.ms: unknown producer configuration; Apache's client would ignore it with a warning, connect-standalone rejects it so that a typo cannot go unnoticed"},
		{"key of another client", Producer, plain("group.id", "g"),
			"producer.group.id: not a producer configuration (it is a consumer configuration)"},
		{"idempotence needs acks=all", Producer, plain("enable.idempotence", "true", "acks", "1", "max.in.flight.requests.per.connection", "1"),
			"producer.acks: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."},
		{"idempotence needs retries", Producer, plain("enable.idempotence", "true", "retries", "0", "max.in.flight.requests.per.connection", "1"),
			"producer.retries: Must set retries to non-zero when using the idempotent producer."},
		{"idempotence with 6 in flight", Producer, plain("enable.idempotence", "true", "max.in.flight.requests.per.connection", "6"),
			"producer.max.in.flight.requests.per.connection: Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer."},
		{"idempotence with 2 in flight", Producer, plain("enable.idempotence", "true", "max.in.flight.requests.per.connection", "2"),
			"producer.max.in.flight.requests.per.connection: must be 1 to use the idempotent producer in connect-standalone (sarama's idempotent producer keeps one request in flight; Apache allows up to 5)"},
		{"delivery timeout", Producer, plain("delivery.timeout.ms", "20000", "linger.ms", "100"),
			"producer.delivery.timeout.ms: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"},
		{"request timeout 0", Producer, plain("request.timeout.ms", "0"),
			"producer.request.timeout.ms: 0 is not supported by connect-standalone (sarama needs a positive value)"},
		{"security protocol", Producer, plain("security.protocol", "TLS"),
			"producer.security.protocol: Invalid value TLS for configuration security.protocol: String must be one of (case insensitive): PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"},
		{"GSSAPI by default", Producer, plain("security.protocol", "SASL_SSL", "sasl.jaas.config", plainJAAS),
			"producer.sasl.mechanism: GSSAPI (Kafka's default when sasl.mechanism is not set) is not supported by connect-standalone (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)"},
		{"OAUTHBEARER", Producer, plain("security.protocol", "SASL_SSL", "sasl.mechanism", "OAUTHBEARER"),
			"producer.sasl.mechanism: OAUTHBEARER is not supported by connect-standalone (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)"},
		{"mechanism case", Producer, plain("security.protocol", "SASL_SSL", "sasl.mechanism", "plain", "sasl.jaas.config", plainJAAS),
			"producer.sasl.mechanism: unknown SASL mechanism plain (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)"},
		{"no JAAS", Producer, plain("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"),
			"producer.sasl.jaas.config: required with security.protocol=SASL_PLAINTEXT (connect-standalone does not read the JVM's JAAS files)"},
		{"broken JAAS", Producer, plain("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
			"sasl.jaas.config", `org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret"`),
			"producer.sasl.jaas.config: JAAS config entry not terminated by semi-colon"},
		{"Kerberos module", Producer, plain("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
			"sasl.jaas.config", `com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab="/k" principal="alice-secret";`),
			"producer.sasl.jaas.config: com.sun.security.auth.module.Krb5LoginModule is not supported by connect-standalone (use org.apache.kafka.common.security.plain.PlainLoginModule or org.apache.kafka.common.security.scram.ScramLoginModule)"},
		{"tokenauth with PLAIN", Producer, plain("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
			"sasl.jaas.config", `org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret" tokenauth="true";`),
			"producer.sasl.jaas.config: tokenauth=true needs a SCRAM mechanism, not PLAIN"},
		{"login class", Producer, plain("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config", plainJAAS,
			"sasl.login.class", "com.example.Login"),
			"producer.sasl.login.class: not supported by connect-standalone (it names a Java class, and connect-standalone runs no Java code)"},
		{"security providers", Admin, plain("security.providers", "com.example.Provider"),
			"admin.security.providers: not supported by connect-standalone (custom security providers are Java classes)"},
		{"bootstrap without port", Producer, plain("bootstrap.servers", "localhost"),
			"producer.bootstrap.servers: Invalid url in bootstrap.servers: localhost"},
		{"bootstrap port", Producer, plain("bootstrap.servers", "a:9092, b:99999"),
			"producer.bootstrap.servers: Invalid port in bootstrap.servers: b:99999"},
		{"bootstrap empty", Producer, plain("bootstrap.servers", " "),
			"producer.bootstrap.servers: No resolvable bootstrap urls given in bootstrap.servers"},
		{"errors sorted by key", Producer, plain("linger.ms", "x", "acks", "2"),
			"producer.acks: Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1\n" +
				"producer.linger.ms: Invalid value x for configuration linger.ms: Not a number of type LONG"},
		{"no-effect key with a bad value", Producer, plain("buffer.memory", "lots"),
			"producer.buffer.memory: Invalid value lots for configuration buffer.memory: Not a number of type LONG"},

		{"offset reset none", Consumer, plain("group.id", "g", "auto.offset.reset", "none"),
			"consumer.auto.offset.reset: none is not supported by connect-standalone (sarama cannot fail a partition that has no committed offset; use earliest or latest)"},
		{"offset reset", Consumer, plain("group.id", "g", "auto.offset.reset", "smallest"),
			"consumer.auto.offset.reset: Invalid value smallest for configuration auto.offset.reset: String must be one of: latest, earliest, none"},
		{"heartbeat", Consumer, plain("group.id", "g", "heartbeat.interval.ms", "45000"),
			"consumer.heartbeat.interval.ms: Heartbeat must be set lower than the session timeout"},
		{"custom assignor", Consumer, plain("group.id", "g", "partition.assignment.strategy", "com.example.Assignor"),
			"consumer.partition.assignment.strategy: custom assignor com.example.Assignor is not supported by connect-standalone (it names a Java class, and connect-standalone runs no Java code; Apache's RangeAssignor, RoundRobinAssignor, StickyAssignor and CooperativeStickyAssignor are)"},
		{"no assignor", Consumer, plain("group.id", "g", "partition.assignment.strategy", ""),
			"consumer.partition.assignment.strategy: Must configure at least one partition assigner class name to partition.assignment.strategy configuration property"},
		{"empty instance id", Consumer, plain("group.id", "g", "group.instance.id", " "),
			"consumer.group.instance.id: Invalid value  for configuration group.instance.id: String must be non-empty"},
		{"fetch wait 0", Consumer, plain("group.id", "g", "fetch.max.wait.ms", "0"),
			"consumer.fetch.max.wait.ms: 0 is not supported by connect-standalone (sarama needs a positive value)"},
		{"isolation", Consumer, plain("group.id", "g", "isolation.level", "READ_COMMITTED"),
			"consumer.isolation.level: Invalid value READ_COMMITTED for configuration isolation.level: String must be one of: read_committed, read_uncommitted"},
		{"group protocol", Consumer, plain("group.id", "g", "group.protocol", "consumer"),
			"consumer.group.protocol: consumer is not supported by connect-standalone (sarama speaks the classic group protocol)"},
		{"deserializer", Consumer, plain("group.id", "g", "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"),
			"consumer.key.deserializer: org.apache.kafka.common.serialization.StringDeserializer is not supported by connect-standalone: records are already bytes (only org.apache.kafka.common.serialization.ByteArrayDeserializer is accepted)"},
		{"no group", Consumer, plain(),
			"consumer.group.id: required: a sink task's consumer joins a consumer group"},
		{"producer key on the consumer", Consumer, plain("group.id", "g", "acks", "all"),
			"consumer.acks: not a consumer configuration (it is a producer configuration)"},

		{"api timeout", Admin, plain("default.api.timeout.ms", "1000"),
			"admin.default.api.timeout.ms: The specified value of default.api.timeout.ms must be no smaller than the value of request.timeout.ms."},
		{"retries range", Admin, plain("retries", "-1"),
			"admin.retries: Invalid value -1 for configuration retries: Value must be at least 0"},
		{"consumer key on the admin", Admin, plain("fetch.min.bytes", "1"),
			"admin.fetch.min.bytes: not an admin configuration (it is a consumer configuration)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			switch tt.client {
			case Producer:
				_, _, err = ProducerConfig(tt.props, "")
			case Consumer:
				_, _, err = ConsumerConfig(tt.props, "", "")
			case Admin:
				_, _, err = AdminConfig(tt.props, "")
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
			if strings.Contains(err.Error(), "alice-secret") {
				t.Errorf("error leaks the password")
			}
		})
	}
}

func TestConfigWarnings(t *testing.T) {
	tests := []struct {
		name   string
		client string
		props  map[string]string
		want   []string
	}{
		{"JVM tuning", Producer, plain("buffer.memory", "67108864", "send.buffer.bytes", "-1",
			"metric.reporters", "com.example.Reporter", "auto.include.jmx.reporter", "false", "metrics.context.env", "prod"), []string{
			"producer.auto.include.jmx.reporter has no effect in connect-standalone (there is no JMX)",
			"producer.buffer.memory has no effect in connect-standalone (sarama manages its own buffers)",
			"producer.metric.reporters has no effect in connect-standalone (connect-standalone does not export Java client metrics)",
			"producer.metrics.context.env has no effect in connect-standalone (connect-standalone does not export Java client metrics)",
			"producer.send.buffer.bytes has no effect in connect-standalone (the operating system sizes socket buffers)",
		}},
		{"serializers and interceptors Connect would accept", Producer, plain(
			"key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
			"value.serializer", " org.apache.kafka.common.serialization.ByteArraySerializer ", "interceptor.classes", "",
			"compression.lz4.level", "4", "reconnect.backoff.ms", "50"), []string{
			"producer.compression.lz4.level has no effect in connect-standalone (sarama's lz4 writer has one fixed level)",
			"producer.interceptor.classes has no effect in connect-standalone (it is empty)",
			"producer.key.serializer has no effect in connect-standalone (records are already bytes: converters produced them)",
			"producer.reconnect.backoff.ms has no effect in connect-standalone (sarama reconnects when the next request needs the broker)",
			"producer.value.serializer has no effect in connect-standalone (records are already bytes: converters produced them)",
		}},
		{"Kerberos keys next to PLAIN", Producer, plain("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
			"sasl.jaas.config", plainJAAS, "sasl.kerberos.service.name", "kafka"), []string{
			"producer.sasl.kerberos.service.name has no effect in connect-standalone (used only by the GSSAPI and OAUTHBEARER mechanisms, which connect-standalone does not support)",
		}},
		{"consumer", Consumer, plain("group.id", "g", "check.crcs", "false", "default.api.timeout.ms", "30000",
			"key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer"), []string{
			"consumer.check.crcs has no effect in connect-standalone (sarama always checks record CRCs)",
			"consumer.default.api.timeout.ms has no effect in connect-standalone (sarama bounds each request by request.timeout.ms)",
			"consumer.key.deserializer has no effect in connect-standalone (records are already bytes: converters produced them)",
		}},
		{"admin", Admin, plain("connections.max.idle.ms", "1000"), []string{
			"admin.connections.max.idle.ms has no effect in connect-standalone (sarama keeps idle connections open)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warns []Warning
			var err error
			switch tt.client {
			case Producer:
				_, warns, err = ProducerConfig(tt.props, "")
			case Consumer:
				_, warns, err = ConsumerConfig(tt.props, "", "")
			case Admin:
				_, warns, err = AdminConfig(tt.props, "")
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := warningTexts(warns); !slices.Equal(got, tt.want) {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestEveryKnownKeyIsHandled feeds each key of the table, with a valid value, to each client that knows
// it: none may be reported unknown, and keys that cannot be honoured must be rejected.
func TestEveryKnownKeyIsHandled(t *testing.T) {
	valid := map[javaType]string{tString: "x", tBool: "true", tInt: "1", tShort: "1", tLong: "1", tDouble: "0.5",
		tList: "", tClass: "com.example.C", tPassword: "p"}
	special := map[string]string{
		"bootstrap.servers": "b:1", "client.dns.lookup": "use_all_dns_ips", "security.protocol": "PLAINTEXT",
		"acks": "all", "compression.type": "none", "compression.gzip.level": "5", "compression.zstd.level": "3",
		"delivery.timeout.ms": "2147483647", "enable.idempotence": "false", "max.request.size": "1000", "partitioner.class": "",
		"key.serializer": byteArraySerializer, "value.serializer": byteArraySerializer,
		"key.deserializer": byteArrayDeserializer, "value.deserializer": byteArrayDeserializer,
		"auto.offset.reset": "earliest", "isolation.level": "read_committed", "group.protocol": "classic",
		"session.timeout.ms": "30000", "heartbeat.interval.ms": "1000", "fetch.max.bytes": "1000", "fetch.max.wait.ms": "1",
		"max.partition.fetch.bytes": "1000", "request.timeout.ms": "1000", "default.api.timeout.ms": "60000",
		"partition.assignment.strategy": "org.apache.kafka.clients.consumer.RangeAssignor", "metadata.max.age.ms": "1000",
		"socket.connection.setup.timeout.ms": "1000", "max.poll.interval.ms": "1000",
	}
	for key, info := range keyTable {
		for _, client := range []string{Producer, Consumer, Admin} {
			if info.clients&clientBit(client) == 0 {
				continue
			}
			v, ok := special[key]
			if !ok {
				v = valid[info.typ]
			}
			props := plain(key, v, "group.id", "g")
			if client != Consumer {
				delete(props, "group.id")
			}
			if info.kind == unsupported && (strings.HasPrefix(key, "ssl.") || strings.HasPrefix(key, "sasl.")) {
				// Java ignores them unless the connection uses TLS or SASL.
				props["security.protocol"] = "SASL_SSL"
				props["sasl.mechanism"] = "PLAIN"
				props["sasl.jaas.config"] = plainJAAS
			}
			var err error
			switch client {
			case Producer:
				_, _, err = ProducerConfig(props, "")
			case Consumer:
				_, _, err = ConsumerConfig(props, "", "")
			case Admin:
				_, _, err = AdminConfig(props, "")
			}
			switch {
			case info.kind == unsupported && err == nil:
				t.Errorf("%s.%s=%q accepted, but it cannot be honoured", client, key, v)
			case info.kind != unsupported && err != nil && key != "interceptor.classes":
				t.Errorf("%s.%s=%q: %v", client, key, v, err)
			}
		}
	}
}

// TestMaxBlockWaitsForMetadata: a record waits for its partition's leader as long as max.block.ms allows
// (Connect: forever), instead of failing the moment the broker is unreachable.
func TestMaxBlockWaitsForMetadata(t *testing.T) {
	for _, c := range []struct {
		block string
		want  int
	}{
		{"9223372036854775807", math.MaxInt32}, // Connect's forced default
		{"60000", 600},                         // Java's default with retry.backoff.ms=100
		{"0", 0},
	} {
		props, err := ProducerProps(map[string]string{"bootstrap.servers": "127.0.0.1:9092", "producer.max.block.ms": c.block}, nil, "c", 0)
		if err != nil {
			t.Fatal(err)
		}
		cfg, warnings, err := ProducerConfig(props, props["client.id"])
		if err != nil || len(warnings) != 0 {
			t.Fatalf("max.block.ms=%s: err %v, warnings %v", c.block, err, warnings)
		}
		if cfg.Metadata.Retry.Max != c.want {
			t.Errorf("max.block.ms=%s: Metadata.Retry.Max = %d, want %d", c.block, cfg.Metadata.Retry.Max, c.want)
		}
	}
}
