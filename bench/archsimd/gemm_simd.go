// Register-blocked GEMM micro-kernels written with simd/archsimd, generated
// by gen_kernels.go (go run gen_kernels.go > gemm_simd.go). The bodies are
// fully unrolled; every accumulator is a separate local so that it can live
// in a vector register.
//
// Two flavours of each tile: the safe one indexes slices through array
// pointers (one bounds check per panel per k step); the ...U one checks the
// bounds once up front and addresses the panels with unsafe.Pointer
// arithmetic.

//go:build goexperiment.simd && amd64

package archsimd

import (
	"simd/archsimd"
	"unsafe"
)

// gemm6x16F32x8 computes C[6×16] += A·B for packed panels: a holds kc steps of 6
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 12 archsimd.Float32x8 accumulators.
func gemm6x16F32x8(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1 archsimd.Float32x8
	for p := 0; p < kc; p++ {
		ap := (*[6]float32)(a[p*6:])
		bp := (*[16]float32)(b[p*16:])
		b0 := archsimd.LoadFloat32x8((*[8]float32)(bp[0:8]))
		b1 := archsimd.LoadFloat32x8((*[8]float32)(bp[8:16]))
		ai := archsimd.BroadcastFloat32x8(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x8(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x8(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x8(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x8(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
		ai = archsimd.BroadcastFloat32x8(ap[5])
		c5_0 = ai.MulAdd(b0, c5_0)
		c5_1 = ai.MulAdd(b1, c5_1)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r0[0:8])).Add(c0_0).Store((*[8]float32)(r0[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r0[8:16])).Add(c0_1).Store((*[8]float32)(r0[8:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r1[0:8])).Add(c1_0).Store((*[8]float32)(r1[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r1[8:16])).Add(c1_1).Store((*[8]float32)(r1[8:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r2[0:8])).Add(c2_0).Store((*[8]float32)(r2[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r2[8:16])).Add(c2_1).Store((*[8]float32)(r2[8:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r3[0:8])).Add(c3_0).Store((*[8]float32)(r3[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r3[8:16])).Add(c3_1).Store((*[8]float32)(r3[8:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r4[0:8])).Add(c4_0).Store((*[8]float32)(r4[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r4[8:16])).Add(c4_1).Store((*[8]float32)(r4[8:16]))
	r5 := (*[16]float32)(c[5*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r5[0:8])).Add(c5_0).Store((*[8]float32)(r5[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r5[8:16])).Add(c5_1).Store((*[8]float32)(r5[8:16]))
}

// gemm6x16F32x8U computes C[6×16] += A·B for packed panels: a holds kc steps of 6
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 12 archsimd.Float32x8 accumulators.
func gemm6x16F32x8U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1 archsimd.Float32x8
	if kc <= 0 {
		return
	}
	_ = a[kc*6-1]
	_ = b[kc*16-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*24)
		bp := unsafe.Add(pb, p*64)
		b0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(bp, 0)))
		b1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(bp, 32)))
		ai := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 20)))
		c5_0 = ai.MulAdd(b0, c5_0)
		c5_1 = ai.MulAdd(b1, c5_1)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r0[0:8])).Add(c0_0).Store((*[8]float32)(r0[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r0[8:16])).Add(c0_1).Store((*[8]float32)(r0[8:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r1[0:8])).Add(c1_0).Store((*[8]float32)(r1[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r1[8:16])).Add(c1_1).Store((*[8]float32)(r1[8:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r2[0:8])).Add(c2_0).Store((*[8]float32)(r2[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r2[8:16])).Add(c2_1).Store((*[8]float32)(r2[8:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r3[0:8])).Add(c3_0).Store((*[8]float32)(r3[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r3[8:16])).Add(c3_1).Store((*[8]float32)(r3[8:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r4[0:8])).Add(c4_0).Store((*[8]float32)(r4[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r4[8:16])).Add(c4_1).Store((*[8]float32)(r4[8:16]))
	r5 := (*[16]float32)(c[5*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r5[0:8])).Add(c5_0).Store((*[8]float32)(r5[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r5[8:16])).Add(c5_1).Store((*[8]float32)(r5[8:16]))
}

// gemm5x16F32x8 computes C[5×16] += A·B for packed panels: a holds kc steps of 5
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 10 archsimd.Float32x8 accumulators.
func gemm5x16F32x8(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1 archsimd.Float32x8
	for p := 0; p < kc; p++ {
		ap := (*[5]float32)(a[p*5:])
		bp := (*[16]float32)(b[p*16:])
		b0 := archsimd.LoadFloat32x8((*[8]float32)(bp[0:8]))
		b1 := archsimd.LoadFloat32x8((*[8]float32)(bp[8:16]))
		ai := archsimd.BroadcastFloat32x8(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x8(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x8(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x8(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x8(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r0[0:8])).Add(c0_0).Store((*[8]float32)(r0[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r0[8:16])).Add(c0_1).Store((*[8]float32)(r0[8:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r1[0:8])).Add(c1_0).Store((*[8]float32)(r1[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r1[8:16])).Add(c1_1).Store((*[8]float32)(r1[8:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r2[0:8])).Add(c2_0).Store((*[8]float32)(r2[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r2[8:16])).Add(c2_1).Store((*[8]float32)(r2[8:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r3[0:8])).Add(c3_0).Store((*[8]float32)(r3[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r3[8:16])).Add(c3_1).Store((*[8]float32)(r3[8:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r4[0:8])).Add(c4_0).Store((*[8]float32)(r4[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r4[8:16])).Add(c4_1).Store((*[8]float32)(r4[8:16]))
}

// gemm5x16F32x8U computes C[5×16] += A·B for packed panels: a holds kc steps of 5
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 10 archsimd.Float32x8 accumulators.
func gemm5x16F32x8U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1 archsimd.Float32x8
	if kc <= 0 {
		return
	}
	_ = a[kc*5-1]
	_ = b[kc*16-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*20)
		bp := unsafe.Add(pb, p*64)
		b0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(bp, 0)))
		b1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(bp, 32)))
		ai := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r0[0:8])).Add(c0_0).Store((*[8]float32)(r0[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r0[8:16])).Add(c0_1).Store((*[8]float32)(r0[8:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r1[0:8])).Add(c1_0).Store((*[8]float32)(r1[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r1[8:16])).Add(c1_1).Store((*[8]float32)(r1[8:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r2[0:8])).Add(c2_0).Store((*[8]float32)(r2[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r2[8:16])).Add(c2_1).Store((*[8]float32)(r2[8:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r3[0:8])).Add(c3_0).Store((*[8]float32)(r3[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r3[8:16])).Add(c3_1).Store((*[8]float32)(r3[8:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r4[0:8])).Add(c4_0).Store((*[8]float32)(r4[0:8]))
	archsimd.LoadFloat32x8((*[8]float32)(r4[8:16])).Add(c4_1).Store((*[8]float32)(r4[8:16]))
}

// gemm12x8F32x8 computes C[12×8] += A·B for packed panels: a holds kc steps of 12
// floats (column p of A), b holds kc steps of 8 floats (row p of B); C is
// row-major with stride ldc. 12 archsimd.Float32x8 accumulators.
func gemm12x8F32x8(kc int, a, b, c []float32, ldc int) {
	var c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0 archsimd.Float32x8
	for p := 0; p < kc; p++ {
		ap := (*[12]float32)(a[p*12:])
		bp := (*[8]float32)(b[p*8:])
		b0 := archsimd.LoadFloat32x8((*[8]float32)(bp[0:8]))
		ai := archsimd.BroadcastFloat32x8(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		ai = archsimd.BroadcastFloat32x8(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		ai = archsimd.BroadcastFloat32x8(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		ai = archsimd.BroadcastFloat32x8(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		ai = archsimd.BroadcastFloat32x8(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		ai = archsimd.BroadcastFloat32x8(ap[5])
		c5_0 = ai.MulAdd(b0, c5_0)
		ai = archsimd.BroadcastFloat32x8(ap[6])
		c6_0 = ai.MulAdd(b0, c6_0)
		ai = archsimd.BroadcastFloat32x8(ap[7])
		c7_0 = ai.MulAdd(b0, c7_0)
		ai = archsimd.BroadcastFloat32x8(ap[8])
		c8_0 = ai.MulAdd(b0, c8_0)
		ai = archsimd.BroadcastFloat32x8(ap[9])
		c9_0 = ai.MulAdd(b0, c9_0)
		ai = archsimd.BroadcastFloat32x8(ap[10])
		c10_0 = ai.MulAdd(b0, c10_0)
		ai = archsimd.BroadcastFloat32x8(ap[11])
		c11_0 = ai.MulAdd(b0, c11_0)
	}
	r0 := (*[8]float32)(c[0*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r0[0:8])).Add(c0_0).Store((*[8]float32)(r0[0:8]))
	r1 := (*[8]float32)(c[1*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r1[0:8])).Add(c1_0).Store((*[8]float32)(r1[0:8]))
	r2 := (*[8]float32)(c[2*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r2[0:8])).Add(c2_0).Store((*[8]float32)(r2[0:8]))
	r3 := (*[8]float32)(c[3*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r3[0:8])).Add(c3_0).Store((*[8]float32)(r3[0:8]))
	r4 := (*[8]float32)(c[4*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r4[0:8])).Add(c4_0).Store((*[8]float32)(r4[0:8]))
	r5 := (*[8]float32)(c[5*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r5[0:8])).Add(c5_0).Store((*[8]float32)(r5[0:8]))
	r6 := (*[8]float32)(c[6*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r6[0:8])).Add(c6_0).Store((*[8]float32)(r6[0:8]))
	r7 := (*[8]float32)(c[7*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r7[0:8])).Add(c7_0).Store((*[8]float32)(r7[0:8]))
	r8 := (*[8]float32)(c[8*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r8[0:8])).Add(c8_0).Store((*[8]float32)(r8[0:8]))
	r9 := (*[8]float32)(c[9*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r9[0:8])).Add(c9_0).Store((*[8]float32)(r9[0:8]))
	r10 := (*[8]float32)(c[10*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r10[0:8])).Add(c10_0).Store((*[8]float32)(r10[0:8]))
	r11 := (*[8]float32)(c[11*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r11[0:8])).Add(c11_0).Store((*[8]float32)(r11[0:8]))
}

// gemm12x8F32x8U computes C[12×8] += A·B for packed panels: a holds kc steps of 12
// floats (column p of A), b holds kc steps of 8 floats (row p of B); C is
// row-major with stride ldc. 12 archsimd.Float32x8 accumulators.
func gemm12x8F32x8U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0 archsimd.Float32x8
	if kc <= 0 {
		return
	}
	_ = a[kc*12-1]
	_ = b[kc*8-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*48)
		bp := unsafe.Add(pb, p*32)
		b0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(bp, 0)))
		ai := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 20)))
		c5_0 = ai.MulAdd(b0, c5_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 24)))
		c6_0 = ai.MulAdd(b0, c6_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 28)))
		c7_0 = ai.MulAdd(b0, c7_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 32)))
		c8_0 = ai.MulAdd(b0, c8_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 36)))
		c9_0 = ai.MulAdd(b0, c9_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 40)))
		c10_0 = ai.MulAdd(b0, c10_0)
		ai = archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(ap, 44)))
		c11_0 = ai.MulAdd(b0, c11_0)
	}
	r0 := (*[8]float32)(c[0*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r0[0:8])).Add(c0_0).Store((*[8]float32)(r0[0:8]))
	r1 := (*[8]float32)(c[1*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r1[0:8])).Add(c1_0).Store((*[8]float32)(r1[0:8]))
	r2 := (*[8]float32)(c[2*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r2[0:8])).Add(c2_0).Store((*[8]float32)(r2[0:8]))
	r3 := (*[8]float32)(c[3*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r3[0:8])).Add(c3_0).Store((*[8]float32)(r3[0:8]))
	r4 := (*[8]float32)(c[4*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r4[0:8])).Add(c4_0).Store((*[8]float32)(r4[0:8]))
	r5 := (*[8]float32)(c[5*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r5[0:8])).Add(c5_0).Store((*[8]float32)(r5[0:8]))
	r6 := (*[8]float32)(c[6*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r6[0:8])).Add(c6_0).Store((*[8]float32)(r6[0:8]))
	r7 := (*[8]float32)(c[7*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r7[0:8])).Add(c7_0).Store((*[8]float32)(r7[0:8]))
	r8 := (*[8]float32)(c[8*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r8[0:8])).Add(c8_0).Store((*[8]float32)(r8[0:8]))
	r9 := (*[8]float32)(c[9*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r9[0:8])).Add(c9_0).Store((*[8]float32)(r9[0:8]))
	r10 := (*[8]float32)(c[10*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r10[0:8])).Add(c10_0).Store((*[8]float32)(r10[0:8]))
	r11 := (*[8]float32)(c[11*ldc:])
	archsimd.LoadFloat32x8((*[8]float32)(r11[0:8])).Add(c11_0).Store((*[8]float32)(r11[0:8]))
}

// gemm4x32F32x16 computes C[4×32] += A·B for packed panels: a holds kc steps of 4
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 8 archsimd.Float32x16 accumulators.
func gemm4x32F32x16(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1 archsimd.Float32x16
	for p := 0; p < kc; p++ {
		ap := (*[4]float32)(a[p*4:])
		bp := (*[32]float32)(b[p*32:])
		b0 := archsimd.LoadFloat32x16((*[16]float32)(bp[0:16]))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(bp[16:32]))
		ai := archsimd.BroadcastFloat32x16(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
}

// gemm4x32F32x16U computes C[4×32] += A·B for packed panels: a holds kc steps of 4
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 8 archsimd.Float32x16 accumulators.
func gemm4x32F32x16U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1 archsimd.Float32x16
	if kc <= 0 {
		return
	}
	_ = a[kc*4-1]
	_ = b[kc*32-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*16)
		bp := unsafe.Add(pb, p*128)
		b0 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 0)))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 64)))
		ai := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
}

// gemm5x32F32x16 computes C[5×32] += A·B for packed panels: a holds kc steps of 5
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 10 archsimd.Float32x16 accumulators.
func gemm5x32F32x16(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1 archsimd.Float32x16
	for p := 0; p < kc; p++ {
		ap := (*[5]float32)(a[p*5:])
		bp := (*[32]float32)(b[p*32:])
		b0 := archsimd.LoadFloat32x16((*[16]float32)(bp[0:16]))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(bp[16:32]))
		ai := archsimd.BroadcastFloat32x16(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x16(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
	r4 := (*[32]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r4[16:32])).Add(c4_1).Store((*[16]float32)(r4[16:32]))
}

// gemm5x32F32x16U computes C[5×32] += A·B for packed panels: a holds kc steps of 5
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 10 archsimd.Float32x16 accumulators.
func gemm5x32F32x16U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1 archsimd.Float32x16
	if kc <= 0 {
		return
	}
	_ = a[kc*5-1]
	_ = b[kc*32-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*20)
		bp := unsafe.Add(pb, p*128)
		b0 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 0)))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 64)))
		ai := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
	r4 := (*[32]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r4[16:32])).Add(c4_1).Store((*[16]float32)(r4[16:32]))
}

// gemm8x32F32x16 computes C[8×32] += A·B for packed panels: a holds kc steps of 8
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 16 archsimd.Float32x16 accumulators.
func gemm8x32F32x16(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1 archsimd.Float32x16
	for p := 0; p < kc; p++ {
		ap := (*[8]float32)(a[p*8:])
		bp := (*[32]float32)(b[p*32:])
		b0 := archsimd.LoadFloat32x16((*[16]float32)(bp[0:16]))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(bp[16:32]))
		ai := archsimd.BroadcastFloat32x16(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x16(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
		ai = archsimd.BroadcastFloat32x16(ap[5])
		c5_0 = ai.MulAdd(b0, c5_0)
		c5_1 = ai.MulAdd(b1, c5_1)
		ai = archsimd.BroadcastFloat32x16(ap[6])
		c6_0 = ai.MulAdd(b0, c6_0)
		c6_1 = ai.MulAdd(b1, c6_1)
		ai = archsimd.BroadcastFloat32x16(ap[7])
		c7_0 = ai.MulAdd(b0, c7_0)
		c7_1 = ai.MulAdd(b1, c7_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
	r4 := (*[32]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r4[16:32])).Add(c4_1).Store((*[16]float32)(r4[16:32]))
	r5 := (*[32]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r5[16:32])).Add(c5_1).Store((*[16]float32)(r5[16:32]))
	r6 := (*[32]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r6[16:32])).Add(c6_1).Store((*[16]float32)(r6[16:32]))
	r7 := (*[32]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r7[16:32])).Add(c7_1).Store((*[16]float32)(r7[16:32]))
}

