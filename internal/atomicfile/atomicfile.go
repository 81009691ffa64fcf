// Package atomicfile writes files so that a crash at any moment leaves either the old or the new complete
// file, never a torn one: the offsets file and the connectors state file both depend on it.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// Private is the mode of a file Write creates: offsets reveal file names and details of the systems
// connectors read, connector configurations may hold credentials, so only the owner may read them.
const Private fs.FileMode = 0o600

// tempPrefix is the start of the name of the temporary file a write goes through, in the same directory as
// the target so that the final rename cannot cross file systems.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp-"
}

// Write replaces path with data: write a temporary file, fsync it, rename it over path, fsync the
// directory. An existing file's mode is kept; a new file is Private.
func Write(path string, data []byte) (err error) {
	perm := Private
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// CreateTemp makes the file 0600; Chmod (unlike OpenFile) is not narrowed by the umask.
	if perm != Private {
		if err := f.Chmod(perm); err != nil {
			return err
		}
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// Create creates path with data and fails with fs.ErrExist if it exists. The data is synced before it
// returns; a partly written file is removed.
func Create(path string, data []byte, perm fs.FileMode) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(path)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename or a new name in dir durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for syncing; NTFS journals renames itself
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		// Some file systems do not support syncing a directory; there is nothing more to be done there.
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// RemoveStaleTemps deletes the temporary files that writes interrupted by a crash left beside path. The
// file itself is complete, since the rename never happened. It returns the files removed; the error joins
// every failure, to be logged: a stale temporary file costs only disk space.
func RemoveStaleTemps(path string) (removed []string, err error) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // no directory, no temporary files
	}
	if err != nil {
		return nil, err
	}
	prefix := tempPrefix(path)
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		tmp := filepath.Join(dir, e.Name())
		if err := os.Remove(tmp); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, tmp)
	}
	return removed, errors.Join(errs...)
}
