package compiler

import (
	"fmt"

	"github.com/lossgen/lossgen/ir"
)

// FlopCount is the floating-point operation count of one call of a kernel,
// split into the forward pass (Loss) and the backward pass (what Grad adds
// to it). Grad costs Forward + Backward.
type FlopCount struct {
	Forward, Backward float64
}

// Total is the cost of one Grad call: forward and backward.
func (c FlopCount) Total() float64 { return c.Forward + c.Backward }

// Flops counts the floating-point operations of p (a differentiated
// program, as Build returns it) for the sizes dims, which must bind every
// size of p. The count is read off the IR, before code generation, with
// this convention:
//
//   - a real +, -, * or / is 1; negation, integer arithmetic, comparisons
//     and logical operators are 0;
//   - every function call (exp, log, sqrt, relu, where, max, the adjoint
//     helpers sqrtadj, step, ...) is 1, except stopgrad and real, which are
//     0;
//   - a reduction adds, per iteration of its reduction loops, 1 for sum, max
//     and min (the accumulate or the compare), 0 for count, and 4 for
//     logsumexp (compare, subtract, exp, add), plus 2 per result element for
//     logsumexp (log, add);
//   - an adjoint accumulation (adj(x) += v) adds 1;
//   - an Op's count per iteration is multiplied by the trip count of its
//     loop nest: the product of the sizes of its target's indices and, for
//     a reduction, of its reduction variables. A filter's own arithmetic is
//     counted on every iteration and the body as if the filter always held,
//     so filtered reductions count an upper bound. The adjoint of a max or
//     min reduction runs once per target element, as the kernel does.
//
// Update rules are not counted (Grad does not run them). The code generator
// hoists loop-invariant subexpressions out of inner loops, so the kernel may
// execute fewer operations than counted: the count measures the work of a
// straightforward evaluation of the spec and its derivative, which makes
// GFLOP/s comparable across kernels of the same spec.
func Flops(p *ir.Program, dims map[string]int) (FlopCount, error) {
	for _, s := range p.Sizes {
		if dims[s.Name] <= 0 {
			return FlopCount{}, fmt.Errorf("flops: size %s of %s is not bound to a positive value", s.Name, p.Name)
		}
	}
	trip := func(vars []*ir.Var) (float64, error) {
		n := 1.0
		for _, v := range vars {
			if v.Range == nil {
				return 0, fmt.Errorf("flops: loop variable %s has no size", v.Name)
			}
			d, ok := dims[v.Range.Name]
			if !ok || d <= 0 {
				return 0, fmt.Errorf("flops: size %s of %s is not bound to a positive value", v.Range.Name, p.Name)
			}
			n *= float64(d)
		}
		return n, nil
	}

	var c FlopCount
	for _, op := range p.Forward {
		outer, err := trip(op.Index)
		if err != nil {
			return FlopCount{}, err
		}
		inner, err := trip(op.RVars)
		if err != nil {
			return FlopCount{}, err
		}
		if op.Kind == ir.Map {
			c.Forward += outer * blockFlops(op.Body)
			continue
		}
		per := exprFlops(op.Filter)
		if op.Red != "count" {
			per += blockFlops(op.Body)
		}
		switch op.Red {
		case "sum", "max", "min":
			per++
		case "logsumexp":
			per += 4
			c.Forward += outer * 2
		}
		c.Forward += outer * inner * per
	}
	for _, adj := range p.Backward {
		op := adj.Fwd
		n, err := trip(op.Index)
		if err != nil {
			return FlopCount{}, err
		}
		per := blockFlops(adj.Block)
		if op.Kind == ir.Reduce && op.Red != "max" && op.Red != "min" {
			inner, err := trip(op.RVars)
			if err != nil {
				return FlopCount{}, err
			}
			n *= inner
			per += exprFlops(op.Filter)
		}
		c.Backward += n * per
	}
	return c, nil
}

// blockFlops counts one evaluation of a Block: its statements and result.
func blockFlops(b *ir.Block) float64 {
	if b == nil {
		return 0
	}
	n := exprFlops(b.Result)
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *ir.Assign:
			n += exprFlops(s.Value)
		case *ir.Accum:
			n += exprFlops(s.Value) + 1
			for _, i := range s.Index {
				n += exprFlops(i)
			}
		}
	}
	return n
}

// exprFlops counts the real arithmetic and function calls of e.
func exprFlops(e ir.Expr) float64 {
	switch e := e.(type) {
	case nil:
		return 0
	case *ir.Binary:
		n := exprFlops(e.X) + exprFlops(e.Y)
		if !e.Int {
			switch e.Op {
			case "+", "-", "*", "/":
				n++
			}
		}
		return n
	case *ir.Unary:
		return exprFlops(e.X)
	case *ir.Call:
		var n float64
		for _, a := range e.Args {
			n += exprFlops(a)
		}
		if e.Fn != "stopgrad" && e.Fn != "real" {
			n++
		}
		return n
	case *ir.Load:
		var n float64
		for _, i := range e.Index {
			n += exprFlops(i)
		}
		return n
	case *ir.AdjLoad:
		var n float64
		for _, i := range e.Index {
			n += exprFlops(i)
		}
		return n
	}
	// Const, SizeVal, ParamVal, VarVal, LocalVal: no arithmetic.
	return 0
}
