package compiler_test

// irexec evaluates a lowered program's forward Ops, and its adjoint Ops,
// in float64 with plain loops: the loss and gradients the IR computes.
// FuzzCompile compares the loss of the program after the middle end
// (compiler.Build: merge-duplicates, canonicalisation, splitting,
// differentiation) with the reference interpreter's on the spec as written,
// and its gradients with those of the program lowered and differentiated
// without the rewrites. It is a test of the rewrites, not of code
// generation (the generated kernels are compared with the interpreter in
// generated/ and by lossgen check), and it is deliberately as naive as the
// interpreter: every Op at every point of its loops.

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/dsl/interp"
	"github.com/lossgen/lossgen/ir"
)

type irMachine struct {
	dims    map[*dsl.Size]int
	params  map[*dsl.Param]float64
	tensors map[*ir.Tensor][]float64
	vars    map[*ir.Var]int
	locals  map[*ir.Local]float64
	// args holds, for a max or min Op, the winning point of its reduction
	// variables at each target element (nil: the filtered set was empty),
	// for its adjoint; adj the adjoints.
	args map[*ir.Op][][]int
	adj  map[*ir.Tensor][]float64
}

// irLoss runs p's forward Ops on v and returns the result's value.
func irLoss(p *ir.Program, v interp.Values) (loss float64, err error) {
	loss, _, err = irGrad(p, v, false)
	return loss, err
}

// irGrad runs p's forward Ops on v and, with backward, its adjoint Ops:
// the loss and the gradient of every differentiable input, by name.
func irGrad(p *ir.Program, v interp.Values, backward bool) (loss float64, grads map[string][]float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("irexec: %v", r)
		}
	}()
	m := &irMachine{dims: map[*dsl.Size]int{}, params: map[*dsl.Param]float64{},
		tensors: map[*ir.Tensor][]float64{}, vars: map[*ir.Var]int{}, locals: map[*ir.Local]float64{},
		args: map[*ir.Op][][]int{}, adj: map[*ir.Tensor][]float64{}}
	for _, s := range p.Sizes {
		m.dims[s] = v.Dims[s.Name]
	}
	for _, prm := range p.Params {
		m.params[prm] = prm.Default
		if x, ok := v.Params[prm.Name]; ok {
			m.params[prm] = x
		}
	}
	for _, in := range p.Inputs {
		if in.Int {
			xs := make([]float64, len(v.Ints[in.Name]))
			for i, n := range v.Ints[in.Name] {
				xs[i] = float64(n)
			}
			m.tensors[in] = xs
		} else {
			m.tensors[in] = v.Reals[in.Name]
		}
	}
	for _, op := range p.Forward {
		m.run(op)
	}
	if !backward {
		return m.tensors[p.Result][0], nil, nil
	}
	m.adjOf(p.Result)[0] = 1
	for _, a := range p.Backward {
		m.runAdjoint(a)
	}
	grads = map[string][]float64{}
	for _, in := range p.Inputs {
		if in.Diff && !in.Int {
			grads[in.Name] = m.adjOf(in)
		}
	}
	return m.tensors[p.Result][0], grads, nil
}

// adjOf returns t's adjoint, zero until something accumulates into it.
func (m *irMachine) adjOf(t *ir.Tensor) []float64 {
	a, ok := m.adj[t]
	if !ok {
		a = make([]float64, m.size(t))
		m.adj[t] = a
	}
	return a
}

// runAdjoint runs an adjoint Op over its forward Op's loops: for a max or
// min once per target element at the recorded winner (none where the set
// was empty), otherwise at every point that passes the filter.
func (m *irMachine) runAdjoint(a *ir.AdjointOp) {
	op := a.Fwd
	idx := make([]ir.Expr, len(op.Index))
	for k, v := range op.Index {
		idx[k] = &ir.VarVal{Var: v}
	}
	m.loops(op.Index, func() {
		switch {
		case op.Kind == ir.Map:
			m.adjBlock(a.Block)
		case op.Red == "max" || op.Red == "min":
			win := m.args[op][m.offset(op.Target, idx)]
			if win == nil {
				return
			}
			for k, v := range op.RVars {
				m.vars[v] = win[k]
			}
			m.adjBlock(a.Block)
		default:
			m.loops(op.RVars, func() {
				if op.Filter == nil || m.eval(op.Filter) != 0 {
					m.adjBlock(a.Block)
				}
			})
		}
	})
}

