package rundriver

import (
	"fmt"
	"math"
	"strconv"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// encodeResult writes the answer as one line of JSON:
//
//	{"loss": 1.65, "grads": {"anchor": [-0.5, 0.5, 0, 0], ...}}
//
// It is written by hand rather than with encoding/json so that the key order
// is the declaration order and numbers take the shortest round-trip form of
// the kernel's own type: a float32 result printed through float64 would show
// digits the kernel never computed. Non-finite numbers, which JSON cannot
// represent, become null and are reported in warnings.
func encodeResult[T lossrt.Float](info lossrt.Info, req lossrt.Request[T], res lossrt.Result[T], bits int) (out []byte, warnings []string, err error) {
	number := func(v T, field string) {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			out = append(out, "null"...)
			warnings = append(warnings, fmt.Sprintf("%s is %v, written as null", field, f))
			return
		}
		out = strconv.AppendFloat(out, f, 'g', -1, bits)
	}

	out = append(out, `{"loss": `...)
	number(res.Loss, "loss")
	out = append(out, `, "grads": {`...)
	first := true
	for _, in := range info.Inputs {
		if !in.Diff {
			continue
		}
		g, ok := res.Grads[in.Name]
		if !ok {
			return nil, warnings, fmt.Errorf("the kernel returned no gradient for %s", in.Name)
		}
		if !first {
			out = append(out, ", "...)
		}
		first = false
		out = strconv.AppendQuote(out, in.Name)
		out = append(out, ": "...)
		if want := len(req.Reals[in.Name]); len(g) != want {
			return nil, warnings, fmt.Errorf("the kernel returned %d gradient elements for %s, want %d", len(g), in.Name, want)
		}
		field := "grads." + in.Name
		if len(in.Shape) == 0 {
			number(g[0], field)
			continue
		}
		out = append(out, '[')
		for i, v := range g {
			if i > 0 {
				out = append(out, ", "...)
			}
			number(v, field+"["+strconv.Itoa(i)+"]")
		}
		out = append(out, ']')
	}
	out = append(out, "}}\n"...)
	return out, warnings, nil
}
