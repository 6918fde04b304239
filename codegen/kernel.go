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
	f.phase = "forward"
	body := f.groups(g.ts.forward)
	return append(f.prologue("ws", true, false), body...)
}

// update emits the body of Workspace.update: the rules' new values into
// temporaries, then into the target inputs.
func (g *typeGen) update() []jen.Code {
	f := newFn(g)
	body := f.groups(g.ts.update)
	for _, a := range g.p.Assigns {
		src := f.useTensor(a.Value)
		dst := jen.Id("in").Dot(g.names.field[a.Target])
		if g.typ.name == calc {
			body = append(body, jen.Id("copy").Call(dst, jen.Id(src)))
			continue
		}
		body = append(body, jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id(src)).Block(
			jen.Add(dst).Index(jen.Id("i")).Op("=").Id(g.typ.name).Call(jen.Id("v"))))
	}
	return append(f.prologue("ws", true, false), body...)
}

// backward emits the body of Workspace.backward.
func (g *typeGen) backward() []jen.Code {
	f := newFn(g)
	f.phase = "backward"
	var body []jen.Code
	for _, t := range g.p.Temps {
		if t.Active && t != g.p.Result {
			body = append(body, jen.Id("clear").Call(jen.Id(f.useAdj(t))))
		}
	}
	if g.p.Result.Active {
		var seed jen.Code = jen.Id("scale")
		if g.typ.name != calc {
			seed = jen.Id(calc).Call(seed)
		}
		body = append(body, jen.Id(f.useAdj(g.p.Result)).Index(jen.Lit(0)).Op("=").Add(seed))
	}
	body = append(body, f.groups(g.ts.backward)...)
	return append(f.prologue("ws", true, true), body...)
}

// groups emits each fused group of the schedule as the kernel it chose,
// preceded by the spec lines its Ops come from.
func (f *fn) groups(groups []*group) []jen.Code {
	var out []jen.Code
	for _, grp := range groups {
		seen := map[string]bool{}
		for _, u := range grp.units {
			c := f.g.commentText(u.op())
			if !seen[c] {
				seen[c] = true
				out = append(out, jen.Comment(c))
			}
		}
		first := grp.units[0]
		f.usedBase, f.nextSuffix, f.accNext = map[string]bool{}, map[string]int{}, 0
		switch grp.kernel {
		case kScatter:
			if first.fwd != nil {
				out = append(out, f.scatterForward(first.fwd, grp.scatter)...)
			} else {
				out = append(out, f.scatterBackward(first.adj, grp.scatter)...)
			}
		case kGemm:
			out = append(out, f.contractionForward(grp.con)...)
		case kGemmAdj:
			out = append(out, f.contractionBackward(grp.con, grp.toL, grp.toR)...)
		case kSqDistGrad:
			out = append(out, f.pairGradCall(grp.pg)...)
		case kLoops:
			if grp.parallel {
				out = append(out, f.parallelGroup(grp)...)
			} else {
				out = append(out, f.loopGroup(grp)...)
			}
		}
	}
	return out
}

// loopGroup emits a fused group as one loop nest over its index space,
// after the pairwise distance matrices that run ahead of it.
func (f *fn) loopGroup(grp *group) []jen.Code {
	var out []jen.Code
	for _, p := range grp.hoisted {
		out = append(out, f.pairDistCall(p, grp.units[0].op().Index[0]))
	}
	if len(grp.runs) == 0 {
		return out
	}
	// The loop variables are the group's first op's, hoisted or not: a
	// parallel part's range is over that op's outer variable (f.outer).
	first := grp.units[0].op()
	if f.outer != nil && (len(first.Index) == 0 || first.Index[0] != f.outer) {
		panic("codegen: the loops of a parallel part do not range over the part's rows")
	}
	f.bindVars(first.Index)
	for _, r := range grp.runs {
		for _, u := range r.units {
			if u.op() == first {
				continue
			}
			for p, v := range u.op().Index {
				f.aliasVar(v, first.Index[p])
			}
		}
	}
	if grp.runs[len(grp.runs)-1].kind == rMapExp {
		code := f.mapExpRows(grp, first)
		f.release(first.Index)
		return append(out, code...)
	}
	var inner []jen.Code
	for _, r := range grp.runs {
		code := f.run(r)
		if len(grp.runs) > 1 && r.units[0].op().Kind == ir.Reduce {
			// Each reduction's scratch (row slices, its loop variable,
			// best, arg, ...) lives in a block of its own.
			code = []jen.Code{jen.Block(code...)}
		}
		inner = append(inner, code...)
	}
	code := f.loops(first.Index, inner)
	f.release(first.Index)
	if len(first.Index) == 0 {
		// A block keeps the accumulators of one scalar group from
		// colliding with the next one's.
		code = []jen.Code{jen.Block(code...)}
	}
	return append(out, code...)
}

