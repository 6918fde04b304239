// Package codegen turns a differentiated ir.Program into a Go package with
// jennifer: a shared file (sizes, parameters, the Info used by tools, and
// the package documentation quoting the spec), one file per float type with
// the Workspace API and its forward and backward kernels, and a test file
// asserting that a gradient call allocates nothing.
//
// Generate plans first (Plan, plan.go): fusion groups, kernels, parallel
// splits, storage types and kept values are decided for the whole program
// before any Go is emitted, and the emitter renders that Schedule.
// Schedule.Text prints it (lossgen explain -schedule).
//
// Kernels are plain loops over flat row-major slices. Sum reductions over
// the innermost index are unrolled by four with four independent
// accumulators (combined in a fixed order, so results are bit-identical run
// to run); loop-invariant scalar code is hoisted out of reduction loops; every
// loop and temporary is named after the spec and commented with the spec
// line it comes from.
package codegen
