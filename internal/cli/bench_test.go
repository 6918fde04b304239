package cli

import (
	"bytes"
	"encoding/json"
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
		for _, f := range []string{"spec", "type", "dims", "ns_per_step", "allocs_per_step", "gflops"} {
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
		if tt.spec == "batch_hard_triplet" && !strings.Contains(stderr, "-dims C=5 ignored") {
			t.Errorf("%s: no note about the unused sizes on stderr: %q", tt.spec, stderr)
		}
	}

	// The text form is one line.
	code, stdout, stderr := benchMain(t, "-time", "10ms", "-dims", "N=8,D=16,C=5", "../../specs/softmax.loss")
	line := regexp.MustCompile(`^softmax float64 N=8,D=16,C=5: \d+ ns/step, 0 allocs/step, [0-9.e+]+ GFLOP/s\n$`)
	if code != 0 || !line.MatchString(stdout) {
		t.Errorf("text output: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestBenchUsage(t *testing.T) {
	tests := []struct {
		args   []string
		stderr string
	}{
		{nil, "no spec given"},
		{[]string{"a.loss", "b.loss"}, "one spec at a time"},
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
