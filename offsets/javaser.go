package offsets

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Apache's FileOffsetBackingStore keeps its offsets as one Java-serialised java.util.HashMap<byte[], byte[]>.
// This file reads exactly that and nothing more of the Java Object Serialization Stream Protocol: the stream
// header, one HashMap object and byte arrays (or nulls) for its keys and values. Any other class is refused,
// as Apache's own reader does, so the file cannot make this reader do anything but copy bytes.

// Grammar elements of the stream protocol (java.io.ObjectStreamConstants).
const (
	javaMagic      = 0xACED
	javaVersion    = 5
	tcNull         = 0x70
	tcReference    = 0x71
	tcClassDesc    = 0x72
	tcObject       = 0x73
	tcArray        = 0x75
	tcBlockData    = 0x77
	tcEndBlockData = 0x78
	tcBlockLong    = 0x7A
	baseWireHandle = 0x7E0000

	scWriteMethod  = 0x01
	scSerializable = 0x02
)

// The only classes the stream may contain, with the serialVersionUID Java insists on for each.
const (
	hashMapClass   = "java.util.HashMap"
	hashMapUID     = 362498820763181265
	byteArrayClass = "[B"
	byteArrayUID   = -5984413125824719648
)

// allowedClass returns the serialVersionUID of an allowed class.
func allowedClass(name string) (uid int64, ok bool) {
	switch name {
	case hashMapClass:
		return hashMapUID, true
	case byteArrayClass:
		return byteArrayUID, true
	}
	return 0, false
}

// javaEntry is one mapping of the HashMap. A nil value is Java null: Apache's tombstone for a deleted offset.
type javaEntry struct {
	key, value []byte
}

// javaMap is the decoded content of an Apache offsets file.
type javaMap struct {
	entries []javaEntry
	// trailing counts bytes after the end of the HashMap object. Java's reader stops at the object's end
	// and never looks at them.
	trailing int
}

// truncatedError reports a stream that ends before the HashMap is complete.
type truncatedError struct {
	size    int
	reading string
}

func (e *truncatedError) Error() string {
	return fmt.Sprintf("the data is truncated: the file ends after %d bytes, in the middle of %s "+
		"(Apache Kafka rewrites this file in place, so a crash or a full disk during a write leaves it incomplete)",
		e.size, e.reading)
}

type javaHandleKind uint8

const (
	handleClass javaHandleKind = iota + 1
	handleObject
	handleArray
)

type javaHandle struct {
	kind  javaHandleKind
	class *javaClass // for handleClass
	array []byte     // for handleArray
}

// javaReader walks the stream. It never allocates more than the input justifies: lengths read from the file
// are checked against the bytes actually left before anything is sized by them.
type javaReader struct {
	data    []byte
	pos     int
	handles []javaHandle
	reading string // what is being read, for error messages
}

