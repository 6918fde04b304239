package codegen

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Row logsumexp. A logsumexp over the last index of a tensor row,
//
//	lse[i] = logsumexp(j: z[i, j])
//
// and its adjoint, adj(z[i, j]) += adj(lse[i]) · exp(z[i, j] − lse[i]), are
// where cross-entropy-like losses spend their time: one exp per element
// forward and one backward. Both become calls to the runtime's vectorised
// row kernels (lossrt.LogSumExp and lossrt.AddScaledExp), whose exp is a
// range reduction and polynomial within an ulp of math.Exp.

// lseRow matches a load of a real tensor whose last index is k and whose
// other indices do not depend on k.
func lseRow(e ir.Expr, k *ir.Var) (*ir.Load, bool) {
	ld, ok := e.(*ir.Load)
	if !ok || ld.Tensor.Int || len(ld.Index) == 0 {
		return nil, false
	}
	n := len(ld.Index)
	last, ok := ld.Index[n-1].(*ir.VarVal)
	if !ok || last.Var != k || ld.Tensor.Shape[n-1] != k.Range {
		return nil, false
	}
	for _, x := range ld.Index[:n-1] {
		if dependsOn(x, k) {
			return nil, false
		}
	}
	return ld, true
}

// dependsOn reports whether e reads the loop variable k or any local.
func dependsOn(e ir.Expr, k *ir.Var) bool {
	dep := false
	ir.Walk(e, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.VarVal:
			dep = dep || x.Var == k
		case *ir.LocalVal:
			dep = true
		}
	})
	return dep
}

// lseRowOf recognises a logsumexp that can run as a row kernel: over the
// whole row, or (skip != nil) over the row but its element at index skip:
// the filter j != i of a softmax over the other samples of a batch, or
// c != labels[i] of one over the classes other than the target (NCA).
func lseRowOf(op *ir.Op, gathers []ir.Gather) (ld *ir.Load, skip ir.Expr, ok bool) {
	if op.Kind != ir.Reduce || op.Red != "logsumexp" || len(op.RVars) != 1 ||
		op.Body == nil || len(op.Body.Stmts) != 0 {
		return nil, nil, false
	}
	k := op.RVars[0]
	if op.Filter != nil {
		skip, ok = ir.SkipIndex(op.Filter, k, op.Index, gathers)
		if !ok {
			return nil, nil, false
		}
	}
	ld, ok = lseRow(op.Body.Result, k)
	return ld, skip, ok
}

// rowSlice renders the row of t (or of its adjoint) at the given leading
// indices: t[off:][:n], n being the last dimension.
func (f *fn) rowSlice(t *ir.Tensor, adj bool, prefix []ir.Expr) jen.Code {
	src := f.g.names.tensor[t]
	if adj {
		src = f.useAdj(t)
	} else {
		f.useTensor(t)
	}
	return f.rowOf(jen.Id(src), t, prefix, f.useSize(t.Shape[len(t.Shape)-1]))
}

// rowOf renders buf[off:][:size], off being the flat position of prefix in
// t's leading dimensions times size.
func (f *fn) rowOf(buf *jen.Statement, t *ir.Tensor, prefix []ir.Expr, size string) jen.Code {
	from := buf
	if len(prefix) > 0 {
		off := jen.Add(f.operand(flatPrefix(t, prefix), prec("*"), false)).Op("*").Id(size)
		from = buf.Clone().Index(jen.Add(off).Op(":"))
	}
	return jen.Add(from).Index(jen.Op(":").Id(size))
}

// lseRowForward emits target = lossrt.LogSumExp(row), or, keeping the
// exponentials for the backward pass, target, norm = LogSumExpKeep(kept, row)
// (LogSumExpKeepSkip when the run skips an element).
func (f *fn) lseRowForward(op *ir.Op, r *run) []jen.Code {
	ld, skip := r.lseRow, r.lseSkip
	row := f.rowSlice(ld.Tensor, false, ld.Index[:len(ld.Index)-1])
	if kb, ok := f.g.keep[op]; ok {
		norm := jen.Id("ws").Dot(kb.norm).Index(f.flat(op.Target, vals(op.Index)))
		if skip != nil {
			sk := f.expr(skip)
			return []jen.Code{jen.List(f.target(op), norm).Op("=").Qual(rtPath, "LogSumExpKeepSkip").Call(f.keptRow(op, kb), row, sk)}
		}
		return []jen.Code{jen.List(f.target(op), norm).Op("=").Qual(rtPath, "LogSumExpKeep").Call(f.keptRow(op, kb), row)}
	}
	return []jen.Code{f.target(op).Op("=").Qual(rtPath, "LogSumExp").Call(row)}
}

