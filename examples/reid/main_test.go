package main

import (
	"bytes"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shortConfig is a small version of the default run: fewer identities and
// epochs, same model, losses, sampler and protocol.
func shortConfig() Config {
	cfg := DefaultConfig()
	cfg.Data.TrainIDs = 64
	cfg.Data.TestIDs = 40
	cfg.Epochs = 12
	cfg.Seed = 3
	return cfg
}

func runShort(t *testing.T) (*Report, string, []byte) {
	t.Helper()
	var out bytes.Buffer
	rep, err := run(shortConfig(), &out, &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	img, err := encodePlot(rep)
	if err != nil {
		t.Fatal(err)
	}
	return rep, out.String(), img
}

func TestShortRun(t *testing.T) {
	rep, out, img := runShort(t)
	t.Logf("\n%s", out)

	b := rep.Baseline
	chance := rep.ChanceMAP
	initial, final := b.MAP[0], b.Final.MAP
	if final < 3*chance {
		t.Errorf("baseline mAP %.4f, want > 3 × chance = %.4f", final, 3*chance)
	}
	if final < initial+0.1 {
		t.Errorf("baseline mAP %.4f, want well above the initial %.4f", final, initial)
	}
	if len(b.Loss) != 12 || len(b.MAP) != 13 || len(rep.CEOnly.MAP) != 13 {
		t.Errorf("history lengths: loss %d, mAP %d and %d", len(b.Loss), len(b.MAP), len(rep.CEOnly.MAP))
	}
	// The logged terms (from the workspace's Values) add up to the loss,
	// as reid_baseline.loss composes them.
	if len(b.Terms) != len(b.Loss) || len(b.TermNames) != 3 {
		t.Fatalf("terms: %v, %d epochs", b.TermNames, len(b.Terms))
	}
	for e, terms := range b.Terms {
		if sum := terms[0] + terms[1] + 0.0005*terms[2]; math.Abs(sum-b.Loss[e]) > 1e-9*math.Abs(b.Loss[e]) {
			t.Errorf("epoch %d: ce + tri + 0.0005·cen = %v, loss %v", e+1, sum, b.Loss[e])
		}
	}
	if !strings.Contains(out, "tri ") || !strings.Contains(out, "cen ") {
		t.Error("the per-epoch lines lack the terms")
	}
	if b.Loss[len(b.Loss)-1] >= b.Loss[0] {
		t.Errorf("baseline loss did not decrease: %v", b.Loss)
	}
	for _, want := range []string{"baseline", "CE only", "chance", "Rank-1", "mAP"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	// Deterministic: a second run gives the same text and the same PNG.
	_, out2, img2 := runShort(t)
	if out2 != out {
		t.Errorf("output differs between two runs with the same seed:\n%s\n---\n%s", out, out2)
	}
	if !bytes.Equal(img, img2) {
		t.Error("PNG differs between two runs with the same seed")
	}

	// The PNG decodes, with the expected size, and writePlot writes it.
	path := filepath.Join(t.TempDir(), "reid.png")
	if err := writePlot(path, rep); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Bounds().Size(); got.X != plotW || got.Y != plotH {
		t.Errorf("PNG is %v, want %dx%d", got, plotW, plotH)
	}
}

// Every PK batch holds P distinct identities with K images each.
func TestPKBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var byID [][]int
	next := 0
	for id := range 40 {
		n := 1 + id%9 // 1..9 images: some below K, some not multiples of K
		var idx []int
		for range n {
			idx = append(idx, next)
			next++
		}
		byID = append(byID, idx)
	}
	owner := make(map[int]int)
	for id, idx := range byID {
		for _, i := range idx {
			owner[i] = id
		}
	}
	batches := pkBatches(byID, 16, 4, rng)
	if len(batches) == 0 {
		t.Fatal("no batch")
	}
	for bi, b := range batches {
		if len(b) != 64 {
			t.Fatalf("batch %d has %d images", bi, len(b))
		}
		seen := map[int]bool{}
		for c := 0; c < 64; c += 4 {
			id := owner[b[c]]
			if seen[id] {
				t.Errorf("batch %d: identity %d appears in two chunks", bi, id)
			}
			seen[id] = true
			for _, i := range b[c : c+4] {
				if owner[i] != id {
					t.Errorf("batch %d: chunk at %d mixes identities", bi, c)
				}
			}
		}
	}
}

// The progress bar redraws in place and erases itself; it is off for a
// writer that is not a terminal.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	if NewProgress(&buf) != nil {
		t.Error("a bytes.Buffer is not a terminal: want no bar")
	}
	var none *Progress
	none.Update("x", 1, 2, 0) // a nil bar is a no-op
	none.Clear()

	p := &Progress{w: &buf}
	p.Update("epoch 1/2", 1, 4, 1.5)
	p.Update("epoch 1/2", 4, 4, 1.25)
	p.Clear()
	s := buf.String()
	if strings.Contains(s, "\n") || strings.Contains(s, "\x1b") {
		t.Errorf("bar output has a newline or an escape: %q", s)
	}
	if !strings.Contains(s, "4/4 loss 1.2500") || !strings.HasSuffix(s, "\r") {
		t.Errorf("bar output %q", s)
	}
}
