package interp

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// wenUpdate is the centre update of Wen et al. 2016, written directly:
// Δc_j = Σ_i δ(y_i = j)(c_j − x_i) / (1 + Σ_i δ(y_i = j)), c_j ← c_j − α·Δc_j.
func wenUpdate(x, centers []float64, labels []int, n, c, d int, alpha float64) []float64 {
	out := make([]float64, c*d)
	for j := 0; j < c; j++ {
		cnt := 0
		delta := make([]float64, d)
		for i := 0; i < n; i++ {
			if labels[i] != j {
				continue
			}
			cnt++
			for k := 0; k < d; k++ {
				delta[k] += centers[j*d+k] - x[i*d+k]
			}
		}
		for k := 0; k < d; k++ {
			out[j*d+k] = centers[j*d+k] - alpha*delta[k]/float64(1+cnt)
		}
	}
	return out
}

func TestCenterUpdateMatchesWen(t *testing.T) {
	p := loadFile(t, "../testdata/center_update.loss")
	require.Len(t, p.Updates, 1)
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 20; trial++ {
		n, c, d := 1+rng.Intn(9), 1+rng.Intn(5), 1+rng.Intn(6)
		labels := make([]int, n)
		for i := range labels {
			labels[i] = rng.Intn(c)
		}
		x, centers := randomReals(rng, n*d), randomReals(rng, c*d)
		alpha := rng.Float64()
		v := Values{
			Dims:   map[string]int{"N": n, "C": c, "D": d},
			Params: map[string]float64{"alpha": alpha},
			Reals:  map[string][]float64{"x": x, "centers": append([]float64(nil), centers...)},
			Ints:   map[string][]int{"labels": labels},
		}
		got, err := Update(p, v)
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.InDeltaSlice(t, wenUpdate(x, centers, labels, n, c, d, alpha), got["centers"], 1e-12)
		require.Equal(t, centers, v.Reals["centers"], "Update must not modify the caller's values")
	}
}

// A centre with no sample in the batch stays exactly where it is.
func TestCenterUpdateEmptyClass(t *testing.T) {
	p := loadFile(t, "../testdata/center_update.loss")
	centers := []float64{1, 2, 3, 4, 5, 6}
	got, err := Update(p, Values{
		Dims:  map[string]int{"N": 2, "C": 3, "D": 2},
		Reals: map[string][]float64{"x": {0, 0, 10, 10}, "centers": centers},
		Ints:  map[string][]int{"labels": {0, 0}},
	})
	require.NoError(t, err)
	// Class 0: Δ = ((1-0)+(1-10), (2-0)+(2-10)) / 3 = (-8/3, -2); c ← c - 0.5 Δ.
	require.InDeltaSlice(t, []float64{1 + 4.0/3, 3}, got["centers"][:2], 1e-15)
	require.Equal(t, []float64{3, 4, 5, 6}, got["centers"][2:])
}

// All rules read the old values (a swap works), a rule may read a
// definition computed from the old values, scalar inputs can be updated,
// and inputs without a rule are not in the result.
func TestUpdateSimultaneous(t *testing.T) {
	p := loadSrc(t, `loss u {
    param lr = 0.1
    input a[N]
    input b[N]
    input s
    input keep[N]
    g[i] = 2 * a[i] + s
    loss = sum(i: g[i] * b[i] + keep[i])
    update a[i] = b[i]
    update b[j] = a[j] - lr * g[j]
    update s = s + loss
}`)
	got, err := Update(p, Values{Dims: map[string]int{"N": 2}, Reals: map[string][]float64{
		"a": {1, 2}, "b": {3, 4}, "s": {0.5}, "keep": {0, 0}}})
	require.NoError(t, err)
	// g = (2.5, 4.5); loss = 2.5*3 + 4.5*4 = 25.5.
	require.Equal(t, map[string][]float64{
		"a": {3, 4},
		"b": {1 - 0.25, 2 - 0.45},
		"s": {26},
	}, got)

	// A spec without update rules updates nothing.
	none, err := Update(loadSpec(t, "cross_entropy"), Values{Dims: map[string]int{"N": 1, "C": 1},
		Reals: map[string][]float64{"logits": {1}}, Ints: map[string][]int{"labels": {0}}})
	require.NoError(t, err)
	require.Empty(t, none)

	// Validation is Eval's, including labels gathered in a rule.
	q := loadSrc(t, `loss q {
    input c[K]
    input y[N] int
    loss = sum(k: c[k])
    update c[k] = c[k] + count(i | y[i] == k) + sum(i: c[y[i]])
}`)
	_, err = Update(q, Values{Dims: map[string]int{"K": 2, "N": 1}, Reals: map[string][]float64{"c": {0, 0}}, Ints: map[string][]int{"y": {2}}})
	require.ErrorContains(t, err, "y[0] = 2 is out of range [0, 2)")
}
