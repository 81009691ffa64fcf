package kafka

import (
	"fmt"
	"math/rand/v2"

	"github.com/IBM/sarama"
)

// Apache's built-in partitioner classes.
const (
	defaultPartitionerClass       = "org.apache.kafka.clients.producer.internals.DefaultPartitioner"
	uniformStickyPartitionerClass = "org.apache.kafka.clients.producer.UniformStickyPartitioner"
	roundRobinPartitionerClass    = "org.apache.kafka.clients.producer.RoundRobinPartitioner"
)

// partitionerFor returns the sarama partitioner that places records as Apache's producer does with
// partitioner.class (empty: the built-in partitioner), partitioner.ignore.keys and batch.size.
//
// Every partitioner sends a message whose Partition is already >= 0 to that partition, as the Java
// producer does with a record that names its partition (a SourceRecord's kafkaPartition); callers set
// Partition to -1 to let the partitioner choose.
func partitionerFor(class string, ignoreKeys bool, batchSize int) (sarama.PartitionerConstructor, bool) {
	switch class {
	case "":
		return stickyConstructor(!ignoreKeys, batchSize), true
	case defaultPartitionerClass:
		// The deprecated DefaultPartitioner hashes keys and sticks for records without key; it does
		// not look at partitioner.ignore.keys.
		return stickyConstructor(true, batchSize), true
	case uniformStickyPartitionerClass:
		return stickyConstructor(false, batchSize), true
	case roundRobinPartitionerClass:
		return func(string) sarama.Partitioner { return &explicitFirst{inner: &roundRobin{}} }, true
	}
	return nil, false
}

func stickyConstructor(useKeys bool, batchSize int) sarama.PartitionerConstructor {
	return func(topic string) sarama.Partitioner {
		p := &sticky{batchSize: batchSize, current: -1}
		if useKeys {
			p.hash = sarama.NewMurmur2Partitioner(topic)
		}
		return &explicitFirst{inner: p}
	}
}

// explicitFirst honours a partition the record names before asking its inner partitioner.
type explicitFirst struct{ inner choosingPartitioner }

// choosingPartitioner chooses a partition among n and says per message whether that choice must be kept
// when partitions are unavailable (a key's partition must; a record without key may move on).
type choosingPartitioner interface {
	Partition(msg *sarama.ProducerMessage, n int32) (int32, error)
	consistent(msg *sarama.ProducerMessage) bool
}

func (p *explicitFirst) Partition(msg *sarama.ProducerMessage, n int32) (int32, error) {
	if msg.Partition >= 0 {
		if msg.Partition >= n {
			return -1, fmt.Errorf("Invalid partition given with record: %d is not in the range [0...%d].", msg.Partition, n)
		}
		return msg.Partition, nil
	}
	return p.inner.Partition(msg, n)
}

func (p *explicitFirst) RequiresConsistency() bool { return true }

// MessageRequiresConsistency makes sarama offer all partitions when the choice is fixed (explicit
// partition, hashed key) and only the writable ones otherwise.
func (p *explicitFirst) MessageRequiresConsistency(msg *sarama.ProducerMessage) bool {
	return msg.Partition >= 0 || p.inner.consistent(msg)
}

// sticky is Java's built-in partitioning: a record with a key goes to murmur2(key) mod partitions; records
// without key (or all records, when keys are ignored) stay on one partition until batch.size bytes went
// there, then move to a random partition, so that they fill batches instead of scattering.
type sticky struct {
	hash      sarama.Partitioner // murmur2 of the key; nil when keys are ignored
	batchSize int
	current   int32
	produced  int
}

func (p *sticky) Partition(msg *sarama.ProducerMessage, n int32) (int32, error) {
	if p.hash != nil && msg.Key != nil {
		return p.hash.Partition(msg, n)
	}
	if p.current < 0 || p.current >= n || p.produced >= p.batchSize {
		p.current = rand.Int32N(n)
		p.produced = 0
	}
	p.produced += recordSize(msg)
	return p.current, nil
}

func (p *sticky) consistent(msg *sarama.ProducerMessage) bool { return p.hash != nil && msg.Key != nil }

func recordSize(msg *sarama.ProducerMessage) int {
	n := 1
	if msg.Key != nil {
		n += msg.Key.Length()
	}
	if msg.Value != nil {
		n += msg.Value.Length()
	}
	return n
}

// roundRobin is Java's RoundRobinPartitioner: one partition after the other, keys ignored.
type roundRobin struct{ next int32 }

func (p *roundRobin) Partition(_ *sarama.ProducerMessage, n int32) (int32, error) {
	if p.next >= n {
		p.next = 0
	}
	c := p.next
	p.next++
	return c, nil
}

func (p *roundRobin) consistent(*sarama.ProducerMessage) bool { return false }
