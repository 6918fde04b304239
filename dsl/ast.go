package dsl

// This file holds the syntax tree: participle grammar structs, one per
// production. The tree is deliberately untyped and close to the text; Check
// turns it into the Program types of program.go, which are all that later
// stages see.
//
// Every node records Pos (its first token) and EndPos (the token after it),
// so diagnostics can point at a node and quote its source text.

import "github.com/alecthomas/participle/v2/lexer"

// File is a whole spec: `parser:"loss NAME { decl* }"`.
type File struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  string  `parser:"\"loss\" @Ident \"{\""`
	Decls []*Decl `parser:"@@*"`
	Close *Token  `parser:"@@"`
}

// Token captures a single punctuation token only to remember where it is
// (the closing brace of the spec, where "missing result" is reported).
type Token struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Value string `parser:"@\"}\""`
}

// Decl is one declaration inside the spec body.
type Decl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Param  *ParamDecl  `parser:"  @@"`
	Input  *InputDecl  `parser:"| @@"`
	Size   *SizeDecl   `parser:"| @@"`
	Use    *UseDecl    `parser:"| @@"`
	Update *UpdateDecl `parser:"| @@"`
	Def    *DefDecl    `parser:"| @@"`
}

// SizeDecl is `parser:"size U [, V ...]"`: size symbols bound at run time
// like those of input shapes, for index ranges that no subscript gives
// (an identity u met only in comparisons such as labels[j] == u).
type SizeDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Names []*Ident `parser:"\"size\" @@ ( \",\" @@ )*"`
}

// Binder binds an index variable on the left of a definition or update
// rule: `parser:"i"`, or `parser:"u in U"` with an explicit range.
type Binder struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident `parser:"@@"`
	Range *Ident `parser:"( \"in\" @@ )?"`
}

// UseDecl is `parser:"use NAME"` or `parser:"use \"path.loss\" [as NAME]"`:
// it loads another spec so that definitions can call it (check_use.go).
type UseDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name *Ident  `parser:"\"use\" ( @@"`
	Path *String `parser:"      | @@ )"`
	As   *Ident  `parser:"( \"as\" @@ )?"`
}

// String is a positioned string literal; Value keeps its quotes.
type String struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Value string `parser:"@String"`
}

// UpdateDecl is `parser:"update NAME[i, j] = expr"`: a rule computing the
// next value of an input (check_update.go).
type UpdateDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Target *Ident    `parser:"\"update\" @@"`
	Index  []*Binder `parser:"( \"[\" @@ ( \",\" @@ )* \"]\" )? \"=\""`
	Body   *OrExpr   `parser:"@@"`
}

// ParamDecl is `parser:"param NAME = [-]NUMBER"`.
type ParamDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident `parser:"\"param\" @@ \"=\""`
	Neg   bool   `parser:"@\"-\"?"`
	Value string `parser:"@Number"`
}

// InputDecl is `parser:"input NAME[S1, S2, ...] [int|real] [grad|nograd]"`.
type InputDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident     `parser:"\"input\" @@"`
	Shape []*Ident   `parser:"( \"[\" @@ ( \",\" @@ )* \"]\" )?"`
	Kind  *Qualifier `parser:"@@?"`
	Grad  *GradFlag  `parser:"@@?"`
}

// Qualifier is the element type keyword of an input.
//
// Newlines are insignificant, so in
//
//	input x[N]
//	real = sum(i: x[i])
//
// the keyword could open the next declaration as well as close the input.
// A keyword followed by "=" or "[" names a definition (an annotation is
// never followed by either), so the negative lookahead leaves it to DefDecl.
type Qualifier struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Value string `parser:"(?! (\"int\" | \"real\") (\"=\" | \"[\")) @(\"int\" | \"real\")"`
}

// GradFlag is the differentiability keyword of an input; like Qualifier, it
// is a definition's name when "=" or "[" follows it.
type GradFlag struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Value string `parser:"(?! (\"grad\" | \"nograd\") (\"=\" | \"[\")) @(\"grad\" | \"nograd\")"`
}

// DefDecl is `parser:"NAME[i, j] = expr"`.
type DefDecl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident    `parser:"@@"`
	Index []*Binder `parser:"( \"[\" @@ ( \",\" @@ )* \"]\" )? \"=\""`
	Body  *OrExpr   `parser:"@@"`
}

// Ident is a positioned identifier.
type Ident struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name string `parser:"@Ident"`
}

// OrExpr is the lowest precedence level: a || b || c.
type OrExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Left  *AndExpr  `parser:"@@"`
	Right []*OrTail `parser:"@@*"`
}

// OrTail is one `parser:"|| operand"` continuation.
type OrTail struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Op string   `parser:"@\"||\""`
	X  *AndExpr `parser:"@@"`
}

