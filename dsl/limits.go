package dsl

// This file holds the limits that keep every stage of lossgen fast and its
// stack small, whatever the spec: the parser, the checker and the later
// stages all recurse over expressions, and differentiation makes a
// definition's gradient code grow with the square of its size. A spec past
// a limit gets a diagnostic at the offending token, never a crash (a Go
// stack overflow cannot be recovered) or a compile that runs for minutes.

import (
	"fmt"

	"github.com/alecthomas/participle/v2/lexer"
)

// MaxNesting bounds how deeply an expression may nest: parentheses,
// brackets, call and reduction arguments, and chains of signs (- - x) and
// powers (a^b^c), which each open a level of the grammar.
const MaxNesting = 100

// MaxDefSize bounds the number of operations (names, numbers, operators,
// calls) in the body of one definition or update rule.
const MaxDefSize = 256

var (
	tokOp     = specLexer.Symbols()["Op"]
	tokIgnore = map[lexer.TokenType]bool{specLexer.Symbols()["Comment"]: true, specLexer.Symbols()["Whitespace"]: true}
)

// checkNesting scans the tokens of src and reports the first one that
// nests deeper than MaxNesting, before the recursive parser meets it. It
// over-approximates the parser's depth by a constant factor at most, and
// says nothing about lexical errors, which the parser reports.
func checkNesting(filename string, src []byte) error {
	lx, err := specLexer.LexString(filename, string(src))
	if err != nil {
		return nil
	}
	// One entry per open bracket: the signs and powers pending at that
	// level, which stay open until a binary operator or separator ends them.
	pending := []int{0}
	depth := 0       // len(pending)-1 + the sum of pending
	operand := false // the previous token ends an operand, so - is binary
	for {
		tok, err := lx.Next()
		if err != nil || tok.EOF() {
			return nil
		}
		if tokIgnore[tok.Type] {
			continue
		}
		top := len(pending) - 1
		deeper := false
		if tok.Type != tokOp {
			operand = true
			continue
		}
		switch tok.Value {
		case "(", "[":
			pending = append(pending, 0)
			depth++
			deeper = true
			operand = false
		case ")", "]":
			if top > 0 {
				depth -= 1 + pending[top]
				pending = pending[:top]
			}
			operand = true
		case "-", "!", "^":
			if tok.Value == "-" && operand {
				depth -= pending[top] // binary minus ends the pending signs and powers
				pending[top] = 0
			} else {
				pending[top]++
				depth++
				deeper = true
			}
			operand = false
		default: // binary operators and separators
			depth -= pending[top]
			pending[top] = 0
			operand = false
		}
		if deeper && depth > MaxNesting {
			var list ErrorList
			list.Add(filename, src, posOf(tok.Pos), fmt.Sprintf("expression nested too deeply: more than %d levels of parentheses, brackets, signs and powers", MaxNesting))
			return list.Err()
		}
	}
}

// checkDefSize reports a definition or update rule whose body has more
// than MaxDefSize operations, at its name.
func (c *checker) checkDefSize(what string, pos Pos, body Expr) {
	n := 0
	Walk(body, func(Expr) { n++ })
	if n > MaxDefSize {
		c.errorf(pos, "%s is too large: %d operations, at most %d; split it into smaller definitions", what, n, MaxDefSize)
	}
}
