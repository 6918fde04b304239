package dsl

// This file defines the checked program: the data type that leaves the dsl
// package. Everything after checking (lowering, differentiation, code
// generation, the reference interpreter) reads only these types, never the
// participle grammar structs.

// Type classifies the value of an expression.
type Type int

const (
	// Real values are computed in the kernel's float type.
	Real Type = iota
	// Int values are labels, sizes, index variables and integral literals
	// used where an integer is expected.
	Int
	// Bool values appear only in filters, where(...) conditions and
	// the operands of && || !.
	Bool
)

func (t Type) String() string {
	switch t {
	case Real:
		return "real"
	case Int:
		return "int"
	case Bool:
		return "bool"
	}
	return "invalid"
}

// Program is a spec that passed checking.
type Program struct {
	File   string // file name as given to Parse, used in diagnostics and comments
	Name   string // the loss name: `loss NAME { ... }`
	Doc    string // comment lines directly above `loss`, without the // markers
	Source []byte // the spec text, for quoting lines in generated comments

	Sizes  []*Size  // size symbols in order of first appearance, in input shapes or `size` declarations
	Params []*Param // in declaration order
	Inputs []*Input // in declaration order
	Defs   []*Def   // named definitions in source order; the last one is Result
	Result *Def     // the scalar definition named "loss"

	// Uses lists the spec files this one uses, directly or through the
	// specs it uses, as slash-separated paths relative to the directory of
	// File, in order of first use, each once. Their definitions have been
	// expanded into Defs (see Def.Origin): a Program never refers to another
	// Program, and later stages need not read these files.
	Uses []string

	// Updates are the spec's update rules (`update centers[c, k] = ...`), in
	// declaration order, at most one per input: a new value for a real
	// input, computed from the current values of the inputs, params, sizes
	// and definitions. They are not part of the loss and are not
	// differentiated; the loss and its gradients never read them. All
	// updates read the old values (a simultaneous assignment), so an
	// implementation evaluates every update before writing any.
	Updates []*Update
}

// Update is a rule `update target[i, j] = body` giving the next value of a
// real input at every point of its shape. Index holds the binding
// occurrences of the left-hand index variables: Index[k].Range ==
// Target.Shape[k]. Body is Real, and may read inputs (including Target),
// params, sizes and definitions, all at their current (old) values.
type Update struct {
	Target *Input
	Index  []*IndexVar
	Body   Expr
	Pos    Pos
	// Origin is "path:line:col" of the rule in a used spec when the rule
	// came in through a call (Pos is then the call), and "" otherwise.
	Origin string
}

// Pos is a position in a spec file. Line and Column are 1-based; Offset is a
// 0-based byte offset.
type Pos struct {
	Offset, Line, Column int
}

// Size is a size symbol such as N or D, bound at run time from the caller.
// It is named by an input's shape or declared with `size U` (a size no
// input has, such as a number of identities).
type Size struct {
	Name string
	Pos  Pos // first appearance
}

// Param is a scalar real hyperparameter with a default the caller may override.
type Param struct {
	Name    string
	Default float64
	Pos     Pos
}

// Input is a tensor supplied by the caller, flat and row-major.
// A rank-0 input (no shape) is a scalar.
type Input struct {
	Name  string
	Shape []*Size
	Int   bool // integer tensor (labels); never differentiable
	Diff  bool // real input whose gradient is produced (the default for real inputs)
	Pos   Pos
}

// Def is a named intermediate `name[i, j] = body`, or the result `loss = body`.
// Index holds the binding occurrences of the left-hand index variables; Shape
// holds their inferred ranges, so Shape[k] == Index[k].Range.
type Def struct {
	Name  string
	Index []*IndexVar
	Shape []*Size
	Body  Expr
	Type  Type // Real or Int (an integer-valued definition is allowed but never differentiated)
	Pos   Pos
	// Origin is "path:line:col" of the definition in the used spec it was
	// copied from (path relative to the directory of Program.File), for a
	// definition created by expanding a call of a used spec; "" for the
	// spec's own definitions. A copied definition's Pos, and the positions
	// of everything in its body, are the calling definition's and the
	// call's, so every Pos indexes Program.Source.
	Origin string
}

// IndexVar is one binding of an index variable: on a definition's left-hand
// side, or in a reduction. Each binding is a distinct object, so two
// reductions that both use `j` have two IndexVars.
type IndexVar struct {
	Name  string
	Range *Size // written on the binder (`u in U`) or inferred from the uses of the variable
	Pos   Pos
}

