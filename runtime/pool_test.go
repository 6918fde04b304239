package lossrt

import (
	"runtime"
	"testing"
	"time"
)

// squares writes part*part into its own slot.
type squares struct{ out []int }

func (s *squares) RunPart(part int) { s.out[part] = part * part }

func TestPoolRunsEveryPartOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		p := NewPool[int](workers, nil)
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
	p := NewPool[int](4, nil)
	defer p.Close()
	s := &squares{out: make([]int, 6)}
	if a := testing.AllocsPerRun(100, func() { p.Run(s, 6) }); a != 0 {
		t.Fatalf("Run allocates %v times per call", a)
	}
}

func TestPoolStopsWhenOwnerIsCollected(t *testing.T) {
	var p *Pool
	func() {
		owner := new([64]byte)
		p = NewPool(4, owner)
		p.Run(&squares{out: make([]int, 4)}, 4)
		if n := p.running.Load(); n != 3 {
			t.Fatalf("pool started %d goroutines, want 3", n)
		}
		runtime.KeepAlive(owner)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for p.running.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left after the owner was collected", p.running.Load())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
