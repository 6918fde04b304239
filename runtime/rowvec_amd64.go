//go:build amd64 && !purego

package lossrt

// Assembly kernels in rowvec_amd64.s. The reductions do the whole row on
// both levels (masked tails). The AVX2 element-wise kernels do the first
// len&^3 elements (len&^7 for addConst32AVX2) and the scalar Go loop does
// the rest; the AVX-512 ones do the whole row (masked tail).

//go:noescape
func sum64AVX2(x []float64) float64

//go:noescape
func dot64AVX2(a, b []float64) float64

//go:noescape
func sqDist64AVX2(a, b []float64) float64

//go:noescape
func addScaled64AVX2(dst []float64, s float64, x []float64)

//go:noescape
func addScaledDiffBoth64AVX2(da, db []float64, s float64, a, b []float64)

//go:noescape
func addScaledDiffA64AVX2(da []float64, s float64, a, b []float64)

//go:noescape
func addScaledDiffB64AVX2(db []float64, s float64, a, b []float64)

//go:noescape
func addConst64AVX2(dst []float64, v float64)

//go:noescape
func sum32AVX2(x []float32) float64

//go:noescape
func dot32AVX2(a, b []float32) float64

//go:noescape
func sqDist32AVX2(a, b []float32) float64

//go:noescape
func addScaled32AVX2(dst []float32, s float64, x []float32)

//go:noescape
func addScaledDiffBoth32AVX2(da, db []float32, s float64, a, b []float32)

//go:noescape
func addScaledDiffA32AVX2(da []float32, s float64, a, b []float32)

//go:noescape
func addScaledDiffB32AVX2(db []float32, s float64, a, b []float32)

//go:noescape
func addConst32AVX2(dst []float32, v float32)

//go:noescape
func sum64AVX512(x []float64) float64

//go:noescape
func dot64AVX512(a, b []float64) float64

//go:noescape
func sqDist64AVX512(a, b []float64) float64

//go:noescape
func addScaled64AVX512(dst []float64, s float64, x []float64)

//go:noescape
func addScaledDiffBoth64AVX512(da, db []float64, s float64, a, b []float64)

//go:noescape
func addScaledDiffA64AVX512(da []float64, s float64, a, b []float64)

//go:noescape
func addScaledDiffB64AVX512(db []float64, s float64, a, b []float64)

//go:noescape
func addConst64AVX512(dst []float64, v float64)

//go:noescape
func sum32AVX512(x []float32) float64

//go:noescape
func dot32AVX512(a, b []float32) float64

//go:noescape
func sqDist32AVX512(a, b []float32) float64

//go:noescape
func addScaled32AVX512(dst []float32, s float64, x []float32)

//go:noescape
func addScaledDiffBoth32AVX512(da, db []float32, s float64, a, b []float32)

//go:noescape
func addScaledDiffA32AVX512(da []float32, s float64, a, b []float32)

//go:noescape
func addScaledDiffB32AVX512(db []float32, s float64, a, b []float32)

//go:noescape
func addConst32AVX512(dst []float32, v float32)

//go:noescape
func sqDistRows64AVX512(dst []float64, a, b []float64)

//go:noescape
func sqDistRows32AVX512(dst []float64, a, b []float32)

func sqDistRows32(dst []float64, a, b []float32) {
	sqDistRowsBlocks(dst, a, b, sqDistRows32AVX512, sqDist32)
}

func sqDistRows64(dst []float64, a, b []float64) {
	sqDistRowsBlocks(dst, a, b, sqDistRows64AVX512, sqDist64)
}

// sqDistRowsBlocks runs the whole blocks of six rows through the AVX-512
// kernel, when there is one, and the remaining rows one by one.
func sqDistRowsBlocks[T Float](dst []float64, a, b []T, blocks func(dst []float64, a, b []T), one func(a, b []T) float64) {
	if rowvecLevel() == 2 {
		n := len(dst) - len(dst)%sqDistRowsBlock
		blocks(dst[:n], a, b)
		dst, b = dst[n:], b[n*len(a):]
	}
	sqDistRowsGo(dst, a, b, one)
}

func sum32(x []float32) float64 {
	switch rowvecLevel() {
	case 2:
		return sum32AVX512(x)
	case 1:
		return sum32AVX2(x)
	}
	return sumGo(x)
}

func dot32(a, b []float32) float64 {
	switch rowvecLevel() {
	case 2:
		return dot32AVX512(a, b)
	case 1:
		return dot32AVX2(a, b)
	}
	return dotGo(a, b)
}

