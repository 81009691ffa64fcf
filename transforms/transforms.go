// Package transforms implements Apache Kafka Connect's single message transforms (Cast, DropHeaders,
// ExtractField, Filter, Flatten, HeaderFrom, HoistField, InsertField, InsertHeader, MaskField,
// RegexRouter, ReplaceField, SetSchemaMetadata, TimestampConverter, TimestampRouter, ValueToKey) and
// predicates (HasHeaderKey, RecordIsTombstone, TopicNameMatches), with Apache's configuration keys,
// results and error messages, and the Chain that runs a connector's configured transforms in order.
//
// Where Apache's behaviour follows from Java rather than from Connect, it is reproduced on purpose:
// regular expressions match whole topic names, replacements use Java's $1 syntax, dates are formatted
// and parsed as java.text.SimpleDateFormat does in UTC, numbers become text as Java prints them, and
// maps rebuilt without a schema come out in java.util.HashMap order, so that the bytes a converter
// writes afterwards are Apache's.
package transforms

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// Transformation is a single message transform.
type Transformation interface {
	// Config defines the transform's keys, without the transforms.<alias>. prefix.
	Config() *config.Def
	// Configure receives the transform's keys with their prefix stripped. It is called once, before
	// Apply.
	Configure(cfg map[string]string) error
	// Apply returns the transformed record, or nil to drop it. It does not modify the values of the input
	// record that it does not own (it builds new structs and maps, as Apache does); it may reuse the
	// Record struct and return it.
	Apply(r *connectors.Record) (*connectors.Record, error)
}

// Predicate decides whether a transform applies to a record.
type Predicate interface {
	Config() *config.Def
	Configure(cfg map[string]string) error
	Test(r *connectors.Record) (bool, error)
}

// The package names of Apache's transforms and predicates.
const (
	transformPackage = "org.apache.kafka.connect.transforms."
	predicatePackage = "org.apache.kafka.connect.transforms.predicates."
)

// Plugins lists every transform (both the $Key and $Value classes where Apache has them) and every
// predicate, by Apache's full class name, in the order Apache's plugin list shows them. New returns a
// fresh, unconfigured Transformation or Predicate.
func Plugins() []connectors.Plugin {
	var out []connectors.Plugin
	add := func(class string, typ connectors.PluginType, mk func() any) {
		out = append(out, connectors.Plugin{Class: class, Type: typ, Version: connectors.APIVersion, New: mk})
	}
	single := func(name string, mk func() Transformation) {
		add(transformPackage+name, connectors.TransformationType, func() any { return mk() })
	}
	keyValue := func(name string, mk func(side) Transformation) {
		add(transformPackage+name+"$Key", connectors.TransformationType, func() any { return mk(keySide) })
		add(transformPackage+name+"$Value", connectors.TransformationType, func() any { return mk(valueSide) })
	}
	keyValue("Cast", func(s side) Transformation { return &cast{side: s} })
	single("DropHeaders", func() Transformation { return &dropHeaders{} })
	keyValue("ExtractField", func(s side) Transformation { return &extractField{side: s} })
	single("Filter", func() Transformation { return filter{} })
	keyValue("Flatten", func(s side) Transformation { return &flatten{side: s} })
	keyValue("HeaderFrom", func(s side) Transformation { return &headerFrom{side: s} })
	keyValue("HoistField", func(s side) Transformation { return &hoistField{side: s} })
	keyValue("InsertField", func(s side) Transformation { return &insertField{side: s} })
	single("InsertHeader", func() Transformation { return &insertHeader{} })
	keyValue("MaskField", func(s side) Transformation { return &maskField{side: s} })
	single("RegexRouter", func() Transformation { return &regexRouter{} })
	keyValue("ReplaceField", func(s side) Transformation { return &replaceField{side: s} })
	keyValue("SetSchemaMetadata", func(s side) Transformation { return &setSchemaMetadata{side: s} })
	keyValue("TimestampConverter", func(s side) Transformation { return &timestampConverter{side: s} })
	single("TimestampRouter", func() Transformation { return &timestampRouter{} })
	single("ValueToKey", func() Transformation { return &valueToKey{} })

	add(predicatePackage+"HasHeaderKey", connectors.PredicateType, func() any { return &hasHeaderKey{} })
	add(predicatePackage+"RecordIsTombstone", connectors.PredicateType, func() any { return recordIsTombstone{} })
	add(predicatePackage+"TopicNameMatches", connectors.PredicateType, func() any { return &topicNameMatches{} })
	return out
}

// PluginSets returns what config.WithTransforms needs to list and check the transforms and predicates
// registered in reg: the class names the REST API recommends for the .type keys, each class's keys, and
// the checks Apache makes only when it configures a transform (InsertField without any field, HeaderFrom
// lists of different lengths, a TimestampConverter pattern), so that validation reports them too.
func PluginSets(reg *connectors.Registry) (transforms, predicates config.PluginSet) {
	set := func(typ connectors.PluginType) config.PluginSet {
		var classes []string
		for _, p := range reg.Plugins(typ) {
			classes = append(classes, p.Class)
		}
		slices.Sort(classes)
		configurable := func(class string) (configurable, bool) {
			p, ok := reg.Lookup(class, typ)
			if !ok {
				return nil, false
			}
			c, ok := p.New().(configurable)
			return c, ok
		}
		return config.PluginSet{
			Classes: classes,
			Config: func(class string) (*config.Def, bool) {
				c, ok := configurable(class)
				if !ok {
					return nil, false
				}
				return c.Config(), true
			},
			Check: func(class string, cfg map[string]string) error {
				c, ok := configurable(class)
				if !ok {
					return nil // reported by the .type key
				}
				return c.Configure(cfg)
			},
		}
	}
	return set(connectors.TransformationType), set(connectors.PredicateType)
}

