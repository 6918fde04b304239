package cli

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lossgen/lossgen/compiler"
)

// lossgenMain runs the command line in-process.
func lossgenMain(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// writeSumSpec writes a one-line loss named name into dir/file.
func writeSumSpec(t *testing.T, dir, file, name string) string {
	t.Helper()
	path := filepath.Join(dir, file)
	src := "// A sum, for the tests of compile.\nloss " + name + " {\n    input x[N]\n    loss = sum(i: x[i]) / 2\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// packageClauses returns the package name of every Go file in dir, and
// fails if there is none.
func packageClauses(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: no Go files (%v)", dir, err)
	}
	var names []string
	for _, f := range files {
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, ast.Name.Name)
	}
	return names
}

// requirePackage checks that every file of dir is package want.
func requirePackage(t *testing.T, dir, want string) {
	t.Helper()
	for _, got := range packageClauses(t, dir) {
		if got != want {
			t.Errorf("%s: package %s, want %s", dir, got, want)
		}
	}
}

// generateLine returns the //go:generate line of the package in dir.
func generateLine(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	re := regexp.MustCompile(`(?m)^//go:generate go tool (lossgen compile .*)$`)
	var found []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			found = append(found, m[1])
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d //go:generate lines, want 1: %q", dir, len(found), found)
	}
	return found[0]
}

