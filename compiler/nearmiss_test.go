package compiler_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
)

// kernelCall matches a call into the runtime's kernels in generated code:
// a matrix product in one of its forms, a pairwise distance's adjoint, or a
// lossrt function other than the constructors, checks and conversions every
// package calls.
var kernelCall = regexp.MustCompile(`ws\.gemm\.(?:NT|NN|TN)\b|lossrt\.([A-Z]\w*)\(|ws\.\w+\.(Accumulate)\(`)

// scalarHelpers are the lossrt functions of one scalar that generated code
// calls for the language's functions: not kernels, and how often a spelling
// calls them (where(c, a, 0) against a filter) says nothing of its speed.
// Exp is not among them: a scalar exponential left in a loop is what
// the kernels replace, so its count must match too.
var scalarHelpers = map[string]bool{
	"Log": true, "Log1p": true, "Sqrt": true, "Abs": true, "Cos": true, "Sin": true, "Acos": true, "Pow": true,
	"Relu": true, "Softplus": true, "Sigmoid": true, "Tanh": true, "Max": true, "Min": true, "Clamp": true,
	"Select": true, "Sign": true, "SqrtAdj": true, "AcosAdj": true, "Inf": true,
}

// kernels lists, sorted, the runtime kernel calls in a generated file.
func kernels(src []byte) []string {
	var out []string
	for _, m := range kernelCall.FindAllSubmatch(src, -1) {
		name := string(m[0])
		if len(m[1]) > 0 {
			fn := string(m[1])
			if strings.HasPrefix(fn, "New") || strings.HasPrefix(fn, "Check") || strings.HasSuffix(fn, "Error") ||
				fn == "Narrow32" || fn == "FlushSubnormals" || fn == "Float64s" || scalarHelpers[fn] {
				continue
			}
		}
		if len(m[2]) > 0 {
			name = "SqDistGrad.Accumulate"
		}
		out = append(out, strings.TrimSuffix(name, "("))
	}
	sort.Strings(out)
	return out
}

// nearMissFamilies holds, for each family of compiler/testdata/nearmiss
// (the specs named <family>_<variant>.loss, the same loss spelled
// differently), kernels every variant's float32 and float64 code must call:
// equal kernel lists alone would also pass if every variant fell back to
// loops alike.
var nearMissFamilies = map[string][]string{
	"lse_scaled":      {"lossrt.LogSumExpKeep"},
	"scaled_product":  {"ws.gemm.NT", "ws.gemm.NN", "ws.gemm.TN", "lossrt.LogSumExpKeep"},
	"cosine":          {"ws.gemm.NT", "ws.gemm.NN", "ws.gemm.TN"},
	"covariance":      {"ws.gemm.NT", "ws.gemm.NN", "ws.gemm.TN"},
	"pairdist":        {"lossrt.SqDistMatrix", "SqDistGrad.Accumulate"},
	"commuted":        {"ws.gemm.NT", "ws.gemm.NN", "ws.gemm.TN"},
	"rank3":           {"ws.gemm.NT", "ws.gemm.NN", "ws.gemm.TN", "lossrt.LogSumExpKeep"},
	"centred_proxies": {"ws.gemm.NT", "ws.gemm.NN", "ws.gemm.TN"},
	"exp_sums":        {"ws.gemm.NT", "ws.gemm.NN", "ws.gemm.TN", "lossrt.ExpInPlace"},
}

// TestNearMissesShareKernels compiles every spelling of each near-miss
// family and requires the same runtime kernels, in the same numbers, for
// each: a formula must not get faster or slower because of how it is
// written.
func TestNearMissesShareKernels(t *testing.T) {
	paths, err := filepath.Glob("testdata/nearmiss/*.loss")
	require.NoError(t, err)
	families := map[string][]string{}
	for _, p := range paths {
		base := strings.TrimSuffix(filepath.Base(p), ".loss")
		fam := base[:strings.LastIndex(base, "_")]
		families[fam] = append(families[fam], p)
	}
	require.Len(t, families, len(nearMissFamilies), "every family in testdata/nearmiss needs its required kernels here")
	for fam, members := range families {
		t.Run(fam, func(t *testing.T) {
			required, ok := nearMissFamilies[fam]
			require.True(t, ok, "family %s has no required kernels", fam)
			require.GreaterOrEqual(t, len(members), 2, "a family needs two spellings")
			for _, typ := range []string{"float32", "float64"} {
				var first []string
				for n, p := range members {
					src, err := os.ReadFile(p)
					require.NoError(t, err)
					files, err := compiler.Compile(p, src, compiler.Options{Types: []string{typ}})
					require.NoError(t, err)
					var got []string
					for _, f := range files {
						if strings.HasSuffix(f.Name, "_"+typ+".go") {
							got = kernels(f.Content)
						}
					}
					for _, k := range required {
						require.Contains(t, got, k, "%s (%s) does not call %s", p, typ, k)
					}
					if n == 0 {
						first = got
						continue
					}
					require.Equal(t, first, got, "%s and %s (%s) call different kernels", members[0], p, typ)
				}
			}
		})
	}
}

