package kafka

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The worker key that chooses which connector overrides are allowed.
const overridePolicyKey = "connector.client.config.override.policy"

// ProducerProps builds the properties of a source task's producer the way Apache's Worker does: Connect's
// forced defaults (bootstrap.servers, acks=all, enable.idempotence=false,
// max.in.flight.requests.per.connection=1, delivery.timeout.ms=2147483647,
// client.id=connector-producer-<conn>-<task>), then the worker's producer.* keys, then the connector's
// producer.override.* keys as far as the override policy allows.
//
// A task below zero leaves the task number out of the client id (connector-producer-<conn>), as Apache
// does for the producers of connector-level operations. Apache's key.serializer and value.serializer
// defaults are left out: records are bytes here anyway. max.block.ms is kept (Long.MAX_VALUE, as Apache
// forces it): it is how long a record may wait for its partition's leader, and a source task must wait for
// a broker that went away rather than fail.
func ProducerProps(worker, connector map[string]string, connName string, task int) (map[string]string, error) {
	return Props(Producer, worker, connector, producerDefaults(worker, clientID("connector-producer-", connName, task)))
}

// DLQProducerProps builds the properties of the producer that writes a sink task's dead letter queue, as
// Apache's Worker does: the same defaults, worker keys and producer.override.* keys as ProducerProps, with
// client.id=connector-dlq-producer-<conn>-<task>.
func DLQProducerProps(worker, connector map[string]string, connName string, task int) (map[string]string, error) {
	return Props(Producer, worker, connector, producerDefaults(worker, clientID("connector-dlq-producer-", connName, task)))
}

// producerDefaults are the properties Connect forces on its producers unless the worker or connector
// overrides them.
func producerDefaults(worker map[string]string, clientID string) map[string]string {
	return map[string]string{
		"bootstrap.servers":                     joinBootstrap(worker),
		"enable.idempotence":                    "false",
		"acks":                                  "all",
		"max.in.flight.requests.per.connection": "1",
		"delivery.timeout.ms":                   "2147483647",
		"max.block.ms":                          "9223372036854775807",
		"client.id":                             clientID,
	}
}

// ConsumerProps builds the properties of a sink task's consumer the way Apache's Worker does: Connect's
// forced defaults (bootstrap.servers, group.id=connect-<conn>, client.id=connector-consumer-<conn>-<task>,
// enable.auto.commit=false, auto.offset.reset=earliest), then the worker's consumer.* keys, then the
// connector's consumer.override.* keys as far as the override policy allows. The task argument works as
// in ProducerProps; Apache's ByteArrayDeserializer defaults are left out.
func ConsumerProps(worker, connector map[string]string, connName string, task int) (map[string]string, error) {
	defaults := map[string]string{
		"group.id":           "connect-" + connName,
		"client.id":          clientID("connector-consumer-", connName, task),
		"bootstrap.servers":  joinBootstrap(worker),
		"enable.auto.commit": "false",
		"auto.offset.reset":  "earliest",
	}
	return Props(Consumer, worker, connector, defaults)
}

// AdminProps builds the properties of a task's admin client (source topic creation, dead letter queue)
// the way Apache's Worker does: bootstrap.servers and client.id=connector-adminclient-<conn>-<task>, then
// the worker's top-level keys, then its admin.* keys, then the connector's admin.override.* keys as far
// as the override policy allows.
//
// Apache hands the admin client every top-level worker key and lets it ignore the ones it does not know.
// Here only the top-level keys that change the admin client's behaviour are kept (security.protocol,
// ssl.*, sasl.*, client.id, timeouts, ...): worker keys such as key.converter or metric.reporters would
// otherwise be reported as unknown or ineffective admin properties.
func AdminProps(worker, connector map[string]string, connName string, task int) (map[string]string, error) {
	return adminProps(worker, connector, clientID("connector-adminclient-", connName, task))
}

// DLQAdminProps builds the properties of the admin client that creates a sink task's dead letter queue
// topic, as AdminProps does but with Apache's client.id for it, connector-dlq-adminclient- (Apache names
// neither the connector nor the task there).
func DLQAdminProps(worker, connector map[string]string) (map[string]string, error) {
	return adminProps(worker, connector, "connector-dlq-adminclient-")
}

func adminProps(worker, connector map[string]string, clientID string) (map[string]string, error) {
	defaults := map[string]string{
		"bootstrap.servers": joinBootstrap(worker),
		"client.id":         clientID,
	}
	for k, v := range worker {
		if isAdminTopLevel(k) {
			defaults[k] = v
		}
	}
	return Props(Admin, worker, connector, defaults)
}

// WorkerAdminProps builds the properties of the admin client the worker uses at start-up to look up the
// Kafka cluster id. Apache builds that client from all top-level worker keys, without client.id and
// without applying the admin.* keys, so a security setting given only as admin.security.protocol does not
// reach it; that is reproduced here.
func WorkerAdminProps(worker map[string]string) map[string]string {
	props := make(map[string]string)
	for k, v := range worker {
		if isAdminTopLevel(k) {
			props[k] = v
		}
	}
	props["bootstrap.servers"] = joinBootstrap(worker)
	return props
}

