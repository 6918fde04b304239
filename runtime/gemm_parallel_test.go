package lossrt

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The product must not change by a bit with the number of workers, whichever
// dimension is split, for every layout.
func testGemmWorkersAgree[T Float](t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	shapes := [][3]int{
		{64, 751, 300},  // columns split
		{751, 40, 300},  // rows split
		{257, 257, 129}, // odd sizes: ragged last part
		{33, 2048, 97},
	}
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		for mode, name := range []string{"NT", "NN", "TN"} {
			var a, b []T
			var lda, ldb int
			switch mode {
			case gemmNT:
				a, lda, b, ldb = randSlice[T](r, m*k), k, randSlice[T](r, n*k), k
			case gemmNN:
				a, lda, b, ldb = randSlice[T](r, m*k), k, randSlice[T](r, k*n), n
			default:
				a, lda, b, ldb = randSlice[T](r, k*m), m, randSlice[T](r, k*n), n
			}
			c0 := randSlice[T](r, m*n)
			var want []T
			for _, w := range []int{1, 2, 3, 5} {
				g := NewGemm[T]()
				g.SetWorkers(w)
				if g.Workers() != w {
					t.Fatalf("Workers() = %d after SetWorkers(%d)", g.Workers(), w)
				}
				c := append([]T(nil), c0...)
				g.gemm(mode, m, n, k, a, lda, b, ldb, c, n)
				if want == nil {
					want = c
					continue
				}
				for i := range c {
					if math.Float64bits(float64(c[i])) != math.Float64bits(float64(want[i])) {
						t.Fatalf("%s %v, %d workers: C[%d] = %v, one worker gives %v", name, s, w, i, c[i], want[i])
					}
				}
			}
		}
	}
}

func TestGemmWorkersAgree(t *testing.T) {
	t.Run("float32", testGemmWorkersAgree[float32])
	t.Run("float64", testGemmWorkersAgree[float64])
}

func TestGemmParallelAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	m, n, k := 128, 751, 256
	a, b, c := randSlice[float32](r, m*k), randSlice[float32](r, n*k), make([]float32, m*n)
	g := NewGemm[float32]()
	g.SetWorkers(2)
	if allocs := testing.AllocsPerRun(20, func() { g.NT(m, n, k, a, k, b, k, c, n) }); allocs != 0 {
		t.Fatalf("a split product allocates %v times", allocs)
	}
}
