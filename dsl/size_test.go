package dsl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// heteroSpec is the hetero-centre loss: the identity u is compared with
// labels but subscripts no input, so it needs `size U` and `u in U`.
const heteroSpec = `// Hetero-centre loss.
loss hetero {
    size U
    input v[N, D]
    input t[M, D]
    input vl[N] int
    input tl[M] int

    nv[u in U] = count(j | vl[j] == u)
    c1[u in U, k] = mean(j | vl[j] == u: v[j, k])
    c2[u in U, k] = mean(j | tl[j] == u: t[j, k])
    loss = sum(u in U, k | nv[u] > 0 && count(j | tl[j] == u) > 0: (c1[u, k] - c2[u, k])^2)
}`

// TestSizeDeclAndExplicitRange checks what the checker builds from `size`
// and `u in U`: the size in Program.Sizes in order of first appearance, and
// every annotated IndexVar ranging over it.
func TestSizeDeclAndExplicitRange(t *testing.T) {
	p, err := Load("hetero.loss", []byte(heteroSpec))
	require.NoError(t, err)
	require.Equal(t, []string{"U", "N", "D", "M"}, sizeNames(p.Sizes))
	u := p.Sizes[0]
	require.Equal(t, Pos{Offset: strings.Index(heteroSpec, "U\n"), Line: 3, Column: 10}, u.Pos)
	for _, d := range p.Defs[:3] {
		require.Same(t, u, d.Index[0].Range, d.Name)
		require.Same(t, u, d.Shape[0], d.Name)
	}
	require.Same(t, p.Sizes[2], p.Defs[1].Shape[1]) // k inferred from v[j, k]
	sum := p.Result.Body.(*Reduce)
	require.Same(t, u, sum.Vars[0].Range)
	require.Same(t, p.Sizes[2], sum.Vars[1].Range)
	checkSharedSizes(t, p)

	// `size` after the input shape that names it, or before, is the same
	// size: redundant, not an error.
	for _, src := range []string{
		"loss a {\n input x[N]\n size N\n loss = sum(i in N: x[i])\n}",
		"loss a {\n size N\n input x[N]\n loss = sum(i in N: x[i])\n}",
		"loss a {\n size N, K\n input x[N]\n d[i in N, k in K] = x[i]\n loss = sum(i, k: d[i, k]) / K\n}",
	} {
		p, err := Load("a.loss", []byte(src))
		require.NoError(t, err, src)
		require.Equal(t, "N", p.Sizes[0].Name)
		require.Same(t, p.Inputs[0].Shape[0], p.Sizes[0])
		checkSharedSizes(t, p)
	}

	// An update rule may state the ranges of its indices too.
	p, err = Load("a.loss", []byte("loss a {\n input w[C, D]\n update w[c in C, k] = 0\n loss = sum(c, k: w[c, k])\n}"))
	require.NoError(t, err)
	require.Same(t, p.Sizes[0], p.Updates[0].Index[0].Range)
}

