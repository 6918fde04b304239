package ir_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// canonical lowers and canonicalises a spec and returns its forward Ops as
// Dump prints them.
func canonical(t *testing.T, src string) string {
	t.Helper()
	prog, err := dsl.LoadOpts("t.loss", []byte(src), dsl.LoadOptions{})
	require.NoError(t, err)
	p, err := ir.Lower(prog)
	require.NoError(t, err)
	ir.Canonicalize(p)
	// Every forward Op's target is in Temps, in evaluation order.
	var order []string
	for _, op := range p.Forward {
		order = append(order, op.Target.Name)
	}
	var temps []string
	for _, tt := range p.Temps {
		if tt.ArgOf == nil {
			temps = append(temps, tt.Name)
		}
	}
	require.Equal(t, order, temps, "Temps must list the forward targets in evaluation order")
	return strings.TrimPrefix(ir.Dump(p), "loss t\n")
}

func TestCanonicalize(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{{
		name: "invariant factors leave a sum",
		body: `param s = 2
    input x[N, D]
    input w[C, D]
    input n[N]
    z[i, c] = sum(k: -s * x[i, k] * w[c, k] / n[i])
    loss = sum(i, c: z[i, c])`,
		want: `forward z_unscaled[i,c] = sum(k)
    = (x[i,k] * w[c,k])
forward z[i,c] = map
    = (-(($s * z_unscaled[i,c]) / n[i]))
`,
	}, {
		name: "a filtered sum keeps its factors",
		body: `param s = 2
    input x[N, D]
    z[i] = sum(k | k != 0: s * x[i, k])
    loss = sum(i: z[i])`,
		want: `forward z[i] = sum(k)
    | (k != 0)
    = ($s * x[i,k])
`,
	}, {
		name: "a scalar sum keeps its factors",
		body: `param s = 2
    input x[N]
    loss = sum(i: s * x[i])`,
		want: `forward loss[] = sum(i)
    = ($s * x[i])
`,
	}, {
		name: "the sides of a product become operands, shared when equal",
		body: `input x[N, D]
    m[k] = mean(i: x[i, k])
    c[a, b] = sum(i: (x[i, a] - m[a]) * (x[i, b] - m[b]))
    loss = sum(a, b: c[a, b])`,
		want: `forward c_lhs[i,a] = map
    = (x[i,a] - m[a])
forward c[a,b] = sum(i)
    = (c_lhs[i,a] * c_lhs[i,b])
`,
	}, {
		name: "a spec's own definition is an operand",
		body: `input x[N, D]
    m[k] = mean(i: x[i, k])
    xc[i, k] = x[i, k] - m[k]
    c[a, b] = sum(i: (x[i, a] - m[a]) * xc[i, b])
    loss = sum(a, b: c[a, b])`,
		want: `forward c[a,b] = sum(i)
    = (xc[i,a] * xc[i,b])
`,
	}, {
		name: "no kernel takes L[k, i] with R[j, k]: L is copied the other way",
		body: `input x[D, N]
    input w[C, D]
    z[i, c] = sum(k: 2 * x[k, i] * w[c, k])
    loss = sum(i, c: z[i, c])`,
		want: `forward z_lhs[i,k] = map
    = x[k,i]
forward z_unscaled[i,c] = sum(k)
    = (z_lhs[i,k] * w[c,k])
forward z[i,c] = map
    = (2 * z_unscaled[i,c])
`,
	}, {
		name: "an expression side stored the other way",
		body: `input x[D, N]
    input w[C, D]
    z[i, c] = sum(k: (x[k, i] + 1) * w[c, k])
    loss = sum(i, c: z[i, c])`,
		want: `forward z_lhs[i,k] = map
    = (x[k,i] + 1)
forward z[i,c] = sum(k)
    = (z_lhs[i,k] * w[c,k])
`,
	}, {
		name: "pairwise squared distances of expressions",
		body: `input x[N, D]
    input p[C, D]
    n[i] = sqrt(sum(k: x[i, k]^2))
    d[i, c] = sum(k: (p[c, k] - x[i, k] / n[i])^2)
    loss = sum(i, c: d[i, c])`,
		want: `forward d_lhs[i,k] = map
    = (x[i,k] / n[i])
forward d[i,c] = sum(k)
    = pow((d_lhs[i,k] - p[c,k]), 2)
`,
	}, {
		name: "a row-wise distance reads an operand materialised later in the spec",
		body: `input x[N, D]
    input y[N, D]
    n[i] = sqrt(sum(k: x[i, k]^2))
    a[i] = sum(k: (x[i, k] / n[i] - y[i, k])^2)
    d[i, j] = sum(k: (x[i, k] / n[i] - x[j, k] / n[j])^2)
    loss = sum(i: a[i]) + sum(i, j: d[i, j])`,
		want: `forward d_lhs[i,k] = map
    = (x[i,k] / n[i])
forward a[i] = sum(k)
    = pow((d_lhs[i,k] - y[i,k]), 2)
`,
	}, {
		name: "a logsumexp's argument, under the one filter its kernel applies",
		body: `param t = 0.1
    input x[N, N]
    a[i] = logsumexp(j | j != i: x[i, j] / t)
    b[i] = logsumexp(j | j < i: x[i, j] * t)
    loss = sum(i: a[i] + b[i])`,
		want: `forward a_arg[i,j] = map
    = (x[i,j] / $t)
forward a[i] = logsumexp(j)
    | (j != i)
    = a_arg[i,j]
forward b[i] = logsumexp(j)
    | (j < i)
    = (x[i,j] * $t)
`,
	}, {
		name: "a logsumexp over the classes but the target: labels index that range elsewhere",
		body: `param t = 0.1
    input x[N, C]
    input labels[N] int
    input other[N] int
    a[i] = logsumexp(c | c != labels[i]: x[i, c] / t) - x[i, labels[i]]
    b[i] = logsumexp(c | c != other[i]: x[i, c] * t)
    loss = sum(i: a[i] + b[i])`,
		want: `forward a_logsumexp_arg[i,c] = map
    = (x[i,c] / $t)
forward a_logsumexp[i] = logsumexp(c)
    | (c != labels[i])
    = a_logsumexp_arg[i,c]
forward a[i] = map
    = (a_logsumexp[i] - x[i,labels[i]])
forward b[i] = logsumexp(c)
    | (c != other[i])
    = (x[i,c] * $t)
`,
	}, {
		name: "a normalised operand is seen through: its norm leaves the sum (cosine_a)",
		body: `param s = 16
    input x[N, D]
    input w[C, D]
    xl[i]       = sqrt(sum(k: x[i, k]^2))
    wl[c]       = sqrt(sum(k: w[c, k]^2))
    xn[i, k]    = x[i, k] / xl[i]
    wn[c, k]    = w[c, k] / wl[c]
    logit[i, c] = s * sum(k: xn[i, k] * wn[c, k])
    loss        = sum(i, c: logit[i, c])`,
		// xn and wn stay: the spec names them. The scale map of the
		// lifted sum is inlined into logit's, its only reader.
		want: `forward xn[i,k] = map
    = (x[i,k] / xl[i])
forward wn[c,k] = map
    = (w[c,k] / wl[c])
forward logit_sum_unscaled[i,c] = sum(k)
    = (x[i,k] * w[c,k])
forward logit[i,c] = map
    = ($s * ((logit_sum_unscaled[i,c] / xl[i]) / wl[c]))
`,
	}, {
		name: "seeing through stops where a term would read two tensors",
		body: `input x[N, D]
    input u[D]
    input v[N, C, D]
    xl[i]       = sqrt(sum(k: x[i, k]^2))
    xn[i, k]    = x[i, k] / xl[i] / u[k]
    z[i, c]     = sum(k: xn[i, k] * v[i, c, k])
    loss        = sum(i, c: z[i, c])`,
		want: `forward z[i,c] = sum(k)
    = (xn[i,k] * v[i,c,k])
`,
	}, {
		name: "an unnamed map read by one map only, at its variables, is inlined into it",
		body: `input x[N, C]
    input y[N, C]
    b[i, c] = 3 * sum(k in C: x[i, k] * y[c, k] / 2)
    loss    = sum(i, c: b[i, c])`,
		want: `forward b_sum_unscaled[i,c] = sum(k)
    = (x[i,k] * y[c,k])
forward b[i,c] = map
    = (3 * (b_sum_unscaled[i,c] / 2))
`,
	}, {
		name: "a gathered term reads the materialised argument (lse_scaled)",
		body: `param t = 0.1
    input x[N, C]
    input labels[N] int
    loss = mean(i: logsumexp(j: x[i, j] / t) - x[i, labels[i]] / t)`,
		want: `forward loss_logsumexp_arg[i,j] = map
    = (x[i,j] / $t)
forward loss_logsumexp[i] = logsumexp(j)
    = loss_logsumexp_arg[i,j]
forward loss_sum[] = sum(i)
    = (loss_logsumexp[i] - loss_logsumexp_arg[i,labels[i]])
`,
	}, {
		name: "a later reduction under a filter no kernel applies reads the argument already made",
		body: `param t = 0.1
    input x[N, N]
    a[i] = logsumexp(j | j != i: x[i, j] / t)
    b[i] = logsumexp(j | j < i: x[i, j] / t)
    loss = sum(i: a[i] + b[i])`,
		want: `forward b[i] = logsumexp(j)
    | (j < i)
    = a_arg[i,j]
`,
	}, {
		name: "reuse needs the same tensors and constants, and integer subscripts",
		body: `param t = 0.1
    input x[N, C]
    input y[N, C]
    input labels[N] int
    a[i] = logsumexp(j: x[i, j] / t)
    loss = mean(i: a[i] - y[i, labels[i]] / t - x[i, labels[i]] / 0.1 - x[i, labels[i]] * t)`,
		want: `forward loss_sum[] = sum(i)
    = (((a[i] - (y[i,labels[i]] / $t)) - (x[i,labels[i]] / 0.1)) - (x[i,labels[i]] * $t))
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := canonical(t, "loss t {\n    "+tc.body+"\n}\n")
			require.Contains(t, got, tc.want)
		})
	}
}
