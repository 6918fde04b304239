package cli

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/dsl/interp"
)

// checkMain runs lossgen check in-process.
func checkMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(append([]string{"check"}, args...), &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// rowRE matches a row of check's table, capturing the input name, the
// element, checked and skipped counts, and the verdict.
var rowRE = regexp.MustCompile(`(?m)^\s*(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s+(PASS|FAIL)\s*$`)

func TestCheckShippedSpecs(t *testing.T) {
	needGo(t)
	specs, err := filepath.Glob("../../specs/*.loss")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no shipped specs: %v", err)
	}
	// One parallel subtest per spec: each builds its spec's driver once
	// (both -type values share it) while another checks through the
	// interpreter.
	for _, spec := range specs {
		t.Run(strings.TrimSuffix(filepath.Base(spec), ".loss"), func(t *testing.T) {
			t.Parallel()
			checkShippedSpec(t, spec)
		})
	}
}

// checkShippedSpec checks one shipped spec in both types, with nothing
// skipped.
func checkShippedSpec(t *testing.T, spec string) {
	t.Helper()
	// A spec that detaches with stopgrad on purpose (circle loss) is
	// checked against the gradient it defines.
	src, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := dsl.Load(spec, src)
	if err != nil {
		t.Fatal(err)
	}
	var mode []string
	if usesStopgrad(prog) {
		mode = []string{"-stopgrad", "hold"}
	}
	for _, args := range [][]string{
		append(mode[:len(mode):len(mode)], spec),
		append(mode[:len(mode):len(mode)], "-type", "float32", "-seed", "7", "-dims", "N=5", spec),
	} {
		code, stdout, stderr := checkMain(t, args...)
		if code != 0 {
			t.Errorf("lossgen check %q: exit %d\n%s%s", args, code, stdout, stderr)
			continue
		}
		rows := rowRE.FindAllStringSubmatch(stdout, -1)
		if len(rows) == 0 || strings.Contains(stdout, "FAIL") || !strings.Contains(stdout, "ok: every checked gradient element matches") {
			t.Errorf("lossgen check %q: want a table of passing inputs, got\n%s", args, stdout)
		}
		for _, r := range rows {
			if r[2] != r[3] { // elements == checked: nothing skipped
				t.Errorf("lossgen check %q: input %s: %s elements, %s checked\n%s", args, r[1], r[2], r[3], stdout)
			}
		}
	}
}

// Every per-construct spec of compiler/testdata/lang (each elementwise
// function, reductions, clamp's crossing bounds, ...) gets the gradient it
// defines, in both types. Points within h of a kink are skipped by check
// itself; everything else must match.
func TestCheckLangSpecs(t *testing.T) {
	needGo(t)
	specs, err := filepath.Glob("../../compiler/testdata/lang/*.loss")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no specs in compiler/testdata/lang: %v", err)
	}
	for _, spec := range specs {
		checkMatches(t, spec)
		checkMatches(t, "-type", "float32", "-seed", "7", "-dims", "N=5,D=11", spec)
	}
}

// The near-miss families of compiler/testdata/nearmiss (one loss spelled
// several ways, which ir.Canonicalize brings to the same kernels): every
// spelling's generated gradients match the interpreter's finite
// differences, so the rewrites that make them fast change no value.
func TestCheckNearMisses(t *testing.T) {
	needGo(t)
	specs, err := filepath.Glob("../../compiler/testdata/nearmiss/*.loss")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no specs in compiler/testdata/nearmiss: %v", err)
	}
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			t.Parallel()
			checkMatches(t, "-dims", "N=5,D=7,C=6,K=3,M=4", spec)
		})
	}
}

