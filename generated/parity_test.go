// Tests in this file check every generated package against the reference
// interpreter (dsl/interp): the loss must agree to rounding, and every
// gradient must agree with central finite differences of the interpreter
// (with stopgrad subexpressions held at their unperturbed values).
// The interpreter shares nothing with the code generator but the checked
// spec, so an error in lowering, differentiation or emission shows here.
package generated_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/dsl/interp"
	lossrt "github.com/lossgen/lossgen/runtime"

	"github.com/lossgen/lossgen/generated/alignuniform"
	"github.com/lossgen/lossgen/generated/angular"
	"github.com/lossgen/lossgen/generated/arcface"
	"github.com/lossgen/lossgen/generated/barlowtwins"
	"github.com/lossgen/lossgen/generated/batchalltriplet"
	"github.com/lossgen/lossgen/generated/batchhardtriplet"
	"github.com/lossgen/lossgen/generated/batchhardtripletsoft"
	"github.com/lossgen/lossgen/generated/center"
	"github.com/lossgen/lossgen/generated/circle"
	"github.com/lossgen/lossgen/generated/clip"
	"github.com/lossgen/lossgen/generated/contrastive"
	"github.com/lossgen/lossgen/generated/cosface"
	"github.com/lossgen/lossgen/generated/costriplet"
	"github.com/lossgen/lossgen/generated/crossentropy"
	"github.com/lossgen/lossgen/generated/crossentropyls"
	"github.com/lossgen/lossgen/generated/focal"
	"github.com/lossgen/lossgen/generated/hap2s"
	"github.com/lossgen/lossgen/generated/heterocenter"
	"github.com/lossgen/lossgen/generated/improvedtriplet"
	"github.com/lossgen/lossgen/generated/kd"
	"github.com/lossgen/lossgen/generated/moco"
	"github.com/lossgen/lossgen/generated/multisimilarity"
	"github.com/lossgen/lossgen/generated/ntxent"
	"github.com/lossgen/lossgen/generated/proxynca"
	"github.com/lossgen/lossgen/generated/rankedlist"
	"github.com/lossgen/lossgen/generated/reidbaseline"
	"github.com/lossgen/lossgen/generated/softmax"
	"github.com/lossgen/lossgen/generated/softtriple"
	"github.com/lossgen/lossgen/generated/supcon"
	"github.com/lossgen/lossgen/generated/triplet"
	"github.com/lossgen/lossgen/generated/vicreg"
	"github.com/lossgen/lossgen/generated/xbm"
)

// kernel is one generated package seen through its dynamic entry points.
type kernel struct {
	eval64 func(lossrt.Request[float64]) (lossrt.Result[float64], error)
	eval32 func(lossrt.Request[float32]) (lossrt.Result[float32], error)
}

