package lossrt

import "math"

// Subnormal numbers. A float32 below 2⁻¹²⁶ in magnitude (float64: 2⁻¹⁰²²)
// is stored without its implicit leading bit, and arithmetic on it leaves
// the fast path of many x86 cores: on Intel's, every multiply-add that reads
// one takes about a hundred cycles. A softmax's probabilities narrowed to
// float32 are such numbers wherever a logit is about 87 below its row's
// largest, and a matrix product over them ran 2.5 times slower than over the
// same values scaled up. The kernels therefore never hand a product an
// operand they computed themselves with subnormal elements: they flush
// those to zero (docs/numerics.md). What a flushed element would have
// contributed is below float32's resolution of any normal-sized result.

// FlushSubnormals sets every subnormal element of x to zero (of the same
// sign). Normal numbers, zeros, infinities and NaNs are left as they are.
func FlushSubnormals[T Float](x []T) {
	if isFloat32[T]() {
		for i, v := range asFloat32s(x) {
			if b := math.Float32bits(v); b&0x7f800000 == 0 && b&0x007fffff != 0 {
				x[i] = T(math.Float32frombits(b & 0x80000000))
			}
		}
		return
	}
	for i, v := range asFloat64s(x) {
		if b := math.Float64bits(v); b&0x7ff0000000000000 == 0 && b&0x000fffffffffffff != 0 {
			x[i] = T(math.Float64frombits(b & 0x8000000000000000))
		}
	}
}

// Narrow32 rounds v to float32, flushing a result below float32's smallest
// normal number to zero (of the same sign).
func Narrow32(v float64) float32 {
	f := float32(v)
	if b := math.Float32bits(f); b&0x7f800000 == 0 {
		return math.Float32frombits(b & 0x80000000)
	}
	return f
}
