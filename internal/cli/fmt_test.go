package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fmtMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(append([]string{"fmt"}, args...), &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

const (
	uglySpec = "loss ugly {\n  input x[N]\n  // the result\n  loss=sum(i:(x[i]*2))  // trailing\n}\n"
	niceSpec = "loss ugly {\n    input x[N]\n    // the result\n    loss = sum(i: x[i] * 2) // trailing\n}\n"
)

func writeSpec(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFmt(t *testing.T) {
	dir := t.TempDir()
	ugly := writeSpec(t, dir, "ugly.loss", uglySpec)
	nice := writeSpec(t, dir, "nice.loss", niceSpec)
	bad := writeSpec(t, dir, "bad.loss", "loss bad {\n  x = (1 +\n}\n")
	triplet := filepath.Join("..", "..", "specs", "triplet.loss")
	tripletSrc, err := os.ReadFile(triplet)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args           []string
		code           int
		stdout, stderr string // stdout exactly (unless "*"), stderr a substring
	}{
		{[]string{ugly}, 0, niceSpec, ""},
		{[]string{triplet}, 0, string(tripletSrc), ""},
		{[]string{ugly, nice}, 0, niceSpec + niceSpec, ""},
		{[]string{"-l", ugly, nice, triplet}, 0, ugly + "\n", ""},
		{[]string{"-d", nice}, 0, "", ""},
		{[]string{"-d", ugly}, 0, "--- " + ugly + "\n+++ " + ugly + " (formatted)\n@@ -1,5 +1,5 @@\n loss ugly {\n" +
			"-  input x[N]\n-  // the result\n-  loss=sum(i:(x[i]*2))  // trailing\n" +
			"+    input x[N]\n+    // the result\n+    loss = sum(i: x[i] * 2) // trailing\n }\n", ""},
		{[]string{"-l", bad, ugly}, 1, ugly + "\n", "bad.loss:3:1: unexpected \"}\" (expected expression)"},
		{[]string{bad}, 1, "", "bad.loss:3:1"},
		{[]string{filepath.Join(dir, "missing.loss")}, 1, "", "lossgen fmt: stat "},
		{[]string{}, 2, "", "no spec given"},
		{[]string{"-x", ugly}, 2, "", "flag provided but not defined"},
		{[]string{"-h"}, 0, "*", ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := fmtMain(t, tt.args...)
		if code != tt.code || (tt.stdout != "*" && stdout != tt.stdout) || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("lossgen fmt %q: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr with %q",
				tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
	// Nothing above wrote a file.
	if got, _ := os.ReadFile(ugly); string(got) != uglySpec {
		t.Fatalf("ugly.loss changed without -w: %q", got)
	}
}

func TestFmtWrite(t *testing.T) {
	dir := t.TempDir()
	ugly := writeSpec(t, dir, "ugly.loss", uglySpec)
	bad := writeSpec(t, dir, "bad.loss", "loss bad {\n  x = (1 +\n}\n")
	code, stdout, stderr := fmtMain(t, "-w", "-l", ugly, bad)
	if code != 1 || stdout != ugly+"\n" || !strings.Contains(stderr, "bad.loss:3:1") {
		t.Fatalf("fmt -w -l: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	got, err := os.ReadFile(ugly)
	if err != nil || string(got) != niceSpec {
		t.Fatalf("after -w: %q, %v; want %q", got, err, niceSpec)
	}
	info, err := os.Stat(ugly)
	if err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("after -w: mode %v, %v; want the original -rw-r-----", info.Mode(), err)
	}
	if got, _ := os.ReadFile(bad); string(got) != "loss bad {\n  x = (1 +\n}\n" {
		t.Errorf("a spec with errors was rewritten: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// Formatted: -w -l again lists nothing and writes nothing.
	if code, stdout, stderr := fmtMain(t, "-w", "-l", ugly); code != 0 || stdout != "" || stderr != "" {
		t.Errorf("second fmt -w -l: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestFmtHelp(t *testing.T) {
	var out bytes.Buffer
	if code := Main([]string{"help", "fmt"}, &Env{Stdout: &out, Stderr: &out}); code != 0 || !strings.Contains(out.String(), "lossgen fmt -w specs/arcface.loss") {
		t.Errorf("help fmt: exit %d, %q", code, out.String())
	}
	out.Reset()
	Main([]string{"-h"}, &Env{Stdout: &out, Stderr: &out})
	if !strings.Contains(out.String(), "fmt      rewrite specs in the canonical layout") {
		t.Errorf("lossgen -h does not list fmt:\n%s", out.String())
	}
}
