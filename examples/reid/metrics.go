package main

import (
	"errors"
	"fmt"
	"sort"
)

// Item is what the evaluation needs to know about a query or gallery image:
// its identity and the camera that took it.
type Item struct {
	ID  int
	Cam int
}

// Retrieval holds the standard ReID retrieval metrics (the Market-1501
// protocol of reid-strong-baseline's eval_func).
type Retrieval struct {
	// CMC[k-1] is Rank-k: the fraction of valid queries whose first correct
	// match is within the top k of the (filtered) ranking.
	CMC []float64
	// MAP is the mean over valid queries of
	// AP_q = (1/R_q) Σ_{k: rel(k)=1} precision@k.
	MAP float64
	// MINP is the mean over valid queries of R_q / (rank of the hardest,
	// i.e. last, correct match) (Ye et al. 2021).
	MINP float64
	// Valid is the number of queries that had at least one match left after
	// the same-identity-same-camera exclusion; Skipped the others.
	Valid, Skipped int
}

// Rank1 returns CMC[0].
func (r Retrieval) Rank1() float64 {
	if len(r.CMC) == 0 {
		return 0
	}
	return r.CMC[0]
}

// queryResult is the evaluation of one query.
type queryResult struct {
	ap, inp  float64
	firstHit int  // 0-based position of the first correct match in the filtered ranking
	valid    bool // false: no correct match left after the exclusion
}

// rankQuery evaluates one query. dist[g] is the distance from the query to
// gallery item g; order is scratch space of len(gallery) (its contents are
// overwritten).
//
// The gallery is sorted by increasing distance; equal distances keep the
// gallery order (a stable sort, like np.argsort(kind="stable")), so ties
// are resolved deterministically and the result never depends on the sort
// algorithm. Gallery items with the query's identity AND camera are then
// removed from the ranking (they are neither hits nor misses); every other
// item with the query's identity is a hit.
func rankQuery(dist []float64, q Item, gallery []Item, order []int) queryResult {
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return dist[order[a]] < dist[order[b]] })

	var res queryResult
	res.firstHit = -1
	hits, pos, lastHit := 0, 0, -1
	sumPrec := 0.0
	for _, g := range order {
		it := gallery[g]
		if it.ID == q.ID && it.Cam == q.Cam {
			continue // junk for this query: same person seen by the same camera
		}
		pos++ // 1-based rank in the filtered list
		if it.ID == q.ID {
			hits++
			sumPrec += float64(hits) / float64(pos)
			if res.firstHit < 0 {
				res.firstHit = pos - 1
			}
			lastHit = pos
		}
	}
	if hits == 0 {
		return res
	}
	res.valid = true
	res.ap = sumPrec / float64(hits)
	res.inp = float64(hits) / float64(lastHit)
	return res
}

// Evaluate ranks the gallery for every query by the distances in dist
// (row-major, len(query)×len(gallery)) and returns CMC up to maxRank, mAP and
// mINP over the valid queries. Queries without any valid match are skipped
// (counted in Skipped); if none is valid it returns an error.
func Evaluate(dist []float64, query, gallery []Item, maxRank int) (Retrieval, error) {
	nq, ng := len(query), len(gallery)
	if len(dist) != nq*ng {
		return Retrieval{}, fmt.Errorf("evaluate: dist has %d values, want %d×%d", len(dist), nq, ng)
	}
	if maxRank < 1 {
		maxRank = 1
	}
	r := Retrieval{CMC: make([]float64, maxRank)}
	order := make([]int, ng)
	for qi, q := range query {
		res := rankQuery(dist[qi*ng:(qi+1)*ng], q, gallery, order)
		if !res.valid {
			r.Skipped++
			continue
		}
		r.Valid++
		r.MAP += res.ap
		r.MINP += res.inp
		for k := res.firstHit; k < maxRank; k++ {
			r.CMC[k]++
		}
	}
	if r.Valid == 0 {
		return r, errors.New("evaluate: no query has a valid match in the gallery")
	}
	n := float64(r.Valid)
	r.MAP /= n
	r.MINP /= n
	for k := range r.CMC {
		r.CMC[k] /= n
	}
	return r, nil
}

// Chance returns the expected mAP and Rank-1 of a uniformly random ranking
// under the same protocol: for a query with R matches among M ranked gallery
// items (after the exclusion), E[Rank-1] = R/M and (Bestgen 2015)
//
//	E[AP] = ( H_M + (R−1)/(M−1) · (M − H_M) ) / M,   H_M = Σ_{k=1..M} 1/k
//
// (for M = 1, E[AP] = 1). Both are averaged over the valid queries.
func Chance(query, gallery []Item) (mAP, rank1 float64) {
	valid := 0
	for _, q := range query {
		m, r := 0, 0
		for _, g := range gallery {
			if g.ID == q.ID && g.Cam == q.Cam {
				continue
			}
			m++
			if g.ID == q.ID {
				r++
			}
		}
		if r == 0 {
			continue
		}
		valid++
		rank1 += float64(r) / float64(m)
		if m == 1 {
			mAP++
			continue
		}
		h := 0.0
		for k := 1; k <= m; k++ {
			h += 1 / float64(k)
		}
		mAP += (h + float64(r-1)/float64(m-1)*(float64(m)-h)) / float64(m)
	}
	if valid == 0 {
		return 0, 0
	}
	return mAP / float64(valid), rank1 / float64(valid)
}
