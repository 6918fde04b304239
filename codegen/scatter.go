package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Scatter form. A sum or count whose filter selects the reduction elements
// by label, sum(i | labels[i] == c: ...) computed for every c, costs one
// pass over i per c when emitted as written. Visiting each i once and
// adding into element labels[i] gives the same sums, with the terms of each
// element added in the same (increasing i) order, so results are
// bit-identical: centre statistics drop from C·N·D steps to N·D.

// scatter describes a reduction with a filter of the form L[r] == v.
type scatter struct {
	v     *ir.Var    // the index of the target selected by the label
	r     *ir.Var    // the reduction variable the label is read at
	label *ir.Tensor // the integer tensor, indexed by r alone
}

// scatterOf recognises the scatter form.
func scatterOf(op *ir.Op) (scatter, bool) {
	if op.Kind != ir.Reduce || (op.Red != "sum" && op.Red != "count") || op.Filter == nil {
		return scatter{}, false
	}
	b, ok := op.Filter.(*ir.Binary)
	if !ok || b.Op != "==" {
		return scatter{}, false
	}
	try := func(l, v ir.Expr) (scatter, bool) {
		ld, ok1 := l.(*ir.Load)
		vv, ok2 := v.(*ir.VarVal)
		if !ok1 || !ok2 || !ld.Tensor.Int || len(ld.Index) != 1 {
			return scatter{}, false
		}
		rv, ok := ld.Index[0].(*ir.VarVal)
		if !ok || !contains(op.RVars, rv.Var) || !contains(op.Index, vv.Var) {
			return scatter{}, false
		}
		return scatter{v: vv.Var, r: rv.Var, label: ld.Tensor}, true
	}
	if s, ok := try(b.X, b.Y); ok {
		return s, true
	}
	return try(b.Y, b.X)
}

func contains(vars []*ir.Var, v *ir.Var) bool {
	for _, w := range vars {
		if w == v {
			return true
		}
	}
	return false
}

func isScatter(u unit) bool {
	_, ok := scatterOf(u.op())
	return ok
}

// scatterLoops emits: for each reduction element, read the label, and if
// it is a valid index, run inner over the target's other indices.
func (f *fn) scatterLoops(op *ir.Op, s scatter, inner func() []jen.Code) []jen.Code {
	f.bindVars(op.RVars)
	defer f.release(op.RVars)
	var others []*ir.Var
	for _, v := range op.Index {
		if v != s.v {
			others = append(others, v)
		}
	}
	v := f.bindVar(s.v)
	f.bindVars(others)
	defer f.release(others)
	defer f.release([]*ir.Var{s.v})
	label := jen.Id(f.useTensor(s.label)).Index(jen.Id(f.varName(s.r)))
	size := f.useSize(s.v.Range)
	body := []jen.Code{
		jen.Id(v).Op(":=").Add(label),
		// A label outside the range matches no element of the target.
		jen.If(jen.Id(v).Op("<").Lit(0).Op("||").Id(v).Op(">=").Id(size)).Block(jen.Continue()),
	}
	body = append(body, f.loops(others, inner())...)
	return f.loops(op.RVars, body)
}

// scatterForward computes a scatter-form sum or count.
func (f *fn) scatterForward(op *ir.Op, s scatter) []jen.Code {
	out := []jen.Code{jen.Id("clear").Call(jen.Id(f.useTensor(op.Target)))}
	return append(out, f.scatterLoops(op, s, func() []jen.Code {
		if op.Red == "count" {
			return []jen.Code{f.target(op).Op("++")}
		}
		return append(f.block(op.Body), f.target(op).Op("+=").Add(f.expr(op.Body.Result)))
	})...)
}

// scatterBackward propagates the adjoint of a scatter-form sum.
func (f *fn) scatterBackward(adj *ir.AdjointOp, s scatter) []jen.Code {
	return f.scatterLoops(adj.Fwd, s, func() []jen.Code { return f.block(adj.Block) })
}
