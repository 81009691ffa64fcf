package runner

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// submitted tracks the source records of one task between poll and acknowledgement, so that an offset
// becomes committable only when Kafka has acknowledged its record and every earlier record of the same
// source partition (Apache's SubmittedRecords). Records dropped before producing (filtered by a transform,
// skipped by error tolerance) are acknowledged at once: their offset is committed with the next one, so a
// filtered stream does not re-read on restart.
type submitted struct {
	mu      sync.Mutex
	parts   map[string]*partitionQueue
	pending int
	// drained is signalled when pending drops to zero.
	drained *sync.Cond
}

type partitionQueue struct {
	partition map[string]any
	head      *submittedRecord
	tail      *submittedRecord
	// committable is the newest offset whose record and predecessors were all acknowledged, not yet taken.
	committable map[string]any
	dirty       bool
}

// submittedRecord is the handle of one record in flight; it travels as the producer message's metadata.
type submittedRecord struct {
	q      *partitionQueue
	offset map[string]any
	acked  bool
	// abandoned records were never sent (the task stopped or failed first): they are no longer awaited,
	// and no offset at or after theirs becomes committable.
	abandoned bool
	next      *submittedRecord
}

func newSubmitted() *submitted {
	s := &submitted{parts: map[string]*partitionQueue{}}
	s.drained = sync.NewCond(&s.mu)
	return s
}

// submit registers records in poll order and fills handles, one per record. Records without a source
// partition are not tracked (their handle is nil).
func (s *submitted) submit(records []connectors.Record, handles []*submittedRecord) {
	buf := make([]submittedRecord, len(records))
	s.mu.Lock()
	defer s.mu.Unlock()
	var last map[string]any
	var q *partitionQueue
	for i := range records {
		r := &records[i]
		if r.SourcePartition == nil {
			handles[i] = nil
			continue
		}
		// Consecutive records of a task nearly always share one partition map; skip re-keying them.
		if q == nil || !sameMap(last, r.SourcePartition) {
			key := partitionKey(r.SourcePartition)
			q = s.parts[key]
			if q == nil {
				q = &partitionQueue{partition: r.SourcePartition}
				s.parts[key] = q
			}
			last = r.SourcePartition
		}
		h := &buf[i]
		h.q, h.offset = q, r.SourceOffset
		if q.tail == nil {
			q.head = h
		} else {
			q.tail.next = h
		}
		q.tail = h
		s.pending++
		handles[i] = h
	}
}

// ack marks a record acknowledged and advances its partition's committable offset.
func (s *submitted) ack(h *submittedRecord) {
	if h == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.acked || h.abandoned {
		return
	}
	h.acked = true
	s.pending--
	q := h.q
	for q.head != nil && q.head.acked {
		q.committable, q.dirty = q.head.offset, true
		q.head = q.head.next
	}
	if q.head == nil {
		q.tail = nil
	}
	if s.pending == 0 {
		s.drained.Broadcast()
	}
}

// abandon gives up records that will not be sent: shutdown no longer waits for them, and since they are
// never acknowledged, their partitions' offsets stay before them.
func (s *submitted) abandon(handles []*submittedRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range handles {
		if h == nil || h.acked || h.abandoned {
			continue
		}
		h.abandoned = true
		s.pending--
	}
	if s.pending == 0 {
		s.drained.Broadcast()
	}
}

// take returns the committable offsets that changed since the last take.
func (s *submitted) take() []connectors.PartitionOffset {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []connectors.PartitionOffset
	for _, q := range s.parts {
		if q.dirty {
			out = append(out, connectors.PartitionOffset{Partition: q.partition, Offset: q.committable})
			q.dirty = false
		}
	}
	return out
}

// outstanding returns how many records await acknowledgement.
func (s *submitted) outstanding() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// awaitDrained waits until nothing is outstanding or done is closed; it reports whether it drained.
func (s *submitted) awaitDrained(done <-chan struct{}) bool {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-done:
			s.mu.Lock()
			s.drained.Broadcast()
			s.mu.Unlock()
		case <-stop:
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.pending > 0 {
		select {
		case <-done:
			return false
		default:
		}
		s.drained.Wait()
	}
	return true
}

// sameMap reports whether two maps are the same map object (maps are references; comparing the pointers
// is read-only, so a map shared with the offsets store is never touched).
func sameMap(a, b map[string]any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// partitionKey is a canonical text of a source partition map: keys sorted, numbers by value.
func partitionKey(m map[string]any) string {
	if len(m) == 1 {
		for k, v := range m {
			if s, ok := v.(string); ok {
				return k + "\x00s" + s
			}
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte(0)
		switch v := m[k].(type) {
		case string:
			b.WriteString("s" + v)
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			fmt.Fprintf(&b, "n%d", v)
		default:
			j, _ := json.Marshal(v)
			b.WriteString("j")
			b.Write(j)
		}
		b.WriteByte(0)
	}
	return b.String()
}
