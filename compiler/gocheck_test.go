package compiler_test

// This file type-checks generated packages in process, with go/types: the
// standard library from source, and lossgen's runtime package from its
// source in ../runtime, each type-checked once per test binary.

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/lossgen/lossgen/compiler"
)

const runtimePath = "github.com/lossgen/lossgen/runtime"

// goChecker is an importer shared by every check: packages it has loaded
// stay cached. It is not safe for concurrent use, hence the mutex.
var goChecker struct {
	sync.Mutex
	fset    *token.FileSet
	std     types.Importer
	runtime *types.Package
	err     error
	loaded  bool
	// imported holds the standard packages already imported: the source
	// importer caches their types too, but first locates each package on
	// disk again (go/build), which cost more than the checks themselves.
	imported map[string]*types.Package
}

func (*goCheckImporter) Import(path string) (*types.Package, error) {
	if path == runtimePath {
		return loadRuntime()
	}
	if p, ok := goChecker.imported[path]; ok {
		return p, nil
	}
	p, err := goChecker.std.Import(path)
	if err == nil {
		goChecker.imported[path] = p
	}
	return p, err
}

type goCheckImporter struct{}

// loadRuntime type-checks ../runtime (without its tests, and only the
// files the default build context selects) once.
func loadRuntime() (*types.Package, error) {
	if goChecker.loaded {
		return goChecker.runtime, goChecker.err
	}
	goChecker.loaded = true
	paths, err := filepath.Glob("../runtime/*.go")
	if err != nil {
		goChecker.err = err
		return nil, err
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		// Only the files of this platform's build: the assembly-backed
		// and pure-Go variants declare the same names.
		if ok, err := build.Default.MatchFile(filepath.Dir(p), filepath.Base(p)); err != nil || !ok {
			if err != nil {
				goChecker.err = err
				return nil, err
			}
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			goChecker.err = err
			return nil, err
		}
		f, err := parser.ParseFile(goChecker.fset, p, src, parser.SkipObjectResolution)
		if err != nil {
			goChecker.err = err
			return nil, err
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: goChecker.std}
	goChecker.runtime, goChecker.err = conf.Check(runtimePath, goChecker.fset, files, nil)
	return goChecker.runtime, goChecker.err
}

// generatedPath is the import path the generated package is checked as;
// compile with Options.ImportPath set to it for an external test package.
const generatedPath = "example.com/generated"

// typeCheck parses the generated files and type-checks them: as one
// package when the _test.go file is an internal test, or the package and
// then its external test package (package X_test), which imports it as
// generatedPath. It returns the parsed files for further inspection.
func typeCheck(files []compiler.File) ([]*ast.File, error) {
	goChecker.Lock()
	defer goChecker.Unlock()
	if goChecker.fset == nil {
		goChecker.fset = token.NewFileSet()
		goChecker.std = importer.ForCompiler(goChecker.fset, "source", nil)
		goChecker.imported = map[string]*types.Package{}
	}
	var asts, pkg, external []*ast.File
	for _, f := range files {
		a, err := parser.ParseFile(goChecker.fset, f.Name, f.Content, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("%s does not parse: %v", f.Name, err)
		}
		asts = append(asts, a)
		if strings.HasSuffix(a.Name.Name, "_test") {
			external = append(external, a)
		} else {
			pkg = append(pkg, a)
		}
	}
	checked, err := checkPackage(generatedPath, pkg, &goCheckImporter{})
	if err != nil || len(external) == 0 {
		return asts, err
	}
	if _, err := checkPackage(generatedPath+"_test", external, &withPackage{checked}); err != nil {
		return nil, fmt.Errorf("external test package: %v", err)
	}
	return asts, nil
}

// withPackage imports one checked package by its path, and everything
// else as goCheckImporter does.
type withPackage struct{ pkg *types.Package }

func (w *withPackage) Import(path string) (*types.Package, error) {
	if path == w.pkg.Path() {
		return w.pkg, nil
	}
	return (&goCheckImporter{}).Import(path)
}

// checkPackage type-checks files as the package at path.
func checkPackage(path string, files []*ast.File, imp types.Importer) (*types.Package, error) {
	var errs []string
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			if len(errs) < 10 {
				errs = append(errs, err.Error())
			}
		},
	}
	pkg, err := conf.Check(path, goChecker.fset, files, nil)
	if err != nil {
		if len(errs) == 0 {
			errs = append(errs, err.Error())
		}
		return nil, fmt.Errorf("generated package does not type-check:\n%s", strings.Join(errs, "\n"))
	}
	return pkg, nil
}

// checkDirectives requires that the only directive-like comment in the
// generated files (//go:..., //line, +build) is lossgen's own go:generate
// line, second in the first file: spec text reaches the output only inside
// comments that cannot turn into directives.
func checkDirectives(files []compiler.File, asts []*ast.File) error {
	for i, f := range asts {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text := c.Text
				if strings.HasPrefix(text, "/*") {
					return fmt.Errorf("%s: block comment %q", files[i].Name, text)
				}
				directive := strings.HasPrefix(text, "//go:") || strings.HasPrefix(text, "//line ") ||
					strings.HasPrefix(text, "//export ") || strings.HasPrefix(text, "//extern ") ||
					strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(text, "//")), "+build")
				if !directive {
					continue
				}
				if i == 0 && cg == f.Comments[0] && c == cg.List[1] && strings.HasPrefix(text, "//go:generate go tool lossgen compile ") {
					continue
				}
				return fmt.Errorf("%s: directive %q comes from the spec", files[i].Name, text)
			}
		}
	}
	for _, f := range files {
		for _, line := range strings.Split(string(f.Content), "\n") {
			if strings.Contains(line, "\r") {
				return fmt.Errorf("%s: carriage return in %q", f.Name, line)
			}
		}
	}
	return nil
}
