package ir

import (
	"fmt"
	"strings"

	"github.com/lossgen/lossgen/dsl"
)

// Lower turns a checked spec into a Program of forward Ops.
//
// Every reduction becomes an Op of its own whose target is indexed by the
// reduction's free index variables (the ones bound outside it), so Op
// bodies are reduction-free. A definition whose whole body is one reduction
// over exactly its own indices (lse[i] = logsumexp(j: ...)) is computed in
// place, without a lifted copy. mean is lowered to sum / max(count, 1) so
// that an empty filtered set gives 0, never 0/0. Integer-valued definitions
// are inlined into their uses: they are index arithmetic, not data.
func Lower(p *dsl.Program) (*Program, error) {
	l := &lowerer{
		src:     p,
		tensors: map[any]*Tensor{},
		intDefs: map[*dsl.Def]bool{},
		names:   map[string]int{},
		prog: &Program{
			Name: p.Name, Doc: p.Doc, File: p.File, Source: p.Source, Uses: p.Uses,
			Sizes: p.Sizes, Params: p.Params,
		},
	}
	for _, s := range p.Sizes {
		l.names[s.Name]++
	}
	for _, in := range p.Inputs {
		t := &Tensor{Name: in.Name, Shape: in.Shape, Int: in.Int, Kind: Input, Diff: in.Diff, Pos: in.Pos}
		l.tensors[in] = t
		l.names[in.Name]++
		l.prog.Inputs = append(l.prog.Inputs, t)
	}
	for _, d := range p.Defs {
		l.names[d.Name]++
	}
	for _, d := range p.Defs {
		if d.Type == dsl.Int {
			l.intDefs[d] = true
			continue
		}
		if err := l.def(d); err != nil {
			return nil, err
		}
	}
	if p.Result == nil {
		return nil, fmt.Errorf("%s: spec has no result", p.File)
	}
	// Update rules come after the loss: their Ops (and the reductions
	// lifted out of them) go to Updates, not Forward.
	l.toUpdates = true
	for _, u := range p.Updates {
		if err := l.update(u); err != nil {
			return nil, err
		}
	}
	l.prog.Result = l.tensors[p.Result]
	return l.prog, nil
}

type lowerer struct {
	src     *dsl.Program
	prog    *Program
	tensors map[any]*Tensor // *dsl.Input or *dsl.Def -> tensor
	intDefs map[*dsl.Def]bool
	names   map[string]int // names in use, to give lifted tensors fresh ones
	err     error
	// toUpdates sends emitted Ops to Program.Updates instead of Forward.
	toUpdates bool
	// owner names the definition or update being lowered, for the names
	// of lifted tensors.
	owner string
	// lines is the spec's source split into lines, once (line).
	lines []string
}

// env maps the index variables in scope to their lowered values: a loop
// variable of the Op being built, or (inside an inlined integer definition)
// the subscript it was called with.
type env map[*dsl.IndexVar]Expr

// scope is the ordered list of index variables bound around an expression;
// the free variables of a lifted reduction are taken in this order so the
// lifted tensor's layout follows the spec's nesting.
type scope []*dsl.IndexVar

func (l *lowerer) def(d *dsl.Def) error {
	l.owner = d.Name
	t := &Tensor{Name: d.Name, Shape: d.Shape, Kind: Temp, Pos: d.Pos, Named: d.Origin == ""}
	l.tensors[d] = t
	vars := make([]*Var, len(d.Index))
	e := env{}
	for k, iv := range d.Index {
		vars[k] = &Var{Name: iv.Name, Range: iv.Range}
		e[iv] = &VarVal{Var: vars[k]}
	}
	spec := l.line(d.Pos)
	// A body that is a single reduction over exactly the left-hand indices
	// computes the definition directly.
	if r, ok := d.Body.(*dsl.Reduce); ok && r.Op != "mean" && sameVars(l.free(r, scope(d.Index)), d.Index) {
		op, err := l.reduceOp(r, t, d.Index, e, scope(d.Index), spec)
		if err != nil {
			return err
		}
		l.emit(op)
		return nil
	}
	body := l.expr(d.Body, e, scope(d.Index))
	if l.err != nil {
		return l.err
	}
	l.emit(&Op{Kind: Map, Target: t, Index: vars, Body: &Block{Result: body}, Pos: d.Pos, Spec: spec})
	return nil
}

func (l *lowerer) emit(op *Op) {
	if l.toUpdates {
		l.prog.Updates = append(l.prog.Updates, op)
	} else {
		l.prog.Forward = append(l.prog.Forward, op)
	}
	l.prog.Temps = append(l.prog.Temps, op.Target)
	if op.Arg != nil {
		l.prog.Temps = append(l.prog.Temps, op.Arg)
	}
}

