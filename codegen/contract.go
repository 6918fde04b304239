package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/lossgen/lossgen/ir"
)

// Contraction form. A sum over one index of the product of two real inputs,
//
//	z[i, j] = sum(k: a[i, k] * b[j, k])
//
// is a matrix product, and so are both halves of its adjoint. Emitted as
// loops it runs at scalar speed; emitted as calls to lossrt.Gemm it runs on
// the runtime's packed, blocked SIMD kernels. Softmax's fully connected
// layer, the cosine logits of arcface and cosface and the similarity
// matrices of circle, supcon and multi-similarity all take this form.
//
// The product's target and its adjoint are stored in the kernel's type, not
// in float64: a float32 kernel multiplies float32 matrices with float32
// accumulators, as BLAS and PyTorch do, which is what makes the SIMD width
// pay. Every element is one sequential FMA chain over k (lossrt.Gemm's
// contract), so results do not depend on blocking or on the machine's vector
// width.

// operand is one factor of a contraction: a real tensor read at
// [outer..., k] (trans false) or [k, outer...] (trans true). Its outer
// variables are a contiguous group of the target's indices, in the same
// order, so as a matrix the operand is the product of their sizes by k's:
// a rank-3 w[c, q, d] read at [c, q, d] against x[i, d] is a C·Q × D matrix
// (softtriple's centres), and the product is one matrix product.
type operand struct {
	t     *ir.Tensor
	outer []*ir.Var
	trans bool
}

// contraction describes z[I, J] = sum(k: l[I, k] * r[J, k]), I being l's
// outer variables and J r's, the target's indices I followed by J.
type contraction struct {
	op   *ir.Op
	k    *ir.Var
	l, r operand
}

// contractionOf recognises the contraction form.
func contractionOf(op *ir.Op) (contraction, bool) {
	if op.Kind != ir.Reduce || op.Red != "sum" || op.Filter != nil || len(op.RVars) != 1 ||
		len(op.Index) < 2 || op.Body == nil || len(op.Body.Stmts) != 0 {
		return contraction{}, false
	}
	b, ok := op.Body.Result.(*ir.Binary)
	if !ok || b.Op != "*" || b.Int {
		return contraction{}, false
	}
	k := op.RVars[0]
	x, ok1 := factorOf(b.X, k)
	y, ok2 := factorOf(b.Y, k)
	if !ok1 || !ok2 {
		return contraction{}, false
	}
	c := contraction{op: op, k: k, l: x, r: y}
	if sameVarList(op.Index, append(append([]*ir.Var{}, y.outer...), x.outer...)) {
		c.l, c.r = y, x
	} else if !sameVarList(op.Index, append(append([]*ir.Var{}, x.outer...), y.outer...)) {
		return contraction{}, false
	}
	// l[k, I]·r[J, k] would need lᵀ·rᵀ, which no kernel computes;
	// ir.Canonicalize stores an operand the other way round instead.
	if c.l.trans && !c.r.trans {
		return contraction{}, false
	}
	return c, true
}

func sameVarList(a, b []*ir.Var) bool {
	if len(a) != len(b) {
		return false
	}
	for p := range a {
		if a[p] != b[p] {
			return false
		}
	}
	return true
}

// factorOf matches a load of a whole real tensor, an input or an
// intermediate (ir.Canonicalize materialises expression operands into
// intermediates), whose subscripts are distinct variables with k first or
// last.
func factorOf(e ir.Expr, k *ir.Var) (operand, bool) {
	ld, ok := e.(*ir.Load)
	if !ok || ld.Tensor.Int || len(ld.Index) < 2 {
		return operand{}, false
	}
	vars := make([]*ir.Var, len(ld.Index))
	for p, x := range ld.Index {
		v, ok := x.(*ir.VarVal)
		if !ok || ld.Tensor.Shape[p] != v.Var.Range || contains(vars[:p], v.Var) {
			return operand{}, false
		}
		vars[p] = v.Var
	}
	switch k {
	case vars[len(vars)-1]:
		return operand{t: ld.Tensor, outer: vars[:len(vars)-1]}, true
	case vars[0]:
		return operand{t: ld.Tensor, outer: vars[1:], trans: true}, true
	}
	return operand{}, false
}

func isContraction(u unit) bool {
	_, ok := contractionOf(u.op())
	return ok
}

