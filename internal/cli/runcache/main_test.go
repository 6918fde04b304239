package runcache

import (
	"fmt"
	"os"
	"testing"
)

// cacheRoot is where every test's cache lives, one test at a time (none of
// them runs in parallel): each starts from an empty directory, but at the
// same path, so the runtime copy sits at the same place every time and the
// go command's build cache, which keys a package by its directory, compiles
// the runtime once for the whole package instead of once per test.
var cacheRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lossgen-runcache-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cacheRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
