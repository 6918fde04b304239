package rundriver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	lossrt "github.com/lossgen/lossgen/runtime"
)

// fieldError is a rejected part of the request. Field is a JSON path such as
// "inputs.labels[3]", so that the one-line message says where to look.
type fieldError struct {
	Field string
	Msg   string
}

func (e *fieldError) Error() string { return e.Field + ": " + e.Msg }

func errorf(field, format string, args ...any) error {
	return &fieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// decodeRequest parses and validates a request against info. Every check that
// can name a JSON field is made here, before the kernel sees the data, even
// where the kernel would also catch it: the kernel can only name an input,
// not the key the user must fix.
func decodeRequest[T lossrt.Float](data []byte, info lossrt.Info, bits int) (lossrt.Request[T], error) {
	req := lossrt.Request[T]{
		Dims:   map[string]int{},
		Params: map[string]float64{},
		Reals:  map[string][]T{},
		Ints:   map[string][]int{},
		Grad:   true,
	}
	top, err := decodeObject(data, "input")
	if err != nil {
		return req, err
	}
	if err := checkKeys(top, "", "key", []string{"dims", "params", "inputs"}); err != nil {
		return req, err
	}

	// Sizes first: the length of every input depends on them.
	dims := map[string]json.RawMessage{}
	if raw, ok := top["dims"]; ok {
		if dims, err = decodeObject(raw, "dims"); err != nil {
			return req, err
		}
	} else if len(info.Sizes) > 0 {
		return req, errorf("dims", "missing (%s needs %s)", info.Name, strings.Join(info.Sizes, ", "))
	}
	if err := checkKeys(dims, "dims.", "size", info.Sizes); err != nil {
		return req, err
	}
	for _, name := range info.Sizes {
		raw, ok := dims[name]
		if !ok {
			return req, errorf("dims."+name, "missing (%s needs %s)", info.Name, strings.Join(info.Sizes, ", "))
		}
		n, err := parseInt(raw, "dims."+name)
		if err != nil {
			return req, err
		}
		if n <= 0 {
			return req, errorf("dims."+name, "%d is not positive", n)
		}
		req.Dims[name] = n
	}

	if raw, ok := top["params"]; ok {
		params, err := decodeObject(raw, "params")
		if err != nil {
			return req, err
		}
		names := make([]string, len(info.Params))
		for i, p := range info.Params {
			names[i] = p.Name
		}
		if err := checkKeys(params, "params.", "parameter", names); err != nil {
			return req, err
		}
		for _, name := range names {
			if raw, ok := params[name]; ok {
				// A param becomes a T in the kernel: 1e39 is no float32.
				if req.Params[name], err = parseFloat(raw, "params."+name, bits); err != nil {
					return req, err
				}
			}
		}
	}

	raw, ok := top["inputs"]
	if !ok {
		return req, errorf("inputs", "missing (%s needs %s)", info.Name, describeInputs(info))
	}
	inputs, err := decodeObject(raw, "inputs")
	if err != nil {
		return req, err
	}
	names := make([]string, len(info.Inputs))
	for i, in := range info.Inputs {
		names[i] = in.Name
	}
	if err := checkKeys(inputs, "inputs.", "input", names); err != nil {
		return req, err
	}
	for _, in := range info.Inputs {
		field := "inputs." + in.Name
		raw, ok := inputs[in.Name]
		if !ok {
			return req, errorf(field, "missing (%s needs %s)", info.Name, describeInputs(info))
		}
		want, err := elementCount(in, req.Dims)
		if err != nil {
			return req, errorf(field, "%v", err)
		}
		elems, err := decodeElements(raw, field, in, want)
		if err != nil {
			return req, err
		}
		if in.Int {
			ints := make([]int, len(elems))
			for i, e := range elems {
				if ints[i], err = parseInt(e, elementField(field, in, i)); err != nil {
					return req, err
				}
			}
			req.Ints[in.Name] = ints
			continue
		}
		reals := make([]T, len(elems))
		for i, e := range elems {
			v, err := parseFloat(e, elementField(field, in, i), bits)
			if err != nil {
				return req, err
			}
			reals[i] = T(v)
		}
		req.Reals[in.Name] = reals
	}
	return req, nil
}

// decodeObject decodes a JSON object into its members, keeping each value
// raw so that errors can name the member.
func decodeObject(data []byte, field string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Offset counts the bytes read, the offending one included.
			at := max(syn.Offset-1, 0)
			line, col := lineCol(data, at)
			return nil, errorf(field, "invalid JSON at line %d, column %d (byte %d): %v", line, col, at, syn)
		}
		return nil, errorf(field, "want a JSON object, got %s", kind(data))
	}
	if obj == nil { // the literal null
		return nil, errorf(field, "want a JSON object, got null")
	}
	if dup, ok := duplicateKey(data); ok {
		return nil, errorf(memberField(field, dup), "appears twice in %s", field)
	}
	return obj, nil
}

// duplicateKey finds the first key that appears twice among the members of
// the JSON object in data (already known to be valid): encoding/json keeps
// the last silently, and a request with two values for one key is a
// mistake, not a choice.
func duplicateKey(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return "", false
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		key, _ := tok.(string)
		if seen[key] {
			return key, true
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return "", false
		}
	}
	return "", false
}

