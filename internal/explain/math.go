package explain

import (
	"strings"
	"unicode/utf8"
)

// This file holds a small formula tree, built from the spec (what is
// written) and from the IR (what is computed), and its two printers: plain
// Unicode text and LaTeX. Precedence decides the parentheses, so both
// printers show exactly the grouping of the tree.

type node interface{}

type (
	// numN is a numeric literal as it should print (non-negative).
	numN struct{ text string }
	// nameN is a size, parameter, index variable or local.
	nameN struct {
		name  string
		param bool // a parameter: LaTeX spells Greek names as letters
	}
	// refN reads a tensor element; adj reads the gradient of the loss with
	// respect to it.
	refN struct {
		name string
		idx  []node
		adj  bool
	}
	negN struct{ x node }
	notN struct{ x node }
	// binN is + - * / (as written), a comparison, && or ||.
	binN struct {
		op   string
		x, y node
	}
	// prodN is a flattened product: sign, factors over divisors.
	prodN struct {
		neg      bool
		num, den []node
	}
	powN  struct{ x, p node }
	callN struct {
		fn   string
		args []node
	}
	// redN is a reduction: sum mean max min logsumexp count.
	redN struct {
		op     string
		vars   []string
		filter node
		body   node
	}
	// rawN is source text shown as it is (a call of a used spec).
	rawN struct{ text string }
)

// Precedences, loosest first.
const (
	precOr   = 10
	precAnd  = 20
	precCmp  = 30
	precAdd  = 40
	precNeg  = 45
	precMul  = 50
	precFrac = 60
	precPow  = 70
	precAtom = 80
)

// printer renders nodes as text or as LaTeX.
type printer struct{ latex bool }

// str renders n at top level.
func (p printer) str(n node) string {
	s, _, _ := p.print(n)
	return s
}

func (p printer) paren(s string) string {
	if p.latex {
		return `\left(` + s + `\right)`
	}
	return "(" + s + ")"
}

// operand renders n for a context that needs precedence at least min; a
// result that ends in an unparenthesized reduction is wrapped when the
// context continues after it (open is not allowed).
func (p printer) operand(n node, min int, openOK bool) string {
	s, prec, open := p.print(n)
	if prec < min || (open && !openOK) {
		return p.paren(s)
	}
	return s
}

// print returns the rendering, its precedence, and whether it ends with a
// reduction whose body would swallow anything written after it.
func (p printer) print(n node) (string, int, bool) {
	switch n := n.(type) {
	case *numN:
		return n.text, precAtom, false
	case *nameN:
		return p.name(n.name, n.param), precAtom, false
	case *rawN:
		if p.latex {
			return `\texttt{` + texEscape(n.text) + `}`, precAtom, false
		}
		return n.text, precAtom, false
	case *refN:
		return p.ref(n)
	case *negN:
		x := p.operand(n.x, precMul, true)
		_, _, open := p.print(n.x)
		if p.latex {
			return "-" + x, precNeg, open
		}
		return "−" + x, precNeg, open
	case *notN:
		if p.latex {
			return `\lnot ` + p.operand(n.x, precAtom, true), precNeg, false
		}
		return "¬" + p.operand(n.x, precAtom, true), precNeg, false
	case *binN:
		return p.bin(n)
	case *prodN:
		return p.prod(n)
	case *powN:
		return p.pow(n)
	case *callN:
		return p.call(n)
	case *redN:
		return p.red(n)
	}
	return "?", precAtom, false
}

var greek = map[string]string{
	"alpha": `\alpha`, "beta": `\beta`, "gamma": `\gamma`, "delta": `\delta`,
	"eps": `\varepsilon`, "epsilon": `\varepsilon`, "eta": `\eta`, "theta": `\theta`,
	"kappa": `\kappa`, "lambda": `\lambda`, "mu": `\mu`, "nu": `\nu`, "rho": `\rho`,
	"sigma": `\sigma`, "tau": `\tau`, "phi": `\phi`, "omega": `\omega`,
}

func (p printer) name(s string, param bool) string {
	if !p.latex {
		return s
	}
	if g, ok := greek[s]; ok && param {
		return g
	}
	if utf8.RuneCountInString(s) == 1 {
		return s
	}
	return `\mathit{` + texEscape(s) + `}`
}

func (p printer) ref(n *refN) (string, int, bool) {
	var b strings.Builder
	b.WriteString(p.name(n.name, false))
	if len(n.idx) > 0 {
		parts := make([]string, len(n.idx))
		short := true
		for i, x := range n.idx {
			parts[i] = p.str(x)
			if nm, ok := x.(*nameN); !ok || utf8.RuneCountInString(nm.name) != 1 {
				short = false
			}
		}
		if p.latex {
			sep := ","
			if short {
				sep = ""
			}
			b.WriteString("_{" + strings.Join(parts, sep) + "}")
		} else {
			b.WriteString("[" + strings.Join(parts, ",") + "]")
		}
	}
	if !n.adj {
		return b.String(), precAtom, false
	}
	if p.latex {
		return `\frac{\partial L}{\partial ` + b.String() + `}`, precFrac, false
	}
	return "∂L/∂" + b.String(), precAtom, false
}

