//go:build !amd64 || purego

package lossrt

// Without amd64 assembly the row kernels run the pure-Go loops.

func sum32(x []float32) float64 { return sumGo(x) }

func sum64(x []float64) float64 { return sumGo(x) }

func dot32(a, b []float32) float64 { return dotGo(a, b) }

func dot64(a, b []float64) float64 { return dotGo(a, b) }

func sqDist32(a, b []float32) float64 { return sqDistGo(a, b) }

func sqDist64(a, b []float64) float64 { return sqDistGo(a, b) }

func sqDistRows32(dst []float64, a, b []float32) { sqDistRowsGo(dst, a, b, sqDist32) }

func sqDistRows64(dst []float64, a, b []float64) { sqDistRowsGo(dst, a, b, sqDist64) }

func addScaled32(dst []float32, s float64, x []float32) { addScaledGo(dst, s, x) }

func addScaled64(dst []float64, s float64, x []float64) { addScaledGo(dst, s, x) }

func addScaledDiff32(da, db []float32, s float64, a, b []float32) {
	addScaledDiffGo(da, db, s, a, b)
}

func addScaledDiff64(da, db []float64, s float64, a, b []float64) {
	addScaledDiffGo(da, db, s, a, b)
}

func addConst32(dst []float32, v float32) { addConstGo(dst, v) }

func addConst64(dst []float64, v float64) { addConstGo(dst, v) }