// wrong_stopgrad.loss has the value mean(x²) but, through stopgrad, the
// kernel gradient x/N instead of 2x/N: check must flag x.
func TestCheckCatchesWrongGradient(t *testing.T) {
	needGo(t)
	for _, typ := range []string{"float64", "float32"} {
		code, stdout, stderr := checkMain(t, "-type", typ, "testdata/wrong_stopgrad.loss")
		if code != 1 {
			t.Errorf("-type %s: exit %d, want 1\n%s%s", typ, code, stdout, stderr)
		}
		rows := rowRE.FindAllStringSubmatch(stdout, -1)
		if len(rows) != 1 || rows[0][1] != "x" || rows[0][5] != "FAIL" || rows[0][3] != "8" {
			t.Errorf("-type %s: want one row, x, 8 checked, FAIL; got\n%s", typ, stdout)
		}
		if !strings.Contains(stderr, "8 of 8 checked elements of the gradient of x do not match") {
			t.Errorf("-type %s: stderr %q does not describe the mismatch", typ, stderr)
		}
		if !strings.Contains(stdout, "loss: kernel") || !strings.Contains(stdout, "PASS") {
			t.Errorf("-type %s: the loss itself is right and should pass:\n%s", typ, stdout)
		}
		if !strings.Contains(stderr, "wrong_stopgrad uses stopgrad") || !strings.Contains(stderr, "-stopgrad hold") {
			t.Errorf("-type %s: stderr %q does not point at stopgrad", typ, stderr)
		}
	}
	// A size the spec lacks is ignored, with a note.
	code, stdout, stderr := checkMain(t, "-dims", "N=3,Q=2", "testdata/wrong_stopgrad.loss")
	if code != 1 || !strings.Contains(stderr, "note: -dims Q=2 ignored: wrong_stopgrad has sizes N") || !strings.Contains(stdout, "sizes N=3,") {
		t.Errorf("-dims N=3,Q=2: exit %d\n%s%s", code, stdout, stderr)
	}

	// Held constant, stopgrad is what the kernel differentiates: the
	// gradient the spec defines, x/N, is computed correctly.
	code, stdout, stderr = checkMain(t, "-stopgrad", "hold", "testdata/wrong_stopgrad.loss")
	if code != 0 || !strings.Contains(stdout, "stopgrad held constant") {
		t.Errorf("-stopgrad hold: exit %d, want 0\n%s%s", code, stdout, stderr)
	}
}

func TestCheckUsageAndDiagnostics(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.loss")
	if err := os.WriteFile(bad, []byte("loss bad {\n    input x[N]\n    loss = mean(i: y[i])\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"-dims", "N3", "specs/triplet.loss"}, 2, `-dims "N3": want NAME=SIZE pairs`},
		{[]string{"-dims", "N=x", "../../specs/triplet.loss"}, 2, `size N = "x" is not an integer`},
		{[]string{"-dims", "N=0", "../../specs/triplet.loss"}, 2, "size N = 0 must be positive"},
		{[]string{"-dims", "N=2,N=3", "../../specs/triplet.loss"}, 2, "size N is given twice"},
		{[]string{"-type", "float16", "../../specs/triplet.loss"}, 2, `-type "float16"`},
		{[]string{"-probes", "-1", "../../specs/triplet.loss"}, 2, "-probes -1"},
		{[]string{"-stopgrad", "drop", "../../specs/triplet.loss"}, 2, `-stopgrad "drop": want value or hold`},
		{nil, 2, "no spec given"},
		{[]string{"a.loss", "b.loss"}, 2, "one spec at a time"},
		{[]string{filepath.Join(t.TempDir(), "missing.loss")}, 1, "missing.loss"},
		{[]string{bad}, 1, "bad.loss:3:"},
	}
	for _, tt := range tests {
		code, _, stderr := checkMain(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("lossgen check %q: exit %d, stderr %q; want exit %d, stderr with %q", tt.args, code, stderr, tt.code, tt.stderr)
		}
	}
}

// Kinks are found without the kernel: at and just beside the kink of |x|
// the coordinate is skipped, elsewhere it is checked against sign(x).
func TestCheckSkipsKinks(t *testing.T) {
	src := []byte("loss kinks {\n    input x[N]\n    loss = sum(i: abs(x[i]))\n}\n")
	prog, err := dsl.Load("kinks.loss", src)
	if err != nil {
		t.Fatal(err)
	}
	vals := interp.Values{Dims: map[string]int{"N": 5}, Reals: map[string][]float64{"x": {0, 3e-5, -9e-5, 0.5, -0.7}}}
	f0, err := interp.Eval(prog, vals)
	if err != nil {
		t.Fatal(err)
	}
	wantKink := []bool{true, true, true, false, false}
	for k, want := range wantKink {
		eval := func(v interp.Values) (float64, error) { return interp.Eval(prog, v) }
		est, err := estimate(eval, vals, vals.Reals["x"], k, f0)
		if err != nil {
			t.Fatal(err)
		}
		if est.kink != want {
			t.Errorf("x[%d] = %g: kink %v, want %v (fd %v)", k, vals.Reals["x"][k], est.kink, want, est.fd)
		}
	}

	// A correct gradient (the kernel's convention abs'(0) = 0) passes, with
	// three of five coordinates skipped, and the table says so.
	grads := map[string][]float64{"x": {0, 1, -1, 1, -1}}
	rows, err := compareGrads(prog, vals, grads, checkOptions{typ: "float64"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].checked != 2 || rows[0].kinks != 3 || rows[0].fails != 0 {
		t.Fatalf("rows = %+v; want x with 2 checked, 3 skipped, no failure", rows)
	}
	var out bytes.Buffer
	if problems := writeRows(&out, rows); len(problems) != 0 {
		t.Errorf("problems %q for a correct gradient", problems)
	}
	if !strings.Contains(out.String(), "note: 3 of the 5 coordinates of x probed lie within h of a kink") {
		t.Errorf("no note about the skipped coordinates:\n%s", out.String())
	}

	// A wrong sign away from the kinks fails, and is named.
	grads["x"][4] = 1
	rows, err = compareGrads(prog, vals, grads, checkOptions{typ: "float64"})
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	problems := writeRows(&out, rows)
	if len(problems) != 1 || !strings.Contains(problems[0], "1 of 2 checked elements of the gradient of x do not match; worst at x[4]: kernel 1,") {
		t.Errorf("problems = %q", problems)
	}
}

func TestProbeCoords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	if got := probeCoords(5, 0, r); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("probeCoords(5, 0) = %v, want all", got)
	}
	if got := probeCoords(5, 9, r); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("probeCoords(5, 9) = %v, want all", got)
	}
	got := probeCoords(100, 7, r)
	if len(got) != 7 || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != 7 || got[0] < 0 || got[6] >= 100 {
		t.Errorf("probeCoords(100, 7) = %v, want 7 distinct sorted coordinates", got)
	}
}

