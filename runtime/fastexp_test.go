package lossrt

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ---- high-precision reference for exp -------------------------------------

// Double-double arithmetic (hi + lo, |lo| ≤ ulp(hi)/2), about 106 bits.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := a.hi * b.hi
	e := math.FMA(a.hi, b.hi, -p)
	e += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p, e)
}

func ddMulF(a dd, b float64) dd {
	p := a.hi * b
	e := math.FMA(a.hi, b, -p)
	e += a.lo * b
	return quickTwoSum(p, e)
}

func ddDivF(a dd, b float64) dd {
	q1 := a.hi / b
	r := ddAdd(a, ddMulF(dd{-q1, 0}, b))
	q2 := r.hi / b
	r = ddAdd(r, ddMulF(dd{-q2, 0}, b))
	q3 := r.hi / b
	return ddAdd(quickTwoSum(q1, q2), dd{q3, 0})
}

// ln2 split in three doubles.
var ln2a, ln2b, ln2c = func() (float64, float64, float64) {
	l, _, err := big.ParseFloat("0.6931471805599453094172321214581765680755001343602552541206800094933936219696947156058633269964186875", 10, 400, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	a, _ := l.Float64()
	l.Sub(l, big.NewFloat(a))
	b, _ := l.Float64()
	l.Sub(l, big.NewFloat(b))
	c, _ := l.Float64()
	return a, b, c
}()

// ddExp returns k and e such that e^x = e·2^k to about 100 bits, with e in
// [0.5, 2]; x must be finite and in [-800, 800].
func ddExp(x float64) (int, dd) {
	k := math.RoundToEven(x / ln2a)
	p1 := k * ln2a
	e1 := math.FMA(k, ln2a, -p1)
	r := twoSum(x-p1, -e1) // x-p1 is exact (Sterbenz)
	p2 := k * ln2b
	r = ddAdd(r, dd{-p2, -math.FMA(k, ln2b, -p2)})
	r = ddAdd(r, dd{-k * ln2c, 0})
	// exp(r) = exp(r/1024)^1024, exp(r/1024)-1 by Taylor (Horner).
	s := dd{r.hi / 1024, r.lo / 1024}
	acc := dd{1, 0}
	for i := 14; i >= 1; i-- {
		acc = ddAdd(dd{1, 0}, ddDivF(ddMul(acc, s), float64(i)))
	}
	for range 10 {
		acc = ddMul(acc, acc)
	}
	return int(k), acc
}

// bigExp is e^x in big.Float arithmetic at 300 bits, used to validate ddExp.
func bigExp(x float64) *big.Float {
	const prec = 300
	X := new(big.Float).SetPrec(prec).SetFloat64(x)
	X.SetMantExp(X, -16)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for i := int64(1); i < 60; i++ {
		term.Mul(term, X)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(i))
		sum.Add(sum, term)
	}
	for range 16 {
		sum.Mul(sum, sum)
	}
	return sum
}

// expULPError returns the error of got as e^x in units of the last place of
// e^x in float64 (the subnormal spacing 2^-1074 below the normal range, and
// +Inf counts as 2^1024 with ulp 2^971).
func expULPError(x, got float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		panic("expULPError: x must be finite")
	}
	k, e := ddExp(x)
	_, ex := math.Frexp(e.hi) // e.hi = f·2^ex, f in [0.5, 1)
	E := ex - 1 + k           // e^x in [2^E, 2^(E+1))
	ulpExp := max(E-52, -1074)
	if E > 1023 || math.IsInf(got, 1) {
		// Compare with 2^1024 standing for +Inf.
		if E > 1023 && math.IsInf(got, 1) {
			return 0
		}
		if math.IsInf(got, 1) {
			got = math.Ldexp(1, 1024-k) // scaled below
			d := ddAdd(dd{got, 0}, dd{-e.hi, -e.lo})
			return math.Abs(d.hi) / math.Ldexp(1, 971-k)
		}
		return math.Inf(1)
	}
	g := math.Ldexp(got, -k) // exact: got is e^x·2^-k within a few ulps
	d := ddAdd(dd{g, 0}, dd{-e.hi, -e.lo})
	return math.Abs(d.hi) / math.Ldexp(1, ulpExp-k)
}

func TestExpReferenceMatchesBigFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, 1, -1, 1e-300, -1e-300, 0.5 * math.Ln2, -0.5 * math.Ln2, 709.78, -745.1, -708.5, 100.25}
	for range 300 {
		xs = append(xs, rng.Float64()*1460-750)
	}
	worst := 0.0
	for _, x := range xs {
		k, e := ddExp(x)
		got := new(big.Float).SetPrec(300).SetFloat64(e.hi)
		got.Add(got, new(big.Float).SetFloat64(e.lo))
		got.SetMantExp(got, k)
		want := bigExp(x)
		diff := new(big.Float).SetPrec(300).Sub(got, want)
		diff.Quo(diff, want)
		rel, _ := diff.Float64()
		worst = max(worst, math.Abs(rel))
	}
	t.Logf("double-double exp reference: max relative error %.3g over %d points", worst, len(xs))
	if worst > 1e-28 {
		t.Fatalf("double-double exp reference is off by %.3g relative", worst)
	}
}

// expTestPoints returns about n points across [-745.2, 710] with the
// neighbourhoods of 0, of the reduction boundaries (k ± 1/2)·ln2, of
// overflow and of the subnormal range.
func expTestPoints(n int) []float64 {
	rng := rand.New(rand.NewPCG(7, 11))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 5e-324, -5e-324, 1e-300, -1e-300, 1e-17, -1e-17,
		1e-8, -1e-8, 0.5, -0.5, math.Ln2, -math.Ln2,
		709.78, 709.782712893384, math.Nextafter(709.782712893384, 0), 709.7827128933841,
		-708.39, -708.3964185322641, -709.08956571282405, -744.44007192138126, -745.1332191019411,
		-745.1332191019412, -745.13321910194122, -745.2, -745}
	add := func(x float64) {
		if x >= -745.2 && x <= 710 {
			xs = append(xs, x)
		}
	}
	for len(xs) < n/2 {
		add(rng.Float64()*1455.2 - 745.2)
	}
	for range n / 8 { // near 0, log-uniform
		x := math.Exp2(-60 * rng.Float64())
		if rng.IntN(2) == 0 {
			x = -x
		}
		add(x)
	}
	for range n / 8 { // near the reduction boundaries
		k := float64(rng.IntN(2150) - 1075)
		x := (k + 0.5) * math.Ln2
		for range rng.IntN(5) {
			if rng.IntN(2) == 0 {
				x = math.Nextafter(x, math.Inf(1))
			} else {
				x = math.Nextafter(x, math.Inf(-1))
			}
		}
		add(x + (rng.Float64()-0.5)*1e-12)
	}
	for range n / 8 { // subnormal results
		add(-708.4 - rng.Float64()*36.8)
	}
	for len(xs) < n {
		add(709.7 + rng.Float64()*0.1) // overflow boundary
	}
	return xs
}

