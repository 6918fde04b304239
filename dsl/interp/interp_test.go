package interp

import (
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/dsl"
)

func loadSpec(t *testing.T, name string) *dsl.Program {
	t.Helper()
	file := "../../specs/" + name + ".loss"
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	p, err := dsl.Load(file, src)
	require.NoError(t, err)
	return p
}

func loadSrc(t *testing.T, src string) *dsl.Program {
	t.Helper()
	p, err := dsl.Load("test.loss", []byte(src))
	require.NoError(t, err)
	return p
}

// Triplet, N=2, D=2, margin 0.3:
// row 0: dap = |(0,0)-(3,4)| = 5, dan = |(0,0)-(1,0)| = 1, relu(5-1+0.3) = 4.3
// row 1: dap = |(1,1)-(1,2)| = 1, dan = |(1,1)-(4,5)| = 5, relu(1-5+0.3) = 0
// loss = (4.3 + 0) / 2 = 2.15.
func TestTriplet(t *testing.T) {
	p := loadSpec(t, "triplet")
	v := Values{
		Dims: map[string]int{"N": 2, "D": 2},
		Reals: map[string][]float64{
			"anchor":   {0, 0, 1, 1},
			"positive": {3, 4, 1, 2},
			"negative": {1, 0, 4, 5},
		},
	}
	got, err := Eval(p, v)
	require.NoError(t, err)
	require.InDelta(t, 2.15, got, 1e-12)

	// A larger margin activates row 1 too. With margin 4.5:
	// row 0: 5-1+4.5 = 8.5, row 1: 1-5+4.5 = 0.5, mean 4.5.
	v.Params = map[string]float64{"margin": 4.5}
	got, err = Eval(p, v)
	require.NoError(t, err)
	require.InDelta(t, 4.5, got, 1e-12)
}

// Cross-entropy, N=1, C=3, logits (1, 2, 3), label 2:
// loss = log(e + e^2 + e^3) - 3 = log(1 + e^-1 + e^-2) = 0.40760596444438...
// d loss / d logits[j] = softmax_j - [j == 2].
func TestCrossEntropy(t *testing.T) {
	p := loadSpec(t, "cross_entropy")
	v := Values{
		Dims:  map[string]int{"N": 1, "C": 3},
		Reals: map[string][]float64{"logits": {1, 2, 3}},
		Ints:  map[string][]int{"labels": {2}},
	}
	got, err := Eval(p, v)
	require.NoError(t, err)
	require.InDelta(t, 0.40760596444438, got, 1e-12)
	require.InDelta(t, math.Log(1+math.Exp(-1)+math.Exp(-2)), got, 1e-14)

	g, err := NumGrad(p, v, 1e-5)
	require.NoError(t, err)
	z := math.Exp(1) + math.Exp(2) + math.Exp(3)
	want := []float64{math.Exp(1) / z, math.Exp(2) / z, math.Exp(3)/z - 1}
	require.Len(t, g, 1)
	require.InDeltaSlice(t, want, g["logits"], 1e-8)
	require.Equal(t, []float64{1, 2, 3}, v.Reals["logits"], "NumGrad must not modify the caller's values")
}

// Center loss, N=2, D=1, C=2: x = (1, 3), centers = (0, 5), labels = (0, 1):
// loss = ((1-0)^2 + (3-5)^2) / (2*2) = 1.25
// d/dx[i] = (x[i] - centers[labels[i]]) / N = (0.5, -1)
// d/dcenters[c] = -sum_{i: labels[i]=c} (x[i] - centers[c]) / N = (-0.5, 1).
func TestCenterAndGradient(t *testing.T) {
	p := loadSpec(t, "center")
	v := Values{
		Dims:  map[string]int{"N": 2, "D": 1, "C": 2},
		Reals: map[string][]float64{"x": {1, 3}, "centers": {0, 5}},
		Ints:  map[string][]int{"labels": {0, 1}},
	}
	got, err := Eval(p, v)
	require.NoError(t, err)
	require.InDelta(t, 1.25, got, 1e-15)
	g, err := NumGrad(p, v, 1e-4)
	require.NoError(t, err)
	require.InDeltaSlice(t, []float64{0.5, -1}, g["x"], 1e-8)
	require.InDeltaSlice(t, []float64{-0.5, 1}, g["centers"], 1e-8)
	_, hasLabels := g["labels"]
	require.False(t, hasLabels)
}