// Expr is a checked expression.
type Expr interface {
	Type() Type
	Position() Pos
}

// Num is a numeric literal. Text is the literal as written. Its Type is Int
// when it is integral and used in an integer context (a comparison with a
// label), Real otherwise.
type Num struct {
	Value float64
	Text  string
	Typ   Type
	Pos   Pos
}

// SizeRef is a size symbol used as a value (e.g. `eps / C`). Typ is Real
// where it is used as a real, Int where used as an integer.
type SizeRef struct {
	Size *Size
	Typ  Type
	Pos  Pos
}

// ParamRef reads a hyperparameter.
type ParamRef struct {
	Param *Param
	Pos   Pos
}

// IndexRef reads an index variable (Int). Index variables may appear as
// subscripts and in comparisons, never as reals.
type IndexRef struct {
	Var *IndexVar
	Pos Pos
}

// Access reads an element of an input or a definition. Exactly one of Input
// and Def is set. Each subscript is an IndexRef, or an Int-typed Access of an
// integer tensor (a gather such as logits[i, labels[i]]).
type Access struct {
	Input *Input
	Def   *Def
	Index []Expr
	Typ   Type
	Pos   Pos
}

// Name returns the name of the accessed tensor.
func (a *Access) Name() string {
	if a.Input != nil {
		return a.Input.Name
	}
	return a.Def.Name
}

// Shape returns the declared or inferred shape of the accessed tensor.
func (a *Access) Shape() []*Size {
	if a.Input != nil {
		return a.Input.Shape
	}
	return a.Def.Shape
}

// Unary is -x (Real or Int) or !x (Bool).
type Unary struct {
	Op  string // "-" or "!"
	X   Expr
	Typ Type
	Pos Pos
}

// Binary is an arithmetic (+ - * / ^), comparison (== != < <= > >=) or
// logical (&& ||) operation. Arithmetic is Real-typed (or Int when both sides
// are Int and the op is + - *); comparisons and logical ops are Bool.
// For ^ the exponent does not depend on any input (a literal, parameter or
// size expression).
type Binary struct {
	Op   string
	X, Y Expr
	Typ  Type
	Pos  Pos
}

// Call is an elementwise function:
//
//	exp log log1p sqrt abs relu softplus sigmoid tanh sign cos sin acos  (1 Real arg)
//	max min   (2 Real args; ties route the gradient to the first)
//	clamp     (3 Real args x, lo, hi): min(max(x, lo), hi), value and gradient
//	stopgrad  (1 Real arg; value unchanged, gradient zero)
//	where     (Bool, Real, Real): the first branch where the condition holds
//	real      (1 Int arg): converts an integer value to real
type Call struct {
	Fn   string
	Args []Expr
	Typ  Type
	Pos  Pos
}

// Reduce is a reduction over one or more index variables, with an optional
// filter: sum mean max min logsumexp (Real body), count (no body, Real result).
// Over an empty set (all filtered out) every reduction is 0 with a zero
// gradient: sum and count by definition, mean by dividing by max(count, 1),
// max/min/logsumexp by convention.
type Reduce struct {
	Op     string
	Vars   []*IndexVar
	Filter Expr // Bool, or nil
	Body   Expr // Real, or nil for count
	Pos    Pos
}

func (e *Num) Type() Type      { return e.Typ }
func (e *SizeRef) Type() Type  { return e.Typ }
func (e *ParamRef) Type() Type { return Real }
func (e *IndexRef) Type() Type { return Int }
func (e *Access) Type() Type   { return e.Typ }
func (e *Unary) Type() Type    { return e.Typ }
func (e *Binary) Type() Type   { return e.Typ }
func (e *Call) Type() Type     { return e.Typ }
func (e *Reduce) Type() Type   { return Real }

func (e *Num) Position() Pos      { return e.Pos }
func (e *SizeRef) Position() Pos  { return e.Pos }
func (e *ParamRef) Position() Pos { return e.Pos }
func (e *IndexRef) Position() Pos { return e.Pos }
func (e *Access) Position() Pos   { return e.Pos }
func (e *Unary) Position() Pos    { return e.Pos }
func (e *Binary) Position() Pos   { return e.Pos }
func (e *Call) Position() Pos     { return e.Pos }
func (e *Reduce) Position() Pos   { return e.Pos }
