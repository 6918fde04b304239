package lossrt

import (
	"math"
	"testing"
)

// tanh must saturate to exactly ±1, never overflow to NaN, in both types,
// and keep its small-argument accuracy (tanh x ≈ x).
func TestTanh(t *testing.T) {
	for _, x := range []float64{20, 44, 400, 1e300, math.Inf(1)} {
		if got := Tanh(x); got != 1 {
			t.Errorf("Tanh(%g) = %g, want 1", x, got)
		}
		if got := Tanh(-x); got != -1 {
			t.Errorf("Tanh(%g) = %g, want -1", -x, got)
		}
		if x < math.MaxFloat32 {
			if got := Tanh(float32(x)); got != 1 {
				t.Errorf("Tanh(float32(%g)) = %g, want 1", x, got)
			}
		}
	}
	if got := Tanh(float32(math.Inf(-1))); got != -1 {
		t.Errorf("Tanh(float32(-Inf)) = %g, want -1", got)
	}
	if got := Tanh(1e-10); got != 1e-10 {
		t.Errorf("Tanh(1e-10) = %g, want 1e-10", got)
	}
	if got := Tanh(float32(0.5)); got != float32(math.Tanh(0.5)) {
		t.Errorf("Tanh(float32(0.5)) = %g, want the rounded float64 value %g", got, float32(math.Tanh(0.5)))
	}
	if got := Tanh(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Tanh(NaN) = %g, want NaN", got)
	}
}

// Clamp is Min(Max(x, lo), hi): inclusive bounds, hi when they cross, NaN
// from any argument.
func TestClamp(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct{ x, lo, hi, want float64 }{
		{0.5, 0, 1, 0.5},
		{-2, 0, 1, 0},
		{3, 0, 1, 1},
		{0, 0, 1, 0},
		{1, 0, 1, 1},
		{0.5, 2, 1, 1}, // lo > hi: hi, as torch.clamp
		{-5, 2, 1, 1},  // below both
		{0.5, 1, 1, 1}, // lo == hi
	} {
		if got := Clamp(c.x, c.lo, c.hi); got != c.want {
			t.Errorf("Clamp(%g, %g, %g) = %g, want %g", c.x, c.lo, c.hi, got, c.want)
		}
		if got := Clamp(float32(c.x), float32(c.lo), float32(c.hi)); got != float32(c.want) {
			t.Errorf("Clamp[float32](%g, %g, %g) = %g, want %g", c.x, c.lo, c.hi, got, c.want)
		}
	}
	for _, args := range [][3]float64{{nan, 0, 1}, {0.5, nan, 1}, {0.5, 0, nan}} {
		if got := Clamp(args[0], args[1], args[2]); !math.IsNaN(got) {
			t.Errorf("Clamp(%v) = %g, want NaN", args, got)
		}
	}
}

// Sign is -1, 0 or 1 (0 at both zeros), and NaN for NaN.
func TestSign(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{3, 1}, {-1e-300, -1}, {0, 0}, {math.Copysign(0, -1), 0}, {math.Inf(-1), -1},
	} {
		if got := Sign(c.x); got != c.want || (c.want == 0 && math.Signbit(got)) {
			t.Errorf("Sign(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := Sign(float32(math.NaN())); got == got {
		t.Errorf("Sign(NaN) = %g, want NaN", got)
	}
}
