package dsl

// This file infers index ranges, as in Tensor Comprehensions: an index
// variable takes the size of every dimension it subscripts, and all those
// sizes must be the same symbol. A binder may also state its range,
// `u in U`; its uses must then agree with it. That is the only way to range
// a variable that subscripts nothing (an identity compared with labels,
// `labels[j] == u`).

// useRange records that v subscripts a dimension of size s at pos.
func (c *checker) useRange(v *IndexVar, s *Size, pos Pos) {
	if v == nil || s == nil {
		return
	}
	if v.Range == nil {
		if c.explicit[v] {
			return // its stated range was reported as wrong
		}
		v.Range = s
		c.rangeAt[v] = pos
		return
	}
	if v.Range != s {
		at := c.rangeAt[v]
		if c.explicit[v] {
			c.errorf(pos, "index %s is used with range %s here but is declared in %s at %d:%d", v.Name, s.Name, v.Range.Name, at.Line, at.Column)
			return
		}
		c.errorf(pos, "index %s used with range %s here but range %s at %d:%d", v.Name, s.Name, v.Range.Name, at.Line, at.Column)
	}
}

// explicitRange applies the range written on a binder, `v in S` (id names
// S; nil when there is none). The variable counts as explicit even when S
// is wrong, so that the error is not followed by "cannot infer the range".
func (c *checker) explicitRange(v *IndexVar, id *Ident) {
	if id == nil {
		return
	}
	c.explicit[v] = true
	if s := c.rangeSize(id); s != nil {
		v.Range = s
		c.rangeAt[v] = posOf(id.Pos)
	}
}

// rangeSize resolves the size named after `in`.
func (c *checker) rangeSize(id *Ident) *Size {
	pos := posOf(id.Pos)
	if c.lookupIndex(id.Name) != nil {
		c.errorf(pos, "%s is an index variable, not a size: write `i in SIZE`", id.Name)
		return nil
	}
	sym, ok := c.globals[id.Name]
	if !ok {
		if at, later := c.declared[id.Name]; later && (at.Line > pos.Line || (at.Line == pos.Line && at.Column > pos.Column)) {
			c.errorf(pos, "size %s is used before its declaration at %d:%d", id.Name, at.Line, at.Column)
			return nil
		}
		c.errorf(pos, "unknown size %s: declare it with `size %s` (or use it in an input's shape) before this", id.Name, id.Name)
		return nil
	}
	if sym.kind != symSize {
		c.errorf(pos, "%s is %s, not a size (declared at %d:%d)", id.Name, sym.describe(), sym.pos.Line, sym.pos.Column)
		return nil
	}
	return sym.size
}

// requireRanges reports the variables whose range no use determined.
func (c *checker) requireRanges(vars []*IndexVar, where string) {
	for _, v := range vars {
		if v.Range == nil && !c.explicit[v] {
			c.errorf(v.Pos, "cannot infer the range of index %s: use it as a subscript of an input or definition in %s, or give it one (%s in SIZE)", v.Name, where, v.Name)
		}
	}
}
