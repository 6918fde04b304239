package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// The adjoint of pairwise squared distances. For
//
//	d[i, j] = sum(k: (a[i, k] - b[j, k])^2)
//
// autodiff derives, per pair, g := adj(d[i, j])·2·(a[i, k] − b[j, k]),
// adj(a[i, k]) += g, adj(b[j, k]) −= g. When every pair has an adjoint (a
// softmax or an exponential over all pairs: align-uniform, proxy-NCA) that
// is n·m row updates; the same sum is also two matrix products and a row
// scaling (lossrt.SqDistGrad), which the runtime picks from the number of
// nonzero entries of adj(d) on each call. Batch-hard mining leaves two per
// row, and keeps its row updates.

// pairGrad is a recognised pairwise-distance adjoint.
type pairGrad struct {
	adj      *ir.AdjointOp
	a, b     *ir.Load // rows a[i, k] and b[j, k]
	scale    float64  // the constant times adj(d[i, j])
	toA, toB bool     // which rows receive a gradient
}

// pairwiseRows matches the forward form: an unfiltered sum over one
// variable k of (a[i, k] − b[j, k])², d rank 2 at [i, j], a and b whole
// real tensors of rank 2. It is structural: it holds in every float type.
func pairwiseRows(op *ir.Op) (a, b *ir.Load, ok bool) {
	if op.Kind != ir.Reduce || op.Red != "sum" || op.Filter != nil || len(op.RVars) != 1 ||
		len(op.Index) != 2 || op.Body == nil {
		return nil, nil, false
	}
	c := newRowCtx(op.RVars[0], op.Body.Stmts)
	e := c.resolve(op.Body.Result)
	var diff ir.Expr
	switch x := e.(type) {
	case *ir.Binary:
		if x.Op == "*" && exprEqual(x.X, x.Y) {
			diff = x.X
		}
	case *ir.Call:
		if x.Fn == "pow" && len(x.Args) == 2 {
			if k, isConst := x.Args[1].(*ir.Const); isConst && k.Value == 2 {
				diff = x.Args[0]
			}
		}
	}
	if diff == nil {
		return nil, nil, false
	}
	a, b, ok = c.diff(diff)
	if !ok || !wholeRow(a, op.Index[0], op.RVars[0]) || !wholeRow(b, op.Index[1], op.RVars[0]) {
		return nil, nil, false
	}
	return a, b, true
}

// wholeRow reports whether ld reads a whole rank-2 real tensor at [v, k].
func wholeRow(ld *ir.Load, v, k *ir.Var) bool {
	if ld.Tensor.Int || len(ld.Index) != 2 {
		return false
	}
	x, ok1 := ld.Index[0].(*ir.VarVal)
	y, ok2 := ld.Index[1].(*ir.VarVal)
	return ok1 && ok2 && x.Var == v && y.Var == k && ld.Tensor.Shape[0] == v.Range && ld.Tensor.Shape[1] == k.Range
}

// pairGradOf recognises the adjoint block autodiff derives for the
// pairwise form.
func pairGradOf(adj *ir.AdjointOp) (pairGrad, bool) {
	op := adj.Fwd
	a, b, ok := pairwiseRows(op)
	if !ok {
		return pairGrad{}, false
	}
	p := pairGrad{adj: adj, a: a, b: b}
	c := newRowCtx(op.RVars[0], adj.Block.Stmts)
	// The one value accumulated: adj(d[i, j])·scale·(a − b).
	isValue := func(e ir.Expr) bool {
		m, ok := e.(*ir.Binary)
		if !ok || m.Op != "*" || !exprEqual(m.Y, &ir.Binary{Op: "-", X: a, Y: b}) {
			return false
		}
		s, ok := m.X.(*ir.Binary)
		if !ok || s.Op != "*" {
			return false
		}
		g, ok1 := s.X.(*ir.AdjLoad)
		k, ok2 := s.Y.(*ir.Const)
		if !ok1 || !ok2 || g.Tensor != op.Target || !pointwise(access{t: g.Tensor, adj: true, idx: g.Index}, op) {
			return false
		}
		if p.scale != 0 && p.scale != k.Value {
			return false
		}
		p.scale = k.Value
		return true
	}
	for _, s := range adj.Block.Stmts {
		acc, ok := s.(*ir.Accum)
		if !ok {
			continue // locals, resolved where they are read
		}
		v := c.resolve(acc.Value)
		target := &ir.Load{Tensor: acc.Tensor, Index: acc.Index}
		switch u, neg := v.(*ir.Unary); {
		case !neg && isValue(v) && exprEqual(target, a) && !p.toA:
			p.toA = true
		case neg && u.Op == "-" && isValue(u.X) && exprEqual(target, b) && !p.toB:
			p.toB = true
		default:
			return pairGrad{}, false
		}
	}
	return p, p.toA || p.toB
}

