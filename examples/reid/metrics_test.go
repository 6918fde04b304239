package main

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// One query, ranked by hand:
//
//	rank  item        dist  status
//	 -    id1 cam0    0.1   same id and camera as the query: excluded
//	 1    id2 cam1    0.2   miss
//	 2    id1 cam1    0.3   hit, precision 1/2
//	 3    id3 cam0    0.4   miss
//	 4    id1 cam2    0.5   hit, precision 2/4
//
// AP = (1/2 + 2/4)/2 = 0.5, first hit at rank 2, INP = 2/4.
func TestEvaluateSameCameraExclusion(t *testing.T) {
	query := []Item{{ID: 1, Cam: 0}}
	gallery := []Item{{1, 0}, {2, 1}, {1, 1}, {3, 0}, {1, 2}}
	dist := []float64{0.1, 0.2, 0.3, 0.4, 0.5}
	r, err := Evaluate(dist, query, gallery, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.MAP, 0.5) || !near(r.MINP, 0.5) {
		t.Errorf("mAP %v mINP %v, want 0.5 and 0.5", r.MAP, r.MINP)
	}
	if want := []float64{0, 1, 1}; !near(r.CMC[0], want[0]) || !near(r.CMC[1], want[1]) || !near(r.CMC[2], want[2]) {
		t.Errorf("CMC %v, want %v", r.CMC, want)
	}
	if r.Valid != 1 || r.Skipped != 0 {
		t.Errorf("valid %d skipped %d", r.Valid, r.Skipped)
	}

	// The same ranking, but the nearest item comes from another camera: it
	// now counts, as a hit at rank 1. Hits at ranks 1, 3, 5:
	// AP = (1 + 2/3 + 3/5)/3.
	gallery[0].Cam = 3
	r, err = Evaluate(dist, query, gallery, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (1 + 2.0/3 + 3.0/5) / 3; !near(r.MAP, want) || r.Rank1() != 1 {
		t.Errorf("without exclusion: mAP %v rank1 %v, want %v and 1", r.MAP, r.Rank1(), want)
	}
}

// Equal distances keep the gallery order.
func TestEvaluateTies(t *testing.T) {
	query := []Item{{ID: 1, Cam: 0}}
	// A miss and a hit tied at distance 1; the miss comes first in the
	// gallery, so it ranks first: hits at ranks 2 and 3.
	gallery := []Item{{2, 1}, {1, 1}, {1, 2}}
	dist := []float64{1, 1, 2}
	r, err := Evaluate(dist, query, gallery, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (1.0/2 + 2.0/3) / 2; !near(r.MAP, want) || r.Rank1() != 0 {
		t.Errorf("miss first: mAP %v rank1 %v, want %v and 0", r.MAP, r.Rank1(), want)
	}
	// Swap the tied pair in the gallery: the hit ranks first, hits at 1 and 3.
	gallery[0], gallery[1] = gallery[1], gallery[0]
	r, err = Evaluate(dist, query, gallery, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (1 + 2.0/3) / 2; !near(r.MAP, want) || r.Rank1() != 1 {
		t.Errorf("hit first: mAP %v rank1 %v, want %v and 1", r.MAP, r.Rank1(), want)
	}
	// All distances equal: pure gallery order.
	r, err = Evaluate([]float64{5, 5, 5}, query, []Item{{3, 0}, {4, 1}, {1, 1}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.MAP, 1.0/3) || r.CMC[1] != 0 || r.CMC[2] != 1 {
		t.Errorf("all tied: mAP %v CMC %v, want 1/3 and [0 0 1]", r.MAP, r.CMC)
	}
}

// Queries without a valid match are skipped, not scored 0.
func TestEvaluateSkipsQueriesWithoutMatch(t *testing.T) {
	query := []Item{
		{ID: 1, Cam: 0}, // match at rank 1: AP 1
		{ID: 7, Cam: 0}, // its only gallery image is from its own camera: skipped
		{ID: 9, Cam: 2}, // not in the gallery at all: skipped
		{ID: 2, Cam: 0}, // ranking id1c1, id7c0, id2c1: hit at rank 3, AP 1/3
	}
	gallery := []Item{{1, 1}, {7, 0}, {2, 1}}
	dist := []float64{
		0, 1, 2,
		0, 1, 2,
		0, 1, 2,
		0, 1, 2,
	}
	r, err := Evaluate(dist, query, gallery, 3)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid != 2 || r.Skipped != 2 {
		t.Fatalf("valid %d skipped %d, want 2 and 2", r.Valid, r.Skipped)
	}
	if want := (1 + 1.0/3) / 2; !near(r.MAP, want) {
		t.Errorf("mAP %v, want %v", r.MAP, want)
	}
	if r.CMC[0] != 0.5 || r.CMC[1] != 0.5 || r.CMC[2] != 1 {
		t.Errorf("CMC %v, want [0.5 0.5 1]", r.CMC)
	}

	if _, err := Evaluate([]float64{0}, []Item{{7, 0}}, []Item{{7, 0}}, 1); err == nil {
		t.Error("no valid query: want an error")
	}
	if _, err := Evaluate([]float64{0, 1}, query, gallery, 1); err == nil {
		t.Error("wrong dist length: want an error")
	}
}

// Chance agrees with the average over every permutation of a small gallery.
func TestChanceMatchesAllPermutations(t *testing.T) {
	query := []Item{{ID: 1, Cam: 0}, {ID: 2, Cam: 1}}
	gallery := []Item{{1, 0}, {1, 1}, {2, 0}, {1, 2}, {3, 1}, {2, 2}}
	wantMAP, wantR1 := Chance(query, gallery)

	ng := len(gallery)
	perm := make([]int, ng)
	for i := range perm {
		perm[i] = i
	}
	dist := make([]float64, len(query)*ng)
	var sumMAP, sumR1 float64
	count := 0
	var visit func(k int)
	visit = func(k int) {
		if k == ng {
			for q := range query {
				for pos, g := range perm {
					dist[q*ng+g] = float64(pos)
				}
			}
			r, err := Evaluate(dist, query, gallery, 1)
			if err != nil {
				t.Fatal(err)
			}
			sumMAP += r.MAP
			sumR1 += r.Rank1()
			count++
			return
		}
		for i := k; i < ng; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			visit(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	visit(0)
	if gotMAP, gotR1 := sumMAP/float64(count), sumR1/float64(count); !near(gotMAP, wantMAP) || !near(gotR1, wantR1) {
		t.Errorf("brute force mAP %v rank1 %v, Chance says %v and %v", gotMAP, gotR1, wantMAP, wantR1)
	}
}