func TestExpFastSpecialCases(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	cases := []struct{ x, want float64 }{
		{inf, inf}, {-inf, 0}, {0, 1}, {math.Copysign(0, -1), 1},
		{710, inf}, {1e10, inf}, {math.MaxFloat64, inf},
		{709.7827128933841, inf}, // just above math.Exp's overflow threshold
		{-746, 0}, {-1e10, 0}, {-math.MaxFloat64, 0},
		{5e-324, 1}, {-5e-324, 1}, {1e-300, 1},
		{1, math.E},
	}
	for _, c := range cases {
		if got := ExpFast(c.x); got != c.want || math.Signbit(got) {
			t.Errorf("ExpFast(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := ExpFast(nan); !math.IsNaN(got) {
		t.Errorf("ExpFast(NaN) = %v", got)
	}
	// The largest x with a finite e^x and the smallest with a nonzero one.
	if got := ExpFast(709.782712893384); math.IsInf(got, 0) || got < 1.79769e308 {
		t.Errorf("ExpFast(709.782712893384) = %v, want about MaxFloat64", got)
	}
	if got := ExpFast(-745.1332191019411); got != 5e-324 {
		t.Errorf("ExpFast(-745.1332191019411) = %v, want 5e-324", got)
	}
	if got := ExpFast(-745.14); got != 0 {
		t.Errorf("ExpFast(-745.14) = %v, want 0", got)
	}
	// A subnormal result, rounded once.
	x := -740.0
	if got, want := ExpFast(x), math.Exp(x); got != want {
		t.Errorf("ExpFast(%v) = %v, math.Exp %v", x, got, want)
	}
}

// The bounds the tests assert (measured on the deterministic points of
// expTestPoints, rounded up) and docs/numerics.md quotes.
const (
	expFastMaxULP       = 0.76 // any result, subnormals included
	expFastMaxULPNormal = 0.65 // results in the normal range
)

func TestExpFastULP(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	xs := expTestPoints(n)
	worst, worstX := 0.0, 0.0
	worstMath := 0.0
	worstSub, worstNormal := 0.0, 0.0
	diffMath, mathInf := 0, 0
	for _, x := range xs {
		got := ExpFast(x)
		e := expULPError(x, got)
		if e > worst {
			worst, worstX = e, x
		}
		if got < 0x1p-1022 {
			worstSub = max(worstSub, e)
		} else {
			worstNormal = max(worstNormal, e)
		}
		m := math.Exp(x)
		if math.IsInf(m, 1) && !math.IsInf(got, 1) {
			mathInf++
		} else {
			worstMath = max(worstMath, expULPError(x, m))
		}
		if m != got {
			diffMath++
		}
	}
	t.Logf("ExpFast over %d points: max error %.4f ulp at x = %v (normal results: %.4f ulp, subnormal results: %.4f ulp); math.Exp max %.4f ulp elsewhere, +Inf for %d finite results; %d results differ from math.Exp",
		len(xs), worst, worstX, worstNormal, worstSub, worstMath, mathInf, diffMath)
	if worst > expFastMaxULP {
		t.Errorf("ExpFast max error %.4f ulp at x = %v, above the documented %.2f ulp", worst, worstX, expFastMaxULP)
	}
	if worstNormal > expFastMaxULPNormal {
		t.Errorf("ExpFast max error on normal results %.4f ulp, above the documented %.2f ulp", worstNormal, expFastMaxULPNormal)
	}
}

// ---- row functions --------------------------------------------------------

// refExp is math.Exp, except where math.Exp overflows too early (Go's amd64
// math.Exp returns +Inf for x in about [709.45, 709.78]).
func refExp(x float64) float64 {
	if r := math.Exp(x); !math.IsInf(r, 1) || !(x <= 709.782712893384) {
		return r
	}
	k, e := ddExp(x)
	return math.Ldexp(e.hi, k)
}

// The scalar loops the generated kernels ran before, with math.Exp.
func refLogSumExp[T Float](x []T) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		if float64(v) > m {
			m = float64(v)
		}
	}
	if m > math.Inf(-1) {
		s := 0.0
		for _, v := range x {
			s += refExp(float64(v) - m)
		}
		return m + math.Log(s)
	}
	return m
}

func refAddScaledExp[T Float](dst, src []T, scale, shift float64) {
	for j, v := range src {
		dst[j] += T(scale * refExp(float64(v)-shift))
	}
}

// expLevels lists the kernel levels this machine can run: 0 (pure Go),
// 1 (AVX2+FMA), 2 (AVX-512).
func expLevels() []int {
	l := []int{0}
	if hasAVX2FMA {
		l = append(l, 1)
	}
	if hasAVX512 {
		l = append(l, 2)
	}
	return l
}

func withExpLevel(level int, f func()) {
	old := expMaxLevel
	expMaxLevel = level
	defer func() { expMaxLevel = old }()
	f()
}

var expLevelNames = []string{"go", "avx2", "avx512"}

var rowLengths = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 33, 751, 1001}

