package config

import (
	"errors"
	"regexp"
	"strings"
)

// Worker keys this package and its callers refer to by name.
const (
	BootstrapServers        = "bootstrap.servers"
	KeyConverter            = "key.converter"
	ValueConverter          = "value.converter"
	HeaderConverter         = "header.converter"
	OffsetStorageFile       = "offset.storage.file.filename"
	OffsetFlushInterval     = "offset.flush.interval.ms"
	OffsetFlushTimeout      = "offset.flush.timeout.ms"
	TaskShutdownTimeout     = "task.shutdown.graceful.timeout.ms"
	PluginPath              = "plugin.path"
	ConfigProviders         = "config.providers"
	ClientOverridePolicy    = "connector.client.config.override.policy"
	TopicCreationEnable     = "topic.creation.enable"
	TopicTrackingEnable     = "topic.tracking.enable"
	TopicTrackingAllowReset = "topic.tracking.allow.reset"
	ConnectorsStateFile     = "connectors.state.file"
	ConnectorsDir           = "connectors.dir"
	Listeners               = "listeners"
	AdminListeners          = "admin.listeners"
	EmbeddedBrokerListeners = "embedded.broker.listeners"
	EmbeddedBrokerDataDir   = "embedded.broker.data.dir"
	LogLevel                = "log.level"
	LogFormat               = "log.format"
)

// DefaultListener is this project's default for listeners. Apache's is http://:8083 (every interface);
// a control API is kept on loopback unless the user says otherwise.
const DefaultListener = "http://127.0.0.1:8083"

// WorkerPrefixes returns the worker key prefixes whose keys are passed on to clients, converters, config
// providers or listeners rather than defined one by one: keys under them are not "unknown".
func WorkerPrefixes() []string {
	return []string{
		"producer.", "consumer.", "admin.",
		"key.converter.", "value.converter.", "header.converter.",
		"config.providers.", "listeners.https.", "admin.listeners.https.", "metrics.context.",
	}
}

