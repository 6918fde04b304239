package ir

import "sort"

// Pulling invariant factors out of sums. A factor of a sum's body that does
// not depend on the reduction variables multiplies every term alike, so
//
//	z[i, c] = sum(k: s * x[i, k] * w[c, k] / n[i])
//
// becomes the sum of the rest and a map that applies the factors once per
// element instead of once per term:
//
//	z_unscaled[i, c] = sum(k: x[i, k] * w[c, k])
//	z[i, c]          = s * z_unscaled[i, c] / n[i]
//
// Beyond the multiplications saved, this is what lets the same formula
// reach the same kernel however it is spelled: the sum above is now a
// plain contraction, as if the user had written s * sum(k: x * w) / n[i].
// Only unfiltered sums are rewritten: a filtered sum can be empty, and an
// infinite factor times an empty sum would turn its 0 into a NaN. Scalar
// sums are left alone: no kernel takes them, and a factor applied once
// per term of a loss's final mean costs nothing worth an extra step.

// unscaledSuffix names the sum left when factors are pulled out of it.
const unscaledSuffix = "_unscaled"

// factor is one multiplicand of a product: a numerator or a divisor.
type factor struct {
	e   Expr
	den bool
}

// splitProduct flattens the real products, quotients and negations at the
// top of e into factors; neg says whether an odd number of negations was
// crossed.
func splitProduct(e Expr) (fs []factor, neg bool) {
	var walk func(e Expr, den bool)
	walk = func(e Expr, den bool) {
		switch x := e.(type) {
		case *Binary:
			if !x.Int && (x.Op == "*" || x.Op == "/") {
				walk(x.X, den)
				walk(x.Y, den != (x.Op == "/"))
				return
			}
		case *Unary:
			if x.Op == "-" {
				neg = !neg
				walk(x.X, den)
				return
			}
		}
		fs = append(fs, factor{e: e, den: den})
	}
	walk(e, false)
	return fs, neg
}

// joinProduct multiplies the numerators of fs onto start, in order, and
// divides by the divisors.
func joinProduct(start Expr, fs []factor) Expr {
	e := start
	for _, f := range fs {
		if !f.den {
			if e == nil {
				e = f.e
			} else {
				e = &Binary{Op: "*", X: e, Y: f.e}
			}
		}
	}
	if e == nil {
		e = &Const{Value: 1}
	}
	for _, f := range fs {
		if f.den {
			e = &Binary{Op: "/", X: e, Y: f.e}
		}
	}
	return e
}

// pullFactors returns op unchanged, or the sum of its variant factors
// followed by the map applying the invariant ones. maps holds the forward
// maps before op, by target: a factor that reads one of them is seen
// through it where that exposes invariant factors (see inlineFactors).
func pullFactors(op *Op, fresh func(string) string, maps map[*Tensor]*Op) []*Op {
	if op.Kind != Reduce || op.Red != "sum" || op.Filter != nil || op.Body == nil || len(op.Body.Stmts) != 0 || len(op.Index) == 0 {
		return []*Op{op}
	}
	fs, neg := splitProduct(op.Body.Result)
	fs, neg = inlineFactors(fs, neg, op.RVars, maps)
	var inv, variant []factor
	for _, f := range fs {
		if readsAny(f.e, op.RVars) {
			variant = append(variant, f)
		} else if c, ok := f.e.(*Const); !ok || c.Value != 1 {
			inv = append(inv, f)
		}
	}
	if len(variant) == 0 || (len(inv) == 0 && !neg) {
		return []*Op{op}
	}
	t := op.Target
	inner := &Tensor{Name: fresh(t.Name + unscaledSuffix), Shape: t.Shape, Kind: Temp, Pos: t.Pos}
	sum := &Op{Kind: Reduce, Target: inner, Index: op.Index, Red: "sum", RVars: op.RVars,
		Body: &Block{Result: joinProduct(nil, variant)}, Pos: op.Pos, Spec: op.Spec}
	// The map has variables of its own: no two Ops share a Var.
	vars := map[*Var]*Var{}
	var index []*Var
	for _, v := range op.Index {
		nv := &Var{Name: v.Name, Range: v.Range}
		vars[v] = nv
		index = append(index, nv)
	}
	// The invariant numerators first, then the sum, then the divisors:
	// s * z_unscaled[i, c] / n[i], as a person would write it.
	var nums, dens []factor
	for _, f := range inv {
		if f.den {
			dens = append(dens, f)
		} else {
			nums = append(nums, f)
		}
	}
	// Each side in the order of the target's indices the factors read
	// (constants and params first), not the order they were written in:
	// / (xl[i] * wl[c]) and / (wl[c] * xl[i]), or the factors of
	// sum(k: wn[c, k] * xn[i, k]) seen through, apply alike.
	byIndex := func(fs []factor) {
		sort.SliceStable(fs, func(a, b int) bool { return firstIndex(fs[a].e, op.Index) < firstIndex(fs[b].e, op.Index) })
	}
	byIndex(nums)
	byIndex(dens)
	scaled := append(append(nums, factor{e: loadAt(inner, op.Index...)}), dens...)
	body := substVars(joinProduct(nil, scaled), vars)
	if neg {
		body = &Unary{Op: "-", X: body}
	}
	scale := &Op{Kind: Map, Target: t, Index: index, Body: &Block{Result: body}, Pos: op.Pos, Spec: op.Spec}
	return []*Op{sum, scale}
}

