package lossrt

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// ---- test data --------------------------------------------------------------

var rowvecLengths = func() []int {
	var l []int
	for n := 0; n <= 40; n++ {
		l = append(l, n)
	}
	return append(l, 63, 64, 65, 127, 751, 2048, 2049)
}()

// rowvecOffsets are the element offsets of the tested subslices, so the
// rows start at every alignment modulo 32 bytes (and 64 for float64).
var rowvecOffsets = []int{0, 1, 2, 3, 4, 5, 6, 7}

func withRowvecLevel(level int, f func()) {
	old := rowvecMaxLevel
	rowvecMaxLevel = level
	defer func() { rowvecMaxLevel = old }()
	f()
}

type rowvecCase struct {
	name string
	a, b []float64
}

// rowvecCases returns named pairs of rows of length n. Within the finite
// cases no sum or product overflows, so the results can be checked against
// an exact reference.
func rowvecCases(n int, rng *rand.Rand) []rowvecCase {
	var cases []rowvecCase
	gen := func(f func(i int) float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = f(i)
		}
		return x
	}
	mk := func(name string, fa, fb func(i int) float64) {
		cases = append(cases, rowvecCase{name, gen(fa), gen(fb)})
	}
	normal := func(int) float64 { return rng.NormFloat64() }
	mk("normal", normal, normal)
	mk("cancelling", func(i int) float64 { return float64(i%7) - 3 + rng.Float64()*1e-9 },
		func(i int) float64 { return 3 - float64(i%7) })
	mk("positive", func(int) float64 { return rng.Float64() }, func(int) float64 { return rng.Float64() + 1 })
	// Magnitudes spread over [1e-200, 1e150] with random signs.
	spread := func(int) float64 {
		v := math.Pow(10, rng.Float64()*350-200)
		if rng.IntN(2) == 0 {
			v = -v
		}
		return v
	}
	mk("spread", spread, spread)
	mk("huge-sum", func(int) float64 { return rng.NormFloat64() * 1e300 }, func(int) float64 { return rng.NormFloat64() * 1e-300 })
	mk("huge", func(int) float64 { return rng.NormFloat64() * 1e150 }, func(int) float64 { return rng.NormFloat64() * 1e150 })
	mk("float32-huge", func(int) float64 { return rng.NormFloat64() * 1e30 }, func(int) float64 { return rng.NormFloat64() * 1e30 })
	mk("subnormal", func(i int) float64 { return float64(i%5-2) * 5e-324 }, func(i int) float64 { return float64(i%3-1) * 1e-310 })
	mk("float32-tiny", func(i int) float64 { return float64(i%5-2) * 1e-45 }, func(i int) float64 { return rng.NormFloat64() * 1e-40 })
	// Negative products that underflow to -0: a lane may become -0 and
	// must keep its sign through the tail.
	mk("underflow-neg", func(int) float64 { return 1e-200 }, func(int) float64 { return -1e-200 })
	mk("zeros", func(i int) float64 { return math.Copysign(0, float64(i%2)-0.5) },
		func(i int) float64 { return math.Copysign(0, float64(i%3)-0.5) })
	negZero := math.Copysign(0, -1)
	mk("neg-zeros", func(int) float64 { return negZero }, func(int) float64 { return 0 })
	if n > 0 {
		for _, at := range []int{0, n / 2, n - 1} {
			special := func(v float64) func(i int) float64 {
				return func(i int) float64 {
					if i == at {
						return v
					}
					return rng.NormFloat64()
				}
			}
			mk(fmt.Sprintf("nan@%d", at), special(math.NaN()), normal)
			mk(fmt.Sprintf("b-nan@%d", at), normal, special(math.NaN()))
			mk(fmt.Sprintf("inf@%d", at), special(math.Inf(1)), normal)
			mk(fmt.Sprintf("-inf@%d", at), special(math.Inf(-1)), special(math.Inf(-1)))
			mk(fmt.Sprintf("inf-zero@%d", at), special(math.Inf(1)), special(0))
		}
		mk("pos-neg-inf", func(i int) float64 { return math.Inf(1 - 2*(i%2)) }, normal)
	}
	return cases
}

