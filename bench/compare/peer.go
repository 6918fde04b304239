package main

// PyTorch at its best configuration. OpenBLAS picks its kernels by the core
// it detects, and a core it does not know falls back to old SSE3 kernels
// (seen on Sapphire Rapids with OpenBLAS 0.3.21: sgemm at a quarter of its
// speed), so the peer runs once per core type the CPU can execute, each in
// its own torch_bench.py process with OPENBLAS_CORETYPE set in that
// process's environment only, and once as OpenBLAS configures itself. Each
// process times every cell at one and two threads; a cell's PyTorch time is
// the minimum over all of them, and the winning configuration is recorded.

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// blasCore is one OpenBLAS configuration: Force is the OPENBLAS_CORETYPE
// value, "" for the library's own detection.
type blasCore struct {
	Force string
	Name  string // what openblas_get_corename reported in that process
}

func (c blasCore) label() string {
	if c.Force == "" {
		if c.Name == "" {
			return "detected"
		}
		return c.Name + " (detected)"
	}
	return c.Force
}

// coreCandidates are the core types worth forcing on this CPU: those whose
// instructions its flags show, newest first within a vendor.
func coreCandidates(flags map[string]bool, vendor string) []string {
	var out []string
	avx512 := flags["avx512f"] && flags["avx512bw"] && flags["avx512vl"] && flags["avx512dq"] && flags["avx512cd"]
	if avx512 && flags["avx512_bf16"] {
		out = append(out, "Cooperlake")
	}
	if avx512 {
		out = append(out, "SkylakeX")
	}
	if flags["avx2"] && flags["fma"] {
		if vendor == "AuthenticAMD" {
			out = append(out, "Zen")
		}
		out = append(out, "Haswell")
	}
	return out
}

// cpuInfo is what /proc/cpuinfo says of the first processor.
type cpuInfo struct {
	Model, Vendor string
	Flags         map[string]bool
}

// readCPUInfo reads /proc/cpuinfo (empty where there is none).
func readCPUInfo() cpuInfo {
	c := cpuInfo{Flags: map[string]bool{}}
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return c
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
		case k == "model name" && c.Model == "":
			c.Model = v
		case k == "vendor_id" && c.Vendor == "":
			c.Vendor = v
		case k == "flags" && len(c.Flags) == 0:
			for _, f := range strings.Fields(v) {
				c.Flags[f] = true
			}
		}
	}
	return c
}

// peer is the set of torch processes, one per configuration.
type peer struct {
	cores   []blasCore
	workers []*torchWorker
}

// startPeer starts the detected configuration first, asks it which core it
// chose, and then one process per candidate core type other than that one.
func startPeer(python string) (*peer, error) {
	p := &peer{}
	detected, err := startTorchEnv(python, "")
	if err != nil {
		return nil, err
	}
	a, err := detected.bench(torchJob{Ping: true})
	if err != nil {
		detected.close()
		return nil, fmt.Errorf("torch_bench.py: %v", err)
	}
	p.cores = append(p.cores, blasCore{Name: a.BLAS})
	p.workers = append(p.workers, detected)
	cpu := readCPUInfo()
	for _, force := range coreCandidates(cpu.Flags, cpu.Vendor) {
		if strings.EqualFold(force, a.BLAS) {
			continue // the same kernels as the detected configuration
		}
		w, err := startTorchEnv(python, force)
		if err != nil {
			p.close()
			return nil, err
		}
		b, err := w.bench(torchJob{Ping: true})
		if err != nil {
			w.close()
			p.close()
			return nil, fmt.Errorf("torch_bench.py with OPENBLAS_CORETYPE=%s: %v", force, err)
		}
		p.cores = append(p.cores, blasCore{Force: force, Name: b.BLAS})
		p.workers = append(p.workers, w)
	}
	return p, nil
}

// torchEnv is this process's environment for a torch worker: the OpenBLAS
// settings of the workplace (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) removed,
// and OPENBLAS_CORETYPE=force added when force is set.
func torchEnv(force string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") || strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") {
			continue
		}
		env = append(env, kv)
	}
	if force != "" {
		env = append(env, "OPENBLAS_CORETYPE="+force)
	}
	return env
}

func (p *peer) close() error {
	var first error
	for _, w := range p.workers {
		if err := w.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// peerTimes are one cell's PyTorch times by configuration label
// ("SkylakeX, 2 threads").
type peerTimes map[string]float64

func threadsLabel(t int) string {
	if t == 1 {
		return "1 thread"
	}
	return fmt.Sprintf("%d threads", t)
}

// bench runs job on every configuration. The loss and error come from the
// first (detected) process; the times from all.
func (p *peer) bench(job torchJob) (peerTimes, torchAnswer, error) {
	times := peerTimes{}
	var first torchAnswer
	for i, w := range p.workers {
		a, err := w.bench(job)
		if err != nil {
			return nil, torchAnswer{}, fmt.Errorf("%s: %v", p.cores[i].label(), err)
		}
		if i == 0 {
			first = a
		}
		for t, ns := range byThreads(a) {
			if ns > 0 {
				times[p.cores[i].label()+", "+threadsLabel(t)] = ns
			}
		}
	}
	return times, first, nil
}

// best is the fastest configuration and its time ("", 0 if none ran).
func (t peerTimes) best() (string, float64) {
	bestK, bestNs := "", 0.0
	for _, k := range t.labels() { // sorted: ties go to the first label
		if ns := t[k]; ns > 0 && (bestNs == 0 || ns < bestNs) {
			bestK, bestNs = k, ns
		}
	}
	return bestK, bestNs
}

// labels lists the configurations measured, sorted.
func (t peerTimes) labels() []string {
	var out []string
	for k := range t {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
