// Tests in this file pin the numerical conventions of docs/numerics.md on
// the generated kernels, at the inputs where hand-written losses and
// autograd frameworks break: zero distances, exact ties, extreme values,
// invalid inputs and reproducibility. Every case runs the float64 and the
// float32 kernel on the same inputs, chosen to be exactly representable in
// float32, and asserts finite output and the documented value.
package generated_test

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	lossrt "github.com/lossgen/lossgen/runtime"

	"github.com/lossgen/lossgen/generated/batchhardtriplet"
	"github.com/lossgen/lossgen/generated/center"
	"github.com/lossgen/lossgen/generated/contrastive"
	"github.com/lossgen/lossgen/generated/crossentropy"
	"github.com/lossgen/lossgen/generated/crossentropyls"
	"github.com/lossgen/lossgen/generated/heterocenter"
	"github.com/lossgen/lossgen/generated/improvedtriplet"
	"github.com/lossgen/lossgen/generated/softmax"
	"github.com/lossgen/lossgen/generated/triplet"
)

// edgeCase is one set of inputs for one spec.
type edgeCase struct {
	spec   string
	dims   map[string]int
	params map[string]float64
	reals  map[string][]float64
	ints   map[string][]int
}

// typed is a kernel's answer in one element type, widened to float64.
type typed struct {
	typ   string
	loss  float64
	grads map[string][]float64
	tol   float64 // the tolerance a float comparison of this type gets
}

// run evaluates c with the float64 and the float32 kernel, requiring every
// number of the answer to be finite. tol64 and tol32 are the absolute
// tolerances the caller's comparisons use for each type.
func (c edgeCase) run(t *testing.T, tol64, tol32 float64) []typed {
	t.Helper()
	k, ok := kernels[c.spec]
	require.True(t, ok, "no kernel %s", c.spec)
	r64 := lossrt.Request[float64]{Dims: c.dims, Params: c.params, Reals: c.reals, Ints: c.ints, Grad: true}
	res64, err := k.eval64(r64)
	require.NoError(t, err)
	r32 := lossrt.Request[float32]{Dims: c.dims, Params: c.params, Reals: map[string][]float32{}, Ints: c.ints, Grad: true}
	for name, xs := range c.reals {
		ys := make([]float32, len(xs))
		for i, x := range xs {
			ys[i] = float32(x)
			require.Equal(t, x, float64(ys[i]), "test input %s[%d] = %v is not a float32", name, i, x)
		}
		r32.Reals[name] = ys
	}
	res32, err := k.eval32(r32)
	require.NoError(t, err)

	out := []typed{{typ: "float64", loss: res64.Loss, grads: res64.Grads, tol: tol64}}
	g32 := map[string][]float64{}
	for name, ys := range res32.Grads {
		xs := make([]float64, len(ys))
		for i, y := range ys {
			xs[i] = float64(y)
		}
		g32[name] = xs
	}
	out = append(out, typed{typ: "float32", loss: float64(res32.Loss), grads: g32, tol: tol32})
	for _, r := range out {
		requireFinite(t, r)
	}
	return out
}

func requireFinite(t *testing.T, r typed) {
	t.Helper()
	require.False(t, math.IsNaN(r.loss) || math.IsInf(r.loss, 0), "%s: loss = %v", r.typ, r.loss)
	for name, g := range r.grads {
		for i, x := range g {
			require.False(t, math.IsNaN(x) || math.IsInf(x, 0), "%s: d loss / d %s[%d] = %v", r.typ, name, i, x)
		}
	}
}

// assertGrad compares a whole gradient with want within the type's tolerance.
func assertGrad(t *testing.T, r typed, name string, want []float64) {
	t.Helper()
	got := r.grads[name]
	require.Len(t, got, len(want), "%s: gradient of %s", r.typ, name)
	for i := range want {
		assert.InDelta(t, want[i], got[i], r.tol, "%s: d loss / d %s[%d]", r.typ, name, i)
	}
}

// assertZero requires the elements [from, to) of a gradient to be exactly 0.
func assertZero(t *testing.T, r typed, name string, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		assert.Zero(t, r.grads[name][i], "%s: d loss / d %s[%d] must be exactly 0", r.typ, name, i)
	}
}

// ---------------------------------------------------------------------------
// Zero Euclidean distance: sqrt'(0) is 0, so ‖x - x‖ passes no gradient and
// nothing is NaN (autograd gives inf·0 = NaN here).

