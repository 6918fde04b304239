package lossrt

import (
	"fmt"
	"math"
	"unsafe"
)

// Gemm holds the packing buffers one workspace needs for its matrix products;
// it allocates them once in NewGemm, so calls allocate nothing. Not safe for
// concurrent use.
//
// The products follow the BLIS structure: the columns of C are cut into
// blocks of nc (loop jc), the inner dimension into blocks of kc (loop pc),
// and the rows of C into blocks of mc (loop ic). For each (jc, pc) the kc×nc
// block of B is packed into micro-panels of nr columns, for each ic the mc×kc
// block of A into micro-panels of mr rows, and a micro-kernel (assembly where
// the CPU allows) updates one mr×nr tile of C from one A and one B
// micro-panel. NT, NN and TN differ only in how they pack.
//
// Numerical contract: every element of C is one sequential chain of fused
// multiply-adds over p = 0..k-1, starting from the value already in C:
// c = fma(a_p, b_p, c). A kc block loads the running value from C and stores
// it back, so the blocking, the tile edges and any split of C among workers
// leave the result unchanged. The pure-Go path computes the same chain with
// math.FMA: bit for bit the same in float64; in float32 it rounds the exact
// a·b+c first to float64 and then to float32, which in rare cases differs
// from a single float32 rounding by one ulp.
//
// Every call only reads A and B and only writes the C elements of its own
// m×n result, and a Gemm holds no state between calls beyond its buffers: a
// worker pool can give disjoint column ranges of C (b and c sliced at the
// first column of the range) to goroutines that each own a Gemm, and get the
// same bits as one call.
type Gemm[T Float] struct {
	kern  gemmKernel
	packA []T         // mc×kc block of A, as micro-panels of mr rows (k-major)
	packB []T         // kc×nc block of B, as micro-panels of nr columns (k-major)
	tile  []T         // mr×nr scratch tile for the edges of C
	par   *gemmPar[T] // the workers large products are split among, or nil
}

// gemmKernel describes one micro-kernel and the block sizes that go with it.
type gemmKernel struct {
	name       string
	mr, nr     int // tile of C the micro-kernel updates
	mc, kc, nc int // block sizes: rows of C, inner dimension, columns of C
	// asm is the assembly micro-kernel, nil for the pure-Go one. It updates
	// the mr×nr tile at c (leading dimension ldc) with k steps of the packed
	// panels a (mr values a step) and b (nr values a step). The caller must
	// have checked that all these elements are in range.
	asm func(k int, a, b, c unsafe.Pointer, ldc int)
}

// The pure-Go micro-kernel shapes. A tile of 4×8 keeps the inner loop of
// gemmMicroGo on blocks of 2 rows × 4 columns: eight accumulators, which fit
// the registers of every architecture Go supports.
var (
	gemmGo32 = gemmKernel{name: "go 4x8", mr: 4, nr: 8, mc: 128, kc: 256, nc: 1024}
	gemmGo64 = gemmKernel{name: "go 4x8", mr: 4, nr: 8, mc: 128, kc: 256, nc: 512}
)

// NewGemm returns a Gemm with buffers for the fastest micro-kernel of this
// machine for T.
// It splits large products among GOMAXPROCS goroutines; see SetWorkers.
func NewGemm[T Float]() *Gemm[T] {
	g := newGemmKernel[T](gemmKernelsFor[T]()[0])
	g.SetWorkers(0)
	return g
}

// gemmKernelsFor lists the micro-kernels usable for T on this machine, the
// preferred one first; the pure-Go kernel is always last.
func gemmKernelsFor[T Float]() []gemmKernel {
	var z T
	return gemmKernels(int(unsafe.Sizeof(z)))
}

// newGemmKernel returns a Gemm that uses kern (tests pick every kernel and
// shrink the blocks with it).
func newGemmKernel[T Float](kern gemmKernel) *Gemm[T] {
	if kern.mr <= 0 || kern.nr <= 0 || kern.mc <= 0 || kern.kc <= 0 || kern.nc <= 0 {
		panic("lossrt: bad gemm kernel block sizes")
	}
	// Blocks of whole tiles keep every micro-panel aligned to the tiles of C.
	kern.mc = (kern.mc + kern.mr - 1) / kern.mr * kern.mr
	kern.nc = (kern.nc + kern.nr - 1) / kern.nr * kern.nr
	return &Gemm[T]{
		kern:  kern,
		packA: make([]T, kern.mc*kern.kc),
		packB: make([]T, kern.kc*kern.nc),
		tile:  make([]T, kern.mr*kern.nr),
	}
}

