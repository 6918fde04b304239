package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Row slicing: inside an unrolled loop over k, every access t[..., k]
// whose other subscripts do not change with k reads one contiguous row of
// t. The row is sliced once before the loop (t[off:][:K], so its length is
// exactly K), and each unrolled step re-slices four elements of it
// (row[k : k+4 : k+4]). The Go compiler then needs one bounds check per
// row and step instead of one per element.

// row is one such row of a value or adjoint tensor.
type row struct {
	tensor *ir.Tensor
	adj    bool
	prefix []ir.Expr // subscripts before the last
	name   string    // the row slice
	chunk  string    // the four-element window of the current step
}

// rowKey identifies a row by its tensor and its rendered Go prefix: the Ops
// of a fused loop have distinct loop variables that render as one name.
func (f *fn) rowKey(t *ir.Tensor, adj bool, prefix []ir.Expr) string {
	k := t.Name
	for _, x := range prefix {
		k += "," + fmt.Sprintf("%#v", f.expr(x))
	}
	if adj {
		return "adj:" + k
	}
	return k
}

// rowState is set on fn while the body of an unrolled loop is rendered.
type rowState struct {
	k      string // the loop variable's Go name
	rows   map[string]*row
	order  []*row
	inMain bool // rendering an unrolled step (use chunks) or the remainder (use rows)
}

// findRows collects the rows of the accesses in stmts and result that run
// along k, skipping any whose other subscripts depend on k or on a local
// computed inside the loop.
func (f *fn) findRows(k string, stmts []ir.Stmt, results []ir.Expr) *rowState {
	rs := &rowState{k: k, rows: map[string]*row{}}
	inner := map[*ir.Local]bool{}
	for _, s := range stmts {
		if a, ok := s.(*ir.Assign); ok {
			inner[a.Local] = true
		}
	}
	invariant := func(xs []ir.Expr) bool {
		ok := true
		for _, x := range xs {
			ir.Walk(x, func(e ir.Expr) {
				switch e := e.(type) {
				case *ir.VarVal:
					ok = ok && f.varName(e.Var) != k
				case *ir.LocalVal:
					ok = ok && !inner[e.Local]
				}
			})
		}
		return ok
	}
	add := func(t *ir.Tensor, adj bool, idx []ir.Expr) {
		if len(idx) == 0 {
			return
		}
		last, ok := idx[len(idx)-1].(*ir.VarVal)
		if !ok || f.varName(last.Var) != k || !invariant(idx[:len(idx)-1]) {
			return
		}
		prefix := idx[:len(idx)-1]
		key := f.rowKey(t, adj, prefix)
		if _, ok := rs.rows[key]; ok {
			return
		}
		base := f.g.names.tensor[t]
		if adj {
			base = f.g.names.adj[t]
		}
		n := len(rs.order) + 1
		r := &row{tensor: t, adj: adj, prefix: prefix,
			name: fmt.Sprintf("%sRow", base), chunk: fmt.Sprintf("%s%d", base, unroll)}
		for _, o := range rs.order {
			if o.name == r.name {
				r.name = fmt.Sprintf("%sRow%d", base, n)
				r.chunk = fmt.Sprintf("%s%d_%d", base, unroll, n)
			}
		}
		rs.rows[key] = r
		rs.order = append(rs.order, r)
	}
	walk := func(e ir.Expr) {
		ir.Walk(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.Load:
				add(x.Tensor, false, x.Index)
			case *ir.AdjLoad:
				add(x.Tensor, true, x.Index)
			}
		})
	}
	for _, s := range stmts {
		switch s := s.(type) {
		case *ir.Assign:
			walk(s.Value)
		case *ir.Accum:
			add(s.Tensor, true, s.Index)
			for _, x := range s.Index {
				walk(x)
			}
			walk(s.Value)
		}
	}
	for _, r := range results {
		walk(r)
	}
	return rs
}

// rowDecls slices every row before the loop.
func (f *fn) rowDecls(rs *rowState) []jen.Code {
	var out []jen.Code
	for _, r := range rs.order {
		out = append(out, jen.Id(r.name).Op(":=").Add(f.rowSlice(r.tensor, r.adj, r.prefix)))
	}
	return out
}

// flatPrefix returns the row index of prefix as an IR expression, so that
// operand() can parenthesise it.
func flatPrefix(t *ir.Tensor, prefix []ir.Expr) ir.Expr {
	e := prefix[0]
	for k := 1; k < len(prefix); k++ {
		e = &ir.Binary{Op: "+", Int: true, X: &ir.Binary{Op: "*", Int: true, X: e, Y: &ir.SizeVal{Size: t.Shape[k], Int: true}}, Y: prefix[k]}
	}
	return e
}

// chunkDecls re-slices the four elements of each row for the current step.
func (f *fn) chunkDecls(rs *rowState, k string) []jen.Code {
	var out []jen.Code
	for _, r := range rs.order {
		out = append(out, jen.Id(r.chunk).Op(":=").Id(r.name).Index(
			jen.Id(k).Op(":").Id(k).Op("+").Lit(unroll).Op(":").Id(k).Op("+").Lit(unroll)))
	}
	return out
}

// rowAccess renders t[idx] through a row if one applies.
func (f *fn) rowAccess(t *ir.Tensor, adj bool, idx []ir.Expr) (jen.Code, bool) {
	rs := f.rows
	if rs == nil || len(idx) == 0 {
		return nil, false
	}
	last, ok := idx[len(idx)-1].(*ir.VarVal)
	if !ok || f.varName(last.Var) != rs.k {
		return nil, false
	}
	r, ok := rs.rows[f.rowKey(t, adj, idx[:len(idx)-1])]
	if !ok {
		return nil, false
	}
	if rs.inMain {
		return jen.Id(r.chunk).Index(jen.Lit(f.copyNo)), true
	}
	return jen.Id(r.name).Index(jen.Id(rs.k)), true
}
