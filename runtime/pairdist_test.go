package lossrt

import (
	"math"
	"math/rand/v2"
	"testing"
)

// SqDistRows must give, on every path, exactly the bits of SqDist on each
// row: the row counts cover whole blocks of six and every remainder, the
// lengths every tail of the 32 lanes, and the rows start at every
// alignment.
func testSqDistRows[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	lengths := []int{0, 1, 7, 8, 9, 31, 32, 33, 40, 63, 64, 65, 96, 127, 128, 200, 1031}
	for _, level := range expLevels() {
		withRowvecLevel(level, func() {
			for _, d := range lengths {
				for _, rows := range []int{0, 1, 5, 6, 7, 12, 13, 17} {
					for _, off := range []int{0, 3} {
						a := randSlice[T](rng, d+off)[off:]
						b := randSlice[T](rng, rows*d+off+5)[off:] // longer than needed
						got := make([]float64, rows+1)
						got[rows] = 42 // past dst: must stay untouched
						SqDistRows(got[:rows], a, b)
						for j := range rows {
							want := SqDist(a, b[j*d:][:d])
							if math.Float64bits(got[j]) != math.Float64bits(want) {
								t.Fatalf("%s D=%d rows=%d off=%d: dst[%d] = %v, SqDist %v",
									expLevelNames[level], d, rows, off, j, got[j], want)
							}
						}
						if got[rows] != 42 {
							t.Fatalf("%s D=%d rows=%d: wrote past dst", expLevelNames[level], d, rows)
						}
					}
				}
			}
		})
	}
}

func TestSqDistRowsFloat64(t *testing.T) { testSqDistRows[float64](t) }
func TestSqDistRowsFloat32(t *testing.T) { testSqDistRows[float32](t) }

// Overflow, infinities, NaN and zero distances (a row against itself) come
// out as SqDist gives them, row by row.
func TestSqDistRowsSpecialValues(t *testing.T) {
	const d = 37
	a := make([]float64, d)
	for i := range a {
		a[i] = float64(i) - 18
	}
	rows := [][]float64{
		a, // zero distance
		fill(d, math.Inf(1)),
		fill(d, math.NaN()),
		fill(d, 1e200), // overflows to +Inf
		fill(d, -0.0),
		fill(d, math.MaxFloat64),
		fill(d, 1e-200), // squares underflow
	}
	var b []float64
	for _, r := range rows {
		b = append(b, r...)
	}
	a32 := make([]float32, d)
	for i := range a {
		a32[i] = float32(a[i])
	}
	b32 := make([]float32, len(b))
	for i := range b {
		b32[i] = float32(b[i])
	}
	for _, level := range expLevels() {
		withRowvecLevel(level, func() {
			got := make([]float64, len(rows))
			got32 := make([]float64, len(rows))
			SqDistRows(got, a, b)
			SqDistRows(got32, a32, b32)
			for j := range rows {
				want := SqDist(a, b[j*d:][:d])
				want32 := SqDist(a32, b32[j*d:][:d])
				if !sameBits(got[j], want) || !sameBits(got32[j], want32) {
					t.Errorf("%s row %d: %v / %v, want %v / %v", expLevelNames[level], j, got[j], got32[j], want, want32)
				}
			}
			if got[0] != 0 || got32[0] != 0 {
				t.Errorf("%s: distance of a row to itself = %v / %v", expLevelNames[level], got[0], got32[0])
			}
		})
	}
}

func fill(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

func TestSqDistRowsShortB(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SqDistRows with len(b) < len(dst)*len(a) did not panic")
		}
	}()
	SqDistRows(make([]float64, 3), make([]float32, 4), make([]float32, 11))
}

func TestSqDistRowsAllocates0(t *testing.T) {
	a, _ := benchRow[float32](129)
	b, _ := benchRow[float32](129 * 13)
	dst := make([]float64, 13)
	if n := testing.AllocsPerRun(100, func() { SqDistRows(dst, a, b) }); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}

