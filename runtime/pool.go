package lossrt

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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
// A Pool is owned by one workspace (and shared with the workspace's Gemm)
// and, like it, is not safe for concurrent use. Its goroutines exit when
// the owner calls Close, or once the Pool itself is unreachable: they hold
// only its channels (poolState), never the Pool, so the Pool is collected
// with the last value that refers to it, and a cleanup stops them. Tying
// the cleanup to the Pool rather than to the workspace matters: a call
// running on the workspace's Gemm can outlive every use of the workspace
// inside it, but not its own use of the Pool.
type Pool struct {
	workers int
	start   sync.Once
	s       *poolState
	closed  bool
}

// poolState is what the goroutines of a Pool see.
type poolState struct {
	jobs    chan job
	done    chan struct{}
	stopped bool
	running atomic.Int32 // goroutines started and not yet stopped, for tests
}

type job struct {
	task Parts
	part int
}

// NewPool returns a pool that runs up to workers parts at once, the calling
// goroutine included; workers <= 0 means GOMAXPROCS at the time of the call.
func NewPool(workers int) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pool{workers: workers, s: &poolState{}}
	runtime.AddCleanup(p, (*poolState).stop, p.s)
	return p
}

// stop ends the goroutines (if they were started). It runs once, from Close
// or from the cleanup, never while a Run is in progress.
func (s *poolState) stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	if s.jobs != nil {
		close(s.jobs)
	}
}

// Workers returns how many parts the pool runs at once: 1 for a nil or
// closed pool.
func (p *Pool) Workers() int {
	if p == nil || p.closed {
		return 1
	}
	return p.workers
}

// spinFor is how long a goroutine of the pool polls for its next part, and
// the caller for the parts' completion, before blocking. Blocking parks the
// thread; on a virtual machine a parked vCPU halts, and waking it again
// costs tens of microseconds, longer than a whole small product. A training
// step calls the kernels back to back, so the goroutines stay hot from one
// product to the next and go to sleep once the steps stop.
const spinFor = time.Millisecond

func (p *Pool) launch() {
	// Buffered both ways, so that neither side ever parks to hand over:
	// a parked sender is readied onto the receiver's thread and waits
	// there for the whole part.
	s := p.s
	s.jobs = make(chan job, p.workers)
	s.done = make(chan struct{}, p.workers)
	for range p.workers - 1 {
		s.running.Add(1)
		go func(jobs <-chan job, done chan<- struct{}, running *atomic.Int32) {
			defer running.Add(-1)
			for {
				j, ok := recvSpinning(jobs)
				if !ok {
					return
				}
				j.task.RunPart(j.part)
				done <- struct{}{}
			}
		}(s.jobs, s.done, &s.running)
	}
}

// recvSpinning receives from c, polling for spinFor before blocking. Each
// poll yields the processor to any other runnable goroutine, so that a
// spinning pool never delays other work, such as another workspace's pool
// (with GOMAXPROCS = 2, one spinner would otherwise hold the only free
// processor until it gave up).
func recvSpinning[T any](c <-chan T) (T, bool) {
	start := time.Now()
	for {
		select {
		case v, ok := <-c:
			return v, ok
		default:
		}
		if time.Since(start) > spinFor {
			v, ok := <-c
			return v, ok
		}
		runtime.Gosched()
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
	// Hand parts 1.. to the pool's goroutines; run the rest here.
	sent := 0
	next := 1
	for ; next < n && sent < p.workers-1; next++ {
		p.s.jobs <- job{task: t, part: next}
		sent++
	}
	t.RunPart(0)
	for ; next < n; next++ {
		t.RunPart(next)
	}
	for range sent {
		recvSpinning(p.s.done)
	}
	// The Pool stays reachable until every part is done, so its cleanup
	// cannot stop the goroutines under a running call.
	runtime.KeepAlive(p)
}

// Close stops the pool's goroutines. Later calls to Run run every part on
// the calling goroutine. Close is idempotent.
func (p *Pool) Close() {
	if p == nil || p.closed {
		return
	}
	p.closed = true
	p.s.stop()
}
