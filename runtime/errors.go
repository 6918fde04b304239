package lossrt

import "fmt"

// DimError reports a size symbol that is not positive, or a tensor whose
// element count overflows int.
type DimError struct {
	Size   string // size symbol, e.g. "N", or a tensor name for overflow
	Value  int
	Reason string
}

func (e *DimError) Error() string {
	return fmt.Sprintf("lossgen: size %s = %d: %s", e.Size, e.Value, e.Reason)
}

// LengthError reports an input or gradient slice whose length does not match
// the workspace's sizes.
type LengthError struct {
	Name  string // input name, or "grad <input>" for a gradient slice
	Shape string // e.g. "[N, D] = [4, 3]"
	Want  int
	Got   int
}

func (e *LengthError) Error() string {
	return fmt.Sprintf("lossgen: %s has length %d, want %d for shape %s", e.Name, e.Got, e.Want, e.Shape)
}

// LabelError reports an integer input element used as an index that lies
// outside [0, Limit).
type LabelError struct {
	Name  string // integer input, e.g. "labels"
	Index int    // flat position of the offending element
	Value int
	Limit int    // the size of the dimension it indexes
	Size  string // the size symbol of that dimension, e.g. "C"
}

func (e *LabelError) Error() string {
	return fmt.Sprintf("lossgen: %s[%d] = %d is out of range [0, %s=%d)", e.Name, e.Index, e.Value, e.Size, e.Limit)
}

// NotFiniteError reports the first NaN or infinite element of a real input,
// found when a workspace's CheckFinite is set. By default kernels do not
// look: NaN and Inf propagate into the loss and gradients as IEEE
// arithmetic says, and checking costs a pass over the inputs.
type NotFiniteError struct {
	Name  string
	Index int // flat position
	Value float64
}

func (e *NotFiniteError) Error() string {
	return fmt.Sprintf("lossgen: %s[%d] = %v is not finite", e.Name, e.Index, e.Value)
}