// contractionTargets lists the contractions that run as matrix products,
// and, in narrow, the intermediates they write or read: those and their
// adjoints are stored in the kernel's type, the type the product multiplies
// in. An intermediate operand must be written by an elementwise map (which
// narrows as it stores) or by another product; a contraction reading any
// other intermediate runs as loops.
func contractionTargets(p *ir.Program, narrow map[*ir.Tensor]bool) map[*ir.Op]bool {
	gemms := map[*ir.Op]bool{}
	maps := mapTargets(p)
	for _, ops := range [][]*ir.Op{p.Forward, p.Updates} {
		for _, op := range ops {
			c, ok := contractionOf(op)
			if !ok {
				continue
			}
			readable := func(t *ir.Tensor) bool { return t.Kind == ir.Input || maps[t] || narrow[t] }
			if !readable(c.l.t) || !readable(c.r.t) {
				continue
			}
			gemms[op] = true
			narrow[op.Target] = true
			for _, o := range []operand{c.l, c.r} {
				if o.t.Kind == ir.Temp {
					narrow[o.t] = true
				}
			}
		}
	}
	return gemms
}

// mapTargets lists the tensors elementwise maps write.
func mapTargets(p *ir.Program) map[*ir.Tensor]bool {
	out := map[*ir.Tensor]bool{}
	for _, ops := range [][]*ir.Op{p.Forward, p.Updates} {
		for _, op := range ops {
			if op.Kind == ir.Map {
				out[op.Target] = true
			}
		}
	}
	return out
}

// hasContraction reports whether the kernels need a lossrt.Gemm: for a
// contraction, or for the dense path of a pairwise-distance adjoint.
func (g *typeGen) hasContraction() bool {
	return len(g.pairGrad) > 0 || len(g.gemms) > 0
}

// gemmCall renders ws.gemm.<form>(m, n, k, a, lda, b, ldb, c, ldc).
func (f *fn) gemmCall(form string, m, n, k jen.Code, a, lda, b, ldb, c, ldc jen.Code) jen.Code {
	return jen.Id("ws").Dot("gemm").Dot(form).Call(m, n, k, a, lda, b, ldb, c, ldc)
}

// sizeOf renders the product of the variables' ranges: a group of indices
// flattened into one matrix dimension.
func (f *fn) sizeOf(vars ...*ir.Var) jen.Code {
	var c *jen.Statement
	for _, v := range vars {
		if c == nil {
			c = jen.Id(f.useSize(v.Range))
		} else {
			c = c.Op("*").Id(f.useSize(v.Range))
		}
	}
	return c
}

// cols renders the operand's number of columns as stored: its leading
// dimension.
func (f *fn) cols(o operand, k *ir.Var) jen.Code {
	if o.trans {
		return f.sizeOf(o.outer...)
	}
	return f.sizeOf(k)
}

// form is the lossrt.Gemm form of the forward product.
func (c contraction) form() string {
	switch {
	case !c.l.trans && c.r.trans:
		return "NN" // z = l·r
	case c.l.trans:
		return "TN" // z = lᵀ·r
	}
	return "NT" // z = l·rᵀ
}

// adjForm is the lossrt.Gemm form of the adjoint's product into l (toL) or
// into r (see contractionBackward).
func (c contraction) adjForm(toL bool) string {
	switch {
	case toL && !c.l.trans && !c.r.trans:
		return "NN"
	case toL:
		return "NT"
	case !c.l.trans:
		return "TN"
	}
	return "NN"
}

// contractionForward computes the product into the (cleared) target.
func (f *fn) contractionForward(c contraction) []jen.Code {
	z := jen.Id(f.useTensor(c.op.Target))
	a, b := jen.Id(f.useTensor(c.l.t)), jen.Id(f.useTensor(c.r.t))
	form := c.form()
	m, n := f.sizeOf(c.l.outer...), f.sizeOf(c.r.outer...)
	call := f.gemmCall(form, m, n, f.sizeOf(c.k), a, f.cols(c.l, c.k), b, f.cols(c.r, c.k), z, f.sizeOf(c.r.outer...))
	return []jen.Code{jen.Id("clear").Call(jen.Id(f.useTensor(c.op.Target))), call}
}

// contractionAdjoint recognises the adjoint block autodiff derives from a
// contraction: accumulations of adj(z[i, j]) times the other factor into
// the factors' adjoints, with adj(z) read directly or through one local.
// It returns which factors receive a gradient.
func contractionAdjoint(adj *ir.AdjointOp, c contraction) (toL, toR, ok bool) {
	seed := map[*ir.Local]bool{}
	isSeed := func(e ir.Expr) bool {
		switch e := e.(type) {
		case *ir.LocalVal:
			return seed[e.Local]
		case *ir.AdjLoad:
			return e.Tensor == c.op.Target && pointwise(access{t: e.Tensor, adj: true, idx: e.Index}, c.op)
		}
		return false
	}
	isLoadOf := func(e ir.Expr, o operand) bool {
		ld, ok := e.(*ir.Load)
		return ok && ld.Tensor == o.t && sameOperand(ld.Index, o, c.k)
	}
	for _, s := range adj.Block.Stmts {
		switch s := s.(type) {
		case *ir.Assign:
			if !isSeed(s.Value) {
				return false, false, false
			}
			seed[s.Local] = true
		case *ir.Accum:
			b, isMul := s.Value.(*ir.Binary)
			if !isMul || b.Op != "*" {
				return false, false, false
			}
			other := b.Y
			if !isSeed(b.X) {
				if !isSeed(b.Y) {
					return false, false, false
				}
				other = b.X
			}
			switch {
			case s.Tensor == c.l.t && sameOperand(s.Index, c.l, c.k) && isLoadOf(other, c.r) && !toL:
				toL = true
			case s.Tensor == c.r.t && sameOperand(s.Index, c.r, c.k) && isLoadOf(other, c.l) && !toR:
				toR = true
			default:
				return false, false, false
			}
		default:
			return false, false, false
		}
	}
	return toL, toR, toL || toR
}

