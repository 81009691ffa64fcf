package main

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"time"
)

// On a 2-core machine anything else running (a compiler, another test suite) takes CPU from the processes
// measured. The bench therefore accounts for every CPU second the machine spent during a run: what the
// measured process, the broker and the bench itself used, and the rest, "foreign" load. A run with foreign
// load is flagged, and before each run the bench waits (bounded) for the machine to be quiet.

// machineBusy returns the CPU time all CPUs together spent busy since boot (/proc/stat: user, nice,
// system, irq, softirq and steal; idle and iowait are not busy).
func machineBusy() (time.Duration, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, errors.New("malformed /proc/stat")
	}
	var busy int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, errors.New("malformed /proc/stat")
		}
		busy += v
	}
	return time.Duration(busy) * clockTick, nil
}

// cpuSnapshot is the CPU time used so far by the machine, the broker and the bench.
type cpuSnapshot struct {
	at                   time.Time
	machine, broker, own time.Duration
	ok                   bool
}

func (s *suite) cpuNow() cpuSnapshot {
	m, err1 := machineBusy()
	b, err2 := procCPU(s.broker.pid())
	o, err3 := procCPU(os.Getpid())
	return cpuSnapshot{at: time.Now(), machine: m, broker: b, own: o, ok: errors.Join(err1, err2, err3) == nil}
}

// foreign returns the CPU, in cores, that processes other than the broker, the bench and the measured one
// (which used measured over the span) took between two snapshots. It is exact to a few clock ticks.
func foreign(before, after cpuSnapshot, measured time.Duration) float64 {
	span := after.at.Sub(before.at)
	if !before.ok || !after.ok || span <= 0 {
		return 0
	}
	other := (after.machine - before.machine) - (after.broker - before.broker) - (after.own - before.own) - measured
	return max(0, other.Seconds()/span.Seconds())
}

// quietLoad is the foreign load, in cores, below which the machine counts as quiet.
const quietLoad = 0.1

// waitQuiet waits, at most limit, until the machine has been quiet for 300 ms, so that a run does not
// start while something else is busy; it returns the load of the last 300 ms.
func (s *suite) waitQuiet(ctx context.Context, limit time.Duration) float64 {
	deadline := time.Now().Add(limit)
	for {
		before := s.cpuNow()
		select {
		case <-ctx.Done():
			return 0
		case <-time.After(300 * time.Millisecond):
		}
		load := foreign(before, s.cpuNow(), 0)
		if load < quietLoad || time.Now().After(deadline) {
			return load
		}
	}
}
