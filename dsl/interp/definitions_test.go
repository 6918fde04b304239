package interp

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDefinitionsOfComposition: Definitions of the reid_baseline
// composition holds exactly the spec's own definitions (the copies made
// from the used specs are not its names), each term equal to the used spec
// evaluated on its own, and the result equal to Eval.
func TestDefinitionsOfComposition(t *testing.T) {
	p := loadFile(t, "../testdata/compose/reid_baseline.loss")
	dir := "../testdata/compose/"
	v := reidValues(4)
	defs, err := Definitions(p, v)
	require.NoError(t, err)
	keys := make([]string, 0, len(defs))
	for k := range defs {
		keys = append(keys, k)
	}
	require.ElementsMatch(t, []string{"ce", "tri", "cen", "loss"}, keys)
	for _, x := range defs {
		require.Len(t, x, 1, "every definition here is a scalar")
	}

	total, err := Eval(p, v)
	require.NoError(t, err)
	require.Equal(t, total, defs["loss"][0])

	ce, err := Eval(loadFile(t, dir+"cross_entropy_ls.loss"), Values{Dims: map[string]int{"N": 7, "C": 3}, Reals: map[string][]float64{"logits": v.Reals["logits"]}, Ints: v.Ints})
	require.NoError(t, err)
	require.Equal(t, ce, defs["ce"][0])
	tri, err := Eval(loadFile(t, dir+"batch_hard_triplet.loss"), Values{Dims: map[string]int{"N": 7, "D": 4}, Reals: map[string][]float64{"x": v.Reals["feat"]}, Ints: v.Ints})
	require.NoError(t, err)
	require.Equal(t, tri, defs["tri"][0])
	cen, err := Eval(loadFile(t, dir+"parts/center.loss"), Values{Dims: v.Dims, Reals: map[string][]float64{"x": v.Reals["feat"], "centers": v.Reals["centers"]}, Ints: v.Ints})
	require.NoError(t, err)
	require.Equal(t, cen, defs["cen"][0])
}

// TestDefinitionsOfTensors: tensor definitions come flat and row-major at
// the bound sizes, integer-valued ones (counts) as float64.
func TestDefinitionsOfTensors(t *testing.T) {
	p := loadFile(t, "../testdata/compose/batch_hard_triplet.loss")
	v := Values{Dims: map[string]int{"N": 3, "D": 1},
		Reals: map[string][]float64{"x": {0, 1, 3}},
		Ints:  map[string][]int{"labels": {0, 0, 1}}}
	defs, err := Definitions(p, v)
	require.NoError(t, err)
	// d has the spec's + 1e-12 under the root.
	require.InDeltaSlice(t, []float64{0, 1, 3, 1, 0, 2, 3, 2, 0}, defs["d"], 1e-5)
	// Sample 2 has no positive: max over an empty set is 0.
	require.InDeltaSlice(t, []float64{1, 1, 0}, defs["hp"], 1e-5)
	require.InDeltaSlice(t, []float64{3, 2, 2}, defs["hn"], 1e-5)
	loss, err := Eval(p, v)
	require.NoError(t, err)
	require.Equal(t, []float64{loss}, defs["loss"])
}
