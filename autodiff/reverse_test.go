package autodiff_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/autodiff"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

func differentiated(t *testing.T, src string) *ir.Program {
	t.Helper()
	prog, err := dsl.LoadOpts("t.loss", []byte(src), dsl.LoadOptions{})
	require.NoError(t, err)
	p, err := ir.Lower(prog)
	require.NoError(t, err)
	require.NoError(t, autodiff.Differentiate(p))
	return p
}

func adjointTargets(p *ir.Program) []string {
	var out []string
	for _, a := range p.Backward {
		out = append(out, a.Fwd.Target.Name)
	}
	return out
}

// TestDeadDefinitionsGetNoAdjoint: a named definition the loss does not
// read (kept for Values) depends on x but gets no adjoint Op; every tensor
// on the path to the loss does.
func TestDeadDefinitionsGetNoAdjoint(t *testing.T) {
	p := differentiated(t, `loss t {
    input x[N, D]
    e[i, k] = exp(x[i, k])
    s[i]  = sum(k: x[i, k] * x[i, k])
    loss  = mean(i: sqrt(s[i]))
}`)
	require.Equal(t, []string{"loss", "loss_sum", "s"}, adjointTargets(p))
	for _, tt := range p.Temps {
		if tt.Name == "e" {
			require.False(t, tt.Active, "e does not reach the loss")
		}
	}
}

// TestMergedCopyGetsNoAdjoint: after merge-duplicates, a named duplicate is
// a copy that nothing reads; the gradient flows through the tensor kept.
func TestMergedCopyGetsNoAdjoint(t *testing.T) {
	prog, err := dsl.LoadOpts("t.loss", []byte(`loss t {
    input x[N, D]
    a[i] = sum(k: x[i, k] * x[i, k])
    b[i] = sum(k: x[i, k] * x[i, k])
    loss = sum(i: a[i] * b[i])
}`), dsl.LoadOptions{})
	require.NoError(t, err)
	p, err := ir.Lower(prog)
	require.NoError(t, err)
	ir.MergeDuplicates(p)
	require.NoError(t, autodiff.Differentiate(p))
	require.Equal(t, []string{"loss", "a"}, adjointTargets(p))
}
