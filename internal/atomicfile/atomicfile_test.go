package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

func TestWriteNewFileIsPrivateAndComplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offsets.json")
	if err := Write(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "one" {
		t.Fatalf("content %q, want %q", got, "one")
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != Private {
			t.Fatalf("mode %v, want %v", fi.Mode().Perm(), Private)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left behind: %v", leftovers)
	}
}

func TestWriteKeepsTheModeOfAnExistingFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil { // not narrowed by the umask
		t.Fatal(err)
	}
	if err := Write(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want 0640", fi.Mode().Perm())
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Fatalf("content %q, want %q", got, "new")
	}
}

func TestWriteIntoAMissingDirectoryFailsAndLeavesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "offsets.json")
	if err := Write(path, []byte("x")); err == nil {
		t.Fatal("writing into a missing directory succeeded")
	}
}

func TestCreateNeverReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "backup")
	if err := Create(path, []byte("first"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Create(path, []byte("second"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Create: %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "first" {
		t.Fatalf("content %q, want %q", got, "first")
	}
}

func TestRemoveStaleTempsRemovesOnlyThisFilesTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "offsets.json")
	mine := filepath.Join(dir, tempPrefix(path)+"123")
	other := filepath.Join(dir, tempPrefix(filepath.Join(dir, "other.json"))+"456")
	for _, f := range []string{path, mine, other} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := RemoveStaleTemps(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{mine}) {
		t.Fatalf("removed %v, want [%s]", removed, mine)
	}
	for _, f := range []string{path, other} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if removed, err := RemoveStaleTemps(filepath.Join(dir, "nowhere", "x.json")); err != nil || removed != nil {
		t.Fatalf("missing directory: %v, %v; want nothing", removed, err)
	}
}
