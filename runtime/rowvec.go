package lossrt

import "math"

// Row kernels: reductions and element-wise updates over a row, computed in
// float64 whatever T is (float32 inputs are widened exactly, float32
// outputs rounded once per store).
//
// Reductions (Sum, Dot, SqDist) accumulate in rowLanes = 32 float64 partial
// sums, element j into lane j mod 32, each lane starting at +0 and summing
// its elements in index order; the lanes are then combined by combineLanes
// in a fixed pairwise order. The pure-Go, AVX2 (8 registers of 4 lanes) and
// AVX-512 (4 registers of 8 lanes) paths all compute exactly this, so their
// results are bit-identical. 32 lanes keep enough independent additions in
// flight to hide the add/FMA latency on both vector widths.
//
// Element-wise kernels (AddScaled, AddScaledDiff, AddConst) are defined by
// the scalar loops in their doc comments, every product and difference
// rounded to float64 (never fused into an FMA), and every path reproduces
// those loops bit for bit. NaN results are NaN on every path, but which
// NaN payload comes out when two NaNs meet is not specified.
//
// Mismatched lengths panic; the destination slices of the element-wise
// kernels must not overlap their source slices (or each other).

// rowLanes is the number of partial sums of the reductions.
const rowLanes = 32

// Sum returns Σ_j float64(x[j]), summed in 32 lanes (see above).
func Sum[T Float](x []T) float64 {
	if isFloat32[T]() {
		return sum32(asFloat32s(x))
	}
	return sum64(asFloat64s(x))
}

// Dot returns Σ_j float64(a[j])·float64(b[j]), each product accumulated with
// a fused multiply-add into lane j mod 32. It panics if len(a) != len(b).
func Dot[T Float](a, b []T) float64 {
	if len(a) != len(b) {
		panic("lossrt.Dot: len(a) != len(b)")
	}
	if isFloat32[T]() {
		return dot32(asFloat32s(a), asFloat32s(b))
	}
	return dot64(asFloat64s(a), asFloat64s(b))
}

// SqDist returns Σ_j (float64(a[j]) − float64(b[j]))²: d := a[j] − b[j]
// rounded to float64, then fma(d, d, lane) into lane j mod 32. It panics if
// len(a) != len(b).
func SqDist[T Float](a, b []T) float64 {
	if len(a) != len(b) {
		panic("lossrt.SqDist: len(a) != len(b)")
	}
	if isFloat32[T]() {
		return sqDist32(asFloat32s(a), asFloat32s(b))
	}
	return sqDist64(asFloat64s(a), asFloat64s(b))
}

// AddScaled does, for every j,
//
//	dst[j] += T(float64(s * float64(x[j])))
//
// (the product rounded to float64, then to T, then added in T). It panics if
// len(dst) != len(x). dst must not overlap x.
func AddScaled[T Float](dst []T, s float64, x []T) {
	if len(dst) != len(x) {
		panic("lossrt.AddScaled: len(dst) != len(x)")
	}
	if isFloat32[T]() {
		addScaled32(asFloat32s(dst), s, asFloat32s(x))
	} else {
		addScaled64(asFloat64s(dst), s, asFloat64s(x))
	}
}

// AddScaledDiff does, for every j,
//
//	v := float64(s * (float64(a[j]) - float64(b[j])))
//	da[j] += T(v)
//	db[j] -= T(v)
//
// (the difference rounded to float64, then the product). A nil da or db is
// skipped; a non-nil one must have the length of a. It panics if
// len(a) != len(b) or a non-nil da or db has another length. da and db must
// not overlap a or b. They may be the very same row (a pairwise distance's
// adjoint at i == j): that case runs the loop above element by element, so
// the result is exactly the loop's; any other overlap is an error.
func AddScaledDiff[T Float](da, db []T, s float64, a, b []T) {
	if len(a) != len(b) {
		panic("lossrt.AddScaledDiff: len(a) != len(b)")
	}
	if da != nil && len(da) != len(a) {
		panic("lossrt.AddScaledDiff: len(da) != len(a)")
	}
	if db != nil && len(db) != len(a) {
		panic("lossrt.AddScaledDiff: len(db) != len(a)")
	}
	if len(da) > 0 && len(db) > 0 && &da[0] == &db[0] {
		addScaledDiffGo(da, db, s, a, b)
		return
	}
	if isFloat32[T]() {
		addScaledDiff32(asFloat32sOrNil(da), asFloat32sOrNil(db), s, asFloat32s(a), asFloat32s(b))
	} else {
		addScaledDiff64(asFloat64sOrNil(da), asFloat64sOrNil(db), s, asFloat64s(a), asFloat64s(b))
	}
}

