package dsl

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFormatGolden formats testdata/format/*.input and compares with the
// .golden file next to it (go test ./dsl -run TestFormatGolden -update
// rewrites them).
func TestFormatGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/format/*.input")
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			require.NoError(t, err)
			got, err := Format(in, src)
			require.NoError(t, err)
			golden := strings.TrimSuffix(in, ".input") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
			checkFormatted(t, in, src, got)
		})
	}
}

// TestFormatExpressions pins the spacing and the minimal parentheses.
func TestFormatExpressions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(x * y) + z", "x * y + z"},
		{"x - (y - z)", "x - (y - z)"},
		{"(x - y) - z", "x - y - z"},
		{"x / (y * z)", "x / (y * z)"},
		{"(x / y) * z", "x / y * z"},
		{"-(x^2)", "-x^2"},
		{"(-x)^2", "(-x)^2"},
		{"x^(-1)", "x^-1"},
		{"x ^ - 1", "x^-1"},
		{"x^(y^z)", "x^y^z"},
		{"(x^y)^z", "(x^y)^z"},
		{"((x))", "x"},
		{"-(-x)", "- -x"},
		{"- - -x", "- - -x"},
		{"!(!x)", "!!x"},
		{"(a < b) == (c < d)", "(a < b) == (c < d)"},
		{"(a || b) && c", "(a || b) && c"},
		{"a || (b && c)", "a || b && c"},
		{"(a || b) || c", "a || b || c"},
		{"a || (b || c)", "a || (b || c)"},
		{"!(a && b)", "!(a && b)"},
		{"(a + b) < c", "a + b < c"},
		{"-(x + y)", "-(x + y)"},
		{"f((x + y))", "f(x + y)"},
		{"sum(i|(a||b):(x[i]))", "sum(i | a || b: x[i])"},
		{"max(j | labels[j] != labels[i] : d[i,j])", "max(j | labels[j] != labels[i]: d[i, j])"},
		{"sum(u in U,k:x[u,k])", "sum(u in U, k: x[u, k])"},
		{"count(|a)", "count(| a)"},
		{"g(a:x,b:y,c:z)", "g(a: x, b: y, c: z)"},
		{"x[(i)]", "x[i]"},
		{"2*-x", "2 * -x"},
		{"a--b", "a - -b"},
		{"(a * b)^2", "(a * b)^2"},
		{"(2)^(3)", "2^3"},
		{"1e-12+.5", "1e-12 + .5"},
	}
	for _, tt := range tests {
		src := "loss t {\n    v = " + tt.in + "\n}\n"
		got, err := Format("t.loss", []byte(src))
		require.NoError(t, err, tt.in)
		require.Equal(t, "loss t {\n    v = "+tt.want+"\n}\n", string(got), tt.in)
		checkFormatted(t, "t.loss", []byte(src), got)
	}
}

// TestFormatSyntaxError: a spec that does not parse gets the parser's
// diagnostics and no output.
func TestFormatSyntaxError(t *testing.T) {
	for _, src := range []string{"loss a {\n  d = (1 + \n}", "", "loss a { x = 1 } y", "loss a {\n  x = 1 # c\n}"} {
		out, err := Format("e.loss", []byte(src))
		require.Nil(t, out)
		var list ErrorList
		require.True(t, errors.As(err, &list), "%q: %v", src, err)
		_, perr := Parse("e.loss", []byte(src))
		require.Equal(t, perr.Error(), err.Error())
	}
}

// formatCorpus returns every spec the formatter's properties are tested
// on: the shipped specs, the dsl and compiler test specs and the complete
// examples of docs/language.md.
func formatCorpus(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, root := range []string{"../specs", "testdata", "../compiler/testdata/lang"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".loss") {
				return err
			}
			src, err := os.ReadFile(path)
			out[path] = src
			return err
		})
		require.NoError(t, err)
	}
	md, err := os.ReadFile(filepath.Join("..", "docs", "language.md"))
	require.NoError(t, err)
	for _, b := range lossBlocks(string(md)) {
		if b.info == "loss" {
			out["language.md:"+strconv.Itoa(b.line)] = []byte(b.src)
		}
	}
	require.GreaterOrEqual(t, len(out), 30)
	return out
}

// TestFormatProperties: on every spec of the corpus, Format is idempotent,
// keeps every comment, and keeps the parse and the checked program.
func TestFormatProperties(t *testing.T) {
	for name, src := range formatCorpus(t) {
		t.Run(name, func(t *testing.T) {
			got, err := Format(name, src)
			require.NoError(t, err)
			checkFormatted(t, name, src, got)
		})
	}
}

// TestFormatFuzzCorpus runs the properties on every input of the fuzz
// corpora that parses.
func TestFormatFuzzCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/fuzz/Fuzz*/*")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	n := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[1], "[]byte(") {
			continue
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			continue
		}
		got, err := Format(file, []byte(s))
		if err != nil {
			continue
		}
		n++
		checkFormatted(t, file, []byte(s), got)
	}
	t.Logf("%d of %d corpus inputs parse and were formatted", n, len(files))
}

// FuzzFormat checks the syntactic properties of Format on any input that
// parses.
func FuzzFormat(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		defer watchdog(src).Stop()
		got, err := Format("fuzz.loss", src)
		if err != nil {
			return
		}
		checkFormattedSyntax(t, "fuzz.loss", src, got)
	})
}

// checkFormatted asserts the properties of got = Format(src): those of
// checkFormattedSyntax, and, when src checks, a program that checks alike.
func checkFormatted(t *testing.T, name string, src, got []byte) {
	t.Helper()
	checkFormattedSyntax(t, name, src, got)
	p1, err1 := Load(name, src)
	p2, err2 := Load(name, got)
	if err1 != nil {
		require.Error(t, err2, "%s: formatting made an invalid spec valid", name)
		return
	}
	require.NoError(t, err2, "%s: formatting made a valid spec invalid", name)
	require.Equal(t, p1.Doc, p2.Doc, "%s: doc comment changed", name)
	require.Equal(t, len(p1.Defs), len(p2.Defs))
}

// checkFormattedSyntax asserts that got = Format(src) is a fixed point of
// Format, has the comments of src, and the same declarations once printed.
func checkFormattedSyntax(t *testing.T, name string, src, got []byte) {
	t.Helper()
	again, err := Format(name, got)
	require.NoError(t, err, "%s: the formatted spec does not parse:\n%s", name, got)
	require.Equal(t, string(got), string(again), "%s: Format is not idempotent", name)
	require.Equal(t, commentTexts(t, src), commentTexts(t, got), "%s: comments changed", name)

	f1, err := Parse(name, src)
	require.NoError(t, err)
	f2, err := Parse(name, got)
	require.NoError(t, err)
	require.Equal(t, f1.Name, f2.Name)
	require.Equal(t, printedDecls(f1), printedDecls(f2), "%s: declarations changed", name)
}

func printedDecls(f *File) []string {
	var out []string
	for _, d := range f.Decls {
		lhs, rhs, text, def := printDecl(d)
		if def {
			text = lhs + " = " + rhs
		}
		out = append(out, text)
	}
	return out
}

// commentTexts is the sorted multiset of the comments of src.
func commentTexts(t *testing.T, src []byte) []string {
	t.Helper()
	toks, err := fmtTokens("c.loss", src)
	require.NoError(t, err)
	var out []string
	for _, tok := range toks {
		if tok.comment {
			out = append(out, tok.text)
		}
	}
	slices.Sort(out)
	return out
}