// placeAt copies x into a fresh buffer at element offset off, with 9 guard
// elements after it (within the capacity of the result), and returns the
// subslice holding x.
func placeAt[T Float](x []float64, off int) []T {
	buf := make([]T, off+len(x)+9)
	for i := range buf {
		buf[i] = T(12345.5)
	}
	y := buf[off : off+len(x)]
	for i, v := range x {
		y[i] = T(v)
	}
	return y
}

// guardsIntact reports whether the 9 elements after x are untouched.
func guardsIntact[T Float](x []T) bool {
	g := x[len(x) : len(x)+9]
	for _, v := range g {
		if v != T(12345.5) {
			return false
		}
	}
	return true
}

func bitsOf[T Float](v T) uint64 {
	if isFloat32[T]() {
		return uint64(math.Float32bits(float32(v)))
	}
	return math.Float64bits(float64(v))
}

// sameT is bit equality, with every NaN equal to every other NaN.
func sameT[T Float](a, b T) bool {
	return bitsOf(a) == bitsOf(b) || (a != a && b != b)
}

// ---- references -------------------------------------------------------------

// emulateLanes is the reduction every path must reproduce: lane j mod 32
// gets term(j, lane), then the lanes are added pairwise (i+16, i+8, i+4,
// i+2, i+1).
func emulateLanes(n int, term func(j int, acc float64) float64) float64 {
	var l [32]float64
	for j := range n {
		l[j%32] = term(j, l[j%32])
	}
	for w := 16; w >= 1; w /= 2 {
		for i := range w {
			l[i] += l[i+w]
		}
	}
	return l[0]
}

func emulateSum[T Float](x []T) float64 {
	return emulateLanes(len(x), func(j int, acc float64) float64 { return acc + float64(x[j]) })
}

func emulateDot[T Float](a, b []T) float64 {
	return emulateLanes(len(a), func(j int, acc float64) float64 { return math.FMA(float64(a[j]), float64(b[j]), acc) })
}

func emulateSqDist[T Float](a, b []T) float64 {
	return emulateLanes(len(a), func(j int, acc float64) float64 {
		d := float64(a[j]) - float64(b[j])
		return math.FMA(d, d, acc)
	})
}

// exactSum returns the terms' exact sum rounded once to float64 and Σ|term|,
// or ok = false if a term is not finite.
func exactSum(n int, term func(j int) (*big.Float, bool)) (sum, abs float64, ok bool) {
	const prec = 4400 // exact for sums of products of float64s
	s := new(big.Float).SetPrec(prec)
	a := new(big.Float).SetPrec(prec)
	for j := range n {
		t, fin := term(j)
		if !fin {
			return 0, 0, false
		}
		s.Add(s, t)
		t.Abs(t)
		a.Add(a, t)
	}
	sum, _ = s.Float64()
	abs, _ = a.Float64()
	return sum, abs, true
}

func bigOf(v float64) (*big.Float, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, false
	}
	return new(big.Float).SetPrec(4400).SetFloat64(v), true
}

// seqSum is the plain sequential float64 loop, the reference for
// non-finite results.
func seqSum(n int, term func(j int) float64) float64 {
	s := 0.0
	for j := range n {
		s += term(j)
	}
	return s
}

// The element-wise loops exactly as documented.

func refAddScaled[T Float](dst []T, s float64, x []T) {
	for j := range x {
		dst[j] += T(float64(s * float64(x[j])))
	}
}

func refAddScaledDiff[T Float](da, db []T, s float64, a, b []T) {
	for j := range a {
		v := float64(s * (float64(a[j]) - float64(b[j])))
		if da != nil {
			da[j] += T(v)
		}
		if db != nil {
			db[j] -= T(v)
		}
	}
}

func refAddConst[T Float](dst []T, v float64) {
	for j := range dst {
		dst[j] += T(v)
	}
}

// ---- reductions -------------------------------------------------------------

type reduction struct {
	name  string
	two   bool
	dterm int // extra roundings per term (SqDist's difference)
	f32   func(a, b []float32) float64
	f64   func(a, b []float64) float64
	emu32 func(a, b []float32) float64
	emu64 func(a, b []float64) float64
	term  func(a, b float64) float64 // the term in float64, for seqSum
	exact func(a, b float64) (*big.Float, bool)
}

