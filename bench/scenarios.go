package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Converter classes, as in a worker file.
const (
	stringConverter = "org.apache.kafka.connect.storage.StringConverter"
	jsonConverter   = "org.apache.kafka.connect.json.JsonConverter"
)

// How often a run's progress is looked at: the broker is asked less often than a file is looked at, to
// keep the probe's share of the broker's time negligible. Start-up is watched every millisecond.
const (
	brokerPoll  = 5 * time.Millisecond
	filePoll    = 2 * time.Millisecond
	startupPoll = time.Millisecond
)

// sample is what one throughput run measured.
type sample struct {
	rate      float64       // records per second, from the first record seen to the last
	wall      time.Duration // from process start until all records were there
	cpu       time.Duration // user+system CPU of the measured process over its life
	brokerCPU time.Duration // user+system CPU of the broker from process start until all records were there
	peakKB    int64         // peak resident memory of the measured process (VmHWM)
	foreign   float64       // CPU other processes took meanwhile, in cores (see cpu.go)
}

// trial names one measurement: its scenario, its number and, when it had to be measured again, the attempt.
// Every run gets files, topics and consumer groups of its own.
type trial struct {
	scenario string // source, sink, pipeline or json
	who      string // runner, ceiling-connect or ceiling-default
	i        int    // from 0
	attempt  int
}

// name is unique to the run, for its directory, topic and consumer group.
func (r trial) name() string {
	n := fmt.Sprintf("%s-%d-%s", r.scenario, r.i+1, r.who)
	if r.attempt > 0 {
		n += fmt.Sprintf("-again%d", r.attempt)
	}
	return n
}

// repeat measures a run, and measures it again (at most -retries times) when other processes took CPU
// meanwhile: on a 2-core machine such a run measures the neighbours as much as the runner.
func (s *suite) repeat(r trial, measure func(trial) (sample, error)) error {
	for {
		smp, err := measure(r)
		if err != nil {
			return err
		}
		if smp.foreign < quietLoad || r.attempt >= s.opt.retries {
			s.record(r.scenario+"."+r.who, smp)
			return nil
		}
		s.logf("%s: other processes took %.2f cores during the run; measuring it again", r.name(), smp.foreign)
		r.attempt++
	}
}

