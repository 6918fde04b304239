package dsl

// This file infers index ranges, as in Tensor Comprehensions: an index
// variable has no declared range; it takes the size of every dimension it
// subscripts, and all those sizes must be the same symbol.

// useRange records that v subscripts a dimension of size s at pos.
func (c *checker) useRange(v *IndexVar, s *Size, pos Pos) {
	if v == nil || s == nil {
		return
	}
	if v.Range == nil {
		v.Range = s
		c.rangeAt[v] = pos
		return
	}
	if v.Range != s {
		at := c.rangeAt[v]
		c.errorf(pos, "index %s used with range %s here but range %s at %d:%d", v.Name, s.Name, v.Range.Name, at.Line, at.Column)
	}
}

// requireRanges reports the variables whose range no use determined.
func (c *checker) requireRanges(vars []*IndexVar, where string) {
	for _, v := range vars {
		if v.Range == nil {
			c.errorf(v.Pos, "cannot infer the range of index %s: use it as a subscript of an input or definition in %s", v.Name, where)
		}
	}
}
