package codegen

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"

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
// GradAccum allocate nothing once the workspace exists, and a benchmark:
// in the package itself, or, where its import path is known, in the
// external test package (see Options.ImportPath).
func (g *typeGen) testFile() (*jen.File, error) {
	if g.opts.ImportPath == "" {
		return g.testFileIn(jen.NewFilePathName(g.selfPath(), g.opts.Package)), nil
	}
	// The tests' own names (ws, in, grad, loss, math, lossrt, ...) must not
	// hide the package: rendered inside the package, where none of its
	// names is qualified, any identifier spelled like it is one of those,
	// and the import gets an alias instead.
	var probe bytes.Buffer
	if err := g.testFileIn(jen.NewFilePathName(g.selfPath(), g.opts.Package)).Render(&probe); err != nil {
		return nil, fmt.Errorf("codegen: the test file does not format: %v", err)
	}
	taken := identifiers(probe.Bytes())
	name := g.opts.Package
	for n := 0; taken[name]; n++ {
		name = g.opts.Package + "pkg"
		if n > 0 {
			name += fmt.Sprint(n)
		}
	}
	f := jen.NewFilePathName(g.opts.ImportPath+"_test", g.opts.Package+"_test")
	if name == g.opts.Package {
		f.ImportName(g.opts.ImportPath, name)
	} else {
		f.ImportAlias(g.opts.ImportPath, name)
	}
	return g.testFileIn(f), nil
}

// testFileIn fills f, a file of the package or of its external test
// package, with the tests.
func (g *typeGen) testFileIn(f *jen.File) *jen.File {
	g.header(f)
	for _, t := range g.types {
		tg := *g
		tg.typ = t
		tg.testFuncs(f)
	}
	sameBitsHelper(f)
	return f
}

// selfPath is the import path the test file qualifies the package's names
// with (api): the real one, or, for tests inside the package, a stand-in
// that is the test file's own path, so that they render unqualified.
func (g *typeGen) selfPath() string {
	if g.opts.ImportPath != "" {
		return g.opts.ImportPath
	}
	return "lossgen.generated/" + g.opts.Package
}

// api renders a name the package exports, as the test file sees it.
func (g *typeGen) api(name string) *jen.Statement { return jen.Qual(g.selfPath(), name) }

// identifiers returns the set of identifiers in Go source after its
// package clause.
func identifiers(src []byte) map[string]bool {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	ids := map[string]bool{}
	afterPackage := false
	for {
		_, tok, lit := s.Scan()
		switch {
		case tok == token.EOF:
			return ids
		case tok == token.PACKAGE:
			afterPackage = true
		case tok == token.IDENT && afterPackage:
			afterPackage = false // the package's own name
		case tok == token.IDENT:
			ids[lit] = true
		}
	}
}

func (g *typeGen) testFuncs(f *jen.File) {
	s := g.typ.suffix
	sizeOf := map[*dsl.Size]int{}
	for i, sz := range g.p.Sizes {
		sizeOf[sz] = testSizes[i%len(testSizes)]
	}
	setup := "testCase" + s
	f.Commentf("%s returns a workspace and inputs of odd sizes.", setup)
	dims, ins, grads, fill := g.caseFunc(f, setup, sizeOf)

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

	g.setDimsTest(f, sizeOf)
	g.workersTest(f)

	f.Commentf("BenchmarkGrad%s measures one loss-and-gradient call.", s)
	f.Func().Id("BenchmarkGrad"+s).Params(jen.Id("b").Op("*").Qual("testing", "B")).Block(
		jen.List(jen.Id("ws"), jen.Id("in"), jen.Id("grad")).Op(":=").Id(setup).Call(jen.Id("b")),
		jen.Id("b").Dot("ReportAllocs").Call(),
		jen.For(jen.Id("b").Dot("Loop").Call()).Block(
			jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(call("Grad")), jen.Err().Op("!=").Nil()).Block(jen.Id("b").Dot("Fatal").Call(jen.Err()))),
	)
}

