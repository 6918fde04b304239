package compiler_test

import (
	"errors"
	"go/ast"
	"go/token"
	"regexp"
	"testing"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
)

// hostileNames are spec names that have broken generated Go: Go keywords,
// the predeclared identifiers, the workspace's own fields and methods, the
// package's types, the generator's temporaries and imports, and case
// variants of them.
var hostileNames = func() []string {
	names := []string{
		"main", "init", "true", "nil", "len", "cap", "copy", "clear", "real", "int", "float64", "error", "any", "iota",
		"ws", "in", "grad", "scale", "err", "lo", "hi", "parts", "math", "fmt", "lossrt", "testing",
		"CheckFinite", "Params", "dims", "pool", "gemm", "Loss", "Grad", "GradAccum", "SetWorkers", "Update", "Dims",
		"check", "checkGrads", "checkAlias", "forward", "backward", "update", "validate", "dimsFrom", "Info",
		"forwardPart0", "backwardPart1", "Grads64", "Grads32", "Inputs64", "Workspace32", "NewWorkspace64", "Eval64", "parts64",
		"t1", "g2", "h3", "acc0", "best", "arg", "mx", "sumExp", "cnt", "v", "rowScale", "adjX", "lossSum",
		"CHECK", "Forward", "Pool", "LOSS", "Main",
	}
	for _, k := range []string{"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
		"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select",
		"struct", "switch", "type", "var"} {
		names = append(names, k)
	}
	return names
}()

// TestHostileNames gives each name of a spec, in turn, every hostile name:
// the spec is either rejected with a diagnostic, or compiled into a package
// that type-checks, is not a command or unimportable (package main, init),
// and has exported Dims fields (a caller in another package sets them).
func TestHostileNames(t *testing.T) {
	const base = `loss probe {
    param margin = 0.3
    input anchor[N, D]
    input negative[N, D]
    input labels[N] int

    dap[i] = sqrt(sum(k: (anchor[i, k] - negative[i, k])^2))
    cnt2[i] = count(j | labels[j] == labels[i])
    loss   = mean(i: relu(dap[i] - margin) * cnt2[i])
}
`
	roles := []string{"probe", "margin", "anchor", "N", "dap", "k", "j", "labels"}
	accepted := 0
	for _, role := range roles {
		word := regexp.MustCompile(`\b` + role + `\b`)
		for _, name := range hostileNames {
			src := word.ReplaceAllString(base, name)
			files, err := compiler.Compile("probe.loss", []byte(src), compiler.Options{})
			if err != nil {
				var list dsl.ErrorList
				if !errors.As(err, &list) {
					t.Errorf("%s as %s: not a spec diagnostic: %v", name, role, err)
				}
				continue
			}
			accepted++
			asts, err := typeCheck(files)
			if err != nil {
				t.Errorf("%s as %s: %v\n%s", name, role, err, src)
				continue
			}
			if role == "probe" {
				// The package's name in an external test package, where
				// the tests' own names could hide it.
				ext, err := compiler.Compile("probe.loss", []byte(src), compiler.Options{ImportPath: generatedPath})
				if err == nil {
					_, err = typeCheck(ext)
				}
				if err != nil {
					t.Errorf("%s as the package name, external tests: %v", name, err)
				}
			}
			if pkg := asts[0].Name.Name; pkg == "main" || pkg == "init" {
				t.Errorf("%s as %s: package %s", name, role, pkg)
			}
			for _, a := range asts {
				ast.Inspect(a, func(n ast.Node) bool {
					ts, ok := n.(*ast.TypeSpec)
					if !ok || ts.Name.Name != "Dims" {
						return true
					}
					for _, f := range ts.Type.(*ast.StructType).Fields.List {
						for _, id := range f.Names {
							if !token.IsExported(id.Name) {
								t.Errorf("%s as %s: Dims field %s is not exported", name, role, id.Name)
							}
						}
					}
					return false
				})
			}
		}
	}
	// The probe must mostly compile, or it tests nothing.
	if accepted < len(roles)*len(hostileNames)/2 {
		t.Errorf("only %d of %d variants were accepted", accepted, len(roles)*len(hostileNames))
	}
}
