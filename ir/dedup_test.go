package ir_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// merged lowers a spec, merges duplicate Ops and returns its forward Ops as
// Dump prints them; Temps must still list exactly the forward targets.
func merged(t *testing.T, src string) string {
	t.Helper()
	prog, err := dsl.LoadOpts("t.loss", []byte(src), dsl.LoadOptions{})
	require.NoError(t, err)
	p, err := ir.Lower(prog)
	require.NoError(t, err)
	ir.MergeDuplicates(p)
	var order, temps []string
	for _, op := range p.Forward {
		order = append(order, op.Target.Name)
		if op.Arg != nil {
			order = append(order, op.Arg.Name)
		}
	}
	for _, tt := range p.Temps {
		temps = append(temps, tt.Name)
	}
	require.Equal(t, order, temps, "Temps must list the forward targets")
	return strings.TrimPrefix(ir.Dump(p), "loss t\n")
}

func TestMergeDuplicates(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{{
		name: "the same reduction inline in two definitions, variables named differently",
		body: `input x[N, D]
    a[i] = sqrt(sum(k: x[i, k] * x[i, k]))
    b[n] = 1 / sum(q: x[n, q] * x[n, q])
    loss = sum(i: a[i] + b[i])`,
		want: `forward a_sum[i] = sum(k)
    = (x[i,k] * x[i,k])
forward a[i] = map
    = sqrt(a_sum[i])
forward b[n] = map
    = (1 / a_sum[n])
forward loss[] = sum(i)
    = (a[i] + b[i])
`,
	}, {
		name: "a chain collapses link by link; named copies stay, as copies",
		body: `input x[N, D]
    input labels[N] int
    d[i, j]  = sum(k: (x[i, k] - x[j, k])^2)
    e[i, j]  = sum(k: (x[i, k] - x[j, k])^2)
    hp[i]    = max(j | labels[j] == labels[i]: d[i, j])
    hq[i]    = max(j | labels[j] == labels[i]: e[i, j])
    loss     = sum(i: hp[i] - hq[i])`,
		want: `forward d[i,j] = sum(k)
    = pow((x[i,k] - x[j,k]), 2)
forward e[i,j] = map
    = d[i,j]
forward hp[i] = max(j)
    | (labels[j] == labels[i])
    = d[i,j]
forward hq[i] = map
    = hp[i]
forward loss[] = sum(i)
    = (hp[i] - hp[i])
`,
	}, {
		name: "near misses stay apart: another filter, another range, another tensor, another reduction, another order",
		body: `input x[N, D]
    input y[M, D]
    input labels[N] int
    a = sum(i, k: x[i, k])
    b = sum(i, k | labels[i] == 0: x[i, k])
    c = sum(i, k: y[i, k])
    e = max(i, k: x[i, k])
    f = sum(k, i: x[i, k])
    loss = a + b + c + e + f`,
		want: `forward a[] = sum(i,k)
    = x[i,k]
forward b[] = sum(i,k)
    | (labels[i] == 0)
    = x[i,k]
forward c[] = sum(i,k)
    = y[i,k]
forward e[] = max(i,k)
    = x[i,k]
forward f[] = sum(k,i)
    = x[i,k]
forward loss[] = map
    = ((((a + b) + c) + e) + f)
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			src := "loss t {\n    " + tc.body + "\n}\n"
			require.Equal(t, tc.want, merged(t, src))
		})
	}
}
