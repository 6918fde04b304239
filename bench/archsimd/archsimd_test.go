//go:build goexperiment.simd && amd64

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

const (
	dotN = 2048
	kc   = 256
)

type microKernel struct {
	name   string
	mr, nr int
	avx512 bool // needs AVX-512 (else AVX2+FMA)
	scalar bool
	fn     func(kc int, a, b, c []float32, ldc int)
}

var microKernels = []microKernel{
	{"6x16/scalar", 6, 16, false, true, gemm6x16Scalar},
	{"12x32/scalar", 12, 32, false, true, func(kc int, a, b, c []float32, ldc int) {
		gemmScalar(12, 32, kc, a, b, c, ldc)
	}},
	{"6x16/F32x8", 6, 16, false, false, gemm6x16F32x8},
	{"6x16/F32x8U", 6, 16, false, false, gemm6x16F32x8U},
	{"5x16/F32x8", 5, 16, false, false, gemm5x16F32x8},
	{"5x16/F32x8U", 5, 16, false, false, gemm5x16F32x8U},
	{"12x8/F32x8", 12, 8, false, false, gemm12x8F32x8},
	{"12x8/F32x8U", 12, 8, false, false, gemm12x8F32x8U},
	{"4x32/F32x16", 4, 32, true, false, gemm4x32F32x16},
	{"4x32/F32x16U", 4, 32, true, false, gemm4x32F32x16U},
	{"5x32/F32x16", 5, 32, true, false, gemm5x32F32x16},
	{"5x32/F32x16U", 5, 32, true, false, gemm5x32F32x16U},
	{"8x32/F32x16", 8, 32, true, false, gemm8x32F32x16},
	{"8x32/F32x16U", 8, 32, true, false, gemm8x32F32x16U},
	{"12x32/F32x16", 12, 32, true, false, gemm12x32F32x16},
	{"12x32/F32x16U", 12, 32, true, false, gemm12x32F32x16U},
	{"12x16/F32x16", 12, 16, true, false, gemm12x16F32x16},
	{"12x16/F32x16U", 12, 16, true, false, gemm12x16F32x16U},
	{"14x16/F32x16", 14, 16, true, false, gemm14x16F32x16},
	{"14x16/F32x16U", 14, 16, true, false, gemm14x16F32x16U},
}

type dotKernel struct {
	name   string
	avx512 bool
	scalar bool
	fn     func(x, y []float32) float32
}

var dotKernels = []dotKernel{
	{"scalar", false, true, dotScalar},
	{"scalarAcc4", false, true, dotScalarAcc4},
	{"F32x8Acc4", false, false, dotF32x8Acc4},
	{"F32x8Acc8", false, false, dotF32x8Acc8},
	{"F32x8Acc4U", false, false, dotF32x8Acc4U},
	{"F32x16Acc4", true, false, dotF32x16Acc4},
	{"F32x16Acc8", true, false, dotF32x16Acc8},
	{"F32x16Acc4U", true, false, dotF32x16Acc4U},
}

func skipUnsupported(tb testing.TB, scalar, avx512 bool) {
	tb.Helper()
	switch {
	case scalar:
	case avx512 && !hasAVX512:
		tb.Skip("CPU lacks AVX-512 (F+CD+BW+DQ+VL)")
	case !hasAVX2FMA:
		tb.Skip("CPU lacks AVX2+FMA")
	}
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.Float64()*2 - 1)
	}
	return s
}

// tol is the classic worst-case bound for a float32 sum of k products,
// k·u·Σ|x_i·y_i| with u = 2^-24, doubled for slack (FMA only makes the error
// smaller; the reassociation across accumulators changes which rounding
// errors occur but not the bound). Each result is compared against a float64
// reference.
func tol(k int, absSum float64) float64 {
	return 2*float64(k)*math.Ldexp(1, -24)*absSum + 1e-30
}

func TestDot(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, dotN} {
		x, y := randSlice(r, n), randSlice(r, n)
		var ref, abs float64
		for i := range x {
			ref += float64(x[i]) * float64(y[i])
			abs += math.Abs(float64(x[i]) * float64(y[i]))
		}
		for _, k := range dotKernels {
			t.Run(fmt.Sprintf("%s/n=%d", k.name, n), func(t *testing.T) {
				skipUnsupported(t, k.scalar, k.avx512)
				got := float64(k.fn(x, y))
				if d := math.Abs(got - ref); d > tol(n, abs) {
					t.Fatalf("got %g, want %g (|diff| %g > tol %g)", got, ref, d, tol(n, abs))
				}
			})
		}
	}
}

