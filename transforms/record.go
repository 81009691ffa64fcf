package transforms

import (
	"strconv"
	"strings"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// recordString renders a record as Apache's SourceRecord.toString or SinkRecord.toString does, for the
// messages that include it. A sink record's original coordinates are not known here; its current ones are
// shown.
func recordString(r *connectors.Record, sink bool) string {
	var b strings.Builder
	if sink {
		b.WriteString("SinkRecord{kafkaOffset=")
		b.WriteString(strconv.FormatInt(r.Offset, 10))
		b.WriteString(", timestampType=")
		b.WriteString(timestampTypeName(r.TimestampType))
		b.WriteString(", originalTopic=")
		b.WriteString(r.Topic)
		b.WriteString(", originalKafkaPartition=")
		b.WriteString(partitionString(r.Partition))
		b.WriteString(", originalKafkaOffset=")
		b.WriteString(strconv.FormatInt(r.Offset, 10))
	} else {
		b.WriteString("SourceRecord{sourcePartition=")
		b.WriteString(sourceMapString(r.SourcePartition))
		b.WriteString(", sourceOffset=")
		b.WriteString(sourceMapString(r.SourceOffset))
	}
	b.WriteString("} ConnectRecord{topic='")
	b.WriteString(r.Topic)
	b.WriteString("', kafkaPartition=")
	b.WriteString(partitionString(r.Partition))
	b.WriteString(", key=")
	b.WriteString(connectors.FormatValue(r.Key))
	b.WriteString(", keySchema=")
	b.WriteString(schemaString(r.KeySchema))
	b.WriteString(", value=")
	b.WriteString(connectors.FormatValue(r.Value))
	b.WriteString(", valueSchema=")
	b.WriteString(schemaString(r.ValueSchema))
	b.WriteString(", timestamp=")
	if r.Timestamp.IsZero() {
		b.WriteString("null")
	} else {
		b.WriteString(strconv.FormatInt(r.Timestamp.UnixMilli(), 10))
	}
	b.WriteString(", headers=ConnectHeaders(headers=")
	if len(r.Headers) > 0 {
		b.WriteByte('[')
		for i, h := range r.Headers {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("ConnectHeader(key=")
			b.WriteString(h.Key)
			b.WriteString(", value=")
			b.WriteString(connectors.FormatValue(h.Value))
			b.WriteString(", schema=")
			b.WriteString(schemaString(h.Schema))
			b.WriteByte(')')
		}
		b.WriteByte(']')
	}
	b.WriteString(")}")
	return b.String()
}

func partitionString(p int32) string {
	if p == connectors.AnyPartition {
		return "null"
	}
	return strconv.Itoa(int(p))
}

func sourceMapString(m map[string]any) string {
	if m == nil {
		return "null"
	}
	return connectors.FormatValue(m)
}

func timestampTypeName(t connectors.TimestampType) string {
	switch t {
	case connectors.CreateTime:
		return "CreateTime"
	case connectors.LogAppendTime:
		return "LogAppendTime"
	}
	return "NoTimestampType"
}
