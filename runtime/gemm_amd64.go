//go:build amd64 && !purego

package lossrt

import "unsafe"

// The assembly micro-kernels, in gemm_amd64.s. See gemmKernel.asm for the
// contract; the Go caller (Gemm.micro) proves every access in range.

//go:noescape
func gemmF32AVX2(k int, a, b, c unsafe.Pointer, ldc int)

//go:noescape
func gemmF64AVX2(k int, a, b, c unsafe.Pointer, ldc int)

//go:noescape
func gemmF32AVX512(k int, a, b, c unsafe.Pointer, ldc int)

//go:noescape
func gemmF64AVX512(k int, a, b, c unsafe.Pointer, ldc int)

// The tiles: each kernel keeps its mr×nr tile of C in registers (AVX2: 12 of
// the 16 ymm registers; AVX-512: 24 of the 32 zmm registers), and per step of
// k loads nr/lanes vectors of B and broadcasts mr values of A, so that one
// load feeds at least two FMAs and the FMA latency is hidden many times over.
//
// Tile shapes were measured on the development machine (an AMD EPYC with
// AVX-512, 2 cores, L1d 48 KB and L2 1 MB per core) on the products
// 256×751×2048 and 64×751×2048: 8×48 float32 and 8×24 float64 were the
// fastest AVX-512 tiles (ahead of 12×32, 6×64, 4×64, 14×32 and 12×16, 6×32,
// 14×16, by 1–8%), and the AVX-512 kernels run about 1.8 times as fast as
// the AVX2 ones there, so they come first whenever the CPU has them.
//
// Block sizes:
//
//   - kc = 256: one B micro-panel (kc×nr: 48 KB for both AVX-512 tiles, 16 KB
//     for the AVX2 ones) stays in L1/L2 across the loop over the A panels of
//     a block, and C is loaded and stored only once per 256 FMAs of each of
//     its elements. Measured kc from 128 to 512 changed the speed by less
//     than the noise (the tiles are compute-bound with L2 streaming), so kc
//     stays at the classic L1-sized choice.
//   - mc = 96: the packed mc×kc block of A (96 KB float32, 192 KB float64)
//     stays in the 1 MB L2 while all the B micro-panels of the block stream
//     past it, leaving room for the B panel and the C tiles.
//   - nc ≈ 1024 float32 / 512 float64 (rounded up to whole tiles): the
//     packed kc×nc block of B takes about 1 MB, the size of L2, and lives
//     in L2/L3. A larger nc only saves repacking A, whose cost falls as 1/nc
//     and is already small; it would cost memory in every workspace.
var (
	gemmAVX512F32 = gemmKernel{name: "avx512 8x48", mr: 8, nr: 48, mc: 96, kc: 256, nc: 1024, asm: gemmF32AVX512}
	gemmAVX512F64 = gemmKernel{name: "avx512 8x24", mr: 8, nr: 24, mc: 96, kc: 256, nc: 512, asm: gemmF64AVX512}
	gemmAVX2F32   = gemmKernel{name: "avx2 6x16", mr: 6, nr: 16, mc: 96, kc: 256, nc: 1024, asm: gemmF32AVX2}
	gemmAVX2F64   = gemmKernel{name: "avx2 6x8", mr: 6, nr: 8, mc: 96, kc: 256, nc: 512, asm: gemmF64AVX2}
)

// gemmKernels lists the micro-kernels for elements of size bytes this CPU
// can run, fastest first, the pure-Go kernel last.
func gemmKernels(size int) []gemmKernel {
	var ks []gemmKernel
	if size == 4 {
		if hasAVX512 {
			ks = append(ks, gemmAVX512F32)
		}
		if hasAVX2FMA {
			ks = append(ks, gemmAVX2F32)
		}
		return append(ks, gemmGo32)
	}
	if hasAVX512 {
		ks = append(ks, gemmAVX512F64)
	}
	if hasAVX2FMA {
		ks = append(ks, gemmAVX2F64)
	}
	return append(ks, gemmGo64)
}