// gemm8x32F32x16U computes C[8×32] += A·B for packed panels: a holds kc steps of 8
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 16 archsimd.Float32x16 accumulators.
func gemm8x32F32x16U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1 archsimd.Float32x16
	if kc <= 0 {
		return
	}
	_ = a[kc*8-1]
	_ = b[kc*32-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*32)
		bp := unsafe.Add(pb, p*128)
		b0 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 0)))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 64)))
		ai := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 20)))
		c5_0 = ai.MulAdd(b0, c5_0)
		c5_1 = ai.MulAdd(b1, c5_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 24)))
		c6_0 = ai.MulAdd(b0, c6_0)
		c6_1 = ai.MulAdd(b1, c6_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 28)))
		c7_0 = ai.MulAdd(b0, c7_0)
		c7_1 = ai.MulAdd(b1, c7_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
	r4 := (*[32]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r4[16:32])).Add(c4_1).Store((*[16]float32)(r4[16:32]))
	r5 := (*[32]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r5[16:32])).Add(c5_1).Store((*[16]float32)(r5[16:32]))
	r6 := (*[32]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r6[16:32])).Add(c6_1).Store((*[16]float32)(r6[16:32]))
	r7 := (*[32]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r7[16:32])).Add(c7_1).Store((*[16]float32)(r7[16:32]))
}