func sameVars(a, b []*dsl.IndexVar) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// line returns the spec source line containing pos, trimmed, for comments.
func (l *lowerer) line(pos dsl.Pos) string {
	if l.lines == nil {
		// Split once: a split per definition made lowering quadratic.
		l.lines = strings.Split(string(l.src.Source), "\n")
	}
	if pos.Line >= 1 && pos.Line <= len(l.lines) {
		return strings.TrimSpace(l.lines[pos.Line-1])
	}
	return ""
}

// fresh returns an unused tensor name derived from base.
func (l *lowerer) fresh(base string) string {
	name := base
	for n := 2; l.names[name] > 0; n++ {
		name = fmt.Sprintf("%s%d", base, n)
	}
	l.names[name]++
	return name
}

// free returns the index variables of sc that r refers to, in scope order.
func (l *lowerer) free(r *dsl.Reduce, sc scope) []*dsl.IndexVar {
	used := map[*dsl.IndexVar]bool{}
	// An inlined integer definition refers only to its own indices, which
	// are bound to its subscripts, so walking the subscripts is enough.
	dsl.Walk(r, func(e dsl.Expr) {
		if ref, ok := e.(*dsl.IndexRef); ok {
			used[ref.Var] = true
		}
	})
	var out []*dsl.IndexVar
	for _, v := range sc {
		if used[v] {
			out = append(out, v)
		}
	}
	return out
}

// expr lowers a checked expression, lifting reductions into Ops.
func (l *lowerer) expr(x dsl.Expr, e env, sc scope) Expr {
	if l.err != nil {
		return &Const{}
	}
	switch x := x.(type) {
	case *dsl.Num:
		return &Const{Value: x.Value}
	case *dsl.SizeRef:
		return &SizeVal{Size: x.Size, Int: x.Typ == dsl.Int}
	case *dsl.ParamRef:
		return &ParamVal{Param: x.Param}
	case *dsl.IndexRef:
		v, ok := e[x.Var]
		if !ok {
			l.err = fmt.Errorf("%s:%d:%d: internal error: index %s not bound", l.src.File, x.Pos.Line, x.Pos.Column, x.Var.Name)
			return &Const{}
		}
		return v
	case *dsl.Access:
		return l.access(x, e, sc)
	case *dsl.Unary:
		return &Unary{Op: x.Op, X: l.expr(x.X, e, sc)}
	case *dsl.Binary:
		if x.Op == "^" {
			base, exp := l.expr(x.X, e, sc), l.expr(x.Y, e, sc)
			if isConst(Fold(exp), 0.5) {
				// x^0.5 is sqrt(x): same value, and sqrt's gradient rule
				// is safe at 0 where pow's is infinite.
				return &Call{Fn: "sqrt", Args: []Expr{base}}
			}
			return &Call{Fn: "pow", Args: []Expr{base, exp}}
		}
		isInt := x.X.Type() == dsl.Int && x.Y.Type() == dsl.Int
		switch x.Op {
		case "==", "!=", "<", "<=", ">", ">=":
			isInt = x.X.Type() == dsl.Int || x.Y.Type() == dsl.Int
		case "&&", "||":
			isInt = false
		}
		return &Binary{Op: x.Op, X: l.expr(x.X, e, sc), Y: l.expr(x.Y, e, sc), Int: isInt}
	case *dsl.Call:
		args := make([]Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = l.expr(a, e, sc)
		}
		return &Call{Fn: x.Fn, Args: args}
	case *dsl.Reduce:
		return l.lift(x, e, sc)
	}
	l.err = fmt.Errorf("internal error: cannot lower %T", x)
	return &Const{}
}

func (l *lowerer) access(x *dsl.Access, e env, sc scope) Expr {
	idx := make([]Expr, len(x.Index))
	for k, s := range x.Index {
		idx[k] = l.expr(s, e, sc)
		if ld, ok := s.(*dsl.Access); ok && ld.Input != nil && ld.Input.Int {
			l.gather(l.tensors[ld.Input], x.Shape()[k])
		}
	}
	if x.Def != nil && l.intDefs[x.Def] {
		inner := env{}
		for k, iv := range x.Def.Index {
			inner[iv] = idx[k]
		}
		return l.expr(x.Def.Body, inner, scope(x.Def.Index))
	}
	var t *Tensor
	if x.Input != nil {
		t = l.tensors[x.Input]
	} else {
		t = l.tensors[x.Def]
	}
	return &Load{Tensor: t, Index: idx}
}

func (l *lowerer) gather(t *Tensor, r *dsl.Size) {
	for _, g := range l.prog.Gathers {
		if g.Index == t && g.Range == r {
			return
		}
	}
	l.prog.Gathers = append(l.prog.Gathers, Gather{Index: t, Range: r})
}

