package interp

import (
	"math"
	"math/rand"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/dsl"
)

func loadFile(t *testing.T, file string) *dsl.Program {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	// outer/double.loss uses ../reid_baseline.loss: the compose tree is
	// its include directory.
	p, err := dsl.LoadOpts(file, src, dsl.LoadOptions{Include: []string{"../testdata/compose"}})
	require.NoError(t, err)
	return p
}

func randomReals(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for k := range x {
		x[k] = rng.NormFloat64()
	}
	return x
}

// reidValues is a random batch: N=7 samples of C=3 identities (class 2
// has a single sample, so its anchor has no positive), D=4 features.
func reidValues(seed int64) Values {
	rng := rand.New(rand.NewSource(seed))
	const n, c, d = 7, 3, 4
	return Values{
		Dims: map[string]int{"N": n, "C": c, "D": d},
		Reals: map[string][]float64{
			"logits":  randomReals(rng, n*c),
			"feat":    randomReals(rng, n*d),
			"centers": randomReals(rng, c*d),
		},
		Ints: map[string][]int{"labels": {0, 1, 0, 1, 2, 0, 1}},
	}
}

// separately evaluates the three used specs on their own and returns
// ce + triplet(margin) + weight * center, and the same for the gradients
// w.r.t. logits, feat and centers.
func separately(t *testing.T, v Values, margin, weight float64) (float64, map[string][]float64) {
	t.Helper()
	dir := "../testdata/compose/"
	ce, tri, cen := loadFile(t, dir+"cross_entropy_ls.loss"), loadFile(t, dir+"batch_hard_triplet.loss"), loadFile(t, dir+"parts/center.loss")
	dims := v.Dims
	ceV := Values{Dims: map[string]int{"N": dims["N"], "C": dims["C"]}, Reals: map[string][]float64{"logits": v.Reals["logits"]}, Ints: v.Ints}
	triV := Values{Dims: map[string]int{"N": dims["N"], "D": dims["D"]}, Params: map[string]float64{"margin": margin}, Reals: map[string][]float64{"x": v.Reals["feat"]}, Ints: v.Ints}
	cenV := Values{Dims: dims, Reals: map[string][]float64{"x": v.Reals["feat"], "centers": v.Reals["centers"]}, Ints: v.Ints}
	lce, err := Eval(ce, ceV)
	require.NoError(t, err)
	ltri, err := Eval(tri, triV)
	require.NoError(t, err)
	lcen, err := Eval(cen, cenV)
	require.NoError(t, err)

	gce, err := NumGrad(ce, ceV, 1e-6)
	require.NoError(t, err)
	gtri, err := NumGrad(tri, triV, 1e-6)
	require.NoError(t, err)
	gcen, err := NumGrad(cen, cenV, 1e-6)
	require.NoError(t, err)
	feat := make([]float64, len(gtri["x"]))
	for k := range feat {
		feat[k] = gtri["x"][k] + weight*gcen["x"][k]
	}
	centers := make([]float64, len(gcen["centers"]))
	for k := range centers {
		centers[k] = weight * gcen["centers"][k]
	}
	return lce + ltri + weight*lcen, map[string][]float64{"logits": gce["logits"], "feat": feat, "centers": centers}
}

// TestComposedEqualsSum: the reid_baseline composition (three used specs
// expanded into one Program) equals the sum of the separately evaluated
// losses, in value and in numerical gradient, with default and overridden
// params, and carries the centre update rule of the used center spec.
func TestComposedEqualsSum(t *testing.T) {
	p := loadFile(t, "../testdata/compose/reid_baseline.loss")
	require.Equal(t, []string{"cross_entropy_ls.loss", "batch_hard_triplet.loss", "parts/center.loss"}, p.Uses)
	for seed := int64(1); seed <= 3; seed++ {
		v := reidValues(seed)
		for _, params := range []map[string]float64{nil, {"margin": 1.5, "center_weight": 0.25}} {
			v.Params = params
			margin, weight := 0.3, 0.0005
			if params != nil {
				margin, weight = params["margin"], params["center_weight"]
			}
			want, wantG := separately(t, v, margin, weight)
			got, err := Eval(p, v)
			require.NoError(t, err)
			require.InDelta(t, want, got, 1e-12)

			g, err := NumGrad(p, v, 1e-6)
			require.NoError(t, err)
			require.Len(t, g, 3)
			for name, w := range wantG {
				require.InDeltaSlice(t, w, g[name], 1e-7, name)
			}
		}

		// The centre update comes with the call of center.
		cen := loadFile(t, "../testdata/compose/parts/center.loss")
		want, err := Update(cen, Values{Dims: v.Dims, Reals: map[string][]float64{"x": v.Reals["feat"], "centers": v.Reals["centers"]}, Ints: v.Ints})
		require.NoError(t, err)
		got, err := Update(p, Values{Dims: v.Dims, Reals: v.Reals, Ints: v.Ints})
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
}

// TestNestedComposition: a spec using reid_baseline (which uses three
// specs) through a relative path, with a definition as an argument and a
// param argument computed from a size.
func TestNestedComposition(t *testing.T) {
	outer := loadFile(t, "../testdata/compose/outer/double.loss")
	require.Equal(t, []string{"../reid_baseline.loss", "../cross_entropy_ls.loss", "../batch_hard_triplet.loss", "../parts/center.loss"}, outer.Uses)
	reid := loadFile(t, "../testdata/compose/reid_baseline.loss")
	v := reidValues(4)
	got, err := Eval(outer, v)
	require.NoError(t, err)

	f := make([]float64, len(v.Reals["feat"]))
	for k, x := range v.Reals["feat"] {
		f[k] = 2 * x
	}
	w := Values{Dims: v.Dims, Params: map[string]float64{"center_weight": 1.0 / 3}, Ints: v.Ints,
		Reals: map[string][]float64{"logits": v.Reals["logits"], "feat": f, "centers": v.Reals["centers"]}}
	want, err := Eval(reid, w)
	require.NoError(t, err)
	require.InDelta(t, 2*want, got, 1e-12)
	require.False(t, math.IsNaN(got))

	up, err := Update(outer, v)
	require.NoError(t, err)
	wantUp, err := Update(reid, w)
	require.NoError(t, err)
	require.Equal(t, wantUp, up)
}