// run emits the code the schedule chose for one run inside its group's
// loops.
func (f *fn) run(r *run) []jen.Code {
	op := r.units[0].op()
	switch r.kind {
	case rMap:
		if r.units[0].fwd != nil {
			return f.mapForward(op)
		}
		return f.block(r.units[0].adj.Block)
	case rRowSums:
		return f.rowCallsForward(r.ops(), r.rowSums)
	case rSumLoops:
		return f.sumForward(r.ops(), r.unroll > 1, r.vexp)
	case rExtremum:
		return f.extremumForward(op)
	case rLSERow:
		return f.lseRowForward(op, r)
	case rLSELoops:
		return f.lseForward(op)
	case rCount:
		return f.countForward(op)
	case rRowUpdates:
		return f.rowCallsBackward(r.adjs(), r.rowUpdates)
	case rAdjSumLoops:
		return f.sumBackward(r.adjs(), r.vexp)
	case rArgAdjoint:
		return f.argBackward(r.units[0].adj)
	case rLSERowAdjoint:
		return f.lseRowBackward(r.units[0].adj, r)
	case rAdjLoops:
		return f.loopsBackward(r.units[0].adj, r.vexp)
	}
	panic(fmt.Sprintf("codegen: unknown run kind %d", r.kind))
}

func (g *typeGen) commentText(op *ir.Op) string {
	return commentSafe(fmt.Sprintf("%s:%d: %s", g.specBase(), op.Pos.Line, op.Spec))
}

