package lossrt

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// gemmDims returns the row and column counts of A and B for a product mode.
func gemmDims(mode, m, n, k int) (ar, ac, br, bc int) {
	switch mode {
	case gemmNT:
		return m, k, n, k
	case gemmNN:
		return m, k, k, n
	}
	return k, m, k, n
}

var gemmModeNames = [...]string{gemmNT: "NT", gemmNN: "NN", gemmTN: "TN"}

// refGemm is the naive product with the documented FMA chain, step by step
// in the pure-Go rounding.
func refGemm[T Float](mode, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	for i := range m {
		for j := range n {
			x := c[i*ldc+j]
			for p := range k {
				var av, bv T
				switch mode {
				case gemmNT:
					av, bv = a[i*lda+p], b[j*ldb+p]
				case gemmNN:
					av, bv = a[i*lda+p], b[p*ldb+j]
				default:
					av, bv = a[p*lda+i], b[p*ldb+j]
				}
				x = fmaT(av, bv, x)
			}
			c[i*ldc+j] = x
		}
	}
}

func (g *Gemm[T]) call(mode, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	switch mode {
	case gemmNT:
		g.NT(m, n, k, a, lda, b, ldb, c, ldc)
	case gemmNN:
		g.NN(m, n, k, a, lda, b, ldb, c, ldc)
	default:
		g.TN(m, n, k, a, lda, b, ldb, c, ldc)
	}
}

func randSlice[T Float](r *rand.Rand, n int) []T {
	x := make([]T, n)
	for i := range x {
		x[i] = T(r.Float64()*2 - 1)
	}
	return x
}

// gemmCase is one product with padded leading dimensions and a non-zero C.
type gemmCase[T Float] struct {
	mode, m, n, k int
	lda, ldb, ldc int
	a, b, c       []T
}

func newGemmCase[T Float](r *rand.Rand, mode, m, n, k int) gemmCase[T] {
	ar, ac, br, bc := gemmDims(mode, m, n, k)
	tc := gemmCase[T]{mode: mode, m: m, n: n, k: k, lda: ac + 3, ldb: bc + 1, ldc: n + 2}
	tc.a = randSlice[T](r, ar*tc.lda)
	tc.b = randSlice[T](r, br*tc.ldb)
	tc.c = randSlice[T](r, m*tc.ldc)
	return tc
}

func (tc gemmCase[T]) String() string {
	return fmt.Sprintf("%s %d×%d×%d", gemmModeNames[tc.mode], tc.m, tc.n, tc.k)
}

// run returns C after the product on a copy, by g or by the reference when g
// is nil.
func (tc gemmCase[T]) run(g *Gemm[T]) []T {
	c := append([]T(nil), tc.c...)
	if g == nil {
		refGemm(tc.mode, tc.m, tc.n, tc.k, tc.a, tc.lda, tc.b, tc.ldb, c, tc.ldc)
	} else {
		g.call(tc.mode, tc.m, tc.n, tc.k, tc.a, tc.lda, tc.b, tc.ldb, c, tc.ldc)
	}
	return c
}

// ulpDiff is the distance in units in the last place between x and y (0 for
// two NaNs, MaxInt64 for one).
func ulpDiff[T Float](x, y T) int64 {
	if x != x || y != y {
		if x != x && y != y {
			return 0
		}
		return math.MaxInt64
	}
	var ix, iy int64
	if unsafe.Sizeof(x) == 4 {
		ix, iy = int64(int32(math.Float32bits(float32(x)))), int64(int32(math.Float32bits(float32(y))))
	} else {
		ix, iy = int64(math.Float64bits(float64(x))), int64(math.Float64bits(float64(y)))
	}
	// Map the sign-magnitude bits onto a monotonic integer line.
	if ix < 0 {
		ix = math.MinInt64 - ix
	}
	if iy < 0 {
		iy = math.MinInt64 - iy
	}
	if ix > iy {
		return ix - iy
	}
	return iy - ix
}

// compare checks got against want element by element: identical bits when
// exact, else within one ulp. It returns how many elements differ at all.
func compare[T Float](t *testing.T, what string, got, want []T, exact bool) int {
	t.Helper()
	differ := 0
	for i := range want {
		d := ulpDiff(got[i], want[i])
		if d == 0 {
			continue
		}
		differ++
		if exact || d > 1 {
			t.Errorf("%s: element %d = %v, want %v (%d ulp)", what, i, got[i], want[i], d)
			return differ
		}
	}
	return differ
}

