package main

// The pairwise-distance reference. The issue holds the distance matrix of
// the triplet losses (N×N from N×D embeddings) to the same bar as the
// matrix products: at least half of the machine's sgemm on one core. So
// compare times lossrt.SqDistMatrix, which the generated kernels call for
// it, on one and two workers, against the BLAS product of the same shape
// (X·Xᵀ, N×N×D, the least work a distance matrix by the Gram expansion
// needs) and against torch.cdist, PyTorch's distance matrix.

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// pairShape is one distance matrix: N rows of D.
type pairShape struct{ N, D int }

// pairResult holds the times of one shape and type, by thread count.
type pairResult struct {
	Shape   pairShape
	Type    string
	GoNs    map[int]float64
	GemmNs  map[int]float64 // the BLAS product X·Xᵀ
	CdistNs map[int]float64 // torch.cdist(X, X)
	Err     string
}

// gflops counts 3 flops (difference, square, sum) per element for every
// one of the N² entries. The symmetric matrix computes only about half of
// them, so this is the rate of a kernel that would compute them all in the
// same time.
func (r pairResult) gflops(ns float64) float64 {
	if ns <= 0 {
		return 0
	}
	return 3 * float64(r.Shape.N) * float64(r.Shape.N) * float64(r.Shape.D) / ns
}

// gemmGflops is the BLAS product's rate, 2·N²·D flops.
func (r pairResult) gemmGflops(ns float64) float64 { return 2 * r.gflops(ns) / 3 }

// benchPairDist times the distance matrix on the given number of workers,
// each on an equal range of rows as the generated kernels split it.
func benchPairDist[T lossrt.Float](s pairShape, workers int, minTime time.Duration) float64 {
	r := rand.New(rand.NewPCG(1, 3))
	x := make([]T, s.N*s.D)
	for i := range x {
		x[i] = T(r.Float64()*2 - 1)
	}
	dst := make([]float64, s.N*s.N)
	call := func() {
		if workers == 1 {
			lossrt.SqDistMatrix(dst, s.N, x, x, s.D, 0, s.N)
			return
		}
		var wg sync.WaitGroup
		for p := range workers {
			wg.Go(func() { lossrt.SqDistMatrix(dst, s.N, x, x, s.D, p*s.N/workers, (p+1)*s.N/workers) })
		}
		wg.Wait()
	}
	return medianNs(call, minTime)
}

// medianNs runs call in batches of about 10 ms for at least minTime and
// returns the median time per call.
func medianNs(call func(), minTime time.Duration) float64 {
	call()
	start := time.Now()
	call()
	per := time.Since(start)
	batch := max(1, int(10*time.Millisecond/max(per, time.Microsecond)))
	var times []float64
	begin := time.Now()
	for len(times) < 3 || time.Since(begin) < minTime {
		t := time.Now()
		for range batch {
			call()
		}
		times = append(times, float64(time.Since(t).Nanoseconds())/float64(batch))
	}
	slices.Sort(times)
	return times[len(times)/2]
}

// pairRun measures every shape and type on both sides.
func pairRun(shapes []pairShape, types []string, minTime time.Duration, python string) ([]pairResult, error) {
	torch, err := startTorch(python)
	if err != nil {
		return nil, err
	}
	defer torch.close()
	var out []pairResult
	for _, typ := range types {
		for _, s := range shapes {
			r := pairResult{Shape: s, Type: typ, GoNs: map[int]float64{}}
			for _, w := range []int{1, 2} {
				if typ == "float32" {
					r.GoNs[w] = benchPairDist[float32](s, w, minTime)
				} else {
					r.GoNs[w] = benchPairDist[float64](s, w, minTime)
				}
			}
			gemm, err := torch.bench(torchJob{Matmul: &matmulShape{M: s.N, N: s.N, K: s.D}, Type: typ, Seed: 1, TimeS: minTime.Seconds(), Threads: []int{1, 2}})
			if err != nil {
				return nil, fmt.Errorf("pairwise %v: torch: %v", s, err)
			}
			cdist, err := torch.bench(torchJob{Cdist: &s, Type: typ, Seed: 1, TimeS: minTime.Seconds(), Threads: []int{1, 2}})
			if err != nil {
				return nil, fmt.Errorf("pairwise %v: torch: %v", s, err)
			}
			r.GemmNs, r.CdistNs = byThreads(gemm), byThreads(cdist)
			r.Err = gemm.Error + cdist.Error
			out = append(out, r)
		}
	}
	return out, nil
}

func writePairDist(w io.Writer, rs []pairResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprint(w, `## Pairwise distances

The matrix of squared distances of N embeddings of D (the d[i, j] of the
triplet losses): `+"`lossrt.SqDistMatrix`"+`, which the generated kernels call for it,
on one and two workers, against the BLAS product X·Xᵀ of the same shape (one
and two threads; the least work a distance matrix by the Gram expansion
needs) and `+"`torch.cdist`"+` (one and two threads). lossgen computes each
difference in float64 and each symmetric pair once. GFLOP/s counts 3·N²·D
for lossgen, 2·N²·D for the product. **share** is lossgen's GFLOP/s with one
worker over the BLAS product's with one thread; **vs cdist** is lossgen's
time over the better torch.cdist time (below 1, lossgen is faster).

| N×D | type | lossgen 1 worker | lossgen 2 workers | BLAS X·Xᵀ 1 thread | BLAS 2 threads | share | cdist 1 thread | cdist 2 threads | vs cdist |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
`)
	for _, r := range rs {
		share, vs := "—", "—"
		if r.GemmNs[1] > 0 && r.GoNs[1] > 0 {
			share = fmt.Sprintf("%.2f", r.gflops(r.GoNs[1])/r.gemmGflops(r.GemmNs[1]))
		}
		best := 0.0
		for _, ns := range r.CdistNs {
			if ns > 0 && (best == 0 || ns < best) {
				best = ns
			}
		}
		if best > 0 {
			vs = fmt.Sprintf("%.2f", min(r.GoNs[1], r.GoNs[2])/best)
		}
		fmt.Fprintf(w, "| %d×%d | %s | %.1f GFLOP/s (%s ns) | %.1f GFLOP/s | %.1f GFLOP/s | %.1f GFLOP/s | %s | %s ns | %s ns | %s |\n",
			r.Shape.N, r.Shape.D, r.Type, r.gflops(r.GoNs[1]), fmtNs(r.GoNs[1]), r.gflops(r.GoNs[2]),
			r.gemmGflops(r.GemmNs[1]), r.gemmGflops(r.GemmNs[2]), share, fmtNs(r.CdistNs[1]), fmtNs(r.CdistNs[2]), vs)
		if r.Err != "" {
			fmt.Fprintf(w, "\ntorch failed: %s\n\n", r.Err)
		}
	}
	fmt.Fprintln(w)
}