// loops wraps inner in one for loop per variable, outermost first. The
// variables must already be bound.
func (f *fn) loops(vars []*ir.Var, inner []jen.Code) []jen.Code {
	for k := len(vars) - 1; k >= 0; k-- {
		v := vars[k]
		name := f.varName(v)
		if v == f.outer {
			// A parallel part: its range of the outer variable.
			inner = []jen.Code{jen.For(jen.Id(name).Op(":=").Id("lo"), jen.Id(name).Op("<").Id("hi"), jen.Id(name).Op("++")).Block(inner...)}
			continue
		}
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

// aliasVar makes v render as the already bound loop variable to: the
// Ops of a fused group share their loops.
func (f *fn) aliasVar(v, to *ir.Var) {
	f.vars[v] = f.vars[to]
	f.varNames[v] = f.varNames[to]
	f.aliasOf[v] = to
}

// renderVar sets how v renders, and so every variable aliased to it: an
// unrolled copy renders its innermost variable as k+u, and the fused Ops
// whose variables alias it must read the same element (copy u of a
// backward group's second Op once read row k for every u).
func (f *fn) renderVar(v *ir.Var, r varRender) {
	f.vars[v] = r
	for w, to := range f.aliasOf {
		if to == v {
			f.vars[w] = r
		}
	}
}

// release ends the scope of loop variables, so their names can be reused.
func (f *fn) release(vars []*ir.Var) {
	for _, v := range vars {
		delete(f.active, f.varNames[v])
	}
}

func (f *fn) stmts(ss []ir.Stmt) []jen.Code {
	return f.block(&ir.Block{Stmts: ss})
}

func vals(vars []*ir.Var) []ir.Expr {
	out := make([]ir.Expr, len(vars))
	for i, v := range vars {
		out[i] = &ir.VarVal{Var: v}
	}
	return out
}

// target renders op.Target at the current loop indices.
func (f *fn) target(op *ir.Op) *jen.Statement {
	return jen.Id(f.useTensor(op.Target)).Index(f.flat(op.Target, vals(op.Index)))
}

// mapForward emits the code computing one element of an elementwise Op's
// target.
func (f *fn) mapForward(op *ir.Op) []jen.Code {
	stmts := f.block(op.Body) // binds the locals the result reads
	val := f.expr(op.Body.Result)
	if f.g.stored(op.Target) && f.g.typ.name != calc {
		// An operand of a matrix product, stored in float32 with
		// subnormals flushed (see lossrt.FlushSubnormals).
		val = jen.Qual(rtPath, "Narrow32").Call(val)
	}
	return append(stmts, f.target(op).Op("=").Add(val))
}

// mapExpRows emits, in the loops of a group whose last run is a map exp(e)
// (loopGroup has bound them), its elementwise maps and e into the target's
// row in a loop along the last index, then lossrt.ExpInPlace over the row:
// ExpFast in vector registers instead of a math.Exp call per element.
func (f *fn) mapExpRows(grp *group, first *ir.Op) []jen.Code {
	op := grp.runs[len(grp.runs)-1].units[0].op()
	stmts, arg, _ := mapExpArg(op)
	var body []jen.Code
	for _, r := range grp.runs[:len(grp.runs)-1] {
		body = append(body, f.mapForward(r.units[0].op())...)
	}
	body = append(append(body, f.stmts(stmts)...), f.target(op).Op("=").Add(f.expr(arg)))
	outer, last := first.Index[:len(first.Index)-1], first.Index[len(first.Index)-1]
	size := jen.Id(f.useSize(last.Range))
	var start jen.Code = f.flat(op.Target, vals(op.Index[:len(op.Index)-1]))
	if len(outer) > 1 {
		start = jen.Parens(start)
	}
	row := jen.Id(f.useTensor(op.Target)).Index(jen.Add(start).Op("*").Add(size).Op(":")).Index(jen.Op(":").Add(size))
	inner := append(f.loops([]*ir.Var{last}, body), jen.Qual(rtPath, "ExpInPlace").Call(row))
	return f.loops(outer, inner)
}

// nest is a reduction loop nest for reduceLoops to emit.
type nest struct {
	rvars  []*ir.Var
	filter ir.Expr
	// unrolled: without a filter, the innermost loop is unrolled; body is
	// called once per copy, and rows are sliced for the accesses along the
	// innermost variable in stmts and results (the code body renders).
	unrolled bool
	stmts    []ir.Stmt
	results  []ir.Expr
	// mid, if not nil, renders statements that depend on the outer
	// reduction variables but not on the innermost one; they run before
	// the innermost loop, and after, if not nil, after it (unrolled loops
	// only).
	mid, after func() []jen.Code
	// body renders one evaluation of the reduction bodies.
	body func() []jen.Code
	// vexp: the exponentials of stmts and results are taken a block at a
	// time (see vexp.go), where the schedule chose so.
	vexp bool
}

// reduceLoops emits the loops of n. With a filter, body is wrapped in the
// condition.
func (f *fn) reduceLoops(n nest) []jen.Code {
	rvars := n.rvars
	f.bindVars(rvars)
	defer f.release(rvars)
	last := rvars[len(rvars)-1]
	k := f.varName(last)
	size := f.useSize(last.Range)
	var vx *vexpState
	if n.vexp {
		vx = f.findVexp(last, n.filter != nil, n.stmts, n.results)
	}
	// innermost is the loop over last around code, in blocks if vx says so.
	innermost := func(code []jen.Code) []jen.Code {
		if vx == nil {
			return f.loops([]*ir.Var{last}, code)
		}
		steps := jen.For(jen.Id(k).Op(":=").Id("blk"), jen.Id(k).Op("<").Id("blkEnd"), jen.Id(k).Op("++")).Block(code...)
		return f.vexpBlocks(vx, size, []jen.Code{steps})
	}
	if n.filter != nil {
		return f.filterLoops(rvars, n.filter, f.vexpSteps(vx, n.body), innermost)
	}
	if !n.unrolled {
		return f.loops(rvars[:len(rvars)-1], innermost(f.vexpSteps(vx, n.body)))
	}
	var before []jen.Code
	if n.mid != nil {
		before = n.mid()
	}
	scan, results := n.stmts, n.results
	if vx != nil {
		scan, results = vx.scan, vx.results
	}
	rs := f.findRows(k, scan, results)
	f.rows = rs
	defer func() { f.rows = nil }()
	rs.inMain = true
	main := f.chunkDecls(rs, k)
	main = append(main, f.vexpSteps(vx, func() []jen.Code {
		var code []jen.Code
		for u := 0; u < unroll; u++ {
			f.copyNo = u
			if u == 0 {
				f.renderVar(last, varRender{code: jen.Id(k), prec: precAtom})
			} else {
				f.renderVar(last, varRender{code: jen.Id(k).Op("+").Lit(u), prec: prec("+")})
			}
			code = append(code, n.body()...)
		}
		return code
	})...)
	rs.inMain = false
	f.copyNo = 0
	f.renderVar(last, varRender{code: jen.Id(k), prec: precAtom})
	rest := f.vexpSteps(vx, n.body)
	// The steps of [from, to): copy u of the unrolled loop takes k ≡ from+u
	// (mod 4), the remainder loop the last to-from mod 4.
	steps := func(from, to jen.Code) []jen.Code {
		return []jen.Code{
			jen.Id(k).Op(":=").Add(from),
			jen.For(jen.Empty(), jen.Id(k).Op("+").Lit(unroll).Op("<=").Add(to), jen.Id(k).Op("+=").Lit(unroll)).Block(main...),
			jen.For(jen.Empty(), jen.Id(k).Op("<").Add(to), jen.Id(k).Op("++")).Block(rest...),
		}
	}
	inner := append(before, f.rowDecls(rs)...)
	if vx == nil {
		inner = append(inner, steps(jen.Lit(0), jen.Id(size))...)
	} else {
		inner = append(inner, f.vexpBlocks(vx, size, steps(jen.Id("blk"), jen.Id("blkEnd")))...)
	}
	if n.after != nil {
		inner = append(inner, n.after()...)
	}
	return f.loops(rvars[:len(rvars)-1], inner)
}

// accName names accumulator u of the m-th sum in a fused run; numbering
// continues across the runs of a group so their declarations never clash.
func (f *fn) accName(m, u int) string { return fmt.Sprintf("acc%d", f.accNext+m*unroll+u) }

// accTotal renders the sum of the unrolled accumulators of the m-th sum in
// a fixed pairwise order: the result depends on nothing but the inputs.
func (f *fn) accTotal(m int) jen.Code {
	return jen.Parens(jen.Id(f.accName(m, 0)).Op("+").Id(f.accName(m, 1))).Op("+").Parens(jen.Id(f.accName(m, 2)).Op("+").Id(f.accName(m, 3)))
}

// sumForward emits unfiltered sums over the same reduction space (or one
// filtered sum) as one loop nest with independent accumulators per sum and,
// if unrolled, unrolled copy.
func (f *fn) sumForward(ops []*ir.Op, unrolled, vexp bool) []jen.Code {
	first := ops[0]
	accs := 1
	if unrolled {
		accs = unroll
	}
	var out, names []jen.Code
	var inside, middle [][]ir.Stmt
	var scan []ir.Stmt
	var results []ir.Expr
	for m, op := range ops {
		outside, in := f.hoist(op.Body, op.RVars)
		out = append(out, f.stmts(outside)...)
		mid, in := splitInvariant(in, op.RVars)
		middle = append(middle, mid)
		inside = append(inside, in)
		scan = append(scan, in...)
		results = append(results, op.Body.Result)
		for u := 0; u < accs; u++ {
			names = append(names, jen.Id(f.accName(m, u)))
		}
	}
	out = append(out, jen.Var().List(names...).Id(calc))
	body := func() []jen.Code {
		var code []jen.Code
		for m, op := range ops {
			for p, v := range op.RVars {
				if m > 0 {
					f.aliasVar(v, first.RVars[p])
				}
			}
			code = append(code, f.stmts(inside[m])...)
			acc := f.accName(m, 0)
			if unrolled {
				acc = f.accName(m, f.copyNo)
			}
			code = append(code, jen.Id(acc).Op("+=").Add(f.expr(op.Body.Result)))
		}
		return code
	}
	// The aliases must exist before rows are looked for.
	f.bindVars(first.RVars)
	for _, op := range ops[1:] {
		for p, v := range op.RVars {
			f.aliasVar(v, first.RVars[p])
		}
	}
	f.release(first.RVars)
	out = append(out, f.reduceLoops(nest{rvars: first.RVars, filter: first.Filter, unrolled: unrolled,
		stmts: scan, results: results, mid: renderAll(f, middle), body: body, vexp: vexp})...)
	for m, op := range ops {
		var total jen.Code = jen.Id(f.accName(m, 0))
		if unrolled {
			total = f.accTotal(m)
		}
		out = append(out, f.target(op).Op("=").Add(total))
	}
	f.accNext += len(ops) * accs
	return out
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

func (f *fn) extremumForward(op *ir.Op) []jen.Code {
	cmp := ">"
	if op.Red == "min" {
		cmp = "<"
	}
	outside, inside := f.hoist(op.Body, op.RVars)
	out := f.stmts(outside)
	out = append(out, jen.Var().Id("best").Id(calc), jen.Id("arg").Op(":=").Lit(-1))
	out = append(out, f.reduceLoops(nest{rvars: op.RVars, filter: op.Filter, body: func() []jen.Code {
		code := f.stmts(inside)
		// Strict comparison: the first element attaining the extremum wins,
		// and the gradient is routed to it.
		return append(code,
			jen.Id("v").Op(":=").Add(f.expr(op.Body.Result)),
			// v != v: a NaN wins, so it reaches the loss instead of being
			// skipped by every comparison.
			jen.If(jen.Id("arg").Op("<").Lit(0).Op("||").Id("v").Op(cmp).Id("best").Op("||").Id("v").Op("!=").Id("v")).Block(
				jen.List(jen.Id("best"), jen.Id("arg")).Op("=").List(jen.Id("v"), f.rflat(op)),
			))
	}})...)
	argT := jen.Id(f.useTensor(op.Arg)).Index(f.flat(op.Arg, vals(op.Index)))
	// An empty filtered set leaves best at 0 and arg at -1: the value is 0
	// and no gradient flows.
	return append(out, f.target(op).Op("=").Id("best"), argT.Op("=").Id("arg"))
}

func (f *fn) lseForward(op *ir.Op) []jen.Code {
	t := calc
	target := f.target(op)
	negInf := jen.Qual(rtPath, "Inf").Types(jen.Id(t)).Call(jen.Lit(-1))
	outside, inside := f.hoist(op.Body, op.RVars)
	out := f.stmts(outside)
	out = append(out, jen.Id("mx").Op(":=").Add(negInf))
	if op.Filter != nil {
		out = append(out, jen.Id("cnt").Op(":=").Lit(0))
	}
	out = append(out, f.reduceLoops(nest{rvars: op.RVars, filter: op.Filter, body: func() []jen.Code {
		code := append(f.stmts(inside),
			jen.Id("v").Op(":=").Add(f.expr(op.Body.Result)),
			jen.If(jen.Id("v").Op(">").Id("mx")).Block(jen.Id("mx").Op("=").Id("v")))
		if op.Filter != nil {
			code = append(code, jen.Id("cnt").Op("++"))
		}
		return code
	}})...)
	// Shift by the maximum so that no exponential overflows.
	second := []jen.Code{jen.Var().Id("sumExp").Id(t)}
	second = append(second, f.reduceLoops(nest{rvars: op.RVars, filter: op.Filter, body: func() []jen.Code {
		return append(f.stmts(inside),
			jen.Id("sumExp").Op("+=").Qual(rtPath, "Exp").Call(jen.Add(f.operand(op.Body.Result, prec("-"), false)).Op("-").Id("mx")))
	}})...)
	second = append(second, target.Clone().Op("=").Id("mx").Op("+").Qual(rtPath, "Log").Call(jen.Id("sumExp")))
	// All terms -Inf: the sum is exp(-Inf) = 0 and the result is -Inf.
	ifs := jen.If(jen.Id("mx").Op(">").Add(negInf)).Block(second...).Else().Block(target.Clone().Op("=").Id("mx"))
	if op.Filter != nil {
		// Empty filtered set: 0 by convention, never 0/0.
		ifs = jen.If(jen.Id("cnt").Op("==").Lit(0)).Block(target.Clone().Op("=").Lit(0)).Else().Add(ifs)
	}
	return append(out, ifs)
}

func (f *fn) countForward(op *ir.Op) []jen.Code {
	out := []jen.Code{jen.Id("cnt").Op(":=").Lit(0)}
	out = append(out, f.reduceLoops(nest{rvars: op.RVars, filter: op.Filter, body: func() []jen.Code {
		return []jen.Code{jen.Id("cnt").Op("++")}
	}})...)
	return append(out, f.target(op).Op("=").Id(calc).Call(jen.Id("cnt")))
}

// argBackward emits the adjoint of a max or min at its recorded arg.
func (f *fn) argBackward(adj *ir.AdjointOp) []jen.Code {
	op := adj.Fwd
	f.bindVars(op.RVars)
	defer f.release(op.RVars)
	argT := jen.Id(f.useTensor(op.Arg)).Index(f.flat(op.Arg, vals(op.Index)))
	var decode, stride []jen.Code
	// The recorded arg is the flat position over the reduction
	// variables; unflatten it, innermost variable last.
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
	return []jen.Code{
		jen.Id("arg").Op(":=").Add(argT),
		jen.If(jen.Id("arg").Op(">=").Lit(0)).Block(body...),
	}
}

// loopsBackward emits an adjoint (of a filtered sum, or of a logsumexp
// with no row kernel) as a plain loop over the reduction space.
func (f *fn) loopsBackward(adj *ir.AdjointOp, vexp bool) []jen.Code {
	op := adj.Fwd
	outside, inside := f.hoist(adj.Block, op.RVars)
	out := f.stmts(outside)
	return append(out, f.reduceLoops(nest{rvars: op.RVars, filter: op.Filter, stmts: inside, body: func() []jen.Code {
		return f.stmts(inside)
	}, vexp: vexp})...)
}

// sumBackward emits the adjoints of unfiltered sums over the same reduction
// space as one unrolled loop nest. When every accumulation is a multiple of
// a value computed before the loop (the incoming adjoint, typically) and all
// of those are zero — an inactive hinge, a masked term — the loop is skipped.
func (f *fn) sumBackward(adjs []*ir.AdjointOp, vexp bool) []jen.Code {
	first := adjs[0].Fwd
	f.bindVars(first.RVars)
	for _, a := range adjs[1:] {
		for p, v := range a.Fwd.RVars {
			f.aliasVar(v, first.RVars[p])
		}
	}
	f.release(first.RVars)
	var out []jen.Code
	var inside, middle [][]ir.Stmt
	var scan []ir.Stmt
	var seeds []*ir.Local
	skippable := true
	for _, a := range adjs {
		outside, in := f.hoist(a.Block, a.Fwd.RVars)
		out = append(out, f.stmts(outside)...)
		mid, in := splitInvariant(in, a.Fwd.RVars)
		middle = append(middle, mid)
		inside = append(inside, in)
		scan = append(scan, in...)
		if s := seedOf(outside, in); s != nil {
			seeds = append(seeds, s)
		} else {
			skippable = false
		}
	}
	// Each fused adjoint has its own innermost variable (aliased to the
	// first's): an element that moves with any of them is not promoted.
	var lasts []*ir.Var
	for _, a := range adjs {
		lasts = append(lasts, a.Fwd.RVars[len(a.Fwd.RVars)-1])
	}
	accs := f.promotable(scan, lasts)
	mid, flush := f.promote(accs, renderAll(f, middle))
	// The promoted accumulations' values are read along the loop like
	// any other step's: rows and exponentials are found in them too.
	var promotedVals []ir.Expr
	for _, a := range accs {
		promotedVals = append(promotedVals, a.Value)
	}
	loops := f.reduceLoops(nest{rvars: first.RVars, unrolled: true, stmts: unpromoted(scan, accs), results: promotedVals, mid: mid, after: flush, body: func() []jen.Code {
		var code []jen.Code
		for _, in := range inside {
			code = append(code, f.stmts(in)...)
		}
		return code
	}, vexp: vexp})
	f.promoted = nil
	f.accNext += len(accs) * unroll
	if !skippable {
		return append(out, loops...)
	}
	var cond jen.Code
	for i, s := range seeds {
		c := jen.Id(f.localName(s)).Op("!=").Lit(0)
		if i == 0 {
			cond = c
		} else {
			cond = jen.Add(cond).Op("||").Add(c)
		}
	}
	return append(out, jen.If(cond).Block(loops...))
}

// prod renders a*b*c.
func prod(xs []jen.Code) jen.Code {
	code := jen.Add(xs[0])
	for _, x := range xs[1:] {
		code = code.Op("*").Add(x)
	}
	return code
}

// splitInvariant separates, for a nest over rvars, the assignments that do
// not depend on the innermost variable (they can run once per outer
// iteration) from the rest. Accumulations stay innermost.
func splitInvariant(stmts []ir.Stmt, rvars []*ir.Var) (mid, inner []ir.Stmt) {
	if len(rvars) < 2 {
		return nil, stmts
	}
	dep := newDependence(rvars[len(rvars)-1])
	for _, s := range stmts {
		if a, ok := s.(*ir.Assign); ok {
			if !dep.of(a.Value) {
				mid = append(mid, s)
				continue
			}
			dep.mark(a.Local)
		}
		inner = append(inner, s)
	}
	return mid, inner
}

// renderAll returns a callback rendering every group of statements, or nil
// when there are none.
func renderAll(f *fn, groups [][]ir.Stmt) func() []jen.Code {
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	if n == 0 {
		return nil
	}
	return func() []jen.Code {
		var out []jen.Code
		for _, g := range groups {
			out = append(out, f.stmts(g)...)
		}
		return out
	}
}