func isF32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// gemmConfigs is every kernel of this machine for T, each with its own block
// sizes and with tiny blocks that make small products cross every block edge.
func gemmConfigs[T Float]() []gemmKernel {
	var ks []gemmKernel
	for _, k := range gemmKernelsFor[T]() {
		ks = append(ks, k)
		tiny := k
		tiny.name += " tiny blocks"
		tiny.mc, tiny.kc, tiny.nc = 2*k.mr, 5, 2*k.nr
		ks = append(ks, tiny)
	}
	return ks
}

func gemmShapes(kern gemmKernel) [][3]int {
	sizes := []int{1, 2, 3, 5, 7, 13, 17, 33}
	var shapes [][3]int
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range sizes {
				shapes = append(shapes, [3]int{m, n, k})
			}
		}
	}
	mr, nr := kern.mr, kern.nr
	shapes = append(shapes,
		[3]int{65, 65, 65},
		[3]int{mr, nr, 1}, [3]int{mr + 1, nr + 1, 4}, [3]int{mr - 1, nr - 1, 9},
		[3]int{2 * mr, 3 * nr, 31}, [3]int{3*mr + 1, 2*nr - 1, 8},
		// Straddling the block sizes of the kernel.
		[3]int{kern.mc + 1, nr + 3, kern.kc + 1},
		[3]int{kern.mc - 1, kern.nc + 1, 3},
		[3]int{mr + 2, kern.nc + nr + 1, 2*kern.kc + 3},
		[3]int{2*kern.mc + mr - 1, 2*nr + 5, kern.kc - 1},
	)
	return shapes
}

func testGemmReference[T Float](t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, kern := range gemmConfigs[T]() {
		g := newGemmKernel[T](kern)
		exact := kern.asm == nil || !isF32[T]()
		differ, total := 0, 0
		for _, s := range gemmShapes(g.kern) { // block sizes rounded to whole tiles
			for mode := range gemmModeNames {
				tc := newGemmCase[T](r, mode, s[0], s[1], s[2])
				got, want := tc.run(g), tc.run(nil)
				differ += compare(t, kern.name+" "+tc.String(), got, want, exact)
				total += len(want)
				if t.Failed() {
					return
				}
			}
		}
		t.Logf("%s: %d of %d elements differ from the pure-Go FMA chain by one ulp", kern.name, differ, total)
	}
}

// TestGemmMatchesReference checks NT, NN and TN of every kernel against the
// naive FMA chain: bit-identical in float64 and for the pure-Go kernel,
// within one ulp for float32 assembly (double rounding of the pure-Go path).
func TestGemmMatchesReference(t *testing.T) {
	t.Run("float32", testGemmReference[float32])
	t.Run("float64", testGemmReference[float64])
}

// fma32 is the correctly rounded float32 fused multiply-add.
func fma32(a, b, c float32) float32 {
	var p, s big.Float
	p.SetPrec(64).SetFloat64(float64(a))
	p.Mul(&p, new(big.Float).SetFloat64(float64(b))) // exact: 48 bits
	s.SetPrec(24).SetMode(big.ToNearestEven).Add(&p, new(big.Float).SetFloat64(float64(c)))
	f, _ := s.Float32()
	return f
}

// TestGemmF32AsmIsSingleRounding checks that the float32 assembly kernels
// round each FMA once, in float32: their results equal a chain of correctly
// rounded float32 FMAs exactly. (The pure-Go path may differ from it by one
// ulp, which TestGemmMatchesReference bounds.)
func TestGemmF32AsmIsSingleRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	if len(gemmKernelsFor[float32]()) == 1 {
		t.Logf("no assembly kernel on this machine (%s): only the pure-Go path runs", SIMD())
	}
	for _, kern := range gemmConfigs[float32]() {
		if kern.asm == nil {
			continue
		}
		g := newGemmKernel[float32](kern)
		for _, s := range [][3]int{{7, 17, 33}, {13, 5, 300}, {kern.mr, kern.nr, 64}} {
			tc := newGemmCase[float32](r, gemmNT, s[0], s[1], s[2])
			got := tc.run(g)
			for i := range tc.m {
				for j := range tc.n {
					x := tc.c[i*tc.ldc+j]
					for p := range tc.k {
						x = fma32(tc.a[i*tc.lda+p], tc.b[j*tc.ldb+p], x)
					}
					if g := got[i*tc.ldc+j]; g != x {
						t.Fatalf("%s %v: C[%d,%d] = %v, want the float32 FMA chain %v", kern.name, tc, i, j, g, x)
					}
				}
			}
		}
	}
}

