package dsl

// This file is the entry point of semantic checking: it walks the
// declarations in order, builds the Program, and enforces the rules about
// the result. Expressions, calls, scopes and index ranges are in their own
// files (check_expr.go, check_call.go, scope.go, ranges.go).

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// resultName is the definition that is the loss value.
const resultName = "loss"

// checker holds the state of one Check call.
type checker struct {
	file string
	src  []byte
	errs ErrorList
	prog *Program

	globals  map[string]*symbol // sizes, params, inputs, defs declared so far
	declared map[string]Pos     // every name declared anywhere, for forward-reference hints
	scopes   []map[string]*IndexVar
	rangeAt  map[*IndexVar]Pos  // where each index variable got its range
	explicit map[*IndexVar]bool // index variables written with a range, `u in U`
	sizeDecl map[*Size]Pos      // sizes declared with `size`, at that declaration
	spans    map[Expr][2]int    // source span of each checked expression, for messages
	defining string             // name of the definition being checked

	loader   *loader                 // reads and checks used specs (check_use.go)
	reserved map[string]bool         // names of definitions expanded from calls
	updates  map[*Input]*updateEntry // the update rule of each input so far
}

// Load parses and checks a spec. The specs it uses (`use NAME`, `use
// "path"`) are read from disk, relative to the directory of filename.
func Load(filename string, src []byte) (*Program, error) {
	return LoadWith(filename, src, nil)
}

// LoadWith is Load with the reader of used specs supplied by the caller:
// open receives filepath.Join(filepath.Dir(filename), path) for a spec
// written `use "path"` (path + ".loss" for `use NAME`), and for specs used
// by used specs, joined onto their own directory in the same way. A nil
// open reads files with os.ReadFile. An error satisfying
// errors.Is(err, fs.ErrNotExist) is reported as "cannot find spec".
func LoadWith(filename string, src []byte, open func(path string) ([]byte, error)) (*Program, error) {
	return newLoader(open).load(filename, src)
}

// LoadOptions are the settings of LoadOpts.
type LoadOptions struct {
	// Open reads used specs, as LoadWith's open; nil reads the disk.
	Open func(path string) ([]byte, error)
	// Include lists directories whose trees a `use` may reach besides the
	// directory tree of filename: a `use` that leads anywhere else (with
	// ../ or through a symbolic link) is an error, and so is a used file
	// whose name does not end in .loss, so that no diagnostic ever quotes
	// a file that is not a spec.
	Include []string
}

// LoadOpts is Load with options.
func LoadOpts(filename string, src []byte, o LoadOptions) (*Program, error) {
	l := newLoader(o.Open)
	l.include = o.Include
	return l.load(filename, src)
}

// Check type-checks a parsed spec and resolves every name, returning the
// checked Program or an ErrorList. Used specs are read from disk, relative
// to the directory of the file name recorded in f.
func Check(f *File, src []byte) (p *Program, err error) {
	return newLoader(nil).check(f, src)
}

// check is Check with the loader of used specs.
func (l *loader) check(f *File, src []byte) (p *Program, err error) {
	file := ""
	if f != nil {
		file = f.Pos.Filename
	}
	defer func() {
		if r := recover(); r != nil {
			// A panic here is a bug in the checker; the user still
			// gets a diagnostic instead of a crash.
			p = nil
			err = ErrorList{{File: file, Pos: Pos{Line: 1, Column: 1}, Msg: fmt.Sprintf("internal error while checking: %v", r)}}
		}
	}()
	if f == nil {
		return nil, ErrorList{{File: file, Msg: "no spec to check"}}
	}
	l.stack = append(l.stack, filepath.Clean(file))
	defer func() { l.stack = l.stack[:len(l.stack)-1] }()
	c := &checker{
		file:     file,
		src:      src,
		globals:  map[string]*symbol{},
		declared: map[string]Pos{},
		rangeAt:  map[*IndexVar]Pos{},
		explicit: map[*IndexVar]bool{},
		sizeDecl: map[*Size]Pos{},
		spans:    map[Expr][2]int{},
		loader:   l,
		reserved: map[string]bool{},
		updates:  map[*Input]*updateEntry{},
	}
	c.prog = &Program{
		File:   file,
		Name:   f.Name,
		Doc:    docComment(src, f.Pos.Line),
		Source: src,
	}
	c.collectNames(f)
	for _, d := range f.Decls {
		switch {
		case d == nil:
		case d.Param != nil:
			c.param(d.Param)
		case d.Input != nil:
			c.input(d.Input)
		case d.Size != nil:
			c.sizes(d.Size)
		case d.Use != nil:
			c.use(d.Use)
		case d.Update != nil:
			c.update(d.Update)
		case d.Def != nil:
			c.def(d.Def)
		}
	}
	c.result(f)
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return c.prog, nil
}

