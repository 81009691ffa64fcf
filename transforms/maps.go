package transforms

import (
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Schemaless values are maps: a connectors.MapValue, whose entry order is its iteration order, or a
// map[string]any, iterated in Java HashMap order. The maps the transforms build are new
// java.util.HashMaps in Apache; javaMap reproduces the iteration order that gives them, which is the
// order their keys reach the topic in.

// mapEntries returns the entries of a schemaless map in its iteration order. A MapValue is returned as
// it is, not copied: callers must not modify it.
func mapEntries(v any) (connectors.MapValue, bool) {
	switch m := v.(type) {
	case connectors.MapValue:
		return m, true
	case map[string]any:
		out := make(connectors.MapValue, 0, len(m))
		for _, k := range connectors.HashMapOrder(m) {
			out = append(out, connectors.MapEntry{Key: k, Value: m[k]})
		}
		return out, true
	}
	return nil, false
}

// mapGet is Map.get with a String key: the value, or nil when absent.
func mapGet(m connectors.MapValue, key string) any {
	for _, e := range m {
		if k, ok := e.Key.(string); ok && k == key {
			return e.Value
		}
	}
	return nil
}

// javaMap builds a java.util.HashMap: entries in insertion order, and the table size Java would have, so
// that value returns them in Java's iteration order (by bucket, then by insertion).
type javaMap struct {
	entries  connectors.MapValue
	capacity int
}

// newJavaMap is `new HashMap<>()` (initialCapacity 0) or `new HashMap<>(initialCapacity)`, expecting
// about n entries.
func newJavaMap(initialCapacity, n int) *javaMap {
	c := connectors.DefaultHashMapCapacity
	if initialCapacity > 0 {
		c = connectors.TableSizeFor(initialCapacity)
	}
	return &javaMap{entries: make(connectors.MapValue, 0, n), capacity: c}
}

// copyJavaMap is `new HashMap<>(src)`, with room for extra more entries.
func copyJavaMap(src connectors.MapValue, extra int) *javaMap {
	m := &javaMap{entries: make(connectors.MapValue, len(src), len(src)+extra), capacity: connectors.DefaultHashMapCapacity}
	copy(m.entries, src)
	if len(src) > 0 {
		m.capacity = connectors.CopyCapacity(len(src))
	}
	m.grow()
	return m
}

// put sets a key (a string, passed as an interface so that a caller can box it once), keeping the position
// of a key that is already there. Keys of other types never equal it, as in Java.
func (m *javaMap) put(key, value any) {
	for i := range m.entries {
		if m.entries[i].Key == key {
			m.entries[i].Value = value
			return
		}
	}
	m.entries = append(m.entries, connectors.MapEntry{Key: key, Value: value})
	m.grow()
}

// remove deletes a String key. The table never shrinks, as in Java.
func (m *javaMap) remove(key string) {
	for i := range m.entries {
		if k, ok := m.entries[i].Key.(string); ok && k == key {
			m.entries = append(m.entries[:i], m.entries[i+1:]...)
			return
		}
	}
}

// grow doubles the table while it holds more than 0.75 entries per slot, as HashMap.resize does.
func (m *javaMap) grow() {
	for 4*len(m.entries) > 3*m.capacity {
		m.capacity <<= 1
	}
}

// value returns the map, its entries in Java's iteration order.
func (m *javaMap) value() connectors.MapValue {
	connectors.SortHashMap(m.entries, m.capacity)
	return m.entries
}

// hashSetOrder returns distinct items in the iteration order of `new HashSet<>(items)`, which is how
// Apache walks some configured field lists.
func hashSetOrder(items []string) []string {
	capacity := connectors.TableSizeFor(max(int(float32(len(items))/0.75)+1, 16))
	return keysInOrder(&javaMap{entries: make(connectors.MapValue, 0, len(items)), capacity: capacity}, items)
}

// hashMapKeyOrder returns distinct keys in the iteration order of a `new HashMap<>()` filled with them in
// this order.
func hashMapKeyOrder(keys []string) []string {
	return keysInOrder(newJavaMap(0, len(keys)), keys)
}

// keysInOrder puts keys into the empty map m and returns them, each once, in m's iteration order.
func keysInOrder(m *javaMap, keys []string) []string {
	for _, k := range keys {
		m.put(k, nil)
	}
	out := make([]string, 0, len(m.entries))
	for _, e := range m.value() {
		out = append(out, e.Key.(string))
	}
	return out
}