// kernels lists every shipped spec; TestEverySpecHasKernel keeps it complete.
var kernels = map[string]kernel{
	"align_uniform":           {alignuniform.Eval64, alignuniform.Eval32},
	"angular":                 {angular.Eval64, angular.Eval32},
	"arcface":                 {arcface.Eval64, arcface.Eval32},
	"barlow_twins":            {barlowtwins.Eval64, barlowtwins.Eval32},
	"batch_all_triplet":       {batchalltriplet.Eval64, batchalltriplet.Eval32},
	"batch_hard_triplet":      {batchhardtriplet.Eval64, batchhardtriplet.Eval32},
	"batch_hard_triplet_soft": {batchhardtripletsoft.Eval64, batchhardtripletsoft.Eval32},
	"center":                  {center.Eval64, center.Eval32},
	"circle":                  {circle.Eval64, circle.Eval32},
	"clip":                    {clip.Eval64, clip.Eval32},
	"contrastive":             {contrastive.Eval64, contrastive.Eval32},
	"cos_triplet":             {costriplet.Eval64, costriplet.Eval32},
	"cosface":                 {cosface.Eval64, cosface.Eval32},
	"cross_entropy":           {crossentropy.Eval64, crossentropy.Eval32},
	"cross_entropy_ls":        {crossentropyls.Eval64, crossentropyls.Eval32},
	"focal":                   {focal.Eval64, focal.Eval32},
	"hap2s":                   {hap2s.Eval64, hap2s.Eval32},
	"hetero_center":           {heterocenter.Eval64, heterocenter.Eval32},
	"improved_triplet":        {improvedtriplet.Eval64, improvedtriplet.Eval32},
	"kd":                      {kd.Eval64, kd.Eval32},
	"moco":                    {moco.Eval64, moco.Eval32},
	"multi_similarity":        {multisimilarity.Eval64, multisimilarity.Eval32},
	"ntxent":                  {ntxent.Eval64, ntxent.Eval32},
	"proxy_nca":               {proxynca.Eval64, proxynca.Eval32},
	"ranked_list":             {rankedlist.Eval64, rankedlist.Eval32},
	"reid_baseline":           {reidbaseline.Eval64, reidbaseline.Eval32},
	"softmax":                 {softmax.Eval64, softmax.Eval32},
	"softtriple":              {softtriple.Eval64, softtriple.Eval32},
	"supcon":                  {supcon.Eval64, supcon.Eval32},
	"triplet":                 {triplet.Eval64, triplet.Eval32},
	"vicreg":                  {vicreg.Eval64, vicreg.Eval32},
	"xbm":                     {xbm.Eval64, xbm.Eval32},
}

func specNames(t *testing.T) []string {
	paths, err := filepath.Glob("../specs/*.loss")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".loss"))
	}
	sort.Strings(names)
	return names
}

func TestEverySpecHasKernel(t *testing.T) {
	for _, name := range specNames(t) {
		_, ok := kernels[name]
		require.True(t, ok, "specs/%s.loss has no entry in kernels", name)
	}
}

// sizeSets are the sizes every spec is checked at: tiny, odd sizes that
// leave a remainder after unrolling by four, and ReID-like sizes
// (C = 751 identities) that are not multiples of the unroll factor either.
// M (a second batch) and U (identities) are hetero_center's, K (centres per
// class) softtriple's, Q (a queue or memory) moco's and xbm's.
var sizeSets = []map[string]int{
	{"N": 1, "D": 1, "C": 1, "M": 1, "U": 1, "K": 1, "Q": 1},
	{"N": 5, "D": 7, "C": 11, "M": 6, "U": 2, "K": 2, "Q": 6},
	{"N": 33, "D": 131, "C": 751, "M": 29, "U": 3, "K": 3, "Q": 40},
}

// spec is a shipped spec with what the test needs to make valid inputs.
type spec struct {
	name  string
	prog  *dsl.Program
	limit map[string]int // integer input -> exclusive upper bound of its values
}

func loadSpec(t *testing.T, name string, dims map[string]int) spec {
	path := filepath.Join("..", "specs", name+".loss")
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	prog, err := dsl.Load(path, src)
	require.NoError(t, err)
	p, err := compiler.Build(path, src)
	require.NoError(t, err)
	s := spec{name: name, prog: prog, limit: map[string]int{}}
	for _, in := range p.Inputs {
		if in.Int {
			s.limit[in.Name] = 2 // labels only compared: a binary label
		}
	}
	for _, g := range p.Gathers {
		s.limit[g.Index.Name] = dims[g.Range.Name]
	}
	return s
}

// inputs draws seeded random inputs of the given sizes, scaled by scale.
func (s spec) inputs(dims map[string]int, seed uint64, scale float64) interp.Values {
	r := rand.New(rand.NewPCG(seed, 7))
	v := interp.Values{Dims: map[string]int{}, Reals: map[string][]float64{}, Ints: map[string][]int{}}
	for _, sz := range s.prog.Sizes {
		n, ok := dims[sz.Name]
		if !ok {
			n = dims["N"] // a size the caller's map leaves out
		}
		v.Dims[sz.Name] = n
	}
	for _, in := range s.prog.Inputs {
		n := 1
		for _, sz := range in.Shape {
			n *= v.Dims[sz.Name]
		}
		if in.Int {
			xs := make([]int, n)
			for i := range xs {
				xs[i] = r.IntN(s.limit[in.Name])
			}
			v.Ints[in.Name] = xs
			continue
		}
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = scale * (2*r.Float64() - 1)
		}
		v.Reals[in.Name] = xs
	}
	return v
}

