package codegen

import (
	"fmt"

	"github.com/lossgen/lossgen/ir"
)

// hoist splits b's statements for a loop over vars: statements that do not
// depend on vars (or on locals that do) run once before the loop, the rest
// in it. Inside the remaining statements, every maximal subexpression that
// does not depend on the loop (the incoming adjoint, a parameter product, a
// row-invariant load) is bound to a fresh local before the loop too.
// Accumulations always stay inside: each iteration adds once.
func (f *fn) hoist(b *ir.Block, vars []*ir.Var) (outside, inside []ir.Stmt) {
	dep := newDependence(vars...)
	depends := dep.of
	bound := map[string]*ir.Local{}
	// lift replaces invariant subexpressions of a loop-dependent e.
	var lift func(e ir.Expr) ir.Expr
	lift = func(e ir.Expr) ir.Expr {
		if !depends(e) {
			if cheap(e) || ir.IsBool(e) {
				return e
			}
			key := ir.String(e)
			l, ok := bound[key]
			if !ok {
				f.hoisted++
				l = &ir.Local{Name: fmt.Sprintf("h%d", f.hoisted), Int: ir.IsInt(e)}
				bound[key] = l
				outside = append(outside, &ir.Assign{Local: l, Value: e})
			}
			return &ir.LocalVal{Local: l}
		}
		return ir.MapChildren(e, lift)
	}
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *ir.Assign:
			if !depends(s.Value) {
				outside = append(outside, s)
				continue
			}
			dep.mark(s.Local)
			inside = append(inside, &ir.Assign{Local: s.Local, Value: lift(s.Value)})
		case *ir.Accum:
			idx := make([]ir.Expr, len(s.Index))
			for i, x := range s.Index {
				idx[i] = x
				if depends(x) {
					idx[i] = lift(x)
				}
			}
			val := s.Value
			if depends(val) {
				val = lift(val)
			}
			inside = append(inside, &ir.Accum{Tensor: s.Tensor, Index: idx, Value: val})
		}
	}
	return outside, inside
}

// dependence tracks what depends on a set of loop variables: the variables
// themselves and the locals computed from them, so that code which does not
// can move out of the loop.
type dependence struct {
	vars   map[*ir.Var]bool
	locals map[*ir.Local]bool
}

func newDependence(vars ...*ir.Var) *dependence {
	d := &dependence{vars: map[*ir.Var]bool{}, locals: map[*ir.Local]bool{}}
	for _, v := range vars {
		d.vars[v] = true
	}
	return d
}

// of reports whether e reads one of the variables or a dependent local.
func (d *dependence) of(e ir.Expr) bool {
	found := false
	ir.Walk(e, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.VarVal:
			found = found || d.vars[x.Var]
		case *ir.LocalVal:
			found = found || d.locals[x.Local]
		}
	})
	return found
}

// mark records that l depends on the variables.
func (d *dependence) mark(l *ir.Local) { d.locals[l] = true }

// cheap expressions are not worth a local of their own.
func cheap(e ir.Expr) bool {
	switch e := e.(type) {
	case *ir.Const, *ir.SizeVal, *ir.ParamVal, *ir.VarVal, *ir.LocalVal:
		return true
	case *ir.Unary:
		return cheap(e.X)
	}
	return false
}

// seedOf returns a local computed before the loop of which every
// accumulation inside is a multiple, so that the loop can be skipped when
// it is zero; nil if there is none.
func seedOf(outside, inside []ir.Stmt) *ir.Local {
	for _, s := range outside {
		a, ok := s.(*ir.Assign)
		if !ok {
			continue
		}
		mult := map[*ir.Local]bool{a.Local: true}
		ok, any := true, false
		for _, st := range inside {
			switch st := st.(type) {
			case *ir.Assign:
				mult[st.Local] = multipleOf(st.Value, mult)
			case *ir.Accum:
				any = true
				ok = ok && multipleOf(st.Value, mult)
			}
		}
		if ok && any {
			return a.Local
		}
	}
	return nil
}

// multipleOf reports whether e is zero whenever every local in m is.
func multipleOf(e ir.Expr, m map[*ir.Local]bool) bool {
	switch e := e.(type) {
	case *ir.LocalVal:
		return m[e.Local]
	case *ir.Const:
		return e.Value == 0
	case *ir.Unary:
		return e.Op == "-" && multipleOf(e.X, m)
	case *ir.Binary:
		switch e.Op {
		case "*":
			return multipleOf(e.X, m) || multipleOf(e.Y, m)
		case "/":
			return multipleOf(e.X, m)
		case "+", "-":
			return multipleOf(e.X, m) && multipleOf(e.Y, m)
		}
	case *ir.Call:
		switch e.Fn {
		case "where":
			return multipleOf(e.Args[1], m) && multipleOf(e.Args[2], m)
		case "sqrtadj", "acosadj":
			return multipleOf(e.Args[0], m)
		}
	}
	return false
}