// TestSizeDiagnostics: the errors of size declarations and explicit
// ranges, each at its line:col.
func TestSizeDiagnostics(t *testing.T) {
	tests := []struct {
		name, src, at, msg string
	}{
		{"undeclared size in a reduction",
			"loss a {\n input l[N] int\n loss = sum(u in U: count(j | l[j] == u))\n}",
			"3:18", "unknown size U: declare it with `size U` (or use it in an input's shape) before this"},
		{"undeclared size on a definition",
			"loss a {\n input l[N] int\n c[u in U] = count(j | l[j] == u)\n loss = 1\n}",
			"3:9", "unknown size U"},
		{"size declared after its use",
			"loss a {\n input l[N] int\n loss = sum(u in U: count(j | l[j] == u))\n size U\n}",
			"3:18", "size U is used before its declaration at 4:7"},
		{"explicit range conflicts with a use",
			"loss a {\n size U\n input x[N]\n loss = sum(u in U: x[u])\n}",
			"4:23", "index u is used with range N here but is declared in U at 4:18"},
		{"explicit range on the left conflicts with a use",
			"loss a {\n size U\n input x[N]\n d[i in U] = x[i]\n loss = sum(i: d[i])\n}",
			"4:16", "index i is used with range N here but is declared in U at 4:9"},
		{"size declared twice",
			"loss a {\n size U\n input x[N]\n size U\n loss = sum(i: x[i])\n}",
			"4:7", "size U is declared twice (first at 2:7)"},
		{"size declared twice in one declaration",
			"loss a {\n size U, U\n input x[N]\n loss = sum(i: x[i])\n}",
			"2:10", "size U is declared twice (first at 2:7)"},
		{"size named like a param",
			"loss a {\n param U = 1\n size U\n input x[N]\n loss = sum(i: x[i])\n}",
			"3:7", "duplicate name U: already declared as a param at 2:8"},
		{"range is not a size",
			"loss a {\n input x[N]\n loss = sum(i in x: x[i])\n}",
			"3:18", "x is an input, not a size (declared at 2:8)"},
		{"range is an index variable",
			"loss a {\n input x[N]\n loss = sum(i: sum(j in i: x[j]))\n}",
			"3:25", "i is an index variable, not a size"},
		{"range on an elementwise argument",
			"loss a {\n input x[N]\n loss = sum(i: exp(x[i] in N))\n}",
			"3:28", "exp is not a reduction: `in SIZE` gives the range of a reduction variable"},
		{"range on an update index",
			"loss a {\n size U\n input w[C, D]\n update w[c in U, k] = 0\n loss = sum(c, k: w[c, k])\n}",
			"4:16", "index c is declared in U but ranges over dimension 1 of w[C, D], C"},
		{"uninferable index suggests a range",
			"loss a {\n input l[N] int\n loss = sum(u: count(j | l[j] == u))\n}",
			"3:13", "cannot infer the range of index u: use it as a subscript of an input or definition in this sum, or give it one (u in SIZE)"},
		{"syntax: in without a size",
			"loss a {\n input x[N]\n d[i in] = x[i]\n loss = sum(i: d[i])\n}",
			"3:8", `unexpected "]" (expected name)`},
		{"syntax: empty binder list",
			"loss a {\n input x[N]\n d[] = 1\n loss = 1\n}",
			"3:4", `unexpected "]" (expected name)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("bad.loss", []byte(tc.src))
			require.Error(t, err)
			var list ErrorList
			require.True(t, errors.As(err, &list), "error type %T", err)
			first := list[0]
			require.Equal(t, tc.at, fmt.Sprintf("%d:%d", first.Pos.Line, first.Pos.Column), "all errors:\n%v", err)
			require.Contains(t, first.Msg, tc.msg, "all errors:\n%v", err)
			require.Len(t, list, 1, "one error only:\n%v", err)
		})
	}
}

// TestComposeDeclaredSize: a used spec's size that no input shape names
// binds by name to the caller's size, and is declared in the caller when
// the caller has none.
func TestComposeDeclaredSize(t *testing.T) {
	files := map[string]string{"d/hetero.loss": heteroSpec}
	call := "    h = hetero(v: a, t: b, vl: la, tl: lb)\n    loss = h\n}"
	head := "loss r {\n    use hetero\n    input a[B, E]\n    input b[B2, E]\n    input la[B] int\n    input lb[B2] int\n"

	p, err := LoadWith("d/r.loss", []byte(head+call), memFS(files))
	require.NoError(t, err)
	require.Equal(t, []string{"B", "E", "B2", "U"}, sizeNames(p.Sizes))
	require.Same(t, p.Sizes[3], p.Defs[0].Shape[0])
	checkSharedSizes(t, p)

	p, err = LoadWith("d/r.loss", []byte(strings.Replace(head, "use hetero\n", "use hetero\n    size U\n", 1)+call), memFS(files))
	require.NoError(t, err)
	require.Equal(t, []string{"U", "B", "E", "B2"}, sizeNames(p.Sizes))
	require.Same(t, p.Sizes[0], p.Defs[0].Shape[0])
	checkSharedSizes(t, p)

	_, err = LoadWith("d/r.loss", []byte(strings.Replace(head, "use hetero\n", "use hetero\n    param U = 2\n", 1)+call), memFS(files))
	require.ErrorContains(t, err, "d/r.loss:8:9: size U of hetero is in none of its inputs' shapes, so it is the size U of this spec, but U is a param (declared at 3:11)")
}
