package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// testSizes are deliberately odd and distinct so the generated tests cover
// the remainder loops after unrolling and catch transposed dimensions.
var testSizes = []int{7, 9, 5, 11, 6, 13}

// testFill is how the generated tests and the Example fill an input: an
// integer input with i % limit (labels in range of every dimension they
// index, with repeats), a real one with sin(0.7·i + phase).
type testFill struct {
	limit int
	phase float64
}

// testFillOf returns the fill of the k-th input t at the test sizes.
func (g *typeGen) testFillOf(k int, t *ir.Tensor, sizeOf map[*dsl.Size]int) testFill {
	if !t.Int {
		return testFill{phase: float64(37*(k+1)) / 100}
	}
	limit := 3
	for _, gt := range g.p.Gathers {
		if gt.Index == t && sizeOf[gt.Range] < limit {
			limit = sizeOf[gt.Range]
		}
	}
	return testFill{limit: limit}
}

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
		fl := g.testFillOf(k, t, sizeOf)
		if t.Int {
			fill = append(fill, jen.For(jen.Id("i").Op(":=").Range().Add(x)).Block(
				jen.Add(x).Index(jen.Id("i")).Op("=").Id("i").Op("%").Lit(fl.limit)))
			continue
		}
		fill = append(fill, jen.For(jen.Id("i").Op(":=").Range().Add(x)).Block(
			jen.Add(x).Index(jen.Id("i")).Op("=").Id(T).Call(jen.Qual("math", "Sin").Call(jen.Lit(0.7).Op("*").Float64().Call(jen.Id("i")).Op("+").Lit(fl.phase)))))
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
		g.example(f, dims, ins, grads, fill, sizeOf)
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
