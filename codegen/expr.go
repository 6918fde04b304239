package codegen

import (
	"fmt"
	"math"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

const rtPath = "github.com/lossgen/lossgen/runtime"

// calc is the type kernels compute in, whatever the type of their inputs.
// float32 kernels read float32 inputs and write float32 gradients, but
// every intermediate, accumulator and local is float64: a logsumexp of
// logits near 1e4 stored in float32 is off by 1e-3, and the loss
// lse − z_y and the weights exp(z − lse) inherit that error in full.
const calc = "float64"

// Go operator precedence, used to parenthesise exactly where the IR tree
// requires it. Right operands are parenthesised at equal precedence too:
// floating-point + and * are not associative, and the generated code must
// evaluate in the order the IR says.
func prec(op string) int {
	switch op {
	case "||":
		return 1
	case "&&":
		return 2
	case "==", "!=", "<", "<=", ">", ">=":
		return 3
	case "+", "-":
		return 4
	case "*", "/":
		return 5
	}
	return 6
}

const (
	precUnary = 6
	precAtom  = 7
)

// render returns Go code for e and its precedence.
func (f *fn) render(e ir.Expr) (jen.Code, int) {
	switch e := e.(type) {
	case *ir.Const:
		return f.constant(e.Value)
	case *ir.SizeVal:
		name := f.useSize(e.Size)
		if e.Int {
			return jen.Id(name), precAtom
		}
		return jen.Id(calc).Call(jen.Id(name)), precAtom
	case *ir.ParamVal:
		return jen.Id(f.useParam(e.Param)), precAtom
	case *ir.VarVal:
		return f.varCode(e.Var)
	case *ir.LocalVal:
		return jen.Id(f.localName(e.Local)), precAtom
	case *ir.Load:
		c, ok := f.rowAccess(e.Tensor, false, e.Index)
		if !ok {
			c = jen.Id(f.useTensor(e.Tensor)).Index(f.flat(e.Tensor, e.Index))
		}
		if !e.Tensor.Int && f.g.stored(e.Tensor) && f.g.typ.name != calc {
			// float32 inputs are widened: kernels compute in float64.
			return jen.Id(calc).Call(c), precAtom
		}
		return c, precAtom
	case *ir.AdjLoad:
		c, ok := f.rowAccess(e.Tensor, true, e.Index)
		if !ok {
			c = jen.Id(f.useAdj(e.Tensor)).Index(f.flat(e.Tensor, e.Index))
		}
		if f.g.stored(e.Tensor) && f.g.typ.name != calc {
			return jen.Id(calc).Call(c), precAtom
		}
		return c, precAtom
	case *ir.Unary:
		x := f.operand(e.X, precUnary, false)
		return jen.Op(e.Op).Add(x), precUnary
	case *ir.Binary:
		p := prec(e.Op)
		x := f.operand(e.X, p, false)
		y := f.operand(e.Y, p, true)
		return jen.Add(x).Op(e.Op).Add(y), p
	case *ir.Call:
		return f.call(e)
	}
	panic(fmt.Sprintf("codegen: unexpected expression %T", e))
}

// operand renders a child of an operator of precedence p.
func (f *fn) operand(e ir.Expr, p int, right bool) jen.Code {
	c, q := f.render(e)
	if q < p || (right && q == p) || (p == precUnary && q == precUnary) {
		return jen.Parens(c)
	}
	return c
}

func (f *fn) expr(e ir.Expr) jen.Code {
	c, _ := f.render(e)
	return c
}

func (f *fn) constant(v float64) (jen.Code, int) {
	switch {
	case math.IsInf(v, 0):
		sign := 1
		if v < 0 {
			sign = -1
		}
		return jen.Qual(rtPath, "Inf").Types(jen.Id(calc)).Call(jen.Lit(sign)), precAtom
	case math.IsNaN(v):
		return jen.Id(calc).Call(jen.Qual("math", "NaN").Call()), precAtom
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if v < 0 {
		return jen.Op("-").Id(s[1:]), precUnary
	}
	return jen.Id(s), precAtom
}

// runtimeFns maps IR functions to the lossrt helpers that implement them.
var runtimeFns = map[string]string{
	"exp": "Exp", "log": "Log", "log1p": "Log1p", "sqrt": "Sqrt", "abs": "Abs",
	"cos": "Cos", "sin": "Sin", "acos": "Acos", "pow": "Pow",
	"relu": "Relu", "softplus": "Softplus", "sigmoid": "Sigmoid", "tanh": "Tanh",
	"max": "Max", "min": "Min", "clamp": "Clamp", "where": "Select", "sign": "Sign",
	"sqrtadj": "SqrtAdj", "acosadj": "AcosAdj",
}

func (f *fn) call(e *ir.Call) (jen.Code, int) {
	if c, ok := f.vexpRead(e); ok {
		return c, precAtom
	}
	switch e.Fn {
	case "stopgrad":
		return f.render(e.Args[0])
	case "real":
		return jen.Id(calc).Call(f.expr(e.Args[0])), precAtom
	}
	name, ok := runtimeFns[e.Fn]
	if !ok {
		panic("codegen: unknown function " + e.Fn)
	}
	args := make([]jen.Code, len(e.Args))
	allConst := true
	for i, a := range e.Args {
		args[i] = f.expr(a)
		if e.Fn == "where" && i == 0 {
			continue
		}
		if _, c := a.(*ir.Const); !c {
			allConst = false
		}
	}
	call := jen.Qual(rtPath, name)
	if allConst {
		// Untyped constants alone would instantiate the helper with int.
		call = call.Types(jen.Id(calc))
	}
	return call.Call(args...), precAtom
}

// flat renders the row-major offset of idx in t.
func (f *fn) flat(t *ir.Tensor, idx []ir.Expr) jen.Code {
	if len(idx) == 0 {
		return jen.Lit(0)
	}
	code, p := f.render(idx[0])
	for k := 1; k < len(idx); k++ {
		size := jen.Id(f.useSize(t.Shape[k]))
		var lhs jen.Code = code
		if p < prec("*") {
			lhs = jen.Parens(code)
		}
		prod := jen.Add(lhs).Op("*").Add(size)
		// Integer index arithmetic is associative: no parentheses needed.
		next := f.operand(idx[k], prec("+"), false)
		code, p = jen.Add(prod).Op("+").Add(next), prec("+")
	}
	return code
}
