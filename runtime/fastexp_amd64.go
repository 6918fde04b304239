//go:build amd64 && !purego

package lossrt

import "math"

// Assembly kernels in fastexp_amd64.s. The AVX2 sum and add kernels do the
// whole blocks of 8 and 4 elements; the AVX-512 ones do the tail with a
// masked block. The max kernels do the whole row.

//go:noescape
func rowMax64AVX2(x []float64) float64

//go:noescape
func rowMax32AVX2(x []float32) float32

//go:noescape
func rowSumExp64AVX2(x []float64, m float64, acc *[8]float64)

//go:noescape
func rowSumExp32AVX2(x []float32, m float64, acc *[8]float64)

//go:noescape
func addScaledExp64AVX2(dst, src []float64, scale, shift float64)

//go:noescape
func addScaledExp32AVX2(dst, src []float32, scale, shift float64)

//go:noescape
func rowSumExp64AVX512(x []float64, m float64, acc *[8]float64)

//go:noescape
func rowSumExp32AVX512(x []float32, m float64, acc *[8]float64)

//go:noescape
func addScaledExp64AVX512(dst, src []float64, scale, shift float64)

//go:noescape
func addScaledExp32AVX512(dst, src []float32, scale, shift float64)

var (
	negInf64 = math.Inf(-1)
	negInf32 = float32(math.Inf(-1))
)

func rowMax32(x []float32) float32 {
	if expLevel() >= 1 {
		return rowMax32AVX2(x)
	}
	return rowMaxGo(x)
}

func rowMax64(x []float64) float64 {
	if expLevel() >= 1 {
		return rowMax64AVX2(x)
	}
	return rowMaxGo(x)
}

// The AVX2 kernels leave a tail shorter than a block; it goes through the
// same kernel once more from a padded copy. In the sums the padding is -Inf,
// whose exp(-Inf - m) is +0 and leaves every lane unchanged (a lane is +0 or
// more, or NaN), and the tail starts at a multiple of 8, so its element i
// still goes to lane i.

func rowSumExp32(x []float32, m float64, acc *[8]float64) {
	switch expLevel() {
	case 2:
		rowSumExp32AVX512(x, m, acc)
	case 1:
		rowSumExp32AVX2(x, m, acc)
		if tail := x[len(x)&^7:]; len(tail) > 0 {
			buf := [8]float32{negInf32, negInf32, negInf32, negInf32, negInf32, negInf32, negInf32, negInf32}
			copy(buf[:], tail)
			rowSumExp32AVX2(buf[:], m, acc)
		}
	default:
		rowSumExpGo(x, m, acc)
	}
}

func rowSumExp64(x []float64, m float64, acc *[8]float64) {
	switch expLevel() {
	case 2:
		rowSumExp64AVX512(x, m, acc)
	case 1:
		rowSumExp64AVX2(x, m, acc)
		if tail := x[len(x)&^7:]; len(tail) > 0 {
			buf := [8]float64{negInf64, negInf64, negInf64, negInf64, negInf64, negInf64, negInf64, negInf64}
			copy(buf[:], tail)
			rowSumExp64AVX2(buf[:], m, acc)
		}
	default:
		rowSumExpGo(x, m, acc)
	}
}

func addScaledExp32(dst, src []float32, scale, shift float64) {
	switch expLevel() {
	case 2:
		addScaledExp32AVX512(dst, src, scale, shift)
	case 1:
		addScaledExp32AVX2(dst, src, scale, shift)
		if n := len(src) &^ 3; n < len(src) {
			var d, s [4]float32
			copy(d[:], dst[n:])
			copy(s[:], src[n:])
			addScaledExp32AVX2(d[:], s[:], scale, shift)
			copy(dst[n:], d[:])
		}
	default:
		addScaledExpGo(dst, src, scale, shift)
	}
}

func addScaledExp64(dst, src []float64, scale, shift float64) {
	switch expLevel() {
	case 2:
		addScaledExp64AVX512(dst, src, scale, shift)
	case 1:
		addScaledExp64AVX2(dst, src, scale, shift)
		if n := len(src) &^ 3; n < len(src) {
			var d, s [4]float64
			copy(d[:], dst[n:])
			copy(s[:], src[n:])
			addScaledExp64AVX2(d[:], s[:], scale, shift)
			copy(dst[n:], d[:])
		}
	default:
		addScaledExpGo(dst, src, scale, shift)
	}
}
