package dsl

// This file resolves names. Top-level names (sizes, params, inputs,
// definitions) live in one namespace and come into scope at their
// declaration, so uses must follow definitions; index variables live in a
// stack of scopes pushed by definitions and reductions.

import (
	"fmt"
	"sort"
)

type symKind int

const (
	symSize symKind = iota
	symParam
	symInput
	symDef
	symUse // the local name of a used spec
)

// symbol is a top-level name.
type symbol struct {
	kind  symKind
	size  *Size
	param *Param
	input *Input
	def   *Def
	use   *useSym
	pos   Pos
}

// describe names the kind of symbol with its article, for messages.
func (s *symbol) describe() string {
	switch s.kind {
	case symSize:
		return "a size"
	case symParam:
		return "a param"
	case symInput:
		return "an input"
	case symUse:
		return "a used spec"
	}
	return "a definition"
}

// declare adds a top-level name, reporting a duplicate. It reports whether
// the name was added.
func (c *checker) declare(name string, pos Pos, sym *symbol) bool {
	if prev, ok := c.globals[name]; ok {
		c.errorf(pos, "duplicate name %s: already declared as %s at %d:%d", name, prev.describe(), prev.pos.Line, prev.pos.Column)
		return false
	}
	c.globals[name] = sym
	return true
}

// lookupIndex finds an index variable in the innermost enclosing scope.
func (c *checker) lookupIndex(name string) *IndexVar {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if v, ok := c.scopes[i][name]; ok {
			return v
		}
	}
	return nil
}

// unknownName reports a name that is not in scope, with the most useful
// hint available.
func (c *checker) unknownName(name string, pos Pos) {
	if name == c.defining {
		c.errorf(pos, "%s is used in its own definition", name)
		return
	}
	if at, ok := c.declared[name]; ok && (at.Line > pos.Line || (at.Line == pos.Line && at.Column > pos.Column)) {
		c.errorf(pos, "%s is used before its declaration at %d:%d", name, at.Line, at.Column)
		return
	}
	if _, ok := functions[name]; ok {
		c.errorf(pos, "%s is a function: call it as %s(...)", name, name)
		return
	}
	msg := "unknown name " + name
	if s := suggest(name, c.inScope()); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	c.errorf(pos, "%s", msg)
}

// inScope lists every name a use could refer to here.
func (c *checker) inScope() []string {
	var names []string
	for n := range c.globals {
		names = append(names, n)
	}
	for _, sc := range c.scopes {
		for n := range sc {
			names = append(names, n)
		}
	}
	return names
}

// suggest returns the candidate closest to name within edit distance 2, or
// "". Ties go to the alphabetically first candidate so messages are
// deterministic. A candidate must keep some of the name (distance below
// the longer length), so `k` does not suggest `i`.
func suggest(name string, candidates []string) string {
	sort.Strings(candidates)
	best, bestD := "", 3
	for _, cand := range candidates {
		if cand == name {
			continue
		}
		d := editDistance(name, cand)
		if d < bestD && d < max(len(name), len(cand)) {
			best, bestD = cand, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
