package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Connector keys this package and its callers refer to by name.
const (
	ConnectorName            = "name"
	ConnectorClass           = "connector.class"
	TasksMax                 = "tasks.max"
	Transforms               = "transforms"
	Predicates               = "predicates"
	ConfigActionReload       = "config.action.reload"
	ErrorsRetryTimeout       = "errors.retry.timeout"
	ErrorsRetryDelayMax      = "errors.retry.delay.max.ms"
	ErrorsTolerance          = "errors.tolerance"
	ErrorsLogEnable          = "errors.log.enable"
	ErrorsLogIncludeMessages = "errors.log.include.messages"
	TopicCreationGroups      = "topic.creation.groups"
	ExactlyOnceSupport       = "exactly.once.support"
	TransactionBoundary      = "transaction.boundary"
	TransactionInterval      = "transaction.boundary.interval.ms"
	OffsetsStorageTopic      = "offsets.storage.topic"
	Topics                   = "topics"
	TopicsRegex              = "topics.regex"
	DLQTopicName             = "errors.deadletterqueue.topic.name"
	DLQReplicationFactor     = "errors.deadletterqueue.topic.replication.factor"
	DLQContextHeadersEnable  = "errors.deadletterqueue.context.headers.enable"

	// TopicCreationPrefix starts every topic creation key of source connectors.
	TopicCreationPrefix = "topic.creation."
)

// Connector kinds, as ConnectorDef takes them (the REST API's plugin types).
const (
	KindSource = "source"
	KindSink   = "sink"
)

// Group names of the framework keys, as Apache names them.
const (
	groupCommon        = "Common"
	groupTransforms    = "Transforms"
	groupPredicates    = "Predicates"
	groupErrors        = "Error Handling"
	groupTopicCreation = "Topic Creation"
	groupExactlyOnce   = "Exactly Once Support"
	groupOffsetsTopic  = "offsets.topic"
)

const converterDoc = "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the %s in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro."

// commonKeys are Apache 3.6's ConnectorConfig keys, texts and display hints exactly as its REST API shows
// them.
func commonKeys() []Key {
	return []Key{
		{Name: ConnectorName, Type: String, Required: true, Validator: NonEmptyStringWithoutControlChars(), Importance: High,
			Doc: "Globally unique name to use for this connector.", Group: groupCommon, OrderInGroup: 1, Width: WidthMedium, DisplayName: "Connector name"},
		{Name: ConnectorClass, Type: String, Required: true, Importance: High,
			Doc:   "Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use \"FileStreamSink\" or \"FileStreamSinkConnector\" to make the configuration a bit shorter",
			Group: groupCommon, OrderInGroup: 2, Width: WidthLong, DisplayName: "Connector class"},
		{Name: TasksMax, Type: Int, Default: 1, Validator: AtLeast(1), Importance: High,
			Doc: "Maximum number of tasks to use for this connector.", Group: groupCommon, OrderInGroup: 3, Width: WidthShort, DisplayName: "Tasks max"},
		{Name: KeyConverter, Type: Class, Importance: Low, Doc: fmt.Sprintf(converterDoc, "keys"),
			Group: groupCommon, OrderInGroup: 4, Width: WidthShort, DisplayName: "Key converter class"},
		{Name: ValueConverter, Type: Class, Importance: Low, Doc: fmt.Sprintf(converterDoc, "values"),
			Group: groupCommon, OrderInGroup: 5, Width: WidthShort, DisplayName: "Value converter class"},
		{Name: HeaderConverter, Type: Class, Importance: Low,
			Doc:   "HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.",
			Group: groupCommon, OrderInGroup: 6, Width: WidthShort, DisplayName: "Header converter class"},
		{Name: Transforms, Type: List, Default: []string{}, Validator: uniqueAliases("unique transformation aliases"), Importance: Low,
			Doc: "Aliases for the transformations to be applied to records.", Group: groupTransforms, OrderInGroup: 7, Width: WidthLong, DisplayName: "Transforms"},
		{Name: Predicates, Type: List, Default: []string{}, Validator: uniqueAliases("unique predicate aliases"), Importance: Low,
			Doc: "Aliases for the predicates used by transformations.", Group: groupPredicates, OrderInGroup: 8, Width: WidthLong, DisplayName: "Predicates"},
		{Name: ConfigActionReload, Type: String, Default: "restart", Validator: OneOf("none", "restart"), Importance: Low,
			Doc:   "The action that Connect should take on the connector when changes in external configuration providers result in a change in the connector's configuration properties. A value of 'none' indicates that Connect will do nothing. A value of 'restart' indicates that Connect should restart/reload the connector with the updated configuration properties.The restart may actually be scheduled in the future if the external configuration provider indicates that a configuration value will expire in the future.",
			Group: groupCommon, OrderInGroup: 9, Width: WidthMedium, DisplayName: "Reload Action"},
		{Name: ErrorsRetryTimeout, Type: Long, Default: 0, Importance: Medium,
			Doc:   "The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.",
			Group: groupErrors, OrderInGroup: 1, Width: WidthMedium, DisplayName: "Retry Timeout for Errors"},
		{Name: ErrorsRetryDelayMax, Type: Long, Default: 60000, Importance: Medium,
			Doc:   "The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues.",
			Group: groupErrors, OrderInGroup: 2, Width: WidthMedium, DisplayName: "Maximum Delay Between Retries for Errors"},
		{Name: ErrorsTolerance, Type: String, Default: "none", Validator: OneOf("none", "all"), Importance: Medium,
			Doc:   "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
			Group: groupErrors, OrderInGroup: 3, Width: WidthShort, DisplayName: "Error Tolerance"},
		{Name: ErrorsLogEnable, Type: Boolean, Default: false, Importance: Medium,
			Doc:   "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
			Group: groupErrors, OrderInGroup: 4, Width: WidthShort, DisplayName: "Log Errors"},
		{Name: ErrorsLogIncludeMessages, Type: Boolean, Default: false, Importance: Medium,
			Doc:   "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files.",
			Group: groupErrors, OrderInGroup: 5, Width: WidthShort, DisplayName: "Log Error Details"},
	}
}

