package connectors

import (
	"math"
	"slices"

	"github.com/connect-standalone/connect-standalone/config"
)

// Apache hands many maps to its JSON encoder as java.util.HashMap, whose iteration order is bucket order,
// not insertion order, and that order reaches the bytes on the topic. These helpers reproduce it (JDK 17;
// the rare tree bins of ≥8 colliding keys are not modelled).

// DefaultHashMapCapacity is the table size of `new HashMap()`.
const DefaultHashMapCapacity = 16

// HashMapOrder returns the keys of m in the order a java.util.HashMap filled from it would iterate them.
// Keys that share a bucket are ordered by their text, since a Go map has no insertion order.
func HashMapOrder(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	capacity := hashMapCapacity(DefaultHashMapCapacity, len(keys))
	slices.SortStableFunc(keys, func(a, b string) int {
		return bucket(config.JavaStringHash(a), capacity) - bucket(config.JavaStringHash(b), capacity)
	})
	return keys
}

// SortHashMap reorders entries, given in insertion order, into the iteration order of a java.util.HashMap
// created with the given initial table size (0 for `new HashMap()`; TableSizeFor(n) for `new HashMap(n)`)
// and filled by put in that order.
func SortHashMap(entries MapValue, capacity int) {
	if capacity <= 0 {
		capacity = DefaultHashMapCapacity
	}
	capacity = hashMapCapacity(capacity, len(entries))
	slices.SortStableFunc(entries, func(a, b MapEntry) int {
		return bucket(JavaHashCode(a.Key), capacity) - bucket(JavaHashCode(b.Key), capacity)
	})
}

// TableSizeFor is Java's HashMap.tableSizeFor: the smallest power of two ≥ n (at least 1).
func TableSizeFor(n int) int {
	c := 1
	for c < n {
		c <<= 1
	}
	return c
}

// CopyCapacity is the table size of `new HashMap(m)` for a map of n entries on JDK 17.
func CopyCapacity(n int) int {
	return TableSizeFor(int(float32(n)/0.75 + 1))
}

// hashMapCapacity is the table size after n puts into a table that started at capacity.
func hashMapCapacity(capacity, n int) int {
	for float64(n) > 0.75*float64(capacity) {
		capacity <<= 1
	}
	return capacity
}

func bucket(h int32, capacity int) int {
	spread := h ^ int32(uint32(h)>>16)
	return int(spread) & (capacity - 1)
}

// JavaHashCode returns Java's hashCode of a boxed data-model value (strings, integers, floats, booleans);
// other values hash to 0, which keeps their insertion order.
func JavaHashCode(v any) int32 {
	switch v := v.(type) {
	case string:
		return config.JavaStringHash(v)
	case int8:
		return int32(v)
	case int16:
		return int32(v)
	case int32:
		return v
	case int64:
		return int32(v ^ int64(uint64(v)>>32))
	case float32:
		if v != v {
			return 0x7fc00000
		}
		return int32(math.Float32bits(v))
	case float64:
		bits := math.Float64bits(v)
		if v != v {
			bits = 0x7ff8000000000000
		}
		return int32(bits ^ bits>>32)
	case bool:
		if v {
			return 1231
		}
		return 1237
	}
	return 0
}