// memberField names a member of an object field: dims.N, or "key" quoted
// where the key is not a plain name (a newline or a terminal escape in a key
// must not reach the terminal), cut to a readable length.
func memberField(field, key string) string {
	plain := key != "" && len(key) <= 64
	for _, r := range key {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			plain = false
			break
		}
	}
	name := key
	if !plain {
		name = strconv.Quote(cut(key))
	}
	if field == "input" {
		return name
	}
	return field + "." + name
}

// maxEcho is how much of a value an error message repeats.
const maxEcho = 40

// cut shortens s to maxEcho bytes (at a rune boundary) with "..." after.
func cut(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	i := maxEcho
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// checkKeys rejects the first member of obj, in sorted order, that is not in
// known, so a misspelling is caught rather than ignored.
func checkKeys(obj map[string]json.RawMessage, prefix, what string, known []string) error {
	var unknown []string
	for k := range obj {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	field := memberField(strings.TrimSuffix(prefix, "."), unknown[0])
	if prefix == "" {
		field = strconv.Quote(cut(unknown[0]))
	}
	if len(known) == 0 {
		return errorf(field, "unknown %s (there are none)", what)
	}
	return errorf(field, "unknown %s (want one of %s)", what, strings.Join(known, ", "))
}

// decodeElements splits an input's JSON value into its elements and checks
// their number. A rank-0 input is a bare number.
func decodeElements(raw json.RawMessage, field string, in lossrt.InputInfo, want int) ([]json.RawMessage, error) {
	if len(in.Shape) == 0 {
		if kind(raw) != "number" {
			return nil, errorf(field, "want a number (%s is a scalar), got %s", in.Name, kind(raw))
		}
		return []json.RawMessage{raw}, nil
	}
	var elems []json.RawMessage
	if kind(raw) != "an array" || json.Unmarshal(raw, &elems) != nil {
		return nil, errorf(field, "want an array of %d numbers, got %s", want, kind(raw))
	}
	if len(elems) != want {
		return nil, errorf(field, "has %d elements, want %d for shape %s", len(elems), want, shapeString(in))
	}
	return elems, nil
}

// elementCount is the product of the input's sizes, refusing overflow.
func elementCount(in lossrt.InputInfo, dims map[string]int) (int, error) {
	n := 1
	for _, s := range in.Shape {
		d := dims[s]
		if d != 0 && n > math.MaxInt/d {
			return 0, fmt.Errorf("shape %s has more elements than fit in an int", shapeString(in))
		}
		n *= d
	}
	return n, nil
}

// parseInt reads a JSON number that must be an integer. Integral values
// written with a fraction or exponent (3.0, 1e2) are accepted, because
// numerical tools print integers that way.
func parseInt(raw json.RawMessage, field string) (int, error) {
	if kind(raw) != "number" {
		return 0, errorf(field, "want an integer, got %s", kind(raw))
	}
	text := string(raw)
	if n, err := strconv.Atoi(text); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || f != math.Trunc(f) {
		return 0, errorf(field, "%s is not an integer", cut(text))
	}
	if f < math.MinInt || f >= math.MaxInt {
		return 0, errorf(field, "%s does not fit in an int", cut(text))
	}
	return int(f), nil
}

// parseFloat reads a JSON number as a float of the given bit size, rejecting
// values that the type cannot hold rather than turning them into Inf.
func parseFloat(raw json.RawMessage, field string, bits int) (float64, error) {
	if kind(raw) != "number" {
		return 0, errorf(field, "want a number, got %s", kind(raw))
	}
	v, err := strconv.ParseFloat(string(raw), bits)
	if err != nil {
		return 0, errorf(field, "%s overflows float%d", cut(string(raw)), bits)
	}
	return v, nil
}

// kind names the JSON type of a raw value, for error messages.
func kind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch c := raw[0]; {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		var str string
		if json.Unmarshal(raw, &str) != nil {
			str = string(raw)
		}
		return "a string " + strconv.Quote(cut(str))
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || ('0' <= c && c <= '9'):
		return "number"
	}
	return "invalid JSON"
}

// elementField names one element of an input, as inputs.x[7].
func elementField(field string, in lossrt.InputInfo, i int) string {
	if len(in.Shape) == 0 {
		return field
	}
	return field + "[" + strconv.Itoa(i) + "]"
}

// shapeString renders an input's shape as "[N, D]".
func shapeString(in lossrt.InputInfo) string {
	return "[" + strings.Join(in.Shape, ", ") + "]"
}

// describeInputs lists the inputs a loss needs, as "x[N, D], labels[N] int".
func describeInputs(info lossrt.Info) string {
	parts := make([]string, len(info.Inputs))
	for i, in := range info.Inputs {
		parts[i] = in.Name
		if len(in.Shape) > 0 {
			parts[i] += shapeString(in)
		}
		if in.Int {
			parts[i] += " int"
		}
	}
	return strings.Join(parts, ", ")
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + len(before) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}
