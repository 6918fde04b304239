// Command digits learns an embedding of real handwritten digits with the
// losses lossgen generates, and compares the losses by retrieval quality.
//
//	go run ./examples/digits                     # 40 epochs, seed 1, writes digits.png
//	go run ./examples/digits -seeds 5 -plot ''   # seeds 1..5, mean ± sd
//	go run ./examples/digits -split classes      # train on digits 0-4, retrieve 5-9
//
// The data: the 1797 8×8 images of the UCI "Optical Recognition of
// Handwritten Digits" test set (Alpaydin & Kaynak 1998) as scikit-learn
// ships them, CC BY 4.0, committed in data/ with its source and checksum
// and compiled into the program. Pixels (0..16) are scaled to [0, 1].
//
// The split (data.go): per digit, alternate images train (901 in all) and
// the others are the test set, split into 228 queries and a disjoint
// gallery of 668 images. A query's matches are the gallery images of its
// digit. -split classes is the open-set protocol instead (digits 0–4 train,
// 5–9 are retrieved); with only ten classes it leaves five to learn from,
// and README.md shows what that gives.
//
// The model: 64 → 128 → 32 with a ReLU and a bias-free classifier on the
// 32-d embedding (examples/reid's network, its backward written by hand),
// trained with Adam (lr 1e-3, weight decay 5e-4, warm-up and two decays)
// on PK batches of 8 digits × 8 images. For a seed, each loss starts from
// the same weights and sees the same batches:
//
//   - CE-LS: generated/crossentropyls on the logits;
//   - batch-hard: generated/batchhardtriplet on the embedding;
//   - baseline: generated/reidbaseline, CE-LS + batch-hard triplet +
//     0.0005·center in one kernel, its Update moving the centres.
//
// After every epoch the query and gallery embeddings are L2-normalised and
// the gallery ranked by distance for each query: Recall@1 and mAP
// (metrics.go). The run prints one line per epoch, a markdown table of the
// final numbers with the raw pixels and chance as references, and writes
// the per-epoch loss and mAP of each loss to a PNG (plot.go).
// torch_digits.py trains the same model with the same losses in PyTorch
// on the same split.
//
// Flags:
//
//	-epochs N   training epochs (default 40)
//	-seed S     the first seed (default 1)
//	-seeds N    train with seeds S..S+N-1 and report mean ± sd (default 1)
//	-split K    samples (default) or classes
//	-plot FILE  the PNG to write, of the first seed (default digits.png; empty: none)
//	-quiet      no per-epoch lines
//
// Standard output depends only on the flags (the same flags give the same
// bytes, and the same PNG); times go to standard error.
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"time"
)

// Report is what a run produces.
type Report struct {
	Cfg         Config
	Task        *Task
	Raw, Chance Retrieval
	Runs        [][]*History // Runs[s][l]: seed Cfg.Seed+s, loss Losses[l]
}

