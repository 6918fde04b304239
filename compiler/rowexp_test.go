package compiler_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
)

// A map whose value is exp of an expression computes the expression into
// each row and exponentiates the row with lossrt.ExpInPlace, however the
// argument is written; an adjoint loop accumulating into an element that
// does not move with the loop accumulates in locals, added to it once.
func TestExpMapsAndPromotedAccumulators(t *testing.T) {
	src, err := os.ReadFile("testdata/lang/soft_weights.loss")
	require.NoError(t, err)
	spellings := map[string]string{
		"as written":            string(src),
		"argument split":        strings.Replace(string(src), "exp((s[i, j] - m[i]) / t)", "exp(s[i, j] / t - m[i] / t)", 1),
		"through a local first": strings.Replace(string(src), "w[i, j] = exp((s[i, j] - m[i]) / t)", "g[i, j] = (s[i, j] - m[i]) / t\n    w[i, j] = exp(g[i, j])", 1),
	}
	for name, spec := range spellings {
		if name != "as written" {
			require.NotEqual(t, string(src), spec, "%s: the spelling was not substituted", name)
		}
		files, err := compiler.Compile("soft_weights.loss", []byte(spec), compiler.Options{Types: []string{"float64"}})
		require.NoError(t, err, name)
		var code string
		for _, f := range files {
			if f.Name == "soft_weights_float64.go" {
				code = string(f.Content)
			}
		}
		require.Contains(t, code, "lossrt.ExpInPlace(w[i*N:][:N])", name)
		require.NotContains(t, code, "lossrt.Exp(", "%s: an exponential left to math.Exp", name)
		require.Contains(t, code, "adjM[i] += (acc", "%s: adj(m)[i] is not accumulated in locals", name)
	}
}
