//go:build goexperiment.simd && amd64

package archsimd

import (
	"simd/archsimd"
	"unsafe"
)

// hasAVX2FMA and hasAVX512 gate the kernels at run time; archsimd does not
// check CPU features itself and an unsupported instruction faults (SIGILL).
var (
	hasAVX2FMA = archsimd.X86.AVX2() && archsimd.X86.FMA()
	hasAVX512  = archsimd.X86.AVX512()
)

// hsum8 returns the sum of the 8 lanes of v.
func hsum8(v archsimd.Float32x8) float32 {
	var t [4]float32
	v.GetLo().Add(v.GetHi()).Store(&t)
	return (t[0] + t[1]) + (t[2] + t[3])
}

// hsum16 returns the sum of the 16 lanes of v.
func hsum16(v archsimd.Float32x16) float32 {
	return hsum8(v.GetLo().Add(v.GetHi()))
}

// dotF32x8Acc4 is a dot product with 4 Float32x8 FMA accumulators
// (32 floats per iteration).
func dotF32x8Acc4(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s0, s1, s2, s3 archsimd.Float32x8
	i := 0
	for ; i+32 <= n; i += 32 {
		xa := (*[32]float32)(x[i:])
		ya := (*[32]float32)(y[i:])
		s0 = archsimd.LoadFloat32x8((*[8]float32)(xa[0:8])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[0:8])), s0)
		s1 = archsimd.LoadFloat32x8((*[8]float32)(xa[8:16])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[8:16])), s1)
		s2 = archsimd.LoadFloat32x8((*[8]float32)(xa[16:24])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[16:24])), s2)
		s3 = archsimd.LoadFloat32x8((*[8]float32)(xa[24:32])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[24:32])), s3)
	}
	sum := hsum8(s0.Add(s1).Add(s2.Add(s3)))
	for ; i < n; i++ {
		sum += x[i] * y[i]
	}
	return sum
}

// dotF32x8Acc8 is a dot product with 8 Float32x8 FMA accumulators
// (64 floats per iteration).
func dotF32x8Acc8(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s0, s1, s2, s3, s4, s5, s6, s7 archsimd.Float32x8
	i := 0
	for ; i+64 <= n; i += 64 {
		xa := (*[64]float32)(x[i:])
		ya := (*[64]float32)(y[i:])
		s0 = archsimd.LoadFloat32x8((*[8]float32)(xa[0:8])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[0:8])), s0)
		s1 = archsimd.LoadFloat32x8((*[8]float32)(xa[8:16])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[8:16])), s1)
		s2 = archsimd.LoadFloat32x8((*[8]float32)(xa[16:24])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[16:24])), s2)
		s3 = archsimd.LoadFloat32x8((*[8]float32)(xa[24:32])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[24:32])), s3)
		s4 = archsimd.LoadFloat32x8((*[8]float32)(xa[32:40])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[32:40])), s4)
		s5 = archsimd.LoadFloat32x8((*[8]float32)(xa[40:48])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[40:48])), s5)
		s6 = archsimd.LoadFloat32x8((*[8]float32)(xa[48:56])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[48:56])), s6)
		s7 = archsimd.LoadFloat32x8((*[8]float32)(xa[56:64])).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya[56:64])), s7)
	}
	sum := hsum8(s0.Add(s1).Add(s2.Add(s3)).Add(s4.Add(s5).Add(s6.Add(s7))))
	for ; i < n; i++ {
		sum += x[i] * y[i]
	}
	return sum
}

// dotF32x16Acc4 is a dot product with 4 Float32x16 FMA accumulators
// (64 floats per iteration). Needs AVX-512.
func dotF32x16Acc4(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s0, s1, s2, s3 archsimd.Float32x16
	i := 0
	for ; i+64 <= n; i += 64 {
		xa := (*[64]float32)(x[i:])
		ya := (*[64]float32)(y[i:])
		s0 = archsimd.LoadFloat32x16((*[16]float32)(xa[0:16])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[0:16])), s0)
		s1 = archsimd.LoadFloat32x16((*[16]float32)(xa[16:32])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[16:32])), s1)
		s2 = archsimd.LoadFloat32x16((*[16]float32)(xa[32:48])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[32:48])), s2)
		s3 = archsimd.LoadFloat32x16((*[16]float32)(xa[48:64])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[48:64])), s3)
	}
	sum := hsum16(s0.Add(s1).Add(s2.Add(s3)))
	for ; i < n; i++ {
		sum += x[i] * y[i]
	}
	return sum
}

