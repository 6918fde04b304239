package explain

import "github.com/lossgen/lossgen/compiler"

// Schedule renders the schedule the compiler plans for the spec
// (compiler.Schedule, for float64 and float32): per fused group of the
// forward, update and backward passes, its kernel, loops, parallel split,
// runs and storage. It is what lossgen compile emits Go from.
func (x *Explanation) Schedule() (string, error) {
	s, err := compiler.Schedule(x.prog, nil)
	if err != nil {
		return "", err
	}
	return s.Text(), nil
}
