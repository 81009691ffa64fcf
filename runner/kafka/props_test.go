package kafka

import (
	"errors"
	"maps"
	"testing"
)

func TestProducerPropsMergeOrder(t *testing.T) {
	worker := map[string]string{
		"bootstrap.servers":        " a:9092 ,b:9092, c:9092 ",
		"producer.linger.ms":       "5",
		"producer.acks":            "1",   // the worker overrides Connect's acks=all
		"producer.":                "x",   // a bare prefix is no key
		"producer.override.acks":   "0",   // not an override: it becomes the producer key "override.acks"
		"consumer.fetch.min.bytes": "9",   // other clients' keys stay out
		"security.protocol":        "SSL", // top-level keys do not reach producers (Apache's pitfall)
		"key.converter":            "org.apache.kafka.connect.json.JsonConverter",
	}
	connector := map[string]string{
		"producer.override.acks":      "-1", // the connector overrides the worker
		"producer.override.client.id": "mine",
		"producer.override.":          "x",
		"consumer.override.foo":       "y",
		"topic":                       "t",
	}
	got, err := ProducerProps(worker, connector, "src", 3)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"bootstrap.servers":                     "a:9092,b:9092,c:9092",
		"enable.idempotence":                    "false",
		"acks":                                  "-1",
		"max.in.flight.requests.per.connection": "1",
		"delivery.timeout.ms":                   "2147483647",
		"max.block.ms":                          "9223372036854775807",
		"client.id":                             "mine",
		"linger.ms":                             "5",
		"override.acks":                         "0",
	}
	if !maps.Equal(got, want) {
		t.Errorf("ProducerProps =\n%v\nwant\n%v", got, want)
	}
}