// WorkerDef returns the definition of every standalone worker key: Apache's WorkerConfig, RestServerConfig
// and StandaloneConfig keys with their types, defaults and validators, and this project's own keys.
// Each call returns a new Def.
func WorkerDef() *Def {
	return NewDef(
		Key{Name: BootstrapServers, Type: List, Default: "localhost:9092", Importance: High,
			Doc: "Kafka brokers (host:port, comma-separated) to connect to first; the clients discover the rest of the cluster from them."},
		Key{Name: "client.dns.lookup", Type: String, Default: "use_all_dns_ips",
			Validator: OneOf("use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"), Importance: Medium,
			Doc: "How the clients use the addresses a broker host name resolves to: try all of them (use_all_dns_ips), or resolve bootstrap addresses to canonical names first (resolve_canonical_bootstrap_servers_only)."},
		Key{Name: KeyConverter, Type: Class, Required: true, Importance: High,
			Doc: "Converter between Connect data and the bytes of record keys on Kafka, for every connector that does not set its own. A class name or alias such as JsonConverter, StringConverter or ByteArrayConverter."},
		Key{Name: ValueConverter, Type: Class, Required: true, Importance: High,
			Doc: "Converter between Connect data and the bytes of record values on Kafka, for every connector that does not set its own. A class name or alias such as JsonConverter, StringConverter or ByteArrayConverter."},
		Key{Name: TaskShutdownTimeout, Type: Long, Default: "5000", Importance: Low,
			Doc: "How long, in milliseconds, to wait in total (not per task) for tasks to stop when connectors stop or the worker shuts down."},
		Key{Name: OffsetFlushInterval, Type: Long, Default: 60000, Importance: Low,
			Doc: "How often, in milliseconds, source offsets are committed to the offset file and sink tasks flush and commit their consumer offsets."},
		Key{Name: OffsetFlushTimeout, Type: Long, Default: 5000, Importance: Low,
			Doc: "How long, in milliseconds, an offset commit waits for outstanding records to be acknowledged before it gives up; the offsets are then committed on a later attempt."},
		Key{Name: PluginPath, Type: List, Importance: Low,
			Doc: "Directories and jars holding Java plugins. Accepted for compatibility with Apache's files and otherwise unused: every plugin of this worker is built in. Config provider variables are not resolved in this key."},
		Key{Name: "plugin.discovery", Type: String, Default: "hybrid_warn",
			Validator: OneOfIgnoreCase("only_scan", "hybrid_warn", "hybrid_fail", "service_load"), Importance: Low,
			Doc: "How Apache discovers Java plugins: only_scan, hybrid_warn, hybrid_fail or service_load. Validated for compatibility and otherwise unused."},
		Key{Name: "metrics.sample.window.ms", Type: Long, Default: 30000, Validator: AtLeast(0), Importance: Low,
			Doc: "The window, in milliseconds, over which metric samples are computed."},
		Key{Name: "metrics.num.samples", Type: Int, Default: 2, Validator: AtLeast(1), Importance: Low,
			Doc: "The number of samples kept to compute metrics."},
		Key{Name: "metrics.recording.level", Type: String, Default: "INFO", Validator: OneOf("INFO", "DEBUG"), Importance: Low,
			Doc: "The highest recording level of metrics: INFO or DEBUG."},
		Key{Name: "metric.reporters", Type: List, Default: "org.apache.kafka.common.metrics.JmxReporter", Importance: Low,
			Doc: "Java metric reporter classes. Accepted for compatibility and otherwise unused."},
		Key{Name: HeaderConverter, Type: Class, Default: "org.apache.kafka.connect.storage.SimpleHeaderConverter", Importance: Low,
			Doc: "Converter between Connect data and the bytes of record header values, for every connector that does not set its own. The default, SimpleHeaderConverter, writes header values as text and infers their schema when reading."},
		Key{Name: ConfigProviders, Type: List, Default: []string{}, Importance: Low,
			Doc: "Names of the config providers that resolve ${provider:path:key} references in connector configurations (and in this file). Each name needs config.providers.<name>.class (FileConfigProvider, DirectoryConfigProvider or EnvVarConfigProvider, by class name or alias) and may have config.providers.<name>.param.<param> settings."},
		Key{Name: ClientOverridePolicy, Type: String, Default: "All", Importance: Medium,
			Doc: "Which client settings connectors may override with producer.override.*, consumer.override.* and admin.override.* keys: All (any), None (no override) or Principal (only sasl.jaas.config, sasl.mechanism and security.protocol)."},
		Key{Name: TopicCreationEnable, Type: Boolean, Default: true, Importance: Low,
			Doc: "Whether source connectors configured with topic.creation.* keys create their topics themselves through an admin client. When false those keys are ignored."},

		// Client TLS settings, used by the REST server and passed to the admin clients.
		Key{Name: "ssl.protocol", Type: String, Default: "TLSv1.3", Importance: Medium, Doc: "The TLS protocol used to build TLS connections."},
		Key{Name: "ssl.provider", Type: String, Importance: Medium, Doc: "The Java security provider for TLS connections. Accepted for compatibility."},
		Key{Name: "ssl.cipher.suites", Type: List, Importance: Low, Doc: "The cipher suites allowed on TLS connections; null allows every suite the runtime supports."},
		Key{Name: "ssl.enabled.protocols", Type: List, Default: "TLSv1.2,TLSv1.3", Importance: Medium, Doc: "The TLS protocol versions enabled on TLS connections."},
		Key{Name: "ssl.keystore.type", Type: String, Default: "JKS", Importance: Medium, Doc: "The format of the key store file."},
		Key{Name: "ssl.keystore.location", Type: String, Importance: High, Doc: "The path of the key store file."},
		Key{Name: "ssl.keystore.password", Type: Password, Importance: High, Doc: "The password of the key store file."},
		Key{Name: "ssl.key.password", Type: Password, Importance: High, Doc: "The password of the private key in the key store."},
		Key{Name: "ssl.keystore.key", Type: Password, Importance: High, Doc: "A private key in PEM format, instead of a key store file."},
		Key{Name: "ssl.keystore.certificate.chain", Type: Password, Importance: High, Doc: "The certificate chain of ssl.keystore.key, in PEM format."},
		Key{Name: "ssl.truststore.certificates", Type: Password, Importance: High, Doc: "Trusted certificates in PEM format, instead of a trust store file."},
		Key{Name: "ssl.truststore.type", Type: String, Default: "JKS", Importance: Medium, Doc: "The format of the trust store file."},
		Key{Name: "ssl.truststore.location", Type: String, Importance: High, Doc: "The path of the trust store file."},
		Key{Name: "ssl.truststore.password", Type: Password, Importance: High, Doc: "The password of the trust store file."},
		Key{Name: "ssl.keymanager.algorithm", Type: String, Default: "SunX509", Importance: Low, Doc: "The key manager algorithm. Accepted for compatibility."},
		Key{Name: "ssl.trustmanager.algorithm", Type: String, Default: "PKIX", Importance: Low, Doc: "The trust manager algorithm. Accepted for compatibility."},
		Key{Name: "ssl.endpoint.identification.algorithm", Type: String, Default: "https", Importance: Low, Doc: "How a server's host name is checked against its certificate: https checks it; an empty value turns the check off."},
		Key{Name: "ssl.secure.random.implementation", Type: String, Importance: Low, Doc: "The random number generator for TLS. Accepted for compatibility."},
		Key{Name: "ssl.engine.factory.class", Type: Class, Importance: Low, Doc: "A Java SSLEngine factory class. Accepted for compatibility."},

		Key{Name: TopicTrackingEnable, Type: Boolean, Default: true, Importance: Low,
			Doc: "Whether the topics each connector uses are tracked, for GET /connectors/{name}/topics."},
		Key{Name: TopicTrackingAllowReset, Type: Boolean, Default: true, Importance: Low,
			Doc: "Whether PUT /connectors/{name}/topics/reset may clear a connector's tracked topics."},

		// REST server.
		Key{Name: Listeners, Type: List, Default: DefaultListener, Validator: listenersValidator{key: Listeners}, Importance: Low,
			Doc: "Comma-separated URLs the REST API listens on, such as http://127.0.0.1:8083 or https://0.0.0.0:8443 (http and https are supported; host 0.0.0.0 listens on every interface, an empty host on the default one). Unlike Apache, whose default http://:8083 listens on every interface, the default listens on loopback only."},
		Key{Name: "rest.advertised.host.name", Type: String, Importance: Low, Doc: "The host name put in this worker's URL, which is also its worker id."},
		Key{Name: "rest.advertised.port", Type: Int, Importance: Low, Doc: "The port put in this worker's URL."},
		Key{Name: "rest.advertised.listener", Type: String, Importance: Low, Doc: "Which listener, http or https, this worker's URL uses."},
		Key{Name: "access.control.allow.origin", Type: String, Default: "", Importance: Low,
			Doc: "The Access-Control-Allow-Origin answer to cross-origin REST requests: an origin, or * for any. Empty allows same-origin requests only."},
		Key{Name: "access.control.allow.methods", Type: String, Default: "", Importance: Low,
			Doc: "The methods allowed in cross-origin REST requests (Access-Control-Allow-Methods). Empty allows GET, POST and HEAD."},
		Key{Name: "response.http.headers.config", Type: String, Default: "", Validator: headerRulesValidator{}, Importance: Low,
			Doc: "Headers added to every REST response: comma-separated rules of the form '<action> <Header-Name>:<value>', where the action is set, add, setDate or addDate; a rule containing a comma is written in double quotes."},
		Key{Name: "ssl.client.auth", Type: String, Default: "none", Validator: OneOf("required", "requested", "none"), Importance: Low,
			Doc: "Whether HTTPS listeners ask REST clients for a certificate: required, requested or none."},
		Key{Name: "rest.extension.classes", Type: List, Default: "", Importance: Low,
			Doc: "Java REST extension classes. Accepted for compatibility and otherwise unused."},
		Key{Name: AdminListeners, Type: List, Validator: listenersValidator{key: AdminListeners, optional: true}, Importance: Low,
			Doc: "Comma-separated URLs for the admin endpoints (/admin/loggers). When not set they are served on listeners; when empty they are turned off."},

		Key{Name: OffsetStorageFile, Type: String, Required: true, Importance: High,
			Doc: "The file where source connector offsets are stored."},

		// This project's own keys.
		Key{Name: EmbeddedBrokerListeners, Type: List, Default: []string{}, Importance: Low,
			Doc: "Addresses (host:port, comma-separated, for example 127.0.0.1:9092) on which to start an in-process Kafka-protocol broker, for development and demos. Empty: no embedded broker."},
		Key{Name: EmbeddedBrokerDataDir, Type: String, Importance: Low,
			Doc: "The directory where the embedded broker keeps its log. Not set: the embedded broker keeps everything in memory."},
		Key{Name: ConnectorsStateFile, Type: String, Importance: Low,
			Doc: "The file where connectors created or changed through the REST API (their configurations and whether they are running, paused or stopped) are saved, so that a restart brings them back; Apache's standalone worker forgets them. Not set: the offsets file's name followed by .connectors.json. An empty value turns saving off, as in Apache. Connectors defined by connector files given on the command line are not saved: at start their files win."},
		Key{Name: ConnectorsDir, Type: String, Importance: Low,
			Doc: "A directory whose *.properties and *.json files each define a connector, like the connector files given on the command line. Connectors are created, reconfigured and deleted as files are added, changed and removed there while the worker runs; a file that cannot be applied is reported and the others run. Not set: no directory is watched."},
		Key{Name: LogLevel, Type: String, Default: "info", Validator: OneOfIgnoreCase("trace", "debug", "info", "warn", "error"), Importance: Low,
			Doc: "The lowest level of log messages written: trace, debug, info, warn or error."},
		Key{Name: LogFormat, Type: String, Default: "console", Validator: OneOf("console", "json"), Importance: Low,
			Doc: "The format of log messages: console (readable lines) or json (one JSON object per line)."},
	)
}

