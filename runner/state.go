package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/internal/atomicfile"
)

// The state file keeps what Apache's standalone worker forgets at a restart: the connectors created or
// changed through the REST API, with their configurations (config-provider references unresolved) and
// target states. Each entry has the shape of a POST /connectors body and of a JSON connector file, so it
// can be copied into one.
//
//	{
//	  "format": "connect-standalone-connectors/1",
//	  "connectors": [
//	    {"name": "src", "config": {"connector.class": "FileStreamSource", ...}, "initial_state": "PAUSED"}
//	  ]
//	}
const stateFormat = "connect-standalone-connectors/1"

type stateDoc struct {
	Format     string           `json:"format"`
	Connectors []stateConnector `json:"connectors"`
}

type stateConnector struct {
	Name         string            `json:"name"`
	Config       map[string]string `json:"config"`
	InitialState TargetState       `json:"initial_state"`
}

// CreateOwned creates a connector defined by a connector file (owner is the file's path), as ApplyFile does,
// but fails if a connector of that name exists. File-owned connectors are not saved in the state file, and
// a saved connector of the same name is dropped from it: at start the file wins. REST changes to a
// file-owned connector apply until its file changes or the process stops.
func (h *Herder) CreateOwned(owner, name string, config map[string]string, target TargetState) (*ConnectorInfo, error) {
	h.op.Lock()
	defer h.op.Unlock()
	if h.get(name) != nil {
		return nil, errorf(KindExists, "Connector %s already exists", name)
	}
	if _, err := h.applyFile(owner, &FileConnector{Name: name, Config: config, Target: target}); err != nil {
		return nil, err
	}
	return h.info(h.get(name)), nil
}

// Restore recreates the connectors earlier runs created or changed through REST, from the state file
// (Config.StateFile), with their configurations and target states. Connectors named in skip (those the
// command line's files define) are left to their files. A missing state file restores nothing; an
// unreadable one, or a saved connector that can no longer be created, is an error naming the file.
func (h *Herder) Restore(skip []string) error {
	path := h.current().stateFile
	if path == "" {
		return nil
	}
	doc, err := h.readState(path)
	if err != nil {
		return err
	}
	if doc == nil {
		h.log.Info().Str("file", path).Msg("no connectors state file yet; connectors created through the REST API will be saved there")
		return nil
	}
	h.op.Lock()
	defer h.op.Unlock()
	return h.restore(path, doc, skip)
}

// readState reads and checks a state file; a missing one is nil.
func (h *Herder) readState(path string) (*stateDoc, error) {
	if _, err := atomicfile.RemoveStaleTemps(path); err != nil {
		h.log.Warn().Err(err).Str("file", path).Msg("cannot remove the temporary files left by an interrupted write")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("connectors state file %s: %w", path, err)
	}
	doc, err := decodeState(data)
	if err != nil {
		return nil, fmt.Errorf("connectors state file %s cannot be read: %v. Correct it, or delete it to forget "+
			"the connectors created through the REST API", path, err)
	}
	return doc, nil
}

// restore creates the connectors of a state file that do not exist and are not in skip. The caller holds
// h.op.
func (h *Herder) restore(path string, doc *stateDoc, skip []string) error {
	restored := 0
	for _, sc := range doc.Connectors {
		h.saved[sc.Name] = true
		if slices.Contains(skip, sc.Name) {
			h.log.Info().Str("connector", sc.Name).Str("file", path).
				Msg("a connector file defines this saved connector; the file's definition is used")
			continue
		}
		if h.get(sc.Name) != nil {
			continue
		}
		if _, err := h.put(sc.Name, sc.Config, sc.InitialState, ""); err != nil {
			return fmt.Errorf("connectors state file %s: restoring connector %q: %w", path, sc.Name, err)
		}
		restored++
	}
	h.log.Info().Str("file", path).Int("connectors", restored).Msg("restored the connectors created through the REST API")
	return nil
}

// decodeState parses a state file strictly: a hand edit that misspells a field is reported, not ignored.
func decodeState(data []byte) (*stateDoc, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc stateDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON document")
	}
	if doc.Format != stateFormat {
		return nil, fmt.Errorf("format %q is not %q", doc.Format, stateFormat)
	}
	seen := map[string]bool{}
	for i, sc := range doc.Connectors {
		if sc.Name == "" {
			return nil, fmt.Errorf("connector %d has no name", i+1)
		}
		if seen[sc.Name] {
			return nil, fmt.Errorf("connector %q is listed twice", sc.Name)
		}
		seen[sc.Name] = true
		if sc.Config == nil {
			return nil, fmt.Errorf("connector %q has no config", sc.Name)
		}
		target, err := ParseTargetState(string(sc.InitialState))
		if err != nil {
			return nil, fmt.Errorf("connector %q: %w", sc.Name, err)
		}
		doc.Connectors[i].InitialState = target
	}
	return &doc, nil
}

// saveIfREST saves the state file when the named connector is not owned by a connector file. The caller
// holds h.op.
func (h *Herder) saveIfREST(name string) error {
	if c := h.get(name); c != nil && c.owner != "" {
		return nil
	}
	return h.save()
}

// save rewrites the state file with every connector not owned by a connector file. The change it records
// is already in effect; an error says it would not survive a restart. The caller holds h.op.
func (h *Herder) save() error {
	path := h.current().stateFile
	if path == "" {
		return nil
	}
	doc := stateDoc{Format: stateFormat, Connectors: []stateConnector{}}
	h.mu.RLock()
	for _, c := range h.conns {
		if c.owner == "" {
			doc.Connectors = append(doc.Connectors, stateConnector{Name: c.name, Config: c.config, InitialState: c.target})
		}
	}
	h.mu.RUnlock()
	slices.SortFunc(doc.Connectors, func(a, b stateConnector) int { return strings.Compare(a.Name, b.Name) })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <, > and & readable in configurations
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return errorf(KindInternal, "connectors state file %s: encoding: %v", path, err)
	}
	if err := atomicfile.Write(path, buf.Bytes()); err != nil {
		h.log.Error().Err(err).Str("file", path).Msg("writing the connectors state file")
		return errorf(KindInternal, "The change is in effect, but it could not be saved in the connectors state file %s, "+
			"so it would be lost at a restart: %v", path, err)
	}
	clear(h.saved)
	for _, sc := range doc.Connectors {
		h.saved[sc.Name] = true
	}
	return nil
}