// lseRowAdjoint recognises the adjoint block of a row logsumexp,
// adj(z[.., k]) += s · exp(z[.., k] − u) with s and u independent of k.
func lseRowAdjoint(adj *ir.AdjointOp, gathers []ir.Gather) (ld *ir.Load, scale, shift ir.Expr, ok bool) {
	op := adj.Fwd
	ld, _, ok = lseRowOf(op, gathers)
	if !ok || len(adj.Block.Stmts) != 1 {
		return nil, nil, nil, false
	}
	k := op.RVars[0]
	acc, ok := adj.Block.Stmts[0].(*ir.Accum)
	if !ok || acc.Tensor != ld.Tensor || !sameIndex(acc.Index, ld.Index) {
		return nil, nil, nil, false
	}
	mul, ok := acc.Value.(*ir.Binary)
	if !ok || mul.Op != "*" {
		return nil, nil, nil, false
	}
	scale, e := mul.X, mul.Y
	call, ok := e.(*ir.Call)
	if !ok {
		scale, e = mul.Y, mul.X
		call, ok = e.(*ir.Call)
	}
	if !ok || call.Fn != "exp" || len(call.Args) != 1 || dependsOn(scale, k) {
		return nil, nil, nil, false
	}
	diff, ok := call.Args[0].(*ir.Binary)
	if !ok || diff.Op != "-" || dependsOn(diff.Y, k) {
		return nil, nil, nil, false
	}
	if x, ok := lseRow(diff.X, k); !ok || x.Tensor != ld.Tensor || !sameIndex(x.Index, ld.Index) {
		return nil, nil, nil, false
	}
	return ld, scale, diff.Y, true
}

// lseRowBackward emits the adjoint of a row logsumexp: from the kept
// exponentials when the forward pass kept them, else
// lossrt.AddScaledExp(adj row, row, s, u).
func (f *fn) lseRowBackward(adj *ir.AdjointOp, r *run) []jen.Code {
	ld, scale, shift, skip := r.lseRow, r.lseScale, r.lseSh, r.lseSkip
	prefix := ld.Index[:len(ld.Index)-1]
	if kb, ok := f.g.keep[adj.Fwd]; ok {
		op := adj.Fwd
		norm := jen.Id("ws").Dot(kb.norm).Index(f.flat(op.Target, vals(op.Index)))
		s := jen.Add(f.operand(scale, prec("*"), false)).Op("*").Add(norm)
		if skip == nil {
			return []jen.Code{jen.Qual(rtPath, "AddScaled").Call(
				f.rowSlice(ld.Tensor, true, prefix), s, f.keptRow(op, kb))}
		}
		// The skipped element gets nothing: the two pieces around it.
		sk := f.expr(skip)
		return []jen.Code{jen.Block(
			jen.Id("rowAdj").Op(":=").Add(f.rowSlice(ld.Tensor, true, prefix)),
			jen.Id("rowExp").Op(":=").Add(f.keptRow(op, kb)),
			jen.Id("rowScale").Op(":=").Add(s),
			jen.Qual(rtPath, "AddScaled").Call(jen.Id("rowAdj").Index(jen.Op(":").Add(sk)), jen.Id("rowScale"), jen.Id("rowExp").Index(jen.Op(":").Add(sk))),
			jen.Qual(rtPath, "AddScaled").Call(jen.Id("rowAdj").Index(jen.Add(sk).Op("+").Lit(1).Op(":")), jen.Id("rowScale"), jen.Id("rowExp").Index(jen.Add(sk).Op("+").Lit(1).Op(":"))),
		)}
	}
	return []jen.Code{jen.Qual(rtPath, "AddScaledExp").Call(
		f.rowSlice(ld.Tensor, true, prefix), f.rowSlice(ld.Tensor, false, prefix), f.expr(scale), f.expr(shift))}
}

// Kept exponentials. When the adjoint of a row logsumexp shifts by the
// logsumexp itself, exp(z[k] − lse) = exp(z[k] − m) / Σ exp(z[k'] − m), so
// the forward pass keeps the row's exp(z[k] − m) (in the row's own type)
// and 1/Σ, and the backward pass multiplies instead of calling exp again:
// half the exponentials of cross-entropy. The kept row costs one buffer of
// the logsumexp's shape times the row length.

// keepBufs names the workspace buffers of one kept logsumexp.
type keepBufs struct {
	exp  string // exp(z − m), rows of the reduction length
	norm string // 1 / Σ exp(z − m) per row
	row  *ir.Load
}

// keptExp reports whether adj is the adjoint of a row logsumexp of the
// forward pass that shifts by the logsumexp's own result, whose
// exponentials the forward pass can keep; ld is the row.
func keptExp(p *ir.Program, adj *ir.AdjointOp) (ld *ir.Load, ok bool) {
	ld, _, shift, ok := lseRowAdjoint(adj, p.Gathers)
	if !ok {
		return nil, false
	}
	op := adj.Fwd
	self, ok := shift.(*ir.Load)
	if !ok || self.Tensor != op.Target || !sameIndex(self.Index, vals(op.Index)) || !slices.Contains(p.Forward, op) {
		return nil, false
	}
	return ld, true
}

// keepNames names the buffers of the schedule's kept exponentials.
func keepNames(s *Schedule, n *names) map[*ir.Op]keepBufs {
	out := map[*ir.Op]keepBufs{}
	for _, adj := range s.p.Backward {
		ld, ok := s.kept[adj.Fwd]
		if !ok {
			continue
		}
		base := n.tensor[adj.Fwd.Target]
		out[adj.Fwd] = keepBufs{exp: n.local(base + "Exp"), norm: n.local(base + "Norm"), row: ld}
	}
	return out
}

// keptRow renders the kept exponentials of the current row of op.
func (f *fn) keptRow(op *ir.Op, kb keepBufs) jen.Code {
	return f.rowOf(jen.Id("ws").Dot(kb.exp), op.Target, vals(op.Index), f.useSize(op.RVars[0].Range))
}

// sameIndex reports whether two index lists are the same variables.
func sameIndex(a, b []ir.Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for p := range a {
		x, ok1 := a[p].(*ir.VarVal)
		y, ok2 := b[p].(*ir.VarVal)
		if !ok1 || !ok2 || x.Var != y.Var {
			return false
		}
	}
	return true
}
