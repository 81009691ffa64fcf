package reload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/runner"
)

// Hash is the version of a file's content as the reload status shows it: "sha256:" and the hex digest.
// Versions are told apart by content, never by modification time: a save that changes nothing is not a
// change, and a change within the same second is one.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ReadConnectorFile reads and parses a connector file as start-up and every reload do, and returns it with
// the hash of the content it was parsed from.
func ReadConnectorFile(path string) (*config.ConnectorFile, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("reading connector file: %w", err)
	}
	f, err := config.ParseConnectorFile(path, data)
	return f, Hash(data), err
}

// IsConnectorFile reports whether a file name in a connectors directory names a connector file: *.properties
// or *.json, not hidden (editors' swap and backup files, and the ..data entries of a Kubernetes ConfigMap
// volume, start with a dot or end otherwise).
func IsConnectorFile(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".properties" || ext == ".json"
}

// DirFiles lists the connector files of a connectors directory (connectors.dir), sorted: the entries that
// IsConnectorFile accepts and that are regular files or links to regular files.
func DirFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !IsConnectorFile(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			// A dangling link (a ConfigMap key mid-swap) is skipped; the next event brings it back.
			if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
				continue
			}
		} else if !e.Type().IsRegular() {
			continue
		}
		out = append(out, path)
	}
	slices.Sort(out)
	return out, nil
}

// describe renders why a connector file was not applied, naming the file, and the line of each problem's
// key when the file defines it.
func describe(path string, f *config.ConnectorFile, err error) string {
	var he *runner.Error
	if errors.As(err, &he) && len(he.Problems) > 0 && f != nil {
		return config.Locate(he.Problems, path, f.Lines).Error()
	}
	var ce *config.Error
	if errors.As(err, &ce) && ce.File != "" {
		return err.Error()
	}
	msg := err.Error()
	if strings.Contains(msg, path) {
		return msg
	}
	if f != nil {
		return fmt.Sprintf("%s: connector %q: %s", path, f.Name, msg)
	}
	return path + ": " + msg
}

// blank reports whether a file holds nothing but white space: a file being written, or emptied by mistake,
// which is never read as "delete the connector".
func blank(data []byte) bool { return len(bytes.TrimSpace(data)) == 0 }

// linkChain returns the paths a path goes through: the path itself, then the target of each symbolic link
// on the way, so that a change of any link (a Kubernetes ConfigMap swaps a ..data link) or of the final
// file is seen. It stops at a missing path.
func linkChain(path string) []string {
	chain := []string{path}
	for range 40 {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return chain
		}
		target, err := os.Readlink(path)
		if err != nil {
			return chain
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = filepath.Clean(target)
		chain = append(chain, path)
	}
	return chain
}

// absPath returns path made absolute and clean; a path that cannot be made absolute is only cleaned.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}
