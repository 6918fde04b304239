package compiler

import (
	"errors"

	"github.com/lossgen/lossgen/codegen"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/dsl/interp"
	"github.com/lossgen/lossgen/ir"
)

// Options control code generation; see codegen.Options.
type Options = codegen.Options

// File is one generated Go file.
type File = codegen.File

// Compile turns the spec text src (named filename in diagnostics) into the
// files of a Go package. A spec error is returned as a dsl.ErrorList.
//
// Unless opts.ExampleLoss is set, the generated Example's output is the
// loss the reference interpreter (dsl/interp) computes on the Example's
// inputs, so go test on the package also compares the kernel with it.
func Compile(filename string, src []byte, opts Options) ([]File, error) {
	prog, err := dsl.LoadOpts(filename, src, dsl.LoadOptions{Include: opts.Include})
	if err != nil {
		return nil, err
	}
	p, err := build(prog)
	if err != nil {
		return nil, err
	}
	if opts.ExampleLoss == nil {
		opts.ExampleLoss = func(v codegen.ExampleValues) (float64, error) {
			return interp.Eval(prog, interp.Values{Dims: v.Dims, Reals: v.Reals, Ints: v.Ints})
		}
	}
	return codegen.Generate(p, opts)
}

// Build parses, checks and lowers a spec and runs the middle end on it
// (Passes: canonical forms, scalar reductions split for the workers,
// derivatives).
func Build(filename string, src []byte) (*ir.Program, error) {
	return BuildWith(filename, src, nil)
}

// BuildWith is Build whose spec may use specs in the include directories
// besides its own directory tree (dsl.LoadOptions.Include).
func BuildWith(filename string, src []byte, include []string) (*ir.Program, error) {
	prog, err := dsl.LoadOpts(filename, src, dsl.LoadOptions{Include: include})
	if err != nil {
		return nil, err
	}
	return build(prog)
}

// build lowers and differentiates a loaded spec.
func build(prog *dsl.Program) (*ir.Program, error) {
	p, err := ir.Lower(prog)
	if err != nil {
		return nil, err
	}
	if err := Middle(p); err != nil {
		return nil, err
	}
	return p, nil
}

// IsDiagnostic reports whether err describes a mistake in the spec (as
// opposed to an internal failure of lossgen).
func IsDiagnostic(err error) bool {
	var list dsl.ErrorList
	if errors.As(err, &list) {
		return true
	}
	var one *dsl.Error
	return errors.As(err, &one)
}

// PackageName is the Go package name a directory name gives: lower case,
// every character outside [a-z0-9] dropped ("cos_triplet" gives
// "costriplet"), or an error saying why there is no usable one (see
// codegen.PackageName).
func PackageName(dirName string) (string, error) { return codegen.PackageName(dirName) }

// CheckPackage reports whether an explicitly given package name is usable
// (see codegen.CheckPackage).
func CheckPackage(name string) error { return codegen.CheckPackage(name) }
