package codegen

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Options control what Generate emits.
type Options struct {
	// Package is the Go package name; "" uses the loss name cleaned by
	// PackageName (or, where that gives no usable name, "loss" and the
	// cleaned name).
	Package string
	// PkgFlag records "-pkg Package" in the header and the go:generate
	// line. lossgen compile sets it when the output directory's name does
	// not give Package by PackageName, so that go generate, which runs
	// "lossgen compile -o ." in the directory, gives the same package.
	PkgFlag bool
	// Types lists the float types to generate, "float64" and/or
	// "float32"; nil means both.
	Types []string
	// SpecPath is the spec's path relative to the output directory,
	// slash-separated. It is recorded in the header and the go:generate
	// line, so output does not depend on where lossgen was run.
	SpecPath string
	// Include lists the directories, besides the spec's own tree, that its
	// uses may reach (dsl.LoadOptions.Include), as the caller gave them;
	// IncludePaths are the same directories relative to the output
	// directory, slash-separated, recorded as -I in the go:generate line.
	Include      []string
	IncludePaths []string
	// ImportPath is the generated package's import path, where it is known
	// (lossgen compile finds it from the output directory's go.mod). Then
	// the tests and the Example are an external test package, package
	// <Package>_test importing it: the Example reads as the caller's code
	// (triplet.NewWorkspace64, as go doc shows it), and go test compiles
	// the package once instead of a second time with its tests. Empty: the
	// tests are in the package itself.
	ImportPath string
	// ExampleLoss computes the loss the package's Example prints, from the
	// Example's own inputs, for its // Output: line (compiler.Compile uses
	// the reference interpreter). Nil, or an error, leaves the Example
	// without one: compiled, but not run by go test.
	ExampleLoss func(ExampleValues) (float64, error)
}

// File is one generated Go source file.
type File struct {
	Name    string // base name, e.g. "triplet_float64.go"
	Content []byte
}

type typeInfo struct {
	name   string // "float64"
	suffix string // "64"
}

var typeInfos = map[string]typeInfo{
	"float64": {"float64", "64"},
	"float32": {"float32", "32"},
}

// Generate emits the Go package for a differentiated program.
func Generate(p *ir.Program, opts Options) ([]File, error) {
	if opts.Package == "" {
		opts.Package = defaultPackage(p.Name)
	}
	if opts.SpecPath == "" {
		opts.SpecPath = path.Base(p.File)
	}
	infos, err := typeList(opts.Types)
	if err != nil {
		return nil, err
	}
	// Every decision about how the kernels run is taken here, before any
	// Go is emitted; the rest of this package renders it.
	sched := plan(p, infos)
	n := newNames(p)
	base := &typeGen{p: p, names: n, opts: opts, types: infos, sched: sched, narrow: sched.narrow, gemms: sched.gemms,
		keep: keepNames(sched, n), pairGrad: pairGradNames(sched, n)}
	var files []File
	add := func(name string, f *jen.File) error {
		var buf bytes.Buffer
		if err := f.Render(&buf); err != nil {
			return fmt.Errorf("codegen: %s does not format: %v", name, err)
		}
		files = append(files, File{Name: name, Content: buf.Bytes()})
		return nil
	}
	if err := add(p.Name+".go", base.sharedFile()); err != nil {
		return nil, err
	}
	base.pooled = map[string]bool{}
	for _, t := range infos {
		g := *base
		g.typ = t
		g.ts = sched.forType(t.name)
		if err := add(fmt.Sprintf("%s_%s.go", p.Name, t.name), g.typeFile()); err != nil {
			return nil, err
		}
		base.pooled[t.name] = g.usePool()
	}
	test, err := base.testFile()
	if err != nil {
		return nil, err
	}
	if err := add(p.Name+"_test.go", test); err != nil {
		return nil, err
	}
	return files, nil
}

// typeGen emits code for one float type (typ); shared code ignores typ.
type typeGen struct {
	p     *ir.Program
	names *names
	opts  Options
	types []typeInfo
	typ   typeInfo
	// sched is the schedule the kernels render, ts its part
	// for typ.
	sched *Schedule
	ts    *typeSchedule
	// narrow holds the intermediates stored in the kernel's type rather
	// than in float64: what contractions write and read (see contract.go)
	// and the rows of pairwise distances (see pairgrad.go).
	narrow map[*ir.Tensor]bool
	// gemms holds the contractions that run as matrix products.
	gemms map[*ir.Op]bool
	// pairGrad names the lossrt.SqDistGrad of each pairwise-distance
	// adjoint (see pairgrad.go).
	pairGrad map[*ir.AdjointOp]string
	// keep holds the row logsumexps whose exponentials the forward pass
	// keeps for the backward pass (see rowexp.go).
	keep map[*ir.Op]keepBufs
	// par collects the parallel groups of the type being generated.
	par *parState
	// pooled says, by float type, whether the workspace has a pool of
	// workers (SetWorkers): known once the type's file is generated.
	pooled map[string]bool
}

func (g *typeGen) specBase() string { return path.Base(g.opts.SpecPath) }

// invocation is the command recorded in headers: flags that differ from
// the defaults (-pkg where the directory's name does not give the package), then the spec path relative to the output directory.
func (g *typeGen) invocation() string {
	args := []string{"lossgen", "compile"}
	if g.opts.PkgFlag {
		args = append(args, "-pkg", g.opts.Package)
	}
	if len(g.types) == 1 {
		args = append(args, "-type", g.types[0].name)
	}
	for _, dir := range g.opts.IncludePaths {
		args = append(args, "-I", dir)
	}
	args = append(args, "-o", ".", g.opts.SpecPath)
	return strings.Join(args, " ")
}

func (g *typeGen) newFile() *jen.File {
	f := jen.NewFile(g.opts.Package)
	g.header(f)
	return f
}

// header gives f the generated-code header and lossrt's import name.
func (g *typeGen) header(f *jen.File) {
	f.HeaderComment(fmt.Sprintf("Code generated by %q; DO NOT EDIT.", g.invocation()))
	f.ImportAlias(rtPath, "lossrt")
}
