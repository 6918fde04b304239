package interp

// This file turns an expression into a tree of Go closures before it is
// evaluated at every point: names (sizes, params, inputs, definitions, index
// variables) are looked up once, not once per point, and operators are
// chosen once. The closures do exactly what a direct walk of the expression
// would, in the same order with the same float64 operations, so results
// are unchanged; evaluation is several times faster, which is what lets
// the generated kernels be checked against the interpreter at ReID-like
// sizes in the test suite.

import (
	"fmt"
	"math"

	"github.com/lossgen/lossgen/dsl"
)

// node computes an expression at the machine's current point. Ints and
// Bools are carried as float64 (exact for the integers involved; Bool as 0
// or 1).
type node func() float64

// compile compiles e, in which the variables of scope are bound at env[0],
// env[1], ... (scope[k] at env[k]).
func (m *machine) compile(e dsl.Expr, scope []*dsl.IndexVar) node {
	switch x := e.(type) {
	case *dsl.Num:
		v := x.Value
		return func() float64 { return v }
	case *dsl.SizeRef:
		v := float64(m.sizes.get(x.Size))
		return func() float64 { return v }
	case *dsl.ParamRef:
		v := m.params[x.Param]
		return func() float64 { return v }
	case *dsl.IndexRef:
		slot := slotOf(scope, x.Var)
		return func() float64 { return float64(m.env[slot]) }
	case *dsl.Access:
		return m.access(x, scope)
	case *dsl.Unary:
		a := m.compile(x.X, scope)
		if x.Op == "!" {
			return func() float64 { return b2f(a() == 0) }
		}
		return func() float64 { return -a() }
	case *dsl.Binary:
		return m.binary(x, scope)
	case *dsl.Call:
		return m.call(x, scope)
	case *dsl.Reduce:
		return m.reduce(x, scope)
	}
	m.fail(fmt.Errorf("interp: unknown expression %T", e))
	return func() float64 { return 0 }
}

// slotOf is where v's value is in env: its position in scope, innermost
// binding first. The checker binds every variable an expression reads.
func slotOf(scope []*dsl.IndexVar, v *dsl.IndexVar) int {
	for k := len(scope) - 1; k >= 0; k-- {
		if scope[k] == v {
			return k
		}
	}
	panic(fmt.Sprintf("interp: index variable %s is not bound", v.Name))
}

// access reads an input or a definition. A subscript that is an index
// variable is read from env directly, without a call; every other is
// checked against its dimension (checkGathers makes a failure unreachable
// for valid programs).
func (m *machine) access(a *dsl.Access, scope []*dsl.IndexVar) node {
	shape := a.Shape()
	subs := make([]node, len(a.Index))
	dims := make([]int, len(a.Index))
	slots := make([]int, len(a.Index))
	direct := true // every subscript a variable over exactly its dimension
	for k, sub := range a.Index {
		dims[k] = m.sizes.get(shape[k])
		slots[k] = -1
		if ref, ok := sub.(*dsl.IndexRef); ok {
			slots[k] = slotOf(scope, ref.Var)
			direct = direct && ref.Var.Range == shape[k]
		} else {
			subs[k] = m.compile(sub, scope)
			direct = false
		}
	}
	var data []float64
	var ints []int
	switch {
	case a.Def != nil:
		data = m.defs.get(a.Def) // computed before anything that reads it
	case a.Input.Int:
		ints = m.ints.get(a.Input)
	default:
		data = m.reals.get(a.Input)
	}
	if direct && ints == nil {
		return m.varAccess(data, slots, dims)
	}
	return func() float64 {
		off := 0
		for k, slot := range slots {
			var i int
			if slot >= 0 {
				i = m.env[slot]
			} else {
				i = int(subs[k]())
			}
			n := dims[k]
			if i < 0 || i >= n {
				m.fail(fmt.Errorf("index %d out of range [0, %d) in %s", i, n, a.Name()))
				return 0
			}
			off = off*n + i
		}
		if ints != nil {
			return float64(ints[off])
		}
		return data[off]
	}
}

func (m *machine) binary(b *dsl.Binary, scope []*dsl.IndexVar) node {
	x, y := m.compile(b.X, scope), m.compile(b.Y, scope)
	switch b.Op {
	case "&&":
		return func() float64 { return b2f(x() != 0 && y() != 0) }
	case "||":
		return func() float64 { return b2f(x() != 0 || y() != 0) }
	case "+":
		return func() float64 { return x() + y() }
	case "-":
		return func() float64 { return x() - y() }
	case "*":
		return func() float64 { return x() * y() }
	case "/":
		return func() float64 { return x() / y() }
	case "^":
		return func() float64 {
			a, p := x(), y()
			if p == 2 {
				return a * a
			}
			return math.Pow(a, p)
		}
	case "==":
		return func() float64 { return b2f(x() == y()) }
	case "!=":
		return func() float64 { return b2f(x() != y()) }
	case "<":
		return func() float64 { return b2f(x() < y()) }
	case "<=":
		return func() float64 { return b2f(x() <= y()) }
	case ">":
		return func() float64 { return b2f(x() > y()) }
	case ">=":
		return func() float64 { return b2f(x() >= y()) }
	}
	m.fail(fmt.Errorf("interp: unknown operator %q", b.Op))
	return func() float64 { return 0 }
}