// configurable is what transforms and predicates have in common.
type configurable interface {
	Config() *config.Def
	Configure(cfg map[string]string) error
}

// side is the half of a record a $Key or $Value transform works on.
type side bool

const (
	valueSide side = false
	keySide   side = true
)

func (s side) schema(r *connectors.Record) *connectors.Schema {
	if s == keySide {
		return r.KeySchema
	}
	return r.ValueSchema
}

func (s side) value(r *connectors.Record) any {
	if s == keySide {
		return r.Key
	}
	return r.Value
}

// set replaces the operating schema and value, as Apache's newRecord does for each variant.
func (s side) set(r *connectors.Record, schema *connectors.Schema, value any) *connectors.Record {
	if s == keySide {
		r.KeySchema, r.Key = schema, value
	} else {
		r.ValueSchema, r.Value = schema, value
	}
	return r
}

// Java exception classes that transforms raise, as the runner reports them (for example in the dead
// letter queue's __connect.errors.exception.class.name header).
const (
	DataException            = "org.apache.kafka.connect.errors.DataException"
	ConnectException         = "org.apache.kafka.connect.errors.ConnectException"
	SchemaBuilderException   = "org.apache.kafka.connect.errors.SchemaBuilderException"
	IllegalArgumentException = "java.lang.IllegalArgumentException"
	NullPointerException     = "java.lang.NullPointerException"
	ClassCastException       = "java.lang.ClassCastException"
)

// Exception is a failure a transform or predicate raised on a record, as Apache raises it: the Java
// exception class and Apache's message.
type Exception struct {
	Class   string
	Message string
}

func (e *Exception) Error() string { return e.Message }

// JavaClass returns the Java exception class, as converters.DataError does.
func (e *Exception) JavaClass() string { return e.Class }

func dataError(format string, args ...any) error {
	return &Exception{Class: DataException, Message: fmt.Sprintf(format, args...)}
}

// Error is the failure of one stage of a Chain: which transform failed and why. Class is the
// transform's Java class name, which Apache reports as the failing class also when the stage's predicate
// failed.
type Error struct {
	Alias string
	Class string
	Err   error
}

func (e *Error) Error() string {
	return fmt.Sprintf("transformation %s (%s): %v", e.Alias, e.Class, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// JavaClass returns the Java exception class of the cause (DataException when the cause does not say).
func (e *Error) JavaClass() string {
	var jc interface{ JavaClass() string }
	if errors.As(e.Err, &jc) {
		return jc.JavaClass()
	}
	return DataException
}

// Requirements, with Apache's messages.

func requireStruct(v any, purpose string) (*connectors.StructValue, error) {
	if s, ok := v.(*connectors.StructValue); ok && s != nil {
		return s, nil
	}
	return nil, dataError("Only Struct objects supported for [%s], found: %s", purpose, connectors.JavaClass(v))
}

func requireStructOrNull(v any, purpose string) (*connectors.StructValue, error) {
	if v == nil {
		return nil, nil
	}
	return requireStruct(v, purpose)
}

func requireMap(v any, purpose string) (connectors.MapValue, error) {
	if m, ok := mapEntries(v); ok {
		return m, nil
	}
	return nil, dataError("Only Map objects supported in absence of schema for [%s], found: %s", purpose, connectors.JavaClass(v))
}

func requireMapOrNull(v any, purpose string) (connectors.MapValue, bool, error) {
	if v == nil {
		return nil, false, nil
	}
	m, err := requireMap(v, purpose)
	return m, err == nil, err
}

// requireSink is Apache's requireSinkRecord: only sink records have a Kafka offset.
func requireSink(sink bool, purpose string) error {
	if sink {
		return nil
	}
	return dataError("Only SinkRecord supported for [%s], found: org.apache.kafka.connect.source.SourceRecord", purpose)
}

// configError is a problem found when configuring a transform, reported on key (without prefix).
func configError(key, msg string) error {
	return config.Errors{{Key: key, Msg: msg}}
}

// invalidValue is Apache's ConfigException text for a key's value.
func invalidValue(key, value, reason string) string {
	return "Invalid value " + value + " for configuration " + key + ": " + reason
}

// javaList renders a list as Java's List.toString does.
func javaList(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

// replaceNullDoc is the documentation of replace.null.with.default, shared by many transforms.
const replaceNullDoc = "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."

func replaceNullKey() config.Key {
	return config.Key{Name: "replace.null.with.default", Type: config.Boolean, Default: true, Importance: config.Medium, Doc: replaceNullDoc}
}

// nonEmptyList is Apache's NonEmptyListValidator.
var nonEmptyList = config.Func("non-empty list", func(name string, value any) error {
	if l, ok := value.([]string); !ok || len(l) == 0 {
		return errors.New("Empty list")
	}
	return nil
})
