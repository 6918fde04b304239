package dsl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDiagnostics: each bad spec yields its first error at the expected
// line:col with the expected message.
func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name, src, at, msg string
	}{
		{"unknown name with suggestion",
			"loss a {\n input x[N]\n input labels[N] int\n loss = sum(i: x[i] * labls[i])\n}",
			"4:23", "unknown name labls; did you mean labels?"},
		{"unknown name without suggestion",
			"loss a {\n input x[N]\n loss = sum(i: x[i] * zzzzz)\n}",
			"3:23", "unknown name zzzzz"},
		{"forward reference",
			"loss a {\n input x[N]\n loss = sum(i: d[i])\n d[i] = x[i]\n}",
			"3:16", "d is used before its declaration at 4:2"},
		{"self reference",
			"loss a {\n input x[N]\n d[i] = x[i] + d[i]\n loss = sum(i: d[i])\n}",
			"3:16", "d is used in its own definition"},
		{"index with two ranges",
			"loss a {\n input x[N]\n input w[C]\n d[i] = x[i] + w[i]\n loss = sum(i: d[i])\n}",
			"4:18", "index i used with range C here but range N at 4:11"},
		{"integer used as real",
			"loss a {\n input x[N]\n input labels[N] int\n loss = sum(i: x[i] * labels[i])\n}",
			"4:23", "integer value labels[i] used as a real; convert with real(...)"},
		{"index used as real",
			"loss a {\n input x[N]\n loss = sum(i: x[i] + i)\n}",
			"3:23", "index variable i used as a real value"},
		{"gradient through a label",
			"loss a {\n input x[N]\n input labels[N] int grad\n loss = sum(i: x[i])\n}",
			"3:22", "labels is an integer input: gradients flow only through real inputs"},
		{"missing result",
			"loss a {\n input x[N]\n d = sum(i: x[i])\n}",
			"4:1", "missing result: define `loss = ...`"},
		{"result not scalar",
			"loss a {\n input x[N]\n loss[i] = x[i]\n}",
			"3:2", "the result loss must be a scalar, but it has indices [i]"},
		{"result not last",
			"loss a {\n input x[N]\n loss = sum(i: x[i])\n e = 1\n}",
			"4:2", "loss must be the last definition, but e follows it"},
		{"syntax: missing closing brace",
			"loss a {\n input x[N]\n loss = sum(i: x[i])\n",
			"4:1", `unexpected end of file (expected declaration or "}")`},
		{"syntax: bad token",
			"loss a {\n input x[N]\n loss = sum(i: x[i]) # 2\n}",
			"3:22", `invalid character "#"`},
		{"syntax: missing expression",
			"loss a {\n input x[N]\n loss = sum(i: x[i]) +\n}",
			"4:1", `unexpected "}" (expected expression)`},
		{"syntax: missing name",
			"loss {\n}",
			"1:6", `unexpected "{" (expected name)`},
		{"syntax: unclosed paren",
			"loss a {\n input x[N]\n loss = (sum(i: x[i])\n}",
			"3:9", `unclosed "(": no ")" closes it before "}" at 4:1`},
		{"syntax: unclosed call before the next definition",
			"loss a {\n input x[N]\n d = sum(i: (x[i] + 1)\n loss = d\n}",
			"3:9", `unclosed "(": no ")" closes it before "loss" at 4:2`},
		{"syntax: unclosed bracket",
			"loss a {\n input x[N]\n d[i] = x[i\n loss = sum(i: d[i])\n}",
			"3:10", `unclosed "[": no "]" closes it before "loss" at 4:2`},
		{"syntax: unclosed paren at the end of the file",
			"loss a {\n input x[N]\n loss = sum(i: x[i]",
			"3:12", `unclosed "(": no ")" closes it before the end of the file`},
		{"syntax: unclosed paren, error on its own line",
			"loss a {\n input x[N]\n loss = (sum(i: x[i]) }",
			"3:23", `unexpected "}" (expected ")")`},
		{"syntax: operand missing in an unclosed paren",
			"loss a {\n input x[N]\n loss = (sum(i: x[i]) +\n}",
			"4:1", `unexpected "}" (expected expression)`},
		{"syntax: bad token inside balanced parens",
			"loss a {\n input x[N]\n loss = sum(i: x[i] x[i])\n}",
			"3:21", `unexpected "x" (expected ")")`},
		{"syntax: chained comparison",
			"loss a {\n input x[N]\n loss = sum(i | 0 < x[i] < 1: x[i])\n}",
			"3:26", "comparisons do not chain"},
		{"wrong subscript count",
			"loss a {\n input logits[N, C]\n loss = sum(i: logits[i])\n}",
			"3:16", "logits has 2 dimensions, got 1 subscript"},
		{"unrangeable reduction index",
			"loss a {\n input x[N]\n loss = sum(i, k: x[i])\n}",
			"3:16", "cannot infer the range of index k"},
		{"unrangeable definition index",
			"loss a {\n input x[N]\n d[i] = 1\n loss = sum(i: x[i])\n}",
			"3:4", "cannot infer the range of index i"},
		{"exponent not constant",
			"loss a {\n input x[N]\n loss = sum(i: x[i]^x[i])\n}",
			"3:21", "exponent must be a constant"},
		{"duplicate name",
			"loss a {\n input x[N]\n param x = 1\n loss = sum(i: x[i])\n}",
			"3:8", "duplicate name x: already declared as an input at 2:8"},
		{"duplicate size and param",
			"loss a {\n param N = 1\n input x[N]\n loss = sum(i: x[i])\n}",
			"3:10", "N is a param, not a size"},
		{"duplicate lhs index",
			"loss a {\n input x[N]\n d[i, i] = x[i]\n loss = sum(i: d[i, i])\n}",
			"3:7", "index i appears twice"},
		{"reduction shadows index",
			"loss a {\n input x[N]\n loss = sum(i: sum(i: x[i]))\n}",
			"3:20", "reduction variable i shadows the index i bound at 3:13"},
		{"unknown function",
			"loss a {\n input x[N]\n loss = sum(i: epx(x[i]))\n}",
			"3:16", "unknown function epx; did you mean exp? (the functions are abs, acos, clamp, cos, count, exp, log, log1p, logsumexp, max, mean, min, real, relu, sigmoid, sign, sin, softplus, sqrt, stopgrad, sum, tanh, where)"},
		{"unknown function far from any",
			"loss a {\n input x[N]\n loss = sum(i: swish(x[i]))\n}",
			"3:16", "unknown function swish (the functions are abs, acos, clamp,"},
		{"clamp arity",
			"loss a {\n input x[N]\n loss = sum(i: clamp(x[i], 0))\n}",
			"3:16", "clamp takes 3 arguments, got 2"},
		{"clamp of an integer",
			"loss a {\n input x[N]\n input l[N] int\n loss = sum(i: clamp(x[i], l[i], 1))\n}",
			"4:28", "integer value l[i] used as a real"},
		{"tanh as a reduction",
			"loss a {\n input x[N]\n loss = tanh(i: x[i])\n}",
			"3:15", "tanh is not a reduction"},
		{"binder not a name",
			"loss a {\n input x[N]\n loss = sum(x[0]: 1)\n}",
			"3:13", "reduction variables must be plain names"},
		{"where needs a condition",
			"loss a {\n input x[N]\n input l[N] int\n loss = sum(i: where(l[i], x[i], 0))\n}",
			"4:22", "the condition of where must be a comparison"},
		{"int compared with real",
			"loss a {\n input x[N]\n input l[N] int\n loss = count(j | l[j] == 1.5)\n}",
			"4:24", "mismatched types in comparison"},
		{"filter not a condition",
			"loss a {\n input x[N]\n loss = sum(j | x[j]: x[j])\n}",
			"3:17", "the filter of sum must be a condition"},
		{"count with a body",
			"loss a {\n input x[N]\n loss = count(j: x[j])\n}",
			"3:16", "count takes no body"},
		{"sum without body",
			"loss a {\n input x[N]\n loss = sum(j | x[j] > 0)\n}",
			"3:9", "sum needs a body"},
		{"elementwise with filter",
			"loss a {\n input x[N]\n loss = sum(j: exp(x[j] | x[j] > 0))\n}",
			"3:25", "exp is not a reduction"},
		{"wrong arity",
			"loss a {\n input x[N]\n loss = sum(j: max(x[j]))\n}",
			"3:16", "max takes 2 arguments, got 1"},
		{"bad subscript",
			"loss a {\n input x[N]\n loss = x[0]\n}",
			"3:11", "subscript of x must be an index variable or an integer label"},
		{"subscripting a size",
			"loss a {\n input x[N]\n loss = sum(i: x[i] * N[i])\n}",
			"3:23", "N is a size, not a tensor"},
		{"condition as value",
			"loss a {\n input x[N]\n loss = sum(i: x[i] > 0)\n}",
			"3:16", "condition x[i] > 0 used as a real value"},
		{"result is an integer",
			"loss a {\n input l[N] int\n loss = count(j | l[j] == 1) + 1\n c = 1\n}",
			"4:2", "loss must be the last definition"},
		{"real of a real",
			"loss a {\n input x[N]\n loss = sum(i: real(x[i]))\n}",
			"3:21", "real(...) converts an integer"},
		{"update of a definition",
			"loss a {\n input x[N]\n d[i] = x[i]\n update d[i] = 0\n loss = sum(i: d[i])\n}",
			"4:9", "update target must be a real input, but d is a definition"},
		{"update of an integer input",
			"loss a {\n input x[N]\n input l[N] int\n update l[i] = 0\n loss = sum(i: x[i])\n}",
			"4:9", "update target must be a real input, but l is an integer input"},
		{"update of an unknown name",
			"loss a {\n input x[N]\n update y[i] = 0\n loss = sum(i: x[i])\n}",
			"3:9", "unknown name y"},
		{"update rank",
			"loss a {\n input w[C, D]\n update w[c] = 0\n loss = sum(c, k: w[c, k])\n}",
			"3:9", "update of w needs 2 index variables, one per dimension of w[C, D], got 1"},
		{"update twice",
			"loss a {\n input x[N]\n update x[i] = 0\n update x[j] = 1\n loss = sum(i: x[i])\n}",
			"4:9", "x is already updated at 3:9: at most one update per input"},
		{"update index range",
			"loss a {\n input x[N]\n input w[C]\n update w[i] = w[i] + x[i]\n loss = sum(i: x[i])\n}",
			"4:25", "index i used with range N here but range C at 4:11"},
		{"update body integer",
			"loss a {\n input x[N]\n input l[N] int\n update x[i] = l[i]\n loss = sum(i: x[i])\n}",
			"4:16", "integer value l[i] used as a real"},
		{"update index shadows",
			"loss a {\n input x[N]\n update x[N] = 0\n loss = sum(i: x[i])\n}",
			"3:11", "index N shadows a size N"},
		{"update reads a later definition",
			"loss a {\n input x[N]\n update x[i] = d[i]\n d[i] = x[i]\n loss = sum(i: d[i])\n}",
			"3:16", "d is used before its declaration at 4:2"},
		{"use a missing spec",
			"loss a {\n use nowhere\n input x[N]\n loss = sum(i: x[i])\n}",
			"2:6", "cannot find spec nowhere.loss next to bad.loss"},
		{"syntax: use without a name",
			"loss a {\n use 3\n input x[N]\n loss = sum(i: x[i])\n}",
			"2:6", `unexpected "3" (expected spec name or "path.loss")`},
		{"syntax: unterminated path",
			"loss a {\n use \"x.loss\n input x[N]\n loss = sum(i: x[i])\n}",
			"2:6", `invalid character "\""`},
		{"syntax: positional after named",
			"loss a {\n use f\n input x[N]\n c = f(a: x, x)\n loss = c\n}",
			"4:15", `unexpected ")" (expected ":")`},
		{"reserved result name",
			"loss a {\n input loss[N]\n d = sum(i: loss[i])\n}",
			"2:8", "loss is reserved for the result"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("bad.loss", []byte(tc.src))
			require.Error(t, err)
			var list ErrorList
			require.True(t, errors.As(err, &list), "error type %T", err)
			require.NotEmpty(t, list)
			first := list[0]
			require.Equal(t, tc.at, fmt.Sprintf("%d:%d", first.Pos.Line, first.Pos.Column), "all errors:\n%v", err)
			require.Contains(t, first.Msg, tc.msg, "all errors:\n%v", err)
			require.True(t, strings.HasPrefix(err.Error(), "bad.loss:"+tc.at+": "), err.Error())
		})
	}
}

