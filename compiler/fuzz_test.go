package compiler_test

// FuzzCompile runs the whole pipeline on arbitrary specs:
//
//	go test -run '^$' -fuzz '^FuzzCompile$' -fuzztime 5m -parallel 1 ./compiler
//
// Properties: no panic and no slow case; a rejected spec gets diagnostics
// (never an internal error) that point inside the file they name; an
// accepted spec yields Go files that parse and type-check (go/types, in
// process), whose only directive is lossgen's own go:generate line, and the
// same files when compiled again; and the program the middle end made of it
// computes the interpreter's loss at small sizes, and the gradients of the
// same spec differentiated without any rewrite (irexec_test.go).

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lossgen/lossgen/autodiff"
	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/dsl/interp"
	"github.com/lossgen/lossgen/ir"
)

// compileSeeds returns the specs of specs/, the dsl and compiler test data,
// and every spec-like string literal in the dsl and compiler tests.
func compileSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for _, pattern := range []string{"../specs/*.loss", "testdata/lang/*.loss", "../dsl/testdata/*.loss", "../dsl/testdata/compose/*.loss", "../dsl/testdata/compose/*/*.loss"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			seeds = append(seeds, src)
		}
	}
	var tests []string
	for _, pattern := range []string{"*_test.go", "../dsl/*_test.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		tests = append(tests, m...)
	}
	fset := token.NewFileSet()
	for _, name := range tests {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			continue // another engineer's file being written; not a seed
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "loss") && strings.Contains(s, "{") {
					seeds = append(seeds, []byte(s))
				}
			}
			return true
		})
	}
	return seeds
}

const (
	compileSlow = 5 * time.Second  // one Compile may take this long
	compileHang = 30 * time.Second // after this the process crashes, to record the input
)

func FuzzCompile(f *testing.F) {
	for _, s := range compileSeeds(f) {
		f.Add(s)
	}
	// The fuzzed spec sits among the shipped ones, so `use NAME` finds them.
	const file = "../specs/fuzz_input.loss"
	f.Fuzz(func(t *testing.T, src []byte) {
		timer := time.AfterFunc(compileHang, func() {
			if dir := os.Getenv("LOSSGEN_FUZZ_HANGS"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("hang-%d", time.Now().UnixNano())), src, 0o644)
			}
			panic(fmt.Sprintf("Compile ran for more than %v:\n%q", compileHang, src))
		})
		defer timer.Stop()
		// The input as it is, and with one of its names replaced by a name
		// that generated Go must not take as it is (a keyword, a workspace
		// member, a type of the package): the mutations the fuzzer's own
		// byte-level ones take long to stumble on.
		fuzzCompileOne(t, file, src)
		fuzzCompileOne(t, file, renameOne(src))
	})
}

func fuzzCompileOne(t *testing.T, file string, src []byte) {
	opts := compiler.Options{SpecPath: "../../specs/fuzz_input.loss"}
	start := time.Now()
	files, err := compiler.Compile(file, src, opts)
	if d := time.Since(start); d > compileSlow {
		t.Errorf("Compile took %v", d)
	}
	if err != nil {
		checkCompileError(t, err, file, src)
		return
	}
	asts, err := typeCheck(files)
	if err != nil {
		t.Fatalf("%v\nspec:\n%s", err, src)
	}
	if pkg := asts[0].Name.Name; pkg == "main" || pkg == "init" {
		t.Fatalf("package %s cannot be imported as a library\nspec:\n%s", pkg, src)
	}
	if err := checkDirectives(files, asts); err != nil {
		t.Fatalf("%v\nspec:\n%s", err, src)
	}
	again, err := compiler.Compile(file, src, opts)
	if err != nil || len(again) != len(files) {
		t.Fatalf("second compile differs: %v", err)
	}
	for i := range files {
		if files[i].Name != again[i].Name || !bytes.Equal(files[i].Content, again[i].Content) {
			t.Fatalf("%s: second compile differs", files[i].Name)
		}
	}
	checkMiddleEndLoss(t, file, src)
}

