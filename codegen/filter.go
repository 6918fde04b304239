package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Filtered loops. A filter is a conjunction, and each conjunct is tested in
// the outermost loop where every reduction variable it reads is bound:
//
//	sum(p, n | labels[p] == labels[a] && p != a && labels[n] != labels[a]: ...)
//
// becomes
//
//	for p { if labels[p] == labels[a] && p != a { for n { if labels[n] != labels[a] { ... } } } }
//
// so the n loop runs only for the positives of anchor a (N times fewer
// steps in a batch of N/4 identities). Conjuncts are pure (loads of
// in-range elements and comparisons), so testing them earlier, and the
// later ones only where the earlier ones hold, selects exactly the same
// iterations, which run in the same order.

// filterLoops wraps body in the loops over rvars, guarded by filter. The
// innermost loop is innermost(code) around its guarded body.
func (f *fn) filterLoops(rvars []*ir.Var, filter ir.Expr, body []jen.Code, innermost func([]jen.Code) []jen.Code) []jen.Code {
	// levels[0] holds the conjuncts that read no reduction variable (tested
	// before the loops), levels[k+1] those whose innermost variable is
	// rvars[k].
	levels := make([][]ir.Expr, len(rvars)+1)
	for _, c := range conjuncts(filter) {
		lvl := 0
		for k, v := range rvars {
			if dependsOn(c, v) {
				lvl = k + 1
			}
		}
		levels[lvl] = append(levels[lvl], c)
	}
	code := innermost(f.guard(levels[len(rvars)], body))
	code = f.guard(levels[len(rvars)-1], code)
	for k := len(rvars) - 2; k >= 0; k-- {
		code = f.guard(levels[k], f.loops(rvars[k:k+1], code))
	}
	return code
}

// guard wraps code in an if testing the conjunction of conds, in order.
func (f *fn) guard(conds []ir.Expr, code []jen.Code) []jen.Code {
	if len(conds) == 0 {
		return code
	}
	cond := conds[0]
	for _, c := range conds[1:] {
		cond = &ir.Binary{Op: "&&", X: cond, Y: c}
	}
	return []jen.Code{jen.If(f.expr(cond)).Block(code...)}
}

// conjuncts flattens a && b && ... into its operands, left to right.
func conjuncts(e ir.Expr) []ir.Expr {
	if b, ok := e.(*ir.Binary); ok && b.Op == "&&" {
		return append(conjuncts(b.X), conjuncts(b.Y)...)
	}
	return []ir.Expr{e}
}