func TestEdgeTripletZeroDistance(t *testing.T) {
	c := edgeCase{
		spec: "triplet",
		dims: map[string]int{"N": 3, "D": 4},
		reals: map[string][]float64{
			// row 0: anchor == positive, dan = 0.125 (active hinge)
			// row 1: anchor == positive == negative (active hinge, both distances 0)
			// row 2: dap = 0.5, dan = 0.75 (active hinge)
			"anchor":   {0.5, 0.25, -0.5, 1, 0.75, -1, 0.125, 0, 0, 0, 0, 0},
			"positive": {0.5, 0.25, -0.5, 1, 0.75, -1, 0.125, 0, 0.5, 0, 0, 0},
			"negative": {0.375, 0.25, -0.5, 1, 0.75, -1, 0.125, 0, 0, 0.75, 0, 0},
		},
	}
	for _, r := range c.run(t, 1e-12, 1e-6) {
		// (0.3 - 0.125) + 0.3 + (0.5 - 0.75 + 0.3), over N = 3.
		assert.InDelta(t, (0.175+0.3+0.05)/3, r.loss, r.tol, r.typ)
		// Row 0: only dan carries a gradient, (a - n)/dan = (1, 0, 0, 0).
		assertZero(t, r, "positive", 0, 4)
		assertGrad(t, r, "anchor", []float64{-1.0 / 3, 0, 0, 0, 0, 0, 0, 0, -1.0 / 3, 1.0 / 3, 0, 0})
		assertGrad(t, r, "negative", []float64{1.0 / 3, 0, 0, 0, 0, 0, 0, 0, 0, -1.0 / 3, 0, 0})
		assertGrad(t, r, "positive", []float64{0, 0, 0, 0, 0, 0, 0, 0, 1.0 / 3, 0, 0, 0})
		// Row 1: both distances are 0; the gradient is exactly 0.
		for _, in := range []string{"anchor", "positive", "negative"} {
			assertZero(t, r, in, 4, 8)
		}
	}
}

func TestEdgeContrastiveIdenticalPairs(t *testing.T) {
	c := edgeCase{
		spec: "contrastive",
		dims: map[string]int{"N": 3, "D": 3},
		reals: map[string][]float64{
			// row 0: identical similar pair; row 1: identical dissimilar
			// pair (d = 0 < margin); row 2: a dissimilar pair at d = 0.5.
			"x1": {0.25, -1, 3, 0.25, -1, 3, 0, 0, 0},
			"x2": {0.25, -1, 3, 0.25, -1, 3, 0, 0.5, 0},
		},
		ints: map[string][]int{"y": {1, 0, 0}},
	}
	for _, r := range c.run(t, 1e-12, 1e-6) {
		// ½·0 + ½·relu(1 - 0)² + ½·relu(1 - 0.5)², over N = 3.
		assert.InDelta(t, (0+0.5+0.125)/3, r.loss, r.tol, r.typ)
		for _, in := range []string{"x1", "x2"} {
			// Similar pair: 2(x1 - x2) = 0. Dissimilar pair at d = 0: the
			// direction to push apart is undefined; sqrt'(0) = 0 makes
			// the gradient exactly 0.
			assertZero(t, r, in, 0, 6)
		}
		// Row 2: -(m - d)·(x1 - x2)/d / N = -0.5·(0, -1, 0)/3 for x1.
		assertGrad(t, r, "x1", []float64{0, 0, 0, 0, 0, 0, 0, 0.5 / 3, 0})
		assertGrad(t, r, "x2", []float64{0, 0, 0, 0, 0, 0, 0, -0.5 / 3, 0})
	}
}

func TestEdgeCenterOnItsCentre(t *testing.T) {
	c := edgeCase{
		spec: "center",
		dims: map[string]int{"N": 2, "D": 3, "C": 2},
		reals: map[string][]float64{
			"x":       {0.5, -0.25, 2, 1, 1, 1},
			"centers": {0.5, -0.25, 2, 0, 1, 0.5},
		},
		ints: map[string][]int{"labels": {0, 1}},
	}
	for _, r := range c.run(t, 1e-12, 1e-6) {
		// Only sample 1 is off its centre: ‖(1, 0, 0.5)‖² = 1.25, / (2N).
		assert.InDelta(t, 1.25/4, r.loss, r.tol, r.typ)
		assertZero(t, r, "x", 0, 3)
		assertZero(t, r, "centers", 0, 3)
		assertGrad(t, r, "x", []float64{0, 0, 0, 0.5, 0, 0.25})
		assertGrad(t, r, "centers", []float64{0, 0, 0, -0.5, 0, -0.25})
	}
}

// ---------------------------------------------------------------------------
// Ties.

