// Command compare times every spec's generated kernel against the same
// loss in PyTorch at its best and writes BENCHMARKS.md.
//
// Run it from the repository root, on an otherwise idle machine, with
// Debian's python3-torch and OpenBLAS (apt-get install python3-torch
// libopenblas0-pthread; the netlib reference BLAS makes a weak peer):
//
//	go run ./bench/compare -out BENCHMARKS.md          # the full grid (hours)
//	go run ./bench/compare -quick -out BENCHMARKS.md   # N ∈ {64, 256}, D ∈ {128, 2048}
//
// Before timing anything it checks that PyTorch's fast references
// (bench/compare/torch_fast.py) compute the same losses and gradients as the
// clarity references of tools/reference/gen_vectors.py, and stops if one
// does not. Then it measures the machine's limits: one- and two-core copy
// bandwidth at working sets of 1 to 64 MiB, and the best matrix-multiply
// rate (lossrt.Gemm, and OpenBLAS on every core type).
//
// For every spec in specs/, float32 and float64, and every cell of the grid
// N ∈ {32, 64, 128, 256} × D ∈ {128, 512, 2048}, C = 751 (cells differing
// only in a size the spec does not have collapse into one), it runs
//
//   - lossgen bench -json (in-process, through the same code as the
//     command) with the machine's limits: the generated Grad, forward and
//     backward, median ns per call, and its roofline fraction;
//   - bench/compare/torch_bench.py, the loss in torch_fast.py, forward and
//     backward per step, at one and two threads, in one process per
//     OpenBLAS configuration (see peer.go): the cell's PyTorch time is the
//     best of them all, and the table names the configuration that won.
//
// Both sides draw the very same inputs from the same seed (the generator of
// rundriver.BenchInputs, reimplemented in numpy), and the table notes whether
// their losses agree. Sizes other than N, D and C: hetero_center's M = N and
// U = max(2, N/4); softtriple's K = 10 centres per class (the paper's);
// moco's queue and xbm's memory Q = 4096. compare is not part of CI and no
// test runs it.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/internal/cli"
	"github.com/lossgen/lossgen/ir"
)

func main() {
	quick := flag.Bool("quick", false, "reduced grid: N ∈ {64, 256}, D ∈ {128, 2048}, -time 200ms")
	out := flag.String("out", "BENCHMARKS.md", "the Markdown file to write (- for standard output)")
	ns := flag.String("n", "32,64,128,256", "batch sizes N")
	ds := flag.String("d", "128,512,2048", "feature sizes D")
	cs := flag.String("c", "751", "class counts C")
	types := flag.String("type", "float32,float64", "element types")
	specGlob := flag.String("specs", "specs/*.loss", "the specs to run")
	minTime := flag.Duration("time", time.Second, "time each side of each cell for at least this long")
	python := flag.String("python", "/usr/bin/python3", "the Python with torch")
	note := flag.String("note", "", "a remark for the top of the file (e.g. that the machine was busy)")
	flag.Parse()
	if *quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["n"] {
			*ns = "64,256"
		}
		if !set["d"] {
			*ds = "128,2048"
		}
		if !set["time"] {
			*minTime = 200 * time.Millisecond
		}
	}
	g := grid{N: ints(*ns), D: ints(*ds), C: ints(*cs), Types: strings.Split(*types, ",")}
	if err := run(g, *specGlob, *minTime, *python, *out, *quick, *note, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "compare: %q: want positive integers separated by commas\n", s)
			os.Exit(2)
		}
		out = append(out, n)
	}
	return out
}

type grid struct {
	N, D, C []int
	Types   []string
}

// specInfo is what both sides need to know about a spec.
type specInfo struct {
	Name   string
	Path   string
	Sizes  []string
	Inputs []inputDesc
	Prog   *ir.Program // the built spec, for its compulsory traffic
}

// inputDesc describes an input to the Python side, which draws it the way
// rundriver.BenchInputs does.
type inputDesc struct {
	Name   string   `json:"name"`
	Shape  []string `json:"shape"`
	Int    bool     `json:"int"`
	Diff   bool     `json:"diff"`
	Limits []string `json:"limits"`
}