func sqDist32(a, b []float32) float64 {
	switch rowvecLevel() {
	case 2:
		return sqDist32AVX512(a, b)
	case 1:
		return sqDist32AVX2(a, b)
	}
	return sqDistGo(a, b)
}

func sum64(x []float64) float64 {
	switch rowvecLevel() {
	case 2:
		return sum64AVX512(x)
	case 1:
		return sum64AVX2(x)
	}
	return sumGo(x)
}

func dot64(a, b []float64) float64 {
	switch rowvecLevel() {
	case 2:
		return dot64AVX512(a, b)
	case 1:
		return dot64AVX2(a, b)
	}
	return dotGo(a, b)
}

func sqDist64(a, b []float64) float64 {
	switch rowvecLevel() {
	case 2:
		return sqDist64AVX512(a, b)
	case 1:
		return sqDist64AVX2(a, b)
	}
	return sqDistGo(a, b)
}

func addScaled32(dst []float32, s float64, x []float32) {
	switch rowvecLevel() {
	case 2:
		addScaled32AVX512(dst, s, x)
	case 1:
		addScaled32AVX2(dst, s, x)
		n := len(x) &^ 3
		addScaledGo(dst[n:], s, x[n:])
	default:
		addScaledGo(dst, s, x)
	}
}

func addScaledDiff32(da, db []float32, s float64, a, b []float32) {
	switch level := rowvecLevel(); {
	case level == 0 || len(a) == 0:
		addScaledDiffGo(da, db, s, a, b)
	case level == 2 && da != nil && db != nil:
		addScaledDiffBoth32AVX512(da, db, s, a, b)
	case level == 2 && da != nil:
		addScaledDiffA32AVX512(da, s, a, b)
	case level == 2 && db != nil:
		addScaledDiffB32AVX512(db, s, a, b)
	case level == 1:
		switch {
		case da != nil && db != nil:
			addScaledDiffBoth32AVX2(da, db, s, a, b)
		case da != nil:
			addScaledDiffA32AVX2(da, s, a, b)
		case db != nil:
			addScaledDiffB32AVX2(db, s, a, b)
		}
		n := len(a) &^ 3
		addScaledDiffGo(tailOrNil(da, n), tailOrNil(db, n), s, a[n:], b[n:])
	}
}

func addConst32(dst []float32, v float32) {
	switch rowvecLevel() {
	case 2:
		addConst32AVX512(dst, v)
	case 1:
		addConst32AVX2(dst, v)
		n := len(dst) &^ 7
		addConstGo(dst[n:], v)
	default:
		addConstGo(dst, v)
	}
}

func addScaled64(dst []float64, s float64, x []float64) {
	switch rowvecLevel() {
	case 2:
		addScaled64AVX512(dst, s, x)
	case 1:
		addScaled64AVX2(dst, s, x)
		n := len(x) &^ 3
		addScaledGo(dst[n:], s, x[n:])
	default:
		addScaledGo(dst, s, x)
	}
}

func addScaledDiff64(da, db []float64, s float64, a, b []float64) {
	switch level := rowvecLevel(); {
	case level == 0 || len(a) == 0:
		addScaledDiffGo(da, db, s, a, b)
	case level == 2 && da != nil && db != nil:
		addScaledDiffBoth64AVX512(da, db, s, a, b)
	case level == 2 && da != nil:
		addScaledDiffA64AVX512(da, s, a, b)
	case level == 2 && db != nil:
		addScaledDiffB64AVX512(db, s, a, b)
	case level == 1:
		switch {
		case da != nil && db != nil:
			addScaledDiffBoth64AVX2(da, db, s, a, b)
		case da != nil:
			addScaledDiffA64AVX2(da, s, a, b)
		case db != nil:
			addScaledDiffB64AVX2(db, s, a, b)
		}
		n := len(a) &^ 3
		addScaledDiffGo(tailOrNil(da, n), tailOrNil(db, n), s, a[n:], b[n:])
	}
}

func addConst64(dst []float64, v float64) {
	switch rowvecLevel() {
	case 2:
		addConst64AVX512(dst, v)
	case 1:
		addConst64AVX2(dst, v)
		n := len(dst) &^ 3
		addConstGo(dst[n:], v)
	default:
		addConstGo(dst, v)
	}
}

// tailOrNil returns x[n:], or nil for a nil x.
func tailOrNil[T Float](x []T, n int) []T {
	if x == nil {
		return nil
	}
	return x[n:]
}
