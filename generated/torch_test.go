// Tests in this file check every generated package against golden vectors
// computed by PyTorch autograd in float64 (tools/reference/gen_vectors.py,
// vectors in testdata/torch). PyTorch shares nothing with lossgen: the losses
// there are written again from the formulas in the specs, so a wrong formula,
// default or gradient convention shows here even where lossgen agrees with
// its own interpreter.
package generated_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/internal/testcache"
	lossrt "github.com/lossgen/lossgen/runtime"
)

const torchDir = "testdata/torch"

// Tolerances against the torch float64 answers. Errors are relative to
// max(1, |loss|) for the loss and, for a gradient element, to the largest
// magnitude in that gradient (to 1 where the whole gradient is zero).
const (
	torchTol64 = 1e-9
	torchTol32 = 1e-4
)

// torchCases are the cases every shipped spec must have vectors for.
var torchCases = []string{"tiny", "odd", "scaled"}

// torchVector is one file of testdata/torch: a lossgen run request and the
// answer PyTorch gave for it.
type torchVector struct {
	Spec   string          `json:"spec"`
	Case   string          `json:"case"`
	Input  json.RawMessage `json:"input"`
	Output torchOutput     `json:"output"`
}

// torchOutput is lossgen run's output format.
type torchOutput struct {
	Loss  float64               `json:"loss"`
	Grads map[string]numberList `json:"grads"`
}

// numberList is a tensor in lossgen run's JSON: an array of numbers, or a
// bare number for a scalar input (clip's temperature) and its gradient.
type numberList []float64

func (l *numberList) UnmarshalJSON(b []byte) error {
	var x float64
	if err := json.Unmarshal(b, &x); err == nil {
		*l = numberList{x}
		return nil
	}
	return json.Unmarshal(b, (*[]float64)(l))
}

type torchInput struct {
	Dims   map[string]int             `json:"dims"`
	Params map[string]float64         `json:"params"`
	Inputs map[string]json.RawMessage `json:"inputs"`
}

func readTorchVector(t *testing.T, path string) torchVector {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	data, err := io.ReadAll(zr)
	require.NoError(t, err)
	var v torchVector
	require.NoError(t, json.Unmarshal(data, &v), path)
	require.Equal(t, filepath.Base(path), v.Spec+"_"+v.Case+".json.gz", "file name must be SPEC_CASE.json.gz")
	return v
}