func loadSpec(path string) (specInfo, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return specInfo{}, err
	}
	p, err := compiler.Build(path, src)
	if err != nil {
		return specInfo{}, err
	}
	info := specInfo{Name: p.Name, Path: path, Prog: p}
	for _, s := range p.Sizes {
		info.Sizes = append(info.Sizes, s.Name)
	}
	for _, t := range p.Inputs {
		d := inputDesc{Name: t.Name, Int: t.Int, Diff: t.Diff, Shape: []string{}, Limits: []string{}}
		for _, s := range t.Shape {
			d.Shape = append(d.Shape, s.Name)
		}
		d.Limits = limits(p, t)
		info.Inputs = append(info.Inputs, d)
	}
	return info, nil
}

// limits lists the sizes an integer input subscripts, as Info.Limits does.
func limits(p *ir.Program, t *ir.Tensor) []string {
	out := []string{}
	for _, g := range p.Gathers {
		if g.Index == t && !slices.Contains(out, g.Range.Name) {
			out = append(out, g.Range.Name)
		}
	}
	return out
}

// cells lists the distinct size bindings of the grid for a spec: sizes it
// does not have collapse. Sizes other than N, D and C are derived from N
// (M, U) or fixed (K, Q), as the package comment says; any other is N.
func cells(sizes []string, g grid) []map[string]int {
	var out []map[string]int
	seen := map[string]bool{}
	for _, n := range g.N {
		for _, d := range g.D {
			for _, c := range g.C {
				all := map[string]int{"N": n, "D": d, "C": c, "M": n, "U": max(2, n/4), "K": 10, "Q": 4096}
				cell := map[string]int{}
				var key []string
				for _, s := range sizes {
					v, ok := all[s]
					if !ok {
						v = n
					}
					cell[s] = v
					key = append(key, fmt.Sprintf("%s=%d", s, v))
				}
				if k := strings.Join(key, ","); !seen[k] {
					seen[k] = true
					out = append(out, cell)
				}
			}
		}
	}
	return out
}

func dimsString(sizes []string, dims map[string]int) string {
	var parts []string
	for _, s := range sizes {
		parts = append(parts, fmt.Sprintf("%s=%d", s, dims[s]))
	}
	return strings.Join(parts, ",")
}

// result is one row of the tables.
type result struct {
	Spec, Type  string
	New         bool // in the new-variant suite
	Dims        map[string]int
	Sizes       []string
	LossgenNs   float64
	Allocs      uint64
	Gflops      float64
	Roofline    float64 // lossgen's roofline fraction
	LossgenLoss *float64
	TorchNs     peerTimes // by configuration
	TorchLoss   *float64
	TorchErr    string
}

// torchBest is the best of PyTorch's configurations, 0 if none ran.
func (r result) torchBest() float64 {
	_, ns := r.TorchNs.best()
	return ns
}

// ratio is lossgen's time over PyTorch's best, 0 if either is missing.
func (r result) ratio() float64 {
	best := r.torchBest()
	if best <= 0 || r.LossgenNs <= 0 {
		return 0
	}
	return r.LossgenNs / best
}

// lossAgrees compares the two sides' losses: within 1e-3 relative in
// float32 (the order of summation differs), 1e-9 in float64.
func (r result) lossAgrees() (agree, known bool) {
	if r.LossgenLoss == nil || r.TorchLoss == nil {
		return false, false
	}
	a, b := *r.LossgenLoss, *r.TorchLoss
	tol := 1e-9
	if r.Type == "float32" {
		tol = 1e-3
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b))), true
}

