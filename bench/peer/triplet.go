package peer

import "math"

// Triplet computes mean_i max(0, ‖a_i−p_i‖ − ‖a_i−n_i‖ + margin) and adds
// its gradient into ga, gp, gn (which the caller zeroes).
func Triplet(a, p, n []float64, N, D int, margin float64, ga, gp, gn []float64) float64 {
	var loss float64
	for i := 0; i < N; i++ {
		ar, pr, nr := a[i*D:(i+1)*D], p[i*D:(i+1)*D], n[i*D:(i+1)*D]
		var sp, sn float64
		for k := 0; k < D; k++ {
			dp := ar[k] - pr[k]
			dn := ar[k] - nr[k]
			sp += dp * dp
			sn += dn * dn
		}
		dap, dan := math.Sqrt(sp), math.Sqrt(sn)
		h := dap - dan + margin
		if h <= 0 {
			continue
		}
		loss += h
		var cp, cn float64
		if dap > 0 {
			cp = 1 / (float64(N) * dap)
		}
		if dan > 0 {
			cn = 1 / (float64(N) * dan)
		}
		gar, gpr, gnr := ga[i*D:(i+1)*D], gp[i*D:(i+1)*D], gn[i*D:(i+1)*D]
		for k := 0; k < D; k++ {
			dp := (ar[k] - pr[k]) * cp
			dn := (ar[k] - nr[k]) * cn
			gar[k] += dp - dn
			gpr[k] -= dp
			gnr[k] += dn
		}
	}
	return loss / float64(N)
}
