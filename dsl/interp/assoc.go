package interp

// assoc is a small association list. The interpreter looks names up among a
// handful of sizes, index variables, inputs and definitions, millions of
// times per evaluation: a linear scan of a few pointers costs a fraction of
// hashing them, and keeps evaluation order and results exactly as they were.
type assoc[K comparable, V any] struct {
	keys []K
	vals []V
}

// get returns the value of k, or the zero value if k is absent.
func (a *assoc[K, V]) get(k K) V {
	for i := len(a.keys) - 1; i >= 0; i-- {
		if a.keys[i] == k {
			return a.vals[i]
		}
	}
	var zero V
	return zero
}

// set gives k the value v.
func (a *assoc[K, V]) set(k K, v V) {
	for i, x := range a.keys {
		if x == k {
			a.vals[i] = v
			return
		}
	}
	a.keys = append(a.keys, k)
	a.vals = append(a.vals, v)
}
