// Command bench measures connect-standalone against the raw sarama clients, on a kfake broker that runs in
// a process of its own on loopback. It is what `make bench` runs; README.md explains every figure.
//
//	bench -bin bin/connect-standalone [-n 1000000] [-size 100] [-runs 3] [-compare bench/results/old.json]
//
// It measures, each scenario several times with the runs alternated (runner, ceiling, runner, ceiling…):
// file source → topic, topic → file sink and both in one process; the raw sarama producer and consumer
// doing the same jobs with the runner's client settings and with sarama's defaults; the time from process
// start to the REST API and to the first record; and the runner's resident memory. It prints a table, writes
// the raw figures as JSON under -results, and ends with one summary line of ratios and budget checks.
//
// The same executable is also the helper processes it starts: "bench broker", "bench produce" and
// "bench consume".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if code, ok := subcommand(os.Args[1:]); ok {
		os.Exit(code)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// subcommand runs the helper processes the bench starts by running itself again: the broker and the
// ceilings. ok is false when args name none of them.
func subcommand(args []string) (code int, ok bool) {
	if len(args) == 0 {
		return 0, false
	}
	switch args[0] {
	case "broker":
		return runBroker(args[1:]), true
	case "produce":
		return runProduce(args[1:]), true
	case "consume":
		return runConsume(args[1:]), true
	case "pipe":
		return runPipe(args[1:]), true
	}
	return 0, false
}

// options are the bench's flags.
type options struct {
	bin      string
	n        int64
	size     int
	runs     int
	jsonRuns int
	only     map[string]bool
	work     string
	keep     bool
	results  string
	compare  string
	version  string
	timeout  time.Duration
	settle   time.Duration
	strict   bool
	profile  string
	idleWait time.Duration
	retries  int
	worker   properties
	env      properties
}

// profileEnv is the environment variable that asks a connect-standalone built for profiling to write its
// CPU, heap and allocation profiles, to files named from its value and ending in .cpu.pprof, .heap.pprof and
// .allocs.pprof. The normal build does not read it; README.md shows how to build one that does.
const profileEnv = "CONNECT_STANDALONE_PROFILE"

// Scenario groups, as -only names them.
var groups = []string{"source", "sink", "pipeline", "json", "startup"}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	o := options{worker: properties{}, env: properties{}}
	var only string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bin, "bin", "bin/connect-standalone", "the connect-standalone binary to measure")
	fs.Int64Var(&o.n, "n", 1_000_000, "lines (records) per throughput run")
	fs.IntVar(&o.size, "size", 100, "bytes per line, its \"\\n\" included")
	fs.IntVar(&o.runs, "runs", 3, "runs of each scenario, alternated with its ceilings")
	fs.IntVar(&o.jsonRuns, "json-runs", 1, "runs of the file source with JsonConverter (schemas on)")
	fs.StringVar(&only, "only", strings.Join(groups, ","), "scenario groups to run: "+strings.Join(groups, ","))
	fs.StringVar(&o.work, "work", "", "directory for the runs' files (default: a new temporary directory, removed at the end)")
	fs.BoolVar(&o.keep, "keep", false, "keep the work directory (logs, configurations, files)")
	fs.StringVar(&o.results, "results", "bench/results", "directory to write <timestamp>.json and latest.json to; empty: none")
	fs.StringVar(&o.compare, "compare", "", "a previous results file to compare with")
	fs.StringVar(&o.version, "version", "", "what is measured, for the results file (make bench passes git describe)")
	fs.DurationVar(&o.timeout, "timeout", 0, "limit of one run (default 60s + 1s per 20k records)")
	fs.DurationVar(&o.settle, "settle", 2*time.Second, "wait after start-up before the idle memory is read")
	fs.DurationVar(&o.idleWait, "idle-wait", 10*time.Second, "before each run, wait up to this long for other processes to leave the CPUs alone (0: do not wait)")
	fs.Var(o.worker, "worker", "an extra worker key=value for every runner and for the ceilings' Connect settings, such as producer.linger.ms=5 (repeatable)")
	fs.Var(o.env, "env", "an environment variable KEY=VALUE for the connect-standalone processes and the raw-client ceilings (which otherwise get the runner's GOGC=400 and GOMEMLIMIT=26MiB), such as GOGC=200 (repeatable)")
	fs.IntVar(&o.retries, "retries", 2, "measure a run again, up to this many times, when other processes took CPU during it")
	fs.BoolVar(&o.strict, "strict", false, "exit 3 when a budget point is missed")
	fs.StringVar(&o.profile, "profile", "", "directory for CPU profiles of the ceiling helpers, and of the runner when -bin is a profiling build (see README.md)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case o.n < 1:
		return o, errors.New("-n must be at least 1")
	case o.size < 2:
		return o, errors.New("-size must be at least 2 (one character and \"\\n\")")
	case o.runs < 1:
		return o, errors.New("-runs must be at least 1")
	case o.jsonRuns < 0:
		return o, errors.New("-json-runs must not be negative")
	}
	o.only = map[string]bool{}
	for _, g := range strings.Split(only, ",") {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if !slices.Contains(groups, g) {
			return o, fmt.Errorf("-only: unknown scenario group %q (want some of %s)", g, strings.Join(groups, ","))
		}
		o.only[g] = true
	}
	if o.profile != "" {
		var err error
		if o.profile, err = filepath.Abs(o.profile); err != nil {
			return o, err
		}
		if err := os.MkdirAll(o.profile, 0o755); err != nil {
			return o, fmt.Errorf("-profile: %w", err)
		}
	}
	if o.timeout == 0 {
		o.timeout = 60*time.Second + time.Duration(o.n/20_000)*time.Second
	}
	return o, nil
}

