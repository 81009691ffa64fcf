package kafka

import "strings"

// javaType is the ConfigDef type of a Java client key.
type javaType uint8

const (
	tString javaType = iota
	tBool
	tInt
	tShort
	tLong
	tDouble
	tList
	tClass
	tPassword
)

// keyKind says what connect-standalone does with a Java client key.
type keyKind uint8

const (
	mapped      keyKind = iota // translated onto sarama (possibly only in some settings, like ssl.*)
	noEffect                   // accepted with a Warning: it only tunes the JVM client
	unsupported                // rejected: its behaviour cannot be honoured
)

const (
	bitProducer uint8 = 1 << iota
	bitConsumer
	bitAdmin
	bitAll = bitProducer | bitConsumer | bitAdmin
)

func clientBit(client string) uint8 {
	switch client {
	case Producer:
		return bitProducer
	case Consumer:
		return bitConsumer
	case Admin:
		return bitAdmin
	}
	return 0
}

func clientNames(bits uint8) string {
	var names []string
	for _, c := range []string{Producer, Consumer, Admin} {
		if bits&clientBit(c) != 0 {
			names = append(names, c)
		}
	}
	return strings.Join(names, " and ")
}

type keyInfo struct {
	clients uint8
	typ     javaType
	kind    keyKind
	reason  string
}

// Reasons shown in warnings and errors.
const (
	whyMetrics     = "connect-standalone does not export Java client metrics"
	whySocket      = "the operating system sizes socket buffers"
	whyReconnect   = "sarama reconnects when the next request needs the broker"
	whyJVMSecurity = "the Go TLS stack is used, not the JVM's"
	whySASLOther   = "used only by the GSSAPI and OAUTHBEARER mechanisms, which connect-standalone does not support"
	whyJavaClass   = "it names a Java class, and connect-standalone runs no Java code"
	whyNoTxn       = "transactions are not implemented"
)

