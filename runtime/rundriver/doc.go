// Package rundriver is the program behind `lossgen run`: it reads one JSON
// request on standard input, evaluates a generated kernel on it, and writes
// the loss and the gradients as JSON on standard output.
//
// lossgen run does not link kernels into itself (it cannot: the kernel is
// generated after lossgen was built). Instead it writes a tiny module holding
// the generated package, this package and its runtime, and a main function
//
//	func main() { rundriver.Main(kernel.Info, kernel.Eval64, kernel.Eval32) }
//
// builds it with the Go toolchain, caches the binary and executes it. That is
// why this package imports only the standard library and lossrt: it must build
// in a module with no dependencies and no network.
//
// # Usage
//
//	driver [-type float32|float64] < input.json > output.json
//
// The flag -type selects the kernel's element type (default float64).
//
// # Input
//
//	{"dims":   {"N": 2, "D": 2},
//	 "params": {"margin": 0.3},
//	 "inputs": {"anchor": [0, 0, 1, 1], "labels": [0, 1]}}
//
// "dims" binds every size symbol of the loss to a positive integer. "params"
// is optional; a parameter left out takes its default. "inputs" holds every
// input, flat and row-major, with exactly as many elements as its shape
// demands; integer inputs take integral numbers, and a rank-0 input is a bare
// number. Unknown keys anywhere are errors, so that a misspelt parameter is
// never silently replaced by its default.
//
// # Output
//
//	{"loss": 1.65, "grads": {"anchor": [-0.5, 0.5, 0, 0]}}
//
// Gradients are given for every differentiable input, in declaration order,
// with the layout of the input. Numbers are printed in the shortest form that
// reads back to the same float64 (or float32) value, so the output is
// byte-for-byte reproducible. JSON has no NaN or Inf: a non-finite value is
// written as null and named in a warning on standard error.
//
// # Bench mode
//
//	driver bench [-type float32|float64] -dims N=256,D=2048 [-time 1s] [-seed 1] [-cpuprofile FILE]
//
// is the timing half of lossgen bench. It needs the kernel's typed Grad,
// which lossgen bench registers (see RegisterBench) from a file it adds to the
// kernel package; the run driver has no such file. It draws seeded inputs
// (see BenchInputs), warms up, times batches of Grad calls for at least -time
// and prints one line of JSON:
//
//	{"spec": "triplet", "type": "float64", "dims": {"N": 256, "D": 2048},
//	 "ns_per_step": 123456.7, "allocs_per_step": 0, "steps": 8100, "batches": 81, "loss": 0.3}
//
// With -cpuprofile the timed batches are profiled (runtime/pprof) into
// FILE. ns_per_step is the median over batches; allocs_per_step counts heap
// allocations (runtime.MemStats.Mallocs) per batch, divides by its calls,
// rounds down and reports the fewest over batches, so that the process's
// own background allocations (finalizers, runtime tasks) during a few slow
// steps are not read as the kernel's. -dims must bind every size of the loss and
// nothing else.
//
// # Exit codes
//
//	0  success
//	1  invalid input (a one-line message naming the field) or a kernel error
//	2  usage error (bad flag)
package rundriver
