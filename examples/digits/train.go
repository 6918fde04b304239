package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"
)

// Config is everything a training run depends on.
type Config struct {
	Split       string  // SplitSamples or SplitClasses
	Hidden, Emb int     // network sizes: 64 → Hidden → Emb
	P, K        int     // PK batches: P digits × K images each
	Epochs      int     // training epochs
	LR          float64 // Adam learning rate after warm-up
	WeightDecay float64 // Adam's (coupled) weight decay, as torch.optim.Adam
	Seed        uint64  // initial weights, centres and batches
}

// DefaultConfig is the configuration of `go run ./examples/digits` for a
// split. The classes split has only five training digits, so its batches
// are 4 digits × 16 images instead of 8 × 8 (64 images either way).
func DefaultConfig(split string) Config {
	c := Config{Split: split, Hidden: 128, Emb: 32, P: 8, K: 8, Epochs: 40, LR: 1e-3, WeightDecay: 5e-4, Seed: 1}
	if split == SplitClasses {
		c.P, c.K = 4, 16
	}
	return c
}

// lrAt is the learning rate of an epoch (0-based), the schedule of
// examples/reid: linear warm-up from 0.1× over the first 10% of the epochs,
// ×0.1 after 60% and ×0.01 after 85%.
func (c Config) lrAt(epoch int) float64 {
	f := float64(epoch) / float64(c.Epochs)
	switch {
	case f < 0.1:
		return c.LR * (0.1 + 0.9*f/0.1)
	case f < 0.6:
		return c.LR
	case f < 0.85:
		return c.LR * 0.1
	default:
		return c.LR * 0.01
	}
}

// Task is the data of a run, arranged for training and evaluation.
type Task struct {
	Data  *Digits
	Split *Split
	// classOf maps a digit to its class index in the classifier (-1 for
	// digits not in training).
	classOf [classes]int
	// byClass lists the training rows of each class, for the sampler.
	byClass [][]int
	// The query and gallery images and their digits.
	qx, gx []float64
	qy, gy []int
}

// NewTask prepares d under split s.
func NewTask(d *Digits, s *Split) *Task {
	t := &Task{Data: d, Split: s, byClass: make([][]int, len(s.TrainClasses))}
	for y := range t.classOf {
		t.classOf[y] = -1
	}
	for c, y := range s.TrainClasses {
		t.classOf[y] = c
	}
	for _, i := range s.Train {
		c := t.classOf[d.Labels[i]]
		t.byClass[c] = append(t.byClass[c], i)
	}
	gather := func(rows []int) ([]float64, []int) {
		x := make([]float64, 0, len(rows)*pixels)
		y := make([]int, len(rows))
		for j, i := range rows {
			x = append(x, d.Row(i)...)
			y[j] = d.Labels[i]
		}
		return x, y
	}
	t.qx, t.qy = gather(s.Query)
	t.gx, t.gy = gather(s.Gallery)
	return t
}

// RawPixels is the retrieval quality of the L2-normalised pixels
// themselves: what the learned embedding has to beat.
func (t *Task) RawPixels() (Retrieval, error) {
	q := normalizedRows(t.qx, len(t.qy), pixels)
	g := normalizedRows(t.gx, len(t.gy), pixels)
	return Evaluate(sqDistances(q, g, len(t.qy), len(t.gy), pixels), t.qy, t.gy)
}

// Chance is the retrieval quality of a random ranking.
func (t *Task) Chance() Retrieval { return Chance(t.qy, t.gy) }

// evaluate embeds the queries and the gallery with m, L2-normalises the
// embeddings and ranks the gallery by Euclidean distance.
func (t *Task) evaluate(m *Model) (Retrieval, error) {
	nq, ng := len(t.qy), len(t.gy)
	qf := make([]float64, nq*m.Emb)
	gf := make([]float64, ng*m.Emb)
	m.Embed(t.qx, nq, qf)
	m.Embed(t.gx, ng, gf)
	qf, gf = normalizedRows(qf, nq, m.Emb), normalizedRows(gf, ng, m.Emb)
	return Evaluate(sqDistances(qf, gf, nq, ng, m.Emb), t.qy, t.gy)
}

// History is the record of one training run.
type History struct {
	Loss    Loss
	Seed    uint64
	Epoch   []float64     // mean training loss of each epoch
	Quality []Retrieval   // test quality before training ([0]) and after each epoch
	Batches int           // batches per epoch
	Time    time.Duration // wall time of the run: training and the evaluations
	InLoss  time.Duration // the part of Time spent in the loss kernels
}

// Final is the test quality after the last epoch.
func (h *History) Final() Retrieval { return h.Quality[len(h.Quality)-1] }

