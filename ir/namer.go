package ir

import "fmt"

// namer hands out tensor names no other tensor, size or input of a program
// has, for the tensors that passes after lowering introduce.
type namer map[string]bool

func newNamer(p *Program) namer {
	n := namer{}
	for _, s := range p.Sizes {
		n[s.Name] = true
	}
	for _, ts := range [][]*Tensor{p.Inputs, p.Temps} {
		for _, t := range ts {
			n[t.Name] = true
		}
	}
	return n
}

// fresh returns base, or base2, base3, ... if base is taken.
func (n namer) fresh(base string) string {
	name := base
	for k := 2; n[name]; k++ {
		name = fmt.Sprintf("%s%d", base, k)
	}
	n[name] = true
	return name
}