var reductions = []reduction{
	{
		name: "Sum",
		f32:  func(a, _ []float32) float64 { return Sum(a) }, f64: func(a, _ []float64) float64 { return Sum(a) },
		emu32: func(a, _ []float32) float64 { return emulateSum(a) }, emu64: func(a, _ []float64) float64 { return emulateSum(a) },
		term:  func(a, _ float64) float64 { return a },
		exact: func(a, _ float64) (*big.Float, bool) { return bigOf(a) },
	},
	{
		name: "Dot", two: true,
		f32: Dot[float32], f64: Dot[float64], emu32: emulateDot[float32], emu64: emulateDot[float64],
		term: func(a, b float64) float64 { return a * b },
		exact: func(a, b float64) (*big.Float, bool) {
			x, ok1 := bigOf(a)
			y, ok2 := bigOf(b)
			if !ok1 || !ok2 {
				return nil, false
			}
			return x.Mul(x, y), true
		},
	},
	{
		name: "SqDist", two: true, dterm: 2,
		f32: SqDist[float32], f64: SqDist[float64], emu32: emulateSqDist[float32], emu64: emulateSqDist[float64],
		term: func(a, b float64) float64 { return (a - b) * (a - b) },
		exact: func(a, b float64) (*big.Float, bool) {
			x, ok1 := bigOf(a)
			y, ok2 := bigOf(b)
			if !ok1 || !ok2 {
				return nil, false
			}
			x.Sub(x, y)
			return x.Mul(x, x), true
		},
	},
}

func (r reduction) call(a, b any) float64 {
	switch a := a.(type) {
	case []float32:
		return r.f32(a, b.([]float32))
	case []float64:
		return r.f64(a, b.([]float64))
	}
	panic("bad type")
}

func testReductionsT[T Float](t *testing.T, r reduction) {
	rng := rand.New(rand.NewPCG(21, 22))
	const u = 0x1p-53
	worst := 0.0
	for _, n := range rowvecLengths {
		for _, c := range rowvecCases(n, rng) {
			a0, b0 := placeAt[T](c.a, 0), placeAt[T](c.b, 0)
			if !r.two {
				b0 = a0
			}
			var want float64
			if isFloat32[T]() {
				want = r.emu32(asFloat32s(a0), asFloat32s(b0))
			} else {
				want = r.emu64(asFloat64s(a0), asFloat64s(b0))
			}
			// Accuracy of the lane order against the exact sum (finite
			// terms), or the sequential loop (non-finite ones).
			exact, abs, fin := exactSum(n, func(j int) (*big.Float, bool) { return r.exact(float64(a0[j]), float64(b0[j])) })
			if fin && !math.IsInf(exact, 0) {
				k := float64(n/32 + 6 + r.dterm)
				tol := k*u*abs + float64(n+1)*0x1p-1074
				if d := math.Abs(want - exact); !(d <= tol) {
					t.Errorf("%s n=%d %s: lanes give %v, exact %v (diff %.3g, tol %.3g)", r.name, n, c.name, want, exact, d, tol)
				} else if u*abs > 0 {
					worst = max(worst, d/(u*abs))
				}
			} else if seq := seqSum(n, func(j int) float64 { return r.term(float64(a0[j]), float64(b0[j])) }); !sameFloat(want, seq) {
				t.Errorf("%s n=%d %s: lanes give %v, sequential sum %v", r.name, n, c.name, want, seq)
			}
			for _, off := range rowvecOffsets {
				a, b := placeAt[T](c.a, off), placeAt[T](c.b, (off*3)%8)
				if !r.two {
					b = a
				}
				for _, level := range expLevels() {
					withRowvecLevel(level, func() {
						if got := r.call(any(a), any(b)); !sameBits(got, want) {
							t.Errorf("%s %s n=%d off=%d %s: got %v (%#x), 32-lane emulation %v (%#x)", expLevelNames[level],
								r.name, n, off, c.name, got, math.Float64bits(got), want, math.Float64bits(want))
						}
					})
				}
			}
		}
	}
	t.Logf("%s[%T]: max |lanes - exact| = %.3f u·Σ|term|", r.name, T(0), worst)
}

