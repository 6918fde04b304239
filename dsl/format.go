package dsl

// This file is the formatter behind `lossgen fmt`: it prints a parsed spec
// in one canonical layout, keeping its comments.
//
// The layout:
//
//   - `loss NAME {`, one declaration per line indented by four spaces, in
//     their original order, and `}`; where the source has one or more blank
//     lines between two lines, the output has exactly one (none directly
//     after `{` or before `}`).
//   - Declarations: `param NAME = VALUE`, `input NAME[S1, S2] int grad`,
//     `size U, V`, `use NAME` / `use "path.loss" as NAME`,
//     `NAME[i, u in U] = EXPR`, `update NAME[c, k] = EXPR`. A declaration is
//     printed on one line, however many it took in the source.
//   - The `=` of consecutive definitions (a run not broken by a blank line or
//     by another kind of declaration; comment lines do not break it) is
//     aligned, as in the shipped specs.
//   - Expressions: one space around + - * / == != < <= > >= && || and `in`,
//     none around ^, none after a unary - or ! (but `- -x`), `, ` between
//     arguments and subscripts, `f(i, k | filter: body, name: value)`.
//     Parentheses are the minimal ones that give the same parse: source
//     parentheses are dropped and added back only where precedence or
//     associativity needs them, so `(a * b) + c` becomes `a * b + c` and
//     `a - (b - c)` stays.
//   - Comments: a comment on its own line stays on its own line, at the
//     indentation of the declaration below it (or of `}`); a comment at the
//     end of a line stays at the end of that line, and those of consecutive
//     lines are aligned one space after the longest line. A comment inside a
//     declaration that spans several lines moves to the line above it. The
//     lines before `loss` (the doc comment) and after `}` keep their place.
//
// Numbers, names, strings and comment texts are printed as written.

import (
	"strings"
)

// Format parses src and returns it in the canonical layout. A spec with
// syntax errors is not formatted: the error is the parser's ErrorList.
func Format(filename string, src []byte) ([]byte, error) {
	f, err := Parse(filename, src)
	if err != nil {
		return nil, err
	}
	toks, err := fmtTokens(filename, src)
	if err != nil {
		return nil, err
	}
	return []byte(formatFile(f, toks)), nil
}

// fmtToken is one token of the source, comments included.
type fmtToken struct {
	comment bool
	text    string
	off     int
	line    int
}

func fmtTokens(filename string, src []byte) ([]fmtToken, error) {
	lx, err := specLexer.LexString(filename, string(src))
	if err != nil {
		return nil, err
	}
	comment := specLexer.Symbols()["Comment"]
	ws := specLexer.Symbols()["Whitespace"]
	var out []fmtToken
	for {
		tok, err := lx.Next()
		if err != nil {
			return nil, err
		}
		if tok.EOF() {
			return out, nil
		}
		if tok.Type == ws {
			continue
		}
		text := tok.Value
		if tok.Type == comment {
			text = strings.TrimRight(text, " \t\r")
		}
		out = append(out, fmtToken{comment: tok.Type == comment, text: text, off: tok.Pos.Offset, line: tok.Pos.Line})
	}
}

// fmtUnit is a piece of code printed on one line: the header
// `loss NAME {`, a declaration, or the closing `}`.
type fmtUnit struct {
	start          int        // offset of its first code token
	first, last    int        // lines of its first and last code tokens
	lastOff        int        // offset of its last code token
	inside         []fmtToken // comments between its tokens
	before         []fmtToken // comment lines above it
	trailing       string
	lhs, rhs, text string // a definition is lhs + " = " + rhs; anything else is text
	def            bool
}

// fmtLine is one output line of the body.
type fmtLine struct {
	blank    bool // preceded by a blank line
	comment  string
	unit     *fmtUnit
	trailing string
}

