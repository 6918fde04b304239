package explain

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// specs are the shipped specs with golden output in testdata.
var specs = []string{
	"arcface", "batch_all_triplet", "batch_hard_triplet", "batch_hard_triplet_soft",
	"center", "circle", "contrastive", "cosface", "cross_entropy", "cross_entropy_ls",
	"focal", "hetero_center", "improved_triplet", "multi_similarity", "reid_baseline",
	"softmax", "supcon", "triplet",
}

var formats = []struct {
	ext    string
	render func(*Explanation) string
}{
	{"txt", (*Explanation).Text},
	{"tex", (*Explanation).LaTeX},
	{"dot", (*Explanation).Dot},
}

func load(t *testing.T, name string) *Explanation {
	t.Helper()
	path := filepath.Join("..", "..", "specs", name+".loss")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := Load(path, src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return x
}

// TestGolden compares every format of every shipped spec with testdata;
// go test -update rewrites the files.
func TestGolden(t *testing.T) {
	for _, name := range specs {
		x := load(t, name)
		for _, f := range formats {
			t.Run(name+"."+f.ext, func(t *testing.T) {
				got := f.render(x)
				if again := f.render(load(t, name)); again != got {
					t.Fatalf("output differs between two runs")
				}
				golden := filepath.Join("testdata", name+"."+f.ext)
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from the output; run go test ./internal/explain -update and review the diff.\ngot:\n%s", golden, got)
				}
			})
		}
	}
}

// TestSameIRAsCompiler checks that Load derives the program the compiler
// generates code from.
func TestSameIRAsCompiler(t *testing.T) {
	for _, name := range specs {
		path := filepath.Join("..", "..", "specs", name+".loss")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := compiler.Build(path, src)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ir.Dump(load(t, name).IR()), ir.Dump(p); got != want {
			t.Errorf("%s: explain's IR differs from compiler.Build's:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

// TestTextCoversGradients checks, for every shipped spec, that each
// differentiable input has a gradient section and every step names its
// spec line.
func TestTextCoversGradients(t *testing.T) {
	for _, name := range specs {
		x := load(t, name)
		text := x.Text()
		for _, in := range x.IR().Inputs {
			if in.Int || !in.Diff {
				continue
			}
			if !strings.Contains(text, "\n  "+in.Name+shape(in.Shape)+"\n") {
				t.Errorf("%s: no gradient section for %s", name, in.Name)
			}
			if in.Active && !strings.Contains(text, "∂L/∂"+in.Name+"[") && !strings.Contains(text, "∂L/∂"+in.Name+" ") {
				t.Errorf("%s: no gradient equation for %s", name, in.Name)
			}
		}
		if len(x.steps) != len(x.IR().Backward) {
			t.Errorf("%s: %d steps for %d adjoint Ops", name, len(x.steps), len(x.IR().Backward))
		}
		for _, s := range x.steps {
			if s.line <= 0 {
				t.Errorf("%s: a step through %s has no spec line", name, s.adj.Fwd.Target.Name)
			}
		}
	}
}

func TestTripletText(t *testing.T) {
	text := load(t, "triplet").Text()
	for _, want := range []string{
		"   9 │ dap[i] = √(Σ_k (anchor[i,k] − positive[i,k])²)",
		"∂L/∂dap_sum[i] += ∂L/∂dap[i] / (2·dap[i])    (0 where dap[i] = 0)",
		"∂L/∂anchor[i,k] += 2·∂L/∂dap_sum[i]·(anchor[i,k] − positive[i,k])",
		"∂L/∂dap[i] += ∂L/∂loss_sum    (0 where dap[i] − dan[i] + margin ≤ 0)",
		"   │   for each i, k:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("triplet text lacks %q", want)
		}
	}
}

func TestSpecialCases(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"batch_hard_triplet", "for each i, at j = argmax_{j | labels[j] = labels[i] ∧ j ≠ i} d[i,j] (skipped where no j qualifies):"},
		{"batch_hard_triplet", "(0 where hp[i] − hn[i] + margin ≤ 0 ∨ nn[i] ≤ 0)"},
		{"circle", "relu(stopgrad(s[i,j] + m))"},
		{"circle", "for each i, j with labels[j] ≠ labels[i]:"},
		{"center", "centers[c,k] ← centers[c,k] − (alpha·Σ_{i | labels[i] = c} (centers[c,k] − x[i,k])) / (1 + #{i | labels[i] = c})"},
		{"center", "∂L/∂centers[labels[i],k] += −2·∂L/∂loss_sum_part[i]·(x[i,k] − centers[labels[i],k])"},
		{"reid_baseline", "tri = batch_hard_triplet(x: feat, labels: labels"},
		{"reid_baseline", "[from batch_hard_triplet.loss:17]"},
		{"cross_entropy_ls", "∂L/∂logits[i,j] += ∂L/∂lse[i]·exp(logits[i,j] − lse[i])"},
		{"arcface", "∂L/∂ct[i] += where(ct[i] > cos(3.141592653589793 − m), cos(m)·∂L/∂psi[i], ∂L/∂psi[i])"},
	}
	for _, tt := range tests {
		if text := load(t, tt.spec).Text(); !strings.Contains(text, tt.want) {
			t.Errorf("%s text lacks %q", tt.spec, tt.want)
		}
	}
}

// TestDotRenders runs Graphviz on the graph of every shipped spec, when
// the dot command is installed.
func TestDotRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz dot not installed; the golden comparison still checks the output")
	}
	for _, name := range specs {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(load(t, name).Dot())
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 || !bytes.Contains(out, []byte("<svg")) {
			t.Errorf("%s: dot -Tsvg: %v\n%s", name, err, stderr.String())
		}
	}
}

