//go:build goexperiment.simd && amd64

package archsimd

// Scalar Go references. They sit behind the same build tag as the SIMD code
// only so that the package is empty (doc.go alone) without the experiment.

// dotScalar is the plain Go dot product (one accumulator).
func dotScalar(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s float32
	for i := 0; i < n; i++ {
		s += x[i] * y[i]
	}
	return s
}

// dotScalarAcc4 is a scalar dot product with 4 independent accumulators.
func dotScalarAcc4(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= n; i += 4 {
		xa := (*[4]float32)(x[i:])
		ya := (*[4]float32)(y[i:])
		s0 += xa[0] * ya[0]
		s1 += xa[1] * ya[1]
		s2 += xa[2] * ya[2]
		s3 += xa[3] * ya[3]
	}
	for ; i < n; i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// gemmScalar is the reference micro-kernel for any mr×nr: C[mr×nr] += A·B
// with the same packed-panel layout as the SIMD kernels (a: kc steps of mr
// floats, b: kc steps of nr floats, C row-major with stride ldc). The tile is
// accumulated in a local buffer, as a register-blocked kernel would.
func gemmScalar(mr, nr, kc int, a, b, c []float32, ldc int) {
	var buf [16 * 32]float32
	acc := buf[:mr*nr]
	for p := 0; p < kc; p++ {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*nr : p*nr+nr]
		for i, ai := range ap {
			row := acc[i*nr : i*nr+nr]
			for j, bj := range bp {
				row[j] += ai * bj
			}
		}
	}
	for i := 0; i < mr; i++ {
		row := c[i*ldc : i*ldc+nr]
		for j := range row {
			row[j] += acc[i*nr+j]
		}
	}
}

// gemm6x16Scalar is gemmScalar specialised to 6×16 with constant bounds,
// the scalar counterpart of gemm6x16F32x8.
func gemm6x16Scalar(kc int, a, b, c []float32, ldc int) {
	var acc [6][16]float32
	for p := 0; p < kc; p++ {
		ap := (*[6]float32)(a[p*6:])
		bp := (*[16]float32)(b[p*16:])
		for i := range 6 {
			ai := ap[i]
			row := &acc[i]
			for j := range 16 {
				row[j] += ai * bp[j]
			}
		}
	}
	for i := range 6 {
		row := (*[16]float32)(c[i*ldc:])
		for j := range 16 {
			row[j] += acc[i][j]
		}
	}
}
