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

// operand is one factor of a contraction: a 2-D input read at [outer, k]
// (trans false) or [k, outer] (trans true).
type operand struct {
	t     *ir.Tensor
	outer *ir.Var
	trans bool
}

// contraction describes z[i, j] = sum(k: l * r) where l's outer index is i
// and r's is j.
type contraction struct {
	op   *ir.Op
	k    *ir.Var
	l, r operand
}

// contractionOf recognises the contraction form.
func contractionOf(op *ir.Op) (contraction, bool) {
	if op.Kind != ir.Reduce || op.Red != "sum" || op.Filter != nil || len(op.RVars) != 1 ||
		len(op.Index) != 2 || op.Body == nil || len(op.Body.Stmts) != 0 {
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
	i, j := op.Index[0], op.Index[1]
	c := contraction{op: op, k: k, l: x, r: y}
	if y.outer == i && x.outer == j {
		c.l, c.r = y, x
	} else if x.outer != i || y.outer != j {
		return contraction{}, false
	}
	// l[k, i]·r[j, k] would need lᵀ·rᵀ, which no kernel computes; no spec
	// has needed it, and the loops handle it.
	if c.l.trans && !c.r.trans {
		return contraction{}, false
	}
	return c, true
}

// factorOf matches a load of a 2-D real input at [v, k] or [k, v], v != k.
func factorOf(e ir.Expr, k *ir.Var) (operand, bool) {
	ld, ok := e.(*ir.Load)
	if !ok || ld.Tensor.Kind != ir.Input || ld.Tensor.Int || len(ld.Index) != 2 {
		return operand{}, false
	}
	a, ok1 := ld.Index[0].(*ir.VarVal)
	b, ok2 := ld.Index[1].(*ir.VarVal)
	if !ok1 || !ok2 || a.Var == b.Var {
		return operand{}, false
	}
	switch k {
	case b.Var:
		return operand{t: ld.Tensor, outer: a.Var}, true
	case a.Var:
		return operand{t: ld.Tensor, outer: b.Var, trans: true}, true
	}
	return operand{}, false
}

func isContraction(u unit) bool {
	_, ok := contractionOf(u.op())
	return ok
}

// contractionTargets lists the tensors written by contractions; they and
// their adjoints are stored in the kernel's type.
func contractionTargets(p *ir.Program) map[*ir.Tensor]bool {
	out := map[*ir.Tensor]bool{}
	for _, ops := range [][]*ir.Op{p.Forward, p.Updates} {
		for _, op := range ops {
			if _, ok := contractionOf(op); ok {
				out[op.Target] = true
			}
		}
	}
	return out
}

// hasContraction reports whether the kernels need a lossrt.Gemm.
func (g *typeGen) hasContraction() bool { return len(g.narrow) > 0 }

// gemmCall renders ws.gemm.<form>(m, n, k, a, lda, b, ldb, c, ldc).
func (f *fn) gemmCall(form string, m, n, k *ir.Var, a jen.Code, lda *ir.Var, b jen.Code, ldb *ir.Var, c jen.Code, ldc *ir.Var) jen.Code {
	size := func(v *ir.Var) jen.Code { return jen.Id(f.useSize(v.Range)) }
	return jen.Id("ws").Dot("gemm").Dot(form).Call(size(m), size(n), size(k), a, size(lda), b, size(ldb), c, size(ldc))
}

// layout returns the operand's rows and columns as stored.
func (o operand) layout(k *ir.Var) (rows, cols *ir.Var) {
	if o.trans {
		return k, o.outer
	}
	return o.outer, k
}

// contractionForward computes the product into the (cleared) target.
func (f *fn) contractionForward(c contraction) []jen.Code {
	i, j := c.op.Index[0], c.op.Index[1]
	z := jen.Id(f.useTensor(c.op.Target))
	a, b := jen.Id(f.useTensor(c.l.t)), jen.Id(f.useTensor(c.r.t))
	_, lcols := c.l.layout(c.k)
	_, rcols := c.r.layout(c.k)
	form := "NT" // z = l·rᵀ
	switch {
	case !c.l.trans && c.r.trans:
		form = "NN" // z = l·r
	case c.l.trans:
		form = "TN" // z = lᵀ·r
	}
	call := f.gemmCall(form, i, j, c.k, a, lcols, b, rcols, z, j)
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
	rows, cols := o.layout(k)
	if len(idx) != 2 {
		return false
	}
	a, ok1 := idx[0].(*ir.VarVal)
	b, ok2 := idx[1].(*ir.VarVal)
	return ok1 && ok2 && a.Var == rows && b.Var == cols
}

// contractionBackward accumulates both halves of the adjoint:
//
//	adj(l)[i, k] += Σ_j adj(z)[i, j] · r[j, k]
//	adj(r)[j, k] += Σ_i adj(z)[i, j] · l[i, k]
//
// each as one matrix product in the layout the operands are stored in.
func (f *fn) contractionBackward(c contraction, toL, toR bool) []jen.Code {
	i, j, k := c.op.Index[0], c.op.Index[1], c.k
	g := jen.Id(f.useAdj(c.op.Target)) // [i, j], leading dimension j
	_, lcols := c.l.layout(k)
	_, rcols := c.r.layout(k)
	var out []jen.Code
	// Each half reads only the other operand: mark an operand used only
	// where a product reads it, or the function declares a slice it never
	// reads (an operand whose partner takes no gradient).
	if toL {
		r := jen.Id(f.useTensor(c.r.t))
		dl := jen.Id(f.useAdj(c.l.t))
		switch {
		case !c.l.trans && !c.r.trans: // dl[i,k] += g[i,j]·r[j,k]
			out = append(out, f.wanted(c.l.t, f.gemmCall("NN", i, k, j, g, j, r, rcols, dl, lcols)))
		case !c.l.trans && c.r.trans: // dl[i,k] += g[i,j]·r[k,j]
			out = append(out, f.wanted(c.l.t, f.gemmCall("NT", i, k, j, g, j, r, rcols, dl, lcols)))
		default: // l[k,i], r[k,j]: dl[k,i] += r[k,j]·g[i,j]
			out = append(out, f.wanted(c.l.t, f.gemmCall("NT", k, i, j, r, rcols, g, j, dl, lcols)))
		}
	}
	if toR {
		l := jen.Id(f.useTensor(c.l.t))
		dr := jen.Id(f.useAdj(c.r.t))
		switch {
		case !c.l.trans && !c.r.trans: // dr[j,k] += g[i,j]ᵀ·l[i,k]
			out = append(out, f.wanted(c.r.t, f.gemmCall("TN", j, k, i, g, j, l, lcols, dr, rcols)))
		case !c.l.trans && c.r.trans: // dr[k,j] += l[i,k]ᵀ·g[i,j]
			out = append(out, f.wanted(c.r.t, f.gemmCall("TN", k, j, i, l, lcols, g, j, dr, rcols)))
		default: // l[k,i], r[k,j]: dr[k,j] += l[k,i]·g[i,j]
			out = append(out, f.wanted(c.r.t, f.gemmCall("NN", k, j, i, l, lcols, g, j, dr, rcols)))
		}
	}
	return out
}

// wanted wraps a product accumulating into an input's gradient in a test of
// the caller's slice: a nil slice means the gradient is not wanted, and a
// matrix product into the stand-in buffer would be work thrown away.
func (f *fn) wanted(t *ir.Tensor, call jen.Code) jen.Code {
	return jen.If(jen.Id("grad").Dot(f.g.names.field[t]).Op("!=").Nil()).Block(call)
}

// contractionGroup emits a contraction's forward product or its adjoint's
// products; ok is false when u is not in contraction form (its adjoint
// block, say, is not the one recognised), and the loops handle it.
func (f *fn) contractionGroup(u unit) (code []jen.Code, ok bool) {
	c, ok := contractionOf(u.op())
	if !ok {
		return nil, false
	}
	if u.fwd != nil {
		return f.contractionForward(c), true
	}
	toL, toR, ok := contractionAdjoint(u.adj, c)
	if !ok {
		return nil, false
	}
	return f.contractionBackward(c, toL, toR), true
}