// Kernel names the micro-kernel this Gemm uses, with its tile shape.
func (g *Gemm[T]) Kernel() string { return g.kern.name }

// The operand layouts.
const (
	gemmNT = iota // A m×k, B n×k
	gemmNN        // A m×k, B k×n
	gemmTN        // A k×m, B k×n
)

// NT accumulates A·Bᵀ into C: C[i,j] += Σ_p A[i,p]·B[j,p], with A m×k
// (leading dimension lda), B n×k (ldb) and C m×n (ldc), all row-major.
func (g *Gemm[T]) NT(m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	g.gemm(gemmNT, m, n, k, a, lda, b, ldb, c, ldc)
}

// NN accumulates A·B into C: C[i,j] += Σ_p A[i,p]·B[p,j], with A m×k
// (leading dimension lda), B k×n (ldb) and C m×n (ldc), all row-major.
func (g *Gemm[T]) NN(m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	g.gemm(gemmNN, m, n, k, a, lda, b, ldb, c, ldc)
}

// TN accumulates Aᵀ·B into C: C[i,j] += Σ_p A[p,i]·B[p,j], with A k×m
// (leading dimension lda), B k×n (ldb) and C m×n (ldc), all row-major.
func (g *Gemm[T]) TN(m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	g.gemm(gemmTN, m, n, k, a, lda, b, ldb, c, ldc)
}

// gemmCheck panics unless x can hold a rows×cols row-major matrix with
// leading dimension ld.
func gemmCheck[T Float](name string, x []T, rows, cols, ld int) {
	// Division rather than (rows-1)*ld+cols, which could overflow.
	if ld < cols || len(x) < cols || (rows > 1 && (len(x)-cols)/ld < rows-1) {
		panic(fmt.Sprintf("lossrt: gemm: %s holds %d elements, not a %d×%d matrix with leading dimension %d", name, len(x), rows, cols, ld))
	}
}

func (g *Gemm[T]) gemm(mode, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("lossrt: gemm: negative size %d×%d×%d", m, n, k))
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	// The leading dimensions must be at least the row lengths: the assembly
	// writes whole rows of a tile, which must not overlap.
	switch mode {
	case gemmNT:
		gemmCheck("A", a, m, k, lda)
		gemmCheck("B", b, n, k, ldb)
	case gemmNN:
		gemmCheck("A", a, m, k, lda)
		gemmCheck("B", b, k, n, ldb)
	default:
		gemmCheck("A", a, k, m, lda)
		gemmCheck("B", b, k, n, ldb)
	}
	gemmCheck("C", c, m, n, ldc)
	if !g.parallel(mode, m, n, k, a, lda, b, ldb, c, ldc) {
		g.serial(mode, m, n, k, a, lda, b, ldb, c, ldc)
	}
}

