package lossrt

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
