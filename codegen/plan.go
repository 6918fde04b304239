package codegen

import (
	"fmt"

	"github.com/lossgen/lossgen/ir"
)

// The schedule. Plan decides, for a differentiated program and before any
// Go is emitted, how every forward, update and adjoint Op runs: the fused
// group it belongs to and that group's loop space, the kernel (a matrix
// product with its operand layouts, a scatter, a pairwise-distance adjoint,
// or a loop nest whose runs are row kernels, a row logsumexp, unrolled or
// filtered loops), whether the group runs in parallel and over which index,
// the storage type of every intermediate and which values are kept for the
// backward pass. The emitter (kernel.go and the files it calls) renders
// these decisions; it does not take them. Text prints a schedule, and
// lossgen explain -schedule shows it.

// Schedule is the plan of one program for the float types it is generated
// in. The decisions that do not depend on the type (fusion, storage, kept
// values, which adjoints are pairwise-distance calls) are shared; the
// kernel of a group can differ between float32 and float64 where a
// kernel's operand types do not fit (see planner.pairGradFits).
type Schedule struct {
	p *ir.Program
	// narrow holds the intermediates stored in the kernel's type rather
	// than in float64: what matrix products write and read, and the rows of
	// pairwise distances.
	narrow storage
	// gemms holds the contractions that run as matrix products.
	gemms map[*ir.Op]bool
	// kept holds, for each row logsumexp whose exponentials the forward
	// pass keeps for the backward pass, the row it reads.
	kept map[*ir.Op]*ir.Load
	// sqDist holds the pairwise-distance adjoints that run as
	// lossrt.SqDistGrad (dense or sparse decided per call); mined those
	// whose adjoint is sparse by construction and stays in the loops.
	sqDist map[*ir.AdjointOp]bool
	mined  map[*ir.AdjointOp]bool
	types  []*typeSchedule
}

// typeSchedule is the schedule of the kernels of one float type.
type typeSchedule struct {
	typ                       string
	forward, update, backward []*group
}

// groupKernel is how a fused group runs.
type groupKernel int

const (
	kLoops      groupKernel = iota // one loop nest; its runs say what is inside
	kScatter                       // a scatter-form sum or count (or its adjoint)
	kGemm                          // a contraction as one matrix product
	kGemmAdj                       // a contraction's adjoint as up to two products
	kSqDistGrad                    // a pairwise distance's adjoint, lossrt.SqDistGrad
)

// group is one fused group of Ops and the decisions about it.
type group struct {
	units  []unit
	kernel groupKernel

	scatter  scatter     // kScatter
	con      contraction // kGemm, kGemmAdj
	toL, toR bool        // kGemmAdj: which operands receive a gradient
	pg       pairGrad    // kSqDistGrad

	// kLoops: whether the group runs on the pool over its outer variable
	// (why not, if not), the loop variables whose sizes multiply into the
	// work estimate compared with parMinWork, the pairwise distance
	// matrices computed ahead of the loops, and the runs inside.
	parallel  bool
	serialWhy string
	work      []*ir.Var
	hoisted   []pairDist
	runs      []*run
}

// runKind is the code of one run inside a group's loops.
type runKind int

const (
	rMap           runKind = iota // an elementwise Op, or a map's adjoint
	rMapExp                       // a map exp(e): e into each row, then lossrt.ExpInPlace
	rRowSums                      // unfiltered sums as row kernels (Sum, Dot, SqDist)
	rSumLoops                     // sums in loops: unrolled, or one filtered loop
	rExtremum                     // max or min, recording the arg
	rLSERow                       // a row logsumexp kernel
	rLSELoops                     // a logsumexp in two scalar passes
	rCount                        // a count
	rRowUpdates                   // sum adjoints as row kernels (AddScaledDiff, ...)
	rAdjSumLoops                  // unfiltered sum adjoints in unrolled loops
	rArgAdjoint                   // a max or min's adjoint at the recorded arg
	rLSERowAdjoint                // a row logsumexp's adjoint as a row kernel
	rAdjLoops                     // filtered sum or logsumexp adjoints in plain loops
)