// TestCheckedStructure spot-checks what the checker builds for the design's
// batch-hard triplet example, which exercises filters, gathers, count and
// binary max.
func TestCheckedStructure(t *testing.T) {
	src := `// Batch-hard triplet loss.
loss batch_hard_triplet {
    param margin = 0.3
    param neg = -2
    input x[N, D]
    input labels[N] int
    input w[N] real nograd

    d[i, j] = sqrt(sum(k: (x[i,k] - x[j,k])^2) + 1e-12)
    hp[i]   = max(j | labels[j] == labels[i] && j != i: d[i, j])
    hn[i]   = min(j | labels[j] != labels[i]: d[i, j])
    c[i]    = count(j | labels[j] == labels[i] && j < N - 1)
    loss    = mean(i: w[i] * relu(hp[i] - hn[i] + margin) + max(c[i], 1) * -w[i]^2) / N
}`
	p, err := Load("bht.loss", []byte(src))
	require.NoError(t, err)
	require.Equal(t, "batch_hard_triplet", p.Name)
	require.Equal(t, "Batch-hard triplet loss.", p.Doc)
	require.Len(t, p.Sizes, 2)
	require.Equal(t, -2.0, p.Params[1].Default)
	x, labels, w := p.Inputs[0], p.Inputs[1], p.Inputs[2]
	require.True(t, x.Diff)
	require.False(t, x.Int)
	require.True(t, labels.Int)
	require.False(t, labels.Diff)
	require.False(t, w.Diff)
	require.Equal(t, Pos{Offset: strings.Index(src, "x[N, D]"), Line: 5, Column: 11}, x.Pos)

	d := p.Defs[0]
	require.Equal(t, []*Size{p.Sizes[0], p.Sizes[0]}, d.Shape)
	sq := d.Body.(*Call)
	require.Equal(t, "sqrt", sq.Fn)
	sum := sq.Args[0].(*Binary).X.(*Reduce)
	require.Equal(t, "sum", sum.Op)
	require.Same(t, p.Sizes[1], sum.Vars[0].Range)
	require.Equal(t, Pos{Offset: strings.Index(src, "sum(k:"), Line: 9, Column: 20}, sum.Pos)

	hp := p.Defs[1].Body.(*Reduce)
	require.Equal(t, "max", hp.Op)
	require.Equal(t, Bool, hp.Filter.Type())
	and := hp.Filter.(*Binary)
	require.Equal(t, "&&", and.Op)
	ne := and.Y.(*Binary)
	require.IsType(t, &IndexRef{}, ne.X)
	require.Same(t, hp.Vars[0], ne.X.(*IndexRef).Var)
	require.Same(t, p.Defs[1].Index[0], ne.Y.(*IndexRef).Var)

	// j < N - 1: the size expression takes the integer type of j.
	cnt := p.Defs[3].Body.(*Reduce)
	require.Nil(t, cnt.Body)
	lt := cnt.Filter.(*Binary).Y.(*Binary)
	require.Equal(t, Int, lt.Y.Type())
	require.Equal(t, Int, lt.Y.(*Binary).X.(*SizeRef).Typ)
	require.Equal(t, Int, lt.Y.(*Binary).Y.(*Num).Typ)

	// -x^2 is -(x^2); / N uses N as a real.
	div := p.Result.Body.(*Binary)
	require.Equal(t, "/", div.Op)
	require.Equal(t, Real, div.Y.(*SizeRef).Typ)
	mean := div.X.(*Reduce)
	plus := mean.Body.(*Binary)
	neg := plus.Y.(*Binary).Y.(*Unary)
	require.Equal(t, "-", neg.Op)
	require.Equal(t, "^", neg.X.(*Binary).Op)
	require.Equal(t, "max", plus.Y.(*Binary).X.(*Call).Fn)
}

// TestGatherAndComparison checks that labels[i] in a subscript is a gather
// and that y[i] == 1 types the literal as an integer.
func TestGatherAndComparison(t *testing.T) {
	src := "loss g {\n input logits[N, C]\n input y[N] int\n loss = mean(i: where(y[i] == 1, logits[i, y[i]], 0))\n}"
	p, err := Load("g.loss", []byte(src))
	require.NoError(t, err)
	where := p.Result.Body.(*Reduce).Body.(*Call)
	eq := where.Args[0].(*Binary)
	require.Equal(t, Int, eq.Y.(*Num).Typ)
	acc := where.Args[1].(*Access)
	require.Same(t, p.Inputs[0], acc.Input)
	gather := acc.Index[1].(*Access)
	require.Same(t, p.Inputs[1], gather.Input)
	require.Equal(t, Int, gather.Typ)
}
