package rundriver

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// The typed API of a generated package, for fakeInfo: a workspace, Inputs
// with one field per input and Grads with one per differentiable input.
type (
	fakeWS            struct{ n, d int }
	fakeInputs[T any] struct {
		X      []T
		W      []T
		Labels []int
		S      []T
	}
	fakeGrads[T any] struct{ X, S []T }
)

func newFakeWS(m map[string]int) (*fakeWS, error) { return &fakeWS{m["N"], m["D"]}, nil }

// fakeGrad computes fakeEval's loss and gradients without allocating.
func fakeGrad[T lossrt.Float](ws *fakeWS, in fakeInputs[T], g fakeGrads[T]) (T, error) {
	var loss T
	for i, v := range in.X {
		loss += v * v
		g.X[i] = 2 * v
	}
	loss += in.S[0] * in.S[0]
	g.S[0] = 2 * in.S[0]
	for _, v := range in.W {
		loss += v
	}
	for i, l := range in.Labels {
		if l < 0 || l >= ws.n {
			return 0, &lossrt.LabelError{Name: "labels", Index: i, Value: l, Limit: ws.n, Size: "N"}
		}
		loss += T(l)
	}
	return loss, nil
}

func benchRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return run(t, "", nil, append([]string{"bench"}, args...)...)
}

func TestBench(t *testing.T) {
	RegisterBench(Typed(newFakeWS, fakeGrad[float64]), Typed(newFakeWS, fakeGrad[float32]))
	t.Cleanup(func() { RegisterBench(nil, nil) })
	for _, typ := range []string{"float64", "float32"} {
		code, stdout, stderr := benchRun(t, "-type", typ, "-dims", "N=8,D=16", "-time", "30ms", "-seed", "3")
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", typ, code, stderr)
		}
		if strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "}\n") {
			t.Errorf("%s: want one line of JSON, got %q", typ, stdout)
		}
		var res BenchResult
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatalf("%s: %v in %q", typ, err, stdout)
		}
		if res.Spec != "fake" || res.Type != typ || res.Dims["N"] != 8 || res.Dims["D"] != 16 ||
			res.NsPerStep <= 0 || res.AllocsPerStep != 0 || res.Steps < res.Batches || res.Batches < 3 || res.Loss <= 0 {
			t.Errorf("%s: implausible result %+v", typ, res)
		}
		if !strings.HasPrefix(stdout, `{"spec": "fake", "type": "`+typ+`", "dims": {"N": 8, "D": 16}, "ns_per_step": `) {
			t.Errorf("%s: fields out of order: %q", typ, stdout)
		}
	}
}

func TestBenchUsage(t *testing.T) {
	RegisterBench(Typed(newFakeWS, fakeGrad[float64]), Typed(newFakeWS, fakeGrad[float32]))
	t.Cleanup(func() { RegisterBench(nil, nil) })
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"-dims", "N=8"}, 2, "missing size D (fake needs N, D)"},
		{[]string{"-dims", "N=8,D=2,C=3"}, 2, "fake has no size C"},
		{[]string{"-dims", "N=8,D=x"}, 2, "want NAME=SIZE pairs"},
		{[]string{"-dims", "N=8,D=2", "-type", "int8"}, 2, `-type "int8"`},
		{[]string{"-dims", "N=8,D=2", "-time", "0s"}, 2, "-time"},
		{[]string{"-dims", "N=8,D=2", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-frob"}, 2, "-frob"},
	}
	for _, tt := range tests {
		code, stdout, stderr := benchRun(t, tt.args...)
		if code != tt.code || stdout != "" || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("bench %q: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.args, code, stdout, stderr, tt.code, tt.stderr)
		}
	}
	RegisterBench(nil, nil)
	if code, _, stderr := benchRun(t, "-dims", "N=8,D=2", "-time", "1ms"); code != 1 || !strings.Contains(stderr, "without the bench hook") {
		t.Errorf("bench without a hook: exit %d, stderr %q", code, stderr)
	}
}

