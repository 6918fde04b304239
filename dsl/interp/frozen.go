package interp

// This file makes finite differences see stopgrad.
//
// stopgrad(e) is e in value and a constant for the gradient: circle loss's
// adaptive weights, multi-similarity's and NT-Xent's shifts, adaptive label
// smoothing. A plain central difference (f(x+h) − f(x−h)) / 2h perturbs the
// stopped expression along with everything else, so it measures the gradient
// *through* it: for sum(i: stopgrad(x[i]) * x[i]) it gives 2x where the
// compiled gradient is x. The oracle must instead differentiate with every
// stopgrad subexpression held at its value at the unperturbed point.
//
// Freeze evaluates the program once at the base point and records the value
// of every stopgrad evaluation, keyed by the stopgrad node and the values of
// the index variables bound at that moment (the definition's and the
// enclosing reductions'); Frozen.Eval then evaluates at a perturbed point
// with each stopgrad evaluation replaced by the recorded value for the same
// node and index point. A stopgrad evaluated at a point the base run never
// reached (a where branch or a filter that flips under the perturbation) is
// computed live: it has no base value, and the perturbation crossed a
// discontinuity anyway, so no finite difference is meaningful there.
//
// The recorded values are the ones the base evaluation computed, bit for bit,
// so Frozen.Eval at the base point itself equals Eval.

import (
	"strconv"

	"github.com/lossgen/lossgen/dsl"
)

// Frozen holds the stopgrad values of one base evaluation of a program.
type Frozen struct {
	prog *dsl.Program
	st   *frozenState
}

// frozenState is consulted by the machine at every stopgrad call: in
// recording mode it stores the value, in replay mode it returns the stored
// one.
type frozenState struct {
	record bool
	vals   map[frozenKey]float64
}

// Freeze evaluates p at v, recording the value of every stopgrad
// evaluation. It returns the loss at v as well.
func Freeze(p *dsl.Program, v Values) (*Frozen, float64, error) {
	b, err := bind(p, v)
	if err != nil {
		return nil, 0, err
	}
	st := &frozenState{record: true, vals: map[frozenKey]float64{}}
	b.frozen = st
	loss, err := b.run(p)
	if err != nil {
		return nil, 0, err
	}
	st.record = false
	return &Frozen{prog: p, st: st}, loss, nil
}

// Eval computes the loss at v with every stopgrad subexpression held at its
// value at the point Freeze was called with. v must have the same sizes.
func (f *Frozen) Eval(v Values) (float64, error) {
	b, err := bind(f.prog, v)
	if err != nil {
		return 0, err
	}
	b.frozen = f.st
	return b.run(f.prog)
}

// EvalFrozen is Eval at v with stopgrad subexpressions held at their values
// at base: the function whose finite differences are the gradient lossgen
// computes.
func EvalFrozen(p *dsl.Program, base, v Values) (float64, error) {
	f, _, err := Freeze(p, base)
	if err != nil {
		return 0, err
	}
	return f.Eval(v)
}

// stopgrad is the value of the stopgrad call c whose argument evaluated to x
// at the current point, where env[:bound] are the variables bound.
func (m *machine) stopgrad(c *dsl.Call, x float64, bound int) float64 {
	st := m.frozen
	if st == nil {
		return x
	}
	key := m.pointKey(c, bound)
	if st.record {
		st.vals[key] = x
		return x
	}
	if y, ok := st.vals[key]; ok {
		return y
	}
	return x
}

// pointKey identifies node c at the current index point: the values of
// the bound index variables, in binding order (the definition's, then the
// enclosing reductions' from the outside in), which is the same order every
// time c is evaluated.
func (m *machine) pointKey(c *dsl.Call, bound int) frozenKey {
	buf := make([]byte, 0, 8*bound)
	for _, i := range m.env[:bound] {
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, ' ')
	}
	return frozenKey{call: c, point: string(buf)}
}

// frozenKey is a stopgrad node at an index point.
type frozenKey struct {
	call  *dsl.Call
	point string
}