// AndExpr is a && b && c.
type AndExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Left  *CmpExpr   `parser:"@@"`
	Right []*AndTail `parser:"@@*"`
}

// AndTail is one `parser:"&& operand"` continuation.
type AndTail struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Op string   `parser:"@\"&&\""`
	X  *CmpExpr `parser:"@@"`
}

// CmpExpr is at most one comparison: comparisons do not associate, so
// `parser:"a < b < c"` is a syntax error rather than a surprise.
type CmpExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Left  *AddExpr `parser:"@@"`
	Right *CmpTail `parser:"@@?"`
}

// CmpTail is the `parser:"op operand"` of a comparison.
type CmpTail struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Op string   `parser:"@(\"==\" | \"!=\" | \"<=\" | \">=\" | \"<\" | \">\")"`
	X  *AddExpr `parser:"@@"`
}

// AddExpr is a sequence of + and -, left associative.
type AddExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Left  *MulExpr   `parser:"@@"`
	Right []*AddTail `parser:"@@*"`
}

// AddTail is one `parser:"+ operand"` or `parser:"- operand"` continuation.
type AddTail struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Op string   `parser:"@(\"+\" | \"-\")"`
	X  *MulExpr `parser:"@@"`
}

// MulExpr is a sequence of * and /, left associative.
type MulExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Left  *UnaryExpr `parser:"@@"`
	Right []*MulTail `parser:"@@*"`
}

// MulTail is one `parser:"* operand"` or `parser:"/ operand"` continuation.
type MulTail struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Op string     `parser:"@(\"*\" | \"/\")"`
	X  *UnaryExpr `parser:"@@"`
}

// UnaryExpr is -x, !x or a power. The power binds tighter, so -x^2 is
// -(x^2) as in mathematics.
type UnaryExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Op  string     `parser:"(  @(\"-\" | \"!\")"`
	X   *UnaryExpr `parser:"   @@ )"`
	Pow *PowExpr   `parser:"| @@"`
}

// PowExpr is base ^ exponent, right associative (a^b^c = a^(b^c)); the
// exponent may carry a sign (x^-1).
type PowExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Base *Primary   `parser:"@@"`
	Exp  *UnaryExpr `parser:"( \"^\" @@ )?"`
}

// Primary is a literal, a parenthesised expression, or a name (possibly a
// call or a subscripted access).
type Primary struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Number *string   `parser:"  @Number"`
	Paren  *OrExpr   `parser:"| \"(\" @@ \")\""`
	Name   *NameExpr `parser:"| @@"`
}

// NameExpr is NAME, NAME[subscripts] or NAME(call arguments). Calls and
// reductions share one production; Check tells them apart, which keeps the
// grammar LL(1) (`max(a, b)` versus `max(j: ...)`).
type NameExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident      `parser:"@@"`
	Call  *CallArgs   `parser:"( @@"`
	Index *Subscripts `parser:"| @@ )?"`
}

// CallArgs is `( args [| filter] [: body {, name: value}] )`. A call of a
// used spec, f(a: x, b: y), parses as the argument a, the body x, and More
// holding b: y; Check tells the two apart by the callee.
type CallArgs struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Open   string      `parser:"@\"(\""`
	Args   []*CallArg  `parser:"( @@ ( \",\" @@ )* )?"`
	Bar    *Bar        `parser:"( @@"`
	Filter *OrExpr     `parser:"  @@ )?"`
	Colon  *Colon      `parser:"( @@"`
	Body   *OrExpr     `parser:"  @@"`
	More   []*NamedArg `parser:"  @@* )? \")\""`
}

// CallArg is one plain argument of a call: an expression, or for a
// reduction binder `parser:"u in U"` with an explicit range (Check rejects a
// range anywhere else).
type CallArg struct {
	Pos    lexer.Position
	EndPos lexer.Position

	X     *OrExpr `parser:"@@"`
	Range *Ident  `parser:"( \"in\" @@ )?"`
}

// NamedArg is one further `parser:", name: value"` argument of a call of a
// used spec.
type NamedArg struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  *Ident  `parser:"\",\" @@ \":\""`
	Value *OrExpr `parser:"@@"`
}

// Subscripts is `[ e1, e2, ... ]`.
type Subscripts struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Open  string    `parser:"@\"[\""`
	Items []*OrExpr `parser:"@@ ( \",\" @@ )* \"]\""`
}

// Bar marks the filter separator `parser:"|"` (kept for its position).
type Bar struct {
	Pos lexer.Position

	Value string `parser:"@\"|\""`
}

// Colon marks the body separator `parser:":"` (kept for its position).
type Colon struct {
	Pos lexer.Position

	Value string `parser:"@\":\""`
}