// run is a run of a group (see runs) and the code chosen for it.
type run struct {
	units  []unit
	kind   runKind
	unroll int // copies of the innermost loop body (1: not unrolled)
	// vexp: rSumLoops, rAdjSumLoops, rAdjLoops whose bodies take
	// exponentials along the innermost loop, a block at a time (vexp.go).
	vexp bool

	rowSums    []rowReduce   // rRowSums, one per unit
	rowUpdates [][]rowUpdate // rRowUpdates, one list per unit
	// rLSERow, rLSERowAdjoint: the row, the skipped element (or nil) and,
	// for the adjoint, its scale and shift.
	lseRow          *ir.Load
	lseSkip         ir.Expr
	lseScale, lseSh ir.Expr
}

func (r *run) ops() []*ir.Op {
	var out []*ir.Op
	for _, u := range r.units {
		out = append(out, u.fwd)
	}
	return out
}

func (r *run) adjs() []*ir.AdjointOp {
	var out []*ir.AdjointOp
	for _, u := range r.units {
		out = append(out, u.adj)
	}
	return out
}

// storage is the set of intermediates stored in the kernel's type.
type storage map[*ir.Tensor]bool

// stored reports whether real tensor t is stored in the kernel's type:
// inputs, and the intermediates the schedule narrows.
func (s storage) stored(t *ir.Tensor) bool { return t.Kind == ir.Input || s[t] }

// planner holds what the decisions of one float type read.
type planner struct {
	s   *Schedule
	typ string
	storage
}

// Plan schedules a differentiated program for the given float types
// ("float64" and/or "float32"; nil means both).
func Plan(p *ir.Program, types []string) (*Schedule, error) {
	infos, err := typeList(types)
	if err != nil {
		return nil, err
	}
	return plan(p, infos), nil
}

func typeList(types []string) ([]typeInfo, error) {
	if len(types) == 0 {
		types = []string{"float64", "float32"}
	}
	var infos []typeInfo
	for _, t := range []string{"float64", "float32"} {
		for _, want := range types {
			if want == t {
				infos = append(infos, typeInfos[t])
			}
		}
	}
	if len(infos) == 0 {
		return nil, fmt.Errorf("codegen: no float type among %v (want float64 and/or float32)", types)
	}
	return infos, nil
}

func plan(p *ir.Program, infos []typeInfo) *Schedule {
	s := &Schedule{p: p, narrow: storage{}, kept: map[*ir.Op]*ir.Load{},
		sqDist: map[*ir.AdjointOp]bool{}, mined: map[*ir.AdjointOp]bool{}}
	// Storage: products and their operands, then the rows of pairwise
	// distances, in the kernel's type.
	s.gemms = contractionTargets(p, s.narrow)
	pairwiseOperands(p, s.narrow)
	// Keep or recompute: the exponentials of a row logsumexp whose adjoint
	// shifts by the logsumexp itself are kept.
	for _, adj := range p.Backward {
		if ld, ok := keptExp(p, adj); ok {
			s.kept[adj.Fwd] = ld
		}
	}
	// Pairwise-distance adjoints: a SqDistGrad call where adj(d) can be
	// dense, the pair updates in the loops where it is sparse by
	// construction.
	for _, adj := range p.Backward {
		if _, ok := pairGradOf(adj); ok {
			if mined(p, adj.Fwd.Target, map[*ir.Tensor]bool{}) {
				s.mined[adj] = true
			} else {
				s.sqDist[adj] = true
			}
		}
	}
	for _, t := range infos {
		pl := &planner{s: s, typ: t.name, storage: s.narrow}
		ts := &typeSchedule{typ: t.name}
		ts.forward = pl.phase(fwdUnits(p.Forward), "forward")
		ts.update = pl.phase(fwdUnits(p.Updates), "")
		var adjs []unit
		for _, a := range p.Backward {
			adjs = append(adjs, unit{adj: a})
		}
		ts.backward = pl.phase(adjs, "backward")
		s.types = append(s.types, ts)
	}
	return s
}

func fwdUnits(ops []*ir.Op) []unit {
	var out []unit
	for _, op := range ops {
		out = append(out, unit{fwd: op})
	}
	return out
}

