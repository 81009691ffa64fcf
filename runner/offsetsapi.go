package runner

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/IBM/sarama"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
)

// Keys of the partitions and offsets of sink connectors in the REST API (Apache's ConnectorOffset).
const (
	KafkaTopicKey     = "kafka_topic"
	KafkaPartitionKey = "kafka_partition"
	KafkaOffsetKey    = "kafka_offset"
)

// Offsets returns a connector's offsets: for a source, the partitions with a stored offset; for a sink, the
// committed positions of its consumer group (connect-<name> unless overridden) as partition
// {"kafka_topic","kafka_partition"} and offset {"kafka_offset"}, sorted by topic and partition. Unknown
// connector: KindNotFound.
func (h *Herder) Offsets(ctx context.Context, name string) ([]connectors.PartitionOffset, error) {
	c, err := h.mustGet(name)
	if err != nil {
		return nil, err
	}
	if c.plugin.Type != connectors.SinkType {
		return h.cfg.Offsets.Offsets(name), nil
	}
	var out []connectors.PartitionOffset
	err = h.withGroupAdmin(ctx, c, func(admin sarama.ClusterAdmin, group string) error {
		committed, err := committedOffsets(admin, group)
		if err != nil {
			return err
		}
		out = make([]connectors.PartitionOffset, 0, len(committed))
		for _, tp := range slices.SortedFunc(maps.Keys(committed), compareTopicPartition) {
			out = append(out, sinkOffset(tp.Topic, tp.Partition, committed[tp]))
		}
		return nil
	})
	if err != nil {
		return nil, errorf(KindInternal, "Failed to retrieve consumer group offsets for sink connector %s: %v", name, err)
	}
	return out, nil
}

// AlterOffsets sets offsets of a STOPPED connector (nil offset: reset that partition) and returns Apache's
// success message. Errors, as Apache answers them: no offsets, KindInvalid "Partitions / offsets need to
// be provided for an alter offsets request"; not stopped, KindInvalid with Apache's text; a source offset
// that is not made of primitive values, or that the connector rejects, KindInvalid with Apache's reason (Apache
// answers these client mistakes with 500); a malformed sink partition or offset, KindInvalid. Source offsets are in the offsets file when it returns.
func (h *Herder) AlterOffsets(ctx context.Context, name string, offsets []connectors.PartitionOffset) (string, error) {
	if len(offsets) == 0 {
		return "", errorf(KindInvalid, "Partitions / offsets need to be provided for an alter offsets request")
	}
	return h.modifyOffsets(ctx, name, offsets, false)
}

// ResetOffsets removes every offset of a STOPPED connector and returns Apache's success message.
func (h *Herder) ResetOffsets(ctx context.Context, name string) (string, error) {
	return h.modifyOffsets(ctx, name, nil, true)
}

func (h *Herder) modifyOffsets(ctx context.Context, name string, offsets []connectors.PartitionOffset, reset bool) (string, error) {
	h.op.Lock()
	defer h.op.Unlock()
	c, err := h.mustGet(name)
	if err != nil {
		return "", err
	}
	if c.target != TargetStopped || len(c.tasks) > 0 {
		return "", errorf(KindInvalid, "Connectors must be in the STOPPED state before their offsets can be modified. "+
			"This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/%s/stop' endpoint", name)
	}
	resolved, err := h.resolve(c.config)
	if err != nil {
		return "", errorf(KindInternal, "connector %s: %v", name, err)
	}
	var managed bool
	if c.plugin.Type == connectors.SinkType {
		managed, err = h.modifySinkOffsets(ctx, c, resolved, offsets, reset)
	} else {
		managed, err = h.modifySourceOffsets(c, resolved, offsets, reset)
	}
	if err != nil {
		return "", err
	}
	verb := "altered"
	if reset {
		verb = "reset"
	}
	h.log.Info().Str("connector", name).Msgf("offsets %s through the REST API", verb)
	if managed {
		return "The offsets for this connector have been " + verb + " successfully", nil
	}
	return "The Connect framework-managed offsets for this connector have been " + verb + " successfully. " +
		"However, if this connector manages offsets externally, they will need to be manually " + verb +
		" in the system that the connector uses.", nil
}

// alterHook asks the connector, if it has the hook, whether the offsets are acceptable; managed reports
// that it keeps no offsets of its own elsewhere (Apache's alterOffsets returning true).
func alterHook(c *connector, resolved map[string]string, offsets []connectors.PartitionOffset) (managed bool, err error) {
	a, ok := c.plugin.New().(connectors.OffsetAlterer)
	if !ok {
		return false, nil
	}
	managed, err = a.AlterOffsets(resolved, offsets)
	if err != nil {
		// The hook rejects what the client sent: Apache answers 500 with its message; it is a 400.
		return false, &Error{Kind: KindInvalid, Msg: err.Error()}
	}
	return managed, nil
}

