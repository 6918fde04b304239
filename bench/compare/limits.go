package main

// The machine's own limits, measured in the same run as the cells: copy
// bandwidth at working sets like the kernels' (1 to 64 MiB), on one and two
// cores, and the best matrix-multiply rate of each type (lossrt.Gemm or
// OpenBLAS on its best core, whichever is faster, on two cores). A cell's
// roofline is max(bytes / bandwidth, flops / peak), bandwidth taken at the
// smallest working set holding the cell's bytes per step.

import (
	"fmt"
	"io"
	"time"

	"github.com/lossgen/lossgen/runtime/rundriver"
)

type bandwidthRow struct {
	Bytes int
	GBs   map[int]float64 // by core count
}

type machineLimits struct {
	Bandwidth []bandwidthRow
	Peak      map[string]float64 // GFLOP/s by type: the best of everything measured
	PeakBy    map[string]string  // who reached it
}

// measureLimits measures copy bandwidth and takes the GEMM peak from the
// matrix-multiply section (its largest shape).
func measureLimits(mm []matmulResult, minTime time.Duration) machineLimits {
	lim := machineLimits{Peak: map[string]float64{}, PeakBy: map[string]string{}}
	for _, b := range rundriver.Ladder() {
		row := bandwidthRow{Bytes: b, GBs: map[int]float64{}}
		for _, w := range []int{1, 2} {
			row.GBs[w] = rundriver.CopyBandwidth(b, w, minTime/2)
		}
		lim.Bandwidth = append(lim.Bandwidth, row)
	}
	for _, r := range mm {
		for w, ns := range r.GoNs {
			if g := r.gflops(ns); g > lim.Peak[r.Type] {
				lim.Peak[r.Type], lim.PeakBy[r.Type] = g, fmt.Sprintf("lossrt.Gemm, %d workers, %d×%d×%d", w, r.Shape.M, r.Shape.N, r.Shape.K)
			}
		}
		for cfg, ns := range r.TorchNs {
			if g := r.gflops(ns); g > lim.Peak[r.Type] {
				lim.Peak[r.Type], lim.PeakBy[r.Type] = g, fmt.Sprintf("OpenBLAS %s, %d×%d×%d", cfg, r.Shape.M, r.Shape.N, r.Shape.K)
			}
		}
	}
	return lim
}

// bandwidthFor is the two-core copy bandwidth at the working set of a
// kernel moving bytes per step.
func (l machineLimits) bandwidthFor(bytes float64) float64 {
	want := rundriver.LadderSize(bytes)
	best := 0.0
	for _, row := range l.Bandwidth {
		if row.Bytes == want {
			return max(row.GBs[1], row.GBs[2])
		}
		best = max(best, row.GBs[2])
	}
	return best
}

func writeLimits(w io.Writer, l machineLimits) {
	fmt.Fprint(w, `## The machine's limits

Copy bandwidth (`+"`rundriver.CopyBandwidth`"+`: one buffer copied into another,
bytes read plus bytes written per second, the working set split among the
cores) and the best matrix-multiply rate of each type measured in this run.
A cell's roofline fraction is max(bytes / bandwidth, flops / peak) over its
measured time, with bytes its compulsory traffic (inputs read once,
gradients written once: `+"`compiler.Bytes`"+`), flops `+"`compiler.Flops`"+`, bandwidth the
better of one and two cores at the smallest working set holding the bytes,
and peak the rate below.

| working set | 1 core | 2 cores |
|---:|---:|---:|
`)
	for _, r := range l.Bandwidth {
		fmt.Fprintf(w, "| %d MiB | %.1f GB/s | %.1f GB/s |\n", r.Bytes>>20, r.GBs[1], r.GBs[2])
	}
	fmt.Fprintln(w)
	for _, typ := range []string{"float32", "float64"} {
		if p, ok := l.Peak[typ]; ok {
			fmt.Fprintf(w, "- GEMM peak, %s: %.1f GFLOP/s (%s)\n", typ, p, l.PeakBy[typ])
		}
	}
	fmt.Fprintln(w)
}