func TestGemmMicro(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range microKernels {
		for _, kcT := range []int{1, 7, kc} {
			t.Run(fmt.Sprintf("%s/kc=%d", k.name, kcT), func(t *testing.T) {
				skipUnsupported(t, k.scalar, k.avx512)
				mr, nr := k.mr, k.nr
				ldc := nr + 5 // a sub-tile of a wider C, to exercise ldc
				a := randSlice(r, kcT*mr)
				b := randSlice(r, kcT*nr)
				c0 := randSlice(r, (mr-1)*ldc+nr)
				got := append([]float32(nil), c0...)
				k.fn(kcT, a, b, got, ldc)
				// The scalar reference in float32, for a second opinion.
				sc := append([]float32(nil), c0...)
				gemmScalar(mr, nr, kcT, a, b, sc, ldc)
				for i := 0; i < mr; i++ {
					for j := 0; j < nr; j++ {
						ref := float64(c0[i*ldc+j])
						abs := math.Abs(ref)
						for p := 0; p < kcT; p++ {
							pr := float64(a[p*mr+i]) * float64(b[p*nr+j])
							ref += pr
							abs += math.Abs(pr)
						}
						tl := tol(kcT+1, abs)
						if d := math.Abs(float64(got[i*ldc+j]) - ref); d > tl {
							t.Fatalf("C[%d][%d] = %g, want %g (|diff| %g > tol %g)", i, j, got[i*ldc+j], ref, d, tl)
						}
						if d := math.Abs(float64(got[i*ldc+j]) - float64(sc[i*ldc+j])); d > 2*tl {
							t.Fatalf("C[%d][%d] = %g, scalar Go %g (|diff| %g > %g)", i, j, got[i*ldc+j], sc[i*ldc+j], d, 2*tl)
						}
					}
				}
				// Entries between rows (ldc padding) must be untouched.
				for i := 0; i < mr-1; i++ {
					for j := nr; j < ldc; j++ {
						if got[i*ldc+j] != c0[i*ldc+j] {
							t.Fatalf("padding C[%d][%d] modified", i, j)
						}
					}
				}
			})
		}
	}
}

var sink float32

func reportGFLOPS(b *testing.B, flopsPerOp float64) {
	b.ReportMetric(flopsPerOp*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkDot(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	x, y := randSlice(r, dotN), randSlice(r, dotN)
	for _, k := range dotKernels {
		b.Run(fmt.Sprintf("%s/n=%d", k.name, dotN), func(b *testing.B) {
			skipUnsupported(b, k.scalar, k.avx512)
			var s float32
			for b.Loop() {
				s += k.fn(x, y)
			}
			sink = s
			reportGFLOPS(b, 2*dotN)
		})
	}
}

// BenchmarkGemmMicro calls each micro-kernel repeatedly on the same packed
// A (mr×kc) and B (kc×nr) panels, so both stay cache-resident: 6×16 uses
// 6+16 KiB (L1), 12×32 uses 12+32 KiB (just over the 32 KiB L1D, L2).
func BenchmarkGemmMicro(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, k := range microKernels {
		b.Run(fmt.Sprintf("%s/kc=%d", k.name, kc), func(b *testing.B) {
			skipUnsupported(b, k.scalar, k.avx512)
			a := randSlice(r, kc*k.mr)
			bp := randSlice(r, kc*k.nr)
			c := make([]float32, k.mr*k.nr)
			for b.Loop() {
				k.fn(kc, a, bp, c, k.nr)
			}
			reportGFLOPS(b, float64(2*k.mr*k.nr*kc))
		})
	}
}

// BenchmarkGemmMicroL2 is the macro-kernel access pattern: one packed A
// panel against a 256 KiB block of packed B panels (kc×nc, nc = 256 for
// nr = 16, 8 panels of 32 KiB for nr = 32), writing an mr×nc strip of C.
// B streams from L2; A stays in L1.
func BenchmarkGemmMicroL2(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	const bBlockFloats = 256 << 10 / 4
	for _, k := range microKernels {
		b.Run(fmt.Sprintf("%s/kc=%d", k.name, kc), func(b *testing.B) {
			skipUnsupported(b, k.scalar, k.avx512)
			panels := bBlockFloats / (kc * k.nr)
			nc := panels * k.nr
			a := randSlice(r, kc*k.mr)
			bb := randSlice(r, kc*nc)
			c := make([]float32, k.mr*nc)
			for b.Loop() {
				for jp := 0; jp < panels; jp++ {
					k.fn(kc, a, bb[jp*kc*k.nr:], c[jp*k.nr:], nc)
				}
			}
			reportGFLOPS(b, float64(2*k.mr*nc*kc))
		})
	}
}

// BenchmarkFMAPeak measures register-only FMA throughput (10 independent
// chains), the ceiling for the kernels above.
func BenchmarkFMAPeak(b *testing.B) {
	const rounds = 1000
	b.Run("F32x8", func(b *testing.B) {
		skipUnsupported(b, false, false)
		var s float32
		for b.Loop() {
			s += fmaPeakF32x8(rounds, s)
		}
		sink = s
		reportGFLOPS(b, rounds*10*8*2)
	})
	b.Run("F32x16", func(b *testing.B) {
		skipUnsupported(b, false, true)
		var s float32
		for b.Loop() {
			s += fmaPeakF32x16(rounds, s)
		}
		sink = s
		reportGFLOPS(b, rounds*10*16*2)
	})
}
