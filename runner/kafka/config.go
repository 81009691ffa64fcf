package kafka

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/IBM/sarama"
)

// Java class names Connect passes bytes through.
const (
	byteArraySerializer   = "org.apache.kafka.common.serialization.ByteArraySerializer"
	byteArrayDeserializer = "org.apache.kafka.common.serialization.ByteArrayDeserializer"
)

// Apache's consumer partition assignors and their sarama equivalents.
var assignors = map[string]func() sarama.BalanceStrategy{
	"org.apache.kafka.clients.consumer.RangeAssignor":             sarama.NewBalanceStrategyRange,
	"org.apache.kafka.clients.consumer.RoundRobinAssignor":        sarama.NewBalanceStrategyRoundRobin,
	"org.apache.kafka.clients.consumer.StickyAssignor":            sarama.NewBalanceStrategySticky,
	"org.apache.kafka.clients.consumer.CooperativeStickyAssignor": sarama.NewBalanceStrategyCooperativeSticky,
}

// ProducerConfig turns producer properties (as ProducerProps builds them) into a sarama configuration
// with the Java producer's defaults and validation. clientID is used when props has no client.id.
//
// cfg.Version is sarama's default; set it to NegotiateVersion's answer before building a client.
// Records that name their partition (ProducerMessage.Partition >= 0) go there; set Partition to -1 to
// let the partitioner of partitioner.class choose as Java's would.
//
// maxSendRetries bounds sarama's retries of a record that a broker refused; see ProducerConfig.
const maxSendRetries = 1000

// delivery.timeout.ms has no sarama counterpart: sarama counts retries, not time. The producer retries
// a refused record at most min(retries, delivery.timeout.ms / retry.backoff.ms, maxSendRetries) times.
// While a broker is unreachable records do not use up retries: they wait for its metadata for up to
// max.block.ms, which Connect sets to forever, so a record is retried until it is delivered.
func ProducerConfig(props map[string]string, clientID string) (*sarama.Config, []Warning, error) {
	r := newReader(Producer, props)
	cfg := sarama.NewConfig()
	c := r.common(cfg, clientID, "producer-1")

	acks := r.oneOf("acks", "all", false, "all", "-1", "0", "1")
	switch acks {
	case "all", "-1":
		cfg.Producer.RequiredAcks = sarama.WaitForAll
	case "0":
		cfg.Producer.RequiredAcks = sarama.NoResponse
	case "1":
		cfg.Producer.RequiredAcks = sarama.WaitForLocal
	}
	inFlight := r.int("max.in.flight.requests.per.connection", 5, atLeast(1))
	cfg.Net.MaxOpenRequests = int(inFlight)
	retries := r.int("retries", math.MaxInt32, between(0, math.MaxInt32))

	// Idempotence, as Java decides it: a value the user set must be consistent, Java's own default
	// gives way to conflicting settings. sarama's idempotent producer also needs one request in flight.
	idemSet := r.has("enable.idempotence")
	nerr := len(r.errs)
	idem := r.bool("enable.idempotence", true)
	if len(r.errs) > nerr {
		idem = false // already reported; no follow-up errors
	}
	if idem {
		var conflict, msg string
		switch {
		case retries == 0:
			conflict, msg = "retries", "Must set retries to non-zero when using the idempotent producer."
		case acks != "all" && acks != "-1":
			conflict, msg = "acks", "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."
		case inFlight > 5:
			conflict, msg = "max.in.flight.requests.per.connection", "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer."
		case inFlight > 1:
			conflict, msg = "max.in.flight.requests.per.connection", "must be 1 to use the idempotent producer in connect-standalone (sarama's idempotent producer keeps one request in flight; Apache allows up to 5)"
		}
		if conflict != "" {
			if idemSet {
				r.fail(conflict, msg)
			}
			idem = false
		}
	}
	cfg.Producer.Idempotent = idem
	cfg.Producer.Timeout = c.requestTimeout

	switch r.oneOf("compression.type", "none", false, "none", "gzip", "snappy", "lz4", "zstd") {
	case "gzip":
		cfg.Producer.Compression = sarama.CompressionGZIP
	case "snappy":
		cfg.Producer.Compression = sarama.CompressionSnappy
	case "lz4":
		cfg.Producer.Compression = sarama.CompressionLZ4
	case "zstd":
		cfg.Producer.Compression = sarama.CompressionZSTD
	}
	gzipLevel := r.gzipLevel()
	zstdLevel := r.int("compression.zstd.level", 3, between(-131072, 22))
	switch cfg.Producer.Compression {
	case sarama.CompressionGZIP:
		if gzipLevel != -1 {
			cfg.Producer.CompressionLevel = int(gzipLevel)
		}
	case sarama.CompressionZSTD:
		cfg.Producer.CompressionLevel = int(zstdLevel)
	}

	batch := r.int("batch.size", 16384, atLeast(0))
	linger := r.long("linger.ms", 0, atLeast(0))
	if linger > 0 {
		// sarama flushes on a timer or once enough bytes wait; with linger.ms=0 both stay off and
		// sarama sends as soon as it can, batching what arrives while a request is in flight.
		cfg.Producer.Flush.Frequency = millis(linger)
		cfg.Producer.Flush.Bytes = int(batch)
	}
	if size := r.int("max.request.size", 1048576, atLeast(0)); size > 0 {
		cfg.Producer.MaxMessageBytes = int(size)
	} else {
		r.fail("max.request.size", "0 is not supported by connect-standalone (no record would fit)")
	}

	delivery := r.int("delivery.timeout.ms", 120000, atLeast(0))
	if min := linger + c.requestTimeoutMs; delivery < min {
		if r.has("delivery.timeout.ms") {
			r.fail("delivery.timeout.ms", "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms")
		}
		delivery = min
	}
	if c.retryBackoffMs > 0 {
		retries = min(retries, delivery/c.retryBackoffMs)
	}
	if idem {
		retries = max(retries, 1)
	}
	// sarama allocates a slot per allowed retry for every partition it produces to (32 B each): the 21
	// million retries of Connect's defaults would cost 650 MB per partition. A broker that is down does not
	// use up retries (records wait for its metadata, see max.block.ms below), so a bounded number only
	// limits how long a live broker may keep refusing a record before the task fails.
	cfg.Producer.Retry.Max = int(min(retries, maxSendRetries))

	// sarama returns a record as failed as soon as it cannot find its partition's leader, without
	// counting that against Producer.Retry.Max; Java's producer instead waits up to max.block.ms for
	// metadata. Metadata retries over the same span give a record the same patience.
	if block := r.long("max.block.ms", 60000, atLeast(0)); c.retryBackoffMs > 0 {
		cfg.Metadata.Retry.Max = int(min(block/c.retryBackoffMs, math.MaxInt32))
	}

	class := r.str("partitioner.class", "")
	ignoreKeys := r.bool("partitioner.ignore.keys", false)
	if p, ok := partitionerFor(class, ignoreKeys, int(max(batch, 1))); ok {
		cfg.Producer.Partitioner = p
	} else {
		r.fail("partitioner.class", "custom partitioner "+class+" is not supported by connect-standalone ("+whyJavaClass+
			"; Apache's DefaultPartitioner, UniformStickyPartitioner and RoundRobinPartitioner are)")
	}

	r.serde("key.serializer", byteArraySerializer)
	r.serde("value.serializer", byteArraySerializer)
	r.interceptors()
	return r.done(cfg)
}