// gemm12x32F32x16 computes C[12×32] += A·B for packed panels: a holds kc steps of 12
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 24 archsimd.Float32x16 accumulators.
func gemm12x32F32x16(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1, c8_0, c8_1, c9_0, c9_1, c10_0, c10_1, c11_0, c11_1 archsimd.Float32x16
	for p := 0; p < kc; p++ {
		ap := (*[12]float32)(a[p*12:])
		bp := (*[32]float32)(b[p*32:])
		b0 := archsimd.LoadFloat32x16((*[16]float32)(bp[0:16]))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(bp[16:32]))
		ai := archsimd.BroadcastFloat32x16(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x16(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
		ai = archsimd.BroadcastFloat32x16(ap[5])
		c5_0 = ai.MulAdd(b0, c5_0)
		c5_1 = ai.MulAdd(b1, c5_1)
		ai = archsimd.BroadcastFloat32x16(ap[6])
		c6_0 = ai.MulAdd(b0, c6_0)
		c6_1 = ai.MulAdd(b1, c6_1)
		ai = archsimd.BroadcastFloat32x16(ap[7])
		c7_0 = ai.MulAdd(b0, c7_0)
		c7_1 = ai.MulAdd(b1, c7_1)
		ai = archsimd.BroadcastFloat32x16(ap[8])
		c8_0 = ai.MulAdd(b0, c8_0)
		c8_1 = ai.MulAdd(b1, c8_1)
		ai = archsimd.BroadcastFloat32x16(ap[9])
		c9_0 = ai.MulAdd(b0, c9_0)
		c9_1 = ai.MulAdd(b1, c9_1)
		ai = archsimd.BroadcastFloat32x16(ap[10])
		c10_0 = ai.MulAdd(b0, c10_0)
		c10_1 = ai.MulAdd(b1, c10_1)
		ai = archsimd.BroadcastFloat32x16(ap[11])
		c11_0 = ai.MulAdd(b0, c11_0)
		c11_1 = ai.MulAdd(b1, c11_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
	r4 := (*[32]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r4[16:32])).Add(c4_1).Store((*[16]float32)(r4[16:32]))
	r5 := (*[32]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r5[16:32])).Add(c5_1).Store((*[16]float32)(r5[16:32]))
	r6 := (*[32]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r6[16:32])).Add(c6_1).Store((*[16]float32)(r6[16:32]))
	r7 := (*[32]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r7[16:32])).Add(c7_1).Store((*[16]float32)(r7[16:32]))
	r8 := (*[32]float32)(c[8*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r8[0:16])).Add(c8_0).Store((*[16]float32)(r8[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r8[16:32])).Add(c8_1).Store((*[16]float32)(r8[16:32]))
	r9 := (*[32]float32)(c[9*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r9[0:16])).Add(c9_0).Store((*[16]float32)(r9[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r9[16:32])).Add(c9_1).Store((*[16]float32)(r9[16:32]))
	r10 := (*[32]float32)(c[10*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r10[0:16])).Add(c10_0).Store((*[16]float32)(r10[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r10[16:32])).Add(c10_1).Store((*[16]float32)(r10[16:32]))
	r11 := (*[32]float32)(c[11*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r11[0:16])).Add(c11_0).Store((*[16]float32)(r11[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r11[16:32])).Add(c11_1).Store((*[16]float32)(r11[16:32]))
}

// gemm12x32F32x16U computes C[12×32] += A·B for packed panels: a holds kc steps of 12
// floats (column p of A), b holds kc steps of 32 floats (row p of B); C is
// row-major with stride ldc. 24 archsimd.Float32x16 accumulators.
func gemm12x32F32x16U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1, c8_0, c8_1, c9_0, c9_1, c10_0, c10_1, c11_0, c11_1 archsimd.Float32x16
	if kc <= 0 {
		return
	}
	_ = a[kc*12-1]
	_ = b[kc*32-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*48)
		bp := unsafe.Add(pb, p*128)
		b0 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 0)))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 64)))
		ai := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		c0_1 = ai.MulAdd(b1, c0_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		c1_1 = ai.MulAdd(b1, c1_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		c2_1 = ai.MulAdd(b1, c2_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		c3_1 = ai.MulAdd(b1, c3_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		c4_1 = ai.MulAdd(b1, c4_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 20)))
		c5_0 = ai.MulAdd(b0, c5_0)
		c5_1 = ai.MulAdd(b1, c5_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 24)))
		c6_0 = ai.MulAdd(b0, c6_0)
		c6_1 = ai.MulAdd(b1, c6_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 28)))
		c7_0 = ai.MulAdd(b0, c7_0)
		c7_1 = ai.MulAdd(b1, c7_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 32)))
		c8_0 = ai.MulAdd(b0, c8_0)
		c8_1 = ai.MulAdd(b1, c8_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 36)))
		c9_0 = ai.MulAdd(b0, c9_0)
		c9_1 = ai.MulAdd(b1, c9_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 40)))
		c10_0 = ai.MulAdd(b0, c10_0)
		c10_1 = ai.MulAdd(b1, c10_1)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 44)))
		c11_0 = ai.MulAdd(b0, c11_0)
		c11_1 = ai.MulAdd(b1, c11_1)
	}
	r0 := (*[32]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r0[16:32])).Add(c0_1).Store((*[16]float32)(r0[16:32]))
	r1 := (*[32]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r1[16:32])).Add(c1_1).Store((*[16]float32)(r1[16:32]))
	r2 := (*[32]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r2[16:32])).Add(c2_1).Store((*[16]float32)(r2[16:32]))
	r3 := (*[32]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r3[16:32])).Add(c3_1).Store((*[16]float32)(r3[16:32]))
	r4 := (*[32]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r4[16:32])).Add(c4_1).Store((*[16]float32)(r4[16:32]))
	r5 := (*[32]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r5[16:32])).Add(c5_1).Store((*[16]float32)(r5[16:32]))
	r6 := (*[32]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r6[16:32])).Add(c6_1).Store((*[16]float32)(r6[16:32]))
	r7 := (*[32]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r7[16:32])).Add(c7_1).Store((*[16]float32)(r7[16:32]))
	r8 := (*[32]float32)(c[8*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r8[0:16])).Add(c8_0).Store((*[16]float32)(r8[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r8[16:32])).Add(c8_1).Store((*[16]float32)(r8[16:32]))
	r9 := (*[32]float32)(c[9*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r9[0:16])).Add(c9_0).Store((*[16]float32)(r9[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r9[16:32])).Add(c9_1).Store((*[16]float32)(r9[16:32]))
	r10 := (*[32]float32)(c[10*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r10[0:16])).Add(c10_0).Store((*[16]float32)(r10[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r10[16:32])).Add(c10_1).Store((*[16]float32)(r10[16:32]))
	r11 := (*[32]float32)(c[11*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r11[0:16])).Add(c11_0).Store((*[16]float32)(r11[0:16]))
	archsimd.LoadFloat32x16((*[16]float32)(r11[16:32])).Add(c11_1).Store((*[16]float32)(r11[16:32]))
}

// gemm12x16F32x16 computes C[12×16] += A·B for packed panels: a holds kc steps of 12
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 12 archsimd.Float32x16 accumulators.
func gemm12x16F32x16(kc int, a, b, c []float32, ldc int) {
	var c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0 archsimd.Float32x16
	for p := 0; p < kc; p++ {
		ap := (*[12]float32)(a[p*12:])
		bp := (*[16]float32)(b[p*16:])
		b0 := archsimd.LoadFloat32x16((*[16]float32)(bp[0:16]))
		ai := archsimd.BroadcastFloat32x16(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		ai = archsimd.BroadcastFloat32x16(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		ai = archsimd.BroadcastFloat32x16(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		ai = archsimd.BroadcastFloat32x16(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		ai = archsimd.BroadcastFloat32x16(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		ai = archsimd.BroadcastFloat32x16(ap[5])
		c5_0 = ai.MulAdd(b0, c5_0)
		ai = archsimd.BroadcastFloat32x16(ap[6])
		c6_0 = ai.MulAdd(b0, c6_0)
		ai = archsimd.BroadcastFloat32x16(ap[7])
		c7_0 = ai.MulAdd(b0, c7_0)
		ai = archsimd.BroadcastFloat32x16(ap[8])
		c8_0 = ai.MulAdd(b0, c8_0)
		ai = archsimd.BroadcastFloat32x16(ap[9])
		c9_0 = ai.MulAdd(b0, c9_0)
		ai = archsimd.BroadcastFloat32x16(ap[10])
		c10_0 = ai.MulAdd(b0, c10_0)
		ai = archsimd.BroadcastFloat32x16(ap[11])
		c11_0 = ai.MulAdd(b0, c11_0)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	r5 := (*[16]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	r6 := (*[16]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	r7 := (*[16]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	r8 := (*[16]float32)(c[8*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r8[0:16])).Add(c8_0).Store((*[16]float32)(r8[0:16]))
	r9 := (*[16]float32)(c[9*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r9[0:16])).Add(c9_0).Store((*[16]float32)(r9[0:16]))
	r10 := (*[16]float32)(c[10*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r10[0:16])).Add(c10_0).Store((*[16]float32)(r10[0:16]))
	r11 := (*[16]float32)(c[11*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r11[0:16])).Add(c11_0).Store((*[16]float32)(r11[0:16]))
}

// gemm12x16F32x16U computes C[12×16] += A·B for packed panels: a holds kc steps of 12
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 12 archsimd.Float32x16 accumulators.
func gemm12x16F32x16U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0 archsimd.Float32x16
	if kc <= 0 {
		return
	}
	_ = a[kc*12-1]
	_ = b[kc*16-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*48)
		bp := unsafe.Add(pb, p*64)
		b0 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 0)))
		ai := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 20)))
		c5_0 = ai.MulAdd(b0, c5_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 24)))
		c6_0 = ai.MulAdd(b0, c6_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 28)))
		c7_0 = ai.MulAdd(b0, c7_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 32)))
		c8_0 = ai.MulAdd(b0, c8_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 36)))
		c9_0 = ai.MulAdd(b0, c9_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 40)))
		c10_0 = ai.MulAdd(b0, c10_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 44)))
		c11_0 = ai.MulAdd(b0, c11_0)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	r5 := (*[16]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	r6 := (*[16]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	r7 := (*[16]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	r8 := (*[16]float32)(c[8*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r8[0:16])).Add(c8_0).Store((*[16]float32)(r8[0:16]))
	r9 := (*[16]float32)(c[9*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r9[0:16])).Add(c9_0).Store((*[16]float32)(r9[0:16]))
	r10 := (*[16]float32)(c[10*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r10[0:16])).Add(c10_0).Store((*[16]float32)(r10[0:16]))
	r11 := (*[16]float32)(c[11*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r11[0:16])).Add(c11_0).Store((*[16]float32)(r11[0:16]))
}

// gemm14x16F32x16 computes C[14×16] += A·B for packed panels: a holds kc steps of 14
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 14 archsimd.Float32x16 accumulators.
func gemm14x16F32x16(kc int, a, b, c []float32, ldc int) {
	var c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0, c12_0, c13_0 archsimd.Float32x16
	for p := 0; p < kc; p++ {
		ap := (*[14]float32)(a[p*14:])
		bp := (*[16]float32)(b[p*16:])
		b0 := archsimd.LoadFloat32x16((*[16]float32)(bp[0:16]))
		ai := archsimd.BroadcastFloat32x16(ap[0])
		c0_0 = ai.MulAdd(b0, c0_0)
		ai = archsimd.BroadcastFloat32x16(ap[1])
		c1_0 = ai.MulAdd(b0, c1_0)
		ai = archsimd.BroadcastFloat32x16(ap[2])
		c2_0 = ai.MulAdd(b0, c2_0)
		ai = archsimd.BroadcastFloat32x16(ap[3])
		c3_0 = ai.MulAdd(b0, c3_0)
		ai = archsimd.BroadcastFloat32x16(ap[4])
		c4_0 = ai.MulAdd(b0, c4_0)
		ai = archsimd.BroadcastFloat32x16(ap[5])
		c5_0 = ai.MulAdd(b0, c5_0)
		ai = archsimd.BroadcastFloat32x16(ap[6])
		c6_0 = ai.MulAdd(b0, c6_0)
		ai = archsimd.BroadcastFloat32x16(ap[7])
		c7_0 = ai.MulAdd(b0, c7_0)
		ai = archsimd.BroadcastFloat32x16(ap[8])
		c8_0 = ai.MulAdd(b0, c8_0)
		ai = archsimd.BroadcastFloat32x16(ap[9])
		c9_0 = ai.MulAdd(b0, c9_0)
		ai = archsimd.BroadcastFloat32x16(ap[10])
		c10_0 = ai.MulAdd(b0, c10_0)
		ai = archsimd.BroadcastFloat32x16(ap[11])
		c11_0 = ai.MulAdd(b0, c11_0)
		ai = archsimd.BroadcastFloat32x16(ap[12])
		c12_0 = ai.MulAdd(b0, c12_0)
		ai = archsimd.BroadcastFloat32x16(ap[13])
		c13_0 = ai.MulAdd(b0, c13_0)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	r5 := (*[16]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	r6 := (*[16]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	r7 := (*[16]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	r8 := (*[16]float32)(c[8*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r8[0:16])).Add(c8_0).Store((*[16]float32)(r8[0:16]))
	r9 := (*[16]float32)(c[9*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r9[0:16])).Add(c9_0).Store((*[16]float32)(r9[0:16]))
	r10 := (*[16]float32)(c[10*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r10[0:16])).Add(c10_0).Store((*[16]float32)(r10[0:16]))
	r11 := (*[16]float32)(c[11*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r11[0:16])).Add(c11_0).Store((*[16]float32)(r11[0:16]))
	r12 := (*[16]float32)(c[12*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r12[0:16])).Add(c12_0).Store((*[16]float32)(r12[0:16]))
	r13 := (*[16]float32)(c[13*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r13[0:16])).Add(c13_0).Store((*[16]float32)(r13[0:16]))
}

// gemm14x16F32x16U computes C[14×16] += A·B for packed panels: a holds kc steps of 14
// floats (column p of A), b holds kc steps of 16 floats (row p of B); C is
// row-major with stride ldc. 14 archsimd.Float32x16 accumulators.
func gemm14x16F32x16U(kc int, a, b, c []float32, ldc int) {
	var c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0, c12_0, c13_0 archsimd.Float32x16
	if kc <= 0 {
		return
	}
	_ = a[kc*14-1]
	_ = b[kc*16-1]
	pa := unsafe.Pointer(unsafe.SliceData(a))
	pb := unsafe.Pointer(unsafe.SliceData(b))
	for p := 0; p < kc; p++ {
		ap := unsafe.Add(pa, p*56)
		bp := unsafe.Add(pb, p*64)
		b0 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(bp, 0)))
		ai := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 0)))
		c0_0 = ai.MulAdd(b0, c0_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 4)))
		c1_0 = ai.MulAdd(b0, c1_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 8)))
		c2_0 = ai.MulAdd(b0, c2_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 12)))
		c3_0 = ai.MulAdd(b0, c3_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 16)))
		c4_0 = ai.MulAdd(b0, c4_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 20)))
		c5_0 = ai.MulAdd(b0, c5_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 24)))
		c6_0 = ai.MulAdd(b0, c6_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 28)))
		c7_0 = ai.MulAdd(b0, c7_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 32)))
		c8_0 = ai.MulAdd(b0, c8_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 36)))
		c9_0 = ai.MulAdd(b0, c9_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 40)))
		c10_0 = ai.MulAdd(b0, c10_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 44)))
		c11_0 = ai.MulAdd(b0, c11_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 48)))
		c12_0 = ai.MulAdd(b0, c12_0)
		ai = archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(ap, 52)))
		c13_0 = ai.MulAdd(b0, c13_0)
	}
	r0 := (*[16]float32)(c[0*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r0[0:16])).Add(c0_0).Store((*[16]float32)(r0[0:16]))
	r1 := (*[16]float32)(c[1*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r1[0:16])).Add(c1_0).Store((*[16]float32)(r1[0:16]))
	r2 := (*[16]float32)(c[2*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r2[0:16])).Add(c2_0).Store((*[16]float32)(r2[0:16]))
	r3 := (*[16]float32)(c[3*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r3[0:16])).Add(c3_0).Store((*[16]float32)(r3[0:16]))
	r4 := (*[16]float32)(c[4*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r4[0:16])).Add(c4_0).Store((*[16]float32)(r4[0:16]))
	r5 := (*[16]float32)(c[5*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r5[0:16])).Add(c5_0).Store((*[16]float32)(r5[0:16]))
	r6 := (*[16]float32)(c[6*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r6[0:16])).Add(c6_0).Store((*[16]float32)(r6[0:16]))
	r7 := (*[16]float32)(c[7*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r7[0:16])).Add(c7_0).Store((*[16]float32)(r7[0:16]))
	r8 := (*[16]float32)(c[8*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r8[0:16])).Add(c8_0).Store((*[16]float32)(r8[0:16]))
	r9 := (*[16]float32)(c[9*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r9[0:16])).Add(c9_0).Store((*[16]float32)(r9[0:16]))
	r10 := (*[16]float32)(c[10*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r10[0:16])).Add(c10_0).Store((*[16]float32)(r10[0:16]))
	r11 := (*[16]float32)(c[11*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r11[0:16])).Add(c11_0).Store((*[16]float32)(r11[0:16]))
	r12 := (*[16]float32)(c[12*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r12[0:16])).Add(c12_0).Store((*[16]float32)(r12[0:16]))
	r13 := (*[16]float32)(c[13*ldc:])
	archsimd.LoadFloat32x16((*[16]float32)(r13[0:16])).Add(c13_0).Store((*[16]float32)(r13[0:16]))
}
