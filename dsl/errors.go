package dsl

// This file holds diagnostics. Every error a user can get from a spec — a
// syntax error, a type error, a missing definition — is an *Error rendered
// as `file:line:col: message`, followed by the source line and a caret, so an
// author sees where the problem is without counting columns.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// maxErrors bounds the report: after the first few, errors are usually
// consequences of the first ones.
const maxErrors = 10

// Error is one diagnostic.
type Error struct {
	File string
	Pos  Pos
	Msg  string
	Line string // the source line containing Pos, without its newline
}

// Error renders the diagnostic with its source line and a caret under the
// column. Tabs are expanded to 4 spaces in both so the caret lines up.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.Line == 0 {
		if e.File != "" {
			b.WriteString(e.File + ": ")
		}
		b.WriteString(e.Msg)
		return b.String()
	}
	fmt.Fprintf(&b, "%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, e.Msg)
	if e.Line != "" || e.Pos.Column > 0 {
		line := strings.ReplaceAll(e.Line, "\t", "    ")
		caret := caretIndent(e.Line, e.Pos.Column)
		b.WriteString("\n    " + line + "\n    " + strings.Repeat(" ", caret) + "^")
	}
	return b.String()
}

// caretIndent is the display width of the first col-1 characters of line.
func caretIndent(line string, col int) int {
	n := 0
	i := 0
	for _, r := range line {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			n += 4
		} else {
			n++
		}
		i++
	}
	if col-1 > i { // past the end of the line (end of file)
		n += col - 1 - i
	}
	return n
}

// ErrorList is a list of diagnostics. It implements error.
type ErrorList []*Error

// Add appends a diagnostic at pos, quoting the source line from src.
func (l *ErrorList) Add(file string, src []byte, pos Pos, msg string) {
	*l = append(*l, &Error{File: file, Pos: pos, Msg: msg, Line: sourceLine(src, pos)})
}

// Sort orders the list by file, line and column, keeping the order of
// diagnostics at the same position.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Column < b.Pos.Column
	})
}

// Err returns nil for an empty list, and otherwise the sorted list, with
// duplicates (same position and message) removed.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	out := make(ErrorList, len(l))
	copy(out, l)
	out.Sort()
	dedup := out[:1]
	for _, e := range out[1:] {
		last := dedup[len(dedup)-1]
		if e.File == last.File && e.Pos == last.Pos && e.Msg == last.Msg {
			continue
		}
		dedup = append(dedup, e)
	}
	return dedup
}

// Error renders at most maxErrors diagnostics, separated by newlines, then
// "too many errors" if some were left out.
func (l ErrorList) Error() string {
	var parts []string
	for i, e := range l {
		if i == maxErrors {
			parts = append(parts, "too many errors")
			break
		}
		parts = append(parts, e.Error())
	}
	return strings.Join(parts, "\n")
}

// sourceLine returns the line of src containing pos, without the newline.
func sourceLine(src []byte, pos Pos) string {
	if pos.Line <= 0 {
		return ""
	}
	line := 1
	start := 0
	for i := 0; i < len(src) && line < pos.Line; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	if line < pos.Line {
		return ""
	}
	end := start
	for end < len(src) && src[end] != '\n' {
		end++
	}
	return strings.TrimSuffix(string(src[start:end]), "\r")
}

// posOf converts a participle position.
func posOf(p lexer.Position) Pos {
	return Pos{Offset: p.Offset, Line: p.Line, Column: p.Column}
}