// ConsumerConfig turns consumer properties (as ConsumerProps builds them) into a sarama configuration
// for a consumer group, with the Java consumer's defaults and validation. groupID and clientID are used
// when props has no group.id / client.id; GroupID(props) is the group to join.
//
// cfg.Version is sarama's default; set it to NegotiateVersion's answer before building a client.
// Java's default assignors are kept: range first, then cooperative-sticky, so the group uses range.
// max.poll.interval.ms becomes the rebalance timeout Java sends when joining the group; sarama has no
// poll-interval liveness check. max.poll.records is for the runner (MaxPollRecords).
func ConsumerConfig(props map[string]string, groupID, clientID string) (*sarama.Config, []Warning, error) {
	r := newReader(Consumer, props)
	cfg := sarama.NewConfig()
	group := r.str("group.id", "")
	if group == "" {
		group = groupID
	}
	if group == "" {
		r.fail("group.id", "required: a sink task's consumer joins a consumer group")
	}
	r.common(cfg, clientID, "consumer-"+group+"-1")

	cfg.RackID = r.str("client.rack", "")
	if r.has("group.instance.id") {
		id := r.str("group.instance.id", "")
		if id == "" {
			r.invalid("group.instance.id", id, "String must be non-empty")
		}
		cfg.Consumer.Group.InstanceId = id
	}
	session := r.int("session.timeout.ms", 45000, bound{})
	heartbeat := r.int("heartbeat.interval.ms", 3000, bound{})
	if heartbeat >= session {
		r.fail("heartbeat.interval.ms", "Heartbeat must be set lower than the session timeout")
	}
	cfg.Consumer.Group.Session.Timeout = millis(session)
	cfg.Consumer.Group.Heartbeat.Interval = millis(heartbeat)
	cfg.Consumer.Group.Rebalance.Timeout = millis(r.int("max.poll.interval.ms", 300000, atLeast(1)))

	names := r.list("partition.assignment.strategy", []string{
		"org.apache.kafka.clients.consumer.RangeAssignor",
		"org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
	})
	var strategies []sarama.BalanceStrategy
	for _, n := range names {
		if n == "" {
			continue
		}
		if newStrategy, ok := assignors[n]; ok {
			strategies = append(strategies, newStrategy())
		} else {
			r.fail("partition.assignment.strategy", "custom assignor "+n+" is not supported by connect-standalone ("+whyJavaClass+
				"; Apache's RangeAssignor, RoundRobinAssignor, StickyAssignor and CooperativeStickyAssignor are)")
		}
	}
	if len(names) == 0 {
		r.fail("partition.assignment.strategy", "Must configure at least one partition assigner class name to partition.assignment.strategy configuration property")
	}
	cfg.Consumer.Group.Rebalance.GroupStrategies = strategies

	autoCommit := r.bool("enable.auto.commit", true)
	cfg.Consumer.Offsets.AutoCommit.Enable = autoCommit
	if interval := r.int("auto.commit.interval.ms", 5000, atLeast(0)); interval > 0 {
		cfg.Consumer.Offsets.AutoCommit.Interval = millis(interval)
	} else if autoCommit {
		r.fail("auto.commit.interval.ms", "0 is not supported by connect-standalone with enable.auto.commit=true (sarama needs a positive interval)")
	}
	switch r.oneOf("auto.offset.reset", "latest", false, "latest", "earliest", "none") {
	case "earliest":
		cfg.Consumer.Offsets.Initial = sarama.OffsetOldest
	case "latest":
		cfg.Consumer.Offsets.Initial = sarama.OffsetNewest
	case "none":
		r.fail("auto.offset.reset", "none is not supported by connect-standalone (sarama cannot fail a partition that has no committed offset; use earliest or latest)")
	}

	// fetch.min.bytes=0 asks the broker to answer at once; sarama needs at least 1, which makes the
	// broker wait up to fetch.max.wait.ms for one byte.
	cfg.Consumer.Fetch.Min = int32(max(r.int("fetch.min.bytes", 1, atLeast(0)), 1))
	cfg.Consumer.Fetch.MaxBytes = int32(r.positive("fetch.max.bytes", 52428800))
	cfg.Consumer.Fetch.Default = int32(r.positive("max.partition.fetch.bytes", 1048576))
	cfg.Consumer.MaxWaitTime = millis(r.positive("fetch.max.wait.ms", 500))
	if r.oneOf("isolation.level", "read_uncommitted", false, "read_committed", "read_uncommitted") == "read_committed" {
		cfg.Consumer.IsolationLevel = sarama.ReadCommitted
	}
	cfg.Metadata.AllowAutoTopicCreation = r.bool("allow.auto.create.topics", true)
	r.int("max.poll.records", 500, atLeast(1))
	if r.has("default.api.timeout.ms") {
		r.int("default.api.timeout.ms", 60000, atLeast(0))
		r.warn("default.api.timeout.ms", "sarama bounds each request by request.timeout.ms")
	}
	if r.has("group.protocol") {
		if p := r.str("group.protocol", "classic"); !strings.EqualFold(p, "classic") {
			r.fail("group.protocol", p+" is not supported by connect-standalone (sarama speaks the classic group protocol)")
		}
	}
	r.serde("key.deserializer", byteArrayDeserializer)
	r.serde("value.deserializer", byteArrayDeserializer)
	r.interceptors()
	return r.done(cfg)
}

