package lossrt

import "testing"

func TestSIMDReportsAPath(t *testing.T) {
	switch s := SIMD(); s {
	case "avx512", "avx2", "purego":
		t.Logf("vector kernels: %s", s)
	default:
		t.Fatalf("SIMD() = %q", s)
	}
	if hasAVX512 && !hasAVX2FMA {
		t.Fatal("AVX-512 kernels assume AVX2 and FMA too")
	}
}
