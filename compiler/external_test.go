package compiler_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
)

// With its import path known, a package's tests and Example are an
// external test package that imports it (so the Example reads as a
// caller's code); without it they stay inside the package. An import whose
// name one of the tests' own identifiers would hide gets an alias.
func TestExternalTestPackage(t *testing.T) {
	spec := func(name string) []byte {
		return []byte("loss " + name + " {\n    input x[N, D]\n    loss = mean(i: sum(k: x[i, k]^2))\n}\n")
	}
	testFile := func(files []compiler.File) string {
		for _, f := range files {
			if strings.HasSuffix(f.Name, "_test.go") {
				return string(f.Content)
			}
		}
		t.Fatal("no test file")
		return ""
	}
	for _, tt := range []struct {
		loss, importPath string
		want             []string
	}{
		{"squares", "", []string{"\npackage squares\n", "NewWorkspace64(Dims{"}},
		{"squares", generatedPath, []string{"\npackage squares_test\n", "\t\"example.com/generated\"\n", "squares.NewWorkspace64(squares.Dims{"}},
		// ws, in, grad and math are the tests' own names.
		{"ws", generatedPath, []string{"\npackage ws_test\n", "\twspkg \"example.com/generated\"\n", "ws, err := wspkg.NewWorkspace64(wspkg.Dims{"}},
		{"math", generatedPath, []string{"\tmathpkg \"example.com/generated\"\n", "mathpkg.NewWorkspace64("}},
		{"in", generatedPath, []string{"\tinpkg \"example.com/generated\"\n"}},
	} {
		files, err := compiler.Compile(tt.loss+".loss", spec(tt.loss), compiler.Options{ImportPath: tt.importPath})
		require.NoError(t, err)
		src := testFile(files)
		for _, w := range tt.want {
			require.Contains(t, src, w, "%s, import path %q", tt.loss, tt.importPath)
		}
		_, err = typeCheck(files)
		require.NoError(t, err, "%s, import path %q", tt.loss, tt.importPath)
	}
}
