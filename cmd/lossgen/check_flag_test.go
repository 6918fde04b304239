package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileCheckReportsStaleOutput: -check writes nothing, exits 0 when
// the output is current and 1, naming each file, when it is not.
func TestCompileCheckReportsStaleOutput(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(repoRoot, "specs", "triplet.loss")
	out := filepath.Join(dir, "triplet")

	r := lossgen(t, dir, "", "compile", "-check", "-o", out, spec)
	if r.code != 1 || !strings.Contains(r.stdout, "out of date: write "+filepath.Join(out, "triplet.go")) {
		t.Fatalf("missing output: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("-check created the output directory")
	}

	if r := lossgen(t, dir, "", "compile", "-o", out, spec); r.code != 0 {
		t.Fatalf("compile: exit %d: %s", r.code, r.stderr)
	}
	if r := lossgen(t, dir, "", "compile", "-check", "-o", out, spec); r.code != 0 || r.stdout != "" {
		t.Fatalf("current output: exit %d, stdout %q", r.code, r.stdout)
	}

	edited := filepath.Join(out, "triplet_float64.go")
	content, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, append(content, "\n// edited by hand\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, "old_float16.go")
	header := strings.SplitN(string(content), "\n", 2)[0]
	if err := os.WriteFile(stale, []byte(header+"\n\npackage triplet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = lossgen(t, dir, "", "compile", "-check", "-o", out, spec)
	if r.code != 1 || !strings.Contains(r.stdout, "write "+edited) || !strings.Contains(r.stdout, "remove "+stale) {
		t.Fatalf("stale output: exit %d, stdout %q", r.code, r.stdout)
	}
	if after, _ := os.ReadFile(edited); string(after) == string(content) {
		t.Fatal("-check rewrote a file")
	}
}
