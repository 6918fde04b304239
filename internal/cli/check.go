package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/dsl/interp"
	"github.com/lossgen/lossgen/ir"
)

var checkCmd = &Command{
	Name:    "check",
	Summary: "check a spec's generated gradients against finite differences",
	Usage:   "lossgen check [-dims N=8,D=16,C=5] [-seed S] [-type float32|float64] [-probes K] [-stopgrad value|hold] SPEC.loss",
	Flags:   checkFlags,
	Help: `
Check is gradient checking for your own spec. It compiles the spec, runs the
generated kernel (through the same cached driver as lossgen run) on seeded
random inputs, and compares every element of every gradient with central
finite differences of the reference interpreter, computed in float64.

Inputs: sizes from -dims, 8 for every size not given (a size the spec does
not have is ignored, with a note); real inputs uniform in [-1, 1]; an
integer input used as an index (logits[i, labels[i]]) uniform over the
dimension it indexes, any other integer input in [0, min(3, n)), n being its
first dimension. Parameters take their defaults.

For each coordinate the derivative is estimated from the loss at x ± h and
x ± h/4 (h = 1e-4): where the central differences at h and at h/4 disagree,
or the one-sided derivatives from the left and from the right do, a kink
(relu, max, abs, ...) lies within h of the point, the derivative there is
not well defined, and the coordinate is skipped rather than failed. Checked
coordinates are compared with the Richardson extrapolation of the two
central differences, which is accurate to about 1e-11:

	float64 kernel:  |g - fd| <= 1e-6 + 1e-5·|fd|
	float32 kernel:  |g - fd| <= 1e-6 + 1e-4·max|fd| (the largest over that input)

The loss itself must agree with the interpreter's within 1e-12 (float64) or
1e-5 (float32) relative. Check prints one row per differentiable input and
exits 1 if any gradient element or the loss does not match.

stopgrad(e) is e in value but passes no gradient, so where it detaches
something the loss depends on, the kernel's gradient differs from the
derivative of the loss on purpose (circle loss's adaptive weights), or by
mistake. By default check differentiates the value, stopgrad included, and
reports such inputs as mismatches. With -stopgrad hold it holds every
stopgrad subexpression at its value at the unperturbed point instead, which
checks the kernel against the gradient the spec defines.

Each coordinate costs four evaluations of the (deliberately naive)
interpreter, so check every element at small sizes, or sample with -probes
at large ones.

Example:

	lossgen check -dims N=4,D=16 specs/triplet.loss
`,
}

// Finite-difference settings: the step, and the tolerances documented in
// the help text and in docs/numerics.md.
const (
	checkStep   = 1e-4
	checkAbs64  = 1e-6
	checkRel64  = 1e-5
	checkAbs32  = 1e-6
	checkRel32  = 1e-4 // relative to the largest |fd| of the input
	checkLoss64 = 1e-12
	checkLoss32 = 1e-5
)

func checkFlags(fs *flag.FlagSet, env *Env) func([]string) error {
	dims := fs.String("dims", "", "sizes as `N=8,D=16,...`; a size not given is 8")
	seed := fs.Uint64("seed", 1, "`seed` of the random inputs")
	typ := fs.String("type", "float64", "element `TYPE` of the kernel checked: float32 or float64")
	probes := fs.Int("probes", 0, "check at most `K` coordinates of each input, drawn at random (0: all)")
	inc := includeFlag(fs)
	stopgrad := fs.String("stopgrad", "value", "`MODE`: value differentiates the loss's value, stopgrad included; hold holds stopgrad subexpressions constant")
	return func(args []string) error {
		switch {
		case *typ != "float64" && *typ != "float32":
			return usagef("-type %q: want float32 or float64", *typ)
		case *stopgrad != "value" && *stopgrad != "hold":
			return usagef("-stopgrad %q: want value or hold", *stopgrad)
		case *probes < 0:
			return usagef("-probes %d: want a count, or 0 for every coordinate", *probes)
		case len(args) == 0:
			return usagef("no spec given")
		case len(args) > 1:
			return usagef("one spec at a time")
		}
		given, err := parseDims(*dims)
		if err != nil {
			return err
		}
		return checkSpec(env, args[0], checkOptions{dims: given, seed: *seed, typ: *typ, probes: *probes, hold: *stopgrad == "hold", include: *inc})
	}
}

