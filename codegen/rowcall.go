package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Row calls. The innermost sums of the distance and norm losses run along
// a contiguous row, k being the last index of every tensor they read:
//
//	sum(k: (a[i, k] - b[i, k])^2)    lossrt.SqDist(aRow, bRow)
//	sum(k: a[i, k] * b[j, k])        lossrt.Dot(aRow, bRow)
//	sum(k: a[i, k])                  lossrt.Sum(aRow)
//
// and their adjoints accumulate a multiple of a row, or of a difference of
// rows, into adjoint rows:
//
//	adj(a[i, k]) += s·(a − b)[i, k], adj(b[i, k]) -= the same   lossrt.AddScaledDiff
//	adj(a[i, k]) += s·b[j, k]                                     lossrt.AddScaled
//	adj(a[i, k]) += s                                             lossrt.AddConst
//
// with s independent of k. Each becomes one call to a vectorised runtime
// kernel per row. The element-wise kernels round exactly as the loops would,
// and their calls run in the order of the statements, so every gradient
// element receives its contributions in the same order as before. The
// reductions use the kernels' fixed lane order instead of the loops' four
// accumulators: a different, equally fixed rounding.

// rowCtx resolves the locals of one block: each local's value with earlier
// locals substituted, so that matching sees whole expressions.
type rowCtx struct {
	k    *ir.Var
	vals map[*ir.Local]ir.Expr
}

func newRowCtx(k *ir.Var, stmts []ir.Stmt) *rowCtx {
	c := &rowCtx{k: k, vals: map[*ir.Local]ir.Expr{}}
	for _, s := range stmts {
		if a, ok := s.(*ir.Assign); ok {
			c.vals[a.Local] = c.resolve(a.Value)
		}
	}
	return c
}

func (c *rowCtx) resolve(e ir.Expr) ir.Expr {
	if l, ok := e.(*ir.LocalVal); ok {
		if v, ok := c.vals[l.Local]; ok {
			return v
		}
		return e
	}
	return ir.MapChildren(e, c.resolve)
}

// invariant reports whether a resolved expression does not depend on k
// (and reads no unresolved local).
func (c *rowCtx) invariant(e ir.Expr) bool { return !dependsOn(e, c.k) }

// row matches a resolved load along k.
func (c *rowCtx) row(e ir.Expr) (*ir.Load, bool) { return lseRow(e, c.k) }

// diff matches a − b of two rows.
func (c *rowCtx) diff(e ir.Expr) (a, b *ir.Load, ok bool) {
	d, ok := e.(*ir.Binary)
	if !ok || d.Op != "-" || d.Int {
		return nil, nil, false
	}
	a, ok1 := c.row(d.X)
	b, ok2 := c.row(d.Y)
	return a, b, ok1 && ok2
}

// scaled splits s·x or x·s with s invariant, returning (s, x).
func (c *rowCtx) scaled(e ir.Expr) (s, x ir.Expr, ok bool) {
	m, ok := e.(*ir.Binary)
	if !ok || m.Op != "*" || m.Int {
		return nil, nil, false
	}
	if c.invariant(m.X) && !c.invariant(m.Y) {
		return m.X, m.Y, true
	}
	if c.invariant(m.Y) && !c.invariant(m.X) {
		return m.Y, m.X, true
	}
	return nil, nil, false
}

// rowReduce is one reduction as a row call.
type rowReduce struct {
	fn   string // "Sum", "Dot" or "SqDist"
	a, b *ir.Load
}

// sameRowType reports whether two rows have the same Go element type, as
// the generic kernels need.
func (s storage) sameRowType(a, b *ir.Load) bool { return s.stored(a.Tensor) == s.stored(b.Tensor) }

