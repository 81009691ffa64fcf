package main

import "syscall"

// childAttr makes the kernel kill a child when the bench dies, even by SIGKILL, so that no broker or runner
// outlives an interrupted measurement.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
