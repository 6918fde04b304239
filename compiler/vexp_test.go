package compiler_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
)

// Exponentials along a reduction's innermost loop are taken a block at a
// time (codegen/vexp.go) wherever the argument can be computed ahead of the
// steps, and not where it cannot: under a filter, a gathered subscript may
// be out of range for the steps the filter skips (an ignored label of -1).
// Every case compiles to code that type-checks, including a local that
// only the exponential read (the steps drop it: Go refuses unused ones).
func TestVexpRules(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       bool
	}{
		{"filtered sum", "l[i] = log(sum(j | j != i: exp(s[i, j] / t)))", true},
		{"inside a product", "l[i] = sum(j: w[j] * exp(-s[i, j] * t))", true},
		{"two sums, one loop", "l[i] = log(sum(j: exp(s[i, j])) + sum(j: exp(-s[i, j] * t)))", true},
		{"a local only the exponential reads", "l[i] = sum(j: exp(s[i, j] * s[i, j] + w[j]))", true},
		{"adjoint of a max-shifted sum", "m[i] = max(j: s[i, j])\n    l[i] = log(sum(j: exp(s[i, j] - m[i]))) + m[i]", true},
		{"gather under a filter", "l[i] = sum(j | y[j] >= 0: exp(s[i, y[j]]))", false},
		{"gather without a filter", "l[i] = sum(j: exp(s[i, y[j]]))", true},
		{"argument constant along the loop", "l[i] = sum(j: w[j] * exp(s[i, i]))", false},
	} {
		src := "loss v {\n    param t = 0.5\n    input s[N, N]\n    input w[N]\n    input y[N] int\n\n    " +
			tt.body + "\n    loss = mean(i: l[i])\n}\n"
		p, err := compiler.Build("v.loss", []byte(src))
		require.NoError(t, err, tt.name)
		s, err := compiler.Schedule(p, nil)
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, strings.Contains(s.Text(), "exp along"), "%s:\n%s", tt.name, s.Text())
		files, err := compiler.Compile("v.loss", []byte(src), compiler.Options{})
		require.NoError(t, err, tt.name)
		_, err = typeCheck(files)
		require.NoError(t, err, tt.name)
		var code string
		for _, f := range files {
			code += string(f.Content)
		}
		require.Equal(t, tt.want, strings.Contains(code, "lossrt.ExpInPlace(expBlk0[:blkEnd-blk])"), tt.name)
	}
}
