package autodiff

import (
	"fmt"

	"github.com/lossgen/lossgen/ir"
)

// Differentiate marks the tensors that carry a gradient and fills
// p.Backward with one adjoint Op per forward Op that needs one. It also
// simplifies every forward body, so the program is ready for code generation.
func Differentiate(p *ir.Program) error {
	for _, in := range p.Inputs {
		in.Active = in.Diff && !in.Int
	}
	live := ir.Live(p)
	for _, op := range p.Forward {
		if op.Body == nil || op.Target.Int {
			continue
		}
		// A tensor the result does not depend on (a named definition only
		// Values reads) gets no adjoint: its adjoint would be zero.
		op.Target.Active = live[op.Target] && reads(op.Body.Result, func(t *ir.Tensor) bool { return t.Active })
	}
	p.Backward = nil
	for i := len(p.Forward) - 1; i >= 0; i-- {
		op := p.Forward[i]
		if !op.Target.Active || op.Body == nil {
			continue
		}
		adj, err := adjointOp(op)
		if err != nil {
			return err
		}
		if len(adj.Block.Stmts) > 0 {
			p.Backward = append(p.Backward, adj)
		}
	}
	// Forward bodies are simplified last: derivative rules see the spec's
	// own structure (x^2, not x*x).
	for _, op := range append(append([]*ir.Op{}, p.Forward...), p.Updates...) {
		if op.Body != nil {
			ir.Simplify(op.Body, "t")
		}
	}
	return nil
}

// reads reports whether e loads a tensor satisfying f.
func reads(e ir.Expr, f func(*ir.Tensor) bool) bool {
	found := false
	ir.Walk(e, func(x ir.Expr) {
		if l, ok := x.(*ir.Load); ok && f(l.Tensor) {
			found = true
		}
	})
	return found
}

func vals(vars []*ir.Var) []ir.Expr {
	out := make([]ir.Expr, len(vars))
	for i, v := range vars {
		out[i] = &ir.VarVal{Var: v}
	}
	return out
}

func adjointOp(op *ir.Op) (*ir.AdjointOp, error) {
	idx := vals(op.Index)
	d := &deriv{}
	root := op.Body.Result
	seed := ir.Expr(&ir.AdjLoad{Tensor: op.Target, Index: idx})
	self := root
	switch {
	case op.Kind == ir.Map:
		// The root's value is stored: rules that need it (sqrt, exp,
		// sigmoid) read it instead of recomputing.
		self = &ir.Load{Tensor: op.Target, Index: idx}
	case op.Red == "logsumexp":
		// d lse / d v_j = softmax weight exp(v_j - lse).
		w := call("exp", sub(root, &ir.Load{Tensor: op.Target, Index: idx}))
		seed = mul(seed, w)
	case op.Red == "sum", op.Red == "max", op.Red == "min":
	default:
		return nil, fmt.Errorf("autodiff: no derivative for reduction %q", op.Red)
	}
	d.adjoint(root, seed, self)
	if d.err != nil {
		return nil, d.err
	}
	b := &ir.Block{Stmts: d.out}
	ir.Simplify(b, "g")
	return &ir.AdjointOp{Fwd: op, Block: b}, nil
}

type deriv struct {
	out []ir.Stmt
	err error
}

// active reports whether any gradient can flow through e.
func active(e ir.Expr) bool {
	found := false
	ir.Walk(e, func(x ir.Expr) {
		if l, ok := x.(*ir.Load); ok && l.Tensor.Active {
			found = true
		}
	})
	return found
}

func c(v float64) ir.Expr { return &ir.Const{Value: v} }

func mul(x, y ir.Expr) ir.Expr { return &ir.Binary{Op: "*", X: x, Y: y} }
func div(x, y ir.Expr) ir.Expr { return &ir.Binary{Op: "/", X: x, Y: y} }
func sub(x, y ir.Expr) ir.Expr { return &ir.Binary{Op: "-", X: x, Y: y} }
func add(x, y ir.Expr) ir.Expr { return &ir.Binary{Op: "+", X: x, Y: y} }
func neg(x ir.Expr) ir.Expr    { return &ir.Unary{Op: "-", X: x} }
func call(fn string, args ...ir.Expr) ir.Expr {
	return &ir.Call{Fn: fn, Args: args}
}
func where(cond, x, y ir.Expr) ir.Expr { return call("where", cond, x, y) }
func cmp(op string, x, y ir.Expr) ir.Expr {
	return &ir.Binary{Op: op, X: x, Y: y}
}