func request64(v interp.Values) lossrt.Request[float64] {
	return lossrt.Request[float64]{Dims: v.Dims, Params: v.Params, Reals: v.Reals, Ints: v.Ints, Grad: true}
}

func request32(v interp.Values) lossrt.Request[float32] {
	reals := map[string][]float32{}
	for k, xs := range v.Reals {
		ys := make([]float32, len(xs))
		for i, x := range xs {
			ys[i] = float32(x)
		}
		reals[k] = ys
	}
	return lossrt.Request[float32]{Dims: v.Dims, Params: v.Params, Reals: reals, Ints: v.Ints, Grad: true}
}

// probes picks the coordinates to finite-difference: all of them for small
// inputs, a seeded sample (always including the first and last) otherwise.
func probes(n int, r *rand.Rand) []int {
	const maxProbes = 12
	if n <= maxProbes {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := []int{0, n - 1}
	for len(out) < maxProbes {
		out = append(out, r.IntN(n))
	}
	return out
}

// TestGeneratedMatchesInterpreter checks the float64 kernels: loss equal to
// the interpreter's within 1e-12 relative, and each gradient element within
// 1e-7 + 1e-6·|fd| of the central difference (h = 1e-6) of the interpreter.
// The finite difference's own error is about 1e-10 at these scales.
func TestGeneratedMatchesInterpreter(t *testing.T) {
	for _, name := range specNames(t) {
		for _, dims := range sizeSets {
			t.Run(fmt.Sprintf("%s/N=%d,D=%d,C=%d", name, dims["N"], dims["D"], dims["C"]), func(t *testing.T) {
				t.Parallel()
				s := loadSpec(t, name, dims)
				v := s.inputs(dims, uint64(dims["N"]*1000+dims["D"]), 1)
				frozen, want, err := interp.Freeze(s.prog, v)
				require.NoError(t, err)
				got, err := kernels[name].eval64(request64(v))
				require.NoError(t, err)
				require.InDelta(t, want, got.Loss, 1e-12*math.Max(1, math.Abs(want)), "loss")
				checkValues(t, s.prog, v, got.Values)

				r := rand.New(rand.NewPCG(3, 5))
				for _, in := range s.prog.Inputs {
					if !in.Diff {
						continue
					}
					g := got.Grads[in.Name]
					require.Len(t, g, len(v.Reals[in.Name]), "gradient of %s", in.Name)
					for _, k := range probes(len(g), r) {
						fd := centralDiff(t, frozen, v, in.Name, k, 1e-6)
						require.InDelta(t, fd, g[k], 1e-7+1e-6*math.Abs(fd), "d loss / d %s[%d]", in.Name, k)
					}
				}
			})
		}
	}
}

// checkValues compares a kernel's Values (the spec's own definitions after
// the call) with the interpreter's: the same names, the same lengths, and
// every element within 1e-9 relative, or 1e-6 absolute — a distance of a
// sample to itself is a square root of rounding error when the kernel takes
// it from a Gram matrix, and exactly 0 in the interpreter.
func checkValues(t *testing.T, p *dsl.Program, v interp.Values, got map[string][]float64) {
	t.Helper()
	want, err := interp.Definitions(p, v)
	require.NoError(t, err)
	require.Len(t, got, len(want), "Values has every named definition and nothing else")
	for name, w := range want {
		g, ok := got[name]
		require.True(t, ok, "Values lacks %s", name)
		require.Len(t, g, len(w), "Values[%s]", name)
		for k := range w {
			require.InDelta(t, w[k], g[k], 1e-6+1e-9*math.Abs(w[k]), "Values[%s][%d]", name, k)
		}
	}
}

// centralDiff is the central difference of the interpreter in input[k],
// with every stopgrad subexpression held at its value at the unperturbed
// point (frozen), as the generated gradient treats it: a plain difference
// would also differentiate through stopgrad (circle's adaptive weights).
func centralDiff(t *testing.T, frozen *interp.Frozen, v interp.Values, input string, k int, h float64) float64 {
	x := v.Reals[input]
	orig := x[k]
	defer func() { x[k] = orig }()
	x[k] = orig + h
	fp, err := frozen.Eval(v)
	require.NoError(t, err)
	x[k] = orig - h
	fm, err := frozen.Eval(v)
	require.NoError(t, err)
	return (fp - fm) / (2 * h)
}

// TestFloat32MatchesFloat64 checks the float32 kernels against the float64
// ones on the same (float32-representable) inputs: the loss within 1e-5
// relative, and every gradient element within 1e-4 of the largest gradient
// magnitude of that input. float32 carries 24 bits; the sums here run over
// up to 751·131 terms, so this is about a hundred ulps of slack.
func TestFloat32MatchesFloat64(t *testing.T) {
	for _, name := range specNames(t) {
		for _, dims := range sizeSets {
			t.Run(fmt.Sprintf("%s/N=%d,D=%d,C=%d", name, dims["N"], dims["D"], dims["C"]), func(t *testing.T) {
				s := loadSpec(t, name, dims)
				v := s.inputs(dims, uint64(dims["C"]), 1)
				req32 := request32(v)
				for k, xs := range req32.Reals {
					for i, x := range xs {
						v.Reals[k][i] = float64(x)
					}
				}
				want, err := kernels[name].eval64(request64(v))
				require.NoError(t, err)
				got, err := kernels[name].eval32(req32)
				require.NoError(t, err)
				require.InDelta(t, want.Loss, float64(got.Loss), 1e-5*math.Max(1, math.Abs(want.Loss)), "loss")
				for in, g64 := range want.Grads {
					g32 := got.Grads[in]
					require.Len(t, g32, len(g64))
					scale := 0.0
					for _, x := range g64 {
						scale = math.Max(scale, math.Abs(x))
					}
					for i := range g64 {
						require.InDelta(t, g64[i], float64(g32[i]), 1e-4*math.Max(scale, 1e-30), "d loss / d %s[%d]", in, i)
					}
				}
			})
		}
	}
}

// TestWorkspaceMadeLarger runs every spec at the middle and large size sets
// on a workspace made for larger sizes (Request.Max, which goes through
// SetDims), and requires the bits of a workspace made for exactly those
// sizes. At the large set the parallel groups and matrix products run, so
// this covers what the generated TestSetDims, at small sizes, does not.
func TestWorkspaceMadeLarger(t *testing.T) {
	for _, name := range specNames(t) {
		for _, dims := range sizeSets[1:] {
			t.Run(fmt.Sprintf("%s/N=%d", name, dims["N"]), func(t *testing.T) {
				t.Parallel()
				s := loadSpec(t, name, dims)
				v := s.inputs(dims, uint64(dims["N"]*7+dims["D"]), 1)
				r := request64(v)
				want, err := kernels[name].eval64(r)
				require.NoError(t, err)
				r.Max = map[string]int{}
				for k, n := range r.Dims {
					r.Max[k] = n + 3
				}
				got, err := kernels[name].eval64(r)
				require.NoError(t, err)
				sameBits(t, "loss", []float64{want.Loss}, []float64{got.Loss})
				for in, g := range want.Grads {
					sameBits(t, "grad "+in, g, got.Grads[in])
				}
				for def, x := range want.Values {
					sameBits(t, def, x, got.Values[def])
				}
			})
		}
	}
}
