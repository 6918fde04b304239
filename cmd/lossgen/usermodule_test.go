package main

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's section "Using lossgen in your own module" is the one source
// of the steps a user follows to compile specs in their own module; the
// tests below read them from it, so the README cannot drift from what works.

const ownModuleSection = "## Using lossgen in your own module"

// ownModuleStep is a command of the README's section, or a file it shows.
type ownModuleStep struct {
	command string // "go mod tidy"; "" for a file
	file    string // slash path in the module, for a file
	content string
}

// fileCaption matches the line introducing a file's code block, which ends
// with the file's path in backquotes and a colon.
var fileCaption = regexp.MustCompile("`([^`]+\\.go)`:$")

// readmeOwnModuleSteps returns the steps of the README's own-module section
// in order: every line of a sh block (without its # comment), and every go
// block, whose path is the one named at the end of the line before it.
func readmeOwnModuleSteps(t *testing.T) []ownModuleStep {
	t.Helper()
	readme := readFile(t, filepath.Join(repoRoot, "README.md"))
	start := strings.Index(readme, "\n"+ownModuleSection+"\n")
	if start < 0 {
		t.Fatalf("README.md has no section %q", ownModuleSection)
	}
	section := readme[start+1+len(ownModuleSection):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var steps []ownModuleStep
	lines := strings.Split(section, "\n")
	for i := 0; i < len(lines); i++ {
		lang, ok := strings.CutPrefix(lines[i], "```")
		if !ok {
			continue
		}
		var block []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			block = append(block, lines[i])
		}
		switch lang {
		case "sh":
			for _, l := range block {
				l, _, _ = strings.Cut(l, "#")
				if l = strings.TrimSpace(l); l != "" {
					steps = append(steps, ownModuleStep{command: l})
				}
			}
		case "go":
			caption := ""
			for k := i - len(block) - 2; k >= 0 && caption == ""; k-- {
				caption = strings.TrimSpace(lines[k])
			}
			m := fileCaption.FindStringSubmatch(caption)
			if m == nil {
				t.Fatalf("README.md, %s: the line before a go block must end with its path, as `dir/file.go`: (got %q)", ownModuleSection, caption)
			}
			steps = append(steps, ownModuleStep{file: m[1], content: strings.Join(block, "\n") + "\n"})
		default:
			t.Fatalf("README.md, %s: code block of kind %q, want sh or go", ownModuleSection, lang)
		}
	}
	return steps
}