func sourceKeys() []Key {
	return []Key{
		{Name: TopicCreationGroups, Type: List, Default: []string{}, Validator: uniqueAliases("unique topic creation groups"), Importance: Low,
			Doc: "Groups of configurations for topics created by source connectors", Group: groupTopicCreation, OrderInGroup: 1, Width: WidthLong, DisplayName: "Topic Creation Groups"},
		{Name: ExactlyOnceSupport, Type: String, Default: "requested", Validator: OneOfIgnoreCase("requested", "required"), Importance: Medium,
			Doc:   "Permitted values are requested, required. If set to \"required\", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration. Some connectors may be capable of providing exactly-once semantics but not signal to Connect that they support this; in that case, documentation for the connector should be consulted carefully before creating it, and the value for this property should be set to \"requested\". Additionally, if the value is set to \"required\" but the worker that performs preflight validation does not have exactly-once support enabled for source connectors, requests to create or validate the connector will fail.",
			Group: groupExactlyOnce, OrderInGroup: 2, Width: WidthShort, DisplayName: "Exactly once support"},
		{Name: TransactionBoundary, Type: String, Default: "poll", Validator: OneOfIgnoreCase("poll", "interval", "connector"), Importance: Medium,
			Doc:   "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'connector', relies on connector-defined transaction boundaries; note that not all connectors are capable of defining their own transaction boundaries, and in that case, attempts to instantiate a connector with this value will fail. Finally, if set to 'interval', commits transactions only after a user-defined time interval has passed.",
			Group: groupExactlyOnce, OrderInGroup: 3, Width: WidthShort, DisplayName: "Transaction Boundary"},
		{Name: TransactionInterval, Type: Long, Validator: nullOr(AtLeast(0)), Importance: Low,
			Doc:   "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
			Group: groupExactlyOnce, OrderInGroup: 4, Width: WidthShort, DisplayName: "Transaction boundary interval"},
		{Name: OffsetsStorageTopic, Type: String, Validator: NonEmptyString(), Importance: Low,
			Doc:   "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker’s global offsets topic name will be used. If specified, the offsets topic will be created if it does not already exist on the Kafka cluster targeted by this connector (which may be different from the one used for the worker's global offsets topic if the bootstrap.servers property of the connector's producer has been overridden from the worker's). Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
			Group: groupOffsetsTopic, OrderInGroup: 1, Width: WidthLong, DisplayName: "Offsets topic"},
	}
}

