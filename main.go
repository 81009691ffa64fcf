// Command connect-standalone runs Kafka Connect connectors from Apache Kafka Connect's standalone-mode files:
//
//	connect-standalone [--help|--version] WORKER.properties [CONNECTOR.properties|CONNECTOR.json ...]
//
// It is a drop-in for Apache's connect-standalone.sh: the same keys and defaults, the same bytes on the
// topics, the same offsets semantics and exit codes (1 usage, 2 invalid worker configuration, 3 invalid
// connector file). Unlike Apache's, it follows its files while it runs (package runner/reload).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/reload"
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

The files are watched: a change is validated and applied while the worker runs (an invalid one is
reported and the last good configuration kept); SIGHUP reloads every file.

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
	// SIGHUP reloads the files; it is caught from the start so that an early one does not end the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	p, err := start(ctx, args[0], stderr)
	if err != nil {
		fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
		return exitWorker
	}
	log := p.log

	// Every connector file is read before anything is created, so that the connectors saved from earlier
	// REST calls can be restored first, except those the files define: at start the file wins.
	started := []reload.Started{{Path: args[0], Hash: p.worker.hash}}
	var files []loaded
	for _, path := range args[1:] {
		f, hash, err := reload.ReadConnectorFile(path)
		if err != nil {
			return p.connectorError(path, err, stderr)
		}
		files = append(files, loaded{f, hash, true})
	}
	// The files of connectors.dir come and go while the worker runs, so one that cannot be applied is
	// reported and skipped rather than stopping the worker.
	dir := strings.TrimSpace(p.worker.values.String(config.ConnectorsDir))
	if dir != "" {
		paths, err := reload.DirFiles(dir)
		if err != nil {
			log.Warn().Err(err).Str("file", args[0]).Str("key", config.ConnectorsDir).
				Msg("the connectors directory cannot be read; its connectors are created when it can")
		}
		named := make([]string, len(files))
		for i, l := range files {
			named[i] = l.f.Path
		}
		for _, path := range paths {
			if reload.SameFileIn(path, named) {
				continue // named on the command line too
			}
			f, hash, err := reload.ReadConnectorFile(path)
			if err != nil {
				log.Error().Str("file", path).Str("error", err.Error()).Msg("the connector file was not applied")
				started = append(started, reload.Started{Path: path, Hash: hash, Err: err})
				continue
			}
			files = append(files, loaded{f, hash, false})
		}
	}
	owned := make([]string, len(files))
	for i, l := range files {
		owned[i] = l.f.Name
	}
	if err := p.herder.Restore(owned); err != nil {
		fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
		p.shutdown()
		return exitWorker
	}
	for _, l := range files {
		if err := p.createFromFile(l.f); err != nil {
			if l.cmdline {
				return p.connectorError(l.f.Path, err, stderr)
			}
			log.Error().Str("file", l.f.Path).Str("error", err.Error()).Msg("the connector file was not applied")
			started = append(started, reload.Started{Path: l.f.Path, Hash: l.hash, Err: err})
			continue
		}
		started = append(started, reload.Started{Path: l.f.Path, Hash: l.hash, Connector: l.f.Name})
	}
	p.herder.SetReady()

	p.watcher = reload.Start(reload.Config{
		Herder:         p.herder,
		WorkerFile:     args[0],
		Worker:         p,
		ConnectorFiles: args[1:],
		ConnectorsDir:  dir,
		Started:        started,
		Log:            p.levels.Logger(logging.ReloadName),
	})
	p.rest.SetReloader(p.watcher)
	go func() {
		for {
			select {
			case <-hup:
				log.Info().Msg("SIGHUP: reloading every file")
				if _, err := p.watcher.Reload(ctx); err != nil {
					log.Warn().Err(err).Msg("SIGHUP reload")
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	log.Info().Msg("connect-standalone started")

	<-ctx.Done()
	stop() // a second signal now ends the process at once
	log.Info().Msg("shutting down")
	done := make(chan struct{})
	go func() { p.shutdown(); close(done) }()
	select {
	case <-done:
	case <-time.After(restShutdownTimeout + time.Duration(p.shutdownTimeout.Load()) + 10*time.Second):
		log.Error().Msg("shutdown did not complete in time; exiting")
	}
	return exitOK
}

// loaded is a connector file read at start.
type loaded struct {
	f    *config.ConnectorFile
	hash string
	// cmdline: named on the command line, where an invalid file stops the worker (exit 3), as in Apache.
	cmdline bool
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
		return fmt.Errorf("%s: connector %q: %w", f.Path, f.Name, err)
	}
	p.log.Info().Str("connector", f.Name).Str("file", f.Path).Msg("connector created")
	return nil
}