// forType returns the schedule of one float type.
func (s *Schedule) forType(typ string) *typeSchedule {
	for _, t := range s.types {
		if t.typ == typ {
			return t
		}
	}
	panic("codegen: no schedule for " + typ)
}

// phase fuses the units of one pass (forward, backward, or the update
// rules: phase "", which never runs in parallel) and decides each group's
// kernel.
func (pl *planner) phase(units []unit, phase string) []*group {
	alone := func(u unit) bool { return u.adj != nil && pl.s.sqDist[u.adj] }
	var out []*group
	for _, us := range schedule(units, alone) {
		out = append(out, pl.group(us, phase))
	}
	return out
}

// group decides how one fused group runs. The group kernels are tried in
// order, but they are not alternatives for one group: a scatter, a
// contraction and a pairwise adjoint are each a group of their own (see
// canJoin), and the form that makes one of them applicable excludes the
// others. What is chosen between is the kernel and loops, and there the
// kernel always does the same arithmetic as the loops at vector speed.
func (pl *planner) group(us []unit, phase string) *group {
	g := &group{units: us}
	first := us[0]
	op := first.op()
	if sc, ok := scatterOf(op); ok {
		g.kernel, g.scatter = kScatter, sc
		return g
	}
	if c, ok := contractionOf(op); ok && pl.s.gemms[op] {
		if first.fwd != nil {
			g.kernel, g.con = kGemm, c
			return g
		}
		if toL, toR, ok := contractionAdjoint(first.adj, c); ok {
			g.kernel, g.con, g.toL, g.toR = kGemmAdj, c, toL, toR
			return g
		}
	}
	if first.adj != nil && pl.s.sqDist[first.adj] {
		if p, _ := pairGradOf(first.adj); pl.pairGradFits(p) {
			g.kernel, g.pg = kSqDistGrad, p
			return g
		}
	}
	g.kernel = kLoops
	switch {
	case phase == "":
		g.serialWhy = "update rules run serially"
	case len(op.Index) == 0:
		g.serialWhy = "no outer loop"
	case !parallelOuter(us):
		g.serialWhy = "iterations of the outer loop write the same elements"
	default:
		g.parallel = true
	}
	// The work: the group's loop sizes times its longest reduction.
	g.work = append(g.work, op.Index...)
	var inner []*ir.Var
	for _, u := range us {
		if len(u.op().RVars) > len(inner) {
			inner = u.op().RVars
		}
	}
	g.work = append(g.work, inner...)
	var rest []unit
	g.hoisted, rest = pl.pairDists(us)
	for _, r := range runs(rest) {
		g.runs = append(g.runs, pl.run(r))
	}
	// A map of exponentials exponentiates each row after the group's
	// innermost loop: it must be the group's last run, after elementwise
	// maps only (a named argument, g = …; w = exp(g), fuses with it).
	// Anything else needs its value one element at a time: a scalar map.
	for k, r := range g.runs {
		if r.kind != rMapExp {
			continue
		}
		ok := k == len(g.runs)-1
		for _, before := range g.runs[:k] {
			ok = ok && before.kind == rMap && before.units[0].fwd != nil
		}
		if !ok {
			r.kind = rMap
		}
	}
	return g
}

// mapExpArg splits the body of a map whose value is exp(e): the statements
// e needs, and e.
func mapExpArg(op *ir.Op) ([]ir.Stmt, ir.Expr, bool) {
	stmts, res := op.Body.Stmts, op.Body.Result
	if lv, ok := res.(*ir.LocalVal); ok && len(stmts) > 0 {
		a, ok := stmts[len(stmts)-1].(*ir.Assign)
		if !ok || a.Local != lv.Local {
			return nil, nil, false
		}
		stmts, res = stmts[:len(stmts)-1], a.Value
	}
	c, ok := res.(*ir.Call)
	if !ok || c.Fn != "exp" || len(c.Args) != 1 {
		return nil, nil, false
	}
	return stmts, c.Args[0], true
}