// dotF32x16Acc8 is a dot product with 8 Float32x16 FMA accumulators
// (128 floats per iteration). Needs AVX-512.
func dotF32x16Acc8(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s0, s1, s2, s3, s4, s5, s6, s7 archsimd.Float32x16
	i := 0
	for ; i+128 <= n; i += 128 {
		xa := (*[128]float32)(x[i:])
		ya := (*[128]float32)(y[i:])
		s0 = archsimd.LoadFloat32x16((*[16]float32)(xa[0:16])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[0:16])), s0)
		s1 = archsimd.LoadFloat32x16((*[16]float32)(xa[16:32])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[16:32])), s1)
		s2 = archsimd.LoadFloat32x16((*[16]float32)(xa[32:48])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[32:48])), s2)
		s3 = archsimd.LoadFloat32x16((*[16]float32)(xa[48:64])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[48:64])), s3)
		s4 = archsimd.LoadFloat32x16((*[16]float32)(xa[64:80])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[64:80])), s4)
		s5 = archsimd.LoadFloat32x16((*[16]float32)(xa[80:96])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[80:96])), s5)
		s6 = archsimd.LoadFloat32x16((*[16]float32)(xa[96:112])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[96:112])), s6)
		s7 = archsimd.LoadFloat32x16((*[16]float32)(xa[112:128])).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya[112:128])), s7)
	}
	sum := hsum16(s0.Add(s1).Add(s2.Add(s3)).Add(s4.Add(s5).Add(s6.Add(s7))))
	for ; i < n; i++ {
		sum += x[i] * y[i]
	}
	return sum
}

// dotF32x8Acc4U is dotF32x8Acc4 with the bounds checked once and the loads
// addressed through unsafe.Pointer arithmetic.
func dotF32x8Acc4U(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s0, s1, s2, s3 archsimd.Float32x8
	px := unsafe.Pointer(unsafe.SliceData(x))
	py := unsafe.Pointer(unsafe.SliceData(y))
	i := 0
	for ; i+32 <= n; i += 32 {
		xa := unsafe.Add(px, 4*i)
		ya := unsafe.Add(py, 4*i)
		s0 = archsimd.LoadFloat32x8((*[8]float32)(xa)).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(ya)), s0)
		s1 = archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(xa, 32))).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(ya, 32))), s1)
		s2 = archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(xa, 64))).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(ya, 64))), s2)
		s3 = archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(xa, 96))).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(ya, 96))), s3)
	}
	sum := hsum8(s0.Add(s1).Add(s2.Add(s3)))
	for ; i < n; i++ {
		sum += x[i] * y[i]
	}
	return sum
}

// dotF32x16Acc4U is dotF32x16Acc4 with unsafe.Pointer addressing.
func dotF32x16Acc4U(x, y []float32) float32 {
	n := min(len(x), len(y))
	var s0, s1, s2, s3 archsimd.Float32x16
	px := unsafe.Pointer(unsafe.SliceData(x))
	py := unsafe.Pointer(unsafe.SliceData(y))
	i := 0
	for ; i+64 <= n; i += 64 {
		xa := unsafe.Add(px, 4*i)
		ya := unsafe.Add(py, 4*i)
		s0 = archsimd.LoadFloat32x16((*[16]float32)(xa)).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(ya)), s0)
		s1 = archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(xa, 64))).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(ya, 64))), s1)
		s2 = archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(xa, 128))).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(ya, 128))), s2)
		s3 = archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(xa, 192))).MulAdd(archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(ya, 192))), s3)
	}
	sum := hsum16(s0.Add(s1).Add(s2.Add(s3)))
	for ; i < n; i++ {
		sum += x[i] * y[i]
	}
	return sum
}

// fmaPeakF32x8 runs n rounds of 10 independent register-only FMA chains
// (acc = acc*m + a, which maps onto VFMADD213PS without copies): an upper
// bound for what any Float32x8 kernel can reach on this machine.
func fmaPeakF32x8(n int, seed float32) float32 {
	m := archsimd.BroadcastFloat32x8(0.999)
	a := archsimd.BroadcastFloat32x8(seed)
	c0, c1, c2, c3, c4 := a, a, a, a, a
	c5, c6, c7, c8, c9 := a, a, a, a, a
	for range n {
		c0 = c0.MulAdd(m, a)
		c1 = c1.MulAdd(m, a)
		c2 = c2.MulAdd(m, a)
		c3 = c3.MulAdd(m, a)
		c4 = c4.MulAdd(m, a)
		c5 = c5.MulAdd(m, a)
		c6 = c6.MulAdd(m, a)
		c7 = c7.MulAdd(m, a)
		c8 = c8.MulAdd(m, a)
		c9 = c9.MulAdd(m, a)
	}
	return hsum8(c0.Add(c1).Add(c2.Add(c3)).Add(c4.Add(c5).Add(c6.Add(c7))).Add(c8.Add(c9)))
}

// fmaPeakF32x16 is fmaPeakF32x8 with Float32x16 (AVX-512).
func fmaPeakF32x16(n int, seed float32) float32 {
	m := archsimd.BroadcastFloat32x16(0.999)
	a := archsimd.BroadcastFloat32x16(seed)
	c0, c1, c2, c3, c4 := a, a, a, a, a
	c5, c6, c7, c8, c9 := a, a, a, a, a
	for range n {
		c0 = c0.MulAdd(m, a)
		c1 = c1.MulAdd(m, a)
		c2 = c2.MulAdd(m, a)
		c3 = c3.MulAdd(m, a)
		c4 = c4.MulAdd(m, a)
		c5 = c5.MulAdd(m, a)
		c6 = c6.MulAdd(m, a)
		c7 = c7.MulAdd(m, a)
		c8 = c8.MulAdd(m, a)
		c9 = c9.MulAdd(m, a)
	}
	return hsum16(c0.Add(c1).Add(c2.Add(c3)).Add(c4.Add(c5).Add(c6.Add(c7))).Add(c8.Add(c9)))
}
