package explain

import (
	"fmt"
	"strings"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// LaTeX renders the same content as Text as a LaTeX fragment for a
// document that loads amsmath: one align* environment per section, each
// equation tagged with the spec line it comes from.
func (x *Explanation) LaTeX() string {
	w := &texWriter{x: x, p: printer{latex: true}}
	w.header()
	w.loss()
	w.gradients()
	w.perInput()
	w.updateRules()
	return w.b.String()
}

type texWriter struct {
	x    *Explanation
	p    printer
	b    strings.Builder
	rows []string // of the align* environment being written
}

func (w *texWriter) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// row writes one line of an align* environment.
func (w *texWriter) row(lhs, rel, rhs, note string, line int, orig string) {
	s := lhs + " &" + rel + " " + rhs
	if note != "" {
		s += " && " + note
	}
	if line > 0 {
		tag := fmt.Sprint(line)
		if orig != "" {
			tag += ", " + texEscape(orig)
		}
		s += ` \tag{` + tag + `}`
	}
	w.rows = append(w.rows, s)
}

func (w *texWriter) begin() { w.rows = nil }

// end writes the rows collected since begin as an align* environment, if
// there are any.
func (w *texWriter) end() {
	if len(w.rows) == 0 {
		return
	}
	w.printf("\\begin{align*}\n%s\n\\end{align*}\n", strings.Join(w.rows, " \\\\\n"))
	w.rows = nil
}

func (w *texWriter) header() {
	x := w.x
	w.printf("%% lossgen explain -format latex: loss %s (%s)\n", x.spec.Name, x.sourceName())
	w.printf("%% Needs \\usepackage{amsmath}. Each tag is the spec line the equation comes from.\n")
	for _, l := range x.docLines() {
		w.printf("%s\n", strings.TrimRight("% "+l, " "))
	}
	var sizes []string
	for _, s := range x.spec.Sizes {
		sizes = append(sizes, s.Name)
	}
	w.printf("\\paragraph{%s.} Sizes $%s$", texEscape(x.spec.Name), strings.Join(sizes, ", "))
	if len(x.spec.Params) > 0 {
		var ps []string
		for _, p := range x.spec.Params {
			ps = append(ps, w.p.name(p.Name, true)+" = "+formatNum(p.Default))
		}
		w.printf("; parameters $%s$", strings.Join(ps, ",\\ "))
	}
	var ins []string
	for _, in := range x.prog.Inputs {
		s := w.p.name(in.Name, false)
		if len(in.Shape) > 0 {
			set := `\mathbb{R}`
			if in.Int {
				set = `\mathbb{Z}`
			}
			dims := make([]string, len(in.Shape))
			for i, z := range in.Shape {
				dims[i] = z.Name
			}
			s += ` \in ` + set + `^{` + strings.Join(dims, ` \times `) + `}`
		}
		s = "$" + s + "$"
		if !in.Int && !in.Diff {
			s += " (no gradient)"
		}
		ins = append(ins, s)
	}
	w.printf("; inputs %s.\n", strings.Join(ins, ", "))
}

func (w *texWriter) loss() {
	w.printf("\n\\paragraph{Loss, as written} (indented: how it is computed, with the names the gradients use)\n")
	w.begin()
	for _, v := range w.x.defs {
		d := v.def
		orig := trimColumn(d.Origin)
		lhs := w.p.str(defLHS(d))
		if v.call != "" {
			w.row(lhs, "=", w.p.str(&rawN{text: v.call}), "", d.Pos.Line, "")
			w.row("", "=", w.p.str(specNode(d.Body)), "", d.Pos.Line, "")
		} else {
			note := ""
			if d.Type != dsl.Real {
				note = `\text{integer: substituted where it is used}`
			}
			w.row(lhs, "=", w.p.str(specNode(d.Body)), note, d.Pos.Line, orig)
		}
		if len(v.ops) > 1 {
			for _, op := range v.ops {
				w.row(`\qquad `+w.p.str(opLHS(op)), "=", w.p.str(opRHS(op)), "", op.Pos.Line, orig)
			}
		}
	}
	w.end()
}

func (w *texWriter) gradients() {
	x := w.x
	res := w.p.name(x.prog.Result.Name, false)
	w.printf("\n\\paragraph{Gradients} $\\frac{\\partial L}{\\partial t}$ is the derivative of $L = %s$ with respect to $t$.\n", res)
	w.printf("Every $\\frac{\\partial L}{\\partial t}$ starts at 0, and $\\frac{\\partial L}{\\partial %s} = 1$. Each step takes one\n", res)
	w.printf("forward equation (first line) and passes its gradient back to what it reads; the steps run in order.\n")
	if len(x.steps) == 0 {
		w.printf("No input carries a gradient.\n")
		return
	}
	w.begin()
	for _, s := range x.steps {
		op := s.adj.Fwd
		head := `\text{from } ` + w.p.str(opLHS(op)) + " = " + w.p.str(opRHS(op))
		if loop := w.loop(op); loop != "" {
			head += `,\quad ` + loop
		}
		w.row("", "", head, "", s.line, s.orig)
		for _, e := range s.eqs {
			lhs, rel, rhs, note := w.equation(e, false)
			w.row(lhs, rel, rhs, note, s.line, s.orig)
		}
	}
	w.end()
}

// equation returns the parts of a step's equation.
func (w *texWriter) equation(e equation, full bool) (lhs, rel, rhs, note string) {
	value, zero := e.value, e.zero
	rel = `\mathrel{+}=`
	switch {
	case e.local != "":
		lhs, rel = e.local, "="
	case full:
		value, zero = e.full, e.zeroF
		lhs = w.p.str(e.lhsF)
	default:
		lhs = w.p.str(e.lhs)
	}
	rhs = w.p.str(irNode(value))
	if zero != nil {
		note = `0 \text{ where } ` + w.p.str(irNode(zero))
	}
	return lhs, rel, rhs, note
}

func (w *texWriter) vars(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = w.p.name(v, false)
	}
	return strings.Join(out, ", ")
}

