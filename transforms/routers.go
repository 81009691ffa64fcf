package transforms

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
)

// regexRouter is RegexRouter: when the regex matches the whole topic, the topic becomes
// Matcher.replaceFirst(replacement): the first match found from the start of the topic (which, with
// alternations, can be shorter than the topic) replaced by the replacement in Java's syntax.
type regexRouter struct {
	whole  *regexp.Regexp // anchored: Matcher.matches()
	search *regexp.Regexp // unanchored: Matcher.find()
	repl   []replacementPart
}

var regexRouterDef = config.NewDef(
	config.Key{Name: "regex", Type: config.String, Required: true, Validator: config.Regex(), Importance: config.High,
		Doc: "Regular expression to use for matching."},
	config.Key{Name: "replacement", Type: config.String, Required: true, Importance: config.High,
		Doc: "Replacement string."},
)

func (t *regexRouter) Config() *config.Def { return regexRouterDef }

func (t *regexRouter) Configure(cfg map[string]string) error {
	v, err := regexRouterDef.Parse(cfg)
	if err != nil {
		return err
	}
	expr := v.String("regex")
	if t.whole, err = config.JavaRegex(expr); err != nil {
		return configError("regex", invalidValue("regex", expr, "Invalid regex: "+err.Error()))
	}
	// JavaRegex accepted the expression, and Go compiles it the same way without the anchors.
	if t.search, err = regexp.Compile(expr); err != nil {
		return configError("regex", invalidValue("regex", expr, "Invalid regex: "+err.Error()))
	}
	// Apache finds a bad replacement only when a topic matches; it is a configuration mistake, found here.
	repl := v.String("replacement")
	if t.repl, err = parseJavaReplacement(repl, t.search); err != nil {
		return configError("replacement", invalidValue("replacement", repl, err.Error()))
	}
	return nil
}

func (t *regexRouter) Apply(r *connectors.Record) (*connectors.Record, error) {
	if !t.whole.MatchString(r.Topic) {
		return r, nil
	}
	m := t.search.FindStringSubmatchIndex(r.Topic)
	if m == nil {
		return r, nil
	}
	var b strings.Builder
	b.Grow(len(r.Topic) + 16)
	b.WriteString(r.Topic[:m[0]])
	for _, p := range t.repl {
		if p.group < 0 {
			b.WriteString(p.literal)
		} else if start := m[2*p.group]; start >= 0 {
			b.WriteString(r.Topic[start:m[2*p.group+1]])
		}
	}
	b.WriteString(r.Topic[m[1]:])
	r.Topic = b.String()
	return r, nil
}

// replacementPart is a literal (group < 0) or a reference to a capturing group.
type replacementPart struct {
	literal string
	group   int
}

// parseJavaReplacement reads a replacement as java.util.regex.Matcher does: $n refers to group n, taking
// further digits as long as the group exists ($10 is group 1 then "0" when there are fewer than 10
// groups), ${name} to a named group, and a backslash takes the next character literally.
func parseJavaReplacement(s string, re *regexp.Regexp) ([]replacementPart, error) {
	var parts []replacementPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, replacementPart{literal: lit.String(), group: -1})
			lit.Reset()
		}
	}
	groups := re.NumSubexp()
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			i++
			if i == len(s) {
				return nil, errorString("character to be escaped is missing")
			}
			lit.WriteByte(s[i])
		case '$':
			i++
			if i == len(s) {
				return nil, errorString("Illegal group reference: group index is missing")
			}
			if s[i] == '{' {
				end := i + 1
				for end < len(s) && isASCIIAlnum(s[end]) {
					end++
				}
				name := s[i+1 : end]
				switch {
				case name == "":
					return nil, errorString("named capturing group has 0 length name")
				case end == len(s) || s[end] != '}':
					return nil, errorString("named capturing group is missing trailing '}'")
				case name[0] >= '0' && name[0] <= '9':
					return nil, errorString("capturing group name {" + name + "} starts with digit character")
				}
				g := re.SubexpIndex(name)
				if g < 0 {
					return nil, errorString("No group with name {" + name + "}")
				}
				flush()
				parts = append(parts, replacementPart{group: g})
				i = end
				continue
			}
			if s[i] < '0' || s[i] > '9' {
				return nil, errorString("Illegal group reference")
			}
			ref := int(s[i] - '0')
			for i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				next := ref*10 + int(s[i+1]-'0')
				if next > groups {
					break
				}
				ref = next
				i++
			}
			if ref > groups {
				return nil, errorString("No group " + strconv.Itoa(ref))
			}
			flush()
			parts = append(parts, replacementPart{group: ref})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return parts, nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

// topicNameMatches is the TopicNameMatches predicate: true when the regex matches the whole topic.
type topicNameMatches struct {
	pattern *regexp.Regexp
}

var topicNameMatchesDef = config.NewDef(
	config.Key{Name: "pattern", Type: config.String, Required: true, Validator: config.All(config.NonEmptyString(), config.Regex()),
		Importance: config.Medium, Doc: "A Java regular expression for matching against the name of a record's topic."},
)

func (p *topicNameMatches) Config() *config.Def { return topicNameMatchesDef }

func (p *topicNameMatches) Configure(cfg map[string]string) error {
	v, err := topicNameMatchesDef.Parse(cfg)
	if err != nil {
		return err
	}
	expr := v.String("pattern")
	if p.pattern, err = config.JavaRegex(expr); err != nil {
		return configError("pattern", invalidValue("pattern", expr, "entry must be a Java-compatible regular expression: "+err.Error()))
	}
	return nil
}

func (p *topicNameMatches) Test(r *connectors.Record) (bool, error) {
	return p.pattern.MatchString(r.Topic), nil
}

// timestampRouter is TimestampRouter: the topic becomes topic.format with every ${topic} replaced by the
// topic and then every ${timestamp} by the record's timestamp in timestamp.format (UTC).
type timestampRouter struct {
	topicFormat string
	format      *javaDateFormat
	sink        bool
}

var timestampRouterDef = config.NewDef(
	config.Key{Name: "topic.format", Type: config.String, Default: "${topic}-${timestamp}", Importance: config.High,
		Doc: "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively."},
	config.Key{Name: "timestamp.format", Type: config.String, Default: "yyyyMMdd", Importance: config.High,
		Doc: "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>."},
)

func (t *timestampRouter) Config() *config.Def { return timestampRouterDef }

func (t *timestampRouter) setSink(sink bool) { t.sink = sink }

func (t *timestampRouter) Configure(cfg map[string]string) error {
	v, err := timestampRouterDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.topicFormat = v.String("topic.format")
	// Apache compiles the pattern when the first record arrives, and fails every record then; a bad
	// pattern is reported here instead.
	pattern := v.String("timestamp.format")
	if t.format, err = compileJavaDateFormat(pattern); err != nil {
		return configError("timestamp.format", invalidValue("timestamp.format", pattern, err.Error()))
	}
	return nil
}

func (t *timestampRouter) Apply(r *connectors.Record) (*connectors.Record, error) {
	if r.Timestamp.IsZero() {
		return nil, dataError("Timestamp missing on record: %s", connectors.FormatRecord(r, t.sink))
	}
	ts := t.format.format(r.Timestamp.UnixMilli())
	topic := strings.ReplaceAll(t.topicFormat, "${topic}", r.Topic)
	r.Topic = strings.ReplaceAll(topic, "${timestamp}", ts)
	return r, nil
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
