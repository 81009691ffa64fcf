// Package kafka builds sarama clients configured the way Apache Kafka Connect configures its Java clients.
//
// It works in two steps, as Apache's Worker does. First the Props functions merge the client properties
// of one connector task: Connect's forced defaults, then the worker's producer.* / consumer.* / admin.*
// keys, then the connector's <client>.override.* keys as far as the worker's
// connector.client.config.override.policy allows. Then the Config functions turn those Java client
// properties (acks, linger.ms, security.protocol, sasl.jaas.config, ssl.truststore.location, ...) into a
// *sarama.Config with Java's defaults and Java's validation messages.
//
// Every Java client key is either mapped onto sarama, accepted with a Warning because it only tunes the
// JVM client (buffer.memory, metric.reporters, ...), or rejected with an error naming the key and the
// reason (transactional.id, custom classes, GSSAPI, unknown keys). Secrets never appear in errors or
// warnings.
package kafka

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
)

// Client names, as they prefix keys in the worker configuration ("producer.acks") and in messages.
const (
	Producer = "producer"
	Consumer = "consumer"
	Admin    = "admin"
)

// Warning is a client property that connect-standalone accepts but that has no effect here, because it
// only tunes the Java client. The runner logs it once.
type Warning struct {
	Client string // Producer, Consumer or Admin
	Key    string // the client property, e.g. "buffer.memory"
	Reason string // why it has no effect, e.g. "sarama manages its own buffers"
}

// String reads "producer.buffer.memory has no effect in connect-standalone (sarama manages its own buffers)".
func (w Warning) String() string {
	s := w.Client + "." + w.Key + " has no effect in connect-standalone"
	if w.Reason != "" {
		s += " (" + w.Reason + ")"
	}
	return s
}

// ConfigError is a client property connect-standalone rejects: an invalid value, a setting it cannot
// honour, or an unknown key. Several of them are joined with errors.Join; errors.As finds the first.
type ConfigError struct {
	Client string // Producer, Consumer or Admin
	Key    string // the client property, e.g. "transactional.id"
	Msg    string // what is wrong; never contains a secret value
}

// Error reads "producer.transactional.id: not supported by connect-standalone (transactions are not
// implemented)".
func (e *ConfigError) Error() string { return e.Client + "." + e.Key + ": " + e.Msg }

// joinBootstrap parses the worker's bootstrap.servers (default localhost:9092) and joins it again with
// bare commas, which is what WorkerConfig.bootstrapServers() hands to every client.
func joinBootstrap(worker map[string]string) string {
	v, ok := worker["bootstrap.servers"]
	if !ok {
		return "localhost:9092"
	}
	return strings.Join(config.SplitList(v), ",")
}

// BootstrapServers returns the broker addresses of a client's properties, checked the way the Java client
// checks them (ClientUtils.parseAndValidateAddresses): every entry must be host:port.
func BootstrapServers(props map[string]string) ([]string, error) {
	const key = "bootstrap.servers"
	var addrs []string
	for _, a := range config.SplitList(props[key]) {
		if a == "" {
			continue
		}
		host, port, err := net.SplitHostPort(a)
		if err != nil || host == "" || !allDigits(port) {
			return nil, fmt.Errorf("%s: Invalid url in %s: %s", key, key, a)
		}
		if n, err := strconv.Atoi(port); err != nil || n > 65535 {
			return nil, fmt.Errorf("%s: Invalid port in %s: %s", key, key, a)
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%s: No resolvable bootstrap urls given in %s", key, key)
	}
	return addrs, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// GroupID returns the consumer group of a sink task's consumer properties: connect-<connector> unless a
// consumer.group.id worker key or a consumer.override.group.id connector key replaced it.
func GroupID(props map[string]string) string {
	return strings.TrimSpace(props["group.id"])
}

// MaxPollRecords returns max.poll.records (default 500): the most records one poll hands to a sink task's
// put. sarama has no such setting, so the runner applies it when it batches records for put.
func MaxPollRecords(props map[string]string) (int, error) {
	r := newReader(Consumer, props)
	n := r.int("max.poll.records", 500, atLeast(1))
	return int(n), r.err()
}