// TestGemmF32DoubleRounding pins the one documented difference between the
// float32 paths on a product built to hit it: a·b+c lies just below a
// float32 rounding midpoint, closer to it than float64 resolves. The
// assembly kernels round once and stay below; the pure-Go path rounds to the
// midpoint in float64 first, then to even: one ulp above.
func TestGemmF32DoubleRounding(t *testing.T) {
	a := []float32{1 + 0x1p-23}
	b := []float32{0x1p-24 - 0x1p-47} // a·b = 2⁻²⁴ − 2⁻⁷⁰ exactly
	const c0 = 1 + 0x1p-23
	single, double := float32(1+0x1p-23), float32(1+0x1p-22)
	if got := fma32(a[0], b[0], c0); got != single {
		t.Fatalf("exact float32 FMA = %v, want %v", got, single)
	}
	if got := fmaT(a[0], b[0], float32(c0)); got != double {
		t.Fatalf("pure-Go float32 FMA = %v, want %v", got, double)
	}
	for _, kern := range gemmKernelsFor[float32]() {
		g := newGemmKernel[float32](kern)
		for mode := range gemmModeNames {
			c := []float32{c0}
			g.call(mode, 1, 1, 1, a, 1, b, 1, c, 1)
			want := single
			if kern.asm == nil {
				want = double
			}
			if c[0] != want {
				t.Errorf("%s %s: C = %v, want %v", kern.name, gemmModeNames[mode], c[0], want)
			}
		}
	}
}

// TestGemmAsmMatchesGo runs every assembly kernel against the pure-Go
// micro-kernel in the same binary: directly on the same packed panels, for
// k across the unrolled loop and its tail, and through whole products.
func TestGemmAsmMatchesGo(t *testing.T) {
	t.Run("float32", testGemmAsmMatchesGo[float32])
	t.Run("float64", testGemmAsmMatchesGo[float64])
}

func testGemmAsmMatchesGo[T Float](t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	kerns := gemmKernelsFor[T]()
	goKern := kerns[len(kerns)-1]
	if len(kerns) == 1 {
		t.Logf("no assembly kernel on this machine (%s)", SIMD())
	}
	exact := !isF32[T]()
	for _, kern := range kerns[:len(kerns)-1] {
		differ := 0
		mr, nr := kern.mr, kern.nr
		for k := 1; k <= 40; k++ {
			ap := randSlice[T](r, k*mr)
			bp := randSlice[T](r, k*nr)
			ldc := nr + 3
			c := randSlice[T](r, mr*ldc)
			cGo := append([]T(nil), c...)
			g := newGemmKernel[T](kern)
			g.micro(k, ap, bp, c, ldc)
			gemmMicroGo(k, mr, nr, ap, bp, cGo, ldc)
			differ += compare(t, fmt.Sprintf("%s micro-kernel k=%d", kern.name, k), c, cGo, exact)
			for i := range mr {
				for j := nr; j < ldc; j++ {
					if c[i*ldc+j] != cGo[i*ldc+j] {
						t.Fatalf("%s micro-kernel k=%d wrote outside its tile", kern.name, k)
					}
				}
			}
		}
		gAsm := newGemmKernel[T](kern)
		gGo := newGemmKernel[T](goKern)
		for _, s := range [][3]int{{1, 1, 1}, {33, 65, 17}, {kern.mc + 5, kern.nr*3 + 1, kern.kc + 7}, {64, 75, 300}} {
			for mode := range gemmModeNames {
				tc := newGemmCase[T](r, mode, s[0], s[1], s[2])
				differ += compare(t, kern.name+" vs go "+tc.String(), tc.run(gAsm), tc.run(gGo), exact)
			}
		}
		t.Logf("%s: %d elements differ from the pure-Go kernel by one ulp", kern.name, differ)
	}
}

// TestGemmLeavesPaddingAlone checks that products write only the m×n
// elements of C, not the padding between rows or past the last one.
func TestGemmLeavesPaddingAlone(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, kern := range gemmConfigs[float64]() {
		g := newGemmKernel[float64](kern)
		for mode := range gemmModeNames {
			m, n, k := 2*kern.mr+1, 2*kern.nr+3, 9
			tc := newGemmCase[float64](r, mode, m, n, k)
			tc.c = append(tc.c, randSlice[float64](r, 10)...)
			got := tc.run(g)
			for i := range got {
				if (i/tc.ldc >= m || i%tc.ldc >= n) && got[i] != tc.c[i] {
					t.Fatalf("%s %v: C element %d outside the matrix changed", kern.name, tc, i)
				}
			}
		}
	}
}

