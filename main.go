// Command connect-standalone runs Kafka Connect connectors from Apache Kafka Connect's standalone-mode files:
//
//	connect-standalone [--help|--version] WORKER.properties [CONNECTOR.properties|CONNECTOR.json ...]
//
// It is a drop-in for Apache's connect-standalone.sh: the same keys and defaults, the same bytes on the
// topics, the same offsets semantics and exit codes (1 usage, 2 invalid worker configuration, 3 invalid
// connector file).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/runner"
)

// version is set by the build (make build).
var version = "dev"

// Exit codes, as Apache's connect-standalone.sh.
const (
	exitOK        = 0
	exitUsage     = 1
	exitWorker    = 2
	exitConnector = 3
)

const usage = `Usage: connect-standalone [--help|--version] WORKER.properties [CONNECTOR.properties|CONNECTOR.json ...]

Runs Kafka Connect connectors in a single process, like Apache Kafka Connect's connect-standalone.sh.
WORKER.properties holds the worker configuration (bootstrap.servers, converters,
offset.storage.file.filename, ...); each CONNECTOR file holds one connector: a .properties file, a flat JSON
map, or the JSON body of POST /connectors with an optional initial_state.

Exit status: 0 after a clean shutdown (SIGINT/SIGTERM), 1 usage, 2 invalid worker configuration or
start-up error, 3 invalid connector file.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	for _, a := range args {
		switch a {
		case "--help", "-h", "-help":
			fmt.Fprint(stderr, usage)
			return exitUsage
		case "--version", "-version":
			fmt.Fprintf(stdout, "connect-standalone %s (Apache Kafka Connect %s compatible)\n", version, runner.ApacheVersion)
			return exitOK
		}
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") && a != "-" {
			fmt.Fprintf(stderr, "connect-standalone: unknown option %s\n\n%s", a, usage)
			return exitUsage
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	p, err := start(ctx, args[0], stderr)
	if err != nil {
		fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
		return exitWorker
	}
	log := p.log

	for _, path := range args[1:] {
		if err := p.createFromFile(path); err != nil {
			log.Error().Err(err).Str("file", path).Msg("Failed to create connector for " + path)
			log.Error().Msg("Stopping after connector error")
			fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
			p.shutdown()
			return exitConnector
		}
	}
	p.ready()
	log.Info().Msg("connect-standalone started")

	<-ctx.Done()
	stop() // a second signal now ends the process at once
	log.Info().Msg("shutting down")
	done := make(chan struct{})
	go func() { p.shutdown(); close(done) }()
	select {
	case <-done:
	case <-time.After(p.shutdownTimeout + 10*time.Second):
		log.Error().Msg("shutdown did not complete in time; exiting")
	}
	return exitOK
}

// createFromFile creates the connector a connector file describes.
func (p *process) createFromFile(path string) error {
	f, err := config.LoadConnectorFile(path)
	if err != nil {
		return err
	}
	target, err := runner.ParseTargetState(f.InitialState)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := p.herder.Create(f.Name, f.Config, target); err != nil {
		var he *runner.Error
		if errors.As(err, &he) {
			return fmt.Errorf("%s: connector %q: %s", path, f.Name, he.Msg)
		}
		return fmt.Errorf("%s: connector %q: %w", path, f.Name, err)
	}
	p.log.Info().Str("connector", f.Name).Str("file", path).Msg("connector created")
	return nil
}

// newLogger builds the process logger from log.level and log.format.
func newLogger(w io.Writer, level, format string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(strings.ToLower(strings.TrimSpace(level)))
	if err != nil || lvl == zerolog.NoLevel {
		return zerolog.Logger{}, fmt.Errorf("log.level %q: want one of trace, debug, info, warn, error", level)
	}
	var out io.Writer = w
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "console":
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: "2006-01-02 15:04:05.000", NoColor: !isTerminal(w)}
	case "json":
	default:
		return zerolog.Logger{}, fmt.Errorf("log.format %q: want console or json", format)
	}
	return zerolog.New(out).Level(lvl).With().Timestamp().Logger(), nil
}

// isTerminal reports whether w is a terminal, where colours help; in files and pipes they are noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
