package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

func (g *typeGen) id(base string) string { return base + g.typ.suffix }

// elem returns the Go element type of t (and of its adjoint): the kernel's
// type for inputs and contraction targets, the compute type for other
// intermediates.
func (g *typeGen) elem(t *ir.Tensor) jen.Code {
	if t.Int {
		return jen.Int()
	}
	if g.stored(t) {
		return jen.Id(g.typ.name)
	}
	return jen.Id(calc)
}

// elemBytes is the size of one element of t's buffer, as elem types it.
func (g *typeGen) elemBytes(t *ir.Tensor) int {
	if t.Int || !g.stored(t) || g.typ.name == "float64" {
		return 8
	}
	return 4
}

// stored reports whether real tensor t is stored in the kernel's type, so
// reading it widens and accumulating into its adjoint narrows when the
// kernel's type is not the compute type.
func (g *typeGen) stored(t *ir.Tensor) bool {
	return t.Kind == ir.Input || g.narrow[t]
}

// widen converts a value of the kernel's type to the compute type, where
// they differ.
func (g *typeGen) widen(c jen.Code) jen.Code {
	if g.typ.name == calc {
		return c
	}
	return jen.Id(calc).Call(c)
}

func shapeDoc(t *ir.Tensor) string {
	var s []string
	for _, d := range t.Shape {
		s = append(s, d.Name)
	}
	return fmt.Sprintf("%s[%s]", t.Name, strings.Join(s, ", "))
}

// typeFile emits Inputs, Grads, Workspace and the kernels for one type.
// usePool reports whether the type's workspace has a pool of workers:
// some group runs in parallel, or a matrix product does. Valid once the
// forward and backward code is generated (typeFile).
func (g *typeGen) usePool() bool {
	return len(g.par.methods) > 0 || g.hasContraction()
}