func TestRowvecSumFloat64(t *testing.T)    { testReductionsT[float64](t, reductions[0]) }
func TestRowvecSumFloat32(t *testing.T)    { testReductionsT[float32](t, reductions[0]) }
func TestRowvecDotFloat64(t *testing.T)    { testReductionsT[float64](t, reductions[1]) }
func TestRowvecDotFloat32(t *testing.T)    { testReductionsT[float32](t, reductions[1]) }
func TestRowvecSqDistFloat64(t *testing.T) { testReductionsT[float64](t, reductions[2]) }
func TestRowvecSqDistFloat32(t *testing.T) { testReductionsT[float32](t, reductions[2]) }

// The Go path must be the lane emulation itself, independent of the
// dispatch (checked again here at level 0 with simple hand-made rows).
func TestRowvecReductionExamples(t *testing.T) {
	x := make([]float64, 100)
	for i := range x {
		x[i] = float64(i + 1)
	}
	for _, level := range expLevels() {
		withRowvecLevel(level, func() {
			if got := Sum(x); got != 5050 {
				t.Errorf("%s: Sum(1..100) = %v", expLevelNames[level], got)
			}
			if got := Dot(x, x); got != 338350 {
				t.Errorf("%s: Dot(1..100, 1..100) = %v", expLevelNames[level], got)
			}
			if got := SqDist(x[1:], x[:99]); got != 99 {
				t.Errorf("%s: SqDist = %v, want 99", expLevelNames[level], got)
			}
			if got := Sum([]float32{}); got != 0 || math.Signbit(got) {
				t.Errorf("%s: Sum(empty) = %v", expLevelNames[level], got)
			}
			// Products underflowing to -0 in every lane give -0; one +0
			// lane makes the result +0.
			tiny, negTiny := make([]float64, 45), make([]float64, 45)
			for i := range tiny {
				tiny[i], negTiny[i] = 1e-200, -1e-200
			}
			if got := Dot(tiny, negTiny); got != 0 || !math.Signbit(got) {
				t.Errorf("%s: Dot of 45 negative underflowing products = %v, want -0", expLevelNames[level], got)
			}
			if got := Dot(tiny[:31], negTiny[:31]); got != 0 || math.Signbit(got) {
				t.Errorf("%s: Dot of 31 negative underflowing products = %v, want +0", expLevelNames[level], got)
			}
		})
	}
}

// ---- element-wise kernels -----------------------------------------------------

var rowvecScales = []float64{1, 0.37, -1.25, 0, math.Copysign(0, -1), 1e-300, 1e300, 3e38, math.Inf(1), math.NaN()}

func randomDst(n int, rng *rand.Rand) []float64 {
	d := make([]float64, n)
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e38, -1e-40, 5e-324}
	for i := range d {
		if rng.IntN(8) == 0 {
			d[i] = specials[rng.IntN(len(specials))]
		} else {
			d[i] = rng.NormFloat64()
		}
	}
	return d
}

// checkSame compares got with want element by element and, if guards is
// set, checks that the guard elements after got (see placeAt) are intact.
func checkSame[T Float](t *testing.T, what string, got, want []T, guards bool) bool {
	t.Helper()
	for i := range want {
		if !sameT(got[i], want[i]) {
			t.Errorf("%s: [%d] = %v (%#x), want %v (%#x)", what, i, got[i], bitsOf(got[i]), want[i], bitsOf(want[i]))
			return false
		}
	}
	if guards && !guardsIntact(got) {
		t.Errorf("%s: wrote past the end", what)
		return false
	}
	return true
}

