package codegen

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// Text renders the schedule for people: one block per fused group, forward,
// update and backward, with the spec lines the group comes from, its
// kernel, its loops and whether they run in parallel, its runs and what it
// stores. Where the float32 and float64 kernels of a group differ, both are
// shown.
func (s *Schedule) Text() string { return s.render(false) }

// Normalized renders the schedule as Text does, without spec lines and
// with tensors and loop variables renamed t1, t2, ... and v1, v2, ... in
// order of appearance: two spellings of one loss that get the same
// schedule render the same.
func (s *Schedule) Normalized() string { return s.render(true) }

// schedPrinter renders names, renaming them in normalized output.
type schedPrinter struct {
	s       *Schedule
	norm    bool
	tensors map[*ir.Tensor]string
	vars    map[*ir.Var]string
}

func (s *Schedule) render(norm bool) string {
	pr := &schedPrinter{s: s, norm: norm, tensors: map[*ir.Tensor]string{}, vars: map[*ir.Var]string{}}
	var b strings.Builder
	var types []string
	for _, t := range s.types {
		types = append(types, t.typ)
	}
	if !norm {
		fmt.Fprintf(&b, "schedule of %s (%s), kernels in %s\n", s.p.Name, path.Base(s.p.File), strings.Join(types, " and "))
	}
	b.WriteString("T is the kernel's float type; intermediates not marked T are float64, and an\n")
	b.WriteString("adjoint is stored as its tensor is. A parallel group runs on the pool, split\n")
	fmt.Fprintf(&b, "over its outer index, when its work is at least %d, its outer size above 1\n", parMinWork)
	b.WriteString("and the pool has more than one worker; on the caller's goroutine otherwise.\n")
	live := ir.Live(s.p)
	b.WriteString("\ninputs\n")
	for _, t := range s.p.Inputs {
		fmt.Fprintf(&b, "  %s\n", pr.stored(t, false))
	}
	for _, ph := range []struct {
		title string
		pick  func(*typeSchedule) []*group
	}{
		{"forward", func(t *typeSchedule) []*group { return t.forward }},
		{"update", func(t *typeSchedule) []*group { return t.update }},
		{"backward", func(t *typeSchedule) []*group { return t.backward }},
	} {
		first := ph.pick(s.types[0])
		if len(first) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", ph.title)
		n := 0
		for k := range first {
			valuesOnly := ph.title == "forward" && s.valuesOnly(first[k], live)
			if valuesOnly && norm {
				// Work the spec asked for by naming a definition the
				// loss does not read: not part of computing the loss,
				// so two spellings of one loss compare without it.
				continue
			}
			n++
			header := fmt.Sprintf("  group %d", n)
			if !norm {
				header += "  " + s.specLines(first[k])
			}
			if valuesOnly {
				header += "\n    note     computed only for Values: the spec names it, the loss does not read it"
			}
			// Render each type's block with the same names: the groups
			// of every type are the same units.
			blocks := make([]string, len(s.types))
			for n, t := range s.types {
				blocks[n] = pr.group(ph.pick(t)[k])
			}
			same := true
			for _, bl := range blocks[1:] {
				same = same && bl == blocks[0]
			}
			if same {
				fmt.Fprintf(&b, "%s\n%s", header, blocks[0])
				continue
			}
			for n, t := range s.types {
				fmt.Fprintf(&b, "%s  (%s)\n%s", header, t.typ, blocks[n])
			}
		}
	}
	return b.String()
}

// valuesOnly reports whether every Op of a forward group computes a named
// definition the loss does not depend on.
func (s *Schedule) valuesOnly(g *group, live map[*ir.Tensor]bool) bool {
	for _, u := range g.units {
		t := u.op().Target
		if live[t] || !t.Named {
			return false
		}
	}
	return len(g.units) > 0
}

// specLines lists the spec lines a group's Ops come from.
func (s *Schedule) specLines(g *group) string {
	var out []string
	seen := map[int]bool{}
	for _, u := range g.units {
		l := u.op().Pos.Line
		if !seen[l] {
			seen[l] = true
			out = append(out, path.Base(s.p.File)+":"+strconv.Itoa(l))
		}
	}
	return strings.Join(out, ", ")
}

func (pr *schedPrinter) tensor(t *ir.Tensor) string {
	if !pr.norm {
		return t.Name
	}
	name, ok := pr.tensors[t]
	if !ok {
		name = fmt.Sprintf("t%d", len(pr.tensors)+1)
		pr.tensors[t] = name
	}
	return name
}

