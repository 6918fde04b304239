package codegen

import (
	"fmt"
	"math"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/dsl"
)

// ExampleValues are the sizes and inputs of a generated package's Example,
// for Options.ExampleLoss. Reals hold exactly the values the Example's
// slices hold (rounded to float32 when the Example uses the float32
// kernel); slices are flat and row-major.
type ExampleValues struct {
	Dims  map[string]int
	Reals map[string][]float64
	Ints  map[string][]int
}

// exampleDigits is the number of significant digits the Example prints. Its
// output must be the same wherever the example runs: with the assembly or
// the pure-Go kernels, with or without fused multiply-adds (GOAMD64=v3), and
// in float32. Four digits leave every kernel's rounding (float64 within
// 1e-12 of the interpreter, float32 within about 1e-6) far below the last
// printed one.
const exampleDigits = 4

// example emits Example, the package's runnable usage example: it fills the
// test-sized inputs, calls Grad and prints the loss. Its // Output: line is
// the loss that Options.ExampleLoss computes on the same values, so go test
// runs the example and compares; without ExampleLoss, or if it fails, the
// example is compiled but not run.
func (g *typeGen) example(f *jen.File, dims, ins, grads jen.Dict, fill []jen.Code, sizeOf map[*dsl.Size]int) {
	format := fmt.Sprintf("loss: %%.%dg\n", exampleDigits)
	ex := []jen.Code{
		jen.Comment("A workspace holds every buffer: make it once per set of sizes."),
		jen.List(jen.Id("ws"), jen.Err()).Op(":=").Add(g.api("New" + g.id("Workspace"))).Call(g.api("Dims").Values(dims)),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Panic(jen.Err())),
		jen.Comment("Inputs are flat row-major slices (here filled with a deterministic pattern)."),
		jen.Id("in").Op(":=").Add(g.api(g.id("Inputs"))).Values(ins),
	}
	ex = append(ex, fill...)
	ex = append(ex,
		jen.Comment("Gradients are written into caller-owned slices; a nil slice skips one."),
		jen.Id("grad").Op(":=").Add(g.api(g.id("Grads"))).Values(grads),
		jen.Comment("In a training loop: this call allocates nothing."),
		jen.List(jen.Id("loss"), jen.Err()).Op(":=").Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("grad")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Panic(jen.Err())),
		jen.Comment(fmt.Sprintf("%d significant digits: the same with every kernel and element type.", exampleDigits)),
		jen.Qual("fmt", "Printf").Call(jen.Lit(format), jen.Id("loss")),
	)
	if g.opts.ExampleLoss != nil {
		if loss, err := g.opts.ExampleLoss(g.exampleValues(sizeOf)); err == nil {
			ex = append(ex, jen.Comment("Output:"), jen.Comment(fmt.Sprintf(format[:len(format)-1], loss)))
		}
	}
	f.Comment("Example computes the loss and its gradients on made-up inputs.")
	f.Func().Id("Example").Params().Block(ex...)
}

// exampleValues returns the values the Example's fill loops produce.
func (g *typeGen) exampleValues(sizeOf map[*dsl.Size]int) ExampleValues {
	v := ExampleValues{Dims: map[string]int{}, Reals: map[string][]float64{}, Ints: map[string][]int{}}
	for _, s := range g.p.Sizes {
		v.Dims[s.Name] = sizeOf[s]
	}
	for k, t := range g.p.Inputs {
		n := 1
		for _, s := range t.Shape {
			n *= sizeOf[s]
		}
		fl := g.testFillOf(k, t, sizeOf)
		if t.Int {
			xs := make([]int, n)
			for i := range xs {
				xs[i] = i % fl.limit
			}
			v.Ints[t.Name] = xs
			continue
		}
		xs := make([]float64, n)
		for i := range xs {
			x := math.Sin(0.7*float64(i) + fl.phase)
			if g.typ.name == "float32" {
				x = float64(float32(x))
			}
			xs[i] = x
		}
		v.Reals[t.Name] = xs
	}
	return v
}
