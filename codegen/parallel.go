package codegen

import (
	"fmt"
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Parallel groups. A fused group whose iterations of the outermost loop
// write disjoint elements can run on several goroutines, each on a range of
// the outer variable: the rows of a logsumexp, the per-row distances of a
// triplet, the pairwise distances of a batch. The group becomes a method
// of the workspace taking the range [lo, hi), and the kernel calls it
// through the workspace's lossrt.Pool when the group is large enough, or
// directly on the whole range when it is not.
//
// Each iteration computes exactly what it computes in the serial loop, and
// no element is written by two iterations, so the results are bit-identical
// for any number of workers and any split.

// parMinWork is the smallest group, in innermost loop steps (the product of
// its loop sizes), worth splitting: waking the pool's goroutine costs a few
// microseconds, some 2^16 steps of the cheapest loops.
const parMinWork = 1 << 16

// parMethod is a parallel group rendered as a method.
type parMethod struct {
	name     string
	backward bool
	body     []jen.Code
}

// parState collects the parallel methods of one type's kernels.
type parState struct {
	methods []parMethod
}

// parallelOuter reports whether distinct iterations of the group's
// outermost loop write distinct elements: every tensor the group writes has
// one index position that is the outer variable in every write to it.
func parallelOuter(group []unit) bool {
	if len(group[0].op().Index) == 0 {
		return false
	}
	pos := map[accessKey]int{}
	for _, u := range group {
		v := u.op().Index[0] // the outer loop variable, aliased across the group
		for _, w := range u.writes() {
			var ps []int
			for p, x := range w.idx {
				if vv, ok := x.(*ir.VarVal); ok && vv.Var == v {
					ps = append(ps, p)
				}
			}
			k := accessKey{w.t, w.adj}
			prev, seen := pos[k]
			switch {
			case len(ps) == 0:
				return false
			case !seen:
				pos[k] = ps[0]
			case !slices.Contains(ps, prev):
				return false
			}
		}
	}
	return true
}

// parallelGroup emits a group the schedule splits over its outer variable
// as a method, and the code that runs it through the pool or directly.
func (f *fn) parallelGroup(grp *group) []jen.Code {
	g := f.g
	first := grp.units[0].op()
	pf := newFn(g)
	pf.outer = first.Index[0]
	body := pf.loopGroup(grp)
	backward := f.phase == "backward"
	name := fmt.Sprintf("%sPart%d", f.phase, len(g.par.methods))
	g.par.methods = append(g.par.methods, parMethod{
		name:     name,
		backward: backward,
		body:     append(pf.prologue("ws", true, backward), body...),
	})
	id := len(g.par.methods) - 1

	// The work: the outer size times the other loops of the group.
	var work []jen.Code
	for _, v := range grp.work {
		work = append(work, jen.Id(f.useSize(v.Range)))
	}
	n := jen.Id(f.useSize(first.Index[0].Range))
	grad, scale := jen.Id(g.id("Grads")).Values(), jen.Code(jen.Lit(0))
	if backward {
		grad, scale = jen.Id("grad"), jen.Id("scale")
	}
	parts := jen.Id("ws").Dot("parts")
	return []jen.Code{
		jen.If(jen.Add(prod(work)).Op(">=").Lit(parMinWork).Op("&&").Add(n).Op(">").Lit(1).Op("&&").Id("ws").Dot("pool").Dot("Workers").Call().Op(">").Lit(1)).Block(
			parts.Clone().Op("=").Id(g.id("parts")).Values(jen.Dict{
				jen.Id("ws"):    jen.Id("ws"),
				jen.Id("in"):    jen.Id("in"),
				jen.Id("grad"):  grad,
				jen.Id("scale"): scale,
				jen.Id("group"): jen.Lit(id),
				jen.Id("n"):     n,
				jen.Id("parts"): jen.Id("min").Call(jen.Id("ws").Dot("pool").Dot("Workers").Call(), n),
			}),
			jen.Id("ws").Dot("pool").Dot("Run").Call(jen.Op("&").Add(parts), parts.Clone().Dot("parts")),
			// Drop the references to the caller's slices.
			parts.Clone().Op("=").Id(g.id("parts")).Values(),
		).Else().Block(
			jen.Id("ws").Dot(name).Call(jen.Id("in"), grad, scale, jen.Lit(0), n),
		),
	}
}

// parallelDecls emits the parallel methods and the type that dispatches a
// part to them.
func (g *typeGen) parallelDecls(f *jen.File) {
	T := g.typ.name
	ws, inputs, grads, parts := g.id("Workspace"), g.id("Inputs"), g.id("Grads"), g.id("parts")
	recv := jen.Id("ws").Op("*").Id(ws)
	for _, m := range g.par.methods {
		f.Commentf("%s runs a group of the %s pass on the outer range [lo, hi).", m.name, map[bool]string{false: "forward", true: "backward"}[m.backward])
		f.Func().Params(recv).Id(m.name).Params(
			jen.Id("in").Id(inputs), jen.Id("grad").Id(grads), jen.Id("scale").Id(T), jen.List(jen.Id("lo"), jen.Id("hi")).Int(),
		).Block(m.body...)
	}
	f.Commentf("%s is the task the workspace's pool runs: the outer range [0, n) of a", parts)
	f.Comment("parallel group, cut into parts equal ranges. It lives in the workspace, so")
	f.Comment("handing it to the pool allocates nothing.")
	f.Type().Id(parts).Struct(
		jen.Id("ws").Op("*").Id(ws),
		jen.Id("in").Id(inputs),
		jen.Id("grad").Id(grads),
		jen.Id("scale").Id(T),
		jen.List(jen.Id("group"), jen.Id("n"), jen.Id("parts")).Int(),
	)
	var cases []jen.Code
	for i, m := range g.par.methods {
		cases = append(cases, jen.Case(jen.Lit(i)).Block(
			jen.Id("p").Dot("ws").Dot(m.name).Call(jen.Id("p").Dot("in"), jen.Id("p").Dot("grad"), jen.Id("p").Dot("scale"), jen.Id("lo"), jen.Id("hi"))))
	}
	f.Comment("RunPart runs one part of the group.")
	f.Func().Params(jen.Id("p").Op("*").Id(parts)).Id("RunPart").Params(jen.Id("part").Int()).Block(
		jen.List(jen.Id("lo"), jen.Id("hi")).Op(":=").List(
			jen.Id("part").Op("*").Id("p").Dot("n").Op("/").Id("p").Dot("parts"),
			jen.Parens(jen.Id("part").Op("+").Lit(1)).Op("*").Id("p").Dot("n").Op("/").Id("p").Dot("parts")),
		jen.Switch(jen.Id("p").Dot("group")).Block(cases...),
	)
}
