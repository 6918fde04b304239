package codegen

import (
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

// lseRowOf recognises a logsumexp that can run as a row kernel.
func lseRowOf(op *ir.Op) (*ir.Load, bool) {
	if op.Kind != ir.Reduce || op.Red != "logsumexp" || op.Filter != nil || len(op.RVars) != 1 ||
		op.Body == nil || len(op.Body.Stmts) != 0 {
		return nil, false
	}
	return lseRow(op.Body.Result, op.RVars[0])
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
	size := jen.Id(f.useSize(t.Shape[len(t.Shape)-1]))
	var from jen.Code = jen.Id(src)
	if len(prefix) > 0 {
		off := jen.Add(f.operand(flatPrefix(f, t, prefix), prec("*"), false)).Op("*").Add(size)
		from = jen.Id(src).Index(jen.Add(off).Op(":"))
	}
	return jen.Add(from).Index(jen.Op(":").Add(size))
}

// lseRowForward emits target = lossrt.LogSumExp(row).
func (f *fn) lseRowForward(op *ir.Op, ld *ir.Load) []jen.Code {
	row := f.rowSlice(ld.Tensor, false, ld.Index[:len(ld.Index)-1])
	return []jen.Code{f.target(op).Op("=").Qual(rtPath, "LogSumExp").Call(row)}
}

// lseRowBackward recognises the adjoint block of a row logsumexp,
// adj(z[.., k]) += s · exp(z[.., k] − u) with s and u independent of k, and
// emits lossrt.AddScaledExp(adj row, row, s, u).
func (f *fn) lseRowBackward(adj *ir.AdjointOp) ([]jen.Code, bool) {
	op := adj.Fwd
	ld, ok := lseRowOf(op)
	if !ok || len(adj.Block.Stmts) != 1 {
		return nil, false
	}
	k := op.RVars[0]
	acc, ok := adj.Block.Stmts[0].(*ir.Accum)
	if !ok || acc.Tensor != ld.Tensor || !sameIndex(acc.Index, ld.Index) {
		return nil, false
	}
	mul, ok := acc.Value.(*ir.Binary)
	if !ok || mul.Op != "*" {
		return nil, false
	}
	scale, e := mul.X, mul.Y
	call, ok := e.(*ir.Call)
	if !ok {
		scale, e = mul.Y, mul.X
		call, ok = e.(*ir.Call)
	}
	if !ok || call.Fn != "exp" || len(call.Args) != 1 || dependsOn(scale, k) {
		return nil, false
	}
	diff, ok := call.Args[0].(*ir.Binary)
	if !ok || diff.Op != "-" || dependsOn(diff.Y, k) {
		return nil, false
	}
	if x, ok := lseRow(diff.X, k); !ok || x.Tensor != ld.Tensor || !sameIndex(x.Index, ld.Index) {
		return nil, false
	}
	prefix := ld.Index[:len(ld.Index)-1]
	return []jen.Code{jen.Qual(rtPath, "AddScaledExp").Call(
		f.rowSlice(ld.Tensor, true, prefix), f.rowSlice(ld.Tensor, false, prefix), f.expr(scale), f.expr(diff.Y))}, true
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
