//go:build !amd64 || purego

package lossrt

// Without amd64 assembly the row functions run the pure-Go kernels.

func rowMax32(x []float32) float32 { return rowMaxGo(x) }

func rowMax64(x []float64) float64 { return rowMaxGo(x) }

func rowSumExp32(x []float32, m float64, acc *[8]float64) { rowSumExpGo(x, m, acc) }

func rowSumExp64(x []float64, m float64, acc *[8]float64) { rowSumExpGo(x, m, acc) }

func addScaledExp32(dst, src []float32, scale, shift float64) {
	addScaledExpGo(dst, src, scale, shift)
}

func addScaledExp64(dst, src []float64, scale, shift float64) {
	addScaledExpGo(dst, src, scale, shift)
}
