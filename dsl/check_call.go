package dsl

// This file checks calls. Elementwise functions and reductions share one
// syntax, NAME(args [| filter] [: body]); the function name and the presence
// of `|` or `:` decide which it is. In particular max and min are
// elementwise with two plain arguments, and reductions otherwise.

import (
	"fmt"
	"sort"
	"strings"
)

type fnKind int

const (
	fnMath   fnKind = iota // one real argument
	fnMinMax               // max/min: two real arguments, or a reduction
	fnWhere                // where(cond, a, b)
	fnClamp                // clamp(x, lo, hi): three real arguments
	fnReal                 // real(int)
	fnReduce               // sum mean logsumexp: binders and a body
	fnCount                // count: binders, no body
)

// functions is every callable name.
var functions = map[string]fnKind{
	"exp": fnMath, "log": fnMath, "log1p": fnMath, "sqrt": fnMath, "abs": fnMath,
	"relu": fnMath, "softplus": fnMath, "sigmoid": fnMath,
	"cos": fnMath, "sin": fnMath, "acos": fnMath, "stopgrad": fnMath,
	"tanh": fnMath, "sign": fnMath,
	"max": fnMinMax, "min": fnMinMax, "clamp": fnClamp,
	"where": fnWhere, "real": fnReal,
	"sum": fnReduce, "mean": fnReduce, "logsumexp": fnReduce,
	"count": fnCount,
}

func functionNames() []string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (c *checker) call(n *NameExpr) Expr {
	fn, pos, a := n.Name.Name, posOf(n.Pos), n.Call
	kind, ok := functions[fn]
	if !ok {
		if sym, isSym := c.globals[fn]; isSym && sym.kind == symUse {
			c.errorf(pos, "a call of the used spec %s must be the whole right-hand side of a scalar definition: write NAME = %s(...) and use NAME here", fn, fn)
		} else if isSym {
			c.errorf(pos, "%s is %s, not a function", fn, sym.describe())
		} else if c.lookupIndex(fn) != nil {
			c.errorf(pos, "%s is an index variable, not a function", fn)
		} else {
			// The list is short enough to print whole, and spares the
			// author a trip to the manual when no name is close.
			msg := "unknown function " + fn
			if s := suggest(fn, functionNames()); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			}
			c.errorf(pos, "%s (the functions are %s)", msg, strings.Join(functionNames(), ", "))
		}
		return nil
	}
	if len(a.More) > 0 && a.More[0].Name != nil {
		c.errorf(posOf(a.More[0].Name.Pos), "%s takes no named arguments: only calls of used specs do", fn)
		return nil
	}
	reduction := kind == fnReduce || kind == fnCount || (kind == fnMinMax && (a.Bar != nil || a.Colon != nil))
	if reduction {
		return c.reduce(fn, pos, a)
	}
	for _, arg := range a.Args {
		if arg != nil && arg.Range != nil {
			c.errorf(posOf(arg.Range.Pos), "%s is not a reduction: `in SIZE` gives the range of a reduction variable, as in sum(u in U: ...)", fn)
			return nil
		}
	}
	if a.Bar != nil || a.Colon != nil {
		at := pos
		if a.Bar != nil {
			at = posOf(a.Bar.Pos)
		} else {
			at = posOf(a.Colon.Pos)
		}
		c.errorf(at, "%s is not a reduction: | and : are only allowed in sum, mean, max, min, logsumexp and count", fn)
		return nil
	}
	want := map[fnKind]int{fnMath: 1, fnMinMax: 2, fnWhere: 3, fnClamp: 3, fnReal: 1}[kind]
	if len(a.Args) != want {
		hint := ""
		if kind == fnMinMax {
			hint = fmt.Sprintf(" (or reduce with %s(j: body))", fn)
		}
		c.errorf(pos, "%s takes %s, got %d%s", fn, plural(want, "argument"), len(a.Args), hint)
		return nil
	}
	args := make([]Expr, len(a.Args))
	for i, arg := range a.Args {
		args[i] = c.orExpr(arg.X)
	}
	switch kind {
	case fnWhere:
		if args[0] != nil && args[0].Type() != Bool {
			c.errorf(args[0].Position(), "the condition of where must be a comparison, got %s value %s", args[0].Type(), c.text(args[0]))
			args[0] = nil
		}
		args[1], args[2] = c.asReal(args[1]), c.asReal(args[2])
	case fnReal:
		x := args[0]
		switch {
		case x == nil:
		case x.Type() == Int:
		case flexible(x):
			toInt(x)
		default:
			c.errorf(x.Position(), "real(...) converts an integer, but %s is %s", c.text(x), x.Type())
			args[0] = nil
		}
	default:
		for i := range args {
			args[i] = c.asReal(args[i])
		}
	}
	for _, x := range args {
		if x == nil {
			return nil
		}
	}
	return &Call{Fn: fn, Args: args, Typ: Real, Pos: pos}
}

