package interp

// This file evaluates a checked program directly from its definition: each
// definition at every point of its shape, reductions by iterating over every
// point of their variables' ranges. Nothing here is clever on purpose.

import (
	"fmt"
	"math"

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

// machine is the evaluation state: bound values, the current index point,
// and the arrays of the definitions computed so far.
type machine struct {
	*bound
	env     assoc[*dsl.IndexVar, int] // bound in binding order
	defs    assoc[*dsl.Def, []float64]
	sizes   assoc[*dsl.Size, int]
	reals   assoc[*dsl.Input, []float64]
	ints    assoc[*dsl.Input, []int]
	scratch [][]float64 // logsumexp's terms, one buffer per nesting depth
	depth   int
	err     error
}

func (b *bound) run(p *dsl.Program) (float64, error) {
	m, err := b.forward(p)
	if err != nil {
		return 0, err
	}
	return m.defs.get(p.Result)[0], nil
}

// forward evaluates every definition.
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
		n := m.count(d.Shape)
		out := make([]float64, n)
		m.points(d.Index, func() {
			out[m.flat(d.Shape, d.Index)] = m.eval(d.Body)
		})
		m.defs.set(d, out)
		if m.err != nil {
			return nil, m.err
		}
	}
	return m, nil
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
		shape := u.Target.Shape
		next := make([]float64, m.count(shape))
		m.points(u.Index, func() {
			next[m.flat(shape, u.Index)] = m.eval(u.Body)
		})
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
	for _, s := range shape {
		n *= m.sizes.get(s)
	}
	return n
}

// points calls f at every point of the variables' ranges, in row-major
// order (the first variable outermost), binding them in env.
func (m *machine) points(vars []*dsl.IndexVar, f func()) {
	base := len(m.env.keys)
	for _, v := range vars {
		m.env.push(v)
	}
	var rec func(k int)
	rec = func(k int) {
		if k == len(vars) {
			f()
			return
		}
		slot := base + k
		for i := 0; i < m.sizes.get(vars[k].Range); i++ {
			m.env.vals[slot] = i
			rec(k + 1)
		}
	}
	rec(0)
	m.env.pop(len(vars))
}