func TestEdgeCrossEntropyTiedLogits(t *testing.T) {
	z := []float64{0.5, 0.5, -1, 2, 2, 2}
	c := edgeCase{
		spec:  "cross_entropy",
		dims:  map[string]int{"N": 2, "C": 3},
		reals: map[string][]float64{"logits": z},
		ints:  map[string][]int{"labels": {2, 0}},
	}
	want, loss := softmaxCE(z, []int{2, 0}, 3, 0)
	for _, r := range c.run(t, 1e-12, 1e-6) {
		assert.InDelta(t, loss, r.loss, r.tol, r.typ)
		assertGrad(t, r, "logits", want)
		g := r.grads["logits"]
		// Tied logits get bit-identical gradients: the gradient is the
		// softmax, which does not pick a winner.
		assert.Equal(t, g[0], g[1], "%s: tied logits", r.typ)
		assert.Equal(t, g[4], g[5], "%s: tied logits", r.typ)
	}
}

func TestEdgeTripletHingeAtZero(t *testing.T) {
	c := edgeCase{
		spec:   "triplet",
		dims:   map[string]int{"N": 2, "D": 1},
		params: map[string]float64{"margin": 0.5},
		reals: map[string][]float64{
			// Row 0: dap = 1, dan = 1.5, margin 0.5: the hinge argument is
			// exactly 0. Row 1: dap = 2, dan = 1.5: active.
			"anchor":   {0, 0},
			"positive": {1, 2},
			"negative": {1.5, -1.5},
		},
	}
	for _, r := range c.run(t, 1e-12, 1e-6) {
		assert.InDelta(t, 0.5, r.loss, r.tol, r.typ) // (0 + 1) / 2
		// relu'(0) = 0: row 0 gets no gradient at all.
		for _, in := range []string{"anchor", "positive", "negative"} {
			assertZero(t, r, in, 0, 1)
		}
		// Row 1: (a - p)/dap - (a - n)/dan = -1 - 1, over N = 2.
		assertGrad(t, r, "anchor", []float64{0, -1})
		assertGrad(t, r, "positive", []float64{0, 0.5})
		assertGrad(t, r, "negative", []float64{0, 0.5})
	}
}

func TestEdgeImprovedTripletTieRoutesToFirst(t *testing.T) {
	c := edgeCase{
		spec: "improved_triplet",
		dims: map[string]int{"N": 1, "D": 2},
		reals: map[string][]float64{
			// dap = 1, dan = 2: dap - dan = -1 = tau1, a tie in
			// max(dap - dan, tau1).
			"anchor":   {0, 0},
			"positive": {1, 0},
			"negative": {1, 1},
		},
	}
	const beta = 0.002
	for _, r := range c.run(t, 1e-12, 1e-6) {
		assert.InDelta(t, -1+beta*1, r.loss, r.tol, r.typ)
		// The tie routes the gradient to the first argument, dap - dan:
		// d/da = 2(a - p) - 2(a - n), plus beta·2(a - p) from max(dap, tau2).
		// Routed to tau1 instead, negative would get no gradient.
		assertGrad(t, r, "anchor", []float64{-2*beta + 0, 2})
		assertGrad(t, r, "positive", []float64{2 + 2*beta, 0})
		assertGrad(t, r, "negative", []float64{-2, -2})
	}
}

// ---------------------------------------------------------------------------
// Extreme values.

// softmaxCE is the reference: the gradient (p - q)/N of the mean
// cross-entropy with targets q = (1-eps)·onehot + eps/C, and its value,
// computed in float64 with the max shift.
func softmaxCE(z []float64, labels []int, C int, eps float64) (grad []float64, loss float64) {
	N := len(labels)
	grad = make([]float64, len(z))
	for i := 0; i < N; i++ {
		row := z[i*C : (i+1)*C]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = math.Max(mx, v)
		}
		s := 0.0
		for _, v := range row {
			s += math.Exp(v - mx)
		}
		lse := mx + math.Log(s)
		for j, v := range row {
			q := eps / float64(C)
			if j == labels[i] {
				q += 1 - eps
			}
			grad[i*C+j] = (math.Exp(v-lse) - q) / float64(N)
			loss += -q * (v - lse) / float64(N)
		}
	}
	return grad, loss
}

var hugeLogits = []float64{
	1e4, -1e4, 0, 5,
	-1e4, 1e4, 1e4, -1e4,
	1e4, 1e4 - 8, -1e4, 1e4,
}

