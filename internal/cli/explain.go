package cli

import (
	"flag"
	"fmt"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/internal/explain"
)

var explainCmd = &Command{
	Name:    "explain",
	Summary: "print a spec's loss and derived gradients as math, its graph, or its schedule",
	Usage:   "lossgen explain [-format text|latex|dot | -schedule] SPEC.loss",
	Flags:   explainFlags,
	Help: `
Explain shows what lossgen derived from a spec, so that the chain rule can
be checked by eye. The text format (the default) prints:

  - the loss and each definition as written, in Unicode math, and under a
    definition that is computed in several steps (a reduction inside an
    expression is computed first, under a name of its own such as dap_sum)
    those steps;
  - the backward pass, one step per forward equation in the order it runs:
    the loop (for each i, k; a filter as "with ..."; max and min as "at
    j = argmax ..."), and the gradient each tensor passes back, as
    ∂L/∂x[i,k] += ..., with "(0 where ...)" where a kink or a where() cuts
    it off;
  - for each differentiable input, the terms its gradient is the sum of;
  - the update rules, if the spec has any.

The number in the left margin is the spec line each equation comes from;
"[from file.loss:line]" marks a definition copied from a used spec.
-format latex prints the same as a LaTeX fragment (align* environments,
for a document using amsmath). -format dot prints the computation graph
for Graphviz, one node per input, parameter and computed tensor, with the
tensors that carry a gradient in bold red.

-schedule prints instead how the generated kernels run, as lossgen compile
plans them before it emits any Go: for each fused group of the forward,
update and backward passes, the spec lines it comes from, its kernel (a
matrix product and its form, a scatter, a pairwise-distance adjoint, or
loops with row kernels, a row logsumexp, unrolled or filtered loops),
whether it runs in parallel and over which index above which work, what
the forward pass keeps for the backward pass, and the storage type of
what it writes.

Example:

	$ lossgen explain specs/triplet.loss
	...
	  10 │ dan[i] = √dan_sum[i]
	     │   for each i:
	     │     ∂L/∂dan_sum[i] += ∂L/∂dan[i] / (2·dan[i])    (0 where dan[i] = 0)

	  10 │ dan_sum[i] = Σ_k (anchor[i,k] − negative[i,k])²
	     │   for each i, k:
	     │     ∂L/∂anchor[i,k] += 2·∂L/∂dan_sum[i]·(anchor[i,k] − negative[i,k])
	     │     ∂L/∂negative[i,k] += −2·∂L/∂dan_sum[i]·(anchor[i,k] − negative[i,k])
	...

	lossgen explain -format latex specs/circle.loss > circle.tex
	lossgen explain -format dot specs/reid_baseline.loss | dot -Tsvg > reid.svg
	lossgen explain -schedule specs/softmax.loss
`,
}

func explainFlags(fs *flag.FlagSet, env *Env) func([]string) error {
	format := fs.String("format", "text", "output `FORMAT`: text, latex or dot")
	schedule := fs.Bool("schedule", false, "print the schedule the kernels are generated from")
	inc := includeFlag(fs)
	return func(args []string) error {
		switch {
		case *format != "text" && *format != "latex" && *format != "dot":
			return usagef("-format %q: want text, latex or dot", *format)
		case *schedule && *format != "text":
			return usagef("-schedule prints text: drop -format %s", *format)
		case len(args) == 0:
			return usagef("no spec given")
		case len(args) > 1:
			return usagef("one spec at a time")
		}
		spec := args[0]
		src, err := dsl.ReadSpecFile(spec)
		if err != nil {
			return err
		}
		x, err := explain.LoadWith(spec, src, *inc)
		if err != nil {
			reportCompileError(env, spec, err)
			return exitStatus(exitFail)
		}
		var out string
		switch {
		case *schedule:
			if out, err = x.Schedule(); err != nil {
				return err
			}
		case *format == "latex":
			out = x.LaTeX()
		case *format == "dot":
			out = x.Dot()
		default:
			out = x.Text()
		}
		_, err = fmt.Fprint(env.Stdout, out)
		return err
	}
}
