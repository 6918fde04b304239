package lossrt

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// sqDistGradRef is the gradient in float64 by the definition.
func sqDistGradRef(n, m, d int, s float64, g []float64, a, b []float64) (da, db []float64) {
	da, db = make([]float64, n*d), make([]float64, m*d)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			for k := 0; k < d; k++ {
				v := s * g[i*m+j] * (a[i*d+k] - b[j*d+k])
				da[i*d+k] += v
				db[j*d+k] -= v
			}
		}
	}
	return da, db
}

func testSqDistGrad[T Float](t *testing.T, tol float64) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name    string
		n, m, d int
		density float64
		self    bool
	}{
		{"dense", 7, 5, 13, 1, false},
		{"sparse", 9, 11, 17, 0.05, false},
		{"dense self", 6, 6, 9, 0.9, true},
		{"sparse self", 12, 12, 5, 0.1, true},
		{"dense with tiny weights", 5, 8, 33, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a64 := make([]float64, tc.n*tc.d)
			for i := range a64 {
				a64[i] = r.Float64()*2 - 1
			}
			b64 := a64
			if !tc.self {
				b64 = make([]float64, tc.m*tc.d)
				for i := range b64 {
					b64[i] = r.Float64()*2 - 1
				}
			}
			g := make([]float64, tc.n*tc.m)
			for i := range g {
				if r.Float64() < tc.density {
					g[i] = r.Float64()*2 - 1
					if tc.name == "dense with tiny weights" && i%2 == 0 {
						g[i] *= 1e-42 // subnormal in float32
					}
				}
			}
			// The inputs as T, and the reference on exactly those values.
			a, b := make([]T, len(a64)), make([]T, len(b64))
			for i := range a64 {
				a[i] = T(a64[i])
				a64[i] = float64(a[i])
			}
			if tc.self {
				b = a
			} else {
				for i := range b64 {
					b[i] = T(b64[i])
					b64[i] = float64(b[i])
				}
			}
			wantA, wantB := sqDistGradRef(tc.n, tc.m, tc.d, 2, g, a64, b64)
			var first []T
			for _, workers := range []int{1, 2, 3} {
				gm := NewGemm[T]()
				gm.SetWorkers(workers)
				p := NewSqDistGrad[T](tc.n, tc.m)
				da := make([]T, tc.n*tc.d)
				db := make([]T, tc.m*tc.d)
				if tc.self {
					db = da
				}
				p.Accumulate(gm, da, db, 2, g, tc.m, a, b, tc.d)
				if tc.self {
					for i := range wantA {
						require.InDelta(t, wantA[i]+wantB[i], float64(da[i]), tol*(1+math.Abs(wantA[i]+wantB[i])), "da[%d]", i)
					}
				} else {
					for i := range wantA {
						require.InDelta(t, wantA[i], float64(da[i]), tol*(1+math.Abs(wantA[i])), "da[%d]", i)
					}
					for i := range wantB {
						require.InDelta(t, wantB[i], float64(db[i]), tol*(1+math.Abs(wantB[i])), "db[%d]", i)
					}
				}
				all := append(append([]T{}, da...), db...)
				// Buffers made for larger matrices (a workspace made for
				// the largest batch) give the same bits.
				big := NewSqDistGrad[T](tc.n+3, tc.m+5)
				da2 := make([]T, tc.n*tc.d)
				db2 := make([]T, tc.m*tc.d)
				if tc.self {
					db2 = da2
				}
				big.Accumulate(gm, da2, db2, 2, g, tc.m, a, b, tc.d)
				require.Equal(t, all, append(append([]T{}, da2...), db2...), "larger buffers changed the bits")
				if first == nil {
					first = all
				} else {
					require.Equal(t, first, all, "%d workers changed the bits", workers)
				}
				// Nil gradients are skipped.
				p.Accumulate(gm, nil, nil, 2, g, tc.m, a, b, tc.d)
			}
		})
	}
}

func TestSqDistGrad(t *testing.T) {
	t.Run("float64", func(t *testing.T) { testSqDistGrad[float64](t, 1e-12) })
	t.Run("float32", func(t *testing.T) { testSqDistGrad[float32](t, 1e-5) })
}

func TestSqDistGradRefusesLargerSizes(t *testing.T) {
	p := NewSqDistGrad[float64](4, 4)
	a := make([]float64, 5*2)
	g := make([]float64, 5*5)
	require.Panics(t, func() { p.Accumulate(NewGemm[float64](), nil, nil, 1, g, 5, a, a, 2) })
}

func TestSqDistGradAllocatesNothing(t *testing.T) {
	n, d := 16, 8
	a := make([]float32, n*d)
	g := make([]float64, n*n)
	for i := range g {
		g[i] = 1
	}
	da := make([]float32, n*d)
	gm := NewGemm[float32]()
	p := NewSqDistGrad[float32](n, n)
	allocs := testing.AllocsPerRun(10, func() { p.Accumulate(gm, da, da, 2, g, n, a, a, d) })
	require.Zero(t, allocs)
}

func TestFlushSubnormals(t *testing.T) {
	x32 := []float32{1e-40, -1e-40, 0x1p-126, -0x1p-126, 0, float32(math.Inf(1)), 1.5, float32(math.Copysign(0, -1))}
	FlushSubnormals(x32)
	require.Equal(t, []float32{0, float32(math.Copysign(0, -1)), 0x1p-126, -0x1p-126, 0, float32(math.Inf(1)), 1.5, float32(math.Copysign(0, -1))}, x32)
	require.True(t, math.Signbit(float64(x32[1])))
	x64 := []float64{1e-310, -1e-310, 0x1p-1022, math.NaN()}
	FlushSubnormals(x64)
	require.Equal(t, 0.0, x64[0])
	require.True(t, math.Signbit(x64[1]) && x64[1] == 0)
	require.Equal(t, 0x1p-1022, x64[2])
	require.True(t, math.IsNaN(x64[3]))
	require.Equal(t, float32(0), Narrow32(1e-40))
	require.True(t, math.Signbit(float64(Narrow32(-1e-40))))
	require.Equal(t, float32(0x1p-126), Narrow32(0x1p-126))
	require.Equal(t, float32(2.5), Narrow32(2.5))
	allocs := testing.AllocsPerRun(10, func() { FlushSubnormals(x32) })
	require.Zero(t, allocs)
}
