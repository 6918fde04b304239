package rundriver

import (
	"bytes"
	"strings"
	"testing"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// fakeInfo describes a loss with every kind of input the driver handles: a
// differentiable matrix, a frozen vector, labels and a differentiable scalar.
var fakeInfo = lossrt.Info{
	Name:   "fake",
	Sizes:  []string{"N", "D"},
	Params: []lossrt.ParamInfo{{Name: "scale", Default: 1}},
	Inputs: []lossrt.InputInfo{
		{Name: "x", Shape: []string{"N", "D"}, Diff: true},
		{Name: "w", Shape: []string{"D"}},
		{Name: "labels", Shape: []string{"N"}, Int: true},
		{Name: "s", Diff: true},
	},
}

// fakeEval computes
//
//	loss = scale * (Σ x² + s²) + Σ w + Σ labels
//
// whose gradients are 2·scale·x and 2·scale·s. Like a generated kernel, it
// rejects labels outside [0, N).
func fakeEval[T lossrt.Float](r lossrt.Request[T]) (lossrt.Result[T], error) {
	if !r.Grad {
		panic("the driver must always ask for gradients")
	}
	scale := 1.0
	if v, ok := r.Params["scale"]; ok {
		scale = v
	}
	k := T(scale)
	var loss T
	gx := make([]T, len(r.Reals["x"]))
	for i, v := range r.Reals["x"] {
		loss += k * v * v
		gx[i] = 2 * k * v
	}
	s := r.Reals["s"][0]
	loss += k * s * s
	for _, v := range r.Reals["w"] {
		loss += v
	}
	for i, l := range r.Ints["labels"] {
		if l < 0 || l >= r.Dims["N"] {
			return lossrt.Result[T]{}, &lossrt.LabelError{Name: "labels", Index: i, Value: l, Limit: r.Dims["N"], Size: "N"}
		}
		loss += T(l)
	}
	return lossrt.Result[T]{Loss: loss, Grads: map[string][]T{"x": gx, "s": {2 * k * s}}}, nil
}

const validInput = `{"dims": {"N": 2, "D": 2},
 "inputs": {"x": [1, 2, 3, 0.5], "w": [0.25, 0.25], "labels": [0, 1], "s": -1.5}}`

func run(t *testing.T, input string, eval32 Eval32, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(input), &out, &errb, fakeInfo, fakeEval[float64], eval32)
	return code, out.String(), errb.String()
}

