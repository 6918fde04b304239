package dsl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// TestFormatKeepsIR: formatting a spec leaves its compiled program (the IR
// dump, forward, backward and updates) unchanged, for every spec file of the
// repository that compiles. The formatted text is compiled under the same
// file name, so that its uses resolve alike.
func TestFormatKeepsIR(t *testing.T) {
	n := 0
	for _, root := range []string{"../specs", "testdata", "../compiler/testdata/lang"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".loss") || strings.Contains(path, "fuzz") {
				return err
			}
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			want, err := compiler.Build(path, src)
			if err != nil {
				return nil // a spec that is meant to fail, or a part used elsewhere
			}
			got, err := dsl.Format(path, src)
			require.NoError(t, err, path)
			p, err := compiler.Build(path, got)
			require.NoError(t, err, "%s formatted:\n%s", path, got)
			require.Equal(t, ir.Dump(want), ir.Dump(p), path)
			n++
			return nil
		})
		require.NoError(t, err)
	}
	require.GreaterOrEqual(t, n, 20)
	t.Logf("%d specs compile alike after formatting", n)
}
