package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/lossgen/lossgen/generated/crossentropyls"
	"github.com/lossgen/lossgen/generated/reidbaseline"
)

// Config is everything a run depends on besides the seed.
type Config struct {
	Data        DataConfig
	Hidden, Emb int     // network sizes: Data.Dim → Hidden → Emb
	P, K        int     // PK sampling: P identities × K images per batch
	Epochs      int     // training epochs
	LR          float64 // Adam learning rate after warm-up
	WeightDecay float64
	Seed        uint64
}

// DefaultConfig is the configuration of `go run ./examples/reid`.
func DefaultConfig() Config {
	return Config{
		Data:        DefaultData(),
		Hidden:      128,
		Emb:         32,
		P:           16,
		K:           4,
		Epochs:      30,
		LR:          1e-3,
		WeightDecay: 5e-4,
		Seed:        1,
	}
}

// lrAt is the learning rate of an epoch (0-based): the reid-strong-baseline
// shape, shrunk to the run's length: linear warm-up from 0.1× over the first
// 10% of the epochs, ×0.1 after 60% and again after 85%.
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

// Objective selects the training loss.
type Objective int

const (
	// Baseline is the Bag-of-Tricks objective: the generated reid_baseline
	// kernel (CE-LS on the logits + batch-hard triplet + 0.0005·center on
	// the embedding).
	Baseline Objective = iota
	// CEOnly trains with the generated cross_entropy_ls on the logits alone.
	CEOnly
)

func (o Objective) String() string {
	if o == Baseline {
		return "baseline"
	}
	return "CE only"
}

// History is the record of one training run.
type History struct {
	Objective Objective
	Loss      []float64   // mean training loss of each epoch
	TermNames []string    // the objective's terms, as its spec names them
	Terms     [][]float64 // mean of each term (TermNames order) in each epoch
	MAP       []float64   // test mAP before training ([0]) and after each epoch
	Rank1     []float64   // test Rank-1, same indexing
	Final     Retrieval   // the metrics after the last epoch
	Model     *Model      // the trained model
	Centers   []float64   // the final centres (Baseline only)
	Batches   int         // batches per epoch
	lossFn    lossAdapter // the objective's kernel
}

// lossAdapter hides the difference between the two generated kernels: it
// takes a batch's logits and embeddings and writes the gradients of the
// loss with respect to both (gFeat only gets the part that does not go
// through the classifier), and then moves any non-gradient state.
type lossAdapter interface {
	grad(logits, feat []float64, labels []int, gLogits, gFeat []float64) (float64, error)
	// termNames names the objective's terms; terms adds their values
	// from the last grad call to sum, element by element.
	termNames() []string
	terms(sum []float64)
}

// baselineLoss uses the generated reid_baseline kernel.
//
// Why the composed kernel and not cross_entropy_ls + batch_hard_triplet +
// center summed with GradAccum: it is the recipe itself in one call (one
// check of the inputs, one forward pass, one backward pass writing straight
// into our two gradient buffers), and its Update method applies Wen's
// centre rule with the right per-class counts, which the optimiser must not
// touch anyway. Its Params carry every part's hyperparameters (CenterWeight,
// Eps, Margin, Alpha). The terms are logged from ws.Values(), which holds
// every definition the spec names (ce, tri, cen) as the last call computed
// them: no second forward pass, no allocation.
type baselineLoss struct {
	ws      *reidbaseline.Workspace64
	centers []float64 // C×D, moved by ws.Update, never by the optimiser
}

func (b *baselineLoss) grad(logits, feat []float64, labels []int, gLogits, gFeat []float64) (float64, error) {
	in := reidbaseline.Inputs64{Logits: logits, Feat: feat, Centers: b.centers, Labels: labels}
	// Grads64.Centers is nil: we do not want ∂L/∂centers; the centres move
	// by the update rule below instead.
	loss, err := b.ws.Grad(in, reidbaseline.Grads64{Logits: gLogits, Feat: gFeat})
	if err != nil {
		return 0, err
	}
	// Wen's rule, from this batch's (pre-step) features.
	return loss, b.ws.Update(in)
}

func (b *baselineLoss) termNames() []string { return []string{"ce", "tri", "cen"} }

