package cli

import (
	"errors"
	"flag"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/internal/cli/runcache"
)

var runCmd = &Command{
	Name:    "run",
	Summary: "evaluate a spec's loss and gradients on JSON input",
	Usage:   "lossgen run [-type float32|float64] [-memory 4GiB] SPEC.loss < input.json > output.json",
	Flags:   runFlags,
	Help: `
Run compiles the spec, builds the generated code with the Go toolchain (the
binary is cached, so only the first run of a spec pays for it) and evaluates
it on the request read from standard input:

	{"dims": {"N": 2, "D": 2},
	 "params": {"margin": 0.3},
	 "inputs": {"anchor": [0, 0, 1, 1], "positive": [4, 0, 1, 2], "negative": [0, 1, 4, 5]}}

"params" is optional. Inputs are flat and row-major. It writes the loss and the
gradient of every differentiable input, in the same layout:

	{"loss": 1.65, "grads": {"anchor": [-0.5, 0.5, 0, 0], ...}}

A malformed request gets a one-line error naming the field, and exit code 1.
Run works from any directory and on specs anywhere; it needs the go command
(on PATH or in $GOROOT/bin) and no network. The cache is $LOSSGEN_CACHE/run,
by default the lossgen/run folder of the user cache directory; deleting it is
always safe.

Example:

	lossgen run specs/triplet.loss < examples/triplet_input.json
`,
}

func runFlags(fs *flag.FlagSet, env *Env) func([]string) error {
	typ := fs.String("type", "float64", "element `TYPE` of the kernel: float32 or float64")
	memory := memoryFlag(fs)
	inc := includeFlag(fs)
	return func(args []string) error {
		switch {
		case *typ != "float64" && *typ != "float32":
			return usagef("-type %q: want float32 or float64", *typ)
		case len(args) == 0:
			return usagef("no spec given")
		case len(args) > 1:
			return usagef("one spec at a time; the request is read from standard input")
		}
		spec := args[0]
		src, err := dsl.ReadSpecFile(spec)
		if err != nil {
			return err
		}
		// Both types are always generated, so that one cache entry serves
		// both values of -type. The spec path only appears in comments.
		files, err := compiler.Compile(spec, src, compiler.Options{
			Include:  *inc,
			Package:  runcache.KernelPackage,
			SpecPath: filepath.ToSlash(filepath.Base(spec)),
		})
		if err != nil {
			reportCompileError(env, spec, err)
			return exitStatus(exitFail)
		}
		kernel := make(map[string][]byte, len(files))
		for _, f := range files {
			kernel[f.Name] = f.Content
		}
		driver, err := buildDriver(kernel)
		if err != nil {
			return err
		}

		cmd := exec.Command(driver, "-type", *typ, "-memory", strconv.FormatInt(int64(*memory), 10))
		cmd.Stdin, cmd.Stdout, cmd.Stderr = env.Stdin, env.Stdout, env.Stderr
		err = cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() > 0 {
			// The driver has said what went wrong.
			return exitStatus(exit.ExitCode())
		}
		return err
	}
}

// buildDriver returns the cached driver binary for a kernel's files,
// building it with the Go toolchain the first time.
func buildDriver(kernel map[string][]byte) (string, error) {
	goCmd, err := runcache.FindGo()
	if err != nil {
		return "", err
	}
	dir, err := runcache.DefaultDir()
	if err != nil {
		return "", err
	}
	return (&runcache.Cache{Dir: dir, Go: goCmd}).Driver(kernel)
}
