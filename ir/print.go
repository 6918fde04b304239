package ir

import (
	"fmt"
	"strconv"
	"strings"
)

// String renders an expression in a compact prefix-free notation. It is also
// the structural key used by common-subexpression elimination: two
// expressions print the same exactly when they compute the same value.
func String(e Expr) string {
	var b strings.Builder
	p := printer{b: &b, key: true}
	p.write(e)
	return b.String()
}

// Format renders e for people: like String, but loop variables print by
// name only, so the output is stable across runs.
func Format(e Expr) string {
	var b strings.Builder
	p := printer{b: &b}
	p.write(e)
	return b.String()
}

type printer struct {
	b   *strings.Builder
	key bool // distinguish loop variables by identity
}

func (p printer) write(e Expr) {
	b := p.b
	switch e := e.(type) {
	case *Const:
		b.WriteString(strconv.FormatFloat(e.Value, 'g', -1, 64))
	case *SizeVal:
		b.WriteString(e.Size.Name)
		if e.Int {
			b.WriteString("#i")
		}
	case *ParamVal:
		b.WriteString("$" + e.Param.Name)
	case *VarVal:
		// Vars are compared by identity: two reductions may both call
		// their variable j.
		b.WriteString(e.Var.Name)
		if p.key {
			fmt.Fprintf(b, "@%p", e.Var)
		}
	case *LocalVal:
		b.WriteString("%" + e.Local.Name)
	case *Load:
		b.WriteString(e.Tensor.Name)
		p.writeIndex(e.Index)
	case *AdjLoad:
		b.WriteString("adj(" + e.Tensor.Name)
		p.writeIndex(e.Index)
		b.WriteString(")")
	case *Unary:
		b.WriteString("(" + e.Op)
		p.write(e.X)
		b.WriteString(")")
	case *Binary:
		b.WriteString("(")
		p.write(e.X)
		b.WriteString(" " + e.Op + " ")
		p.write(e.Y)
		b.WriteString(")")
	case *Call:
		b.WriteString(e.Fn + "(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			p.write(a)
		}
		b.WriteString(")")
	default:
		b.WriteString("?")
	}
}

func (p printer) writeIndex(idx []Expr) {
	b := p.b
	if len(idx) == 0 {
		return
	}
	b.WriteString("[")
	for i, x := range idx {
		if i > 0 {
			b.WriteString(",")
		}
		p.write(x)
	}
	b.WriteString("]")
}

// Dump renders a program's forward and adjoint Ops, one statement a line,
// for debugging and for golden tests of the lowering and differentiation.
func Dump(p *Program) string {
	var b strings.Builder
	fmt.Fprintf(&b, "loss %s\n", p.Name)
	for _, op := range p.Forward {
		b.WriteString(opHeader(op, "forward"))
		if op.Filter != nil {
			fmt.Fprintf(&b, "    | %s\n", Format(op.Filter))
		}
		if op.Body != nil {
			writeBlock(&b, op.Body)
		}
	}
	for _, adj := range p.Backward {
		b.WriteString(opHeader(adj.Fwd, "adjoint"))
		writeBlock(&b, adj.Block)
	}
	for _, op := range p.Updates {
		b.WriteString(opHeader(op, "update"))
		if op.Filter != nil {
			fmt.Fprintf(&b, "    | %s\n", Format(op.Filter))
		}
		if op.Body != nil {
			writeBlock(&b, op.Body)
		}
	}
	for _, a := range p.Assigns {
		fmt.Fprintf(&b, "assign %s = %s\n", a.Target.Name, a.Value.Name)
	}
	return b.String()
}

func opHeader(op *Op, phase string) string {
	var idx, rv []string
	for _, v := range op.Index {
		idx = append(idx, v.Name)
	}
	for _, v := range op.RVars {
		rv = append(rv, v.Name)
	}
	kind := "map"
	if op.Kind == Reduce {
		kind = op.Red + "(" + strings.Join(rv, ",") + ")"
	}
	return fmt.Sprintf("%s %s[%s] = %s\n", phase, op.Target.Name, strings.Join(idx, ","), kind)
}

func writeBlock(b *strings.Builder, blk *Block) {
	for _, s := range blk.Stmts {
		switch s := s.(type) {
		case *Assign:
			fmt.Fprintf(b, "    %s := %s\n", s.Local.Name, Format(s.Value))
		case *Accum:
			fmt.Fprintf(b, "    adj(%s) += %s\n", Format(&Load{Tensor: s.Tensor, Index: s.Index}), Format(s.Value))
		}
	}
	if blk.Result != nil {
		fmt.Fprintf(b, "    = %s\n", Format(blk.Result))
	}
}