func TestEdgeCrossEntropyHugeLogits(t *testing.T) {
	labels := []int{1, 2, 1}
	for _, eps := range []float64{0, 0.1} {
		spec := "cross_entropy"
		var params map[string]float64
		if eps != 0 {
			spec = "cross_entropy_ls"
			params = map[string]float64{"eps": eps}
		}
		t.Run(spec, func(t *testing.T) {
			c := edgeCase{
				spec:   spec,
				dims:   map[string]int{"N": 3, "C": 4},
				params: params,
				reals:  map[string][]float64{"logits": hugeLogits},
				ints:   map[string][]int{"labels": labels},
			}
			want, loss := softmaxCE(hugeLogits, labels, 4, eps)
			// The float32 kernel computes in float64 and rounds its
			// answers: the loss (about 6700) to within an ulp of float32.
			for _, r := range c.run(t, 1e-12, 1e-6) {
				assert.InDelta(t, loss, r.loss, r.tol*max(1, math.Abs(loss)), r.typ)
				assertGrad(t, r, "logits", want)
			}
		})
	}
}

func TestEdgeSoftmaxHugeWeights(t *testing.T) {
	const N, D, C = 2, 2, 3
	x := []float64{1, 0.5, -1, 2}
	w := []float64{1e4, -1e4, -5000, 1e4, 0, 0.25}
	b := []float64{0, 1, -1}
	labels := []int{0, 2}
	z := make([]float64, N*C)
	for i := 0; i < N; i++ {
		for c := 0; c < C; c++ {
			z[i*C+c] = b[c]
			for k := 0; k < D; k++ {
				z[i*C+c] += x[i*D+k] * w[c*D+k]
			}
		}
	}
	gz, loss := softmaxCE(z, labels, C, 0)
	gx, gw, gb := make([]float64, N*D), make([]float64, C*D), make([]float64, C)
	for i := 0; i < N; i++ {
		for c := 0; c < C; c++ {
			gb[c] += gz[i*C+c]
			for k := 0; k < D; k++ {
				gx[i*D+k] += gz[i*C+c] * w[c*D+k]
				gw[c*D+k] += gz[i*C+c] * x[i*D+k]
			}
		}
	}
	c := edgeCase{
		spec:  "softmax",
		dims:  map[string]int{"N": N, "D": D, "C": C},
		reals: map[string][]float64{"x": x, "w": w, "b": b},
		ints:  map[string][]int{"labels": labels},
	}
	for _, r := range c.run(t, 1e-12, 1e-6) {
		assert.InDelta(t, loss, r.loss, r.tol*max(1, math.Abs(loss)), r.typ)
		assertGrad(t, r, "b", gb)
		assertGrad(t, r, "w", gw)
		// x's gradient is Wᵀg: entries of w are 1e4, so the absolute
		// error scales with them.
		got := r.grads["x"]
		for i := range gx {
			assert.InDelta(t, gx[i], got[i], r.tol*1e4, "%s: d loss / d x[%d]", r.typ, i)
		}
	}
}

func TestEdgeLargeFeatures(t *testing.T) {
	t.Run("triplet", func(t *testing.T) {
		c := edgeCase{
			spec: "triplet",
			dims: map[string]int{"N": 2, "D": 2},
			reals: map[string][]float64{
				// Row 0: dap = 500, dan = 1000·√2 (inactive).
				// Row 1: dap = 5000 (3000, 4000), dan = 1000: active.
				"anchor":   {1000, -1000, 0, 1000},
				"positive": {1000, -500, 3000, 5000},
				"negative": {0, 0, 0, 0},
			},
		}
		for _, r := range c.run(t, 1e-12, 1e-6) {
			assert.InDelta(t, (5000-1000+0.3)/2, r.loss, r.tol*1e4, r.typ)
			assertZero(t, r, "anchor", 0, 2)
			// (a - p)/dap - (a - n)/dan = (-0.6, -0.8) - (0, 1), over N = 2.
			assertGrad(t, r, "anchor", []float64{0, 0, -0.3, -0.9})
			assertGrad(t, r, "positive", []float64{0, 0, 0.3, 0.4})
			assertGrad(t, r, "negative", []float64{0, 0, 0, 0.5})
		}
	})
	t.Run("center", func(t *testing.T) {
		c := edgeCase{
			spec: "center",
			dims: map[string]int{"N": 2, "D": 2, "C": 1},
			reals: map[string][]float64{
				"x":       {1000, -1000, -1000, 3000},
				"centers": {0, 1000},
			},
			ints: map[string][]int{"labels": {0, 0}},
		}
		for _, r := range c.run(t, 1e-12, 1e-6) {
			// (1e6 + 4e6 + 1e6 + 4e6) / (2N)
			assert.InDelta(t, 1e7/4, r.loss, r.tol*1e7, r.typ)
			assertGrad(t, r, "x", []float64{500, -1000, -500, 1000})
			assertGrad(t, r, "centers", []float64{0, 0})
		}
	})
}

