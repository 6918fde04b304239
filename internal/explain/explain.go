package explain

import (
	"path"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lossgen/lossgen/compiler"
	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// Explanation is a spec together with its differentiated IR, ready to be
// printed in any format.
type Explanation struct {
	spec    *dsl.Program
	prog    *ir.Program
	file    string // the spec's file name, without directories
	defs    []*defView
	steps   []*step
	updates []*updateView
	owner   map[*ir.Tensor]*dsl.Def // the definition each forward tensor belongs to
	// group names, for a definition that is a call of a used spec and the
	// definitions copied in by it, the call as written.
	group map[*dsl.Def]string
}

// defView is a definition as written and the forward Ops it lowers to,
// its own Op last. An integer definition is inlined into its uses and has
// no Op.
type defView struct {
	def  *dsl.Def
	ops  []*ir.Op
	call string // for a call of a used spec: the call as written
}

// updateView is an update rule and the Ops computing the new value.
type updateView struct {
	u      *dsl.Update
	ops    []*ir.Op
	assign ir.UpdateAssign
}

// step is one adjoint Op as equations.
type step struct {
	adj  *ir.AdjointOp
	eqs  []equation
	line int
	orig string
}

// equation is `lhs += value` (an accumulation) or `lhs = value` (a named
// local), where value is 0 where zero holds.
type equation struct {
	local  string     // the local's name, or "" for an accumulation
	target *ir.Tensor // accumulation: the tensor whose gradient grows
	value  ir.Expr    // the value, locals substituted where inlined
	full   ir.Expr    // the value with every local substituted
	zero   ir.Expr    // condition under which the value is 0, or nil
	zeroF  ir.Expr    // the same for full
	lhs    *refN      // accumulation target as a formula
	lhsF   *refN      // the same with every local substituted
}

// Load reads, checks, lowers and differentiates a spec, as compiler.Build
// does, keeping the checked spec so that definitions can be shown as
// written. Used specs are read from disk relative to filename. A mistake
// in the spec is returned as the dsl's diagnostics.
func Load(filename string, src []byte) (*Explanation, error) {
	return LoadWith(filename, src, nil)
}

// LoadWith is Load whose spec may use specs in the include directories
// (dsl.LoadOptions.Include).
func LoadWith(filename string, src []byte, include []string) (*Explanation, error) {
	spec, err := dsl.LoadOpts(filename, src, dsl.LoadOptions{Include: include})
	if err != nil {
		return nil, err
	}
	prog, err := ir.Lower(spec)
	if err != nil {
		return nil, err
	}
	if err := compiler.Middle(prog); err != nil {
		return nil, err
	}
	x := &Explanation{spec: spec, prog: prog, file: filepath.Base(filename), owner: map[*ir.Tensor]*dsl.Def{}, group: map[*dsl.Def]string{}}
	x.groupDefs()
	x.groupUpdates()
	for _, a := range prog.Backward {
		x.steps = append(x.steps, x.newStep(a))
	}
	return x, nil
}

// IR returns the differentiated program the explanation reads.
func (x *Explanation) IR() *ir.Program { return x.prog }

func (x *Explanation) groupDefs() {
	var pending []*ir.Op
	var copied []*dsl.Def
	i := 0
	for _, d := range x.spec.Defs {
		v := &defView{def: d, call: x.callText(d)}
		x.defs = append(x.defs, v)
		if d.Origin != "" {
			copied = append(copied, d)
		} else {
			if v.call != "" {
				call := d.Name + " = " + v.call
				x.group[d] = call
				for _, c := range copied {
					x.group[c] = call
				}
			}
			copied = nil
		}
		if d.Type != dsl.Real {
			continue
		}
		for ; i < len(x.prog.Forward); i++ {
			op := x.prog.Forward[i]
			pending = append(pending, op)
			x.owner[op.Target] = d
			if op.Target.Name == d.Name {
				i++
				break
			}
		}
		v.ops, pending = pending, nil
	}
}

func (x *Explanation) groupUpdates() {
	i := 0
	for k, u := range x.spec.Updates {
		if k >= len(x.prog.Assigns) {
			break
		}
		v := &updateView{u: u, assign: x.prog.Assigns[k]}
		for ; i < len(x.prog.Updates); i++ {
			op := x.prog.Updates[i]
			v.ops = append(v.ops, op)
			if op.Target == v.assign.Value {
				i++
				break
			}
		}
		x.updates = append(x.updates, v)
	}
}

// callText returns the call as written when d's body is a call of a used
// spec (its expansion carries the call's position throughout), else "".
func (x *Explanation) callText(d *dsl.Def) string {
	if d.Origin != "" || d.Body == nil {
		return ""
	}
	pos := d.Body.Position()
	same := true
	leaves := 0
	walkSpec(d.Body, func(e dsl.Expr) {
		leaves++
		if e.Position() != pos {
			same = false
		}
	})
	if !same || leaves < 2 {
		return ""
	}
	src := x.spec.Source
	if pos.Offset < 0 || pos.Offset >= len(src) {
		return ""
	}
	rest := src[pos.Offset:]
	n := 0
	for n < len(rest) {
		r, size := utf8.DecodeRune(rest[n:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			break
		}
		n += size
	}
	if n == 0 || n >= len(rest) || rest[n] != '(' || builtins[string(rest[:n])] {
		return ""
	}
	depth := 0
	for j := n; j < len(rest); j++ {
		switch rest[j] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return strings.Join(strings.Fields(string(rest[:j+1])), " ")
			}
		}
	}
	return ""
}

