package lossrt

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Parts is work split into a fixed number of independent parts. RunPart
// must only touch state that no other part touches, so that the parts can
// run in any order and on any goroutine.
type Parts interface {
	RunPart(part int)
}

// Pool runs the parts of a Parts on a few goroutines it owns, started on
// first use. A call allocates nothing: the task travels as an interface
// holding a pointer the caller keeps alive, and the goroutines wait on
// channels between calls.
//
// Results cannot depend on the number of goroutines: the caller fixes the
// partition, and every part computes the same values whichever goroutine
// runs it. Pool only decides how many parts run at once.
//
// A Pool is owned by one workspace and, like it, is not safe for concurrent
// use. Its goroutines exit when the owner calls Close, or when the value
// that owns the Pool is garbage collected (see NewPool).
type Pool struct {
	workers int
	start   sync.Once
	jobs    chan job
	done    chan struct{}
	closed  bool
	running atomic.Int32 // goroutines started and not yet stopped, for tests
}

type job struct {
	task Parts
	part int
}

// NewPool returns a pool that runs up to workers parts at once, the calling
// goroutine included; workers <= 0 means GOMAXPROCS at the time of the call.
// If owner is not nil, the pool's goroutines are stopped once owner becomes
// unreachable, so that dropping a workspace never leaks them.
func NewPool[O any](workers int, owner *O) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pool{workers: workers}
	if owner != nil {
		runtime.AddCleanup(owner, func(p *Pool) { p.Close() }, p)
	}
	return p
}

// Workers returns how many parts the pool runs at once.
func (p *Pool) Workers() int { return p.workers }

func (p *Pool) launch() {
	p.jobs = make(chan job)
	p.done = make(chan struct{})
	for range p.workers - 1 {
		p.running.Add(1)
		go func(jobs <-chan job, done chan<- struct{}, running *atomic.Int32) {
			defer running.Add(-1)
			for j := range jobs {
				j.task.RunPart(j.part)
				done <- struct{}{}
			}
		}(p.jobs, p.done, &p.running)
	}
}

// Run runs parts 0..n-1 of t and returns when all are done. The calling
// goroutine runs part 0 and, when there are more parts than goroutines,
// whatever parts the others have not taken.
func (p *Pool) Run(t Parts, n int) {
	if n <= 0 {
		return
	}
	if p == nil || p.workers <= 1 || n == 1 || p.closed {
		for part := range n {
			t.RunPart(part)
		}
		return
	}
	p.start.Do(p.launch)
	// Hand parts 1.. to idle goroutines without blocking; run the rest here.
	sent := 0
	next := 1
	for ; next < n && sent < p.workers-1; next++ {
		p.jobs <- job{task: t, part: next}
		sent++
	}
	t.RunPart(0)
	for ; next < n; next++ {
		t.RunPart(next)
	}
	for range sent {
		<-p.done
	}
	// The owner (often t itself) stays reachable until every part is done,
	// so its cleanup cannot close the pool under a running call.
	runtime.KeepAlive(t)
}

// Close stops the pool's goroutines. Later calls to Run run every part on
// the calling goroutine. Close is idempotent.
func (p *Pool) Close() {
	if p == nil || p.closed {
		return
	}
	p.closed = true
	if p.jobs != nil {
		close(p.jobs)
	}
}
