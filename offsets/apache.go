package offsets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/connect-standalone/connect-standalone/internal/atomicfile"
)

// isJavaStream reports whether data looks like Apache's file: it starts with the Java serialization magic,
// or with as much of it as there is. No JSON text starts with byte 0xAC.
func isJavaStream(data []byte) bool {
	return len(data) > 0 && data[0] == 0xAC
}

// decodeApache reads Apache's offsets file: every mapping, tombstones included (nil offset).
func decodeApache(data []byte) ([]loaded, *javaMap, error) {
	m, err := readJavaHashMap(data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]loaded, 0, len(m.entries))
	for i, e := range m.entries {
		l := loaded{where: fmt.Sprintf("mapping %d of %d (key %s)", i+1, len(m.entries), printable(e.key))}
		// encoding/json would quietly replace invalid UTF-8 with U+FFFD and so change the partition.
		if !utf8.Valid(e.key) {
			return nil, nil, fmt.Errorf("%s: the key is not valid UTF-8", l.where)
		}
		var key []json.RawMessage
		if err := json.Unmarshal(e.key, &key); err != nil {
			return nil, nil, fmt.Errorf("%s: the key is not a JSON list: %v", l.where, err)
		}
		if l.connector, l.partition, err = decodeKey(key); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", l.where, err)
		}
		if e.value != nil {
			if !utf8.Valid(e.value) {
				return nil, nil, fmt.Errorf("%s: the offset is not valid UTF-8", l.where)
			}
			if l.offset, _, err = decodeObject(e.value); err != nil {
				return nil, nil, fmt.Errorf("%s: offset: %w", l.where, err)
			}
		}
		out = append(out, l)
	}
	return out, m, nil
}

// printable quotes key bytes for an error message, shortened if long.
func printable(b []byte) string {
	const max = 200
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "…"
	}
	return strconv.Quote(string(b))
}

// maxBackups bounds the search for a free backup name; reaching it means something keeps producing
// different Apache files at the same path, which a person should look at.
const maxBackups = 1000

// writeBackup keeps the original Apache file beside path, as <path>.apache-backup, or .apache-backup.1, .2, …
// when that name holds a different file. A backup is never overwritten; an identical one is reused, so that a
// takeover interrupted after the backup and retried does not pile up copies.
func writeBackup(path string, data []byte, perm fs.FileMode) (string, error) {
	for i := range maxBackups {
		name := backupName(path, i)
		existing, err := os.ReadFile(name)
		switch {
		case err == nil:
			if bytes.Equal(existing, data) {
				return name, nil
			}
			continue
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("checking backup %s: %w", name, err)
		}
		err = atomicfile.Create(name, data, perm)
		if errors.Is(err, fs.ErrExist) {
			continue // created by someone else since we looked
		}
		if err != nil {
			return "", fmt.Errorf("writing backup %s: %w", name, err)
		}
		return name, nil
	}
	return "", fmt.Errorf("no free backup name: %s.apache-backup through .%d all exist", path, maxBackups-1)
}

// backupName is the i-th backup name of path: <path>.apache-backup, then .apache-backup.1, .2, …
func backupName(path string, i int) string {
	if i == 0 {
		return path + ".apache-backup"
	}
	return path + ".apache-backup." + strconv.Itoa(i)
}

// latestBackup returns the newest Apache backup beside path, or "".
func latestBackup(path string) string {
	latest := ""
	for i := range maxBackups {
		name := backupName(path, i)
		if _, err := os.Lstat(name); err != nil {
			return latest
		}
		latest = name
	}
	return latest
}
