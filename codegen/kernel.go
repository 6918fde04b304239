package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// unroll is the unroll factor of innermost sum loops; each copy has its own
// accumulator so the additions do not wait on one another.
const unroll = 4

// forward emits the body of Workspace.forward.
func (g *typeGen) forward() []jen.Code {
	f := newFn(g)
	var body []jen.Code
	for _, op := range g.p.Forward {
		body = append(body, g.comment(op))
		body = append(body, f.forwardOp(op)...)
	}
	return append(f.prologue("ws", true, false), body...)
}

// backward emits the body of Workspace.backward.
func (g *typeGen) backward() []jen.Code {
	f := newFn(g)
	var body []jen.Code
	for _, t := range g.p.Temps {
		if t.Active && t != g.p.Result {
			body = append(body, jen.Id("clear").Call(jen.Id(f.useAdj(t))))
		}
	}
	if g.p.Result.Active {
		body = append(body, jen.Id(f.useAdj(g.p.Result)).Index(jen.Lit(0)).Op("=").Id("scale"))
	}
	for _, adj := range g.p.Backward {
		body = append(body, g.comment(adj.Fwd))
		body = append(body, f.backwardOp(adj)...)
	}
	return append(f.prologue("ws", true, true), body...)
}

func (g *typeGen) comment(op *ir.Op) jen.Code {
	return jen.Comment(fmt.Sprintf("%s:%d: %s", g.specBase(), op.Pos.Line, op.Spec))
}

// loops wraps inner in one for loop per variable, outermost first. The
// variables must already be bound.
func (f *fn) loops(vars []*ir.Var, inner []jen.Code) []jen.Code {
	for k := len(vars) - 1; k >= 0; k-- {
		v := vars[k]
		name := f.varName(v)
		size := f.useSize(v.Range)
		inner = []jen.Code{jen.For(jen.Id(name).Op(":=").Lit(0), jen.Id(name).Op("<").Id(size), jen.Id(name).Op("++")).Block(inner...)}
	}
	return inner
}

func (f *fn) varName(v *ir.Var) string {
	name, ok := f.varNames[v]
	if !ok {
		panic("codegen: loop variable " + v.Name + " not bound")
	}
	return name
}

func (f *fn) bindVars(vars []*ir.Var) {
	for _, v := range vars {
		f.bindVar(v)
	}
}

// hoist splits b's statements into those that do not depend on vars (or on
// locals that do), which can run once outside the loops over vars, and the
// rest. Accumulations always stay inside: each iteration adds once.
func hoist(b *ir.Block, vars []*ir.Var) (outside, inside []ir.Stmt) {
	inner := map[*ir.Var]bool{}
	for _, v := range vars {
		inner[v] = true
	}
	dependent := map[*ir.Local]bool{}
	depends := func(e ir.Expr) bool {
		found := false
		ir.Walk(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.VarVal:
				found = found || inner[x.Var]
			case *ir.LocalVal:
				found = found || dependent[x.Local]
			}
		})
		return found
	}
	for _, s := range b.Stmts {
		if a, ok := s.(*ir.Assign); ok && !depends(a.Value) {
			outside = append(outside, s)
			continue
		}
		if a, ok := s.(*ir.Assign); ok {
			dependent[a.Local] = true
		}
		inside = append(inside, s)
	}
	return outside, inside
}

func (f *fn) stmts(ss []ir.Stmt) []jen.Code {
	return f.block(&ir.Block{Stmts: ss})
}

// forwardOp emits the loop nest computing op.Target.
func (f *fn) forwardOp(op *ir.Op) []jen.Code {
	f.bindVars(op.Index)
	target := jen.Id(f.useTensor(op.Target)).Index(f.flat(op.Target, vals(op.Index)))
	var inner []jen.Code
	switch {
	case op.Kind == ir.Map:
		inner = append(f.block(op.Body), target.Op("=").Add(f.expr(op.Body.Result)))
	case op.Red == "sum":
		inner = f.sumForward(op, target)
	case op.Red == "max" || op.Red == "min":
		inner = f.extremumForward(op, target)
	case op.Red == "logsumexp":
		inner = f.lseForward(op, target)
	case op.Red == "count":
		inner = f.countForward(op, target)
	default:
		panic("codegen: unknown reduction " + op.Red)
	}
	return f.scoped(op, f.loops(op.Index, inner))
}

// scoped wraps the code of a scalar Op in a block, so that the accumulator
// and loop variables of one Op do not collide with the next one's.
func (f *fn) scoped(op *ir.Op, code []jen.Code) []jen.Code {
	if len(op.Index) > 0 {
		return code
	}
	return []jen.Code{jen.Block(code...)}
}

func vals(vars []*ir.Var) []ir.Expr {
	out := make([]ir.Expr, len(vars))
	for i, v := range vars {
		out[i] = &ir.VarVal{Var: v}
	}
	return out
}

