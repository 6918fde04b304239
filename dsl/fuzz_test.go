package dsl

// Fuzz targets for the parser and the checker. Run one with
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 5m -parallel 1 ./dsl
//
// Interesting inputs live in testdata/fuzz/<FuzzName>/ and run with every
// `go test`. The properties: no panic (Parse and Check recover panics into
// an "internal error" diagnostic, which fails the target too), no slow case,
// and every diagnostic well formed: `file:line:col: message`, the source
// line, a caret, with line and column inside the input.

import (
	"errors"
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzSeeds returns every spec the package's tests know: specs/, testdata/,
// and each string literal in the test files that looks like a spec (the
// diagnostics cases among them), so the seeds follow the tests.
func fuzzSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for _, pattern := range []string{"../specs/*.loss", "testdata/*.loss", "testdata/compose/*.loss", "testdata/compose/*/*.loss", "../compiler/testdata/lang/*.loss"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			seeds = append(seeds, src)
		}
	}
	tests, err := filepath.Glob("*_test.go")
	if err != nil {
		tb.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range tests {
		f, err := goparser.ParseFile(fset, name, nil, goparser.SkipObjectResolution)
		if err != nil {
			tb.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && strings.Contains(s, "loss") && strings.Contains(s, "{") {
				seeds = append(seeds, []byte(s))
			}
			return true
		})
	}
	return seeds
}

// fuzzLibrary is the in-memory file system FuzzCheck resolves `use` against:
// the composition test specs, under the directory of the fuzzed file.
func fuzzLibrary(tb testing.TB) map[string][]byte {
	tb.Helper()
	files := map[string][]byte{}
	for _, pattern := range []string{"testdata/compose/*.loss", "testdata/compose/*/*.loss", "testdata/*.loss"} {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, m := range matches {
			src, err := os.ReadFile(m)
			if err != nil {
				tb.Fatal(err)
			}
			files[filepath.ToSlash(m)] = src
		}
	}
	return files
}

// fuzzSlow is how long one input may take; a slower one is a bug to fix or
// to bound. Generous, because fuzzing shares the machine with coverage
// instrumentation and other jobs.
const fuzzSlow = 2 * time.Second

// watchdog crashes the fuzzing process if one input runs for more than
// fuzzHang, so that a hang is recorded as a failing input (the fuzzer has
// no per-input timeout of its own). It also saves the input under
// $LOSSGEN_FUZZ_HANGS if that is set. Stop the returned timer when done.
func watchdog(src []byte) *time.Timer {
	return time.AfterFunc(fuzzHang, func() {
		if dir := os.Getenv("LOSSGEN_FUZZ_HANGS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("hang-%d", time.Now().UnixNano())), src, 0o644)
		}
		panic(fmt.Sprintf("input ran for more than %v:\n%q", fuzzHang, src))
	})
}

const fuzzHang = 20 * time.Second

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		defer watchdog(src).Stop()
		file, err := Parse("fuzz.loss", src)
		if d := time.Since(start); d > fuzzSlow {
			t.Errorf("Parse took %v", d)
		}
		if err != nil {
			if file != nil {
				t.Errorf("Parse returned both a file and an error")
			}
			checkDiagnostics(t, err, map[string][]byte{"fuzz.loss": src})
			return
		}
		if file == nil {
			t.Fatal("Parse returned neither a file nor an error")
		}
	})
}

func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	lib := fuzzLibrary(f)
	const root = "testdata/compose/fuzz.loss"
	f.Fuzz(func(t *testing.T, src []byte) {
		sources := map[string][]byte{root: src}
		open := func(path string) ([]byte, error) {
			path = filepath.ToSlash(path)
			if b, ok := lib[path]; ok {
				sources[path] = b
				return b, nil
			}
			return nil, fmt.Errorf("open %s: %w", path, fs.ErrNotExist)
		}
		start := time.Now()
		defer watchdog(src).Stop()
		p, err := LoadWith(root, src, open)
		if d := time.Since(start); d > fuzzSlow {
			t.Errorf("Load took %v", d)
		}
		if err != nil {
			if p != nil {
				t.Errorf("Load returned both a program and an error")
			}
			checkDiagnostics(t, err, sources)
			return
		}
		if p == nil || p.Result == nil || p.Result.Type != Real || len(p.Result.Index) != 0 {
			t.Fatalf("accepted spec without a real scalar result")
		}
	})
}

// checkDiagnostics requires err to be a non-empty ErrorList of well-formed
// diagnostics about the given sources (keyed by file name).
func checkDiagnostics(t *testing.T, err error, sources map[string][]byte) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, not an ErrorList: %v", err, err)
	}
	if len(list) == 0 {
		t.Fatal("empty ErrorList")
	}
	for _, e := range list {
		checkDiagnostic(t, e, sources)
	}
	if rendered := list.Error(); len(list) > maxErrors && !strings.HasSuffix(rendered, "\ntoo many errors") {
		t.Errorf("%d errors rendered without \"too many errors\"", len(list))
	}
}

func checkDiagnostic(t *testing.T, e *Error, sources map[string][]byte) {
	t.Helper()
	if strings.Contains(e.Msg, "internal error") {
		t.Fatalf("internal error: %v", e)
	}
	if e.Msg == "" || strings.ContainsAny(e.Msg, "\n\r") {
		t.Errorf("message must be one non-empty line: %q", e.Msg)
	}
	src, ok := sources[e.File]
	if !ok {
		t.Fatalf("diagnostic about unknown file %q: %v", e.File, e)
	}
	lines := strings.Split(string(src), "\n")
	if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
		t.Fatalf("line %d outside 1..%d: %v", e.Pos.Line, len(lines), e)
	}
	line := strings.TrimSuffix(lines[e.Pos.Line-1], "\r")
	if e.Line != line {
		t.Errorf("quoted line %q, want %q", e.Line, line)
	}
	// Columns count characters; one past the end is where end of file and
	// end of line are reported.
	if max := utf8.RuneCountInString(lines[e.Pos.Line-1]) + 1; e.Pos.Column < 1 || e.Pos.Column > max {
		t.Fatalf("column %d outside 1..%d: %v", e.Pos.Column, max, e)
	}
	if e.Pos.Offset < 0 || e.Pos.Offset > len(src) {
		t.Errorf("offset %d outside 0..%d", e.Pos.Offset, len(src))
	}
	out := strings.Split(e.Error(), "\n")
	head := fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, e.Msg)
	if len(out) != 3 || out[0] != head || !strings.HasPrefix(out[1], "    ") || strings.TrimLeft(out[2], " ") != "^" {
		t.Fatalf("malformed diagnostic:\n%s", e.Error())
	}
	if want := 4 + caretIndent(e.Line, e.Pos.Column); len(out[2])-1 != want {
		t.Errorf("caret at %d, want %d:\n%s", len(out[2])-1, want, e.Error())
	}
}
