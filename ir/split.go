package ir

import "github.com/lossgen/lossgen/dsl"

// SplitScalarReductions rewrites every forward scalar sum or count over
// several variables,
//
//	total = sum(a, p, n | f: body)
//
// as a partial per value of the first variable and a sum of the partials:
//
//	total_part[a] = sum(p, n | f: body)
//	total         = sum(a: total_part[a])
//
// The partials are a tensor with an index, so the code generator can split
// them among workers like any per-row work (the triplets of batch_all, the
// rows of center); the sum over a then runs in one fixed order, so the
// result does not depend on the split. It runs before differentiation: the
// adjoint of the partials is per a too.
//
// compiler.Build and `lossgen explain` both apply it, so the explanation
// shows the computation as compiled. Update rules are not touched: they
// are not differentiated and run once per step.
func SplitScalarReductions(p *Program) {
	fresh := newNamer(p).fresh
	var fwd []*Op
	added := map[*Tensor]*Tensor{} // total -> total_part
	for _, op := range p.Forward {
		if op.Kind != Reduce || (op.Red != "sum" && op.Red != "count") || len(op.Index) != 0 || len(op.RVars) < 2 {
			fwd = append(fwd, op)
			continue
		}
		a := op.RVars[0]
		part := &Tensor{Name: fresh(op.Target.Name + "_part"), Shape: []*dsl.Size{a.Range}, Kind: Temp, Pos: op.Target.Pos}
		added[op.Target] = part
		av := &Var{Name: a.Name, Range: a.Range}
		fwd = append(fwd,
			&Op{Kind: Reduce, Target: part, Index: []*Var{a}, Red: op.Red, RVars: op.RVars[1:],
				Filter: op.Filter, Body: op.Body, Pos: op.Pos, Spec: op.Spec},
			&Op{Kind: Reduce, Target: op.Target, Red: "sum", RVars: []*Var{av},
				Body: &Block{Result: &Load{Tensor: part, Index: []Expr{&VarVal{Var: av}}}}, Pos: op.Pos, Spec: op.Spec})
	}
	p.Forward = fwd
	// Each partial goes into Temps just before its total, keeping them in
	// evaluation order.
	var temps []*Tensor
	for _, t := range p.Temps {
		if part, ok := added[t]; ok {
			temps = append(temps, part)
		}
		temps = append(temps, t)
	}
	p.Temps = temps
}
