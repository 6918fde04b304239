package generated_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/generated/center"
)

// wenUpdate is the centre update of Wen et al. 2016, written directly:
// Δc_j = Σ_i δ(y_i = j)(c_j − x_i) / (1 + Σ_i δ(y_i = j)), c_j ← c_j − α·Δc_j.
func wenUpdate(x, c []float64, labels []int, N, D, C int, alpha float64) []float64 {
	out := append([]float64(nil), c...)
	for j := 0; j < C; j++ {
		n := 0
		delta := make([]float64, D)
		for i := 0; i < N; i++ {
			if labels[i] != j {
				continue
			}
			n++
			for k := 0; k < D; k++ {
				delta[k] += c[j*D+k] - x[i*D+k]
			}
		}
		for k := 0; k < D; k++ {
			out[j*D+k] -= alpha * delta[k] / float64(1+n)
		}
	}
	return out
}

// TestCenterUpdateMatchesWen checks the generated Update method against
// the paper's formula, including classes absent from the batch (their
// centres must not move), for both float types, with a non-default alpha.
func TestCenterUpdateMatchesWen(t *testing.T) {
	const N, D, C = 13, 9, 7 // labels drawn from 0..4: classes 5 and 6 are empty
	r := rand.New(rand.NewPCG(11, 12))
	x := make([]float64, N*D)
	c := make([]float64, C*D)
	labels := make([]int, N)
	for i := range x {
		x[i] = float64(float32(2*r.Float64() - 1))
	}
	for i := range c {
		c[i] = float64(float32(2*r.Float64() - 1))
	}
	for i := range labels {
		labels[i] = r.IntN(5)
	}
	want := wenUpdate(x, c, labels, N, D, C, 0.3)

	ws, err := center.NewWorkspace64(center.Dims{N: N, D: D, C: C})
	require.NoError(t, err)
	ws.Params.Alpha = 0.3
	got := append([]float64(nil), c...)
	require.NoError(t, ws.Update(center.Inputs64{X: x, Centers: got, Labels: labels}))
	for i := range want {
		require.InDelta(t, want[i], got[i], 1e-15, "centre element %d", i)
	}
	for i := 5 * D; i < C*D; i++ {
		require.Equal(t, c[i], got[i], "an empty class's centre moved")
	}

	ws32, err := center.NewWorkspace32(center.Dims{N: N, D: D, C: C})
	require.NoError(t, err)
	ws32.Params.Alpha = 0.3
	x32, c32 := make([]float32, len(x)), make([]float32, len(c))
	for i := range x {
		x32[i] = float32(x[i])
	}
	for i := range c {
		c32[i] = float32(c[i])
	}
	require.NoError(t, ws32.Update(center.Inputs32{X: x32, Centers: c32, Labels: labels}))
	for i := range want {
		require.InDelta(t, want[i], float64(c32[i]), 1e-7*math.Max(1, math.Abs(want[i])), "float32 centre element %d", i)
	}

	// A label out of range is an error, and the centres are left alone.
	bad := append([]int(nil), labels...)
	bad[3] = C
	before := append([]float64(nil), got...)
	require.Error(t, ws.Update(center.Inputs64{X: x, Centers: got, Labels: bad}))
	require.Equal(t, before, got)
}