// TestREADMEOwnModuleSteps pins what the issue asked of the section: one
// tool directive, one go:generate line, and then nothing but the go
// command's ordinary verbs, in this order, with no other step.
func TestREADMEOwnModuleSteps(t *testing.T) {
	var got []string
	for _, s := range readmeOwnModuleSteps(t) {
		if s.command != "" {
			got = append(got, s.command)
			continue
		}
		gen := generateLine.FindAllStringSubmatch(s.content, -1)
		if len(gen) != 1 {
			t.Errorf("%s holds %d //go:generate go tool lossgen compile lines, want 1:\n%s", s.file, len(gen), s.content)
		}
		got = append(got, "file with //go:generate")
	}
	want := []string{
		"go get -tool github.com/lossgen/lossgen/cmd/lossgen",
		"file with //go:generate",
		"go mod tidy",
		"go generate ./...",
		"go build ./...",
		"go vet ./...",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README.md, %s: steps\n\t%s\nwant\n\t%s", ownModuleSection, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// generateLine is the go:generate line a user writes: -o the package
// directory, then the spec, both relative to the file's directory.
var generateLine = regexp.MustCompile(`(?m)^//go:generate go tool lossgen compile -o (\S+) (\S+)$`)

// TestUserModule follows the README's own-module steps verbatim in a fresh
// module whose only addition is a replace directive pointing
// github.com/lossgen/lossgen at this checkout (the module is not on the
// proxy). The go command runs offline (GOPROXY=off: lossgen's dependencies
// come from the module cache that building this test filled) and with
// -mod=readonly, so a missing require or go.sum entry fails here as it
// would for a user. Then a program imports the generated package and
// checks its numbers, the package's own tests and example run, and
// regenerating changes nothing.
func TestUserModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	// A user's go mod tidy also resolves the tests of lossgen's
	// dependencies (participle's use alecthomas/assert): building this
	// test did not fetch those, so fill the module cache first, as the
	// user's own go command would from the proxy. "all": a bare go mod
	// download fetches only what builds and tests this module's own
	// packages, not the tests of its dependencies. Offline with a full
	// cache this does nothing; offline with an empty one the steps below
	// say what is missing.
	// -modfile: on copies of go.mod and go.sum, so that the download never
	// adds a line to the repository's own (one once did).
	modCopy := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(modCopy, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	download := exec.Command("go", "mod", "download", "-modfile="+filepath.Join(modCopy, "go.mod"), "all")
	download.Dir = repoRoot
	if out, err := download.CombinedOutput(); err != nil {
		t.Logf("go mod download: %v\n%s", err, out)
	}
	dir := t.TempDir()
	env := append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off",
		"GOTOOLCHAIN=local", "LOSSGEN_CACHE="+runCache)
	run := func(what string, args ...string) string {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %s: %v\n%s", what, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	run("setup", "go", "mod", "init", "example.com/reid")
	run("setup", "go", "mod", "edit", "-replace", "github.com/lossgen/lossgen="+repoRoot)
	var pkgDir, specFromPkg string
	for _, s := range readmeOwnModuleSteps(t) {
		if s.command != "" {
			run("README step", strings.Fields(s.command)...)
			continue
		}
		// The file, and the spec its go:generate line names, which the
		// README says is copied from this repository.
		m := generateLine.FindStringSubmatch(s.content)
		if m == nil {
			t.Fatalf("%s has no //go:generate go tool lossgen compile line", s.file)
		}
		fileDir := path.Dir(s.file)
		specPath := path.Join(fileDir, m[2])
		write(specPath, readFile(t, filepath.Join(repoRoot, "specs", path.Base(specPath))))
		write(s.file, s.content)
		pkgDir = path.Join(fileDir, m[1])
		rel, err := filepath.Rel(filepath.FromSlash(pkgDir), filepath.FromSlash(specPath))
		if err != nil {
			t.Fatal(err)
		}
		specFromPkg = filepath.ToSlash(rel)
	}
	if pkgDir == "" {
		t.Fatal("the README's steps write no go:generate line")
	}
	pkgName := path.Base(pkgDir)
	genFile := filepath.Join(dir, filepath.FromSlash(pkgDir), pkgName+".go")
	first := readFile(t, genFile)
	if want := "\n//go:generate go tool lossgen compile -o . " + specFromPkg + "\n"; !strings.Contains(first, want) {
		t.Errorf("the generated package does not carry its own go:generate line %q:\n%s", strings.TrimSpace(want), first)
	}

	// A training step through the generated package, on the README's
	// lossgen run example (examples/triplet_input.json).
	if pkgName != "triplet" {
		t.Fatalf("the README's example compiles %s; this test's program is written for triplet", pkgName)
	}
	write("main.go", fmt.Sprintf(`package main

import (
	"fmt"

	"example.com/reid/%s"
)

func main() {
	ws, err := triplet.NewWorkspace64(triplet.Dims{N: 2, D: 2})
	if err != nil {
		panic(err)
	}
	in := triplet.Inputs64{Anchor: []float64{0, 0, 1, 1}, Positive: []float64{4, 0, 1, 2}, Negative: []float64{0, 1, 4, 5}}
	g := triplet.Grads64{Anchor: make([]float64, 4), Positive: make([]float64, 4), Negative: make([]float64, 4)}
	loss, err := ws.Grad(in, g)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%%.4g %%v %%v %%v\n", loss, g.Anchor, g.Positive, g.Negative)
}
`, pkgDir))
	if got, want := strings.TrimSpace(run("user program", "go", "run", ".")), "1.65 [-0.5 0.5 0 0] [0.5 0 0 0] [0 -0.5 0 0]"; got != want {
		t.Errorf("user program printed %q, want %q", got, want)
	}
	// The generated tests (zero allocations) and the runnable Example.
	run("generated tests", "go", "test", "./"+pkgDir)

	// Regenerating, now also from the package's own go:generate line,
	// changes nothing.
	run("regenerate", "go", "generate", "./...")
	if again := readFile(t, genFile); again != first {
		t.Error("go generate is not idempotent")
	}
}
