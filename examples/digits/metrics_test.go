package main

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// Two queries ranked by hand:
//
//	query digit 1, gallery digits 2 1 3 1 at distances 0.1 0.2 0.3 0.4:
//	  matches at ranks 2 and 4, AP = (1/2 + 2/4)/2 = 1/2, no hit at rank 1;
//	query digit 3, distances 0.5 0.5 0.1 0.9: the 3 is nearest, AP = 1.
func TestEvaluate(t *testing.T) {
	gallery := []int{2, 1, 3, 1}
	dist := []float64{
		0.1, 0.2, 0.3, 0.4,
		0.5, 0.5, 0.1, 0.9,
	}
	r, err := Evaluate(dist, []int{1, 3}, gallery)
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.MAP, 0.75) || !near(r.Recall1, 0.5) {
		t.Errorf("mAP %v Recall@1 %v, want 0.75 and 0.5", r.MAP, r.Recall1)
	}
	// Ties keep the gallery order: the miss at index 0 ranks before the
	// match at index 1.
	r, err = Evaluate([]float64{1, 1, 2, 2}, []int{1}, gallery)
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.MAP, (1.0/2+2.0/4)/2) || r.Recall1 != 0 {
		t.Errorf("ties: mAP %v Recall@1 %v, want 0.5 and 0", r.MAP, r.Recall1)
	}
	if _, err := Evaluate(dist[:4], []int{7}, gallery); err == nil {
		t.Error("a query without a match in the gallery was accepted")
	}
	if _, err := Evaluate(dist[:3], []int{1}, gallery); err == nil {
		t.Error("a distance matrix of the wrong size was accepted")
	}
}

// Chance equals the average of Evaluate over every ordering of a small
// gallery.
func TestChance(t *testing.T) {
	gallery := []int{1, 2, 1, 3, 2}
	query := []int{1, 2, 3}
	var perms [][]int
	var permute func(p []int, k int)
	permute = func(p []int, k int) {
		if k == len(p) {
			perms = append(perms, append([]int(nil), p...))
			return
		}
		for i := k; i < len(p); i++ {
			p[k], p[i] = p[i], p[k]
			permute(p, k+1)
			p[k], p[i] = p[i], p[k]
		}
	}
	permute([]int{0, 1, 2, 3, 4}, 0)
	var want Retrieval
	for _, p := range perms {
		dist := make([]float64, len(query)*len(gallery))
		for q := range query {
			for rank, g := range p {
				dist[q*len(gallery)+g] = float64(rank)
			}
		}
		r, err := Evaluate(dist, query, gallery)
		if err != nil {
			t.Fatal(err)
		}
		want.MAP += r.MAP / float64(len(perms))
		want.Recall1 += r.Recall1 / float64(len(perms))
	}
	got := Chance(query, gallery)
	if !near(got.MAP, want.MAP) || !near(got.Recall1, want.Recall1) {
		t.Errorf("Chance %+v, average over all orderings %+v", got, want)
	}
}
