package codegen

import (
	"go/token"
	"strings"
	"unicode"

	"github.com/lossgen/lossgen/dsl"
	"github.com/lossgen/lossgen/ir"
)

// reserved holds identifiers generated code uses for itself, and
// predeclared Go names that a spec name must not shadow.
var reserved = map[string]bool{
	"ws": true, "in": true, "grad": true, "scale": true, "err": true,
	"math": true, "lossrt": true, "fmt": true, "testing": true,
	"best": true, "arg": true, "mx": true, "sumExp": true, "cnt": true, "v": true,
	"rowScale": true, "rowAcc": true, "rowAdj": true, "rowExp": true, "lo": true, "hi": true, "parts": true,
	"blk": true, "blkEnd": true,
	"len": true, "cap": true, "make": true, "new": true, "append": true, "copy": true,
	"clear": true, "delete": true, "panic": true, "print": true, "println": true,
	"max": true, "min": true, "real": true, "imag": true, "complex": true, "close": true,
	"recover": true, "bool": true, "int": true, "string": true, "error": true,
	"float32": true, "float64": true, "true": true, "false": true, "nil": true, "iota": true,
	"byte": true, "rune": true, "any": true, "uint": true,
	// Local names double as workspace fields (ws.d holds d[i, j]), so the
	// workspace's own fields and methods, and the package's type and
	// function names (a local would shadow them), are taken too.
	"CheckFinite": true, "Params": true, "dims": true, "gemm": true, "pool": true,
	"Dims": true, "Grad": true, "GradAccum": true, "Loss": true, "SetWorkers": true, "Update": true,
	"SetDims": true, "MaxDims": true, "Values": true, "Values64": true, "Values32": true,
	"forward": true, "backward": true, "update": true, "check": true, "checkGrads": true, "checkAlias": true,
	"Workspace64": true, "Workspace32": true, "Inputs64": true, "Inputs32": true, "Grads64": true, "Grads32": true,
	"NewWorkspace64": true, "NewWorkspace32": true, "Eval64": true, "Eval32": true, "parts64": true, "parts32": true,
	"Info": true, "dimsFrom": true, "Workspace64Bytes": true, "Workspace32Bytes": true, "validate": true, "testCase64": true, "testCase32": true,
}

// isMethodPattern reports the names of the parallel parts' methods,
// forwardPart3 or backwardPart12, which a workspace field must not take.
func isMethodPattern(s string) bool {
	for _, p := range []string{"forwardPart", "backwardPart"} {
		if rest, ok := strings.CutPrefix(s, p); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}

// names assigns Go identifiers to everything a spec names, once per
// package, so both float types agree. Collisions are resolved by appending
// underscores, deterministically, in declaration order.
type names struct {
	taken      map[string]bool
	exported   map[string]bool
	dimFields  map[string]bool
	tensor     map[*ir.Tensor]string // kernel-local slice variable
	adj        map[*ir.Tensor]string // kernel-local adjoint slice
	field      map[*ir.Tensor]string // Inputs/Grads field (inputs only)
	size       map[*dsl.Size]string  // kernel-local value
	dimField   map[*dsl.Size]string  // Dims field
	param      map[*dsl.Param]string // kernel-local value
	paramField map[*dsl.Param]string
	// value is the Values field of each named definition (ir.Tensor.Named),
	// in a namespace of its own.
	value       map[*ir.Tensor]string
	valueFields map[string]bool
}

func newNames(p *ir.Program) *names {
	n := &names{
		taken: map[string]bool{}, exported: map[string]bool{}, dimFields: map[string]bool{},
		tensor: map[*ir.Tensor]string{}, adj: map[*ir.Tensor]string{}, field: map[*ir.Tensor]string{},
		size: map[*dsl.Size]string{}, dimField: map[*dsl.Size]string{}, param: map[*dsl.Param]string{}, paramField: map[*dsl.Param]string{},
		value: map[*ir.Tensor]string{}, valueFields: map[string]bool{},
	}
	for _, s := range p.Sizes {
		n.size[s] = n.local(s.Name)
		n.dimField[s] = n.newDimField(s.Name)
	}
	for _, q := range p.Params {
		n.param[q] = n.local(lowerCamel(q.Name))
		n.paramField[q] = n.export(q.Name)
	}
	all := append(append([]*ir.Tensor{}, p.Inputs...), p.Temps...)
	for _, t := range all {
		n.tensor[t] = n.local(lowerCamel(t.Name))
	}
	for _, t := range all {
		if t.Active || (t.Kind == ir.Input && t.Diff) {
			n.adj[t] = n.local("adj" + upperCamel(t.Name))
		}
	}
	for _, t := range p.Inputs {
		n.field[t] = n.export(t.Name)
	}
	for _, t := range p.Temps {
		if t.Named {
			f := upperCamel(t.Name)
			for n.valueFields[f] {
				f += "_"
			}
			n.valueFields[f] = true
			n.value[t] = f
		}
	}
	return n
}

func (n *names) local(base string) string {
	name := base
	for n.taken[name] || reserved[name] || token.IsKeyword(name) || isLocalPattern(name) || isMethodPattern(name) {
		name += "_"
	}
	n.taken[name] = true
	return name
}

// newDimField is the Dims field of a size: its spec name, exported (a size n
// becomes N, so another package can set it), with underscores appended
// where two sizes would meet (n and N).
func (n *names) newDimField(name string) string {
	f := upperCamel(name)
	if unicode.IsUpper(rune(name[0])) {
		f = name // N, D, C and QueueLen stay as written
	}
	for n.dimFields[f] {
		f += "_"
	}
	n.dimFields[f] = true
	return f
}

func (n *names) export(base string) string {
	name := upperCamel(base)
	for n.exported[name] {
		name += "_"
	}
	n.exported[name] = true
	return name
}

// isLocalPattern reports names of the form t1, g12 or h3, which Simplify
// and hoisting use for scalar temporaries, acc0 (accumulators) and expBlk…
// (block buffers).
func isLocalPattern(s string) bool {
	if strings.HasPrefix(s, "expBlk") { // the buffers of vexp.go, and the rows of a tensor so named
		return true
	}
	if rest, ok := strings.CutPrefix(s, "acc"); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
		return true
	}
	if len(s) < 2 || (s[0] != 't' && s[0] != 'g' && s[0] != 'h') {
		return false
	}
	for _, r := range s[1:] {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func upperCamel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '_' {
			up = true
			continue
		}
		if up {
			b.WriteRune(unicode.ToUpper(r))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "X"
	}
	return b.String()
}

func lowerCamel(s string) string {
	u := upperCamel(s)
	if s != "" && unicode.IsUpper(rune(s[0])) {
		// Keep N, D and other capitalised spec names recognisable.
		return strings.ReplaceAll(s, "_", "")
	}
	r := []rune(u)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
