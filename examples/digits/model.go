package main

import (
	"math"
	"math/rand/v2"
)

// This file is examples/reid/model.go, unchanged but for this comment: the
// examples are self-contained programs, so each carries its own network.
// (Its backward pass is checked against finite differences in model_test.go.)

// Model is a two-layer embedding network with a BNNeck-like classifier head
// (without the BN):
//
//	h      = relu(W1 x + b1)        In → Hidden
//	feat   = W2 h + b2              Hidden → Emb   (the embedding f_t: triplet, center, retrieval)
//	logits = Wc feat                Emb → Classes  (no bias, as in reid-strong-baseline)
//
// Matrices are row-major, one row per output unit. The same type holds
// gradients (see NewGrads).
type Model struct {
	In, Hidden, Emb, Classes int

	W1, B1 []float64 // Hidden×In, Hidden
	W2, B2 []float64 // Emb×Hidden, Emb
	Wc     []float64 // Classes×Emb
}

// NewModel initialises the weights: He-normal for the two layers, zero
// biases, and N(0, 0.001²) for the classifier as in reid-strong-baseline.
func NewModel(in, hidden, emb, classes int, rng *rand.Rand) *Model {
	m := NewGrads(in, hidden, emb, classes)
	fill := func(w []float64, std float64) {
		for i := range w {
			w[i] = std * rng.NormFloat64()
		}
	}
	fill(m.W1, math.Sqrt(2/float64(in)))
	fill(m.W2, math.Sqrt(2/float64(hidden)))
	fill(m.Wc, 0.001)
	return m
}

// NewGrads returns a zero model of the given sizes, used as a gradient buffer.
func NewGrads(in, hidden, emb, classes int) *Model {
	return &Model{
		In: in, Hidden: hidden, Emb: emb, Classes: classes,
		W1: make([]float64, hidden*in), B1: make([]float64, hidden),
		W2: make([]float64, emb*hidden), B2: make([]float64, emb),
		Wc: make([]float64, classes*emb),
	}
}

// Tensors lists the parameter slices in a fixed order (for the optimiser
// and the gradient checks).
func (m *Model) Tensors() [][]float64 {
	return [][]float64{m.W1, m.B1, m.W2, m.B2, m.Wc}
}

// Activations holds what the forward pass keeps for the backward pass, for
// a batch of N rows.
type Activations struct {
	N      int
	X      []float64 // N×In, the input (not copied)
	H      []float64 // N×Hidden, after the ReLU
	Feat   []float64 // N×Emb
	Logits []float64 // N×Classes
	gH     []float64 // N×Hidden scratch for the backward pass
}

// NewActivations allocates the buffers for batches of up to n rows.
func (m *Model) NewActivations(n int) *Activations {
	return &Activations{
		N:      n,
		H:      make([]float64, n*m.Hidden),
		Feat:   make([]float64, n*m.Emb),
		Logits: make([]float64, n*m.Classes),
		gH:     make([]float64, n*m.Hidden),
	}
}

// linear computes out[n, o] = Σ_i w[o, i] in[n, i] + b[o] (b may be nil).
func linear(out, in, w, b []float64, n, nin, nout int) {
	for r := range n {
		x := in[r*nin : (r+1)*nin]
		y := out[r*nout : (r+1)*nout]
		for o := range nout {
			row := w[o*nin : (o+1)*nin]
			acc := 0.0
			if b != nil {
				acc = b[o]
			}
			for i, v := range row {
				acc += v * x[i]
			}
			y[o] = acc
		}
	}
}

// Forward runs the model on x (a.N rows of In values).
func (m *Model) Forward(x []float64, a *Activations) {
	a.X = x
	linear(a.H, x, m.W1, m.B1, a.N, m.In, m.Hidden)
	for i, v := range a.H {
		if v < 0 {
			a.H[i] = 0
		}
	}
	linear(a.Feat, a.H, m.W2, m.B2, a.N, m.Hidden, m.Emb)
	linear(a.Logits, a.Feat, m.Wc, nil, a.N, m.Emb, m.Classes)
}

