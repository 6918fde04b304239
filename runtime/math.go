package lossrt

import "math"

// The scalar functions generated kernels call. They are generic over the
// kernel's float type and small enough to be inlined; float32 kernels compute
// transcendental functions in float64 and round once, which keeps them within
// one ulp of the correctly rounded float32 result.

// Exp returns e**x.
func Exp[T Float](x T) T { return T(math.Exp(float64(x))) }

// Log returns the natural logarithm of x.
func Log[T Float](x T) T { return T(math.Log(float64(x))) }

// Log1p returns log(1 + x), accurate for small x.
func Log1p[T Float](x T) T { return T(math.Log1p(float64(x))) }

// Sqrt returns the square root of x.
func Sqrt[T Float](x T) T { return T(math.Sqrt(float64(x))) }

// Abs returns |x|.
func Abs[T Float](x T) T { return T(math.Abs(float64(x))) }

// Cos returns the cosine of x.
func Cos[T Float](x T) T { return T(math.Cos(float64(x))) }

// Sin returns the sine of x.
func Sin[T Float](x T) T { return T(math.Sin(float64(x))) }

// Acos returns the arccosine of x.
func Acos[T Float](x T) T { return T(math.Acos(float64(x))) }

// Pow returns x**y.
func Pow[T Float](x, y T) T { return T(math.Pow(float64(x), float64(y))) }

// Inf returns +Inf for sign >= 0 and -Inf otherwise.
func Inf[T Float](sign int) T { return T(math.Inf(sign)) }

// Max returns the larger of x and y, and x when they are equal: the gradient
// convention routes ties to the first argument, and the value must agree.
// A NaN in either argument gives NaN: a bad input must not vanish into a
// plausible loss.
func Max[T Float](x, y T) T {
	if x >= y || x != x {
		return x
	}
	return y
}

// Min returns the smaller of x and y, x when they are equal, and NaN when
// either is NaN.
func Min[T Float](x, y T) T {
	if x <= y || x != x {
		return x
	}
	return y
}

// Relu returns max(x, 0), and NaN for NaN.
func Relu[T Float](x T) T {
	if x <= 0 {
		return 0
	}
	return x
}

// Softplus returns log(1 + e**x), computed as max(x, 0) + log1p(e**-|x|) so
// that it neither overflows for large x nor loses precision for small x.
func Softplus[T Float](x T) T {
	f := float64(x)
	return T(math.Max(f, 0) + math.Log1p(math.Exp(-math.Abs(f))))
}

// Sigmoid returns 1 / (1 + e**-x) without overflow for either sign of x.
func Sigmoid[T Float](x T) T {
	f := float64(x)
	if f >= 0 {
		return T(1 / (1 + math.Exp(-f)))
	}
	e := math.Exp(f)
	return T(e / (1 + e))
}

// Tanh returns the hyperbolic tangent of x. math.Tanh saturates to ±1
// without overflow (it never forms e**2x for large |x|), and a float32
// kernel rounds its float64 result once.
func Tanh[T Float](x T) T { return T(math.Tanh(float64(x))) }

// Clamp returns min(max(x, lo), hi) with Max's and Min's tie and NaN rules:
// x when lo <= x <= hi, lo below, hi above, and hi whenever lo > hi (as
// torch.clamp does). The gradient rules in autodiff route the adjoint the
// same way, so clamp is exactly its spelling with max and min.
func Clamp[T Float](x, lo, hi T) T { return Min(Max(x, lo), hi) }

// Select returns a if cond holds and b otherwise: the spec's where(cond, a, b).
func Select[T Float](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

// Sign returns -1, 0 or 1, and NaN for NaN (a bad input must not turn
// into a plausible 0). It is both the spec's sign(x) and the derivative of
// |x|, with 0 at 0 (abs'(0) = 0, as in PyTorch).
func Sign[T Float](x T) T {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	case x != x:
		return x
	}
	return 0
}

// SqrtAdj propagates adjoint a through y = sqrt(x): a / (2y). At y == 0 the
// derivative is infinite and autograd frameworks produce 0·∞ = NaN; lossgen
// defines it as 0, so coincident points (a zero distance) get a zero gradient.
func SqrtAdj[T Float](a, y T) T {
	if y == 0 {
		return 0
	}
	return a * 0.5 / y
}

// AcosAdj propagates adjoint a through acos(x): -a / sqrt(1 - x²), and 0
// where |x| >= 1, where the true derivative is infinite.
func AcosAdj[T Float](a, x T) T {
	r := 1 - float64(x)*float64(x)
	if r <= 0 {
		return 0
	}
	return T(-float64(a) / math.Sqrt(r))
}