// unaryFns are the functions of one argument with a math counterpart.
var unaryFns = map[string]func(float64) float64{
	"exp": math.Exp, "log": math.Log, "log1p": math.Log1p, "sqrt": math.Sqrt,
	"abs": math.Abs, "tanh": math.Tanh, "cos": math.Cos, "sin": math.Sin, "acos": math.Acos,
	"relu": func(x float64) float64 {
		if x > 0 {
			return x
		}
		return 0
	},
	"softplus": func(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) },
	"sigmoid":  func(x float64) float64 { return 1 / (1 + math.Exp(-x)) },
	"sign": func(x float64) float64 {
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
	},
	"real": func(x float64) float64 { return x },
}

func (m *machine) call(c *dsl.Call, scope []*dsl.IndexVar) node {
	args := make([]node, len(c.Args))
	for k, a := range c.Args {
		args[k] = m.compile(a, scope)
	}
	if f, ok := unaryFns[c.Fn]; ok {
		a := args[0]
		return func() float64 { return f(a()) }
	}
	switch c.Fn {
	case "where":
		cond, a, b := args[0], args[1], args[2]
		return func() float64 {
			if cond() != 0 {
				return a()
			}
			return b()
		}
	case "clamp":
		a, lo, hi := args[0], args[1], args[2]
		return func() float64 {
			x, l, h := a(), lo(), hi()
			if x < l {
				x = l
			}
			if x > h {
				x = h
			}
			return x
		}
	case "max":
		a, b := args[0], args[1]
		return func() float64 {
			x := a()
			if y := b(); y > x {
				return y
			}
			return x
		}
	case "min":
		a, b := args[0], args[1]
		return func() float64 {
			x := a()
			if y := b(); y < x {
				return y
			}
			return x
		}
	case "stopgrad":
		// x, or its value at a frozen base point (frozen.go), keyed by the
		// values of every variable bound here.
		a, bound := args[0], len(scope)
		return func() float64 { return m.stopgrad(c, a(), bound) }
	}
	m.fail(fmt.Errorf("interp: unknown function %q", c.Fn))
	return func() float64 { return 0 }
}

// reduce computes a reduction at the current point: sums, counts, maxima
// and minima as the terms come, in row-major order of its variables (bound
// after the enclosing scope's); logsumexp from the stored terms, after
// their maximum.
func (m *machine) reduce(r *dsl.Reduce, scope []*dsl.IndexVar) node {
	base := len(scope)
	inner := append(scope[:base:base], r.Vars...)
	var filter, body node
	if r.Filter != nil {
		filter = m.compile(r.Filter, inner)
	}
	if r.Body != nil {
		body = m.compile(r.Body, inner)
	}
	op := r.Op
	// Each kind gets its own visitor, so the loop over the terms makes no
	// decision it could make here.
	var n int
	var s, best float64
	var terms []float64 // logsumexp's; a reduction never runs inside itself
	var visit func()
	switch {
	case body == nil: // count
		visit = func() {
			if filter == nil || filter() != 0 {
				n++
			}
		}
	case op == "sum" || op == "mean":
		visit = func() {
			if filter == nil || filter() != 0 {
				n++
				s += body()
			}
		}
	case op == "min":
		visit = func() {
			if filter == nil || filter() != 0 {
				n++
				if v := body(); n == 1 || v < best {
					best = v
				}
			}
		}
	case op == "max":
		visit = func() {
			if filter == nil || filter() != 0 {
				n++
				if v := body(); n == 1 || v > best {
					best = v
				}
			}
		}
	case op == "logsumexp":
		visit = func() {
			if filter == nil || filter() != 0 {
				n++
				v := body()
				if n == 1 || v > best {
					best = v
				}
				terms = append(terms, v)
			}
		}
	default:
		m.fail(fmt.Errorf("interp: unknown reduction %q", op))
		return func() float64 { return 0 }
	}
	return func() float64 {
		n, s, best, terms = 0, 0, 0, terms[:0]
		m.points(base, r.Vars, visit)
		switch op {
		case "count":
			return float64(n)
		case "sum":
			return s
		case "mean":
			return s / float64(max(n, 1))
		}
		if n == 0 {
			return 0 // max, min, logsumexp of an empty set
		}
		if op != "logsumexp" || math.IsInf(best, 0) {
			return best
		}
		e := 0.0
		for _, v := range terms {
			e += math.Exp(v - best)
		}
		return best + math.Log(e)
	}
}

// varAccess is access for the common case, every subscript an index
// variable ranging over exactly the dimension it indexes: the offset is
// always in range, so it is computed straight from env, without checks,
// with the common ranks unrolled.
func (m *machine) varAccess(data []float64, slots, dims []int) node {
	env := &m.env
	switch len(slots) {
	case 0:
		return func() float64 { return data[0] }
	case 1:
		s0 := slots[0]
		return func() float64 { return data[(*env)[s0]] }
	case 2:
		s0, s1, n1 := slots[0], slots[1], dims[1]
		return func() float64 { e := *env; return data[e[s0]*n1+e[s1]] }
	case 3:
		s0, s1, s2, n1, n2 := slots[0], slots[1], slots[2], dims[1], dims[2]
		return func() float64 { e := *env; return data[(e[s0]*n1+e[s1])*n2+e[s2]] }
	}
	return func() float64 {
		e := *env
		off := 0
		for k, slot := range slots {
			off = off*dims[k] + e[slot]
		}
		return data[off]
	}
}