// run trains every loss for each of seeds seeds and prints the results to
// out; log gets the per-epoch lines and times the wall time of each run
// (either may be nil).
func run(cfg Config, seeds int, out, log, times io.Writer) (*Report, error) {
	if cfg.Epochs < 1 || seeds < 1 {
		return nil, fmt.Errorf("need at least one epoch and one seed, got -epochs %d -seeds %d", cfg.Epochs, seeds)
	}
	d, err := EmbeddedDigits()
	if err != nil {
		return nil, err
	}
	s, err := MakeSplit(d.Labels, cfg.Split)
	if err != nil {
		return nil, err
	}
	if cfg.P > len(s.TrainClasses) {
		return nil, fmt.Errorf("P = %d digits per batch, but the split trains on %d", cfg.P, len(s.TrainClasses))
	}
	t := NewTask(d, s)
	rep := &Report{Cfg: cfg, Task: t, Chance: t.Chance()}
	if rep.Raw, err = t.RawPixels(); err != nil {
		return nil, err
	}

	fmt.Fprintf(out, "data:  %d handwritten digits, 8×8 (UCI, as shipped by scikit-learn); split %q: %d train images (digits %s), %d queries, %d gallery images (fingerprint %08x)\n",
		d.Len(), s.Kind, len(s.Train), digitList(s.TrainClasses), len(s.Query), len(s.Gallery), s.Fingerprint())
	fmt.Fprintf(out, "model: %d → %d → %d (ReLU), classifier %d → %d; Adam lr %g wd %g; PK batches P=%d K=%d; %d epochs; %s\n",
		pixels, cfg.Hidden, cfg.Emb, cfg.Emb, len(s.TrainClasses), cfg.LR, cfg.WeightDecay, cfg.P, cfg.K, cfg.Epochs, seedList(cfg.Seed, seeds))
	fmt.Fprintf(out, "references: raw pixels Recall@1 %.4f mAP %.4f; chance Recall@1 %.4f mAP %.4f\n",
		rep.Raw.Recall1, rep.Raw.MAP, rep.Chance.Recall1, rep.Chance.MAP)

	for si := range seeds {
		cfg := cfg
		cfg.Seed += uint64(si)
		var row []*History
		for _, l := range Losses {
			if log != nil {
				fmt.Fprintf(log, "\n%s, seed %d: %s\n", l, cfg.Seed, l.Describe())
			}
			h, err := train(cfg, t, l, log)
			if err != nil {
				return nil, err
			}
			if times != nil {
				fmt.Fprintf(times, "digits: %s, seed %d: %.2f s, of which %.3f s in the loss kernel\n", l, cfg.Seed, h.Time.Seconds(), h.InLoss.Seconds())
			}
			row = append(row, h)
		}
		rep.Runs = append(rep.Runs, row)
	}

	fmt.Fprintf(out, "\nresults after %d epochs, split %q, %s:\n\n", cfg.Epochs, s.Kind, seedList(cfg.Seed, seeds))
	fmt.Fprintln(out, "| loss | Recall@1 | mAP |")
	fmt.Fprintln(out, "|---|---:|---:|")
	for li, l := range Losses {
		var r1, mAP []float64
		for _, row := range rep.Runs {
			f := row[li].Final()
			r1, mAP = append(r1, f.Recall1), append(mAP, f.MAP)
		}
		fmt.Fprintf(out, "| %s | %s | %s |\n", l, meanSD(r1), meanSD(mAP))
	}
	fmt.Fprintf(out, "| raw pixels (no training) | %.4f | %.4f |\n", rep.Raw.Recall1, rep.Raw.MAP)
	fmt.Fprintf(out, "| chance | %.4f | %.4f |\n", rep.Chance.Recall1, rep.Chance.MAP)
	return rep, nil
}

// meanSD formats the value, or for several the mean ± the sample standard
// deviation.
func meanSD(v []float64) string {
	if len(v) == 1 {
		return fmt.Sprintf("%.4f", v[0])
	}
	m, ss := 0.0, 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return fmt.Sprintf("%.4f ± %.4f", m, math.Sqrt(ss/float64(len(v)-1)))
}

func digitList(d []int) string {
	s := make([]string, len(d))
	for i, v := range d {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ",")
}

func seedList(first uint64, n int) string {
	if n == 1 {
		return fmt.Sprintf("seed %d", first)
	}
	return fmt.Sprintf("seeds %d..%d", first, first+uint64(n)-1)
}

func main() {
	split := flag.String("split", SplitSamples, "the split: samples (every digit in training, disjoint images) or classes (train on 0-4, retrieve 5-9)")
	epochs := flag.Int("epochs", 40, "training epochs")
	seed := flag.Uint64("seed", 1, "the first seed of the initial weights, centres and batches")
	seeds := flag.Int("seeds", 1, "number of seeds, from -seed on; the table shows mean ± sd")
	plot := flag.String("plot", "digits.png", "PNG file for the loss and mAP curves of the first seed; empty for none")
	quiet := flag.Bool("quiet", false, "no per-epoch lines: only the setup and the results")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./examples/digits [-split samples|classes] [-epochs N] [-seed S] [-seeds N] [-plot FILE] [-quiet]\n\n"+
			"Learns an embedding of the UCI handwritten digits with three generated losses\n"+
			"(CE-LS, batch-hard triplet, the reid_baseline composition) and compares\n"+
			"their Recall@1 and mAP on a query/gallery split.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	cfg := DefaultConfig(*split)
	cfg.Epochs, cfg.Seed = *epochs, *seed

	var log io.Writer = os.Stdout
	if *quiet {
		log = nil
	}
	start := time.Now()
	rep, err := run(cfg, *seeds, os.Stdout, log, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "digits:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "digits: done in %.2f s (GOMAXPROCS %d)\n", time.Since(start).Seconds(), runtime.GOMAXPROCS(0))
	if *plot != "" {
		if err := writePlot(*plot, rep); err != nil {
			fmt.Fprintln(os.Stderr, "digits:", err)
			os.Exit(1)
		}
		fmt.Printf("\nwrote %s\n", *plot)
	}
}