// caseFunc emits name(tb) (*Workspace, Inputs, Grads): a workspace made
// for the sizes sizeOf and filled inputs and gradient buffers of those
// sizes. It returns the literals and fill statements, for callers that
// emit the same case elsewhere (the Example).
func (g *typeGen) caseFunc(f *jen.File, name string, sizeOf map[*dsl.Size]int) (dims, ins, grads jen.Dict, fill []jen.Code) {
	dims, ins, grads, fill = g.testInputs(sizeOf)
	f.Func().Id(name).Params(jen.Id("tb").Qual("testing", "TB")).Params(jen.Op("*").Add(g.api(g.id("Workspace"))), g.api(g.id("Inputs")), g.api(g.id("Grads"))).Block(
		append(append([]jen.Code{
			jen.Id("tb").Dot("Helper").Call(),
			jen.List(jen.Id("ws"), jen.Err()).Op(":=").Add(g.api("New" + g.id("Workspace"))).Call(g.api("Dims").Values(dims)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("tb").Dot("Fatal").Call(jen.Err())),
			jen.Id("in").Op(":=").Add(g.api(g.id("Inputs"))).Values(ins),
		}, fill...),
			jen.Return(jen.Id("ws"), jen.Id("in"), g.api(g.id("Grads")).Values(grads)))...)
	return dims, ins, grads, fill
}

// testInputs returns the Dims, Inputs and Grads literals of a test case at
// the sizes sizeOf, and the statements that fill the inputs (in).
func (g *typeGen) testInputs(sizeOf map[*dsl.Size]int) (dims, ins, grads jen.Dict, fill []jen.Code) {
	T := g.typ.name
	dims, ins, grads = jen.Dict{}, jen.Dict{}, jen.Dict{}
	for _, sz := range g.p.Sizes {
		dims[jen.Id(g.names.dimField[sz])] = jen.Lit(sizeOf[sz])
	}
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
	return dims, ins, grads, fill
}