// parseDims reads "N=8,D=16" into a map. Whether the names are the spec's is
// decided once the spec is loaded.
func parseDims(s string) (map[string]int, error) {
	out := map[string]int{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, usagef("-dims %q: want NAME=SIZE pairs separated by commas, e.g. N=8,D=16", s)
		}
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil {
			return nil, usagef("-dims: size %s = %q is not an integer", name, val)
		}
		if n <= 0 {
			return nil, usagef("-dims: size %s = %d must be positive", name, n)
		}
		if _, dup := out[name]; dup {
			return nil, usagef("-dims: size %s is given twice", name)
		}
		out[name] = n
	}
	return out, nil
}

// checkInput is the outcome for one differentiable input.
type checkInput struct {
	name                     string
	elements, checked, kinks int
	maxAbs, maxRel           float64
	fails                    int
	worst                    int // flat index of the largest failing error, -1 if none
	worstG, worstFD          float64
}

// checkOptions are check's flags.
type checkOptions struct {
	dims   map[string]int // sizes given with -dims
	seed   uint64
	typ    string // float32 or float64
	probes int    // coordinates per input, 0 for all
	hold   bool   // finite differences hold stopgrad subexpressions constant
	// include lists the directories a use may reach (-I).
	include []string
}

func checkSpec(env *Env, spec string, opt checkOptions) error {
	given, seed, typ := opt.dims, opt.seed, opt.typ
	src, err := dsl.ReadSpecFile(spec)
	if err != nil {
		return err
	}
	prog, err := dsl.LoadOpts(spec, src, dsl.LoadOptions{Include: opt.include})
	if err != nil {
		reportCompileError(env, spec, err)
		return exitStatus(exitFail)
	}
	irProg, err := compiler.BuildWith(spec, src, opt.include)
	if err != nil {
		reportCompileError(env, spec, err)
		return exitStatus(exitFail)
	}

	dims := map[string]int{}
	var names []string
	for _, s := range prog.Sizes {
		names = append(names, s.Name)
		dims[s.Name] = 8
	}
	// One -dims can serve several specs: a size a spec lacks is ignored,
	// with a note in case it is a misspelling.
	for _, name := range slices.Sorted(maps.Keys(given)) {
		if _, ok := dims[name]; !ok {
			have := "no sizes"
			if len(names) > 0 {
				have = "sizes " + strings.Join(names, ", ")
			}
			fmt.Fprintf(env.Stderr, "lossgen check: note: -dims %s=%d ignored: %s has %s\n", name, given[name], prog.Name, have)
			continue
		}
		dims[name] = given[name]
	}

	vals := checkInputs(prog, irProg, dims, seed, typ == "float32")
	want, err := interp.Eval(prog, vals)
	if err != nil {
		return fmt.Errorf("interpreter: %v", err)
	}
	got, err := runKernel(env, spec, prog, vals, typ, opt.include)
	if err != nil {
		return err
	}

	w := env.Stdout
	fmt.Fprintf(w, "%s: %s kernel against central differences of the interpreter (float64)\n", spec, typ)
	var sizes []string
	for _, n := range names {
		sizes = append(sizes, fmt.Sprintf("%s=%d", n, dims[n]))
	}
	if len(sizes) == 0 {
		sizes = []string{"none"}
	}
	fmt.Fprintf(w, "sizes %s, seed %d, h = %g and %g", strings.Join(sizes, ", "), seed, checkStep, checkStep/4)
	if opt.hold {
		fmt.Fprint(w, ", stopgrad held constant")
	}
	fmt.Fprintln(w)

	var problems []string
	lossTol := checkLoss64
	if typ == "float32" {
		lossTol = checkLoss32
	}
	lossOK := math.Abs(got.loss-want) <= lossTol*math.Max(1, math.Abs(want))
	switch {
	case !finite(want):
		problems = append(problems, fmt.Sprintf("the interpreter's loss is %v at these inputs: nothing can be checked", want))
	case !lossOK:
		problems = append(problems, fmt.Sprintf("the kernel's loss %v differs from the interpreter's %v", got.loss, want))
	}
	result := "PASS"
	if !lossOK {
		result = "FAIL"
	}
	fmt.Fprintf(w, "loss: kernel %v, interpreter %v  %s\n\n", got.loss, want, result)

	var rows []checkInput
	if finite(want) {
		rows, err = compareGrads(prog, vals, got.grads, opt)
		if err != nil {
			return err
		}
	}
	if len(rows) == 0 && len(problems) == 0 {
		fmt.Fprintf(w, "%s has no differentiable input: no gradient to check\n", prog.Name)
		return nil
	}
	gradProblems := writeRows(w, rows)
	problems = append(problems, gradProblems...)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(env.Stderr, "lossgen check: %s\n", p)
		}
		if len(gradProblems) > 0 && !opt.hold && usesStopgrad(prog) {
			fmt.Fprintf(env.Stderr, "lossgen check: %s uses stopgrad, which makes the gradient differ from the derivative of the loss wherever it detaches something the loss depends on; if that is intended, check the gradient the spec defines with -stopgrad hold\n", prog.Name)
		}
		return exitStatus(exitFail)
	}
	fmt.Fprintln(w, "\nok: every checked gradient element matches")
	return nil
}

