package runner_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/converters"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
	"github.com/connect-standalone/connect-standalone/offsets"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/kafka"
)

// benchBatch is how many records one Poll returns: FileStreamSource's default batch.size.
const benchBatch = 2000

// benchValue is a 99-character line, the value of every record (a 100-byte line without its "\n").
var benchValue = strings.Repeat("0123456789", 9) + "abcdefghi"

// BenchmarkProduce measures the produce path per record (one op is one record): records as a source task's
// Poll returns them, through the runner (offset tracking, converters, producer messages) and sarama's async
// producer, until a kfake broker in this process has acknowledged them all. The records come from a
// generator whose Poll costs next to nothing (one value string and one offset map shared by every record,
// one slice per batch), so what is measured is the runner and the client.
//
// "sarama" sends the same values with the raw async producer built from the same settings
// (runner/kafka, Connect's defaults); runner minus sarama is the runner's own cost per record, in time
// and in allocations (both sub-benchmarks count the in-process broker's allocations too).
func BenchmarkProduce(b *testing.B) {
	for _, conv := range []struct{ name, class string }{
		{"string", "org.apache.kafka.connect.storage.StringConverter"},
		{"json", "org.apache.kafka.connect.json.JsonConverter"},
	} {
		b.Run("runner/"+conv.name, func(b *testing.B) { benchmarkRunnerProduce(b, conv.class) })
	}
	b.Run("sarama", benchmarkSaramaProduce)
}

func benchmarkRunnerProduce(b *testing.B, converter string) {
	broker := kafkatest.Start(b, kafkatest.Options{})
	dir := b.TempDir()
	worker := map[string]string{
		"bootstrap.servers":              broker.Addr(),
		"key.converter":                  converter,
		"value.converter":                converter,
		"key.converter.schemas.enable":   "true",
		"value.converter.schemas.enable": "true",
		"offset.storage.file.filename":   filepath.Join(dir, "connect.offsets"),
	}
	store, err := offsets.Open(worker["offset.storage.file.filename"], zerolog.Nop())
	if err != nil {
		b.Fatal(err)
	}
	version := benchVersion(b, broker.Addr())
	providers, err := config.NewProviders(worker)
	if err != nil {
		b.Fatal(err)
	}
	gate := make(chan struct{})
	gen := connectors.Plugin{Class: "bench.GeneratorSource", Type: connectors.SourceType, Version: "bench",
		New: func() any { return &generator{gate: gate} }}
	h, err := runner.New(runner.Config{
		Worker: worker, Providers: providers, Offsets: store, Bootstrap: []string{broker.Addr()},
		Registry:     connectors.NewRegistry(append(converters.Plugins(), gen)...),
		KafkaVersion: version, WorkerID: "127.0.0.1:8083", Log: zerolog.Nop(),
	})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Shutdown()
	const topic = "bench"
	if _, err := h.Create("gen", map[string]string{"connector.class": gen.Class, "topic": topic,
		"records": strconv.Itoa(b.N)}, runner.TargetRunning); err != nil {
		b.Fatal(err)
	}
	kafkatest.Eventually(b, 15*time.Second, func() error {
		st, err := h.Status("gen")
		if err != nil {
			return err
		}
		if len(st.Tasks) != 1 || st.Tasks[0].State != runner.Running {
			return fmt.Errorf("task not running yet: %+v", st.Tasks)
		}
		return nil
	})
	end := newEndOffsets(b, broker.Addr())
	b.ReportAllocs()
	b.ResetTimer()
	close(gate)
	end.await(b, topic, int64(b.N))
	b.StopTimer()
	reportPerRecord(b)
}

