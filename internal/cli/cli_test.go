package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args []string
		o    string
		pos  []string
	}{
		{[]string{"a.loss"}, "", []string{"a.loss"}},
		{[]string{"-o", "out", "a.loss", "b.loss"}, "out", []string{"a.loss", "b.loss"}},
		{[]string{"a.loss", "-o", "out"}, "out", []string{"a.loss"}},
		{[]string{"a.loss", "-o=out", "b.loss"}, "out", []string{"a.loss", "b.loss"}},
		{[]string{"-o", "out", "--", "-weird.loss", "-o"}, "out", []string{"-weird.loss", "-o"}},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		o := fs.String("o", "", "")
		pos, err := parseInterspersed(fs, tt.args)
		if err != nil || *o != tt.o || !slices.Equal(pos, tt.pos) {
			t.Errorf("parseInterspersed(%q) = %q, -o %q, %v; want %q, -o %q", tt.args, pos, *o, err, tt.pos, tt.o)
		}
	}
}

func TestSpecPathFrom(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct{ dir, spec, want string }{
		{"generated/triplet", "specs/triplet.loss", "../../specs/triplet.loss"},
		{".", "specs/triplet.loss", "specs/triplet.loss"},
		{"specs", "specs/triplet.loss", "triplet.loss"},
		{"a/../gen", "./specs/x.loss", "../specs/x.loss"},
	}
	for _, tt := range tests {
		if got := specPathFrom(filepath.FromSlash(tt.dir), filepath.FromSlash(tt.spec)); got != tt.want {
			t.Errorf("specPathFrom(%q, %q) = %q, want %q", tt.dir, tt.spec, got, tt.want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string // a substring
		stderr string // a substring
	}{
		{nil, 2, "", "Usage:"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"-h"}, 0, "Commands:", ""},
		{[]string{"help", "run"}, 0, "usage: lossgen run", ""},
		{[]string{"compile", "-h"}, 0, "Examples:", ""},
		{[]string{"compile", "-type", "int8", "a.loss"}, 2, "", `-type "int8": want float32, float64 or both`},
		{[]string{"compile", "-pkg", "p", "a.loss", "b.loss"}, 2, "", "-pkg names one package"},
		{[]string{"compile", "-o", "out", "a.loss", "b.loss"}, 2, "", "use -dir ROOT"},
		{[]string{"compile", "-o", "out", "-dir", "gen", "a.loss"}, 2, "", "-o and -dir cannot be used together"},
		{[]string{"compile", "-pkg", "my-pkg", "a.loss"}, 2, "", `-pkg "my-pkg" is not a valid Go package name`},
		{[]string{"compile", filepath.Join(t.TempDir(), "missing.loss")}, 1, "", "missing.loss"},
		{[]string{"run", "-type", "float16", "a.loss"}, 2, "", `-type "float16": want float32 or float64`},
		{[]string{"version"}, 0, "lossgen ", ""},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Main(tt.args, &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("lossgen %q: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				tt.args, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.stderr)
		}
	}
}

func TestDisplayPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"specs/x.loss":                       "specs/x.loss",
		filepath.Join(wd, "specs", "x.loss"): filepath.Join("specs", "x.loss"),
		"/elsewhere/x.loss":                  "/elsewhere/x.loss",
	}
	for in, want := range cases {
		if got := displayPath(in); got != want {
			t.Errorf("displayPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// The spec a command is given is read as a used spec is: a regular file of
// at most 1 MiB. A device or FIFO would block or never end, a huge file
// would fill memory; each is a one-line error and exit 1, and nothing else
// (no build) happens.
func TestSpecReadIsBounded(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.loss")
	if err := os.WriteFile(big, bytes.Repeat([]byte("// comment\n"), 200000), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{"/dev/zero", big} {
		for _, cmd := range []string{"run", "compile", "check", "bench", "explain", "fmt"} {
			var out, errb bytes.Buffer
			code := Main([]string{cmd, spec}, &Env{Stdin: strings.NewReader("{}"), Stdout: &out, Stderr: &errb})
			if code != 1 || strings.Count(errb.String(), "\n") != 1 ||
				!(strings.Contains(errb.String(), "not a regular file") || strings.Contains(errb.String(), "larger than")) {
				t.Errorf("lossgen %s %s: exit %d, stderr %q", cmd, spec, code, errb.String())
			}
		}
	}
}

// A use outside the spec's directory tree needs -I, on every command that
// loads a spec; with it, compile records the directory in the go:generate
// line relative to the package, so go generate finds it again.
func TestIncludeDirs(t *testing.T) {
	base := t.TempDir()
	for _, d := range []string{"lib", "proj", "out"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(base, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lib/half.loss", "loss half {\n    input x[N]\n    loss = sum(i: x[i]) / 2\n}\n")
	write("proj/top.loss", "loss top {\n    use \"../lib/half.loss\" as h\n    input x[N]\n    loss = h(x: x)\n}\n")
	spec, lib, out := filepath.Join(base, "proj", "top.loss"), filepath.Join(base, "lib"), filepath.Join(base, "out")
	main := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := Main(args, &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
		return code, stderr.String()
	}
	for _, cmd := range [][]string{{"compile", "-o", out}, {"explain"}} {
		code, stderr := main(append(cmd, spec)...)
		if code != 1 || !strings.Contains(stderr, "used spec ../lib/half.loss is outside the directory of top.loss") || !strings.Contains(stderr, "-I") {
			t.Errorf("%v without -I: exit %d, stderr %q", cmd, code, stderr)
		}
		code, stderr = main(append(append(cmd, "-I", lib), spec)...)
		if code != 0 {
			t.Errorf("%v -I: exit %d, stderr %q", cmd, code, stderr)
		}
	}
	src, err := os.ReadFile(filepath.Join(out, "top.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "compile -I ../lib -o . ../proj/top.loss") {
		t.Errorf("the go:generate line does not carry -I:\n%s", src)
	}
}