// inlineFactors sees through definitions: a numerator factor that loads a
// map defined as a product, such as xn[i, k] for
//
//	xn[i, k] = x[i, k] / xl[i]
//	z[i, c]  = sum(k: xn[i, k] * wn[c, k])
//
// is replaced by that product's factors at the load's subscripts, when
// some of them do not read the sum's variables (1/xl[i] here) and exactly
// one does, a tensor load in the numerator (x[i, k]): each term of the sum
// still reads one tensor. The invariant ones then leave
// the sum like any other: z_unscaled = sum(k: x * w), z = z_unscaled /
// xl[i] / wl[c], the form of the same loss written with the division after
// the sum, so both spellings get one schedule. The map itself stays what it
// was; if nothing else reads it, it is removed later (dead.go), unless the
// spec names it (its value is then still computed, for Values).
func inlineFactors(fs []factor, neg bool, rvars []*Var, maps map[*Tensor]*Op) ([]factor, bool) {
	var out []factor
	for _, f := range fs {
		inner, innerNeg, ok := seeThrough(f, rvars, maps)
		if !ok {
			out = append(out, f)
			continue
		}
		out = append(out, inner...)
		neg = neg != innerNeg
	}
	return out, neg
}

// seeThrough returns the factors of the map f loads, at f's subscripts, if
// inlining them exposes an invariant factor.
func seeThrough(f factor, rvars []*Var, maps map[*Tensor]*Op) ([]factor, bool, bool) {
	ld, ok := f.e.(*Load)
	if !ok || f.den {
		return nil, false, false
	}
	m := maps[ld.Tensor]
	if m == nil || m.Body == nil || len(m.Body.Stmts) != 0 || m.Target.Int || len(m.Index) != len(ld.Index) {
		return nil, false, false
	}
	sub := map[*Var]*Var{}
	for p, x := range ld.Index {
		v, ok := x.(*VarVal)
		if !ok {
			return nil, false, false
		}
		sub[m.Index[p]] = v.Var
	}
	fs, neg := splitProduct(substVars(m.Body.Result, sub))
	invariant, variant := false, 0
	for _, g := range fs {
		if !readsAny(g.e, rvars) {
			if c, ok := g.e.(*Const); !ok || c.Value != 1 {
				invariant = true
			}
			continue
		}
		// One tensor read per term, as before: a map whose product
		// has more variant factors (sk = sk_sum / (xn[i] * wn[c, k])
		// inside a sum over k) would add work to every term.
		if _, ok := g.e.(*Load); !ok || g.den {
			return nil, false, false
		}
		variant++
	}
	if !invariant || variant != 1 {
		return nil, false, false
	}
	return fs, neg, true
}

// firstIndex is the position in index of the first variable e reads, -1
// if it reads none of them.
func firstIndex(e Expr, index []*Var) int {
	used := varsOf(e)
	for p, v := range index {
		if used[v] {
			return p
		}
	}
	return -1
}