// rowCases returns named rows of length n in float64.
func rowCases(n int, rng *rand.Rand) map[string][]float64 {
	cases := map[string][]float64{}
	mk := func(name string, f func(i int) float64) {
		x := make([]float64, n)
		for i := range x {
			x[i] = f(i)
		}
		cases[name] = x
	}
	mk("normal", func(int) float64 { return rng.NormFloat64() * 3 })
	mk("wide", func(int) float64 { return (rng.Float64()*2 - 1) * 1e4 })
	mk("big-offset", func(int) float64 { return 1e4 + rng.NormFloat64() })
	mk("neg-offset", func(int) float64 { return -1e4 + rng.NormFloat64() })
	mk("ties", func(int) float64 { return 2.5 })
	mk("zeros", func(i int) float64 { return math.Copysign(0, float64(i%2)-0.5) })
	mk("tiny", func(int) float64 { return rng.NormFloat64() * 1e-20 })
	if n > 0 {
		mk("neg-inf-some", func(i int) float64 {
			if i%3 == 0 {
				return math.Inf(-1)
			}
			return rng.NormFloat64()
		})
		mk("all-neg-inf", func(int) float64 { return math.Inf(-1) })
		for _, at := range []int{0, n / 2, n - 1} {
			mk(fmt.Sprintf("pos-inf@%d", at), func(i int) float64 {
				if i == at {
					return math.Inf(1)
				}
				return rng.NormFloat64()
			})
			mk(fmt.Sprintf("nan@%d", at), func(i int) float64 {
				if i == at {
					return math.NaN()
				}
				return rng.NormFloat64()
			})
			mk(fmt.Sprintf("nan-neg-inf@%d", at), func(i int) float64 {
				if i == at {
					return math.NaN()
				}
				return math.Inf(-1)
			})
		}
		mk("all-nan", func(int) float64 { return math.NaN() })
		mk("underflowing", func(i int) float64 {
			if i == 0 {
				return 0
			}
			return -800 - float64(i)
		})
	}
	return cases
}

func toT[T Float](x []float64) []T {
	y := make([]T, len(x))
	for i, v := range x {
		y[i] = T(v)
	}
	return y
}

func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

func testLogSumExpT[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	eps := 0x1p-52
	worst := 0.0
	for _, level := range expLevels() {
		withExpLevel(level, func() {
			for _, n := range rowLengths {
				for name, x64 := range rowCases(n, rng) {
					x := toT[T](x64)
					got, want := LogSumExp(x), refLogSumExp(x)
					if math.IsNaN(want) || math.IsInf(want, 0) {
						if !sameFloat(got, want) {
							t.Errorf("%s n=%d %s: LogSumExp = %v, want %v", expLevelNames[level], n, name, got, want)
						}
						continue
					}
					// lse = m + log(s): a few ulps of the terms.
					m := float64(rowMaxGo(x))
					tol := 4 * eps * (math.Abs(m) + math.Abs(want-m) + 1)
					if d := math.Abs(got - want); !(d <= tol) {
						t.Errorf("%s n=%d %s: LogSumExp = %v, want %v (diff %.3g, tol %.3g)", expLevelNames[level], n, name, got, want, d, tol)
					} else {
						worst = max(worst, d/(eps*(math.Abs(m)+math.Abs(want-m)+1)))
					}
				}
			}
		})
	}
	t.Logf("max |LogSumExp - reference| = %.3f ε·(|m|+log s+1)", worst)
}

func TestLogSumExpFloat64(t *testing.T) { testLogSumExpT[float64](t) }
func TestLogSumExpFloat32(t *testing.T) { testLogSumExpT[float32](t) }