// errorf records a diagnostic at pos.
func (c *checker) errorf(pos Pos, format string, args ...any) {
	c.errs.Add(c.file, c.src, pos, fmt.Sprintf(format, args...))
}

// collectNames records where every top-level name is declared, so that a
// use before the declaration can say "defined later" rather than "unknown".
func (c *checker) collectNames(f *File) {
	for _, d := range f.Decls {
		var id *Ident
		switch {
		case d == nil:
		case d.Param != nil:
			id = d.Param.Name
		case d.Input != nil:
			id = d.Input.Name
			for _, s := range d.Input.Shape {
				if s != nil {
					if _, ok := c.declared[s.Name]; !ok {
						c.declared[s.Name] = posOf(s.Pos)
					}
				}
			}
		case d.Size != nil:
			for _, s := range d.Size.Names {
				if s == nil {
					continue
				}
				if _, ok := c.declared[s.Name]; !ok {
					c.declared[s.Name] = posOf(s.Pos)
				}
			}
		case d.Use != nil:
			id = d.Use.As
			if id == nil {
				id = d.Use.Name
			}
		case d.Def != nil:
			id = d.Def.Name
		}
		if id != nil {
			if _, ok := c.declared[id.Name]; !ok {
				c.declared[id.Name] = posOf(id.Pos)
			}
		}
	}
}

func (c *checker) param(d *ParamDecl) {
	if d.Name == nil {
		return
	}
	pos := posOf(d.Name.Pos)
	v, err := strconv.ParseFloat(d.Value, 64)
	if err != nil {
		c.errorf(pos, "invalid default for param %s: %s", d.Name.Name, d.Value)
	}
	if d.Neg {
		v = -v
	}
	p := &Param{Name: d.Name.Name, Default: v, Pos: pos}
	if c.declare(d.Name.Name, pos, &symbol{kind: symParam, param: p, pos: pos}) {
		c.prog.Params = append(c.prog.Params, p)
	}
}

func (c *checker) input(d *InputDecl) {
	if d.Name == nil {
		return
	}
	in := &Input{Name: d.Name.Name, Diff: true, Pos: posOf(d.Name.Pos)}
	for _, s := range d.Shape {
		if s == nil {
			continue
		}
		if size := c.size(s); size != nil {
			in.Shape = append(in.Shape, size)
		}
	}
	if d.Kind != nil && d.Kind.Value == "int" {
		in.Int = true
		in.Diff = false
	}
	if d.Grad != nil {
		switch {
		case d.Grad.Value == "nograd":
			in.Diff = false
		case in.Int:
			c.errorf(posOf(d.Grad.Pos), "%s is an integer input: gradients flow only through real inputs", in.Name)
		}
	}
	if c.declare(in.Name, in.Pos, &symbol{kind: symInput, input: in, pos: in.Pos}) && len(in.Shape) == len(d.Shape) {
		c.prog.Inputs = append(c.prog.Inputs, in)
	}
}

// sizes checks a `size U, V` declaration. A size declared this way is
// bound at run time like the sizes of input shapes; it is what gives a
// range to an index variable that no subscript ranges (`u in U`). Declaring
// a size that an input shape also names, before or after, is allowed and
// changes nothing; declaring it twice with `size` is an error.
func (c *checker) sizes(d *SizeDecl) {
	for _, id := range d.Names {
		if id == nil {
			continue
		}
		pos := posOf(id.Pos)
		if sym, ok := c.globals[id.Name]; ok {
			if sym.kind != symSize {
				c.errorf(pos, "duplicate name %s: already declared as %s at %d:%d", id.Name, sym.describe(), sym.pos.Line, sym.pos.Column)
				continue
			}
			if at, dup := c.sizeDecl[sym.size]; dup {
				c.errorf(pos, "size %s is declared twice (first at %d:%d)", id.Name, at.Line, at.Column)
				continue
			}
			c.sizeDecl[sym.size] = pos // redundant: an input shape named it first
			continue
		}
		if id.Name == resultName {
			c.errorf(pos, "%s is reserved for the result: it cannot be a size", resultName)
			continue
		}
		s := &Size{Name: id.Name, Pos: pos}
		c.globals[id.Name] = &symbol{kind: symSize, size: s, pos: pos}
		c.prog.Sizes = append(c.prog.Sizes, s)
		c.sizeDecl[s] = pos
	}
}