// TestGemmNaNInf checks that NaN and Inf in A, B or C reach the elements of
// C that depend on them, and only those.
func TestGemmNaNInf(t *testing.T) {
	t.Run("float32", testGemmNaNInf[float32])
	t.Run("float64", testGemmNaNInf[float64])
}

func testGemmNaNInf[T Float](t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	nan, inf := T(math.NaN()), T(math.Inf(1))
	for _, kern := range gemmConfigs[T]() {
		g := newGemmKernel[T](kern)
		for mode := range gemmModeNames {
			m, n, k := 2*kern.mr+1, 2*kern.nr+3, 2*kern.kc+3
			tc := newGemmCase[T](r, mode, m, n, k)
			// Positive data, so that an Inf cannot cancel.
			for _, x := range [][]T{tc.a, tc.b, tc.c} {
				for i := range x {
					x[i] = 0.5 + x[i]*x[i]
				}
			}
			iNaN, jInf, pBad := m-1, 1, k-2 // NaN in row iNaN of A, Inf in column jInf of B
			iC, jC := 0, n-1                // Inf in C[iC,jC]
			at := func(i, p int) int {      // index of A(i,p) in the product's orientation
				if mode == gemmTN {
					return p*tc.lda + i
				}
				return i*tc.lda + p
			}
			bt := func(p, j int) int {
				if mode == gemmNT {
					return j*tc.ldb + p
				}
				return p*tc.ldb + j
			}
			tc.a[at(iNaN, pBad)] = nan
			tc.b[bt(pBad, jInf)] = inf
			tc.c[iC*tc.ldc+jC] = inf
			tc.c[iC*tc.ldc+0] = nan
			got := tc.run(g)
			for i := range m {
				for j := range n {
					x := got[i*tc.ldc+j]
					switch {
					case i == iNaN || (i == iC && j == 0):
						if x == x {
							t.Fatalf("%s %v: C[%d,%d] = %v, want NaN", kern.name, tc, i, j, x)
						}
					case j == jInf || (i == iC && j == jC):
						if x != inf {
							t.Fatalf("%s %v: C[%d,%d] = %v, want +Inf", kern.name, tc, i, j, x)
						}
					default:
						if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
							t.Fatalf("%s %v: C[%d,%d] = %v, want a finite value", kern.name, tc, i, j, x)
						}
					}
				}
			}
		}
	}
}

// TestGemmColumnSplit checks the property a worker pool relies on: products
// over disjoint column ranges of C, each with its own Gemm, give the bits of
// one product.
func TestGemmColumnSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, kern := range gemmConfigs[float32]() {
		for mode := range gemmModeNames {
			tc := newGemmCase[float32](r, mode, 37, 101, 70)
			want := tc.run(newGemmKernel[float32](kern))
			got := append([]float32(nil), tc.c...)
			for j0 := 0; j0 < tc.n; j0 += 29 {
				w := min(29, tc.n-j0)
				bOff := j0 // column j0 of B in the k×n layouts
				if mode == gemmNT {
					bOff = j0 * tc.ldb
				}
				newGemmKernel[float32](kern).call(mode, tc.m, w, tc.k, tc.a, tc.lda, tc.b[bOff:], tc.ldb, got[j0:], tc.ldc)
			}
			compare(t, kern.name+" split "+tc.String(), got, want, true)
		}
	}
}

// TestGemmEmptyAndShort checks that a zero size is a no-op, even on nil
// slices, and that slices too short for the sizes panic instead of reaching
// the assembly.
func TestGemmEmptyAndShort(t *testing.T) {
	g := NewGemm[float64]()
	c := []float64{1, 2, 3}
	g.NT(0, 3, 4, nil, 4, nil, 4, c, 3)
	g.NN(1, 0, 4, nil, 4, nil, 0, c, 3)
	g.TN(1, 3, 0, nil, 1, nil, 3, c, 3)
	if c[0] != 1 || c[1] != 2 || c[2] != 3 {
		t.Fatalf("empty product changed C: %v", c)
	}
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	a := make([]float64, 6*8)
	b := make([]float64, 16*8)
	cc := make([]float64, 6*16)
	mustPanic("short A", func() { g.NT(6, 16, 8, a[:47], 8, b, 8, cc, 16) })
	mustPanic("short B", func() { g.NN(6, 16, 8, a, 8, b[:127], 16, cc, 16) })
	mustPanic("short C", func() { g.TN(6, 16, 8, a, 6, b, 16, cc[:95], 16) })
	mustPanic("small ldc", func() { g.NT(6, 16, 8, a, 8, b, 8, cc, 15) })
	mustPanic("negative size", func() { g.NT(-1, 16, 8, a, 8, b, 8, cc, 16) })
	mustPanic("overflowing ldc", func() { g.NT(6, 16, 8, a, 8, b, 8, cc, math.MaxInt/4) })
	mustPanic("overflowing lda", func() { g.TN(6, 16, 8, a, math.MaxInt/7+1, b, 16, cc, 16) })
}

