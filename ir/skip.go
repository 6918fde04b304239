package ir

// SkipIndex matches a reduction filter k != s (or s != k) that excludes one
// element of a row: s is an index within k's range on every call, either
// one of the target's index variables over the same range as k (a softmax
// over the other samples of a batch, j != i) or an integer input read at
// those variables that the kernel validates against k's range because it
// also subscripts a dimension of that size (c != labels[i] next to
// d[i, labels[i]]: a softmax over the classes but the target). The row
// kernels skip that element; ir.Canonicalize and the code generator both
// ask here.
func SkipIndex(filter Expr, k *Var, index []*Var, gathers []Gather) (Expr, bool) {
	b, ok := filter.(*Binary)
	if !ok || b.Op != "!=" {
		return nil, false
	}
	s := b.Y
	if x, ok := b.X.(*VarVal); !ok || x.Var != k {
		if y, ok := b.Y.(*VarVal); !ok || y.Var != k {
			return nil, false
		}
		s = b.X
	}
	switch s := s.(type) {
	case *VarVal:
		return s, s.Var != k && s.Var.Range == k.Range && containsVar(index, s.Var)
	case *Load:
		if !s.Tensor.Int || s.Tensor.Kind != Input {
			return nil, false
		}
		for _, x := range s.Index {
			if v, ok := x.(*VarVal); !ok || !containsVar(index, v.Var) {
				return nil, false
			}
		}
		for _, g := range gathers {
			if g.Index == s.Tensor && g.Range == k.Range {
				return s, true
			}
		}
	}
	return nil, false
}
