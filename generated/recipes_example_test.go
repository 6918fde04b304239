package generated_test

// The two recipes of docs/language.md, run: a learnable scalar (CLIP's
// temperature) and data-parallel training with cross-shard mining (the
// xbm spec over a gathered gallery). Their outputs are rounded to four
// decimals, so they are the same with every kernel path.

import (
	"fmt"
	"math"
	"sync"

	"github.com/lossgen/lossgen/generated/batchhardtriplet"
	"github.com/lossgen/lossgen/generated/clip"
	"github.com/lossgen/lossgen/generated/xbm"
)

// pattern fills n values with a fixed, irregular pattern.
func pattern(n int, phase float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Sin(1.3*float64(i) + phase)
	}
	return xs
}

// Example_learnableTemperature learns CLIP's temperature: t is a scalar
// input of the spec (input t), so Grad writes ∂loss/∂t into a slice of
// length 1 and the optimiser updates it like any weight. Here only t
// moves, by plain gradient descent (step 2), with the embeddings fixed; the
// numbers are those of the reference interpreter and its finite
// differences too.
func Example_learnableTemperature() {
	const n, d = 6, 5
	ws, err := clip.NewWorkspace64(clip.Dims{N: n, D: d})
	if err != nil {
		panic(err)
	}
	in := clip.Inputs64{Img: pattern(n*d, 0.1), Txt: pattern(n*d, 0.4), T: []float64{math.Log(1 / 0.07)}}
	g := clip.Grads64{T: make([]float64, 1)} // nil Img and Txt: only t's gradient
	for step := 0; step < 4; step++ {
		loss, err := ws.Grad(in, g)
		if err != nil {
			panic(err)
		}
		fmt.Printf("t = %.4f  loss = %.4f  dloss/dt = %.4f\n", in.T[0], loss, g.T[0])
		in.T[0] -= 2 * g.T[0]
	}
	// Output:
	// t = 2.6593  loss = 1.3727  dloss/dt = 0.1483
	// t = 2.3627  loss = 1.3505  dloss/dt = 0.0093
	// t = 2.3441  loss = 1.3504  dloss/dt = 0.0021
	// t = 2.3398  loss = 1.3504  dloss/dt = 0.0005
}

// Example_dataParallel trains on a batch split into shards, one per worker,
// each with its own workspace. Every worker mines its anchors' hardest
// positive and negative across all shards: its gallery input is the whole
// batch, gathered from the workers (an all-gather), and declared nograd in
// the spec, so no gradient flows back to other shards. Each worker adds
// 1/W times its shard's gradient (GradAccum), which makes the shards'
// gradients, put together, the gradient of the mean over the whole batch.
func Example_dataParallel() {
	const workers, n, d = 2, 8, 4
	shard := n / workers
	// Identities 0..3, every identity in both shards: each anchor's
	// positive lives in the other shard.
	labels := []int{0, 1, 2, 3, 0, 1, 2, 3}
	x := pattern(n*d, 0.2)
	grad := make([]float64, n*d)

	losses := make([]float64, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws, err := xbm.NewWorkspace64(xbm.Dims{N: shard, D: d, Q: n})
			if err != nil {
				panic(err)
			}
			ws.SetWorkers(1) // one goroutine per workspace: the workers are the parallelism
			lo, hi := w*shard, (w+1)*shard
			in := xbm.Inputs64{
				X: x[lo*d : hi*d], Labels: labels[lo:hi], // this worker's shard
				Mem: x, MemLabels: labels, // the gathered gallery (nograd)
			}
			loss, err := ws.GradAccum(in, xbm.Grads64{X: grad[lo*d : hi*d]}, 1.0/workers)
			if err != nil {
				panic(err)
			}
			losses[w] = loss
		}()
	}
	wg.Wait()
	global := (losses[0] + losses[1]) / workers
	fmt.Printf("mean of the shard losses: %.4f\n", global)

	// The same anchors in one process, against the same gallery.
	one, err := xbm.NewWorkspace64(xbm.Dims{N: n, D: d, Q: n})
	if err != nil {
		panic(err)
	}
	want := make([]float64, n*d)
	loss, err := one.Grad(xbm.Inputs64{X: x, Labels: labels, Mem: x, MemLabels: labels}, xbm.Grads64{X: want})
	if err != nil {
		panic(err)
	}
	diff := 0.0
	for i := range want {
		diff = math.Max(diff, math.Abs(grad[i]-want[i]))
	}
	fmt.Printf("one process: %.4f, gradients equal: %v\n", loss, diff < 1e-12)

	// The value is batch-hard triplet's on the whole batch (the anchor
	// itself in the gallery is a positive at distance 0, which is never
	// the hardest unless there is no other, where batch-hard also uses 0).
	bh, err := batchhardtriplet.NewWorkspace64(batchhardtriplet.Dims{N: n, D: d})
	if err != nil {
		panic(err)
	}
	loss, err = bh.Loss(batchhardtriplet.Inputs64{X: x, Labels: labels})
	if err != nil {
		panic(err)
	}
	fmt.Printf("batch_hard_triplet: %.4f\n", loss)
	// Output:
	// mean of the shard losses: 1.7832
	// one process: 1.7832, gradients equal: true
	// batch_hard_triplet: 1.7832
}
