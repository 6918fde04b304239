package lossrt

import "runtime"

// Splitting a product among goroutines. The columns of C (or, when C has
// few columns, its rows) are cut into one contiguous range per part, at
// whole micro-tiles, and each part runs the ordinary blocked product on its
// range with buffers of its own. Because every element of C is one
// sequential FMA chain over k (see Gemm), which part computes it and how
// many parts there are cannot change a bit of the result: the product is
// identical with one worker or many, at any GOMAXPROCS.

// gemmParMinFlops is the smallest product (2·m·n·k) worth splitting: waking
// a goroutine costs a few microseconds, about 2^20 flops of the kernels.
const gemmParMinFlops = 1 << 22

// gemmPar holds the per-part Gemms and the description of the call in
// progress, which RunPart reads.
type gemmPar[T Float] struct {
	pool  *Pool
	own   bool // the pool was made by SetWorkers, and is closed with it
	parts []*Gemm[T]

	mode, m, n, k int
	a, b, c       []T
	lda, ldb, ldc int
	byRows        bool
	step          int // rows or columns per part, a multiple of the tile
}

// SetWorkers sets how many goroutines a large product is split among,
// including the calling one; n <= 0 means GOMAXPROCS. Results are
// bit-identical for every n. NewGemm starts with GOMAXPROCS workers;
// SetWorkers(1) keeps every product on the calling goroutine, for callers
// that already run one workspace per core. It allocates the buffers of the
// extra workers, so call it once, not per product.
func (g *Gemm[T]) SetWorkers(n int) {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if n == 1 {
		g.SetPool(nil)
		return
	}
	g.SetPool(NewPool(n))
	g.par.own = true
}

// SetPool makes the Gemm split large products among the goroutines of p,
// which it shares with its owner (a generated workspace runs its parallel
// loops on the same pool, so that one set of goroutines serves both). A nil
// pool, or one with a single worker, keeps products on the calling
// goroutine. A pool the Gemm made itself (SetWorkers) is closed.
func (g *Gemm[T]) SetPool(p *Pool) {
	old := g.par
	if old != nil && old.own {
		old.pool.Close()
	}
	g.par = nil
	if p == nil || p.Workers() <= 1 {
		return
	}
	w := p.Workers()
	parts := make([]*Gemm[T], w)
	parts[0] = &Gemm[T]{kern: g.kern, packA: g.packA, packB: g.packB, tile: g.tile}
	for i := 1; i < w; i++ {
		if old != nil && i < len(old.parts) {
			parts[i] = old.parts[i] // reuse the buffers
			continue
		}
		parts[i] = newGemmKernel[T](g.kern)
	}
	g.par = &gemmPar[T]{pool: p, parts: parts}
}

// Workers returns how many goroutines a large product is split among.
func (g *Gemm[T]) Workers() int {
	if g.par == nil {
		return 1
	}
	return len(g.par.parts)
}

// parallel runs the product split among the workers and reports true, or
// reports false when it is too small to split (the caller runs it whole).
func (g *Gemm[T]) parallel(mode, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) bool {
	p := g.par
	if p == nil || float64(m)*float64(n)*float64(k)*2 < gemmParMinFlops {
		return false
	}
	w := len(p.parts)
	mr, nr := g.kern.mr, g.kern.nr
	// Split the dimension with more tiles; each part gets whole tiles.
	byRows := (m+mr-1)/mr > (n+nr-1)/nr
	size, tile := n, nr
	if byRows {
		size, tile = m, mr
	}
	tiles := (size + tile - 1) / tile
	parts := min(w, tiles)
	if parts < 2 {
		return false
	}
	*p = gemmPar[T]{pool: p.pool, own: p.own, parts: p.parts, mode: mode, m: m, n: n, k: k,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, byRows: byRows,
		step: (tiles + parts - 1) / parts * tile}
	p.pool.Run(p, (size+p.step-1)/p.step)
	// Drop the references to the caller's slices.
	p.a, p.b, p.c = nil, nil, nil
	return true
}

// RunPart computes the part's range of C with the part's own buffers.
func (p *gemmPar[T]) RunPart(part int) {
	g := p.parts[part]
	lo := part * p.step
	if p.byRows {
		hi := min(p.m, lo+p.step)
		a := p.a
		if p.mode == gemmTN {
			a = a[lo:] // A is k×m: its columns are the rows of C
		} else {
			a = a[lo*p.lda:]
		}
		g.serial(p.mode, hi-lo, p.n, p.k, a, p.lda, p.b, p.ldb, p.c[lo*p.ldc:], p.ldc)
		return
	}
	hi := min(p.n, lo+p.step)
	b := p.b
	if p.mode == gemmNT {
		b = b[lo*p.ldb:] // B is n×k: its rows are the columns of C
	} else {
		b = b[lo:]
	}
	g.serial(p.mode, p.m, hi-lo, p.k, p.a, p.lda, b, p.ldb, p.c[lo:], p.ldc)
}