// TestGemmNoAllocs checks that products allocate nothing after NewGemm.
func TestGemmNoAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	check := func(name string, f func()) {
		if n := testing.AllocsPerRun(5, f); n != 0 {
			t.Errorf("%s allocates %v times a call", name, n)
		}
	}
	for _, kern := range gemmKernelsFor[float32]() {
		g := newGemmKernel[float32](kern)
		for mode := range gemmModeNames {
			tc := newGemmCase[float32](r, mode, 50, 70, 300)
			check(kern.name+" "+tc.String(), func() { g.call(tc.mode, tc.m, tc.n, tc.k, tc.a, tc.lda, tc.b, tc.ldb, tc.c, tc.ldc) })
		}
	}
	for _, kern := range gemmKernelsFor[float64]() {
		g := newGemmKernel[float64](kern)
		tc := newGemmCase[float64](r, gemmNT, 50, 70, 300)
		check(kern.name+" NT", func() { g.NT(tc.m, tc.n, tc.k, tc.a, tc.lda, tc.b, tc.ldb, tc.c, tc.ldc) })
		check(kern.name+" NN", func() { g.NN(tc.m, tc.n, tc.k, tc.a, tc.lda, tc.b, tc.n, tc.c, tc.ldc) })
		check(kern.name+" TN", func() { g.TN(tc.m, tc.n, tc.k, tc.a, tc.m, tc.b, tc.n, tc.c, tc.ldc) })
	}
}

// TestGemmNewGemmPicksFirst checks that NewGemm uses the preferred kernel.
func TestGemmNewGemmPicksFirst(t *testing.T) {
	if got, want := NewGemm[float32]().Kernel(), gemmKernelsFor[float32]()[0].name; got != want {
		t.Errorf("NewGemm[float32] uses %q, want %q", got, want)
	}
	if got, want := NewGemm[float64]().Kernel(), gemmKernelsFor[float64]()[0].name; got != want {
		t.Errorf("NewGemm[float64] uses %q, want %q", got, want)
	}
	if ks := gemmKernelsFor[float64](); !strings.HasPrefix(ks[len(ks)-1].name, "go ") || ks[len(ks)-1].asm != nil {
		t.Errorf("the last kernel is %q, want the pure-Go one", ks[len(ks)-1].name)
	}
}

// BenchmarkGemm times every kernel of this machine on the products of a
// softmax-classifier gradient: 256 or 64 rows, 751 classes, 2048 features.
func BenchmarkGemm(b *testing.B) {
	b.Run("f32", benchGemm[float32])
	b.Run("f64", benchGemm[float64])
}

func benchGemm[T Float](b *testing.B) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, kern := range gemmKernelsFor[T]() {
		for _, s := range [][3]int{{256, 751, 2048}, {64, 751, 2048}} {
			for mode := range gemmModeNames {
				m, n, k := s[0], s[1], s[2]
				name := fmt.Sprintf("%s/%dx%dx%d/%s", gemmModeNames[mode], m, n, k, strings.ReplaceAll(kern.name, " ", "-"))
				b.Run(name, func(b *testing.B) {
					ar, ac, br, bc := gemmDims(mode, m, n, k)
					a := randSlice[T](r, ar*ac)
					bb := randSlice[T](r, br*bc)
					c := make([]T, m*n)
					g := newGemmKernel[T](kern)
					b.Logf("micro-kernel %s (%d×%d, mc=%d kc=%d nc=%d), SIMD %s", kern.name, kern.mr, kern.nr, g.kern.mc, g.kern.kc, g.kern.nc, SIMD())
					calls := 0
					for b.Loop() {
						g.call(mode, m, n, k, a, ac, bb, bc, c, n)
						calls++
					}
					b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(calls)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