func run(g grid, specGlob string, minTime time.Duration, python, out string, quick bool, note string, args []string) error {
	if _, err := os.Stat(filepath.Join("bench", "compare", "torch_bench.py")); err != nil {
		return errors.New("run compare from the repository root (bench/compare/torch_bench.py not found)")
	}
	paths, err := filepath.Glob(specGlob)
	if err != nil || len(paths) == 0 {
		return fmt.Errorf("no specs match %q", specGlob)
	}
	slices.Sort(paths)
	if err := checkFastReferences(python); err != nil {
		return err
	}
	m := describeMachine(python)
	started := time.Now()
	p, err := startPeer(python)
	if err != nil {
		return err
	}
	defer p.close()
	var cores []string
	for _, c := range p.cores {
		cores = append(cores, c.label())
	}
	m.Cores4BLAS = strings.Join(cores, ", ")
	fmt.Fprintf(os.Stderr, "compare: PyTorch runs on OpenBLAS %s, at 1 and 2 threads each\n", m.Cores4BLAS)

	// The machine's limits first: the matrix-multiply reference at softmax's
	// largest FC layer shapes (which also gives the GEMM peak), and copy
	// bandwidth.
	var shapes []matmulShape
	for _, n := range []int{64, slices.Max(g.N)} {
		for _, c := range g.C {
			shapes = append(shapes, matmulShape{M: n, N: c, K: slices.Max(g.D)})
		}
	}
	shapes = slices.CompactFunc(shapes, func(a, b matmulShape) bool { return a == b })
	mm, err := matmulRun(shapes, g.Types, minTime, p)
	if err != nil {
		return err
	}
	for _, r := range mm {
		cfg, ns := r.TorchNs.best()
		fmt.Fprintf(os.Stderr, "matmul %d×%d×%d %s: lossgen %.1f / %.1f GFLOP/s (1 / 2 workers), BLAS best %.1f (%s)\n",
			r.Shape.M, r.Shape.N, r.Shape.K, r.Type, r.gflops(r.GoNs[1]), r.gflops(r.GoNs[2]), r.gflops(ns), cfg)
	}
	lim := measureLimits(mm, minTime)
	for _, row := range lim.Bandwidth {
		fmt.Fprintf(os.Stderr, "copy %d MiB: %.1f GB/s on 1 core, %.1f on 2\n", row.Bytes>>20, row.GBs[1], row.GBs[2])
	}

	newSuite := map[string]bool{}
	for _, n := range newVariants {
		newSuite[n] = true
	}
	var results []result
	for _, path := range paths {
		info, err := loadSpec(path)
		if err != nil {
			return err
		}
		for _, typ := range g.Types {
			for _, dims := range cells(info.Sizes, g) {
				ds := dimsString(info.Sizes, dims)
				r := result{Spec: info.Name, Type: typ, New: newSuite[info.Name], Dims: dims, Sizes: info.Sizes}
				rep, err := lossgenBench(info, typ, dims, minTime, lim)
				if err != nil {
					return fmt.Errorf("%s %s %s: %v", info.Name, typ, ds, err)
				}
				r.LossgenNs, r.Allocs, r.Gflops, r.LossgenLoss, r.Roofline = rep.NsPerStep, rep.AllocsPerStep, rep.Gflops, rep.Loss, rep.RooflineFraction
				times, a, err := p.bench(torchJob{Spec: info.Name, Type: typ, Dims: dims, Inputs: info.Inputs,
					Seed: 1, TimeS: minTime.Seconds(), Threads: []int{1, 2}})
				if err != nil {
					return fmt.Errorf("%s %s %s: torch: %v", info.Name, typ, ds, err)
				}
				r.TorchNs, r.TorchLoss, r.TorchErr = times, a.Loss, a.Error
				cfg, best := times.best()
				fmt.Fprintf(os.Stderr, "%-24s %s %-28s lossgen %12.0f ns/step, torch %12.0f (%s), ratio %s, roofline %.3f%s\n",
					info.Name, typ, ds, r.LossgenNs, best, cfg, fmtRatio(r), r.Roofline, r.TorchErr)
				if agree, known := r.lossAgrees(); known && !agree {
					fmt.Fprintf(os.Stderr, "compare: warning: %s %s %s: lossgen's loss %v, torch's %v\n",
						info.Name, typ, ds, *r.LossgenLoss, *r.TorchLoss)
				}
				results = append(results, r)
			}
		}
	}

	// The pairwise-distance reference at the triplet losses' largest shapes.
	var pshapes []pairShape
	for _, n := range []int{64, slices.Max(g.N)} {
		pshapes = append(pshapes, pairShape{N: n, D: slices.Max(g.D)})
	}
	pshapes = slices.Compact(pshapes)
	pd, err := pairRun(pshapes, g.Types, minTime, python)
	if err != nil {
		return err
	}
	for _, r := range pd {
		fmt.Fprintf(os.Stderr, "pairwise %d×%d %s: lossgen %.1f / %.1f GFLOP/s (1 / 2 workers), BLAS X·Xᵀ %.1f / %.1f\n",
			r.Shape.N, r.Shape.D, r.Type, r.gflops(r.GoNs[1]), r.gflops(r.GoNs[2]), r.gemmGflops(r.GemmNs[1]), r.gemmGflops(r.GemmNs[2]))
	}

	var buf bytes.Buffer
	writeMarkdown(&buf, results, mm, pd, lim, m, report{
		Quick: quick, Note: note, Args: args, Grid: g, MinTime: minTime,
		Started: started, Took: time.Since(started),
	})
	if out == "-" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// newVariants is the new-variant suite: losses written from their papers
// after the compiler's optimisations, committed before any tuning touched
// them (see the specs' commit), and reported in a table of their own.
var newVariants = []string{"align_uniform", "angular", "barlow_twins", "clip", "cos_triplet", "hap2s", "kd",
	"moco", "ntxent", "proxy_nca", "ranked_list", "softtriple", "vicreg", "xbm"}

// checkFastReferences runs torch_fast.py --check: every fast reference must
// compute its clarity twin's loss and gradients before anything is timed.
func checkFastReferences(python string) error {
	cmd := exec.Command(python, filepath.Join("bench", "compare", "torch_fast.py"), "--check")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("the fast PyTorch references disagree with the clarity ones, or could not run (%v):\n%s%s", err, out, stderr.String())
	}
	fmt.Fprint(os.Stderr, "compare: ", string(out))
	return nil
}

