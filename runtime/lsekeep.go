package lossrt

import "math"

// LogSumExpKeep returns the logsumexp of the row x, as LogSumExp does, and
// keeps what its gradient needs: it stores e[j] = T(exp(x[j] − m)), m being
// the row's maximum, and returns lse = m + log(Σ e) and norm = 1/Σ e. Then
// exp(x[j] − lse) = e[j]·norm to within a few ulps, and the backward pass of
// a softmax needs one multiplication per element instead of an exponential
// (AddScaled(dst, s·norm, e) in place of AddScaledExp(dst, x, s, lse)).
//
// Special rows follow LogSumExp: an empty row, or one with no value above
// -Inf, gives lse = m (-Inf) and e all 0, with norm NaN, so that the
// gradient is NaN as exp(x − lse) makes it; a +Inf or NaN entry gives NaN
// for lse and norm. It panics if len(e) != len(x).
func LogSumExpKeep[T Float](e, x []T) (lse, norm float64) {
	if len(e) != len(x) {
		panic("lossrt.LogSumExpKeep: len(e) != len(x)")
	}
	var m float64
	if isFloat32[T]() {
		m = float64(rowMax32(asFloat32s(x)))
	} else {
		m = rowMax64(asFloat64s(x))
	}
	clear(e)
	if !(m > math.Inf(-1)) {
		return m, math.NaN()
	}
	AddScaledExp(e, x, 1, m)
	s := Sum(e)
	return m + math.Log(s), 1 / s
}

// LogSumExpKeepSkip is LogSumExpKeep over the row without its element at
// index skip (a softmax over the other samples of a batch, j ≠ i): that
// element is neither in the maximum nor in the sum, and e[skip] is 0. A row
// with nothing left (length 1) is the empty set, whose logsumexp is 0 by
// lossgen's convention, with norm 0 so no gradient flows. It panics if
// len(e) != len(x) or skip is not an index of x.
func LogSumExpKeepSkip[T Float](e, x []T, skip int) (lse, norm float64) {
	if len(e) != len(x) {
		panic("lossrt.LogSumExpKeepSkip: len(e) != len(x)")
	}
	if skip < 0 || skip >= len(x) {
		panic("lossrt.LogSumExpKeepSkip: skip out of range")
	}
	clear(e)
	if len(x) == 1 {
		return 0, 0
	}
	a, b := x[:skip], x[skip+1:]
	var m float64
	if isFloat32[T]() {
		m = float64(max(rowMax32(asFloat32s(a)), rowMax32(asFloat32s(b))))
	} else {
		m = max(rowMax64(asFloat64s(a)), rowMax64(asFloat64s(b)))
	}
	if !(m > math.Inf(-1)) {
		return m, math.NaN()
	}
	AddScaledExp(e[:skip], a, 1, m)
	AddScaledExp(e[skip+1:], b, 1, m)
	s := Sum(e) // e[skip] is +0, which changes no sum of non-negative terms
	return m + math.Log(s), 1 / s
}
