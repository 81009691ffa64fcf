package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// pluginOrder is the order in which Apache's GET /connector-plugins lists plugin types.
var pluginOrder = []connectors.PluginType{
	connectors.SinkType, connectors.SourceType, connectors.TransformationType, connectors.PredicateType,
	connectors.ConverterType, connectors.HeaderConverterType,
}

// Plugins lists the registered plugins of the given types (all listable types when none: config providers
// are never listed, as in Apache), in Apache's order: sinks, sources, transformations, predicates,
// converters, header converters, each sorted by class name.
func (h *Herder) Plugins(types ...connectors.PluginType) []connectors.Plugin {
	order := pluginOrder
	if len(types) > 0 {
		order = slices.DeleteFunc(slices.Clone(pluginOrder), func(t connectors.PluginType) bool { return !slices.Contains(types, t) })
		for _, t := range types { // types Apache does not list come last, in the order asked
			if !slices.Contains(order, t) {
				order = append(order, t)
			}
		}
	}
	var out []connectors.Plugin
	for _, t := range order {
		ps := h.cfg.Registry.Plugins(t)
		slices.SortStableFunc(ps, func(a, b connectors.Plugin) int { return strings.Compare(a.Class, b.Class) })
		out = append(out, ps...)
	}
	return out
}

// configurable is every plugin that defines configuration keys.
type configurable interface{ Config() *config.Def }

// PluginConfig returns the configuration keys of a plugin named by class or alias, as
// GET /connector-plugins/{p}/config shows them: for a connector its own keys, then the framework keys it
// does not define itself. Unknown: KindNotFound "Unknown plugin <p>.".
func (h *Herder) PluginConfig(plugin string) ([]config.KeyInfo, error) {
	p, ok := h.cfg.Registry.Lookup(plugin)
	if !ok {
		return nil, errorf(KindNotFound, "Unknown plugin %s.", plugin)
	}
	if p.Type == connectors.ConfigProviderType {
		return nil, errorf(KindInvalid, "Invalid plugin type %s. Valid types are sink, source, converter, header_converter, transformation, predicate.", p.Type)
	}
	var def *config.Def
	if c, ok := p.New().(configurable); ok {
		def = c.Config()
	}
	if def == nil {
		def = config.NewDef()
	}
	if p.IsConnector() {
		def = def.Merge(config.ConnectorDef(string(p.Type)))
	}
	return def.Infos(), nil
}

// ConfigInfos is Apache's answer to a validation request.
type ConfigInfos struct {
	Name       string       `json:"name"`
	ErrorCount int          `json:"error_count"`
	Groups     []string     `json:"groups"`
	Configs    []ConfigInfo `json:"configs"`
}

// ConfigInfo is one key of a validation answer: its definition (nil when unknown) and its value.
type ConfigInfo struct {
	Definition *config.KeyInfo `json:"definition"`
	Value      *config.Result  `json:"value"`
}

// Validate validates a connector configuration as PUT /connector-plugins/{p}/config/validate does; it
// reports problems in the answer, and fails only when the request itself is wrong (no connector.class:
// KindInvalid "Connector config contains no connector type"; unknown class: KindInvalid naming the
// available ones; a path plugin that does not match the body's class: KindInvalid with Apache's text).
// pathPlugin may be empty (POST /connector-plugins/validate).
//
// The answer comes from the same definitions and checks that creating the connector applies, so a
// configuration that validates without errors is accepted by Create, and the errors Create reports are the
// ones listed here (except that the answer never shows a value a config provider resolved: it shows the
// reference, with a generic error if the resolved value is invalid). Apache 3.6 answers a sink without topics (or with both topics and topics.regex) with a
// 500; here those problems are errors of the topics keys in a 200 answer.
func (h *Herder) Validate(pathPlugin string, cfg map[string]string) (*ConfigInfos, error) {
	class, hasClass := cfg[config.ConnectorClass]
	if pathPlugin != "" && hasClass && !strings.HasSuffix(trimConnectorSuffix(class), trimConnectorSuffix(pathPlugin)) {
		return nil, errorf(KindInvalid, "Included connector type %s does not match request type %s", class, pathPlugin)
	}
	if strings.TrimSpace(class) == "" {
		return nil, errorf(KindInvalid, "Connector config contains no connector type")
	}
	plugin, err := h.cfg.Registry.Connector(strings.TrimSpace(class))
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Msg: err.Error()}
	}
	impl, ok := plugin.New().(connectors.Connector)
	if !ok {
		return nil, errorf(KindInternal, "%s is not a connector", plugin.Class)
	}
	e := h.current()
	resolved, err := e.resolve(cfg)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Msg: err.Error()}
	}

	def := h.connectorDef(e, plugin, impl, resolved)
	results := def.Validate(resolved)
	byName := make(map[string]*config.Result, len(results))
	for i := range results {
		r := &results[i]
		byName[r.Name] = r
		for j, e := range r.Errors {
			r.Errors[j] = aliasMessage(r.Name, resolved[r.Name], e)
		}
	}
	addError := func(key, msg string) {
		if r := byName[key]; r != nil {
			r.Errors = append(r.Errors, msg)
		}
	}
	if plugin.Type == connectors.SinkType {
		for _, e := range config.ValidateSink(resolved) {
			addError(e.Key, e.Msg)
		}
	}
	for _, e := range h.converterProblems(resolved) {
		addError(e.Key, e.Msg)
	}
	for _, e := range h.chainProblems(results, resolved) {
		addError(e.Key, e.Msg)
	}
	if name := cfg[config.ConnectorName]; strings.Contains(name, "/") {
		addError(config.ConnectorName, checkName(name).Error())
	}

	out := &ConfigInfos{Name: class, Groups: def.Groups(), Configs: make([]ConfigInfo, len(results))}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	for i := range results {
		r := &results[i]
		// A value from a config provider is shown as the reference, never as the secret it resolved to
		// (Apache does so since 4.2; 3.6 echoes the resolved value).
		if raw, ok := cfg[r.Name]; ok && raw != resolved[r.Name] {
			r.Value = &raw
			if len(r.Errors) > 0 {
				r.Errors = []string{fmt.Sprintf("Invalid value for configuration '%s': the value resolved from the config provider reference failed validation", r.Name)}
			}
		}
		out.ErrorCount += len(r.Errors)
		k, _ := def.Lookup(r.Name)
		info := k.Info()
		out.Configs[i] = ConfigInfo{Definition: &info, Value: r}
	}
	return out, nil
}

// connectorDef is the definition a connector configuration is checked against: the framework keys of its
// kind, the keys of its transformations and predicates, its topic creation settings (sources, when topic
// creation applies), then the connector's own keys.
func (h *Herder) connectorDef(e *env, plugin connectors.Plugin, impl connectors.Connector, resolved map[string]string) *config.Def {
	ts, ps := transforms.PluginSets(h.cfg.Registry)
	def := config.WithTransforms(config.ConnectorDef(string(plugin.Type)), resolved, ts, ps)
	if plugin.Type == connectors.SourceType && topicCreationEnabled(e.worker, resolved) {
		def = def.Merge(config.TopicCreationDef(resolved))
	}
	return def.Merge(impl.Config())
}

// trimConnectorSuffix is Apache's normalisation of plugin names for the validate path check.
func trimConnectorSuffix(s string) string {
	if t, ok := strings.CutSuffix(s, "Connector"); ok && t != "" {
		return t
	}
	return s
}
