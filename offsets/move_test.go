package offsets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestMoveCarriesOffsets: moving to a path that holds no file writes the offsets there, and the store
// writes there from then on; the old file keeps what it held.
func TestMoveCarriesOffsets(t *testing.T) {
	s, old := openNew(t)
	put(t, s, "src", map[string]any{"filename": "a"}, map[string]any{"position": int64(10)})
	moved := filepath.Join(t.TempDir(), "moved.offsets")
	if err := s.Move(moved); err != nil {
		t.Fatal(err)
	}
	if s.Path() != moved {
		t.Fatalf("path %q after the move", s.Path())
	}
	for _, p := range []string{old, moved} {
		if b, err := os.ReadFile(p); err != nil || !strings.Contains(string(b), `"position":10`) {
			t.Fatalf("%s holds %s (%v), want the offset", p, b, err)
		}
	}
	put(t, s, "src", map[string]any{"filename": "a"}, map[string]any{"position": int64(20)})
	flush(t, s)
	if b, _ := os.ReadFile(moved); !strings.Contains(string(b), `"position":20`) {
		t.Fatalf("new file %s, want the later offset", b)
	}
	if b, _ := os.ReadFile(old); !strings.Contains(string(b), `"position":10`) {
		t.Fatalf("old file %s changed after the move", b)
	}
	reopened, err := Open(moved, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, reopened, "src", map[string]any{"filename": "a"}); got["position"] != int64(20) {
		t.Fatalf("reopened: %v", got)
	}
}

// TestMoveToExistingFileUsesIt: a path that holds an offsets file is read, as a start would read it; a path
// that cannot be read leaves the store as it was.
func TestMoveToExistingFileUsesIt(t *testing.T) {
	other, otherPath := openNew(t)
	put(t, other, "src", map[string]any{"filename": "a"}, map[string]any{"position": int64(99)})
	flush(t, other)

	s, path := openNew(t)
	put(t, s, "src", map[string]any{"filename": "a"}, map[string]any{"position": int64(1)})
	bad := filepath.Join(t.TempDir(), "bad.offsets")
	if err := os.WriteFile(bad, []byte("not offsets"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(bad); err == nil {
		t.Fatal("moving to an unreadable offsets file succeeded")
	}
	if s.Path() != path || get(t, s, "src", map[string]any{"filename": "a"})["position"] != int64(1) {
		t.Fatal("a failed move changed the store")
	}
	if err := s.Move(otherPath); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "src", map[string]any{"filename": "a"}); got["position"] != int64(99) {
		t.Fatalf("after moving to an existing file: %v, want its offset", got)
	}
}
