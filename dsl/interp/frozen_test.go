package interp

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// loss = sum(i: stopgrad(x[i]) * x[i]) is Σ x_i² in value, but its gradient
// (the one lossgen computes, holding stopgrad constant) is x, not 2x.
func TestNumGradHoldsStopgrad(t *testing.T) {
	p := loadSrc(t, `loss sg {
    input x[N]
    loss = sum(i: stopgrad(x[i]) * x[i])
}`)
	v := Values{Dims: map[string]int{"N": 3}, Reals: map[string][]float64{"x": {1.5, -2, 0.25}}}
	got, err := Eval(p, v)
	require.NoError(t, err)
	require.InDelta(t, 1.5*1.5+4+0.0625, got, 1e-15)

	g, err := NumGrad(p, v, 1e-5)
	require.NoError(t, err)
	require.InDeltaSlice(t, []float64{1.5, -2, 0.25}, g["x"], 1e-9)
	require.Equal(t, []float64{1.5, -2, 0.25}, v.Reals["x"], "NumGrad must not modify the caller's values")

	// Frozen at the base point, a perturbed x only moves the unstopped factor.
	f, loss, err := Freeze(p, v)
	require.NoError(t, err)
	require.Equal(t, got, loss)
	at, err := f.Eval(v)
	require.NoError(t, err)
	require.Equal(t, got, at, "Frozen.Eval at the base point is Eval")
	w := Values{Dims: v.Dims, Reals: map[string][]float64{"x": {2.5, -2, 0.25}}}
	at, err = f.Eval(w)
	require.NoError(t, err)
	require.InDelta(t, 1.5*2.5+4+0.0625, at, 1e-15)
	at, err = EvalFrozen(p, v, w)
	require.NoError(t, err)
	require.InDelta(t, 1.5*2.5+4+0.0625, at, 1e-15)
}

// The recorded values are keyed by node and index point: the same stopgrad
// node inside a definition and a nested reduction holds a different value
// at every (i, j), and two stopgrad nodes on the same point are distinct.
// loss = Σ_i Σ_j sg(x_i x_j) x_j + Σ_i sg(2 x_i) x_i, so
// ∂/∂x_k = Σ_i x_i x_k (from j = k) + 2 x_k = x_k (Σ_i x_i + 2).
func TestNumGradStopgradPerPoint(t *testing.T) {
	p := loadSrc(t, `loss sg2 {
    input x[N]
    r[i] = sum(j: stopgrad(x[i] * x[j]) * x[j]) + stopgrad(2 * x[i]) * x[i]
    loss = sum(i: r[i])
}`)
	xs := []float64{0.5, -1.25, 2}
	v := Values{Dims: map[string]int{"N": 3}, Reals: map[string][]float64{"x": xs}}
	g, err := NumGrad(p, v, 1e-5)
	require.NoError(t, err)
	sum := xs[0] + xs[1] + xs[2]
	for k, x := range xs {
		require.InDelta(t, x*(sum+2), g["x"][k], 1e-8, "x[%d]", k)
	}
}

// Without stopgrad, NumGrad is the plain central difference.
func TestNumGradWithoutStopgrad(t *testing.T) {
	p := loadSrc(t, `loss sq {
    input x[N]
    loss = sum(i: x[i] * x[i])
}`)
	v := Values{Dims: map[string]int{"N": 2}, Reals: map[string][]float64{"x": {3, -0.5}}}
	g, err := NumGrad(p, v, 1e-5)
	require.NoError(t, err)
	require.InDeltaSlice(t, []float64{6, -1}, g["x"], 1e-8)
}
