package ir

import (
	"fmt"
	"sort"
	"strings"
)

// Materialising operand prologues. The runtime's fast kernels read whole
// tensors: a matrix product reads two matrices, a pairwise distance two sets
// of rows, a row logsumexp one row. A reduction whose operands are
// expressions rather than tensors,
//
//	c[a, b] = sum(i: (z1[i, a] - m1[a]) / s1[a] * ((z2[i, b] - m2[b]) / s2[b]))
//	d[i, c] = sum(k: (x[i, k] / xn[i] - p[c, k] / pn[c])^2)
//	ls[i]   = logsumexp(c: s[i, c] / T)
//
// would run as scalar loops. Here each operand expression is computed once
// into a temporary by an elementwise map (its prologue), and the reduction
// reads the temporary:
//
//	c_lhs[i, a] = (z1[i, a] - m1[a]) / s1[a]
//	c_rhs[i, b] = (z2[i, b] - m2[b]) / s2[b]
//	c[a, b]     = sum(i: c_lhs[i, a] * c_rhs[i, b])
//
// which is the form the code generator gives to a kernel. The cost model is
// reuse: an operand element that the reduction reads once per element of
// another index (a side of a product or of a pairwise distance over two
// index variables) is worth a pass to compute it once; so is the argument
// of a logsumexp, whose kernel evaluates the exponentials in SIMD instead of
// one math.Exp per element. A row-wise sum over one index reads each operand
// element once, and is rewritten only to read an operand another reduction
// has already materialised. Operands that are equal up to the names of
// their variables share one temporary (vicreg's x[i, a] − mx[a] and
// x[i, b] − mx[b]), and so does an operand equal to a definition the spec
// makes itself.
//
// The temporaries are ordinary intermediates: autodiff differentiates the
// maps like any other, so the adjoint of a materialised operand flows back
// to what it was computed from.

// materialiser holds the operands materialised so far, by shape-and-body
// key.
type materialiser struct {
	fresh   func(string) string
	gathers []Gather
	known   map[string]*known
	at      int // position of the Op being rewritten
}

// known is a tensor holding an operand: a prologue this pass made, which
// runs just before the first Op that reads it, or a map of the spec's own,
// which stays where it is.
type known struct {
	t     *Tensor
	op    *Op // the prologue, or nil for a map of the spec's
	first int // the prologue's first reader, or the spec's map's position
}

// operandKey identifies an operand expression over (outer, k), stored in
// the given order, independently of its variables' names.
func operandKey(e Expr, order []*Var) string {
	var key strings.Builder
	m := map[*Var]*Var{}
	for p, v := range order {
		key.WriteString(v.Range.Name + ",")
		m[v] = keyVar(p)
	}
	return key.String() + ":" + String(substVars(e, m))
}

// keyVars stand for an operand's variables in its key, by position: String
// tells variables apart by identity, so they must be the same every time.
var keyVars []*Var

func keyVar(p int) *Var {
	for len(keyVars) <= p {
		keyVars = append(keyVars, &Var{Name: fmt.Sprintf("v%d", len(keyVars))})
	}
	return keyVars[p]
}

// remember records a map op of the spec's own as a known operand.
func (m *materialiser) remember(op *Op) {
	if op.Kind == Map && len(op.Index) >= 2 && !op.Target.Int && op.Body != nil && len(op.Body.Stmts) == 0 {
		key := operandKey(op.Body.Result, op.Index)
		if _, ok := m.known[key]; !ok {
			m.known[key] = &known{t: op.Target, first: m.at}
		}
	}
}

// lookup returns the temporary already holding e in the given order, if
// the Op being rewritten can read it.
func (m *materialiser) lookup(e Expr, order []*Var) *Tensor {
	k := m.known[operandKey(e, order)]
	if k == nil || (k.op == nil && k.first > m.at) {
		return nil
	}
	return k.t
}

// operand returns a load of e over (outer, k) from a temporary holding it
// in the given order, making its prologue if no temporary does yet.
func (m *materialiser) operand(consumer *Op, name string, e Expr, order []*Var) Expr {
	key := operandKey(e, order)
	if k := m.known[key]; k != nil && (k.op != nil || k.first < m.at) {
		if k.op != nil && m.at < k.first {
			k.first = m.at
		}
		return loadAt(k.t, order...)
	}
	t := &Tensor{Name: m.fresh(name), Kind: Temp, Pos: consumer.Target.Pos}
	vars := map[*Var]*Var{}
	var index []*Var
	for _, v := range order {
		t.Shape = append(t.Shape, v.Range)
		nv := &Var{Name: v.Name, Range: v.Range}
		vars[v] = nv
		index = append(index, nv)
	}
	prologue := &Op{Kind: Map, Target: t, Index: index, Body: &Block{Result: substVars(e, vars)}, Pos: consumer.Pos, Spec: consumer.Spec}
	m.known[key] = &known{t: t, op: prologue, first: m.at}
	return loadAt(t, order...)
}

