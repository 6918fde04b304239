package lossrt

// The adjoint of pairwise squared distances. For d[i, j] = Σ_k (a[i, k] −
// b[j, k])² with adjoint G (adj(d), scaled by s), the gradients are
//
//	da[i, :] += Σ_j s·G[i, j]·(a[i, :] − b[j, :]) = r[i]·a[i, :] − s·(G·b)[i, :]
//	db[j, :] −= Σ_i s·G[i, j]·(a[i, :] − b[j, :]) = c[j]·b[j, :] − s·(Gᵀ·a)[j, :]
//
// with r and c the row and column sums of s·G. Which side of the equals
// sign is cheaper depends on how many entries of G are not zero, which only
// the data knows: batch-hard mining leaves about two per row (each anchor's
// hardest positive and negative), a softmax over all pairs leaves none
// zero. So SqDistGrad counts them on every call. Sparse, it adds each
// nonzero pair's scaled difference to the two rows (one AddScaledDiff per
// pair, the rows in order i then j, exactly what loops over the pairs
// would do); dense, it does two matrix products and a row scaling per row.
// The choice depends only on G, so identical inputs give identical bits, and
// neither path depends on the number of workers.

// sqDistDenseShare is the share of nonzero entries of G from which the two
// matrix products beat the pair updates: a pair update does 4·d flops at
// the speed of memory, the products 4·n·m·d flops in total at several times
// that rate (on the machines in BENCHMARKS.md, 8 to 10 times).
const sqDistDenseShare = 8

// SqDistGrad holds the buffers of the dense path for distance matrices of
// up to n×m.
type SqDistGrad[T Float] struct {
	n, m int       // the largest sizes the buffers hold
	g    []T       // −s·G in T, the products' left operand
	r, c []float64 // row and column sums of s·G
}

// NewSqDistGrad returns the buffers for distance matrices of up to n×m
// (a workspace made for the largest batch runs smaller ones too).
func NewSqDistGrad[T Float](n, m int) *SqDistGrad[T] {
	return &SqDistGrad[T]{n: n, m: m, g: make([]T, n*m), r: make([]float64, n), c: make([]float64, m)}
}

// SqDistGradBytes is how much memory NewSqDistGrad(n, m) allocates for T of
// size elem bytes, in float64 so that no size overflows it.
func SqDistGradBytes(elem int, n, m float64) float64 { return float64(elem)*n*m + 8*(n+m) }

// Accumulate adds to da and db (rows of d elements; either may be nil when
// its gradient is not wanted, and they may be the same slice when a and b
// are) the gradient of the distances between the n = len(a)/d rows of a and
// the m = len(b)/d rows of b, given their adjoint g (leading dimension ldg)
// scaled by s. gm does the products of the dense path. It panics on sizes
// that do not match or exceed the ones p was made for.
func (p *SqDistGrad[T]) Accumulate(gm *Gemm[T], da, db []T, s float64, g []float64, ldg int, a, b []T, d int) {
	if d < 1 {
		panic("lossrt.SqDistGrad.Accumulate: sizes do not match")
	}
	n, m := len(a)/d, len(b)/d
	if n < 1 || m < 1 || n > p.n || m > p.m || len(a) != n*d || len(b) != m*d || ldg < m || len(g) < (n-1)*ldg+m ||
		(da != nil && len(da) != n*d) || (db != nil && len(db) != m*d) {
		panic("lossrt.SqDistGrad.Accumulate: sizes do not match")
	}
	nonzero := 0
	for i := 0; i < n; i++ {
		for _, v := range g[i*ldg:][:m] {
			if v != 0 {
				nonzero++
			}
		}
	}
	if nonzero*sqDistDenseShare < n*m {
		for i := 0; i < n; i++ {
			for j := 0; j < m; j++ {
				if w := g[i*ldg+j] * s; w != 0 {
					var dai, dbj []T
					if da != nil {
						dai = da[i*d:][:d]
					}
					if db != nil {
						dbj = db[j*d:][:d]
					}
					AddScaledDiff(dai, dbj, w, a[i*d:][:d], b[j*d:][:d])
				}
			}
		}
		return
	}
	pg, pr, pc := p.g[:n*m], p.r[:n], p.c[:m]
	clear(pr)
	clear(pc)
	for i := 0; i < n; i++ {
		row := g[i*ldg:][:m]
		for j, v := range row {
			w := v * s
			pr[i] += w
			pc[j] += w
			pg[i*m+j] = T(-w)
		}
	}
	FlushSubnormals(pg)
	if da != nil {
		for i := 0; i < n; i++ {
			AddScaled(da[i*d:][:d], pr[i], a[i*d:][:d])
		}
		gm.NN(n, d, m, pg, m, b, d, da, d) // da −= s·G·b
	}
	if db != nil {
		for j := 0; j < m; j++ {
			AddScaled(db[j*d:][:d], pc[j], b[j*d:][:d])
		}
		gm.TN(m, d, n, pg, m, a, d, db, d) // db += (−s·G)ᵀ·a
	}
}