// adjoint emits the accumulations that propagate adjoint a of expression e,
// whose value is self (e itself, or a stored copy of it).
func (d *deriv) adjoint(e ir.Expr, a ir.Expr, self ir.Expr) {
	if !active(e) {
		return
	}
	switch e := e.(type) {
	case *ir.Load:
		d.out = append(d.out, &ir.Accum{Tensor: e.Tensor, Index: e.Index, Value: a})
	case *ir.Unary:
		if e.Op == "-" {
			d.adjoint(e.X, neg(a), e.X)
		}
	case *ir.Binary:
		switch e.Op {
		case "+":
			d.adjoint(e.X, a, e.X)
			d.adjoint(e.Y, a, e.Y)
		case "-":
			d.adjoint(e.X, a, e.X)
			d.adjoint(e.Y, neg(a), e.Y)
		case "*":
			d.adjoint(e.X, mul(a, e.Y), e.X)
			d.adjoint(e.Y, mul(a, e.X), e.Y)
		case "/":
			q := div(a, e.Y)
			d.adjoint(e.X, q, e.X)
			d.adjoint(e.Y, neg(mul(q, self)), e.Y)
		}
	case *ir.Call:
		d.call(e, a, self)
	}
}

func (d *deriv) call(e *ir.Call, a ir.Expr, self ir.Expr) {
	x := e.Args[0]
	switch e.Fn {
	case "exp":
		d.adjoint(x, mul(a, self), x)
	case "log":
		d.adjoint(x, div(a, x), x)
	case "log1p":
		d.adjoint(x, div(a, add(c(1), x)), x)
	case "sqrt":
		d.adjoint(x, call("sqrtadj", a, self), x)
	case "abs":
		d.adjoint(x, mul(a, call("sign", x)), x)
	case "relu":
		d.adjoint(x, where(cmp(">", x, c(0)), a, c(0)), x)
	case "softplus":
		d.adjoint(x, mul(a, call("sigmoid", x)), x)
	case "sigmoid":
		d.adjoint(x, mul(a, mul(self, sub(c(1), self))), x)
	case "tanh":
		// 1 - tanh² from the value (the stored one when tanh is a
		// definition's whole body): 0 exactly where tanh has saturated.
		d.adjoint(x, mul(a, sub(c(1), mul(self, self))), x)
	case "cos":
		d.adjoint(x, neg(mul(a, call("sin", x))), x)
	case "sin":
		d.adjoint(x, mul(a, call("cos", x)), x)
	case "acos":
		d.adjoint(x, call("acosadj", a, x), x)
	case "max", "min":
		op := ">="
		if e.Fn == "min" {
			op = "<="
		}
		y := e.Args[1]
		first := cmp(op, x, y)
		d.adjoint(x, where(first, a, c(0)), x)
		d.adjoint(y, where(first, c(0), a), y)
	case "clamp":
		d.clamp(e, a)
	case "where":
		d.adjoint(e.Args[1], where(x, a, c(0)), e.Args[1])
		d.adjoint(e.Args[2], where(x, c(0), a), e.Args[2])
	case "pow":
		p := e.Args[1]
		if k, ok := p.(*ir.Const); ok && k.Value == 2 {
			// (a·2)·x rather than a·(2·x): when a is the same for a whole
			// row, a·2 is computed once before the row's loop.
			d.adjoint(x, mul(mul(a, c(2)), x), x)
		} else {
			d.adjoint(x, mul(a, mul(p, call("pow", x, ir.Fold(sub(p, c(1)))))), x)
		}
	case "stopgrad", "real", "sign":
		// No gradient flows through a detached value, a conversion from
		// an integer, or sign, which is flat on both sides of its jump
		// (sign'(0) = 0 too, as torch.sign's gradient is 0 everywhere).
	default:
		d.err = fmt.Errorf("autodiff: no derivative rule for %s", e.Fn)
	}
}

// clamp routes the adjoint of clamp(x, lo, hi) = min(max(x, lo), hi) to the
// one argument whose value it returns, with max's and min's rule that a tie
// goes to the first argument:
//
//	x   where lo <= x <= hi              (torch.clamp: the same, inclusive)
//	lo  where x < lo and lo <= hi        (torch: x < lo and lo < hi)
//	hi  where x > hi or lo > hi          (torch: the same)
//
// The three conditions partition every point, so the partial derivatives
// sum to 1 as the value's do. The one difference from PyTorch is at
// lo == hi with x below them: torch gives no argument a gradient there;
// lossgen gives it to lo, as min(max(x, lo), hi) spelled out does.
func (d *deriv) clamp(e *ir.Call, a ir.Expr) {
	x, lo, hi := e.Args[0], e.Args[1], e.Args[2]
	and := func(p, q ir.Expr) ir.Expr { return cmp("&&", p, q) }
	or := func(p, q ir.Expr) ir.Expr { return cmp("||", p, q) }
	d.adjoint(x, where(and(cmp(">=", x, lo), cmp("<=", x, hi)), a, c(0)), x)
	d.adjoint(lo, where(and(cmp("<", x, lo), cmp("<=", lo, hi)), a, c(0)), lo)
	d.adjoint(hi, where(or(cmp(">", x, hi), cmp(">", lo, hi)), a, c(0)), hi)
}
