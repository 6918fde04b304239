package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// The embedded data is the committed file, whose checksum data/README.md
// records, and has the UCI test set's 1797 images with its class counts.
func TestData(t *testing.T) {
	sum := sha256.Sum256(digitsCSVGz)
	if got := hex.EncodeToString(sum[:]); got != digitsSHA256 {
		t.Errorf("data/digits.csv.gz has SHA-256 %s, want %s", got, digitsSHA256)
	}
	notice, err := os.ReadFile("data/README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(notice), digitsSHA256) {
		t.Error("data/README.md does not record the SHA-256 of digits.csv.gz")
	}
	d, err := EmbeddedDigits()
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, classes)
	for _, y := range d.Labels {
		counts[y]++
	}
	if want := []int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}; d.Len() != 1797 || !slices.Equal(counts, want) {
		t.Errorf("%d images, per digit %v; want 1797, %v", d.Len(), counts, want)
	}
	if len(d.X) != d.Len()*pixels || slices.Min(d.X) != 0 || slices.Max(d.X) != 1 {
		t.Errorf("pixels: %d values in [%v, %v], want %d in [0, 1]", len(d.X), slices.Min(d.X), slices.Max(d.X), d.Len()*pixels)
	}
	if _, err := LoadDigits(strings.NewReader("not gzip")); err == nil {
		t.Error("LoadDigits accepted a file that is not gzip")
	}
}

// Both splits partition the images into train, query and gallery; every
// query has matches in the gallery; the classes split shares no digit
// between training and test. The fingerprints are what torch_digits.py
// prints for the same splits.
func TestSplits(t *testing.T) {
	d, err := EmbeddedDigits()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind                  string
		train, query, gallery int
		fingerprint           uint32
	}{
		{SplitSamples, 901, 228, 668, 0xeac79f1b},
		{SplitClasses, 901, 181, 715, 0x9e24f9e8},
	} {
		s, err := MakeSplit(d.Labels, tc.kind)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Train) != tc.train || len(s.Query) != tc.query || len(s.Gallery) != tc.gallery {
			t.Errorf("%s: %d/%d/%d images, want %d/%d/%d", tc.kind, len(s.Train), len(s.Query), len(s.Gallery), tc.train, tc.query, tc.gallery)
		}
		if got := s.Fingerprint(); got != tc.fingerprint {
			t.Errorf("%s: fingerprint %08x, want %08x", tc.kind, got, tc.fingerprint)
		}
		all := slices.Concat(s.Train, s.Query, s.Gallery)
		slices.Sort(all)
		if len(all) != d.Len() || len(slices.Compact(all)) != d.Len() {
			t.Errorf("%s: the three parts overlap or miss images", tc.kind)
		}
		inGallery := map[int]bool{}
		for _, i := range s.Gallery {
			inGallery[d.Labels[i]] = true
		}
		for _, i := range s.Query {
			if !inGallery[d.Labels[i]] {
				t.Errorf("%s: query %d (digit %d) has no match in the gallery", tc.kind, i, d.Labels[i])
			}
		}
		trained := map[int]bool{}
		for _, i := range s.Train {
			trained[d.Labels[i]] = true
		}
		for _, i := range slices.Concat(s.Query, s.Gallery) {
			if tc.kind == SplitClasses && trained[d.Labels[i]] {
				t.Errorf("classes: test image %d shows digit %d, a training digit", i, d.Labels[i])
			}
		}
		if tc.kind == SplitSamples && len(s.TrainClasses) != 10 || tc.kind == SplitClasses && !slices.Equal(s.TrainClasses, []int{0, 1, 2, 3, 4}) {
			t.Errorf("%s: training digits %v", tc.kind, s.TrainClasses)
		}
	}
	if _, err := MakeSplit(d.Labels, "writers"); err == nil {
		t.Error("MakeSplit accepted an unknown split")
	}
}

