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
	tuneGC()
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

	// Every connector file is read before anything is created, so that the connectors saved from earlier
	// REST calls can be restored first, except those the files define: at start the file wins.
	files := make([]*config.ConnectorFile, 0, len(args)-1)
	for _, path := range args[1:] {
		f, err := config.LoadConnectorFile(path)
		if err != nil {
			return p.connectorError(path, err, stderr)
		}
		files = append(files, f)
	}
	owned := make([]string, len(files))
	for i, f := range files {
		owned[i] = f.Name
	}
	if err := p.herder.Restore(owned); err != nil {
		fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
		p.shutdown()
		return exitWorker
	}
	for _, f := range files {
		if err := p.createFromFile(f); err != nil {
			return p.connectorError(f.Path, err, stderr)
		}
	}
	p.herder.SetReady()
	log.Info().Msg("connect-standalone started")

	<-ctx.Done()
	stop() // a second signal now ends the process at once
	log.Info().Msg("shutting down")
	done := make(chan struct{})
	go func() { p.shutdown(); close(done) }()
	select {
	case <-done:
	case <-time.After(restShutdownTimeout + p.shutdownTimeout + 10*time.Second):
		log.Error().Msg("shutdown did not complete in time; exiting")
	}
	return exitOK
}

// connectorError reports a connector file that cannot be applied and stops the worker, as Apache does.
func (p *process) connectorError(path string, err error, stderr io.Writer) int {
	p.log.Error().Err(err).Str("file", path).Msg("Failed to create connector for " + path)
	p.log.Error().Msg("Stopping after connector error")
	fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
	p.shutdown()
	return exitConnector
}

// createFromFile creates the connector a connector file describes; the file owns it.
func (p *process) createFromFile(f *config.ConnectorFile) error {
	target, err := runner.ParseTargetState(f.InitialState)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if _, err := p.herder.CreateOwned(f.Path, f.Name, f.Config, target); err != nil {
		var he *runner.Error
		if errors.As(err, &he) {
			return fmt.Errorf("%s: connector %q: %s", f.Path, f.Name, he.Msg)
		}
		return fmt.Errorf("%s: connector %q: %w", f.Path, f.Name, err)
	}
	p.log.Info().Str("connector", f.Name).Str("file", f.Path).Msg("connector created")
	return nil
}
