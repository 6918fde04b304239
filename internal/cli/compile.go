package cli

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/internal/cli/gendir"
)

var compileCmd = &Command{
	Name:    "compile",
	Summary: "compile specs into Go packages",
	Usage:   "lossgen compile [-o DIR | -dir ROOT] [-pkg NAME] [-type float32|float64|both] [-check] SPEC.loss...",
	Flags:   compileFlags,
	Help: `
Compile writes one Go package per spec.

With -o, DIR is the package directory, and exactly one spec is compiled.
With -dir, each spec goes to ROOT/NAME, NAME being its loss name as a
package name (below); any number of specs. Without either, ROOT is the
current directory. -o and -dir cannot be combined.

The package is named after its directory, as stringer and sqlc do: the
directory's base name (for -o ., the current directory's), lower-cased,
with every character outside a-z and 0-9 dropped. So -o gen/cos_triplet
gives package costriplet, and -dir gen puts the loss cos_triplet in
gen/costriplet. A name that is left empty, starts with a digit, or is a Go
keyword or predeclared identifier (or main or init) is an error; -pkg NAME
names the package instead (one spec only; with -dir it is also the
directory's name). The loss keeps its own name (Info.Name, the
documentation, lossgen run). Where the directory's name does not give the
package, the generated //go:generate line records -pkg, so go generate
gives the same package.

Every spec is compiled before anything is written: if one has errors, they
are all reported on standard error as file:line:col and nothing changes on
disk. Compile only overwrites files that lossgen generated, and removes files
it generated earlier for the same spec that it no longer emits.

With -check, compile writes nothing: it lists every file that is missing,
differs from what the spec compiles to, or is stale, in exactly the
directories it would write, and exits 1 if there is any (for CI: the
committed output is out of date), 0 if none.

Examples:

	lossgen compile -o generated/triplet specs/triplet.loss
	lossgen compile -dir generated specs/*.loss
	lossgen compile -check -dir generated specs/*.loss

Each package carries a //go:generate line that runs lossgen as a tool of
its module, so go generate ./... regenerates it. In your module, once:

	go get -tool github.com/lossgen/lossgen/cmd/lossgen

and then, in a Go file of the package that should hold the loss:

	//go:generate go tool lossgen compile -o triplet ../../specs/triplet.loss
`,
}

func compileFlags(fs *flag.FlagSet, env *Env) func([]string) error {
	out := fs.String("o", "", "the package `DIR` of the one spec given; its base name gives the package name")
	root := fs.String("dir", "", "write each spec to `ROOT`/NAME, NAME its loss name as a package name (default .)")
	pkg := fs.String("pkg", "", "Go package `NAME` (default: the package directory's name, lower case, only a-z and 0-9); one spec only")
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
		case *out != "" && *root != "":
			return usagef("-o and -dir cannot be used together: -o is the package directory of one spec, -dir the parent of one package per spec")
		case *out != "" && len(specs) > 1:
			return usagef("-o is the package directory of one spec, and %d specs were given; use -dir ROOT to write each to ROOT/NAME", len(specs))
		case *pkg != "" && len(specs) > 1:
			return usagef("-pkg names one package; it cannot be used with %d specs", len(specs))
		case *pkg != "":
			if err := compiler.CheckPackage(*pkg); err != nil {
				return usagef("-pkg %q is not a valid Go package name: %v", *pkg, err)
			}
		}
		l := layout{out: *out, root: *root, pkg: *pkg}
		return compileSpecs(env, specs, l, compiler.Options{Types: types, Include: *inc}, *check)
	}
}

// layout is where compile writes: -o (one package directory) or -dir (a
// root holding a directory per spec), and -pkg.
type layout struct {
	out, root, pkg string
}

// target is one spec to compile, where, and into which package.
type target struct {
	spec    string
	src     []byte
	dir     string // the package directory
	pkg     string // the Go package name
	pkgFlag bool   // the directory's name does not give pkg: record -pkg
}

// targets reads the specs and decides each one's package directory and
// name. A spec that cannot be read (or, where its loss name makes the
// directory, parsed) is reported on stderr and left out, with failed set;
// a name that cannot be a package is a usage error.
func (l layout) targets(env *Env, specs []string) (ts []target, failed bool, err error) {
	seen := map[string]string{}
	for _, spec := range specs {
		src, err := dsl.ReadSpecFile(spec)
		if err != nil {
			fmt.Fprintf(env.Stderr, "lossgen compile: %v\n", err)
			failed = true
			continue
		}
		t := target{spec: spec, src: src}
		if l.out != "" {
			t.dir = l.out
			t.pkg, t.pkgFlag, err = l.outPackage()
			if err != nil {
				return nil, failed, err
			}
		} else {
			t.pkg = l.pkg
			if t.pkg == "" {
				f, err := dsl.Parse(spec, src)
				if err != nil {
					reportCompileError(env, spec, err)
					failed = true
					continue
				}
				if t.pkg, err = compiler.PackageName(f.Name); err != nil {
					return nil, failed, usagef("%s: the loss name %v; name its package with -pkg NAME (one spec at a time), or compile it with -o DIR", spec, err)
				}
			}
			root := l.root
			if root == "" {
				root = "."
			}
			t.dir = filepath.Join(root, t.pkg)
			implied, err := compiler.PackageName(t.pkg)
			t.pkgFlag = err != nil || implied != t.pkg
		}
		key := filepath.Clean(t.dir)
		if other, ok := seen[key]; ok {
			return nil, failed, usagef("%s and %s would both be written to %s", other, spec, t.dir)
		}
		seen[key] = spec
		ts = append(ts, t)
	}
	return ts, failed, nil
}

// outPackage names the package of -o DIR: -pkg, or the directory's base
// name (of its absolute path, so that -o . is the current directory's)
// made a package name. pkgFlag reports whether the directory's name does
// not give the package, so that the go:generate line must carry -pkg.
func (l layout) outPackage() (name string, pkgFlag bool, err error) {
	base := filepath.Base(l.out)
	if abs, err := filepath.Abs(l.out); err == nil {
		base = filepath.Base(abs)
	}
	implied, perr := compiler.PackageName(base)
	if l.pkg != "" {
		return l.pkg, perr != nil || implied != l.pkg, nil
	}
	if perr != nil {
		return "", false, usagef("-o %s: the directory name %v; name the package with -pkg NAME, or choose another -o", l.out, perr)
	}
	return implied, false, nil
}

// compileSpecs compiles every spec in memory, then writes them all, or
// nothing if any spec or any output directory is refused. With check it
// only reports what it would change.
func compileSpecs(env *Env, specs []string, l layout, opts compiler.Options, check bool) error {
	targets, failed, err := l.targets(env, specs)
	if err != nil {
		return err
	}
	updates := make([]*gendir.Update, 0, len(targets))
	for _, t := range targets {
		o := opts
		o.Package, o.PkgFlag = t.pkg, t.pkgFlag
		o.ImportPath = importPath(t.dir)
		o.SpecPath = specPathFrom(t.dir, t.spec)
		o.IncludePaths = nil
		for _, dir := range opts.Include {
			o.IncludePaths = append(o.IncludePaths, specPathFrom(t.dir, dir))
		}
		files, err := compiler.Compile(t.spec, t.src, o)
		if err != nil {
			reportCompileError(env, t.spec, err)
			failed = true
			continue
		}
		out := make([]gendir.File, len(files))
		for j, f := range files {
			out[j] = gendir.File{Name: f.Name, Content: f.Content}
		}
		u, err := gendir.Prepare(t.dir, out, o.SpecPath)
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
