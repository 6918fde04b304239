package lossrt

// simdLevel is the vector level a family of kernels may use: 2 for
// AVX-512, 1 for AVX2+FMA, 0 for pure Go, the highest this CPU has and
// maxLevel allows (tests lower maxLevel to compare the paths).
func simdLevel(maxLevel int) int {
	switch {
	case hasAVX512 && maxLevel >= 2:
		return 2
	case hasAVX2FMA && maxLevel >= 1:
		return 1
	}
	return 0
}

// SIMD reports which instruction set the vector kernels of this package use
// on this machine: "avx512", "avx2" or "purego". Benchmarks record it next to
// their timings; results do not depend on it beyond the documented rounding
// of each kernel.
func SIMD() string {
	switch {
	case hasAVX512:
		return "avx512"
	case hasAVX2FMA:
		return "avx2"
	}
	return "purego"
}
