// Package testcache is the lossgen run driver cache that the test suites
// share (LOSSGEN_CACHE for the lossgen they run).
//
// cmd/lossgen, internal/cli and generated each build the drivers of the
// shipped specs, the same drivers byte for byte. With one cache each
// driver is built once per machine instead of once per package and run,
// which is most of what a warm go test ./... would otherwise rebuild. The
// cache is content-addressed and safe for concurrent processes (see
// package runcache: entries are renamed into place whole, verified by
// their SHA-256 before use, and rebuilt when they do not match), so
// sharing it between test binaries running at once changes no result.
// Like Go's build cache it persists between runs, in the system's
// temporary directory unless LOSSGEN_TEST_CACHE names another; deleting it
// is always safe. The runcache package's own tests use fresh directories:
// they test the cache itself.
package testcache

import (
	"os"
	"path/filepath"
)

// Dir returns the shared cache directory, creating it if needed.
func Dir() (string, error) {
	dir := os.Getenv("LOSSGEN_TEST_CACHE")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "lossgen-test-cache")
	}
	return dir, os.MkdirAll(dir, 0o755)
}