// isAdminTopLevel reports whether a top-level worker key reaches an admin client: a key the admin client
// knows and that can change what it does.
func isAdminTopLevel(k string) bool {
	if strings.HasPrefix(k, "admin.") || strings.HasPrefix(k, "producer.") || strings.HasPrefix(k, "consumer.") {
		return false
	}
	info, ok := lookupKey(k)
	return ok && info.clients&bitAdmin != 0 && info.kind != noEffect
}

func clientID(prefix, connName string, task int) string {
	if task < 0 {
		return prefix + connName
	}
	return prefix + connName + "-" + strconv.Itoa(task)
}

// Props merges the properties of one client of a connector: defaults first, then the worker's
// "<client>." keys with the prefix stripped, then the connector's "<client>.override." keys with the
// prefix stripped, which the worker's connector.client.config.override.policy must allow. client is
// Producer, Consumer or Admin. Use it for clients the other Props functions do not name, e.g. a dead
// letter queue producer with client.id connector-dlq-producer-<conn>-<task>.
//
// A forbidden override returns an *OverrideError; an unknown policy an error naming it.
func Props(client string, worker, connector, defaults map[string]string) (map[string]string, error) {
	policy, err := ParseOverridePolicy(worker[overridePolicyKey])
	if err != nil {
		return nil, err
	}
	props := make(map[string]string, len(defaults)+8)
	for k, v := range defaults {
		props[k] = v
	}
	for k, v := range withPrefix(worker, client+".") {
		props[k] = v
	}
	overrides := withPrefix(connector, client+".override.")
	if err := policy.Check(client, overrides); err != nil {
		return nil, err
	}
	for k, v := range overrides {
		props[k] = v
	}
	return props, nil
}

// withPrefix returns the entries whose key starts with prefix and is longer than it, prefix stripped
// (Apache's originalsWithPrefix).
func withPrefix(m map[string]string, prefix string) map[string]string {
	out := make(map[string]string)
	for k, v := range m {
		if len(k) > len(prefix) && strings.HasPrefix(k, prefix) {
			out[k[len(prefix):]] = v
		}
	}
	return out
}

// OverridePolicy is the worker's connector.client.config.override.policy: which client properties a
// connector may override with producer.override.*, consumer.override.* and admin.override.* keys.
type OverridePolicy struct{ name string }

// The override policies Apache ships.
var (
	// AllowAll lets a connector override any client property (Apache's default, "All").
	AllowAll = OverridePolicy{"All"}
	// AllowNone rejects every override ("None").
	AllowNone = OverridePolicy{"None"}
	// AllowPrincipal allows only sasl.jaas.config, sasl.mechanism and security.protocol ("Principal").
	AllowPrincipal = OverridePolicy{"Principal"}
)

const policyPackage = "org.apache.kafka.connect.connector.policy."

// ParseOverridePolicy reads a connector.client.config.override.policy value as Apache's plugin loader
// does: "All", "None" or "Principal", the class's simple name (AllConnectorClientConfigOverridePolicy) or
// its full name, case-sensitively. An empty value is the default, All.
func ParseOverridePolicy(value string) (OverridePolicy, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return AllowAll, nil
	}
	for _, p := range []OverridePolicy{AllowAll, AllowNone, AllowPrincipal} {
		class := p.name + "ConnectorClientConfigOverridePolicy"
		if v == p.name || v == class || v == policyPackage+class {
			return p, nil
		}
	}
	return OverridePolicy{}, fmt.Errorf("%s: Failed to find any class that implements interface %sConnectorClientConfigOverridePolicy and which name matches %s",
		overridePolicyKey, policyPackage, v)
}

// Name is the policy's name in Apache's messages: "All", "None" or "Principal".
func (p OverridePolicy) Name() string {
	if p.name == "" {
		return AllowAll.name
	}
	return p.name
}

// Allows reports whether the policy lets a connector override the client property key (without its
// "<client>.override." prefix).
func (p OverridePolicy) Allows(key string) bool {
	switch p.Name() {
	case "None":
		return false
	case "Principal":
		return key == "sasl.jaas.config" || key == "sasl.mechanism" || key == "security.protocol"
	}
	return true
}

// Message is Apache's text for an override the policy forbids.
func (p OverridePolicy) Message(key string) string {
	return "The '" + p.Name() + "' policy does not allow '" + key + "' to be overridden in the connector configuration."
}

// Check returns an *OverrideError listing the overrides (keys without their prefix) the policy forbids
// for client, or nil.
func (p OverridePolicy) Check(client string, overrides map[string]string) error {
	var bad []Violation
	for k := range overrides {
		if !p.Allows(k) {
			bad = append(bad, Violation{Key: client + ".override." + k, Message: p.Message(k)})
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.SortFunc(bad, func(a, b Violation) int { return strings.Compare(a.Key, b.Key) })
	return &OverrideError{Policy: p.Name(), Violations: bad}
}

// Violation is one connector key the override policy forbids.
type Violation struct {
	Key     string // the connector key, e.g. "producer.override.acks"
	Message string // Apache's message, e.g. "The 'None' policy does not allow 'acks' to be overridden in the connector configuration."
}

// OverrideError reports connector overrides the worker's policy forbids. Its messages are the ones
// Apache's validation attaches to each key, so the REST validate endpoint can show them per key.
type OverrideError struct {
	Policy     string
	Violations []Violation // sorted by key
}

func (e *OverrideError) Error() string {
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Message
	}
	return strings.Join(msgs, "\n")
}
