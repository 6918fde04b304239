package lossrt

import (
	"math"
	"unsafe"
)

// Fast exp and the logsumexp row loops of cross-entropy-like losses.
//
// ExpFast is the scalar definition; the amd64 kernels (fastexp_amd64.s)
// evaluate exactly the same sequence of IEEE operations per element, so the
// assembly and pure-Go paths give bit-identical results (tested).
//
// Method (after SLEEF's xexp, u10):
//
//	x = clamp(x, -746, 710)                  NaN passes through
//	t = fma(x, log2(e), 1.5·2^52)            k = round(x/ln2) in t's low bits
//	k = t - 1.5·2^52
//	r1 = fma(k, -ln2hi, x)                   exact (Cody-Waite, two constants)
//	r = fma(k, -ln2lo, r1); rl = fma(k, -ln2lo, r1 - r)   r + rl = x - k·ln2
//	v = 1/2 + r·q(r)                         q: degree-9 polynomial (Estrin)
//	h = 1 + r; hl = (1 - h) + r              h + hl = 1 + r exactly
//	u = h + ((hl + rl) + r²·v)               e^(r+rl), |r| ≲ ln2/2
//	e^x = u · 2^k1 · 2^k2                    k1 = floor(k/2), k2 = k - k1
//
// The polynomial is SLEEF's; carrying the low parts rl and hl leaves the
// final addition as the only rounding of size, so the error stays near
// half an ulp (SLEEF's plain 1 + (r + r²·v) reaches 0.97 ulp).
//
// Splitting 2^k in two factors keeps both normal for every k in
// [-1076, 1024], so u·2^k1 is exact and the second product rounds once:
// results in the subnormal range are correctly rounded products
// (within 1 ulp of e^x), overflow gives +Inf and deep underflow +0 without a
// separate check. The clamp makes ±Inf behave as 710 and -746 (giving +Inf
// and 0).

const (
	expClampHi  = 710.0
	expClampLo  = -746.0
	expLog2e    = 1.442695040888963407359924681001892137426645954152985934135449406931
	expShifter  = 0x1.8p52
	expNegLn2Hi = -.69314718055966295651160180568695068359375
	expNegLn2Lo = -.28235290563031577122588448175013436025525412068e-12

	// q(r) = Σ expQi·r^i, the coefficients of r^(i+3) in e^r.
	expQ9 = 0.2081276378237164457e-8
	expQ8 = 0.2511210703042288022e-7
	expQ7 = 0.2755762628169491192e-6
	expQ6 = 0.2755723402025388239e-5
	expQ5 = 0.2480158687479686264e-4
	expQ4 = 0.1984126989855865850e-3
	expQ3 = 0.1388888888914497797e-2
	expQ2 = 0.8333333333314938210e-2
	expQ1 = 0.4166666666666602598e-1
	expQ0 = 0.1666666666666669072e+0

	// The bits of t are expShifterBits + k. Biased exponents of the two
	// scale factors: e1 = (t>>1) - expBias1 = floor(k/2) + 1023 and
	// e2 = t - e1 - expBias2 = k - floor(k/2) + 1023.
	expShifterBits = 0x4338000000000000
	expBias1       = expShifterBits>>1 - 1023
	expBias2       = expShifterBits - 2046
)

// ExpFast returns e**x within 1 ulp: the measured maximum error against a
// double-double reference over 10^6 points of [-745.2, 710] is 0.644 ulp
// for normal results and 0.757 ulp for subnormal ones (TestExpFastULP).
//
// Special cases are those of math.Exp: ExpFast(+Inf) = +Inf,
// ExpFast(-Inf) = 0, ExpFast(NaN) = NaN, ExpFast(x) = +Inf when e**x
// overflows (x > 709.78...), 0 when it is below half the smallest subnormal.
// Results in the subnormal range are rounded once from u·2^k, so they are
// within 1 ulp as well, not flushed to zero.
func ExpFast(x float64) float64 {
	// The comparisons are those of VMINPD/VMAXPD with x as second operand:
	// a NaN x fails both and passes through.
	if expClampHi < x {
		x = expClampHi
	}
	if expClampLo > x {
		x = expClampLo
	}
	t := math.FMA(x, expLog2e, expShifter)
	k := t - expShifter
	r1 := math.FMA(k, expNegLn2Hi, x) // exact: k·ln2hi is, and Sterbenz
	r := math.FMA(k, expNegLn2Lo, r1)
	rl := math.FMA(k, expNegLn2Lo, r1-r) // r + rl = x - k·ln2 to ~2^-100
	r2 := r * r
	r4 := r2 * r2
	r8 := r4 * r4
	a := math.FMA(r, expQ9, expQ8)
	b := math.FMA(r, expQ7, expQ6)
	c := math.FMA(r, expQ5, expQ4)
	d := math.FMA(r, expQ3, expQ2)
	e := math.FMA(r, expQ1, expQ0)
	b = math.FMA(r2, b, c)
	d = math.FMA(r2, d, e)
	b = math.FMA(r4, b, d)
	u := math.FMA(r8, a, b)
	v := math.FMA(u, r, 0.5)
	// e^(r+rl) ≈ (1 + r) + (rl + r²·v) with 1 + r = h + hl exactly, so the
	// only large rounding is the final addition.
	h := 1 + r
	hl := (1 - h) + r
	c = hl + rl
	c = math.FMA(r2, v, c)
	u = h + c
	tb := math.Float64bits(t)
	e1 := tb>>1 - expBias1
	e2 := tb - e1 - expBias2
	return u * math.Float64frombits(e1<<52) * math.Float64frombits(e2<<52)
}

