package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"github.com/IBM/sarama"
)

// ceilingFlags are the flags of the produce and consume sub-commands.
type ceilingFlags struct {
	addr, topic, file, out, settings, name string
	n                                      int64
	cpuProfile                             string
	// worker holds the worker keys the connect settings are built from: bootstrap.servers and -worker.
	worker properties
}

func parseCeilingFlags(cmd string, args []string) (ceilingFlags, error) {
	c := ceilingFlags{worker: properties{}}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.StringVar(&c.addr, "broker", "", "broker host:port")
	fs.StringVar(&c.topic, "topic", "", "topic")
	fs.StringVar(&c.file, "file", "", "file to read (produce, pipe) or write (consume)")
	fs.StringVar(&c.out, "out", "", "file to write (pipe)")
	fs.StringVar(&c.settings, "settings", settingsConnect, "client settings: connect or default")
	fs.StringVar(&c.name, "name", "ceiling", "connector name the settings are built for (client id, group)")
	fs.Int64Var(&c.n, "n", 0, "records to consume (consume, pipe)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	fs.Var(c.worker, "worker", "a worker key=value the connect settings are built from, such as producer.linger.ms=5 (repeatable)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.addr == "" || c.topic == "" || c.file == "" {
		return c, fmt.Errorf("usage: bench %s -broker HOST:PORT -topic TOPIC -file FILE [-settings connect|default] [-n N] [-worker KEY=VALUE ...]", cmd)
	}
	c.worker["bootstrap.servers"] = c.addr
	return c, nil
}

// runProduce is the "produce" sub-command, the source ceiling: the raw sarama async producer sends every
// line of a file to a topic and exits once all are acknowledged.
func runProduce(args []string) int {
	c, err := parseCeilingFlags("produce", args)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	defer profileCPU(c.cpuProfile)()
	cfg, err := producerConfig(ctx, c.settings, c.worker, c.name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "produce:", err)
		return 1
	}
	n, err := produceFile(ctx, cfg, c.addr, c.topic, c.file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "produce:", err)
		return 1
	}
	return report(n)
}

// runConsume is the "consume" sub-command, the sink ceiling: a raw sarama consumer group reads a topic and
// writes each value and "\n" to a file, through a 64 KiB buffer written out whenever the consumer has
// nothing more at hand, until it has written n lines.
func runConsume(args []string) int {
	c, err := parseCeilingFlags("consume", args)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if c.n <= 0 {
		fmt.Fprintln(os.Stderr, "consume: -n must be positive")
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	defer profileCPU(c.cpuProfile)()
	cfg, group, err := consumerConfig(ctx, c.settings, c.worker, c.name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "consume:", err)
		return 1
	}
	n, err := consumeToFile(ctx, cfg, c.addr, group, c.topic, c.file, c.n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "consume:", err)
		return 1
	}
	return report(n)
}

// runPipe is the "pipe" sub-command, the pipeline ceiling: in one process, as a file source and a file sink
// run in one runner, the raw producer sends the lines of a file to a topic while a raw consumer group
// writes them to another file; it exits once the n lines are written and all were acknowledged.
func runPipe(args []string) int {
	c, err := parseCeilingFlags("pipe", args)
	if err == nil && (c.out == "" || c.n <= 0) {
		err = errors.New("pipe: -out and a positive -n are required")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	defer profileCPU(c.cpuProfile)()
	pcfg, err := producerConfig(ctx, c.settings, c.worker, c.name+"-source")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pipe:", err)
		return 1
	}
	ccfg, group, err := consumerConfig(ctx, c.settings, c.worker, c.name+"-sink")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pipe:", err)
		return 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	produced := make(chan error, 1)
	go func() {
		_, err := produceFile(ctx, pcfg, c.addr, c.topic, c.file)
		if err != nil {
			cancel() // the consumer would wait for lines that never come
		}
		produced <- err
	}()
	// A consumer group that joins before its topic exists gets no partition until its next rebalance (the
	// runner watches for the topic; this client does not), so it waits for the producer's first request
	// to create the topic.
	if err := awaitTopic(ctx, ccfg, c.addr, c.topic); err != nil {
		cancel()
		<-produced
		fmt.Fprintln(os.Stderr, "pipe:", err)
		return 1
	}
	n, cerr := consumeToFile(ctx, ccfg, c.addr, group, c.topic, c.out, c.n)
	if err := errors.Join(<-produced, cerr); err != nil {
		fmt.Fprintln(os.Stderr, "pipe:", err)
		return 1
	}
	return report(n)
}