// sourceScenario: the file source moves the input file to a fresh topic; the ceilings do the same with the
// raw sarama producer.
func (s *suite) sourceScenario(ctx context.Context) error {
	for i := range s.opt.runs {
		if err := s.repeat(trial{scenario: "source", who: "runner", i: i}, func(r trial) (sample, error) {
			return s.runnerSource(ctx, r, stringConverter)
		}); err != nil {
			return err
		}
		for _, settings := range []string{settingsConnect, settingsDefault} {
			if err := s.repeat(trial{scenario: "source", who: "ceiling-" + settings, i: i}, func(r trial) (sample, error) {
				return s.ceilingProduce(ctx, r, settings)
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonScenario: the file source with JsonConverter and schemas on, as in the quick start.
func (s *suite) jsonScenario(ctx context.Context) error {
	for i := range s.opt.jsonRuns {
		if err := s.repeat(trial{scenario: "source-json", who: "runner", i: i}, func(r trial) (sample, error) {
			return s.runnerSource(ctx, r, jsonConverter)
		}); err != nil {
			return err
		}
	}
	return nil
}

// runnerSource runs connect-standalone with one file source until the topic holds every line.
func (s *suite) runnerSource(ctx context.Context, r trial, converter string) (sample, error) {
	dir, err := s.runDir(r)
	if err != nil {
		return sample{}, err
	}
	topic := "bench-" + r.name()
	source := sourceConnector("bench-source", s.input, topic)
	smp, err := s.measureRunner(ctx, r, dir, s.worker(dir, converter), []map[string]string{source}, s.records(topic))
	if err != nil {
		return smp, err
	}
	if err := s.checkTopic(topic); err != nil {
		return smp, err
	}
	return smp, s.probe.deleteTopic(topic)
}

// ceilingProduce runs the produce helper until the topic holds every line.
func (s *suite) ceilingProduce(ctx context.Context, r trial, settings string) (sample, error) {
	dir, err := s.runDir(r)
	if err != nil {
		return sample{}, err
	}
	topic := "bench-" + r.name()
	smp, err := s.measureCeiling(ctx, r, dir, settings, s.records(topic),
		s.ceilingArgs("produce", settings, topic, s.input, r)...)
	if err != nil {
		return smp, err
	}
	if err := s.checkTopic(topic); err != nil {
		return smp, err
	}
	return smp, s.probe.deleteTopic(topic)
}

// sinkScenario: the input lines are put on a topic once (not timed); then each run, with a consumer group
// of its own, writes them to a fresh file.
func (s *suite) sinkScenario(ctx context.Context) error {
	const topic = "bench-sink-input"
	s.logf("sink: loading %d records onto %s (not timed)", s.opt.n, topic)
	cfg, err := producerConfig(ctx, settingsDefault, map[string]string{"bootstrap.servers": s.broker.addr}, "preload")
	if err != nil {
		return err
	}
	cfg.Producer.Return.Successes = true
	loadCtx, cancel := context.WithTimeout(ctx, s.opt.timeout)
	defer cancel()
	if _, err := produceFile(loadCtx, cfg, s.broker.addr, topic, s.input); err != nil {
		return fmt.Errorf("loading %s: %w", topic, err)
	}
	if err := s.checkTopic(topic); err != nil {
		return err
	}
	for i := range s.opt.runs {
		if err := s.repeat(trial{scenario: "sink", who: "runner", i: i}, func(r trial) (sample, error) {
			dir, err := s.runDir(r)
			if err != nil {
				return sample{}, err
			}
			out := filepath.Join(dir, "sink.txt")
			sink := sinkConnector("bench-"+r.name(), out, topic)
			smp, err := s.measureRunner(ctx, r, dir, s.worker(dir, stringConverter), []map[string]string{sink}, s.lines(out))
			if err != nil {
				return smp, err
			}
			return smp, sameContent(out, s.input)
		}); err != nil {
			return err
		}
		for _, settings := range []string{settingsConnect, settingsDefault} {
			if err := s.repeat(trial{scenario: "sink", who: "ceiling-" + settings, i: i}, func(r trial) (sample, error) {
				dir, err := s.runDir(r)
				if err != nil {
					return sample{}, err
				}
				out := filepath.Join(dir, "sink.txt")
				smp, err := s.measureCeiling(ctx, r, dir, settings, s.lines(out), s.ceilingArgs("consume", settings, topic, out, r)...)
				if err != nil {
					return smp, err
				}
				return smp, sameContent(out, s.input)
			}); err != nil {
				return err
			}
		}
	}
	return s.probe.deleteTopic(topic)
}

// pipelineScenario: the quick-start shape, a file source and a file sink in one process.
func (s *suite) pipelineScenario(ctx context.Context) error {
	for i := range s.opt.runs {
		if err := s.repeat(trial{scenario: "pipeline", who: "runner", i: i}, func(r trial) (sample, error) {
			dir, err := s.runDir(r)
			if err != nil {
				return sample{}, err
			}
			topic := "bench-" + r.name()
			out := filepath.Join(dir, "sink.txt")
			conns := []map[string]string{
				sourceConnector("bench-source", s.input, topic),
				sinkConnector("bench-sink", out, topic),
			}
			smp, err := s.measureRunner(ctx, r, dir, s.worker(dir, stringConverter), conns, s.lines(out))
			if err != nil {
				return smp, err
			}
			if err := sameContent(out, s.input); err != nil {
				return smp, err
			}
			if err := s.checkTopic(topic); err != nil {
				return smp, err
			}
			return smp, s.probe.deleteTopic(topic)
		}); err != nil {
			return err
		}
		// The ceiling: the raw producer and consumer group in one process, with the runner's settings.
		if err := s.repeat(trial{scenario: "pipeline", who: "ceiling-" + settingsConnect, i: i}, func(r trial) (sample, error) {
			dir, err := s.runDir(r)
			if err != nil {
				return sample{}, err
			}
			topic := "bench-" + r.name()
			out := filepath.Join(dir, "sink.txt")
			args := append(s.ceilingArgs("pipe", settingsConnect, topic, s.input, r), "-out", out)
			smp, err := s.measureCeiling(ctx, r, dir, settingsConnect, s.lines(out), args...)
			if err != nil {
				return smp, err
			}
			if err := sameContent(out, s.input); err != nil {
				return smp, err
			}
			if err := s.checkTopic(topic); err != nil {
				return smp, err
			}
			return smp, s.probe.deleteTopic(topic)
		}); err != nil {
			return err
		}
	}
	return nil
}

// startupScenario starts the quick-start shape (a source and a sink) on a small file and times the REST
// API's first 200 to GET /, the first record on the topic and the moment all lines are in the sink's file;
// once start-up has settled it reads the idle process's memory.
func (s *suite) startupScenario(ctx context.Context) error {
	const lines = 10
	for i := range s.opt.runs {
		r := trial{scenario: "startup", who: "runner", i: i}
		dir, err := s.runDir(r)
		if err != nil {
			return err
		}
		input := filepath.Join(dir, "input.txt")
		if err := writeInput(input, lines, s.opt.size); err != nil {
			return err
		}
		topic := "bench-" + r.name()
		out := filepath.Join(dir, "sink.txt")
		worker := s.worker(dir, stringConverter)
		conns := []map[string]string{sourceConnector("bench-source", input, topic), sinkConnector("bench-sink", out, topic)}
		if err := s.writeConfigs(dir, worker, conns); err != nil {
			return err
		}
		s.quiet(ctx)
		c, err := s.startRunner(dir, len(conns), r.name())
		if err != nil {
			return err
		}
		start := c.started
		restURL := worker["listeners"] + "/"
		readyCh := make(chan time.Duration, 1)
		stopREST := make(chan struct{})
		go func() { readyCh <- pollREST(restURL, start, stopREST) }()
		firstRecord, err := s.waitFor(ctx, c, 1, 15*time.Second, s.records(topic).count)
		var sinkDone time.Time
		if err == nil {
			sinkDone, err = s.waitFor(ctx, c, lines, 15*time.Second, s.lines(out).count)
		}
		// The REST API gets until the records are through, and a second more.
		time.AfterFunc(time.Second, func() { close(stopREST) })
		ready := <-readyCh
		if err != nil {
			s.procs.stop(c, 20*time.Second)
			return fmt.Errorf("%s: %w", r.name(), err)
		}
		s.sleep(ctx, s.opt.settle)
		rss, err1 := procStatusKB(c.pid(), "VmRSS")
		hwm, err2 := procStatusKB(c.pid(), "VmHWM")
		if err := s.procs.stop(c, 20*time.Second); err != nil {
			return fmt.Errorf("%s: %w", r.name(), err)
		}
		if err := s.probe.deleteTopic(topic); err != nil {
			return err
		}
		if ready > 0 {
			s.res.add("startup.ready_ms", "ms", ms(ready))
		} else {
			s.res.declare("startup.ready_ms", "ms")
		}
		s.res.add("startup.first_record_ms", "ms", ms(firstRecord.Sub(start)))
		s.res.add("startup.sink_lines_ms", "ms", ms(sinkDone.Sub(start)))
		if err := errors.Join(err1, err2); err == nil {
			s.res.add("idle.rss_mb", "MB", float64(rss)/1024)
			s.res.add("idle.peak_mb", "MB", float64(hwm)/1024)
		}
		readyText := "n/a (no 200 from GET " + restURL + ")"
		if ready > 0 {
			readyText = fmt.Sprintf("%.1f ms", ms(ready))
		}
		s.logf("%-24s REST ready %s, first record %.1f ms; idle VmRSS %.1f MB, VmHWM %.1f MB",
			r.name(), readyText, ms(firstRecord.Sub(start)), float64(rss)/1024, float64(hwm)/1024)
	}
	return nil
}

// pollREST asks GET url every millisecond until it answers 200 and returns the time since start, or 0 when
// stop closes first.
func pollREST(url string, start time.Time, stop <-chan struct{}) time.Duration {
	client := &http.Client{Timeout: 500 * time.Millisecond}
	for {
		resp, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start)
			}
		}
		select {
		case <-stop:
			return 0
		case <-time.After(startupPoll):
		}
	}
}

// measureRunner starts connect-standalone with the given worker and connectors, waits until count reaches
// n, reads its peak memory and stops it with SIGTERM (it must exit 0).
func (s *suite) measureRunner(ctx context.Context, r trial, dir string, worker map[string]string,
	conns []map[string]string, count counter) (sample, error) {
	if err := s.writeConfigs(dir, worker, conns); err != nil {
		return sample{}, err
	}
	s.quiet(ctx)
	before := s.cpuNow()
	c, err := s.startRunner(dir, len(conns), r.name())
	if err != nil {
		return sample{}, err
	}
	p, err := s.watch(ctx, c, count)
	if err != nil {
		s.procs.stop(c, 20*time.Second)
		return sample{}, fmt.Errorf("%s: %w", r.name(), err)
	}
	smp := s.sampleSince(before, p, c)
	smp.peakKB, _ = procStatusKB(c.pid(), "VmHWM")
	if err := s.procs.stop(c, 30*time.Second); err != nil {
		return sample{}, fmt.Errorf("%s: stopping connect-standalone: %w", r.name(), err)
	}
	smp.cpu = c.cpu()
	s.logRun(r, fmt.Sprintf("connect-standalone %d", c.pid()), smp)
	return smp, nil
}

// sampleSince begins the sample of a run of c that watch has seen through: its rate and span from p, and the
// CPU the broker and other processes took since before. The caller adds c's own CPU and peak memory.
func (s *suite) sampleSince(before cpuSnapshot, p progress, c *child) sample {
	after := s.cpuNow()
	return sample{rate: p.rate(s.opt.n), wall: p.done.Sub(p.start), brokerCPU: after.broker - before.broker,
		foreign: foreign(before, after, childCPUNow(c))}
}

// ceilingArgs are the arguments of a ceiling helper: the same -worker keys as the runner gets.
func (s *suite) ceilingArgs(cmd, settings, topic, file string, r trial) []string {
	args := []string{cmd, "-broker", s.broker.addr, "-topic", topic, "-file", file, "-settings", settings,
		"-n", strconv.FormatInt(s.opt.n, 10), "-name", r.name()}
	for _, kv := range s.opt.worker.pairs() {
		args = append(args, "-worker", kv)
	}
	return args
}

// measureCeiling runs a ceiling helper (produce or consume) until count reaches n and it has exited.
func (s *suite) measureCeiling(ctx context.Context, r trial, dir, settings string, count counter, args ...string) (sample, error) {
	if s.opt.profile != "" {
		args = append(args, "-cpuprofile", filepath.Join(s.opt.profile, r.name()+".cpu.pprof"))
	}
	s.quiet(ctx)
	before := s.cpuNow()
	// The raw clients run with the garbage-collector settings connect-standalone gives itself (gc.go), so
	// that the ratio compares the data paths, not the runtime's tuning. -env overrides both.
	env := append([]string{"GOGC=400", "GOMEMLIMIT=26MiB"}, s.opt.env.pairs()...)
	c, err := s.procs.start("sarama "+args[0]+" ("+settings+")", filepath.Join(dir, "ceiling.log"), true, nil, env, s.self, args...)
	if err != nil {
		return sample{}, err
	}
	p, err := s.watch(ctx, c, count)
	if err != nil {
		s.procs.stop(c, 5*time.Second)
		return sample{}, fmt.Errorf("%s: %w", r.name(), err)
	}
	smp := s.sampleSince(before, p, c)
	if err := c.wait(ctx, 30*time.Second); err != nil {
		s.procs.stop(c, 5*time.Second)
		return sample{}, fmt.Errorf("%s: %w", r.name(), err)
	}
	delete(s.procs, c)
	var rep ceilingReport
	if err := json.Unmarshal(bytes.TrimSpace(c.stdout.Bytes()), &rep); err != nil {
		return sample{}, fmt.Errorf("%s: reading its report %q: %w", r.name(), c.stdout.String(), err)
	}
	if rep.Records != s.opt.n {
		return sample{}, fmt.Errorf("%s: it handled %d records, want %d", r.name(), rep.Records, s.opt.n)
	}
	smp.cpu, smp.peakKB = c.cpu(), rep.PeakKB
	s.logRun(r, "sarama, "+settings+" settings", smp)
	return smp, nil
}

func (s *suite) logRun(r trial, who string, smp sample) {
	warn := ""
	if smp.foreign >= quietLoad {
		warn = fmt.Sprintf("; other processes took %.2f cores meanwhile", smp.foreign)
	}
	s.logf("%-24s %-30s %9s  (%.2f s, CPU %.2f s, broker CPU %.2f s, peak RSS %.1f MB%s)", r.name(),
		who, fmtRate(smp.rate), smp.wall.Seconds(), smp.cpu.Seconds(), smp.brokerCPU.Seconds(), float64(smp.peakKB)/1024, warn)
}

// quiet waits, within -idle-wait, for the machine to be quiet before a run.
func (s *suite) quiet(ctx context.Context) {
	if s.opt.idleWait <= 0 {
		return
	}
	if load := s.waitQuiet(ctx, s.opt.idleWait); load >= quietLoad {
		s.logf("the machine is still busy (%.2f cores used by other processes) after waiting %s; measuring anyway", load, s.opt.idleWait)
	}
}

// childCPUNow is the CPU a process has used so far, whether it is still running or has just exited.
func childCPUNow(c *child) time.Duration {
	if v, err := procCPU(c.pid()); err == nil && c.running() {
		return v
	}
	select {
	case <-c.exited:
		return c.cpu()
	case <-time.After(5 * time.Second):
		return 0
	}
}

// progress is how a run went: when it started, when the first records were seen (and how many), and when
// all were there.
type progress struct {
	start, first, done time.Time
	firstCount         int64
}

// rate is the records per second once the first were there, which leaves process start-up out (it is
// measured on its own). When everything arrived at once it falls back to the whole span.
func (p progress) rate(n int64) float64 {
	if p.firstCount < n && p.done.After(p.first) {
		return float64(n-p.firstCount) / p.done.Sub(p.first).Seconds()
	}
	return float64(n) / p.done.Sub(p.start).Seconds()
}

// watch polls count until it reaches the bench's n, bounded by the run timeout. A process that exits first
// fails the run, unless everything is there by then (a ceiling helper exits when done).
func (s *suite) watch(ctx context.Context, c *child, count counter) (progress, error) {
	p := progress{start: c.started}
	deadline := c.started.Add(s.opt.timeout)
	tick := time.NewTicker(count.every)
	defer tick.Stop()
	var last int64
	for {
		exited := !c.running()
		got, err := count.count()
		now := time.Now()
		if err != nil {
			return p, err
		}
		if got > 0 && p.first.IsZero() {
			p.first, p.firstCount = now, got
		}
		last = got
		switch {
		case got > s.opt.n:
			return p, fmt.Errorf("%d records arrived, want %d: duplicates", got, s.opt.n)
		case got == s.opt.n:
			p.done = now
			return p, nil
		case exited:
			if err := c.exitError(); err != nil {
				return p, err
			}
			return p, fmt.Errorf("%s exited after %d of %d records", c.name, got, s.opt.n)
		case now.After(deadline):
			return p, fmt.Errorf("only %d of %d records after %s (-timeout)", last, s.opt.n, s.opt.timeout)
		}
		select {
		case <-ctx.Done():
			return p, ctx.Err()
		case <-tick.C:
		}
	}
}

// waitFor polls count every millisecond until it reaches want and returns when it did; the process must
// keep running.
func (s *suite) waitFor(ctx context.Context, c *child, want int64, timeout time.Duration, count func() (int64, error)) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	for {
		got, err := count()
		now := time.Now()
		if err != nil {
			return now, err
		}
		if got >= want {
			return now, nil
		}
		if !c.running() {
			if err := c.exitError(); err != nil {
				return now, err
			}
			return now, fmt.Errorf("%s exited", c.name)
		}
		if now.After(deadline) {
			return now, fmt.Errorf("%d of %d records after %s", got, want, timeout)
		}
		select {
		case <-ctx.Done():
			return now, ctx.Err()
		case <-time.After(startupPoll):
		}
	}
}

// checkTopic checks, once a run is over, that the topic holds exactly n records.
func (s *suite) checkTopic(topic string) error {
	got, err := s.probe.endOffset(topic)
	if err != nil {
		return err
	}
	if got != s.opt.n {
		return fmt.Errorf("topic %s holds %d records, want %d", topic, got, s.opt.n)
	}
	return nil
}

// counter tells how far a run is, and how often it is worth asking.
type counter struct {
	count func() (int64, error)
	every time.Duration
}

// records counts the records on a topic.
func (s *suite) records(topic string) counter {
	return counter{every: brokerPoll, count: func() (int64, error) { return s.probe.endOffset(topic) }}
}

// lines counts the complete lines in a file the bench's lines are written to, by its size: every line is
// exactly size bytes.
func (s *suite) lines(path string) counter {
	size := int64(s.opt.size)
	return counter{every: filePoll, count: func() (int64, error) {
		fi, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		return fi.Size() / size, nil
	}}
}

// record adds one run's figures to the results.
func (s *suite) record(name string, smp sample) {
	perM := 1e6 / float64(s.opt.n)
	s.res.add(name+".rate", "records/s", smp.rate)
	s.res.add(name+".cpu", "CPU s per 1M records", smp.cpu.Seconds()*perM)
	s.res.add(name+".broker_cpu", "broker CPU s per 1M records", smp.brokerCPU.Seconds()*perM)
	s.res.add(name+".peak_mb", "MB", float64(smp.peakKB)/1024)
	s.res.add(name+".foreign_load", "cores used by other processes", smp.foreign)
}

func (s *suite) runDir(r trial) (string, error) {
	dir := filepath.Join(s.work, r.name())
	return dir, os.MkdirAll(dir, 0o755)
}

// worker is the worker configuration of a run: the bench's broker, the converter for keys and values
// (JsonConverter with schemas on, as in the quick start), a fresh offsets file and a free REST port.
// Everything else is Apache's default.
func (s *suite) worker(dir, converter string) map[string]string {
	w := map[string]string{
		"bootstrap.servers":            s.broker.addr,
		"key.converter":                converter,
		"value.converter":              converter,
		"offset.storage.file.filename": filepath.Join(dir, "connect.offsets"),
		"listeners":                    "http://" + freeAddr(),
	}
	if converter == jsonConverter {
		w["key.converter.schemas.enable"] = "true"
		w["value.converter.schemas.enable"] = "true"
	}
	maps.Copy(w, s.opt.worker)
	return w
}

func sourceConnector(name, file, topic string) map[string]string {
	return map[string]string{"name": name, "connector.class": "FileStreamSource", "tasks.max": "1", "file": file, "topic": topic}
}

func sinkConnector(name, file, topic string) map[string]string {
	return map[string]string{"name": name, "connector.class": "FileStreamSink", "tasks.max": "1", "file": file, "topics": topic}
}

// writeConfigs writes worker.properties and connector-<i>.properties into dir.
func (s *suite) writeConfigs(dir string, worker map[string]string, conns []map[string]string) error {
	if err := writeProperties(filepath.Join(dir, "worker.properties"), worker); err != nil {
		return err
	}
	for i, c := range conns {
		if err := writeProperties(filepath.Join(dir, fmt.Sprintf("connector-%d.properties", i+1)), c); err != nil {
			return err
		}
	}
	return nil
}

// startRunner starts connect-standalone on the files writeConfigs wrote; its log goes to runner.log. With
// -profile, the environment variable profileEnv tells a binary built for profiling where to write its
// profiles (name is the prefix of their file names); the normal build ignores it.
func (s *suite) startRunner(dir string, conns int, name string) (*child, error) {
	args := []string{filepath.Join(dir, "worker.properties")}
	for i := range conns {
		args = append(args, filepath.Join(dir, fmt.Sprintf("connector-%d.properties", i+1)))
	}
	env := s.opt.env.pairs()
	if s.opt.profile != "" {
		env = append(env, profileEnv+"="+filepath.Join(s.opt.profile, name))
	}
	return s.procs.start("connect-standalone", filepath.Join(dir, "runner.log"), false, nil, env, s.bin, args...)
}

func (s *suite) sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// writeProperties writes a .properties file, keys sorted; backslashes are escaped as the format needs.
func writeProperties(path string, props map[string]string) error {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(props)) {
		fmt.Fprintf(&b, "%s=%s\n", k, strings.ReplaceAll(props[k], `\`, `\\`))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "127.0.0.1:8083"
	}
	defer l.Close()
	return l.Addr().String()
}

// writeInput writes n lines of size bytes each, "\n" included: a 12-digit line number, then filler. Every
// line differs from the others, so a file written from them can be checked byte for byte.
func writeInput(path string, n int64, size int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	const filler = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
	line := make([]byte, size)
	for j := range line {
		line[j] = filler[j%len(filler)]
	}
	line[size-1] = '\n'
	for i := range n {
		num := fmt.Appendf(line[:0:0], "%012d ", i)
		copy(line[:size-1], num)
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// sameContent checks that a file written by a sink holds exactly the input's lines, in order. It streams
// both files: the bench's own memory stays small while it measures others'.
func sameContent(got, want string) error {
	a, err := os.Open(got)
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := os.Open(want)
	if err != nil {
		return err
	}
	defer b.Close()
	ra, rb := bufio.NewReaderSize(a, 1<<20), bufio.NewReaderSize(b, 1<<20)
	for line := 1; ; line++ {
		la, errA := ra.ReadSlice('\n')
		lb, errB := rb.ReadSlice('\n')
		if !bytes.Equal(la, lb) {
			return fmt.Errorf("%s differs from the input at line %d: %.40q…, want %.40q…", got, line, la, lb)
		}
		if errors.Is(errA, bufio.ErrBufferFull) && errors.Is(errB, bufio.ErrBufferFull) {
			line-- // a line longer than the buffer comes in pieces
			continue
		}
		if errA != nil || errB != nil {
			if errors.Is(errA, io.EOF) && errors.Is(errB, io.EOF) {
				return nil
			}
			return fmt.Errorf("comparing %s with the input at line %d: %w", got, line, errors.Join(errA, errB))
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
