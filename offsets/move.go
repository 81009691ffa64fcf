package offsets

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
)

// Move makes path the store's file from now on, as a change of offset.storage.file.filename asks while the
// worker runs. The offsets are first written to the current file. If path holds no file yet, the offsets
// move with the store: they are written there, so that no source connector starts over. If path holds an
// offsets file (ours or Apache's), its offsets replace the ones in memory, as opening it at start would.
// On error nothing changes, and the store keeps its file.
//
// The caller makes sure no task writes offsets meanwhile (the herder stops the source tasks first).
func (s *FileStore) Move(path string) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	if err := s.flushLocked(); err != nil {
		return err
	}
	file, err := followLinks(path)
	if err != nil {
		return fmt.Errorf("offsets file %s: %w", path, err)
	}
	_, statErr := os.Stat(file)
	carry := errors.Is(statErr, fs.ErrNotExist)
	next, err := Open(path, s.log)
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if carry {
		next.entries = maps.Clone(s.entries)
		next.version++
		if err := next.flushLocked(); err != nil {
			return err
		}
	}
	s.path, s.file = next.path, next.file
	s.entries, s.order = next.entries, nil
	// The new file holds exactly the entries: nothing to write until the next change.
	s.version++
	s.flushed = s.version
	s.log.Info().Str("file", path).Bool("carried_over", carry).Int("offsets", len(s.entries)).Msg("offsets file moved")
	return nil
}