// flat is the row-major offset of the current point of vars in shape.
func (m *machine) flat(shape []*dsl.Size, vars []*dsl.IndexVar) int {
	off := 0
	for k, v := range vars {
		off = off*m.sizes.get(shape[k]) + m.env.get(v)
	}
	return off
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// eval computes e at the current point. Ints and Bools are carried as
// float64 (exact for the integers involved; Bool as 0 or 1).
func (m *machine) eval(e dsl.Expr) float64 {
	switch x := e.(type) {
	case *dsl.Num:
		return x.Value
	case *dsl.SizeRef:
		return float64(m.sizes.get(x.Size))
	case *dsl.ParamRef:
		return m.params[x.Param]
	case *dsl.IndexRef:
		return float64(m.env.get(x.Var))
	case *dsl.Access:
		return m.access(x)
	case *dsl.Unary:
		if x.Op == "!" {
			return b2f(m.eval(x.X) == 0)
		}
		return -m.eval(x.X)
	case *dsl.Binary:
		return m.binary(x)
	case *dsl.Call:
		return m.call(x)
	case *dsl.Reduce:
		return m.reduce(x)
	}
	m.fail(fmt.Errorf("interp: unknown expression %T", e))
	return 0
}

func (m *machine) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

func (m *machine) access(a *dsl.Access) float64 {
	shape := a.Shape()
	off := 0
	for k, sub := range a.Index {
		i := int(m.eval(sub))
		n := m.sizes.get(shape[k])
		if i < 0 || i >= n {
			// checkGathers makes this unreachable for valid programs.
			m.fail(fmt.Errorf("index %d out of range [0, %d) in %s", i, n, a.Name()))
			return 0
		}
		off = off*n + i
	}
	switch {
	case a.Def != nil:
		return m.defs.get(a.Def)[off]
	case a.Input.Int:
		return float64(m.ints.get(a.Input)[off])
	}
	return m.reals.get(a.Input)[off]
}

func (m *machine) binary(b *dsl.Binary) float64 {
	switch b.Op {
	case "&&":
		return b2f(m.eval(b.X) != 0 && m.eval(b.Y) != 0)
	case "||":
		return b2f(m.eval(b.X) != 0 || m.eval(b.Y) != 0)
	}
	x, y := m.eval(b.X), m.eval(b.Y)
	switch b.Op {
	case "+":
		return x + y
	case "-":
		return x - y
	case "*":
		return x * y
	case "/":
		return x / y
	case "^":
		if y == 2 {
			return x * x
		}
		return math.Pow(x, y)
	case "==":
		return b2f(x == y)
	case "!=":
		return b2f(x != y)
	case "<":
		return b2f(x < y)
	case "<=":
		return b2f(x <= y)
	case ">":
		return b2f(x > y)
	case ">=":
		return b2f(x >= y)
	}
	m.fail(fmt.Errorf("interp: unknown operator %q", b.Op))
	return 0
}

func (m *machine) call(c *dsl.Call) float64 {
	if c.Fn == "where" {
		if m.eval(c.Args[0]) != 0 {
			return m.eval(c.Args[1])
		}
		return m.eval(c.Args[2])
	}
	x := m.eval(c.Args[0])
	switch c.Fn {
	case "exp":
		return math.Exp(x)
	case "log":
		return math.Log(x)
	case "log1p":
		return math.Log1p(x)
	case "sqrt":
		return math.Sqrt(x)
	case "abs":
		return math.Abs(x)
	case "relu":
		if x > 0 {
			return x
		}
		return 0
	case "softplus":
		return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
	case "sigmoid":
		return 1 / (1 + math.Exp(-x))
	case "tanh":
		return math.Tanh(x)
	case "sign":
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		if x != x {
			return x // NaN stays NaN, as in the kernels
		}
		return 0
	case "clamp":
		lo, hi := m.eval(c.Args[1]), m.eval(c.Args[2])
		if x < lo {
			x = lo
		}
		if x > hi {
			x = hi
		}
		return x
	case "cos":
		return math.Cos(x)
	case "sin":
		return math.Sin(x)
	case "acos":
		return math.Acos(x)
	case "stopgrad":
		return m.stopgrad(c, x) // x, or its value at a frozen base point (frozen.go)
	case "real":
		return x
	case "max":
		if y := m.eval(c.Args[1]); y > x {
			return y
		}
		return x
	case "min":
		if y := m.eval(c.Args[1]); y < x {
			return y
		}
		return x
	}
	m.fail(fmt.Errorf("interp: unknown function %q", c.Fn))
	return 0
}

// reduce computes a reduction at the current point: sums, counts, maxima
// and minima as the terms come, in row-major order of the variables;
// logsumexp from the stored terms, after their maximum.
func (m *machine) reduce(r *dsl.Reduce) float64 {
	if m.depth == len(m.scratch) {
		m.scratch = append(m.scratch, nil)
	}
	vals := m.scratch[m.depth][:0]
	m.depth++
	n := 0
	s, best := 0.0, 0.0
	m.points(r.Vars, func() {
		if r.Filter != nil && m.eval(r.Filter) == 0 {
			return
		}
		n++
		if r.Body == nil {
			return
		}
		v := m.eval(r.Body)
		switch {
		case r.Op == "sum" || r.Op == "mean":
			s += v
		case n == 1 || (r.Op == "min" && v < best) || (r.Op != "min" && v > best):
			best = v
		}
		if r.Op == "logsumexp" {
			vals = append(vals, v)
		}
	})
	m.depth--
	m.scratch[m.depth] = vals
	switch r.Op {
	case "count":
		return float64(n)
	case "sum", "mean":
		if r.Op == "mean" {
			s /= float64(max(n, 1))
		}
		return s
	}
	if n == 0 {
		return 0 // max, min, logsumexp of an empty set
	}
	switch r.Op {
	case "max", "min":
		return best
	case "logsumexp":
		if math.IsInf(best, 0) {
			return best
		}
		s := 0.0
		for _, v := range vals {
			s += math.Exp(v - best)
		}
		return best + math.Log(s)
	}
	m.fail(fmt.Errorf("interp: unknown reduction %q", r.Op))
	return 0
}