// serial computes a checked, non-empty product on the calling goroutine.
func (g *Gemm[T]) serial(mode, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) {
	kn := &g.kern
	for jc := 0; jc < n; jc += kn.nc {
		nc := min(kn.nc, n-jc)
		for pc := 0; pc < k; pc += kn.kc {
			kc := min(kn.kc, k-pc)
			g.packBlockB(mode, b, ldb, jc, nc, pc, kc)
			for ic := 0; ic < m; ic += kn.mc {
				mc := min(kn.mc, m-ic)
				g.packBlockA(mode, a, lda, ic, mc, pc, kc)
				g.macro(mc, nc, kc, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

// macro updates the mc×nc block of C at c with the packed blocks: for each
// micro-panel of B (kept in L1 across the loop over A) and each micro-panel
// of A (streamed from L2), one micro-kernel call.
func (g *Gemm[T]) macro(mc, nc, kc int, c []T, ldc int) {
	mr, nr := g.kern.mr, g.kern.nr
	for jr := 0; jr < nc; jr += nr {
		nrr := min(nr, nc-jr)
		bp := g.packB[jr*kc : jr*kc+kc*nr]
		for ir := 0; ir < mc; ir += mr {
			mrr := min(mr, mc-ir)
			ap := g.packA[ir*kc : ir*kc+kc*mr]
			if mrr == mr && nrr == nr {
				g.micro(kc, ap, bp, c[ir*ldc+jr:], ldc)
				continue
			}
			// An edge tile runs the full-size kernel on a copy: the padded
			// rows and columns of the panels are zero, and the copy keeps
			// the kernel from touching C outside the matrix.
			t := g.tile
			clear(t)
			for i := range mrr {
				copy(t[i*nr:i*nr+nrr], c[(ir+i)*ldc+jr:])
			}
			g.micro(kc, ap, bp, t, nr)
			for i := range mrr {
				copy(c[(ir+i)*ldc+jr:(ir+i)*ldc+jr+nrr], t[i*nr:])
			}
		}
	}
}

// micro runs the micro-kernel on the tile at c after proving in Go that every
// element it touches is in range.
func (g *Gemm[T]) micro(k int, ap, bp, c []T, ldc int) {
	mr, nr := g.kern.mr, g.kern.nr
	ap = ap[:k*mr]
	bp = bp[:k*nr]
	c = c[:(mr-1)*ldc+nr]
	if g.kern.asm != nil {
		g.kern.asm(k, unsafe.Pointer(&ap[0]), unsafe.Pointer(&bp[0]), unsafe.Pointer(&c[0]), ldc)
		return
	}
	gemmMicroGo(k, mr, nr, ap, bp, c, ldc)
}

// fmaT returns a·b+c rounded once in float64; for float32 the float64 result
// is rounded again (see Gemm on double rounding).
func fmaT[T Float](a, b, c T) T {
	return T(math.FMA(float64(a), float64(b), float64(c)))
}

// gemmMicroGo is the pure-Go micro-kernel: the same computation as the
// assembly kernels, for any tile shape, on blocks of 2 rows × 4 columns.
func gemmMicroGo[T Float](k, mr, nr int, ap, bp, c []T, ldc int) {
	ap = ap[:k*mr]
	bp = bp[:k*nr]
	i := 0
	for ; i+2 <= mr; i += 2 {
		r0 := c[i*ldc : i*ldc+nr]
		r1 := c[(i+1)*ldc : (i+1)*ldc+nr]
		j := 0
		for ; j+4 <= nr; j += 4 {
			c00, c01, c02, c03 := r0[j], r0[j+1], r0[j+2], r0[j+3]
			c10, c11, c12, c13 := r1[j], r1[j+1], r1[j+2], r1[j+3]
			ao, bo := i, j
			for range k {
				a := ap[ao : ao+2 : ao+2]
				b := bp[bo : bo+4 : bo+4]
				ao += mr
				bo += nr
				a0, a1 := a[0], a[1]
				b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
				c00 = fmaT(a0, b0, c00)
				c01 = fmaT(a0, b1, c01)
				c02 = fmaT(a0, b2, c02)
				c03 = fmaT(a0, b3, c03)
				c10 = fmaT(a1, b0, c10)
				c11 = fmaT(a1, b1, c11)
				c12 = fmaT(a1, b2, c12)
				c13 = fmaT(a1, b3, c13)
			}
			r0[j], r0[j+1], r0[j+2], r0[j+3] = c00, c01, c02, c03
			r1[j], r1[j+1], r1[j+2], r1[j+3] = c10, c11, c12, c13
		}
		for ; j < nr; j++ {
			c0, c1 := r0[j], r1[j]
			for p := range k {
				b := bp[p*nr+j]
				c0 = fmaT(ap[p*mr+i], b, c0)
				c1 = fmaT(ap[p*mr+i+1], b, c1)
			}
			r0[j], r1[j] = c0, c1
		}
	}
	for ; i < mr; i++ {
		r := c[i*ldc : i*ldc+nr]
		for j := range r {
			x := r[j]
			for p := range k {
				x = fmaT(ap[p*mr+i], bp[p*nr+j], x)
			}
			r[j] = x
		}
	}
}

// packBlockB packs the kc×nc block of B at (pc, jc) — in the k×n orientation
// of the product — into micro-panels of nr columns: packB[jr*kc + p*nr + j]
// holds B(pc+p, jc+jr+j), and the columns past nc are zero.
func (g *Gemm[T]) packBlockB(mode int, b []T, ldb, jc, nc, pc, kc int) {
	nr := g.kern.nr
	for jr := 0; jr < nc; jr += nr {
		nrr := min(nr, nc-jr)
		dst := g.packB[jr*kc : jr*kc+kc*nr]
		if mode == gemmNT {
			// B is n×k: row j of B is column j of the panel.
			packTransposed(dst, b, ldb, jc+jr, nrr, pc, kc, nr)
		} else {
			// B is k×n: rows of the panel are pieces of rows of B.
			packRows(dst, b, ldb, pc, kc, jc+jr, nrr, nr)
		}
	}
}

// packBlockA packs the mc×kc block of A at (ic, pc) — in the m×k orientation
// of the product — into micro-panels of mr rows: packA[ir*kc + p*mr + i]
// holds A(ic+ir+i, pc+p), and the rows past mc are zero.
func (g *Gemm[T]) packBlockA(mode int, a []T, lda, ic, mc, pc, kc int) {
	mr := g.kern.mr
	for ir := 0; ir < mc; ir += mr {
		mrr := min(mr, mc-ir)
		dst := g.packA[ir*kc : ir*kc+kc*mr]
		if mode == gemmTN {
			// A is k×m.
			packRows(dst, a, lda, pc, kc, ic+ir, mrr, mr)
		} else {
			packTransposed(dst, a, lda, ic+ir, mrr, pc, kc, mr)
		}
	}
}

// packRows copies the rows p0..p0+kc-1, columns j0..j0+w-1 of the row-major
// matrix x into dst with a stride of s ≥ w, zeroing the s-w padding columns.
func packRows[T Float](dst, x []T, ld, p0, kc, j0, w, s int) {
	dst = dst[:kc*s]
	if w == s {
		switch s {
		case 8:
			for p := range kc {
				src := x[(p0+p)*ld+j0 : (p0+p)*ld+j0+8]
				d := dst[p*8 : p*8+8]
				d[0], d[1], d[2], d[3] = src[0], src[1], src[2], src[3]
				d[4], d[5], d[6], d[7] = src[4], src[5], src[6], src[7]
			}
			return
		case 6:
			for p := range kc {
				src := x[(p0+p)*ld+j0 : (p0+p)*ld+j0+6]
				d := dst[p*6 : p*6+6]
				d[0], d[1], d[2], d[3], d[4], d[5] = src[0], src[1], src[2], src[3], src[4], src[5]
			}
			return
		}
		for p := range kc {
			copy(dst[p*s:p*s+s], x[(p0+p)*ld+j0:(p0+p)*ld+j0+s])
		}
		return
	}
	for p := range kc {
		d := dst[p*s : p*s+s]
		copy(d[:w], x[(p0+p)*ld+j0:(p0+p)*ld+j0+w])
		clear(d[w:])
	}
}

// packTransposed stores the rows r0..r0+h-1, columns p0..p0+kc-1 of the
// row-major matrix x transposed into dst with a stride of s ≥ h:
// dst[p*s+i] = x[(r0+i)*ld + p0+p], with the s-h padding entries zero.
func packTransposed[T Float](dst, x []T, ld, r0, h, p0, kc, s int) {
	dst = dst[:kc*s]
	i := 0
	// Eight rows at a time: eight read streams, and each step fills eight
	// consecutive destination elements.
	for ; i+8 <= h; i += 8 {
		o := (r0+i)*ld + p0
		x0 := x[o : o+kc]
		x1 := x[o+ld : o+ld+kc][:len(x0)]
		x2 := x[o+2*ld : o+2*ld+kc][:len(x0)]
		x3 := x[o+3*ld : o+3*ld+kc][:len(x0)]
		x4 := x[o+4*ld : o+4*ld+kc][:len(x0)]
		x5 := x[o+5*ld : o+5*ld+kc][:len(x0)]
		x6 := x[o+6*ld : o+6*ld+kc][:len(x0)]
		x7 := x[o+7*ld : o+7*ld+kc][:len(x0)]
		d := i
		for p := range x0 {
			w := dst[d : d+8 : d+8]
			w[0], w[1], w[2], w[3] = x0[p], x1[p], x2[p], x3[p]
			w[4], w[5], w[6], w[7] = x4[p], x5[p], x6[p], x7[p]
			d += s
		}
	}
	for ; i+2 <= h; i += 2 {
		o := (r0+i)*ld + p0
		x0 := x[o : o+kc]
		x1 := x[o+ld : o+ld+kc][:len(x0)]
		d := i
		for p := range x0 {
			w := dst[d : d+2 : d+2]
			w[0], w[1] = x0[p], x1[p]
			d += s
		}
	}
	if i < h {
		o := (r0+i)*ld + p0
		d := i
		for _, v := range x[o : o+kc] {
			dst[d] = v
			d += s
		}
		i++
	}
	if h < s {
		for p := range kc {
			clear(dst[p*s+h : p*s+s])
		}
	}
}