func (g *typeGen) typeFile() *jen.File {
	f := g.newFile()
	T := g.typ.name
	inputs, grads, ws := g.id("Inputs"), g.id("Grads"), g.id("Workspace")
	// The kernels first: they decide which groups run in parallel, and so
	// whether the workspace needs a pool.
	g.par = &parState{}
	fwdBody, bwdBody := g.forward(), g.backward()
	usePool := g.usePool()

	var inFields, gradFields []jen.Code
	for _, t := range g.p.Inputs {
		inFields = append(inFields, jen.Id(g.names.field[t]).Index().Add(g.elem(t)).Comment(shapeDoc(t)))
		if t.Diff {
			gradFields = append(gradFields, jen.Id(g.names.field[t]).Index().Id(T).Comment("∂loss/∂"+shapeDoc(t)))
		}
	}
	f.Commentf("%s holds the inputs of the %s loss as flat row-major slices.", inputs, g.p.Name)
	f.Type().Id(inputs).Struct(inFields...)
	f.Commentf("%s receives the gradient of the loss with respect to each", grads)
	f.Comment("differentiable input, in the same layout. A nil slice skips that gradient.")
	f.Type().Id(grads).Struct(gradFields...)

	// Workspace fields: every intermediate, every adjoint buffer.
	fields := []jen.Code{
		jen.Comment("Params are the hyperparameters; NewWorkspace sets DefaultParams()."),
		jen.Id("Params").Id("Params"),
		jen.Comment("CheckFinite makes every call first scan the real inputs and return a"),
		jen.Comment("*lossrt.NotFiniteError for the first NaN or Inf. Off by default: NaN"),
		jen.Comment("and Inf then propagate into the loss and gradients."),
		jen.Id("CheckFinite").Bool(),
		jen.Id("dims").Id("Dims").Comment("the sizes calls run at"),
		jen.Id("max").Id("Dims").Comment("the sizes the buffers were made for"),
	}
	var allocs []jen.Code
	// bytes sums, in float64 so that no size can overflow it, what each
	// buffer allocated below takes: NewWorkspace checks it against the
	// memory budget before it allocates anything.
	var bytes []jen.Code
	addBytes := func(size int, dims []*dsl.Size) {
		term := []jen.Code{jen.Lit(float64(size))}
		for _, s := range dims {
			term = append(term, jen.Id("float64").Call(jen.Id("d").Dot(g.names.dimField[s])))
		}
		bytes = append(bytes, prod(term))
	}
	alloc := func(name string, t *ir.Tensor, elem jen.Code) {
		var n jen.Code = jen.Lit(1)
		if len(t.Shape) > 0 {
			var parts []jen.Code
			for _, s := range t.Shape {
				parts = append(parts, jen.Id("d").Dot(g.names.dimField[s]))
			}
			n = prod(parts)
		}
		allocs = append(allocs, jen.Id("ws").Dot(name).Op("=").Make(jen.Index().Add(elem), n))
		addBytes(g.elemBytes(t), t.Shape)
	}
	for _, t := range g.p.Temps {
		name := g.names.tensor[t]
		fields = append(fields, jen.Id(name).Index().Add(g.elem(t)).Comment(g.tempDoc(t)))
		alloc(name, t, g.elem(t))
	}
	for _, t := range append(append([]*ir.Tensor{}, g.p.Inputs...), g.p.Temps...) {
		name, ok := g.names.adj[t]
		if !ok {
			continue
		}
		doc := "adjoint of " + t.Name
		if t.Kind == ir.Input {
			doc = "stands in for a nil gradient slice of " + t.Name
		}
		fields = append(fields, jen.Id(name).Index().Add(g.elem(t)).Comment(doc))
		alloc(name, t, g.elem(t))
	}
	for _, op := range g.p.Forward {
		kb, ok := g.keep[op]
		if !ok {
			continue
		}
		k := op.RVars[0].Range
		var n, m []jen.Code
		for _, s := range op.Target.Shape {
			n = append(n, jen.Id("d").Dot(g.names.dimField[s]))
			m = append(m, jen.Id("d").Dot(g.names.dimField[s]))
		}
		n = append(n, jen.Id("d").Dot(g.names.dimField[k]))
		if len(m) == 0 {
			m = []jen.Code{jen.Lit(1)}
		}
		fields = append(fields,
			jen.Id(kb.exp).Index().Add(g.elem(kb.row.Tensor)).Comment("exp(z − max) of each row of "+op.Target.Name+", kept for the backward pass"),
			jen.Id(kb.norm).Index().Id(calc).Comment("1 / Σ exp(z − max) of each row of "+op.Target.Name))
		allocs = append(allocs,
			jen.Id("ws").Dot(kb.exp).Op("=").Make(jen.Index().Add(g.elem(kb.row.Tensor)), prod(n)),
			jen.Id("ws").Dot(kb.norm).Op("=").Make(jen.Index().Id(calc), prod(m)))
		addBytes(g.elemBytes(kb.row.Tensor), append(append([]*dsl.Size{}, op.Target.Shape...), k))
		addBytes(8, op.Target.Shape)
	}
	for _, adj := range g.p.Backward {
		name, ok := g.pairGrad[adj]
		if !ok {
			continue
		}
		d := adj.Fwd.Target
		n, m := jen.Id("d").Dot(g.names.dimField[d.Shape[0]]), jen.Id("d").Dot(g.names.dimField[d.Shape[1]])
		fields = append(fields, jen.Id(name).Op("*").Qual(rtPath, "SqDistGrad").Types(jen.Id(T)).Comment("buffers of the adjoint of "+d.Name+"'s pairwise distances"))
		allocs = append(allocs, jen.Id("ws").Dot(name).Op("=").Qual(rtPath, "NewSqDistGrad").Types(jen.Id(T)).Call(n, m))
		elem := 8
		if T == "float32" {
			elem = 4
		}
		addBytes(elem, d.Shape)  // lossrt.SqDistGradBytes: the
		addBytes(8, d.Shape[:1]) // n×m adjoint in T and its row
		addBytes(8, d.Shape[1:]) // and column sums

	}
	if usePool {
		fields = append(fields, jen.Id("pool").Op("*").Qual(rtPath, "Pool").Comment("the goroutines large groups and products are split among"))
		allocs = append(allocs, jen.Id("ws").Dot("pool").Op("=").Qual(rtPath, "NewPool").Call(jen.Lit(0)))
	}
	if len(g.par.methods) > 0 {
		fields = append(fields, jen.Id("parts").Id(g.id("parts")).Comment("the parallel group being run"))
	}
	if g.hasContraction() {
		fields = append(fields, jen.Id("gemm").Op("*").Qual(rtPath, "Gemm").Types(jen.Id(T)).Comment("packing buffers of the matrix products"))
		allocs = append(allocs,
			jen.Id("ws").Dot("gemm").Op("=").Qual(rtPath, "NewGemm").Types(jen.Id(T)).Call(),
			jen.Id("ws").Dot("gemm").Dot("SetPool").Call(jen.Id("ws").Dot("pool")))
	}
	f.Commentf("%s holds every buffer the %s kernels need for one set of sizes,", ws, g.p.Name)
	f.Comment("so that calls allocate nothing. It is not safe for concurrent use.")
	f.Type().Id(ws).Struct(fields...)

	// One statement per buffer: a single sum of thousands of terms would
	// make gofmt's printer quadratic in the number of definitions.
	body := []jen.Code{jen.Id("b").Op(":=").Lit(0.0)}
	for _, b := range bytes {
		body = append(body, jen.Id("b").Op("+=").Add(b))
	}
	body = append(body, jen.Return(jen.Id("b")))
	f.Commentf("%sBytes is how many bytes the buffers of a %s for the sizes d", ws, ws)
	f.Comment("take (the matrix products' packing buffers, about 1 MiB per worker, come")
	f.Comment("on top). New" + ws + " refuses sizes whose bytes exceed lossrt.MemoryBudget.")
	f.Func().Id(ws + "Bytes").Params(jen.Id("d").Id("Dims")).Float64().Block(body...)

	f.Commentf("New%s returns a workspace for the sizes d, with default parameters.", ws)
	f.Comment("Sizes whose buffers would exceed the memory budget are a *lossrt.MemoryError,")
	f.Comment("returned before anything is allocated.")
	f.Func().Id("New"+ws).Params(jen.Id("d").Id("Dims")).Params(jen.Op("*").Id(ws), jen.Error()).Block(
		append(append([]jen.Code{
			jen.If(jen.Err().Op(":=").Id("d").Dot("validate").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.If(jen.Err().Op(":=").Qual(rtPath, "CheckMemory").Call(jen.Lit(g.p.Name), jen.Id(ws+"Bytes").Call(jen.Id("d"))), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Id("ws").Op(":=").Op("&").Id(ws).Values(jen.Dict{jen.Id("Params"): jen.Id("DefaultParams").Call(), jen.Id("dims"): jen.Id("d"), jen.Id("max"): jen.Id("d")}),
		}, allocs...), jen.Return(jen.Id("ws"), jen.Nil()))...)

	recv := jen.Id("ws").Op("*").Id(ws)
	f.Comment("Dims returns the sizes calls run at: the ones the workspace was made")
	f.Comment("for, or the last ones SetDims set.")
	f.Func().Params(recv).Id("Dims").Params().Id("Dims").Block(jen.Return(jen.Id("ws").Dot("dims")))
	f.Comment("MaxDims returns the sizes the workspace was made for, the largest")
	f.Comment("SetDims accepts.")
	f.Func().Params(recv).Id("MaxDims").Params().Id("Dims").Block(jen.Return(jen.Id("ws").Dot("max")))
	f.Comment("SetDims makes the following calls run at the sizes d, each of which must")
	f.Comment("be positive and at most the size the workspace was made for: the last,")
	f.Comment("smaller batch of an epoch, or a gallery that grows up to a bound, runs")
	f.Comment("on the workspace made for the largest sizes. It allocates nothing, and")
	f.Comment("the results are bit-identical to those of a workspace made for d. A")
	f.Comment("size out of range is a *lossrt.DimError and leaves the sizes unchanged.")
	f.Func().Params(recv).Id("SetDims").Params(jen.Id("d").Id("Dims")).Error().Block(g.setDimsBody()...)
	g.valuesDecls(f, recv)

	if usePool {
		f.Comment("SetWorkers sets how many goroutines the workspace's large loops and matrix")
		f.Comment("products are split among, the calling one included; n <= 0 means")
		f.Comment("GOMAXPROCS, the default. Results are bit-identical for every n.")
		f.Comment("SetWorkers(1) suits callers that already run one workspace per core. It")
		f.Comment("allocates: call it once, not per step.")
		body := []jen.Code{
			jen.Id("ws").Dot("pool").Dot("Close").Call(),
			jen.Id("ws").Dot("pool").Op("=").Qual(rtPath, "NewPool").Call(jen.Id("n")),
		}
		if g.hasContraction() {
			body = append(body, jen.Id("ws").Dot("gemm").Dot("SetPool").Call(jen.Id("ws").Dot("pool")))
		}
		f.Func().Params(recv).Id("SetWorkers").Params(jen.Id("n").Int()).Block(body...)
	}

	var result jen.Code = jen.Id("ws").Dot(g.names.tensor[g.p.Result]).Index(jen.Lit(0))
	if T != calc {
		result = jen.Id(T).Call(result)
	}
	fail := func() jen.Code { return jen.Return(jen.Lit(0), jen.Err()) }

	f.Comment("Loss computes the loss only.")
	f.Func().Params(recv).Id("Loss").Params(jen.Id("in").Id(inputs)).Params(jen.Id(T), jen.Error()).Block(
		jen.If(jen.Err().Op(":=").Id("ws").Dot("check").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(fail()),
		jen.Id("ws").Dot("forward").Call(jen.Id("in")),
		jen.Return(result, jen.Nil()),
	)

	var clears []jen.Code
	for _, t := range g.p.Inputs {
		if t.Diff {
			clears = append(clears, jen.Id("clear").Call(jen.Id("grad").Dot(g.names.field[t])))
		}
	}
	f.Comment("Grad computes the loss and writes its gradient into grad, overwriting it.")
	f.Func().Params(recv).Id("Grad").Params(jen.Id("in").Id(inputs), jen.Id("grad").Id(grads)).Params(jen.Id(T), jen.Error()).Block(
		append(append([]jen.Code{
			jen.If(jen.Err().Op(":=").Id("ws").Dot("check").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(fail()),
			jen.If(jen.Err().Op(":=").Id("ws").Dot("checkGrads").Call(jen.Id("grad")), jen.Err().Op("!=").Nil()).Block(fail()),
			jen.If(jen.Err().Op(":=").Id("ws").Dot("checkAlias").Call(jen.Id("in"), jen.Id("grad")), jen.Err().Op("!=").Nil()).Block(fail()),
		}, clears...),
			jen.Id("ws").Dot("forward").Call(jen.Id("in")),
			jen.Id("ws").Dot("backward").Call(jen.Id("in"), jen.Id("grad"), jen.Lit(1)),
			jen.Return(result, jen.Nil()))...)

	f.Comment("GradAccum computes the loss and adds scale times its gradient into grad,")
	f.Comment("so that several losses can be summed into one gradient buffer.")
	f.Func().Params(recv).Id("GradAccum").Params(jen.Id("in").Id(inputs), jen.Id("grad").Id(grads), jen.Id("scale").Id(T)).Params(jen.Id(T), jen.Error()).Block(
		jen.If(jen.Err().Op(":=").Id("ws").Dot("check").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(fail()),
		jen.If(jen.Err().Op(":=").Id("ws").Dot("checkGrads").Call(jen.Id("grad")), jen.Err().Op("!=").Nil()).Block(fail()),
		jen.If(jen.Err().Op(":=").Id("ws").Dot("checkAlias").Call(jen.Id("in"), jen.Id("grad")), jen.Err().Op("!=").Nil()).Block(fail()),
		jen.Id("ws").Dot("forward").Call(jen.Id("in")),
		jen.Id("ws").Dot("backward").Call(jen.Id("in"), jen.Id("grad"), jen.Id("scale")),
		jen.Return(result, jen.Nil()))

	f.Comment("check validates input lengths and the range of every label used as an index.")
	f.Func().Params(recv).Id("check").Params(jen.Id("in").Id(inputs)).Error().Block(g.checkBody()...)
	f.Comment("checkGrads validates the length of every gradient slice that is not nil.")
	f.Func().Params(recv).Id("checkGrads").Params(jen.Id("grad").Id(grads)).Error().Block(g.checkGradsBody()...)
	f.Comment("checkAlias refuses a gradient slice that shares memory with an input or")
	f.Comment("with another gradient slice: the kernel reads inputs while it writes")
	f.Comment("gradients, so an alias would give a wrong result without an error.")
	f.Func().Params(recv).Id("checkAlias").Params(jen.Id("in").Id(inputs), jen.Id("grad").Id(grads)).Error().Block(g.checkAliasBody()...)

	f.Comment("forward evaluates the spec's definitions in order.")
	f.Func().Params(recv).Id("forward").Params(jen.Id("in").Id(inputs)).Block(fwdBody...)
	f.Comment("backward propagates scale·∂loss backwards through the definitions,")
	f.Comment("accumulating into grad; forward must have run on the same inputs.")
	f.Func().Params(recv).Id("backward").Params(jen.Id("in").Id(inputs), jen.Id("grad").Id(grads), jen.Id("scale").Id(T)).Block(bwdBody...)
	if len(g.par.methods) > 0 {
		g.parallelDecls(f)
	}

	if len(g.p.Updates) > 0 {
		var targets []string
		for _, a := range g.p.Assigns {
			targets = append(targets, "in."+g.names.field[a.Target])
		}
		f.Comment("Update applies the spec's update rules: it evaluates the loss's")
		f.Comment("definitions on in, computes every rule from those old values, then")
		f.Commentf("overwrites %s. Rules are not gradients: an optimiser", strings.Join(targets, ", "))
		f.Comment("should leave those inputs to Update. It allocates nothing.")
		f.Func().Params(recv).Id("Update").Params(jen.Id("in").Id(inputs)).Error().Block(
			jen.If(jen.Err().Op(":=").Id("ws").Dot("check").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id("ws").Dot("forward").Call(jen.Id("in")),
			jen.Id("ws").Dot("update").Call(jen.Id("in")),
			jen.Return(jen.Nil()),
		)
		f.Comment("update computes the rules into workspace buffers, then assigns them.")
		f.Func().Params(recv).Id("update").Params(jen.Id("in").Id(inputs)).Block(g.update()...)
	}
	g.evalFunc(f)
	return f
}

// valuesDecls emits ValuesNN, the value of every definition the spec names,
// and the method that returns them after a call: the terms of a
// composition, counts such as active triplets, per-sample losses
// (PyTorch's reduction='none'). Scalars are copied; tensors are the
// workspace's own buffers, cut to the current sizes, so reading them
// allocates nothing.
func (g *typeGen) valuesDecls(f *jen.File, recv jen.Code) {
	T := g.typ.name
	vals := g.id("Values")
	var fields []jen.Code
	dict := jen.Dict{}
	for _, t := range g.p.Temps {
		name, ok := g.names.value[t]
		if !ok {
			continue
		}
		buf := jen.Id("ws").Dot(g.names.tensor[t])
		doc := fmt.Sprintf("%s, spec line %d", shapeDoc(t), t.Pos.Line)
		if len(t.Shape) == 0 {
			fields = append(fields, jen.Id(name).Id(T).Comment(doc))
			var v jen.Code = buf.Index(jen.Lit(0))
			if !g.stored(t) && T != calc {
				v = jen.Id(T).Call(v)
			}
			dict[jen.Id(name)] = v
			continue
		}
		var n []jen.Code
		for _, sz := range t.Shape {
			n = append(n, jen.Id("ws").Dot("dims").Dot(g.names.dimField[sz]))
		}
		fields = append(fields, jen.Id(name).Index().Add(g.elem(t)).Comment(doc))
		dict[jen.Id(name)] = buf.Index(jen.Empty(), prod(n))
	}
	f.Commentf("%s holds the value of every definition the spec names, as the last", vals)
	f.Comment("call computed it. Scalars are copies. Tensors are flat row-major views of")
	f.Comment("the workspace's buffers at the sizes of that call: read or copy them")
	f.Comment("before the next call, which overwrites them, and do not write them.")
	f.Comment("Intermediates are computed in float64, so their views are []float64 in")
	f.Comment("both workspaces, except those a float32 workspace stores as float32 for")
	f.Comment("its matrix products.")
	f.Type().Id(vals).Struct(fields...)
	f.Commentf("Values returns the named definitions' values from the last Loss, Grad,")
	f.Comment("GradAccum or Update call (zero before the first). It allocates nothing.")
	f.Func().Params(recv).Id("Values").Params().Id(vals).Block(jen.Return(jen.Id(vals).Values(dict)))
}

// setDimsBody checks every size of d against 1 and the workspace's maximum
// before it sets them. Sizes within the maximum cannot overflow a tensor's
// element count (validate passed for the maximum), and the checks allocate
// nothing unless they fail, so SetDims may run every step.
func (g *typeGen) setDimsBody() []jen.Code {
	var out []jen.Code
	for _, s := range g.p.Sizes {
		field := g.names.dimField[s]
		d, m := jen.Id("d").Dot(field), jen.Id("ws").Dot("max").Dot(field)
		fail := func(reason jen.Code) jen.Code {
			return jen.Return(jen.Op("&").Qual(rtPath, "DimError").Values(jen.Dict{
				jen.Id("Size"):   jen.Lit(s.Name),
				jen.Id("Value"):  d.Clone(),
				jen.Id("Reason"): reason,
			}))
		}
		out = append(out,
			jen.If(d.Clone().Op("<").Lit(1)).Block(fail(jen.Lit("must be positive"))),
			jen.If(d.Clone().Op(">").Add(m.Clone())).Block(fail(jen.Qual("fmt", "Sprintf").Call(jen.Lit("more than %d, the size the workspace was made for"), m.Clone()))))
	}
	return append(out,
		jen.Id("ws").Dot("dims").Op("=").Id("d"),
		jen.Return(jen.Nil()))
}

func (g *typeGen) tempDoc(t *ir.Tensor) string {
	if t.ArgOf != nil {
		return "first arg index of " + t.ArgOf.Name + ", -1 for an empty set"
	}
	return fmt.Sprintf("%s, spec line %d", shapeDoc(t), t.Pos.Line)
}

// lengthCheck returns `if len(x) != N*D { return NewLengthError(...) }`.
func (g *typeGen) lengthCheck(name string, x jen.Code, t *ir.Tensor) jen.Code {
	names, vals := g.shapeArgs(t.Shape, "ws.dims")
	var want jen.Code = jen.Lit(1)
	if len(vals) > 0 {
		want = prod(vals)
	}
	return jen.If(jen.Len(x).Op("!=").Add(want)).Block(jen.Return(jen.Qual(rtPath, "NewLengthError").Call(
		jen.Lit(name), jen.Index().String().Values(names...), jen.Index().Int().Values(vals...), jen.Len(x))))
}

func (g *typeGen) checkBody() []jen.Code {
	var out []jen.Code
	for _, t := range g.p.Inputs {
		out = append(out, g.lengthCheck(t.Name, jen.Id("in").Dot(g.names.field[t]), t))
	}
	var finite []jen.Code
	for _, t := range g.p.Inputs {
		if t.Int {
			continue
		}
		x := jen.Id("in").Dot(g.names.field[t])
		v := func() jen.Code { return g.widen(jen.Id("v")) }
		finite = append(finite, jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Add(x)).Block(
			jen.If(jen.Qual("math", "IsNaN").Call(v()).Op("||").Qual("math", "IsInf").Call(v(), jen.Lit(0))).Block(
				jen.Return(jen.Op("&").Qual(rtPath, "NotFiniteError").Values(jen.Dict{
					jen.Id("Name"): jen.Lit(t.Name), jen.Id("Index"): jen.Id("i"), jen.Id("Value"): v(),
				})))))
	}
	if len(finite) > 0 {
		out = append(out, jen.If(jen.Id("ws").Dot("CheckFinite")).Block(finite...))
	}
	for _, gt := range g.p.Gathers {
		field := g.names.field[gt.Index]
		limit := jen.Id("ws").Dot("dims").Dot(g.names.dimField[gt.Range])
		out = append(out, jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("in").Dot(field)).Block(
			jen.If(jen.Id("v").Op("<").Lit(0).Op("||").Id("v").Op(">=").Add(limit)).Block(
				jen.Return(jen.Op("&").Qual(rtPath, "LabelError").Values(jen.Dict{
					jen.Id("Name"): jen.Lit(gt.Index.Name), jen.Id("Index"): jen.Id("i"), jen.Id("Value"): jen.Id("v"),
					jen.Id("Limit"): limit, jen.Id("Size"): jen.Lit(gt.Range.Name),
				})))))
	}
	return append(out, jen.Return(jen.Nil()))
}

func (g *typeGen) checkGradsBody() []jen.Code {
	var out []jen.Code
	for _, t := range g.p.Inputs {
		if !t.Diff {
			continue
		}
		x := jen.Id("grad").Dot(g.names.field[t])
		out = append(out, jen.If(jen.Add(x).Op("!=").Nil()).Block(g.lengthCheck("grad "+t.Name, x, t)))
	}
	return append(out, jen.Return(jen.Nil()))
}

func (g *typeGen) checkAliasBody() []jen.Code {
	// Tables on the stack and one runtime loop keep the code linear in
	// the number of inputs (a check per pair was quadratic in the source).
	var reals, realNames, grads, gradNames []jen.Code
	for _, t := range g.p.Inputs {
		if t.Int {
			continue
		}
		reals = append(reals, jen.Id("in").Dot(g.names.field[t]))
		realNames = append(realNames, jen.Lit(t.Name))
		if t.Diff {
			grads = append(grads, jen.Id("grad").Dot(g.names.field[t]))
			gradNames = append(gradNames, jen.Lit(t.Name))
		}
	}
	if len(grads) == 0 {
		return []jen.Code{jen.Return(jen.Nil())}
	}
	T := jen.Id(g.typ.name)
	return []jen.Code{
		jen.Id("reals").Op(":=").Index(jen.Op("...")).Index().Add(T).Values(reals...),
		jen.Id("grads").Op(":=").Index(jen.Op("...")).Index().Add(T).Values(grads...),
		jen.Return(jen.Qual(rtPath, "CheckAlias").Call(
			jen.Id("reals").Index(jen.Op(":")), jen.Index().String().Values(realNames...),
			jen.Id("grads").Index(jen.Op(":")), jen.Index().String().Values(gradNames...))),
	}
}

// evalFunc emits EvalNN, the dynamically typed entry point for tools.
func (g *typeGen) evalFunc(f *jen.File) {
	T := g.typ.name
	req := jen.Qual(rtPath, "Request").Types(jen.Id(T))
	res := func() *jen.Statement { return jen.Qual(rtPath, "Result").Types(jen.Id(T)) }
	ins := jen.Dict{}
	gradVals := jen.Dict{}
	gradMap := jen.Dict{}
	for _, t := range g.p.Inputs {
		field := jen.Id(g.names.field[t])
		if t.Int {
			ins[field] = jen.Id("r").Dot("Ints").Index(jen.Lit(t.Name))
		} else {
			ins[field] = jen.Id("r").Dot("Reals").Index(jen.Lit(t.Name))
		}
		if t.Diff {
			gradVals[jen.Id(g.names.field[t])] = jen.Make(jen.Index().Id(T), jen.Len(jen.Id("in").Dot(g.names.field[t])))
			gradMap[jen.Lit(t.Name)] = jen.Id("grad").Dot(g.names.field[t])
		}
	}
	fail := jen.Return(res().Values(), jen.Err())
	f.Commentf("Eval%s runs the kernel on a dynamically typed request. It allocates;", g.typ.suffix)
	f.Comment("it is meant for tools such as lossgen run, not for training loops.")
	// The named definitions' values, as float64 slices by spec name.
	valMap := jen.Dict{}
	for _, t := range g.p.Temps {
		field, ok := g.names.value[t]
		if !ok {
			continue
		}
		v := jen.Id("v").Dot(field)
		if len(t.Shape) == 0 {
			valMap[jen.Lit(t.Name)] = jen.Index().Float64().Values(jen.Float64().Call(v))
		} else {
			valMap[jen.Lit(t.Name)] = jen.Qual(rtPath, "Float64s").Call(v)
		}
	}
	values := jen.Map(jen.String()).Index().Float64().Values(valMap)
	f.Func().Id("Eval"+g.typ.suffix).Params(jen.Id("r").Add(req)).Params(res(), jen.Error()).Block(
		jen.If(jen.Err().Op(":=").Qual(rtPath, "CheckRequest").Call(jen.Id("Info"), jen.Id("r")), jen.Err().Op("!=").Nil()).Block(fail),
		jen.Id("size").Op(":=").Id("r").Dot("Dims"),
		jen.If(jen.Id("r").Dot("Max").Op("!=").Nil()).Block(jen.Id("size").Op("=").Id("r").Dot("Max")),
		jen.List(jen.Id("ws"), jen.Err()).Op(":=").Id("New"+g.id("Workspace")).Call(jen.Id("dimsFrom").Call(jen.Id("size"))),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail),
		jen.If(jen.Err().Op(":=").Id("ws").Dot("SetDims").Call(jen.Id("dimsFrom").Call(jen.Id("r").Dot("Dims"))), jen.Err().Op("!=").Nil()).Block(fail),
		jen.Id("ws").Dot("Params").Op("=").Id("paramsFrom").Call(jen.Id("r").Dot("Params")),
		jen.Id("in").Op(":=").Id(g.id("Inputs")).Values(ins),
		jen.If(jen.Op("!").Id("r").Dot("Grad")).Block(
			jen.List(jen.Id("loss"), jen.Err()).Op(":=").Id("ws").Dot("Loss").Call(jen.Id("in")),
			jen.If(jen.Err().Op("!=").Nil()).Block(fail),
			jen.Id("v").Op(":=").Id("ws").Dot("Values").Call(),
			jen.Return(res().Values(jen.Dict{jen.Id("Loss"): jen.Id("loss"), jen.Id("Values"): values.Clone()}), jen.Nil())),
		jen.If(jen.Err().Op(":=").Id("ws").Dot("check").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(fail),
		jen.Id("grad").Op(":=").Id(g.id("Grads")).Values(gradVals),
		jen.List(jen.Id("loss"), jen.Err()).Op(":=").Id("ws").Dot("Grad").Call(jen.Id("in"), jen.Id("grad")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail),
		jen.Id("v").Op(":=").Id("ws").Dot("Values").Call(),
		jen.Return(res().Values(jen.Dict{jen.Id("Loss"): jen.Id("loss"), jen.Id("Grads"): jen.Map(jen.String()).Index().Id(T).Values(gradMap), jen.Id("Values"): values}), jen.Nil()),
	)
}
