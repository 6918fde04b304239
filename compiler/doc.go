// Package compiler runs lossgen's pipeline on one spec: parse and check
// (dsl), lower (ir), differentiate (autodiff) and emit Go (codegen). The
// command line and tests call it; it holds no compiler logic of its own.
package compiler