func (b *baselineLoss) terms(sum []float64) {
	v := b.ws.Values()
	sum[0] += v.Ce
	sum[1] += v.Tri
	sum[2] += v.Cen
}

// ceLoss uses the generated cross_entropy_ls kernel.
type ceLoss struct {
	ws *crossentropyls.Workspace64
}

func (c *ceLoss) grad(logits, _ []float64, labels []int, gLogits, gFeat []float64) (float64, error) {
	clear(gFeat)
	return c.ws.Grad(crossentropyls.Inputs64{Logits: logits, Labels: labels},
		crossentropyls.Grads64{Logits: gLogits})
}

// The loss is the only term.
func (c *ceLoss) termNames() []string { return nil }

func (c *ceLoss) terms([]float64) {}

// pkBatches draws one epoch of PK batches, as reid-strong-baseline's
// RandomIdentitySampler: each identity's images are shuffled (drawn with
// replacement up to K if it has fewer) and cut into chunks of K, the last
// incomplete chunk dropped; then, while at least P identities have chunks
// left, P of them are picked at random and each gives its next chunk.
func pkBatches(byID [][]int, p, k int, rng *rand.Rand) [][]int {
	chunks := make([][][]int, len(byID))
	var avail []int
	for id, idx := range byID {
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
			chunks[id] = append(chunks[id], s[:k])
			s = s[k:]
		}
		avail = append(avail, id)
	}
	var batches [][]int
	for len(avail) >= p {
		perm := rng.Perm(len(avail))[:p]
		batch := make([]int, 0, p*k)
		for _, a := range perm {
			id := avail[a]
			batch = append(batch, chunks[id][0]...)
			chunks[id] = chunks[id][1:]
		}
		kept := avail[:0]
		for _, id := range avail {
			if len(chunks[id]) > 0 {
				kept = append(kept, id)
			}
		}
		avail = kept
		batches = append(batches, batch)
	}
	return batches
}

// evaluate embeds the query and gallery images, L2-normalises the
// embeddings (FEAT_NORM in reid-strong-baseline) and ranks the gallery by
// squared Euclidean distance.
func evaluate(m *Model, ds *Dataset) (Retrieval, error) {
	embed := func(s []Sample) []float64 {
		x := make([]float64, 0, len(s)*m.In)
		for _, v := range s {
			x = append(x, v.X...)
		}
		f := make([]float64, len(s)*m.Emb)
		m.Embed(x, len(s), f)
		for i := range s {
			row := f[i*m.Emb : (i+1)*m.Emb]
			n := 0.0
			for _, v := range row {
				n += v * v
			}
			n = math.Sqrt(n) + 1e-12
			for j := range row {
				row[j] /= n
			}
		}
		return f
	}
	qf, gf := embed(ds.Query), embed(ds.Gallery)
	nq, ng, d := len(ds.Query), len(ds.Gallery), m.Emb
	dist := make([]float64, nq*ng)
	for q := range nq {
		a := qf[q*d : (q+1)*d]
		for g := range ng {
			b := gf[g*d : (g+1)*d]
			s := 0.0
			for k := range a {
				t := a[k] - b[k]
				s += t * t
			}
			dist[q*ng+g] = s
		}
	}
	return Evaluate(dist, Items(ds.Query), Items(ds.Gallery), 10)
}

