package interp

// This file computes gradients by central finite differences, independent
// of any differentiation rule the compiler implements.

import (
	"github.com/lossgen/lossgen/dsl"
)

// NumGrad returns, for every differentiable input, the central difference
// (f(x+h) - f(x-h)) / 2h of the loss with respect to each element. The
// caller's slices are not modified. Every stopgrad subexpression is held at
// its value at v (see frozen.go), so this is the gradient lossgen computes.
func NumGrad(p *dsl.Program, v Values, h float64) (map[string][]float64, error) {
	f, _, err := Freeze(p, v)
	if err != nil {
		return nil, err
	}
	b, err := bind(p, v)
	if err != nil {
		return nil, err
	}
	b.frozen = f.st
	grads := map[string][]float64{}
	for _, in := range p.Inputs {
		if !in.Diff {
			continue
		}
		orig := b.reals[in]
		x := append([]float64(nil), orig...)
		b.reals[in] = x
		g := make([]float64, len(x))
		for k := range x {
			x0 := x[k]
			x[k] = x0 + h
			fp, err := b.run(p)
			if err != nil {
				return nil, err
			}
			x[k] = x0 - h
			fm, err := b.run(p)
			if err != nil {
				return nil, err
			}
			x[k] = x0
			g[k] = (fp - fm) / (2 * h)
		}
		b.reals[in] = orig
		grads[in.Name] = g
	}
	return grads, nil
}