// float64Code compiles a test spec for float64 and returns the kernel file.
func float64Code(t *testing.T, spec string) string {
	t.Helper()
	src, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	files, err := compiler.Compile(spec, src, compiler.Options{Types: []string{"float64"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f.Name, "_float64.go") {
			return string(f.Content)
		}
	}
	t.Fatalf("%s: no float64 kernel file", spec)
	return ""
}

// checkMatches runs lossgen check and wants every gradient to match.
func checkMatches(t *testing.T, args ...string) {
	t.Helper()
	code, stdout, stderr := checkMain(t, args...)
	if code != 0 || !strings.Contains(stdout, "ok: every checked gradient element matches") {
		t.Errorf("lossgen check %q: exit %d\n%s%s", args, code, stdout, stderr)
	}
}

// Every contraction layout: the products must be Gemm calls (NN, TN, NT,
// and the adjoints' forms), the one layout without a kernel (lᵀ·rᵀ) must
// become a transposed copy of l and an NT product (ir.Canonicalize), and
// every gradient must match the interpreter, in both types, at sizes that
// are not multiples of any tile.
func TestCheckContractionLayouts(t *testing.T) {
	needGo(t)
	const spec = "testdata/contract_layouts.loss"
	code := float64Code(t, spec)
	for _, want := range []string{
		"ws.gemm.NN(N, M, K, a, K, b, M, nn, M)",
		"ws.gemm.TN(N, M, K, c, N, b, M, tn, M)",
		"ws.gemm.NT(N, M, K, a, K, e, K, nt, M)",
		"ws.gemm.NN(N, M, K, a, K, f, M, half, M)",
		"ws.gemm.NT(N, K, M, adjHalf, M, f, M, adjA, K)", // f is nograd: one product only
		"ws.gemm.NT(K, N, M, b, M, adjTn, M, adjC, N)",
		"ws.gemm.TN(K, M, N, a, K, adjNn, M, adjB, M)",
		"ttLhs[i*K+k] = c[k*N+i]", // lᵀ·rᵀ: c copied transposed, then
		"ws.gemm.NT(N, M, K, ttLhs, K, e, K, tt, M)",
		"ws.gemm.NN(N, K, M, adjTt, M, e, K, adjTtLhs, K)",
		"ws.gemm.TN(M, K, N, adjTt, M, ttLhs, K, adjE, K)",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks %s", want)
		}
	}
	if strings.Contains(code, "ws.gemm.NT(N, M, K, c,") {
		t.Errorf("lᵀ·rᵀ became a Gemm call on c as it is stored; no kernel computes it")
	}
	for _, args := range [][]string{
		{"-dims", "N=5,K=7,M=3", spec},
		{"-type", "float32", "-dims", "N=9,K=13,M=50", "-seed", "3", spec},
	} {
		checkMatches(t, args...)
	}
}