// TestBenchInputs pins the generator that bench/compare reimplements in
// Python: the first elements for seed 1, and the label ranges.
func TestBenchInputs(t *testing.T) {
	info := lossrt.Info{
		Name:  "g",
		Sizes: []string{"N", "C"},
		Inputs: []lossrt.InputInfo{
			{Name: "x", Shape: []string{"N", "C"}},
			{Name: "y", Shape: []string{"N"}, Int: true, Limits: []string{"C"}},
			{Name: "id", Shape: []string{"N"}, Int: true},
		},
	}
	dims := map[string]int{"N": 40, "C": 7}
	reals, ints, err := BenchInputs[float64](info, dims, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := reals["x"][:3]; got[0] != wantX[0] || got[1] != wantX[1] || got[2] != wantX[2] {
		t.Errorf("x[:3] = %v, want %v", got, wantX)
	}
	if got := ints["y"][:5]; !equalInts(got, wantY) {
		t.Errorf("y[:5] = %v, want %v", got, wantY)
	}
	seen := map[int]bool{}
	for _, v := range ints["y"] {
		if v < 0 || v >= 7 {
			t.Fatalf("y has %d, outside [0, C)", v)
		}
	}
	for _, v := range ints["id"] {
		if v < 0 || v >= 10 {
			t.Fatalf("id has %d, outside [0, N/4)", v)
		}
		seen[v] = true
	}
	if len(seen) < 5 {
		t.Errorf("id takes only %d values", len(seen))
	}
	for _, v := range reals["x"] {
		if v < -1 || v >= 1 {
			t.Fatalf("x has %v, outside [-1, 1)", v)
		}
	}
	r32, _, _ := BenchInputs[float32](info, dims, 1)
	if r32["x"][0] != float32(wantX[0]) {
		t.Errorf("float32 x[0] = %v, want %v", r32["x"][0], float32(wantX[0]))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var (
	wantX = []float64{-0.2636209686966611, 0.8871284617297088, -0.9094860045252167}
	wantY = []int{0, 2, 0, 2, 5}
)

// An allocating kernel is reported as such.
func TestBenchCountsAllocations(t *testing.T) {
	var sink []float64
	leaky := func(ws *fakeWS, in fakeInputs[float64], g fakeGrads[float64]) (float64, error) {
		sink = make([]float64, len(in.X)+1)
		return fakeGrad(ws, in, g)
	}
	RegisterBench(Typed(newFakeWS, leaky), nil)
	t.Cleanup(func() { RegisterBench(nil, nil) })
	code, stdout, stderr := benchRun(t, "-dims", "N=4,D=4", "-time", "20ms")
	var res BenchResult
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.AllocsPerStep != 1 {
		t.Errorf("allocating kernel: exit %d, stdout %q, stderr %q; want allocs_per_step 1", code, stdout, stderr)
	}
	_ = sink
}

// A kernel that allocates nothing is reported so even when it is slow:
// three timed steps of about 10ms each must not read the harness's own
// bookkeeping as the kernel's allocations.
func TestBenchSlowKernelAllocatesNothing(t *testing.T) {
	slow := func(ws *fakeWS, in fakeInputs[float64], g fakeGrads[float64]) (float64, error) {
		time.Sleep(12 * time.Millisecond)
		return fakeGrad(ws, in, g)
	}
	RegisterBench(Typed(newFakeWS, slow), nil)
	t.Cleanup(func() { RegisterBench(nil, nil) })
	code, stdout, stderr := benchRun(t, "-dims", "N=4,D=4", "-time", "1ms")
	var res BenchResult
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.AllocsPerStep != 0 || res.Steps > 5 {
		t.Errorf("slow kernel: exit %d, stdout %q, stderr %q; want allocs_per_step 0 over a few steps", code, stdout, stderr)
	}
}

// A burst of allocations during one slow step (as a finalizer or runtime
// task in the same process makes them) is not read as the kernel's: the
// count is the fewest over batches. The burst comes on the fifth call,
// which is always timed: the first call and a warm-up of at most two 12ms
// calls come before the timed batches, and at least three batches run.
func TestBenchOneOffBurstIsNotPerStep(t *testing.T) {
	var sink [][]float64
	calls := 0
	bursty := func(ws *fakeWS, in fakeInputs[float64], g fakeGrads[float64]) (float64, error) {
		calls++
		time.Sleep(12 * time.Millisecond)
		if calls == 5 {
			for range 20 {
				sink = append(sink, make([]float64, 8))
			}
		}
		return fakeGrad(ws, in, g)
	}
	RegisterBench(Typed(newFakeWS, bursty), nil)
	t.Cleanup(func() { RegisterBench(nil, nil) })
	code, stdout, stderr := benchRun(t, "-dims", "N=4,D=4", "-time", "1ms")
	var res BenchResult
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.AllocsPerStep != 0 || calls < 5 {
		t.Errorf("one burst: exit %d, stdout %q, stderr %q, %d calls; want allocs_per_step 0", code, stdout, stderr, calls)
	}
	_ = sink
}

// -cpuprofile writes a profile of the timed calls that go tool pprof reads
// (a gzipped protocol buffer), and a path that cannot be created is an
// error naming the flag, not a panic.
func TestBenchCPUProfile(t *testing.T) {
	RegisterBench(Typed(newFakeWS, fakeGrad[float64]), nil)
	t.Cleanup(func() { RegisterBench(nil, nil) })
	path := filepath.Join(t.TempDir(), "cpu.prof")
	code, stdout, stderr := benchRun(t, "-dims", "N=4,D=4", "-time", "20ms", "-cpuprofile", path)
	if code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile: %d bytes, err %v; want a gzip stream", len(b), err)
	}
	code, _, stderr = benchRun(t, "-dims", "N=4,D=4", "-time", "20ms", "-cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.prof"))
	if code != exitFail || !strings.Contains(stderr, "-cpuprofile") {
		t.Errorf("bad path: exit %d, stderr %q; want %d and a message naming -cpuprofile", code, stderr, exitFail)
	}
}

// The machine's limits come out positive and finite, and the ladder picks
// the smallest working set that holds a kernel's bytes.
func TestLimits(t *testing.T) {
	if bw := CopyBandwidth(1<<20, 2, time.Millisecond); !(bw > 0) || math.IsInf(bw, 0) {
		t.Errorf("CopyBandwidth = %v GB/s", bw)
	}
	if p := GemmPeak[float32](1, time.Millisecond); !(p > 0) || math.IsInf(p, 0) {
		t.Errorf("GemmPeak = %v GFLOP/s", p)
	}
	for _, tt := range []struct {
		bytes float64
		want  int
	}{{1, 1 << 20}, {1 << 20, 1 << 20}, {1<<20 + 1, 4 << 20}, {20 << 20, 64 << 20}, {1 << 40, 64 << 20}} {
		if got := LadderSize(tt.bytes); got != tt.want {
			t.Errorf("LadderSize(%v) = %d, want %d", tt.bytes, got, tt.want)
		}
	}
}
