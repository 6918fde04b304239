package interp

// This file evaluates a checked program directly from its definition: each
// definition at every point of its shape, reductions by iterating over every
// point of their variables' ranges. Nothing here is clever on purpose
// (compile.go only looks names up ahead of the loops).

import (
	"fmt"

	"github.com/lossgen/lossgen/dsl"
)

// Eval computes the loss. Missing params take their defaults; missing or
// mis-sized inputs, non-positive sizes, labels out of range and unknown names
// are errors.
func Eval(p *dsl.Program, v Values) (float64, error) {
	b, err := bind(p, v)
	if err != nil {
		return 0, err
	}
	return b.run(p)
}

// machine is the evaluation state: bound values, the values of the index
// variables bound at the current point, and the arrays of the definitions
// computed so far.
type machine struct {
	*bound
	defs  assoc[*dsl.Def, []float64]
	sizes assoc[*dsl.Size, int]
	reals assoc[*dsl.Input, []float64]
	ints  assoc[*dsl.Input, []int]
	// env holds the index variables' values at the current point, in
	// binding order: a definition's (or rule's) left-hand variables, then
	// each enclosing reduction's, from the outside in. Where a variable sits
	// is known when its expression is compiled (see compile.go).
	env []int
	err error
}

func (b *bound) run(p *dsl.Program) (float64, error) {
	m, err := b.forward(p)
	if err != nil {
		return 0, err
	}
	return m.defs.get(p.Result)[0], nil
}

// forward evaluates every definition, in order: each body is compiled
// (compile.go) once the definitions it reads exist, then evaluated at every
// point of the definition's shape.
func (b *bound) forward(p *dsl.Program) (*machine, error) {
	if p.Result == nil {
		return nil, fmt.Errorf("program has no result")
	}
	m := &machine{bound: b}
	for s, n := range b.dims {
		m.sizes.set(s, n)
	}
	for in, x := range b.reals {
		m.reals.set(in, x)
	}
	for in, x := range b.ints {
		m.ints.set(in, x)
	}
	for _, d := range p.Defs {
		m.defs.set(d, m.tabulate(d.Shape, d.Index, d.Body))
		if m.err != nil {
			return nil, m.err
		}
	}
	return m, nil
}

// tabulate evaluates body at every point of vars (the left-hand variables
// of a definition or rule, vars[k] ranging over shape[k]) into a flat
// row-major array.
func (m *machine) tabulate(shape []*dsl.Size, vars []*dsl.IndexVar, body dsl.Expr) []float64 {
	f := m.compile(body, vars)
	out := make([]float64, m.count(shape))
	m.points(0, vars, func() {
		out[m.flat(shape, len(vars))] = f()
	})
	return out
}

// Update evaluates the program's update rules and returns the new value of
// every updated input, by name, flat and row-major. Every rule reads the
// values in v (old values: the rules are a simultaneous assignment), and
// definitions are computed from them; v is not modified. A program without
// rules gives an empty map. Validation is as for Eval.
func Update(p *dsl.Program, v Values) (map[string][]float64, error) {
	b, err := bind(p, v)
	if err != nil {
		return nil, err
	}
	m, err := b.forward(p)
	if err != nil {
		return nil, err
	}
	out := map[string][]float64{}
	for _, u := range p.Updates {
		next := m.tabulate(u.Target.Shape, u.Index, u.Body)
		if m.err != nil {
			return nil, m.err
		}
		out[u.Target.Name] = next
	}
	return out, nil
}

// count is the number of elements of a shape.
func (m *machine) count(shape []*dsl.Size) int {
	n := 1
	for _, sz := range shape {
		n *= m.sizes.get(sz)
	}
	return n
}

// points calls f at every point of vars' ranges, in row-major order (the
// first variable outermost), with vars bound at env[base:].
func (m *machine) points(base int, vars []*dsl.IndexVar, f func()) {
	for len(m.env) < base+len(vars) {
		m.env = append(m.env, 0)
	}
	if len(vars) == 1 { // the common case, without the recursion
		n := m.sizes.get(vars[0].Range)
		for i := 0; i < n; i++ {
			m.env[base] = i
			f()
		}
		return
	}
	var rec func(k int)
	rec = func(k int) {
		if k == len(vars) {
			f()
			return
		}
		n := m.sizes.get(vars[k].Range)
		for i := 0; i < n; i++ {
			m.env[base+k] = i
			rec(k + 1)
		}
	}
	rec(0)
}

// flat is the row-major offset in shape of the point env[:n].
func (m *machine) flat(shape []*dsl.Size, n int) int {
	off := 0
	for k := 0; k < n; k++ {
		off = off*m.sizes.get(shape[k]) + m.env[k]
	}
	return off
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (m *machine) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}
