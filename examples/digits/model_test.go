package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkGrads compares the analytic gradient of every parameter (in g) with
// central finite differences of loss().
func checkGrads(t *testing.T, m, g *Model, loss func() float64) {
	t.Helper()
	const h = 1e-6
	names := []string{"W1", "B1", "W2", "B2", "Wc"}
	grads := g.Tensors()
	for ti, p := range m.Tensors() {
		for i := range p {
			old := p[i]
			p[i] = old + h
			lp := loss()
			p[i] = old - h
			lm := loss()
			p[i] = old
			num := (lp - lm) / (2 * h)
			if got := grads[ti][i]; math.Abs(num-got) > 1e-6*math.Max(1, math.Abs(num)) {
				t.Errorf("%s[%d]: backward %.10g, finite difference %.10g", names[ti], i, got, num)
			}
		}
	}
}

// The whole chain used in training, for each loss: the network, then the
// objective (the generated kernel and its adapter in losses.go), against
// finite differences of the network's parameters.
func TestBackwardThroughEachLoss(t *testing.T) {
	const n, in, hidden, emb, c = 8, 5, 7, 4, 3
	labels := []int{0, 0, 1, 1, 2, 2, 0, 1}
	for _, l := range Losses {
		rng := rand.New(rand.NewPCG(3, uint64(l)))
		m := NewModel(in, hidden, emb, c, rng)
		for i := range m.Wc { // the 0.001 init would hide the classifier path
			m.Wc[i] = rng.NormFloat64()
		}
		for i := range m.B1 {
			m.B1[i] = 0.3 * rng.NormFloat64()
		}
		x := make([]float64, n*in)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		obj, err := newObjective(l, n, emb, c, rng)
		if err != nil {
			t.Fatal(err)
		}
		var before []float64
		if b, ok := obj.(*baselineObjective); ok {
			b.ws.Params.CenterWeight = 0.5 // make the center term visible to the check
			before = slices.Clone(b.centers)
		}
		a := m.NewActivations(n)
		m.Forward(x, a)
		gL := make([]float64, n*c)
		gF := make([]float64, n*emb)
		for i := range gL { // stale values that grad must overwrite
			gL[i] = 1
		}
		for i := range gF {
			gF[i] = 1
		}
		if _, err := obj.grad(a.Logits, a.Feat, labels, gL, gF); err != nil {
			t.Fatal(err)
		}
		if b, ok := obj.(*baselineObjective); ok {
			if slices.Equal(before, b.centers) {
				t.Error("baseline: grad did not move the centres")
			}
			copy(b.centers, before) // finite differences at the centres the gradient saw
		}
		g := NewGrads(in, hidden, emb, c)
		m.Backward(a, gL, gF, g)
		t.Run(l.String(), func(t *testing.T) {
			checkGrads(t, m, g, func() float64 {
				m.Forward(x, a)
				l, err := obj.value(a.Logits, a.Feat, labels)
				if err != nil {
					t.Fatal(err)
				}
				return l
			})
		})
	}
}
