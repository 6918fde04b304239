package lossrt

import (
	"fmt"
	"unsafe"
)

// AliasError reports a gradient slice that shares memory with an input or
// with another gradient slice. A kernel reads its inputs while it writes
// its gradients (Grad clears them first), so an alias silently gives wrong
// results; generated kernels refuse it before touching anything.
type AliasError struct {
	Grad  string // the gradient slice, "grad <input>"
	Other string // the input, or the other gradient slice ("grad <input>")
}

func (e *AliasError) Error() string {
	return fmt.Sprintf("lossgen: %s shares memory with %s: gradients are written while inputs are read, so pass a separate slice", e.Grad, e.Other)
}

// Overlap reports whether two slices share any element of memory. It
// compares address ranges only: no allocation, no reads of the elements.
// Empty slices overlap nothing.
func Overlap[T Float](a, b []T) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	size := unsafe.Sizeof(a[0])
	pa := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	pb := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return pa < pb+uintptr(len(b))*size && pb < pa+uintptr(len(a))*size
}

// CheckAlias returns an *AliasError for the first gradient slice that
// overlaps an input or a later gradient slice (names gives each slice's
// spec name), nil if none does. Generated kernels call it with arrays on
// their stack: it allocates only to report an error.
func CheckAlias[T Float](inputs [][]T, inputNames []string, grads [][]T, gradNames []string) error {
	for i, g := range grads {
		for j, x := range inputs {
			if Overlap(g, x) {
				return &AliasError{Grad: "grad " + gradNames[i], Other: inputNames[j]}
			}
		}
		for j := i + 1; j < len(grads); j++ {
			if Overlap(g, grads[j]) {
				return &AliasError{Grad: "grad " + gradNames[i], Other: "grad " + gradNames[j]}
			}
		}
	}
	return nil
}