// One row against 256 rows of 2048, as in the distance matrix of a ReID
// batch. GFLOP/s counts 3 flops per element (difference, square, sum).
func benchSqDistRows[T Float](b *testing.B) {
	const n, d = 256, 2048
	a, _ := benchRow[T](d)
	rows, _ := benchRow[T](n * d)
	dst := make([]float64, n)
	for _, level := range expLevels() {
		b.Run(expLevelNames[level], func(b *testing.B) {
			withRowvecLevel(level, func() {
				for b.Loop() {
					SqDistRows(dst, a, rows)
				}
			})
			b.ReportMetric(3*n*d*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
		})
	}
	b.Run("sqdist-loop", func(b *testing.B) {
		for b.Loop() {
			for j := range dst {
				dst[j] = SqDist(a, rows[j*d:][:d])
			}
		}
		b.ReportMetric(3*n*d*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
	})
}

func BenchmarkSqDistRowsFloat64(b *testing.B) { benchSqDistRows[float64](b) }
func BenchmarkSqDistRowsFloat32(b *testing.B) { benchSqDistRows[float32](b) }

// SqDistMatrix must write exactly SqDist into rows [lo, hi) and nothing
// else, for a matrix against itself (the mirrored path) and against another
// one, over several column tiles (d = 4099 gives six float64 rows a tile).
func testSqDistMatrix[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	type shape struct{ n, m, d int }
	shapes := []shape{{1, 1, 1}, {7, 7, 3}, {13, 13, 33}, {20, 20, 4099}, {9, 14, 65}, {17, 5, 4099}, {31, 31, 2}}
	for _, level := range expLevels() {
		withRowvecLevel(level, func() {
			for _, s := range shapes {
				a := randSlice[T](rng, s.n*s.d)
				b := randSlice[T](rng, s.m*s.d)
				for _, self := range []bool{false, true} {
					bb, m := b, s.m
					if self {
						bb, m = a, s.n
					}
					ldd := m + 2
					ranges := [][2]int{{0, s.n}, {0, s.n / 2}, {s.n / 2, s.n}, {s.n / 3, s.n - s.n/3}, {s.n, s.n}}
					for _, r := range ranges {
						dst := make([]float64, s.n*ldd)
						for i := range dst {
							dst[i] = -1
						}
						SqDistMatrix(dst, ldd, a, bb, s.d, r[0], r[1])
						for i := range s.n {
							for j := range ldd {
								got := dst[i*ldd+j]
								want := -1.0
								if i >= r[0] && i < r[1] && j < m {
									want = SqDist(a[i*s.d:][:s.d], bb[j*s.d:][:s.d])
								}
								if !sameBits(got, want) {
									t.Fatalf("%s %+v self=%v range %v: dst[%d][%d] = %v, want %v",
										expLevelNames[level], s, self, r, i, j, got, want)
								}
							}
						}
					}
				}
			}
		})
	}
}

func TestSqDistMatrixFloat64(t *testing.T) { testSqDistMatrix[float64](t) }
func TestSqDistMatrixFloat32(t *testing.T) { testSqDistMatrix[float32](t) }

// Ties and zero distances: duplicated rows give exact zeros off the
// diagonal, on the mirrored path too.
func TestSqDistMatrixDuplicates(t *testing.T) {
	const n, d = 8, 19
	x := make([]float32, n*d)
	for i := range n {
		for k := range d {
			x[i*d+k] = float32((i/2)*100 + k) // rows 2m and 2m+1 equal
		}
	}
	dst := make([]float64, n*n)
	SqDistMatrix(dst, n, x, x, d, 0, n)
	for i := range n {
		for j := range n {
			if (i/2 == j/2) != (dst[i*n+j] == 0) || dst[i*n+j] != dst[j*n+i] {
				t.Fatalf("dst[%d][%d] = %v, dst[%d][%d] = %v", i, j, dst[i*n+j], j, i, dst[j*n+i])
			}
		}
	}
}

func TestSqDistMatrixBadArguments(t *testing.T) {
	x := make([]float64, 12)
	cases := map[string]func(){
		"d=0":           func() { SqDistMatrix(make([]float64, 16), 4, x, x, 0, 0, 4) },
		"ragged a":      func() { SqDistMatrix(make([]float64, 16), 4, x[:11], x, 3, 0, 3) },
		"hi past a":     func() { SqDistMatrix(make([]float64, 25), 5, x, x, 3, 0, 5) },
		"lo > hi":       func() { SqDistMatrix(make([]float64, 16), 4, x, x, 3, 3, 2) },
		"short dst":     func() { SqDistMatrix(make([]float64, 15), 4, x, x, 3, 0, 4) },
		"ldd too small": func() { SqDistMatrix(make([]float64, 16), 3, x, x, 3, 0, 4) },
	}
	for name, f := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestSqDistMatrixAllocates0(t *testing.T) {
	x, _ := benchRow[float32](37 * 130)
	dst := make([]float64, 37*37)
	if n := testing.AllocsPerRun(20, func() { SqDistMatrix(dst, 37, x, x, 130, 3, 30) }); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}

// The distance matrix of a ReID batch, N = 256 rows of D = 2048, on one
// core. GFLOP/s counts 3 flops per element for every one of the N² entries,
// though the symmetric path computes only about half of them.
func benchSqDistMatrix[T Float](b *testing.B) {
	const n, d = 256, 2048
	x, _ := benchRow[T](n * d)
	y, _ := benchRow[T](n * d)
	dst := make([]float64, n*n)
	gflops := func(b *testing.B) {
		b.ReportMetric(3*n*n*d*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
	}
	b.Run("self", func(b *testing.B) {
		for b.Loop() {
			SqDistMatrix(dst, n, x, x, d, 0, n)
		}
		gflops(b)
	})
	b.Run("cross", func(b *testing.B) {
		for b.Loop() {
			SqDistMatrix(dst, n, x, y, d, 0, n)
		}
		gflops(b)
	})
	b.Run("sqdist-loop", func(b *testing.B) {
		for b.Loop() {
			for i := range n {
				for j := range n {
					dst[i*n+j] = SqDist(x[i*d:][:d], x[j*d:][:d])
				}
			}
		}
		gflops(b)
	})
}

func BenchmarkSqDistMatrixFloat64(b *testing.B) { benchSqDistMatrix[float64](b) }
func BenchmarkSqDistMatrixFloat32(b *testing.B) { benchSqDistMatrix[float32](b) }
