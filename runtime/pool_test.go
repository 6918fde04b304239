package lossrt

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// squares writes part*part into its own slot.
type squares struct{ out []int }

func (s *squares) RunPart(part int) { s.out[part] = part * part }

func TestPoolRunsEveryPartOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		p := NewPool(workers)
		for _, n := range []int{0, 1, 2, 3, 7, 16} {
			s := &squares{out: make([]int, n)}
			for i := range s.out {
				s.out[i] = -1
			}
			p.Run(s, n)
			for i, v := range s.out {
				if v != i*i {
					t.Fatalf("workers %d, n %d: part %d = %d", workers, n, i, v)
				}
			}
		}
		p.Close()
		p.Close()
		s := &squares{out: make([]int, 4)}
		p.Run(s, 4) // after Close: on the calling goroutine
		if s.out[3] != 9 {
			t.Fatalf("Run after Close skipped parts: %v", s.out)
		}
	}
}

func TestPoolAllocatesNothing(t *testing.T) {
	p := NewPool(4)
	defer p.Close()
	s := &squares{out: make([]int, 6)}
	if a := testing.AllocsPerRun(100, func() { p.Run(s, 6) }); a != 0 {
		t.Fatalf("Run allocates %v times per call", a)
	}
}

func TestPoolStopsWhenCollected(t *testing.T) {
	var s *poolState
	func() {
		p := NewPool(4)
		p.Run(&squares{out: make([]int, 4)}, 4)
		if n := p.s.running.Load(); n != 3 {
			t.Fatalf("pool started %d goroutines, want 3", n)
		}
		s = p.s
	}()
	deadline := time.Now().Add(10 * time.Second)
	for s.running.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left after the pool was collected", s.running.Load())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// A pool shared by a workspace and its Gemm lives as long as either: when
// the workspace is gone but a product on its Gemm is still running (or the
// Gemm is kept), the goroutines must not be stopped under it.
func TestPoolOutlivesItsFirstOwner(t *testing.T) {
	type owner struct{ pool *Pool }
	g := NewGemm[float64]()
	func() {
		o := &owner{pool: NewPool(2)}
		g.SetPool(o.pool)
	}()
	for range 5 {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if w := g.par.pool.Workers(); w != 2 {
		t.Fatalf("the Gemm's pool has %d workers after its first owner was collected, want 2", w)
	}
	if g.par.pool.s.stopped {
		t.Fatal("the Gemm's pool was stopped after its first owner was collected")
	}
	const m, n, k = 128, 300, 200
	r := rand.New(rand.NewPCG(1, 1))
	a, b := randSlice[float64](r, m*k), randSlice[float64](r, n*k)
	c := make([]float64, m*n)
	g.NT(m, n, k, a, k, b, k, c, n)
	runtime.KeepAlive(g)
}