// setDimsTest emits testSmallNN, a case at about half the test sizes, and
// TestSetDimsNN: a workspace made for the test sizes, after a call at those
// (so every buffer holds values), runs the small case through SetDims with
// the bits of a workspace made for it, values included, allocating
// nothing; it then runs the first case again with the first bits, and
// refuses sizes out of range without changing its own.
func (g *typeGen) setDimsTest(f *jen.File, sizeOf map[*dsl.Size]int) {
	T, s := g.typ.name, g.typ.suffix
	small := map[*dsl.Size]int{}
	for sz, n := range sizeOf {
		small[sz] = (n + 1) / 2
	}
	dims, ins, grads, fill := g.testInputs(small)
	smallFn := "testSmall" + s
	f.Commentf("%s returns inputs at about half the sizes of testCase%s.", smallFn, s)
	f.Func().Id(smallFn).Params().Params(g.api("Dims"), g.api(g.id("Inputs")), g.api(g.id("Grads"))).Block(
		append(append([]jen.Code{jen.Id("in").Op(":=").Add(g.api(g.id("Inputs"))).Values(ins)}, fill...),
			jen.Return(g.api("Dims").Values(dims), jen.Id("in"), g.api(g.id("Grads")).Values(grads)))...)

	fatal := func() jen.Code {
		return jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err()))
	}
	same := func(what string, want, got jen.Code) jen.Code {
		return jen.Id("testSameBits").Call(jen.Id("t"), jen.Lit(what), want, got)
	}
	one := func(x jen.Code) jen.Code { return jen.Index().Id(T).Values(x) }
	var gradChecks, againChecks, valueChecks []jen.Code
	for _, t := range g.p.Inputs {
		if !t.Diff {
			continue
		}
		field := g.names.field[t]
		gradChecks = append(gradChecks, same("grad "+t.Name, jen.Id("grad").Dot(field), jen.Id("got").Dot(field)))
		againChecks = append(againChecks, same("grad "+t.Name, jen.Id("first").Dot(field), jen.Id("again").Dot(field)))
	}
	for _, t := range g.p.Temps {
		field, ok := g.names.value[t]
		if !ok {
			continue
		}
		want, got := jen.Id("wv").Dot(field), jen.Id("gv").Dot(field)
		if len(t.Shape) == 0 {
			valueChecks = append(valueChecks, same(t.Name, one(want), one(got)))
		} else {
			valueChecks = append(valueChecks, same(t.Name, want, got))
		}
	}
	body := []jen.Code{
		jen.List(jen.Id("ws"), jen.Id("big"), jen.Id("first")).Op(":=").Id("testCase" + s).Call(jen.Id("t")),
		jen.List(jen.Id("firstLoss"), jen.Err()).Op(":=").Id("ws").Dot("Grad").Call(jen.Id("big"), jen.Id("first")),
		fatal(),
		jen.List(jen.Id("d"), jen.Id("in"), jen.Id("grad")).Op(":=").Id(smallFn).Call(),
		jen.List(jen.Id("fresh"), jen.Err()).Op(":=").Add(g.api("New" + g.id("Workspace"))).Call(jen.Id("d")),
		fatal(),
		jen.List(jen.Id("want"), jen.Err()).Op(":=").Id("fresh").Dot("Grad").Call(jen.Id("in"), jen.Id("grad")),
		fatal(),
		jen.If(jen.Err().Op(":=").Id("ws").Dot("SetDims").Call(jen.Id("d")), jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.List(jen.Id("_"), jen.Id("_"), jen.Id("got")).Op(":=").Id(smallFn).Call(),
		jen.List(jen.Id("loss"), jen.Err()).Op(":=").Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("got")),
		fatal(),
		same("loss", one(jen.Id("want")), one(jen.Id("loss"))),
	}
	body = append(body, gradChecks...)
	body = append(body, jen.List(jen.Id("wv"), jen.Id("gv")).Op(":=").Id("fresh").Dot("Values").Call().Op(",").Id("ws").Dot("Values").Call())
	body = append(body, valueChecks...)
	body = append(body,
		jen.If(jen.Id("n").Op(":=").Qual("testing", "AllocsPerRun").Call(jen.Lit(20), jen.Func().Params().Block(
			jen.Id("_").Op("=").Id("ws").Dot("SetDims").Call(jen.Id("d")),
			jen.List(jen.Id("_"), jen.Id("_")).Op("=").Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("got")),
			jen.Id("_").Op("=").Id("ws").Dot("Values").Call(),
		)), jen.Id("n").Op("!=").Lit(0)).Block(jen.Id("t").Dot("Errorf").Call(jen.Lit("SetDims, Grad and Values allocate %v times per step, want 0"), jen.Id("n"))),
		jen.Comment("Back at the sizes it was made for: the first call's bits."),
		jen.If(jen.Err().Op(":=").Id("ws").Dot("SetDims").Call(jen.Id("ws").Dot("MaxDims").Call()), jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.List(jen.Id("_"), jen.Id("_"), jen.Id("again")).Op(":=").Id("testCase"+s).Call(jen.Id("t")),
		jen.List(jen.Id("againLoss"), jen.Err()).Op(":=").Id("ws").Dot("Grad").Call(jen.Id("big"), jen.Id("again")),
		fatal(),
		same("loss", one(jen.Id("firstLoss")), one(jen.Id("againLoss"))),
	)
	body = append(body, againChecks...)
	if len(g.p.Sizes) > 0 {
		first := g.names.dimField[g.p.Sizes[0]]
		body = append(body,
			jen.Comment("Sizes out of range are refused and change nothing."),
			jen.Id("over").Op(":=").Id("ws").Dot("MaxDims").Call(),
			jen.Id("over").Dot(first).Op("++"),
			jen.Id("zero").Op(":=").Id("d"),
			jen.Id("zero").Dot(first).Op("=").Lit(0),
			jen.For(jen.List(jen.Id("_"), jen.Id("bad")).Op(":=").Range().Index().Add(g.api("Dims")).Values(jen.Id("over"), jen.Id("zero"))).Block(
				jen.Var().Id("de").Op("*").Qual(rtPath, "DimError"),
				jen.If(jen.Err().Op(":=").Id("ws").Dot("SetDims").Call(jen.Id("bad")), jen.Op("!").Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("de"))).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("SetDims(%+v) = %v, want a *lossrt.DimError"), jen.Id("bad"), jen.Err())),
			),
			jen.If(jen.Id("ws").Dot("Dims").Call().Op("!=").Id("ws").Dot("MaxDims").Call()).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("a refused SetDims changed the sizes to %+v"), jen.Id("ws").Dot("Dims").Call())),
		)
	}
	f.Commentf("TestSetDims%s checks that a workspace made for larger sizes runs smaller", s)
	f.Comment("ones with the bits of a workspace made for them, allocating nothing.")
	f.Func().Id("TestSetDims" + s).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)
}

// parallelSize is the size the workers test gives every size symbol: as
// large as keeps every tensor of the program (inputs, intermediates and
// their hidden index tensors) within 2¹⁸ elements, at most 96, so that the
// loops and products whose work reaches parMinWork run on the pool, and the
// test stays quick.
func (g *typeGen) parallelSize() int {
	rank := 1
	for _, ts := range [][]*ir.Tensor{g.p.Inputs, g.p.Temps} {
		for _, t := range ts {
			rank = max(rank, t.Rank())
		}
	}
	n := 96
	for n > 2 {
		total := 1
		for range rank {
			total *= n
		}
		if total <= 1<<18 {
			break
		}
		n--
	}
	return n
}