// reduceLoops emits the loops over op.RVars around body(), which renders
// one evaluation of the reduction body (stmts, then whatever body adds for
// result). Without a filter the innermost loop is unrolled and body is
// called once per copy, with rows sliced for the accesses along the
// innermost variable; with a filter body is wrapped in the condition.
func (f *fn) reduceLoops(op *ir.Op, unrolled bool, stmts []ir.Stmt, result ir.Expr, body func() []jen.Code) []jen.Code {
	f.bindVars(op.RVars)
	if op.Filter != nil {
		inner := []jen.Code{jen.If(f.expr(op.Filter)).Block(body()...)}
		return f.loops(op.RVars, inner)
	}
	if !unrolled {
		return f.loops(op.RVars, body())
	}
	last := op.RVars[len(op.RVars)-1]
	k := f.varName(last)
	size := f.useSize(last.Range)
	rs := f.findRows(last, stmts, result)
	f.rows = rs
	defer func() { f.rows = nil }()
	rs.inMain = true
	main := f.chunkDecls(rs, k)
	for u := 0; u < unroll; u++ {
		f.copyNo = u
		if u == 0 {
			f.vars[last] = varRender{code: jen.Id(k), prec: precAtom}
		} else {
			f.vars[last] = varRender{code: jen.Id(k).Op("+").Lit(u), prec: prec("+")}
		}
		main = append(main, body()...)
	}
	rs.inMain = false
	f.copyNo = 0
	f.vars[last] = varRender{code: jen.Id(k), prec: precAtom}
	rest := body()
	inner := append(f.rowDecls(rs),
		jen.Id(k).Op(":=").Lit(0),
		jen.For(jen.Empty(), jen.Id(k).Op("+").Lit(unroll).Op("<=").Id(size), jen.Id(k).Op("+=").Lit(unroll)).Block(main...),
		jen.For(jen.Empty(), jen.Id(k).Op("<").Id(size), jen.Id(k).Op("++")).Block(rest...),
	)
	return f.loops(op.RVars[:len(op.RVars)-1], inner)
}

func accName(u int) string { return fmt.Sprintf("acc%d", u) }

func (f *fn) sumForward(op *ir.Op, target *jen.Statement) []jen.Code {
	outside, inside := hoist(op.Body, op.RVars)
	out := f.stmts(outside)
	unrolled := op.Filter == nil
	accs := 1
	if unrolled {
		accs = unroll
	}
	names := make([]jen.Code, accs)
	for u := range names {
		names[u] = jen.Id(accName(u))
	}
	out = append(out, jen.Var().List(names...).Id(f.g.typ.name))
	out = append(out, f.reduceLoops(op, unrolled, inside, op.Body.Result, func() []jen.Code {
		code := f.stmts(inside)
		acc := accName(0)
		if unrolled {
			acc = accName(f.copyNo)
		}
		return append(code, jen.Id(acc).Op("+=").Add(f.expr(op.Body.Result)))
	})...)
	var total jen.Code = jen.Id(accName(0))
	if unrolled {
		// A fixed pairwise order: the result does not depend on anything
		// but the inputs.
		total = jen.Parens(jen.Id("acc0").Op("+").Id("acc1")).Op("+").Parens(jen.Id("acc2").Op("+").Id("acc3"))
	}
	return append(out, target.Op("=").Add(total))
}

// rflat renders the flat position of the reduction variables, recorded as
// the arg index of max and min.
func (f *fn) rflat(op *ir.Op) jen.Code {
	code, p := f.varCode(op.RVars[0])
	for k := 1; k < len(op.RVars); k++ {
		var lhs jen.Code = code
		if p < prec("*") {
			lhs = jen.Parens(code)
		}
		next, _ := f.varCode(op.RVars[k])
		code, p = jen.Add(lhs).Op("*").Id(f.useSize(op.RVars[k].Range)).Op("+").Add(next), prec("+")
	}
	return code
}

func (f *fn) extremumForward(op *ir.Op, target *jen.Statement) []jen.Code {
	cmp := ">"
	if op.Red == "min" {
		cmp = "<"
	}
	outside, inside := hoist(op.Body, op.RVars)
	out := f.stmts(outside)
	out = append(out, jen.Var().Id("best").Id(f.g.typ.name), jen.Id("arg").Op(":=").Lit(-1))
	out = append(out, f.reduceLoops(op, false, nil, nil, func() []jen.Code {
		code := f.stmts(inside)
		// Strict comparison: the first element attaining the extremum wins,
		// and the gradient is routed to it.
		return append(code,
			jen.Id("v").Op(":=").Add(f.expr(op.Body.Result)),
			jen.If(jen.Id("arg").Op("<").Lit(0).Op("||").Id("v").Op(cmp).Id("best")).Block(
				jen.List(jen.Id("best"), jen.Id("arg")).Op("=").List(jen.Id("v"), f.rflat(op)),
			))
	})...)
	argT := jen.Id(f.useTensor(op.Arg)).Index(f.flat(op.Arg, vals(op.Index)))
	// An empty filtered set leaves best at 0 and arg at -1: the value is 0
	// and no gradient flows.
	return append(out, target.Op("=").Id("best"), argT.Op("=").Id("arg"))
}

