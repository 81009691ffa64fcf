package transforms

import (
	"errors"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Chain is a connector's configured transforms, in the order of its transforms key, each with its
// optional predicate. Once built it is safe for concurrent use.
type Chain struct {
	stages []stage
}

type stage struct {
	alias     string
	class     string
	transform Transformation
	predicate Predicate
	negate    bool
}

// sinkAware is implemented by transforms whose behaviour depends on whether they see sink records (which
// have a Kafka offset) or source records.
type sinkAware interface{ setSink(sink bool) }

// NewChain builds the transforms a connector configuration declares (transforms, transforms.<alias>.*,
// predicates, predicates.<alias>.*), configured as Apache configures them: each transform gets its keys
// with the prefix stripped, minus predicate and negate; each predicate gets its keys with the prefix
// stripped. Classes are resolved in reg, by full class name or alias. Whether the chain sees sink or
// source records follows from connector.class.
//
// Every problem is reported, as config.Errors whose keys are the full keys (transforms.<alias>.<key>), so
// that each names its alias and key. Unlike Apache, which finds some of them only when a task starts, all
// of them are found here: a negate without a predicate, a predicate alias that predicates does not
// declare, and every check a transform makes when it is configured.
func NewChain(reg *connectors.Registry, cfg map[string]string) (*Chain, error) {
	base := config.ConnectorDef("")
	tk, _ := base.Lookup(config.Transforms)
	pk, _ := base.Lookup(config.Predicates)
	lists, err := config.NewDef(tk, pk).Parse(cfg)
	var errs config.Errors
	collect(&errs, err, "", "")

	sink := false
	if p, err := reg.Connector(config.JavaTrim(cfg[config.ConnectorClass])); err == nil {
		sink = p.Type == connectors.SinkType
	}

	predicates := map[string]Predicate{}
	for _, alias := range dedupe(lists.List(config.Predicates)) {
		prefix := config.Predicates + "." + alias + "."
		c, class, ok := instantiate(reg, cfg, prefix, connectors.PredicateType, &errs)
		if !ok {
			continue
		}
		p, ok := c.(Predicate)
		if !ok {
			errs = append(errs, &config.Error{Key: prefix + "type", Msg: invalidValue(prefix+"type", class, "Class "+class+" is not a predicate.")})
			continue
		}
		if configure(p, cfg, prefix, false, &errs) {
			predicates[alias] = p
		}
	}

	chain := &Chain{}
	for _, alias := range dedupe(lists.List(config.Transforms)) {
		prefix := config.Transforms + "." + alias + "."
		st := stage{alias: alias}
		predicateAlias, hasPredicate := cfg[prefix+"predicate"]
		predicateAlias = config.JavaTrim(predicateAlias)
		if raw, ok := cfg[prefix+"negate"]; ok {
			switch v := config.JavaTrim(raw); {
			case !hasPredicate:
				errs = append(errs, &config.Error{Key: prefix + "negate", Msg: "Config '" + prefix + "negate' was provided but there is no config '" + prefix + "predicate' defining a predicate to be negated."})
			case strings.EqualFold(v, "true"):
				st.negate = true
			case !strings.EqualFold(v, "false"):
				errs = append(errs, &config.Error{Key: prefix + "negate", Msg: invalidValue(prefix+"negate", raw, "Expected value to be either true or false")})
			}
		}
		if hasPredicate {
			if p, ok := predicates[predicateAlias]; ok {
				st.predicate = p
			} else if !slices.Contains(lists.List(config.Predicates), predicateAlias) {
				errs = append(errs, &config.Error{Key: prefix + "predicate", Msg: invalidValue(prefix+"predicate", predicateAlias,
					"Unknown configuration '"+config.Predicates+"."+predicateAlias+".type': the predicate is not listed in "+config.Predicates)})
			}
		}
		c, class, ok := instantiate(reg, cfg, prefix, connectors.TransformationType, &errs)
		if !ok {
			continue
		}
		t, ok := c.(Transformation)
		if !ok {
			errs = append(errs, &config.Error{Key: prefix + "type", Msg: invalidValue(prefix+"type", class, "Class "+class+" is not a transformation.")})
			continue
		}
		if sa, ok := t.(sinkAware); ok {
			sa.setSink(sink)
		}
		if !configure(t, cfg, prefix, true, &errs) {
			continue
		}
		st.class, st.transform = class, t
		chain.stages = append(chain.stages, st)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return chain, nil
}

// instantiate resolves the class of an alias's .type key and makes an instance.
func instantiate(reg *connectors.Registry, cfg map[string]string, prefix string, typ connectors.PluginType, errs *config.Errors) (any, string, bool) {
	typeKey := prefix + "type"
	raw, ok := cfg[typeKey]
	class := config.JavaTrim(raw)
	if !ok || class == "" {
		*errs = append(*errs, &config.Error{Key: typeKey, Msg: `Missing required configuration "` + typeKey + `" which has no default value.`})
		return nil, "", false
	}
	p, ok := reg.Lookup(class, typ)
	if !ok {
		*errs = append(*errs, &config.Error{Key: typeKey, Msg: invalidValue(typeKey, class, "Class "+class+" could not be found.")})
		return nil, "", false
	}
	return p.New(), p.Class, true
}

// configure checks an alias's keys against the plugin's definition, with Apache's messages for the
// prefixed keys, then configures the plugin with its keys. It reports whether that succeeded.
func configure(c configurable, cfg map[string]string, prefix string, transform bool, errs *config.Errors) bool {
	if _, err := new(config.Def).Embed(prefix, "", c.Config()).Parse(cfg); err != nil {
		collect(errs, err, prefix, prefix+"type")
		return false
	}
	own := make(map[string]string)
	for k, v := range cfg {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			own[rest] = v
		}
	}
	if transform {
		delete(own, "predicate")
		delete(own, "negate")
	}
	if err := c.Configure(own); err != nil {
		collect(errs, err, prefix, prefix+"type")
		return false
	}
	return true
}

// collect adds err's problems to errs, naming their keys in full: prefix+key, or typeKey for a problem
// that is about no key in particular.
func collect(errs *config.Errors, err error, prefix, typeKey string) {
	if err == nil {
		return
	}
	rekey := func(e *config.Error) *config.Error {
		c := *e
		switch {
		case c.Key == "":
			c.Key = typeKey
		case !strings.HasPrefix(c.Key, prefix):
			c.Key = prefix + c.Key
		}
		return &c
	}
	var es config.Errors
	var e *config.Error
	switch {
	case errors.As(err, &es):
		for _, e := range es {
			*errs = append(*errs, rekey(e))
		}
	case errors.As(err, &e):
		*errs = append(*errs, rekey(e))
	default:
		*errs = append(*errs, &config.Error{Key: typeKey, Msg: err.Error()})
	}
}

func dedupe(aliases []string) []string {
	var out []string
	for _, a := range aliases {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Len returns the number of transforms.
func (c *Chain) Len() int { return len(c.stages) }

// Apply runs the transforms in order on r: a transform whose predicate does not hold (or holds, with
// negate) passes the record on unchanged, and a transform that returns nil drops the record, so that the
// rest are skipped and Apply returns nil. A failure is an *Error naming the alias and class of the
// transform; the record may then carry the changes of the transforms before it.
func (c *Chain) Apply(r *connectors.Record) (*connectors.Record, error) {
	for i := range c.stages {
		s := &c.stages[i]
		if s.predicate != nil {
			ok, err := s.predicate.Test(r)
			if err != nil {
				return nil, &Error{Alias: s.alias, Class: s.class, Err: err}
			}
			if ok == s.negate {
				continue
			}
		}
		out, err := s.transform.Apply(r)
		if err != nil {
			return nil, &Error{Alias: s.alias, Class: s.class, Err: err}
		}
		if out == nil {
			return nil, nil
		}
		r = out
	}
	return r, nil
}
