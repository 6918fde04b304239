package compiler

import (
	"fmt"

	"github.com/lossgen/lossgen/autodiff"
	"github.com/lossgen/lossgen/ir"
)

// Pass is one step of the middle end, run on a lowered program in place.
type Pass struct {
	Name string
	Run  func(*ir.Program) error
}

// Passes is the middle end, in order: compile, explain and check all run
// exactly these, so what explain shows is what compile emits.
var Passes = []Pass{
	// Duplicates are merged first, so that canonicalisation sees one copy
	// of what two used specs both compute, and again after the passes that
	// lift operands and split reductions into Ops of their own.
	{"merge-duplicates", func(p *ir.Program) error { ir.MergeDuplicates(p); return nil }},
	{"canonicalize", func(p *ir.Program) error { ir.Canonicalize(p); return nil }},
	{"split-scalar-reductions", func(p *ir.Program) error { ir.SplitScalarReductions(p); return nil }},
	{"merge-duplicates-again", func(p *ir.Program) error { ir.MergeDuplicates(p); return nil }},
	{"differentiate", autodiff.Differentiate},
}

// Middle runs Passes on p.
func Middle(p *ir.Program) error {
	for _, pass := range Passes {
		if err := pass.Run(p); err != nil {
			return fmt.Errorf("%s: %w", pass.Name, err)
		}
	}
	return nil
}
