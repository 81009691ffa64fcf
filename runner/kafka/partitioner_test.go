package kafka

import (
	"slices"
	"strings"
	"testing"

	"github.com/IBM/sarama"
)

func partitioner(t *testing.T, kv ...string) sarama.DynamicConsistencyPartitioner {
	t.Helper()
	cfg, _, err := ProducerConfig(connectProducer(t, kv...), "")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := cfg.Producer.Partitioner("topic").(sarama.DynamicConsistencyPartitioner)
	if !ok {
		t.Fatal("partitioner cannot tell per record whether its choice must be kept")
	}
	return p
}

func msg(key string, partition int32, valueSize int) *sarama.ProducerMessage {
	m := &sarama.ProducerMessage{Topic: "topic", Partition: partition, Value: sarama.ByteEncoder(make([]byte, valueSize))}
	if key != "" {
		m.Key = sarama.StringEncoder(key)
	}
	return m
}

// Java's murmur2 of some keys, from Apache Kafka's own tests of Utils.murmur2.
var javaMurmur2 = map[string]int32{
	"21":                       -973932308,
	"foobar":                   -790332482,
	"a-little-bit-long-string": -985981536,
	"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
	"abc": 479470107,
}

func TestKeyedRecordsGoWhereJavaPutsThem(t *testing.T) {
	for _, class := range []string{"", defaultPartitionerClass} {
		p := partitioner(t, "partitioner.class", class)
		for key, h := range javaMurmur2 {
			for _, n := range []int32{1, 3, 7, 10} {
				got, err := p.Partition(msg(key, -1, 1), n)
				if want := (h & 0x7fffffff) % n; err != nil || got != want {
					t.Errorf("class %q, key %q, %d partitions: %d, %v; Java: %d", class, key, n, got, err, want)
				}
			}
		}
	}
}

func TestExplicitPartition(t *testing.T) {
	for _, class := range []string{"", defaultPartitionerClass, uniformStickyPartitionerClass, roundRobinPartitionerClass} {
		p := partitioner(t, "partitioner.class", class)
		if got, err := p.Partition(msg("21", 4, 1), 10); err != nil || got != 4 {
			t.Errorf("class %q: explicit partition 4 -> %d, %v", class, got, err)
		}
		_, err := p.Partition(msg("", 12, 1), 10)
		if err == nil || err.Error() != "Invalid partition given with record: 12 is not in the range [0...10]." {
			t.Errorf("class %q: out of range: %v", class, err)
		}
		if !p.MessageRequiresConsistency(msg("", 4, 1)) {
			t.Errorf("class %q: an explicit partition may be moved", class)
		}
	}
}

// runs returns the lengths of the runs of equal partitions.
func runs(parts []int32) []int {
	var out []int
	for i, p := range parts {
		if i == 0 || p != parts[i-1] {
			out = append(out, 0)
		}
		out[len(out)-1]++
	}
	return out
}

func TestStickyRecords(t *testing.T) {
	tests := []struct {
		name  string
		kv    []string
		key   string
		keyed bool // whether keyed records keep their hashed partition
	}{
		{"records without key", nil, "", true},
		{"keys ignored", []string{"partitioner.ignore.keys", "true"}, "k", false},
		{"UniformStickyPartitioner", []string{"partitioner.class", uniformStickyPartitionerClass}, "k", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 30-byte values count 31 bytes: a partition takes 4 records before batch.size=100 is reached.
			p := partitioner(t, append(tt.kv, "batch.size", "100")...)
			var parts []int32
			used := map[int32]bool{}
			for i := 0; i < 400; i++ {
				key := tt.key
				if key != "" {
					key += strings.Repeat("x", i%7) // different keys, one partition
				}
				got, err := p.Partition(msg(key, -1, 30-len(key)), 10)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, got)
				used[got] = true
			}
			r := runs(parts)
			for i, n := range r[:len(r)-1] {
				if n%4 != 0 {
					t.Fatalf("run %d has %d records; a partition takes records in groups of 4: %v", i, n, r)
				}
			}
			if len(used) < 3 {
				t.Errorf("400 records used only partitions %v", used)
			}
			if p.MessageRequiresConsistency(msg(tt.key, -1, 1)) {
				t.Error("a sticky record must be allowed onto another partition")
			}
			if got := p.MessageRequiresConsistency(msg("abc", -1, 1)); got != tt.keyed {
				t.Errorf("MessageRequiresConsistency(keyed record) = %v, want %v", got, tt.keyed)
			}
			if got, _ := p.Partition(msg("abc", -1, 1), 10); tt.keyed && got != 7 {
				t.Errorf("a keyed record went to partition %d, not to its hashed partition 7", got)
			}
		})
	}

	// Keys still decide with the DefaultPartitioner, whatever partitioner.ignore.keys says.
	p := partitioner(t, "partitioner.class", defaultPartitionerClass, "partitioner.ignore.keys", "true")
	if got, _ := p.Partition(msg("abc", -1, 1), 10); got != 7 {
		t.Errorf("DefaultPartitioner ignored the key: %d", got)
	}
	if !p.MessageRequiresConsistency(msg("abc", -1, 1)) {
		t.Error("a hashed key must keep its partition")
	}
}

func TestRoundRobinPartitioner(t *testing.T) {
	p := partitioner(t, "partitioner.class", roundRobinPartitionerClass)
	var got []int32
	for i := 0; i < 7; i++ {
		n, err := p.Partition(msg("same-key", -1, 1), 3)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	if want := []int32{0, 1, 2, 0, 1, 2, 0}; !slices.Equal(got, want) {
		t.Errorf("round robin = %v, want %v", got, want)
	}
	if p.MessageRequiresConsistency(msg("same-key", -1, 1)) {
		t.Error("round robin must be allowed to skip an unavailable partition")
	}
}
