package explain

import (
	"fmt"
	"strings"

	"github.com/lossgen/lossgen/ir"
)

// Colours of the graph.
const (
	gradColor  = "#c0392b" // tensors that carry a gradient, and the edges it flows back along
	gradFill   = "#fdecea"
	plainColor = "#555555"
	intFill    = "#eeeeee"
)

// Dot renders the computation graph for Graphviz: a node per input,
// parameter, computed tensor (definitions and the reductions lifted out of
// them) and update rule, labelled with its defining equation and spec
// line, and an edge per data dependency. Tensors that carry a gradient,
// and the edges it flows back along, are bold and red; an edge drawn
// dashed is a read in a filter or a subscript only, which passes no
// gradient.
func (x *Explanation) Dot() string {
	w := &dotWriter{x: x, p: printer{}}
	w.write()
	return w.b.String()
}

type dotWriter struct {
	x        *Explanation
	p        printer
	b        strings.Builder
	clusters int // subgraphs written so far, for their names
}

func (w *dotWriter) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// quote makes a DOT string; "\n" in s becomes a line break.
func quote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return `"` + s + `"`
}

func tensorID(t *ir.Tensor) string { return quote(t.Name) }
func paramID(name string) string   { return quote("param " + name) }

func (w *dotWriter) write() {
	x := w.x
	w.printf("digraph %s {\n", quote(x.spec.Name))
	legend := fmt.Sprintf("loss %s (%s)\nbold red: carries a gradient ∂L/∂t, which flows back along bold red edges\ndashed edge: read only in a filter or subscript (no gradient)", x.spec.Name, x.sourceName())
	w.printf("\tgraph [label=%s, labelloc=t, fontname=\"Helvetica\", rankdir=TB];\n", quote(legend))
	w.printf("\tnode [fontname=\"Helvetica\", shape=box, style=rounded];\n")
	w.printf("\tedge [color=%q, fontname=\"Helvetica\"];\n", plainColor)

	w.printf("\n\t// inputs\n")
	for _, in := range x.prog.Inputs {
		kind := "input"
		attrs := ""
		switch {
		case in.Int:
			kind = "integer input"
			attrs = fmt.Sprintf(", style=filled, fillcolor=%q", intFill)
		case in.Active:
			kind = "input, gradient"
			attrs = fmt.Sprintf(", style=filled, fillcolor=%q, color=%q, fontcolor=%q, penwidth=2", gradFill, gradColor, gradColor)
		case !in.Diff:
			kind = "input, no gradient"
		}
		w.printf("\t%s [shape=box, label=%s%s];\n", tensorID(in), quote(in.Name+shape(in.Shape)+"\n"+kind), attrs)
	}
	if len(x.spec.Params) > 0 {
		w.printf("\n\t// params\n")
		for _, p := range x.spec.Params {
			w.printf("\t%s [shape=ellipse, style=dashed, label=%s];\n", paramID(p.Name), quote(p.Name+" = "+formatNum(p.Default)))
		}
	}

	w.printf("\n\t// forward\n")
	w.ops(x.prog.Forward, func(op *ir.Op) string {
		return x.group[x.owner[op.Target]]
	})
	if len(x.prog.Updates) > 0 {
		w.printf("\n\t// update rules\n")
		w.ops(x.prog.Updates, func(*ir.Op) string { return "update rules (Update; not differentiated)" })
		for _, a := range x.prog.Assigns {
			w.printf("\t%s -> %s [style=dashed, color=%q, label=\"new value\", constraint=false];\n", tensorID(a.Value), tensorID(a.Target), plainColor)
		}
	}

	w.printf("\n\t// data dependencies\n")
	for _, op := range append(append([]*ir.Op{}, x.prog.Forward...), x.prog.Updates...) {
		w.edges(op)
	}
	w.printf("}\n")
}

// ops writes a node per Op, grouping the Ops that cluster names (by the
// name, in order of first appearance; "" is no cluster).
func (w *dotWriter) ops(ops []*ir.Op, cluster func(*ir.Op) string) {
	var order []string
	groups := map[string][]*ir.Op{}
	for _, op := range ops {
		c := cluster(op)
		if _, ok := groups[c]; !ok {
			order = append(order, c)
		}
		groups[c] = append(groups[c], op)
	}
	for _, c := range order {
		indent := "\t"
		if c != "" {
			w.printf("\tsubgraph %s {\n\t\tlabel=%s; style=dashed; color=%q;\n", quote(fmt.Sprintf("cluster_%d", w.clusters)), quote(c), plainColor)
			w.clusters++
			indent = "\t\t"
		}
		for _, op := range groups[c] {
			w.printf("%s%s\n", indent, w.node(op))
		}
		if c != "" {
			w.printf("\t}\n")
		}
	}
}

func (w *dotWriter) node(op *ir.Op) string {
	t := op.Target
	label := w.p.str(opLHS(op)) + " = " + w.p.str(opRHS(op))
	where := fmt.Sprintf("line %d", op.Pos.Line)
	if o := w.x.origin(op); o != "" {
		where += " (" + o + ")"
	}
	attrs := ""
	if t.Active {
		attrs = fmt.Sprintf(", color=%q, fontcolor=%q, penwidth=2", gradColor, gradColor)
	}
	if t == w.x.prog.Result {
		attrs += ", peripheries=2"
	}
	return fmt.Sprintf("%s [label=%s%s];", tensorID(t), quote(label+"\n"+where), attrs)
}

// edges writes an edge from everything op reads to its target.
func (w *dotWriter) edges(op *ir.Op) {
	const (
		value = iota + 1
		index
	)
	reads := map[*ir.Tensor]int{}
	var tensors []*ir.Tensor
	params := map[string]bool{}
	var paramOrder []string
	note := func(t *ir.Tensor, how int) {
		if _, ok := reads[t]; !ok {
			tensors = append(tensors, t)
		}
		if how == value || reads[t] == 0 {
			reads[t] = how
		}
	}
	var walk func(e ir.Expr, how int)
	walk = func(e ir.Expr, how int) {
		switch e := e.(type) {
		case *ir.Load:
			note(e.Tensor, how)
			for _, i := range e.Index {
				walk(i, index)
			}
			return
		case *ir.ParamVal:
			if !params[e.Param.Name] {
				params[e.Param.Name] = true
				paramOrder = append(paramOrder, e.Param.Name)
			}
			return
		}
		for _, c := range children(e) {
			walk(c, how)
		}
	}
	if op.Filter != nil {
		walk(op.Filter, index)
	}
	if op.Body != nil {
		for _, st := range op.Body.Stmts {
			if a, ok := st.(*ir.Assign); ok {
				walk(a.Value, value)
			}
		}
		if op.Body.Result != nil {
			walk(op.Body.Result, value)
		}
	}
	for _, p := range paramOrder {
		w.printf("\t%s -> %s [style=dotted];\n", paramID(p), tensorID(op.Target))
	}
	for _, t := range tensors {
		attrs := ""
		switch {
		case reads[t] == index:
			attrs = " [style=dashed]"
		case t.Active && op.Target.Active:
			attrs = fmt.Sprintf(" [color=%q, penwidth=2]", gradColor)
		}
		w.printf("\t%s -> %s%s;\n", tensorID(t), tensorID(op.Target), attrs)
	}
}

// children returns the operands of e.
func children(e ir.Expr) []ir.Expr {
	var out []ir.Expr
	ir.MapChildren(e, func(c ir.Expr) ir.Expr {
		out = append(out, c)
		return c
	})
	return out
}