// pkBatches draws one epoch of PK batches, as reid-strong-baseline's
// RandomIdentitySampler (and examples/reid): each class's images are
// shuffled and cut into chunks of K, the last incomplete chunk dropped
// (a class with fewer than K images is drawn with replacement up to K);
// then, while at least P classes have chunks left, P of them are picked at
// random and each gives its next chunk.
func pkBatches(byClass [][]int, p, k int, rng *rand.Rand) [][]int {
	chunks := make([][][]int, len(byClass))
	var avail []int
	for c, idx := range byClass {
		if len(idx) == 0 {
			continue
		}
		var s []int
		if len(idx) < k {
			for range k {
				s = append(s, idx[rng.IntN(len(idx))])
			}
		} else {
			s = append([]int(nil), idx...)
			rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		}
		for len(s) >= k {
			chunks[c] = append(chunks[c], s[:k])
			s = s[k:]
		}
		avail = append(avail, c)
	}
	var batches [][]int
	for len(avail) >= p {
		perm := rng.Perm(len(avail))[:p]
		batch := make([]int, 0, p*k)
		for _, a := range perm {
			c := avail[a]
			batch = append(batch, chunks[c][0]...)
			chunks[c] = chunks[c][1:]
		}
		kept := avail[:0]
		for _, c := range avail {
			if len(chunks[c]) > 0 {
				kept = append(kept, c)
			}
		}
		avail = kept
		batches = append(batches, batch)
	}
	return batches
}

// train runs one training with loss l. For a given seed every loss starts
// from the same weights and sees the same batches, so runs differ only in
// the loss. One line per epoch goes to log (nil: none).
func train(cfg Config, t *Task, l Loss, log io.Writer) (*History, error) {
	start := time.Now()
	C := len(t.Split.TrainClasses)
	n := cfg.P * cfg.K
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xd161_0001))
	model := NewModel(pixels, cfg.Hidden, cfg.Emb, C, rng)
	grads := NewGrads(pixels, cfg.Hidden, cfg.Emb, C)
	opt := NewAdam(model, cfg.LR, cfg.WeightDecay)
	obj, err := newObjective(l, n, cfg.Emb, C, rng)
	if err != nil {
		return nil, err
	}
	// The sampler has its own stream, so that drawing the centres (for
	// Baseline only) does not change the batches.
	sampler := rand.New(rand.NewPCG(cfg.Seed, 0xd161_0002))

	act := model.NewActivations(n)
	x := make([]float64, n*pixels)
	labels := make([]int, n)
	gLogits := make([]float64, n*C)
	gFeat := make([]float64, n*cfg.Emb)

	h := &History{Loss: l, Seed: cfg.Seed}
	r, err := t.evaluate(model)
	if err != nil {
		return nil, err
	}
	h.Quality = append(h.Quality, r)
	if log != nil {
		fmt.Fprintf(log, "  %-10s epoch %2d/%d                 Recall@1 %.4f  mAP %.4f\n", l, 0, cfg.Epochs, r.Recall1, r.MAP)
	}
	for epoch := range cfg.Epochs {
		opt.LR = cfg.lrAt(epoch)
		batches := pkBatches(t.byClass, cfg.P, cfg.K, sampler)
		h.Batches = len(batches)
		sum := 0.0
		for bi, batch := range batches {
			for i, row := range batch {
				copy(x[i*pixels:(i+1)*pixels], t.Data.Row(row))
				labels[i] = t.classOf[t.Data.Labels[row]]
			}
			model.Forward(x, act)
			t0 := time.Now()
			loss, err := obj.grad(act.Logits, act.Feat, labels, gLogits, gFeat)
			h.InLoss += time.Since(t0)
			if err != nil {
				return nil, fmt.Errorf("%s: epoch %d batch %d: %w", l, epoch+1, bi, err)
			}
			model.Backward(act, gLogits, gFeat, grads)
			opt.Step(model, grads)
			sum += loss
		}
		mean := sum / float64(len(batches))
		if math.IsNaN(mean) {
			return nil, fmt.Errorf("%s: epoch %d: the loss is NaN", l, epoch+1)
		}
		r, err := t.evaluate(model)
		if err != nil {
			return nil, err
		}
		h.Epoch = append(h.Epoch, mean)
		h.Quality = append(h.Quality, r)
		if log != nil {
			fmt.Fprintf(log, "  %-10s epoch %2d/%d  loss %8.4f  Recall@1 %.4f  mAP %.4f\n", l, epoch+1, cfg.Epochs, mean, r.Recall1, r.MAP)
		}
	}
	h.Time = time.Since(start)
	return h, nil
}