// The case: -o internal/loss/costriplet gave package cos_triplet.
// Now the package clause is the cleaned base name of -o, the loss keeps
// its name, and the recorded command needs no -pkg.
func TestCompileOutOneSpec(t *testing.T) {
	tmp := t.TempDir()
	spec, err := filepath.Abs(filepath.Join("..", "..", "specs", "cos_triplet.loss"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "internal", "loss", "costriplet")
	if code, _, stderr := lossgenMain("compile", "-o", out, spec); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	requirePackage(t, out, "costriplet")
	src, err := os.ReadFile(filepath.Join(out, "cos_triplet.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// Package costriplet computes the cos_triplet loss and its exact gradients.",
		"\tName: \"cos_triplet\",\n",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("cos_triplet.go lacks %q", want)
		}
	}
	if got, want := generateLine(t, out), "lossgen compile -o . ../../../"; !strings.HasPrefix(got, want) || strings.Contains(got, "-pkg") {
		t.Errorf("go:generate line %q, want %q... without -pkg", got, want)
	}
	// The same spec compiled to a directory whose name is not clean.
	out2 := filepath.Join(tmp, "cos_triplet")
	if code, _, stderr := lossgenMain("compile", "-o", out2, spec); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	requirePackage(t, out2, "costriplet")
}

// TestCompilePackageClauseIsCleanedOutBase: for any -o, the package clause
// of the compiled package is PackageName of -o's base name (of its
// absolute path for -o . and -o ..).
func TestCompilePackageClauseIsCleanedOutBase(t *testing.T) {
	tmp := t.TempDir()
	spec := writeSumSpec(t, tmp, "half.loss", "half_sum")
	for _, out := range []string{"half_sum", "My-Loss", "Losses.V2", filepath.Join("a", "b", "ReID_baseline"), "x_1"} {
		dir := filepath.Join(tmp, "out", out)
		if code, _, stderr := lossgenMain("compile", "-o", dir, spec); code != 0 {
			t.Fatalf("-o %s: exit %d: %s", out, code, stderr)
		}
		want, err := compiler.PackageName(filepath.Base(out))
		if err != nil {
			t.Fatal(err)
		}
		requirePackage(t, dir, want)
		if line := generateLine(t, dir); strings.Contains(line, "-pkg") {
			t.Errorf("-o %s: go:generate line %q carries -pkg", out, line)
		}
	}
	// -o . and -o .. name the package after the directory itself.
	here := filepath.Join(tmp, "Here_Dir", "sub")
	if err := os.MkdirAll(here, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(here)
	if code, _, stderr := lossgenMain("compile", "-o", ".", spec); code != 0 {
		t.Fatalf("-o .: exit %d: %s", code, stderr)
	}
	requirePackage(t, ".", "sub")
	if code, _, stderr := lossgenMain("compile", "-o", "..", spec); code != 0 {
		t.Fatalf("-o ..: exit %d: %s", code, stderr)
	}
	requirePackage(t, "..", "heredir")
}

// -o is one package's directory: with several specs it is a usage error
// that points at -dir, and nothing is written.
func TestCompileOutWithSeveralSpecsIsUsageError(t *testing.T) {
	tmp := t.TempDir()
	a := writeSumSpec(t, tmp, "a.loss", "a")
	b := writeSumSpec(t, tmp, "b.loss", "b")
	out := filepath.Join(tmp, "gen")
	for _, args := range [][]string{
		{"compile", "-o", out, a, b},
		{"compile", "-check", "-o", out, a, b},
		{"compile", "-o", out, "-dir", out, a},
	} {
		code, stdout, stderr := lossgenMain(args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "-dir") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and a message naming -dir", args, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a usage error created %s", out)
	}
}

// -dir ROOT puts each spec in ROOT/NAME, NAME its loss name cleaned (not
// its file name); without -o or -dir, ROOT is the working directory.
func TestCompileDirSeveralSpecs(t *testing.T) {
	tmp := t.TempDir()
	specs := []string{
		writeSumSpec(t, tmp, "cos_triplet.loss", "cos_triplet"),
		writeSumSpec(t, tmp, "other_file.loss", "Center_Loss"),
		writeSumSpec(t, tmp, "plain.loss", "plain"),
	}
	root := filepath.Join(tmp, "gen")
	if code, _, stderr := lossgenMain(append([]string{"compile", "-dir", root}, specs...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		dirs = append(dirs, e.Name())
	}
	if want := []string{"centerloss", "costriplet", "plain"}; !slices.Equal(dirs, want) {
		t.Errorf("%s holds %q, want %q", root, dirs, want)
	}
	for _, d := range dirs {
		requirePackage(t, filepath.Join(root, d), d)
		if line := generateLine(t, filepath.Join(root, d)); strings.Contains(line, "-pkg") {
			t.Errorf("%s: go:generate line %q carries -pkg", d, line)
		}
	}

	// No -o and no -dir: the working directory is the root.
	work := filepath.Join(tmp, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	if code, _, stderr := lossgenMain(append([]string{"compile"}, specs...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, d := range dirs {
		requirePackage(t, d, d)
	}

	// Two losses whose names clean to one directory are refused.
	clash := writeSumSpec(t, tmp, "clash.loss", "CosTriplet")
	code, _, stderr := lossgenMain("compile", "-dir", root, specs[0], clash)
	if code != 2 || !strings.Contains(stderr, "would both be written to") {
		t.Errorf("clash: exit %d, stderr %q", code, stderr)
	}
	// A loss name that gives no package name asks for -pkg.
	bad := writeSumSpec(t, tmp, "type.loss", "type")
	code, _, stderr = lossgenMain("compile", "-dir", root, bad)
	if code != 2 || !strings.Contains(stderr, "Go keyword") || !strings.Contains(stderr, "-pkg") {
		t.Errorf("loss type with -dir: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := lossgenMain("compile", "-dir", root, "-pkg", "typeloss", bad); code != 0 {
		t.Errorf("loss type with -dir -pkg typeloss: exit %d, stderr %q", code, stderr)
	}
	requirePackage(t, filepath.Join(root, "typeloss"), "typeloss")
}

// -pkg overrides the directory's name; the go:generate line records it
// exactly when the directory does not give it, so that running that line
// in the package directory reproduces the package byte for byte.
func TestCompilePkgOverride(t *testing.T) {
	tmp := t.TempDir()
	spec := writeSumSpec(t, tmp, "half.loss", "half")
	cases := []struct {
		out, pkg string
		flag     bool // -pkg recorded
	}{
		{"losses", "mine", true},
		{"mine", "mine", false},
		{"My_Pkg", "myPkg", true},
		{"my_pkg", "mypkg", false},
		{"2fa", "twofa", true}, // the directory gives no name at all
		{"type", "typ", true},
	}
	for _, c := range cases {
		dir := filepath.Join(tmp, c.pkg+"-"+c.out, c.out)
		if code, _, stderr := lossgenMain("compile", "-o", dir, "-pkg", c.pkg, spec); code != 0 {
			t.Fatalf("-o %s -pkg %s: exit %d: %s", c.out, c.pkg, code, stderr)
		}
		requirePackage(t, dir, c.pkg)
		line := generateLine(t, dir)
		if got := strings.Contains(line, "-pkg "+c.pkg+" "); got != c.flag {
			t.Errorf("-o %s -pkg %s: go:generate line %q; -pkg recorded: %v, want %v", c.out, c.pkg, line, got, c.flag)
		}
		// What go generate does: the recorded command, in the package
		// directory, must find nothing to change.
		args := strings.Fields(strings.TrimPrefix(line, "lossgen "))
		args = append([]string{args[0], "-check"}, args[1:]...)
		t.Chdir(dir)
		if code, stdout, stderr := lossgenMain(args...); code != 0 {
			t.Errorf("-o %s -pkg %s: the go:generate line %q would change the package: exit %d\n%s%s", c.out, c.pkg, line, code, stdout, stderr)
		}
	}

	// Without -pkg, a directory that gives no name is a usage error that
	// suggests -pkg, and nothing is written.
	for _, out := range []string{"2fa", "type", "main", "len", "__"} {
		dir := filepath.Join(tmp, "bad", out)
		code, _, stderr := lossgenMain("compile", "-o", dir, spec)
		if code != 2 || !strings.Contains(stderr, "-pkg NAME") {
			t.Errorf("-o %s: exit %d, stderr %q; want exit 2 suggesting -pkg", out, code, stderr)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("-o %s: a usage error created the directory", out)
		}
	}

	// An invalid -pkg is refused with a reason.
	for pkg, why := range map[string]string{
		"my-pkg": "not a Go identifier",
		"2fa":    "not a Go identifier",
		"func":   "Go keyword",
		"_":      "blank identifier",
		"main":   "command",
		"init":   "cannot be imported",
	} {
		code, _, stderr := lossgenMain("compile", "-o", filepath.Join(tmp, "p"), "-pkg", pkg, spec)
		if code != 2 || !strings.Contains(stderr, "-pkg "+`"`+pkg+`"`) || !strings.Contains(stderr, why) {
			t.Errorf("-pkg %s: exit %d, stderr %q; want exit 2 saying %q", pkg, code, stderr, why)
		}
	}
}

// -check looks at exactly the directories compile would write: with -o the
// package directory (a parent given by mistake is out of date, not
// silently current), with -dir each ROOT/NAME.
func TestCompileCheckOutAndDir(t *testing.T) {
	tmp := t.TempDir()
	a := writeSumSpec(t, tmp, "a_loss.loss", "a_loss")
	b := writeSumSpec(t, tmp, "b.loss", "b")
	root := filepath.Join(tmp, "gen")
	if code, _, stderr := lossgenMain("compile", "-dir", root, a, b); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	snap := func() map[string]string {
		m := map[string]string{}
		filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(p)
				m[p] = string(data)
			}
			return nil
		})
		return m
	}
	before := snap()
	check := func(want int, wantOut string, args ...string) {
		t.Helper()
		code, stdout, stderr := lossgenMain(append([]string{"compile", "-check"}, args...)...)
		if code != want || !strings.Contains(stdout, wantOut) || (wantOut == "" && stdout != "") {
			t.Errorf("compile -check %q: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q", args, code, stdout, stderr, want, wantOut)
		}
	}
	check(0, "", "-dir", root, a, b)
	check(0, "", "-o", filepath.Join(root, "aloss"), a)
	check(0, "", "-o", filepath.Join(root, "b"), b)
	// The mistake -o used to allow: the parent directory is not the package.
	check(1, "out of date: write "+filepath.Join(root, "a_loss.go"), "-o", root, a)
	// Another package name is another output.
	check(1, "out of date: write", "-o", filepath.Join(root, "b"), "-pkg", "other", b)
	if after := snap(); len(after) != len(before) {
		t.Fatalf("-check wrote files")
	}

	// A stale file is reported by both forms.
	stale := filepath.Join(root, "aloss", "a_loss_float32.go")
	if err := os.WriteFile(stale, []byte(before[stale]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check(1, "out of date: write "+stale, "-dir", root, a, b)
	check(1, "out of date: write "+stale, "-o", filepath.Join(root, "aloss"), a)
	if code, _, stderr := lossgenMain("compile", "-dir", root, a, b); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	check(0, "", "-dir", root, a, b)
}