func TestEdgeSingleClass(t *testing.T) {
	// With C = 1 the softmax is 1 and logsumexp is the logit itself, exactly:
	// the loss and every gradient are exactly 0, whatever the logit.
	logits := []float64{5, -1e4, 0.25, 1e4}
	labels := []int{0, 0, 0, 0}
	c := edgeCase{
		spec:  "cross_entropy",
		dims:  map[string]int{"N": 4, "C": 1},
		reals: map[string][]float64{"logits": logits},
		ints:  map[string][]int{"labels": labels},
	}
	for _, r := range c.run(t, 0, 0) {
		assert.Zero(t, r.loss, r.typ)
		assertZero(t, r, "logits", 0, 4)
	}
	// Label smoothing computes lse - (1-eps)·z - eps·z, which rounds: the
	// loss is 0 to within an ulp of the logits, the gradient exactly 0.
	c = edgeCase{
		spec:  "cross_entropy_ls",
		dims:  map[string]int{"N": 4, "C": 1},
		reals: map[string][]float64{"logits": {5, 0.375, -2.5, 1e4}},
		ints:  map[string][]int{"labels": labels},
	}
	for _, r := range c.run(t, 0x1p-52*1e4, 0x1p-23*1e4) {
		assert.InDelta(t, 0, r.loss, r.tol, r.typ)
		assertZero(t, r, "logits", 0, 4)
	}
	c = edgeCase{
		spec: "softmax",
		dims: map[string]int{"N": 2, "D": 2, "C": 1},
		reals: map[string][]float64{
			"x": {0.5, -2, 1e3, 3}, "w": {1.5, -0.25}, "b": {7},
		},
		ints: map[string][]int{"labels": {0, 0}},
	}
	for _, r := range c.run(t, 0, 0) {
		assert.Zero(t, r.loss, r.typ)
		assertZero(t, r, "x", 0, 4)
		assertZero(t, r, "w", 0, 2)
		assertZero(t, r, "b", 0, 1)
	}
}

// ---------------------------------------------------------------------------
// Invalid input: typed errors, never a panic.

// A gradient slice that shares memory with an input, or with another
// gradient slice, is refused before the kernel runs: Grad clears its
// gradients first and reads its inputs while it writes them, so an alias
// returned a wrong loss and gradients with a nil error. Disjoint halves of
// one buffer are fine.
func TestEdgeAliasing(t *testing.T) {
	var aliasErr *lossrt.AliasError
	ws, err := triplet.NewWorkspace64(triplet.Dims{N: 2, D: 3})
	require.NoError(t, err)
	buf := make([]float64, 24)
	a, p, n := buf[0:6], buf[6:12], buf[12:18]
	for i := range buf {
		buf[i] = float64(i%5) - 2
	}
	in := triplet.Inputs64{Anchor: a, Positive: p, Negative: n}
	before := slices.Clone(buf)
	for _, tt := range []struct {
		grad        triplet.Grads64
		name, other string
	}{
		{triplet.Grads64{Anchor: a}, "grad anchor", "anchor"},
		{triplet.Grads64{Positive: buf[3:9]}, "grad positive", "anchor"}, // straddles anchor and positive
		{triplet.Grads64{Negative: make([]float64, 6), Anchor: buf[18:24], Positive: buf[18:24]}, "grad anchor", "grad positive"},
	} {
		_, err := ws.Grad(in, tt.grad)
		require.True(t, errors.As(err, &aliasErr), "%+v: %v", tt.grad, err)
		assert.Equal(t, lossrt.AliasError{Grad: tt.name, Other: tt.other}, *aliasErr)
		_, err = ws.GradAccum(in, tt.grad, 1)
		require.True(t, errors.As(err, &aliasErr), "GradAccum %+v: %v", tt.grad, err)
		require.Equal(t, before, buf, "a refused call wrote into the buffers")
	}
	// The same buffer, split without overlap, is accepted.
	_, err = ws.Grad(in, triplet.Grads64{Anchor: buf[18:24]})
	require.NoError(t, err)
	// An input passed twice (the same anchor as positive) reads only.
	_, err = ws.Grad(triplet.Inputs64{Anchor: a, Positive: a, Negative: n}, triplet.Grads64{Anchor: make([]float64, 6)})
	require.NoError(t, err)
}