var textOps = map[string]string{
	"+": " + ", "-": " − ", "*": "·", "/": " / ",
	"==": " = ", "!=": " ≠ ", "<": " < ", "<=": " ≤ ", ">": " > ", ">=": " ≥ ",
	"&&": " ∧ ", "||": " ∨ ",
}

var texOps = map[string]string{
	"+": " + ", "-": " - ", "*": ` \cdot `,
	"==": " = ", "!=": ` \neq `, "<": " < ", "<=": ` \le `, ">": " > ", ">=": ` \ge `,
	"&&": ` \land `, "||": ` \lor `,
}

func (p printer) binOp(op string) string {
	if p.latex {
		return texOps[op]
	}
	return textOps[op]
}

func (p printer) bin(n *binN) (string, int, bool) {
	switch n.op {
	case "||", "&&":
		prec := precOr
		if n.op == "&&" {
			prec = precAnd
		}
		x := p.operand(n.x, prec, false)
		y, _, open := p.print(n.y)
		if _, yp, _ := p.print(n.y); yp < prec {
			y, open = p.paren(y), false
		}
		return x + p.binOp(n.op) + y, prec, open
	case "==", "!=", "<", "<=", ">", ">=":
		x := p.operand(n.x, precAdd, false)
		y, _, open := p.print(n.y)
		if _, yp, _ := p.print(n.y); yp < precAdd {
			y, open = p.paren(y), false
		}
		return x + p.binOp(n.op) + y, precCmp, open
	case "+", "-":
		x := p.operand(n.x, precAdd, false)
		min := precNeg + 1 // a − (b + c), a + (−b)
		y, yp, open := p.print(n.y)
		if yp < min {
			y, open = p.paren(y), false
		}
		return x + p.binOp(n.op) + y, precAdd, open
	case "*":
		// A leading minus may stay unparenthesized: −a·b.
		prec := precMul
		x := p.factor(n.x, false)
		if _, xp, open := p.print(n.x); xp == precNeg && !open {
			x, prec = p.str(n.x), precNeg
		}
		y := p.factor(n.y, true)
		_, _, open := p.print(n.y)
		if strings.HasPrefix(y, "(") || strings.HasPrefix(y, `\left(`) {
			open = false
		}
		return x + p.binOp("*") + y, prec, open
	case "/":
		if p.latex {
			return `\frac{` + p.str(n.x) + `}{` + p.str(n.y) + `}`, precFrac, false
		}
		x := p.operand(n.x, precMul, false)
		if b, ok := n.x.(*binN); ok && b.op == "*" {
			// a·b / c reads as a·(b / c); write (a·b) / c.
			x = p.paren(p.str(n.x))
		}
		y := p.operand(n.y, precFrac, true)
		return x + " / " + y, precMul, false
	case "^":
		return p.pow(&powN{x: n.x, p: n.y})
	}
	return "?", precAtom, false
}

// factor renders an operand of a product: a quotient is parenthesized in
// text (a·(b / c)), and so is a negation.
func (p printer) factor(n node, last bool) string {
	if b, ok := n.(*binN); ok && b.op == "/" && !p.latex {
		return p.paren(p.str(n))
	}
	return p.operand(n, precMul, last)
}

func (p printer) prod(n *prodN) (string, int, bool) {
	join := func(fs []node) (string, bool) {
		parts := make([]string, len(fs))
		open := false
		for i, f := range fs {
			last := i == len(fs)-1
			min := precFrac
			if p.latex {
				min = precMul + 1
			}
			s, prec, o := p.print(f)
			if prec < min || (o && !last) {
				s, o = p.paren(s), false
			}
			parts[i] = s
			open = o
		}
		sep := "·"
		if p.latex {
			sep = ` \cdot `
		}
		return strings.Join(parts, sep), open
	}
	num := []node{&numN{text: "1"}}
	if len(n.num) > 0 {
		num = n.num
	}
	s, open := join(num)
	prec := precMul
	if len(n.den) > 0 {
		d, _ := join(n.den)
		if p.latex {
			// A gradient factor stays in front of the fraction:
			// ∂L/∂y · \frac{1}{2y}, not a fraction of fractions.
			var adj, rest []node
			for _, f := range n.num {
				if r, ok := f.(*refN); ok && r.adj {
					adj = append(adj, f)
				} else {
					rest = append(rest, f)
				}
			}
			if len(rest) == 0 {
				rest = []node{&numN{text: "1"}}
			}
			r, _ := join(rest)
			s, open, prec = `\frac{`+r+`}{`+d+`}`, false, precFrac
			if len(adj) > 0 {
				a, _ := join(adj)
				s, prec = a+` \cdot `+s, precMul
			}
		} else {
			if open {
				s = p.paren(s)
			}
			if len(n.den) > 1 {
				d = p.paren(d)
			}
			s, open = s+" / "+d, false
		}
	} else if len(num) == 1 {
		_, prec, open = p.print(num[0])
	}
	if n.neg {
		if prec < precMul {
			s = p.paren(s)
		}
		if p.latex {
			return "-" + s, precNeg, open
		}
		return "−" + s, precNeg, open
	}
	return s, prec, open
}

