package runner

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/transforms"
)

// validate checks a connector configuration the way creating it through the REST API does, and returns its
// plugin. The same checks serve connector files at start-up, REST calls and reloads.
func (h *Herder) validate(cfg map[string]string) (connectors.Plugin, error) {
	return h.validateWith(h.current(), cfg)
}

// validateWith is validate under a given worker configuration. An invalid configuration is a KindInvalid
// *Error listing every problem in Apache's words, with the problems keyed in Problems.
func (h *Herder) validateWith(e *env, cfg map[string]string) (connectors.Plugin, error) {
	name := cfg["name"]
	if err := checkName(name); err != nil {
		return connectors.Plugin{}, err
	}
	class := strings.TrimSpace(cfg["connector.class"])
	if class == "" {
		return connectors.Plugin{}, errorf(KindInvalid, "Connector config contains no connector type")
	}
	plugin, err := h.cfg.Registry.Connector(class)
	if err != nil {
		return connectors.Plugin{}, &Error{Kind: KindInvalid, Msg: err.Error()}
	}
	problems, err := h.configProblems(e, plugin, cfg)
	if err != nil {
		return plugin, err
	}
	if len(problems) > 0 {
		return plugin, &Error{Kind: KindInvalid, Msg: invalidConfig(problems.Messages()...), Problems: problems}
	}
	return plugin, nil
}

// configProblems lists every problem of a configuration, in Apache's words, each with its key when it is
// about one.
func (h *Herder) configProblems(e *env, plugin connectors.Plugin, cfg map[string]string) (config.Errors, error) {
	impl, ok := plugin.New().(connectors.Connector)
	if !ok {
		return nil, errorf(KindInternal, "%s is not a connector", plugin.Class)
	}
	resolved, err := e.resolve(cfg)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Msg: err.Error()}
	}
	// One definition serves creation and the REST validate endpoint (see connectorDef), so they agree.
	// Apache checks topic creation settings only when a task starts; checking them here reports a mistake
	// when the connector is created, with the other problems.
	def := h.connectorDef(e, plugin, impl, resolved)
	var problems config.Errors
	if _, err := def.Parse(resolved); err != nil {
		var es config.Errors
		if errors.As(err, &es) {
			for _, e := range es {
				problems = append(problems, &config.Error{Key: e.Key, Msg: aliasMessage(e.Key, resolved[e.Key], e.Msg)})
			}
		} else {
			for _, msg := range messages(err) {
				problems = append(problems, &config.Error{Msg: msg})
			}
		}
	}
	problems = append(problems, h.chainProblems(def.Validate(resolved), resolved)...)
	if plugin.Type == connectors.SinkType {
		problems = append(problems, config.ValidateSink(resolved)...)
	}
	problems = append(problems, h.converterProblems(resolved)...)
	return problems, nil
}

// chainProblems reports what building the connector's transforms finds beyond the checks of the keys
// (results): a transform's predicate alias that predicates does not declare, which Apache finds only when
// a task starts. Problems the results already report, on any key, are left out.
func (h *Herder) chainProblems(results []config.Result, resolved map[string]string) config.Errors {
	_, err := transforms.NewChain(h.cfg.Registry, resolved)
	var es config.Errors
	if !errors.As(err, &es) {
		return nil
	}
	var out config.Errors
next:
	for _, e := range es {
		for _, r := range results {
			for _, msg := range r.Errors {
				if strings.Contains(msg, e.Msg) {
					continue next
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// aliasMessage makes a problem of a transformation's or predicate's key that names no key name it, in the
// words of Apache's ConfigException. Some checks of the transformations ("Invalid type found in casting
// spec: uuid") name neither the alias nor the key, and a connector configuration's list of problems shows
// only the messages.
func aliasMessage(key, value, msg string) string {
	if !strings.HasPrefix(key, config.Transforms+".") && !strings.HasPrefix(key, config.Predicates+".") ||
		strings.Contains(msg, key) || strings.Contains(msg, "configuration") {
		return msg
	}
	return "Invalid value " + config.JavaTrim(value) + " for configuration " + key + ": " + msg
}

// converterProblems reports the converter classes of a connector configuration that no plugin provides.
func (h *Herder) converterProblems(resolved map[string]string) config.Errors {
	var errs config.Errors
	for _, c := range []struct {
		key  string
		kind connectors.PluginType
	}{
		{config.KeyConverter, connectors.ConverterType},
		{config.ValueConverter, connectors.ConverterType},
		{config.HeaderConverter, connectors.HeaderConverterType},
	} {
		if class := strings.TrimSpace(resolved[c.key]); class != "" {
			if _, ok := h.cfg.Registry.Lookup(class, c.kind); !ok {
				errs = append(errs, &config.Error{Key: c.key,
					Msg: fmt.Sprintf("Invalid value %s for configuration %s: Class %s could not be found.", class, c.key, class)})
			}
		}
	}
	return errs
}

// checkName applies Apache's rules for connector names, and rejects '/' which Apache accepts but cannot
// address afterwards.
func checkName(name string) error {
	trimmed := strings.TrimSpace(name)
	if trimmed == "" {
		return &Error{Kind: KindInvalid, Msg: invalidConfig("Invalid value " + name + " for configuration name: String may not be empty")}
	}
	var controls []string
	for _, r := range name {
		if unicode.IsControl(r) && r < 0x100 {
			controls = append(controls, fmt.Sprint(int(r)))
		}
	}
	if len(controls) > 0 {
		return &Error{Kind: KindInvalid, Msg: invalidConfig("Invalid value " + name +
			" for configuration name: String may not contain control sequences but had the following ASCII chars: " +
			strings.Join(controls, ", "))}
	}
	if strings.Contains(name, "/") {
		return errorf(KindInvalid, "Invalid connector name %q: a connector name may not contain '/', since it could not be addressed in the REST API", name)
	}
	return nil
}

// invalidConfig is Apache's message for a connector configuration with the given problems.
func invalidConfig(problems ...string) string {
	return fmt.Sprintf("Connector configuration is invalid and contains the following %d error(s):\n%s\n"+
		"You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
		len(problems), strings.Join(problems, "\n"))
}

// messages flattens a (possibly joined) error into its messages.
func messages(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, messages(e)...)
		}
		return out
	}
	var ce *config.Error
	if errors.As(err, &ce) {
		return []string{ce.Msg}
	}
	return []string{err.Error()}
}
