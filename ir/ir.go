package ir

import "github.com/lossgen/lossgen/dsl"

// Program is a lowered spec: forward Ops in evaluation order and, once
// package autodiff has run, the adjoint Ops in reverse order.
type Program struct {
	Name   string
	Doc    string
	File   string
	Source []byte
	Uses   []string // specs used by this one (dsl.Program.Uses)

	Sizes   []*dsl.Size
	Params  []*dsl.Param
	Inputs  []*Tensor // in declaration order
	Temps   []*Tensor // intermediates in evaluation order, the Result last
	Forward []*Op
	Result  *Tensor // rank 0

	// Gathers lists, for each integer input used as a subscript, the size
	// of every dimension it indexes: the kernel validates its values
	// against them before touching memory.
	Gathers []Gather

	// Backward is filled by autodiff.Differentiate: one adjoint Op per
	// forward Op whose target carries a gradient, in reverse order.
	Backward []*AdjointOp

	// Updates computes the spec's update rules after the forward Ops (their
	// bodies may read definitions): each rule's new value goes to a
	// temporary, so every rule reads old values; Assigns then says which
	// input each temporary replaces. Updates are not differentiated.
	Updates []*Op
	Assigns []UpdateAssign
}

// UpdateAssign copies the new value computed for an update rule into its
// target input.
type UpdateAssign struct {
	Target *Tensor // a real input
	Value  *Tensor // the temporary holding its new value
}

// Gather records that integer input Index is used to subscript a dimension
// of size Range.
type Gather struct {
	Index *Tensor
	Range *dsl.Size
}

// TensorKind says where a tensor's storage comes from.
type TensorKind int

const (
	// Input tensors are caller-owned slices.
	Input TensorKind = iota
	// Temp tensors are intermediates held in the workspace.
	Temp
)

// Tensor is a flat row-major array of reals or ints.
type Tensor struct {
	Name  string // spec name; lifted reductions get "<def>_<op>" names
	Shape []*dsl.Size
	Int   bool
	Kind  TensorKind
	Diff  bool    // Input only: the caller wants its gradient
	Pos   dsl.Pos // where the spec defines it
	// Named marks a definition written in the spec itself: not a reduction
	// lifted out of one, not a temporary a pass made, not a definition
	// copied from a used spec. Its value after a call is part of the
	// generated API (Workspace.Values), so passes keep it computed.
	Named bool

	// Active is set by autodiff: the tensor depends on a differentiable
	// input, so it has an adjoint.
	Active bool
	// ArgOf is set on the hidden index tensor that records, for a max or
	// min reduction, which element won (flat reduction index, -1 if the
	// filtered set was empty).
	ArgOf *Tensor
}

// Rank returns the number of dimensions (0 for a scalar).
func (t *Tensor) Rank() int { return len(t.Shape) }

// Var is a loop variable: an index of an Op's target or a reduction index.
type Var struct {
	Name  string
	Range *dsl.Size
}

// OpKind distinguishes elementwise maps from reductions.
type OpKind int

const (
	// Map computes Target[Index] = Body.
	Map OpKind = iota
	// Reduce computes Target[Index] = Red over RVars (where Filter) of Body.
	Reduce
)

// Op computes one tensor.
type Op struct {
	Kind   OpKind
	Target *Tensor
	Index  []*Var  // one per dimension of Target
	Red    string  // Reduce: "sum", "max", "min", "logsumexp" or "count"
	RVars  []*Var  // Reduce: the reduction indices, outermost first
	Filter Expr    // Reduce: Bool condition, or nil
	Body   *Block  // the value (for count: nil)
	Arg    *Tensor // max/min: the arg index tensor (same shape as Target)

	Pos  dsl.Pos // spec position of the construct this Op comes from
	Spec string  // the spec text of that construct, for comments
}

// AdjointOp propagates the adjoint of Fwd.Target to the tensors Fwd reads.
// Its loops have the shape of Fwd's: Block runs once per element of Fwd's
// iteration space where Fwd's filter holds (for max and min, once per Target
// element, with the reduction variables set from the recorded arg index and
// skipped when the set was empty). Block reads the incoming adjoint through
// AdjLoad and has no Result.
type AdjointOp struct {
	Fwd   *Op
	Block *Block
}