// benchReport is the part of lossgen bench -json that compare reads.
type benchReport struct {
	NsPerStep        float64  `json:"ns_per_step"`
	AllocsPerStep    uint64   `json:"allocs_per_step"`
	Gflops           float64  `json:"gflops"`
	Loss             *float64 `json:"loss"`
	BytesPerStep     float64  `json:"bytes_per_step"`
	RooflineFraction float64  `json:"roofline_fraction"`
}

// lossgenBench runs lossgen bench -json on one cell, with the machine's
// limits for the roofline: the copy bandwidth at the kernel's working set
// (its compulsory traffic, compiler.Bytes, depends on the sizes alone) and
// the type's GEMM peak.
func lossgenBench(info specInfo, typ string, dims map[string]int, minTime time.Duration, lim machineLimits) (benchReport, error) {
	elem := 8
	if typ == "float32" {
		elem = 4
	}
	traffic, err := compiler.Bytes(info.Prog, dims, elem)
	if err != nil {
		return benchReport{}, err
	}
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"bench", "-json", "-type", typ, "-dims", dimsString(info.Sizes, dims), "-time", minTime.String(),
		"-bandwidth", strconv.FormatFloat(lim.bandwidthFor(traffic.Total()), 'g', -1, 64),
		"-peak", strconv.FormatFloat(lim.Peak[typ], 'g', -1, 64), info.Path},
		&cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	if code != 0 {
		return benchReport{}, fmt.Errorf("lossgen bench: exit %d: %s", code, strings.TrimSpace(stderr.String()))
	}
	var rep benchReport
	err = json.Unmarshal(stdout.Bytes(), &rep)
	return rep, err
}

// torchJob is one cell for torch_bench.py.
type torchJob struct {
	Spec    string         `json:"spec"`
	Type    string         `json:"type"`
	Dims    map[string]int `json:"dims"`
	Inputs  []inputDesc    `json:"inputs"`
	Seed    uint64         `json:"seed"`
	TimeS   float64        `json:"time_s"`
	Threads []int          `json:"threads"`
	// Matmul, when set, asks for the matrix-multiply reference instead of
	// a loss.
	Matmul *matmulShape `json:"matmul,omitempty"`
	// Cdist, when set, asks for torch.cdist of an N×D matrix with itself.
	Cdist *pairShape `json:"cdist,omitempty"`
	// Ping asks only for the versions and the BLAS core in use.
	Ping bool `json:"ping,omitempty"`
}

