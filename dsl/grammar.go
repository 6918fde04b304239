package dsl

// This file builds the lexer and the participle parser. The grammar itself
// lives in the struct tags of ast.go; grammar.ebnf is its rendering, kept in
// sync by TestGrammarEBNF.

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// specLexer tokenises specs. Newlines are insignificant, so declarations are
// separated only by the grammar. Multi-character operators come first in the
// Op alternation so that `<=` is not read as `<` `=`.
var specLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `//[^\n]*`},
	{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
	{Name: "Number", Pattern: `(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "String", Pattern: `"[^"\n]*"`},
	{Name: "Op", Pattern: `\|\||&&|==|!=|<=|>=|[<>+\-*/^!|:,=()\[\]{}]`},
})

var parser = participle.MustBuild[File](
	participle.Lexer(specLexer),
	participle.Elide("Comment", "Whitespace"),
	// The grammar is LL(1): any branch that consumed a token and then
	// failed is the error to report. Allowing more lookahead makes
	// participle backtrack out of half-parsed expressions and blame an
	// earlier, innocent token.
	participle.UseLookahead(0),
)

// GrammarEBNF returns the grammar in participle's EBNF notation.
func GrammarEBNF() string { return parser.String() }

// Parse parses a spec. Errors are an ErrorList with positions and quoted
// source lines.
func Parse(filename string, src []byte) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			// A parser panic is a bug in this package, but a user must
			// still get a diagnostic rather than a crash.
			f = nil
			err = ErrorList{{File: filename, Pos: Pos{Line: 1, Column: 1}, Msg: fmt.Sprintf("internal error while parsing: %v", r)}}
		}
	}()
	if err := checkNesting(filename, src); err != nil {
		return nil, err
	}
	f, perr := parser.ParseBytes(filename, src)
	if perr != nil {
		var list ErrorList
		pos, msg := syntaxPos(perr), syntaxMessage(perr)
		// An operand missing after an operator (`(1 +` then a new line)
		// is the mistake to report even inside an unclosed bracket.
		if _, isSyntax := perr.(*participle.UnexpectedTokenError); isSyntax && !strings.HasSuffix(msg, "(expected expression)") {
			if open, next, ok := unclosedBracket(filename, src, perr.(participle.Error).Position().Offset); ok {
				pos, msg = posOf(open.Pos), unclosedMessage(open, next)
			}
		}
		list.Add(filename, src, pos, msg)
		return nil, list.Err()
	}
	return f, nil
}

// syntaxPos extracts the position of a participle or lexer error.
func syntaxPos(err error) Pos {
	if pe, ok := err.(participle.Error); ok {
		return posOf(pe.Position())
	}
	return Pos{Line: 1, Column: 1}
}

// syntaxMessage rewrites participle's messages into the vocabulary of the
// language: grammar struct names become "expression", "name" and so on, and
// the <EOF> token becomes "end of file".
func syntaxMessage(err error) string {
	if ut, ok := err.(*participle.UnexpectedTokenError); ok {
		what := fmt.Sprintf("%q", ut.Unexpected.Value)
		if ut.Unexpected.EOF() {
			what = "end of file"
		}
		msg := "unexpected " + what
		full := ut.Message()
		if i := strings.Index(full, " (expected "); i >= 0 {
			exp := strings.TrimSuffix(full[i+len(" (expected "):], ")")
			if d := describeExpected(exp); isComparison(ut.Unexpected.Value) && d != "expression" && d != "name" && d != "number" {
				return msg + ": comparisons do not chain (write a < b && b < c)"
			}
			return msg + " (expected " + describeExpected(exp) + ")"
		}
		// No expectation: either the spec does not start with `loss`, or
		// something follows its closing brace.
		if ut.Unexpected.Pos.Offset == 0 || ut.Unexpected.Pos.Line == 0 {
			if ut.Unexpected.EOF() {
				return "empty spec (expected `loss NAME { ... }`)"
			}
			return msg + ` (expected "loss")`
		}
		return msg + " (expected end of file)"
	}
	if le, ok := err.(*lexer.Error); ok {
		return lexerMessage(le.Msg)
	}
	if pe, ok := err.(participle.Error); ok {
		return lexerMessage(pe.Message())
	}
	return err.Error()
}

// lexerMessage turns `invalid input text "#foo..."` into a message naming
// the single offending character.
func lexerMessage(msg string) string {
	msg = strings.TrimPrefix(msg, "lexer: ")
	const prefix = "invalid input text "
	if strings.HasPrefix(msg, prefix) {
		rest := strings.TrimPrefix(msg, prefix)
		if s, err := unquotePrefix(rest); err == nil && s != "" {
			r := []rune(s)
			return fmt.Sprintf("invalid character %q", string(r[0]))
		}
		return "invalid character"
	}
	return msg
}

func unquotePrefix(s string) (string, error) {
	var out string
	_, err := fmt.Sscanf(s, "%q", &out)
	return out, err
}

// describeExpected maps the first element of participle's rendering of the
// expected grammar node to words a spec author knows.
func describeExpected(exp string) string {
	if strings.HasPrefix(exp, "(Ident | String)") {
		return `spec name or "path.loss"`
	}
	first := exp
	if i := strings.IndexByte(first, ' '); i >= 0 {
		first = first[:i]
	}
	switch {
	case strings.HasSuffix(first, "Expr") || first == "Primary" || first == "CallArg":
		return "expression"
	case first == "<ident>" || first == "Ident" || first == "Binder":
		return "name"
	case first == "<number>":
		return "number"
	case first == "Token" || strings.HasPrefix(first, "Decl"):
		return `declaration or "}"`
	}
	return first
}

func isComparison(op string) bool {
	switch op {
	case "==", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}