func benchmarkSaramaProduce(b *testing.B) {
	broker := kafkatest.Start(b, kafkatest.Options{})
	worker := map[string]string{"bootstrap.servers": broker.Addr()}
	props, err := kafka.ProducerProps(worker, map[string]string{}, "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	cfg, _, err := kafka.ProducerConfig(props, props["client.id"])
	if err != nil {
		b.Fatal(err)
	}
	cfg.Version = benchVersion(b, broker.Addr())
	cfg.Producer.Return.Successes = true
	cfg.Producer.Return.Errors = true
	p, err := sarama.NewAsyncProducer([]string{broker.Addr()}, cfg)
	if err != nil {
		b.Fatal(err)
	}
	var acked atomic.Int64
	done := make(chan struct{})
	go func() {
		for range p.Successes() {
			acked.Add(1)
		}
		close(done)
	}()
	go func() {
		for e := range p.Errors() {
			b.Error(e)
		}
	}()
	defer func() { p.AsyncClose(); <-done }()
	value := []byte(benchValue)
	// Metadata and the connection are set up before the timer starts, as they are in the runner case.
	p.Input() <- &sarama.ProducerMessage{Topic: "warm-up", Partition: -1, Value: sarama.ByteEncoder(value)}
	kafkatest.Eventually(b, 15*time.Second, func() error {
		if acked.Load() != 1 {
			return errors.New("warm-up record not acknowledged yet")
		}
		return nil
	})
	acked.Store(0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		p.Input() <- &sarama.ProducerMessage{Topic: "bench", Partition: -1, Value: sarama.ByteEncoder(value)}
	}
	deadline := time.Now().Add(time.Minute)
	for acked.Load() < int64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d records acknowledged after a minute", acked.Load(), b.N)
		}
		time.Sleep(100 * time.Microsecond)
	}
	b.StopTimer()
	reportPerRecord(b)
}

// reportPerRecord adds records/s, which reads better than ns/op for throughput.
func reportPerRecord(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "records/s")
	}
}

func benchVersion(b *testing.B, addr string) sarama.KafkaVersion {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, v, _, err := kafka.LookupCluster(ctx, map[string]string{"bootstrap.servers": addr}, []string{addr})
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// endOffsets asks the broker for a topic's end offset over a connection of its own.
type endOffsets struct {
	b   *sarama.Broker
	cfg *sarama.Config
}

func newEndOffsets(b *testing.B, addr string) *endOffsets {
	cfg := sarama.NewConfig()
	br := sarama.NewBroker(addr)
	if err := br.Open(cfg); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { br.Close() })
	return &endOffsets{b: br, cfg: cfg}
}

// await polls until partition 0 of topic holds n records; more is a failure (duplicates), and so is
// waiting for more than a minute.
func (e *endOffsets) await(b *testing.B, topic string, n int64) {
	deadline := time.Now().Add(time.Minute)
	for {
		req := sarama.NewOffsetRequest(e.cfg.Version)
		req.AddBlock(topic, 0, sarama.OffsetNewest, 1)
		resp, err := e.b.GetAvailableOffsets(req)
		if err != nil {
			b.Fatal(err)
		}
		var got int64
		if blk := resp.GetBlock(topic, 0); blk != nil && blk.Err == sarama.ErrNoError {
			got = blk.Offset
		}
		switch {
		case got == n:
			return
		case got > n:
			b.Fatalf("topic %s holds %d records, want %d", topic, got, n)
		case time.Now().After(deadline):
			b.Fatalf("topic %s holds %d of %d records after a minute", topic, got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// generator is a source connector whose one task returns "records" records for "topic" in batches of
// benchBatch, once gate is closed.
type generator struct {
	gate <-chan struct{}
	cfg  map[string]string
}

func (g *generator) Version() string     { return "bench" }
func (g *generator) Config() *config.Def { return config.NewDef() }
func (g *generator) Stop() error         { return nil }
func (g *generator) Start(cfg map[string]string) error {
	g.cfg = cfg
	return nil
}
func (g *generator) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{g.cfg}, nil
}
func (g *generator) NewTask() connectors.SourceTask { return &generatorTask{gate: g.gate} }

type generatorTask struct {
	gate       <-chan struct{}
	topic      string
	left       int
	partition  map[string]any
	offset     map[string]any
	gatePassed bool
}

func (t *generatorTask) Start(_ connectors.TaskContext, cfg map[string]string) error {
	n, err := strconv.Atoi(cfg["records"])
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	t.topic, t.left = cfg["topic"], n
	t.partition = map[string]any{"filename": "bench.txt"}
	t.offset = map[string]any{"position": int64(0)}
	return nil
}

func (t *generatorTask) Stop() error { return nil }

func (t *generatorTask) Poll(ctx context.Context) ([]connectors.Record, error) {
	if !t.gatePassed {
		select {
		case <-t.gate:
			t.gatePassed = true
		case <-ctx.Done():
			return nil, nil
		}
	}
	if t.left == 0 {
		<-ctx.Done()
		return nil, nil
	}
	n := min(t.left, benchBatch)
	t.left -= n
	now := time.Now()
	recs := make([]connectors.Record, n)
	for i := range recs {
		recs[i] = connectors.Record{Topic: t.topic, Partition: connectors.AnyPartition, ValueSchema: connectors.StringSchema,
			Value: benchValue, Timestamp: now, SourcePartition: t.partition, SourceOffset: t.offset}
	}
	return recs, nil
}
