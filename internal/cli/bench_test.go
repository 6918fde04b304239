package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// benchMain runs lossgen bench in-process.
func benchMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(append([]string{"bench"}, args...), &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestBenchJSON(t *testing.T) {
	needGo(t)
	for _, tt := range []struct {
		spec, typ, dimsArg string
		dims               map[string]int
	}{
		// Labels only compared; C is not a size of the spec.
		{"batch_hard_triplet", "float32", "N=16,D=32,C=5", map[string]int{"N": 16, "D": 32}},
		// Labels as subscripts; flags after the spec.
		{"softmax", "float64", "N=8,D=16,C=5", map[string]int{"N": 8, "D": 16, "C": 5}},
	} {
		code, stdout, stderr := benchMain(t, "../../specs/"+tt.spec+".loss", "-json", "-time", "20ms", "-type", tt.typ, "-dims", tt.dimsArg)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", tt.spec, code, stderr)
		}
		if strings.Count(stdout, "\n") != 1 {
			t.Errorf("%s: want exactly one line, got %q", tt.spec, stdout)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(stdout), &fields); err != nil {
			t.Fatalf("%s: %v in %q", tt.spec, err, stdout)
		}
		for _, f := range []string{"spec", "type", "dims", "ns_per_step", "allocs_per_step", "gflops", "bytes_per_step", "roofline_fraction"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("%s: no field %q in %s", tt.spec, f, stdout)
			}
		}
		var rep benchReport
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Spec != tt.spec || rep.Type != tt.typ || len(rep.Dims) != len(tt.dims) {
			t.Errorf("%s: spec/type/dims %q %q %v, want %v", tt.spec, rep.Spec, rep.Type, rep.Dims, tt.dims)
		}
		for k, v := range tt.dims {
			if rep.Dims[k] != v {
				t.Errorf("%s: dims %v, want %v", tt.spec, rep.Dims, tt.dims)
			}
		}
		if rep.NsPerStep <= 0 || rep.NsPerStep > 1e9 || rep.Steps < 3 {
			t.Errorf("%s: ns_per_step %v over %d steps", tt.spec, rep.NsPerStep, rep.Steps)
		}
		if rep.AllocsPerStep != 0 {
			t.Errorf("%s: %d allocations per step, want 0", tt.spec, rep.AllocsPerStep)
		}
		if rep.Gflops <= 0 || rep.Gflops > 1000 || rep.FlopsPerStep <= 0 {
			t.Errorf("%s: gflops %v, flops_per_step %v", tt.spec, rep.Gflops, rep.FlopsPerStep)
		}
		if rep.Loss == nil || *rep.Loss <= 0 {
			t.Errorf("%s: loss %v, want a positive number", tt.spec, rep.Loss)
		}
		// The compulsory traffic is the inputs read and the gradients
		// written, from the IR: x[N, D] both ways and N labels for
		// batch-hard; x, w and b both ways and N labels for softmax.
		elem := map[string]float64{"float32": 4, "float64": 8}[tt.typ]
		n, d, c := float64(tt.dims["N"]), float64(tt.dims["D"]), float64(tt.dims["C"])
		want := 2*elem*n*d + 8*n
		if tt.spec == "softmax" {
			want = 2*elem*(n*d+c*d+c) + 8*n
		}
		if rep.BytesPerStep != want {
			t.Errorf("%s: bytes_per_step %v, want %v", tt.spec, rep.BytesPerStep, want)
		}
		if rep.BandwidthGBs <= 0 || rep.PeakGflops <= 0 {
			t.Errorf("%s: limits not measured: bandwidth %v GB/s, peak %v GFLOP/s", tt.spec, rep.BandwidthGBs, rep.PeakGflops)
		}
		bound := max(rep.BytesPerStep/rep.BandwidthGBs, rep.FlopsPerStep/rep.PeakGflops)
		if rep.RooflineFraction <= 0 || math.Abs(rep.RooflineFraction-bound/rep.NsPerStep) > 1e-9*bound/rep.NsPerStep {
			t.Errorf("%s: roofline_fraction %v, want %v", tt.spec, rep.RooflineFraction, bound/rep.NsPerStep)
		}
		if tt.spec == "batch_hard_triplet" && !strings.Contains(stderr, "-dims C=5 ignored") {
			t.Errorf("%s: no note about the unused sizes on stderr: %q", tt.spec, stderr)
		}
	}

	// The text form is one line.
	code, stdout, stderr := benchMain(t, "-time", "10ms", "-dims", "N=8,D=16,C=5", "../../specs/softmax.loss")
	line := regexp.MustCompile(`^softmax float64 N=8,D=16,C=5: \d+ ns/step, 0 allocs/step, [0-9.e+]+ GFLOP/s, [0-9.e+-]+ of the roofline\n$`)
	if code != 0 || !line.MatchString(stdout) {
		t.Errorf("text output: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// Limits given on the command line are the ones reported and used.
	code, stdout, stderr = benchMain(t, "-json", "-time", "10ms", "-dims", "N=8,D=16,C=5", "-bandwidth", "12.5", "-peak", "300", "../../specs/softmax.loss")
	var rep benchReport
	if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil {
		t.Fatalf("with -bandwidth and -peak: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if rep.BandwidthGBs != 12.5 || rep.PeakGflops != 300 {
		t.Errorf("limits %v GB/s, %v GFLOP/s reported, want the given 12.5 and 300", rep.BandwidthGBs, rep.PeakGflops)
	}
	if want := max(rep.BytesPerStep/12.5, rep.FlopsPerStep/300) / rep.NsPerStep; math.Abs(rep.RooflineFraction-want) > 1e-9*want {
		t.Errorf("roofline_fraction %v, want %v", rep.RooflineFraction, want)
	}
}

func TestBenchUsage(t *testing.T) {
	tests := []struct {
		args   []string
		stderr string
	}{
		{nil, "no spec given"},
		{[]string{"a.loss", "b.loss"}, "one spec at a time"},
		{[]string{"-peak", "-3", "a.loss"}, "-bandwidth and -peak: want positive finite numbers"},
		{[]string{"-type", "float16", "a.loss"}, `-type "float16": want float32 or float64`},
		{[]string{"-time", "0s", "a.loss"}, "-time 0s"},
		{[]string{"-time", "soon", "a.loss"}, "-time"},
		{[]string{"-dims", "N=0", "a.loss"}, "must be positive"},
		{[]string{"-frob", "a.loss"}, "-frob"},
		// hetero_center has sizes M and U, which have no default.
		{[]string{"-dims", "N=8", "../../specs/hetero_center.loss"}, "-dims: give U, M (hetero_center has sizes U, N, D, M)"},
	}
	for _, tt := range tests {
		code, stdout, stderr := benchMain(t, tt.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.stderr) || !strings.Contains(stderr, "usage: lossgen bench") {
			t.Errorf("bench %q: exit %d, stdout %q, stderr %q; want exit 2 with %q and the usage", tt.args, code, stdout, stderr, tt.stderr)
		}
	}
}

// -cpuprofile is a path relative to the caller's directory, and the file is
// a profile go tool pprof reads (a gzip stream).
func TestBenchCPUProfile(t *testing.T) {
	needGo(t)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rel, err := filepath.Rel(wd, filepath.Join(dir, "cpu.prof"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := benchMain(t, "-time", "20ms", "-type", "float32", "-dims", "N=16,D=32", "-cpuprofile", rel, "../../specs/batch_hard_triplet.loss")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "cpu.prof"))
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile: %d bytes, err %v; want a gzip stream", len(b), err)
	}
}