func (m *irMachine) adjBlock(b *ir.Block) {
	for _, st := range b.Stmts {
		switch st := st.(type) {
		case *ir.Assign:
			m.locals[st.Local] = m.eval(st.Value)
		case *ir.Accum:
			m.adjOf(st.Tensor)[m.offset(st.Tensor, st.Index)] += m.eval(st.Value)
		}
	}
}

func (m *irMachine) size(t *ir.Tensor) int {
	n := 1
	for _, s := range t.Shape {
		n *= m.dims[s]
	}
	return n
}

// loops calls f at every point of vars, the first outermost.
func (m *irMachine) loops(vars []*ir.Var, f func()) {
	if len(vars) == 0 {
		f()
		return
	}
	for i := 0; i < m.dims[vars[0].Range]; i++ {
		m.vars[vars[0]] = i
		m.loops(vars[1:], f)
	}
}

func (m *irMachine) offset(t *ir.Tensor, idx []ir.Expr) int {
	off := 0
	for k, x := range idx {
		i, n := int(m.eval(x)), m.dims[t.Shape[k]]
		if i < 0 || i >= n {
			panic(fmt.Sprintf("%s: subscript %d out of [0, %d)", t.Name, i, n))
		}
		off = off*n + i
	}
	return off
}

func (m *irMachine) run(op *ir.Op) {
	out := make([]float64, m.size(op.Target))
	idx := make([]ir.Expr, len(op.Index))
	for k, v := range op.Index {
		idx[k] = &ir.VarVal{Var: v}
	}
	m.loops(op.Index, func() {
		at := m.offset(op.Target, idx)
		if op.Kind == ir.Map {
			out[at] = m.block(op.Body)
			return
		}
		var terms []float64
		var points [][]int
		n := 0
		m.loops(op.RVars, func() {
			if op.Filter != nil && m.eval(op.Filter) == 0 {
				return
			}
			n++
			if op.Body != nil {
				terms = append(terms, m.block(op.Body))
				point := make([]int, len(op.RVars))
				for k, v := range op.RVars {
					point[k] = m.vars[v]
				}
				points = append(points, point)
			}
		})
		out[at] = reduceTerms(op.Red, terms, n)
		if op.Red == "max" || op.Red == "min" {
			if m.args[op] == nil {
				m.args[op] = make([][]int, len(out))
			}
			if w := winner(op.Red, terms); w >= 0 {
				m.args[op][at] = points[w]
			}
		}
	})
	m.tensors[op.Target] = out
}

// winner is the index of the first maximum (or minimum) of terms, -1 for
// none: the element a max or min's gradient goes to.
func winner(red string, terms []float64) int {
	if len(terms) == 0 {
		return -1
	}
	w := 0
	for k, x := range terms[1:] {
		if (red == "min" && x < terms[w]) || (red != "min" && x > terms[w]) {
			w = k + 1
		}
	}
	return w
}

// reduceTerms follows the interpreter's semantics: sums in order, max,
// min and logsumexp of an empty set 0, logsumexp after its maximum.
func reduceTerms(red string, terms []float64, n int) float64 {
	switch red {
	case "count":
		return float64(n)
	case "sum":
		s := 0.0
		for _, x := range terms {
			s += x
		}
		return s
	}
	if len(terms) == 0 {
		return 0
	}
	best := terms[0]
	for _, x := range terms[1:] {
		if (red == "min" && x < best) || (red != "min" && x > best) {
			best = x
		}
	}
	if red != "logsumexp" || math.IsInf(best, 0) {
		return best
	}
	s := 0.0
	for _, x := range terms {
		s += math.Exp(x - best)
	}
	return best + math.Log(s)
}

