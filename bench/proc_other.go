//go:build !linux

package main

import "syscall"

// childAttr: only Linux can tie a child's life to its parent's; elsewhere children are stopped by the
// bench's own clean-up.
func childAttr() *syscall.SysProcAttr { return nil }
