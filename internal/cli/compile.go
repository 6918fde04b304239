package cli

import (
	"flag"
	"fmt"
	"go/token"
	"path/filepath"
	"strings"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/internal/cli/gendir"
)

var compileCmd = &Command{
	Name:    "compile",
	Summary: "compile specs into Go packages",
	Usage:   "lossgen compile [-o DIR] [-pkg NAME] [-type float32|float64|both] [-check] SPEC.loss...",
	Flags:   compileFlags,
	Help: `
Compile writes one Go package per spec. With one spec, -o is the package
directory (default ./NAME, NAME being the spec's file name without .loss).
With several, -o is a parent directory (default .) and each package goes to
DIR/NAME.

Every spec is compiled before anything is written: if one has errors, they
are all reported on standard error as file:line:col and nothing changes on
disk. Compile only overwrites files that lossgen generated, and removes files
it generated earlier for the same spec that it no longer emits.

With -check, compile writes nothing: it lists every file that is missing,
differs from what the spec compiles to, or is stale, and exits 1 if there is
any (for CI: the committed output is out of date), 0 if none.

Examples:

	lossgen compile -o generated/triplet specs/triplet.loss
	lossgen compile -o generated specs/*.loss
	lossgen compile -check -o generated specs/*.loss

Each package carries a //go:generate line that runs lossgen as a tool of
its module, so go generate ./... regenerates it. In your module, once:

	go get -tool github.com/lossgen/lossgen/cmd/lossgen

and then, in a Go file of the package that should hold the loss:

	//go:generate go tool lossgen compile -o triplet ../../specs/triplet.loss
`,
}

func compileFlags(fs *flag.FlagSet, env *Env) func([]string) error {
	out := fs.String("o", "", "output `DIR`: the package directory with one spec, the parent directory with several")
	pkg := fs.String("pkg", "", "Go package `NAME` (default: the loss name in the spec); one spec only")
	typ := fs.String("type", "both", "element `TYPE` to generate: float32, float64 or both")
	check := fs.Bool("check", false, "write nothing; report out-of-date output and exit 1 if there is any")
	inc := includeFlag(fs)
	return func(specs []string) error {
		types, err := parseTypes(*typ)
		switch {
		case err != nil:
			return err
		case len(specs) == 0:
			return usagef("no spec given")
		case *pkg != "" && len(specs) > 1:
			return usagef("-pkg names one package; it cannot be used with %d specs", len(specs))
		case *pkg != "" && (!token.IsIdentifier(*pkg) || token.IsKeyword(*pkg)):
			return usagef("-pkg %q is not a valid Go package name", *pkg)
		}
		dirs, err := outputDirs(*out, specs)
		if err != nil {
			return err
		}
		return compileSpecs(env, specs, dirs, compiler.Options{Package: *pkg, Types: types, Include: *inc}, *check)
	}
}

// outputDirs decides the package directory of each spec.
func outputDirs(out string, specs []string) ([]string, error) {
	if len(specs) == 1 {
		if out == "" {
			out = "." + string(filepath.Separator) + packageDir(specs[0])
		}
		return []string{out}, nil
	}
	if out == "" {
		out = "."
	}
	dirs := make([]string, len(specs))
	seen := map[string]string{}
	for i, spec := range specs {
		dirs[i] = filepath.Join(out, packageDir(spec))
		if other, ok := seen[dirs[i]]; ok {
			return nil, usagef("%s and %s would both be written to %s", other, spec, dirs[i])
		}
		seen[dirs[i]] = spec
	}
	return dirs, nil
}

// packageDir is the directory name for a spec: its file name without .loss.
func packageDir(spec string) string {
	return strings.TrimSuffix(filepath.Base(spec), ".loss")
}

// compileSpecs compiles every spec in memory, then writes them all, or
// nothing if any spec or any output directory is refused. With check it
// only reports what it would change.
func compileSpecs(env *Env, specs, dirs []string, opts compiler.Options, check bool) error {
	updates := make([]*gendir.Update, 0, len(specs))
	failed := false
	for i, spec := range specs {
		src, err := dsl.ReadSpecFile(spec)
		if err != nil {
			fmt.Fprintf(env.Stderr, "lossgen compile: %v\n", err)
			failed = true
			continue
		}
		o := opts
		o.SpecPath = specPathFrom(dirs[i], spec)
		o.IncludePaths = nil
		for _, dir := range opts.Include {
			o.IncludePaths = append(o.IncludePaths, specPathFrom(dirs[i], dir))
		}
		files, err := compiler.Compile(spec, src, o)
		if err != nil {
			reportCompileError(env, spec, err)
			failed = true
			continue
		}
		out := make([]gendir.File, len(files))
		for j, f := range files {
			out[j] = gendir.File{Name: f.Name, Content: f.Content}
		}
		u, err := gendir.Prepare(dirs[i], out, o.SpecPath)
		if err != nil {
			fmt.Fprintf(env.Stderr, "lossgen compile: %v\n", err)
			failed = true
			continue
		}
		updates = append(updates, u)
	}
	if failed {
		return exitStatus(exitFail)
	}
	if check {
		stale := false
		for _, u := range updates {
			for _, c := range u.Changes() {
				fmt.Fprintf(env.Stdout, "out of date: %s\n", c)
				stale = true
			}
		}
		if stale {
			return exitStatus(exitFail)
		}
		return nil
	}
	for _, u := range updates {
		if err := u.Apply(); err != nil {
			return err
		}
	}
	return nil
}

// specPathFrom is the spec's path as seen from the output directory, which
// is what the generated header and //go:generate line record: go generate
// runs in the package directory, and the output must not depend on the
// directory lossgen was started in.
func specPathFrom(dir, spec string) string {
	absDir, err1 := filepath.Abs(dir)
	absSpec, err2 := filepath.Abs(spec)
	if err1 != nil || err2 != nil {
		return filepath.ToSlash(spec)
	}
	rel, err := filepath.Rel(absDir, absSpec)
	if err != nil { // e.g. another drive on Windows
		return filepath.ToSlash(absSpec)
	}
	return filepath.ToSlash(rel)
}

// reportCompileError prints diagnostics verbatim (they are already
// file:line:col with the source line and a caret) and anything else as an
// internal error.
func reportCompileError(env *Env, spec string, err error) {
	if compiler.IsDiagnostic(err) {
		msg := err.Error()
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		fmt.Fprint(env.Stderr, msg)
		return
	}
	fmt.Fprintf(env.Stderr, "lossgen: internal error compiling %s: %v\n", spec, err)
}