// keyTable lists every key of Apache's producer, consumer and admin client configurations (3.6, plus the
// few later keys users carry over from newer versions), with what connect-standalone does with it.
// Keys read by the Config functions are "mapped"; finish uses the table for everything else.
var keyTable = func() map[string]keyInfo {
	t := make(map[string]keyInfo, 160)
	add := func(clients uint8, typ javaType, kind keyKind, reason string, keys ...string) {
		for _, k := range keys {
			t[k] = keyInfo{clients: clients, typ: typ, kind: kind, reason: reason}
		}
	}

	// Shared by all three clients.
	add(bitAll, tList, mapped, "", "bootstrap.servers")
	add(bitAll, tString, mapped, "", "client.id", "client.dns.lookup", "security.protocol")
	add(bitAll, tLong, mapped, "", "metadata.max.age.ms", "retry.backoff.ms", "socket.connection.setup.timeout.ms")
	add(bitAll, tInt, mapped, "", "request.timeout.ms")
	add(bitAll, tInt, noEffect, whySocket, "send.buffer.bytes", "receive.buffer.bytes")
	add(bitAll, tLong, noEffect, whyReconnect, "reconnect.backoff.ms", "reconnect.backoff.max.ms")
	add(bitAll, tLong, noEffect, "retries wait a fixed retry.backoff.ms", "retry.backoff.max.ms")
	add(bitAll, tLong, noEffect, "a connection attempt is bounded by socket.connection.setup.timeout.ms",
		"socket.connection.setup.timeout.max.ms")
	add(bitAll, tLong, noEffect, "sarama keeps idle connections open", "connections.max.idle.ms")
	add(bitAll, tLong, noEffect, whyMetrics, "metrics.sample.window.ms")
	add(bitAll, tInt, noEffect, whyMetrics, "metrics.num.samples")
	add(bitAll, tString, noEffect, whyMetrics, "metrics.recording.level")
	add(bitAll, tList, noEffect, whyMetrics, "metric.reporters")
	add(bitAll, tBool, noEffect, "there is no JMX", "auto.include.jmx.reporter")
	add(bitAll, tBool, noEffect, "client telemetry is not sent", "enable.metrics.push")
	add(bitAll, tString, noEffect, "sarama falls back to the bootstrap servers by itself", "metadata.recovery.strategy")
	add(bitAll, tString, unsupported, "custom security providers are Java classes", "security.providers")

	// TLS, used when security.protocol is SSL or SASL_SSL.
	add(bitAll, tString, mapped, "", "ssl.protocol", "ssl.keystore.type", "ssl.keystore.location",
		"ssl.truststore.type", "ssl.truststore.location", "ssl.endpoint.identification.algorithm")
	add(bitAll, tList, mapped, "", "ssl.enabled.protocols", "ssl.cipher.suites")
	add(bitAll, tPassword, mapped, "", "ssl.keystore.password", "ssl.key.password", "ssl.keystore.key",
		"ssl.keystore.certificate.chain", "ssl.truststore.password", "ssl.truststore.certificates")
	add(bitAll, tString, noEffect, whyJVMSecurity, "ssl.provider", "ssl.keymanager.algorithm",
		"ssl.trustmanager.algorithm", "ssl.secure.random.implementation")
	add(bitAll, tClass, unsupported, whyJavaClass, "ssl.engine.factory.class")

	// SASL, used when security.protocol is SASL_PLAINTEXT or SASL_SSL.
	add(bitAll, tString, mapped, "", "sasl.mechanism")
	add(bitAll, tPassword, mapped, "", "sasl.jaas.config")
	add(bitAll, tString, noEffect, whySASLOther, "sasl.kerberos.service.name", "sasl.kerberos.kinit.cmd",
		"sasl.oauthbearer.scope.claim.name", "sasl.oauthbearer.sub.claim.name",
		"sasl.oauthbearer.token.endpoint.url", "sasl.oauthbearer.jwks.endpoint.url",
		"sasl.oauthbearer.expected.issuer")
	add(bitAll, tDouble, noEffect, whySASLOther, "sasl.kerberos.ticket.renew.window.factor",
		"sasl.kerberos.ticket.renew.jitter", "sasl.login.refresh.window.factor", "sasl.login.refresh.window.jitter")
	add(bitAll, tLong, noEffect, whySASLOther, "sasl.kerberos.min.time.before.relogin",
		"sasl.login.retry.backoff.max.ms", "sasl.login.retry.backoff.ms", "sasl.oauthbearer.jwks.endpoint.refresh.ms",
		"sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms")
	add(bitAll, tShort, noEffect, whySASLOther, "sasl.login.refresh.min.period.seconds",
		"sasl.login.refresh.buffer.seconds")
	add(bitAll, tInt, noEffect, whySASLOther, "sasl.login.connect.timeout.ms", "sasl.login.read.timeout.ms",
		"sasl.oauthbearer.clock.skew.seconds")
	add(bitAll, tList, noEffect, whySASLOther, "sasl.oauthbearer.expected.audience")
	add(bitAll, tClass, unsupported, whyJavaClass, "sasl.client.callback.handler.class",
		"sasl.login.callback.handler.class", "sasl.login.class")

	// Producer.
	add(bitProducer, tString, mapped, "", "acks", "compression.type")
	add(bitProducer, tInt, mapped, "", "compression.gzip.level", "compression.zstd.level", "batch.size",
		"delivery.timeout.ms", "max.request.size", "max.in.flight.requests.per.connection")
	add(bitProducer|bitAdmin, tInt, mapped, "", "retries")
	add(bitProducer, tLong, mapped, "", "linger.ms")
	add(bitProducer, tBool, mapped, "", "enable.idempotence", "partitioner.ignore.keys")
	add(bitProducer, tClass, mapped, "", "partitioner.class", "key.serializer", "value.serializer")
	add(bitProducer, tLong, noEffect, "sarama manages its own buffers", "buffer.memory")
	add(bitProducer, tLong, mapped, "", "max.block.ms")
	add(bitProducer, tInt, noEffect, "sarama's lz4 writer has one fixed level", "compression.lz4.level")
	add(bitProducer, tBool, noEffect, "records without a key move on after batch.size bytes, without load-based weighting",
		"partitioner.adaptive.partitioning.enable")
	add(bitProducer, tLong, noEffect, "records without a key move on after batch.size bytes, without load-based weighting",
		"partitioner.availability.timeout.ms")
	add(bitProducer, tLong, noEffect, "sarama keeps metadata for every topic it has produced to", "metadata.max.idle.ms")
	add(bitProducer, tInt, noEffect, whyNoTxn, "transaction.timeout.ms")
	add(bitProducer, tString, unsupported, whyNoTxn, "transactional.id")
	add(bitProducer|bitConsumer, tList, mapped, "", "interceptor.classes")

	// Consumer.
	add(bitConsumer, tString, mapped, "", "group.id", "group.instance.id", "client.rack", "auto.offset.reset",
		"isolation.level", "group.protocol")
	add(bitConsumer, tInt, mapped, "", "session.timeout.ms", "heartbeat.interval.ms", "auto.commit.interval.ms",
		"max.partition.fetch.bytes", "fetch.min.bytes", "fetch.max.bytes", "fetch.max.wait.ms", "max.poll.records",
		"max.poll.interval.ms")
	add(bitConsumer, tBool, mapped, "", "enable.auto.commit", "allow.auto.create.topics")
	add(bitConsumer, tList, mapped, "", "partition.assignment.strategy")
	add(bitConsumer, tClass, mapped, "", "key.deserializer", "value.deserializer")
	add(bitConsumer, tBool, noEffect, "sarama always checks record CRCs", "check.crcs")
	add(bitConsumer, tBool, noEffect, "the runner decides which topics a sink reads", "exclude.internal.topics")
	add(bitConsumer, tString, noEffect, "used only by the consumer group protocol, which connect-standalone does not use",
		"group.remote.assignor")
	// The admin client bounds its retries by default.api.timeout.ms; the consumer warns that it has no
	// effect there.
	add(bitConsumer|bitAdmin, tInt, mapped, "", "default.api.timeout.ms")
	return t
}()

// lookupKey finds a key of the table. Keys of Apache's metrics.context.* namespace, which Connect adds to
// every client, have no effect.
func lookupKey(key string) (keyInfo, bool) {
	if info, ok := keyTable[key]; ok {
		return info, true
	}
	if strings.HasPrefix(key, "metrics.context.") {
		return keyInfo{clients: bitAll, kind: noEffect, reason: whyMetrics}, true
	}
	return keyInfo{}, false
}
