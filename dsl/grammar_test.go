package dsl

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite grammar.ebnf from the parser")

// TestGrammarEBNF keeps grammar.ebnf, the readable form of the grammar, in
// step with the struct tags that define it.
func TestGrammarEBNF(t *testing.T) {
	got := GrammarEBNF() + "\n"
	if *update {
		require.NoError(t, os.WriteFile("grammar.ebnf", []byte(got), 0o644))
	}
	want, err := os.ReadFile("grammar.ebnf")
	require.NoError(t, err)
	require.Equal(t, string(want), got, "grammar.ebnf is stale: run go test ./dsl -run TestGrammarEBNF -update")
}

func specFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../specs/*.loss")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// TestShippedSpecs: every spec in specs/ parses and checks.
func TestShippedSpecs(t *testing.T) {
	for _, file := range specFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			p, err := Load(file, src)
			require.NoError(t, err)
			require.NotNil(t, p.Result)
			require.Equal(t, "loss", p.Result.Name)
			require.Same(t, p.Result, p.Defs[len(p.Defs)-1])
			require.Empty(t, p.Result.Shape)
			require.Equal(t, Real, p.Result.Type)
			require.NotEmpty(t, p.Doc)
			checkSharedSizes(t, p)
		})
	}
}

// checkSharedSizes asserts that every shape and range uses the Size
// pointers of Program.Sizes, which later stages compare by identity.
func checkSharedSizes(t *testing.T, p *Program) {
	t.Helper()
	known := map[*Size]bool{}
	for _, s := range p.Sizes {
		known[s] = true
	}
	for _, in := range p.Inputs {
		for _, s := range in.Shape {
			require.True(t, known[s], "input %s", in.Name)
		}
	}
	for _, d := range p.Defs {
		for k, s := range d.Shape {
			require.True(t, known[s], "def %s", d.Name)
			require.Same(t, s, d.Index[k].Range)
		}
		Walk(d.Body, func(e Expr) {
			if r, ok := e.(*Reduce); ok {
				for _, v := range r.Vars {
					require.True(t, known[v.Range], "reduce in %s", d.Name)
				}
			}
		})
	}
}

// TestAnnotationKeywordsAsNames: newlines are insignificant, so the keyword
// after an input may be its annotation or the name of the next definition.
// Followed by "=" or "[" it is a definition; otherwise an annotation, on
// the input's line or the next.
func TestAnnotationKeywordsAsNames(t *testing.T) {
	src := `loss a {
    input x[N]
    grad = 2
    input y[N] real
    real[i] = y[i] * grad
    input w[N]
    nograd
    input l[N] int
    int = count(j | l[j] == 0)
    input v[N] real nograd
    nograd[i] = real(l[i]) + real[i]
    loss = sum(i: x[i] * nograd[i] * w[i] * v[i]) + int
}`
	p, err := Load("a.loss", []byte(src))
	require.NoError(t, err)
	require.Len(t, p.Inputs, 5)
	x, y, w, l, v := p.Inputs[0], p.Inputs[1], p.Inputs[2], p.Inputs[3], p.Inputs[4]
	require.True(t, x.Diff, "grad = 2 is a definition, not x's annotation")
	require.True(t, y.Diff && !y.Int)
	require.False(t, w.Diff, "nograd on the next line annotates w")
	require.True(t, l.Int)
	require.False(t, v.Diff)
	var names []string
	for _, d := range p.Defs {
		names = append(names, d.Name)
	}
	require.Equal(t, []string{"grad", "real", "int", "nograd", "loss"}, names)
	// real(...) is still the conversion where a definition named real exists.
	body := p.Defs[3].Body.(*Binary)
	require.Equal(t, "real", body.X.(*Call).Fn)
	require.Equal(t, "real", body.Y.(*Access).Def.Name)
}
