package interp

// This file validates the caller's values against the program: every size
// positive, every input present with the right length, labels in range, no
// unknown names. The generated code rejects the same inputs with errors, so
// the oracle must not quietly accept them.

import (
	"fmt"
	"sort"

	"github.com/lossgen/lossgen/dsl"
)

// Values binds a program's sizes, params and inputs. Slices are flat and
// row-major.
type Values struct {
	Dims   map[string]int
	Params map[string]float64
	Reals  map[string][]float64
	Ints   map[string][]int
}

// bound is Values resolved against a program.
type bound struct {
	dims   map[*dsl.Size]int
	params map[*dsl.Param]float64
	reals  map[*dsl.Input][]float64
	ints   map[*dsl.Input][]int
	frozen *frozenState // stopgrad values held fixed, see frozen.go; nil for none
}

func bind(p *dsl.Program, v Values) (*bound, error) {
	if p == nil {
		return nil, fmt.Errorf("interp: nil program")
	}
	b := &bound{
		dims:   map[*dsl.Size]int{},
		params: map[*dsl.Param]float64{},
		reals:  map[*dsl.Input][]float64{},
		ints:   map[*dsl.Input][]int{},
	}
	sizes := map[string]bool{}
	for _, s := range p.Sizes {
		sizes[s.Name] = true
		n, ok := v.Dims[s.Name]
		if !ok {
			return nil, fmt.Errorf("size %s is not given", s.Name)
		}
		if n <= 0 {
			return nil, fmt.Errorf("size %s = %d must be positive", s.Name, n)
		}
		b.dims[s] = n
	}
	if err := unknown("size", v.Dims, sizes); err != nil {
		return nil, err
	}

	params := map[string]bool{}
	for _, prm := range p.Params {
		params[prm.Name] = true
		b.params[prm] = prm.Default
		if x, ok := v.Params[prm.Name]; ok {
			b.params[prm] = x
		}
	}
	if err := unknown("param", v.Params, params); err != nil {
		return nil, err
	}

	reals, ints := map[string]bool{}, map[string]bool{}
	for _, in := range p.Inputs {
		n := 1
		for _, s := range in.Shape {
			n *= b.dims[s]
		}
		if in.Int {
			ints[in.Name] = true
			if _, wrong := v.Reals[in.Name]; wrong {
				return nil, fmt.Errorf("input %s is an integer input: pass it in Ints", in.Name)
			}
			x, ok := v.Ints[in.Name]
			if !ok {
				return nil, fmt.Errorf("input %s is not given", in.Name)
			}
			if len(x) != n {
				return nil, fmt.Errorf("input %s has %d elements, want %d", in.Name, len(x), n)
			}
			b.ints[in] = x
			continue
		}
		reals[in.Name] = true
		if _, wrong := v.Ints[in.Name]; wrong {
			return nil, fmt.Errorf("input %s is a real input: pass it in Reals", in.Name)
		}
		x, ok := v.Reals[in.Name]
		if !ok {
			return nil, fmt.Errorf("input %s is not given", in.Name)
		}
		if len(x) != n {
			return nil, fmt.Errorf("input %s has %d elements, want %d", in.Name, len(x), n)
		}
		b.reals[in] = x
	}
	if err := unknown("real input", v.Reals, reals); err != nil {
		return nil, err
	}
	if err := unknown("integer input", v.Ints, ints); err != nil {
		return nil, err
	}
	if err := b.checkGathers(p); err != nil {
		return nil, err
	}
	return b, nil
}

// unknown reports the first (in sorted order) name of m not in known.
func unknown[V any](what string, m map[string]V, known map[string]bool) error {
	var bad []string
	for name := range m {
		if !known[name] {
			bad = append(bad, name)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("unknown %s %s", what, bad[0])
}

// checkGathers verifies, before evaluating anything, that every label used
// as a subscript is within the dimension it indexes: all of the label
// tensor, as generated code does, not only the elements a filter reaches.
func (b *bound) checkGathers(p *dsl.Program) error {
	var err error
	var visit func(e dsl.Expr)
	visit = func(e dsl.Expr) {
		if e == nil || err != nil {
			return
		}
		switch x := e.(type) {
		case *dsl.Access:
			shape := x.Shape()
			for k, sub := range x.Index {
				if g, ok := sub.(*dsl.Access); ok && g.Input != nil && g.Input.Int && k < len(shape) {
					n := b.dims[shape[k]]
					for pos, lab := range b.ints[g.Input] {
						if lab < 0 || lab >= n {
							err = fmt.Errorf("%s[%d] = %d is out of range [0, %d) for %s (size %s)", g.Input.Name, pos, lab, n, x.Name(), shape[k].Name)
							return
						}
					}
				}
				visit(sub)
			}
		case *dsl.Unary:
			visit(x.X)
		case *dsl.Binary:
			visit(x.X)
			visit(x.Y)
		case *dsl.Call:
			for _, a := range x.Args {
				visit(a)
			}
		case *dsl.Reduce:
			visit(x.Filter)
			visit(x.Body)
		}
	}
	for _, d := range p.Defs {
		visit(d.Body)
	}
	for _, u := range p.Updates {
		visit(u.Body)
	}
	return err
}
