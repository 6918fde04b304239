package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/dsl"
)

// testSizes are deliberately odd and distinct so the generated tests cover
// the remainder loops after unrolling and catch transposed dimensions.
var testSizes = []int{7, 9, 5, 11, 6, 13}

// testFile emits a test per float type asserting that Loss, Grad and
// GradAccum allocate nothing once the workspace exists, and a benchmark.
func (g *typeGen) testFile() *jen.File {
	f := g.newFile()
	for _, t := range g.types {
		tg := *g
		tg.typ = t
		tg.testFuncs(f)
	}
	return f
}

func (g *typeGen) testFuncs(f *jen.File) {
	T := g.typ.name
	s := g.typ.suffix
	sizeOf := map[*dsl.Size]int{}
	dims := jen.Dict{}
	for i, sz := range g.p.Sizes {
		sizeOf[sz] = testSizes[i%len(testSizes)]
		dims[jen.Id(g.names.dimField[sz])] = jen.Lit(sizeOf[sz])
	}
	ins := jen.Dict{}
	grads := jen.Dict{}
	var fill []jen.Code
	for k, t := range g.p.Inputs {
		field := g.names.field[t]
		n := 1
		for _, sz := range t.Shape {
			n *= sizeOf[sz]
		}
		ins[jen.Id(field)] = jen.Make(jen.Index().Add(g.elem(t)), jen.Lit(n))
		if t.Diff {
			grads[jen.Id(field)] = jen.Make(jen.Index().Id(T), jen.Lit(n))
		}
		x := jen.Id("in").Dot(field)
		if t.Int {
			// Labels in range of every dimension they index, with repeats.
			limit := 3
			for _, gt := range g.p.Gathers {
				if gt.Index == t && sizeOf[gt.Range] < limit {
					limit = sizeOf[gt.Range]
				}
			}
			fill = append(fill, jen.For(jen.Id("i").Op(":=").Range().Add(x)).Block(
				jen.Add(x).Index(jen.Id("i")).Op("=").Id("i").Op("%").Lit(limit)))
			continue
		}
		phase := float64(37*(k+1)) / 100
		fill = append(fill, jen.For(jen.Id("i").Op(":=").Range().Add(x)).Block(
			jen.Add(x).Index(jen.Id("i")).Op("=").Id(T).Call(jen.Qual("math", "Sin").Call(jen.Lit(0.7).Op("*").Float64().Call(jen.Id("i")).Op("+").Lit(phase)))))
	}
	setup := "testCase" + s
	f.Commentf("%s returns a workspace and inputs of odd sizes.", setup)
	f.Func().Id(setup).Params(jen.Id("tb").Qual("testing", "TB")).Params(jen.Op("*").Id(g.id("Workspace")), jen.Id(g.id("Inputs")), jen.Id(g.id("Grads"))).Block(
		append(append([]jen.Code{
			jen.Id("tb").Dot("Helper").Call(),
			jen.List(jen.Id("ws"), jen.Err()).Op(":=").Id("New" + g.id("Workspace")).Call(jen.Id("Dims").Values(dims)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("tb").Dot("Fatal").Call(jen.Err())),
			jen.Id("in").Op(":=").Id(g.id("Inputs")).Values(ins),
		}, fill...),
			jen.Return(jen.Id("ws"), jen.Id("in"), jen.Id(g.id("Grads")).Values(grads)))...)

	if g.typ.name == "float64" || len(g.types) == 1 {
		// One runnable usage example per package, shown by go doc.
		ex := []jen.Code{
			jen.Comment("A workspace holds every buffer: make it once per set of sizes."),
			jen.List(jen.Id("ws"), jen.Err()).Op(":=").Id("New" + g.id("Workspace")).Call(jen.Id("Dims").Values(dims)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Panic(jen.Err())),
			jen.Comment("Inputs are flat row-major slices (here filled with a deterministic pattern)."),
			jen.Id("in").Op(":=").Id(g.id("Inputs")).Values(ins),
		}
		ex = append(ex, fill...)
		ex = append(ex,
			jen.Comment("Gradients are written into caller-owned slices; a nil slice skips one."),
			jen.Id("grad").Op(":=").Id(g.id("Grads")).Values(grads),
			jen.Comment("In a training loop: this call allocates nothing."),
			jen.List(jen.Id("loss"), jen.Err()).Op(":=").Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("grad")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Panic(jen.Err())),
			jen.Qual("fmt", "Println").Call(jen.Lit("loss:"), jen.Id("loss")),
		)
		f.Comment("Example computes the loss and its gradients on made-up inputs.")
		f.Func().Id("Example").Params().Block(ex...)
	}

	call := func(method string) jen.Code {
		switch method {
		case "Loss":
			return jen.Id("ws").Dot("Loss").Call(jen.Id("in"))
		case "Update":
			// Update returns only an error; pair it with a dummy value so
			// the call sites stay uniform.
			return jen.Lit(0).Op(",").Id("ws").Dot("Update").Call(jen.Id("in"))
		case "Grad":
			return jen.Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("grad"))
		}
		return jen.Id("ws").Dot("GradAccum").Call(jen.Id("in"), jen.Id("grad"), jen.Lit(0.5))
	}
	var body []jen.Code
	body = append(body, jen.List(jen.Id("ws"), jen.Id("in"), jen.Id("grad")).Op(":=").Id(setup).Call(jen.Id("t")))
	methods := []string{"Loss", "Grad", "GradAccum"}
	if len(g.p.Updates) > 0 {
		methods = append(methods, "Update")
	}
	for _, m := range methods {
		body = append(body,
			jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(call(m)), jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.If(jen.Id("n").Op(":=").Qual("testing", "AllocsPerRun").Call(jen.Lit(20), jen.Func().Params().Block(
				jen.List(jen.Id("_"), jen.Id("_")).Op("=").Add(call(m)))), jen.Id("n").Op("!=").Lit(0)).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit(fmt.Sprintf("%s allocates %%v times per call, want 0", m)), jen.Id("n"))))
	}
	f.Commentf("TestAllocs%s checks that no call allocates once the workspace exists.", s)
	f.Func().Id("TestAllocs" + s).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)

	f.Commentf("BenchmarkGrad%s measures one loss-and-gradient call.", s)
	f.Func().Id("BenchmarkGrad"+s).Params(jen.Id("b").Op("*").Qual("testing", "B")).Block(
		jen.List(jen.Id("ws"), jen.Id("in"), jen.Id("grad")).Op(":=").Id(setup).Call(jen.Id("b")),
		jen.Id("b").Dot("ReportAllocs").Call(),
		jen.For(jen.Id("b").Dot("Loop").Call()).Block(
			jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(call("Grad")), jen.Err().Op("!=").Nil()).Block(jen.Id("b").Dot("Fatal").Call(jen.Err()))),
	)
}
