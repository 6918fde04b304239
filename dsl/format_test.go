package dsl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorFormat pins the rendering: location, message, the source line
// with tabs expanded, and a caret under the column.
func TestErrorFormat(t *testing.T) {
	src := "loss a {\n\tinput x[N]\n\tloss = sum(i: x[i] * zz)\n}\n"
	_, err := Load("f.loss", []byte(src))
	require.Error(t, err)
	want := "f.loss:3:23: unknown name zz\n" +
		"        loss = sum(i: x[i] * zz)\n" +
		"                             ^"
	require.Equal(t, want, err.Error())
}

func TestErrorFormatSyntax(t *testing.T) {
	_, err := Parse("s.loss", []byte("loss a {\n  d = (1 + \n}"))
	require.Error(t, err)
	require.Equal(t, "s.loss:3:1: unexpected \"}\" (expected expression)\n    }\n    ^", err.Error())
}

func TestErrorListSortAndLimit(t *testing.T) {
	var l ErrorList
	require.NoError(t, l.Err())
	src := []byte("a\nb\nc\n")
	for i := 0; i < 15; i++ {
		l.Add("z.loss", src, Pos{Line: 3 - i%3, Column: 1 + i}, fmt.Sprintf("e%d", i))
	}
	l.Add("a.loss", src, Pos{Line: 2, Column: 1}, "first")
	err := l.Err()
	var sorted ErrorList
	require.True(t, errors.As(err, &sorted))
	require.Equal(t, "first", sorted[0].Msg)
	require.Equal(t, "e2", sorted[1].Msg) // z.loss line 1, lowest column
	lines := strings.Split(err.Error(), "\n")
	require.Equal(t, "too many errors", lines[len(lines)-1])
	require.Equal(t, maxErrors*3+1, len(lines))
}

func TestMultipleErrorsReported(t *testing.T) {
	src := "loss a {\n input x[N]\n d[i] = x[i] * qq\n e[i] = x[i] * rr\n loss = 1\n}"
	_, err := Load("m.loss", []byte(src))
	var list ErrorList
	require.True(t, errors.As(err, &list))
	require.Len(t, list, 2)
	require.Equal(t, 3, list[0].Pos.Line)
	require.Equal(t, 4, list[1].Pos.Line)
}
