package explain

import (
	"math"
	"strconv"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// specNode turns a checked spec expression into a formula, as written.
func specNode(e dsl.Expr) node {
	switch e := e.(type) {
	case *dsl.Num:
		return &numN{text: e.Text}
	case *dsl.SizeRef:
		return &nameN{name: e.Size.Name}
	case *dsl.ParamRef:
		return &nameN{name: e.Param.Name, param: true}
	case *dsl.IndexRef:
		return &nameN{name: e.Var.Name}
	case *dsl.Access:
		idx := make([]node, len(e.Index))
		for i, x := range e.Index {
			idx[i] = specNode(x)
		}
		return &refN{name: e.Name(), idx: idx}
	case *dsl.Unary:
		if e.Op == "!" {
			return &notN{x: specNode(e.X)}
		}
		return &negN{x: specNode(e.X)}
	case *dsl.Binary:
		if e.Op == "^" {
			return &powN{x: specNode(e.X), p: specNode(e.Y)}
		}
		return &binN{op: e.Op, x: specNode(e.X), y: specNode(e.Y)}
	case *dsl.Call:
		if e.Fn == "real" {
			return specNode(e.Args[0])
		}
		args := make([]node, len(e.Args))
		for i, a := range e.Args {
			args[i] = specNode(a)
		}
		return &callN{fn: e.Fn, args: args}
	case *dsl.Reduce:
		r := &redN{op: e.Op}
		for _, v := range e.Vars {
			r.vars = append(r.vars, v.Name)
		}
		if e.Filter != nil {
			r.filter = specNode(e.Filter)
		}
		if e.Body != nil {
			r.body = specNode(e.Body)
		}
		return r
	}
	return &rawN{text: "?"}
}

// irNode turns an IR expression into a formula. Products and quotients are
// flattened into one fraction with constant factors first, repeated
// factors become powers, and the conversion of an integer to a real is not
// shown.
func irNode(e ir.Expr) node {
	switch e := e.(type) {
	case *ir.Const:
		if e.Value < 0 || (e.Value == 0 && math.Signbit(e.Value)) {
			return &prodN{neg: true, num: []node{&numN{text: formatNum(-e.Value)}}}
		}
		return &numN{text: formatNum(e.Value)}
	case *ir.SizeVal:
		return &nameN{name: e.Size.Name}
	case *ir.ParamVal:
		return &nameN{name: e.Param.Name, param: true}
	case *ir.VarVal:
		return &nameN{name: e.Var.Name}
	case *ir.LocalVal:
		return &nameN{name: e.Local.Name}
	case *ir.Load:
		return &refN{name: e.Tensor.Name, idx: irNodes(e.Index)}
	case *ir.AdjLoad:
		return &refN{name: e.Tensor.Name, idx: irNodes(e.Index), adj: true}
	case *ir.Unary:
		if e.Op == "!" {
			return &notN{x: irNode(e.X)}
		}
		return product(e)
	case *ir.Binary:
		if e.Op == "*" || e.Op == "/" {
			return product(e)
		}
		return &binN{op: e.Op, x: irNode(e.X), y: irNode(e.Y)}
	case *ir.Call:
		switch e.Fn {
		case "real":
			return irNode(e.Args[0])
		case "pow":
			return &powN{x: irNode(e.Args[0]), p: irNode(e.Args[1])}
		case "sqrtadj", "acosadj", "step":
			// Only reached where split could not pull the condition out.
			v, conds := split(e)
			return &callN{fn: "where", args: []node{irNode(and(conds)), irNode(v), &numN{text: "0"}}}
		}
		return &callN{fn: e.Fn, args: irNodes(e.Args)}
	}
	return &rawN{text: "?"}
}

func irNodes(es []ir.Expr) []node {
	out := make([]node, len(es))
	for i, e := range es {
		out[i] = irNode(e)
	}
	return out
}

func formatNum(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// product flattens a chain of * / and unary minus.
func product(e ir.Expr) node {
	p := &prodN{}
	var num, den []ir.Expr
	var walk func(e ir.Expr, inDen bool)
	walk = func(e ir.Expr, inDen bool) {
		switch x := e.(type) {
		case *ir.Binary:
			switch x.Op {
			case "*":
				walk(x.X, inDen)
				walk(x.Y, inDen)
				return
			case "/":
				walk(x.X, inDen)
				walk(x.Y, !inDen)
				return
			}
		case *ir.Unary:
			if x.Op == "-" {
				p.neg = !p.neg
				walk(x.X, inDen)
				return
			}
		case *ir.Const:
			if x.Value < 0 {
				p.neg = !p.neg
				e = &ir.Const{Value: -x.Value}
			}
			if x.Value == 1 || x.Value == -1 {
				return
			}
		}
		if inDen {
			den = append(den, e)
		} else {
			num = append(num, e)
		}
	}
	walk(e, false)
	p.num = factors(num)
	p.den = factors(den)
	return p
}

// factors orders factors (numbers, then parameter and size expressions,
// then the rest, each group as written) and turns repeated factors into
// powers.
func factors(fs []ir.Expr) []node {
	rank := func(e ir.Expr) int {
		if _, ok := e.(*ir.Const); ok {
			return 0
		}
		if constant(e) {
			return 1
		}
		return 2
	}
	var keys []string
	count := map[string]int{}
	first := map[string]ir.Expr{}
	for r := 0; r <= 2; r++ {
		for _, f := range fs {
			if rank(f) != r {
				continue
			}
			k := ir.String(f)
			if count[k] == 0 {
				keys = append(keys, k)
				first[k] = f
			}
			count[k]++
		}
	}
	out := make([]node, len(keys))
	for i, k := range keys {
		n := irNode(first[k])
		if c := count[k]; c > 1 {
			n = &powN{x: n, p: &numN{text: strconv.Itoa(c)}}
		}
		out[i] = n
	}
	return out
}

// constant reports whether e reads no tensor, loop variable or local.
func constant(e ir.Expr) bool {
	ok := true
	ir.Walk(e, func(x ir.Expr) {
		switch x.(type) {
		case *ir.Load, *ir.AdjLoad, *ir.VarVal, *ir.LocalVal:
			ok = false
		}
	})
	return ok
}

// substitute replaces the locals in vals by their values and the gradient
// of the result by 1, then folds constants.
func substitute(e ir.Expr, vals map[*ir.Local]ir.Expr, result *ir.Tensor) ir.Expr {
	var sub func(e ir.Expr) ir.Expr
	sub = func(e ir.Expr) ir.Expr {
		switch x := e.(type) {
		case *ir.LocalVal:
			if v, ok := vals[x.Local]; ok {
				return v
			}
			return x
		case *ir.AdjLoad:
			if x.Tensor == result {
				return &ir.Const{Value: 1}
			}
		}
		return ir.MapChildren(e, sub)
	}
	return ir.Fold(sub(e))
}

func isZero(e ir.Expr) bool {
	c, ok := e.(*ir.Const)
	return ok && c.Value == 0
}

// split separates a gradient value into the value and the conditions
// under which it applies (it is 0 where one fails): where(c, a, 0), the
// derivative of sqrt at 0, of acos at ±1 and of step, also as factors of a
// product.
func split(e ir.Expr) (ir.Expr, []ir.Expr) {
	switch x := e.(type) {
	case *ir.Call:
		switch x.Fn {
		case "where":
			if isZero(x.Args[2]) {
				v, c := split(x.Args[1])
				return v, addConds([]ir.Expr{x.Args[0]}, c)
			}
			if isZero(x.Args[1]) {
				v, c := split(x.Args[2])
				return v, addConds([]ir.Expr{negate(x.Args[0])}, c)
			}
		case "sqrtadj":
			v, c := split(x.Args[0])
			y := x.Args[1]
			return &ir.Binary{Op: "/", X: v, Y: &ir.Binary{Op: "*", X: &ir.Const{Value: 2}, Y: y}},
				addConds(c, []ir.Expr{&ir.Binary{Op: "!=", X: y, Y: &ir.Const{Value: 0}}})
		case "acosadj":
			v, c := split(x.Args[0])
			y := x.Args[1]
			root := &ir.Call{Fn: "sqrt", Args: []ir.Expr{&ir.Binary{Op: "-", X: &ir.Const{Value: 1}, Y: &ir.Call{Fn: "pow", Args: []ir.Expr{y, &ir.Const{Value: 2}}}}}}
			return &ir.Unary{Op: "-", X: &ir.Binary{Op: "/", X: v, Y: root}},
				addConds(c, []ir.Expr{&ir.Binary{Op: "<", X: &ir.Call{Fn: "abs", Args: []ir.Expr{y}}, Y: &ir.Const{Value: 1}}})
		case "step":
			return &ir.Const{Value: 1}, []ir.Expr{&ir.Binary{Op: ">", X: x.Args[0], Y: &ir.Const{Value: 0}}}
		}
	case *ir.Unary:
		if x.Op == "-" {
			v, c := split(x.X)
			return &ir.Unary{Op: "-", X: v}, c
		}
	case *ir.Binary:
		switch x.Op {
		case "*":
			a, ca := split(x.X)
			b, cb := split(x.Y)
			return &ir.Binary{Op: "*", X: a, Y: b}, addConds(ca, cb)
		case "/":
			a, ca := split(x.X)
			return &ir.Binary{Op: "/", X: a, Y: x.Y}, ca
		}
	}
	return e, nil
}

// addConds appends the conditions of b not already in a.
func addConds(a, b []ir.Expr) []ir.Expr {
	out := append([]ir.Expr(nil), a...)
	for _, c := range b {
		dup := false
		for _, d := range out {
			if ir.String(c) == ir.String(d) {
				dup = true
			}
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

var flipped = map[string]string{"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}

// negate returns the condition that holds where c fails, pushing the
// negation into comparisons.
func negate(c ir.Expr) ir.Expr {
	switch x := c.(type) {
	case *ir.Binary:
		if op, ok := flipped[x.Op]; ok {
			return &ir.Binary{Op: op, X: x.X, Y: x.Y, Int: x.Int}
		}
		switch x.Op {
		case "&&":
			return &ir.Binary{Op: "||", X: negate(x.X), Y: negate(x.Y)}
		case "||":
			return &ir.Binary{Op: "&&", X: negate(x.X), Y: negate(x.Y)}
		}
	case *ir.Unary:
		if x.Op == "!" {
			return x.X
		}
	}
	return &ir.Unary{Op: "!", X: c}
}

// and joins conditions with &&; or joins them with ||.
func and(cs []ir.Expr) ir.Expr { return join("&&", cs) }
func or(cs []ir.Expr) ir.Expr  { return join("||", cs) }

func join(op string, cs []ir.Expr) ir.Expr {
	var out ir.Expr
	for _, c := range cs {
		if out == nil {
			out = c
		} else {
			out = &ir.Binary{Op: op, X: out, Y: c}
		}
	}
	return out
}

// zeroWhere is the condition under which a gradient with conditions cs is
// 0: one of them fails.
func zeroWhere(cs []ir.Expr) ir.Expr {
	if len(cs) == 0 {
		return nil
	}
	neg := make([]ir.Expr, len(cs))
	for i, c := range cs {
		neg[i] = negate(c)
	}
	return or(neg)
}