// Sizes whose workspace would not fit the memory budget are an error that
// says how much they need, before anything is allocated: N = 2²⁴ for
// batch-hard (N² distances) used to panic in make, and a size no input pins
// (hetero_center's U) to crash out of memory. The budget can be raised.
func TestEdgeMemoryBudget(t *testing.T) {
	var memErr *lossrt.MemoryError
	_, err := batchhardtriplet.NewWorkspace64(batchhardtriplet.Dims{N: 1 << 24, D: 1})
	require.True(t, errors.As(err, &memErr), "%v", err)
	assert.Equal(t, batchhardtriplet.Workspace64Bytes(batchhardtriplet.Dims{N: 1 << 24, D: 1}), memErr.Need)
	assert.Greater(t, memErr.Need, 8*float64(1<<48)) // at least the N² distances
	assert.Contains(t, err.Error(), "batch_hard_triplet workspace for these sizes needs")
	_, err = heterocenter.NewWorkspace32(heterocenter.Dims{N: 1, M: 1, D: 1, U: 1e15})
	require.True(t, errors.As(err, &memErr), "%v", err)

	// The bytes are what the workspace allocates: a budget of exactly
	// that passes, one byte less does not.
	d := batchhardtriplet.Dims{N: 64, D: 128}
	need := batchhardtriplet.Workspace32Bytes(d)
	defer lossrt.SetMemoryBudget(lossrt.SetMemoryBudget(int64(need)))
	_, err = batchhardtriplet.NewWorkspace32(d)
	require.NoError(t, err)
	lossrt.SetMemoryBudget(int64(need) - 1)
	_, err = batchhardtriplet.NewWorkspace32(d)
	require.True(t, errors.As(err, &memErr), "%v", err)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	lossrt.SetMemoryBudget(int64(need))
	_, err = batchhardtriplet.NewWorkspace32(d)
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	allocated := float64(after.TotalAlloc - before.TotalAlloc)
	assert.InDelta(t, need, allocated, need*0.05+4096, "Workspace32Bytes against what NewWorkspace32 allocated")
}

