package lossrt

// Info describes a generated loss for tools that drive it dynamically.
type Info struct {
	Name   string
	Sizes  []string // size symbols, e.g. ["N", "D"]
	Params []ParamInfo
	Inputs []InputInfo
}

// ParamInfo describes a hyperparameter and its default.
type ParamInfo struct {
	Name    string
	Default float64
}

// InputInfo describes one input tensor.
type InputInfo struct {
	Name  string
	Shape []string // size symbols; empty for a scalar
	Int   bool     // integer tensor (labels)
	Diff  bool     // a gradient is produced for it
	// Limits, for an integer input used as a subscript (a gather such as
	// logits[i, labels[i]]), names the sizes its values index: every value
	// must lie in [0, size) for each. Tools drawing random labels use it.
	Limits []string
}

// Float is the set of element types a kernel is generated for.
type Float interface{ ~float32 | ~float64 }

// Request is a dynamically typed call into a generated kernel, for tools such
// as lossgen run and lossgen check and for tests. It allocates; training
// loops use the typed Workspace API instead.
type Request[T Float] struct {
	Dims   map[string]int
	Params map[string]float64 // missing entries take their defaults
	Reals  map[string][]T     // real inputs by name
	Ints   map[string][]int   // integer inputs by name
	Grad   bool               // also compute the gradient of every differentiable input
	// Max, when set, makes the workspace for these sizes and runs the
	// request at Dims through SetDims: the way a training loop runs its
	// last, smaller batch. Tests use it to check that this changes no bit.
	Max map[string]int
}

// Result is the answer to a Request.
type Result[T Float] struct {
	Loss  T
	Grads map[string][]T // by input name; nil unless Request.Grad
	// Values holds every definition the spec names (Workspace.Values) by
	// name, flat and row-major, a scalar as one element, in float64.
	Values map[string][]float64
}

// Float64s returns a float64 copy of xs, for the Values of a Result.
func Float64s[T Float](xs []T) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