var builtins = map[string]bool{
	"exp": true, "log": true, "log1p": true, "sqrt": true, "abs": true, "relu": true,
	"softplus": true, "sigmoid": true, "tanh": true, "sign": true, "clamp": true,
	"cos": true, "sin": true, "acos": true,
	"max": true, "min": true, "stopgrad": true, "where": true, "real": true,
	"sum": true, "mean": true, "logsumexp": true, "count": true,
}

func walkSpec(e dsl.Expr, f func(dsl.Expr)) {
	if e == nil {
		return
	}
	f(e)
	switch e := e.(type) {
	case *dsl.Access:
		for _, s := range e.Index {
			walkSpec(s, f)
		}
	case *dsl.Unary:
		walkSpec(e.X, f)
	case *dsl.Binary:
		walkSpec(e.X, f)
		walkSpec(e.Y, f)
	case *dsl.Call:
		for _, a := range e.Args {
			walkSpec(a, f)
		}
	case *dsl.Reduce:
		if e.Filter != nil {
			walkSpec(e.Filter, f)
		}
		if e.Body != nil {
			walkSpec(e.Body, f)
		}
	}
}

// origin returns where a forward Op's definition was copied from, as
// "file.loss:line", or "".
func (x *Explanation) origin(op *ir.Op) string {
	d := x.owner[op.Target]
	if d == nil || d.Origin == "" {
		return ""
	}
	return trimColumn(d.Origin)
}

func trimColumn(origin string) string {
	parts := strings.Split(origin, ":")
	if len(parts) >= 3 {
		return strings.Join(parts[:len(parts)-1], ":")
	}
	return origin
}

// inlineLimit is the longest rendering (in runes) of a local's value that is
// substituted into each of its uses; a longer one used more than once is
// written as an equation of its own.
const inlineLimit = 60

func (x *Explanation) newStep(a *ir.AdjointOp) *step {
	s := &step{adj: a, line: a.Fwd.Pos.Line, orig: x.origin(a.Fwd)}
	uses := map[*ir.Local]int{}
	for _, st := range a.Block.Stmts {
		var vals []ir.Expr
		switch st := st.(type) {
		case *ir.Assign:
			vals = []ir.Expr{st.Value}
		case *ir.Accum:
			vals = append([]ir.Expr{st.Value}, st.Index...)
		}
		for _, v := range vals {
			ir.Walk(v, func(e ir.Expr) {
				if l, ok := e.(*ir.LocalVal); ok {
					uses[l.Local]++
				}
			})
		}
	}
	inline := map[*ir.Local]ir.Expr{} // substituted into uses
	full := map[*ir.Local]ir.Expr{}   // every local, for the per-input summary
	text := printer{}
	for _, st := range a.Block.Stmts {
		switch st := st.(type) {
		case *ir.Assign:
			v := substitute(st.Value, inline, x.prog.Result)
			full[st.Local] = substitute(st.Value, full, x.prog.Result)
			val, _ := split(v)
			if uses[st.Local] <= 1 || trivial(v) || runeLen(text.str(irNode(val))) <= inlineLimit {
				inline[st.Local] = v
				continue
			}
			eq := equation{local: st.Local.Name}
			eq.value, eq.zero = splitZero(v)
			s.eqs = append(s.eqs, eq)
		case *ir.Accum:
			eq := equation{target: st.Tensor}
			idx := make([]ir.Expr, len(st.Index))
			idxF := make([]ir.Expr, len(st.Index))
			for i, e := range st.Index {
				idx[i] = substitute(e, inline, nil)
				idxF[i] = substitute(e, full, nil)
			}
			eq.lhs = &refN{name: st.Tensor.Name, idx: irNodes(idx), adj: true}
			eq.value, eq.zero = splitZero(substitute(st.Value, inline, x.prog.Result))
			eq.lhsF = &refN{name: st.Tensor.Name, idx: irNodes(idxF), adj: true}
			eq.full, eq.zeroF = splitZero(substitute(st.Value, full, x.prog.Result))
			s.eqs = append(s.eqs, eq)
		}
	}
	return s
}

