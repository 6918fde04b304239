package main

import (
	"fmt"
	"math"
	"slices"
)

// Retrieval is the quality of a ranking of the gallery for every query: an
// image is a match when it shows the same digit.
type Retrieval struct {
	// Recall1 (Recall@1) is the fraction of queries whose nearest gallery
	// image is a match.
	Recall1 float64
	// MAP is the mean over queries of the average precision
	// AP = (1/R) Σ_{k: match at rank k} precision@k, R the number of
	// matches in the gallery: it scores the whole ranking, not its head.
	MAP float64
}

// Evaluate ranks the gallery for every query by increasing distance
// (dist is row-major, len(query)×len(gallery)); equal distances keep the
// gallery order (as numpy's argsort(kind="stable") in torch_digits.py). Every
// query must have a match in the gallery.
func Evaluate(dist []float64, query, gallery []int) (Retrieval, error) {
	nq, ng := len(query), len(gallery)
	if len(dist) != nq*ng || nq == 0 {
		return Retrieval{}, fmt.Errorf("evaluate: %d distances for %d queries × %d gallery images", len(dist), nq, ng)
	}
	var r Retrieval
	order := make([]int, ng)
	for q, y := range query {
		d := dist[q*ng : (q+1)*ng]
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			switch {
			case d[a] < d[b]:
				return -1
			case d[a] > d[b]:
				return 1
			}
			return a - b // ties: gallery order
		})
		hits, sumPrec := 0, 0.0
		for rank, g := range order {
			if gallery[g] == y {
				hits++
				sumPrec += float64(hits) / float64(rank+1)
			}
		}
		if hits == 0 {
			return Retrieval{}, fmt.Errorf("evaluate: query %d (digit %d) has no match in the gallery", q, y)
		}
		if gallery[order[0]] == y {
			r.Recall1++
		}
		r.MAP += sumPrec / float64(hits)
	}
	r.Recall1 /= float64(nq)
	r.MAP /= float64(nq)
	return r, nil
}

// Chance is the expected Recall@1 and mAP of a uniformly random ranking:
// for a query with R matches among M gallery images, E[Recall@1] = R/M and
// (Bestgen 2015) E[AP] = (H_M + (R−1)/(M−1)·(M − H_M)) / M, H_M the M-th
// harmonic number.
func Chance(query, gallery []int) Retrieval {
	m := len(gallery)
	h := 0.0
	for k := 1; k <= m; k++ {
		h += 1 / float64(k)
	}
	var r Retrieval
	for _, y := range query {
		n := 0
		for _, g := range gallery {
			if g == y {
				n++
			}
		}
		r.Recall1 += float64(n) / float64(m)
		if m == 1 {
			r.MAP++
		} else {
			r.MAP += (h + float64(n-1)/float64(m-1)*(float64(m)-h)) / float64(m)
		}
	}
	r.Recall1 /= float64(len(query))
	r.MAP /= float64(len(query))
	return r
}

// normalizedRows returns a copy of the n×d matrix x with every row scaled
// to unit length (FEAT_NORM in reid-strong-baseline; F.normalize in torch).
func normalizedRows(x []float64, n, d int) []float64 {
	out := make([]float64, n*d)
	for i := range n {
		row := x[i*d : (i+1)*d]
		s := 0.0
		for _, v := range row {
			s += v * v
		}
		s = math.Max(math.Sqrt(s), 1e-12)
		for j, v := range row {
			out[i*d+j] = v / s
		}
	}
	return out
}

// sqDistances returns the nq×ng squared Euclidean distances between the
// rows of q and g (d columns each).
func sqDistances(q, g []float64, nq, ng, d int) []float64 {
	dist := make([]float64, nq*ng)
	for i := range nq {
		a := q[i*d : (i+1)*d]
		for j := range ng {
			b := g[j*d : (j+1)*d]
			s := 0.0
			for k, v := range a {
				t := v - b[k]
				s += t * t
			}
			dist[i*ng+j] = s
		}
	}
	return dist
}
