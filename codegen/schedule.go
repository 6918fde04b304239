package codegen

import "github.com/lossgen/lossgen/ir"

// Loop fusion. Consecutive Ops that iterate over the same index space run in
// one loop nest when every value one of them reads from another is produced
// in the same iteration (written and read at exactly the loop indices). In
// the fused body, unfiltered sums over the same reduction space then share
// one unrolled inner loop. For triplet this turns four passes over the
// inputs into one forward and one backward pass.
//
// Fusion changes which loop an accumulation runs in, never the order of the
// contributions to one element within a run, except where two Ops scatter
// into the same tensor through a gather; that order is still fixed by the
// spec, so results stay bit-identical from run to run.

// unit is one Op to emit: a forward Op or an adjoint Op.
type unit struct {
	fwd *ir.Op
	adj *ir.AdjointOp
}

func (u unit) op() *ir.Op {
	if u.adj != nil {
		return u.adj.Fwd
	}
	return u.fwd
}

// access is a read or write of a tensor element (adj marks adjoints).
type access struct {
	t   *ir.Tensor
	adj bool
	idx []ir.Expr
}

func (u unit) writes() []access {
	if u.fwd != nil {
		out := []access{{t: u.fwd.Target, idx: vals(u.fwd.Index)}}
		if u.fwd.Arg != nil {
			out = append(out, access{t: u.fwd.Arg, idx: vals(u.fwd.Index)})
		}
		return out
	}
	var out []access
	for _, s := range u.adj.Block.Stmts {
		if a, ok := s.(*ir.Accum); ok {
			out = append(out, access{t: a.Tensor, adj: true, idx: a.Index})
		}
	}
	return out
}

func (u unit) reads() []access {
	var out []access
	visit := func(e ir.Expr) {
		ir.Walk(e, func(x ir.Expr) {
			switch x := x.(type) {
			case *ir.Load:
				out = append(out, access{t: x.Tensor, idx: x.Index})
			case *ir.AdjLoad:
				out = append(out, access{t: x.Tensor, adj: true, idx: x.Index})
			}
		})
	}
	block := func(b *ir.Block) {
		for _, s := range b.Stmts {
			switch s := s.(type) {
			case *ir.Assign:
				visit(s.Value)
			case *ir.Accum:
				for _, x := range s.Index {
					visit(x)
				}
				visit(s.Value)
			}
		}
		if b.Result != nil {
			visit(b.Result)
		}
	}
	op := u.op()
	if op.Filter != nil {
		visit(op.Filter)
	}
	if u.fwd != nil {
		if op.Body != nil {
			block(op.Body)
		}
	} else {
		block(u.adj.Block)
		if op.Arg != nil {
			out = append(out, access{t: op.Arg, idx: vals(op.Index)})
		}
	}
	return out
}

// pointwise reports whether a touches exactly element op.Index of its tensor.
func pointwise(a access, op *ir.Op) bool {
	if len(a.idx) != len(op.Index) {
		return false
	}
	for p, x := range a.idx {
		v, ok := x.(*ir.VarVal)
		if !ok || v.Var != op.Index[p] {
			return false
		}
	}
	return true
}

func sameSpace(a, b []*ir.Var) bool {
	if len(a) != len(b) {
		return false
	}
	for p := range a {
		if a[p].Range != b[p].Range {
			return false
		}
	}
	return true
}

// accessCache remembers the reads and writes of each unit, which schedule
// compares pairwise: walking the expressions again for every pair made
// scheduling a spec with thousands of definitions take minutes.
type accessCache map[unit]*[2][]access

func (c accessCache) get(u unit) *[2][]access {
	a, ok := c[u]
	if !ok {
		a = &[2][]access{u.reads(), u.writes()}
		c[u] = a
	}
	return a
}

func (c accessCache) reads(u unit) []access  { return c.get(u)[0] }
func (c accessCache) writes(u unit) []access { return c.get(u)[1] }

// groupAccess summarises what the Ops of a group touch, so that canJoin
// costs the same however large the group has grown.
type groupAccess struct {
	pointwise map[accessKey]bool // tensors written: true if every write is at its Op's loop indices
	read      map[accessKey]bool // tensors read
}

type accessKey struct {
	t   *ir.Tensor
	adj bool
}

func newGroupAccess(c accessCache, u unit) *groupAccess {
	g := &groupAccess{pointwise: map[accessKey]bool{}, read: map[accessKey]bool{}}
	g.add(c, u)
	return g
}

func (g *groupAccess) add(c accessCache, u unit) {
	for _, w := range c.writes(u) {
		k := accessKey{w.t, w.adj}
		pw, seen := g.pointwise[k]
		g.pointwise[k] = (pw || !seen) && pointwise(w, u.op())
	}
	for _, r := range c.reads(u) {
		g.read[accessKey{r.t, r.adj}] = true
	}
}