// rowReduceOf recognises an unfiltered sum over one variable in row form.
func (s storage) rowReduceOf(op *ir.Op) (rowReduce, bool) {
	if op.Kind != ir.Reduce || op.Red != "sum" || op.Filter != nil || len(op.RVars) == 0 || op.Body == nil {
		return rowReduce{}, false
	}
	c := newRowCtx(op.RVars[len(op.RVars)-1], op.Body.Stmts)
	for _, s := range op.Body.Stmts {
		if _, ok := s.(*ir.Assign); !ok {
			return rowReduce{}, false
		}
	}
	e := c.resolve(op.Body.Result)
	if a, ok := c.row(e); ok {
		return rowReduce{fn: "Sum", a: a}, true
	}
	m, ok := e.(*ir.Binary)
	if !ok || m.Op != "*" || m.Int {
		return rowReduce{}, false
	}
	if a, b, ok := c.diff(m.X); ok && exprEqual(m.X, m.Y) && s.sameRowType(a, b) {
		return rowReduce{fn: "SqDist", a: a, b: b}, true
	}
	a, ok1 := c.row(m.X)
	b, ok2 := c.row(m.Y)
	if ok1 && ok2 && s.sameRowType(a, b) {
		return rowReduce{fn: "Dot", a: a, b: b}, true
	}
	return rowReduce{}, false
}

// rowLoad renders the row a load reads along its last index.
func (f *fn) rowLoad(ld *ir.Load) jen.Code {
	return f.rowSlice(ld.Tensor, false, ld.Index[:len(ld.Index)-1])
}

// rowAdj renders the adjoint row at a load's leading indices.
func (f *fn) rowAdj(t *ir.Tensor, idx []ir.Expr) jen.Code {
	return f.rowSlice(t, true, idx[:len(idx)-1])
}

// rowCallsForward emits a run of sums as row calls, rs being each sum's
// row form.
func (f *fn) rowCallsForward(ops []*ir.Op, rs []rowReduce) []jen.Code {
	var out []jen.Code
	for m, op := range ops {
		r := rs[m]
		outer := op.RVars[:len(op.RVars)-1]
		f.bindVars(outer)
		args := []jen.Code{f.rowLoad(r.a)}
		if r.b != nil {
			args = append(args, f.rowLoad(r.b))
		}
		call := jen.Qual(rtPath, r.fn).Call(args...)
		if len(outer) == 0 {
			out = append(out, f.target(op).Op("=").Add(call))
			continue
		}
		// Outer reduction variables: one row call per outer element,
		// added in row-major order.
		loops := f.loops(outer, []jen.Code{jen.Id("rowAcc").Op("+=").Add(call)})
		f.release(outer)
		out = append(out, jen.Block(append(append([]jen.Code{jen.Var().Id("rowAcc").Id(calc)}, loops...),
			f.target(op).Op("=").Id("rowAcc"))...))
	}
	return out
}

// rowUpdate is one adjoint accumulation as a row call.
type rowUpdate struct {
	fn     string // "AddScaledDiff", "AddScaled" or "AddConst"
	s      ir.Expr
	da, db *ir.Accum // AddScaledDiff: either may be nil
	dst    *ir.Accum // AddScaled, AddConst
	a, b   *ir.Load  // AddScaledDiff: a − b; AddScaled: b is the row scaled
}

