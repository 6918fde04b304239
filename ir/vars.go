package ir

// varsOf returns the loop variables e reads, in subscripts too.
func varsOf(e Expr) map[*Var]bool {
	out := map[*Var]bool{}
	Walk(e, func(x Expr) {
		if v, ok := x.(*VarVal); ok {
			out[v.Var] = true
		}
	})
	return out
}

// readsAny reports whether e reads any of vars.
func readsAny(e Expr, vars []*Var) bool {
	used := varsOf(e)
	for _, v := range vars {
		if used[v] {
			return true
		}
	}
	return false
}

// substVars returns a copy of e in which every variable in m reads as m's
// value for it.
func substVars(e Expr, m map[*Var]*Var) Expr {
	if v, ok := e.(*VarVal); ok {
		if to, ok := m[v.Var]; ok {
			return &VarVal{Var: to}
		}
		return e
	}
	return MapChildren(e, func(x Expr) Expr { return substVars(x, m) })
}

// loadAt returns a load of t at the given variables.
func loadAt(t *Tensor, vars ...*Var) *Load {
	idx := make([]Expr, len(vars))
	for p, v := range vars {
		idx[p] = &VarVal{Var: v}
	}
	return &Load{Tensor: t, Index: idx}
}

// isLoadAt reports whether e loads a whole real tensor at exactly vars:
// each subscript is the variable of its position, over the dimension's
// full range.
func isLoadAt(e Expr, vars ...*Var) bool {
	ld, ok := e.(*Load)
	if !ok || ld.Tensor.Int || len(ld.Index) != len(vars) {
		return false
	}
	for p, x := range ld.Index {
		v, ok := x.(*VarVal)
		if !ok || v.Var != vars[p] || ld.Tensor.Shape[p] != vars[p].Range {
			return false
		}
	}
	return true
}
