package rundriver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// BenchKernel prepares a generated kernel for timing: it makes a workspace
// for dims, binds the inputs (by name, as Request does) and gradient buffers
// it allocates itself, and returns step, one Grad call on them, which must
// not allocate.
type BenchKernel[T lossrt.Float] func(info lossrt.Info, dims map[string]int, reals map[string][]T, ints map[string][]int) (step func() (T, error), err error)

var (
	bench64 BenchKernel[float64]
	bench32 BenchKernel[float32]
)

// RegisterBench makes the typed Grad of the kernel available to the bench
// mode. lossgen bench adds a file to the kernel package whose init calls
// it, as
//
//	rundriver.RegisterBench(
//		rundriver.Typed(func(m map[string]int) (*Workspace64, error) { return NewWorkspace64(dimsFrom(m)) }, (*Workspace64).Grad),
//		rundriver.Typed(func(m map[string]int) (*Workspace32, error) { return NewWorkspace32(dimsFrom(m)) }, (*Workspace32).Grad))
//
// (Eval64 and Eval32, which lossgen run uses, allocate a workspace and the
// results on every call, so they cannot be timed for allocations.)
func RegisterBench(k64 BenchKernel[float64], k32 BenchKernel[float32]) {
	bench64, bench32 = k64, k32
}

// Typed adapts a generated package's typed API — a workspace constructor
// taking sizes by name and the Grad method expression — to a BenchKernel.
// The fields of the Inputs struct I are the spec's inputs in declaration
// order, and those of the Grads struct G its differentiable inputs, as the
// code generator emits them; they are bound once, with reflection, so step
// calls Grad directly.
func Typed[W, I, G any, T lossrt.Float](newWS func(map[string]int) (W, error), grad func(W, I, G) (T, error)) BenchKernel[T] {
	return func(info lossrt.Info, dims map[string]int, reals map[string][]T, ints map[string][]int) (func() (T, error), error) {
		ws, err := newWS(dims)
		if err != nil {
			return nil, err
		}
		var in I
		var g G
		iv, gv := reflect.ValueOf(&in).Elem(), reflect.ValueOf(&g).Elem()
		if iv.Kind() != reflect.Struct || iv.NumField() != len(info.Inputs) {
			return nil, fmt.Errorf("internal error: %T does not have one field per input of %s", in, info.Name)
		}
		if gv.Kind() != reflect.Struct {
			return nil, fmt.Errorf("internal error: %T is not a struct", g)
		}
		gi := 0
		for k, spec := range info.Inputs {
			var val reflect.Value
			if spec.Int {
				val = reflect.ValueOf(ints[spec.Name])
			} else {
				val = reflect.ValueOf(reals[spec.Name])
			}
			f := iv.Field(k)
			if !f.CanSet() || f.Type() != val.Type() {
				return nil, fmt.Errorf("internal error: field %d of %T does not take input %s (%v)", k, in, spec.Name, val.Type())
			}
			f.Set(val)
			if spec.Diff && !spec.Int {
				if gi >= gv.NumField() {
					return nil, fmt.Errorf("internal error: %T has no field for the gradient of %s", g, spec.Name)
				}
				buf := reflect.ValueOf(make([]T, val.Len()))
				if f := gv.Field(gi); f.CanSet() && f.Type() == buf.Type() {
					f.Set(buf)
				} else {
					return nil, fmt.Errorf("internal error: field %d of %T does not take the gradient of %s", gi, g, spec.Name)
				}
				gi++
			}
		}
		if gi != gv.NumField() {
			return nil, fmt.Errorf("internal error: %T has %d fields, want %d", g, gv.NumField(), gi)
		}
		return func() (T, error) { return grad(ws, in, g) }, nil
	}
}