func TestPropsDefaults(t *testing.T) {
	worker := map[string]string{}
	p, err := ProducerProps(worker, nil, "my-conn", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p["bootstrap.servers"] != "localhost:9092" || p["client.id"] != "connector-producer-my-conn-0" {
		t.Errorf("producer: %v", p)
	}
	p, _ = ProducerProps(worker, nil, "my-conn", -1)
	if p["client.id"] != "connector-producer-my-conn" {
		t.Errorf("connector-level producer client.id = %q", p["client.id"])
	}

	c, err := ConsumerProps(worker, nil, "sink", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"group.id":           "connect-sink",
		"client.id":          "connector-consumer-sink-2",
		"bootstrap.servers":  "localhost:9092",
		"enable.auto.commit": "false",
		"auto.offset.reset":  "earliest",
	}
	if !maps.Equal(c, want) {
		t.Errorf("ConsumerProps = %v, want %v", c, want)
	}
	if GroupID(c) != "connect-sink" {
		t.Errorf("GroupID = %q", GroupID(c))
	}

	// consumer.group.id on the worker moves every sink into one group, as in Apache.
	c, _ = ConsumerProps(map[string]string{"consumer.group.id": "shared"}, nil, "sink", 0)
	if GroupID(c) != "shared" {
		t.Errorf("GroupID with consumer.group.id = %q", GroupID(c))
	}
}

func TestAdminProps(t *testing.T) {
	worker := map[string]string{
		"bootstrap.servers":        "k:9092",
		"security.protocol":        "SASL_SSL",
		"sasl.mechanism":           "PLAIN",
		"sasl.jaas.config":         "x",
		"ssl.truststore.location":  "/ca.pem",
		"ssl.keymanager.algorithm": "SunX509", // no effect: not passed on
		"client.id":                "worker-admin",
		"request.timeout.ms":       "5000",
		"admin.request.timeout.ms": "7000",
		"admin.retries":            "2",
		"key.converter":            "org.apache.kafka.connect.json.JsonConverter",
		"offset.flush.interval.ms": "10000",
		"metric.reporters":         "com.example.Reporter",
		"producer.acks":            "1",
		"listeners":                "http://:8083",
	}
	connector := map[string]string{"admin.override.retries": "4", "producer.override.acks": "0"}
	got, err := AdminProps(worker, connector, "src", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"bootstrap.servers":       "k:9092",
		"client.id":               "worker-admin", // a top-level client.id replaces Connect's default, as in Apache
		"security.protocol":       "SASL_SSL",
		"sasl.mechanism":          "PLAIN",
		"sasl.jaas.config":        "x",
		"ssl.truststore.location": "/ca.pem",
		"request.timeout.ms":      "7000",
		"retries":                 "4",
	}
	if !maps.Equal(got, want) {
		t.Errorf("AdminProps =\n%v\nwant\n%v", got, want)
	}

	// Start-up lookup: all top-level keys, but not admin.* ones (Apache passes config.originals()).
	got = WorkerAdminProps(worker)
	want = map[string]string{
		"bootstrap.servers":       "k:9092",
		"client.id":               "worker-admin",
		"security.protocol":       "SASL_SSL",
		"sasl.mechanism":          "PLAIN",
		"sasl.jaas.config":        "x",
		"ssl.truststore.location": "/ca.pem",
		"request.timeout.ms":      "5000",
	}
	if !maps.Equal(got, want) {
		t.Errorf("WorkerAdminProps =\n%v\nwant\n%v", got, want)
	}
}

// TestSecurityPitfall: a top-level security.protocol secures admin clients only; producers and consumers
// need their own prefixed keys, exactly as in Apache standalone.
func TestSecurityPitfall(t *testing.T) {
	worker := map[string]string{"bootstrap.servers": "k:9092", "security.protocol": "SSL"}
	p, _ := ProducerProps(worker, nil, "c", 0)
	c, _ := ConsumerProps(worker, nil, "c", 0)
	a, _ := AdminProps(worker, nil, "c", 0)
	if _, ok := p["security.protocol"]; ok {
		t.Error("top-level security.protocol reached the producer")
	}
	if _, ok := c["security.protocol"]; ok {
		t.Error("top-level security.protocol reached the consumer")
	}
	if a["security.protocol"] != "SSL" {
		t.Error("top-level security.protocol did not reach the admin client")
	}
}

func TestOverridePolicies(t *testing.T) {
	connector := map[string]string{
		"producer.override.acks":              "0",
		"producer.override.sasl.jaas.config":  "secret",
		"producer.override.security.protocol": "SASL_SSL",
		"producer.override.sasl.mechanism":    "PLAIN",
		"producer.override.linger.ms":         "5",
	}
	tests := []struct {
		policy string
		want   *OverrideError
	}{
		{"", nil},
		{"All", nil},
		{"org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy", nil},
		{"None", &OverrideError{Policy: "None", Violations: []Violation{
			{"producer.override.acks", "The 'None' policy does not allow 'acks' to be overridden in the connector configuration."},
			{"producer.override.linger.ms", "The 'None' policy does not allow 'linger.ms' to be overridden in the connector configuration."},
			{"producer.override.sasl.jaas.config", "The 'None' policy does not allow 'sasl.jaas.config' to be overridden in the connector configuration."},
			{"producer.override.sasl.mechanism", "The 'None' policy does not allow 'sasl.mechanism' to be overridden in the connector configuration."},
			{"producer.override.security.protocol", "The 'None' policy does not allow 'security.protocol' to be overridden in the connector configuration."},
		}}},
		{"Principal", &OverrideError{Policy: "Principal", Violations: []Violation{
			{"producer.override.acks", "The 'Principal' policy does not allow 'acks' to be overridden in the connector configuration."},
			{"producer.override.linger.ms", "The 'Principal' policy does not allow 'linger.ms' to be overridden in the connector configuration."},
		}}},
		{" PrincipalConnectorClientConfigOverridePolicy ", &OverrideError{Policy: "Principal", Violations: []Violation{
			{"producer.override.acks", "The 'Principal' policy does not allow 'acks' to be overridden in the connector configuration."},
			{"producer.override.linger.ms", "The 'Principal' policy does not allow 'linger.ms' to be overridden in the connector configuration."},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.policy, func(t *testing.T) {
			worker := map[string]string{"connector.client.config.override.policy": tt.policy}
			props, err := ProducerProps(worker, connector, "c", 0)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if props["acks"] != "0" || props["sasl.jaas.config"] != "secret" {
					t.Errorf("overrides not applied: %v", props)
				}
				return
			}
			var oe *OverrideError
			if !errors.As(err, &oe) {
				t.Fatalf("err = %v, want an *OverrideError", err)
			}
			if oe.Policy != tt.want.Policy || len(oe.Violations) != len(tt.want.Violations) {
				t.Fatalf("got %+v, want %+v", oe, tt.want)
			}
			for i := range oe.Violations {
				if oe.Violations[i] != tt.want.Violations[i] {
					t.Errorf("violation %d = %+v, want %+v", i, oe.Violations[i], tt.want.Violations[i])
				}
			}
		})
	}

	// Principal lets the principal through for every client.
	worker := map[string]string{"connector.client.config.override.policy": "Principal"}
	_, err := ConsumerProps(worker, map[string]string{"consumer.override.sasl.jaas.config": "x", "consumer.override.max.poll.records": "5"}, "c", 0)
	if err == nil || err.Error() != "The 'Principal' policy does not allow 'max.poll.records' to be overridden in the connector configuration." {
		t.Errorf("consumer override error = %v", err)
	}
	_, err = AdminProps(worker, map[string]string{"admin.override.security.protocol": "SSL"}, "c", 0)
	if err != nil {
		t.Errorf("admin override of security.protocol: %v", err)
	}
}

func TestUnknownOverridePolicy(t *testing.T) {
	for _, v := range []string{"all", "Custom", "com.example.MyPolicy"} {
		_, err := ParseOverridePolicy(v)
		want := "connector.client.config.override.policy: Failed to find any class that implements interface org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy and which name matches " + v
		if err == nil || err.Error() != want {
			t.Errorf("ParseOverridePolicy(%q) = %v, want %q", v, err, want)
		}
		_, err = ProducerProps(map[string]string{"connector.client.config.override.policy": v}, nil, "c", 0)
		if err == nil || err.Error() != want {
			t.Errorf("ProducerProps with policy %q: %v", v, err)
		}
	}
	for v, want := range map[string]OverridePolicy{"None": AllowNone, "NoneConnectorClientConfigOverridePolicy": AllowNone, "All": AllowAll} {
		if got, err := ParseOverridePolicy(v); err != nil || got != want {
			t.Errorf("ParseOverridePolicy(%q) = %v, %v", v, got, err)
		}
	}
}

func TestMaxPollRecords(t *testing.T) {
	n, err := MaxPollRecords(map[string]string{})
	if err != nil || n != 500 {
		t.Errorf("default: %d, %v", n, err)
	}
	n, err = MaxPollRecords(map[string]string{"max.poll.records": " 50 "})
	if err != nil || n != 50 {
		t.Errorf("50: %d, %v", n, err)
	}
	_, err = MaxPollRecords(map[string]string{"max.poll.records": "0"})
	if err == nil || err.Error() != "consumer.max.poll.records: Invalid value 0 for configuration max.poll.records: Value must be at least 1" {
		t.Errorf("0: %v", err)
	}
}

func TestBootstrapServers(t *testing.T) {
	got, err := BootstrapServers(map[string]string{"bootstrap.servers": " a:1 , [::1]:9092,,b.example:9093 "})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a:1", "[::1]:9092", "b.example:9093"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("BootstrapServers = %q", got)
	}
	if _, err := BootstrapServers(map[string]string{"bootstrap.servers": "a:x"}); err == nil || err.Error() != "bootstrap.servers: Invalid url in bootstrap.servers: a:x" {
		t.Errorf("a:x: %v", err)
	}
}

// TestDLQProps: the dead letter queue's clients get Apache's client ids and the producer's Connect
// defaults; worker and connector keys apply as to any producer or admin client.
func TestDLQProps(t *testing.T) {
	worker := map[string]string{"bootstrap.servers": "k:9092", "producer.linger.ms": "7", "security.protocol": "SSL",
		"admin.request.timeout.ms": "1000"}
	connector := map[string]string{"producer.override.acks": "1", "admin.override.retries": "3"}
	p, err := DLQProducerProps(worker, connector, "snk", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"bootstrap.servers":                     "k:9092",
		"enable.idempotence":                    "false",
		"acks":                                  "1",
		"max.in.flight.requests.per.connection": "1",
		"delivery.timeout.ms":                   "2147483647",
		"max.block.ms":                          "9223372036854775807",
		"client.id":                             "connector-dlq-producer-snk-2",
		"linger.ms":                             "7",
	}
	if !maps.Equal(p, want) {
		t.Errorf("DLQProducerProps =\n%v\nwant\n%v", p, want)
	}
	a, err := DLQAdminProps(worker, connector)
	if err != nil {
		t.Fatal(err)
	}
	wantAdmin := map[string]string{"bootstrap.servers": "k:9092", "client.id": "connector-dlq-adminclient-",
		"security.protocol": "SSL", "request.timeout.ms": "1000", "retries": "3"}
	if !maps.Equal(a, wantAdmin) {
		t.Errorf("DLQAdminProps =\n%v\nwant\n%v", a, wantAdmin)
	}
	if _, err := DLQProducerProps(map[string]string{"connector.client.config.override.policy": "None"}, connector, "snk", 0); err == nil {
		t.Error("a forbidden producer.override was accepted for the DLQ producer")
	}
}
