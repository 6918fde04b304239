package compiler_test

// Limits of the whole pipeline: long specs, awkward names, spec text in
// comments, and sizes whose product overflows int. Each either compiles to
// Go that type-checks or is rejected with a diagnostic.

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/generated/triplet"
	lossrt "github.com/lossgen/lossgen/runtime"
)

// compileAndCheck compiles src, type-checks the output and checks its
// directives, and returns the files.
func compileAndCheck(t *testing.T, name, src string) []compiler.File {
	t.Helper()
	files, err := compiler.Compile(name, []byte(src), compiler.Options{})
	require.NoError(t, err, "spec:\n%s", src)
	asts, err := typeCheck(files)
	require.NoError(t, err)
	require.NoError(t, checkDirectives(files, asts))
	again, err := compiler.Compile(name, []byte(src), compiler.Options{})
	require.NoError(t, err)
	require.Equal(t, files, again, "output is not deterministic")
	return files
}

// TestLongSpec compiles specs with hundreds and thousands of inputs and
// definitions, requires the Go to type-check, and the work to grow about
// linearly: four times the spec may allocate at most eight times the bytes
// (quadratic would be sixteen). Bytes allocated, not time, so the test
// cannot fail on a busy machine; the times are logged.
func TestLongSpec(t *testing.T) {
	if testing.Short() {
		t.Skip("long spec")
	}
	long := func(n int) string {
		var b strings.Builder
		b.WriteString("loss long {\n param p = 2\n")
		for k := 0; k < n; k++ {
			fmt.Fprintf(&b, " input x%d[N, D%d]\n", k, k%7)
		}
		b.WriteString(" d0 = 0\n")
		for k := 1; k < n; k++ {
			fmt.Fprintf(&b, " d%d = d%d + p * sum(i, j: x%d[i, j]^2)\n", k, k-1, k)
		}
		fmt.Fprintf(&b, " loss = d%d + sum(i, j: x0[i, j])\n}\n", n-1)
		return b.String()
	}
	measured := func(n int) uint64 {
		src := long(n)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		files, err := compiler.Compile("long.loss", []byte(src), compiler.Options{Types: []string{"float64"}})
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		bytes := after.TotalAlloc - before.TotalAlloc
		t.Logf("%d inputs and definitions: %v, %d MB allocated", n, d, bytes>>20)
		_, err = typeCheck(files)
		require.NoError(t, err)
		return bytes
	}
	small, large := measured(300), measured(1200)
	require.Less(t, large, 8*small, "compile work grows faster than linearly: %d bytes for 300 definitions, %d for 1200", small, large)
}

// TestGoNames: spec names that are Go keywords or predeclared identifiers,
// names generated code uses for itself, and names that collide once
// exported all compile to Go that type-checks, deterministically.
func TestGoNames(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"keywords and predeclared", `loss type {
    param len = 1
    param error = 2
    input func[range, var] 
    input in[range]
    input ws[range]
    input chan[range] int
    type[i] = sum(k: func[i, k]^2) + in[i] * ws[i] * len
    nil[i] = real(chan[i]) + error
    loss = sum(i: type[i] + nil[i])
}`},
		{"export casing", `loss x {
    param x = 1
    param X = 2
    input a[N]
    input A[N]
    input a_b[N]
    input aB[N]
    input a__b[N]
    loss = sum(i: a[i] * A[i] + a_b[i] * aB[i] * a__b[i]) * x * X
}`},
		{"generated names", `loss grad {
    param scale = 1
    param err = 2
    input math[N]
    input lossrt[N]
    input t1[N]
    input acc2[N]
    input adjMath[N]
    input Dims[N]
    input Inputs64[N]
    v[i] = math[i] * lossrt[i] + t1[i] * acc2[i] + adjMath[i] + Dims[i] + Inputs64[i]
    loss = sum(i: v[i]) * scale * err
}`},
		{"sizes named like Go", `loss sizes {
    input x[type, func]
    input y[len, validate]
    input z[d, m]
    loss = sum(i, j: x[i, j]) + sum(i, j: y[i, j]) + sum(i, j: z[i, j])
}`},
		{"package named like Go", `loss main {
    input x[N]
    loss = sum(i: x[i])
}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			compileAndCheck(t, "names.loss", tc.src)
		})
	}
}

// TestSpecTextInComments: comments of the spec reach the generated package
// documentation and the kernels' comments, but never as a directive, a
// block comment's end or a line break.
func TestSpecTextInComments(t *testing.T) {
	src := "// Doc with */ and /* and `backquotes` and \"quotes\", NUL \x00, BOM \ufeff, bad UTF-8 \xff, override \u202e.\r\n" +
		"// //go:generate rm -rf /\r\n" +
		"//go:generate echo from the doc\n" +
		"/* not a comment in a spec, so never written */\n"
	// The last line is not valid spec syntax: drop it, keep the rest.
	src = strings.Join(strings.Split(src, "\n")[:3], "\n") + "\n" +
		"loss commented { // */ after the name\r\n" +
		"    input x[N] // //go:generate echo input\r\n" +
		"    //go:generate echo inside\r\n" +
		"    //line evil.go:1\r\n" +
		"    d[i] = x[i] * 2 // ` */ /* \r lone carriage return\n" +
		"    loss = sum(i: d[i]) /* no\r\n" +
		"}\r\n"
	_, err := compiler.Compile("commented.loss", []byte(src), compiler.Options{})
	require.Error(t, err, "/* is not spec syntax")
	src = strings.Replace(src, " /* no", "", 1)
	files := compileAndCheck(t, "commented.loss", src)
	generates := 0
	for _, f := range files {
		for _, line := range strings.Split(string(f.Content), "\n") {
			if strings.HasPrefix(line, "//go:generate") {
				generates++
				require.Equal(t, "//go:generate go tool lossgen compile -o . commented.loss", line)
			}
		}
	}
	require.Equal(t, 1, generates)
}

// TestSizeOverflow: sizes whose tensor element count overflows int are a
// DimError from the workspace constructor, through a generated package.
func TestSizeOverflow(t *testing.T) {
	_, err := triplet.NewWorkspace64(triplet.Dims{N: 1 << 40, D: 1 << 40})
	var dim *lossrt.DimError
	require.True(t, errors.As(err, &dim), "got %v", err)
	require.Contains(t, dim.Reason, "anchor would have more than")
	_, err = triplet.NewWorkspace32(triplet.Dims{N: 1 << 62, D: 4})
	require.True(t, errors.As(err, &dim), "got %v", err)
	_, err = triplet.NewWorkspace32(triplet.Dims{N: -1, D: 4})
	require.True(t, errors.As(err, &dim), "got %v", err)
	require.Equal(t, "must be positive", dim.Reason)
}
