package codegen

import (
	"fmt"
	"go/token"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// fn accumulates the body of one kernel function and records which sizes,
// parameters and slices it reads, so that only those are bound at the top
// (Go rejects unused variables).
type fn struct {
	g        *typeGen
	used     map[string]bool
	vars     map[*ir.Var]varRender
	varNames map[*ir.Var]string
	// aliasOf maps a variable of a fused group's later Op to the first
	// Op's variable it renders as (see aliasVar).
	aliasOf map[*ir.Var]*ir.Var
	locals  map[*ir.Local]string
	copyNo  int             // unrolled copy being rendered; locals get a _copyNo suffix
	rows    *rowState       // rows of the unrolled loop being rendered, or nil
	active  map[string]bool // loop variable names in scope
	hoisted int             // counter naming hoisted locals h1, h2, ...
	// Per fused group: Go names of locals (stable across unrolled copies),
	// the names taken, and the next free accumulator number.
	localBase map[*ir.Local]string
	usedBase  map[string]bool
	// nextSuffix is, per base name, where bindLocal's probing resumes.
	nextSuffix map[string]int
	accNext    int
	// promoted maps the accumulations of the adjoint loop being rendered
	// that go to local accumulators (see promote.go) to their number.
	promoted map[*ir.Accum]int
	// phase is "forward" or "backward" for the kernels that may run
	// groups in parallel (see parallel.go), "" elsewhere; outer is the
	// variable whose loop runs from lo to hi in a parallel part.
	phase string
	outer *ir.Var
	// vexp is the blocking of the loop whose steps are being rendered (see
	// vexp.go), vexpBufs the number of block buffers the function declares.
	vexp     *vexpState
	vexpBufs int
}

type varRender struct {
	code jen.Code
	prec int
}

func newFn(g *typeGen) *fn {
	return &fn{g: g, used: map[string]bool{}, vars: map[*ir.Var]varRender{}, varNames: map[*ir.Var]string{}, aliasOf: map[*ir.Var]*ir.Var{}, active: map[string]bool{}, localBase: map[*ir.Local]string{}, usedBase: map[string]bool{}, nextSuffix: map[string]int{}, locals: map[*ir.Local]string{}}
}

func (f *fn) useSize(s *dsl.Size) string {
	name := f.g.names.size[s]
	f.used[name] = true
	return name
}

func (f *fn) useParam(p *dsl.Param) string {
	name := f.g.names.param[p]
	f.used[name] = true
	return name
}

func (f *fn) useTensor(t *ir.Tensor) string {
	name := f.g.names.tensor[t]
	f.used[name] = true
	return name
}

func (f *fn) useAdj(t *ir.Tensor) string {
	name := f.g.names.adj[t]
	f.used[name] = true
	return name
}

func (f *fn) varCode(v *ir.Var) (jen.Code, int) {
	r, ok := f.vars[v]
	if !ok {
		panic(fmt.Sprintf("codegen: loop variable %s not bound", v.Name))
	}
	return r.code, r.prec
}

func (f *fn) localName(l *ir.Local) string {
	name, ok := f.locals[l]
	if !ok {
		panic("codegen: local " + l.Name + " not bound")
	}
	return name
}

// bindLocal names a local of the current copy.
func (f *fn) bindLocal(l *ir.Local) string {
	name, ok := f.localBase[l]
	if !ok {
		// Locals of different Ops in one fused loop get distinct names:
		// g1, then g1b, g1c, ... g1z, g1z25, g1z26, ...
		// Probing starts after the last suffix this base name took, so n
		// locals of one name cost n probes, not n²/2 (a spec of 10000
		// definitions once spent most of its compile time here).
		name = l.Name
		k := f.nextSuffix[l.Name]
		if k > 0 {
			name = l.Name + localSuffix(k-1)
		}
		for ; f.g.names.taken[name] || f.usedBase[name]; k++ {
			name = l.Name + localSuffix(k)
		}
		f.nextSuffix[l.Name] = k
		f.usedBase[name] = true
		f.localBase[l] = name
	}
	if f.copyNo > 0 {
		name = fmt.Sprintf("%s_%d", name, f.copyNo)
	}
	f.locals[l] = name
	return name
}

// localSuffix is the k-th suffix that tells apart locals of one base name:
// b to z, then z25, z26, ..., so that names stay identifiers however many
// Ops share a loop.
func localSuffix(k int) string {
	if k < 25 {
		return string(rune('b' + k))
	}
	return "z" + strconv.Itoa(k)
}

// bindVar makes v render as its own Go name, avoiding spec names.
func (f *fn) bindVar(v *ir.Var) string {
	name := v.Name
	// An index variable may be called type or range in a spec, or t1 like
	// a scalar temporary: none of those may be a Go loop variable.
	for f.g.names.taken[name] || reserved[name] || f.active[name] || token.IsKeyword(name) || isLocalPattern(name) {
		name += "_"
	}
	f.active[name] = true
	delete(f.aliasOf, v) // bound on its own now, no longer rendered as another
	f.vars[v] = varRender{code: jen.Id(name), prec: precAtom}
	f.varNames[v] = name
	return name
}

// prologue binds the sizes, parameters and slices the body used, in a
// fixed order. Workspace buffers are bound cut to the current sizes (a
// workspace made for larger ones runs smaller calls, see SetDims), so that
// every slice the body sees, and every length a runtime kernel derives
// from it, is what a workspace made for exactly these sizes would give.
func (f *fn) prologue(recv string, fromInputs, fromGrads bool) []jen.Code {
	g := f.g
	// The buffers first: cutting them may use sizes the body did not.
	var bufs []jen.Code
	for _, t := range g.p.Temps {
		if name := g.names.tensor[t]; f.used[name] {
			bufs = append(bufs, jen.Id(name).Op(":=").Add(f.cut(recv, name, t)))
		}
	}
	if fromGrads {
		for _, t := range g.p.Inputs {
			name, ok := g.names.adj[t]
			if !ok || !f.used[name] {
				continue
			}
			field := g.names.field[t]
			// A nil gradient slice means the caller does not want it; the
			// kernel still needs somewhere to accumulate.
			bufs = append(bufs,
				jen.Id(name).Op(":=").Id("grad").Dot(field),
				jen.If(jen.Id(name).Op("==").Nil()).Block(jen.Id(name).Op("=").Add(f.cut(recv, name, t))),
			)
		}
		for _, t := range g.p.Temps {
			if name, ok := g.names.adj[t]; ok && f.used[name] {
				bufs = append(bufs, jen.Id(name).Op(":=").Add(f.cut(recv, name, t)))
			}
		}
	}
	var out []jen.Code
	for _, s := range g.p.Sizes {
		if name := g.names.size[s]; f.used[name] {
			out = append(out, jen.Id(name).Op(":=").Id(recv).Dot("dims").Dot(f.g.names.dimField[s]))
		}
	}
	for _, q := range g.p.Params {
		if name := g.names.param[q]; f.used[name] {
			out = append(out, jen.Id(name).Op(":=").Id(recv).Dot("Params").Dot(g.names.paramField[q]))
		}
	}
	for _, t := range g.p.Inputs {
		if name := g.names.tensor[t]; f.used[name] && fromInputs {
			out = append(out, jen.Id(name).Op(":=").Id("in").Dot(g.names.field[t]))
		}
	}
	return append(append(out, bufs...), f.vexpDecls()...)
}

// cut returns recv.name, the workspace buffer of t, cut to t's element
// count at the current sizes (a scalar's buffer is always one element).
func (f *fn) cut(recv, name string, t *ir.Tensor) jen.Code {
	buf := jen.Id(recv).Dot(name)
	if len(t.Shape) == 0 {
		return buf
	}
	var n []jen.Code
	for _, s := range t.Shape {
		n = append(n, jen.Id(f.useSize(s)))
	}
	return buf.Index(jen.Empty(), prod(n))
}

// block renders the statements of b (not its result).
func (f *fn) block(b *ir.Block) []jen.Code {
	var out []jen.Code
	for _, s := range b.Stmts {
		out = append(out, f.stmt(s))
	}
	return out
}

func (f *fn) stmt(s ir.Stmt) jen.Code {
	switch s := s.(type) {
	case *ir.Assign:
		if f.vexpDead(s.Local) {
			return jen.Null()
		}
		val := f.expr(s.Value)
		return jen.Id(f.bindLocal(s.Local)).Op(":=").Add(val)
	case *ir.Accum:
		op, val := "+=", s.Value
		if u, ok := s.Value.(*ir.Unary); ok && u.Op == "-" {
			op, val = "-=", u.X
		}
		if m, ok := f.promoted[s]; ok {
			return jen.Id(f.accName(m, f.copyNo)).Op(op).Add(f.expr(val))
		}
		target, ok := f.rowAccess(s.Tensor, true, s.Index)
		if !ok {
			target = jen.Id(f.useAdj(s.Tensor)).Index(f.flat(s.Tensor, s.Index))
		}
		code := f.expr(val)
		if f.g.stored(s.Tensor) && f.g.typ.name != calc {
			code = jen.Id(f.g.typ.name).Call(code)
		}
		return jen.Add(target).Op(op).Add(code)
	}
	panic(fmt.Sprintf("codegen: unexpected statement %T", s))
}
