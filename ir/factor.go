package ir

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
// followed by the map applying the invariant ones.
func pullFactors(op *Op, fresh func(string) string) []*Op {
	if op.Kind != Reduce || op.Red != "sum" || op.Filter != nil || op.Body == nil || len(op.Body.Stmts) != 0 || len(op.Index) == 0 {
		return []*Op{op}
	}
	fs, neg := splitProduct(op.Body.Result)
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
	scaled := append(append(nums, factor{e: loadAt(inner, op.Index...)}), dens...)
	body := substVars(joinProduct(nil, scaled), vars)
	if neg {
		body = &Unary{Op: "-", X: body}
	}
	scale := &Op{Kind: Map, Target: t, Index: index, Body: &Block{Result: body}, Pos: op.Pos, Spec: op.Spec}
	return []*Op{sum, scale}
}
