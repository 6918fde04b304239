package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Pairwise distance matrices. A group that starts with
//
//	t[i, j] = sum(k: (a[i, k] - b[j, k])^2)
//
// over whole rows of two matrices (the d[i, j] of the triplet losses) fills
// the rows of t its range of i covers with one lossrt.SqDistMatrix call,
// ahead of the group's loops, instead of one SqDist call per (i, j) inside
// them. The runtime tiles the columns for the cache, does several rows of b
// per pass, and computes each pair of a matrix against itself once; every
// entry is still bit-identical to the SqDist call it replaces. The rest of
// the group (the square root, ...) runs in the loops as before, reading t.
//
// Hoisting is sound when the rows the op reads are not written by the
// group and no unit before it in the group reads its target (both
// checked): then computing all of its (i, j) first changes no value.

// pairDist is a matched pairwise distance op: rows of a indexed by i, rows
// of b by j.
type pairDist struct {
	op   *ir.Op
	a, b *ir.Tensor
}

// pairDists splits a group into the pairwise distance ops that can run
// ahead of its loops and the units that stay in them. An op can go first
// when the rows it reads are not written by the group and no unit before it
// reads what it writes; the units keep their order.
func (pl *planner) pairDists(group []unit) (hoisted []pairDist, rest []unit) {
	for p, u := range group {
		if d, ok := pl.pairDistOf(u); ok && canHoist(group, p, d) {
			hoisted = append(hoisted, d)
			continue
		}
		rest = append(rest, u)
	}
	return hoisted, rest
}

func canHoist(group []unit, p int, d pairDist) bool {
	for q, u := range group {
		for _, w := range u.writes() {
			if !w.adj && (w.t == d.a || w.t == d.b) {
				return false
			}
		}
		if q < p {
			for _, r := range u.reads() {
				if !r.adj && r.t == d.op.Target {
					return false
				}
			}
		}
	}
	return true
}

// pairDistOf matches one unit.
func (pl *planner) pairDistOf(u unit) (pairDist, bool) {
	op := u.fwd
	if op == nil || len(op.Index) != 2 || op.Target.Rank() != 2 {
		return pairDist{}, false
	}
	r, ok := pl.rowReduceOf(op)
	if !ok || r.fn != "SqDist" || len(op.RVars) != 1 {
		return pairDist{}, false
	}
	// The target is stored in the compute type: the kernel writes float64.
	if pl.stored(op.Target) && pl.typ != calc {
		return pairDist{}, false
	}
	i, j := op.Index[0], op.Index[1]
	a, b := r.a, r.b
	if rowVar(b) == i && rowVar(a) == j {
		a, b = b, a // (b_i - a_j)^2 = (a_j - b_i)^2 bit for bit
	}
	if rowVar(a) != i || rowVar(b) != j {
		return pairDist{}, false
	}
	k := op.RVars[0]
	full := func(t *ir.Tensor, v *ir.Var) bool {
		return t.Rank() == 2 && t.Shape[0] == v.Range && t.Shape[1] == k.Range
	}
	if !full(a.Tensor, i) || !full(b.Tensor, j) ||
		op.Target.Shape[0] != i.Range || op.Target.Shape[1] != j.Range {
		return pairDist{}, false
	}
	return pairDist{op: op, a: a.Tensor, b: b.Tensor}, true
}

// rowVar is the variable a row load's leading index is, or nil.
func rowVar(ld *ir.Load) *ir.Var {
	if len(ld.Index) != 2 {
		return nil
	}
	if v, ok := ld.Index[0].(*ir.VarVal); ok {
		return v.Var
	}
	return nil
}

// pairDistCall renders the SqDistMatrix call for the group's range of i:
// [lo, hi) in a parallel part, all rows otherwise. outer is the group's
// outer variable (the op's i may be an alias of it).
func (f *fn) pairDistCall(p pairDist, outer *ir.Var) jen.Code {
	i, j := p.op.Index[0], p.op.Index[1]
	lo, hi := jen.Id("lo"), jen.Id("hi")
	if f.outer == nil || f.outer != outer {
		lo, hi = jen.Lit(0), jen.Id(f.useSize(i.Range))
	}
	return jen.Qual(rtPath, "SqDistMatrix").Call(
		jen.Id(f.useTensor(p.op.Target)), jen.Id(f.useSize(j.Range)),
		jen.Id(f.useTensor(p.a)), jen.Id(f.useTensor(p.b)),
		jen.Id(f.useSize(p.op.RVars[0].Range)), lo, hi)
}