func formatFile(f *File, toks []fmtToken) string {
	// The units, in order of their first token.
	var units []*fmtUnit
	codeStart := -1
	for _, t := range toks {
		if !t.comment {
			codeStart = t.off
			break
		}
	}
	header := &fmtUnit{start: codeStart, text: "loss " + f.Name + " {"}
	units = append(units, header)
	for _, d := range f.Decls {
		u := &fmtUnit{start: d.Pos.Offset}
		u.lhs, u.rhs, u.text, u.def = printDecl(d)
		units = append(units, u)
	}
	closing := &fmtUnit{start: f.Close.Pos.Offset, text: "}"}
	units = append(units, closing)

	// Code tokens: each belongs to the last unit starting at or before it.
	ui := 0
	var post []fmtToken // comments after the closing brace, on lines of their own
	for _, t := range toks {
		if t.comment {
			continue
		}
		for ui+1 < len(units) && units[ui+1].start <= t.off {
			ui++
		}
		u := units[ui]
		if u.first == 0 {
			u.first = t.line
		}
		u.last, u.lastOff = t.line, t.off
	}
	// Comments: inside a unit, trailing the unit before, or above the next.
	var pre []fmtToken // comments before `loss`
	for _, t := range toks {
		if !t.comment {
			continue
		}
		if t.off < codeStart {
			pre = append(pre, t)
			continue
		}
		prev := -1 // the last unit starting before the comment
		for i, u := range units {
			if u.start < t.off {
				prev = i
			}
		}
		u := units[prev]
		switch {
		case t.off < u.lastOff && u == header:
			// Between `loss` and `{`: the first comment lines of the body.
			units[1].before = append(units[1].before, t)
		case t.off < u.lastOff:
			u.inside = append(u.inside, t)
		case t.line == u.last && u.trailing == "":
			u.trailing = t.text
		case u == closing:
			post = append(post, t)
		default:
			units[prev+1].before = append(units[prev+1].before, t)
		}
	}

	var b strings.Builder
	// The comments above `loss`.
	lastLine := 0
	for i, t := range pre {
		if i > 0 && t.line > lastLine+1 {
			b.WriteString("\n")
		}
		b.WriteString(t.text + "\n")
		lastLine = t.line
	}
	if len(pre) > 0 && header.first > lastLine+1 {
		b.WriteString("\n")
	}
	b.WriteString(header.text)
	if header.trailing != "" {
		b.WriteString(" " + header.trailing)
	}
	b.WriteString("\n")

	// The body, with the comments above `}`.
	var lines []fmtLine
	lastLine = header.last
	for _, u := range units[1:] {
		for _, t := range u.before {
			lines = append(lines, fmtLine{blank: t.line > lastLine+1, comment: t.text})
			lastLine = t.line
		}
		if u == closing {
			break
		}
		blank := u.first > lastLine+1
		for _, t := range u.inside {
			lines = append(lines, fmtLine{blank: blank, comment: t.text})
			blank = false
		}
		lines = append(lines, fmtLine{blank: blank, unit: u, trailing: u.trailing})
		lastLine = u.last
	}
	if len(lines) > 0 {
		lines[0].blank = false
	}
	b.WriteString(renderBody(lines))

	b.WriteString("}")
	if closing.trailing != "" {
		b.WriteString(" " + closing.trailing)
	}
	b.WriteString("\n")
	lastLine = closing.last
	for _, t := range post {
		if t.line > lastLine+1 {
			b.WriteString("\n")
		}
		b.WriteString(t.text + "\n")
		lastLine = t.line
	}
	return b.String()
}

