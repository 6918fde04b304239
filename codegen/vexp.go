package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Vector exponentials in reduction loops. A sum or an adjoint loop whose
// body takes exp of something that changes along its innermost variable k,
//
//	sum(j | j != i: exp(s[i, j]))        adj(s)[i, j] += h · exp(s[i, j])
//
// would call math.Exp once per step, some 20 cycles each, where the rest of
// the step costs a few. Instead the innermost loop runs in blocks of
// vexpBlock steps:
//
//	for blk := 0; blk < n; blk += 256 {
//		blkEnd := min(blk+256, n)
//		for k := blk; k < blkEnd; k++ { expBlk0[k-blk] = <argument at k> }
//		lossrt.ExpInPlace(expBlk0[:blkEnd-blk])
//		for k := blk; k < blkEnd; k++ { <the steps, reading expBlk0[k-blk]> }
//	}
//
// The buffers are arrays on the stack of the function (one per distinct
// exponential of the loop), so parallel parts each have their own and
// nothing is allocated. ExpInPlace is ExpFast in vector registers: within
// 1 ulp of e**x and the same bits on the assembly and pure-Go paths. The
// steps, their order and the accumulators they add into do not change:
// vexpBlock is a multiple of the unroll factor, so an unrolled loop's copy
// u still takes the steps k ≡ u (mod 4) and the remainder loop the same
// last steps.
//
// Taken are the exp calls whose argument depends on k and
//   - contains no other exp (that one is taken instead);
//   - reads no adjoint the loop accumulates into: the arguments of a block
//     are computed before its steps run;
//   - under a filter, has no gathered subscript and no integer division:
//     arguments are computed for the filtered-out steps too, and there they
//     must not be able to fail (a label of -1 may be an ignored sample).
//
// The statements the arguments need (locals computed in the step) are
// computed again in the block's first loop: cheap arithmetic and loads,
// next to the exponential they feed.

// vexpBlock is the number of steps a block exponentiates at a time: 2 KiB
// of float64 per buffer, well inside L1 with the rows the steps read.
const vexpBlock = 256

// vexpState is the blocking of one loop around its exponentials.
type vexpState struct {
	last  *ir.Var
	calls []*ir.Call       // the exp calls taken, in order of appearance
	slot  map[*ir.Call]int // call → its buffer, expBlk<slot>
	defs  []ir.Stmt        // the step's assignments the arguments need, in order
	// dead holds the step's locals that only taken arguments read: the
	// steps do not compute them (Go refuses an unused variable).
	dead map[*ir.Local]bool
	// scan is the steps' code as they read it, the taken calls replaced
	// and dead assignments dropped: what rows are sliced for.
	scan    []ir.Stmt
	results []ir.Expr
	on      bool // rendering the steps: taken calls read their buffer
}

// vexpBuf names buffer m.
func vexpBuf(m int) string { return fmt.Sprintf("expBlk%d", m) }

