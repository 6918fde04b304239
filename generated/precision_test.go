package generated_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/generated/batchhardtriplet"
	"github.com/lossgen/lossgen/generated/crossentropy"
	"github.com/lossgen/lossgen/generated/improvedtriplet"
	"github.com/lossgen/lossgen/generated/softmax"
	"github.com/lossgen/lossgen/generated/triplet"
	lossrt "github.com/lossgen/lossgen/runtime"
)

// TestFloat32LargeLogits is the regression test for float32 kernels that
// stored logsumexp in float32: at logits near 1e4 one float32 step is 1e-3,
// and lse − z_y and exp(z − lse) inherited that error (loss 0.69336 instead
// of ln 2). Kernels now compute in float64 whatever their input type.
func TestFloat32LargeLogits(t *testing.T) {
	ws, err := crossentropy.NewWorkspace32(crossentropy.Dims{N: 1, C: 3})
	require.NoError(t, err)
	g := crossentropy.Grads32{Logits: make([]float32, 3)}
	loss, err := ws.Grad(crossentropy.Inputs32{Logits: []float32{10000.5, 10000.5, 0}, Labels: []int{0}}, g)
	require.NoError(t, err)
	require.InDelta(t, math.Ln2, float64(loss), 1e-7)
	require.Equal(t, []float32{-0.5, 0.5, 0}, g.Logits)

	// The same through a layer: z = x·wᵀ + b with z near 1e4.
	sw, err := softmax.NewWorkspace32(softmax.Dims{N: 1, D: 1, C: 3})
	require.NoError(t, err)
	sg := softmax.Grads32{X: make([]float32, 1), W: make([]float32, 3), B: make([]float32, 3)}
	sl, err := sw.Grad(softmax.Inputs32{X: []float32{100}, W: []float32{100.005, 100.005, 0}, B: []float32{0, 0, 0}, Labels: []int{1}}, sg)
	require.NoError(t, err)
	require.InDelta(t, math.Ln2, float64(sl), 1e-7)
	require.InDelta(t, 0, float64(sg.B[0]+sg.B[1]+sg.B[2]), 1e-7)
}

// TestCheckFinite checks the NaN/Inf policy: by default NaN propagates into
// the loss; with CheckFinite the call fails with the first offending index.
func TestCheckFinite(t *testing.T) {
	ws, err := crossentropy.NewWorkspace64(crossentropy.Dims{N: 2, C: 3})
	require.NoError(t, err)
	in := crossentropy.Inputs64{Logits: []float64{0, 1, 2, 3, math.NaN(), math.Inf(1)}, Labels: []int{0, 1}}
	loss, err := ws.Loss(in)
	require.NoError(t, err)
	require.True(t, math.IsNaN(loss))

	ws.CheckFinite = true
	_, err = ws.Loss(in)
	var nf *lossrt.NotFiniteError
	require.ErrorAs(t, err, &nf)
	require.Equal(t, "logits", nf.Name)
	require.Equal(t, 4, nf.Index)
	require.True(t, math.IsNaN(nf.Value))

	in.Logits[4] = 0
	_, err = ws.Grad(in, crossentropy.Grads64{})
	require.ErrorAs(t, err, &nf)
	require.Equal(t, 5, nf.Index)
	require.True(t, math.IsInf(nf.Value, 1))
}

// TestNaNPropagates: a NaN input must not disappear behind a hinge, a
// binary max or a max/min reduction (relu(NaN) used to be 0, so a triplet
// with a NaN anchor reported loss 0).
func TestNaNPropagates(t *testing.T) {
	ws, err := triplet.NewWorkspace64(triplet.Dims{N: 1, D: 1})
	require.NoError(t, err)
	loss, err := ws.Loss(triplet.Inputs64{Anchor: []float64{math.NaN()}, Positive: []float64{0}, Negative: []float64{1}})
	require.NoError(t, err)
	require.True(t, math.IsNaN(loss), "triplet loss %v", loss)

	it, err := improvedtriplet.NewWorkspace64(improvedtriplet.Dims{N: 1, D: 1})
	require.NoError(t, err)
	loss, err = it.Loss(improvedtriplet.Inputs64{Anchor: []float64{0}, Positive: []float64{math.NaN()}, Negative: []float64{1}})
	require.NoError(t, err)
	require.True(t, math.IsNaN(loss), "improved_triplet loss %v", loss)

	bh, err := batchhardtriplet.NewWorkspace64(batchhardtriplet.Dims{N: 4, D: 1})
	require.NoError(t, err)
	loss, err = bh.Loss(batchhardtriplet.Inputs64{X: []float64{0, 1, math.NaN(), 3}, Labels: []int{0, 0, 1, 1}})
	require.NoError(t, err)
	require.True(t, math.IsNaN(loss), "batch_hard_triplet loss %v", loss)
}