// Contrastive, N=2, D=1, margin 1: d2 = (0.25, 4), d = (0.5, 2), y = (1, 0):
// row 0: 0.5 * 0.25 = 0.125; row 1: 0.5 * relu(1 - 2)^2 = 0; mean 0.0625.
func TestContrastive(t *testing.T) {
	p := loadSpec(t, "contrastive")
	got, err := Eval(p, Values{
		Dims:  map[string]int{"N": 2, "D": 1},
		Reals: map[string][]float64{"x1": {0, 0}, "x2": {0.5, 2}},
		Ints:  map[string][]int{"y": {1, 0}},
	})
	require.NoError(t, err)
	require.InDelta(t, 0.0625, got, 1e-15)
}

// Empty sets: with every label distinct there are no positives, so
// max(j | same label && j != i: ...) is 0, count is 0 and mean divides by 1.
func TestFiltersAndEmptySets(t *testing.T) {
	p := loadSrc(t, `loss f {
    input x[N]
    input labels[N] int
    hp[i] = max(j | labels[j] == labels[i] && j != i: x[j])
    lp[i] = logsumexp(j | labels[j] == labels[i] && j != i: x[j])
    mp[i] = mean(j | labels[j] == labels[i] && j != i: x[j])
    c[i]  = count(j | labels[j] == labels[i] && j != i)
    loss  = sum(i: hp[i] + lp[i] + mp[i] + c[i])
}`)
	v := Values{Dims: map[string]int{"N": 3}, Reals: map[string][]float64{"x": {1, 2, 4}}, Ints: map[string][]int{"labels": {0, 1, 2}}}
	got, err := Eval(p, v)
	require.NoError(t, err)
	require.Equal(t, 0.0, got)

	// labels (0, 0, 1): rows 0 and 1 see each other.
	// hp = lp = mp = (2, 1, 0) and c = (1, 1, 0): 3*3 + 2 = 11.
	v.Ints["labels"] = []int{0, 0, 1}
	got, err = Eval(p, v)
	require.NoError(t, err)
	require.InDelta(t, 11.0, got, 1e-12)
}

// Elementwise functions at hand-checked points.
func TestFunctions(t *testing.T) {
	p := loadSrc(t, `loss fns {
    param a = 0
    input x
    input n int
    loss = softplus(a) + sigmoid(a) + relu(-1) + abs(-2) + max(1, 3) + min(1, 3)
         + where(n == 2, real(n), 100) + stopgrad(x) + x^3 + (-x)^2 + sqrt(4) + exp(0) + log(1)
         + log1p(0) + cos(0) + sin(0) + acos(1)
}`)
	got, err := Eval(p, Values{Reals: map[string][]float64{"x": {2}}, Ints: map[string][]int{"n": {2}}})
	require.NoError(t, err)
	// log 2 + 0.5 + 0 + 2 + 3 + 1 + 2 + 2 + 8 + 4 + 2 + 1 + 0 + 0 + 1 + 0 + 0
	require.InDelta(t, math.Log(2)+26.5, got, 1e-12)

	// softplus is stable for large |x|.
	got, err = Eval(p, Values{Params: map[string]float64{"a": 800}, Reals: map[string][]float64{"x": {2}}, Ints: map[string][]int{"n": {1}}})
	require.NoError(t, err)
	require.InDelta(t, 800+1+0+2+3+1+100+2+8+4+2+1+1, got, 1e-9)
}

// tanh saturates without overflow; sign is -1, 0, 1; clamp is
// min(max(x, lo), hi), so hi wins when the bounds cross.
func TestSaturatingFunctions(t *testing.T) {
	p := loadSrc(t, `loss fns {
    input x[N]
    input lo[N]
    input hi[N]
    t[i] = tanh(x[i])
    s[i] = sign(x[i])
    c[i] = clamp(x[i], lo[i], hi[i])
    loss = sum(i: t[i] + 10 * s[i] + 100 * c[i])
}`)
	cases := []struct{ x, lo, hi, tanh, sign, clamp float64 }{
		{0, -1, 1, 0, 0, 0},
		{0.5, -1, 1, math.Tanh(0.5), 1, 0.5},
		{-800, -1, 1, -1, -1, -1},
		{800, -1, 1, 1, 1, 1},
		{2, 3, 1, math.Tanh(2), 1, 1}, // lo > hi: hi
		{1, 1, 1, math.Tanh(1), 1, 1},
	}
	for _, c := range cases {
		got, err := Eval(p, Values{Dims: map[string]int{"N": 1}, Reals: map[string][]float64{"x": {c.x}, "lo": {c.lo}, "hi": {c.hi}}})
		require.NoError(t, err)
		require.False(t, math.IsNaN(got), "x = %g", c.x)
		require.InDelta(t, c.tanh+10*c.sign+100*c.clamp, got, 1e-12, "x = %g, lo = %g, hi = %g", c.x, c.lo, c.hi)
	}
}