// AdminConfig turns admin client properties (AdminProps, WorkerAdminProps) into a sarama configuration
// with the Java admin client's defaults and validation. clientID is used when props has no client.id.
//
// Java retries an admin call until default.api.timeout.ms; sarama counts retries, so the admin client
// retries at most min(retries, default.api.timeout.ms / retry.backoff.ms) times.
func AdminConfig(props map[string]string, clientID string) (*sarama.Config, []Warning, error) {
	r := newReader(Admin, props)
	cfg := sarama.NewConfig()
	c := r.common(cfg, clientID, "adminclient-1")
	retries := r.int("retries", math.MaxInt32, between(0, math.MaxInt32))
	apiTimeout := r.int("default.api.timeout.ms", 60000, atLeast(0))
	if apiTimeout < c.requestTimeoutMs {
		if r.has("default.api.timeout.ms") {
			r.fail("default.api.timeout.ms", "The specified value of default.api.timeout.ms must be no smaller than the value of request.timeout.ms.")
		}
		apiTimeout = c.requestTimeoutMs
	}
	if c.retryBackoffMs > 0 {
		retries = min(retries, apiTimeout/c.retryBackoffMs)
	}
	cfg.Admin.Retry.Max = int(retries)
	cfg.Admin.Timeout = c.requestTimeout
	return r.done(cfg)
}