// reduce checks a reduction: binders, optional filter, body (none for
// count). Each binder is a fresh IndexVar whose range comes from its uses.
func (c *checker) reduce(fn string, pos Pos, a *CallArgs) Expr {
	r := &Reduce{Op: fn, Pos: pos}
	ok := true
	if len(a.Args) == 0 {
		c.errorf(pos, "%s needs index variables to reduce over: %s(j: ...)", fn, fn)
		ok = false
	}
	scope := map[string]*IndexVar{}
	for _, arg := range a.Args {
		if arg == nil {
			ok = false
			continue
		}
		id := bareName(arg.X)
		if id == nil {
			if arg.X != nil {
				c.errorf(posOf(arg.X.Pos), "reduction variables must be plain names, got %s", c.srcText(arg.X.Pos.Offset, arg.X.EndPos.Offset))
			}
			ok = false
			continue
		}
		ipos := posOf(id.Pos)
		if prev, dup := scope[id.Name]; dup {
			c.errorf(ipos, "index %s is bound twice in this %s (first at %d:%d)", id.Name, fn, prev.Pos.Line, prev.Pos.Column)
			ok = false
			continue
		}
		if outer := c.lookupIndex(id.Name); outer != nil {
			c.errorf(ipos, "reduction variable %s shadows the index %s bound at %d:%d; use another name", id.Name, id.Name, outer.Pos.Line, outer.Pos.Column)
			ok = false
		} else if sym, isSym := c.globals[id.Name]; isSym {
			c.errorf(ipos, "reduction variable %s shadows %s %s (declared at %d:%d)", id.Name, sym.describe(), id.Name, sym.pos.Line, sym.pos.Column)
			ok = false
		}
		v := &IndexVar{Name: id.Name, Pos: ipos}
		c.explicitRange(v, arg.Range)
		scope[id.Name] = v
		r.Vars = append(r.Vars, v)
	}

	before := len(c.errs)
	c.scopes = append(c.scopes, scope)
	if a.Filter != nil {
		r.Filter = c.orExpr(a.Filter)
		if r.Filter == nil {
			ok = false
		} else if r.Filter.Type() != Bool {
			c.errorf(r.Filter.Position(), "the filter of %s must be a condition, got %s value %s", fn, r.Filter.Type(), c.text(r.Filter))
			ok = false
		}
	}
	switch {
	case fn == "count" && a.Body != nil:
		at := posOf(a.Body.Pos)
		if a.Colon != nil {
			at = posOf(a.Colon.Pos)
		}
		c.errorf(at, "count takes no body: write count(j) or count(j | condition)")
		ok = false
	case fn == "count":
	case a.Body == nil:
		c.errorf(pos, "%s needs a body: %s(%s: expression)", fn, fn, strings.Join(varNames(r.Vars), ", "))
		ok = false
	default:
		r.Body = c.asReal(c.orExpr(a.Body))
		if r.Body == nil {
			ok = false
		}
	}
	c.scopes = c.scopes[:len(c.scopes)-1]
	if len(c.errs) == before {
		// Only when the filter and body checked cleanly: a use lost to
		// an earlier error would otherwise be blamed on the binder.
		c.requireRanges(r.Vars, "this "+fn)
	}
	for _, v := range r.Vars {
		if v.Range == nil {
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return r
}

func varNames(vs []*IndexVar) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name
	}
	if len(out) == 0 {
		return []string{"j"}
	}
	return out
}
