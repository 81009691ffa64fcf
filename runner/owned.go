package runner

import (
	"maps"
)

// FileConnector is the connector a connector file defines: its name, its configuration (config-provider
// references unresolved) and the target state its initial_state asks for.
type FileConnector struct {
	Name   string
	Config map[string]string
	Target TargetState
}

// FileChange says what ApplyFile did.
type FileChange struct {
	// Removed is the connector the file defined before and no longer does (the file is gone, or names
	// another connector now); "" if none.
	Removed string
	// Created is the connector created for the file; "" if none.
	Created string
	// Updated is the connector whose configuration or target state changed, so that it was restarted; ""
	// if none.
	Updated string
}

// Changed reports whether ApplyFile changed anything.
func (c FileChange) Changed() bool { return c.Removed != "" || c.Created != "" || c.Updated != "" }

// ApplyFile makes the connector that the connector file at owner defines what def says, as the file's
// reload asks: the file's configuration and target state replace what REST calls set, and a connector
// running as asked is left alone. A nil def says the file is gone: its connector is deleted, as DELETE
// /connectors/{c} deletes it, keeping its offsets. A def naming another connector than the file did (the
// "name" was edited) deletes the old connector, keeping its offsets, and creates the new one.
//
// Nothing changes unless the new configuration is valid: an invalid one is a KindInvalid *Error (with
// Problems), and a name another connector file defines is KindExists. A connector of that name created
// through the REST API becomes the file's, as at start-up, where the file wins.
func (h *Herder) ApplyFile(owner string, def *FileConnector) (FileChange, error) {
	h.op.Lock()
	defer h.op.Unlock()
	return h.applyFile(owner, def)
}

func (h *Herder) applyFile(owner string, def *FileConnector) (FileChange, error) {
	var change FileChange
	prev := h.ownedBy(owner)
	if def == nil {
		if prev != nil {
			h.remove(prev)
			change.Removed = prev.name
		}
		return change, nil
	}

	// Validate first: a broken file must not take its running connector down.
	cfg := maps.Clone(def.Config)
	if n, ok := cfg["name"]; ok && n != def.Name {
		return change, errorf(KindInvalid, "Connector name configuration (%s) doesn't match the connector name (%s)", n, def.Name)
	}
	cfg["name"] = def.Name
	plugin, err := h.validate(cfg)
	if err != nil {
		return change, err
	}
	existing := h.get(def.Name)
	if existing != nil && existing.owner != "" && existing.owner != owner {
		return change, errorf(KindExists, "Connector %s already exists: the connector file %s defines it", def.Name, existing.owner)
	}

	if prev != nil && prev.name != def.Name {
		h.remove(prev)
		change.Removed = prev.name
	}
	h.apply(def.Name, cfg, plugin, def.Target, owner)
	switch {
	case existing == nil:
		change.Created = def.Name
	case h.get(def.Name) != existing: // apply replaces a connector it restarts
		change.Updated = def.Name
	}
	// A connector saved from the REST API that the file now defines is no longer saved: the file owns it.
	if h.saved[def.Name] {
		if err := h.save(); err != nil {
			return change, err
		}
	}
	return change, nil
}

// ownedBy returns the connector the connector file at owner defines, or nil.
func (h *Herder) ownedBy(owner string) *connector {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, c := range h.conns {
		if c.owner == owner {
			return c
		}
	}
	return nil
}