// scheduleDiffers lists the near-miss families whose spellings reach the
// same kernels (TestNearMissesShareKernels) but not yet one schedule, with
// the reason. TestNearMissesShareSchedule requires every other family to
// share one schedule, and these to differ still: a family that comes
// together must leave this list. Empty since cosine (normalised operands
// seen through, ir/factor.go) and lse_scaled (maps reused, ir/reuse.go)
// came together; groups that only compute a named definition for Values
// are not compared (Schedule.Normalized).
var scheduleDiffers = map[string]string{}

// TestNearMissesShareSchedule plans every spelling of each near-miss
// family and requires one schedule, normalised for the names of tensors
// and loop variables: the same groups, kernels (with their forms and
// sizes), parallel splits and work estimates, runs, unrolling, kept
// values and storage types, in float32 and float64.
func TestNearMissesShareSchedule(t *testing.T) {
	paths, err := filepath.Glob("testdata/nearmiss/*.loss")
	require.NoError(t, err)
	families := map[string][]string{}
	for _, p := range paths {
		base := strings.TrimSuffix(filepath.Base(p), ".loss")
		fam := base[:strings.LastIndex(base, "_")]
		families[fam] = append(families[fam], p)
	}
	for fam := range scheduleDiffers {
		require.Contains(t, families, fam, "scheduleDiffers names a family that does not exist")
	}
	for fam, members := range families {
		t.Run(fam, func(t *testing.T) {
			var first string
			differs := false
			for n, p := range members {
				src, err := os.ReadFile(p)
				require.NoError(t, err)
				prog, err := compiler.Build(p, src)
				require.NoError(t, err)
				s, err := compiler.Schedule(prog, nil)
				require.NoError(t, err)
				got := s.Normalized()
				if n == 0 {
					first = got
					continue
				}
				if why, known := scheduleDiffers[fam]; known {
					if got != first {
						differs = true
						t.Logf("%s and %s get different schedules (known: %s)", members[0], p, why)
					}
					continue
				}
				require.Equal(t, first, got, "%s and %s get different schedules", members[0], p)
			}
			if _, known := scheduleDiffers[fam]; known {
				require.True(t, differs, "family %s now shares one schedule: remove it from scheduleDiffers", fam)
			}
		})
	}
}

// TestMinedDistancesKeepRowUpdates: where every path from a distance matrix
// to the loss goes through a max or min (batch-hard mining), its adjoint has
// at most one nonzero per row and reduction, and stays in the loops as pair
// updates; where a sum over pairs reads it, the adjoint may be dense, and
// runs as lossrt.SqDistGrad, which picks products or pair updates per call.
func TestMinedDistancesKeepRowUpdates(t *testing.T) {
	for spec, want := range map[string]bool{
		"../specs/batch_hard_triplet.loss":      false,
		"../specs/batch_hard_triplet_soft.loss": false,
		"../specs/xbm.loss":                     false,
		"../specs/batch_all_triplet.loss":       true,
		"../specs/align_uniform.loss":           true,
		"testdata/nearmiss/pairdist_a.loss":     true,
	} {
		src, err := os.ReadFile(spec)
		require.NoError(t, err)
		files, err := compiler.Compile(spec, src, compiler.Options{Types: []string{"float64"}})
		require.NoError(t, err)
		var got []string
		for _, f := range files {
			if strings.HasSuffix(f.Name, "_float64.go") {
				got = kernels(f.Content)
			}
		}
		if want {
			require.Contains(t, got, "SqDistGrad.Accumulate", spec)
		} else {
			require.NotContains(t, got, "SqDistGrad.Accumulate", spec)
			require.Contains(t, got, "lossrt.AddScaledDiff", spec)
		}
	}
}
