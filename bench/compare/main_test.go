package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The tests cover the bookkeeping only; nothing here runs a benchmark.

func TestCellsCollapse(t *testing.T) {
	g := grid{N: []int{32, 64}, D: []int{128, 512}, C: []int{751}}
	if got := len(cells([]string{"N", "D"}, g)); got != 4 {
		t.Errorf("triplet: %d cells, want 4", got)
	}
	if got := len(cells([]string{"N", "C"}, g)); got != 2 {
		t.Errorf("cross_entropy: %d cells, want 2 (D collapses)", got)
	}
	hc := cells([]string{"U", "N", "D", "M"}, g)
	if len(hc) != 4 || hc[0]["M"] != 32 || hc[0]["U"] != 8 {
		t.Errorf("hetero_center: cells %v, want 4 with M = N and U = N/4", hc)
	}
}

func TestMarkdown(t *testing.T) {
	l1, l2 := 0.5, 0.5000001
	rs := []result{
		{Spec: "triplet", Type: "float32", Sizes: []string{"N", "D"}, Dims: map[string]int{"N": 32, "D": 128},
			LossgenNs: 1000, Gflops: 2, LossgenLoss: &l1, TorchLoss: &l2, TorchNs: map[int]float64{1: 4000, 2: 2000}},
		{Spec: "triplet", Type: "float32", Sizes: []string{"N", "D"}, Dims: map[string]int{"N": 64, "D": 128},
			LossgenNs: 3000, Gflops: 2, LossgenLoss: &l1, TorchLoss: &l1, TorchNs: map[int]float64{1: 2000, 2: 2500}},
	}
	var buf bytes.Buffer
	mm := []matmulResult{{Shape: matmulShape{M: 256, N: 751, K: 2048}, Type: "float32", Kernel: "avx512 8x48",
		GoNs: map[int]float64{1: 4e6, 2: 2e6}, TorchNs: map[int]float64{1: 8e6, 2: 4e6}}}
	pd := []pairResult{{Shape: pairShape{N: 256, D: 2048}, Type: "float32",
		GoNs: map[int]float64{1: 2e6, 2: 1.2e6}, GemmNs: map[int]float64{1: 4e6, 2: 2e6}, CdistNs: map[int]float64{1: 8e6, 2: 6e6}}}
	writeMarkdown(&buf, rs, mm, pd, machine{CPU: "Test CPU", Cores: 2, Go: "go1.26", Torch: "1.13"},
		report{Quick: true, Grid: grid{N: []int{32, 64}, D: []int{128}}, MinTime: time.Second})
	md := buf.String()
	for _, want := range []string{
		"**Quick run**", "go run ./bench/compare -out BENCHMARKS.md", "Test CPU, 2 cores",
		"| triplet | float32 | N=64,D=128 | 3000 | 2000 | **1.50** |", // the summary: the largest cell
		"| N=32,D=128 | 1000 | 0 | 2.00 | 4000 | 2000 | 0.50 | ✓ |",
		// 2·256·751·2048 flops in 4 ms: 196.9 GFLOP/s; share 8 ms / 4 ms.
		"| 256×751×2048 | float32 | avx512 8x48 | 196.9 GFLOP/s | 393.7 GFLOP/s | 98.4 GFLOP/s | 196.9 GFLOP/s | 2.00 |",
		// 3·256²·2048 flops in 2 ms: 201.3; the product's 2·256²·2048 in
		// 4 ms: 67.1; share 201.3 / 67.1; vs cdist 1.2 ms / 6 ms.
		"| 256×2048 | float32 | 201.3 GFLOP/s (2000000 ns) | 335.5 GFLOP/s | 67.1 GFLOP/s | 134.2 GFLOP/s | 3.00 | 8000000 ns | 6000000 ns | 0.20 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q in\n%s", want, md)
		}
	}
}
