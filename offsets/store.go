// Package offsets stores the source offsets of connect-standalone: for each connector and source partition,
// the offset its task last committed, kept in the file named by the worker key offset.storage.file.filename.
//
// The file is readable JSON written atomically, keyed the way Apache Kafka Connect keys offsets
// (["<connector>", {<partition>}] → {<offset>}). A file written by Apache's standalone worker (a
// Java-serialised HashMap) is taken over on first open: its offsets are kept, the original is kept beside it
// as <file>.apache-backup, and the file is rewritten in this package's format.
//
// Unlike Apache, the store never starts from zero on its own: an empty, truncated or otherwise unreadable
// file is an error that names the file, because starting over silently would make every source connector
// read its source again from the beginning.
package offsets

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/internal/atomicfile"
	"github.com/rs/zerolog"
)

// FileStore keeps source offsets in memory and writes them to one file atomically. Safe for concurrent use.
type FileStore struct {
	path string // as configured
	file string // where the data lives: path with symbolic links resolved, so a link is not replaced
	log  zerolog.Logger

	// flushMu serialises writes of the file and guards buf.
	flushMu sync.Mutex
	buf     []byte

	mu      sync.Mutex
	entries map[entryKey]*entry
	// order is the file order of entries' keys; nil when it must be rebuilt after a key was added or removed.
	order []entryKey
	// version counts changes; flushed is the version the file holds. A Put during a write raises version
	// past what that write captured, so the change is written by the next Flush.
	version, flushed uint64

	// beforeWrite, when set by a test, runs in Flush between taking the snapshot and writing it.
	beforeWrite func()
}

// entryKey identifies a partition of a connector by its canonical partition text, so that equal maps are
// the same partition whatever their key order or Go number types.
type entryKey struct {
	connector string
	partition string
}

func (k entryKey) compare(o entryKey) int {
	if c := cmp.Compare(k.connector, o.connector); c != 0 {
		return c
	}
	return cmp.Compare(k.partition, o.partition)
}

// entry is immutable once stored: a change replaces it.
type entry struct {
	partition map[string]any
	offset    map[string]any
	// line is the entry as written in the file, rendered once when it is stored so that a flush only
	// copies bytes.
	line []byte
}