func TestOutput(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		input string
		want  string
	}{
		{
			name:  "float64",
			input: validInput,
			want:  `{"loss": 18, "grads": {"x": [2, 4, 6, 1], "s": -3}}` + "\n",
		},
		{
			name:  "float32",
			args:  []string{"-type", "float32"},
			input: validInput,
			want:  `{"loss": 18, "grads": {"x": [2, 4, 6, 1], "s": -3}}` + "\n",
		},
		{
			name:  "param overrides default",
			input: strings.Replace(validInput, `"inputs"`, `"params": {"scale": 2}, "inputs"`, 1),
			want:  `{"loss": 34.5, "grads": {"x": [4, 8, 12, 2], "s": -6}}` + "\n",
		},
		{
			// Shortest round-trip form of the kernel's own type: 0.2f, not
			// 0.20000000298023224.
			name:  "float32 shortest form",
			args:  []string{"-type=float32"},
			input: `{"dims": {"N": 1, "D": 1}, "inputs": {"x": [0.1], "w": [0], "labels": [0], "s": 0}}`,
			want:  `{"loss": 0.010000001, "grads": {"x": [0.2], "s": 0}}` + "\n",
		},
		{
			name:  "float64 shortest form",
			input: `{"dims": {"N": 1, "D": 1}, "inputs": {"x": [0.1], "w": [0], "labels": [0], "s": 1e-7}}`,
			want:  `{"loss": 0.010000000000010003, "grads": {"x": [0.2], "s": 2e-07}}` + "\n",
		},
		{
			name:  "integral labels written as reals",
			input: `{"dims": {"N": 2, "D": 1}, "inputs": {"x": [0, 0], "w": [0], "labels": [1.0, 1e0], "s": 0}}`,
			want:  `{"loss": 2, "grads": {"x": [0, 0], "s": 0}}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.input, fakeEval[float32], tt.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if stdout != tt.want {
				t.Errorf("stdout\n got %s\nwant %s", stdout, tt.want)
			}
		})
	}
}

func TestNonFiniteIsNull(t *testing.T) {
	input := `{"dims": {"N": 1, "D": 1}, "inputs": {"x": [1e200], "w": [0], "labels": [0], "s": 0}}`
	code, stdout, stderr := run(t, input, nil)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if want := `{"loss": null, "grads": {"x": [2e+200], "s": 0}}` + "\n"; stdout != want {
		t.Errorf("stdout\n got %s\nwant %s", stdout, want)
	}
	if !strings.Contains(stderr, "warning: loss is +Inf, written as null") {
		t.Errorf("stderr %q lacks the warning", stderr)
	}
}

func TestInvalidInput(t *testing.T) {
	// Each case edits validInput; the message must name the field.
	tests := []struct {
		name  string
		args  []string
		input string
		want  string
	}{
		{"truncated", nil, `{"dims": {"N": 2,`, `input: invalid JSON at line 1, column 17 (byte 16): unexpected end of JSON input`},
		{"syntax on line 2", nil, "{\"dims\": {},\n \"inputs\": x}", `input: invalid JSON at line 2, column 12 (byte 24): invalid character 'x'`},
		{"empty", nil, ``, `input: invalid JSON at line 1, column 1 (byte 0): unexpected end of JSON input`},
		{"not an object", nil, `[1, 2]`, `input: want a JSON object, got an array`},
		{"null", nil, `null`, `input: want a JSON object, got null`},
		{"unknown key", nil, `{"dim": {}}`, `"dim": unknown key (want one of dims, params, inputs)`},
		{"no dims", nil, `{"inputs": {}}`, `dims: missing (fake needs N, D)`},
		{"dims not object", nil, `{"dims": [2, 2]}`, `dims: want a JSON object, got an array`},
		{"missing dim", nil, `{"dims": {"N": 2}}`, `dims.D: missing (fake needs N, D)`},
		{"unknown dim", nil, `{"dims": {"N": 2, "D": 2, "K": 1}}`, `dims.K: unknown size (want one of N, D)`},
		{"fractional dim", nil, `{"dims": {"N": 2.5, "D": 2}}`, `dims.N: 2.5 is not an integer`},
		{"zero dim", nil, `{"dims": {"N": 2, "D": 0}}`, `dims.D: 0 is not positive`},
		{"negative dim", nil, `{"dims": {"N": -1, "D": 2}}`, `dims.N: -1 is not positive`},
		{"string dim", nil, `{"dims": {"N": "2", "D": 2}}`, `dims.N: want an integer, got a string "2"`},
		{"huge dim", nil, `{"dims": {"N": 1e30, "D": 2}}`, `dims.N: 1e30 does not fit in an int`},
		{"unknown param", nil, repl(`"inputs"`, `"params": {"margin": 1}, "inputs"`), `params.margin: unknown parameter (want one of scale)`},
		{"string param", nil, repl(`"inputs"`, `"params": {"scale": "2"}, "inputs"`), `params.scale: want a number, got a string "2"`},
		{"params not object", nil, repl(`"inputs"`, `"params": 2, "inputs"`), `params: want a JSON object, got number`},
		{"no inputs", nil, `{"dims": {"N": 2, "D": 2}}`, `inputs: missing (fake needs x[N, D], w[D], labels[N] int, s)`},
		{"missing input", nil, repl(`"labels": [0, 1], `, ``), `inputs.labels: missing (fake needs x[N, D], w[D], labels[N] int, s)`},
		{"unknown input", nil, repl(`"s": -1.5`, `"s": -1.5, "y": [1]`), `inputs.y: unknown input (want one of x, w, labels, s)`},
		{"fractional label", nil, repl(`[0, 1]`, `[0, 1.5]`), `inputs.labels[1]: 1.5 is not an integer`},
		{"real in labels", nil, repl(`[0, 1]`, `[0, true]`), `inputs.labels[1]: want an integer, got a boolean`},
		{"short input", nil, repl(`[1, 2, 3, 0.5]`, `[1, 2, 3]`), `inputs.x: has 3 elements, want 4 for shape [N, D]`},
		{"nested input", nil, repl(`[1, 2, 3, 0.5]`, `[[1, 2], [3, 0.5]]`), `inputs.x: has 2 elements, want 4 for shape [N, D]`},
		{"nested right count", nil, repl(`[0.25, 0.25]`, `[[0.25], [0.25]]`), `inputs.w[0]: want a number, got an array`},
		{"null element", nil, repl(`[0.25, 0.25]`, `[0.25, null]`), `inputs.w[1]: want a number, got null`},
		{"input not array", nil, repl(`[0.25, 0.25]`, `{}`), `inputs.w: want an array of 2 numbers, got an object`},
		{"scalar as array", nil, repl(`"s": -1.5`, `"s": [-1.5]`), `inputs.s: want a number (s is a scalar), got an array`},
		{"float32 overflow", []string{"-type", "float32"}, repl(`[1, 2, 3, 0.5]`, `[1, 2, 1e39, 0.5]`), `inputs.x[2]: 1e39 overflows float32`},
		{"float64 overflow", nil, repl(`[1, 2, 3, 0.5]`, `[1, 2, 1e309, 0.5]`), `inputs.x[2]: 1e309 overflows float64`},
		{"kernel error", nil, repl(`[0, 1]`, `[0, 2]`), `lossgen: labels[1] = 2 is out of range [0, N=2)`},
		// Messages quote what they repeat, cut long values, and refuse
		// what encoding/json would pass silently.
		{"float32 param overflow", []string{"-type", "float32"}, repl(`"inputs"`, `"params": {"scale": 1e39}, "inputs"`), `params.scale: 1e39 overflows float32`},
		{"duplicate key", nil, repl(`"s": -1.5`, `"s": -1.5, "s": 2`), `inputs.s: appears twice in inputs`},
		{"duplicate top key", nil, `{"dims": {"N": 2, "D": 2}, "dims": {}}`, `dims: appears twice in input`},
		{"duplicate dim", nil, `{"dims": {"N": 2, "N": 3, "D": 2}}`, `dims.N: appears twice in dims`},
		{"escape in key", nil, `{"dims": {"N": 2, "D": 2, "a\u001b[2Jb\nc": 1}}`, `dims."a\x1b[2Jb\nc": unknown size (want one of N, D)`},
		{"long key", nil, `{"dims": {"N": 2, "D": 2, "` + strings.Repeat("k", 200) + `": 1}}`, `dims."` + strings.Repeat("k", 40) + `...": unknown size`},
		{"long string", nil, `{"dims": {"N": "` + strings.Repeat("x", 5000) + `", "D": 2}}`, `dims.N: want an integer, got a string "` + strings.Repeat("x", 40) + `..."`},
		{"long number", nil, `{"dims": {"N": 1.` + strings.Repeat("5", 5000) + `, "D": 2}}`, `dims.N: 1.` + strings.Repeat("5", 38) + `... is not an integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.input, fakeEval[float32], tt.args...)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q\nwant it to contain %q", stderr, tt.want)
			}
			if strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q is not one line", stderr)
			}
			if len(stderr) > 300 || strings.ContainsRune(stderr, 0x1b) {
				t.Errorf("stderr %q: %d bytes, or a raw escape", stderr, len(stderr))
			}
		})
	}
}

