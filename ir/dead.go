package ir

// Removing dead Ops and inlining single-use maps, the clean-up after
// canonicalisation has rewritten what reads what.

// removeDead drops the forward Ops whose target nothing reads: not the
// result, not a definition the spec names (Values shows it), not read by a
// later forward Op or an update rule. Seeing a map through (factor.go)
// can leave such an Op behind.
func removeDead(p *Program) {
	read := map[*Tensor]bool{p.Result: true}
	markReads := func(op *Op) { eachLoad(op, func(l *Load) { read[l.Tensor] = true }) }
	for _, op := range p.Updates {
		markReads(op)
	}
	var keep []*Op
	dead := map[*Tensor]bool{}
	for i := len(p.Forward) - 1; i >= 0; i-- {
		op := p.Forward[i]
		if !read[op.Target] && !op.Target.Named {
			dead[op.Target] = true
			if op.Arg != nil {
				dead[op.Arg] = true
			}
			continue
		}
		markReads(op)
		keep = append(keep, op)
	}
	if len(dead) == 0 {
		return
	}
	for l, r := 0, len(keep)-1; l < r; l, r = l+1, r-1 {
		keep[l], keep[r] = keep[r], keep[l]
	}
	p.Forward = keep
	dropTemps(p, dead)
}

// inlineMaps substitutes a map into the one map that reads it, when the
// spec does not name it and the reader loads it once, at the reader's own
// variables in order over the same ranges: two elementwise passes become
// one, and a loss gets the same chain of maps however its author grouped
// the factors (s * sum(k: xn * wn) with xn = x / xl against
// s * sum(k: x * w) / (xl * wl)).
func inlineMaps(p *Program) {
	readers := map[*Tensor]int{}
	count := func(op *Op) { eachLoad(op, func(l *Load) { readers[l.Tensor]++ }) }
	for _, op := range p.Forward {
		count(op)
	}
	for _, op := range p.Updates {
		count(op)
	}
	maps := map[*Tensor]*Op{}
	for _, op := range p.Forward {
		if op.Kind == Map && op.Body != nil && len(op.Body.Stmts) == 0 && !op.Target.Named && !op.Target.Int && op.Target != p.Result {
			maps[op.Target] = op
		}
	}
	inlined := map[*Tensor]bool{}
	for _, op := range p.Forward {
		if op.Kind != Map || op.Body == nil || len(op.Body.Stmts) != 0 {
			continue
		}
		op.Body.Result = substMaps(op.Body.Result, op.Index, maps, readers, inlined)
	}
	if len(inlined) == 0 {
		return
	}
	var fwd []*Op
	for _, op := range p.Forward {
		if !inlined[op.Target] {
			fwd = append(fwd, op)
		}
	}
	p.Forward = fwd
	dropTemps(p, inlined)
}

// substMaps replaces in e each load of a map in maps that is read once in
// the whole program, at exactly the variables index, by the map's body.
func substMaps(e Expr, index []*Var, maps map[*Tensor]*Op, readers map[*Tensor]int, inlined map[*Tensor]bool) Expr {
	if ld, ok := e.(*Load); ok {
		m := maps[ld.Tensor]
		if m != nil && readers[ld.Tensor] == 1 && len(m.Index) == len(index) && isLoadAt(ld, index...) {
			sub := map[*Var]*Var{}
			for p, v := range m.Index {
				if v.Range != index[p].Range {
					return e
				}
				sub[v] = index[p]
			}
			inlined[ld.Tensor] = true
			return substVars(m.Body.Result, sub)
		}
		return e
	}
	return MapChildren(e, func(x Expr) Expr { return substMaps(x, index, maps, readers, inlined) })
}

// Live is the set of tensors the result depends on: the result and,
// transitively, every tensor a forward Op computing a live tensor reads (in
// its body, filter or subscripts). A named definition outside it is
// computed only for Values: it gets no adjoint, and the schedule says so.
func Live(p *Program) map[*Tensor]bool {
	live := map[*Tensor]bool{p.Result: true}
	for i := len(p.Forward) - 1; i >= 0; i-- {
		if op := p.Forward[i]; live[op.Target] {
			eachLoad(op, func(l *Load) { live[l.Tensor] = true })
		}
	}
	return live
}

// eachLoad calls f with every tensor load of op: in its filter, and in its
// body's assigned values and result (subscripts included).
func eachLoad(op *Op, f func(*Load)) {
	visit := func(e Expr) {
		Walk(e, func(x Expr) {
			if l, ok := x.(*Load); ok {
				f(l)
			}
		})
	}
	if op.Filter != nil {
		visit(op.Filter)
	}
	if op.Body == nil {
		return
	}
	for _, st := range op.Body.Stmts {
		if a, ok := st.(*Assign); ok {
			visit(a.Value)
		}
	}
	if op.Body.Result != nil {
		visit(op.Body.Result)
	}
}

// dropTemps removes the tensors in gone from p.Temps, keeping the order.
func dropTemps(p *Program, gone map[*Tensor]bool) {
	var temps []*Tensor
	for _, t := range p.Temps {
		if !gone[t] {
			temps = append(temps, t)
		}
	}
	p.Temps = temps
}

// mapOp replaces, in place, op's filter and every value of its body by f
// of them (subscripts of accumulations are left as they are).
func mapOp(op *Op, f func(Expr) Expr) {
	if op.Filter != nil {
		op.Filter = f(op.Filter)
	}
	if op.Body != nil {
		mapValues(op.Body, f)
	}
}