func testElementwiseT[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, n := range rowvecLengths {
		for ci, c := range rowvecCases(n, rng) {
			d0 := randomDst(n, rng)
			d1 := randomDst(n, rng)
			s := rowvecScales[ci%len(rowvecScales)]
			if ci%3 == 0 {
				s = rng.NormFloat64()
			}
			a, b := placeAt[T](c.a, 0), placeAt[T](c.b, 0)
			wantS := placeAt[T](d0, 0)
			refAddScaled(wantS, s, a)
			wantDA, wantDB := placeAt[T](d0, 0), placeAt[T](d1, 0)
			refAddScaledDiff(wantDA, wantDB, s, a, b)
			wantC := placeAt[T](d0, 0)
			refAddConst(wantC, s)
			for _, off := range rowvecOffsets {
				a, b := placeAt[T](c.a, off), placeAt[T](c.b, (off+5)%8)
				for _, level := range expLevels() {
					withRowvecLevel(level, func() {
						what := func(k string) string {
							return fmt.Sprintf("%s %s[%T] n=%d off=%d %s s=%v", expLevelNames[level], k, T(0), n, off, c.name, s)
						}
						got := placeAt[T](d0, (off+2)%8)
						AddScaled(got, s, a)
						checkSame(t, what("AddScaled"), got, wantS, true)

						da, db := placeAt[T](d0, (off+1)%8), placeAt[T](d1, off)
						AddScaledDiff(da, db, s, a, b)
						checkSame(t, what("AddScaledDiff da"), da, wantDA, true)
						checkSame(t, what("AddScaledDiff db"), db, wantDB, true)

						da = placeAt[T](d0, (off+3)%8)
						AddScaledDiff(da, nil, s, a, b)
						checkSame(t, what("AddScaledDiff da only"), da, wantDA, true)

						db = placeAt[T](d1, (off+7)%8)
						AddScaledDiff(nil, db, s, a, b)
						checkSame(t, what("AddScaledDiff db only"), db, wantDB, true)

						AddScaledDiff(nil, nil, s, a, b)

						got = placeAt[T](d0, off)
						AddConst(got, s)
						checkSame(t, what("AddConst"), got, wantC, true)
					})
				}
			}
		}
	}
}

func TestRowvecElementwiseFloat64(t *testing.T) { testElementwiseT[float64](t) }
func TestRowvecElementwiseFloat32(t *testing.T) { testElementwiseT[float32](t) }

// Where the scalar loops could be fused into FMAs, the rounding of the
// product must survive: s·x with x·s inexact, added to -s·x.
func TestRowvecProductRounded(t *testing.T) {
	x := 1 + 0x1p-30
	s := 1 + 0x1p-29
	p := s * x // rounded
	for _, level := range expLevels() {
		withRowvecLevel(level, func() {
			for _, n := range []int{1, 8, 9, 33} {
				xs := make([]float64, n)
				dst := make([]float64, n)
				for i := range xs {
					xs[i] = x
					dst[i] = -p
				}
				AddScaled(dst, s, xs)
				da := make([]float64, n)
				db := make([]float64, n)
				zs := make([]float64, n)
				for i := range da {
					da[i] = -p
					db[i] = p
				}
				AddScaledDiff(da, db, s, xs, zs)
				for i := range dst {
					if dst[i] != 0 || da[i] != 0 || db[i] != 0 {
						t.Fatalf("%s n=%d: s·x not rounded before the addition: %v %v %v", expLevelNames[level], n, dst[i], da[i], db[i])
					}
				}
			}
		})
	}
}

// ---- bit identity of the paths against each other ---------------------------

func TestRowvecPathsBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, n := range []int{1, 7, 31, 32, 33, 95, 751, 2049} {
		for _, c := range rowvecCases(n, rng) {
			for _, off := range []int{0, 3} {
				a64, b64 := placeAt[float64](c.a, off), placeAt[float64](c.b, 0)
				a32, b32 := placeAt[float32](c.a, off), placeAt[float32](c.b, 0)
				type result struct {
					r64 [3]float64
					r32 [3]float64
					e64 []float64
					e32 []float32
				}
				run := func() result {
					var r result
					r.r64 = [3]float64{Sum(a64), Dot(a64, b64), SqDist(a64, b64)}
					r.r32 = [3]float64{Sum(a32), Dot(a32, b32), SqDist(a32, b32)}
					d64, e64 := placeAt[float64](c.b, 1), placeAt[float64](c.a, 2)
					d32, e32 := placeAt[float32](c.b, 1), placeAt[float32](c.a, 2)
					AddScaled(d64, 0.7, a64)
					AddScaled(d32, 0.7, a32)
					AddScaledDiff(d64, e64, -1.3, a64, b64)
					AddScaledDiff(d32, e32, -1.3, a32, b32)
					AddConst(e64, 0.1)
					AddConst(e32, 0.1)
					r.e64 = append(append([]float64(nil), d64...), e64...)
					r.e32 = append(append([]float32(nil), d32...), e32...)
					return r
				}
				var base result
				withRowvecLevel(0, func() { base = run() })
				for _, level := range expLevels()[1:] {
					withRowvecLevel(level, func() {
						got := run()
						for k := range 3 {
							if !sameBits(got.r64[k], base.r64[k]) || !sameBits(got.r32[k], base.r32[k]) {
								t.Errorf("%s n=%d %s reduction %d: %v / %v, go path %v / %v", expLevelNames[level], n, c.name, k,
									got.r64[k], got.r32[k], base.r64[k], base.r32[k])
							}
						}
						checkSame(t, fmt.Sprintf("%s n=%d %s float64 updates", expLevelNames[level], n, c.name), got.e64, base.e64, false)
						checkSame(t, fmt.Sprintf("%s n=%d %s float32 updates", expLevelNames[level], n, c.name), got.e32, base.e32, false)
					})
				}
			}
		}
	}
}

// ---- misuse, allocations ------------------------------------------------------

func TestRowvecPanicsOnLengthMismatch(t *testing.T) {
	x3, x4 := make([]float64, 3), make([]float64, 4)
	f3, f4 := make([]float32, 3), make([]float32, 4)
	cases := map[string]func(){
		"Dot":                 func() { Dot(x3, x4) },
		"Dot32":               func() { Dot(f4, f3) },
		"SqDist":              func() { SqDist(x3, x4) },
		"SqDist32":            func() { SqDist(f3, f4) },
		"AddScaled":           func() { AddScaled(x3, 1, x4) },
		"AddScaled32":         func() { AddScaled(f4, 1, f3) },
		"AddScaledDiff a,b":   func() { AddScaledDiff(x3, x3, 1, x3, x4) },
		"AddScaledDiff da":    func() { AddScaledDiff(x4, x3, 1, x3, x3) },
		"AddScaledDiff db":    func() { AddScaledDiff(x3, x4, 1, x3, x3) },
		"AddScaledDiff nil":   func() { AddScaledDiff(nil, nil, 1, x3, x4) },
		"AddScaledDiff db32":  func() { AddScaledDiff(nil, f4, 1, f3, f3) },
		"AddScaledDiff empty": func() { AddScaledDiff(x3[:0], nil, 1, x3, x3) },
	}
	for name, f := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with mismatched lengths did not panic", name)
				}
			}()
			f()
		}()
	}
	// Length 0 is fine.
	Dot([]float64(nil), nil)
	SqDist([]float32{}, nil)
	AddScaled([]float64(nil), 1, nil)
	AddScaledDiff(nil, nil, 1, []float32(nil), nil)
	AddScaledDiff([]float64{}, nil, 1, nil, nil)
	AddConst([]float32(nil), 1)
}

func TestRowvecAllocateNothing(t *testing.T) {
	a64, b64, d64 := make([]float64, 751), make([]float64, 751), make([]float64, 751)
	a32, b32, d32 := make([]float32, 751), make([]float32, 751), make([]float32, 751)
	for _, level := range expLevels() {
		withRowvecLevel(level, func() {
			allocs := testing.AllocsPerRun(20, func() {
				benchSink += Sum(a64) + Sum(a32[:750]) + Dot(a64, b64) + Dot(a32[:749], b32[:749])
				benchSink += SqDist(a64[1:], b64[1:]) + SqDist(a32, b32)
				AddScaled(d64, 0.5, a64)
				AddScaled(d32[:33], 0.5, a32[:33])
				AddScaledDiff(d64, nil, 0.5, a64, b64)
				AddScaledDiff(nil, d32, 0.5, a32, b32)
				AddScaledDiff(d32[:9], b32[:9], 0.5, a32[:9], a32[1:10])
				AddConst(d64, 1)
				AddConst(d32[:5], 1)
			})
			if allocs != 0 {
				t.Errorf("%s: %v allocations per run, want 0", expLevelNames[level], allocs)
			}
		})
	}
}

