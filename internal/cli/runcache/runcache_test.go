package runcache

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// kernelFiles reads the hand-written stand-in for a generated triplet kernel.
func kernelFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir("testdata/kernel")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/kernel", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	// A generated test must not be built into the driver.
	files["kernel_test.go"] = []byte("package kernel\n\nthis does not compile\n")
	return files
}

func newCache(t *testing.T) *Cache {
	t.Helper()
	goCmd, err := FindGo()
	if err != nil {
		t.Skip(err)
	}
	dir := filepath.Join(cacheRoot, "run")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return &Cache{Dir: dir, Go: goCmd}
}

// Hand-computed triplet loss for N=2, D=2 (see the README): only the first
// triplet violates the margin, with dap = 4, dan = 1.
const (
	input  = `{"dims": {"N": 2, "D": 2}, "inputs": {"anchor": [0, 0, 1, 1], "positive": [4, 0, 1, 2], "negative": [0, 1, 4, 5]}}`
	output = `{"loss": 1.65, "grads": {"anchor": [-0.5, 0.5, 0, 0], "positive": [0.5, 0, 0, 0], "negative": [0, -0.5, 0, 0]}}` + "\n"
)

func TestDriverBuildsRunsAndIsCached(t *testing.T) {
	c := newCache(t)
	files := kernelFiles(t)
	// Build from an unrelated directory: the result must not depend on it.
	t.Chdir(t.TempDir())
	exe, err := c.Driver(files)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(exe, c.Dir) {
		t.Errorf("driver %s is outside the cache %s", exe, c.Dir)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(exe)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(input), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if stdout.String() != output {
		t.Errorf("output\n got %s\nwant %s", stdout.String(), output)
	}

	before, err := os.Stat(exe)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Driver(files)
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(again)
	if err != nil {
		t.Fatal(err)
	}
	if again != exe || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("second call rebuilt the driver: %s then %s", exe, again)
	}

	changed := maps.Clone(files)
	changed["extra.go"] = []byte("package kernel\n")
	other, err := c.Driver(changed)
	if err != nil {
		t.Fatal(err)
	}
	if other == exe {
		t.Errorf("a different kernel reused the cache entry %s", exe)
	}
}

func TestConcurrentBuildsAgree(t *testing.T) {
	c := newCache(t)
	files := kernelFiles(t)
	const n = 4
	paths := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { paths[i], errs[i] = c.Driver(files) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if paths[i] != paths[0] {
			t.Errorf("concurrent builds gave %s and %s", paths[0], paths[i])
		}
	}
	entries, runtimes := cacheContents(t, c.Dir)
	if len(entries) != 1 || len(runtimes) != 1 {
		t.Errorf("cache holds entries %q and runtime copies %q, want one of each (temporary build directories must be gone)", entries, runtimes)
	}
}

// cacheContents lists the names in a cache directory: the runtime copies
// (runtime-*) apart from everything else.
func cacheContents(t *testing.T, dir string) (entries, runtimes []string) {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range list {
		if strings.HasPrefix(e.Name(), runtimePrefix) {
			runtimes = append(runtimes, e.Name())
		} else {
			entries = append(entries, e.Name())
		}
	}
	return entries, runtimes
}

func TestBrokenKernelIsAnInternalError(t *testing.T) {
	c := newCache(t)
	_, err := c.Driver(map[string][]byte{"kernel.go": []byte("package kernel\n\nfunc Eval64() {}\n")})
	if err == nil || !strings.Contains(err.Error(), "internal error: the generated kernel does not build") {
		t.Fatalf("err = %v", err)
	}
	// The runtime copy is shared with every other build and stays.
	if entries, runtimes := cacheContents(t, c.Dir); len(entries) != 0 || len(runtimes) > 1 {
		t.Errorf("a failed build left entries %q and runtime copies %q in the cache", entries, runtimes)
	}
}

func TestDefaultDirHonoursLOSSGEN_CACHE(t *testing.T) {
	t.Setenv("LOSSGEN_CACHE", "/tmp/lc")
	if dir, err := DefaultDir(); err != nil || dir != filepath.FromSlash("/tmp/lc/run") {
		t.Errorf("DefaultDir() = %q, %v", dir, err)
	}
}

