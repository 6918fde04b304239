package explain

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// Text renders the explanation as Unicode text: the loss as written, how
// it is computed, the backward pass as equations, the gradient of each
// input and the update rules. Every equation carries, in the left margin,
// the number of the spec line it comes from.
func (x *Explanation) Text() string {
	w := &textWriter{x: x, p: printer{}}
	w.width = len(strconv.Itoa(strings.Count(string(x.spec.Source), "\n") + 1))
	w.header()
	w.loss()
	w.gradients()
	w.perInput()
	w.updateRules()
	return w.b.String()
}

type textWriter struct {
	x     *Explanation
	p     printer
	b     strings.Builder
	width int // of the line numbers
}

func (w *textWriter) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// row writes one line with the spec line number (0: none) in the margin.
func (w *textWriter) row(line int, indent int, text string) {
	num := ""
	if line > 0 {
		num = strconv.Itoa(line)
	}
	w.printf("  %*s │ %s%s\n", w.width, num, strings.Repeat(" ", indent), text)
}

func (w *textWriter) eq(lhs node, op string, rhs node) string {
	return w.p.str(lhs) + " " + op + " " + w.p.str(rhs)
}

func from(orig string) string {
	if orig == "" {
		return ""
	}
	return "    [from " + orig + "]"
}

func (w *textWriter) header() {
	x := w.x
	w.printf("loss %s  (%s)\n", x.spec.Name, x.sourceName())
	for _, l := range x.docLines() {
		w.printf("  %s\n", strings.TrimRight("// "+l, " "))
	}
	w.printf("\n")
	var sizes []string
	for _, s := range x.spec.Sizes {
		sizes = append(sizes, s.Name)
	}
	w.printf("sizes:   %s\n", strings.Join(sizes, ", "))
	if len(x.spec.Params) > 0 {
		var ps []string
		for _, p := range x.spec.Params {
			ps = append(ps, p.Name+" = "+formatNum(p.Default))
		}
		w.printf("params:  %s\n", strings.Join(ps, ", "))
	}
	var ins []string
	for _, in := range x.prog.Inputs {
		s := in.Name + shape(in.Shape)
		switch {
		case in.Int:
			s += " (int)"
		case !in.Diff:
			s += " (no gradient)"
		}
		ins = append(ins, s)
	}
	w.printf("inputs:  %s\n", strings.Join(ins, ", "))
	if len(x.spec.Uses) > 0 {
		w.printf("uses:    %s\n", strings.Join(x.spec.Uses, ", "))
	}
}

func (w *textWriter) loss() {
	w.printf("\nLoss, as written (indented: how it is computed, with the names the gradients use)\n")
	for _, v := range w.x.defs {
		d := v.def
		switch {
		case v.call != "":
			w.row(d.Pos.Line, 0, w.p.str(defLHS(d))+" = "+v.call)
			w.row(0, 0, strings.Repeat(" ", runeLen(w.p.str(defLHS(d))))+" = "+w.p.str(specNode(d.Body)))
		default:
			note := from(trimColumn(d.Origin))
			if d.Type != dsl.Real {
				note += "    (integer: substituted where it is used)"
			}
			w.row(d.Pos.Line, 0, w.eq(defLHS(d), "=", specNode(d.Body))+note)
		}
		if len(v.ops) > 1 {
			for _, op := range v.ops {
				w.row(0, 4, w.eq(opLHS(op), "=", opRHS(op)))
			}
		}
	}
}

func (w *textWriter) gradients() {
	x := w.x
	w.printf("\nGradients\n")
	w.printf("  ∂L/∂t is the derivative of L = %s with respect to t. Every ∂L/∂t starts\n", x.prog.Result.Name)
	w.printf("  at 0, and ∂L/∂%s = 1. Each step takes one forward equation (first line)\n", x.prog.Result.Name)
	w.printf("  and passes its gradient back to what it reads; the steps run in order.\n")
	if len(x.steps) == 0 {
		w.printf("  (no input carries a gradient)\n")
		return
	}
	for _, s := range x.steps {
		op := s.adj.Fwd
		w.printf("\n")
		w.row(s.line, 0, w.eq(opLHS(op), "=", opRHS(op))+from(s.orig))
		indent := 4
		if loop := w.loop(op); loop != "" {
			w.row(0, 2, loop+":")
		}
		for _, e := range s.eqs {
			w.row(0, indent, w.equation(e, false))
		}
	}
}

// equation renders a step's equation; full substitutes every local.
func (w *textWriter) equation(e equation, full bool) string {
	value, zero := e.value, e.zero
	var lhs string
	switch {
	case e.local != "":
		lhs = e.local + " = "
	case full:
		value, zero = e.full, e.zeroF
		lhs = w.p.str(e.lhsF) + " += "
	default:
		lhs = w.p.str(e.lhs) + " += "
	}
	s := lhs + w.p.str(irNode(value))
	if zero != nil {
		s += "    (0 where " + w.p.str(irNode(zero)) + ")"
	}
	return s
}

// loop describes the iteration of an adjoint Op ("" for a scalar map).
func (w *textWriter) loop(op *ir.Op) string {
	idx := varNames(op.Index)
	switch {
	case op.Kind == ir.Map:
		if len(idx) == 0 {
			return ""
		}
		return "for each " + strings.Join(idx, ", ")
	case op.Red == "max" || op.Red == "min":
		rv := strings.Join(varNames(op.RVars), ",")
		if len(op.RVars) > 1 {
			rv = "(" + rv + ")"
		}
		at := "at " + rv + " = arg" + w.p.str(opRHS(op)) + " (skipped where no " + rv + " qualifies)"
		if len(idx) == 0 {
			return at
		}
		return "for each " + strings.Join(idx, ", ") + ", " + at
	}
	s := "for each " + strings.Join(loopVars(op), ", ")
	if op.Filter != nil {
		s += " with " + w.p.str(irNode(op.Filter))
	}
	return s
}

func (w *textWriter) perInput() {
	x := w.x
	w.printf("\nGradient of each input (the sum of these terms; locals substituted)\n")
	for _, in := range x.prog.Inputs {
		if in.Int {
			continue
		}
		w.printf("\n  %s%s\n", in.Name, shape(in.Shape))
		if !in.Diff {
			w.printf("    no gradient: declared without one\n")
			continue
		}
		n := 0
		for _, s := range x.steps {
			for _, e := range s.eqs {
				if e.target != in {
					continue
				}
				n++
				loop := w.loop(s.adj.Fwd)
				if loop != "" {
					loop += ":  "
				}
				w.row(s.line, 0, loop+w.equation(e, true)+from(s.orig))
			}
		}
		if n == 0 {
			w.printf("    ∂L/∂%s = 0: the loss does not depend on %s\n", in.Name, in.Name)
		}
	}
}

func (w *textWriter) updateRules() {
	x := w.x
	if len(x.updates) == 0 {
		return
	}
	w.printf("\nUpdate rules (Update: applied after the loss, not differentiated; every rule reads the old values)\n")
	for _, v := range x.updates {
		u := v.u
		w.row(u.Pos.Line, 0, w.p.str(updateLHS(u))+" ← "+w.p.str(specNode(u.Body))+from(trimColumn(u.Origin)))
		for _, op := range v.ops {
			w.row(0, 4, w.eq(opLHS(op), "=", opRHS(op)))
		}
		w.row(0, 4, v.assign.Target.Name+" ← "+v.assign.Value.Name)
	}
}
