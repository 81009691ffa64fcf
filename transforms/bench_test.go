package transforms

import (
	"testing"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func benchChain(b *testing.B, props map[string]string) *Chain {
	b.Helper()
	cfg := map[string]string{"name": "c", "connector.class": "FileStreamSource"}
	for k, v := range props {
		cfg[k] = v
	}
	c, err := NewChain(fullRegistry(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

var insertStatic = map[string]string{
	"transforms":                           "InsertSource",
	"transforms.InsertSource.type":         "org.apache.kafka.connect.transforms.InsertField$Value",
	"transforms.InsertSource.static.field": "data_source",
	"transforms.InsertSource.static.value": "test-file-source",
	"transforms.InsertSource.topic.field":  "topic",
}

func BenchmarkInsertFieldSchemaless(b *testing.B) {
	c := benchChain(b, insertStatic)
	m := sampleMap()
	r := &connectors.Record{Topic: "orders", Partition: connectors.AnyPartition}
	b.ReportAllocs()
	for b.Loop() {
		r.Value = m
		if _, err := c.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInsertFieldStruct(b *testing.B) {
	c := benchChain(b, insertStatic)
	s := sampleStruct(b)
	r := &connectors.Record{Topic: "orders", Partition: connectors.AnyPartition}
	b.ReportAllocs()
	for b.Loop() {
		r.ValueSchema, r.Value = sampleSchema, s
		if _, err := c.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegexRouter(b *testing.B) {
	c := benchChain(b, map[string]string{
		"transforms":                   "route",
		"transforms.route.type":        "RegexRouter",
		"transforms.route.regex":       "(.*)ders",
		"transforms.route.replacement": "$1-x",
	})
	r := &connectors.Record{}
	b.ReportAllocs()
	for b.Loop() {
		r.Topic = "orders"
		if _, err := c.Apply(r); err != nil || r.Topic != "or-x" {
			b.Fatal(r.Topic, err)
		}
	}
}

func BenchmarkFilterWithPredicate(b *testing.B) {
	c := benchChain(b, map[string]string{
		"transforms":                "drop",
		"transforms.drop.type":      "Filter",
		"transforms.drop.predicate": "isTmp",
		"predicates":                "isTmp",
		"predicates.isTmp.type":     "TopicNameMatches",
		"predicates.isTmp.pattern":  "tmp-.*",
	})
	topics := []string{"tmp-orders", "orders"}
	r := &connectors.Record{}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.Topic = topics[i&1]
		i++
		if _, err := c.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
}