// Open loads the offsets file at path. A missing file is an empty store (first start); the file is created
// by the first Flush that has something to write. An Apache Kafka offsets file is taken over (see the
// package documentation). A file that cannot be read is a *CorruptError or *FormatError, and the file is left
// untouched.
func Open(path string, log zerolog.Logger) (*FileStore, error) {
	if path == "" {
		return nil, errors.New("offsets: no file name given (offset.storage.file.filename)")
	}
	file, err := followLinks(path)
	if err != nil {
		return nil, fmt.Errorf("offsets file %s: %w", path, err)
	}
	s := &FileStore{path: path, file: file, log: log, entries: make(map[entryKey]*entry)}
	if fi, err := os.Stat(filepath.Dir(s.file)); err != nil {
		return nil, fmt.Errorf("offsets file %s: directory: %w", path, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("offsets file %s: %s is not a directory", path, filepath.Dir(s.file))
	}

	data, err := os.ReadFile(s.file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.log.Info().Str("file", path).Msg("no offsets file yet; source connectors start from the beginning")
		s.removeStaleTemps()
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("offsets file %s: %w", path, err)
	case isJavaStream(data):
		if err := s.takeOver(data); err != nil {
			return nil, err
		}
	default:
		if err := s.loadOwn(data); err != nil {
			return nil, err
		}
	}
	s.removeStaleTemps()
	return s, nil
}

// followLinks returns the file a chain of symbolic links at path ends at, even when that file does not
// exist yet, so that writing there keeps the links in place.
func followLinks(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("too many levels of symbolic links")
}

func (s *FileStore) loadOwn(data []byte) error {
	if len(data) == 0 {
		return s.corrupt("the file is empty (0 bytes). connect-standalone never writes an empty offsets file, " +
			"while Apache Kafka leaves one when it is stopped in the middle of a write")
	}
	items, err := decodeFile(s.path, data)
	if err != nil {
		if fe, ok := errors.AsType[*FormatError](err); ok {
			return fe
		}
		return s.corrupt(err.Error())
	}
	if _, err := s.load(items); err != nil {
		return s.corrupt(err.Error())
	}
	s.flushed = s.version // the file holds exactly what was loaded
	s.log.Debug().Str("file", s.path).Int("offsets", len(s.entries)).Msg("offsets loaded")
	return nil
}

// takeOver converts Apache's file: decode it, keep a backup of it, write it in this package's format.
func (s *FileStore) takeOver(data []byte) error {
	items, m, err := decodeApache(data)
	if err != nil {
		return s.corrupt("Apache Kafka format (Java serialization): " + err.Error())
	}
	tombstones, err := s.load(items)
	if err != nil {
		return s.corrupt(err.Error())
	}

	perm := atomicfile.Private
	if fi, err := os.Stat(s.file); err == nil {
		perm = fi.Mode().Perm()
	}
	backup, err := writeBackup(s.path, data, perm)
	if err != nil {
		return fmt.Errorf("offsets file %s: taking over the Apache Kafka file: %w", s.path, err)
	}
	if m.trailing > 0 {
		s.log.Warn().Str("file", s.path).Int("bytes", m.trailing).Str("backup", backup).
			Msg("ignored bytes after the end of the Apache Kafka offsets data, as Apache Kafka does; they are kept in the backup")
	}
	// load left the store dirty, so this writes our format even when no offset survived.
	if err := s.Flush(); err != nil {
		return fmt.Errorf("taking over the Apache Kafka offsets file (its backup is %s): %w", backup, err)
	}
	s.log.Info().Str("file", s.path).Int("offsets", len(s.entries)).Int("tombstones_dropped", tombstones).
		Str("backup", backup).Msg("took over the offsets file of Apache Kafka Connect; " +
		"source connectors resume from its offsets, and the original file is kept as the backup")
	return nil
}

// load puts entries read from a file into the empty store. The same partition may appear twice only with
// the same offset: Apache compares key bytes, so two spellings of one partition can coexist in its file,
// and which one a task would have found depends on how the task builds its map. Guessing could re-send or
// skip data, so a conflict is reported instead. Tombstones are dropped; load returns how many.
func (s *FileStore) load(items []loaded) (tombstones int, err error) {
	seen := make(map[entryKey]int, len(items))
	for i, it := range items {
		if !utf8.ValidString(it.connector) {
			return 0, fmt.Errorf("%s: the connector name is not valid UTF-8", it.where)
		}
		k, e := newEntry(it.connector, it.partition, it.offset)
		if j, dup := seen[k]; dup {
			prev := items[j]
			_, pe := newEntry(prev.connector, prev.partition, prev.offset)
			if !sameOffset(pe, e) {
				return 0, fmt.Errorf("%s and %s are the same partition with different offsets (%s and %s), "+
					"and which one the connector expects cannot be told", prev.where, it.where, offsetText(pe), offsetText(e))
			}
			continue
		}
		seen[k] = i
		if e == nil {
			tombstones++
			continue
		}
		s.entries[k] = e
	}
	s.order = nil
	s.version++
	return tombstones, nil
}

func sameOffset(a, b *entry) bool {
	if a == nil || b == nil {
		return a == b
	}
	return bytes.Equal(a.line, b.line)
}

func offsetText(e *entry) string {
	if e == nil {
		return "null"
	}
	return string(appendMap(nil, e.offset))
}

// newEntry renders an entry from normalised maps; a nil offset gives a nil entry (a removal).
func newEntry(connector string, partition, offset map[string]any) (entryKey, *entry) {
	k := entryKey{connector: connector, partition: string(appendMap(nil, partition))}
	if offset == nil {
		return k, nil
	}
	return k, &entry{
		partition: partition,
		offset:    offset,
		line:      appendEntryLine(nil, connector, k.partition, offset),
	}
}

// Path returns the file name the store was opened with (or moved to).
func (s *FileStore) Path() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.path
}

// Get returns the stored offset of one partition of a connector, or nil. Partitions are matched by
// structure: {"a":1,"b":"x"} built in any key order, with 1 as an int or an int64, is the same partition.
func (s *FileStore) Get(connector string, partition map[string]any) (map[string]any, error) {
	part, err := normalizeMap(partition)
	if err != nil {
		return nil, fmt.Errorf("connector %q: partition %v: %w", connector, partition, err)
	}
	k := entryKey{connector: connector, partition: string(appendMap(nil, part))}
	s.mu.Lock()
	e := s.entries[k]
	s.mu.Unlock()
	if e == nil {
		return nil, nil
	}
	return maps.Clone(e.offset), nil
}