func (h *Herder) modifySourceOffsets(c *connector, resolved map[string]string, offsets []connectors.PartitionOffset, reset bool) (bool, error) {
	if reset {
		for _, po := range h.cfg.Offsets.Offsets(c.name) {
			offsets = append(offsets, connectors.PartitionOffset{Partition: po.Partition})
		}
	} else {
		// As Apache, the framework's format check comes before the connector's own, and the connector sees
		// numbers as the tasks read them back: integers as int64, others as float64.
		normalized := make([]connectors.PartitionOffset, len(offsets))
		for i, po := range offsets {
			if err := checkPrimitive(po.Partition); err != nil {
				return false, err
			}
			if err := checkPrimitive(po.Offset); err != nil {
				return false, err
			}
			normalized[i] = connectors.PartitionOffset{Partition: normalizeNumbers(po.Partition), Offset: normalizeNumbers(po.Offset)}
		}
		offsets = normalized
	}
	managed, err := alterHook(c, resolved, offsets)
	if err != nil {
		return false, err
	}
	writes := make([]connectors.PartitionOffset, 0, len(offsets))
	for _, po := range offsets {
		switch {
		case po.Partition != nil:
			writes = append(writes, po)
		case po.Offset != nil:
			return false, errorf(KindInvalid, "Partition objects cannot be null")
		}
		// A null partition with a null offset removes nothing that could exist.
	}
	if err := h.cfg.Offsets.Put(c.name, writes...); err != nil {
		return false, &Error{Kind: KindInvalid, Msg: err.Error()}
	}
	// Durable before answering: a crash now must not bring the old offsets back.
	if err := h.cfg.Offsets.Flush(); err != nil {
		return false, errorf(KindInternal, "The offsets were changed but could not be written to the offsets file: %v", err)
	}
	return managed, nil
}

// checkPrimitive applies Apache's rule that partitions and offsets hold only primitive values, with its
// message. Keys are checked in sorted order, so the field named is always the same one.
func checkPrimitive(m map[string]any) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		var kind string
		switch v := m[k].(type) {
		case nil, string, bool, json.Number, float32, float64, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			continue
		case map[string]any:
			kind = "MAP"
		case []any:
			kind = "ARRAY"
		default:
			switch reflect.ValueOf(v).Kind() {
			case reflect.Map:
				kind = "MAP"
			case reflect.Slice, reflect.Array:
				kind = "ARRAY"
			default:
				kind = fmt.Sprintf("%T", v)
			}
		}
		return errorf(KindInvalid, "Offsets may only contain primitive types as values, but field %s contains %s", k, kind)
	}
	return nil
}

// normalizeNumbers returns a copy of m with JSON numbers and Go integers as int64 and other numbers as
// float64 (a JSON number with a fraction or an exponent is a float, as Apache's JSON reading makes it a
// Double). Values it cannot convert are kept; the offsets store reports them.
func normalizeNumbers(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch n := v.(type) {
		case json.Number:
			if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
				v = i
			} else if f, err := n.Float64(); err == nil && strings.ContainsAny(n.String(), ".eE") {
				v = f
			} // an integer too large for int64 stays as it is, for the store to reject
		case int:
			v = int64(n)
		case int8:
			v = int64(n)
		case int16:
			v = int64(n)
		case int32:
			v = int64(n)
		case float32:
			v = float64(n)
		}
		out[k] = v
	}
	return out
}

// compareTopicPartition orders partitions by topic, then by number.
func compareTopicPartition(a, b connectors.TopicPartition) int {
	return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
}

func sinkOffset(topic string, partition int32, offset int64) connectors.PartitionOffset {
	return connectors.PartitionOffset{
		Partition: map[string]any{KafkaTopicKey: topic, KafkaPartitionKey: partition},
		Offset:    map[string]any{KafkaOffsetKey: offset},
	}
}

