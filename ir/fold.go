package ir

import "math"

// Fold simplifies e bottom-up with rules that are exact in floating point
// for every finite operand: arithmetic on constants, x*1, x+0, x-0, x/1,
// -(-x), 0-x, where(c, a, a). It also applies x*0 = 0 and 0/x = 0, which
// are not exact for infinite or NaN x; derivative rules produce such terms
// only where the other factor is a structural zero (a constant's gradient),
// so dropping them is what a hand-written gradient would do.
func Fold(e Expr) Expr {
	e = MapChildren(e, Fold)
	switch e := e.(type) {
	case *Unary:
		if e.Op == "-" {
			if c, ok := e.X.(*Const); ok {
				return &Const{Value: -c.Value}
			}
			if u, ok := e.X.(*Unary); ok && u.Op == "-" {
				return u.X
			}
		}
	case *Binary:
		return foldBinary(e)
	case *Call:
		switch e.Fn {
		case "where":
			if String(e.Args[1]) == String(e.Args[2]) {
				return e.Args[1]
			}
		case "pow":
			if isConst(e.Args[1], 1) {
				return e.Args[0]
			}
		}
		if c, ok := foldCall(e); ok {
			return c
		}
	}
	return e
}

func foldBinary(e *Binary) Expr {
	x, xc := e.X.(*Const)
	y, yc := e.Y.(*Const)
	if xc && yc && !e.Int {
		switch e.Op {
		case "+":
			return &Const{Value: x.Value + y.Value}
		case "-":
			return &Const{Value: x.Value - y.Value}
		case "*":
			return &Const{Value: x.Value * y.Value}
		case "/":
			if y.Value != 0 {
				return &Const{Value: x.Value / y.Value}
			}
		}
	}
	switch e.Op {
	case "+":
		if isConst(e.X, 0) {
			return e.Y
		}
		if isConst(e.Y, 0) {
			return e.X
		}
		if u, ok := e.Y.(*Unary); ok && u.Op == "-" {
			return &Binary{Op: "-", X: e.X, Y: u.X, Int: e.Int}
		}
	case "-":
		if isConst(e.Y, 0) {
			return e.X
		}
		if isConst(e.X, 0) {
			return Fold(&Unary{Op: "-", X: e.Y})
		}
		if u, ok := e.Y.(*Unary); ok && u.Op == "-" {
			return &Binary{Op: "+", X: e.X, Y: u.X, Int: e.Int}
		}
	case "*":
		if isConst(e.X, 0) || isConst(e.Y, 0) {
			return &Const{Value: 0}
		}
		if isConst(e.X, 1) {
			return e.Y
		}
		if isConst(e.Y, 1) {
			return e.X
		}
		if isConst(e.X, -1) {
			return Fold(&Unary{Op: "-", X: e.Y})
		}
		if isConst(e.Y, -1) {
			return Fold(&Unary{Op: "-", X: e.X})
		}
		// Pull negations out so that accumulations become subtractions.
		if u, ok := e.X.(*Unary); ok && u.Op == "-" {
			return &Unary{Op: "-", X: Fold(&Binary{Op: "*", X: u.X, Y: e.Y})}
		}
		if u, ok := e.Y.(*Unary); ok && u.Op == "-" {
			return &Unary{Op: "-", X: Fold(&Binary{Op: "*", X: e.X, Y: u.X})}
		}
	case "/":
		if isConst(e.X, 0) {
			return &Const{Value: 0}
		}
		if isConst(e.Y, 1) {
			return e.X
		}
	}
	return e
}

func foldCall(e *Call) (Expr, bool) {
	if len(e.Args) != 1 {
		return nil, false
	}
	c, ok := e.Args[0].(*Const)
	if !ok {
		return nil, false
	}
	switch e.Fn {
	case "exp":
		return &Const{Value: math.Exp(c.Value)}, true
	case "log":
		if c.Value > 0 {
			return &Const{Value: math.Log(c.Value)}, true
		}
	case "sqrt":
		if c.Value >= 0 {
			return &Const{Value: math.Sqrt(c.Value)}, true
		}
	case "tanh":
		return &Const{Value: math.Tanh(c.Value)}, true
	case "sign":
		switch {
		case c.Value > 0:
			return &Const{Value: 1}, true
		case c.Value < 0:
			return &Const{Value: -1}, true
		case c.Value == 0:
			return &Const{Value: 0}, true
		}
	}
	return nil, false
}

func isConst(e Expr, v float64) bool {
	c, ok := e.(*Const)
	return ok && c.Value == v
}