// rowUpdatesOf recognises an adjoint block made only of row updates.
func (st storage) rowUpdatesOf(adj *ir.AdjointOp) ([]rowUpdate, bool) {
	op := adj.Fwd
	if op.Kind != ir.Reduce || op.Red != "sum" || op.Filter != nil || len(op.RVars) == 0 {
		return nil, false
	}
	c := newRowCtx(op.RVars[len(op.RVars)-1], adj.Block.Stmts)
	var out []rowUpdate
	for _, s := range adj.Block.Stmts {
		acc, ok := s.(*ir.Accum)
		if !ok {
			continue
		}
		// Indices through locals (a gather's label) are read in place.
		idx := make([]ir.Expr, len(acc.Index))
		for p, x := range acc.Index {
			idx[p] = c.resolve(x)
		}
		acc = &ir.Accum{Tensor: acc.Tensor, Index: idx, Value: acc.Value}
		// The target is a whole row of the adjoint along k.
		if _, ok := c.row(&ir.Load{Tensor: acc.Tensor, Index: acc.Index}); !ok || acc.Tensor.Int {
			return nil, false
		}
		v, neg := c.resolve(acc.Value), false
		if u, ok := v.(*ir.Unary); ok && u.Op == "-" {
			v, neg = u.X, true
		}
		if c.invariant(v) {
			if neg {
				v = &ir.Unary{Op: "-", X: v}
			}
			out = append(out, rowUpdate{fn: "AddConst", s: v, dst: acc})
			continue
		}
		sc, x, ok := c.scaled(v)
		if !ok {
			return nil, false
		}
		if a, b, ok := c.diff(x); ok {
			if !st.sameRowType(a, b) || st.stored(acc.Tensor) != st.stored(a.Tensor) {
				return nil, false
			}
			// adj(a) += s·(a − b) and adj(b) -= s·(a − b): one call, when
			// the two statements are adjacent and share s.
			if n := len(out); neg && n > 0 && out[n-1].fn == "AddScaledDiff" && out[n-1].db == nil &&
				exprEqual(out[n-1].a, a) && exprEqual(out[n-1].b, b) && exprEqual(out[n-1].s, sc) && sameRow(acc, b) {
				out[n-1].db = acc
				continue
			}
			u := rowUpdate{fn: "AddScaledDiff", s: sc, a: a, b: b}
			switch {
			case !neg && sameRow(acc, a):
				u.da = acc
			case neg && sameRow(acc, b):
				u.db = acc
			default:
				return nil, false
			}
			out = append(out, u)
			continue
		}
		b, ok := c.row(x)
		if !ok || st.stored(acc.Tensor) != st.stored(b.Tensor) {
			return nil, false
		}
		if neg {
			sc = &ir.Unary{Op: "-", X: sc}
		}
		out = append(out, rowUpdate{fn: "AddScaled", s: sc, dst: acc, b: b})
	}
	return out, len(out) > 0
}

// rowCallsBackward emits a run of sum adjoints as row calls, all being
// each adjoint's row updates. A call whose scale is zero is skipped, as the
// loops skipped an inactive hinge or a masked term.
func (f *fn) rowCallsBackward(adjs []*ir.AdjointOp, all [][]rowUpdate) []jen.Code {
	var out []jen.Code
	for m, us := range all {
		outer := adjs[m].Fwd.RVars[:len(adjs[m].Fwd.RVars)-1]
		f.bindVars(outer)
		var calls []jen.Code
		for _, u := range us {
			var call jen.Code
			s := jen.Id("rowScale")
			switch u.fn {
			case "AddScaledDiff":
				var da, db jen.Code = jen.Nil(), jen.Nil()
				if u.da != nil {
					da = f.rowAdj(u.da.Tensor, u.da.Index)
				}
				if u.db != nil {
					db = f.rowAdj(u.db.Tensor, u.db.Index)
				}
				call = jen.Qual(rtPath, u.fn).Call(da, db, s, f.rowLoad(u.a), f.rowLoad(u.b))
			case "AddScaled":
				call = jen.Qual(rtPath, u.fn).Call(f.rowAdj(u.dst.Tensor, u.dst.Index), s, f.rowLoad(u.b))
			default:
				call = jen.Qual(rtPath, u.fn).Call(f.rowAdj(u.dst.Tensor, u.dst.Index), s)
			}
			calls = append(calls, jen.If(jen.Id("rowScale").Op(":=").Add(f.expr(u.s)), jen.Id("rowScale").Op("!=").Lit(0)).Block(call))
		}
		out = append(out, f.loops(outer, calls)...)
		f.release(outer)
	}
	return out
}

// exprEqual reports whether two expressions are the same computation; the
// printed form names every tensor, local and variable, as CSE relies on.
func exprEqual(a, b ir.Expr) bool { return ir.String(a) == ir.String(b) }

// sameRow reports whether an accumulation targets the adjoint of the
// element a load reads.
func sameRow(acc *ir.Accum, ld *ir.Load) bool {
	return acc.Tensor == ld.Tensor && exprEqual(&ir.Load{Tensor: acc.Tensor, Index: acc.Index}, ld)
}