// parseSinkOffsets reads sink partitions and offsets the way Apache does, with its messages (all
// KindInvalid). A nil offset in the result resets the partition.
func parseSinkOffsets(offsets []connectors.PartitionOffset) (map[connectors.TopicPartition]*int64, error) {
	out := make(map[connectors.TopicPartition]*int64, len(offsets))
	for _, po := range offsets {
		p := po.Partition
		if p == nil {
			return nil, errorf(KindInvalid, "The partition for a sink connector offset cannot be null or missing")
		}
		topicVal, hasTopic := p[KafkaTopicKey]
		partVal, hasPart := p[KafkaPartitionKey]
		if !hasTopic || !hasPart {
			return nil, errorf(KindInvalid, "The partition for a sink connector offset must contain the keys '%s' and '%s'", KafkaTopicKey, KafkaPartitionKey)
		}
		if topicVal == nil {
			return nil, errorf(KindInvalid, "Kafka topic names must be valid strings and may not be null")
		}
		if partVal == nil {
			return nil, errorf(KindInvalid, "Kafka partitions must be valid numbers and may not be null")
		}
		part, ok := integer(partVal, 32)
		if !ok {
			return nil, errorf(KindInvalid, "Failed to parse the following Kafka partition value in the provided offsets: '%s'. "+
				"Partition values for sink connectors need to be integers.", valueText(partVal))
		}
		tp := connectors.TopicPartition{Topic: valueText(topicVal), Partition: int32(part)}
		if po.Offset == nil {
			out[tp] = nil
			continue
		}
		offVal, ok := po.Offset[KafkaOffsetKey]
		if !ok {
			return nil, errorf(KindInvalid, "The offset for a sink connector should either be null or contain the key '%s'", KafkaOffsetKey)
		}
		off, ok := integer(offVal, 64)
		if !ok {
			return nil, errorf(KindInvalid, "Failed to parse the following Kafka offset value in the provided offsets: '%s'. "+
				"Offset values for sink connectors need to be integers.", valueText(offVal))
		}
		out[tp] = &off
	}
	return out, nil
}

// integer reads an integer the way Apache parses String.valueOf(value): an integral JSON number or a string
// holding a decimal integer of the given bit size. An integral float64 counts too, because a JSON decoder
// without UseNumber produces those for every number.
func integer(v any, bits int) (int64, bool) {
	var s string
	switch n := v.(type) {
	case string:
		s = n
	case json.Number:
		s = n.String()
	case float64:
		if n != math.Trunc(n) || math.IsInf(n, 0) {
			return 0, false
		}
		s = strconv.FormatFloat(n, 'f', -1, 64)
	case float32:
		return integer(float64(n), bits)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		s = fmt.Sprint(n)
	default:
		return 0, false
	}
	i, err := strconv.ParseInt(s, 10, bits)
	return i, err == nil
}