func splitZero(e ir.Expr) (ir.Expr, ir.Expr) {
	// The two branches of a where, accumulated into one place, read as
	// one where: a·where(c, g, 0) + where(c, 0, g) is where(c, a·g, g).
	if b, ok := e.(*ir.Binary); ok && b.Op == "+" {
		x, cx := split(b.X)
		y, cy := split(b.Y)
		if len(cx) == 1 && len(cy) == 1 && ir.String(negate(cx[0])) == ir.String(cy[0]) {
			return &ir.Call{Fn: "where", Args: []ir.Expr{cx[0], ir.Fold(x), ir.Fold(y)}}, nil
		}
	}
	v, conds := split(e)
	return ir.Fold(v), zeroWhere(conds)
}

func trivial(e ir.Expr) bool {
	switch e := e.(type) {
	case *ir.Const, *ir.SizeVal, *ir.ParamVal, *ir.VarVal, *ir.LocalVal, *ir.AdjLoad:
		return true
	case *ir.Load:
		for _, i := range e.Index {
			if !trivial(i) {
				return false
			}
		}
		return true
	}
	return false
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// opLHS renders the left-hand side of a forward Op, target[index].
func opLHS(op *ir.Op) *refN {
	idx := make([]node, len(op.Index))
	for i, v := range op.Index {
		idx[i] = &nameN{name: v.Name}
	}
	return &refN{name: op.Target.Name, idx: idx}
}

// opRHS is the value of a forward Op, locals substituted.
func opRHS(op *ir.Op) node {
	var val ir.Expr
	if op.Body != nil {
		locals := map[*ir.Local]ir.Expr{}
		for _, st := range op.Body.Stmts {
			if a, ok := st.(*ir.Assign); ok {
				locals[a.Local] = substitute(a.Value, locals, nil)
			}
		}
		val = substitute(op.Body.Result, locals, nil)
	}
	if op.Kind == ir.Map {
		return irNode(val)
	}
	r := &redN{op: op.Red}
	for _, v := range op.RVars {
		r.vars = append(r.vars, v.Name)
	}
	if op.Filter != nil {
		r.filter = irNode(op.Filter)
	}
	if val != nil {
		r.body = irNode(val)
	}
	return r
}

// defLHS renders the left-hand side of a definition.
func defLHS(d *dsl.Def) *refN {
	idx := make([]node, len(d.Index))
	for i, v := range d.Index {
		idx[i] = &nameN{name: v.Name}
	}
	return &refN{name: d.Name, idx: idx}
}

func updateLHS(u *dsl.Update) *refN {
	idx := make([]node, len(u.Index))
	for i, v := range u.Index {
		idx[i] = &nameN{name: v.Name}
	}
	return &refN{name: u.Target.Name, idx: idx}
}

func varNames(vs []*ir.Var) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name
	}
	return out
}

// loopVars are the variables an adjoint Op runs over.
func loopVars(op *ir.Op) []string {
	return append(varNames(op.Index), varNames(op.RVars)...)
}

// shape renders a tensor's declared shape, e.g. "[N,D]".
func shape(s []*dsl.Size) string {
	if len(s) == 0 {
		return ""
	}
	names := make([]string, len(s))
	for i, z := range s {
		names[i] = z.Name
	}
	return "[" + strings.Join(names, ",") + "]"
}

// docLines returns the spec's doc comment as lines.
func (x *Explanation) docLines() []string {
	doc := strings.TrimSpace(x.spec.Doc)
	if doc == "" {
		return nil
	}
	return strings.Split(doc, "\n")
}

func (x *Explanation) sourceName() string {
	return path.Base(filepath.ToSlash(x.file))
}