// canJoin reports whether b can run in the same loop nest as the group: b
// reads what the group writes only at the loop indices, where both write
// and read it pointwise, and writes nothing the group reads.
func canJoin(c accessCache, group []unit, acc *groupAccess, b unit, alone func(unit) bool) bool {
	// Scatter-form reductions loop over their reduction variables
	// outermost, so they share no loop with anything.
	// Contractions are whole matrix products, one call each; a pairwise
	// distance's adjoint reads all of adj(d) at once.
	if !sameSpace(group[0].op().Index, b.op().Index) || isScatter(group[0]) || isScatter(b) ||
		isContraction(group[0]) || isContraction(b) || alone(group[0]) || alone(b) {
		return false
	}
	for _, r := range c.reads(b) {
		if pw, ok := acc.pointwise[accessKey{r.t, r.adj}]; ok && !(pw && pointwise(r, b.op())) {
			return false
		}
	}
	for _, w := range c.writes(b) {
		if acc.read[accessKey{w.t, w.adj}] {
			return false
		}
	}
	return true
}

// independent reports whether a and b touch nothing the other writes, so
// they may run in either order.
func independent(c accessCache, a, b unit) bool {
	conflict := func(ws, rs []access) bool {
		for _, w := range ws {
			for _, r := range rs {
				if w.t == r.t && w.adj == r.adj {
					return true
				}
			}
		}
		return false
	}
	return !conflict(c.writes(a), c.reads(b)) && !conflict(c.writes(b), c.reads(a)) && !conflict(c.writes(a), c.writes(b))
}

// fusibleSum reports whether u is an unfiltered sum (forward or adjoint),
// the kind whose inner loops can be shared.
func fusibleSum(u unit) bool {
	op := u.op()
	return op.Kind == ir.Reduce && op.Red == "sum" && op.Filter == nil
}

// schedule splits units into fused groups, in order.
// alone marks units that must be a group of their own beyond the rules
// here (a pairwise adjoint that runs as one runtime call).
func schedule(units []unit, alone func(unit) bool) [][]unit {
	var groups [][]unit
	c := accessCache{}
	var acc *groupAccess // of the last group
	for _, u := range units {
		if n := len(groups); n > 0 && canJoin(c, groups[n-1], acc, u, alone) {
			groups[n-1] = append(groups[n-1], u)
			acc.add(c, u)
			continue
		}
		groups = append(groups, []unit{u})
		acc = newGroupAccess(c, u)
	}
	for _, g := range groups {
		cluster(c, g)
	}
	return groups
}

// cluster reorders a group so that sums over the same reduction space sit
// next to each other: each sum moves up to the previous such sum past the
// Ops in between, or, if it depends on one of them, the previous sum moves
// down to it. Only independent Ops trade places.
func cluster(c accessCache, g []unit) {
	for i := 1; i < len(g); i++ {
		if !fusibleSum(g[i]) {
			continue
		}
		p := i - 1
		for p >= 0 && !(fusibleSum(g[p]) && sameSpace(g[p].op().RVars, g[i].op().RVars)) {
			p--
		}
		if p < 0 || p == i-1 {
			continue
		}
		if passes(c, g[i], g[p+1:i]) {
			s := g[i]
			copy(g[p+2:i+1], g[p+1:i])
			g[p+1] = s
		} else if passes(c, g[p], g[p+1:i]) {
			s := g[p]
			copy(g[p:i-1], g[p+1:i])
			g[i-1] = s
		}
	}
}

// passes reports whether u is independent of every unit in others.
func passes(c accessCache, u unit, others []unit) bool {
	for _, o := range others {
		if !independent(c, u, o) {
			return false
		}
	}
	return true
}

// runs splits a scheduled group into runs: consecutive unfiltered sums over
// the same reduction space whose bodies do not read what an earlier member
// of the run writes, and single other Ops.
func runs(g []unit) [][]unit {
	var out [][]unit
	for _, u := range g {
		if n := len(out); n > 0 && fusibleSum(u) && fusibleSum(out[n-1][0]) && sameSpace(out[n-1][0].op().RVars, u.op().RVars) {
			ok := true
			for _, a := range out[n-1] {
				for _, w := range a.writes() {
					for _, r := range u.reads() {
						if r.t == w.t && r.adj == w.adj {
							ok = false
						}
					}
				}
			}
			if ok {
				out[n-1] = append(out[n-1], u)
				continue
			}
		}
		out = append(out, []unit{u})
	}
	return out
}
