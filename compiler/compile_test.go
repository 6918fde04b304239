package compiler_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files (generated/, compiler/testdata/*.ir and compiler/testdata/schedule/)")

type shipped struct {
	name, path string
	src        []byte
}

func shippedSpecs(t *testing.T) []shipped {
	paths, err := filepath.Glob("../specs/*.loss")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	sort.Strings(paths)
	var out []shipped
	for _, p := range paths {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		out = append(out, shipped{name: strings.TrimSuffix(filepath.Base(p), ".loss"), path: p, src: src})
	}
	return out
}

// compile compiles a shipped spec as go generate does into generated/.
func compile(t *testing.T, s shipped) []compiler.File {
	pkg, err := compiler.PackageName(s.name)
	require.NoError(t, err)
	files, err := compiler.Compile(s.path, s.src, compiler.Options{SpecPath: "../../specs/" + s.name + ".loss", ImportPath: "github.com/lossgen/lossgen/generated/" + pkg})
	require.NoError(t, err)
	return files
}

// TestGoldenGenerated compares the compiler's output for every shipped spec
// with the committed package in generated/. With -update it rewrites them
// (as go generate would).
func TestGoldenGenerated(t *testing.T) {
	for _, s := range shippedSpecs(t) {
		t.Run(s.name, func(t *testing.T) {
			pkg, err := compiler.PackageName(s.name)
			require.NoError(t, err)
			dir := filepath.Join("..", "generated", pkg)
			files := compile(t, s)
			want := map[string]bool{}
			for _, f := range files {
				want[f.Name] = true
				path := filepath.Join(dir, f.Name)
				if *update {
					require.NoError(t, os.MkdirAll(dir, 0o755))
					require.NoError(t, os.WriteFile(path, f.Content, 0o644))
					continue
				}
				golden, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./compiler -update")
				require.Equal(t, string(golden), string(f.Content), "%s differs from the compiler's output", path)
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			for _, e := range entries {
				require.True(t, want[e.Name()], "%s/%s is not emitted by the compiler", dir, e.Name())
			}
		})
	}
}

// TestGoldenIR pins the lowered and differentiated program of every
// shipped spec: a change in lowering, differentiation or simplification
// shows up here as a readable diff before it shows up in Go.
func TestGoldenIR(t *testing.T) {
	for _, s := range shippedSpecs(t) {
		t.Run(s.name, func(t *testing.T) {
			p, err := compiler.Build(s.path, s.src)
			require.NoError(t, err)
			got := ir.Dump(p)
			path := filepath.Join("testdata", s.name+".ir")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			golden, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./compiler -update")
			require.Equal(t, string(golden), got)
		})
	}
}

// TestDeterministic compiles every spec twice, and once more under another
// file name, and requires byte-identical output: no map order, timestamps
// or paths other than the recorded relative spec path may leak in.
func TestDeterministic(t *testing.T) {
	for _, s := range shippedSpecs(t) {
		first := compile(t, s)
		second := compile(t, s)
		abs, err := filepath.Abs(s.path)
		require.NoError(t, err)
		pkg, err := compiler.PackageName(s.name)
		require.NoError(t, err)
		third, err := compiler.Compile(abs, s.src, compiler.Options{SpecPath: "../../specs/" + s.name + ".loss", ImportPath: "github.com/lossgen/lossgen/generated/" + pkg})
		require.NoError(t, err)
		require.Equal(t, len(first), len(second))
		for i := range first {
			require.Equal(t, first[i].Name, second[i].Name)
			require.True(t, bytes.Equal(first[i].Content, second[i].Content), "%s: second compile differs", first[i].Name)
			require.True(t, bytes.Equal(first[i].Content, third[i].Content), "%s: output depends on the spec's file name", first[i].Name)
			require.NotContains(t, string(first[i].Content), abs)
		}
	}
}

// TestDiagnosticIsReported checks that a spec error comes back as a
// diagnostic in file:line:col form, not as an internal error.
func TestDiagnosticIsReported(t *testing.T) {
	_, err := compiler.Compile("bad.loss", []byte("loss bad {\n    input x[N]\n    loss = sum(i: y[i])\n}\n"), compiler.Options{})
	require.Error(t, err)
	require.True(t, compiler.IsDiagnostic(err))
	require.Contains(t, err.Error(), "bad.loss:3:19")
}

// TestOptions checks -pkg and -type: one float type, a different package
// name, both recorded in the header (-pkg where PkgFlag says the directory
// does not give the name).
func TestOptions(t *testing.T) {
	s := shippedSpecs(t)[0]
	files, err := compiler.Compile(s.path, s.src, compiler.Options{Package: "mine", PkgFlag: true, Types: []string{"float32"}, SpecPath: "x/" + s.name + ".loss"})
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		require.Contains(t, string(f.Content), "package mine\n")
		require.True(t, strings.HasPrefix(string(f.Content), `// Code generated by "lossgen compile -pkg mine -type float32 -o . x/`+s.name+`.loss"; DO NOT EDIT.`), f.Name)
		require.NotContains(t, string(f.Content), "Inputs64")
	}
	require.Equal(t, []string{s.name + ".go", s.name + "_float32.go", s.name + "_test.go"}, names)
	_, err = compiler.Compile(s.path, s.src, compiler.Options{Types: []string{"float16"}})
	require.Error(t, err)
}

// TestHalfPowerIsSqrt: x^0.5 is lowered to sqrt, whose gradient rule is safe
// at 0 (pow's is infinite there); other powers stay pow.
func TestHalfPowerIsSqrt(t *testing.T) {
	src := []byte("loss half {\n    input x[N]\n    loss = sum(i: x[i]^0.5 + x[i]^(1 / 2) + x[i]^0.25)\n}\n")
	p, err := compiler.Build("half.loss", src)
	require.NoError(t, err)
	dump := ir.Dump(p)
	// Both spellings of the half power become the same sqrt, bound once.
	require.Contains(t, dump, "t2 := sqrt(%t1)", dump)
	require.Contains(t, dump, "(%t2 + %t2)", dump)
	require.NotContains(t, dump, ", 0.5)", dump)
	require.Contains(t, dump, "pow(%t1, 0.25)", dump)
}

// TestGoldenSchedule pins the schedule of every shipped spec, as lossgen
// explain -schedule prints it: a change in fusion, kernel choice, parallel
// split, storage or unrolling shows up here as a readable diff.
func TestGoldenSchedule(t *testing.T) {
	for _, s := range shippedSpecs(t) {
		t.Run(s.name, func(t *testing.T) {
			p, err := compiler.Build(s.path, s.src)
			require.NoError(t, err)
			sched, err := compiler.Schedule(p, nil)
			require.NoError(t, err)
			got := sched.Text()
			path := filepath.Join("testdata", "schedule", s.name+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			golden, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./compiler -run TestGoldenSchedule -update")
			require.Equal(t, string(golden), got)
		})
	}
}
