package compiler

import (
	"github.com/lossgen/lossgen/codegen"
	"github.com/lossgen/lossgen/ir"
)

// Schedule is the planning pass that follows Passes: it decides, for a
// program Middle has run on, how every forward, update and adjoint Op runs
// in the kernels of the given float types (nil: both) — fusion groups,
// kernels, parallel splits, storage types, kept values, unrolling — before
// any Go is emitted. codegen.Generate runs it and renders its decisions;
// lossgen explain -schedule prints it.
func Schedule(p *ir.Program, types []string) (*codegen.Schedule, error) {
	return codegen.Plan(p, types)
}
