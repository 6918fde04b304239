package peer

import "math"

// CrossEntropyLS computes label-smoothed cross-entropy over logits [N, C]
// and writes its gradient into g: (softmax − q)/N with q = (1−eps)·onehot + eps/C.
func CrossEntropyLS(logits []float64, labels []int, N, C int, eps float64, g []float64) float64 {
	var loss float64
	for i := 0; i < N; i++ {
		z := logits[i*C : (i+1)*C]
		gi := g[i*C : (i+1)*C]
		m := math.Inf(-1)
		for _, v := range z {
			m = math.Max(m, v)
		}
		var s, sum float64
		for _, v := range z {
			s += math.Exp(v - m)
			sum += v
		}
		lse := m + math.Log(s)
		y := labels[i]
		loss += lse - (1-eps)*z[y] - eps/float64(C)*sum
		for c, v := range z {
			gi[c] = (math.Exp(v-lse) - eps/float64(C)) / float64(N)
		}
		gi[y] -= (1 - eps) / float64(N)
	}
	return loss / float64(N)
}