// checkMiddleEndLoss evaluates the program the middle end made of src
// (irexec_test.go) and the spec as written (the reference interpreter) at
// small sizes and requires the same loss, and the gradients of the spec
// lowered and differentiated without the rewrites: the rewrites (merged
// duplicates, pulled factors, definitions seen through, materialised and
// reused operands, inlined maps, split reductions) change the order of
// additions, not the values. Inputs the
// interpreter rejects, and programs too large to evaluate quickly, are
// skipped.
func checkMiddleEndLoss(t *testing.T, file string, src []byte) {
	prog, err := dsl.LoadOpts(file, src, dsl.LoadOptions{})
	if err != nil {
		t.Fatalf("compiled but does not load: %v", err)
	}
	p, err := compiler.Build(file, src)
	if err != nil {
		t.Fatalf("compiled but does not build: %v", err)
	}
	// One evaluation, with distinct sizes (3, 4, 2, 5, ...), so that a
	// rewrite that confuses two dimensions reads out of range or computes
	// another value.
	if !smallEnough(p) {
		return
	}
	dims := map[string]int{}
	for k, s := range prog.Sizes {
		dims[s.Name] = []int{3, 4, 2, 5}[k%4]
	}
	v := smallValues(prog, p, dims, 1)
	want, err := interp.Eval(prog, v)
	if err != nil {
		return
	}
	got, grads, err := irGrad(p, v, true)
	if err != nil {
		t.Fatalf("the middle end's program fails where the interpreter does not: %v\nspec:\n%s", err, src)
	}
	if !sameLoss(want, got) {
		t.Fatalf("sizes %v: the middle end's program computes %v, the interpreter %v\nspec:\n%s\n%s", dims, got, want, src, ir.Dump(p))
	}
	// The gradients against those of the same spec differentiated
	// without any rewrite (lowered, then differentiated): the
	// rewrites must not change them beyond rounding.
	plain, err := ir.Lower(prog)
	if err != nil {
		t.Fatalf("lowers in Build but not alone: %v", err)
	}
	if err := autodiff.Differentiate(plain); err != nil {
		t.Fatalf("differentiates in Build but not alone: %v", err)
	}
	_, plainGrads, err := irGrad(plain, v, true)
	if err != nil {
		t.Fatalf("the unrewritten program fails: %v\nspec:\n%s", err, src)
	}
	for name, w := range plainGrads {
		if !sameGrad(w, grads[name]) {
			t.Fatalf("sizes %v: ∂loss/∂%s is %v after the middle end, %v without it\nspec:\n%s\n%s", dims, name, grads[name], w, src, ir.Dump(p))
		}
	}
}

// sameGrad: the same length, and every element equal to 1e-8 of the
// largest magnitude (sums reordered), or the same non-finite value.
func sameGrad(want, got []float64) bool {
	if len(want) != len(got) {
		return false
	}
	scale := 1.0
	for _, x := range want {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			scale = math.Max(scale, math.Abs(x))
		}
	}
	for k := range want {
		a, b := want[k], got[k]
		switch {
		case math.IsNaN(a) || math.IsNaN(b):
			if math.IsNaN(a) != math.IsNaN(b) {
				return false
			}
		case math.IsInf(a, 0) || math.IsInf(b, 0):
			if a != b {
				return false
			}
		case math.Abs(a-b) > 1e-8*scale:
			return false
		}
	}
	return true
}

// smallEnough bounds the work of evaluating p naively: no Op iterates
// over more than six variables (at most 5⁶ points).
func smallEnough(p *ir.Program) bool {
	for _, op := range p.Forward {
		if len(op.Index)+len(op.RVars) > 6 {
			return false
		}
	}
	return true
}

// sameLoss: equal to 1e-9 relative (the rewrites reorder sums), or the same
// non-finite value; NaN matches NaN.
func sameLoss(a, b float64) bool {
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		return math.IsNaN(a) && math.IsNaN(b)
	case math.IsInf(a, 0) || math.IsInf(b, 0):
		return a == b
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

var identPattern = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// renameOne replaces every occurrence of one identifier of src by one of
// hostileNames, both chosen by a hash of src, so the choice is
// reproducible from the input alone.
func renameOne(src []byte) []byte {
	ids := identPattern.FindAll(src, -1)
	if len(ids) == 0 {
		return src
	}
	h := fnv.New64a()
	h.Write(src)
	sum := h.Sum64()
	old := ids[sum%uint64(len(ids))]
	repl := hostileNames[(sum/uint64(len(ids)))%uint64(len(hostileNames))]
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(string(old)) + `\b`)
	return word.ReplaceAll(src, []byte(repl))
}

// checkCompileError requires a rejected spec to come back as diagnostics
// with positions inside the file each names (the fuzzed spec, or a shipped
// spec it uses).
func checkCompileError(t *testing.T, err error, file string, src []byte) {
	t.Helper()
	if !compiler.IsDiagnostic(err) {
		t.Fatalf("not a diagnostic: %v\nspec:\n%s", err, src)
	}
	var list dsl.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("not a non-empty ErrorList: %v", err)
	}
	for _, e := range list {
		if strings.Contains(e.Msg, "internal error") {
			t.Fatalf("%v\nspec:\n%s", e, src)
		}
		text := src
		if e.File != file {
			if text, err = os.ReadFile(e.File); err != nil {
				t.Fatalf("diagnostic about unreadable file %q: %v", e.File, e)
			}
		}
		lines := strings.Split(string(text), "\n")
		if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
			t.Fatalf("line outside the file: %v", e)
		}
		if n := utf8.RuneCountInString(lines[e.Pos.Line-1]) + 1; e.Pos.Column < 1 || e.Pos.Column > n {
			t.Fatalf("column outside the line: %v", e)
		}
		if !strings.HasPrefix(e.Error(), fmt.Sprintf("%s:%d:%d: ", e.File, e.Pos.Line, e.Pos.Column)) {
			t.Fatalf("malformed diagnostic: %v", e)
		}
	}
}