// Embed computes only the embeddings of x (n rows) into feat, for evaluation.
func (m *Model) Embed(x []float64, n int, feat []float64) {
	h := make([]float64, n*m.Hidden)
	linear(h, x, m.W1, m.B1, n, m.In, m.Hidden)
	for i, v := range h {
		if v < 0 {
			h[i] = 0
		}
	}
	linear(feat, h, m.W2, m.B2, n, m.Hidden, m.Emb)
}

// Backward takes the gradients of the loss with respect to the logits and
// with respect to the feature (the part that reaches feat directly, from the
// triplet and center terms; nil if none) and writes the gradient of every
// parameter into g, overwriting it. gFeat is used as scratch: on return it
// holds the total gradient of feat (both paths).
func (m *Model) Backward(a *Activations, gLogits, gFeat []float64, g *Model) {
	n := a.N
	for _, t := range g.Tensors() {
		clear(t)
	}
	if gFeat == nil {
		gFeat = make([]float64, n*m.Emb)
	}
	// logits = Wc feat: gWc += gLogits ⊗ feat, gFeat += Wcᵀ gLogits.
	for r := range n {
		gl := gLogits[r*m.Classes : (r+1)*m.Classes]
		f := a.Feat[r*m.Emb : (r+1)*m.Emb]
		gf := gFeat[r*m.Emb : (r+1)*m.Emb]
		for c, gv := range gl {
			if gv == 0 {
				continue
			}
			w := m.Wc[c*m.Emb : (c+1)*m.Emb]
			gw := g.Wc[c*m.Emb : (c+1)*m.Emb]
			for k := range f {
				gw[k] += gv * f[k]
				gf[k] += gv * w[k]
			}
		}
	}
	// feat = W2 h + b2: gW2 += gFeat ⊗ h, gB2 += gFeat, gH = W2ᵀ gFeat.
	clear(a.gH)
	for r := range n {
		gf := gFeat[r*m.Emb : (r+1)*m.Emb]
		h := a.H[r*m.Hidden : (r+1)*m.Hidden]
		gh := a.gH[r*m.Hidden : (r+1)*m.Hidden]
		for o, gv := range gf {
			g.B2[o] += gv
			w := m.W2[o*m.Hidden : (o+1)*m.Hidden]
			gw := g.W2[o*m.Hidden : (o+1)*m.Hidden]
			for k := range h {
				gw[k] += gv * h[k]
				gh[k] += gv * w[k]
			}
		}
	}
	// h = relu(W1 x + b1): the ReLU passes the gradient where h > 0.
	for r := range n {
		x := a.X[r*m.In : (r+1)*m.In]
		h := a.H[r*m.Hidden : (r+1)*m.Hidden]
		gh := a.gH[r*m.Hidden : (r+1)*m.Hidden]
		for o, gv := range gh {
			if h[o] <= 0 || gv == 0 {
				continue
			}
			g.B1[o] += gv
			gw := g.W1[o*m.In : (o+1)*m.In]
			for k, xv := range x {
				gw[k] += gv * xv
			}
		}
	}
}

// Adam is the optimiser of reid-strong-baseline (Kingma & Ba 2015), with
// PyTorch's coupled weight decay (wd·θ added to the gradient).
type Adam struct {
	LR, Beta1, Beta2, Eps, WeightDecay float64

	step int
	m, v [][]float64
}

// NewAdam returns an Adam optimiser for the tensors of model.
func NewAdam(model *Model, lr, weightDecay float64) *Adam {
	o := &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: weightDecay}
	for _, t := range model.Tensors() {
		o.m = append(o.m, make([]float64, len(t)))
		o.v = append(o.v, make([]float64, len(t)))
	}
	return o
}

// Step moves the parameters of model along the gradients in g.
func (o *Adam) Step(model, g *Model) {
	o.step++
	c1 := 1 - math.Pow(o.Beta1, float64(o.step))
	c2 := 1 - math.Pow(o.Beta2, float64(o.step))
	grads := g.Tensors()
	for ti, p := range model.Tensors() {
		gt, m, v := grads[ti], o.m[ti], o.v[ti]
		for i := range p {
			gi := gt[i] + o.WeightDecay*p[i]
			m[i] = o.Beta1*m[i] + (1-o.Beta1)*gi
			v[i] = o.Beta2*v[i] + (1-o.Beta2)*gi*gi
			p[i] -= o.LR * (m[i] / c1) / (math.Sqrt(v[i]/c2) + o.Eps)
		}
	}
}