// readJavaHashMap decodes an Apache offsets file.
func readJavaHashMap(data []byte) (*javaMap, error) {
	r := &javaReader{data: data, reading: "the stream header"}
	magic, err := r.u16()
	if err != nil {
		return nil, err
	}
	version, err := r.u16()
	if err != nil {
		return nil, err
	}
	if magic != javaMagic || version != javaVersion {
		return nil, fmt.Errorf("not a Java serialization stream: it starts with %x, not aced0005", data[:4])
	}

	r.reading = "the HashMap header"
	if err := r.expect(tcObject, "TC_OBJECT (the HashMap)"); err != nil {
		return nil, err
	}
	class, err := r.classDesc()
	if err != nil {
		return nil, err
	}
	if class.name != hashMapClass {
		return nil, fmt.Errorf("the stream holds a %s, not a %s", class.name, hashMapClass)
	}
	if class.flags&(scSerializable|scWriteMethod) != scSerializable|scWriteMethod {
		return nil, fmt.Errorf("the %s class descriptor has flags 0x%02x, expected 0x03", hashMapClass, class.flags)
	}
	r.assign(javaHandle{kind: handleObject})

	// Default field values come first, in descriptor order. Only loadFactor matters: Java refuses a map
	// whose load factor is not positive, so this reader does too.
	for _, f := range class.fields {
		v, err := r.take(primitiveSize(f.typ))
		if err != nil {
			return nil, err
		}
		if f.name == "loadFactor" && f.typ == 'F' {
			if lf := math.Float32frombits(binary.BigEndian.Uint32(v)); !(lf > 0) {
				return nil, fmt.Errorf("the HashMap has an illegal load factor %v", lf)
			}
		}
	}

	// HashMap.writeObject then writes the table capacity and the number of mappings as block data.
	block, err := r.blockData(8)
	if err != nil {
		return nil, err
	}
	size := int32(binary.BigEndian.Uint32(block[4:]))
	if size < 0 {
		return nil, fmt.Errorf("the HashMap claims %d mappings", size)
	}

	// Each mapping takes at least two bytes (two TC_NULLs), which bounds what a lying size can allocate.
	m := &javaMap{entries: make([]javaEntry, 0, min(int(size), (len(data)-r.pos)/2))}
	for i := range int(size) {
		r.reading = fmt.Sprintf("the key of mapping %d of %d", i+1, size)
		key, isNull, err := r.byteArray()
		if err != nil {
			return nil, err
		}
		if isNull {
			return nil, fmt.Errorf("mapping %d of %d has a null key, which Apache Kafka never writes", i+1, size)
		}
		r.reading = fmt.Sprintf("the value of mapping %d of %d", i+1, size)
		value, _, err := r.byteArray()
		if err != nil {
			return nil, err
		}
		m.entries = append(m.entries, javaEntry{key: key, value: value})
	}
	r.reading = "the end of the HashMap"
	if err := r.expect(tcEndBlockData, "TC_ENDBLOCKDATA (the end of the HashMap)"); err != nil {
		return nil, err
	}
	m.trailing = len(data) - r.pos
	return m, nil
}

type javaField struct {
	typ  byte
	name string
}

type javaClass struct {
	name   string
	flags  byte
	fields []javaField
}

// primitiveSize returns the size of a primitive field's value by its type code, or 0 for an object field.
func primitiveSize(typ byte) int {
	switch typ {
	case 'B', 'Z':
		return 1
	case 'C', 'S':
		return 2
	case 'F', 'I':
		return 4
	case 'D', 'J':
		return 8
	}
	return 0
}

// classDesc reads a new class descriptor or a reference to one read before.
func (r *javaReader) classDesc() (*javaClass, error) {
	tc, err := r.u8()
	if err != nil {
		return nil, err
	}
	switch tc {
	case tcReference:
		h, err := r.reference()
		if err != nil {
			return nil, err
		}
		if h.kind != handleClass {
			return nil, r.errorf(-5, "a back-reference that should name a class points to an object")
		}
		return h.class, nil
	case tcClassDesc:
	default:
		return nil, r.errorf(-1, "expected a class descriptor, found byte 0x%02x", tc)
	}

	name, err := r.utf()
	if err != nil {
		return nil, err
	}
	wantUID, ok := allowedClass(name)
	if !ok {
		return nil, r.errorf(0, "class %q is not allowed (an offsets file holds only %s and %s)", name, hashMapClass, byteArrayClass)
	}
	uid, err := r.take(8)
	if err != nil {
		return nil, err
	}
	if got := int64(binary.BigEndian.Uint64(uid)); got != wantUID {
		return nil, r.errorf(-8, "class %s has serialVersionUID %d, expected %d", name, got, wantUID)
	}
	// Java numbers the descriptor before reading the rest of it.
	c := &javaClass{name: name}
	r.assign(javaHandle{kind: handleClass, class: c})
	if c.flags, err = r.u8(); err != nil {
		return nil, err
	}
	n, err := r.u16()
	if err != nil {
		return nil, err
	}
	for range n {
		typ, err := r.u8()
		if err != nil {
			return nil, err
		}
		if primitiveSize(typ) == 0 {
			// HashMap has primitive fields only; an object field would need classes this reader refuses.
			return nil, r.errorf(-1, "class %s has a field of type %q, which no offsets file has", name, typ)
		}
		fname, err := r.utf()
		if err != nil {
			return nil, err
		}
		c.fields = append(c.fields, javaField{typ: typ, name: fname})
	}
	// ObjectOutputStream writes no class annotations and neither class has a serializable superclass.
	if err := r.expect(tcEndBlockData, "TC_ENDBLOCKDATA (end of class annotations)"); err != nil {
		return nil, err
	}
	if err := r.expect(tcNull, "TC_NULL (no superclass)"); err != nil {
		return nil, err
	}
	return c, nil
}