// ConnectorsStateFilePath returns where connectors created through the REST API are saved, from parsed
// worker values: connectors.state.file, by default the offsets file's name followed by .connectors.json;
// "" when saving is turned off.
func ConnectorsStateFilePath(v Values) string {
	if v.IsNull(ConnectorsStateFile) {
		if offsets := v.String(OffsetStorageFile); offsets != "" {
			return offsets + ".connectors.json"
		}
		return ""
	}
	return strings.TrimSpace(v.String(ConnectorsStateFile))
}

// listenersValidator is Apache's check of listeners and admin.listeners: plain messages.
type listenersValidator struct {
	key      string
	optional bool // admin.listeners: null and empty are allowed
}

func (v listenersValidator) Validate(name string, value any) error {
	if value == nil && v.optional {
		return nil
	}
	items, ok := value.([]string)
	if !ok {
		if v.optional {
			return &Error{Msg: "Invalid value type for " + v.key + " (expected list)."}
		}
		return &Error{Msg: "Invalid value type for " + v.key + " (expected list of URLs , ex: http://localhost:8080,https://localhost:8443)."}
	}
	if len(items) == 0 {
		if v.optional {
			return nil
		}
		return &Error{Msg: "Invalid value for " + v.key + ", at least one URL is expected, ex: http://localhost:8080,https://localhost:8443."}
	}
	for _, it := range items {
		if JavaTrim(it) == "" {
			return &Error{Msg: "Empty URL found when parsing " + v.key + " list."}
		}
	}
	return nil
}

