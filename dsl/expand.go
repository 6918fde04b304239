package dsl

// This file copies a checked used spec into the calling Program (the
// expansion of `def = f(args)`, see check_use.go). The copy maps every
// object of the callee to one of the caller:
//
//   - a size to the caller size it was unified with through the arguments;
//   - an input to the argument tensor (a caller input or definition);
//   - a param to (a copy of) its argument expression, or its default;
//   - a definition to its renamed copy, def_<name>; the result to def;
//   - an index variable to a new IndexVar over the mapped range.
//
// Every copied node is positioned at the call (definitions at the calling
// definition), so all positions in a Program index its own Source.

import (
	"fmt"
	"path"
	"strconv"
)

// argTarget is the caller tensor bound to a callee input.
type argTarget struct {
	input *Input
	def   *Def
}

type expander struct {
	c      *checker
	callee *Program
	use    *useSym
	def    *Def // the calling definition
	pos    Pos  // the call

	sizes    map[*Size]*Size
	sizeFrom map[*Size]string // the argument that bound each size, for messages
	inputs   map[*Input]argTarget
	params   map[*Param]Expr // argument expressions, checked in the caller
	defs     map[*Def]*Def
	vars     map[*IndexVar]*IndexVar
	ownParam map[*Param]bool // the callee's params
}

func newExpander(c *checker, callee *Program, u *useSym, def *Def, pos Pos) *expander {
	x := &expander{
		c: c, callee: callee, use: u, def: def, pos: pos,
		sizes:    map[*Size]*Size{},
		sizeFrom: map[*Size]string{},
		inputs:   map[*Input]argTarget{},
		params:   map[*Param]Expr{},
		defs:     map[*Def]*Def{},
		vars:     map[*IndexVar]*IndexVar{},
		ownParam: map[*Param]bool{},
	}
	for _, p := range callee.Params {
		x.ownParam[p] = true
	}
	return x
}

// origin renders a callee position (or the callee's own origin for
// something it copied in turn) relative to the caller's directory.
func (x *expander) origin(pos Pos, inner string) string {
	if inner != "" {
		return path.Join(path.Dir(x.use.rel), inner)
	}
	return fmt.Sprintf("%s:%d:%d", x.use.rel, pos.Line, pos.Column)
}

// expand appends the copies of the callee's definitions and update rules
// to the Program and returns the copy of the callee's result body.
func (x *expander) expand() Expr {
	c := x.c
	x.defs[x.callee.Result] = x.def
	for _, d := range x.callee.Defs {
		if d == x.callee.Result {
			continue
		}
		nd := &Def{
			Name:   c.freshName(x.def.Name + "_" + d.Name),
			Type:   d.Type,
			Pos:    x.def.Pos,
			Origin: x.origin(d.Pos, d.Origin),
		}
		c.reserved[nd.Name] = true
		for _, v := range d.Index {
			nv := x.newVar(v)
			nd.Index = append(nd.Index, nv)
			nd.Shape = append(nd.Shape, nv.Range)
		}
		nd.Body = x.expr(d.Body)
		x.defs[d] = nd
		c.prog.Defs = append(c.prog.Defs, nd)
	}
	body := x.expr(x.callee.Result.Body)
	for _, u := range x.callee.Updates {
		x.update(u)
	}
	return body
}

// update carries an update rule of the callee over to the caller's input
// bound to its target.
func (x *expander) update(u *Update) {
	c := x.c
	t := x.inputs[u.Target]
	if t.input == nil {
		c.errorf(x.pos, "%s updates its input %s (at %s), so the argument %s must be a real input, but %s is a definition",
			x.use.name, u.Target.Name, x.origin(u.Pos, u.Origin), u.Target.Name, t.def.Name)
		return
	}
	if prev := c.updates[t.input]; prev != nil {
		if prev.explicit {
			return // the caller's own rule wins
		}
		c.errorf(x.pos, "%s is already updated by the rule from the call at %d:%d", t.input.Name, prev.u.Pos.Line, prev.u.Pos.Column)
		return
	}
	nu := &Update{Target: t.input, Pos: x.pos, Origin: x.origin(u.Pos, u.Origin)}
	for _, v := range u.Index {
		nu.Index = append(nu.Index, x.newVar(v))
	}
	nu.Body = x.expr(u.Body)
	c.addUpdate(nu, false)
}

// newVar creates the caller's copy of a callee index variable, renamed
// if its name is a top-level name of the caller.
func (x *expander) newVar(v *IndexVar) *IndexVar {
	nv := &IndexVar{Name: x.c.freshName(v.Name), Range: x.size(v.Range), Pos: x.pos}
	x.vars[v] = nv
	return nv
}

func (x *expander) size(s *Size) *Size {
	if m, ok := x.sizes[s]; ok {
		return m
	}
	return s // a caller size, inside an argument expression
}

// expr copies e. Objects that are not the callee's (in argument
// expressions, which were checked in the caller) are kept.
func (x *expander) expr(e Expr) Expr {
	pos := x.pos
	switch e := e.(type) {
	case nil:
		return nil
	case *Num:
		return &Num{Value: e.Value, Text: e.Text, Typ: e.Typ, Pos: pos}
	case *SizeRef:
		return &SizeRef{Size: x.size(e.Size), Typ: e.Typ, Pos: pos}
	case *ParamRef:
		if arg, ok := x.params[e.Param]; ok {
			return x.expr(arg)
		}
		if x.ownParam[e.Param] {
			return &Num{Value: e.Param.Default, Text: strconv.FormatFloat(e.Param.Default, 'g', -1, 64), Typ: Real, Pos: pos}
		}
		return &ParamRef{Param: e.Param, Pos: pos}
	case *IndexRef:
		v := e.Var
		if nv, ok := x.vars[v]; ok {
			v = nv
		}
		return &IndexRef{Var: v, Pos: pos}
	case *Access:
		a := &Access{Input: e.Input, Def: e.Def, Typ: e.Typ, Pos: pos}
		if e.Input != nil {
			if t, ok := x.inputs[e.Input]; ok {
				a.Input, a.Def = t.input, t.def
			}
		} else if d, ok := x.defs[e.Def]; ok {
			a.Def = d
		}
		for _, s := range e.Index {
			a.Index = append(a.Index, x.expr(s))
		}
		return a
	case *Unary:
		return &Unary{Op: e.Op, X: x.expr(e.X), Typ: e.Typ, Pos: pos}
	case *Binary:
		return &Binary{Op: e.Op, X: x.expr(e.X), Y: x.expr(e.Y), Typ: e.Typ, Pos: pos}
	case *Call:
		args := make([]Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = x.expr(a)
		}
		return &Call{Fn: e.Fn, Args: args, Typ: e.Typ, Pos: pos}
	case *Reduce:
		r := &Reduce{Op: e.Op, Pos: pos}
		for _, v := range e.Vars {
			r.Vars = append(r.Vars, x.newVar(v))
		}
		r.Filter = x.expr(e.Filter)
		r.Body = x.expr(e.Body)
		return r
	}
	panic(fmt.Sprintf("expand: unknown expression %T", e))
}