// byteArray reads a byte[] (new or a back-reference) or a null.
func (r *javaReader) byteArray() (b []byte, isNull bool, err error) {
	tc, err := r.u8()
	if err != nil {
		return nil, false, err
	}
	switch tc {
	case tcNull:
		return nil, true, nil
	case tcReference:
		h, err := r.reference()
		if err != nil {
			return nil, false, err
		}
		if h.kind != handleArray {
			return nil, false, r.errorf(-5, "a back-reference that should name a byte array points elsewhere")
		}
		return h.array, false, nil
	case tcArray:
	default:
		return nil, false, r.errorf(-1, "expected a byte array or null, found byte 0x%02x", tc)
	}
	class, err := r.classDesc()
	if err != nil {
		return nil, false, err
	}
	if class.name != byteArrayClass {
		return nil, false, fmt.Errorf("%s is a %s array, expected %s", r.reading, class.name, byteArrayClass)
	}
	n, err := r.u32()
	if err != nil {
		return nil, false, err
	}
	if int32(n) < 0 {
		return nil, false, r.errorf(-4, "byte array of negative length %d", int32(n))
	}
	b, err = r.take(int(n))
	if err != nil {
		return nil, false, err
	}
	r.assign(javaHandle{kind: handleArray, array: b})
	return b, false, nil
}

// blockData reads n bytes of block data, which Java may split over several blocks.
func (r *javaReader) blockData(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		tc, err := r.u8()
		if err != nil {
			return nil, err
		}
		var size int
		switch tc {
		case tcBlockData:
			s, err := r.u8()
			if err != nil {
				return nil, err
			}
			size = int(s)
		case tcBlockLong:
			s, err := r.u32()
			if err != nil {
				return nil, err
			}
			size = int(int32(s))
		default:
			return nil, r.errorf(-1, "expected block data (the HashMap's capacity and size), found byte 0x%02x", tc)
		}
		if size < 0 || len(out)+size > n {
			return nil, r.errorf(0, "the HashMap's block data is %d bytes, expected %d", len(out)+size, n)
		}
		b, err := r.take(size)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

func (r *javaReader) reference() (javaHandle, error) {
	h, err := r.u32()
	if err != nil {
		return javaHandle{}, err
	}
	i := int(h) - baseWireHandle
	if i < 0 || i >= len(r.handles) {
		return javaHandle{}, r.errorf(-4, "back-reference to unknown handle 0x%x", h)
	}
	return r.handles[i], nil
}

func (r *javaReader) assign(h javaHandle) { r.handles = append(r.handles, h) }

func (r *javaReader) expect(tc byte, what string) error {
	got, err := r.u8()
	if err != nil {
		return err
	}
	if got != tc {
		return r.errorf(-1, "expected %s, found byte 0x%02x", what, got)
	}
	return nil
}

// take returns the next n bytes, sharing the input's memory.
func (r *javaReader) take(n int) ([]byte, error) {
	if n > len(r.data)-r.pos {
		return nil, &truncatedError{size: len(r.data), reading: r.reading}
	}
	b := r.data[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return b, nil
}

func (r *javaReader) u8() (byte, error) {
	b, err := r.take(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (r *javaReader) u16() (uint16, error) {
	b, err := r.take(2)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint16(b), nil
}

func (r *javaReader) u32() (uint32, error) {
	b, err := r.take(4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b), nil
}

// utf reads a class or field name: a u16 length and modified UTF-8. The names this reader accepts are ASCII,
// where modified UTF-8 and UTF-8 agree.
func (r *javaReader) utf() (string, error) {
	n, err := r.u16()
	if err != nil {
		return "", err
	}
	b, err := r.take(int(n))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// errorf reports malformed data at the current position plus delta (negative: the bytes just read).
func (r *javaReader) errorf(delta int, format string, args ...any) error {
	return fmt.Errorf("byte %d, in %s: %s", r.pos+delta, r.reading, fmt.Sprintf(format, args...))
}