// materialiseOperands rewrites the forward Ops of p as described above, in
// two sweeps: the forms worth a prologue of their own first, then the
// row-wise sums that can read one, wherever in the spec they are.
func materialiseOperands(p *Program, fresh func(string) string) {
	m := &materialiser{fresh: fresh, gathers: p.Gathers, known: map[string]*known{}}
	for at, op := range p.Forward {
		m.at = at
		switch {
		case m.product(op), m.sqDiff(op, false), m.logSumExp(op):
		}
		m.remember(op)
	}
	for at, op := range p.Forward {
		m.at = at
		m.sqDiff(op, true)
	}
	before := map[int][]*known{}
	var keys []string
	for key, k := range m.known {
		if k.op != nil {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		k := m.known[key]
		before[k.first] = append(before[k.first], k)
	}
	var fwd []*Op
	temps := map[*Tensor][]*Tensor{}
	for at, op := range p.Forward {
		// Prologues by name: the order, and so the generated code, does
		// not depend on map iteration. None reads another.
		ks := before[at]
		sort.Slice(ks, func(a, b int) bool { return ks[a].t.Name < ks[b].t.Name })
		for _, k := range ks {
			fwd = append(fwd, k.op)
			temps[op.Target] = append(temps[op.Target], k.t)
		}
		fwd = append(fwd, op)
	}
	p.Forward = fwd
	var all []*Tensor
	for _, t := range p.Temps {
		all = append(append(all, temps[t]...), t)
	}
	p.Temps = all
}

// singleSum reports whether op is an unfiltered sum over one variable with
// a plain expression body, the shape every form below starts from.
func singleSum(op *Op) bool {
	return op.Kind == Reduce && op.Red == "sum" && op.Filter == nil && len(op.RVars) == 1 &&
		op.Body != nil && len(op.Body.Stmts) == 0
}

// within reports whether e reads k and, besides it, only vars.
func within(e Expr, k *Var, vars ...*Var) bool {
	used := varsOf(e)
	if !used[k] {
		return false
	}
	for v := range used {
		if v != k && !containsVar(vars, v) {
			return false
		}
	}
	return true
}

func containsVar(vars []*Var, v *Var) bool {
	for _, w := range vars {
		if w == v {
			return true
		}
	}
	return false
}

// naturalOrder is the order in which e's loads subscript the group and k,
// the order its prologue writes contiguously: the first load subscripted by
// k and every index of the group decides, k first if k comes before them;
// the group first otherwise.
func naturalOrder(e Expr, group []*Var, k *Var) []*Var {
	order := groupFirst(group, k)
	decided := false
	Walk(e, func(x Expr) {
		ld, ok := x.(*Load)
		if decided || !ok {
			return
		}
		pk, first := -1, len(ld.Index)
		seen := 0
		for p, s := range ld.Index {
			if v, ok := s.(*VarVal); ok {
				if v.Var == k {
					pk = p
				} else if containsVar(group, v.Var) {
					seen++
					first = min(first, p)
				}
			}
		}
		if pk >= 0 && seen == len(group) {
			decided = true
			if pk < first {
				order = kFirst(group, k)
			}
		}
	})
	return order
}

// product materialises the sides of a contraction
//
//	z[I, J] = sum(k: L(I, k) * R(J, k))
//
// where I and J split the target's indices into a leading and a trailing
// group (one index each for a matrix; softtriple's sk[i, c, q] has I = i,
// J = c, q), and L and R are products of factors reading k and indices of
// I, or of J (a factor reading only k joins R). Each side must read every
// index of its group, so an operand is never a broadcast copy. A side that
// is already a whole tensor at [I..., k] or [k, I...] is read as it is.
// The orders are chosen so the product is one a kernel computes: not
// L[k, I] with R[J, k].
func (m *materialiser) product(op *Op) bool {
	if !singleSum(op) || len(op.Index) < 2 {
		return false
	}
	k := op.RVars[0]
	fs, neg := splitProduct(op.Body.Result)
	for p := 1; p < len(op.Index); p++ {
		I, J := op.Index[:p], op.Index[p:]
		lf, rf, ok := splitSides(fs, k, I, J)
		if !ok {
			continue
		}
		l, r := joinProduct(nil, lf), joinProduct(nil, rf)
		if neg {
			l = &Unary{Op: "-", X: l}
		}
		m.contract(op, l, r, I, J, k)
		return true
	}
	return false
}

// splitSides sorts the factors of a product into the side reading I and
// the side reading J; ok is false if a factor reads neither k nor only one
// group, or a side misses an index of its group.
func splitSides(fs []factor, k *Var, I, J []*Var) (lf, rf []factor, ok bool) {
	lvars, rvars := map[*Var]bool{}, map[*Var]bool{}
	for _, f := range fs {
		switch {
		case within(f.e, k, I...) && readsAny(f.e, I):
			lf = append(lf, f)
			for v := range varsOf(f.e) {
				lvars[v] = true
			}
		case within(f.e, k, J...):
			rf = append(rf, f)
			for v := range varsOf(f.e) {
				rvars[v] = true
			}
		default:
			return nil, nil, false // a factor without k, or reading both groups
		}
	}
	for _, v := range I {
		if !lvars[v] {
			return nil, nil, false
		}
	}
	for _, v := range J {
		if !rvars[v] {
			return nil, nil, false
		}
	}
	return lf, rf, len(lf) > 0 && len(rf) > 0
}

// contract rewrites op's body as the product of its two sides, each read
// from a tensor: as it is if it is one, else from its prologue.
func (m *materialiser) contract(op *Op, l, r Expr, I, J []*Var, k *Var) {
	lBare, rBare := bareOrder(l, I, k), bareOrder(r, J, k)
	if lBare != nil && rBare != nil && (lBare[0] != k || rBare[0] == k) {
		// Already a contraction of two tensors; written L·R, whatever
		// order and signs the spec used.
		op.Body = &Block{Result: &Binary{Op: "*", X: l, Y: r}}
		return
	}
	lo, ro := naturalOrder(l, I, k), naturalOrder(r, J, k)
	if lBare != nil {
		lo = lBare
	} else if t := m.lookupEither(l, I, k); t != nil {
		lo = t
	}
	if rBare != nil {
		ro = rBare
	} else if t := m.lookupEither(r, J, k); t != nil {
		ro = t
	}
	// L[k, I]·R[J, k] is the one pairing no kernel takes: store the side
	// being materialised the other way round. With both sides tensors, L
	// is copied transposed: a pass over it, against a product in scalar
	// loops.
	if lo[0] == k && ro[0] != k {
		switch {
		case lBare == nil:
			lo = groupFirst(I, k)
		case rBare == nil:
			ro = kFirst(J, k)
		default:
			lBare, lo = nil, groupFirst(I, k)
		}
	}
	if lBare == nil {
		l = m.operand(op, operandName(op, "_lhs"), l, lo)
	}
	if rBare == nil {
		r = m.operand(op, operandName(op, "_rhs"), r, ro)
	}
	op.Body = &Block{Result: &Binary{Op: "*", X: l, Y: r}}
}

func groupFirst(g []*Var, k *Var) []*Var { return append(append([]*Var{}, g...), k) }
func kFirst(g []*Var, k *Var) []*Var     { return append([]*Var{k}, g...) }

// bareOrder returns the order of e's subscripts if e is a whole tensor
// loaded at (group..., k) or (k, group...).
func bareOrder(e Expr, group []*Var, k *Var) []*Var {
	for _, o := range [][]*Var{groupFirst(group, k), kFirst(group, k)} {
		if isLoadAt(e, o...) {
			return o
		}
	}
	return nil
}

// lookupEither returns the order of an existing temporary holding e, in
// either order.
func (m *materialiser) lookupEither(e Expr, group []*Var, k *Var) []*Var {
	for _, o := range [][]*Var{groupFirst(group, k), kFirst(group, k)} {
		if m.lookup(e, o) != nil {
			return o
		}
	}
	return nil
}

// squareOf returns d if e is d*d or d^2.
func squareOf(e Expr) (Expr, bool) {
	switch x := e.(type) {
	case *Binary:
		if x.Op == "*" && !x.Int && String(x.X) == String(x.Y) {
			return x.X, true
		}
	case *Call:
		if x.Fn == "pow" && isConst(x.Args[1], 2) {
			return x.Args[0], true
		}
	}
	return nil, false
}

// sqDiff materialises the sides of a squared distance
//
//	d[i, j] = sum(k: (P(i, k) - Q(j, k))^2)     pairwise, over two indices
//	d[i]    = sum(k: (P(i, k) - Q(i, k))^2)     row-wise
//
// into rows [i, k] and [j, k]. Pairwise, each row is read once per row of
// the other side, so both are computed first; row-wise, a side is read
// once, and is replaced only by a temporary that already holds it.
func (m *materialiser) sqDiff(op *Op, rowWise bool) bool {
	rank := 2
	if rowWise {
		rank = 1
	}
	if !singleSum(op) || len(op.Index) != rank {
		return false
	}
	d, ok := squareOf(op.Body.Result)
	if !ok {
		return false
	}
	diff, ok := d.(*Binary)
	if !ok || diff.Op != "-" || diff.Int {
		return false
	}
	k := op.RVars[0]
	i := op.Index[0]
	j := i
	if len(op.Index) == 2 {
		j = op.Index[1]
	}
	pe, qe := diff.X, diff.Y
	if len(op.Index) == 2 && within(pe, k, j) && varsOf(pe)[j] && within(qe, k, i) && varsOf(qe)[i] {
		pe, qe = qe, pe // (Q - P)^2 is the same square
	}
	if !within(pe, k, i) || !within(qe, k, j) || (len(op.Index) == 2 && (!varsOf(pe)[i] || !varsOf(qe)[j])) {
		return false
	}
	pBare, qBare := isLoadAt(pe, i, k), isLoadAt(qe, j, k)
	if pBare && qBare {
		return false
	}
	if len(op.Index) == 1 {
		// Row-wise: only reuse.
		if (!pBare && m.lookup(pe, []*Var{i, k}) == nil) || (!qBare && m.lookup(qe, []*Var{j, k}) == nil) {
			return false
		}
	}
	if !pBare {
		pe = m.operand(op, operandName(op, "_lhs"), pe, []*Var{i, k})
	}
	if !qBare {
		qe = m.operand(op, operandName(op, "_rhs"), qe, []*Var{j, k})
	}
	// pow(·, 2), as lowering writes a square: autodiff differentiates it
	// into the 2·s·(p − q) row update the code generator recognises.
	op.Body = &Block{Result: &Call{Fn: "pow", Args: []Expr{&Binary{Op: "-", X: pe, Y: qe}, &Const{Value: 2}}}}
	return true
}

// logSumExp materialises the argument of a logsumexp over a row,
//
//	ls[i] = logsumexp(c | c != i: F(i, c))   ->   ls_arg[i, c] = F(i, c)
//
// (any number of target indices: lw[i, c] over k stores lw_arg[i, c, k]),
// where F reads c and a target index and is not already a whole tensor at [i, c],
// and the filter is one the row kernel applies (none, or c != i): under
// another filter the reduction runs as loops, and a prologue would only
// add a pass.
func (m *materialiser) logSumExp(op *Op) bool {
	if op.Kind != Reduce || op.Red != "logsumexp" || len(op.RVars) != 1 || len(op.Index) == 0 ||
		op.Body == nil || len(op.Body.Stmts) != 0 {
		return false
	}
	k := op.RVars[0]
	order := append(append([]*Var{}, op.Index...), k)
	e := op.Body.Result
	if !within(e, k, op.Index...) || isLoadAt(e, order...) || !m.rowFilter(op.Filter, op.Index, k) {
		return false
	}
	// The argument must vary along the row's index too: one that reads
	// only k would be the same row stored again for every i.
	if !readsAny(e, op.Index) {
		return false
	}
	op.Body = &Block{Result: m.operand(op, operandName(op, "_arg"), e, order)}
	return true
}

// rowFilter reports whether a logsumexp's filter leaves a row kernel
// applicable: none, or one SkipIndex recognises.
func (m *materialiser) rowFilter(filter Expr, index []*Var, k *Var) bool {
	if filter == nil {
		return true
	}
	_, ok := SkipIndex(filter, k, index, m.gathers)
	return ok
}

// operandName names a prologue after the reduction that reads it: c_sum_lhs
// for the left operand of c_sum (of c_sum_unscaled too, the sum that
// pulling factors out left).
func operandName(consumer *Op, role string) string {
	return strings.TrimSuffix(consumer.Target.Name, unscaledSuffix) + role
}