// valueText renders a request value as Java's String.valueOf would for the JSON types.
func valueText(v any) string {
	switch n := v.(type) {
	case string:
		return n
	case nil:
		return "null"
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1e7 {
			return strconv.FormatFloat(n, 'f', 1, 64) // Java's Double.toString: 1.0
		}
		return strconv.FormatFloat(n, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// modifySinkOffsets changes the committed offsets of a stopped sink connector's consumer group: new
// positions are committed, null offsets delete a partition's, and a reset deletes the group. As in Apache,
// the connector's hook sees the offsets first (for a reset, every partition of the group with a null
// offset), and the messages for a group that still has members say what to do.
func (h *Herder) modifySinkOffsets(ctx context.Context, c *connector, resolved map[string]string, offsets []connectors.PartitionOffset, reset bool) (bool, error) {
	var parsed map[connectors.TopicPartition]*int64
	if !reset {
		var err error
		if parsed, err = parseSinkOffsets(offsets); err != nil {
			return false, err
		}
	}
	verb := "alter"
	if reset {
		verb = "reset"
	}
	zombies := fmt.Sprintf("Failed to %s consumer group offsets for connector %s either because its tasks haven't stopped "+
		"completely yet or the connector was resumed before the request to %s its offsets could be successfully completed. "+
		"If the connector is in a stopped state, this operation can be safely retried. If it doesn't eventually succeed, "+
		"the Connect cluster may need to be restarted to get rid of the zombie sink tasks.", verb, c.name, verb)
	var managed bool
	err := h.withGroupAdmin(ctx, c, func(admin sarama.ClusterAdmin, group string) error {
		if reset {
			committed, err := committedOffsets(admin, group)
			if err != nil {
				return errorf(KindInternal, "Failed to retrieve consumer group offsets for sink connector %s: %v", c.name, err)
			}
			parsed = make(map[connectors.TopicPartition]*int64, len(committed))
			for tp := range committed {
				parsed[tp] = nil
			}
		}
		hookOffsets := make([]connectors.PartitionOffset, 0, len(parsed))
		for _, tp := range slices.SortedFunc(maps.Keys(parsed), compareTopicPartition) {
			po := sinkOffset(tp.Topic, tp.Partition, 0)
			if off := parsed[tp]; off != nil {
				po.Offset[KafkaOffsetKey] = *off
			} else {
				po.Offset = nil
			}
			hookOffsets = append(hookOffsets, po)
		}
		var err error
		if managed, err = alterHook(c, resolved, hookOffsets); err != nil {
			return err
		}

		if reset {
			err := admin.DeleteConsumerGroup(group)
			switch {
			case err == nil, errors.Is(err, sarama.ErrGroupIDNotFound): // resetting twice is not an error
				return nil
			case errors.Is(err, sarama.ErrNonEmptyGroup):
				return errorf(KindInternal, "%s", zombies)
			}
			return errorf(KindInternal, "Failed to reset consumer group offsets for sink connector %s: %v", c.name, err)
		}
		failed := func(err error) error {
			if errors.Is(err, sarama.ErrUnknownMemberId) || errors.Is(err, sarama.ErrGroupSubscribedToTopic) {
				return errorf(KindInternal, "%s", zombies)
			}
			return errorf(KindInternal, "Failed to alter consumer group offsets for connector %s: %v", c.name, err)
		}
		alter := map[string]map[int32]sarama.OffsetAndMetadata{}
		for tp, off := range parsed {
			if off == nil {
				continue
			}
			if alter[tp.Topic] == nil {
				alter[tp.Topic] = map[int32]sarama.OffsetAndMetadata{}
			}
			alter[tp.Topic][tp.Partition] = sarama.OffsetAndMetadata{Offset: *off, LeaderEpoch: -1}
		}
		if len(alter) > 0 {
			resp, err := admin.AlterConsumerGroupOffsets(group, alter, nil)
			if err == nil {
				err = firstCommitError(resp)
			}
			if err != nil {
				return failed(err)
			}
		}
		for _, tp := range slices.SortedFunc(maps.Keys(parsed), compareTopicPartition) {
			if parsed[tp] != nil {
				continue
			}
			err := admin.DeleteConsumerGroupOffset(group, tp.Topic, tp.Partition)
			// Nothing to delete is not an error: the partition has no committed offset.
			if err != nil && !errors.Is(err, sarama.ErrGroupIDNotFound) && !errors.Is(err, sarama.ErrUnknownTopicOrPartition) {
				return failed(err)
			}
		}
		return nil
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return false, e
		}
		return false, errorf(KindInternal, "Failed to modify offsets for sink connector %s: %v", c.name, err)
	}
	return managed, nil
}

func firstCommitError(resp *sarama.OffsetCommitResponse) error {
	if resp == nil {
		return nil
	}
	for topic, parts := range resp.Errors {
		for p, kerr := range parts {
			if !errors.Is(kerr, sarama.ErrNoError) {
				return fmt.Errorf("%s-%d: %w", topic, p, kerr)
			}
		}
	}
	return nil
}

// committedOffsets lists the committed positions of a consumer group; a group that does not exist has none.
func committedOffsets(admin sarama.ClusterAdmin, group string) (map[connectors.TopicPartition]int64, error) {
	resp, err := admin.ListConsumerGroupOffsets(group, nil)
	if errors.Is(err, sarama.ErrGroupIDNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[connectors.TopicPartition]int64{}
	for topic, parts := range resp.Blocks {
		for p, b := range parts {
			if b == nil || !errors.Is(b.Err, sarama.ErrNoError) || b.Offset < 0 {
				continue // no committed offset
			}
			out[connectors.TopicPartition{Topic: topic, Partition: p}] = b.Offset
		}
	}
	return out, nil
}

// withGroupAdmin runs fn with an admin client configured as the connector's admin clients are, and the
// connector's consumer group. It gives up waiting when ctx ends; fn then finishes in the background and
// the client is closed after it.
func (h *Herder) withGroupAdmin(ctx context.Context, c *connector, fn func(admin sarama.ClusterAdmin, group string) error) error {
	e := h.current()
	resolved, err := e.resolve(c.config)
	if err != nil {
		return err
	}
	cprops, err := kafka.ConsumerProps(e.worker, resolved, c.name, 0)
	if err != nil {
		return err
	}
	group := kafka.GroupID(cprops)
	aprops, err := kafka.AdminProps(e.worker, resolved, c.name, 0)
	if err != nil {
		return err
	}
	if _, set := resolved["admin.override.client.id"]; !set {
		aprops["client.id"] = "connector-worker-adminclient-" + c.name // as Apache names this client
	}
	acfg, warnings, err := kafka.AdminConfig(aprops, aprops["client.id"])
	if err != nil {
		return err
	}
	h.warn(c.name, warnings)
	e.tune(acfg)
	done := make(chan error, 1)
	go func() {
		admin, err := sarama.NewClusterAdmin(e.bootstrap, acfg)
		if err != nil {
			done <- err
			return
		}
		defer admin.Close()
		done <- fn(admin, group)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