// renderBody prints the lines of the body, aligning the `=` of runs of
// definitions and the trailing comments of runs of commented lines.
func renderBody(lines []fmtLine) string {
	const indent = "    "
	code := make([]string, len(lines))
	// Runs of definitions: broken by blank lines and other declarations.
	for i := 0; i < len(lines); {
		if lines[i].unit == nil || !lines[i].unit.def {
			if u := lines[i].unit; u != nil {
				code[i] = u.text
			}
			i++
			continue
		}
		j, width := i, 0
		for ; j < len(lines); j++ {
			l := lines[j]
			if j > i && l.blank {
				break
			}
			if l.unit == nil {
				continue
			}
			if !l.unit.def {
				break
			}
			width = max(width, len(l.unit.lhs))
		}
		for k := i; k < j; k++ {
			if u := lines[k].unit; u != nil {
				code[k] = u.lhs + strings.Repeat(" ", width-len(u.lhs)) + " = " + u.rhs
			}
		}
		i = j
	}
	// Runs of lines with trailing comments.
	col := make([]int, len(lines))
	for i := 0; i < len(lines); {
		if lines[i].trailing == "" {
			i++
			continue
		}
		j, width := i, 0
		for ; j < len(lines) && lines[j].trailing != "" && (j == i || !lines[j].blank); j++ {
			width = max(width, len(code[j]))
		}
		for k := i; k < j; k++ {
			col[k] = width + 1
		}
		i = j
	}
	var b strings.Builder
	for i, l := range lines {
		if l.blank {
			b.WriteString("\n")
		}
		b.WriteString(indent)
		if l.unit == nil {
			b.WriteString(l.comment + "\n")
			continue
		}
		b.WriteString(code[i])
		if l.trailing != "" {
			b.WriteString(strings.Repeat(" ", col[i]-len(code[i])) + l.trailing)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// printDecl prints a declaration: a definition as its two sides, anything
// else as one text.
func printDecl(d *Decl) (lhs, rhs, text string, def bool) {
	switch {
	case d.Param != nil:
		v := d.Param.Value
		if d.Param.Neg {
			v = "-" + v
		}
		return "", "", "param " + d.Param.Name.Name + " = " + v, false
	case d.Input != nil:
		s := "input " + d.Input.Name.Name
		if len(d.Input.Shape) > 0 {
			var dims []string
			for _, id := range d.Input.Shape {
				dims = append(dims, id.Name)
			}
			s += "[" + strings.Join(dims, ", ") + "]"
		}
		if d.Input.Kind != nil {
			s += " " + d.Input.Kind.Value
		}
		if d.Input.Grad != nil {
			s += " " + d.Input.Grad.Value
		}
		return "", "", s, false
	case d.Size != nil:
		var names []string
		for _, id := range d.Size.Names {
			names = append(names, id.Name)
		}
		return "", "", "size " + strings.Join(names, ", "), false
	case d.Use != nil:
		s := "use "
		if d.Use.Name != nil {
			s += d.Use.Name.Name
		} else {
			s += d.Use.Path.Value
		}
		if d.Use.As != nil {
			s += " as " + d.Use.As.Name
		}
		return "", "", s, false
	case d.Update != nil:
		return "", "", "update " + d.Update.Target.Name + printBinders(d.Update.Index) + " = " + printExpr(d.Update.Body), false
	case d.Def != nil:
		return d.Def.Name.Name + printBinders(d.Def.Index), printExpr(d.Def.Body), "", true
	}
	return "", "", "", false
}

func printBinders(bs []*Binder) string {
	if len(bs) == 0 {
		return ""
	}
	var parts []string
	for _, b := range bs {
		s := b.Name.Name
		if b.Range != nil {
			s += " in " + b.Range.Name
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Precedence levels of the expression grammar, loosest first. An operand
// printed at a lower level than its position requires gets parentheses.
const (
	levOr = iota + 1
	levAnd
	levCmp
	levAdd
	levMul
	levUnary
	levPow
	levPrimary
)

// printExpr prints an expression with the minimal parentheses.
func printExpr(e *OrExpr) string {
	s, _ := fmtOr(e)
	return s
}

// atLeast parenthesises s unless its level is at least min.
func atLeast(s string, lev, min int) string {
	if lev < min {
		return "(" + s + ")"
	}
	return s
}

// The binary levels are left associative: the left operand may be at the
// level itself, the right operands must bind tighter.

func fmtOr(e *OrExpr) (string, int) {
	s, lev := fmtAnd(e.Left)
	if len(e.Right) == 0 {
		return s, lev
	}
	s = atLeast(s, lev, levOr)
	for _, t := range e.Right {
		x, l := fmtAnd(t.X)
		s += " " + t.Op + " " + atLeast(x, l, levAnd)
	}
	return s, levOr
}

func fmtAnd(e *AndExpr) (string, int) {
	s, lev := fmtCmp(e.Left)
	if len(e.Right) == 0 {
		return s, lev
	}
	s = atLeast(s, lev, levAnd)
	for _, t := range e.Right {
		x, l := fmtCmp(t.X)
		s += " " + t.Op + " " + atLeast(x, l, levCmp)
	}
	return s, levAnd
}

// fmtCmp: comparisons do not associate, so both operands bind tighter.
func fmtCmp(e *CmpExpr) (string, int) {
	s, lev := fmtAdd(e.Left)
	if e.Right == nil {
		return s, lev
	}
	x, l := fmtAdd(e.Right.X)
	return atLeast(s, lev, levAdd) + " " + e.Right.Op + " " + atLeast(x, l, levAdd), levCmp
}

func fmtAdd(e *AddExpr) (string, int) {
	s, lev := fmtMul(e.Left)
	if len(e.Right) == 0 {
		return s, lev
	}
	s = atLeast(s, lev, levAdd)
	for _, t := range e.Right {
		x, l := fmtMul(t.X)
		s += " " + t.Op + " " + atLeast(x, l, levMul)
	}
	return s, levAdd
}

func fmtMul(e *MulExpr) (string, int) {
	s, lev := fmtUnary(e.Left)
	if len(e.Right) == 0 {
		return s, lev
	}
	s = atLeast(s, lev, levMul)
	for _, t := range e.Right {
		x, l := fmtUnary(t.X)
		s += " " + t.Op + " " + atLeast(x, l, levUnary)
	}
	return s, levMul
}

func fmtUnary(e *UnaryExpr) (string, int) {
	if e.Op == "" {
		return fmtPow(e.Pow)
	}
	x, l := fmtUnary(e.X)
	x = atLeast(x, l, levUnary)
	if e.Op == "-" && strings.HasPrefix(x, "-") {
		x = " " + x // - -x, not --x
	}
	return e.Op + x, levUnary
}

// fmtPow: the base is a primary, the exponent a (possibly signed) power,
// right associative.
func fmtPow(e *PowExpr) (string, int) {
	s, lev := fmtPrimary(e.Base)
	if e.Exp == nil {
		return s, lev
	}
	x, l := fmtUnary(e.Exp)
	return atLeast(s, lev, levPrimary) + "^" + atLeast(x, l, levUnary), levPow
}

// fmtPrimary drops the source's parentheses: the caller adds them back
// where the level of the inner expression needs them.
func fmtPrimary(e *Primary) (string, int) {
	switch {
	case e.Number != nil:
		return *e.Number, levPrimary
	case e.Paren != nil:
		return fmtOr(e.Paren)
	case e.Name != nil:
		return fmtName(e.Name), levPrimary
	}
	return "", levPrimary
}

func fmtName(e *NameExpr) string {
	s := e.Name.Name
	switch {
	case e.Index != nil:
		var items []string
		for _, x := range e.Index.Items {
			items = append(items, printExpr(x))
		}
		return s + "[" + strings.Join(items, ", ") + "]"
	case e.Call != nil:
		c := e.Call
		var args []string
		for _, a := range c.Args {
			x := printExpr(a.X)
			if a.Range != nil {
				x += " in " + a.Range.Name
			}
			args = append(args, x)
		}
		s += "(" + strings.Join(args, ", ")
		if c.Bar != nil {
			if len(args) > 0 {
				s += " "
			}
			s += "| " + printExpr(c.Filter)
		}
		if c.Colon != nil {
			s += ": " + printExpr(c.Body)
			for _, m := range c.More {
				s += ", " + m.Name.Name + ": " + printExpr(m.Value)
			}
		}
		return s + ")"
	}
	return s
}