// lift moves reduction r into an Op of its own and returns the load of its
// result at the current indices.
func (l *lowerer) lift(r *dsl.Reduce, e env, sc scope) Expr {
	free := l.free(r, sc)
	outer := make([]Expr, len(free))
	for k, v := range free {
		outer[k] = e[v]
	}
	shape := make([]*dsl.Size, len(free))
	for k, v := range free {
		shape[k] = v.Range
	}
	spec := l.line(r.Pos)
	newTarget := func(op string) *Tensor {
		return &Tensor{Name: l.fresh(l.ownerName(r) + "_" + op), Shape: shape, Kind: Temp, Pos: r.Pos}
	}
	if r.Op == "mean" {
		sum := *r
		sum.Op = "sum"
		st := newTarget("sum")
		op, err := l.reduceOp(&sum, st, free, e, sc, spec)
		if err != nil {
			l.err = err
			return &Const{}
		}
		l.emit(op)
		total := Expr(&Load{Tensor: st, Index: outer})
		var n Expr
		if r.Filter == nil {
			n = sizeProduct(r.Vars)
		} else {
			cnt := *r
			cnt.Op = "count"
			cnt.Body = nil
			// The count depends only on the filter's free variables: in
			// mean(j | y[j] == u: x[j, k]) it is per u, not per (u, k).
			cfree := l.free(&cnt, sc)
			couter := make([]Expr, len(cfree))
			cshape := make([]*dsl.Size, len(cfree))
			for k, v := range cfree {
				couter[k] = e[v]
				cshape[k] = v.Range
			}
			ct := &Tensor{Name: l.fresh(l.ownerName(r) + "_count"), Shape: cshape, Kind: Temp, Pos: r.Pos}
			cop, err := l.reduceOp(&cnt, ct, cfree, e, sc, spec)
			if err != nil {
				l.err = err
				return &Const{}
			}
			l.emit(cop)
			n = &Call{Fn: "max", Args: []Expr{&Load{Tensor: ct, Index: couter}, &Const{Value: 1}}}
		}
		return &Binary{Op: "/", X: total, Y: n}
	}
	if r.Op == "count" && r.Filter == nil {
		return sizeProduct(r.Vars)
	}
	t := newTarget(r.Op)
	op, err := l.reduceOp(r, t, free, e, sc, spec)
	if err != nil {
		l.err = err
		return &Const{}
	}
	l.emit(op)
	return &Load{Tensor: t, Index: outer}
}

// ownerName names lifted tensors after the definition (or update rule)
// they come from.
func (l *lowerer) ownerName(*dsl.Reduce) string {
	if l.owner == "" {
		return "r"
	}
	return l.owner
}

// update lowers an update rule into Ops computing the target's new value
// into a fresh temporary.
func (l *lowerer) update(u *dsl.Update) error {
	target := l.tensors[u.Target]
	l.owner = u.Target.Name + "_new"
	t := &Tensor{Name: l.fresh(l.owner), Shape: u.Target.Shape, Kind: Temp, Pos: u.Pos}
	vars := make([]*Var, len(u.Index))
	e := env{}
	for k, iv := range u.Index {
		vars[k] = &Var{Name: iv.Name, Range: iv.Range}
		e[iv] = &VarVal{Var: vars[k]}
	}
	body := l.expr(u.Body, e, scope(u.Index))
	if l.err != nil {
		return l.err
	}
	l.emit(&Op{Kind: Map, Target: t, Index: vars, Body: &Block{Result: body}, Pos: u.Pos, Spec: l.line(u.Pos)})
	l.prog.Assigns = append(l.prog.Assigns, UpdateAssign{Target: target, Value: t})
	return nil
}

func sizeProduct(vars []*dsl.IndexVar) Expr {
	var n Expr
	for _, v := range vars {
		s := &SizeVal{Size: v.Range}
		if n == nil {
			n = s
		} else {
			n = &Binary{Op: "*", X: n, Y: s}
		}
	}
	return n
}

// reduceOp builds the Op computing t[free...] = r.
func (l *lowerer) reduceOp(r *dsl.Reduce, t *Tensor, free []*dsl.IndexVar, e env, sc scope, spec string) (*Op, error) {
	op := &Op{Kind: Reduce, Target: t, Red: r.Op, Pos: r.Pos, Spec: spec}
	inner := env{}
	for k, v := range e {
		inner[k] = v
	}
	for _, v := range free {
		nv := &Var{Name: v.Name, Range: v.Range}
		op.Index = append(op.Index, nv)
		inner[v] = &VarVal{Var: nv}
	}
	isc := append(append(scope{}, sc...), r.Vars...)
	for _, v := range r.Vars {
		nv := &Var{Name: v.Name, Range: v.Range}
		op.RVars = append(op.RVars, nv)
		inner[v] = &VarVal{Var: nv}
	}
	if r.Filter != nil {
		op.Filter = l.expr(r.Filter, inner, isc)
	}
	if r.Body != nil {
		op.Body = &Block{Result: l.expr(r.Body, inner, isc)}
	}
	if l.err != nil {
		return nil, l.err
	}
	if r.Op == "max" || r.Op == "min" {
		op.Arg = &Tensor{Name: l.fresh(t.Name + "_arg"), Shape: t.Shape, Int: true, Kind: Temp, Pos: r.Pos, ArgOf: t}
	}
	return op, nil
}