func sinkKeys() []Key {
	return []Key{
		{Name: Topics, Type: List, Default: "", Importance: High,
			Doc: "List of topics to consume, separated by commas", Group: groupCommon, OrderInGroup: 4, Width: WidthLong, DisplayName: "Topics"},
		{Name: TopicsRegex, Type: String, Default: "", Validator: Regex(), Importance: High,
			Doc:   "Regular expression giving topics to consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.",
			Group: groupCommon, OrderInGroup: 4, Width: WidthLong, DisplayName: "Topics regex"},
		{Name: DLQTopicName, Type: String, Default: "", Importance: Medium,
			Doc:   "The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.",
			Group: groupErrors, OrderInGroup: 6, Width: WidthMedium, DisplayName: "Dead Letter Queue Topic Name"},
		{Name: DLQReplicationFactor, Type: Short, Default: 3, Importance: Medium,
			Doc:   "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
			Group: groupErrors, OrderInGroup: 7, Width: WidthMedium, DisplayName: "Dead Letter Queue Topic Replication Factor"},
		{Name: DLQContextHeadersEnable, Type: Boolean, Default: false, Importance: Medium,
			Doc:   "If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>",
			Group: groupErrors, OrderInGroup: 8, Width: WidthMedium, DisplayName: "Enable Error Context Headers"},
	}
}

// ConnectorDef returns the framework keys of a connector of the given kind (KindSource, KindSink, or ""
// for the keys common to both; any other kind is treated as ""), with the definitions Apache 3.6's REST
// API shows. Each call returns a new Def; connector-specific keys are merged in by the caller.
//
// Apache 3.8+ also defines tasks.max.enforce; it is left out, as in 3.6, so the REST answers match the
// 3.6 fixtures byte for byte.
func ConnectorDef(kind string) *Def {
	d := NewDef(commonKeys()...)
	switch kind {
	case KindSource:
		d.Define(sourceKeys()...)
	case KindSink:
		d.Define(sinkKeys()...)
	}
	return d
}

// nullOr runs v only on non-null values.
func nullOr(v Validator) Validator {
	return Func(v.String(), func(name string, value any) error {
		if value == nil {
			return nil
		}
		return v.Validate(name, value)
	})
}

// isBlank is Apache's Utils.isBlank on a possibly absent value.
func isBlank(s string) bool { return JavaTrim(s) == "" }

// ValidateSink applies the checks Apache's SinkConnectorConfig.validate makes before any other: exactly
// one of topics and topics.regex, and a dead letter queue topic that is not one of the consumed topics.
// The problems are returned in Apache's order; Apache 3.6 reports only the first, as a plain message (a
// 500 answer on the REST API: "Must configure one of topics or topics.regex").
func ValidateSink(props map[string]string) Errors {
	var errs Errors
	topics, hasTopics := props[Topics], !isBlank(props[Topics])
	regex, hasRegex := props[TopicsRegex], !isBlank(props[TopicsRegex])
	if hasTopics && hasRegex {
		errs = append(errs, keyError(Topics, "topics and topics.regex are mutually exclusive options, but both are set."))
	}
	if !hasTopics && !hasRegex {
		errs = append(errs, keyError(Topics, "Must configure one of topics or topics.regex"))
	}
	dlq := JavaTrim(props[DLQTopicName])
	if dlq == "" {
		return errs
	}
	if hasTopics {
		var list []string
		for _, t := range SplitList(topics) {
			if t != "" && !slices.Contains(list, t) {
				list = append(list, t)
			}
		}
		if slices.Contains(list, dlq) {
			// Apache 3.6 names topics.regex here by mistake; this names the key that holds the topic.
			errs = append(errs, keyError(Topics, fmt.Sprintf("The DLQ topic '%s' may not be included in the list of topics ('%s=%s') consumed by the connector", dlq, Topics, javaString(list))))
		}
	}
	if hasRegex {
		if re, err := JavaRegex(regex); err == nil && re.MatchString(dlq) {
			errs = append(errs, keyError(TopicsRegex, fmt.Sprintf("The DLQ topic '%s' may not be included in the regex matching the topics ('%s=%s') consumed by the connector", dlq, TopicsRegex, regex)))
		}
	}
	return errs
}

// PluginSet is what WithTransforms needs to know about the installed transformations or predicates.
type PluginSet struct {
	// Classes are the class names the REST validate endpoint recommends for the ".type" keys.
	Classes []string
	// Config returns the config definition of a class name or alias; ok is false when it is unknown.
	Config func(class string) (def *Def, ok bool)
	// Check, when set, configures a class with an alias's keys (prefix stripped, as the class receives
	// them) and returns what configuring reports beyond its Def: the checks Apache makes only when a
	// transformation or predicate is configured, at task start. WithTransforms reports that on the
	// alias's .type key, once the alias's own keys are valid.
	Check func(class string, cfg map[string]string) error
}

