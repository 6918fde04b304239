package lossrt

import (
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"
)

// Size returns the element count of a tensor with the given dimensions, or a
// DimError naming the tensor if a dimension is not positive or the tensor
// could not be allocated: more than maxElems elements, the most a slice of
// 8-byte elements may hold. Workspaces call it once, at creation, for every
// tensor, so the kernels' index arithmetic can never wrap and make never
// panics.
func Size(tensor string, names []string, dims ...int) (int, error) {
	n := 1
	for i, d := range dims {
		if d <= 0 {
			return 0, &DimError{Size: names[i], Value: d, Reason: "must be positive"}
		}
		hi, lo := bits.Mul64(uint64(n), uint64(d))
		if hi != 0 || lo > uint64(maxElems) {
			return 0, &DimError{Size: names[i], Value: d, Reason: fmt.Sprintf("%s would have more than %d elements", tensor, maxElems)}
		}
		n = int(lo)
	}
	return n, nil
}

// maxElems is the largest element count of a tensor: a []float64 or []int
// of that length still has a byte size that fits in an int.
const maxElems = int(^uint(0)>>1) / 8

// NewLengthError describes a slice whose length does not match its shape.
// Kernels call it only on the failure path, so the success path stays
// allocation-free.
func NewLengthError(name string, names []string, dims []int, got int) error {
	want := 1
	parts := make([]string, len(dims))
	for i, d := range dims {
		want *= d
		parts[i] = fmt.Sprint(d)
	}
	shape := "[" + strings.Join(names, ", ") + "] = [" + strings.Join(parts, ", ") + "]"
	return &LengthError{Name: name, Shape: shape, Want: want, Got: got}
}

// CheckRequest verifies that a dynamic request names exactly the sizes and
// inputs of info, and only parameters info declares.
func CheckRequest[T Float](info Info, r Request[T]) error {
	for _, s := range info.Sizes {
		if _, ok := r.Dims[s]; !ok {
			return fmt.Errorf("dims: missing size %s", s)
		}
	}
	for _, name := range sortedKeys(r.Dims) {
		if !contains(info.Sizes, name) {
			return fmt.Errorf("dims: unknown size %s (the spec has %s)", name, strings.Join(info.Sizes, ", "))
		}
	}
	if r.Max != nil {
		for _, s := range info.Sizes {
			if _, ok := r.Max[s]; !ok {
				return fmt.Errorf("max: missing size %s", s)
			}
		}
		for _, name := range sortedKeys(r.Max) {
			if !contains(info.Sizes, name) {
				return fmt.Errorf("max: unknown size %s (the spec has %s)", name, strings.Join(info.Sizes, ", "))
			}
		}
	}
	for _, name := range sortedKeys(r.Params) {
		found := false
		for _, p := range info.Params {
			found = found || p.Name == name
		}
		if !found {
			return fmt.Errorf("params: unknown parameter %s", name)
		}
	}
	for _, in := range info.Inputs {
		var ok bool
		if in.Int {
			_, ok = r.Ints[in.Name]
		} else {
			_, ok = r.Reals[in.Name]
		}
		if !ok {
			return fmt.Errorf("inputs: missing input %s", in.Name)
		}
	}
	for _, name := range sortedKeys(r.Reals) {
		if !hasInput(info, name, false) {
			return fmt.Errorf("inputs: unknown real input %s", name)
		}
	}
	for _, name := range sortedKeys(r.Ints) {
		if !hasInput(info, name, true) {
			return fmt.Errorf("inputs: unknown integer input %s", name)
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func hasInput(info Info, name string, isInt bool) bool {
	for _, in := range info.Inputs {
		if in.Name == name && in.Int == isInt {
			return true
		}
	}
	return false
}

// sortedKeys makes error messages independent of map order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
