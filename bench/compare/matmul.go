package main

// The matrix-multiply reference. The bar for matrix-shaped work is
// a fraction of the machine's own sgemm, so compare measures it: the
// product C += A·Bᵀ at the shape of softmax's fully connected layer
// (N×D times C×D), by lossrt.Gemm with one and two workers, and by
// torch.matmul, which calls the BLAS torch was linked with (OpenBLAS once
// installed), with one and two threads of both torch and the BLAS.

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// matmulShape is one product, m×k times (n×k)ᵀ.
type matmulShape struct{ M, N, K int }

// matmulResult holds the times of one shape and type, by thread count.
type matmulResult struct {
	Shape   matmulShape
	Type    string
	GoNs    map[int]float64
	TorchNs peerTimes // by OpenBLAS configuration and threads
	Kernel  string
	Err     string
}

func (r matmulResult) gflops(ns float64) float64 {
	if ns <= 0 {
		return 0
	}
	return 2 * float64(r.Shape.M) * float64(r.Shape.N) * float64(r.Shape.K) / ns
}

// benchGemm times g.NT on the shape: the median of batches of calls
// filling at least minTime.
func benchGemm[T lossrt.Float](s matmulShape, workers int, minTime time.Duration) (float64, string) {
	r := rand.New(rand.NewPCG(1, 2))
	fill := func(n int) []T {
		x := make([]T, n)
		for i := range x {
			x[i] = T(r.Float64()*2 - 1)
		}
		return x
	}
	a, b, c := fill(s.M*s.K), fill(s.N*s.K), make([]T, s.M*s.N)
	g := lossrt.NewGemm[T]()
	g.SetWorkers(workers)
	call := func() { g.NT(s.M, s.N, s.K, a, s.K, b, s.K, c, s.N) }
	return medianNs(call, minTime), g.Kernel()
}

// matmulRun measures every shape and type on both sides, PyTorch on every
// OpenBLAS configuration of the peer.
func matmulRun(shapes []matmulShape, types []string, minTime time.Duration, p *peer) ([]matmulResult, error) {
	var out []matmulResult
	for _, typ := range types {
		for _, s := range shapes {
			r := matmulResult{Shape: s, Type: typ, GoNs: map[int]float64{}}
			for _, w := range []int{1, 2} {
				if typ == "float32" {
					r.GoNs[w], r.Kernel = benchGemm[float32](s, w, minTime)
				} else {
					r.GoNs[w], r.Kernel = benchGemm[float64](s, w, minTime)
				}
			}
			times, a, err := p.bench(torchJob{Matmul: &s, Type: typ, Seed: 1, TimeS: minTime.Seconds(), Threads: []int{1, 2}})
			if err != nil {
				return nil, fmt.Errorf("matmul %v: torch: %v", s, err)
			}
			r.TorchNs = times
			r.Err = a.Error
			out = append(out, r)
		}
	}
	return out, nil
}

// byThreads is a torch answer's times keyed by thread count.
func byThreads(a torchAnswer) map[int]float64 {
	m := map[int]float64{}
	for k, ns := range a.Ns {
		var t int
		fmt.Sscan(k, &t)
		m[t] = ns
	}
	return m
}

func writeMatmul(w io.Writer, rs []matmulResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprint(w, `## Matrix multiply

The product C += A·Bᵀ (A is N×D, B is C×D) at the shape of softmax's fully
connected layer: `+"`lossrt.Gemm.NT`"+`, which the generated kernels call for every
contraction, against `+"`torch.addmm`"+` on OpenBLAS in every configuration of the
peer (each core type, one and two threads of torch and of the BLAS).
GFLOP/s counts 2·N·C·D.

| shape N×C×D | type | lossgen kernel | lossgen 1 worker | lossgen 2 workers | OpenBLAS best | its configuration | OpenBLAS, every configuration |
|---|---|---|---:|---:|---:|---|---|
`)
	for _, r := range rs {
		cfg, ns := r.TorchNs.best()
		var all []string
		for _, k := range r.TorchNs.labels() {
			all = append(all, fmt.Sprintf("%s: %.0f", k, r.gflops(r.TorchNs[k])))
		}
		fmt.Fprintf(w, "| %d×%d×%d | %s | %s | %.1f GFLOP/s | %.1f GFLOP/s | %.1f GFLOP/s | %s | %s |\n",
			r.Shape.M, r.Shape.N, r.Shape.K, r.Type, r.Kernel, r.gflops(r.GoNs[1]), r.gflops(r.GoNs[2]),
			r.gflops(ns), cfg, strings.Join(all, "; "))
		if r.Err != "" {
			fmt.Fprintf(w, "\ntorch failed: %s\n\n", r.Err)
		}
	}
	fmt.Fprintln(w)
}
