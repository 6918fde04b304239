package codegen

import (
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// An unrolled adjoint loop over k often accumulates into an adjoint element
// that does not move with k: adj(ls)[i] += h·pt[i, c] along c. Written as
// such, each addition loads and stores the element, and every iteration
// waits on the previous one's store. Promoted, the element gets one local
// accumulator per unrolled copy, summed in a fixed order after the loop and
// added to the element once — as the forward sums do, and with the same
// result at every worker count.

// promotable returns the accumulations of an unrolled adjoint loop that go
// to local accumulators. stmts is the loop's body (every fused adjoint's),
// lasts its innermost variable as each adjoint names it. Promoted are the
// accumulations whose element depends on none of lasts, into an adjoint
// stored in float64, whose tensor nothing else in the body reads or
// accumulates into (so no read sees the element half summed).
func (f *fn) promotable(stmts []ir.Stmt, lasts []*ir.Var) []*ir.Accum {
	dep := newDependence(lasts...)
	refs := map[*ir.Tensor]int{}
	reads := func(e ir.Expr) {
		ir.Walk(e, func(x ir.Expr) {
			if a, ok := x.(*ir.AdjLoad); ok {
				refs[a.Tensor] += 2
			}
		})
	}
	var cands []*ir.Accum
	for _, s := range stmts {
		switch s := s.(type) {
		case *ir.Assign:
			reads(s.Value)
			if dep.of(s.Value) {
				dep.mark(s.Local)
			}
		case *ir.Accum:
			refs[s.Tensor]++
			reads(s.Value)
			invariant := true
			for _, x := range s.Index {
				reads(x)
				invariant = invariant && !dep.of(x)
			}
			if invariant && !(f.g.stored(s.Tensor) && f.g.typ.name != calc) {
				cands = append(cands, s)
			}
		}
	}
	var out []*ir.Accum
	for _, a := range cands {
		if refs[a.Tensor] == 1 {
			out = append(out, a)
		}
	}
	return out
}

// promote numbers the accumulations for rendering (fn.stmt) and returns
// the code to run before the innermost loop — mid's, then the
// accumulators' declarations — and after it, the additions into the
// elements. Without accumulations it returns mid and nil.
func (f *fn) promote(accs []*ir.Accum, mid func() []jen.Code) (before, after func() []jen.Code) {
	if len(accs) == 0 {
		return mid, nil
	}
	f.promoted = map[*ir.Accum]int{}
	for m, a := range accs {
		f.promoted[a] = m
	}
	before = func() []jen.Code {
		var code, names []jen.Code
		if mid != nil {
			code = mid()
		}
		for m := range accs {
			for u := 0; u < unroll; u++ {
				names = append(names, jen.Id(f.accName(m, u)))
			}
		}
		return append(code, jen.Var().List(names...).Id(calc))
	}
	after = func() []jen.Code {
		var out []jen.Code
		for m, a := range accs {
			target := jen.Id(f.useAdj(a.Tensor)).Index(f.flat(a.Tensor, a.Index))
			out = append(out, target.Op("+=").Add(f.accTotal(m)))
		}
		return out
	}
	return before, after
}

// unpromoted returns stmts without the promoted accumulations, which slice
// no rows.
func unpromoted(stmts []ir.Stmt, accs []*ir.Accum) []ir.Stmt {
	if len(accs) == 0 {
		return stmts
	}
	var out []ir.Stmt
	for _, s := range stmts {
		if a, ok := s.(*ir.Accum); !ok || !slices.Contains(accs, a) {
			out = append(out, s)
		}
	}
	return out
}
