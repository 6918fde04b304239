package main

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lossgen/lossgen/generated/reidbaseline"
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
			got := grads[ti][i]
			if math.Abs(num-got) > 1e-6*math.Max(1, math.Abs(num)) {
				t.Errorf("%s[%d]: backward %.10g, finite difference %.10g", names[ti], i, got, num)
			}
		}
	}
}

func smallModel(rng *rand.Rand) (*Model, []float64, int) {
	const n = 6
	m := NewModel(5, 7, 4, 3, rng)
	for i := range m.Wc { // the 0.001 init would make the classifier path invisible
		m.Wc[i] = rng.NormFloat64()
	}
	for i := range m.B1 {
		m.B1[i] = 0.3 * rng.NormFloat64()
	}
	x := make([]float64, n*m.In)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return m, x, n
}

// The backward pass of the network alone, against a fixed linear loss
// L = Σ gF·feat + Σ gL·logits, so that gF and gL are its exact upstream
// gradients.
func TestBackwardFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m, x, n := smallModel(rng)
	gF := make([]float64, n*m.Emb)
	gL := make([]float64, n*m.Classes)
	for i := range gF {
		gF[i] = rng.NormFloat64()
	}
	for i := range gL {
		gL[i] = rng.NormFloat64()
	}
	a := m.NewActivations(n)
	loss := func() float64 {
		m.Forward(x, a)
		s := 0.0
		for i, v := range a.Feat {
			s += gF[i] * v
		}
		for i, v := range a.Logits {
			s += gL[i] * v
		}
		return s
	}
	loss()
	g := NewGrads(m.In, m.Hidden, m.Emb, m.Classes)
	m.Backward(a, gL, append([]float64(nil), gF...), g)
	checkGrads(t, m, g, loss)
}

// The whole chain used in training: network, then the generated
// reid_baseline kernel (CE-LS on the logits, batch-hard triplet and center
// loss on feat).
func TestBackwardThroughReIDBaseline(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, x, n := smallModel(rng)
	labels := []int{0, 0, 1, 1, 2, 2}
	centers := make([]float64, m.Classes*m.Emb)
	for i := range centers {
		centers[i] = rng.NormFloat64()
	}
	ws, err := reidbaseline.NewWorkspace64(reidbaseline.Dims{N: n, C: m.Classes, D: m.Emb})
	if err != nil {
		t.Fatal(err)
	}
	ws.Params.CenterWeight = 0.5 // make the center term visible to the check
	a := m.NewActivations(n)
	in := func() reidbaseline.Inputs64 {
		return reidbaseline.Inputs64{Logits: a.Logits, Feat: a.Feat, Centers: centers, Labels: labels}
	}
	loss := func() float64 {
		m.Forward(x, a)
		l, err := ws.Loss(in())
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	m.Forward(x, a)
	gL := make([]float64, n*m.Classes)
	gF := make([]float64, n*m.Emb)
	if _, err := ws.Grad(in(), reidbaseline.Grads64{Logits: gL, Feat: gF}); err != nil {
		t.Fatal(err)
	}
	g := NewGrads(m.In, m.Hidden, m.Emb, m.Classes)
	m.Backward(a, gL, gF, g)
	checkGrads(t, m, g, loss)
}