func (pr *schedPrinter) v(v *ir.Var) string {
	if !pr.norm {
		return v.Name
	}
	name, ok := pr.vars[v]
	if !ok {
		name = fmt.Sprintf("v%d", len(pr.vars)+1)
		pr.vars[v] = name
	}
	return name
}

func (pr *schedPrinter) varList(vs []*ir.Var) string {
	var out []string
	for _, v := range vs {
		out = append(out, pr.v(v))
	}
	return strings.Join(out, ", ")
}

// sizes renders a product of sizes, N·C·D.
func sizes(ss []*dsl.Size) string {
	if len(ss) == 0 {
		return "1"
	}
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return strings.Join(out, "·")
}

func ranges(vs []*ir.Var) []*dsl.Size {
	var out []*dsl.Size
	for _, v := range vs {
		out = append(out, v.Range)
	}
	return out
}

func shape(t *ir.Tensor) string {
	var out []string
	for _, s := range t.Shape {
		out = append(out, s.Name)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// stored renders a tensor (or its adjoint) with its shape and storage type.
func (pr *schedPrinter) stored(t *ir.Tensor, adj bool) string {
	typ := "float64"
	switch {
	case t.Int:
		typ = "int"
	case pr.s.narrow.stored(t):
		typ = "T"
	}
	name := pr.tensor(t)
	if adj {
		name = "adj(" + name + ")"
	}
	return name + shape(t) + " " + typ
}

// op renders an Op's header: target[i, j] = sum(k).
func (pr *schedPrinter) op(op *ir.Op) string {
	kind := "map"
	if op.Kind == ir.Reduce {
		kind = op.Red + "(" + pr.varList(op.RVars) + ")"
		if op.Filter != nil {
			kind = op.Red + "(" + pr.varList(op.RVars) + " | " + pr.expr(op.Filter) + ")"
		}
	}
	return fmt.Sprintf("%s[%s] = %s", pr.tensor(op.Target), pr.varList(op.Index), kind)
}

// expr renders an expression with the printer's names.
func (pr *schedPrinter) expr(e ir.Expr) string {
	switch e := e.(type) {
	case *ir.Const:
		return strconv.FormatFloat(e.Value, 'g', -1, 64)
	case *ir.SizeVal:
		return e.Size.Name
	case *ir.ParamVal:
		return e.Param.Name
	case *ir.VarVal:
		return pr.v(e.Var)
	case *ir.LocalVal:
		return e.Local.Name
	case *ir.Load:
		return pr.tensor(e.Tensor) + pr.index(e.Index)
	case *ir.AdjLoad:
		return "adj(" + pr.tensor(e.Tensor) + pr.index(e.Index) + ")"
	case *ir.Unary:
		return e.Op + pr.expr(e.X)
	case *ir.Binary:
		return "(" + pr.expr(e.X) + " " + e.Op + " " + pr.expr(e.Y) + ")"
	case *ir.Call:
		var args []string
		for _, a := range e.Args {
			args = append(args, pr.expr(a))
		}
		return e.Fn + "(" + strings.Join(args, ", ") + ")"
	}
	return ir.Format(e)
}

func (pr *schedPrinter) index(idx []ir.Expr) string {
	var out []string
	for _, x := range idx {
		out = append(out, pr.expr(x))
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// line writes one "key value" line of a group's block.
func line(b *strings.Builder, key, format string, args ...any) {
	fmt.Fprintf(b, "    %-9s%s\n", key, fmt.Sprintf(format, args...))
}

// group renders one group's block.
func (pr *schedPrinter) group(g *group) string {
	var b strings.Builder
	first := g.units[0]
	switch g.kernel {
	case kScatter:
		line(&b, "op", "%s", pr.op(first.op()))
		line(&b, "kernel", "scatter: one pass over %s, each element into %s[%s = %s[%s]]",
			pr.v(g.scatter.r), pr.tensor(first.op().Target), pr.v(g.scatter.v), pr.tensor(g.scatter.label), pr.v(g.scatter.r))
		// The scatter loops over the reduction, then the target's other
		// indices (scatterLoops); as written, over all of the target's.
		steps := ranges(first.op().RVars)
		for _, v := range first.op().Index {
			if v != g.scatter.v {
				steps = append(steps, v.Range)
			}
		}
		line(&b, "cost", "%s steps instead of %s as written", sizes(steps), sizes(append(ranges(first.op().Index), ranges(first.op().RVars)...)))
	case kGemm:
		c := g.con
		line(&b, "op", "%s", pr.op(first.op()))
		line(&b, "kernel", "matrix product %s: %s", c.form(), pr.product(c))
		line(&b, "cost", "%s flops; loops would do the same at scalar speed", pr.gemmFlops(c))
	case kGemmAdj:
		c := g.con
		line(&b, "op", "%s", pr.op(first.op()))
		var halves []string
		if g.toL {
			halves = append(halves, fmt.Sprintf("adj(%s) += %s (%s)", pr.tensor(c.l.t), pr.adjProduct(c, true), c.adjForm(true)))
		}
		if g.toR {
			halves = append(halves, fmt.Sprintf("adj(%s) += %s (%s)", pr.tensor(c.r.t), pr.adjProduct(c, false), c.adjForm(false)))
		}
		line(&b, "kernel", "matrix products: %s", strings.Join(halves, ", "))
		line(&b, "cost", "%s flops each; loops would do the same at scalar speed", pr.gemmFlops(c))
	case kSqDistGrad:
		p := g.pg
		op := first.op()
		var to []string
		if p.toA {
			to = append(to, "adj("+pr.tensor(p.a.Tensor)+")")
		}
		if p.toB {
			to = append(to, "adj("+pr.tensor(p.b.Tensor)+")")
		}
		d := pr.tensor(op.Target)
		n, m, k := op.Index[0].Range.Name, op.Index[1].Range.Name, op.RVars[0].Range.Name
		line(&b, "op", "%s", pr.op(op))
		line(&b, "kernel", "pairwise-distance adjoint lossrt.SqDistGrad into %s, dense or sparse decided per call", strings.Join(to, " and "))
		line(&b, "cost", "dense when 8·nnz(adj(%s)) ≥ %s·%s: two products and row scalings, 4·%s·%s·%s flops;", d, n, m, n, m, k)
		line(&b, "", "sparse otherwise: one AddScaledDiff per nonzero pair, 4·%s flops each", k)
	case kLoops:
		pr.loops(&b, g)
	}
	pr.writes(&b, g)
	return b.String()
}

func (pr *schedPrinter) loops(b *strings.Builder, g *group) {
	op := g.units[0].op()
	if len(op.Index) == 0 {
		line(b, "loops", "none (scalar)")
	} else {
		line(b, "loops", "%s over %s", shapeOf(op.Index), pr.varList(op.Index))
	}
	if g.parallel {
		line(b, "parallel", "over %s when %s ≥ %d", pr.v(op.Index[0]), sizes(ranges(g.work)), parMinWork)
	} else {
		line(b, "parallel", "no: %s", g.serialWhy)
	}
	for _, p := range g.hoisted {
		line(b, "ahead", "%s: lossrt.SqDistMatrix of the rows of %s and %s, over the group's range of %s",
			pr.op(p.op), pr.tensor(p.a), pr.tensor(p.b), pr.v(p.op.Index[0]))
	}
	for _, r := range g.runs {
		pr.run(b, r)
	}
}

func shapeOf(vs []*ir.Var) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Range.Name)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

func (pr *schedPrinter) run(b *strings.Builder, r *run) {
	var ops []string
	for _, u := range r.units {
		ops = append(ops, pr.op(u.op()))
	}
	op := r.units[0].op()
	inner := func() string {
		if len(op.RVars) == 0 {
			return ""
		}
		return pr.v(op.RVars[len(op.RVars)-1])
	}
	var how string
	switch r.kind {
	case rMap:
		how = "elementwise"
		if r.units[0].fwd != nil && pr.s.narrow[op.Target] {
			how += ", narrowed to T as stored (float32: subnormals flushed)"
		}
	case rMapExp:
		how = fmt.Sprintf("elementwise exp: its argument into each row, then lossrt.ExpInPlace along %s", pr.v(op.Index[len(op.Index)-1]))
	case rRowSums:
		var fns []string
		for _, x := range r.rowSums {
			fns = append(fns, "lossrt."+x.fn)
		}
		how = fmt.Sprintf("row kernels %s along %s, one call per row", strings.Join(fns, ", "), inner())
	case rSumLoops, rAdjSumLoops:
		if r.unroll > 1 {
			how = fmt.Sprintf("loops, %s unrolled ×%d", inner(), r.unroll)
		} else {
			how = "filtered loops, not unrolled"
		}
	case rExtremum:
		how = "loops recording the first arg" + pr.filtered(op)
	case rLSERow:
		fn := "LogSumExp"
		if pr.s.kept[op] != nil {
			fn = "LogSumExpKeep"
			if r.lseSkip != nil {
				fn = "LogSumExpKeepSkip"
			}
		}
		how = fmt.Sprintf("row logsumexp lossrt.%s of %s", fn, pr.expr(r.lseRow))
		if r.lseSkip != nil {
			how += ", skipping element " + pr.expr(r.lseSkip)
		}
	case rLSELoops:
		how = "two scalar passes (max, then Σ exp)" + pr.filtered(op)
	case rCount:
		how = "count loop" + pr.filtered(op)
	case rRowUpdates:
		var fns []string
		for _, us := range r.rowUpdates {
			for _, x := range us {
				fns = append(fns, "lossrt."+x.fn)
			}
		}
		how = fmt.Sprintf("row kernels %s along %s, one call per row, skipped when the scale is 0", strings.Join(fns, ", "), inner())
	case rArgAdjoint:
		how = "at the recorded arg"
	case rLSERowAdjoint:
		if pr.s.kept[op] != nil {
			how = "lossrt.AddScaled of the kept exponentials"
			if r.lseSkip != nil {
				how += ", around the skipped element"
			}
		} else {
			how = "row kernel lossrt.AddScaledExp"
		}
	case rAdjLoops:
		how = "loops, not unrolled" + pr.filtered(op)
	}
	if r.vexp {
		how += fmt.Sprintf("; exp along %s in blocks of %d: arguments into a stack buffer, then lossrt.ExpInPlace", inner(), vexpBlock)
	}
	line(b, "run", "%s: %s", strings.Join(ops, "; "), how)
	if r.kind == rLSERow && pr.s.kept[op] != nil {
		k := op.RVars[0].Range
		row := pr.s.kept[op]
		typ := "float64"
		if pr.s.narrow.stored(row.Tensor) {
			typ = "T"
		}
		line(b, "keep", "exp(%s − max) %s %s and 1/Σ %s float64 for the backward pass, which then takes no exp (%s fewer)",
			pr.expr(row), shapeOf(append(append([]*ir.Var{}, op.Index...), op.RVars...)), typ, shape(op.Target), sizes(append(op.Target.Shape, k)))
	}
	for _, u := range r.units {
		if u.adj != nil && pr.s.mined[u.adj] {
			line(b, "sparse", "adj(%s) has at most one nonzero per row and max or min (every path from %s to the loss goes through one): pair updates in the loops, no count",
				pr.tensor(op.Target), pr.tensor(op.Target))
		}
	}
}

func (pr *schedPrinter) filtered(op *ir.Op) string {
	if op.Filter != nil {
		return ", filtered"
	}
	return ""
}

// writes lists what a group stores: forward targets (and arg indices) with
// their types, adjoint buffers it accumulates into.
func (pr *schedPrinter) writes(b *strings.Builder, g *group) {
	var out []string
	seen := map[accessKey]bool{}
	for _, u := range g.units {
		for _, w := range u.writes() {
			k := accessKey{w.t, w.adj}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, pr.stored(w.t, w.adj))
		}
	}
	line(b, "stores", "%s", strings.Join(out, ", "))
}

// product renders z[I, J] = l · r with transposes.
func (pr *schedPrinter) product(c contraction) string {
	l, r := pr.tensor(c.l.t), pr.tensor(c.r.t)
	if c.l.trans {
		l += "ᵀ"
	}
	if !c.r.trans {
		r += "ᵀ"
	}
	return fmt.Sprintf("%s[%s × %s] = %s · %s, k = %s", pr.tensor(c.op.Target), sizes(ranges(c.l.outer)), sizes(ranges(c.r.outer)), l, r, c.k.Range.Name)
}

// adjProduct renders the product one half of a contraction's adjoint adds.
func (pr *schedPrinter) adjProduct(c contraction, toL bool) string {
	g := "adj(" + pr.tensor(c.op.Target) + ")"
	l, r := pr.tensor(c.l.t), pr.tensor(c.r.t)
	switch {
	case toL && !c.l.trans && !c.r.trans:
		return g + " · " + r
	case toL && !c.l.trans:
		return g + " · " + r + "ᵀ"
	case toL:
		return r + " · " + g + "ᵀ"
	case !c.l.trans && !c.r.trans:
		return g + "ᵀ · " + l
	case !c.l.trans:
		return l + "ᵀ · " + g
	}
	return l + " · " + g
}

func (pr *schedPrinter) gemmFlops(c contraction) string {
	return "2·" + sizes(append(append(ranges(c.l.outer), ranges(c.r.outer)...), c.k.Range))
}
