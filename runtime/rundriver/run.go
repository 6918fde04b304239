package rundriver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// Eval64 and Eval32 are the signatures of a generated package's dynamically
// typed entry points.
type (
	Eval64 = func(lossrt.Request[float64]) (lossrt.Result[float64], error)
	Eval32 = func(lossrt.Request[float32]) (lossrt.Result[float32], error)
)

// Exit codes, shared with lossgen run, which passes the driver's code through.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// Main runs the driver on the process's arguments and standard streams and
// exits. eval32 is nil when the package was generated for float64 only.
func Main(info lossrt.Info, eval64 Eval64, eval32 Eval32) {
	os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, info, eval64, eval32))
}

// maxRequest bounds the request read from standard input: 512 MiB of JSON
// holds some 25 million numbers, more than any batch a loss sees, and
// reading /dev/urandom by mistake stops there instead of exhausting memory.
// A variable only so that a test can lower it.
var maxRequest = 512 << 20

// Run is Main without the process: it returns the exit code instead of
// exiting, so tests can drive it with fake kernels.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer, info lossrt.Info, eval64 Eval64, eval32 Eval32) int {
	if len(args) > 0 && args[0] == "bench" {
		// The timing mode of lossgen bench (see bench.go); it reads no input.
		return runBench(args[1:], stdout, stderr, info)
	}
	fs := flag.NewFlagSet("lossgen run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	typ := fs.String("type", "float64", "element type of the kernel: float32 or float64")
	memory := fs.Int64("memory", 0, "memory budget of the workspace in bytes (0: lossrt.DefaultMemoryBudget)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: lossgen run [-type float32|float64] SPEC.loss < input.json > output.json\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lossgen run: unexpected argument %q (the request is read from standard input)\n", fs.Arg(0))
		return exitUsage
	}

	lossrt.SetMemoryBudget(*memory)
	data, err := io.ReadAll(io.LimitReader(stdin, int64(maxRequest)+1))
	if err != nil {
		fmt.Fprintf(stderr, "lossgen run: reading standard input: %v\n", err)
		return exitFail
	}
	if len(data) > maxRequest {
		fmt.Fprintf(stderr, "lossgen run: standard input is larger than %d MiB, the most a request may be\n", maxRequest>>20)
		return exitFail
	}
	switch *typ {
	case "float64":
		return evaluate(data, stdout, stderr, info, eval64, 64)
	case "float32":
		if eval32 == nil {
			fmt.Fprintf(stderr, "lossgen run: %s was generated without float32; regenerate it with -type both or use -type float64\n", info.Name)
			return exitFail
		}
		return evaluate(data, stdout, stderr, info, eval32, 32)
	default:
		fmt.Fprintf(stderr, "lossgen run: -type %q: want float32 or float64\n", *typ)
		return exitUsage
	}
}

// evaluate decodes the request, calls the kernel and writes the answer. bits
// is the width of T, which decides how numbers are parsed and printed.
func evaluate[T lossrt.Float](data []byte, stdout, stderr io.Writer, info lossrt.Info, eval func(lossrt.Request[T]) (lossrt.Result[T], error), bits int) int {
	req, err := decodeRequest[T](data, info, bits)
	if err != nil {
		fmt.Fprintf(stderr, "lossgen run: %v\n", err)
		return exitFail
	}
	res, err := eval(req)
	if err != nil {
		// Kernel errors (lossrt.LengthError, LabelError, DimError) already
		// name the input and start with "lossgen:".
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	out, warnings, err := encodeResult(info, req, res, bits)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "lossgen run: warning: %s\n", w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "lossgen run: internal error: %v\n", err)
		return exitFail
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "lossgen run: writing standard output: %v\n", err)
		return exitFail
	}
	return exitOK
}
