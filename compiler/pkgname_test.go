package compiler_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
)

// TestPackageName pins the naming rule: lower case, only [a-z0-9] kept,
// and a clear error where nothing usable is left.
func TestPackageName(t *testing.T) {
	good := map[string]string{
		"triplet":          "triplet",
		"cos_triplet":      "costriplet",
		"cross_entropy_ls": "crossentropyls",
		"My-Loss":          "myloss",
		"ReID Baseline":    "reidbaseline",
		"v2_loss":          "v2loss",
		"loss.v2":          "lossv2",
		"Ωmega_x":          "megax", // non-ASCII letters are dropped too
		"x_1":              "x1",
		"maxloss":          "maxloss",
		"mathx":            "mathx",
	}
	for in, want := range good {
		got, err := compiler.PackageName(in)
		if err != nil || got != want {
			t.Errorf("PackageName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":        "empty",
		"___":     "empty",
		"Ω":       "empty",
		"/":       "empty",
		"2fa":     "starts with a digit",
		"_1_loss": "starts with a digit",
		"type":    "Go keyword",
		"Func":    "Go keyword",
		"go":      "Go keyword",
		"main":    "command",
		"init":    "cannot be imported",
		"len":     "predeclared",
		"max":     "predeclared",
		"string":  "predeclared",
		"nil":     "predeclared",
		"any":     "predeclared",
	}
	for in, want := range bad {
		got, err := compiler.PackageName(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("PackageName(%q) = %q, %v; want an error saying %q", in, got, err, want)
		}
	}
	_, err := compiler.PackageName("_Type")
	require.ErrorContains(t, err, `"_Type" gives the package name "type", which is a Go keyword`)
}

// TestCheckPackage: an explicit package name is taken as it is if Go
// accepts it as a library's name.
func TestCheckPackage(t *testing.T) {
	for _, ok := range []string{"mine", "cos_triplet", "MyLoss", "x2", "len"} {
		require.NoError(t, compiler.CheckPackage(ok), ok)
	}
	for bad, why := range map[string]string{
		"":      "not a Go identifier",
		"2fa":   "not a Go identifier",
		"my-pk": "not a Go identifier",
		"a b":   "not a Go identifier",
		"func":  "Go keyword",
		"_":     "blank identifier",
		"main":  "command",
		"init":  "cannot be imported",
	} {
		err := compiler.CheckPackage(bad)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("CheckPackage(%q) = %v; want an error saying %q", bad, err, why)
		}
	}
}

// TestDefaultPackage: without Options.Package the package is the loss name
// by the same rule, and a loss name that gives no usable package still
// gives a valid one; no -pkg is recorded unless PkgFlag asks for it.
func TestDefaultPackage(t *testing.T) {
	for loss, want := range map[string]string{"cos_triplet": "costriplet", "Triplet": "triplet", "type": "losstype", "main": "lossmain", "_": "loss", "_1": "loss1", "len": "losslen"} {
		src := "loss " + loss + " {\n    input x[N]\n    loss = sum(i: x[i])\n}\n"
		files, err := compiler.Compile("p.loss", []byte(src), compiler.Options{Types: []string{"float64"}})
		if err != nil {
			t.Errorf("loss %s: %v", loss, err)
			continue
		}
		for _, f := range files {
			require.Contains(t, string(f.Content), "\npackage "+want+"\n", "loss %s, %s", loss, f.Name)
			require.NotContains(t, string(f.Content), "-pkg", "loss %s, %s", loss, f.Name)
		}
		require.Contains(t, string(files[0].Content), "computes the "+loss+" loss", "the loss keeps its own name")
	}
}

// TestShippedPackagesFollowTheirDirectories: generated/ holds exactly one
// directory per shipped spec, named by PackageName of its loss name, and
// the package clause of every file there is that directory's name, as go
// generate (-o .) in the directory gives it.
func TestShippedPackagesFollowTheirDirectories(t *testing.T) {
	var want []string
	for _, s := range shippedSpecs(t) {
		pkg, err := compiler.PackageName(s.name)
		require.NoError(t, err)
		want = append(want, pkg)
	}
	sort.Strings(want)
	entries, err := os.ReadDir(filepath.Join("..", "generated"))
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "testdata" {
			got = append(got, e.Name())
		}
	}
	require.Equal(t, want, got, "generated/ must hold one package directory per spec")
	for _, dir := range got {
		files, err := filepath.Glob(filepath.Join("..", "generated", dir, "*.go"))
		require.NoError(t, err)
		require.NotEmpty(t, files)
		for _, f := range files {
			ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.PackageClauseOnly)
			require.NoError(t, err)
			want := dir
			if strings.HasSuffix(f, "_test.go") {
				want += "_test" // the external test package
			}
			require.Equal(t, want, ast.Name.Name, f)
			head, err := os.ReadFile(f)
			require.NoError(t, err)
			first, _, _ := strings.Cut(string(head), "\n")
			require.NotContains(t, first, "-pkg", "%s: the directory gives the name; no -pkg is needed", f)
		}
	}
}
