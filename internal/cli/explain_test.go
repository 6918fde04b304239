package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	spec := filepath.Join("..", "..", "specs", "triplet.loss")
	bad := filepath.Join(t.TempDir(), "bad.loss")
	if err := os.WriteFile(bad, []byte("loss bad {\n    input x[N]\n    loss = sum(i: y[i])\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		code   int
		stdout string // a substring
		stderr string // a substring
	}{
		{[]string{"explain", spec}, 0, "∂L/∂anchor[i,k] += 2·∂L/∂dap_sum[i]·(anchor[i,k] − positive[i,k])", ""},
		{[]string{"explain", "-format", "latex", spec}, 0, `\begin{align*}`, ""},
		{[]string{"explain", spec, "-format=dot"}, 0, `digraph "triplet" {`, ""},
		{[]string{"explain", "-schedule", spec}, 0, "row kernels lossrt.SqDist, lossrt.SqDist along k, one call per row", ""},
		{[]string{"explain", "-schedule", "-format", "dot", spec}, 2, "", "-schedule prints text: drop -format dot"},
		{[]string{"explain", "-h"}, 0, "Example:", ""},
		{[]string{"help", "explain"}, 0, "lossgen explain specs/triplet.loss", ""},
		{[]string{"-h"}, 0, "explain", ""},
		{[]string{"explain"}, 2, "", "no spec given"},
		{[]string{"explain", spec, spec}, 2, "", "one spec at a time"},
		{[]string{"explain", "-format", "pdf", spec}, 2, "", `-format "pdf": want text, latex or dot`},
		{[]string{"explain", "-frobnicate", spec}, 2, "", "flag provided but not defined"},
		{[]string{"explain", bad}, 1, "", "bad.loss:3:19: unknown name y"},
		{[]string{"explain", filepath.Join(t.TempDir(), "missing.loss")}, 1, "", "missing.loss"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Main(tt.args, &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("lossgen %q: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				tt.args, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.stderr)
		}
		if tt.code != 0 && stdout.Len() > 0 {
			t.Errorf("lossgen %q: exit %d but wrote to standard output: %q", tt.args, code, stdout.String())
		}
	}
}

// TestExplainScheduleGolden checks that explain -schedule prints the
// schedule pinned in compiler/testdata/schedule.
func TestExplainScheduleGolden(t *testing.T) {
	for _, name := range []string{"softmax", "batch_hard_triplet"} {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"explain", "-schedule", filepath.Join("..", "..", "specs", name+".loss")}, &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
		if code != 0 {
			t.Fatalf("explain -schedule %s: exit %d: %s", name, code, stderr.String())
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "compiler", "testdata", "schedule", name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		if stdout.String() != string(want) {
			t.Errorf("explain -schedule %s differs from compiler/testdata/schedule/%s.txt:\n%s", name, name, stdout.String())
		}
	}
}