func testAddScaledExpT[T Float](t *testing.T, eps, tiny float64) {
	rng := rand.New(rand.NewPCG(5, 6))
	params := []struct{ scale, shift float64 }{
		{1, 0}, {0.37, 2.5}, {-1.25, -3}, {1e-3, 1e4}, {2, -1e4}, {1, 700}, {1, -700}, {0.5, math.Inf(1)},
	}
	for _, level := range expLevels() {
		withExpLevel(level, func() {
			for _, n := range rowLengths {
				for name, src64 := range rowCases(n, rng) {
					src := toT[T](src64)
					for _, p := range params {
						for _, zeroDst := range []bool{true, false} {
							dst := make([]T, n)
							if !zeroDst {
								for i := range dst {
									dst[i] = T(rng.NormFloat64())
								}
							}
							want := append([]T(nil), dst...)
							got := append([]T(nil), dst...)
							refAddScaledExp(want, src, p.scale, p.shift)
							AddScaledExp(got, src, p.scale, p.shift)
							for i := range got {
								g, w := float64(got[i]), float64(want[i])
								if math.IsNaN(w) || math.IsInf(w, 0) {
									if !sameFloat(g, w) {
										t.Fatalf("%s n=%d %s scale=%v shift=%v: dst[%d] = %v, want %v (src %v)",
											expLevelNames[level], n, name, p.scale, p.shift, i, g, w, src[i])
									}
									continue
								}
								v := math.Abs(float64(want[i] - dst[i]))
								tol := 4*eps*(math.Abs(float64(dst[i]))+v) + tiny
								if d := math.Abs(g - w); !(d <= tol) {
									t.Fatalf("%s n=%d %s scale=%v shift=%v: dst[%d] = %v, want %v (diff %.3g, tol %.3g, src %v)",
										expLevelNames[level], n, name, p.scale, p.shift, i, g, w, d, tol, src[i])
								}
							}
						}
					}
				}
			}
		})
	}
}

func TestAddScaledExpFloat64(t *testing.T) { testAddScaledExpT[float64](t, 0x1p-52, 0x1p-1072) }
func TestAddScaledExpFloat32(t *testing.T) { testAddScaledExpT[float32](t, 0x1p-23, 0x1p-148) }

func TestAddScaledExpPanicsOnLengthMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("AddScaledExp with len(dst) != len(src) did not panic")
		}
	}()
	AddScaledExp(make([]float64, 3), make([]float64, 4), 1, 0)
}

// ---- bit identity of the paths --------------------------------------------

// emulateLogSumExp is LogSumExp written out directly from ExpFast: the
// 8-lane sum every path must reproduce bit for bit.
func emulateLogSumExp[T Float](x []T) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		if float64(v) > m {
			m = float64(v)
		}
	}
	if !(m > math.Inf(-1)) {
		return m
	}
	var l [8]float64
	for j, v := range x {
		l[j%8] += ExpFast(float64(v) - m)
	}
	return m + math.Log(((l[0]+l[1])+(l[2]+l[3]))+((l[4]+l[5])+(l[6]+l[7])))
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

func TestExpKernelsBitIdentical(t *testing.T) {
	xs := expTestPoints(1 << 18)
	xs = append(xs, math.NaN(), math.Inf(1), math.Inf(-1), 710, 711, 1e300, -746, -747, -1e300,
		math.MaxFloat64, -math.MaxFloat64, 745.2, -800)
	want := make([]float64, len(xs))
	for i, x := range xs {
		want[i] = ExpFast(x)
	}
	xs32 := toT[float32](xs)
	want32 := make([]float32, len(xs))
	for i, x := range xs32 {
		want32[i] = float32(ExpFast(float64(x)))
	}
	for _, level := range expLevels() {
		withExpLevel(level, func() {
			// exp through AddScaledExp with scale 1, shift 0 onto zeros,
			// at every offset so each lane and tail position is covered.
			for off := range 9 {
				got := make([]float64, len(xs)-off)
				AddScaledExp(got, xs[off:], 1, 0)
				for i, g := range got {
					if !sameBits(g, want[i+off]) {
						t.Fatalf("%s: exp(%v) = %v (%#x), ExpFast %v (%#x)", expLevelNames[level],
							xs[i+off], g, math.Float64bits(g), want[i+off], math.Float64bits(want[i+off]))
					}
				}
				got32 := make([]float32, len(xs)-off)
				AddScaledExp(got32, xs32[off:], 1, 0)
				for i, g := range got32 {
					if !sameBits(float64(g), float64(want32[i+off])) {
						t.Fatalf("%s: float32 exp(%v) = %v, ExpFast %v", expLevelNames[level], xs32[i+off], g, want32[i+off])
					}
				}
			}
		})
	}
}

func TestRowKernelsBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	lengths := append([]int{18, 19, 23, 24, 25, 63, 64, 65, 127, 128, 129}, rowLengths...)
	for _, n := range lengths {
		for name, x64 := range rowCases(n, rng) {
			x32 := toT[float32](x64)
			want64, want32 := emulateLogSumExp(x64), emulateLogSumExp(x32)
			dst64 := make([]float64, n)
			dst32 := make([]float32, n)
			for i := range dst64 {
				dst64[i] = rng.NormFloat64()
				dst32[i] = float32(rng.NormFloat64())
			}
			scale, shift := rng.NormFloat64(), rng.NormFloat64()*3
			wantAdd64 := append([]float64(nil), dst64...)
			wantAdd32 := append([]float32(nil), dst32...)
			for j := range x64 {
				wantAdd64[j] += float64(scale * ExpFast(x64[j]-shift))
				wantAdd32[j] += float32(scale * ExpFast(float64(x32[j])-shift))
			}
			for _, level := range expLevels() {
				withExpLevel(level, func() {
					if got := LogSumExp(x64); !sameBits(got, want64) {
						t.Errorf("%s n=%d %s: LogSumExp float64 = %v, 8-lane ExpFast sum %v", expLevelNames[level], n, name, got, want64)
					}
					if got := LogSumExp(x32); !sameBits(got, want32) {
						t.Errorf("%s n=%d %s: LogSumExp float32 = %v, 8-lane ExpFast sum %v", expLevelNames[level], n, name, got, want32)
					}
					got64 := append([]float64(nil), dst64...)
					got32 := append([]float32(nil), dst32...)
					AddScaledExp(got64, x64, scale, shift)
					AddScaledExp(got32, x32, scale, shift)
					for j := range got64 {
						if !sameBits(got64[j], wantAdd64[j]) || !sameBits(float64(got32[j]), float64(wantAdd32[j])) {
							t.Fatalf("%s n=%d %s: AddScaledExp[%d] = %v / %v, want %v / %v", expLevelNames[level], n, name, j,
								got64[j], got32[j], wantAdd64[j], wantAdd32[j])
						}
					}
				})
			}
		}
	}
}

// AddScaledExp must write only dst[0:len(src)], also in the masked tails.
func TestAddScaledExpStaysInBounds(t *testing.T) {
	for _, level := range expLevels() {
		withExpLevel(level, func() {
			for n := range 20 {
				buf64 := make([]float64, n+16)
				buf32 := make([]float32, n+16)
				src64 := make([]float64, n+16)
				src32 := make([]float32, n+16)
				AddScaledExp(buf64[8:8+n], src64[8:8+n], 1, 0)
				AddScaledExp(buf32[8:8+n], src32[8:8+n], 1, 0)
				for i := range buf64 {
					want := 0.0
					if i >= 8 && i < 8+n {
						want = 1
					}
					if buf64[i] != want || float64(buf32[i]) != want {
						t.Fatalf("%s n=%d: dst[%d] = %v / %v, want %v", expLevelNames[level], n, i-8, buf64[i], buf32[i], want)
					}
				}
			}
		})
	}
}

func TestExpRowsAllocateNothing(t *testing.T) {
	x64 := make([]float64, 751)
	x32 := make([]float32, 751)
	d64 := make([]float64, 751)
	d32 := make([]float32, 751)
	for _, level := range expLevels() {
		withExpLevel(level, func() {
			allocs := testing.AllocsPerRun(20, func() {
				LogSumExp(x64)
				LogSumExp(x32[:750])
				AddScaledExp(d64, x64, 1, 0)
				AddScaledExp(d32[:749], x32[:749], 1, 0)
				ExpFast(x64[0])
			})
			if allocs != 0 {
				t.Errorf("%s: %v allocations per run, want 0", expLevelNames[level], allocs)
			}
		})
	}
}

// ---- benchmarks -----------------------------------------------------------

