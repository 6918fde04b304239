package dsl

// This file finds the bracket a syntax error really comes from. Newlines are
// insignificant, so a missing ")" is only noticed at the first token that
// cannot continue the expression, usually the next declaration:
//
//	d = sum(i: (x[i] + 1)      <- the ( of sum is never closed
//	loss = d                   <- the parser stops here
//
// Reporting "unexpected loss" on the second line sends the author to the
// wrong place, so a syntax error that begins a later line than an unclosed
// bracket is reported at that bracket instead.

import (
	"fmt"

	"github.com/alecthomas/participle/v2/lexer"
)

var closerOf = map[string]string{"(": ")", "[": "]", "{": "}"}

// blamable are the brackets an error may be moved to. The spec's own "{"
// is not: when its "}" is missing the parser already stops at the end of
// the file, which is where the "}" belongs.
var blamable = map[string]bool{"(": true, "[": true}

// unclosedBracket returns the bracket to blame for a syntax error at the
// token at offset errAt: the innermost bracket still open there that no
// token of the file closes. It blames one only when the error token is the
// first token of a later line than the bracket (or the end of the file):
// an error on the bracket's own line, or in the middle of a continued
// line, is a different mistake and keeps the parser's message.
func unclosedBracket(filename string, src []byte, errAt int) (open lexer.Token, next lexer.Token, ok bool) {
	lx, err := specLexer.LexString(filename, string(src))
	if err != nil {
		return lexer.Token{}, lexer.Token{}, false
	}
	var toks []lexer.Token
	for {
		tok, err := lx.Next()
		if err != nil {
			return lexer.Token{}, lexer.Token{}, false
		}
		if tokIgnore[tok.Type] {
			continue
		}
		toks = append(toks, tok)
		if tok.EOF() {
			break
		}
	}
	// A bracket is unclosed when a closer of another kind, or the end of
	// the file, arrives while it is the innermost open one.
	var stack []int
	unclosed := map[int]bool{}
	for k, tok := range toks {
		switch {
		case tok.EOF():
			for _, o := range stack {
				unclosed[o] = true
			}
		case tok.Type != tokOp:
		case closerOf[tok.Value] != "":
			stack = append(stack, k)
		case tok.Value == ")" || tok.Value == "]" || tok.Value == "}":
			for len(stack) > 0 && closerOf[toks[stack[len(stack)-1]].Value] != tok.Value {
				unclosed[stack[len(stack)-1]] = true
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	// The error token, and the brackets open just before it.
	at := -1
	stack = stack[:0]
	for k, tok := range toks {
		if tok.Pos.Offset >= errAt || tok.EOF() {
			at = k
			break
		}
		if tok.Type != tokOp {
			continue
		}
		if closerOf[tok.Value] != "" {
			stack = append(stack, k)
		} else if len(stack) > 0 && closerOf[toks[stack[len(stack)-1]].Value] == tok.Value {
			stack = stack[:len(stack)-1]
		}
	}
	if at <= 0 {
		return lexer.Token{}, lexer.Token{}, false
	}
	errTok := toks[at]
	startsLine := errTok.EOF() || errTok.Pos.Line > toks[at-1].Pos.Line
	for k := len(stack) - 1; k >= 0; k-- {
		o := toks[stack[k]]
		if unclosed[stack[k]] && blamable[o.Value] && startsLine && (errTok.EOF() || errTok.Pos.Line > o.Pos.Line) {
			return o, errTok, true
		}
	}
	return lexer.Token{}, lexer.Token{}, false
}

// unclosedMessage describes an unclosed bracket and where the parser gave up.
func unclosedMessage(open, next lexer.Token) string {
	what := fmt.Sprintf("%q at %d:%d", next.Value, next.Pos.Line, next.Pos.Column)
	if next.EOF() {
		what = "the end of the file"
	}
	return fmt.Sprintf("unclosed %q: no %q closes it before %s", open.Value, closerOf[open.Value], what)
}
