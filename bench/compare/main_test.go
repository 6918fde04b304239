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

func TestCellsFixedSizes(t *testing.T) {
	g := grid{N: []int{64}, D: []int{128}, C: []int{751}}
	c := cells([]string{"N", "D", "C", "K"}, g)
	if len(c) != 1 || c[0]["K"] != 10 {
		t.Errorf("softtriple: cells %v, want K = 10", c)
	}
	if q := cells([]string{"N", "D", "Q"}, g); q[0]["Q"] != 4096 {
		t.Errorf("moco: cells %v, want Q = 4096", q)
	}
}

func TestPeerBest(t *testing.T) {
	times := peerTimes{"SkylakeX, 1 thread": 300, "Haswell, 2 threads": 200, "Prescott (detected), 2 threads": 200}
	if cfg, ns := times.best(); cfg != "Haswell, 2 threads" || ns != 200 {
		t.Errorf("best = %q %v, want the first label of the tie, Haswell at 200", cfg, ns)
	}
	if cfg, ns := (peerTimes{}).best(); cfg != "" || ns != 0 {
		t.Errorf("best of nothing = %q %v", cfg, ns)
	}
}

func TestCoreCandidates(t *testing.T) {
	spr := map[string]bool{"avx2": true, "fma": true, "avx512f": true, "avx512bw": true, "avx512vl": true,
		"avx512dq": true, "avx512cd": true, "avx512_bf16": true}
	if got := strings.Join(coreCandidates(spr, "GenuineIntel"), ","); got != "Cooperlake,SkylakeX,Haswell" {
		t.Errorf("Sapphire Rapids: %s", got)
	}
	if got := strings.Join(coreCandidates(map[string]bool{"avx2": true, "fma": true}, "AuthenticAMD"), ","); got != "Zen,Haswell" {
		t.Errorf("AVX2 AMD: %s", got)
	}
	env := torchEnv("SkylakeX")
	n := 0
	for _, kv := range env {
		if strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") {
			n++
			if kv != "OPENBLAS_CORETYPE=SkylakeX" {
				t.Errorf("env has %s", kv)
			}
		}
	}
	if n != 1 {
		t.Errorf("OPENBLAS_CORETYPE set %d times", n)
	}
}

func TestMarkdown(t *testing.T) {
	l1, l2 := 0.5, 0.5000001
	rs := []result{
		{Spec: "triplet", Type: "float32", Sizes: []string{"N", "D"}, Dims: map[string]int{"N": 32, "D": 128},
			LossgenNs: 1000, Gflops: 2, Roofline: 0.25, LossgenLoss: &l1, TorchLoss: &l2,
			TorchNs: peerTimes{"Haswell, 1 thread": 4000, "Haswell, 2 threads": 2000}},
		{Spec: "triplet", Type: "float32", Sizes: []string{"N", "D"}, Dims: map[string]int{"N": 64, "D": 128},
			LossgenNs: 3000, Gflops: 2, LossgenLoss: &l1, TorchLoss: &l1, TorchNs: peerTimes{"Haswell, 1 thread": 2000}},
		{Spec: "moco", New: true, Type: "float64", Sizes: []string{"N", "D", "Q"}, Dims: map[string]int{"N": 64, "D": 128, "Q": 4096},
			LossgenNs: 8000, LossgenLoss: &l1, TorchLoss: &l1, TorchNs: peerTimes{"SkylakeX, 2 threads": 1000}},
	}
	var buf bytes.Buffer
	mm := []matmulResult{{Shape: matmulShape{M: 256, N: 751, K: 2048}, Type: "float32", Kernel: "avx512 8x48",
		GoNs: map[int]float64{1: 4e6, 2: 2e6}, TorchNs: peerTimes{"Cooperlake, 1 thread": 8e6, "Cooperlake, 2 threads": 4e6}}}
	pd := []pairResult{{Shape: pairShape{N: 256, D: 2048}, Type: "float32",
		GoNs: map[int]float64{1: 2e6, 2: 1.2e6}, GemmNs: map[int]float64{1: 4e6, 2: 2e6}, CdistNs: map[int]float64{1: 8e6, 2: 6e6}}}
	lim := measureLimits(mm, time.Millisecond)
	writeMarkdown(&buf, rs, mm, pd, lim, machine{CPU: "Test CPU", Cores: 2, Go: "go1.26", Torch: "1.13"},
		report{Quick: true, Grid: grid{N: []int{32, 64}, D: []int{128}}, MinTime: time.Second})
	md := buf.String()
	for _, want := range []string{
		"**Quick run**", "go run ./bench/compare -out BENCHMARKS.md", "Test CPU, 2 cores",
		"| triplet | float32 | N=32,D=128 | 1000 | 0 | 2000 | Haswell, 2 threads | 0.50 | 0.250 | ✓ |",
		"| triplet | float32 | N=64,D=128 | 3000 | 0 | 2000 | Haswell, 1 thread | **1.50** |",
		// geometric mean of 0.5 and 1.5
		"**The shipped specs: geometric mean of the ratio 0.87 over 2 cells; worst 1.50 (triplet float32 N=64,D=128); 1 cells at or below 1.0.**",
		"The five worst cells: triplet float32 N=64,D=128 (1.50); triplet float32 N=32,D=128 (0.50).",
		"**The new-variant suite: geometric mean of the ratio 8.00 over 1 cells; worst 8.00 (moco float64 N=64,D=128,Q=4096); 0 cells at or below 1.0.**",
		"| Haswell, 1 thread | 1 |",
		// 2·256·751·2048 flops in 4 ms: 196.9 GFLOP/s, and the peak that gives
		"| 256×751×2048 | float32 | avx512 8x48 | 196.9 GFLOP/s | 393.7 GFLOP/s | 196.9 GFLOP/s | Cooperlake, 2 threads |",
		"- GEMM peak, float32: 393.7 GFLOP/s (lossrt.Gemm, 2 workers, 256×751×2048)",
		// 3·256²·2048 flops in 2 ms: 201.3; the product's 2·256²·2048 in
		// 4 ms: 67.1; share 201.3 / 67.1; vs cdist 1.2 ms / 6 ms.
		"| 256×2048 | float32 | 201.3 GFLOP/s (2000000 ns) | 335.5 GFLOP/s | 67.1 GFLOP/s | 134.2 GFLOP/s | 3.00 | 8000000 ns | 6000000 ns | 0.20 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q in\n%s", want, md)
		}
	}
}