var benchSink float64

func benchRow[T Float](n int) ([]T, []T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]T, n)
	d := make([]T, n)
	for i := range x {
		x[i] = T(rng.NormFloat64() * 4)
	}
	return x, d
}

func benchLevels(b *testing.B, f func(b *testing.B)) {
	for _, level := range expLevels() {
		b.Run(expLevelNames[level], func(b *testing.B) {
			withExpLevel(level, func() { f(b) })
		})
	}
}

func perElement(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

func benchLogSumExp[T Float](b *testing.B) {
	const n = 751
	x, _ := benchRow[T](n)
	benchLevels(b, func(b *testing.B) {
		for b.Loop() {
			benchSink += LogSumExp(x)
		}
		perElement(b, n)
	})
	b.Run("mathexp-loop", func(b *testing.B) {
		for b.Loop() {
			benchSink += refLogSumExp(x)
		}
		perElement(b, n)
	})
}

func BenchmarkLogSumExpFloat64(b *testing.B) { benchLogSumExp[float64](b) }
func BenchmarkLogSumExpFloat32(b *testing.B) { benchLogSumExp[float32](b) }

func benchAddScaledExp[T Float](b *testing.B) {
	const n = 751
	x, d := benchRow[T](n)
	shift := LogSumExp(x)
	benchLevels(b, func(b *testing.B) {
		for b.Loop() {
			AddScaledExp(d, x, 1e-3, shift)
		}
		perElement(b, n)
	})
	b.Run("mathexp-loop", func(b *testing.B) {
		for b.Loop() {
			refAddScaledExp(d, x, 1e-3, shift)
		}
		perElement(b, n)
	})
}

func BenchmarkAddScaledExpFloat64(b *testing.B) { benchAddScaledExp[float64](b) }
func BenchmarkAddScaledExpFloat32(b *testing.B) { benchAddScaledExp[float32](b) }

func BenchmarkExpScalar(b *testing.B) {
	x, _ := benchRow[float64](1024)
	b.Run("ExpFast", func(b *testing.B) {
		s := 0.0
		i := 0
		for b.Loop() {
			s += ExpFast(x[i&1023])
			i++
		}
		benchSink += s
	})
	b.Run("math.Exp", func(b *testing.B) {
		s := 0.0
		i := 0
		for b.Loop() {
			s += math.Exp(x[i&1023])
			i++
		}
		benchSink += s
	})
}

// ExpInPlace gives ExpFast's bits, rounded to T, at every length (blocks
// and remainders), on every kernel path, and allocates nothing.
func TestExpInPlace(t *testing.T) {
	testExpInPlaceT[float64](t)
	testExpInPlaceT[float32](t)
}

func testExpInPlaceT[T Float](t *testing.T) {
	defer func(l int) { expMaxLevel = l }(expMaxLevel)
	special := []float64{0, math.Copysign(0, -1), 1, -1, 709.7, 710, -745.1, -746, 88.7, 89, -103.9, -104, math.Inf(1), math.Inf(-1), math.NaN()}
	for level := 0; level <= 2; level++ {
		expMaxLevel = level
		for _, n := range []int{0, 1, 7, 255, 256, 257, 601} {
			x := make([]T, n)
			for j := range x {
				if j < len(special) {
					x[j] = T(special[j])
				} else {
					x[j] = T(math.Sin(float64(j)) * 30)
				}
			}
			want := make([]T, n)
			for j, v := range x {
				want[j] = T(ExpFast(float64(v)))
			}
			ExpInPlace(x)
			for j := range x {
				if math.Float64bits(float64(x[j])) != math.Float64bits(float64(want[j])) && !(x[j] != x[j] && want[j] != want[j]) {
					t.Fatalf("level %d, n %d: exp at %d = %v, want %v", level, n, j, x[j], want[j])
				}
			}
		}
	}
	x := make([]T, 1000)
	if a := testing.AllocsPerRun(10, func() { ExpInPlace(x) }); a != 0 {
		t.Errorf("ExpInPlace allocates %v times per call", a)
	}
}