func (listenersValidator) String() string {
	return "List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443."
}

// headerRulesValidator is Apache's check of response.http.headers.config: plain messages.
type headerRulesValidator struct{}

var (
	whitespaceRun = regexp.MustCompile(`\s+`)
	headerActions = []string{"set", "add", "setDate", "addDate"}
)

func (headerRulesValidator) Validate(name string, value any) error {
	s, _ := value.(string)
	if JavaTrim(s) == "" {
		return nil
	}
	for _, rule := range csvSplit(s) {
		if err := checkHeaderRule(rule); err != nil {
			return &Error{Msg: err.Error()}
		}
	}
	return nil
}

func (headerRulesValidator) String() string {
	return "Comma-separated header rules, where each header rule is of the form '[action] [header name]:[header value]' and optionally surrounded by double quotes if any part of a header rule contains a comma"
}

// HeaderRule is one parsed rule of response.http.headers.config.
type HeaderRule struct {
	Action string // set, add, setDate or addDate, as written
	Name   string
	Value  string
}

// ParseHeaderRules parses response.http.headers.config into its rules, with Apache's error texts.
func ParseHeaderRules(s string) ([]HeaderRule, error) {
	if JavaTrim(s) == "" {
		return nil, nil
	}
	var out []HeaderRule
	for _, rule := range csvSplit(s) {
		if err := checkHeaderRule(rule); err != nil {
			return nil, err
		}
		parts := whitespaceRun.Split(JavaTrim(rule), 2)
		nameValue := splitDropTrailing(JavaTrim(parts[1]), ":")
		out = append(out, HeaderRule{Action: parts[0], Name: JavaTrim(nameValue[0]), Value: JavaTrim(nameValue[1])})
	}
	return out, nil
}

