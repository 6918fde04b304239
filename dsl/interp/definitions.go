package interp

import "github.com/lossgen/lossgen/dsl"

// Definitions evaluates the program and returns the value of every
// definition the spec itself names (not the copies that expanding a used
// spec made, whose Origin is set), by name, flat and row-major — the
// oracle for a generated workspace's Values. The result is among them.
// Validation is as for Eval.
func Definitions(p *dsl.Program, v Values) (map[string][]float64, error) {
	b, err := bind(p, v)
	if err != nil {
		return nil, err
	}
	m, err := b.forward(p)
	if err != nil {
		return nil, err
	}
	out := map[string][]float64{}
	for _, d := range p.Defs {
		if d.Origin == "" {
			out[d.Name] = m.defs.get(d)
		}
	}
	return out, nil
}