// train runs one training of the given objective. Both objectives draw the
// same initial weights and the same batches from cfg.Seed, so the
// comparison differs only in the loss. Per-epoch lines go to log (nil: none)
// and the progress bar to bar (nil: none).
func train(cfg Config, ds *Dataset, obj Objective, log io.Writer, bar *Progress) (*History, error) {
	C := cfg.Data.TrainIDs
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed_0001))
	model := NewModel(cfg.Data.Dim, cfg.Hidden, cfg.Emb, C, rng)
	grads := NewGrads(cfg.Data.Dim, cfg.Hidden, cfg.Emb, C)
	opt := NewAdam(model, cfg.LR, cfg.WeightDecay)
	n := cfg.P * cfg.K

	h := &History{Objective: obj, Model: model}
	switch obj {
	case Baseline:
		ws, err := reidbaseline.NewWorkspace64(reidbaseline.Dims{N: n, C: C, D: cfg.Emb})
		if err != nil {
			return nil, err
		}
		centers := make([]float64, C*cfg.Emb)
		for i := range centers {
			centers[i] = rng.NormFloat64() // torch.randn, as reid-strong-baseline's CenterLoss
		}
		h.lossFn = &baselineLoss{ws: ws, centers: centers}
		h.Centers = centers
	case CEOnly:
		ws, err := crossentropyls.NewWorkspace64(crossentropyls.Dims{N: n, C: C})
		if err != nil {
			return nil, err
		}
		h.lossFn = &ceLoss{ws: ws}
	}

	byID := make([][]int, C)
	for i, s := range ds.Train {
		byID[s.ID] = append(byID[s.ID], i)
	}
	// The sampler has its own stream so that the objective (which draws
	// centres above for Baseline only) cannot shift the batches.
	sampler := rand.New(rand.NewPCG(cfg.Seed, 0x5eed_0002))

	h.TermNames = h.lossFn.termNames()
	termSum := make([]float64, len(h.TermNames))
	act := model.NewActivations(n)
	x := make([]float64, n*cfg.Data.Dim)
	labels := make([]int, n)
	gLogits := make([]float64, n*C)
	gFeat := make([]float64, n*cfg.Emb)

	r, err := evaluate(model, ds)
	if err != nil {
		return nil, err
	}
	h.MAP = append(h.MAP, r.MAP)
	h.Rank1 = append(h.Rank1, r.Rank1())
	if log != nil {
		fmt.Fprintf(log, "  epoch %3d/%d                 mAP %.4f  Rank-1 %.4f\n", 0, cfg.Epochs, r.MAP, r.Rank1())
	}

	for epoch := range cfg.Epochs {
		opt.LR = cfg.lrAt(epoch)
		batches := pkBatches(byID, cfg.P, cfg.K, sampler)
		h.Batches = len(batches)
		sum := 0.0
		clear(termSum)
		for bi, batch := range batches {
			for i, idx := range batch {
				copy(x[i*cfg.Data.Dim:], ds.Train[idx].X)
				labels[i] = ds.Train[idx].ID
			}
			model.Forward(x, act)
			loss, err := h.lossFn.grad(act.Logits, act.Feat, labels, gLogits, gFeat)
			if err != nil {
				return nil, fmt.Errorf("epoch %d batch %d: %w", epoch+1, bi, err)
			}
			model.Backward(act, gLogits, gFeat, grads)
			opt.Step(model, grads)
			sum += loss
			h.lossFn.terms(termSum)
			bar.Update(fmt.Sprintf("%-8s epoch %d/%d", obj, epoch+1, cfg.Epochs), bi+1, len(batches), sum/float64(bi+1))
		}
		bar.Clear()
		mean := sum / float64(len(batches))
		if math.IsNaN(mean) {
			return nil, fmt.Errorf("epoch %d: the loss is NaN", epoch+1)
		}
		r, err := evaluate(model, ds)
		if err != nil {
			return nil, err
		}
		h.Loss = append(h.Loss, mean)
		terms := make([]float64, len(termSum))
		for k, x := range termSum {
			terms[k] = x / float64(len(batches))
		}
		h.Terms = append(h.Terms, terms)
		h.MAP = append(h.MAP, r.MAP)
		h.Rank1 = append(h.Rank1, r.Rank1())
		h.Final = r
		if log != nil {
			fmt.Fprintf(log, "  epoch %3d/%d  loss %8.4f  mAP %.4f  Rank-1 %.4f%s\n", epoch+1, cfg.Epochs, mean, r.MAP, r.Rank1(), termLine(h.TermNames, terms))
		}
	}
	if cfg.Epochs == 0 {
		h.Final = r
	}
	return h, nil
}

// termLine formats an epoch's mean terms as "  ce 1.2345  tri 0.1234 …"
// ("" when the objective has no separate terms).
func termLine(names []string, values []float64) string {
	var b strings.Builder
	for k, name := range names {
		fmt.Fprintf(&b, "  %s %.4f", name, values[k])
	}
	return b.String()
}