// size returns the size symbol named by a shape entry, creating it at its
// first appearance.
func (c *checker) size(id *Ident) *Size {
	pos := posOf(id.Pos)
	if sym, ok := c.globals[id.Name]; ok {
		if sym.kind == symSize {
			return sym.size
		}
		c.errorf(pos, "%s is %s, not a size (declared at %d:%d)", id.Name, sym.describe(), sym.pos.Line, sym.pos.Column)
		return nil
	}
	s := &Size{Name: id.Name, Pos: pos}
	c.globals[id.Name] = &symbol{kind: symSize, size: s, pos: pos}
	c.prog.Sizes = append(c.prog.Sizes, s)
	return s
}

func (c *checker) def(d *DefDecl) {
	if d.Name == nil || d.Body == nil {
		return
	}
	pos := posOf(d.Name.Pos)
	def := &Def{Name: d.Name.Name, Pos: pos}
	if r := c.prog.Result; r != nil {
		c.errorf(pos, "%s must be the last definition, but %s follows it", resultName, def.Name)
	}

	// Bind the left-hand index variables.
	scope := map[string]*IndexVar{}
	for _, b := range d.Index {
		if b == nil || b.Name == nil {
			continue
		}
		id := b.Name
		ipos := posOf(id.Pos)
		if prev, ok := scope[id.Name]; ok {
			c.errorf(ipos, "index %s appears twice on the left of %s (first at %d:%d)", id.Name, def.Name, prev.Pos.Line, prev.Pos.Column)
			continue
		}
		if sym, ok := c.globals[id.Name]; ok {
			c.errorf(ipos, "index %s shadows %s %s (declared at %d:%d)", id.Name, sym.describe(), id.Name, sym.pos.Line, sym.pos.Column)
		}
		v := &IndexVar{Name: id.Name, Pos: ipos}
		c.explicitRange(v, b.Range)
		scope[id.Name] = v
		def.Index = append(def.Index, v)
	}

	before := len(c.errs)
	c.defining = def.Name
	c.scopes = append(c.scopes, scope)
	var body Expr
	if n, u := c.specCall(d.Body); u != nil {
		body = c.expandCall(def, d, n, u)
	} else {
		body = c.orExpr(d.Body)
	}
	c.scopes = c.scopes[:len(c.scopes)-1]
	c.defining = ""

	if len(c.errs) == before {
		c.requireRanges(def.Index, "the body of "+def.Name)
	}
	for _, v := range def.Index {
		def.Shape = append(def.Shape, v.Range)
	}
	if body != nil {
		c.checkDefSize("definition "+def.Name, pos, body)
		// Int bodies are allowed (y2[i] = labels[i]); they are never
		// differentiated. A condition is not a value.
		if body.Type() == Bool {
			c.errorf(body.Position(), "%s is a condition, not a value; use where(cond, a, b)", def.Name)
		}
		def.Body = body
		def.Type = body.Type()
	}
	if !c.declare(def.Name, pos, &symbol{kind: symDef, def: def, pos: pos}) {
		return
	}
	c.prog.Defs = append(c.prog.Defs, def)
	if def.Name == resultName {
		c.prog.Result = def
	}
}

// result enforces the rules about the definition named `loss`.
func (c *checker) result(f *File) {
	r := c.prog.Result
	if r == nil {
		if sym, ok := c.globals[resultName]; ok {
			c.errorf(sym.pos, "%s is reserved for the result: it must be a definition `%s = ...`", resultName, resultName)
			return
		}
		pos := posOf(f.EndPos)
		if f.Close != nil {
			pos = posOf(f.Close.Pos)
		}
		c.errorf(pos, "missing result: define `%s = ...`", resultName)
		return
	}
	if len(r.Index) > 0 {
		names := make([]string, len(r.Index))
		for i, v := range r.Index {
			names[i] = v.Name
		}
		c.errorf(r.Pos, "the result %s must be a scalar, but it has indices [%s]", resultName, strings.Join(names, ", "))
	}
	if r.Body != nil && r.Type != Real {
		c.errorf(r.Pos, "the result %s must be real, but it is %s", resultName, r.Type)
	}
}

// docComment returns the comment lines directly above the line of the
// `loss` keyword, without their // markers.
func docComment(src []byte, lossLine int) string {
	lines := strings.Split(string(src), "\n")
	var doc []string
	for i := lossLine - 2; i >= 0 && i < len(lines); i-- {
		l := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(l, "//") {
			break
		}
		l = strings.TrimPrefix(l, "//")
		l = strings.TrimPrefix(l, " ")
		doc = append([]string{strings.TrimRight(l, " \t\r")}, doc...)
	}
	return strings.Join(doc, "\n")
}