// A broken entry is rebuilt, never run: a driver truncated, emptied, with a
// flipped bit, replaced by a script, or deleted (whose rebuild once failed
// with "rename: file exists" forever). A build directory left by a killed
// run is removed once it is old.
func TestBrokenEntryIsRebuilt(t *testing.T) {
	c := newCache(t)
	files := kernelFiles(t)
	exe, err := c.Driver(files)
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	runs := func(path string) bool {
		var stdout bytes.Buffer
		cmd := exec.Command(path)
		cmd.Stdin, cmd.Stdout = strings.NewReader(input), &stdout
		return cmd.Run() == nil && stdout.String() == output
	}
	for _, tt := range []struct {
		name  string
		spoil func()
	}{
		{"truncated", func() { os.WriteFile(exe, good[:len(good)/2], 0o755) }},
		{"empty", func() { os.WriteFile(exe, nil, 0o755) }},
		{"bit flip", func() {
			b := bytes.Clone(good)
			b[len(b)/3] ^= 0x10
			os.WriteFile(exe, b, 0o755)
		}},
		{"script", func() { os.WriteFile(exe, []byte("#!/bin/sh\necho '{\"loss\": 0}'\n"), 0o755) }},
		{"deleted", func() { os.Remove(exe) }},
		{"hash deleted", func() { os.Remove(filepath.Join(filepath.Dir(exe), hashFile)) }},
	} {
		tt.spoil()
		again, err := c.Driver(files)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if again != exe || !runs(again) {
			t.Errorf("%s: the rebuilt driver %s does not give the answer", tt.name, again)
		}
	}

	old := filepath.Join(c.Dir, ".build-123")
	fresh := filepath.Join(c.Dir, ".build-456")
	for _, d := range []string{old, fresh} {
		if err := os.MkdirAll(filepath.Join(d, "runtime"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * abandonedAge)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	changed := maps.Clone(files)
	changed["extra.go"] = []byte("package kernel\n")
	if _, err := c.Driver(changed); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the abandoned build directory is still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a build directory of a run that may be in progress was removed: %v", err)
	}
}

// Drivers of different kernels share one copy of the runtime, so the go
// command compiles the runtime once per cache, not once per build. A copy
// whose files were changed, removed or added to is rewritten before the
// next build uses it: a driver never runs another runtime than lossgen's.
func TestRuntimeCopyIsSharedAndRepaired(t *testing.T) {
	c := newCache(t)
	files := kernelFiles(t)
	exe, err := c.Driver(files)
	if err != nil {
		t.Fatal(err)
	}
	changed := maps.Clone(files)
	changed["extra.go"] = []byte("package kernel\n")
	other, err := c.Driver(changed)
	if err != nil {
		t.Fatal(err)
	}
	entries, runtimes := cacheContents(t, c.Dir)
	if other == exe || len(entries) != 2 || len(runtimes) != 1 {
		t.Fatalf("two kernels: drivers %s and %s, entries %q, runtime copies %q; want two entries and one runtime copy", exe, other, entries, runtimes)
	}
	mod, err := os.ReadFile(filepath.Join(filepath.Dir(other), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), filepath.ToSlash(filepath.Join(c.Dir, runtimes[0]))) {
		t.Errorf("the driver module does not use the runtime copy %s:\n%s", runtimes[0], mod)
	}

	rtDir := filepath.Join(c.Dir, runtimes[0])
	rt, err := runtimeTree()
	if err != nil {
		t.Fatal(err)
	}
	gemm := filepath.Join(rtDir, "runtime", "gemm.go")
	for _, tt := range []struct {
		name  string
		spoil func() error
	}{
		{"changed", func() error { return os.WriteFile(gemm, []byte("package lossrt\n"), 0o644) }},
		{"removed", func() error { return os.Remove(gemm) }},
		{"added", func() error {
			return os.WriteFile(filepath.Join(rtDir, "runtime", "extra.go"), []byte("package lossrt\n\nfunc init() { panic(1) }\n"), 0o644)
		}},
	} {
		if err := tt.spoil(); err != nil {
			t.Fatal(err)
		}
		if sameTree(rtDir, rt) {
			t.Fatalf("%s: the spoiled runtime copy still matches", tt.name)
		}
		if err := os.RemoveAll(filepath.Dir(exe)); err != nil {
			t.Fatal(err)
		}
		again, err := c.Driver(files)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !sameTree(rtDir, rt) {
			t.Errorf("%s: the runtime copy was not repaired", tt.name)
		}
		var stdout bytes.Buffer
		cmd := exec.Command(again)
		cmd.Stdin, cmd.Stdout = strings.NewReader(input), &stdout
		if err := cmd.Run(); err != nil || stdout.String() != output {
			t.Errorf("%s: the rebuilt driver gives %q, %v", tt.name, stdout.String(), err)
		}
	}
}