// suite is one run of the bench.
type suite struct {
	opt    options
	log    io.Writer // progress, on standard error
	self   string    // this executable, for the helper processes
	bin    string    // the runner binary, absolute
	work   string
	input  string // the generated input file: n lines of size bytes
	procs  children
	broker *brokerProcess
	probe  *probe
	res    *results
}

func run(args []string, stdout, stderr io.Writer) int {
	opt, err := parseOptions(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "bench:", err)
		}
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	s := &suite{opt: opt, log: stderr, procs: children{}}
	defer s.procs.stopAll()
	if err := s.setUp(ctx); err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		s.tearDown()
		return 2
	}
	err = s.measure(ctx)
	s.tearDown()
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		if s.work != "" && (s.opt.keep || s.opt.work != "") {
			fmt.Fprintln(stderr, "bench: logs are in", s.work)
		}
		return 2
	}
	met := s.res.finish()
	s.res.printTable(stdout)
	if opt.compare != "" {
		if err := s.res.printComparison(stdout, opt.compare); err != nil {
			fmt.Fprintln(stderr, "bench: -compare:", err)
		}
	}
	if opt.results != "" {
		path, err := s.res.write(opt.results)
		if err != nil {
			fmt.Fprintln(stderr, "bench: writing results:", err)
			return 2
		}
		fmt.Fprintf(stdout, "\nraw figures: %s (and %s)\n", path, filepath.Join(opt.results, "latest.json"))
	}
	fmt.Fprintln(stdout, s.res.Summary)
	if opt.strict && !met {
		return 3
	}
	return 0
}

// setUp checks the binary, writes the input file and starts the broker.
func (s *suite) setUp(ctx context.Context) error {
	var err error
	if s.self, err = os.Executable(); err != nil {
		return err
	}
	if s.bin, err = filepath.Abs(s.opt.bin); err != nil {
		return err
	}
	if fi, err := os.Stat(s.bin); err != nil || fi.IsDir() {
		return fmt.Errorf("-bin %s: not a file (run make build first)", s.opt.bin)
	}
	if s.opt.work != "" {
		s.work, err = filepath.Abs(s.opt.work)
		if err == nil {
			err = os.MkdirAll(s.work, 0o755)
		}
	} else {
		s.work, err = os.MkdirTemp("", "connect-standalone-bench-")
	}
	if err != nil {
		return err
	}
	s.res = newResults(s.opt)
	s.input = filepath.Join(s.work, "input.txt")
	s.logf("writing %d lines of %d bytes to %s", s.opt.n, s.opt.size, s.input)
	if err := writeInput(s.input, s.opt.n, s.opt.size); err != nil {
		return fmt.Errorf("writing the input file: %w", err)
	}
	if s.broker, err = s.startBroker(ctx); err != nil {
		return err
	}
	s.res.Broker = s.broker.addr
	s.logf("kfake broker pid %d on %s", s.broker.pid(), s.broker.addr)
	if s.probe, err = newProbe(s.broker.addr); err != nil {
		return err
	}
	return nil
}

// tearDown stops the broker and removes the work directory unless asked to keep it.
func (s *suite) tearDown() {
	if s.probe != nil {
		s.probe.close()
	}
	if s.broker != nil {
		if hwm, err := procStatusKB(s.broker.pid(), "VmHWM"); err == nil && s.res != nil {
			s.res.BrokerPeakMB = float64(hwm) / 1024
		}
		s.stopBroker(s.broker)
	}
	s.procs.stopAll()
	if s.work != "" && s.opt.work == "" && !s.opt.keep {
		os.RemoveAll(s.work)
	}
}

// measure runs the scenario groups asked for, in a fixed order.
func (s *suite) measure(ctx context.Context) error {
	steps := []struct {
		group string
		run   func(context.Context) error
	}{
		{"source", s.sourceScenario},
		{"sink", s.sinkScenario},
		{"pipeline", s.pipelineScenario},
		{"json", s.jsonScenario},
		{"startup", s.startupScenario},
	}
	for _, st := range steps {
		if !s.opt.only[st.group] {
			continue
		}
		if err := st.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", st.group, err)
		}
	}
	return nil
}

func (s *suite) logf(format string, args ...any) {
	fmt.Fprintf(s.log, "%s  %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

// environment describes the machine, for the results file.
func environment() (cpus int, goVersion, kernel string) {
	kernel = runtime.GOOS
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel += " " + strings.TrimSpace(string(data))
	}
	return runtime.NumCPU(), runtime.Version(), kernel
}
