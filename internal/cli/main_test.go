package cli

import (
	"fmt"
	"os"
	"testing"

	"github.com/lossgen/lossgen/internal/cli/runcache"
	"github.com/lossgen/lossgen/internal/testcache"
)

// TestMain points lossgen's cache at the test suites' shared directory
// (internal/testcache), so that the tests never touch the user's cache and
// share the drivers they build, with each other and with cmd/lossgen's and
// generated's tests: a kernel two tests run (triplet's, say) is built once, by the first
// test that asks for it, through the same runcache.Cache.Driver path as
// ever. Every test that builds a driver is parallel, so that one test's go
// build overlaps another's interpreter work. No test here depends on the
// cache being empty; runcache's own tests cover building, reuse and
// rebuilding with caches of their own.
func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := testcache.Dir()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.Setenv("LOSSGEN_CACHE", dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// needGo skips a test that builds a driver when there is no toolchain, and
// makes it parallel: drivers are built into the package's cache (TestMain).
func needGo(t *testing.T) {
	t.Helper()
	if _, err := runcache.FindGo(); err != nil {
		t.Skip(err)
	}
	t.Parallel()
}
