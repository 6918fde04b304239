package dsl

// This file checks expressions: operators, literals, names and subscripts.
//
// Typing is small but strict. Reals are the default. Integer values (labels,
// index variables) may be compared and used as subscripts, but never used as
// reals without an explicit real(...): silently mixing a class id into
// arithmetic is a bug worth a diagnostic. Literals and sizes are
// "flexible": real by default, integer where compared with (or combined
// with) an integer, so `y[i] == 1` and `j < N` need no conversion.

import (
	"math"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// record remembers the source text span of e (the innermost one wins), so
// messages can quote the expression as written.
func (c *checker) record(e Expr, start, end lexer.Position) Expr {
	if e == nil {
		return nil
	}
	if _, ok := c.spans[e]; !ok && end.Offset >= start.Offset {
		c.spans[e] = [2]int{start.Offset, end.Offset}
	}
	return e
}

// text returns the source text of a checked expression.
func (c *checker) text(e Expr) string {
	if sp, ok := c.spans[e]; ok {
		return c.srcText(sp[0], sp[1])
	}
	return "expression"
}

// srcText returns src[start:end] with whitespace runs collapsed.
func (c *checker) srcText(start, end int) string {
	if start < 0 || end > len(c.src) || start >= end {
		return "expression"
	}
	return strings.Join(strings.Fields(string(c.src[start:end])), " ")
}

func (c *checker) orExpr(e *OrExpr) Expr {
	if e == nil {
		return nil
	}
	x := c.andExpr(e.Left)
	for _, t := range e.Right {
		if t == nil {
			return nil
		}
		x = c.logical(t.Op, x, c.andExpr(t.X), posOf(e.Pos))
	}
	return c.record(x, e.Pos, e.EndPos)
}

func (c *checker) andExpr(e *AndExpr) Expr {
	if e == nil {
		return nil
	}
	x := c.cmpExpr(e.Left)
	for _, t := range e.Right {
		if t == nil {
			return nil
		}
		x = c.logical(t.Op, x, c.cmpExpr(t.X), posOf(e.Pos))
	}
	return c.record(x, e.Pos, e.EndPos)
}

func (c *checker) cmpExpr(e *CmpExpr) Expr {
	if e == nil {
		return nil
	}
	x := c.addExpr(e.Left)
	if t := e.Right; t != nil {
		x = c.compare(t.Op, x, c.addExpr(t.X), posOf(e.Pos), posOf(t.Pos))
	}
	return c.record(x, e.Pos, e.EndPos)
}

func (c *checker) addExpr(e *AddExpr) Expr {
	if e == nil {
		return nil
	}
	x := c.mulExpr(e.Left)
	for _, t := range e.Right {
		if t == nil {
			return nil
		}
		x = c.arith(t.Op, x, c.mulExpr(t.X), posOf(e.Pos))
	}
	return c.record(x, e.Pos, e.EndPos)
}

func (c *checker) mulExpr(e *MulExpr) Expr {
	if e == nil {
		return nil
	}
	x := c.unaryExpr(e.Left)
	for _, t := range e.Right {
		if t == nil {
			return nil
		}
		x = c.arith(t.Op, x, c.unaryExpr(t.X), posOf(e.Pos))
	}
	return c.record(x, e.Pos, e.EndPos)
}

func (c *checker) unaryExpr(e *UnaryExpr) Expr {
	if e == nil {
		return nil
	}
	if e.Op == "" {
		return c.record(c.powExpr(e.Pow), e.Pos, e.EndPos)
	}
	pos := posOf(e.Pos)
	x := c.unaryExpr(e.X)
	if x == nil {
		return nil
	}
	var out Expr
	switch e.Op {
	case "!":
		if x.Type() != Bool {
			c.errorf(x.Position(), "operand of ! must be a condition, got %s value %s", x.Type(), c.text(x))
			return nil
		}
		out = &Unary{Op: "!", X: x, Typ: Bool, Pos: pos}
	default: // "-"
		if x.Type() == Bool {
			c.errorf(pos, "cannot negate the condition %s; use !", c.text(x))
			return nil
		}
		out = &Unary{Op: "-", X: x, Typ: x.Type(), Pos: pos}
	}
	return c.record(out, e.Pos, e.EndPos)
}

func (c *checker) powExpr(e *PowExpr) Expr {
	if e == nil {
		return nil
	}
	base := c.primary(e.Base)
	if e.Exp == nil {
		return base
	}
	exp := c.unaryExpr(e.Exp)
	base, exp = c.asReal(base), c.asReal(exp)
	if exp != nil && !isConstant(exp) {
		c.errorf(exp.Position(), "exponent must be a constant (a number, param or size expression), got %s", c.text(exp))
		return nil
	}
	if base == nil || exp == nil {
		return nil
	}
	return c.record(&Binary{Op: "^", X: base, Y: exp, Typ: Real, Pos: posOf(e.Pos)}, e.Pos, e.EndPos)
}

func (c *checker) primary(e *Primary) Expr {
	if e == nil {
		return nil
	}
	switch {
	case e.Number != nil:
		return c.record(c.number(*e.Number, posOf(e.Pos)), e.Pos, e.EndPos)
	case e.Paren != nil:
		return c.record(c.orExpr(e.Paren), e.Pos, e.EndPos)
	case e.Name != nil:
		return c.record(c.nameExpr(e.Name), e.Pos, e.EndPos)
	}
	return nil
}

func (c *checker) number(text string, pos Pos) Expr {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) {
		c.errorf(pos, "number %s is out of range", text)
		return nil
	}
	return &Num{Value: v, Text: text, Typ: Real, Pos: pos}
}