// LogSumExp returns log Σ_j e^x[j] of a row, computed in float64 as the
// scalar loop
//
//	m := -Inf; for each v { if v > m { m = v } }
//	if m > -Inf { s := Σ exp(v - m); return m + log(s) }; return m
//
// with ExpFast in place of math.Exp and s summed in 8 lanes (element j into
// lane j mod 8, lanes combined as ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))), on
// every path. So an empty row gives -Inf, a row without a value above -Inf
// gives -Inf (a NaN is skipped by the max, so [NaN, -Inf] gives -Inf), and
// otherwise a +Inf entry gives NaN (exp(Inf-Inf)) and so does any NaN entry.
func LogSumExp[T Float](x []T) float64 {
	if isFloat32[T]() {
		return logSumExp32(asFloat32s(x))
	}
	return logSumExp64(asFloat64s(x))
}

// logSumExp32 and logSumExp64 keep the lanes in a non-generic frame: taken
// by address inside the generic LogSumExp, the array escaped to the heap in
// the pure-Go build (one allocation per row).
func logSumExp32(x []float32) float64 {
	m := float64(rowMax32(x))
	if !(m > math.Inf(-1)) {
		return m
	}
	var acc [8]float64
	rowSumExp32(x, m, &acc)
	return m + math.Log(sumLanes8(&acc))
}

func logSumExp64(x []float64) float64 {
	m := rowMax64(x)
	if !(m > math.Inf(-1)) {
		return m
	}
	var acc [8]float64
	rowSumExp64(x, m, &acc)
	return m + math.Log(sumLanes8(&acc))
}

// sumLanes8 combines the lanes in their fixed order.
func sumLanes8(acc *[8]float64) float64 {
	return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

// AddScaledExp does dst[j] += T(scale·exp(float64(src[j]) − shift)) for
// every j, with ExpFast as exp; the product is rounded to float64 before the
// conversion to T and the addition in T. It panics if len(dst) != len(src).
func AddScaledExp[T Float](dst, src []T, scale, shift float64) {
	if len(dst) != len(src) {
		panic("lossrt.AddScaledExp: len(dst) != len(src)")
	}
	if isFloat32[T]() {
		addScaledExp32(asFloat32s(dst), asFloat32s(src), scale, shift)
	} else {
		addScaledExp64(asFloat64s(dst), asFloat64s(src), scale, shift)
	}
}

// expBlock is how many elements ExpInPlace hands the exp kernel at a
// time: the arguments are copied to a buffer of this many on the stack.
const expBlock = 256

// ExpInPlace does x[j] = T(exp(float64(x[j]))) for every j, with ExpFast as
// exp (within 1 ulp of e**x; the same bits on the assembly and pure-Go
// paths): an elementwise map whose value is exp of an expression computes
// the expression into its row, then this. It allocates nothing.
func ExpInPlace[T Float](x []T) {
	if isFloat32[T]() {
		expInPlace32(asFloat32s(x))
	} else {
		expInPlace64(asFloat64s(x))
	}
}

// expInPlace64 and expInPlace32 are ExpInPlace's two types, apart so that
// their buffers stay on the stack: seen through a generic call, escape
// analysis moves them to the heap.
func expInPlace64(x []float64) {
	var buf [expBlock]float64
	for len(x) > 0 {
		n := copy(buf[:], x)
		clear(x[:n])
		// 0 + 1·e is e exactly: the kernel's addition changes nothing.
		addScaledExp64(x[:n], buf[:n], 1, 0)
		x = x[n:]
	}
}

func expInPlace32(x []float32) {
	var buf [expBlock]float32
	for len(x) > 0 {
		n := copy(buf[:], x)
		clear(x[:n])
		addScaledExp32(x[:n], buf[:n], 1, 0)
		x = x[n:]
	}
}

func isFloat32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

func asFloat32s[T Float](x []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

func asFloat64s[T Float](x []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

// expMaxLevel caps the kernels the row functions may take: 0 pure Go,
// 1 AVX2+FMA, 2 AVX-512. Tests lower it to compare the paths.
var expMaxLevel = 2

func expLevel() int { return simdLevel(expMaxLevel) }

// The pure-Go kernels, the definition the assembly reproduces bit for bit.

func rowMaxGo[T Float](x []T) T {
	m := T(math.Inf(-1))
	for _, v := range x {
		if v > m {
			m = v
		}
	}
	return m
}

// rowSumExpGo adds exp(x[i]-m) into lane i mod 8 of acc.
func rowSumExpGo[T Float](x []T, m float64, acc *[8]float64) {
	for len(x) >= 8 {
		for i := range 8 {
			acc[i] += ExpFast(float64(x[i]) - m)
		}
		x = x[8:]
	}
	for i, v := range x {
		acc[i] += ExpFast(float64(v) - m)
	}
}

func addScaledExpGo[T Float](dst, src []T, scale, shift float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += T(float64(scale * ExpFast(float64(v)-shift)))
	}
}
