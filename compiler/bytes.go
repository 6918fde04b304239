package compiler

import (
	"fmt"

	"github.com/lossgen/lossgen/ir"
)

// Traffic is the minimal memory traffic of one Grad call: the bytes that
// must cross between memory and the processor whatever the schedule, split
// into what is read and what is written.
type Traffic struct {
	Read, Written float64
}

// Total is Read + Written.
func (t Traffic) Total() float64 { return t.Read + t.Written }

// Bytes counts the minimal memory traffic of one Grad call of p (a
// differentiated program, as Build returns it) for the sizes dims, with
// real elements of elemSize bytes (4 for float32, 8 for float64):
//
//   - every input is read once: elemSize bytes per real element, 8 per
//     integer element (generated kernels take labels as []int);
//   - every differentiable input's gradient is written once, elemSize bytes
//     per element (a gradient slice is overwritten, so it need not be read);
//   - intermediates cost nothing: an ideal schedule keeps them in cache or
//     recomputes them.
//
// It is the compulsory traffic, the memory side of a roofline: no kernel
// can take less than Total / bandwidth. Used with Flops it bounds a step's
// time from below by max(Total / bandwidth, flops / peak).
func Bytes(p *ir.Program, dims map[string]int, elemSize int) (Traffic, error) {
	var t Traffic
	for _, in := range p.Inputs {
		n := 1.0
		for _, s := range in.Shape {
			d, ok := dims[s.Name]
			if !ok || d <= 0 {
				return Traffic{}, fmt.Errorf("bytes: size %s of %s is not bound to a positive value", s.Name, p.Name)
			}
			n *= float64(d)
		}
		if in.Int {
			t.Read += 8 * n
			continue
		}
		t.Read += float64(elemSize) * n
		if in.Diff {
			t.Written += float64(elemSize) * n
		}
	}
	return t, nil
}