// logsumexp subtracts the max, so large logits do not overflow.
func TestLogSumExpStable(t *testing.T) {
	p := loadSpec(t, "cross_entropy")
	got, err := Eval(p, Values{
		Dims:  map[string]int{"N": 1, "C": 2},
		Reals: map[string][]float64{"logits": {1000, 1000}},
		Ints:  map[string][]int{"labels": {0}},
	})
	require.NoError(t, err)
	require.InDelta(t, math.Log(2), got, 1e-12)
}

func TestValidation(t *testing.T) {
	p := loadSpec(t, "cross_entropy")
	good := func() Values {
		return Values{
			Dims:  map[string]int{"N": 2, "C": 3},
			Reals: map[string][]float64{"logits": make([]float64, 6)},
			Ints:  map[string][]int{"labels": {0, 2}},
		}
	}
	_, err := Eval(p, good())
	require.NoError(t, err)

	tests := []struct {
		name   string
		modify func(*Values)
		msg    string
	}{
		{"missing size", func(v *Values) { delete(v.Dims, "C") }, "size C is not given"},
		{"zero size", func(v *Values) { v.Dims["N"] = 0 }, "size N = 0 must be positive"},
		{"unknown size", func(v *Values) { v.Dims["Q"] = 1 }, "unknown size Q"},
		{"unknown param", func(v *Values) { v.Params = map[string]float64{"eps": 1} }, "unknown param eps"},
		{"short input", func(v *Values) { v.Reals["logits"] = make([]float64, 5) }, "logits has 5 elements, want 6"},
		{"missing input", func(v *Values) { delete(v.Reals, "logits") }, "input logits is not given"},
		{"unknown input", func(v *Values) { v.Reals["w"] = nil }, "unknown real input w"},
		{"label in reals", func(v *Values) { v.Reals["labels"] = []float64{0, 1} }, "labels is an integer input"},
		{"label too large", func(v *Values) { v.Ints["labels"] = []int{0, 3} }, "labels[1] = 3 is out of range [0, 3)"},
		{"negative label", func(v *Values) { v.Ints["labels"] = []int{-1, 0} }, "labels[0] = -1 is out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := good()
			tc.modify(&v)
			_, err := Eval(p, v)
			require.ErrorContains(t, err, tc.msg)
			_, err = NumGrad(p, v, 1e-6)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

// Every shipped spec evaluates to a finite value on small random inputs,
// and only differentiable inputs get a numerical gradient.
func TestAllSpecsEvaluate(t *testing.T) {
	for _, name := range []string{"center", "contrastive", "cross_entropy", "cross_entropy_ls", "improved_triplet", "softmax", "triplet"} {
		t.Run(name, func(t *testing.T) {
			p := loadSpec(t, name)
			v := Values{Dims: map[string]int{}, Reals: map[string][]float64{}, Ints: map[string][]int{}}
			for i, s := range p.Sizes {
				v.Dims[s.Name] = 2 + i
			}
			seed := 1.0
			for _, in := range p.Inputs {
				n := 1
				for _, s := range in.Shape {
					n *= v.Dims[s.Name]
				}
				if in.Int {
					labels := make([]int, n)
					for k := range labels {
						labels[k] = k % 2
					}
					v.Ints[in.Name] = labels
					continue
				}
				x := make([]float64, n)
				for k := range x {
					seed = math.Mod(seed*7.31+0.17, 1)
					x[k] = seed*2 - 1
				}
				v.Reals[in.Name] = x
			}
			got, err := Eval(p, v)
			require.NoError(t, err)
			require.False(t, math.IsNaN(got) || math.IsInf(got, 0))
			g, err := NumGrad(p, v, 1e-6)
			require.NoError(t, err)
			for _, in := range p.Inputs {
				_, ok := g[in.Name]
				require.Equal(t, in.Diff, ok, in.Name)
			}
		})
	}
}