func TestEdgeErrors(t *testing.T) {
	var dimErr *lossrt.DimError
	var lenErr *lossrt.LengthError
	var labErr *lossrt.LabelError

	for _, d := range []triplet.Dims{{N: 0, D: 3}, {N: 2, D: -1}} {
		_, err := triplet.NewWorkspace64(d)
		require.True(t, errors.As(err, &dimErr), "NewWorkspace64(%+v): %v", d, err)
		_, err = triplet.NewWorkspace32(d)
		require.True(t, errors.As(err, &dimErr), "NewWorkspace32(%+v): %v", d, err)
	}
	_, err := crossentropy.NewWorkspace64(crossentropy.Dims{N: 2, C: 0})
	require.True(t, errors.As(err, &dimErr), "%v", err)
	assert.Equal(t, "C", dimErr.Size)

	// Wrong slice lengths, of an input and of a gradient.
	t64, err := triplet.NewWorkspace64(triplet.Dims{N: 2, D: 3})
	require.NoError(t, err)
	six := make([]float64, 6)
	_, err = t64.Grad(triplet.Inputs64{Anchor: six, Positive: six, Negative: six[:5]}, triplet.Grads64{})
	require.True(t, errors.As(err, &lenErr), "%v", err)
	assert.Equal(t, lossrt.LengthError{Name: "negative", Shape: "[N, D] = [2, 3]", Want: 6, Got: 5}, *lenErr)
	_, err = t64.Grad(triplet.Inputs64{Anchor: six, Positive: six, Negative: six}, triplet.Grads64{Anchor: make([]float64, 7)})
	require.True(t, errors.As(err, &lenErr), "%v", err)
	assert.Equal(t, "grad anchor", lenErr.Name)
	_, err = t64.Loss(triplet.Inputs64{Anchor: nil, Positive: six, Negative: six})
	require.True(t, errors.As(err, &lenErr), "%v", err)
	t32, err := triplet.NewWorkspace32(triplet.Dims{N: 2, D: 3})
	require.NoError(t, err)
	six32 := make([]float32, 6)
	_, err = t32.GradAccum(triplet.Inputs32{Anchor: six32[:1], Positive: six32, Negative: six32}, triplet.Grads32{}, 1)
	require.True(t, errors.As(err, &lenErr), "%v", err)

	// Labels out of range, above and below, in every kernel that gathers.
	for _, bad := range []int{3, 4, -1} {
		labels := []int{0, bad}
		want := lossrt.LabelError{Name: "labels", Index: 1, Value: bad, Limit: 3, Size: "C"}

		ce64, err := crossentropy.NewWorkspace64(crossentropy.Dims{N: 2, C: 3})
		require.NoError(t, err)
		_, err = ce64.Grad(crossentropy.Inputs64{Logits: make([]float64, 6), Labels: labels}, crossentropy.Grads64{Logits: make([]float64, 6)})
		require.True(t, errors.As(err, &labErr), "cross_entropy label %d: %v", bad, err)
		assert.Equal(t, want, *labErr)
		ce32, err := crossentropy.NewWorkspace32(crossentropy.Dims{N: 2, C: 3})
		require.NoError(t, err)
		_, err = ce32.Loss(crossentropy.Inputs32{Logits: make([]float32, 6), Labels: labels})
		require.True(t, errors.As(err, &labErr), "cross_entropy float32 label %d: %v", bad, err)

		ls, err := crossentropyls.NewWorkspace64(crossentropyls.Dims{N: 2, C: 3})
		require.NoError(t, err)
		_, err = ls.Loss(crossentropyls.Inputs64{Logits: make([]float64, 6), Labels: labels})
		require.True(t, errors.As(err, &labErr), "cross_entropy_ls label %d: %v", bad, err)

		sm, err := softmax.NewWorkspace64(softmax.Dims{N: 2, D: 1, C: 3})
		require.NoError(t, err)
		_, err = sm.Grad(softmax.Inputs64{X: make([]float64, 2), W: make([]float64, 3), B: make([]float64, 3), Labels: labels}, softmax.Grads64{})
		require.True(t, errors.As(err, &labErr), "softmax label %d: %v", bad, err)

		ct, err := center.NewWorkspace32(center.Dims{N: 2, D: 1, C: 3})
		require.NoError(t, err)
		_, err = ct.Grad(center.Inputs32{X: make([]float32, 2), Centers: make([]float32, 3), Labels: labels}, center.Grads32{})
		require.True(t, errors.As(err, &labErr), "center label %d: %v", bad, err)
	}

	// The dynamic entry points report the same types.
	_, err = contrastive.Eval64(lossrt.Request[float64]{Dims: map[string]int{"N": -1, "D": 2}, Reals: map[string][]float64{"x1": nil, "x2": nil}, Ints: map[string][]int{"y": nil}})
	require.True(t, errors.As(err, &dimErr), "%v", err)
	_, err = improvedtriplet.Eval32(lossrt.Request[float32]{Dims: map[string]int{"N": 1, "D": 2}, Reals: map[string][]float32{"anchor": {1, 2}, "positive": {1, 2}, "negative": {1}}, Grad: true})
	require.True(t, errors.As(err, &lenErr), "%v", err)
}

// ---------------------------------------------------------------------------
// Reproducibility: identical inputs give identical bits, whatever the call
// history of the workspace and GOMAXPROCS.

// resultLen is the number of gradient elements of a result.
func resultLen[T float32 | float64](grads map[string][]T) int {
	n := 0
	for _, g := range grads {
		n += len(g)
	}
	return n
}

// equalBits fails the test at the first number whose bits differ
// (require.Equal would diff the whole slices by reflection: seconds for the
// millions of numbers these results hold).
func equalBits(t *testing.T, want, got []uint64, what string, args ...any) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d numbers, want %d", fmt.Sprintf(what, args...), len(got), len(want))
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("%s: number %d (0 is the loss) has bits %#x, want %#x", fmt.Sprintf(what, args...), i, got[i], want[i])
		}
	}
}

// bits is a result reduced to its bit patterns, for exact comparison.
func bits64(r lossrt.Result[float64]) []uint64 {
	out := make([]uint64, 1, 1+resultLen(r.Grads))
	out[0] = math.Float64bits(r.Loss)
	for _, name := range slices.Sorted(maps.Keys(r.Grads)) {
		for _, x := range r.Grads[name] {
			out = append(out, math.Float64bits(x))
		}
	}
	return out
}

func bits32(r lossrt.Result[float32]) []uint64 {
	out := make([]uint64, 1, 1+resultLen(r.Grads))
	out[0] = uint64(math.Float32bits(r.Loss))
	for _, name := range slices.Sorted(maps.Keys(r.Grads)) {
		for _, x := range r.Grads[name] {
			out = append(out, uint64(math.Float32bits(x)))
		}
	}
	return out
}

