package ir

import "github.com/lossgen/lossgen/dsl"

// Expr is a reduction-free scalar expression.
type Expr interface{ isExpr() }

// Const is a real (or integral) constant.
type Const struct{ Value float64 }

// SizeVal is the value of a size symbol. As a real it is converted.
type SizeVal struct {
	Size *dsl.Size
	Int  bool
}

// ParamVal reads a hyperparameter.
type ParamVal struct{ Param *dsl.Param }

// VarVal reads a loop variable (an int).
type VarVal struct{ Var *Var }

// Load reads Tensor[Index...]; each subscript is a VarVal or an Int Load.
type Load struct {
	Tensor *Tensor
	Index  []Expr
}

// AdjLoad reads the adjoint of Tensor at Index (backward code only).
type AdjLoad struct {
	Tensor *Tensor
	Index  []Expr
}

// LocalVal reads a local of the enclosing Block.
type LocalVal struct{ Local *Local }

// Unary is "-" (negation) or "!" (logical not).
type Unary struct {
	Op string
	X  Expr
}

// Binary is + - * / (arithmetic), == != < <= > >= (comparison, Bool) or
// && || (logical). Int marks arithmetic and comparisons on integers.
type Binary struct {
	Op   string
	X, Y Expr
	Int  bool
}

// Call applies a scalar function. Besides the dsl's functions (exp, log,
// log1p, sqrt, abs, relu, softplus, sigmoid, tanh, sign, cos, sin, acos, max,
// min, clamp, where, stopgrad, real, pow) autodiff introduces:
//
//	sqrtadj(a, y)  a / (2y), and 0 where y == 0 (the gradient of sqrt at 0)
//	acosadj(a, x)  -a / sqrt(1 - x²), and 0 where |x| >= 1
//	sign(x)        -1, 0 or 1 (the derivative of abs; the same function as
//	               the dsl's sign, whose own derivative is 0)
//	step(x)        1 where x > 0, else 0
type Call struct {
	Fn   string
	Args []Expr
}

func (*Const) isExpr()    {}
func (*SizeVal) isExpr()  {}
func (*ParamVal) isExpr() {}
func (*VarVal) isExpr()   {}
func (*Load) isExpr()     {}
func (*LocalVal) isExpr() {}
func (*AdjLoad) isExpr()  {}
func (*Unary) isExpr()    {}
func (*Binary) isExpr()   {}
func (*Call) isExpr()     {}

// Local is a scalar temporary inside a Block.
type Local struct {
	Name string
	Int  bool
}

// Block is straight-line scalar code: Stmts run in order, then Result (nil
// for adjoint blocks) is the value.
type Block struct {
	Stmts  []Stmt
	Result Expr
}

// Stmt is a statement of a Block.
type Stmt interface{ isStmt() }

// Assign binds a fresh local.
type Assign struct {
	Local *Local
	Value Expr
}

// Accum adds Value into the adjoint of Tensor at Index.
type Accum struct {
	Tensor *Tensor
	Index  []Expr
	Value  Expr
}

func (*Assign) isStmt() {}
func (*Accum) isStmt()  {}
