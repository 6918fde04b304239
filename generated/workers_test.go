package generated_test

// Matrix products are split among goroutines (lossrt.Gemm); the split must
// not change a bit of any result. These sizes are above the splitting
// threshold, so each call with more than one worker really runs in parallel.

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/generated/arcface"
	"github.com/lossgen/lossgen/generated/circle"
	"github.com/lossgen/lossgen/generated/softmax"
)

func randReals[T float32 | float64](r *rand.Rand, n int) []T {
	x := make([]T, n)
	for i := range x {
		x[i] = T(r.Float64()*2 - 1)
	}
	return x
}

func randLabels(r *rand.Rand, n, limit int) []int {
	x := make([]int, n)
	for i := range x {
		x[i] = r.IntN(limit)
	}
	return x
}

// sameBits requires bit-identical slices.
func sameBits[T float32 | float64](t *testing.T, what string, want, got []T) {
	t.Helper()
	for i := range want {
		if math.Float64bits(float64(want[i])) != math.Float64bits(float64(got[i])) {
			t.Fatalf("%s[%d] = %v with several workers, %v with one", what, i, got[i], want[i])
		}
	}
}

func TestWorkersDoNotChangeResults(t *testing.T) {
	const n, d, c = 67, 131, 301 // 2·N·C·D ≈ 5.3M flops: split
	r := rand.New(rand.NewPCG(3, 5))
	t.Run("softmax/float32", func(t *testing.T) {
		in := softmax.Inputs32{X: randReals[float32](r, n*d), W: randReals[float32](r, c*d), B: randReals[float32](r, c), Labels: randLabels(r, n, c)}
		run := func(workers int) (float32, softmax.Grads32) {
			ws, err := softmax.NewWorkspace32(softmax.Dims{N: n, D: d, C: c})
			require.NoError(t, err)
			ws.SetWorkers(workers)
			g := softmax.Grads32{X: make([]float32, n*d), W: make([]float32, c*d), B: make([]float32, c)}
			loss, err := ws.Grad(in, g)
			require.NoError(t, err)
			return loss, g
		}
		l1, g1 := run(1)
		for _, w := range []int{2, 3, 0} {
			l, g := run(w)
			sameBits(t, "loss", []float32{l1}, []float32{l})
			sameBits(t, "grad x", g1.X, g.X)
			sameBits(t, "grad w", g1.W, g.W)
			sameBits(t, "grad b", g1.B, g.B)
		}
	})
	t.Run("arcface/float64", func(t *testing.T) {
		in := arcface.Inputs64{X: randReals[float64](r, n*d), W: randReals[float64](r, c*d), Labels: randLabels(r, n, c)}
		run := func(workers int) (float64, arcface.Grads64) {
			ws, err := arcface.NewWorkspace64(arcface.Dims{N: n, D: d, C: c})
			require.NoError(t, err)
			ws.SetWorkers(workers)
			g := arcface.Grads64{X: make([]float64, n*d), W: make([]float64, c*d)}
			loss, err := ws.Grad(in, g)
			require.NoError(t, err)
			return loss, g
		}
		l1, g1 := run(1)
		for _, w := range []int{2, 3, 0} {
			l, g := run(w)
			sameBits(t, "loss", []float64{l1}, []float64{l})
			sameBits(t, "grad x", g1.X, g.X)
			sameBits(t, "grad w", g1.W, g.W)
		}
	})
	t.Run("circle/float32", func(t *testing.T) {
		const n, d = 131, 257 // x·xᵀ: 2·N·N·D ≈ 8.8M flops
		in := circle.Inputs32{X: randReals[float32](r, n*d), Labels: randLabels(r, n, 9)}
		run := func(workers int) (float32, circle.Grads32) {
			ws, err := circle.NewWorkspace32(circle.Dims{N: n, D: d})
			require.NoError(t, err)
			ws.SetWorkers(workers)
			g := circle.Grads32{X: make([]float32, n*d)}
			loss, err := ws.Grad(in, g)
			require.NoError(t, err)
			return loss, g
		}
		l1, g1 := run(1)
		for _, w := range []int{2, 5, 0} {
			l, g := run(w)
			sameBits(t, "loss", []float32{l1}, []float32{l})
			sameBits(t, "grad x", g1.X, g.X)
		}
	})
}

// A workspace's goroutines end with the workspace: dropping it (after it ran
// a product and a parallel loop, so its pool has started) must not leak them.
func TestDroppedWorkspaceStopsItsGoroutines(t *testing.T) {
	const n, d, c = 67, 131, 301
	r := rand.New(rand.NewPCG(8, 8))
	// Let the goroutines of earlier tests' dropped workspaces end first.
	before := runtime.NumGoroutine()
	for settle := time.Now().Add(5 * time.Second); time.Now().Before(settle); {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n == before {
			break
		}
		before = n
	}
	func() {
		ws, err := softmax.NewWorkspace32(softmax.Dims{N: n, D: d, C: c})
		require.NoError(t, err)
		ws.SetWorkers(3)
		in := softmax.Inputs32{X: randReals[float32](r, n*d), W: randReals[float32](r, c*d), B: randReals[float32](r, c), Labels: randLabels(r, n, c)}
		_, err = ws.Grad(in, softmax.Grads32{X: make([]float32, n*d)})
		require.NoError(t, err)
		require.Greater(t, runtime.NumGoroutine(), before, "the pool started no goroutine")
	}()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left after the workspace was dropped", runtime.NumGoroutine()-before)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