type torchAnswer struct {
	Ns      map[string]float64 `json:"ns"` // by thread count
	Loss    *float64           `json:"loss"`
	Error   string             `json:"error"`
	Version string             `json:"torch"`
	BLAS    string             `json:"blas"` // openblas_get_corename, "" if not OpenBLAS
}

// torchWorker is a running torch_bench.py: one JSON job per line in, one
// JSON answer per line out.
type torchWorker struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

func startTorch(python string) (*torchWorker, error) { return startTorchEnv(python, "") }

// startTorchEnv starts torch_bench.py with OpenBLAS forced to a core type
// (force), or configuring itself (force == "").
func startTorchEnv(python, force string) (*torchWorker, error) {
	cmd := exec.Command(python, filepath.Join("bench", "compare", "torch_bench.py"))
	cmd.Env = torchEnv(force)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 1<<20)
	return &torchWorker{cmd: cmd, in: in, out: sc}, nil
}

func (w *torchWorker) bench(job torchJob) (torchAnswer, error) {
	line, err := json.Marshal(job)
	if err != nil {
		return torchAnswer{}, err
	}
	if _, err := w.in.Write(append(line, '\n')); err != nil {
		return torchAnswer{}, err
	}
	if !w.out.Scan() {
		if err := w.out.Err(); err != nil {
			return torchAnswer{}, err
		}
		return torchAnswer{}, errors.New("torch_bench.py stopped without answering")
	}
	var a torchAnswer
	if err := json.Unmarshal(w.out.Bytes(), &a); err != nil {
		return torchAnswer{}, fmt.Errorf("reading %q: %v", w.out.Text(), err)
	}
	return a, nil
}

func (w *torchWorker) close() error {
	w.in.Close()
	return w.cmd.Wait()
}

// machine describes where the benchmarks ran.
type machine struct {
	CPU, Flags, Go, Torch, BLAS, Load string
	Cores                             int
	Cores4BLAS                        string // the OpenBLAS configurations of the peer
}

func describeMachine(python string) machine {
	m := machine{CPU: "unknown", Go: runtime.Version(), Torch: "unknown", BLAS: "unknown", Cores: runtime.NumCPU()}
	cpu := readCPUInfo()
	if cpu.Model != "" {
		m.CPU = cpu.Model
	}
	var simd []string
	for _, f := range []string{"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512_bf16"} {
		if cpu.Flags[f] {
			simd = append(simd, f)
		}
	}
	m.Flags = strings.Join(simd, " ")
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	// The BLAS torch loaded decides its matrix-multiply speed: Debian's
	// torch uses whatever libblas.so.3 the alternatives system points at.
	const probe = `import re, torch
print(torch.__version__)
libs = sorted(set(re.findall(r"/\S*/lib(?:blas|openblas|mkl\w*|blis)\S*", open("/proc/self/maps").read())))
print(", ".join(libs) or "none found")`
	if out, err := exec.Command(python, "-c", probe).Output(); err == nil {
		if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) == 2 {
			m.Torch, m.BLAS = lines[0], lines[1]
			if strings.Contains(m.BLAS, "/blas/libblas.so") {
				m.BLAS += " (Debian's netlib reference BLAS, no SIMD kernels: install OpenBLAS for a fair matrix-multiply comparison)"
			}
		}
	}
	return m
}

type report struct {
	Quick   bool
	Note    string
	Args    []string
	Grid    grid
	MinTime time.Duration
	Started time.Time
	Took    time.Duration
}

func joinInts(xs []int) string {
	var s []string
	for _, x := range xs {
		s = append(s, strconv.Itoa(x))
	}
	return strings.Join(s, ", ")
}