func TestBadSpec(t *testing.T) {
	_, err := Load("bad.loss", []byte("loss bad {\n    input x[N]\n    loss = sum(i: y[i])\n}\n"))
	if err == nil || !compiler.IsDiagnostic(err) || !strings.Contains(err.Error(), "bad.loss:3:") {
		t.Errorf("Load of a bad spec: err = %v, want a diagnostic at bad.loss:3", err)
	}
}

func TestTexEscape(t *testing.T) {
	if got, want := texEscape(`a_b#c%d&e$f{g}h^i~j\k`), `a\_b\#c\%d\&e\$f\{g\}h\^{}i\~{}j\textbackslash{}k`; got != want {
		t.Errorf("texEscape = %q, want %q", got, want)
	}
}

// TestCorners covers what no shipped spec has: an input without a
// gradient, an integer definition, an input the loss does not read, a
// scalar input and a power other than 2.
func TestCorners(t *testing.T) {
	src := `loss corners {
    input x[N]
    input w[N] nograd
    input unused[N]
    input scale
    input labels[N] int
    y[i] = labels[i] + 1
    loss = scale * sum(i | y[i] > 1: w[i] * x[i]^3) + sum(i: exp(-x[i]))
}
`
	x, err := Load("corners.loss", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	text := x.Text()
	for _, want := range []string{
		"y[i] = labels[i] + 1    (integer: substituted where it is used)",
		"w[N] (no gradient)",
		"no gradient: declared without one",
		"∂L/∂unused = 0: the loss does not depend on unused",
		"x[i]³",
		"∂L/∂scale += ",
		"for each i with labels[i] + 1 > 1:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, out := range []string{x.LaTeX(), x.Dot()} {
		if !strings.Contains(out, "unused") {
			t.Errorf("output lacks the unused input:\n%s", out)
		}
	}
}

// TestSaturatingFunctions: tanh, sign and clamp render in every format, and
// the text shows their gradients: 1 − tanh², nothing through sign, and
// clamp's adjoint cut off outside [lo, hi] for x and inside for the bounds.
func TestSaturatingFunctions(t *testing.T) {
	src := `loss sat {
    input x[N]
    input b[N]
    loss = sum(i: tanh(x[i]) * sign(b[i]) + clamp(x[i], -b[i], b[i]))
}
`
	x, err := Load("sat.loss", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	text := x.Text()
	for _, want := range []string{
		"loss = Σ_i (tanh(x[i])·sign(b[i]) + clamp(x[i], −b[i], b[i]))",
		"sign(b[i])·(1 − tanh(x[i])²)",
		"∂L/∂x[i] += sign(b[i])·(1 − tanh(x[i])²) + where(x[i] ≥ −b[i] ∧ x[i] ≤ b[i], 1, 0)",
		"∂L/∂b[i] += −where(x[i] < −b[i] ∧ −b[i] ≤ b[i], 1, 0) + where(x[i] > b[i] ∨ −b[i] > b[i], 1, 0)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "sign′") || strings.Count(text, "sign(b[i])") < 2 {
		t.Errorf("sign should appear as a factor only, never differentiated:\n%s", text)
	}
	tex := x.LaTeX()
	for _, want := range []string{`\tanh\left(x_{i}\right)`, `\operatorname{sign}\left(b_{i}\right)`, `\operatorname{clamp}\left(x_{i},\ -b_{i},\ b_{i}\right)`} {
		if !strings.Contains(tex, want) {
			t.Errorf("LaTeX lacks %q:\n%s", want, tex)
		}
	}
	if dot := x.Dot(); !strings.Contains(dot, "tanh(x[i])·sign(b[i]) + clamp(x[i], −b[i], b[i])") {
		t.Errorf("dot lacks the formula:\n%s", dot)
	}
}
