package connectors

import (
	"fmt"
	"slices"
	"strings"
)

// PluginType is the kind of a plugin, named as the REST API names it.
type PluginType string

// Plugin types.
const (
	SourceType          PluginType = "source"
	SinkType            PluginType = "sink"
	ConverterType       PluginType = "converter"
	HeaderConverterType PluginType = "header_converter"
	TransformationType  PluginType = "transformation"
	PredicateType       PluginType = "predicate"
	ConfigProviderType  PluginType = "config_provider"
)

// aliasSuffix is the suffix Apache strips from a simple class name to make the short alias.
var aliasSuffix = map[PluginType]string{
	SourceType:          "Connector",
	SinkType:            "Connector",
	ConverterType:       "Converter",
	HeaderConverterType: "HeaderConverter",
	TransformationType:  "Transformation",
	PredicateType:       "Predicate",
	ConfigProviderType:  "ConfigProvider",
}

// Plugin describes one built-in plugin.
type Plugin struct {
	// Class is the full Java class name Apache uses, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector.
	Class   string
	Type    PluginType
	Version string
	// New returns a fresh instance: a Source or Sink for connectors; for other types, the interface their
	// package defines.
	New func() any
}

// SimpleName returns the class name without its package (and without an enclosing class: Cast$Value → Value).
func (p Plugin) SimpleName() string {
	s := p.Class[strings.LastIndexByte(p.Class, '.')+1:]
	return s[strings.LastIndexByte(s, '$')+1:]
}

// IsConnector reports whether the plugin is a source or sink connector.
func (p Plugin) IsConnector() bool { return p.Type == SourceType || p.Type == SinkType }

// Registry resolves class names and aliases to plugins, with Apache's rules: the full class name, the
// simple class name, or the simple name without its type suffix (FileStreamSource, JsonConverter, Json);
// an alias that would name more than one class is not registered.
type Registry struct {
	plugins []Plugin
	aliases map[string]string // alias -> class
}

// NewRegistry returns a registry of the given plugins. A class may be listed once per plugin type (JsonConverter
// is both a converter and a header converter).
func NewRegistry(plugins ...Plugin) *Registry {
	r := &Registry{plugins: plugins, aliases: map[string]string{}}
	ambiguous := map[string]bool{}
	add := func(alias, class string) {
		if alias == "" || alias == class {
			return
		}
		if c, ok := r.aliases[alias]; ok && c != class {
			ambiguous[alias] = true
		}
		r.aliases[alias] = class
	}
	for _, p := range plugins {
		simple := p.SimpleName()
		add(simple, p.Class)
		if suffix := aliasSuffix[p.Type]; suffix != "" {
			// Apache cuts at the last occurrence of the suffix, wherever it stands (FooConnectorV2 -> Foo).
			if i := strings.LastIndex(simple, suffix); i > 0 {
				add(simple[:i], p.Class)
			}
		}
	}
	for a := range ambiguous {
		delete(r.aliases, a)
	}
	return r
}

// Plugins returns the registered plugins of the given types (all when none are given), in registration order.
func (r *Registry) Plugins(types ...PluginType) []Plugin {
	var out []Plugin
	for _, p := range r.plugins {
		if len(types) == 0 || slices.Contains(types, p.Type) {
			out = append(out, p)
		}
	}
	return out
}

// Lookup resolves a class name or alias to a plugin of one of the given types.
func (r *Registry) Lookup(name string, types ...PluginType) (Plugin, bool) {
	class := name
	if c, ok := r.aliases[name]; ok {
		class = c
	}
	for _, p := range r.plugins {
		if p.Class == class && (len(types) == 0 || slices.Contains(types, p.Type)) {
			return p, true
		}
	}
	return Plugin{}, false
}

// Connector resolves a connector.class value. Besides aliases it accepts, as Apache does, any connector whose
// simple class name equals the value or the value followed by "Connector"; when that matches several
// connectors the error lists them.
func (r *Registry) Connector(name string) (Plugin, error) {
	if p, ok := r.Lookup(name, SourceType, SinkType); ok {
		return p, nil
	}
	var matches []Plugin
	for _, p := range r.Plugins(SourceType, SinkType) {
		if s := p.SimpleName(); s == name || s == name+"Connector" {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return Plugin{}, &UnknownClassError{Name: name, Kind: "Connector", Available: r.Plugins(SourceType, SinkType)}
	}
	classes := make([]string, len(matches))
	for i, p := range matches {
		classes[i] = p.Class
	}
	return Plugin{}, fmt.Errorf("More than one connector matches alias %s. Please use full package and class name instead. Classes found: %s",
		name, strings.Join(classes, ", "))
}

// UnknownClassError says that no plugin of the wanted kind has the given name.
type UnknownClassError struct {
	Name      string
	Kind      string // "Connector", "Converter", …: the Java interface name
	Available []Plugin
}

// Error reads as Apache's message, with the classes sorted as Apache sorts its plugin descriptions.
func (e *UnknownClassError) Error() string {
	names := make([]string, len(e.Available))
	for i, p := range e.Available {
		names[i] = p.Class
	}
	slices.Sort(names)
	return fmt.Sprintf("Failed to find any class that implements %s and which name matches %s, available %ss are: %s",
		e.Kind, e.Name, strings.ToLower(e.Kind), strings.Join(names, ", "))
}