func repl(old, new string) string {
	if !strings.Contains(validInput, old) {
		panic("validInput lacks " + old)
	}
	return strings.Replace(validInput, old, new, 1)
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		eval32 Eval32
		code   int
		want   string
	}{
		{"unknown type", []string{"-type", "float16"}, fakeEval[float32], 2, `-type "float16": want float32 or float64`},
		{"unknown flag", []string{"-bogus"}, fakeEval[float32], 2, `flag provided but not defined: -bogus`},
		{"argument", []string{"input.json"}, fakeEval[float32], 2, `unexpected argument "input.json"`},
		{"no float32 kernel", []string{"-type", "float32"}, nil, 1, `fake was generated without float32`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, validInput, tt.eval32, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q\nwant it to contain %q", stderr, tt.want)
			}
		})
	}
}

func TestKernelMustReturnEveryGradient(t *testing.T) {
	noGrads := func(r lossrt.Request[float64]) (lossrt.Result[float64], error) {
		return lossrt.Result[float64]{Loss: 1}, nil
	}
	var out, errb bytes.Buffer
	code := Run(nil, strings.NewReader(validInput), &out, &errb, fakeInfo, noGrads, nil)
	if code != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "internal error: the kernel returned no gradient for x") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// A request larger than the bound is refused after reading just past it,
// whatever the source (lossgen run /dev/urandom grew to 24 GB before).
func TestRequestBound(t *testing.T) {
	defer func(n int) { maxRequest = n }(maxRequest)
	maxRequest = 1 << 20
	big := strings.NewReader(strings.Repeat(" ", 2<<20) + validInput)
	var stdout, stderr strings.Builder
	code := Run(nil, big, &stdout, &stderr, fakeInfo, fakeEval[float64], fakeEval[float32])
	if code != 1 || !strings.Contains(stderr.String(), "standard input is larger than 1 MiB") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if big.Len() < 1<<20-1 {
		t.Errorf("read %d bytes past the bound", 2<<20-big.Len()-(1<<20))
	}
}