func (c *checker) nameExpr(n *NameExpr) Expr {
	if n.Name == nil {
		return nil
	}
	if n.Call != nil {
		return c.call(n)
	}
	var items []*OrExpr
	if n.Index != nil {
		items = n.Index.Items
	}
	return c.ref(n.Name.Name, posOf(n.Pos), n.Index != nil, items)
}

// ref resolves a name, possibly subscripted.
func (c *checker) ref(name string, pos Pos, subscripted bool, items []*OrExpr) Expr {
	if v := c.lookupIndex(name); v != nil {
		if subscripted {
			c.errorf(pos, "%s is an index variable, not a tensor: it cannot be subscripted", name)
			return nil
		}
		return &IndexRef{Var: v, Pos: pos}
	}
	sym, ok := c.globals[name]
	if !ok {
		c.unknownName(name, pos)
		return nil
	}
	switch sym.kind {
	case symSize, symParam:
		if subscripted {
			c.errorf(pos, "%s is %s, not a tensor: it cannot be subscripted", name, sym.describe())
			return nil
		}
		if sym.kind == symSize {
			return &SizeRef{Size: sym.size, Typ: Real, Pos: pos}
		}
		return &ParamRef{Param: sym.param, Pos: pos}
	case symUse:
		c.errorf(pos, "%s is a used spec, not a value: call it as NAME = %s(...)", name, name)
		return nil
	}
	return c.access(sym, name, pos, items)
}

// access checks a read of an input or definition.
func (c *checker) access(sym *symbol, name string, pos Pos, items []*OrExpr) Expr {
	a := &Access{Pos: pos, Typ: Real}
	var shape []*Size
	if sym.kind == symInput {
		a.Input = sym.input
		shape = sym.input.Shape
		if sym.input.Int {
			a.Typ = Int
		}
	} else {
		a.Def = sym.def
		shape = sym.def.Shape
		a.Typ = sym.def.Type
	}
	ok := true
	if len(items) != len(shape) {
		c.errorf(pos, "%s has %s, got %s", name, plural(len(shape), "dimension"), plural(len(items), "subscript"))
		ok = false
	}
	for k, item := range items {
		var size *Size
		if k < len(shape) {
			size = shape[k]
		}
		idx := c.subscript(item, size, name)
		if idx == nil {
			ok = false
		}
		a.Index = append(a.Index, idx)
	}
	if !ok {
		return nil
	}
	return a
}

// subscript checks one subscript of a tensor whose dimension has size s
// (nil when the subscript count is wrong) and infers index ranges from it.
func (c *checker) subscript(item *OrExpr, s *Size, tensor string) Expr {
	if id := bareName(item); id != nil {
		if v := c.lookupIndex(id.Name); v != nil {
			pos := posOf(id.Pos)
			c.useRange(v, s, pos)
			return c.record(&IndexRef{Var: v, Pos: pos}, item.Pos, item.EndPos)
		}
	}
	e := c.orExpr(item)
	switch x := e.(type) {
	case nil:
		return nil
	case *IndexRef: // parenthesised, as in x[(i)]
		c.useRange(x.Var, s, x.Pos)
		return x
	case *Access:
		if x.Input != nil && x.Input.Int {
			return x // a gather: the label's value indexes the dimension
		}
	}
	c.errorf(e.Position(), "subscript of %s must be an index variable or an integer label such as labels[i], got %s", tensor, c.text(e))
	return nil
}

// bareName returns the identifier if e is just a name.
func bareName(e *OrExpr) *Ident {
	if e == nil || len(e.Right) > 0 || e.Left == nil {
		return nil
	}
	a := e.Left
	if len(a.Right) > 0 || a.Left == nil || a.Left.Right != nil {
		return nil
	}
	s := a.Left.Left
	if s == nil || len(s.Right) > 0 || s.Left == nil || len(s.Left.Right) > 0 {
		return nil
	}
	u := s.Left.Left
	if u == nil || u.Op != "" || u.Pow == nil || u.Pow.Exp != nil || u.Pow.Base == nil {
		return nil
	}
	n := u.Pow.Base.Name
	if n == nil || n.Call != nil || n.Index != nil {
		return nil
	}
	return n.Name
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