// Pairwise distance matrices become SqDistMatrix calls (a matrix against
// itself either way round, against another, transposed) and keep their
// values and gradients; the sizes cover whole and partial blocks of six
// rows and of 32 lanes.
func TestCheckPairDistances(t *testing.T) {
	needGo(t)
	const spec = "testdata/pair_distances.loss"
	code := float64Code(t, spec)
	for _, want := range []string{
		"lossrt.SqDistMatrix(self, N, x, x, D, lo, hi)",
		"lossrt.SqDistMatrix(swap, N, x, x, D, lo, hi)",
		"lossrt.SqDistMatrix(cross, M, x, y, D, lo, hi)",
		"lossrt.SqDistMatrix(crossT, N, y, x, D, lo, hi)",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks %s", want)
		}
	}
	if strings.Contains(code, "lossrt.SqDist(") {
		t.Errorf("a pairwise distance is still one SqDist call per pair")
	}
	// The loops after the hoisted calls cover the part's rows only: a part
	// looping over all rows reads rows another goroutine is writing.
	part := regexp.MustCompile(`lossrt\.SqDistMatrix\(swap, N, x, x, D, lo, hi\)\s*for i := lo; i < hi; i\+\+ \{\s*for j := 0; j < N; j\+\+ \{\s*root\[i\*N\+j\] =`)
	if !part.MatchString(code) {
		t.Errorf("root's loops after the SqDistMatrix calls do not run over [lo, hi):\n%s", code)
	}
	for _, args := range [][]string{
		{"-dims", "N=7,D=37,M=5", spec},
		{"-type", "float32", "-dims", "N=13,D=70,M=8", "-seed", "5", spec},
	} {
		checkMatches(t, args...)
	}
}

// Each conjunct of a filter is tested in the outermost loop binding the
// variables it reads, and the values and gradients do not change.
func TestCheckFilterLevels(t *testing.T) {
	needGo(t)
	const spec = "testdata/filter_levels.loss"
	code := float64Code(t, spec)
	// The nesting of a's forward loops: the test on i before the j loop,
	// the one on j before the k loop, the rest inside.
	nest := regexp.MustCompile(`if w\[i\] > 0 \{\s*for j := 0; j < N; j\+\+ \{\s*if labels\[j\] != labels\[i\] \{\s*for k := 0; k < D; k\+\+ \{\s*if x\[j\*D\+k\] > x\[i\*D\+k\] && k != 0 \{`)
	if !nest.MatchString(code) {
		t.Errorf("a's filter is not split across its loops:\n%s", code)
	}
	for _, args := range [][]string{
		{"-dims", "N=9,D=7", spec},
		{"-type", "float32", "-dims", "N=13,D=40", "-seed", "4", spec},
	} {
		checkMatches(t, args...)
	}
}

// A fused backward loop unrolls every Op of its group in step: the second
// Op's variables alias the first's, and each unrolled copy must read its own
// row (copy u of the second Op once read row i for every u, so the gradient
// of x in covariance-like sums over i was wrong while y's was right).
func TestCheckFusedUnrolledCopies(t *testing.T) {
	needGo(t)
	const spec = "testdata/fused_unroll.loss"
	code := float64Code(t, spec)
	if !strings.Contains(code, "x[(i+1)*D+b]") || !strings.Contains(code, "y[(i+1)*D+b]") {
		t.Errorf("the fused group does not unroll both Ops over i:\n%s", code)
	}
	for _, args := range [][]string{
		{"-dims", "N=9,D=7", spec},
		{"-type", "float32", "-dims", "N=13,D=6", "-seed", "3", spec},
	} {
		checkMatches(t, args...)
	}
}

// A contraction whose one operand takes no gradient emits one adjoint
// product, and declares only the slices that product reads (the query slice
// q, read only by the other half, was declared and unused: Go refused the
// package).
func TestCheckContractionHalfAdjoint(t *testing.T) {
	needGo(t)
	const spec = "testdata/half_adjoint.loss"
	for _, args := range [][]string{
		{"-dims", "N=9,D=7,Q=5", spec},
		{"-type", "float32", "-dims", "N=5,D=33,Q=11", "-seed", "2", spec},
	} {
		checkMatches(t, args...)
	}
}

// The learned-margin spec of docs/language.md (a scalar input with a
// gradient) is checked as written there: the block is read from the doc.
func TestCheckLearnedMarginDocExample(t *testing.T) {
	needGo(t)
	md, err := os.ReadFile("../../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```loss\n([^`]*loss margin_learned \\{.*?\n\\}\n)```").FindSubmatch(md)
	if block == nil {
		t.Fatal("docs/language.md has no ```loss block with loss margin_learned")
	}
	spec := filepath.Join(t.TempDir(), "margin_learned.loss")
	if err := os.WriteFile(spec, block[1], 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := checkMain(t, "-dims", "N=9,D=5", spec)
	if m := regexp.MustCompile(`(?m)^\s*beta\s+1\s+1\s+0\s`).FindString(stdout); m == "" {
		t.Errorf("beta's gradient was not checked:\n%s", stdout)
	}
	if code != 0 {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	checkMatches(t, "-type", "float32", "-dims", "N=7,D=6", "-seed", "2", spec)
}