func torchVectorPaths(t *testing.T) []string {
	paths, err := filepath.Glob(filepath.Join(torchDir, "*.json.gz"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no vectors in %s: run tools/reference/generate.sh", torchDir)
	sort.Strings(paths)
	return paths
}

// request decodes the vector's input for the spec's kernel.
func (v torchVector) request(t *testing.T) lossrt.Request[float64] {
	t.Helper()
	path := filepath.Join("..", "specs", v.Spec+".loss")
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	prog, err := dsl.Load(path, src)
	require.NoError(t, err)
	var in torchInput
	require.NoError(t, json.Unmarshal(v.Input, &in))
	req := lossrt.Request[float64]{Dims: in.Dims, Params: in.Params,
		Reals: map[string][]float64{}, Ints: map[string][]int{}, Grad: true}
	require.Len(t, in.Inputs, len(prog.Inputs), "inputs of %s", v.Spec)
	for _, decl := range prog.Inputs {
		raw, ok := in.Inputs[decl.Name]
		require.True(t, ok, "input %s missing", decl.Name)
		if decl.Int {
			var xs []int
			require.NoError(t, json.Unmarshal(raw, &xs), "input %s", decl.Name)
			req.Ints[decl.Name] = xs
		} else {
			var xs numberList
			require.NoError(t, json.Unmarshal(raw, &xs), "input %s", decl.Name)
			req.Reals[decl.Name] = xs
		}
	}
	return req
}

// torchErr is the largest error of one result against the torch answer.
type torchErr struct {
	rel  float64
	what string // "loss" or "d/d NAME[k]"
}

// compareTorch measures got against want: the loss relative to
// max(1, |loss|), each gradient element relative to the largest magnitude of
// its gradient. It fails on a missing or extra gradient.
func compareTorch(t *testing.T, want torchOutput, loss float64, grads map[string][]float64) torchErr {
	t.Helper()
	worst := torchErr{rel: math.Abs(loss-want.Loss) / math.Max(1, math.Abs(want.Loss)), what: "loss"}
	if math.IsNaN(loss) {
		worst.rel = math.Inf(1)
	}
	require.Len(t, grads, len(want.Grads), "gradients")
	for name, wg := range want.Grads {
		g, ok := grads[name]
		require.True(t, ok, "no gradient for %s", name)
		require.Len(t, g, len(wg), "gradient of %s", name)
		scale := 0.0
		for _, x := range wg {
			scale = math.Max(scale, math.Abs(x))
		}
		if scale == 0 {
			scale = 1
		}
		for k := range wg {
			e := math.Abs(g[k]-wg[k]) / scale
			if math.IsNaN(g[k]) {
				e = math.Inf(1)
			}
			if e > worst.rel {
				worst = torchErr{rel: e, what: fmt.Sprintf("d/d %s[%d] (got %v, want %v)", name, k, g[k], wg[k])}
			}
		}
	}
	return worst
}

// torchWorst collects the worst error per spec and type, for the log.
type torchWorst struct {
	mu    sync.Mutex
	worst map[string]torchErr // "spec float64" -> worst error
}

func (w *torchWorst) add(key, kase string, e torchErr) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if old, ok := w.worst[key]; !ok || e.rel > old.rel {
		e.what = kase + ": " + e.what
		w.worst[key] = e
	}
}

func (w *torchWorst) log(t *testing.T) {
	keys := make([]string, 0, len(w.worst))
	for k := range w.worst {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("worst relative error vs torch, %-26s %.3g  (%s)", k, w.worst[k].rel, w.worst[k].what)
	}
}

// TestTorchVectorsCoverEverySpec makes a new spec without vectors fail.
func TestTorchVectorsCoverEverySpec(t *testing.T) {
	for _, name := range specNames(t) {
		for _, c := range torchCases {
			path := filepath.Join(torchDir, name+"_"+c+".json.gz")
			_, err := os.Stat(path)
			require.NoError(t, err, "specs/%s.loss has no %q torch vector: run tools/reference/generate.sh", name, c)
		}
	}
	// And no vector is left over from a spec that is gone.
	specs := specNames(t)
	for _, path := range torchVectorPaths(t) {
		v := readTorchVector(t, path)
		require.Contains(t, specs, v.Spec, "%s: no specs/%s.loss", path, v.Spec)
	}
}

// TestTorchVectors runs every vector through the generated kernels: float64
// within 1e-9, and float32 within 1e-4, on the inputs rounded to float32
// (the generator draws float32-representable values, so rounding is exact
// for them).
func TestTorchVectors(t *testing.T) {
	w := &torchWorst{worst: map[string]torchErr{}}
	for _, path := range torchVectorPaths(t) {
		v := readTorchVector(t, path)
		t.Run(v.Spec+"/"+v.Case, func(t *testing.T) {
			k, ok := kernels[v.Spec]
			require.True(t, ok, "no kernel for spec %s", v.Spec)
			req := v.request(t)

			got64, err := k.eval64(req)
			require.NoError(t, err)
			e := compareTorch(t, v.Output, got64.Loss, got64.Grads)
			w.add(v.Spec+" float64", v.Case, e)
			require.LessOrEqual(t, e.rel, torchTol64, "float64: %s", e.what)

			got32, err := k.eval32(request32FromRequest(req))
			require.NoError(t, err)
			g := map[string][]float64{}
			for name, xs := range got32.Grads {
				ys := make([]float64, len(xs))
				for i, x := range xs {
					ys[i] = float64(x)
				}
				g[name] = ys
			}
			e = compareTorch(t, v.Output, float64(got32.Loss), g)
			w.add(v.Spec+" float32", v.Case, e)
			require.LessOrEqual(t, e.rel, torchTol32, "float32: %s", e.what)
		})
	}
	w.log(t)
}

func request32FromRequest(r lossrt.Request[float64]) lossrt.Request[float32] {
	reals := map[string][]float32{}
	for k, xs := range r.Reals {
		ys := make([]float32, len(xs))
		for i, x := range xs {
			ys[i] = float32(x)
		}
		reals[k] = ys
	}
	return lossrt.Request[float32]{Dims: r.Dims, Params: r.Params, Reals: reals, Ints: r.Ints, Grad: true}
}

// TestTorchVectorsCLI feeds every spec's tiny vector, and its zero or tie
// cases, to the real `lossgen run`, which builds the generated code with the
// Go toolchain and runs it, in float64 and in float32 (-type float32), with
// the same tolerances as the kernels.
func TestTorchVectorsCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lossgen and one driver per spec")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "lossgen")
	build := exec.Command(goCmd, "build", "-o", bin, "./cmd/lossgen")
	build.Dir = ".."
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/lossgen: %s", out)
	cache, err := testcache.Dir()
	require.NoError(t, err)

	// The small cases, grouped by spec: a spec's cases run one after the
	// other, so that its driver is built once; specs run in parallel.
	bySpec := map[string][]torchVector{}
	for _, path := range torchVectorPaths(t) {
		v := readTorchVector(t, path)
		if v.Case == "odd" || v.Case == "scaled" {
			continue // TestTorchVectors covers these through the kernels
		}
		bySpec[v.Spec] = append(bySpec[v.Spec], v)
	}
	w := &torchWorst{worst: map[string]torchErr{}}
	t.Run("specs", func(t *testing.T) {
		for _, name := range specNames(t) {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				require.NotEmpty(t, bySpec[name], "no small vector for %s", name)
				for _, v := range bySpec[name] {
					for _, typ := range []string{"float64", "float32"} {
						got := lossgenRun(t, bin, cache, typ, v)
						grads := map[string][]float64{}
						for k, g := range got.Grads {
							grads[k] = g
						}
						e := compareTorch(t, v.Output, got.Loss, grads)
						w.add(v.Spec+" "+typ+" (lossgen run)", v.Case, e)
						tol := torchTol64
						if typ == "float32" {
							tol = torchTol32
						}
						require.LessOrEqual(t, e.rel, tol, "%s, lossgen run -type %s: %s", v.Case, typ, e.what)
					}
				}
			})
		}
	})
	w.log(t)
}

// lossgenRun runs `lossgen run -type typ` on the vector's input.
func lossgenRun(t *testing.T, bin, cache, typ string, v torchVector) torchOutput {
	t.Helper()
	cmd := exec.Command(bin, "run", "-type", typ, filepath.Join("..", "specs", v.Spec+".loss"))
	cmd.Env = append(os.Environ(), "LOSSGEN_CACHE="+cache)
	cmd.Stdin = bytes.NewReader(v.Input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "lossgen run -type %s (%s): %s", typ, v.Case, stderr.String())
	var got torchOutput
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &got), "output: %s", stdout.String())
	return got
}
