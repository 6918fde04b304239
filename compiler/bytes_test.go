package compiler

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// Bytes counts each input once and each gradient once, from the IR: for
// softmax (x[N, D], w[C, D], b[C] real and differentiable, labels[N] int)
// that is (N·D + C·D + C) elements read and written, and N labels read.
func TestBytes(t *testing.T) {
	const path = "../specs/softmax.loss"
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	p, err := Build(path, src)
	require.NoError(t, err)
	dims := map[string]int{"N": 3, "D": 5, "C": 7}
	reals := float64(3*5 + 7*5 + 7)
	for _, size := range []int{4, 8} {
		got, err := Bytes(p, dims, size)
		require.NoError(t, err)
		require.Equal(t, Traffic{Read: reals*float64(size) + 3*8, Written: reals * float64(size)}, got)
		require.Equal(t, got.Read+got.Written, got.Total())
	}
	_, err = Bytes(p, map[string]int{"N": 3, "D": 5}, 8)
	require.ErrorContains(t, err, "size C")
}

// An input without gradient (moco's keys and queue) is read, never written.
func TestBytesNograd(t *testing.T) {
	const path = "../specs/moco.loss"
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	p, err := Build(path, src)
	require.NoError(t, err)
	got, err := Bytes(p, map[string]int{"N": 2, "D": 3, "Q": 5}, 4)
	require.NoError(t, err)
	require.Equal(t, Traffic{Read: 4 * float64(2*3+2*3+5*3), Written: 4 * float64(2*3)}, got)
}