func checkHeaderRule(rule string) error {
	parts := whitespaceRun.Split(JavaTrim(rule), 2)
	if len(parts) != 2 {
		return errors.New("Invalid format of header config '" + rule + "'. Expected: '[action] [header name]:[header value]'")
	}
	known := false
	for _, a := range headerActions {
		known = known || strings.EqualFold(a, parts[0])
	}
	if !known {
		return errors.New("Invalid header config action: '" + parts[0] + "'. Expected one of [set, add, setDate, addDate]")
	}
	nameValue := splitDropTrailing(JavaTrim(parts[1]), ":")
	if len(nameValue) != 2 {
		return errors.New("Invalid format of header name and header value pair '" + parts[1] + "'. Expected: '[header name]:[header value]'")
	}
	if hn := JavaTrim(nameValue[0]); hn == "" || whitespaceRun.MatchString(hn) {
		return errors.New("Invalid header name '" + hn + "'. The '[header name]' cannot contain whitespace")
	}
	return nil
}

// splitDropTrailing is Java's String.split(sep): trailing empty items are dropped.
func splitDropTrailing(s, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 1 && parts[0] == "" && s != "" {
		return nil
	}
	return parts
}

// csvSplit splits comma-separated items, trimming each and removing the double quotes around an item
// (inside which a comma does not split and \" stands for a quote), as Jetty's StringUtil.csvSplit does.
func csvSplit(s string) []string {
	var (
		out    []string
		cur    strings.Builder
		quoted bool
		inItem bool
	)
	flush := func() {
		out = append(out, strings.TrimSpace(cur.String()))
		cur.Reset()
		inItem = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case quoted && c == '"':
			quoted = false
		case !quoted && c == '"' && strings.TrimSpace(cur.String()) == "":
			cur.Reset()
			quoted, inItem = true, true
		case !quoted && c == ',':
			flush()
		default:
			cur.WriteByte(c)
			inItem = inItem || c != ' '
		}
	}
	if inItem || cur.Len() > 0 {
		flush()
	}
	return out
}
