package main

// This file is the only one that imports the generated loss packages: the
// training loop sees them through the objective interface below.

import (
	"math/rand/v2"

	"github.com/lossgen/lossgen/generated/batchhardtriplet"
	"github.com/lossgen/lossgen/generated/crossentropyls"
	"github.com/lossgen/lossgen/generated/reidbaseline"
)

// Loss selects the training objective.
type Loss int

const (
	// CE is the label-smoothed cross-entropy (ε = 0.1) of the classifier's
	// logits: generated/crossentropyls.
	CE Loss = iota
	// Triplet is the batch-hard triplet loss (margin 0.3) of the embedding:
	// generated/batchhardtriplet. The classifier gets no gradient.
	Triplet
	// Baseline is the Bag-of-Tricks composition CE-LS(logits) + batch-hard
	// triplet(embedding) + 0.0005·center(embedding) in one kernel, whose
	// Update method moves the centres by Wen's rule:
	// generated/reidbaseline.
	Baseline
)

// Losses are the objectives a run compares, in order.
var Losses = []Loss{CE, Triplet, Baseline}

func (l Loss) String() string {
	switch l {
	case CE:
		return "CE-LS"
	case Triplet:
		return "batch-hard"
	case Baseline:
		return "baseline"
	}
	return "?"
}

// Describe says what the objective computes, and with which package.
func (l Loss) Describe() string {
	switch l {
	case CE:
		return "label-smoothed cross-entropy on the logits (generated/crossentropyls)"
	case Triplet:
		return "batch-hard triplet on the embedding, margin 0.3 (generated/batchhardtriplet)"
	case Baseline:
		return "CE-LS + batch-hard triplet + 0.0005·center (generated/reidbaseline)"
	}
	return "?"
}

// objective computes a batch's loss and writes its gradients with respect
// to the logits and the embedding (overwriting gLogits and gFeat), then
// moves any state that is not trained by gradient (the centres).
// value is the loss alone, with no side effect (model_test.go's finite
// differences use it).
type objective interface {
	grad(logits, feat []float64, labels []int, gLogits, gFeat []float64) (float64, error)
	value(logits, feat []float64, labels []int) (float64, error)
}

// newObjective makes the workspace of loss l for batches of n images, an
// embedding of size d and c classes. Baseline draws its initial centres
// from rng (torch.randn in reid-strong-baseline's CenterLoss).
func newObjective(l Loss, n, d, c int, rng *rand.Rand) (objective, error) {
	switch l {
	case CE:
		ws, err := crossentropyls.NewWorkspace64(crossentropyls.Dims{N: n, C: c})
		return &ceObjective{ws}, err
	case Triplet:
		ws, err := batchhardtriplet.NewWorkspace64(batchhardtriplet.Dims{N: n, D: d})
		return &tripletObjective{ws}, err
	default:
		ws, err := reidbaseline.NewWorkspace64(reidbaseline.Dims{N: n, C: c, D: d})
		centers := make([]float64, c*d)
		for i := range centers {
			centers[i] = rng.NormFloat64()
		}
		return &baselineObjective{ws, centers}, err
	}
}

type ceObjective struct{ ws *crossentropyls.Workspace64 }

func (o *ceObjective) grad(logits, _ []float64, labels []int, gLogits, gFeat []float64) (float64, error) {
	clear(gFeat)
	return o.ws.Grad(crossentropyls.Inputs64{Logits: logits, Labels: labels},
		crossentropyls.Grads64{Logits: gLogits})
}

func (o *ceObjective) value(logits, _ []float64, labels []int) (float64, error) {
	return o.ws.Loss(crossentropyls.Inputs64{Logits: logits, Labels: labels})
}

type tripletObjective struct {
	ws *batchhardtriplet.Workspace64
}

func (o *tripletObjective) grad(_, feat []float64, labels []int, gLogits, gFeat []float64) (float64, error) {
	clear(gLogits)
	return o.ws.Grad(batchhardtriplet.Inputs64{X: feat, Labels: labels},
		batchhardtriplet.Grads64{X: gFeat})
}

func (o *tripletObjective) value(_, feat []float64, labels []int) (float64, error) {
	return o.ws.Loss(batchhardtriplet.Inputs64{X: feat, Labels: labels})
}

type baselineObjective struct {
	ws      *reidbaseline.Workspace64
	centers []float64 // C×D, moved by ws.Update, never by the optimiser
}

func (o *baselineObjective) grad(logits, feat []float64, labels []int, gLogits, gFeat []float64) (float64, error) {
	in := reidbaseline.Inputs64{Logits: logits, Feat: feat, Centers: o.centers, Labels: labels}
	// No gradient for the centres (nil): Update moves them, from this
	// batch's features.
	loss, err := o.ws.Grad(in, reidbaseline.Grads64{Logits: gLogits, Feat: gFeat})
	if err != nil {
		return 0, err
	}
	return loss, o.ws.Update(in)
}

func (o *baselineObjective) value(logits, feat []float64, labels []int) (float64, error) {
	return o.ws.Loss(reidbaseline.Inputs64{Logits: logits, Feat: feat, Centers: o.centers, Labels: labels})
}