// BenchResult is the bench mode's answer, one line of JSON.
type BenchResult struct {
	Spec          string         `json:"spec"`
	Type          string         `json:"type"`
	Dims          map[string]int `json:"dims"`
	NsPerStep     float64        `json:"ns_per_step"`     // median over batches
	AllocsPerStep uint64         `json:"allocs_per_step"` // heap allocations per Grad call, rounded down, fewest over batches
	Steps         int            `json:"steps"`           // timed Grad calls
	Batches       int            `json:"batches"`         // timed batches
	Loss          float64        `json:"loss"`            // of the last call
}

// runBench is the bench mode: `driver bench [-type T] -dims N=..,D=.. [-time D] [-seed S]`.
func runBench(args []string, stdout, stderr io.Writer, info lossrt.Info) int {
	fs := flag.NewFlagSet("lossgen bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	typ := fs.String("type", "float64", "element type of the kernel: float32 or float64")
	dimsFlag := fs.String("dims", "", "every size of the loss, as N=256,D=2048")
	minTime := fs.Duration("time", time.Second, "time the kernel for at least this long")
	seed := fs.Uint64("seed", 1, "seed of the random inputs")
	bytes := fs.Float64("bytes", 0, "measure the machine's limits for a kernel moving this many bytes per step (0: do not)")
	bandwidth := fs.Float64("bandwidth", 0, "copy bandwidth in GB/s to report instead of measuring it")
	peak := fs.Float64("peak", 0, "matrix-multiply peak in GFLOP/s to report instead of measuring it")
	memory := fs.Int64("memory", 0, "memory budget of the workspace in bytes (0: lossrt.DefaultMemoryBudget)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the timed calls to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lossgen bench: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	dims, err := parseBenchDims(*dimsFlag, info)
	if err != nil {
		fmt.Fprintf(stderr, "lossgen bench: %v\n", err)
		return exitUsage
	}
	if *minTime <= 0 {
		fmt.Fprintf(stderr, "lossgen bench: -time %v: want a positive duration\n", *minTime)
		return exitUsage
	}
	lossrt.SetMemoryBudget(*memory)
	var res BenchResult
	switch *typ {
	case "float64":
		res, err = benchType(info, bench64, dims, *seed, *minTime, *cpuprofile)
	case "float32":
		res, err = benchType(info, bench32, dims, *seed, *minTime, *cpuprofile)
	default:
		fmt.Fprintf(stderr, "lossgen bench: -type %q: want float32 or float64\n", *typ)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "lossgen bench: %v\n", err)
		return exitFail
	}
	res.Type = *typ
	if *bytes > 0 {
		// The limits are measured after the kernel, on the same workers a
		// workspace uses by default, so both see the same machine.
		if *bandwidth <= 0 {
			*bandwidth = CopyBandwidth(LadderSize(*bytes), DefaultWorkers(), 100*time.Millisecond)
		}
		if *peak <= 0 {
			if *typ == "float32" {
				*peak = GemmPeak[float32](DefaultWorkers(), 100*time.Millisecond)
			} else {
				*peak = GemmPeak[float64](DefaultWorkers(), 100*time.Millisecond)
			}
		}
	}
	fmt.Fprintf(stdout, `{"spec": %q, "type": %q, "dims": {`, res.Spec, res.Type)
	for i, name := range info.Sizes {
		if i > 0 {
			fmt.Fprint(stdout, ", ")
		}
		fmt.Fprintf(stdout, "%q: %d", name, res.Dims[name])
	}
	bits := 64
	if *typ == "float32" {
		bits = 32
	}
	loss := "null"
	if !math.IsNaN(res.Loss) && !math.IsInf(res.Loss, 0) {
		loss = strconv.FormatFloat(res.Loss, 'g', -1, bits)
	}
	fmt.Fprintf(stdout, `}, "ns_per_step": %s, "allocs_per_step": %s, "steps": %d, "batches": %d, "loss": %s`,
		strconv.FormatFloat(res.NsPerStep, 'f', 1, 64), strconv.FormatUint(res.AllocsPerStep, 10),
		res.Steps, res.Batches, loss)
	if *bandwidth > 0 && *peak > 0 {
		fmt.Fprintf(stdout, `, "bandwidth_gbs": %s, "peak_gflops": %s`,
			strconv.FormatFloat(*bandwidth, 'f', 2, 64), strconv.FormatFloat(*peak, 'f', 2, 64))
	}
	fmt.Fprintln(stdout, "}")
	return exitOK
}

// parseBenchDims reads N=256,D=2048 and requires exactly the loss's sizes.
func parseBenchDims(s string, info lossrt.Info) (map[string]int, error) {
	dims := map[string]int{}
	if strings.TrimSpace(s) != "" {
		for _, part := range strings.Split(s, ",") {
			name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
			n, err := strconv.Atoi(val)
			if !ok || err != nil || n <= 0 {
				return nil, fmt.Errorf("-dims %q: want NAME=SIZE pairs with positive sizes, e.g. N=256,D=2048", s)
			}
			if !slices.Contains(info.Sizes, name) {
				return nil, fmt.Errorf("-dims: %s has no size %s (its sizes are %s)", info.Name, name, strings.Join(info.Sizes, ", "))
			}
			dims[name] = n
		}
	}
	for _, name := range info.Sizes {
		if _, ok := dims[name]; !ok {
			return nil, fmt.Errorf("-dims: missing size %s (%s needs %s)", name, info.Name, strings.Join(info.Sizes, ", "))
		}
	}
	return dims, nil
}

// maxBatches bounds the timed batches of one run (about 100 s of 10ms
// batches).
const maxBatches = 10000

// benchType draws the inputs, then times the kernel: a warm-up of at least
// a tenth of minTime (and 20ms), then batches of calls lasting about 10ms
// each (at least one call), until minTime has passed and at least three
// batches have run. The result is the median over batches of the time per
// call, and the heap allocations per call (below). With a cpuprofile path,
// the timed batches (not the warm-up) are profiled into that file.
func benchType[T lossrt.Float](info lossrt.Info, kernel BenchKernel[T], dims map[string]int, seed uint64, minTime time.Duration, cpuprofile string) (BenchResult, error) {
	if kernel == nil {
		return BenchResult{}, fmt.Errorf("internal error: the driver of %s was built without the bench hook", info.Name)
	}
	reals, ints, err := BenchInputs[T](info, dims, seed)
	if err != nil {
		return BenchResult{}, err
	}
	step, err := kernel(info, dims, reals, ints)
	if err != nil {
		return BenchResult{}, err
	}
	loss, err := step()
	if err != nil {
		return BenchResult{}, err
	}

	warm := max(minTime/10, 20*time.Millisecond)
	calls := 1
	start := time.Now()
	for time.Since(start) < warm {
		step()
		calls++
	}
	perCall := time.Since(start) / time.Duration(calls)
	batch := max(1, int(10*time.Millisecond/max(perCall, 1)))

	// The batch times are stored in room made beforehand: the allocation
	// count is process-wide, and growing this slice while counting was
	// reported as the kernel's (three appends over three slow steps read
	// as 1 alloc/step for a kernel that allocates nothing). Past the room,
	// timing stops.
	//
	// Allocations are counted per batch, outside its timed span, and the
	// fewest per call over batches is reported: the count is process-wide,
	// and a finalizer or runtime task that allocates while a slow kernel
	// runs three long steps once read as 2 allocs/step for a kernel that
	// allocates nothing. A kernel that allocates on every call does so in
	// every batch, so the minimum still shows it.
	times := make([]float64, 0, maxBatches)
	var before, after runtime.MemStats
	var profile *os.File
	if cpuprofile != "" {
		if profile, err = os.Create(cpuprofile); err != nil {
			return BenchResult{}, fmt.Errorf("-cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(profile); err != nil {
			profile.Close()
			return BenchResult{}, fmt.Errorf("-cpuprofile: %v", err)
		}
	}
	runtime.GC()
	allocs := uint64(math.MaxUint64)
	steps := 0
	start = time.Now()
	for (len(times) < 3 || time.Since(start) < minTime) && len(times) < cap(times) {
		runtime.ReadMemStats(&before)
		t0 := time.Now()
		for range batch {
			loss, _ = step()
		}
		times = append(times, float64(time.Since(t0).Nanoseconds())/float64(batch))
		runtime.ReadMemStats(&after)
		allocs = min(allocs, (after.Mallocs-before.Mallocs)/uint64(batch))
		steps += batch
	}
	if profile != nil {
		pprof.StopCPUProfile()
		if err := profile.Close(); err != nil {
			return BenchResult{}, fmt.Errorf("-cpuprofile: %v", err)
		}
	}
	slices.Sort(times)
	median := times[len(times)/2]
	if len(times)%2 == 0 {
		median = (times[len(times)/2-1] + times[len(times)/2]) / 2
	}
	return BenchResult{
		Spec:      info.Name,
		Dims:      dims,
		NsPerStep: median,
		// Rounded down, as testing.AllocsPerRun does, and the fewest over
		// batches (above): a rare allocation by the runtime in the
		// background must not show as the kernel's.
		AllocsPerStep: allocs,
		Steps:         steps,
		Batches:       len(times),
		Loss:          float64(loss),
	}, nil
}

// BenchInputs draws the bench mode's inputs, reproducibly from seed, so
// that other tools (bench/compare's PyTorch side) can draw the very same
// ones. Input number m (in declaration order, from 0) takes its elements
// j = 0, 1, ... from
//
//	key = mix(seed + (m+1)·γ),  u_j = mix(key + (j+1)·γ)
//
// in uint64 arithmetic modulo 2⁶⁴, with γ = 0x9E3779B97F4A7C15 and mix the
// SplitMix64 finaliser
//
//	z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27; z *= 0x94D049BB133111EB; z ^= z >> 31
//
// A real element is (u >> 11)·2⁻⁵³·2 − 1, uniform in [-1, 1) and exact in
// float64, then rounded to T. An integer element is u mod hi, where hi is
// the smallest of the sizes in the input's Limits (the label indexes them)
// or, for a label that is only compared, max(2, n/4), n being its first
// dimension (so that batch losses see every identity about four times).
func BenchInputs[T lossrt.Float](info lossrt.Info, dims map[string]int, seed uint64) (map[string][]T, map[string][]int, error) {
	reals, ints := map[string][]T{}, map[string][]int{}
	for m, in := range info.Inputs {
		n, err := elementCount(in, dims)
		if err != nil {
			return nil, nil, err
		}
		key := mix64(seed + uint64(m+1)*golden)
		if !in.Int {
			xs := make([]T, n)
			for j := range xs {
				u := mix64(key + uint64(j+1)*golden)
				xs[j] = T(float64(u>>11)*0x1p-53*2 - 1)
			}
			reals[in.Name] = xs
			continue
		}
		hi := 0
		for _, l := range in.Limits {
			if d := dims[l]; hi == 0 || d < hi {
				hi = d
			}
		}
		if len(in.Limits) == 0 {
			first := 0
			if len(in.Shape) > 0 {
				first = dims[in.Shape[0]]
			}
			hi = max(2, first/4)
		}
		if hi <= 0 {
			return nil, nil, fmt.Errorf("input %s: no valid label value", in.Name)
		}
		xs := make([]int, n)
		for j := range xs {
			xs[j] = int(mix64(key+uint64(j+1)*golden) % uint64(hi))
		}
		ints[in.Name] = xs
	}
	return reals, ints, nil
}

const golden = 0x9E3779B97F4A7C15

func mix64(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xBF58476D1CE4E5B9
	z ^= z >> 27
	z *= 0x94D049BB133111EB
	return z ^ (z >> 31)
}