// pairGradNames names the workspace's lossrt.SqDistGrad for each pairwise
// adjoint the schedule runs as one. Where every path from d to the loss
// goes through a max or min reduction (batch-hard mining: d's hardest
// positive and negative per row), adj(d) has at most one nonzero per row
// and reduction by construction, and the schedule keeps the pair updates in
// the loops, fused with the rest of d's adjoint, without a count of
// nonzeros on every call (see plan).
func pairGradNames(s *Schedule, n *names) map[*ir.AdjointOp]string {
	out := map[*ir.AdjointOp]string{}
	for _, adj := range s.p.Backward {
		if s.sqDist[adj] {
			out[adj] = n.local(n.tensor[adj.Fwd.Target] + "Grad")
		}
	}
	return out
}

// mined reports whether the gradient reaches t only through max and min
// reductions: each forward Op that reads t in its body is one, or an
// elementwise map of t at its own indices whose target is mined in turn.
func mined(p *ir.Program, t *ir.Tensor, seen map[*ir.Tensor]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	if t == p.Result {
		return false
	}
	for _, op := range p.Forward {
		if op.Body == nil || !readsTensor(op.Body, t) {
			continue
		}
		switch {
		case op.Kind == ir.Reduce && (op.Red == "max" || op.Red == "min"):
		case op.Kind == ir.Map && pointwiseReads(op, t) && mined(p, op.Target, seen):
		default:
			return false
		}
	}
	return true
}

// readsTensor reports whether a block reads t.
func readsTensor(b *ir.Block, t *ir.Tensor) bool {
	found := false
	visit := func(e ir.Expr) {
		ir.Walk(e, func(x ir.Expr) {
			if ld, ok := x.(*ir.Load); ok && ld.Tensor == t {
				found = true
			}
		})
	}
	for _, s := range b.Stmts {
		if a, ok := s.(*ir.Assign); ok {
			visit(a.Value)
		}
	}
	if b.Result != nil {
		visit(b.Result)
	}
	return found
}

// pointwiseReads reports whether every read of t in op's body is at op's
// own indices.
func pointwiseReads(op *ir.Op, t *ir.Tensor) bool {
	ok := true
	visit := func(e ir.Expr) {
		ir.Walk(e, func(x ir.Expr) {
			if ld, isLoad := x.(*ir.Load); isLoad && ld.Tensor == t && !pointwise(access{t: t, idx: ld.Index}, op) {
				ok = false
			}
		})
	}
	for _, s := range op.Body.Stmts {
		if a, isAssign := s.(*ir.Assign); isAssign {
			visit(a.Value)
		}
	}
	visit(op.Body.Result)
	return ok
}

// pairwiseOperands lists the intermediates read as rows of a pairwise
// distance: they are stored in the kernel's type, as inputs are, so that
// the distance kernels and the products of the adjoint read them as they
// are.
//
// Only intermediates that elementwise maps write qualify (a map narrows as
// it stores); the rows of a distance between any other intermediate and an
// input have two types, and that distance runs as loops.
func pairwiseOperands(p *ir.Program, narrow map[*ir.Tensor]bool) {
	maps := mapTargets(p)
	for _, op := range p.Forward {
		if a, b, ok := pairwiseRows(op); ok {
			for _, t := range []*ir.Tensor{a.Tensor, b.Tensor} {
				if t.Kind == ir.Temp && maps[t] {
					narrow[t] = true
				}
			}
		}
	}
}

// pairGradCall emits a pairwise adjoint as one lossrt.SqDistGrad call.
func (f *fn) pairGradCall(p pairGrad) []jen.Code {
	d := p.adj.Fwd.Target
	rows := func(to bool, t *ir.Tensor) jen.Code {
		if !to {
			return jen.Nil()
		}
		return jen.Id(f.useAdj(t))
	}
	j := p.adj.Fwd.Index[1]
	call := jen.Id("ws").Dot(f.g.pairGrad[p.adj]).Dot("Accumulate").Call(
		jen.Id("ws").Dot("gemm"),
		rows(p.toA, p.a.Tensor), rows(p.toB, p.b.Tensor),
		jen.Lit(p.scale), jen.Id(f.useAdj(d)), jen.Id(f.useSize(j.Range)),
		jen.Id(f.useTensor(p.a.Tensor)), jen.Id(f.useTensor(p.b.Tensor)),
		jen.Id(f.useSize(p.adj.Fwd.RVars[0].Range)))
	return []jen.Code{call}
}
