package dsl

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// docBlock is one fenced ```loss block of a Markdown file.
type docBlock struct {
	info string // the info string: "loss", "loss fragment", "loss error"
	line int    // line of the opening fence
	src  string
}

// lossBlocks returns the fenced code blocks of md whose info string starts
// with the word "loss".
func lossBlocks(md string) []docBlock {
	var out []docBlock
	var cur *docBlock
	var body []string
	for n, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		if !strings.HasPrefix(trimmed, "```") {
			if cur != nil {
				body = append(body, line)
			}
			continue
		}
		if cur != nil { // closing fence
			cur.src = strings.Join(body, "\n") + "\n"
			out = append(out, *cur)
			cur, body = nil, nil
			continue
		}
		info := strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))
		if f := strings.Fields(info); len(f) > 0 && f[0] == "loss" {
			cur = &docBlock{info: strings.Join(f, " "), line: n + 1}
		} else {
			// Another language: skip to its closing fence.
			cur = &docBlock{info: "skip", line: n + 1}
		}
	}
	var loss []docBlock
	for _, b := range out {
		if b.info != "skip" {
			loss = append(loss, b)
		}
	}
	return loss
}

// TestLanguageDocExamples checks every ```loss block of docs/language.md: a
// block tagged `loss` is a complete spec that must load without errors,
// `loss error` one that must be rejected (with a positioned diagnostic, not
// an internal error), and `loss fragment` a piece of a spec, not checked. A
// spec that uses others is given the shipped spec of the same base name
// (specs/NAME.loss), whatever directory it names.
func TestLanguageDocExamples(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "docs", "language.md"))
	require.NoError(t, err)
	blocks := lossBlocks(string(md))
	require.NotEmpty(t, blocks)
	open := func(path string) ([]byte, error) {
		src, err := os.ReadFile(filepath.Join("..", "specs", filepath.Base(path)))
		if err != nil {
			return nil, fs.ErrNotExist
		}
		return src, nil
	}
	complete := 0
	for _, b := range blocks {
		name := "language.md:" + itoa(b.line)
		t.Run(name, func(t *testing.T) {
			switch b.info {
			case "loss fragment":
				return
			case "loss", "loss error":
			default:
				t.Fatalf("%s: unknown block tag %q (want loss, loss fragment or loss error)", name, b.info)
			}
			starts := false
			for _, l := range strings.Split(b.src, "\n") {
				l = strings.TrimSpace(l)
				if l == "" || strings.HasPrefix(l, "//") {
					continue
				}
				starts = strings.HasPrefix(l, "loss ")
				break
			}
			require.True(t, starts, "%s: a ```loss block must be a whole spec (`loss NAME { ... }`); tag a piece of one ```loss fragment", name)
			p, err := LoadWith(filepath.Join("docs", "example.loss"), []byte(b.src), open)
			if b.info == "loss error" {
				require.Error(t, err, "%s: expected an error", name)
				require.NotContains(t, err.Error(), "internal error")
				return
			}
			complete++
			require.NoError(t, err, "%s:\n%s", name, b.src)
			require.NotNil(t, p.Result)
		})
	}
	require.GreaterOrEqual(t, complete, 10, "complete examples checked")
}

func itoa(n int) string {
	var b []byte
	for n >= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(append([]byte{byte('0' + n)}, b...))
}
