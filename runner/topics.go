package runner

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
)

// topicCreator creates the topics a source task writes to, as the connector's topic.creation.* settings say
// (Apache's TopicCreation): the first time the task writes to a topic it checks whether the topic exists and,
// if not, creates it with the settings of the first group of topic.creation.groups whose include pattern
// matches and exclude pattern does not, else the default group's.
type topicCreator struct {
	groups   []topicGroup // the listed groups in order, then "default"
	known    map[string]bool
	newAdmin func() (sarama.ClusterAdmin, error)
	admin    sarama.ClusterAdmin
	log      zerolog.Logger
}

type topicGroup struct {
	name             string
	include, exclude *regexp.Regexp // nil: matches nothing
	partitions       int32
	replication      int16
	configs          map[string]*string
}

// topicCreationEnabled reports whether a source connector's topics are created by the runner: the worker
// allows it (topic.creation.enable, default true) and the connector has topic.creation.* settings.
func topicCreationEnabled(worker, conn map[string]string) bool {
	if strings.EqualFold(strings.TrimSpace(worker[config.TopicCreationEnable]), "false") {
		return false
	}
	for k := range conn {
		if strings.HasPrefix(k, config.TopicCreationPrefix) {
			return true
		}
	}
	return false
}

// newTopicCreator reads a connector's topic.creation.* settings; it returns nil when topic creation is off.
func newTopicCreator(worker, conn map[string]string, newAdmin func() (sarama.ClusterAdmin, error), log zerolog.Logger) (*topicCreator, error) {
	if !topicCreationEnabled(worker, conn) {
		return nil, nil
	}
	values, err := config.TopicCreationDef(conn).Parse(conn)
	if err != nil {
		return nil, err
	}
	tc := &topicCreator{known: map[string]bool{}, newAdmin: newAdmin, log: log}
	// topic.creation.groups belongs to the connector's own definition, not to TopicCreationDef.
	var names []string
	for _, n := range strings.Split(conn[config.TopicCreationGroups], ",") {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	group := func(name string) (topicGroup, error) {
		prefix := config.TopicCreationPrefix + name + "."
		g := topicGroup{name: name, configs: map[string]*string{},
			partitions:  int32(values.Int(prefix + "partitions")),
			replication: values.Short(prefix + "replication.factor")}
		var err error
		if name == "default" {
			g.include = regexp.MustCompile(`^[\s\S]*$`) // the default group catches every topic
		} else if g.include, err = patterns(values.List(prefix + "include")); err != nil {
			return g, fmt.Errorf("%sinclude: %w", prefix, err)
		}
		if name != "default" {
			if g.exclude, err = patterns(values.List(prefix + "exclude")); err != nil {
				return g, fmt.Errorf("%sexclude: %w", prefix, err)
			}
		}
		for k, v := range conn {
			if rest, ok := strings.CutPrefix(k, prefix); ok {
				switch rest {
				case "include", "exclude", "partitions", "replication.factor":
				default:
					v := v
					g.configs[rest] = &v
				}
			}
		}
		return g, nil
	}
	// Listing "default" in topic.creation.groups only logs a warning in Apache: it always comes last.
	for _, name := range append(slices.DeleteFunc(names, func(n string) bool { return n == "default" }), "default") {
		g, err := group(name)
		if err != nil {
			return nil, err
		}
		tc.groups = append(tc.groups, g)
	}
	return tc, nil
}

// patterns joins a list of Java regular expressions with | and matches whole topic names; an empty list
// matches nothing.
func patterns(list []string) (*regexp.Regexp, error) {
	if len(list) == 0 {
		return nil, nil
	}
	return config.JavaRegex(strings.Join(list, "|"))
}

// ensure makes sure a topic exists before the task's first record for it is sent.
func (tc *topicCreator) ensure(topic string) error {
	if tc.known[topic] {
		return nil
	}
	if tc.admin == nil {
		a, err := tc.newAdmin()
		if err != nil {
			return fmt.Errorf("topic creation: connecting the admin client: %w", err)
		}
		tc.admin = a
	}
	exists, err := topicExists(tc.admin, topic)
	if err != nil {
		return fmt.Errorf("topic creation: describing topic %s: %w", topic, err)
	}
	if exists {
		tc.known[topic] = true
		return nil
	}
	g := tc.groupFor(topic)
	detail := &sarama.TopicDetail{NumPartitions: g.partitions, ReplicationFactor: g.replication, ConfigEntries: g.configs}
	switch err := tc.admin.CreateTopic(topic, detail, false); {
	case err == nil:
		tc.log.Info().Str("topic", topic).Str("group", g.name).Int32("partitions", g.partitions).
			Int16("replication_factor", g.replication).Msg("created topic")
	case !errors.Is(err, sarama.ErrTopicAlreadyExists):
		return fmt.Errorf("topic creation: creating topic %s with the settings of group %s: %w", topic, g.name, err)
	}
	tc.known[topic] = true
	return nil
}

// topicExists reports whether the cluster has a topic, as describing it tells. A topic that another
// client creates after the answer makes CreateTopic fail with sarama.ErrTopicAlreadyExists, which
// sarama's *TopicError unwraps to.
func topicExists(admin sarama.ClusterAdmin, topic string) (bool, error) {
	meta, err := admin.DescribeTopics([]string{topic})
	if err != nil {
		return false, err
	}
	return len(meta) == 1 && meta[0].Err == sarama.ErrNoError, nil
}

func (tc *topicCreator) groupFor(topic string) topicGroup {
	for _, g := range tc.groups {
		if g.include != nil && g.include.MatchString(topic) && (g.exclude == nil || !g.exclude.MatchString(topic)) {
			return g
		}
	}
	return tc.groups[len(tc.groups)-1]
}

func (tc *topicCreator) close() {
	if tc != nil && tc.admin != nil {
		_ = tc.admin.Close()
	}
}
