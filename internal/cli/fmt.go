package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
)

var fmtCmd = &Command{
	Name:    "fmt",
	Summary: "rewrite specs in the canonical layout",
	Usage:   "lossgen fmt [-w] [-l] [-d] SPEC.loss...",
	Flags:   fmtFlags,
	Help: `
Fmt prints each spec in lossgen's one canonical layout, like gofmt: a
declaration per line indented by four spaces, blank lines between
declarations kept (one at most), the = of consecutive definitions aligned,
one space around binary operators except ^, and only the parentheses the
meaning needs. Comments are kept where they are: a comment line above the
declaration it precedes, a trailing comment at the end of its line (those
of consecutive lines aligned). Formatting never changes what a spec
computes, and formatting a formatted spec changes nothing.

With no flag, the formatted specs are printed on standard output. A spec
with syntax errors gets diagnostics, is left as it is, and makes the exit
code 1; the other specs are still formatted.

Example:

	$ lossgen fmt -l specs/*.loss        # which specs are not formatted
	specs/arcface.loss
	$ lossgen fmt -d specs/arcface.loss  # what would change
	$ lossgen fmt -w specs/arcface.loss  # rewrite it in place
`,
}

func fmtFlags(fs *flag.FlagSet, env *Env) func([]string) error {
	write := fs.Bool("w", false, "write the result to the spec file instead of standard output (atomically)")
	list := fs.Bool("l", false, "list the specs whose formatting differs")
	diff := fs.Bool("d", false, "print a diff of the changes instead of the formatted spec")
	return func(args []string) error {
		if len(args) == 0 {
			return usagef("no spec given")
		}
		failed := false
		for _, spec := range args {
			if err := fmtSpec(env, spec, *write, *list, *diff); err != nil {
				failed = true
				if compiler.IsDiagnostic(err) {
					reportCompileError(env, spec, err)
				} else {
					fmt.Fprintf(env.Stderr, "lossgen fmt: %v\n", err)
				}
			}
		}
		if failed {
			return exitStatus(exitFail)
		}
		return nil
	}
}

// fmtSpec formats one spec and does what the flags ask with the result.
func fmtSpec(env *Env, spec string, write, list, diff bool) error {
	src, err := dsl.ReadSpecFile(spec)
	if err != nil {
		return err
	}
	out, err := dsl.Format(spec, src)
	if err != nil {
		return err
	}
	changed := !bytes.Equal(src, out)
	if list && changed {
		fmt.Fprintln(env.Stdout, spec)
	}
	if diff && changed {
		fmt.Fprint(env.Stdout, lineDiff(spec, string(src), string(out)))
	}
	if write && changed {
		if err := writeAtomic(spec, out); err != nil {
			return err
		}
	}
	if !write && !list && !diff {
		_, err := env.Stdout.Write(out)
		return err
	}
	return nil
}

// writeAtomic replaces path with data through a temporary file in the same
// directory, keeping the file's permissions.
func writeAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// lineDiff returns a unified diff of a and b, with three lines of context,
// computed from the longest common subsequence of their lines.
func lineDiff(name, a, b string) string {
	x := strings.SplitAfter(a, "\n")
	y := strings.SplitAfter(b, "\n")
	if x[len(x)-1] == "" {
		x = x[:len(x)-1]
	}
	if y[len(y)-1] == "" {
		y = y[:len(y)-1]
	}
	// lcs[i][j] is the length of the LCS of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	// The edit script: ' ', '-' or '+' with the line and its numbers.
	type edit struct {
		op     byte
		line   string
		ai, bi int // lines before this one in a and b
	}
	var script []edit
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			script = append(script, edit{' ', x[i], i, j})
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			script = append(script, edit{'-', x[i], i, j})
			i++
		default:
			script = append(script, edit{'+', y[j], i, j})
			j++
		}
	}
	const context = 3
	var w strings.Builder
	fmt.Fprintf(&w, "--- %s\n+++ %s (formatted)\n", name, name)
	for k := 0; k < len(script); {
		if script[k].op == ' ' {
			k++
			continue
		}
		// A hunk: from context lines before this change to context lines
		// after the last change closer than 2*context to the previous one.
		start := max(0, k-context)
		end := k
		for n := k; n < len(script); n++ {
			if script[n].op != ' ' {
				end = n
			} else if n-end > 2*context {
				break
			}
		}
		end = min(len(script), end+context+1)
		var na, nb int
		for _, e := range script[start:end] {
			if e.op != '+' {
				na++
			}
			if e.op != '-' {
				nb++
			}
		}
		fmt.Fprintf(&w, "@@ -%s +%s @@\n", hunkRange(script[start].ai, na), hunkRange(script[start].bi, nb))
		for _, e := range script[start:end] {
			w.WriteByte(e.op)
			w.WriteString(e.line)
			if !strings.HasSuffix(e.line, "\n") {
				w.WriteString("\n\\ No newline at end of file\n")
			}
		}
		k = end
	}
	return w.String()
}

// hunkRange renders a hunk's line range as unified diffs do: "start,count",
// 1-based, and the line before an empty range.
func hunkRange(before, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", before)
	}
	if count == 1 {
		return fmt.Sprint(before + 1)
	}
	return fmt.Sprintf("%d,%d", before+1, count)
}
