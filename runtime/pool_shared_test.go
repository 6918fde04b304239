package lossrt

import (
	"testing"
	"time"
)

// busy runs each part for a fixed time.
type busy struct{ d time.Duration }

func (b busy) RunPart(int) {
	for start := time.Now(); time.Since(start) < b.d; {
	}
}

// Two pools used one after the other, as two workspaces in one training
// step are. The first pool's goroutine, still spinning for its next part,
// must not keep the second pool's goroutine from a processor: with
// GOMAXPROCS = 2 and no yield in the spin, each call of the second pool
// waited about spinFor for the spinner to give up. Here a call should cost
// little more than its 50 µs parts (see ns/call).
func BenchmarkTwoPools(b *testing.B) {
	p, q := NewPool(2), NewPool(2)
	defer p.Close()
	defer q.Close()
	work := busy{50 * time.Microsecond}
	for b.Loop() {
		p.Run(work, 2)
		q.Run(work, 2)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/call")
}
