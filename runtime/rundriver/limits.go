package rundriver

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// The machine's own limits, for the roofline that lossgen bench reports: a
// step can take no less than max(bytes / bandwidth, flops / peak).

// bandwidthLadder are the working sets copy bandwidth is measured at:
// the sizes of the kernels' inputs and gradients at ReID shapes (a 256×2048
// float32 batch is 2 MiB, a 751×2048 float64 classifier 12 MiB).
var bandwidthLadder = []int{1 << 20, 4 << 20, 16 << 20, 64 << 20}

// LadderSize is the working set bandwidth is measured at for a kernel that
// moves bytes per step: the smallest ladder size that holds them, or the
// largest.
func LadderSize(bytes float64) int {
	for _, s := range bandwidthLadder {
		if float64(s) >= bytes {
			return s
		}
	}
	return bandwidthLadder[len(bandwidthLadder)-1]
}

// Ladder lists the working sets of LadderSize.
func Ladder() []int { return slices.Clone(bandwidthLadder) }

// CopyBandwidth measures memory bandwidth in GB/s (10⁹ bytes per second) by
// copying one buffer into another, workingSet bytes in all (half each), on
// workers goroutines each copying its own slice: the bytes read plus the
// bytes written per second, median over batches of at least minTime in all.
func CopyBandwidth(workingSet, workers int, minTime time.Duration) float64 {
	workers = max(1, workers)
	half := max(workers*64, workingSet/2)
	src, dst := make([]byte, half), make([]byte, half)
	for i := range src {
		src[i] = byte(i)
	}
	chunk := (half + workers - 1) / workers
	copyAll := func() {
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := min(w*chunk, half), min((w+1)*chunk, half)
			wg.Go(func() { copy(dst[lo:hi], src[lo:hi]) })
		}
		wg.Wait()
	}
	ns := medianNs(copyAll, minTime)
	return float64(2*half) / ns
}

// GemmPeak measures the best matrix-multiply rate of lossrt.Gemm in GFLOP/s
// on workers goroutines, at the shape of a ReID classifier (C = 768 classes,
// a batch of 256, 2048 features: c += a·bᵀ), counting 2·M·N·K flops.
func GemmPeak[T lossrt.Float](workers int, minTime time.Duration) float64 {
	const m, n, k = 256, 768, 2048
	a, b, c := make([]T, m*k), make([]T, n*k), make([]T, m*n)
	for i := range a {
		a[i] = T(math.Sin(float64(i)))
	}
	for i := range b {
		b[i] = T(math.Cos(float64(i)))
	}
	g := lossrt.NewGemm[T]()
	g.SetWorkers(max(1, workers))
	ns := medianNs(func() { g.NT(m, n, k, a, k, b, k, c, n) }, minTime)
	return 2 * m * n * k / ns
}

// DefaultWorkers is the worker count a generated workspace starts with.
func DefaultWorkers() int { return runtime.GOMAXPROCS(0) }

// medianNs times f: a warm-up, then batches of about 5ms for at least
// minTime, and returns the median time per call in ns.
func medianNs(f func(), minTime time.Duration) float64 {
	f()
	start := time.Now()
	calls := 1
	for time.Since(start) < 2*time.Millisecond {
		f()
		calls++
	}
	per := float64(time.Since(start).Nanoseconds()) / float64(calls)
	batch := max(1, int(5e6/max(per, 1)))
	var times []float64
	begin := time.Now()
	for len(times) < 5 || time.Since(begin) < minTime {
		t := time.Now()
		for range batch {
			f()
		}
		times = append(times, float64(time.Since(t).Nanoseconds())/float64(batch))
	}
	slices.Sort(times)
	return times[len(times)/2]
}