var superscripts = map[string]string{"2": "²", "3": "³"}

func (p printer) pow(n *powN) (string, int, bool) {
	x := p.operand(n.x, precPow+1, false)
	if p.latex {
		if _, prec, _ := p.print(n.x); prec == precFrac {
			x = p.paren(p.str(n.x))
		}
		return x + "^{" + p.str(n.p) + "}", precPow, false
	}
	if num, ok := n.p.(*numN); ok {
		if s, ok := superscripts[num.text]; ok {
			return x + s, precPow, false
		}
	}
	return x + "^" + p.operand(n.p, precAtom, false), precPow, false
}

var texFuncs = map[string]string{
	"exp": `\exp`, "log": `\log`, "cos": `\cos`, "sin": `\sin`, "acos": `\arccos`,
	"max": `\max`, "min": `\min`, "sigmoid": `\sigma`, "tanh": `\tanh`,
	"sign": `\operatorname{sign}`, "clamp": `\operatorname{clamp}`,
}

func (p printer) call(n *callN) (string, int, bool) {
	args := make([]string, len(n.args))
	for i, a := range n.args {
		args[i] = p.str(a)
	}
	switch n.fn {
	case "sqrt":
		if p.latex {
			return `\sqrt{` + args[0] + `}`, precAtom, false
		}
		switch n.args[0].(type) {
		case *refN, *nameN, *numN:
			if r, ok := n.args[0].(*refN); !ok || !r.adj {
				return "√" + args[0], precPow, false
			}
		}
		return "√(" + args[0] + ")", precAtom, false
	case "abs":
		if p.latex {
			return `\left|` + args[0] + `\right|`, precAtom, false
		}
		return "|" + args[0] + "|", precAtom, false
	}
	name := n.fn
	if p.latex {
		if f, ok := texFuncs[n.fn]; ok {
			name = f
		} else {
			name = `\operatorname{` + texEscape(n.fn) + `}`
		}
	}
	sep := ", "
	if p.latex {
		sep = ",\\ "
	}
	return name + p.paren(strings.Join(args, sep)), precAtom, false
}

var textReds = map[string]string{"sum": "Σ", "mean": "mean", "max": "max", "min": "min", "logsumexp": "logsumexp"}
var texReds = map[string]string{"sum": `\sum`, "mean": `\operatorname{mean}`, "max": `\max`, "min": `\min`, "logsumexp": `\operatorname{logsumexp}`}

// subscript renders the variables and filter of a reduction.
func (p printer) subscript(vars []string, filter node) string {
	vs := make([]string, len(vars))
	for i, v := range vars {
		vs[i] = p.name(v, false)
	}
	s := strings.Join(vs, ",")
	if filter != nil {
		if p.latex {
			s += ` \mid ` + p.str(filter)
		} else {
			s += " | " + p.str(filter)
		}
	}
	return s
}

func (p printer) red(n *redN) (string, int, bool) {
	sub := p.subscript(n.vars, n.filter)
	if n.op == "count" {
		if p.latex {
			return `\#\{` + sub + `\}`, precAtom, false
		}
		return "#{" + sub + "}", precAtom, false
	}
	body := p.operand(n.body, precMul, true)
	if p.latex {
		return texReds[n.op] + "_{" + sub + "} " + body, precMul, true
	}
	if len(n.vars) > 1 || n.filter != nil {
		sub = "{" + sub + "}"
	}
	return textReds[n.op] + "_" + sub + " " + body, precMul, true
}

// texEscape escapes LaTeX's special characters in identifiers and text.
func texEscape(s string) string {
	r := strings.NewReplacer(`\`, `\textbackslash{}`, "_", `\_`, "#", `\#`, "%", `\%`, "&", `\&`, "$", `\$`, "{", `\{`, "}", `\}`, "^", `\^{}`, "~", `\~{}`)
	return r.Replace(s)
}
