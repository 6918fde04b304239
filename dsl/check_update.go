package dsl

// This file checks update rules: `update centers[c, k] = body` gives the
// next value of a real input, elementwise over its shape. The left-hand
// index variables take their ranges from the target's shape, and every use
// in the body must agree. The body is a real expression over inputs,
// params, sizes and the definitions declared before the rule; it is not
// part of the loss and is never differentiated.

// updateEntry records the rule of one input: explicit rules (written in
// this spec) replace the rules carried over from calls of used specs.
type updateEntry struct {
	u        *Update
	explicit bool
}

// addUpdate records u, replacing an inherited rule of the same input in
// place.
func (c *checker) addUpdate(u *Update, explicit bool) {
	if prev := c.updates[u.Target]; prev != nil {
		for i, have := range c.prog.Updates {
			if have == prev.u {
				c.prog.Updates[i] = u
			}
		}
	} else {
		c.prog.Updates = append(c.prog.Updates, u)
	}
	c.updates[u.Target] = &updateEntry{u: u, explicit: explicit}
}

func (c *checker) update(d *UpdateDecl) {
	if d.Target == nil || d.Body == nil {
		return
	}
	name, pos := d.Target.Name, posOf(d.Target.Pos)
	sym, ok := c.globals[name]
	if !ok {
		c.unknownName(name, pos)
		return
	}
	if sym.kind != symInput || sym.input.Int {
		what := sym.describe()
		if sym.kind == symInput {
			what = "an integer input"
		}
		c.errorf(pos, "update target must be a real input, but %s is %s", name, what)
		return
	}
	in := sym.input
	if prev := c.updates[in]; prev != nil && prev.explicit {
		c.errorf(pos, "%s is already updated at %d:%d: at most one update per input", name, prev.u.Pos.Line, prev.u.Pos.Column)
		return
	}
	if len(d.Index) != len(in.Shape) {
		c.errorf(pos, "update of %s needs %s, one per dimension of %s, got %d", name, plural(len(in.Shape), "index variable"), describeInput(in), len(d.Index))
		return
	}
	u := &Update{Target: in, Pos: pos}
	scope := map[string]*IndexVar{}
	ok = true
	for k, b := range d.Index {
		if b == nil || b.Name == nil {
			return
		}
		id := b.Name
		ipos := posOf(id.Pos)
		if prev, dup := scope[id.Name]; dup {
			c.errorf(ipos, "index %s appears twice on the left of the update of %s (first at %d:%d)", id.Name, name, prev.Pos.Line, prev.Pos.Column)
			ok = false
			continue
		}
		if sym, isSym := c.globals[id.Name]; isSym {
			c.errorf(ipos, "index %s shadows %s %s (declared at %d:%d)", id.Name, sym.describe(), id.Name, sym.pos.Line, sym.pos.Column)
			ok = false
		}
		v := &IndexVar{Name: id.Name, Range: in.Shape[k], Pos: ipos}
		c.rangeAt[v] = ipos
		if b.Range != nil {
			// A stated range must be the target's dimension.
			if s := c.rangeSize(b.Range); s != nil && s != in.Shape[k] {
				c.errorf(posOf(b.Range.Pos), "index %s is declared in %s but ranges over dimension %d of %s, %s", id.Name, s.Name, k+1, describeInput(in), in.Shape[k].Name)
				ok = false
			} else if s == nil {
				ok = false
			} else {
				c.rangeAt[v] = posOf(b.Range.Pos)
			}
			c.explicit[v] = true
		}
		scope[id.Name] = v
		u.Index = append(u.Index, v)
	}
	c.scopes = append(c.scopes, scope)
	u.Body = c.asReal(c.orExpr(d.Body))
	c.scopes = c.scopes[:len(c.scopes)-1]
	if !ok || u.Body == nil {
		return
	}
	c.checkDefSize("the update of "+d.Target.Name, posOf(d.Target.Pos), u.Body)
	c.addUpdate(u, true)
}
