package ir

import (
	"strings"
)

// MergeDuplicates computes once every forward tensor that an earlier
// forward Op already computes: the same kind of Op (map, or the same
// reduction), over the same ranges, with the same filter and body up to the
// names of its variables, reading the same tensors. Later Ops (forward and
// update rules) read the first tensor instead, and the duplicate's Op is
// removed.
//
// Duplicates arise mostly from composition: a spec that uses two specs on
// the same embedding (a triplet term and a contrastive term) gets each
// used spec's pairwise distances, norms or Gram matrix as its own copy.
// They also arise within a spec, from the same reduction written inline in
// two definitions. Ops are visited in order and reads are redirected before
// each Op is compared, so a chain of copies (distances, then the hardest
// positive read from them) collapses link by link.
//
// A definition the spec names (Tensor.Named) stays a tensor of its own, as
// Values promises; when it duplicates an earlier tensor it becomes a copy of
// it, and later Ops read the earlier tensor. Nothing reads such a copy, so
// differentiation gives it no adjoint work.
func MergeDuplicates(p *Program) {
	repl := map[*Tensor]*Tensor{}
	seen := map[string]*Op{}
	var fwd []*Op
	dropped := map[*Tensor]bool{}
	for _, op := range p.Forward {
		redirect(op, repl)
		key, ok := opKey(op)
		first, dup := seen[key]
		switch {
		case !ok:
		case !dup:
			seen[key] = op
		case op.Target.Named:
			repl[op.Target] = first.Target
			if op.Arg != nil {
				dropped[op.Arg] = true
			}
			fwd = append(fwd, copyOp(op, first.Target))
			continue
		default:
			repl[op.Target] = first.Target
			dropped[op.Target] = true
			if op.Arg != nil {
				dropped[op.Arg] = true
			}
			continue
		}
		fwd = append(fwd, op)
	}
	if len(repl) == 0 {
		return
	}
	p.Forward = fwd
	for _, op := range p.Updates {
		redirect(op, repl)
	}
	dropTemps(p, dropped)
}

// copyOp is a map that sets op's target to src, element by element.
func copyOp(op *Op, src *Tensor) *Op {
	return &Op{Kind: Map, Target: op.Target, Index: op.Index,
		Body: &Block{Result: loadAt(src, op.Index...)}, Pos: op.Pos, Spec: op.Spec}
}

// redirect makes op read repl[t] wherever it reads a tensor t in repl.
func redirect(op *Op, repl map[*Tensor]*Tensor) {
	if len(repl) == 0 {
		return
	}
	var sub func(e Expr) Expr
	sub = func(e Expr) Expr {
		if ld, ok := e.(*Load); ok {
			idx := make([]Expr, len(ld.Index))
			for i, x := range ld.Index {
				idx[i] = sub(x)
			}
			t := ld.Tensor
			if to, ok := repl[t]; ok {
				t = to
			}
			return &Load{Tensor: t, Index: idx}
		}
		return MapChildren(e, sub)
	}
	mapOp(op, sub)
}

// opKey identifies what an Op computes independently of its target and of
// its variables' names: the kind, the reduction, the ranges of the target's
// and the reduction's variables in order, the filter and the body with the
// variables renamed by position. Ops whose bodies bind locals have no key
// (local names are not canonical) and are never merged.
func opKey(op *Op) (string, bool) {
	if op.Body != nil && len(op.Body.Stmts) > 0 {
		return "", false
	}
	var b strings.Builder
	m := map[*Var]*Var{}
	vars := append(append([]*Var{}, op.Index...), op.RVars...)
	for p, v := range vars {
		m[v] = keyVar(p)
	}
	if op.Kind == Map {
		b.WriteString("map")
	} else {
		b.WriteString("reduce " + op.Red)
	}
	for p, v := range vars {
		if p == len(op.Index) {
			b.WriteString(" |")
		}
		b.WriteString(" " + v.Range.Name)
	}
	if op.Target.Int {
		b.WriteString(" int")
	}
	if op.Filter != nil {
		b.WriteString(" where " + String(substVars(op.Filter, m)))
	}
	if op.Body != nil {
		b.WriteString(" : " + String(substVars(op.Body.Result, m)))
	}
	return b.String(), true
}
