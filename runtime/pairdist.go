package lossrt

// Pairwise squared distances: the N×N matrix of a batch's embeddings that
// the triplet losses start from. It is the one place where a row kernel is
// called N² times on the same few rows, so it gets its own entry points:
//
//   - SqDistRows does one row against consecutive rows, several rows of b
//     at once, so the row of a is loaded (and widened) once per block;
//   - SqDistMatrix does a range of rows of a against all of b, in column
//     tiles that stay in the core's L2 cache, and computes each pair of a
//     matrix against itself once.
//
// Every entry is bit-identical to SqDist on its two rows, on every path: the
// blocks keep each pair's own 32 lanes, and SqDist is exactly symmetric
// (a−b and b−a round to the same magnitude, and the lanes add squares), so
// mirroring an entry changes no bit.

// sqDistRowsBlock is the number of rows of b the AVX-512 SqDistRows
// kernels do at a time (SQDIST_ROWS in tools/asmgen/rowvec.py): six pairs
// of 32 lanes fill 24 of the 32 vector registers.
const sqDistRowsBlock = 6

// SqDistRows sets dst[j] = SqDist(a, b[j*len(a):][:len(a)]) for every
// j < len(dst): one row against len(dst) consecutive rows. On AVX-512 six
// rows of b are done at once. It panics if len(b) < len(dst)*len(a).
func SqDistRows[T Float](dst []float64, a, b []T) {
	if len(a) > 0 && len(b)/len(a) < len(dst) {
		panic("lossrt.SqDistRows: len(b) < len(dst)*len(a)")
	}
	if isFloat32[T]() {
		sqDistRows32(dst, asFloat32s(a), asFloat32s(b))
	} else {
		sqDistRows64(dst, asFloat64s(a), asFloat64s(b))
	}
}

// sqDistRowsGo is SqDistRows one row at a time.
func sqDistRowsGo[T Float](dst []float64, a, b []T, sqDist func(a, b []T) float64) {
	n := len(a)
	for j := range dst {
		dst[j] = sqDist(a, b[j*n:][:n])
	}
}

// sqDistTileBytes is how much of b one column tile of SqDistMatrix spans:
// well inside the 1-2 MiB L2 of current x86 cores, with room for the rows
// of a streaming past it. Measured on a Zen 4 core (1 MiB L2), float32 rows
// of 2048 run at 74 GFLOP/s from a 384 KiB tile and 64 from L3.
const sqDistTileBytes = 384 << 10

// SqDistMatrix sets, for every row i in [lo, hi) of a and every row j of b
// (rows of d elements),
//
//	dst[i*ldd+j] = SqDist(a[i*d:][:d], b[j*d:][:d])
//
// in column tiles of b that stay in cache. When a and b are the same slice
// the matrix is symmetric, and a pair i, j both in [lo, hi) is computed once
// and copied to its mirror. Only the rows [lo, hi) of dst are written, so
// disjoint ranges may run on different goroutines. It panics if d < 1,
// len(a) or len(b) is not a multiple of d, hi*d > len(a), or dst is too
// short.
func SqDistMatrix[T Float](dst []float64, ldd int, a, b []T, d, lo, hi int) {
	if d < 1 || len(a)%d != 0 || len(b)%d != 0 {
		panic("lossrt.SqDistMatrix: rows of a or b are not d long")
	}
	n := len(b) / d
	if lo < 0 || hi < lo || hi*d > len(a) {
		panic("lossrt.SqDistMatrix: range [lo, hi) outside a")
	}
	if lo == hi || n == 0 {
		return
	}
	if ldd < n || len(dst) < (hi-1)*ldd+n {
		panic("lossrt.SqDistMatrix: dst too short")
	}
	self := len(a) == len(b) && &a[0] == &b[0]
	size := 8
	if isFloat32[T]() {
		size = 4
	}
	tile := max(sqDistTileBytes/(d*size), 1)
	tile = max(tile-tile%sqDistRowsBlock, sqDistRowsBlock)
	for j0 := 0; j0 < n; j0 += tile {
		j1 := min(j0+tile, n)
		for i := lo; i < hi; i++ {
			row, ai := dst[i*ldd:], a[i*d:][:d]
			if !self {
				SqDistRows(row[j0:j1], ai, b[j0*d:j1*d])
				continue
			}
			// Symmetric: the columns [lo, i) are the mirror of entries
			// computed for earlier rows of this call.
			if c := min(j1, lo); c > j0 {
				SqDistRows(row[j0:c], ai, b[j0*d:c*d])
			}
			if c := max(j0, i); c < j1 {
				SqDistRows(row[c:j1], ai, b[c*d:j1*d])
			}
		}
	}
	if self {
		for i := lo; i < hi; i++ {
			for j := lo; j < i; j++ {
				dst[i*ldd+j] = dst[j*ldd+i]
			}
		}
	}
}
