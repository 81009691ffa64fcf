package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// child is a process the bench started. It is only ever stopped by its own PID.
type child struct {
	name    string
	cmd     *exec.Cmd
	logPath string        // its standard error (and standard output unless captured)
	stdout  *bytes.Buffer // captured standard output, when asked for
	exited  chan struct{} // closed once Wait has returned
	waitErr error
	started time.Time
}

// children is the set of processes alive, so that every one of them is stopped on the way out, also after
// an error or an interrupt.
type children map[*child]struct{}

// start runs prog with args, its standard error going to logPath. With captureStdout its standard output
// is kept in memory (the ceiling programs report their figures there); otherwise it goes to logPath too.
// env is added to the bench's own environment.
func (cs children) start(name, logPath string, captureStdout bool, stdin io.Reader, env []string, prog string, args ...string) (*child, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(prog, args...)
	cmd.Stderr = logf
	cmd.Stdout = logf
	cmd.Stdin = stdin
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.SysProcAttr = childAttr()
	c := &child{name: name, cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	if captureStdout {
		c.stdout = &bytes.Buffer{}
		cmd.Stdout = c.stdout
	}
	c.started = time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	cs[c] = struct{}{}
	go func() {
		c.waitErr = cmd.Wait()
		logf.Close()
		close(c.exited)
	}()
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// running reports whether the process has not exited yet.
func (c *child) running() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// wait waits for the process to exit by itself, at most timeout or until ctx ends.
func (c *child) wait(ctx context.Context, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-c.exited:
		return c.exitError()
	case <-t.C:
		return fmt.Errorf("%s (pid %d) did not exit within %s", c.name, c.pid(), timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// exitError describes a non-zero exit, with the end of the process's log.
func (c *child) exitError() error {
	if c.waitErr == nil {
		return nil
	}
	return fmt.Errorf("%s (pid %d) %v; last lines of %s:\n%s", c.name, c.pid(), c.waitErr, c.logPath, tail(c.logPath, 15))
}

// stop sends SIGTERM to the process and waits up to grace for it to exit, then kills it. It reports how the
// process ended: nil for a clean exit after the signal.
func (cs children) stop(c *child, grace time.Duration) error {
	defer delete(cs, c)
	if !c.running() {
		return c.exitError()
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-c.exited:
		return c.exitError()
	case <-t.C:
	}
	_ = c.cmd.Process.Kill()
	select {
	case <-c.exited:
	case <-time.After(5 * time.Second):
	}
	return fmt.Errorf("%s (pid %d) did not stop within %s of SIGTERM and was killed", c.name, c.pid(), grace)
}

// stopAll stops whatever is still running, quickly: this is the clean-up after a failure or an interrupt.
func (cs children) stopAll() {
	for c := range cs {
		_ = cs.stop(c, 3*time.Second)
	}
}

// cpu is the user and system CPU time the process used over its life; only known once it exited.
func (c *child) cpu() time.Duration {
	if c.running() || c.cmd.ProcessState == nil {
		return 0
	}
	return c.cmd.ProcessState.UserTime() + c.cmd.ProcessState.SystemTime()
}

// procStatusKB reads a "kB" field of /proc/<pid>/status, such as VmHWM (peak resident memory) or VmRSS.
func procStatusKB(pid int, field string) (int64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || name != field {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			break
		}
		return strconv.ParseInt(f[0], 10, 64)
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}

// clockTick is the unit of the CPU times in /proc/<pid>/stat: USER_HZ, 100 on every Linux architecture Go
// supports.
const clockTick = 10 * time.Millisecond

// procCPU reads the user and system CPU time a running process has used so far from /proc/<pid>/stat.
func procCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces; the fields after it are plain.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	f := strings.Fields(s[i+1:])
	// After the name: state is field 3, utime field 14, stime field 15.
	if len(f) < 13 {
		return 0, errors.New("malformed /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("malformed /proc stat: %w", err)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// tail returns the last n lines of a file, for error messages.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ")
}