func (m *irMachine) block(b *ir.Block) float64 {
	for _, s := range b.Stmts {
		if a, ok := s.(*ir.Assign); ok {
			m.locals[a.Local] = m.eval(a.Value)
		}
	}
	return m.eval(b.Result)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (m *irMachine) eval(e ir.Expr) float64 {
	switch e := e.(type) {
	case *ir.Const:
		return e.Value
	case *ir.SizeVal:
		return float64(m.dims[e.Size])
	case *ir.ParamVal:
		return m.params[e.Param]
	case *ir.VarVal:
		return float64(m.vars[e.Var])
	case *ir.LocalVal:
		return m.locals[e.Local]
	case *ir.Load:
		return m.tensors[e.Tensor][m.offset(e.Tensor, e.Index)]
	case *ir.AdjLoad:
		return m.adjOf(e.Tensor)[m.offset(e.Tensor, e.Index)]
	case *ir.Unary:
		if e.Op == "!" {
			return b2f(m.eval(e.X) == 0)
		}
		return -m.eval(e.X)
	case *ir.Binary:
		switch e.Op {
		case "&&":
			return b2f(m.eval(e.X) != 0 && m.eval(e.Y) != 0)
		case "||":
			return b2f(m.eval(e.X) != 0 || m.eval(e.Y) != 0)
		}
		x, y := m.eval(e.X), m.eval(e.Y)
		switch e.Op {
		case "+":
			return x + y
		case "-":
			return x - y
		case "*":
			return x * y
		case "/":
			if e.Int {
				return float64(int(x) / int(y))
			}
			return x / y
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
	case *ir.Call:
		return m.call(e)
	}
	panic(fmt.Sprintf("unexpected expression %s", ir.Format(e)))
}

func (m *irMachine) call(c *ir.Call) float64 {
	if c.Fn == "where" {
		if m.eval(c.Args[0]) != 0 {
			return m.eval(c.Args[1])
		}
		return m.eval(c.Args[2])
	}
	args := make([]float64, len(c.Args))
	for k, a := range c.Args {
		args[k] = m.eval(a)
	}
	x := args[0]
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
	case "cos":
		return math.Cos(x)
	case "sin":
		return math.Sin(x)
	case "acos":
		return math.Acos(x)
	case "tanh":
		return math.Tanh(x)
	case "pow":
		if args[1] == 2 {
			return x * x
		}
		return math.Pow(x, args[1])
	case "relu":
		if x > 0 {
			return x
		}
		return 0
	case "softplus":
		return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
	case "sigmoid":
		return 1 / (1 + math.Exp(-x))
	case "sign":
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return x // 0, or NaN
	case "max":
		if args[1] > x {
			return args[1]
		}
		return x
	case "min":
		if args[1] < x {
			return args[1]
		}
		return x
	case "clamp":
		return math.Min(math.Max(x, args[1]), args[2])
	case "stopgrad", "real":
		return x
	case "step":
		return b2f(x > 0)
	case "sqrtadj": // a / (2y), 0 where y == 0
		if args[1] == 0 {
			return 0
		}
		return x / (2 * args[1])
	case "acosadj": // -a / sqrt(1 - x²), 0 where |x| >= 1
		if math.Abs(args[1]) >= 1 {
			return 0
		}
		return -x / math.Sqrt(1-args[1]*args[1])
	}
	panic("unknown function " + c.Fn)
}

// smallValues draws inputs for prog at dims: reals uniform in [-1, 1),
// integer inputs used as subscripts within the smallest size they index,
// other integers (labels only compared) in [0, 3).
func smallValues(prog *dsl.Program, p *ir.Program, dims map[string]int, seed uint64) interp.Values {
	r := rand.New(rand.NewPCG(seed, 7))
	limit := map[string]int{}
	for _, g := range p.Gathers {
		n := dims[g.Range.Name]
		if l, ok := limit[g.Index.Name]; !ok || n < l {
			limit[g.Index.Name] = n
		}
	}
	v := interp.Values{Dims: dims, Reals: map[string][]float64{}, Ints: map[string][]int{}}
	for _, in := range prog.Inputs {
		n := 1
		for _, s := range in.Shape {
			n *= dims[s.Name]
		}
		if in.Int {
			l, ok := limit[in.Name]
			if !ok {
				l = 3
			}
			xs := make([]int, n)
			for i := range xs {
				xs[i] = r.IntN(l)
			}
			v.Ints[in.Name] = xs
			continue
		}
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = 2*r.Float64() - 1
		}
		v.Reals[in.Name] = xs
	}
	return v
}