// ---- benchmarks -------------------------------------------------------------

const rowvecBenchN = 2048

// The baselines: the scalar loops unrolled by 4 with 4 accumulators.

func sumScalar4[T Float](x []T) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += float64(x[i])
		s1 += float64(x[i+1])
		s2 += float64(x[i+2])
		s3 += float64(x[i+3])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i])
	}
	return (s0 + s1) + (s2 + s3)
}

func dotScalar4[T Float](a, b []T) float64 {
	var s0, s1, s2, s3 float64
	b = b[:len(a)]
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += float64(a[i]) * float64(b[i])
		s1 += float64(a[i+1]) * float64(b[i+1])
		s2 += float64(a[i+2]) * float64(b[i+2])
		s3 += float64(a[i+3]) * float64(b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += float64(a[i]) * float64(b[i])
	}
	return (s0 + s1) + (s2 + s3)
}

func sqDistScalar4[T Float](a, b []T) float64 {
	var s0, s1, s2, s3 float64
	b = b[:len(a)]
	i := 0
	for ; i+4 <= len(a); i += 4 {
		d0 := float64(a[i]) - float64(b[i])
		d1 := float64(a[i+1]) - float64(b[i+1])
		d2 := float64(a[i+2]) - float64(b[i+2])
		d3 := float64(a[i+3]) - float64(b[i+3])
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(a); i++ {
		d := float64(a[i]) - float64(b[i])
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

func addScaledScalar4[T Float](dst []T, s float64, x []T) {
	dst = dst[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		dst[i] += T(float64(s * float64(x[i])))
		dst[i+1] += T(float64(s * float64(x[i+1])))
		dst[i+2] += T(float64(s * float64(x[i+2])))
		dst[i+3] += T(float64(s * float64(x[i+3])))
	}
	for ; i < len(x); i++ {
		dst[i] += T(float64(s * float64(x[i])))
	}
}

func addScaledDiffScalar4[T Float](da, db []T, s float64, a, b []T) {
	b, da, db = b[:len(a)], da[:len(a)], db[:len(a)]
	i := 0
	for ; i+4 <= len(a); i += 4 {
		for k := i; k < i+4; k++ {
			v := float64(s * (float64(a[k]) - float64(b[k])))
			da[k] += T(v)
			db[k] -= T(v)
		}
	}
	for ; i < len(a); i++ {
		v := float64(s * (float64(a[i]) - float64(b[i])))
		da[i] += T(v)
		db[i] -= T(v)
	}
}

func addConstScalar4[T Float](dst []T, v float64) {
	c := T(v)
	i := 0
	for ; i+4 <= len(dst); i += 4 {
		dst[i] += c
		dst[i+1] += c
		dst[i+2] += c
		dst[i+3] += c
	}
	for ; i < len(dst); i++ {
		dst[i] += c
	}
}

// benchRowvec runs f at every level and as the scalar baseline, reporting
// MB/s of the rows read (bytesPerElem) and ns per element.
func benchRowvec[T Float](b *testing.B, rows int, f, scalar func()) {
	var z T
	bytes := int64(rowvecBenchN * rows * int(unsafe.Sizeof(z)))
	for _, level := range expLevels() {
		b.Run(expLevelNames[level], func(b *testing.B) {
			withRowvecLevel(level, func() {
				b.SetBytes(bytes)
				for b.Loop() {
					f()
				}
				perElement(b, rowvecBenchN)
			})
		})
	}
	b.Run("scalar4", func(b *testing.B) {
		b.SetBytes(bytes)
		for b.Loop() {
			scalar()
		}
		perElement(b, rowvecBenchN)
	})
}

func benchRowvecSum[T Float](b *testing.B) {
	x, _ := benchRow[T](rowvecBenchN)
	benchRowvec[T](b, 1, func() { benchSink += Sum(x) }, func() { benchSink += sumScalar4(x) })
}

func benchRowvecDot[T Float](b *testing.B) {
	x, _ := benchRow[T](rowvecBenchN)
	y, _ := benchRow[T](rowvecBenchN + 1)
	y = y[1:]
	benchRowvec[T](b, 2, func() { benchSink += Dot(x, y) }, func() { benchSink += dotScalar4(x, y) })
}

func benchRowvecSqDist[T Float](b *testing.B) {
	x, _ := benchRow[T](rowvecBenchN)
	y, _ := benchRow[T](rowvecBenchN + 1)
	y = y[1:]
	benchRowvec[T](b, 2, func() { benchSink += SqDist(x, y) }, func() { benchSink += sqDistScalar4(x, y) })
}

func benchRowvecAddScaled[T Float](b *testing.B) {
	x, d := benchRow[T](rowvecBenchN)
	benchRowvec[T](b, 2, func() { AddScaled(d, 1e-3, x) }, func() { addScaledScalar4(d, 1e-3, x) })
}

func benchRowvecAddScaledDiff[T Float](b *testing.B) {
	x, da := benchRow[T](rowvecBenchN)
	y, db := benchRow[T](rowvecBenchN)
	benchRowvec[T](b, 4, func() { AddScaledDiff(da, db, 1e-3, x, y) }, func() { addScaledDiffScalar4(da, db, 1e-3, x, y) })
}

func benchRowvecAddConst[T Float](b *testing.B) {
	_, d := benchRow[T](rowvecBenchN)
	benchRowvec[T](b, 1, func() { AddConst(d, 1e-3) }, func() { addConstScalar4(d, 1e-3) })
}

func BenchmarkRowvecSumFloat64(b *testing.B)           { benchRowvecSum[float64](b) }
func BenchmarkRowvecSumFloat32(b *testing.B)           { benchRowvecSum[float32](b) }
func BenchmarkRowvecDotFloat64(b *testing.B)           { benchRowvecDot[float64](b) }
func BenchmarkRowvecDotFloat32(b *testing.B)           { benchRowvecDot[float32](b) }
func BenchmarkRowvecSqDistFloat64(b *testing.B)        { benchRowvecSqDist[float64](b) }
func BenchmarkRowvecSqDistFloat32(b *testing.B)        { benchRowvecSqDist[float32](b) }
func BenchmarkRowvecAddScaledFloat64(b *testing.B)     { benchRowvecAddScaled[float64](b) }
func BenchmarkRowvecAddScaledFloat32(b *testing.B)     { benchRowvecAddScaled[float32](b) }
func BenchmarkRowvecAddScaledDiffFloat64(b *testing.B) { benchRowvecAddScaledDiff[float64](b) }
func BenchmarkRowvecAddScaledDiffFloat32(b *testing.B) { benchRowvecAddScaledDiff[float32](b) }
func BenchmarkRowvecAddConstFloat64(b *testing.B)      { benchRowvecAddConst[float64](b) }
func BenchmarkRowvecAddConstFloat32(b *testing.B)      { benchRowvecAddConst[float32](b) }

// A pairwise distance's adjoint at i == j passes the same row as da and db;
// the result must be the scalar loop's, signed zeros included.
func TestAddScaledDiffSameRow(t *testing.T) {
	for _, n := range []int{1, 7, 33, 2048} {
		row := make([]float32, n)
		x := make([]float32, n)
		for j := range row {
			row[j] = float32(math.Copysign(0, -1)) // -0: the sign shows whether da's add was lost
			x[j] = float32(j) - 3.5
		}
		want := append([]float32(nil), row...)
		for j := range want {
			v := float64(2.5 * (float64(x[j]) - float64(x[j])))
			want[j] += float32(v)
			want[j] -= float32(v)
		}
		AddScaledDiff(row, row, 2.5, x, x)
		for j := range row {
			if math.Float32bits(row[j]) != math.Float32bits(want[j]) {
				t.Fatalf("n=%d: row[%d] = %v, the loop gives %v", n, j, row[j], want[j])
			}
		}
	}
}