// Put records offsets in memory (a nil Offset removes the partition's offset, like Apache's tombstone); they
// reach the file at the next Flush. Either all offsets are recorded or, when one is invalid, none.
//
// Values must be strings, booleans, nil, integers or floats; integers are stored as int64 and floats as
// float64. An empty, non-nil Offset is an offset like any other.
func (s *FileStore) Put(connector string, offsets ...connectors.PartitionOffset) error {
	if !utf8.ValidString(connector) {
		return fmt.Errorf("connector %q: the name is not valid UTF-8", connector)
	}
	type change struct {
		key entryKey
		e   *entry
	}
	changes := make([]change, 0, len(offsets))
	for _, po := range offsets {
		part, err := normalizeMap(po.Partition)
		if err != nil {
			return fmt.Errorf("connector %q: partition %v: %w", connector, po.Partition, err)
		}
		var off map[string]any
		if po.Offset != nil {
			if off, err = normalizeMap(po.Offset); err != nil {
				return fmt.Errorf("connector %q: offset %v of partition %v: %w", connector, po.Offset, po.Partition, err)
			}
		}
		k, e := newEntry(connector, part, off)
		changes = append(changes, change{k, e})
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range changes {
		old, ok := s.entries[c.key]
		switch {
		case c.e == nil && !ok:
			continue
		case c.e == nil:
			delete(s.entries, c.key)
			s.order = nil
		case !ok:
			s.entries[c.key] = c.e
			s.order = nil
		case bytes.Equal(old.line, c.e.line):
			continue // same offset again: nothing for the file
		default:
			s.entries[c.key] = c.e
		}
		s.version++
	}
	return nil
}

// Offsets lists a connector's partitions with a stored offset (for GET /connectors/{c}/offsets), sorted by
// partition. The result is never nil, and the caller owns its maps.
func (s *FileStore) Offsets(connector string) []connectors.PartitionOffset {
	s.mu.Lock()
	defer s.mu.Unlock()
	order := s.sorted()
	i, _ := slices.BinarySearchFunc(order, entryKey{connector: connector}, entryKey.compare)
	out := []connectors.PartitionOffset{}
	for ; i < len(order) && order[i].connector == connector; i++ {
		e := s.entries[order[i]]
		out = append(out, connectors.PartitionOffset{Partition: maps.Clone(e.partition), Offset: maps.Clone(e.offset)})
	}
	return out
}

// sorted returns the keys in file order. s.mu must be held.
func (s *FileStore) sorted() []entryKey {
	if s.order == nil {
		s.order = slices.SortedFunc(maps.Keys(s.entries), entryKey.compare)
	}
	return s.order
}

// Flush writes the file if anything changed since the last successful flush. On error the file keeps its
// previous content, and the next Flush tries again.
func (s *FileStore) Flush() error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	return s.flushLocked()
}

// flushLocked is Flush; the caller holds s.flushMu.
func (s *FileStore) flushLocked() error {
	s.mu.Lock()
	if s.version == s.flushed {
		s.mu.Unlock()
		return nil
	}
	version := s.version
	b := append(s.buf[:0], fileHead...)
	for i, k := range s.sorted() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, fileEntryStart...)
		b = append(b, s.entries[k].line...)
	}
	if len(s.entries) > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, fileTail...)
	s.buf = b
	s.mu.Unlock()

	if s.beforeWrite != nil {
		s.beforeWrite()
	}

	if err := atomicfile.Write(s.file, b); err != nil {
		return fmt.Errorf("offsets file %s: writing: %w", s.path, err)
	}
	s.mu.Lock()
	s.flushed = version
	s.mu.Unlock()
	return nil
}

// Reader returns the offsets of one connector, for its tasks.
func (s *FileStore) Reader(connector string) connectors.OffsetReader {
	return connectorOffsets{store: s, connector: connector}
}

type connectorOffsets struct {
	store     *FileStore
	connector string
}

func (r connectorOffsets) Offset(partition map[string]any) (map[string]any, error) {
	return r.store.Get(r.connector, partition)
}

// removeStaleTemps deletes temporary files left by writes that a crash interrupted.
func (s *FileStore) removeStaleTemps() {
	removed, err := atomicfile.RemoveStaleTemps(s.file)
	if err != nil {
		s.log.Warn().Err(err).Str("file", s.path).Msg("cannot remove the temporary files left by an interrupted write")
	}
	for _, t := range removed {
		s.log.Info().Str("temp", t).Msg("removed a temporary file left by an interrupted offsets write")
	}
}

// CorruptError reports an offsets file that exists but cannot be read. The file is left as it is.
type CorruptError struct {
	Path   string
	Reason string // what is wrong
	// Backup is the newest Apache Kafka file kept beside Path by an earlier takeover, if any.
	Backup string
}

func (e *CorruptError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "offsets file %s cannot be read: %s. ", e.Path, e.Reason)
	if e.Backup != "" {
		fmt.Fprintf(&b, "Restore it from a backup, such as %s (the Apache Kafka file taken over earlier; "+
			"its offsets may be older), or ", e.Backup)
	} else {
		b.WriteString("Restore it from a backup, or ")
	}
	b.WriteString("delete it to start every source connector from the beginning (they will read their sources again)")
	return b.String()
}

func (s *FileStore) corrupt(reason string) error {
	return &CorruptError{Path: s.path, Reason: reason, Backup: latestBackup(s.path)}
}
