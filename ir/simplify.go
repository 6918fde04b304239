package ir

import "fmt"

// Simplify folds constants, merges accumulations into the same adjoint
// element, and binds every subexpression used more than once to a local, in
// place. Derivative code is built by copying forward subexpressions into
// each rule that needs them; this pass is what keeps it from being bloated.
// Locals are named prefix1, prefix2, ... in order of first use, so output is
// deterministic.
func Simplify(b *Block, prefix string) {
	mapValues(b, Fold)
	b.Stmts = dropZeroAccums(mergeAccums(b.Stmts))
	expandSquares(b)
	cse(b, prefix)
}

// mergeAccums combines accumulations into the same element, such as the
// two contributions to x[i,k] from x[i,k]*x[i,k].
func mergeAccums(stmts []Stmt) []Stmt {
	var out []Stmt
	first := map[string]*Accum{}
	for _, s := range stmts {
		a, ok := s.(*Accum)
		if !ok {
			out = append(out, s)
			continue
		}
		key := a.Tensor.Name + String(&Load{Tensor: a.Tensor, Index: a.Index})
		if prev, ok := first[key]; ok {
			prev.Value = Fold(&Binary{Op: "+", X: prev.Value, Y: a.Value})
			continue
		}
		first[key] = a
		out = append(out, a)
	}
	return out
}

func dropZeroAccums(stmts []Stmt) []Stmt {
	out := stmts[:0]
	for _, s := range stmts {
		if a, ok := s.(*Accum); ok && isConst(a.Value, 0) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// cse binds repeated non-trivial subexpressions to locals.
func cse(b *Block, prefix string) {
	count := map[string]int{}
	var visit func(e Expr)
	visit = func(e Expr) {
		if trivial(e) {
			return
		}
		k := String(e)
		count[k]++
		if count[k] > 1 {
			// Its children were counted on its first visit; counting them
			// again would bind pieces of an expression that is bound whole.
			return
		}
		for _, c := range children(e) {
			visit(c)
		}
	}
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *Assign:
			visit(s.Value)
		case *Accum:
			for _, x := range s.Index {
				visit(x)
			}
			visit(s.Value)
		}
	}
	if b.Result != nil {
		visit(b.Result)
	}

	bound := map[string]*Local{}
	n := 0
	var out []Stmt
	var rewrite func(e Expr) Expr
	rewrite = func(e Expr) Expr {
		if trivial(e) {
			return e
		}
		k := String(e)
		if l, ok := bound[k]; ok {
			return &LocalVal{Local: l}
		}
		e = MapChildren(e, rewrite)
		if count[k] > 1 {
			n++
			l := &Local{Name: fmt.Sprintf("%s%d", prefix, n), Int: IsInt(e)}
			bound[k] = l
			out = append(out, &Assign{Local: l, Value: e})
			return &LocalVal{Local: l}
		}
		return e
	}
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *Assign:
			s.Value = rewrite(s.Value)
			out = append(out, s)
		case *Accum:
			// The index slice may be shared with a forward Load: copy it.
			idx := make([]Expr, len(s.Index))
			for i, x := range s.Index {
				idx[i] = rewrite(x)
			}
			s.Index = idx
			s.Value = rewrite(s.Value)
			out = append(out, s)
		}
	}
	if b.Result != nil {
		b.Result = rewrite(b.Result)
	}
	b.Stmts = out
}

// trivial expressions are cheaper to repeat than to bind.
func trivial(e Expr) bool {
	switch e.(type) {
	case *Const, *SizeVal, *ParamVal, *VarVal, *LocalVal:
		return true
	}
	return false
}

// IsInt reports whether e computes an integer (an index).
func IsInt(e Expr) bool {
	switch e := e.(type) {
	case *Load:
		return e.Tensor.Int
	case *VarVal:
		return true
	case *SizeVal:
		return e.Int
	case *Binary:
		switch e.Op {
		case "+", "-", "*":
			return e.Int
		}
	}
	return false
}

// IsBool reports whether e computes a truth value.
func IsBool(e Expr) bool {
	switch e := e.(type) {
	case *Binary:
		switch e.Op {
		case "==", "!=", "<", "<=", ">", ">=", "&&", "||":
			return true
		}
	case *Unary:
		return e.Op == "!"
	}
	return false
}

func children(e Expr) []Expr {
	switch e := e.(type) {
	case *Load:
		return e.Index
	case *AdjLoad:
		return e.Index
	case *Unary:
		return []Expr{e.X}
	case *Binary:
		return []Expr{e.X, e.Y}
	case *Call:
		return e.Args
	}
	return nil
}

// MapChildren returns a copy of e with f applied to each child; leaves are
// returned as they are. Rewrites throughout the compiler are built on it.
func MapChildren(e Expr, f func(Expr) Expr) Expr {
	mapAll := func(xs []Expr) []Expr {
		out := make([]Expr, len(xs))
		for i, x := range xs {
			out[i] = f(x)
		}
		return out
	}
	switch e := e.(type) {
	case *Load:
		return &Load{Tensor: e.Tensor, Index: mapAll(e.Index)}
	case *AdjLoad:
		return &AdjLoad{Tensor: e.Tensor, Index: mapAll(e.Index)}
	case *Unary:
		return &Unary{Op: e.Op, X: f(e.X)}
	case *Binary:
		return &Binary{Op: e.Op, X: f(e.X), Y: f(e.Y), Int: e.Int}
	case *Call:
		return &Call{Fn: e.Fn, Args: mapAll(e.Args)}
	}
	return e
}

// Walk calls f on e and every subexpression, parents first.
func Walk(e Expr, f func(Expr)) {
	f(e)
	for _, c := range children(e) {
		Walk(c, f)
	}
}

// expandSquares rewrites x^2 as x*x; CSE then binds a compound x to a local,
// so the square costs one multiplication instead of a call to pow.
func expandSquares(b *Block) {
	var sq func(e Expr) Expr
	sq = func(e Expr) Expr {
		e = MapChildren(e, sq)
		if c, ok := e.(*Call); ok && c.Fn == "pow" && isConst(c.Args[1], 2) {
			return &Binary{Op: "*", X: c.Args[0], Y: c.Args[0]}
		}
		return e
	}
	mapValues(b, sq)
}

// mapValues replaces, in place, every value of b (assigned, accumulated and
// the result; not subscripts) by f of it.
func mapValues(b *Block, f func(Expr) Expr) {
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *Assign:
			s.Value = f(s.Value)
		case *Accum:
			s.Value = f(s.Value)
		}
	}
	if b.Result != nil {
		b.Result = f(b.Result)
	}
}
