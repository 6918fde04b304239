package peer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lossgen/lossgen/generated/crossentropyls"
	"github.com/lossgen/lossgen/generated/triplet"
)

func random(n int, r *rand.Rand) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 2*r.Float64() - 1
	}
	return x
}

type tripletCase struct {
	N, D    int
	a, p, n []float64
}

func newTriplet(N, D int) tripletCase {
	r := rand.New(rand.NewPCG(1, uint64(N*D)))
	return tripletCase{N, D, random(N*D, r), random(N*D, r), random(N*D, r)}
}

func TestTripletAgrees(t *testing.T) {
	c := newTriplet(33, 131)
	ga, gp, gn := make([]float64, c.N*c.D), make([]float64, c.N*c.D), make([]float64, c.N*c.D)
	want := Triplet(c.a, c.p, c.n, c.N, c.D, 0.3, ga, gp, gn)
	ws, err := triplet.NewWorkspace64(triplet.Dims{N: c.N, D: c.D})
	if err != nil {
		t.Fatal(err)
	}
	g := triplet.Grads64{Anchor: make([]float64, c.N*c.D), Positive: make([]float64, c.N*c.D), Negative: make([]float64, c.N*c.D)}
	got, err := ws.Grad(triplet.Inputs64{Anchor: c.a, Positive: c.p, Negative: c.n}, g)
	if err != nil {
		t.Fatal(err)
	}
	close(t, "loss", []float64{got}, []float64{want})
	close(t, "anchor", g.Anchor, ga)
	close(t, "positive", g.Positive, gp)
	close(t, "negative", g.Negative, gn)
}

func TestCrossEntropyLSAgrees(t *testing.T) {
	N, C := 33, 751
	r := rand.New(rand.NewPCG(2, 3))
	z := random(N*C, r)
	labels := make([]int, N)
	for i := range labels {
		labels[i] = r.IntN(C)
	}
	gw := make([]float64, N*C)
	want := CrossEntropyLS(z, labels, N, C, 0.1, gw)
	ws, err := crossentropyls.NewWorkspace64(crossentropyls.Dims{N: N, C: C})
	if err != nil {
		t.Fatal(err)
	}
	g := crossentropyls.Grads64{Logits: make([]float64, N*C)}
	got, err := ws.Grad(crossentropyls.Inputs64{Logits: z, Labels: labels}, g)
	if err != nil {
		t.Fatal(err)
	}
	close(t, "loss", []float64{got}, []float64{want})
	close(t, "logits", g.Logits, gw)
}

func close(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("%s[%d]: generated %v, hand-written %v", what, i, got[i], want[i])
		}
	}
}

// Benchmarks at ReID sizes: batch 64 and 256, 2048-d features, 751 classes.
var sizes = []int{64, 256}

func BenchmarkTriplet(b *testing.B) {
	for _, N := range sizes {
		c := newTriplet(N, 2048)
		n := N * c.D
		b.Run(fmt.Sprintf("N=%d,D=2048/generated", N), func(b *testing.B) {
			ws, _ := triplet.NewWorkspace64(triplet.Dims{N: N, D: c.D})
			g := triplet.Grads64{Anchor: make([]float64, n), Positive: make([]float64, n), Negative: make([]float64, n)}
			in := triplet.Inputs64{Anchor: c.a, Positive: c.p, Negative: c.n}
			b.ReportAllocs()
			for b.Loop() {
				ws.Grad(in, g)
			}
		})
		b.Run(fmt.Sprintf("N=%d,D=2048/handwritten", N), func(b *testing.B) {
			ga, gp, gn := make([]float64, n), make([]float64, n), make([]float64, n)
			b.ReportAllocs()
			for b.Loop() {
				clear(ga)
				clear(gp)
				clear(gn)
				Triplet(c.a, c.p, c.n, N, c.D, 0.3, ga, gp, gn)
			}
		})
	}
}

func BenchmarkCrossEntropyLS(b *testing.B) {
	const C = 751
	for _, N := range sizes {
		r := rand.New(rand.NewPCG(2, 3))
		z := random(N*C, r)
		labels := make([]int, N)
		for i := range labels {
			labels[i] = r.IntN(C)
		}
		b.Run(fmt.Sprintf("N=%d,C=751/generated", N), func(b *testing.B) {
			ws, _ := crossentropyls.NewWorkspace64(crossentropyls.Dims{N: N, C: C})
			g := crossentropyls.Grads64{Logits: make([]float64, N*C)}
			in := crossentropyls.Inputs64{Logits: z, Labels: labels}
			b.ReportAllocs()
			for b.Loop() {
				ws.Grad(in, g)
			}
		})
		b.Run(fmt.Sprintf("N=%d,C=751/handwritten", N), func(b *testing.B) {
			g := make([]float64, N*C)
			b.ReportAllocs()
			for b.Loop() {
				CrossEntropyLS(z, labels, N, C, 0.1, g)
			}
		})
	}
}
