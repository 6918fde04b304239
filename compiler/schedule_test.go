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

// rowKernels are the runtime kernels a schedule names by their lossrt name.
var rowKernels = map[string]bool{
	"SqDist": true, "Dot": true, "Sum": true, "AddScaledDiff": true, "AddScaled": true, "AddConst": true,
	"LogSumExp": true, "LogSumExpKeep": true, "LogSumExpKeepSkip": true, "AddScaledExp": true,
	"SqDistMatrix": true, "SqDistGrad": true, "ExpInPlace": true,
}

var scheduleKernel = regexp.MustCompile(`lossrt\.(\w+)|matrix product`)

// plannedKernels lists, sorted and without repeats, the kernels a printed
// schedule (or one type's blocks of it) names.
func plannedKernels(text string) []string {
	set := map[string]bool{}
	for _, m := range scheduleKernel.FindAllStringSubmatch(text, -1) {
		switch {
		case m[0] == "matrix product":
			set["Gemm"] = true
		case rowKernels[m[1]]:
			set[m[1]] = true
		}
	}
	return sortedKeys(set)
}

// emittedKernels lists the same for generated code.
func emittedKernels(src []byte) []string {
	set := map[string]bool{}
	for _, k := range kernels(src) {
		switch {
		case strings.HasPrefix(k, "ws.gemm."):
			set["Gemm"] = true
		case k == "SqDistGrad.Accumulate":
			set["SqDistGrad"] = true
		case rowKernels[strings.TrimPrefix(k, "lossrt.")]:
			set[strings.TrimPrefix(k, "lossrt.")] = true
		}
	}
	return sortedKeys(set)
}

func sortedKeys(set map[string]bool) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestScheduleIsWhatIsEmitted requires the kernels a spec's printed
// schedule names to be exactly those its generated code calls, in each
// float type: the emitter renders the schedule, and the printer shows it.
func TestScheduleIsWhatIsEmitted(t *testing.T) {
	paths, err := filepath.Glob("../specs/*.loss")
	require.NoError(t, err)
	more, err := filepath.Glob("testdata/schedule/cases/*.loss")
	require.NoError(t, err)
	for _, p := range append(paths, more...) {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		for _, typ := range []string{"float64", "float32"} {
			prog, err := compiler.Build(p, src)
			require.NoError(t, err)
			s, err := compiler.Schedule(prog, []string{typ})
			require.NoError(t, err)
			files, err := compiler.Compile(p, src, compiler.Options{Types: []string{typ}})
			require.NoError(t, err)
			var emitted []string
			for _, f := range files {
				if strings.HasSuffix(f.Name, "_"+typ+".go") {
					emitted = emittedKernels(f.Content)
				}
			}
			require.Equal(t, plannedKernels(s.Text()), emitted, "%s (%s): the schedule names other kernels than the code calls", p, typ)
		}
	}
}

// TestSchedulePerType: SqDistGrad takes the rows in the kernel's type, so
// distances between rows stored in float64 (sums, here) get it in the
// float64 kernels only; the float32 kernels keep the pair updates, and the
// printed schedule shows that group once per type.
func TestSchedulePerType(t *testing.T) {
	p := "testdata/schedule/cases/rows_f64.loss"
	src, err := os.ReadFile(p)
	require.NoError(t, err)
	prog, err := compiler.Build(p, src)
	require.NoError(t, err)
	s, err := compiler.Schedule(prog, nil)
	require.NoError(t, err)
	text := s.Text()
	f64 := text[strings.Index(text, "(float64)\n"):strings.Index(text, "(float32)\n")]
	f32 := text[strings.Index(text, "(float32)\n"):]
	require.Contains(t, f64, "lossrt.SqDistGrad")
	require.NotContains(t, f32, "lossrt.SqDistGrad")
	require.Contains(t, f32, "lossrt.AddScaledDiff")
}

// TestUsedSpecsShareWork: a spec using two specs that both compute the
// pairwise distances of one embedding computes them once: one N×N sum over
// the features, which both used specs' terms read.
func TestUsedSpecsShareWork(t *testing.T) {
	file := "testdata/lang/hard_and_all.loss"
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	p, err := compiler.Build(file, src)
	require.NoError(t, err)
	var pairwise []string
	for _, op := range p.Forward {
		if op.Red == "sum" && op.Target.Rank() == 2 {
			pairwise = append(pairwise, op.Target.Name)
		}
	}
	require.Equal(t, []string{"hard_d_sum"}, pairwise)
	s, err := compiler.Schedule(p, nil)
	require.NoError(t, err)
	text := s.Text()
	require.Equal(t, 1, strings.Count(text, "lossrt.SqDistMatrix"), "one distance matrix in\n%s", text)
}
