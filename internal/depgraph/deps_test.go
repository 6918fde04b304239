package depgraph

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/lossgen/lossgen"

// allowed maps a package directory (relative to the module root; a trailing
// "/..." covers its subdirectories) to the non-standard imports it may use.
// Test files are held to the same rule except that they may also use testify
// and the packages they test against.
var allowed = map[string][]string{
	"dsl":               {"github.com/alecthomas/participle/v2", "github.com/alecthomas/participle/v2/lexer"},
	"dsl/interp":        {module + "/dsl"},
	"ir":                {module + "/dsl"},
	"autodiff":          {module + "/ir"},
	"codegen":           {module + "/ir", module + "/dsl", "github.com/dave/jennifer/jen"},
	"compiler":          {module + "/dsl", module + "/dsl/interp", module + "/ir", module + "/autodiff", module + "/codegen"},
	"runtime":           {},
	"runtime/rundriver": {module + "/runtime"},
	"generated/...":     {module + "/runtime"},
}

func TestImportGraph(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		rule, ok := ruleFor(rel)
		if !ok {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if isStd(p) || contains(rule, p) {
				continue
			}
			t.Errorf("%s imports %s; %s may import only the standard library and %v", path, p, rel, rule)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ruleFor(dir string) ([]string, bool) {
	if r, ok := allowed[dir]; ok {
		return r, true
	}
	keys := make([]string, 0, len(allowed))
	for k := range allowed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if prefix, ok := strings.CutSuffix(k, "/..."); ok && strings.HasPrefix(dir, prefix+"/") {
			return allowed[k], true
		}
	}
	return nil, false
}

// isStd reports whether an import path belongs to the standard library:
// its first element has no dot.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// TestEveryStageHasARule keeps the table complete: a new package under one
// of the pipeline's folders must be given a rule.
func TestEveryStageHasARule(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, top := range []string{"dsl", "ir", "autodiff", "codegen", "compiler", "runtime", "generated"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() || d.Name() == "testdata" {
				if d != nil && d.IsDir() && d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return err
			}
			entries, _ := os.ReadDir(path)
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
					rel, _ := filepath.Rel(root, path)
					if _, ok := ruleFor(filepath.ToSlash(rel)); !ok {
						t.Errorf("package %s has no import rule in deps_test.go", rel)
					}
					break
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