// workersTest emits testParallelNN, a case at sizes where the work is
// split among goroutines, and TestWorkersNN: at 1, 2 and 3 workers, Grad
// allocates nothing and gives the bits of one worker. A workspace without
// a pool (nothing in it runs in parallel) gets neither.
func (g *typeGen) workersTest(f *jen.File) {
	if !g.pooled[g.typ.name] {
		return // no group runs in parallel: TestAllocsNN covers it
	}
	T, s := g.typ.name, g.typ.suffix
	n := g.parallelSize()
	sizeOf := map[*dsl.Size]int{}
	for _, sz := range g.p.Sizes {
		sizeOf[sz] = n
	}
	setup := "testParallel" + s
	f.Commentf("%s returns a workspace and inputs with every size %d: the groups", setup, n)
	f.Comment("whose work reaches the pool's threshold run split among the workers.")
	g.caseFunc(f, setup, sizeOf)

	var checks []jen.Code
	for _, t := range g.p.Inputs {
		if !t.Diff {
			continue
		}
		field := g.names.field[t]
		checks = append(checks, jen.Id("testSameBits").Call(jen.Id("t"), jen.Lit("grad "+t.Name), jen.Id("first").Dot(field), jen.Id("grad").Dot(field)))
	}
	one := func(x jen.Code) jen.Code { return jen.Index().Id(T).Values(x) }
	// A spec without differentiable inputs has no gradients to compare.
	keep := jen.Id("firstLoss").Op("=").Id("loss")
	firstDecl := jen.Null()
	if len(checks) > 0 {
		keep = jen.List(jen.Id("firstLoss"), jen.Id("first")).Op("=").List(jen.Id("loss"), jen.Id("grad"))
		firstDecl = jen.Var().Id("first").Add(g.api(g.id("Grads")))
	}
	body := []jen.Code{
		jen.Var().Id("firstLoss").Id(T),
		firstDecl,
		jen.For(jen.List(jen.Id("k"), jen.Id("workers")).Op(":=").Range().Index().Int().Values(jen.Lit(1), jen.Lit(2), jen.Lit(3))).Block(
			append([]jen.Code{
				jen.List(jen.Id("ws"), jen.Id("in"), jen.Id("grad")).Op(":=").Id(setup).Call(jen.Id("t")),
				jen.Id("ws").Dot("SetWorkers").Call(jen.Id("workers")),
				jen.List(jen.Id("loss"), jen.Err()).Op(":=").Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("grad")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
				jen.If(jen.Id("n").Op(":=").Qual("testing", "AllocsPerRun").Call(jen.Lit(3), jen.Func().Params().Block(
					jen.List(jen.Id("_"), jen.Id("_")).Op("=").Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("grad")))), jen.Id("n").Op("!=").Lit(0)).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("%d workers: Grad allocates %v times per call, want 0"), jen.Id("workers"), jen.Id("n"))),
				jen.If(jen.Id("k").Op("==").Lit(0)).Block(keep, jen.Continue()),
				jen.Id("testSameBits").Call(jen.Id("t"), jen.Lit("loss"), one(jen.Id("firstLoss")), one(jen.Id("loss"))),
			}, checks...)...),
	}
	f.Commentf("TestWorkers%s checks that Grad allocates nothing and gives the same bits at", s)
	f.Comment("1, 2 and 3 workers, at sizes where the work is split among them.")
	f.Func().Id("TestWorkers" + s).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)
}

// sameBitsHelper emits testSameBits, shared by both float types' tests.
func sameBitsHelper(f *jen.File) {
	f.Comment("testSameBits fails t unless got has the bits of want.")
	f.Func().Id("testSameBits").Types(jen.Id("T").Float32().Op("|").Float64()).Params(
		jen.Id("t").Op("*").Qual("testing", "T"), jen.Id("what").String(), jen.List(jen.Id("want"), jen.Id("got")).Index().Id("T")).Block(
		jen.Id("t").Dot("Helper").Call(),
		jen.If(jen.Len(jen.Id("want")).Op("!=").Len(jen.Id("got"))).Block(
			jen.Id("t").Dot("Fatalf").Call(jen.Lit("%s: %d values, want %d"), jen.Id("what"), jen.Len(jen.Id("got")), jen.Len(jen.Id("want")))),
		jen.For(jen.Id("i").Op(":=").Range().Id("want")).Block(
			jen.If(jen.Qual("math", "Float64bits").Call(jen.Float64().Call(jen.Id("want").Index(jen.Id("i")))).Op("!=").Qual("math", "Float64bits").Call(jen.Float64().Call(jen.Id("got").Index(jen.Id("i"))))).Block(
				jen.Id("t").Dot("Fatalf").Call(jen.Lit("%s[%d] = %v, want %v"), jen.Id("what"), jen.Id("i"), jen.Id("got").Index(jen.Id("i")), jen.Id("want").Index(jen.Id("i"))))),
	)
}