// sameOperand reports whether idx is the operand's index at the contraction
// variables.
func sameOperand(idx []ir.Expr, o operand, k *ir.Var) bool {
	vars := append(append([]*ir.Var{}, o.outer...), k)
	if o.trans {
		vars = append([]*ir.Var{k}, o.outer...)
	}
	if len(idx) != len(vars) {
		return false
	}
	for p, x := range idx {
		v, ok := x.(*ir.VarVal)
		if !ok || v.Var != vars[p] {
			return false
		}
	}
	return true
}

// contractionBackward accumulates both halves of the adjoint:
//
//	adj(l)[I, k] += Σ_J adj(z)[I, J] · r[J, k]
//	adj(r)[J, k] += Σ_I adj(z)[I, J] · l[I, k]
//
// each as one matrix product in the layout the operands are stored in.
func (f *fn) contractionBackward(c contraction, toL, toR bool) []jen.Code {
	i, j, k := f.sizeOf(c.l.outer...), f.sizeOf(c.r.outer...), f.sizeOf(c.k)
	g := jen.Id(f.useAdj(c.op.Target)) // [I, J], leading dimension J
	lcols, rcols := f.cols(c.l, c.k), f.cols(c.r, c.k)
	var out []jen.Code
	if f.g.typ.name == "float32" {
		// The adjoint was narrowed to float32 element by element (a
		// softmax's probabilities among them): no subnormal may reach
		// the products.
		out = append(out, jen.Qual(rtPath, "FlushSubnormals").Call(g))
	}
	// Each half reads only the other operand: mark an operand used only
	// where a product reads it, or the function declares a slice it never
	// reads (an operand whose partner takes no gradient).
	if toL {
		r := jen.Id(f.useTensor(c.r.t))
		dl := jen.Id(f.useAdj(c.l.t))
		switch {
		case !c.l.trans && !c.r.trans: // dl[I,k] += g[I,J]·r[J,k]
			out = append(out, f.wanted(c.l.t, f.gemmCall("NN", i, k, j, g, j, r, rcols, dl, lcols)))
		case !c.l.trans && c.r.trans: // dl[I,k] += g[I,J]·r[k,J]
			out = append(out, f.wanted(c.l.t, f.gemmCall("NT", i, k, j, g, j, r, rcols, dl, lcols)))
		default: // l[k,I], r[k,J]: dl[k,I] += r[k,J]·g[I,J]
			out = append(out, f.wanted(c.l.t, f.gemmCall("NT", k, i, j, r, rcols, g, j, dl, lcols)))
		}
	}
	if toR {
		l := jen.Id(f.useTensor(c.l.t))
		dr := jen.Id(f.useAdj(c.r.t))
		switch {
		case !c.l.trans && !c.r.trans: // dr[J,k] += g[I,J]ᵀ·l[I,k]
			out = append(out, f.wanted(c.r.t, f.gemmCall("TN", j, k, i, g, j, l, lcols, dr, rcols)))
		case !c.l.trans && c.r.trans: // dr[k,J] += l[I,k]ᵀ·g[I,J]
			out = append(out, f.wanted(c.r.t, f.gemmCall("TN", k, j, i, l, lcols, g, j, dr, rcols)))
		default: // l[k,I], r[k,J]: dr[k,J] += l[k,I]·g[I,J]
			out = append(out, f.wanted(c.r.t, f.gemmCall("NN", k, j, i, l, lcols, g, j, dr, rcols)))
		}
	}
	return out
}

// wanted wraps a product accumulating into an input's gradient in a test of
// the caller's slice: a nil slice means the gradient is not wanted, and a
// matrix product into the stand-in buffer would be work thrown away.
func (f *fn) wanted(t *ir.Tensor, call jen.Code) jen.Code {
	if t.Kind != ir.Input {
		return call // an intermediate's adjoint is always needed
	}
	return jen.If(jen.Id("grad").Dot(f.g.names.field[t]).Op("!=").Nil()).Block(call)
}
