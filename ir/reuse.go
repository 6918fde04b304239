package ir

// Reading materialised maps at other subscripts. After the operand
// prologues exist, an expression elsewhere in the spec that computes a
// rank-2-or-more map's body at other subscripts,
//
//	ls_arg[i, j] = x[i, j] / t                         (a prologue)
//	loss = mean(i: ls[i] - x[i, labels[i]] / t)
//
// reads the map instead: loss = mean(i: ls[i] - ls_arg[i, labels[i]]).
// That is what the same loss computes when its author names the map
// (z[i, j] = x[i, j] / t, then z[i, labels[i]]), so both spellings get one
// schedule, and the gathered term's adjoint joins the map's instead of
// taking a path of its own. It costs nothing: a load replaces a load and
// the arithmetic on it.
//
// A map qualifies when its body is an expression (not a bare load) with no
// locals, reads a tensor, and uses its index variables only as subscripts,
// so that any subscripts they match are in range for the map's dimensions.
// Only Ops after the map are rewritten.

// reuseMaps rewrites p's forward Ops to read earlier maps as above.
func reuseMaps(p *Program) {
	var pats []*Op
	for _, op := range p.Forward {
		for _, pat := range pats {
			rewriteReads(op, pat)
		}
		if reusable(op) {
			pats = append(pats, op)
		}
	}
}

// reusable reports whether a map's body may be matched elsewhere.
func reusable(op *Op) bool {
	if op.Kind != Map || len(op.Index) < 2 || op.Target.Int || op.Body == nil || len(op.Body.Stmts) != 0 {
		return false
	}
	e := op.Body.Result
	if _, bare := e.(*Load); bare {
		return false
	}
	loads := false
	ok := true
	var visit func(e Expr, subscript bool)
	visit = func(e Expr, subscript bool) {
		switch e := e.(type) {
		case *VarVal:
			if !subscript && containsVar(op.Index, e.Var) {
				ok = false
			}
		case *Load:
			loads = true
			for _, x := range e.Index {
				visit(x, true)
			}
		case *LocalVal, *AdjLoad:
			ok = false
		default:
			for _, c := range children(e) {
				visit(c, false)
			}
		}
	}
	visit(e, false)
	return ok && loads
}

// rewriteReads replaces, in op's body and filter, every instance of pat's
// body at some subscripts by a load of pat's target at them.
func rewriteReads(op *Op, pat *Op) {
	var sub func(e Expr) Expr
	sub = func(e Expr) Expr {
		bind := map[*Var]Expr{}
		if unify(pat.Body.Result, e, pat.Index, bind) && len(bind) == len(pat.Index) {
			idx := make([]Expr, len(pat.Index))
			for p, v := range pat.Index {
				idx[p] = bind[v]
			}
			return &Load{Tensor: pat.Target, Index: idx}
		}
		return MapChildren(e, sub)
	}
	mapOp(op, sub)
}

// unify reports whether e is pat with each of vars replaced by an
// expression (the same one at every occurrence), recording them in bind.
func unify(pat, e Expr, vars []*Var, bind map[*Var]Expr) bool {
	if pv, ok := pat.(*VarVal); ok && containsVar(vars, pv.Var) {
		if b, ok := bind[pv.Var]; ok {
			return String(b) == String(e)
		}
		if !IsInt(e) {
			return false
		}
		bind[pv.Var] = e
		return true
	}
	switch p := pat.(type) {
	case *Const:
		x, ok := e.(*Const)
		return ok && x.Value == p.Value
	case *SizeVal:
		x, ok := e.(*SizeVal)
		return ok && x.Size == p.Size && x.Int == p.Int
	case *ParamVal:
		x, ok := e.(*ParamVal)
		return ok && x.Param == p.Param
	case *VarVal:
		x, ok := e.(*VarVal)
		return ok && x.Var == p.Var
	case *Load:
		x, ok := e.(*Load)
		if !ok || x.Tensor != p.Tensor || len(x.Index) != len(p.Index) {
			return false
		}
		for i := range p.Index {
			if !unify(p.Index[i], x.Index[i], vars, bind) {
				return false
			}
		}
		return true
	case *Unary:
		x, ok := e.(*Unary)
		return ok && x.Op == p.Op && unify(p.X, x.X, vars, bind)
	case *Binary:
		x, ok := e.(*Binary)
		return ok && x.Op == p.Op && x.Int == p.Int && unify(p.X, x.X, vars, bind) && unify(p.Y, x.Y, vars, bind)
	case *Call:
		x, ok := e.(*Call)
		if !ok || x.Fn != p.Fn || len(x.Args) != len(p.Args) {
			return false
		}
		for i := range p.Args {
			if !unify(p.Args[i], x.Args[i], vars, bind) {
				return false
			}
		}
		return true
	}
	return false
}