// writeRows prints the per-input table, and a note under it for every input
// whose probed coordinates were mostly skipped, and returns a description
// of every input that failed.
func writeRows(w io.Writer, rows []checkInput) (problems []string) {
	// Right-aligned numbers; the names are padded to one width so that
	// they read left-aligned.
	width := len("input")
	for _, r := range rows {
		width = max(width, len(r.name))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\telements\tchecked\tskipped (kink)\tmax abs error\tmax rel error\tresult\t\n", width, "input")
	for _, r := range rows {
		result := "PASS"
		if r.fails > 0 {
			result = "FAIL"
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%d\t%.2g\t%.2g\t%s\t\n", width, r.name, r.elements, r.checked, r.kinks, r.maxAbs, r.maxRel, result)
	}
	tw.Flush()
	for _, r := range rows {
		if probed := r.checked + r.kinks; 2*r.kinks > probed {
			fmt.Fprintf(w, "note: %d of the %d coordinates of %s probed lie within h of a kink and were skipped; the check says little about %s at these inputs (try another -seed)\n",
				r.kinks, probed, r.name, r.name)
		}
		if r.fails > 0 {
			problems = append(problems, fmt.Sprintf("%d of %d checked elements of the gradient of %s do not match; worst at %s[%d]: kernel %v, finite differences %v",
				r.fails, r.checked, r.name, r.name, r.worst, r.worstG, r.worstFD))
		}
	}
	return problems
}

// checkInputs draws the random inputs. With round32 the reals are rounded
// to float32, so that the interpreter sees exactly what the float32 kernel
// sees.
func checkInputs(prog *dsl.Program, p *ir.Program, dims map[string]int, seed uint64, round32 bool) interp.Values {
	r := rand.New(rand.NewPCG(seed, 0x6c6f737367656e)) // "lossgen"
	limit := map[string]int{}
	for _, g := range p.Gathers {
		n := dims[g.Range.Name]
		if l, ok := limit[g.Index.Name]; !ok || n < l {
			limit[g.Index.Name] = n
		}
	}
	v := interp.Values{Dims: dims, Reals: map[string][]float64{}, Ints: map[string][]int{}}
	for _, in := range prog.Inputs {
		n := 1
		for _, s := range in.Shape {
			n *= dims[s.Name]
		}
		if in.Int {
			l, ok := limit[in.Name]
			if !ok {
				l = 3
				if len(in.Shape) > 0 {
					l = min(3, dims[in.Shape[0].Name])
				}
			}
			xs := make([]int, n)
			for i := range xs {
				xs[i] = r.IntN(l)
			}
			v.Ints[in.Name] = xs
			continue
		}
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = 2*r.Float64() - 1
			if round32 {
				xs[i] = float64(float32(xs[i]))
			}
		}
		v.Reals[in.Name] = xs
	}
	return v
}

// kernelResult is the generated kernel's answer, in float64.
type kernelResult struct {
	loss  float64
	grads map[string][]float64
}

// runKernel evaluates the generated kernel on vals through lossgen run: the
// same compilation, cached driver and JSON request.
func runKernel(env *Env, spec string, prog *dsl.Program, vals interp.Values, typ string, include []string) (kernelResult, error) {
	inputs := map[string]any{}
	for _, in := range prog.Inputs {
		var x any
		if in.Int {
			x = vals.Ints[in.Name]
			if len(in.Shape) == 0 {
				x = vals.Ints[in.Name][0]
			}
		} else {
			x = vals.Reals[in.Name]
			if len(in.Shape) == 0 {
				x = vals.Reals[in.Name][0]
			}
		}
		inputs[in.Name] = x
	}
	req, err := json.Marshal(map[string]any{"dims": vals.Dims, "inputs": inputs})
	if err != nil {
		return kernelResult{}, err
	}

	var stdout, stderr bytes.Buffer
	fs := flag.NewFlagSet("lossgen run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := runFlags(fs, &Env{Stdin: bytes.NewReader(req), Stdout: &stdout, Stderr: &stderr})
	args := []string{"-type", typ}
	for _, dir := range include {
		args = append(args, "-I", dir)
	}
	if err := fs.Parse(args); err != nil {
		return kernelResult{}, err
	}
	err = run([]string{spec})
	env.Stderr.Write(stderr.Bytes()) // the driver's messages and warnings
	var status exitStatus
	if errors.As(err, &status) {
		return kernelResult{}, errors.New("the generated kernel failed on the random inputs (see above)")
	}
	if err != nil {
		return kernelResult{}, err
	}

	var out struct {
		Loss  *float64                   `json:"loss"`
		Grads map[string]json.RawMessage `json:"grads"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return kernelResult{}, fmt.Errorf("internal error: reading the driver's answer: %v", err)
	}
	res := kernelResult{loss: number(out.Loss, typ), grads: map[string][]float64{}}
	for _, in := range prog.Inputs {
		if !in.Diff || in.Int {
			continue
		}
		raw, ok := out.Grads[in.Name]
		if !ok {
			return kernelResult{}, fmt.Errorf("internal error: the driver returned no gradient for %s", in.Name)
		}
		var xs []*float64
		if len(in.Shape) == 0 {
			var x *float64
			err = json.Unmarshal(raw, &x)
			xs = []*float64{x}
		} else {
			err = json.Unmarshal(raw, &xs)
		}
		if err != nil {
			return kernelResult{}, fmt.Errorf("internal error: reading the driver's gradient of %s: %v", in.Name, err)
		}
		g := make([]float64, len(xs))
		for i, x := range xs {
			g[i] = number(x, typ)
		}
		res.grads[in.Name] = g
	}
	return res, nil
}

// number turns a number of the driver's answer into float64: null (a
// non-finite value, reported by the driver) becomes NaN, and a float32
// answer, printed in its shortest float32 form, is rounded back to float32.
func number(x *float64, typ string) float64 {
	if x == nil {
		return math.NaN()
	}
	if typ == "float32" {
		return float64(float32(*x))
	}
	return *x
}

// compareGrads finite-differences the interpreter and compares the kernel's
// gradients with it, element by element.
func compareGrads(prog *dsl.Program, vals interp.Values, grads map[string][]float64, opt checkOptions) ([]checkInput, error) {
	r := rand.New(rand.NewPCG(opt.seed, 0x70726f6265)) // "probe"
	eval := func(v interp.Values) (float64, error) { return interp.Eval(prog, v) }
	if opt.hold {
		frozen, _, err := interp.Freeze(prog, vals)
		if err != nil {
			return nil, fmt.Errorf("interpreter: %v", err)
		}
		eval = frozen.Eval
	}
	f0, err := eval(vals)
	if err != nil {
		return nil, fmt.Errorf("interpreter: %v", err)
	}
	var rows []checkInput
	for _, in := range prog.Inputs {
		if !in.Diff || in.Int {
			continue
		}
		x := vals.Reals[in.Name]
		g := grads[in.Name]
		row := checkInput{name: in.Name, elements: len(x), worst: -1}
		fd := make([]float64, len(x))
		kink := make([]bool, len(x))
		coords := probeCoords(len(x), opt.probes, r)
		scale := 0.0
		for _, k := range coords {
			est, err := estimate(eval, vals, x, k, f0)
			if err != nil {
				return nil, err
			}
			fd[k], kink[k] = est.fd, est.kink
			if !est.kink {
				scale = math.Max(scale, math.Abs(est.fd))
			}
		}
		for _, k := range coords {
			if kink[k] {
				row.kinks++
				continue
			}
			row.checked++
			e := math.Abs(g[k] - fd[k])
			if math.IsNaN(e) {
				e = math.Inf(1)
			}
			rel := 0.0
			if m := math.Max(math.Abs(g[k]), math.Abs(fd[k])); m > 0 {
				rel = e / m
			}
			row.maxAbs = math.Max(row.maxAbs, e)
			row.maxRel = math.Max(row.maxRel, rel)
			tol := checkAbs64 + checkRel64*math.Abs(fd[k])
			if opt.typ == "float32" {
				tol = checkAbs32 + checkRel32*scale
			}
			if !(e <= tol) {
				if row.fails == 0 || e > math.Abs(row.worstG-row.worstFD) {
					row.worst, row.worstG, row.worstFD = k, g[k], fd[k]
				}
				row.fails++
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// probeCoords lists the coordinates to check, in increasing order: all n,
// or a random sample of probes of them.
func probeCoords(n, probes int, r *rand.Rand) []int {
	if probes == 0 || probes >= n {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := r.Perm(n)[:probes]
	slices.Sort(out)
	return out
}

// fdEstimate is the finite-difference derivative along one coordinate.
type fdEstimate struct {
	fd   float64 // Richardson extrapolation of the central differences
	kink bool    // a kink lies within h: fd is not to be trusted
}

// estimate differentiates the interpreter's loss eval along x[k] (x being
// one of vals' real inputs; f0 is the loss at vals) from f at x ± h and
// x ± h/4:
//
//   - central differences C(s) = (f(x+s) - f(x-s)) / 2s at s = h and h/4;
//     on a smooth stretch they differ by about h²·f3/6 (f3 being the third
//     derivative), and their Richardson extrapolation
//     (16·C(h/4) - C(h)) / 15 is accurate to O(h⁴);
//   - one-sided derivatives D+ and D-, each extrapolated from the forward
//     (backward) differences at h and h/4 to O(h²); they differ by the jump
//     in slope at a kink sitting exactly on x, where the two central
//     differences would both agree on the average of the two slopes.
//
// If either pair disagrees by more than the float64 tolerance, a kink lies
// within h of x and the coordinate is skipped.
func estimate(eval func(interp.Values) (float64, error), vals interp.Values, x []float64, k int, f0 float64) (fdEstimate, error) {
	h := checkStep
	q := h / 4
	orig := x[k]
	defer func() { x[k] = orig }()
	var f [4]float64 // f(x+h), f(x-h), f(x+q), f(x-q)
	for i, s := range [4]float64{h, -h, q, -q} {
		x[k] = orig + s
		v, err := eval(vals)
		if err != nil {
			return fdEstimate{}, fmt.Errorf("interpreter: %v", err)
		}
		f[i] = v
	}
	// The steps actually taken, which rounding may have changed.
	hp, hm := (orig+h)-orig, orig-(orig-h)
	qp, qm := (orig+q)-orig, orig-(orig-q)
	cH := (f[0] - f[1]) / (hp + hm)
	cQ := (f[2] - f[3]) / (qp + qm)
	dPlus := (4*(f[2]-f0)/qp - (f[0]-f0)/hp) / 3
	dMinus := (4*(f0-f[3])/qm - (f0-f[1])/hm) / 3
	fd := (16*cQ - cH) / 15
	tol := checkAbs64 + checkRel64*math.Abs(fd)
	kink := !(math.Abs(cH-cQ) <= tol) || !(math.Abs(dPlus-dMinus) <= tol)
	return fdEstimate{fd: fd, kink: kink}, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// usesStopgrad reports whether any definition of p calls stopgrad.
func usesStopgrad(p *dsl.Program) bool {
	found := false
	var visit func(e dsl.Expr)
	visit = func(e dsl.Expr) {
		switch x := e.(type) {
		case *dsl.Call:
			found = found || x.Fn == "stopgrad"
			for _, a := range x.Args {
				visit(a)
			}
		case *dsl.Unary:
			visit(x.X)
		case *dsl.Binary:
			visit(x.X)
			visit(x.Y)
		case *dsl.Reduce:
			if x.Filter != nil {
				visit(x.Filter)
			}
			if x.Body != nil {
				visit(x.Body)
			}
		}
	}
	for _, d := range p.Defs {
		visit(d.Body)
	}
	return found
}