// vexpCalls returns the exp calls of a loop body (its statements and
// results) that can be computed a block at a time, and the assignments
// their arguments need. isK reports the innermost loop variable, under any
// of the names the fused Ops of the loop give it.
func vexpCalls(stmts []ir.Stmt, results []ir.Expr, isK func(*ir.Var) bool, filtered bool) ([]*ir.Call, []ir.Stmt) {
	defOf := map[*ir.Local]*ir.Assign{}
	moving := map[*ir.Local]bool{}
	written := map[*ir.Tensor]bool{}
	dep := func(e ir.Expr) bool {
		found := false
		ir.Walk(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.VarVal:
				found = found || isK(x.Var)
			case *ir.LocalVal:
				found = found || moving[x.Local]
			}
		})
		return found
	}
	for _, s := range stmts {
		switch s := s.(type) {
		case *ir.Assign:
			defOf[s.Local] = s
			if dep(s.Value) {
				moving[s.Local] = true
			}
		case *ir.Accum:
			written[s.Tensor] = true
		}
	}
	// closure returns the assignments e reads, transitively, and whether
	// all of e and them can be computed ahead of the steps.
	var closure func(e ir.Expr, need map[*ir.Assign]bool) bool
	closure = func(e ir.Expr, need map[*ir.Assign]bool) bool {
		ok := true
		ir.Walk(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.Call:
				ok = ok && x.Fn != "exp"
			case *ir.AdjLoad:
				ok = ok && !written[x.Tensor]
			case *ir.Load:
				for _, idx := range x.Index {
					if _, plain := idx.(*ir.VarVal); !plain && filtered {
						ok = false
					}
				}
			case *ir.Binary:
				ok = ok && !(filtered && x.Int && (x.Op == "/" || x.Op == "%"))
			case *ir.LocalVal:
				if a := defOf[x.Local]; a != nil && !need[a] {
					need[a] = true
					ok = ok && closure(a.Value, need)
				}
			}
		})
		return ok
	}
	var calls []*ir.Call
	seen := map[*ir.Call]bool{}
	need := map[*ir.Assign]bool{}
	visit := func(e ir.Expr) {
		ir.Walk(e, func(x ir.Expr) {
			c, ok := x.(*ir.Call)
			if !ok || c.Fn != "exp" || len(c.Args) != 1 || seen[c] || !dep(c.Args[0]) {
				return
			}
			mine := map[*ir.Assign]bool{}
			if !closure(c.Args[0], mine) {
				return
			}
			seen[c] = true
			calls = append(calls, c)
			for a := range mine {
				need[a] = true
			}
		})
	}
	for _, s := range stmts {
		switch s := s.(type) {
		case *ir.Assign:
			visit(s.Value)
		case *ir.Accum:
			visit(s.Value)
		}
	}
	for _, r := range results {
		visit(r)
	}
	var defs []ir.Stmt
	for _, s := range stmts {
		if a, ok := s.(*ir.Assign); ok && need[a] {
			defs = append(defs, a)
		}
	}
	return calls, defs
}

// bodyHasVexp reports whether an Op's body (or an adjoint's block) has an
// exponential the emitter will take a block at a time: the schedule's
// record of the choice. The emitter finds the calls again on the hoisted
// statements; hoisting moves out only what does not depend on the loop.
func bodyHasVexp(b *ir.Block, rvars []*ir.Var, filtered bool) bool {
	if b == nil || len(rvars) == 0 {
		return false
	}
	last := rvars[len(rvars)-1]
	var results []ir.Expr
	if b.Result != nil {
		results = []ir.Expr{b.Result}
	}
	calls, _ := vexpCalls(b.Stmts, results, func(v *ir.Var) bool { return v == last }, filtered)
	return len(calls) > 0
}

// findVexp prepares the blocking of the loop over last, bound, whose steps
// render stmts and results; nil if no exponential qualifies.
func (f *fn) findVexp(last *ir.Var, filtered bool, stmts []ir.Stmt, results []ir.Expr) *vexpState {
	k := f.varName(last)
	calls, defs := vexpCalls(stmts, results, func(v *ir.Var) bool {
		name, ok := f.varNames[v]
		return ok && name == k
	}, filtered)
	if len(calls) == 0 {
		return nil
	}
	vx := &vexpState{last: last, calls: calls, defs: defs, slot: map[*ir.Call]int{}, dead: map[*ir.Local]bool{}}
	for m, c := range calls {
		vx.slot[c] = m
	}
	// The steps as they read: a taken call is a buffer element (a
	// constant will do for the scan), and an assignment is live if a live
	// statement or a result reads it, looking backwards.
	var strip func(e ir.Expr) ir.Expr
	strip = func(e ir.Expr) ir.Expr {
		if c, ok := e.(*ir.Call); ok {
			if _, taken := vx.slot[c]; taken {
				return &ir.Const{}
			}
		}
		return ir.MapChildren(e, strip)
	}
	used := map[*ir.Local]bool{}
	uses := func(e ir.Expr) {
		ir.Walk(e, func(x ir.Expr) {
			if l, ok := x.(*ir.LocalVal); ok {
				used[l.Local] = true
			}
		})
	}
	for _, r := range results {
		r = strip(r)
		vx.results = append(vx.results, r)
		uses(r)
	}
	scan := make([]ir.Stmt, len(stmts))
	for i := len(stmts) - 1; i >= 0; i-- {
		switch st := stmts[i].(type) {
		case *ir.Assign:
			if !used[st.Local] {
				vx.dead[st.Local] = true
				continue
			}
			a := &ir.Assign{Local: st.Local, Value: strip(st.Value)}
			uses(a.Value)
			scan[i] = a
		case *ir.Accum:
			a := &ir.Accum{Tensor: st.Tensor, Index: st.Index, Value: strip(st.Value)}
			uses(a.Value)
			for _, x := range a.Index {
				uses(x)
			}
			scan[i] = a
		}
	}
	for _, st := range scan {
		if st != nil {
			vx.scan = append(vx.scan, st)
		}
	}
	f.vexpBufs = max(f.vexpBufs, len(calls))
	return vx
}

