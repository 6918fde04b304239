// Package kernel is a hand-written stand-in for what lossgen compile emits
// for specs/triplet.loss, so that the driver cache can be tested without the
// compiler. It follows the generated packages' dynamic API (Info, Eval64,
// Eval32) and nothing more.
package kernel

import (
	"math"

	lossrt "github.com/lossgen/lossgen/runtime"
)

var Info = lossrt.Info{
	Name:   "triplet",
	Sizes:  []string{"N", "D"},
	Params: []lossrt.ParamInfo{{Name: "margin", Default: 0.3}},
	Inputs: []lossrt.InputInfo{
		{Name: "anchor", Shape: []string{"N", "D"}, Diff: true},
		{Name: "positive", Shape: []string{"N", "D"}, Diff: true},
		{Name: "negative", Shape: []string{"N", "D"}, Diff: true},
	},
}

func Eval64(r lossrt.Request[float64]) (lossrt.Result[float64], error) { return eval(r) }
func Eval32(r lossrt.Request[float32]) (lossrt.Result[float32], error) { return eval(r) }

// eval computes mean_i relu(|a_i - p_i| - |a_i - n_i| + margin) and its
// gradient.
func eval[T lossrt.Float](r lossrt.Request[T]) (lossrt.Result[T], error) {
	n, d := r.Dims["N"], r.Dims["D"]
	margin := 0.3
	if m, ok := r.Params["margin"]; ok {
		margin = m
	}
	a, p, q := r.Reals["anchor"], r.Reals["positive"], r.Reals["negative"]
	for _, name := range []string{"anchor", "positive", "negative"} {
		if len(r.Reals[name]) != n*d {
			return lossrt.Result[T]{}, &lossrt.LengthError{Name: name, Shape: "[N, D]", Want: n * d, Got: len(r.Reals[name])}
		}
	}
	ga, gp, gn := make([]T, n*d), make([]T, n*d), make([]T, n*d)
	var loss T
	for i := range n {
		var sp, sn T
		for k := i * d; k < (i+1)*d; k++ {
			sp += (a[k] - p[k]) * (a[k] - p[k])
			sn += (a[k] - q[k]) * (a[k] - q[k])
		}
		dap, dan := T(math.Sqrt(float64(sp))), T(math.Sqrt(float64(sn)))
		h := dap - dan + T(margin)
		if h <= 0 {
			continue
		}
		loss += h / T(n)
		for k := i * d; k < (i+1)*d; k++ {
			up, un := (a[k]-p[k])/dap/T(n), (a[k]-q[k])/dan/T(n)
			ga[k], gp[k], gn[k] = up-un, (p[k]-a[k])/dap/T(n), un
		}
	}
	return lossrt.Result[T]{Loss: loss, Grads: map[string][]T{"anchor": ga, "positive": gp, "negative": gn}}, nil
}
