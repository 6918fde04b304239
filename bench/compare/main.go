// Command compare times every shipped spec's generated kernel against the
// same loss in PyTorch and writes BENCHMARKS.md.
//
// Run it from the repository root:
//
//	go run ./bench/compare -out BENCHMARKS.md          # the full grid (about an hour)
//	go run ./bench/compare -quick -out BENCHMARKS.md   # a reduced grid (a few minutes)
//
// For every spec in specs/, float32 and float64, and every cell of the grid
// N ∈ {32, 64, 128, 256} × D ∈ {128, 512, 2048}, C = 751 (cells differing
// only in a size the spec does not have collapse into one), it runs
//
//   - lossgen bench -json (in-process, through the same code as the
//     command): the generated Grad, forward and backward, median ns per call;
//   - bench/compare/torch_bench.py, the loss as written in
//     tools/reference/gen_vectors.py, forward and backward per step, with
//     torch.set_num_threads(1) and (2), median ns per step for each.
//
// Both sides draw the very same inputs from the same seed (the generator of
// rundriver.BenchInputs, reimplemented in numpy), and the table notes whether
// their losses agree. hetero_center's extra sizes are M = N and
// U = max(2, N/4). compare is not part of CI and no test runs it.
package main

import (
	"bufio"
	"bytes"
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
	quick := flag.Bool("quick", false, "reduced grid: N ∈ {32, 128}, D ∈ {128, 2048}, -time 200ms")
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
			*ns = "32,128"
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
	info := specInfo{Name: p.Name, Path: path}
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
// does not have collapse. Sizes other than N, D and C are derived from N.
func cells(sizes []string, g grid) []map[string]int {
	var out []map[string]int
	seen := map[string]bool{}
	for _, n := range g.N {
		for _, d := range g.D {
			for _, c := range g.C {
				all := map[string]int{"N": n, "D": d, "C": c, "M": n, "U": max(2, n/4)}
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
	Dims        map[string]int
	Sizes       []string
	LossgenNs   float64
	Allocs      uint64
	Gflops      float64
	LossgenLoss *float64
	TorchNs     map[int]float64 // by thread count; 0 if it failed
	TorchLoss   *float64
	TorchErr    string
}

// torchBest is the best of PyTorch's thread settings, 0 if none ran.
func (r result) torchBest() float64 {
	best := 0.0
	for _, ns := range r.TorchNs {
		if ns > 0 && (best == 0 || ns < best) {
			best = ns
		}
	}
	return best
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
	m := describeMachine(python)
	started := time.Now()

	var results []result
	for _, path := range paths {
		info, err := loadSpec(path)
		if err != nil {
			return err
		}
		torch, err := startTorch(python)
		if err != nil {
			return err
		}
		var rows []result
		for _, typ := range g.Types {
			for _, dims := range cells(info.Sizes, g) {
				ds := dimsString(info.Sizes, dims)
				r := result{Spec: info.Name, Type: typ, Dims: dims, Sizes: info.Sizes, TorchNs: map[int]float64{}}
				rep, err := lossgenBench(path, typ, ds, minTime)
				if err != nil {
					torch.close()
					return fmt.Errorf("%s %s %s: %v", info.Name, typ, ds, err)
				}
				r.LossgenNs, r.Allocs, r.Gflops, r.LossgenLoss = rep.NsPerStep, rep.AllocsPerStep, rep.Gflops, rep.Loss
				a, err := torch.bench(torchJob{Spec: info.Name, Type: typ, Dims: dims, Inputs: info.Inputs,
					Seed: 1, TimeS: minTime.Seconds(), Threads: []int{1, 2}})
				if err != nil {
					torch.close()
					return fmt.Errorf("%s %s %s: torch: %v", info.Name, typ, ds, err)
				}
				for k, ns := range a.Ns {
					t, _ := strconv.Atoi(k)
					r.TorchNs[t] = ns
				}
				r.TorchLoss, r.TorchErr = a.Loss, a.Error
				fmt.Fprintf(os.Stderr, "%-24s %s %-22s lossgen %12.0f ns/step, torch %12.0f (1 thread) %12.0f (2), ratio %s%s\n",
					info.Name, typ, ds, r.LossgenNs, r.TorchNs[1], r.TorchNs[2], fmtRatio(r), r.TorchErr)
				if agree, known := r.lossAgrees(); known && !agree {
					fmt.Fprintf(os.Stderr, "compare: warning: %s %s %s: lossgen's loss %v, torch's %v\n",
						info.Name, typ, ds, *r.LossgenLoss, *r.TorchLoss)
				}
				rows = append(rows, r)
			}
		}
		if err := torch.close(); err != nil {
			return fmt.Errorf("%s: torch_bench.py: %v", info.Name, err)
		}
		results = append(results, rows...)
	}

	// The matrix-multiply reference at softmax's largest FC layer shapes.
	var shapes []matmulShape
	for _, n := range []int{64, slices.Max(g.N)} {
		for _, c := range g.C {
			shapes = append(shapes, matmulShape{M: n, N: c, K: slices.Max(g.D)})
		}
	}
	shapes = slices.CompactFunc(shapes, func(a, b matmulShape) bool { return a == b })
	mm, err := matmulRun(shapes, g.Types, minTime, python)
	if err != nil {
		return err
	}
	for _, r := range mm {
		fmt.Fprintf(os.Stderr, "matmul %d×%d×%d %s: lossgen %.1f / %.1f GFLOP/s (1 / 2 workers), BLAS %.1f / %.1f\n",
			r.Shape.M, r.Shape.N, r.Shape.K, r.Type, r.gflops(r.GoNs[1]), r.gflops(r.GoNs[2]), r.gflops(r.TorchNs[1]), r.gflops(r.TorchNs[2]))
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
	writeMarkdown(&buf, results, mm, pd, m, report{
		Quick: quick, Note: note, Args: args, Grid: g, MinTime: minTime,
		Started: started, Took: time.Since(started),
	})
	if out == "-" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// benchReport is the part of lossgen bench -json that compare reads.
type benchReport struct {
	NsPerStep     float64  `json:"ns_per_step"`
	AllocsPerStep uint64   `json:"allocs_per_step"`
	Gflops        float64  `json:"gflops"`
	Loss          *float64 `json:"loss"`
}

func lossgenBench(spec, typ, dims string, minTime time.Duration) (benchReport, error) {
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"bench", "-json", "-type", typ, "-dims", dims, "-time", minTime.String(), spec},
		&cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	if code != 0 {
		return benchReport{}, fmt.Errorf("lossgen bench: exit %d: %s", code, strings.TrimSpace(stderr.String()))
	}
	var rep benchReport
	err := json.Unmarshal(stdout.Bytes(), &rep)
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
}

type torchAnswer struct {
	Ns      map[string]float64 `json:"ns"` // by thread count
	Loss    *float64           `json:"loss"`
	Error   string             `json:"error"`
	Version string             `json:"torch"`
}

// torchWorker is a running torch_bench.py: one JSON job per line in, one
// JSON answer per line out.
type torchWorker struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

func startTorch(python string) (*torchWorker, error) {
	cmd := exec.Command(python, filepath.Join("bench", "compare", "torch_bench.py"))
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
}

func describeMachine(python string) machine {
	m := machine{CPU: "unknown", Go: runtime.Version(), Torch: "unknown", BLAS: "unknown", Cores: runtime.NumCPU()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			switch {
			case !ok:
			case k == "model name" && m.CPU == "unknown":
				m.CPU = v
			case k == "flags" && m.Flags == "":
				var simd []string
				for _, f := range strings.Fields(v) {
					if slices.Contains([]string{"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512_bf16"}, f) {
						simd = append(simd, f)
					}
				}
				m.Flags = strings.Join(simd, " ")
			}
		}
	}
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

func writeMarkdown(w io.Writer, results []result, mm []matmulResult, pd []pairResult, m machine, rep report) {
	fmt.Fprintf(w, "# Benchmarks\n\n")
	fmt.Fprintf(w, "<!-- Generated by go run ./bench/compare %s; DO NOT EDIT. -->\n\n", strings.Join(rep.Args, " "))
	if rep.Quick {
		fmt.Fprintf(w, "> **Quick run** (`-quick`: N ∈ {%s}, D ∈ {%s}, at least %v per cell and side), not the full grid.\n",
			joinInts(rep.Grid.N), joinInts(rep.Grid.D), rep.MinTime)
	}
	if rep.Note != "" {
		fmt.Fprintf(w, "> %s\n", rep.Note)
	}
	if rep.Quick || rep.Note != "" {
		fmt.Fprintf(w, ">\n> Regenerate the full table (N ∈ {32, 64, 128, 256}, D ∈ {128, 512, 2048}, C = 751, 1s per cell and side) on an otherwise idle machine with\n>\n>     go run ./bench/compare -out BENCHMARKS.md\n\n")
	}
	fmt.Fprintf(w, "Machine: %s, %d cores (%s); Go %s; PyTorch %s (Debian python3-torch), BLAS %s. Load average at the start: %s. %s, %v.\n\n",
		m.CPU, m.Cores, m.Flags, strings.TrimPrefix(m.Go, "go"), m.Torch, m.BLAS, m.Load, rep.Started.UTC().Format("2006-01-02 15:04 UTC"), rep.Took.Round(time.Second))
	fmt.Fprint(w, `What is measured, per step: the loss and the gradient of every differentiable
input, forward and backward, on the same seeded inputs on both sides.

- **lossgen**: `+"`lossgen bench -json`"+`, the generated `+"`Grad`"+` on a workspace,
  median ns per call over batches of calls; allocs is heap allocations per call.
  GFLOP/s counts the operations of the compiled IR (`+"`compiler.Flops`"+`: a real
  +, -, *, / or function call is 1, times the loop trip counts).
- **torch**: the loss as written in `+"`tools/reference/gen_vectors.py`"+` (reference code written
  for clarity: `+"`pdist`"+` by explicit differences, multi_similarity and hetero_center
  loop in Python, as their original implementations do), eager mode,
  `+"`loss.backward()`"+` per step, median over batches, with `+"`torch.set_num_threads(1)`"+`
  and `+"`(2)`"+`. **ratio** is lossgen / the better of the two: below 1, lossgen is faster.
- **loss** is ✓ where both sides computed the same loss (1e-3 relative in float32,
  1e-9 in float64), a sign that they did the same work.
- Labels: uniform over the classes where they index (C), else over max(2, N/4)
  identities. hetero_center runs with M = N and U = max(2, N/4).

`)
	// Summary: the largest cell per spec and type.
	fmt.Fprintf(w, "## Summary (largest size of the run)\n\n| spec | type | sizes | lossgen ns/step | torch best ns/step | ratio |\n|---|---|---|---:|---:|---:|\n")
	for _, r := range largest(results) {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", r.Spec, r.Type, dimsString(r.Sizes, r.Dims),
			fmtNs(r.LossgenNs), fmtNs(r.torchBest()), fmtRatio(r))
	}
	fmt.Fprintln(w)
	writeMatmul(w, mm)
	writePairDist(w, pd)
	spec := ""
	typ := ""
	for _, r := range results {
		if r.Spec != spec {
			spec, typ = r.Spec, ""
			fmt.Fprintf(w, "## %s\n\n", spec)
		}
		if r.Type != typ {
			if typ != "" {
				fmt.Fprintln(w)
			}
			typ = r.Type
			fmt.Fprintf(w, "%s:\n\n| sizes | lossgen ns/step | allocs | GFLOP/s | torch 1 thread | torch 2 threads | ratio | loss |\n|---|---:|---:|---:|---:|---:|---:|:-:|\n", typ)
		}
		agree := "✗"
		if ok, known := r.lossAgrees(); !known {
			agree = "?"
		} else if ok {
			agree = "✓"
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.2f | %s | %s | %s | %s |\n", dimsString(r.Sizes, r.Dims), fmtNs(r.LossgenNs), r.Allocs, r.Gflops,
			fmtNs(r.TorchNs[1]), fmtNs(r.TorchNs[2]), fmtRatio(r), agree)
		if r.TorchErr != "" {
			fmt.Fprintf(w, "\ntorch failed on %s: %s\n\n", dimsString(r.Sizes, r.Dims), r.TorchErr)
		}
	}
	fmt.Fprintln(w)
}

// largest picks, per spec and type, the cell with the most work (the
// product of its sizes).
func largest(results []result) []result {
	var out []result
	idx := map[string]int{}
	work := func(r result) float64 {
		p := 1.0
		for _, v := range r.Dims {
			p *= float64(v)
		}
		return p
	}
	for _, r := range results {
		k := r.Spec + "/" + r.Type
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			out = append(out, r)
			continue
		}
		if work(r) > work(out[i]) {
			out[i] = r
		}
	}
	return out
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