func (f *fn) lseForward(op *ir.Op, target *jen.Statement) []jen.Code {
	t := f.g.typ.name
	negInf := jen.Qual(rtPath, "Inf").Types(jen.Id(t)).Call(jen.Lit(-1))
	outside, inside := hoist(op.Body, op.RVars)
	out := f.stmts(outside)
	out = append(out, jen.Id("mx").Op(":=").Add(negInf))
	if op.Filter != nil {
		out = append(out, jen.Id("cnt").Op(":=").Lit(0))
	}
	out = append(out, f.reduceLoops(op, false, nil, nil, func() []jen.Code {
		code := append(f.stmts(inside),
			jen.Id("v").Op(":=").Add(f.expr(op.Body.Result)),
			jen.If(jen.Id("v").Op(">").Id("mx")).Block(jen.Id("mx").Op("=").Id("v")))
		if op.Filter != nil {
			code = append(code, jen.Id("cnt").Op("++"))
		}
		return code
	})...)
	// Shift by the maximum so that no exponential overflows.
	second := []jen.Code{jen.Var().Id("sumExp").Id(t)}
	second = append(second, f.reduceLoops(op, false, nil, nil, func() []jen.Code {
		return append(f.stmts(inside),
			jen.Id("sumExp").Op("+=").Qual(rtPath, "Exp").Call(jen.Add(f.operand(op.Body.Result, prec("-"), false)).Op("-").Id("mx")))
	})...)
	second = append(second, target.Clone().Op("=").Id("mx").Op("+").Qual(rtPath, "Log").Call(jen.Id("sumExp")))
	// All terms -Inf: the sum is exp(-Inf) = 0 and the result is -Inf.
	ifs := jen.If(jen.Id("mx").Op(">").Add(negInf)).Block(second...).Else().Block(target.Clone().Op("=").Id("mx"))
	if op.Filter != nil {
		// Empty filtered set: 0 by convention, never 0/0.
		ifs = jen.If(jen.Id("cnt").Op("==").Lit(0)).Block(target.Clone().Op("=").Lit(0)).Else().Add(ifs)
	}
	return append(out, ifs)
}

func (f *fn) countForward(op *ir.Op, target *jen.Statement) []jen.Code {
	out := []jen.Code{jen.Id("cnt").Op(":=").Lit(0)}
	out = append(out, f.reduceLoops(op, false, nil, nil, func() []jen.Code {
		return []jen.Code{jen.Id("cnt").Op("++")}
	})...)
	return append(out, target.Op("=").Id(f.g.typ.name).Call(jen.Id("cnt")))
}

// backwardOp emits the loop nest of one adjoint Op.
func (f *fn) backwardOp(adj *ir.AdjointOp) []jen.Code {
	op := adj.Fwd
	f.bindVars(op.Index)
	var inner []jen.Code
	switch {
	case op.Kind == ir.Map:
		inner = f.block(adj.Block)
	case op.Red == "max" || op.Red == "min":
		f.bindVars(op.RVars)
		argT := jen.Id(f.useTensor(op.Arg)).Index(f.flat(op.Arg, vals(op.Index)))
		decode := []jen.Code{}
		// The recorded arg is the flat position over the reduction
		// variables; unflatten it, innermost variable last.
		stride := []jen.Code{}
		for k := len(op.RVars) - 1; k >= 0; k-- {
			v := op.RVars[k]
			var e jen.Code = jen.Id("arg")
			if len(stride) > 0 {
				e = jen.Id("arg").Op("/").Parens(prod(stride))
			}
			if k > 0 {
				e = jen.Add(e).Op("%").Id(f.useSize(v.Range))
			}
			decode = append([]jen.Code{jen.Id(f.varName(v)).Op(":=").Add(e)}, decode...)
			stride = append(stride, jen.Id(f.useSize(v.Range)))
		}
		body := append(decode, f.block(adj.Block)...)
		inner = []jen.Code{
			jen.Id("arg").Op(":=").Add(argT),
			jen.If(jen.Id("arg").Op(">=").Lit(0)).Block(body...),
		}
	default: // sum, logsumexp
		outside, inside := hoist(adj.Block, op.RVars)
		inner = f.stmts(outside)
		inner = append(inner, f.reduceLoops(op, op.Filter == nil && op.Red == "sum", inside, nil, func() []jen.Code {
			return f.stmts(inside)
		})...)
	}
	return f.scoped(op, f.loops(op.Index, inner))
}

// prod renders a*b*c.
func prod(xs []jen.Code) jen.Code {
	code := jen.Add(xs[0])
	for _, x := range xs[1:] {
		code = code.Op("*").Add(x)
	}
	return code
}