// WithTransforms returns def plus the keys Apache adds for each alias listed in props' transforms and
// predicates: transforms.<a>.type (required, the class), the implicit transforms.<a>.predicate and
// transforms.<a>.negate, the transformation's own keys under transforms.<a>., and likewise
// predicates.<p>.type and the predicate's keys. An unknown class is reported on the .type key
// ("Class X could not be found."), and negate without predicate on the transformation's .type key.
func WithTransforms(def *Def, props map[string]string, transforms, predicates PluginSet) *Def {
	out := def.Merge()
	enrichAliases(out, props, Transforms, groupTransforms, "Transformation", transforms, true)
	enrichAliases(out, props, Predicates, groupPredicates, "Predicate", predicates, false)
	return out
}

func enrichAliases(d *Def, props map[string]string, listKey, groupName, kind string, plugins PluginSet, implicit bool) {
	raw, ok := props[listKey]
	if !ok {
		return
	}
	var aliases []string
	for _, a := range SplitList(raw) {
		if !slices.Contains(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	lower := strings.ToLower(kind)
	for _, alias := range aliases {
		prefix := listKey + "." + alias + "."
		group := groupName + ": " + alias
		typeKey := prefix + "type"
		if _, dup := d.index[typeKey]; dup {
			continue
		}
		// The Def is checked against the props it is built from, so the class the validator is given is
		// this one, looked up once for both.
		class := JavaTrim(props[typeKey])
		var pd *Def
		found := false
		if plugins.Config != nil {
			pd, found = plugins.Config(class)
		}
		d.Define(Key{Name: typeKey, Type: Class, Required: true, Importance: High,
			Doc: "Class for the '" + alias + "' " + lower + ".", Group: group, OrderInGroup: 0, Width: WidthLong,
			DisplayName: kind + " type for " + alias, Recommended: plugins.Classes,
			Validator: Func("valid configs for "+alias+" "+lower, func(name string, value any) error {
				if implicit {
					if _, hasNegate := props[prefix+"negate"]; hasNegate {
						if _, hasPredicate := props[prefix+"predicate"]; !hasPredicate {
							return &Error{Msg: "Config '" + prefix + "negate' was provided but there is no config '" + prefix + "predicate' defining a predicate to be negated."}
						}
					}
				}
				if _, ok := value.(string); !ok {
					return nil // missing: reported as a missing required key
				}
				if !found {
					return &Error{Msg: invalidValue(name, class, "Class "+class+" could not be found.")}
				}
				return checkAlias(props, prefix, class, pd, plugins.Check, implicit)
			})})
		// As in Apache, the alias gets its other keys only when its class is known.
		if !found || class == "" {
			continue
		}
		own := new(Def)
		if implicit {
			own.Define(
				Key{Name: "predicate", Type: String, Importance: Medium, Doc: "The alias of a predicate used to determine whether to apply this transformation."},
				Key{Name: "negate", Type: Boolean, Default: false, Importance: Medium, Doc: "Whether the configured predicate should be negated."},
			)
		}
		if pd != nil {
			for _, k := range pd.keys {
				if _, masked := own.index[k.Name]; !masked { // the implicit keys mask the plugin's own
					own.Define(k)
				}
			}
		}
		d.Embed(prefix, group, own)
	}
}

// checkAlias runs a PluginSet's Check on an alias whose own keys are valid, with the keys the class
// receives: the alias's keys without prefix, without the implicit predicate and negate of a
// transformation.
func checkAlias(props map[string]string, prefix, class string, pd *Def, check func(string, map[string]string) error, implicit bool) error {
	if check == nil {
		return nil
	}
	if pd != nil {
		if _, err := new(Def).Embed(prefix, "", pd).Parse(props); err != nil {
			return nil // reported on the keys themselves
		}
	}
	cfg := map[string]string{}
	for k, v := range props {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			cfg[rest] = v
		}
	}
	if implicit {
		delete(cfg, "predicate")
		delete(cfg, "negate")
	}
	err := check(class, cfg)
	if err == nil {
		return nil
	}
	var msgs []string
	var es Errors
	var e *Error
	switch {
	case errors.As(err, &es):
		msgs = es.Messages()
	case errors.As(err, &e):
		msgs = []string{e.Msg}
	default:
		msgs = []string{err.Error()}
	}
	return &Error{Msg: strings.Join(msgs, "; ")}
}

// TopicCreationDef returns the keys of the topic creation settings of a source connector: Apache's
// topic.creation.default.* keys (replication.factor and partitions required, -1 meaning the broker's
// default) and, for each group listed in topic.creation.groups, topic.creation.<group>.include, .exclude,
// .replication.factor and .partitions, whose defaults are the default group's. Apache checks these only
// when a task starts and only if some topic.creation.* key is set and the worker's topic.creation.enable is
// true; the caller decides when to.
func TopicCreationDef(props map[string]string) *Def {
	d := new(Def)
	d.Embed(TopicCreationPrefix+"default.", "default", topicCreationGroupDef("default", nil, nil))
	defaults, _ := d.Parse(props)
	var groups []string
	if raw, ok := props[TopicCreationGroups]; ok {
		for _, g := range SplitList(raw) {
			if g != "default" && !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	for _, g := range groups {
		group := groupTopicCreation + ": " + g
		d.Embed(TopicCreationPrefix+g+".", group, topicCreationGroupDef(group, defaults.Get(TopicCreationPrefix+"default.replication.factor"), defaults.Get(TopicCreationPrefix+"default.partitions")))
	}
	return d
}

// topicCreationGroupDef is Apache's TopicCreationConfig: the default group's keys (replication factor and
// partitions required) or another group's (defaulting to the default group's values). The keys carry no
// group of their own (Embed puts them in the group they are embedded as); their order keeps Apache's.
func topicCreationGroupDef(group string, rf, partitions any) *Def {
	const (
		includeDoc = "A list of regular expression literals used to match the topic names used by the source connector. This list is used to include topics that should be created using the topic settings defined by this group."
		excludeDoc = "A list of regular expression literals used to match the topic names used by the source connector. This list is used to exclude topics from being created with the topic settings defined by this group. Note that exclusion rules have precedent and override any inclusion rules for the topics."
		rfDoc      = "The replication factor for new topics created for this connector using this group. This value may be -1 to use the broker's default replication factor, or may be a positive number not larger than the number of brokers in the Kafka cluster. A value larger than the number of brokers in the Kafka cluster will result in an error when the new topic is created. For the default group this configuration is required. For any other group defined in topic.creation.groups this config is optional and if it's missing it gets the value of the default group"
		partDoc    = "The number of partitions new topics created for this connector. This value may be -1 to use the broker's default number of partitions, or a positive number representing the desired number of partitions. For the default group this configuration is required. For any other group defined in topic.creation.groups this config is optional and if it's missing it gets the value of the default group"
	)
	isDefault := group == "default"
	include, exclude := Key{Name: "include", Type: List, Default: []string{}, Validator: regexList{}}, Key{Name: "exclude", Type: List, Default: []string{}, Validator: regexList{}}
	if isDefault {
		include.Default, include.Validator = ".*", NonNull()
		exclude.Validator = NonNull()
	}
	include.Importance, include.Doc, include.OrderInGroup, include.Width, include.DisplayName = Low, includeDoc, 1, WidthLong, "Inclusion Topic Pattern for "+group
	exclude.Importance, exclude.Doc, exclude.OrderInGroup, exclude.Width, exclude.DisplayName = Low, excludeDoc, 2, WidthLong, "Exclusion Topic Pattern for "+group
	rfKey := Key{Name: "replication.factor", Type: Short, Default: rf, Required: isDefault, Validator: brokerDefaultOrPositive{"Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default", "Positive number not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default"},
		Importance: Low, Doc: rfDoc, OrderInGroup: 3, Width: WidthLong, DisplayName: "Replication Factor for Topics in " + group}
	partKey := Key{Name: "partitions", Type: Int, Default: partitions, Required: isDefault, Validator: brokerDefaultOrPositive{"Number of partitions must be positive, or -1 to use the broker's default", "Positive number, or -1 to use the broker's default"},
		Importance: Low, Doc: partDoc, OrderInGroup: 4, Width: WidthLong, DisplayName: "Partition Count for Topics in " + group}
	if !isDefault && rf == nil {
		rfKey.Required = true
	}
	if !isDefault && partitions == nil {
		partKey.Required = true
	}
	return NewDef(include, exclude, rfKey, partKey)
}

// brokerDefaultOrPositive accepts -1 or a number >= 1.
type brokerDefaultOrPositive struct{ reason, desc string }

func (v brokerDefaultOrPositive) Validate(name string, value any) error {
	var n int64
	switch x := value.(type) {
	case int16:
		n = int64(x)
	case int32:
		n = int64(x)
	default:
		return nil
	}
	if n != -1 && n < 1 {
		return &Error{Msg: invalidValue(name, javaString(value), v.reason)}
	}
	return nil
}

func (v brokerDefaultOrPositive) String() string { return v.desc }

// regexList checks each item of a LIST is a regular expression.
type regexList struct{}

func (regexList) Validate(name string, value any) error {
	items, _ := value.([]string)
	for _, it := range items {
		if _, err := JavaRegex(it); err != nil {
			return &Error{Msg: invalidValue(name, javaString(value), "Syntax error in regular expression: "+err.Error())}
		}
	}
	return nil
}

func (regexList) String() string { return "List of valid regular expressions" }