// shortRun runs all three losses for a few epochs on the full data set.
func shortRun(t *testing.T, epochs int) (*Report, string, []byte) {
	t.Helper()
	cfg := DefaultConfig(SplitSamples)
	cfg.Epochs = epochs
	var out bytes.Buffer
	rep, err := run(cfg, 1, &out, &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	img, err := encodePlot(rep)
	if err != nil {
		t.Fatal(err)
	}
	return rep, out.String(), img
}

// Six epochs learn: every loss falls, mAP rises well above the untrained
// network's and above the raw pixels' (the triplet losses by a clear
// margin), and Recall@1 is far above chance.
func TestShortRunLearns(t *testing.T) {
	rep, out, img := shortRun(t, 6)
	t.Logf("\n%s", out)
	if len(rep.Runs) != 1 || len(rep.Runs[0]) != len(Losses) {
		t.Fatalf("runs: %d seeds", len(rep.Runs))
	}
	for _, h := range rep.Runs[0] {
		if len(h.Epoch) != 6 || len(h.Quality) != 7 {
			t.Fatalf("%s: %d epoch losses, %d evaluations", h.Loss, len(h.Epoch), len(h.Quality))
		}
		if h.Epoch[5] >= h.Epoch[0] {
			t.Errorf("%s: the loss did not fall: %v", h.Loss, h.Epoch)
		}
		init, final := h.Quality[0], h.Final()
		margin := 0.0
		if h.Loss != CE {
			margin = 0.05
		}
		if final.MAP < init.MAP+0.1 || final.MAP <= rep.Raw.MAP+margin {
			t.Errorf("%s: mAP %.4f, want ≥ untrained %.4f + 0.1 and > raw pixels %.4f + %g", h.Loss, final.MAP, init.MAP, rep.Raw.MAP, margin)
		}
		if final.Recall1 < 5*rep.Chance.Recall1 {
			t.Errorf("%s: Recall@1 %.4f, want ≥ 5 × chance %.4f", h.Loss, final.Recall1, rep.Chance.Recall1)
		}
	}
	for _, want := range []string{"| CE-LS |", "| batch-hard |", "| baseline |", "| raw pixels (no training) |", "epoch  6/6"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	m, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Bounds().Size(); got.X != plotW || got.Y != plotH {
		t.Errorf("PNG is %v, want %dx%d", got, plotW, plotH)
	}
}

// Two runs with the same seed print the same bytes and draw the same PNG.
func TestShortRunDeterministic(t *testing.T) {
	_, out, img := shortRun(t, 2)
	_, out2, img2 := shortRun(t, 2)
	if out2 != out {
		t.Errorf("two runs with the same seed differ:\n%s\n---\n%s", out, out2)
	}
	if !bytes.Equal(img, img2) {
		t.Error("two runs with the same seed drew different PNGs")
	}
}

// Every PK batch holds P distinct classes with K images each.
func TestPKBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var byClass [][]int
	owner := map[int]int{}
	next := 0
	for c := range 12 {
		var idx []int
		for range 1 + c*3 { // 1..34 images: some below K, some not multiples of K
			owner[next] = c
			idx = append(idx, next)
			next++
		}
		byClass = append(byClass, idx)
	}
	batches := pkBatches(byClass, 4, 8, rng)
	if len(batches) == 0 {
		t.Fatal("no batch")
	}
	for bi, b := range batches {
		if len(b) != 32 {
			t.Fatalf("batch %d has %d images", bi, len(b))
		}
		seen := map[int]bool{}
		for c := 0; c < 32; c += 8 {
			class := owner[b[c]]
			if seen[class] {
				t.Errorf("batch %d: class %d gives two chunks", bi, class)
			}
			seen[class] = true
			for _, i := range b[c : c+8] {
				if owner[i] != class {
					t.Errorf("batch %d: the chunk at %d mixes classes", bi, c)
				}
			}
		}
	}
}
