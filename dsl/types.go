package dsl

// This file holds the typing rules of operators and the conversions between
// Real and Int (see check_expr.go for the rationale).

import "math"

// flexible reports whether e is a literal-and-size expression whose type
// follows its context: an integral number, a size, or + - * of those.
func flexible(e Expr) bool {
	switch x := e.(type) {
	case *Num:
		return x.Value == math.Trunc(x.Value) && math.Abs(x.Value) < 1<<53
	case *SizeRef:
		return true
	case *Unary:
		return x.Op == "-" && flexible(x.X)
	case *Binary:
		return (x.Op == "+" || x.Op == "-" || x.Op == "*") && flexible(x.X) && flexible(x.Y)
	}
	return false
}

// toInt retypes a flexible expression as Int.
func toInt(e Expr) {
	switch x := e.(type) {
	case *Num:
		x.Typ = Int
	case *SizeRef:
		x.Typ = Int
	case *Unary:
		x.Typ = Int
		toInt(x.X)
	case *Binary:
		x.Typ = Int
		toInt(x.X)
		toInt(x.Y)
	}
}

// isConstant reports whether e depends only on literals, params and sizes,
// as an exponent must.
func isConstant(e Expr) bool {
	switch x := e.(type) {
	case *Num, *SizeRef, *ParamRef:
		return true
	case *Unary:
		return isConstant(x.X)
	case *Binary:
		return isConstant(x.X) && isConstant(x.Y)
	case *Call:
		for _, a := range x.Args {
			if !isConstant(a) {
				return false
			}
		}
		return true
	}
	return false
}

// asReal demands a real value, explaining what else was found.
func (c *checker) asReal(e Expr) Expr {
	if e == nil {
		return nil
	}
	switch e.Type() {
	case Real:
		return e
	case Bool:
		c.errorf(e.Position(), "condition %s used as a real value; use where(cond, 1, 0)", c.text(e))
		return nil
	}
	if v, ok := e.(*IndexRef); ok {
		c.errorf(e.Position(), "index variable %s used as a real value", v.Var.Name)
		return nil
	}
	c.errorf(e.Position(), "integer value %s used as a real; convert with real(...)", c.text(e))
	return nil
}

// arith types + - * /.
func (c *checker) arith(op string, x, y Expr, pos Pos) Expr {
	if x == nil || y == nil {
		return nil
	}
	if op != "/" && x.Type() != Bool && y.Type() != Bool && (x.Type() == Int || y.Type() == Int) {
		switch {
		case x.Type() == Int && (y.Type() == Int || flexible(y)):
			toInt(y)
			return &Binary{Op: op, X: x, Y: y, Typ: Int, Pos: pos}
		case y.Type() == Int && flexible(x):
			toInt(x)
			return &Binary{Op: op, X: x, Y: y, Typ: Int, Pos: pos}
		}
	}
	x, y = c.asReal(x), c.asReal(y)
	if x == nil || y == nil {
		return nil
	}
	return &Binary{Op: op, X: x, Y: y, Typ: Real, Pos: pos}
}

// compare types == != < <= > >=.
func (c *checker) compare(op string, x, y Expr, pos, opPos Pos) Expr {
	if x == nil || y == nil {
		return nil
	}
	if x.Type() == Bool || y.Type() == Bool {
		c.errorf(opPos, "cannot compare conditions with %s; use && and ||", op)
		return nil
	}
	xi, yi := x.Type() == Int, y.Type() == Int
	switch {
	case xi && yi, !xi && !yi:
	case xi && flexible(y):
		toInt(y)
	case yi && flexible(x):
		toInt(x)
	case xi:
		c.errorf(opPos, "mismatched types in comparison: %s is an integer but %s is real", c.text(x), c.text(y))
		return nil
	default:
		c.errorf(opPos, "mismatched types in comparison: %s is real but %s is an integer", c.text(x), c.text(y))
		return nil
	}
	return &Binary{Op: op, X: x, Y: y, Typ: Bool, Pos: pos}
}

// logical types && and ||.
func (c *checker) logical(op string, x, y Expr, pos Pos) Expr {
	ok := true
	for _, e := range []Expr{x, y} {
		if e != nil && e.Type() != Bool {
			c.errorf(e.Position(), "operand of %s must be a condition, got %s value %s", op, e.Type(), c.text(e))
			ok = false
		}
	}
	if !ok || x == nil || y == nil {
		return nil
	}
	return &Binary{Op: op, X: x, Y: y, Typ: Bool, Pos: pos}
}