// pairGradFits reports whether lossrt.SqDistGrad takes the operands as the
// kernels of this type store them: adj(d) in float64, the rows in the
// kernel's type. Where it does not, the adjoint runs in loops.
func (pl *planner) pairGradFits(p pairGrad) bool {
	d := p.adj.Fwd.Target
	return pl.typ == calc || (!pl.stored(d) && pl.stored(p.a.Tensor) && pl.stored(p.b.Tensor))
}

// run decides the code of one run of a loop group.
func (pl *planner) run(us []unit) *run {
	r := &run{units: us, unroll: 1}
	op := us[0].op()
	if us[0].fwd != nil {
		switch {
		case op.Kind == ir.Map:
			r.kind = rMap
			// The exponentials of a row at vector speed, where the row is
			// the target's own (rank 2 or more: the outer loops are not
			// split along it) and stored in float64 (a narrowed one is
			// flushed as it is stored).
			if _, _, ok := mapExpArg(op); ok && len(op.Index) >= 2 && !pl.storage[op.Target] {
				r.kind = rMapExp
			}
		case op.Red == "sum":
			r.kind = rSumLoops
			if rs, ok := pl.rowSums(r.ops()); ok {
				r.kind, r.rowSums = rRowSums, rs
			} else if op.Filter == nil {
				r.unroll = unroll
			}
			if r.kind == rSumLoops {
				for _, o := range r.ops() {
					r.vexp = r.vexp || bodyHasVexp(o.Body, o.RVars, o.Filter != nil)
				}
			}
		case op.Red == "max" || op.Red == "min":
			r.kind = rExtremum
		case op.Red == "logsumexp":
			r.kind = rLSELoops
			// A skip needs the kept exponentials: the backward pass of
			// a skipping row has no kernel of its own.
			if ld, skip, ok := lseRowOf(op, pl.s.p.Gathers); ok && (skip == nil || pl.s.kept[op] != nil) {
				r.kind, r.lseRow, r.lseSkip = rLSERow, ld, skip
			}
		case op.Red == "count":
			r.kind = rCount
		default:
			panic("codegen: unknown reduction " + op.Red)
		}
		return r
	}
	switch {
	case len(us) > 1 || (op.Kind == ir.Reduce && op.Red == "sum" && op.Filter == nil):
		r.kind, r.unroll = rAdjSumLoops, unroll
		if ups, ok := pl.rowUpdateLists(r.adjs()); ok {
			r.kind, r.rowUpdates, r.unroll = rRowUpdates, ups, 1
		}
		if r.kind == rAdjSumLoops {
			for _, a := range r.adjs() {
				r.vexp = r.vexp || bodyHasVexp(a.Block, a.Fwd.RVars, false)
			}
		}
	case op.Kind == ir.Map:
		r.kind = rMap
	case op.Red == "max" || op.Red == "min":
		r.kind = rArgAdjoint
	default:
		r.kind = rAdjLoops
		if op.Red == "logsumexp" {
			ld, scale, shift, ok := lseRowAdjoint(us[0].adj, pl.s.p.Gathers)
			_, skip, _ := lseRowOf(op, pl.s.p.Gathers)
			if ok && (pl.s.kept[op] != nil || skip == nil) {
				r.kind, r.lseRow, r.lseSkip, r.lseScale, r.lseSh = rLSERowAdjoint, ld, skip, scale, shift
			}
		}
		r.vexp = r.kind == rAdjLoops && bodyHasVexp(us[0].adj.Block, op.RVars, op.Filter != nil)
	}
	return r
}

// rowSums matches a run of sums whose every member has row form.
func (pl *planner) rowSums(ops []*ir.Op) ([]rowReduce, bool) {
	var rs []rowReduce
	for _, op := range ops {
		r, ok := pl.rowReduceOf(op)
		if !ok {
			return nil, false
		}
		rs = append(rs, r)
	}
	return rs, true
}

// rowUpdateLists matches a run of sum adjoints whose every member is made
// of row updates.
func (pl *planner) rowUpdateLists(adjs []*ir.AdjointOp) ([][]rowUpdate, bool) {
	var all [][]rowUpdate
	for _, a := range adjs {
		us, ok := pl.rowUpdatesOf(a)
		if !ok {
			return nil, false
		}
		all = append(all, us)
	}
	return all, true
}
