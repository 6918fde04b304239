package ir

// Canonicalize rewrites the forward Ops of a lowered program into the
// forms the code generator's kernels take, so that a formula reaches the
// same kernel however it is written:
//
//  1. factors that do not depend on a sum's reduction variables are pulled
//     out of it (factor.go);
//  2. the operands of products, squared distances and logsumexps that are
//     expressions rather than tensors are computed once into temporaries
//     where they are reused (prologue.go);
//  3. an expression that computes an earlier map's body at other
//     subscripts (a gathered x[i, labels[i]] / t) reads the map (reuse.go).
//
// Step 1 sees through definitions (a normalised xn = x / xl in a product
// gives up its 1 / xl, factor.go); the maps that leaves unread are removed
// and single-use unnamed maps are inlined into their reader (dead.go)
// before step 2.
//
// It runs after lowering and before differentiation, so the adjoint of the
// canonical form is derived, not recognised. Update rules are not touched.
func Canonicalize(p *Program) {
	fresh := newNamer(p).fresh
	var fwd []*Op
	added := map[*Tensor][]*Tensor{}
	maps := map[*Tensor]*Op{}
	for _, op := range p.Forward {
		ops := pullFactors(op, fresh, maps)
		if op.Kind == Map {
			maps[op.Target] = op
		}
		for _, o := range ops[:len(ops)-1] {
			added[op.Target] = append(added[op.Target], o.Target)
		}
		fwd = append(fwd, ops...)
	}
	p.Forward = fwd
	var temps []*Tensor
	for _, t := range p.Temps {
		temps = append(append(temps, added[t]...), t)
	}
	p.Temps = temps
	removeDead(p)
	inlineMaps(p)
	materialiseOperands(p, fresh)
	reuseMaps(p)
}