// loop describes the iteration of an adjoint Op ("" for a scalar map).
func (w *texWriter) loop(op *ir.Op) string {
	idx := varNames(op.Index)
	switch {
	case op.Kind == ir.Map:
		if len(idx) == 0 {
			return ""
		}
		return `\text{for each } ` + w.vars(idx)
	case op.Red == "max" || op.Red == "min":
		rv := w.vars(varNames(op.RVars))
		if len(op.RVars) > 1 {
			rv = "(" + rv + ")"
		}
		r := opRHS(op).(*redN)
		arg := `\operatorname{arg` + op.Red + `}_{` + w.p.subscript(r.vars, r.filter) + `} ` + w.p.operand(r.body, precMul, true)
		at := `\text{at } ` + rv + " = " + arg + `\ \text{(skipped where no } ` + rv + `\text{ qualifies)}`
		if len(idx) == 0 {
			return at
		}
		return `\text{for each } ` + w.vars(idx) + `,\ ` + at
	}
	s := `\text{for each } ` + w.vars(loopVars(op))
	if op.Filter != nil {
		s += `\text{ with } ` + w.p.str(irNode(op.Filter))
	}
	return s
}

func (w *texWriter) perInput() {
	x := w.x
	w.printf("\n\\paragraph{Gradient of each input} (the sum of these terms; locals substituted)\n")
	w.begin()
	for _, in := range x.prog.Inputs {
		if in.Int {
			continue
		}
		name := w.p.name(in.Name, false)
		if !in.Diff {
			w.row("", "", `\text{`+texEscape(in.Name)+`: no gradient (declared without one)}`, "", 0, "")
			continue
		}
		n := 0
		for _, s := range x.steps {
			for _, e := range s.eqs {
				if e.target != in {
					continue
				}
				n++
				lhs, rel, rhs, note := w.equation(e, true)
				if loop := w.loop(s.adj.Fwd); loop != "" && note != "" {
					note = loop + `;\ ` + note
				} else if loop != "" {
					note = loop
				}
				w.row(lhs, rel, rhs, note, s.line, s.orig)
			}
		}
		if n == 0 {
			w.row(`\frac{\partial L}{\partial `+name+`}`, "=", "0", `\text{the loss does not depend on } `+name, 0, "")
		}
	}
	w.end()
}

func (w *texWriter) updateRules() {
	x := w.x
	if len(x.updates) == 0 {
		return
	}
	w.printf("\n\\paragraph{Update rules} (Update: applied after the loss, not differentiated; every rule reads the old values)\n")
	w.begin()
	for _, v := range x.updates {
		u := v.u
		orig := trimColumn(u.Origin)
		w.row(w.p.str(updateLHS(u)), `\leftarrow`, w.p.str(specNode(u.Body)), "", u.Pos.Line, orig)
		for _, op := range v.ops {
			w.row(`\qquad `+w.p.str(opLHS(op)), "=", w.p.str(opRHS(op)), "", op.Pos.Line, orig)
		}
		w.row(`\qquad `+w.p.name(v.assign.Target.Name, false), `\leftarrow`, w.p.name(v.assign.Value.Name, false), "", u.Pos.Line, orig)
	}
	w.end()
}