// AddConst does dst[j] += T(v) for every j (v rounded to T once).
func AddConst[T Float](dst []T, v float64) {
	if isFloat32[T]() {
		addConst32(asFloat32s(dst), float32(v))
	} else {
		addConst64(asFloat64s(dst), v)
	}
}

func asFloat32sOrNil[T Float](x []T) []float32 {
	if x == nil {
		return nil
	}
	return asFloat32s(x)
}

func asFloat64sOrNil[T Float](x []T) []float64 {
	if x == nil {
		return nil
	}
	return asFloat64s(x)
}

// rowvecMaxLevel caps the kernels the row functions of this file may take:
// 0 pure Go, 1 AVX2+FMA, 2 AVX-512. Tests lower it to compare the paths.
var rowvecMaxLevel = 2

func rowvecLevel() int { return simdLevel(rowvecMaxLevel) }

// combineLanes adds the partial sums pairwise: lane i and i+16, then i and
// i+8, i and i+4, and finally (l0+l2) + (l1+l3).
func combineLanes(l *[rowLanes]float64) float64 {
	for i := range 16 {
		l[i] += l[i+16]
	}
	for i := range 8 {
		l[i] += l[i+8]
	}
	for i := range 4 {
		l[i] += l[i+4]
	}
	return (l[0] + l[2]) + (l[1] + l[3])
}

// The pure-Go kernels, the definition the assembly reproduces bit for bit.

func sumGo[T Float](x []T) float64 {
	var l [rowLanes]float64
	for len(x) >= rowLanes {
		blk := x[:rowLanes]
		for i := range l {
			l[i] += float64(blk[i])
		}
		x = x[rowLanes:]
	}
	for i, v := range x {
		l[i] += float64(v)
	}
	return combineLanes(&l)
}

func dotGo[T Float](a, b []T) float64 {
	var l [rowLanes]float64
	b = b[:len(a)]
	for len(a) >= rowLanes {
		ba, bb := a[:rowLanes], b[:rowLanes]
		for i := range l {
			l[i] = math.FMA(float64(ba[i]), float64(bb[i]), l[i])
		}
		a, b = a[rowLanes:], b[rowLanes:]
	}
	for i, v := range a {
		l[i] = math.FMA(float64(v), float64(b[i]), l[i])
	}
	return combineLanes(&l)
}

func sqDistGo[T Float](a, b []T) float64 {
	var l [rowLanes]float64
	b = b[:len(a)]
	for len(a) >= rowLanes {
		ba, bb := a[:rowLanes], b[:rowLanes]
		for i := range l {
			d := float64(ba[i]) - float64(bb[i])
			l[i] = math.FMA(d, d, l[i])
		}
		a, b = a[rowLanes:], b[rowLanes:]
	}
	for i, v := range a {
		d := float64(v) - float64(b[i])
		l[i] = math.FMA(d, d, l[i])
	}
	return combineLanes(&l)
}

func addScaledGo[T Float](dst []T, s float64, x []T) {
	dst = dst[:len(x)]
	for j := range x {
		dst[j] += T(float64(s * float64(x[j])))
	}
}

// addScaledDiffGo is AddScaledDiff's loop; da or db may be nil.
func addScaledDiffGo[T Float](da, db []T, s float64, a, b []T) {
	b = b[:len(a)]
	switch {
	case da != nil && db != nil:
		da, db = da[:len(a)], db[:len(a)]
		for j := range a {
			v := float64(s * (float64(a[j]) - float64(b[j])))
			da[j] += T(v)
			db[j] -= T(v)
		}
	case da != nil:
		da = da[:len(a)]
		for j := range a {
			v := float64(s * (float64(a[j]) - float64(b[j])))
			da[j] += T(v)
		}
	case db != nil:
		db = db[:len(a)]
		for j := range a {
			v := float64(s * (float64(a[j]) - float64(b[j])))
			db[j] -= T(v)
		}
	}
}

func addConstGo[T Float](dst []T, c T) {
	for j := range dst {
		dst[j] += c
	}
}