// awaitTopic waits until the broker reports partitions for topic.
func awaitTopic(ctx context.Context, cfg *sarama.Config, addr, topic string) error {
	client, err := sarama.NewClient([]string{addr}, cfg)
	if err != nil {
		return err
	}
	defer client.Close()
	for {
		if err := client.RefreshMetadata(topic); err == nil {
			if parts, err := client.Partitions(topic); err == nil && len(parts) > 0 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for topic %s: %w", topic, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// profileCPU starts a CPU profile to path, if there is one, and returns what stops it.
func profileCPU(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cpu profile:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// report prints the ceiling program's one-line result for the bench.
func report(records int64) int {
	rep := ceilingReport{Records: records}
	// The process reads its own peak: the kernel's maxrss of a child also counts the memory of the parent
	// it was started from, which would charge the bench's own buffers to the ceiling.
	rep.PeakKB, _ = procStatusKB(os.Getpid(), "VmHWM")
	out, _ := json.Marshal(rep)
	fmt.Println(string(out))
	return 0
}

type ceilingReport struct {
	Records int64 `json:"records"`
	PeakKB  int64 `json:"peak_kb"`
}

func consumeToFile(ctx context.Context, cfg *sarama.Config, addr, group, topic, path string, n int64) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	g, err := sarama.NewConsumerGroup([]string{addr}, group, cfg)
	if err != nil {
		return 0, fmt.Errorf("joining group %s: %w", group, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := &fileWriter{w: bufio.NewWriterSize(f, 64<<10), want: n, done: cancel}
	if cfg.Consumer.Return.Errors {
		go func() {
			for err := range g.Errors() {
				fmt.Fprintln(os.Stderr, "consumer group:", err)
			}
		}()
	}
	for ctx.Err() == nil {
		if err := g.Consume(ctx, []string{topic}, h); err != nil && ctx.Err() == nil {
			fmt.Fprintln(os.Stderr, "consumer group session:", err)
			time.Sleep(100 * time.Millisecond)
		}
	}
	closeErr := g.Close()
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.w.Flush(); err != nil {
		return h.count, err
	}
	if h.count < n {
		return h.count, fmt.Errorf("interrupted after %d of %d records", h.count, n)
	}
	return h.count, closeErr
}

// fileWriter is the consumer-group handler of the sink ceiling.
type fileWriter struct {
	mu    sync.Mutex // sarama may run several claims at once; topics here have one partition
	w     *bufio.Writer
	count int64
	want  int64
	done  context.CancelFunc
}

func (*fileWriter) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (*fileWriter) Cleanup(sarama.ConsumerGroupSession) error { return nil }

func (h *fileWriter) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	msgs := claim.Messages()
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				return nil
			}
			if err := h.write(m.Value, len(msgs) == 0); err != nil {
				return err
			}
		case <-sess.Context().Done():
			return nil
		}
	}
}

// write appends one line; it writes the buffer out when the consumer has nothing more at hand (as a sink
// task's put ends with its batch) and when all n lines are in.
func (h *fileWriter) write(v []byte, idle bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.count >= h.want {
		return nil
	}
	h.w.Write(v)
	h.w.WriteByte('\n')
	h.count++
	if idle || h.count == h.want {
		if err := h.w.Flush(); err != nil {
			h.done()
			return err
		}
	}
	if h.count == h.want {
		h.done()
	}
	return nil
}