func writeMarkdown(w io.Writer, results []result, mm []matmulResult, pd []pairResult, lim machineLimits, m machine, rep report) {
	fmt.Fprintf(w, "# Benchmarks\n\n")
	fmt.Fprintf(w, "<!-- Generated by go run ./bench/compare %s; DO NOT EDIT. -->\n\n", strings.Join(rep.Args, " "))
	if rep.Quick {
		fmt.Fprintf(w, "> **Quick run** (`-quick`: N ∈ {%s}, D ∈ {%s}, at least %v per cell, side and configuration), not the full grid.\n",
			joinInts(rep.Grid.N), joinInts(rep.Grid.D), rep.MinTime)
	}
	if rep.Note != "" {
		fmt.Fprintf(w, "> %s\n", rep.Note)
	}
	if rep.Quick || rep.Note != "" {
		fmt.Fprintf(w, ">\n> Regenerate the full table (N ∈ {32, 64, 128, 256}, D ∈ {128, 512, 2048}, C = 751, 1s per cell, side and configuration) on an otherwise idle machine with\n>\n>     go run ./bench/compare -out BENCHMARKS.md\n\n")
	}
	fmt.Fprintf(w, "Machine: %s, %d cores (%s); Go %s; PyTorch %s (Debian python3-torch), BLAS %s, run as OpenBLAS configured itself and forced to each core type the CPU has (%s). Load average at the start: %s. %s, %v.\n\n",
		m.CPU, m.Cores, m.Flags, strings.TrimPrefix(m.Go, "go"), m.Torch, m.BLAS, m.Cores4BLAS, m.Load, rep.Started.UTC().Format("2006-01-02 15:04 UTC"), rep.Took.Round(time.Second))
	fmt.Fprint(w, `What is measured, per step: the loss and the gradient of every differentiable
input, forward and backward, on the same seeded inputs on both sides.

- **lossgen**: `+"`lossgen bench -json`"+`, the generated `+"`Grad`"+` on a workspace (its
  default workers: GOMAXPROCS), median ns per call over batches of calls.
- **PyTorch at its best**: `+"`bench/compare/torch_fast.py`"+`, the fastest form the
  anchor libraries write (Gram-matrix distances, vectorised masks, fused
  built-ins such as `+"`F.cross_entropy(label_smoothing=…)`"+`, `+"`F.linear`"+`, `+"`F.normalize`"+`
  and one product; no Python loop over samples), checked against the clarity
  references of `+"`tools/reference/gen_vectors.py`"+` (loss and every gradient to
  1e-6 relative in float64) before anything is timed. Eager mode,
  `+"`loss.backward()`"+` per step, median over batches, at 1 and 2 threads of torch and
  of OpenBLAS, in one process per OpenBLAS core type: the time is the best
  of all those configurations, and **PyTorch config** names the one that won.
- **ratio** is lossgen / PyTorch at its best: below 1, lossgen is faster.
- **roofline** is lossgen's time against the machine's limits (see below):
  max(bytes / bandwidth, flops / peak) over the measured time.
- **loss** is ✓ where both sides computed the same loss (1e-3 relative in
  float32, 1e-9 in float64), a sign that they did the same work.
- Labels: uniform over the classes where they index (C), else over max(2, N/4)
  identities. hetero_center runs with M = N and U = max(2, N/4), softtriple
  with K = 10 centres per class, moco's queue and xbm's memory with Q = 4096.

`)
	writeLimits(w, lim)
	var shipped, suite []result
	for _, r := range results {
		if r.New {
			suite = append(suite, r)
		} else {
			shipped = append(shipped, r)
		}
	}
	writeTable(w, "The shipped specs", "the 18 specs written together with the compiler's optimisations", shipped)
	writeTable(w, "The new-variant suite", "losses written from their papers after the optimisations, by the rules of a user: committed before any tuning touched them and never reshaped since", suite)
	writeWinners(w, results)
	writeMatmul(w, mm)
	writePairDist(w, pd)
}

// summary is a table's geometric mean and worst ratio.
type summary struct {
	Geomean   float64
	Worst     result
	Cells     int
	AtMostOne int // cells where lossgen is at least as fast
}

