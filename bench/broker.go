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
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/broker"
)

// runBroker is the "broker" sub-command: the embedded kfake broker, alone in its process, on a free
// loopback port. It writes its address to -addr-file and runs until SIGTERM/SIGINT or until its standard
// input closes (the bench holds the other end, so a bench that dies takes its broker with it).
func runBroker(args []string) int {
	fs := flag.NewFlagSet("broker", flag.ContinueOnError)
	addrFile := fs.String("addr-file", "", "file to write the broker's host:port to")
	if err := fs.Parse(args); err != nil || *addrFile == "" {
		fmt.Fprintln(os.Stderr, "usage: bench broker -addr-file FILE")
		return 1
	}
	b, err := broker.Start(broker.Config{Listeners: []string{"127.0.0.1:0"}, ClusterID: "bench"}, zerolog.Nop())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer b.Close()
	// Written to a temporary name and renamed, so that the bench never reads half an address.
	tmp := *addrFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.Addrs()[0]), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.Rename(tmp, *addrFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	<-ctx.Done()
	return 0
}

// brokerProcess is the broker child as the bench sees it.
type brokerProcess struct {
	*child
	addr string
	// keepAlive is the bench's end of the broker's standard input.
	keepAlive *os.File
}

// startBroker starts the broker sub-command of this executable and waits (bounded) for its address.
func (s *suite) startBroker(ctx context.Context) (*brokerProcess, error) {
	addrFile := filepath.Join(s.work, "broker.addr")
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c, err := s.procs.start("kfake broker", filepath.Join(s.work, "broker.log"), false, r, nil, s.self, "broker", "-addr-file", addrFile)
	r.Close()
	if err != nil {
		w.Close()
		return nil, err
	}
	bp := &brokerProcess{child: c, keepAlive: w}
	deadline := time.Now().Add(15 * time.Second)
	for {
		data, err := os.ReadFile(addrFile)
		if err == nil {
			bp.addr = strings.TrimSpace(string(data))
			return bp, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if !c.running() {
			return nil, fmt.Errorf("the broker exited at start: %w", c.exitError())
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the broker (pid %d) did not report its address within 15s", c.pid())
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (s *suite) stopBroker(bp *brokerProcess) {
	err := s.procs.stop(bp.child, 10*time.Second)
	bp.keepAlive.Close()
	if err != nil {
		s.logf("stopping the broker: %v", err)
	}
}