// vexpDead reports an assignment the steps being rendered skip.
func (f *fn) vexpDead(l *ir.Local) bool {
	return f.vexp != nil && f.vexp.on && f.vexp.dead[l]
}

// vexpRead renders a taken exp call inside the steps: its buffer at k-blk.
func (f *fn) vexpRead(c *ir.Call) (jen.Code, bool) {
	vx := f.vexp
	if vx == nil || !vx.on {
		return nil, false
	}
	m, ok := vx.slot[c]
	if !ok {
		return nil, false
	}
	k, _ := f.varCode(vx.last)
	return jen.Id(vexpBuf(m)).Index(jen.Add(k).Op("-").Id("blk")), true
}

// vexpFill renders a block's first half: the arguments into the buffers,
// then their exponentials.
func (f *fn) vexpFill(vx *vexpState) []jen.Code {
	k := f.varName(vx.last)
	copyNo, rows := f.copyNo, f.rows
	f.copyNo, f.rows = 0, nil
	f.renderVar(vx.last, varRender{code: jen.Id(k), prec: precAtom})
	body := f.stmts(vx.defs)
	for m, c := range vx.calls {
		body = append(body, jen.Id(vexpBuf(m)).Index(jen.Id(k).Op("-").Id("blk")).Op("=").Add(f.expr(c.Args[0])))
	}
	f.copyNo, f.rows = copyNo, rows
	out := []jen.Code{jen.For(jen.Id(k).Op(":=").Id("blk"), jen.Id(k).Op("<").Id("blkEnd"), jen.Id(k).Op("++")).Block(body...)}
	for m := range vx.calls {
		out = append(out, jen.Qual(rtPath, "ExpInPlace").Call(jen.Id(vexpBuf(m)).Index(jen.Op(":").Id("blkEnd").Op("-").Id("blk"))))
	}
	return out
}

// vexpBlocks wraps steps, the code of one block (it ranges over
// [blk, blkEnd)), in the loop over the blocks of [0, size), after the
// block's fill.
func (f *fn) vexpBlocks(vx *vexpState, size string, steps []jen.Code) []jen.Code {
	body := append([]jen.Code{jen.Id("blkEnd").Op(":=").Id("min").Call(jen.Id("blk").Op("+").Lit(vexpBlock), jen.Id(size))}, f.vexpFill(vx)...)
	body = append(body, steps...)
	return []jen.Code{jen.For(jen.Id("blk").Op(":=").Lit(0), jen.Id("blk").Op("<").Id(size), jen.Id("blk").Op("+=").Lit(vexpBlock)).Block(body...)}
}

// vexpSteps renders the steps with the taken calls reading their buffers.
func (f *fn) vexpSteps(vx *vexpState, render func() []jen.Code) []jen.Code {
	if vx == nil {
		return render()
	}
	f.vexp, vx.on = vx, true
	defer func() { f.vexp, vx.on = nil, false }()
	return render()
}

// vexpDecls declares the buffers a function's loops use.
func (f *fn) vexpDecls() []jen.Code {
	if f.vexpBufs == 0 {
		return nil
	}
	var names []jen.Code
	for m := range f.vexpBufs {
		names = append(names, jen.Id(vexpBuf(m)))
	}
	return []jen.Code{jen.Var().List(names...).Index(jen.Lit(vexpBlock)).Id(calc)}
}