// Identical inputs give identical bits on every call and at any GOMAXPROCS.
// The sizes put every spec's large loops and matrix products above the
// thresholds at which the workspace splits them among its goroutines (one
// goroutine at GOMAXPROCS=1, two or eight otherwise), so the split is what
// is being compared. softtriple's K centres per class stay at 3 (its C·K·D
// weights would be 75M numbers at K = N) and the queues of moco and xbm hold
// Q = 131 rows.
func TestEdgeBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	dims := map[string]int{"N": 97, "D": 1031, "C": 751, "K": 3, "Q": 131}
	for _, name := range specNames(t) {
		s := loadSpec(t, name, dims)
		v := s.inputs(dims, 11, 1)
		k := kernels[name]
		var first64, first32 []uint64
		for run, procs := range []int{1, 1, 2, 2, 8} {
			runtime.GOMAXPROCS(procs)
			r64, err := k.eval64(request64(v))
			require.NoError(t, err)
			r32, err := k.eval32(request32(v))
			require.NoError(t, err)
			if run == 0 {
				first64, first32 = bits64(r64), bits32(r32)
				continue
			}
			equalBits(t, first64, bits64(r64), "%s float64, run %d, GOMAXPROCS=%d", name, run, procs)
			equalBits(t, first32, bits32(r32), "%s float32, run %d, GOMAXPROCS=%d", name, run, procs)
		}
	}
}

// The same again with eight goroutines per workspace while the garbage
// collector runs all the time: each call makes a workspace and drops it, so
// pools start and are stopped by their cleanups around the calls.
func TestEdgeBitIdenticalUnderGC(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	dims := map[string]int{"N": 97, "D": 1031, "C": 751, "K": 3, "Q": 131}
	for _, name := range specNames(t) {
		s := loadSpec(t, name, dims)
		v := s.inputs(dims, 13, 1)
		k := kernels[name]
		var first []uint64
		for run := range 8 {
			r, err := k.eval32(request32(v))
			require.NoError(t, err)
			if run == 0 {
				first = bits32(r)
				continue
			}
			equalBits(t, first, bits32(r), "%s float32, run %d", name, run)
		}
	}
}

// A workspace carries no state from one call to the next: A, then B, then A
// again gives A's bits, with Grad and with GradAccum into zeroed buffers.
func TestEdgeWorkspaceReuse(t *testing.T) {
	const N, D = 9, 13
	mk := func(seed float64) []float64 {
		xs := make([]float64, N*D)
		for i := range xs {
			xs[i] = math.Sin(seed*float64(i+1)) * 2
		}
		return xs
	}
	a := triplet.Inputs64{Anchor: mk(1), Positive: mk(2), Negative: mk(3)}
	b := triplet.Inputs64{Anchor: mk(4), Positive: mk(5), Negative: mk(6)}
	ws, err := triplet.NewWorkspace64(triplet.Dims{N: N, D: D})
	require.NoError(t, err)
	grad := func(in triplet.Inputs64, accum bool) []uint64 {
		g := triplet.Grads64{Anchor: make([]float64, N*D), Positive: make([]float64, N*D), Negative: make([]float64, N*D)}
		var loss float64
		if accum {
			loss, err = ws.GradAccum(in, g, 1)
		} else {
			loss, err = ws.Grad(in, g)
		}
		require.NoError(t, err)
		return bits64(lossrt.Result[float64]{Loss: loss, Grads: map[string][]float64{"anchor": g.Anchor, "positive": g.Positive, "negative": g.Negative}})
	}
	first := grad(a, false)
	grad(b, false)
	require.Equal(t, first, grad(a, false))
	require.Equal(t, first, grad(a, true))

	ce, err := crossentropy.NewWorkspace32(crossentropy.Dims{N: N, C: D})
	require.NoError(t, err)
	logits := func(seed float64) []float32 {
		xs := make([]float32, N*D)
		for i := range xs {
			xs[i] = float32(math.Cos(seed*float64(i+1)) * 3)
		}
		return xs
	}
	labels := make([]int, N)
	for i := range labels {
		labels[i] = (i * 5) % D
	}
	ceGrad := func(z []float32) string {
		g := make([]float32, N*D)
		loss, err := ce.Grad(crossentropy.Inputs32{Logits: z, Labels: labels}, crossentropy.Grads32{Logits: g})
		require.NoError(t, err)
		return fmt.Sprint(bits32(lossrt.Result[float32]{Loss: loss, Grads: map[string][]float32{"logits": g}}))
	}
	firstCE := ceGrad(logits(1))
	ceGrad(logits(2))
	require.Equal(t, firstCE, ceGrad(logits(1)))
}