func summarize(rs []result) summary {
	var s summary
	logSum := 0.0
	for _, r := range rs {
		q := r.ratio()
		if q <= 0 {
			continue
		}
		logSum += math.Log(q)
		s.Cells++
		if q <= 1 {
			s.AtMostOne++
		}
		if q > s.Worst.ratio() {
			s.Worst = r
		}
	}
	if s.Cells > 0 {
		s.Geomean = math.Exp(logSum / float64(s.Cells))
	}
	return s
}

func writeTable(w io.Writer, title, what string, rs []result) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(w, "## %s\n\n%s.\n\n", title, strings.ToUpper(what[:1])+what[1:])
	fmt.Fprint(w, "| spec | type | sizes | lossgen ns/step | allocs | PyTorch best ns/step | PyTorch config | ratio | roofline | loss |\n|---|---|---|---:|---:|---:|---|---:|---:|:-:|\n")
	for _, r := range rs {
		agree := "✗"
		if ok, known := r.lossAgrees(); !known {
			agree = "?"
		} else if ok {
			agree = "✓"
		}
		cfg, best := r.TorchNs.best()
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %s | %s | %s | %.3f | %s |\n", r.Spec, r.Type, dimsString(r.Sizes, r.Dims),
			fmtNs(r.LossgenNs), r.Allocs, fmtNs(best), cfg, fmtRatio(r), r.Roofline, agree)
		if r.TorchErr != "" {
			fmt.Fprintf(w, "\ntorch failed on %s %s %s: %s\n\n", r.Spec, r.Type, dimsString(r.Sizes, r.Dims), r.TorchErr)
		}
	}
	s := summarize(rs)
	if s.Cells > 0 {
		fmt.Fprintf(w, "\n**%s: geometric mean of the ratio %.2f over %d cells; worst %.2f (%s %s %s); %d cells at or below 1.0.**\n\n",
			title, s.Geomean, s.Cells, s.Worst.ratio(), s.Worst.Spec, s.Worst.Type, dimsString(s.Worst.Sizes, s.Worst.Dims), s.AtMostOne)
		sorted := slices.Clone(rs)
		slices.SortStableFunc(sorted, func(a, b result) int { return cmp.Compare(b.ratio(), a.ratio()) })
		var worst []string
		for _, r := range sorted[:min(5, len(sorted))] {
			worst = append(worst, fmt.Sprintf("%s %s %s (%.2f)", r.Spec, r.Type, dimsString(r.Sizes, r.Dims), r.ratio()))
		}
		fmt.Fprintf(w, "The five worst cells: %s.\n\n", strings.Join(worst, "; "))
	}
}

// writeWinners counts, over every cell, which PyTorch configuration won.
func writeWinners(w io.Writer, rs []result) {
	wins := map[string]int{}
	for _, r := range rs {
		if cfg, _ := r.TorchNs.best(); cfg != "" {
			wins[cfg]++
		}
	}
	if len(wins) == 0 {
		return
	}
	var cfgs []string
	for k := range wins {
		cfgs = append(cfgs, k)
	}
	slices.SortFunc(cfgs, func(a, b string) int {
		if wins[a] != wins[b] {
			return wins[b] - wins[a]
		}
		return strings.Compare(a, b)
	})
	fmt.Fprint(w, "## Which PyTorch configuration won\n\n| configuration | cells won |\n|---|---:|\n")
	for _, k := range cfgs {
		fmt.Fprintf(w, "| %s | %d |\n", k, wins[k])
	}
	fmt.Fprintln(w)
}

func fmtNs(ns float64) string {
	if ns <= 0 {
		return "—"
	}
	return strconv.FormatFloat(math.Round(ns), 'f', 0, 64)
}

func fmtRatio(r result) string {
	best := r.torchBest()
	if best <= 0 || r.LossgenNs <= 0 {
		return "—"
	}
	ratio := r.LossgenNs / best
	if ratio <= 1 {
		return fmt.Sprintf("%.2f", ratio)
	}
	return fmt.Sprintf("**%.2f**", ratio)
}