// shared holds the common settings the client-specific code builds on.
type shared struct {
	requestTimeout   time.Duration
	requestTimeoutMs int64
	retryBackoffMs   int64
}

// common applies the keys every client has: bootstrap.servers, client.id, client.dns.lookup,
// metadata.max.age.ms, retry.backoff.ms, request.timeout.ms, socket.connection.setup.timeout.ms and the
// security keys.
func (r *reader) common(cfg *sarama.Config, clientID, generatedID string) shared {
	if _, err := BootstrapServers(r.props); err != nil {
		r.fail("bootstrap.servers", strings.TrimPrefix(err.Error(), "bootstrap.servers: "))
	}
	r.lookup("bootstrap.servers")

	// An empty client.id makes the Java client generate one, such as producer-1.
	id := r.str("client.id", "")
	if id == "" {
		id = clientID
	}
	if id == "" {
		id = generatedID
	}
	cfg.ClientID = id

	dns := r.oneOf("client.dns.lookup", "use_all_dns_ips", false, "use_all_dns_ips", "resolve_canonical_bootstrap_servers_only")
	cfg.Net.ResolveCanonicalBootstrapServers = dns == "resolve_canonical_bootstrap_servers_only"

	if age := r.long("metadata.max.age.ms", 300000, atLeast(0)); age > 0 {
		cfg.Metadata.RefreshFrequency = millis(age)
	} else {
		r.fail("metadata.max.age.ms", "0 is not supported by connect-standalone (sarama would refresh metadata continuously); use a positive value")
	}

	backoffMs := r.long("retry.backoff.ms", 100, atLeast(0))
	backoff := millis(backoffMs)
	cfg.Metadata.Retry.Backoff = backoff
	cfg.Producer.Retry.Backoff = backoff
	cfg.Consumer.Retry.Backoff = backoff
	cfg.Admin.Retry.Backoff = backoff

	timeoutMs := r.positive("request.timeout.ms", 30000)
	cfg.Net.ReadTimeout = millis(timeoutMs)
	cfg.Net.WriteTimeout = millis(timeoutMs)

	if n := r.long("socket.connection.setup.timeout.ms", 10000, bound{}); n > 0 {
		cfg.Net.DialTimeout = millis(n)
	} else {
		r.fail("socket.connection.setup.timeout.ms", "must be greater than 0 in connect-standalone")
	}

	r.security(cfg)
	return shared{requestTimeout: millis(timeoutMs), requestTimeoutMs: timeoutMs, retryBackoffMs: backoffMs}
}

// positive reads an INT that Java allows to be 0 but sarama needs above 0.
func (r *reader) positive(key string, def int64) int64 {
	n := r.int(key, def, atLeast(0))
	if n == 0 {
		r.fail(key, "0 is not supported by connect-standalone (sarama needs a positive value)")
		return def
	}
	return n
}

// gzipLevel reads compression.gzip.level: 1 to 9, or -1 for the codec's default.
func (r *reader) gzipLevel() int64 {
	if !r.has("compression.gzip.level") {
		return -1
	}
	n := r.int("compression.gzip.level", -1, bound{})
	if n > 9 || n < 1 && n != -1 {
		r.invalid("compression.gzip.level", strconv.FormatInt(n, 10), "Value must be between 1 and 9 or equal to -1")
		return -1
	}
	return n
}

// serde accepts a serializer or deserializer that passes bytes through, the only kind Connect needs:
// converters already turned records into bytes.
func (r *reader) serde(key, want string) {
	raw, ok := r.lookup(key)
	if !ok {
		return
	}
	if class := strings.TrimSpace(raw); class != want {
		r.fail(key, class+" is not supported by connect-standalone: records are already bytes (only "+want+" is accepted)")
		return
	}
	r.warn(key, "records are already bytes: converters produced them")
}

// interceptors accepts an empty interceptor.classes and rejects any interceptor.
func (r *reader) interceptors() {
	if !r.has("interceptor.classes") {
		return
	}
	if len(r.list("interceptor.classes", nil)) == 0 {
		r.warn("interceptor.classes", "it is empty")
		return
	}
	r.fail("interceptor.classes", "not supported by connect-standalone (interceptors are Java classes)")
}

// done sorts out the keys not read yet and checks the result with sarama's own validation.
func (r *reader) done(cfg *sarama.Config) (*sarama.Config, []Warning, error) {
	r.finish()
	if err := r.err(); err != nil {
		return nil, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", r.client, err)
	}
	return cfg, r.warnings(), nil
}

// millis converts milliseconds to a Duration, saturating instead of overflowing for Java's
// Long.MAX_VALUE-style "forever".
func millis(ms int64) time.Duration {
	if ms > math.MaxInt64/int64(time.Millisecond) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(ms) * time.Millisecond
}
