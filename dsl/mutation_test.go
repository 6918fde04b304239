package dsl

import (
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMutationsNeverPanic feeds Parse and Check randomly damaged copies of
// the shipped specs. Whatever the input, the result is a Program or an
// error, never a panic (the recover in Parse/Check would turn a panic into
// an "internal error", which this test also rejects).
func TestMutationsNeverPanic(t *testing.T) {
	var specs [][]byte
	for _, f := range specFiles(t) {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		specs = append(specs, src)
	}
	fragments := []string{"(", ")", "[", "]", "{", "}", ",", ":", "|", "||", "&&", "^", "-", "!", "=", "==", "<",
		"sum(", "max(", "count(", "i", "j", "N", "labels", "x", "1", "0.5", "1e999", "int", "grad", "loss", "param", "input",
		"real(", "where(", "\n", " ", "\t", "#", "é", "loss = 1", "[i]", "[i, j]",
		"use ", "update ", " as ", "\"", `"parts/center.loss"`, "use reid_baseline\n", "use batch_hard_triplet\n",
		"cross_entropy_ls(", "center(", "triplet(", "x: feat", ", labels: labels", "eps: ", "update x[i] = ",
		"size ", "size U\n", "size N, U\n", " in ", " in U", " in N", "u in U, ", "[u in U]", "sum(u in U: "}
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < mutationCount; n++ {
		src := append([]byte(nil), specs[rng.Intn(len(specs))]...)
		for m := 1 + rng.Intn(3); m > 0; m-- {
			src = mutate(rng, src, fragments)
		}
		files, root := map[string][]byte(nil), "mut.loss"
		if n%3 == 0 {
			// A composition or update seed, resolved against the
			// (possibly also damaged) specs of testdata/compose.
			files, root = mutatedLibrary(t, rng, fragments)
			src = files[root]
		}
		require.NotPanics(t, func() {
			p, err := LoadWith(root, src, func(path string) ([]byte, error) {
				if b, ok := files[filepath.ToSlash(path)]; ok {
					return b, nil
				}
				return nil, fs.ErrNotExist
			})
			if err != nil {
				require.NotContains(t, err.Error(), "internal error", "source:\n%s", src)
				require.Nil(t, p)
				_ = err.Error()
			} else {
				require.NotNil(t, p.Result)
			}
		}, "source:\n%s", src)
	}
}

// mutatedLibrary returns the specs of testdata/compose (and the centre
// update spec) by slash path, with a mutated root among the composing and
// updating specs, and sometimes a mutated used spec too.
func mutatedLibrary(t *testing.T, rng *rand.Rand, fragments []string) (map[string][]byte, string) {
	t.Helper()
	files := map[string][]byte{}
	var paths []string
	for _, pattern := range []string{"testdata/compose/*.loss", "testdata/compose/*/*.loss", "testdata/*.loss"} {
		matches, err := filepath.Glob(pattern)
		require.NoError(t, err)
		for _, m := range matches {
			src, err := os.ReadFile(m)
			require.NoError(t, err)
			files[filepath.ToSlash(m)] = src
			paths = append(paths, filepath.ToSlash(m))
		}
	}
	roots := []string{"testdata/compose/reid_baseline.loss", "testdata/compose/outer/double.loss", "testdata/center_update.loss"}
	root := roots[rng.Intn(len(roots))]
	for m := 1 + rng.Intn(3); m > 0; m-- {
		files[root] = mutate(rng, files[root], fragments)
	}
	if rng.Intn(2) == 0 {
		lib := paths[rng.Intn(len(paths))]
		files[lib] = mutate(rng, files[lib], fragments)
	}
	return files, root
}

func mutate(rng *rand.Rand, src []byte, fragments []string) []byte {
	if len(src) == 0 {
		return []byte(fragments[rng.Intn(len(fragments))])
	}
	i := rng.Intn(len(src))
	switch rng.Intn(4) {
	case 0: // delete a span
		j := min(len(src), i+1+rng.Intn(8))
		return append(src[:i:i], src[j:]...)
	case 1: // insert a fragment
		f := fragments[rng.Intn(len(fragments))]
		return append(src[:i:i], append([]byte(f), src[i:]...)...)
	case 2: // replace a byte
		out := append([]byte(nil), src...)
		out[i] = "()[]{},:|^-+*/=<>!ijNxk0 \n"[rng.Intn(26)]
		return out
	default: // duplicate a span
		j := min(len(src), i+1+rng.Intn(20))
		return append(src[:j:j], append(append([]byte(nil), src[i:j]...), src[j:]...)...)
	}
}

// mutationCount is the number of mutated specs; raise it locally to hunt.
var mutationCount = 600
