package dsl

// This file implements spec composition: `use` declarations, which load
// and check another spec, and calls of a used spec, `ce = f(a: x, ...)`,
// which are expanded at check time, macro-style, into the calling Program
// (expand.go does the copying). A checked Program therefore never refers
// to another Program.

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// loader reads and checks used specs for one Load. It detects cycles with
// the stack of files being checked and checks each file once.
type loader struct {
	open   func(string) ([]byte, error)
	onDisk bool                // open reads the file system: directory listings give did-you-mean hints
	stack  []string            // cleaned paths of the specs being checked, outermost first
	done   map[string]*Program // checked used specs by cleaned path; nil when they have errors
	// include lists the directories besides the root spec's whose trees a
	// use may reach (LoadOptions.Include).
	include []string
}

func newLoader(open func(string) ([]byte, error)) *loader {
	l := &loader{open: open, done: map[string]*Program{}}
	if open == nil {
		l.open, l.onDisk = readSpecFile, true
	}
	return l
}

// maxSpecFile bounds the size of a used spec read from disk.
const maxSpecFile = 1 << 20

// ReadSpecFile reads a spec from disk as the loader reads used specs: a
// regular file of at most 1 MiB (a FIFO, a device or a huge file is an
// error, not a hang or an exhausted memory). Commands read the spec they
// are given with it.
func ReadSpecFile(path string) ([]byte, error) { return readSpecFile(path) }

// readSpecFile reads a used spec from disk. It refuses anything that is not
// a regular file (a FIFO or /dev/zero would block or never end) and files
// larger than maxSpecFile, so a `use` can neither hang nor exhaust memory.
func readSpecFile(path string) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until a writer appears.
	if info, err := os.Stat(path); err != nil {
		return nil, err
	} else if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if info.Size() > maxSpecFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxSpecFile)
	}
	return io.ReadAll(io.LimitReader(f, maxSpecFile+1))
}

// load parses and checks one spec.
func (l *loader) load(filename string, src []byte) (*Program, error) {
	f, err := Parse(filename, src)
	if err != nil {
		return nil, err
	}
	return l.check(f, src)
}

// useSym is a used spec bound to a local name.
type useSym struct {
	name string   // the local name: `use f` or `use "p/f.loss" as f`
	rel  string   // slash-separated path relative to the using spec's directory
	prog *Program // nil when the spec could not be loaded
}

// use checks a `use` declaration: it binds the local name and loads the spec.
func (c *checker) use(d *UseDecl) {
	var rel string
	var pos Pos
	switch {
	case d.Name != nil:
		rel, pos = d.Name.Name+".loss", posOf(d.Name.Pos)
	case d.Path != nil:
		rel, pos = strings.Trim(d.Path.Value, `"`), posOf(d.Path.Pos)
		if rel == "" || path.IsAbs(filepath.ToSlash(rel)) || filepath.IsAbs(rel) {
			c.errorf(pos, "the path of a used spec must be relative to the directory of this spec, got %s", d.Path.Value)
			return
		}
	default:
		return
	}
	rel = path.Clean(filepath.ToSlash(rel))
	name, namePos := "", pos
	switch {
	case d.As != nil:
		name, namePos = d.As.Name, posOf(d.As.Pos)
	case d.Name != nil:
		name = d.Name.Name
	default:
		name = strings.TrimSuffix(path.Base(rel), ".loss")
		if !isIdent(name) {
			c.errorf(pos, "cannot name the spec %s after its file: add `as NAME`", d.Path.Value)
			return
		}
	}
	if _, fn := functions[name]; fn {
		c.errorf(namePos, "cannot use a spec under the name %s: %s is a function; add `as NAME`", name, name)
		return
	}
	if name == resultName {
		c.errorf(namePos, "cannot use a spec under the name %s: it is reserved for the result; add `as NAME`", name)
		return
	}
	u := &useSym{name: name, rel: rel}
	if !c.declare(name, namePos, &symbol{kind: symUse, use: u, pos: namePos}) {
		return
	}
	u.prog = c.loader.get(c, rel, pos, d.Name != nil)
	if u.prog == nil {
		return
	}
	c.addUse(rel)
	for _, sub := range u.prog.Uses {
		c.addUse(path.Join(path.Dir(rel), sub))
	}
}

func (c *checker) addUse(rel string) {
	for _, have := range c.prog.Uses {
		if have == rel {
			return
		}
	}
	c.prog.Uses = append(c.prog.Uses, rel)
}

// get returns the checked spec at rel (relative to the directory of the
// checker's file), or nil after reporting why it cannot be used. bare says
// the spec was named as `use NAME`, for the wording of hints.
func (l *loader) get(c *checker, rel string, pos Pos, bare bool) *Program {
	full := filepath.Clean(filepath.Join(filepath.Dir(c.file), filepath.FromSlash(rel)))
	if !strings.HasSuffix(full, ".loss") {
		c.errorf(pos, "a used spec is a .loss file, got %s", rel)
		return nil
	}
	if len(l.stack) > 0 && !l.reachable(full) {
		msg := fmt.Sprintf("used spec %s is outside the directory of %s: use reaches only specs in that directory and below it", rel, filepath.Base(l.stack[0]))
		if len(l.include) > 0 {
			msg += " and in the include directories " + strings.Join(l.include, ", ")
		} else {
			msg += " (add its directory with -I)"
		}
		c.errorf(pos, "%s", msg)
		return nil
	}
	for i, s := range l.stack {
		if s == full {
			var names []string
			for _, f := range append(append([]string(nil), l.stack[i:]...), full) {
				names = append(names, filepath.Base(f))
			}
			c.errorf(pos, "use cycle: %s", strings.Join(names, " uses "))
			return nil
		}
	}
	if p, ok := l.done[full]; ok {
		if p == nil {
			c.errorf(pos, "used spec %s has errors", rel)
		}
		return p
	}
	src, err := l.open(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			msg := fmt.Sprintf("cannot find spec %s next to %s", rel, filepath.Base(c.file))
			if s := l.suggestSpec(c, full, rel, bare); s != "" {
				msg += "; did you mean " + s + "?"
			}
			c.errorf(pos, "%s", msg)
		} else {
			c.errorf(pos, "cannot read spec %s: %v", rel, err)
		}
		return nil
	}
	p, err := l.load(full, src)
	l.done[full] = p
	if err != nil {
		var list ErrorList
		if errors.As(err, &list) {
			c.errs = append(c.errs, list...)
		} else {
			c.errorf(pos, "%v", err)
		}
		c.errorf(pos, "used spec %s has errors", rel)
		return nil
	}
	return p
}

// reachable reports whether the spec at full lies in the directory tree of
// the root spec (the one being compiled) or of an include directory.
func (l *loader) reachable(full string) bool {
	if l.inside(filepath.Dir(l.stack[0]), full) {
		return true
	}
	for _, dir := range l.include {
		if l.inside(dir, full) {
			return true
		}
	}
	return false
}

// inside reports whether full lies in the tree of dir, after symbolic
// links on disk are resolved, so that neither ../ nor a link leads out.
func (l *loader) inside(dir, full string) bool {
	if l.onDisk {
		if d, err := filepath.EvalSymlinks(dir); err == nil {
			dir = d
		}
		if f, err := filepath.EvalSymlinks(full); err == nil {
			full = f
		} else if d, err := filepath.EvalSymlinks(filepath.Dir(full)); err == nil {
			full = filepath.Join(d, filepath.Base(full)) // a missing file: its directory decides
		}
	}
	if a, err := filepath.Abs(dir); err == nil {
		dir = a
	}
	if a, err := filepath.Abs(full); err == nil {
		full = a
	}
	rel, err := filepath.Rel(dir, full)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// suggestSpec proposes the .loss file closest in name to the missing one,
// from the listing of its directory (only when reading from disk).
func (l *loader) suggestSpec(c *checker, full, rel string, bare bool) string {
	if !l.onDisk {
		return ""
	}
	entries, err := os.ReadDir(filepath.Dir(full))
	if err != nil {
		return ""
	}
	self := filepath.Base(c.file)
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".loss") && n != self {
			names = append(names, strings.TrimSuffix(n, ".loss"))
		}
	}
	s := suggest(strings.TrimSuffix(path.Base(rel), ".loss"), names)
	switch {
	case s == "":
		return ""
	case bare:
		return s
	}
	return path.Join(path.Dir(rel), s+".loss")
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// specCall returns the call and the used spec when body is exactly a call
// of a used spec, NAME(...).
func (c *checker) specCall(body *OrExpr) (*NameExpr, *useSym) {
	if body == nil || len(body.Right) > 0 || body.Left == nil {
		return nil, nil
	}
	a := body.Left
	if len(a.Right) > 0 || a.Left == nil || a.Left.Right != nil {
		return nil, nil
	}
	s := a.Left.Left
	if s == nil || len(s.Right) > 0 || s.Left == nil || len(s.Left.Right) > 0 {
		return nil, nil
	}
	u := s.Left.Left
	if u == nil || u.Op != "" || u.Pow == nil || u.Pow.Exp != nil || u.Pow.Base == nil {
		return nil, nil
	}
	n := u.Pow.Base.Name
	if n == nil || n.Name == nil || n.Call == nil {
		return nil, nil
	}
	sym, ok := c.globals[n.Name.Name]
	if !ok || sym.kind != symUse {
		return nil, nil
	}
	return n, sym.use
}

// namedArg is one `name: value` argument of a call of a used spec.
type namedArg struct {
	name  *Ident
	value *OrExpr
}

// expandCall checks the call `def = NAME(args)` of a used spec and expands
// it: the callee's definitions are appended to the Program, renamed
// <def>_<name>, and the copy of the callee's result is returned as the
// body of def.
func (c *checker) expandCall(def *Def, d *DefDecl, n *NameExpr, u *useSym) Expr {
	pos, a, fn := posOf(n.Pos), n.Call, n.Name.Name
	if len(d.Index) > 0 && d.Index[0] != nil {
		c.errorf(posOf(d.Index[0].Pos), "a call of the used spec %s is a scalar: write %s = %s(...) without indices", fn, def.Name, fn)
		return nil
	}
	if a.Bar != nil {
		c.errorf(posOf(a.Bar.Pos), "a call of the used spec %s takes named arguments NAME: value, not a filter", fn)
		return nil
	}
	var args []namedArg
	if len(a.Args) > 0 || a.Colon != nil {
		if len(a.Args) != 1 || a.Colon == nil || a.Args[0] == nil || a.Args[0].Range != nil || bareName(a.Args[0].X) == nil || a.Body == nil {
			at := pos
			if len(a.Args) > 0 && a.Args[0] != nil {
				at = posOf(a.Args[0].Pos)
			}
			c.errorf(at, "the arguments of the used spec %s must be named: %s(NAME: value, ...)", fn, fn)
			return nil
		}
		args = append(args, namedArg{bareName(a.Args[0].X), a.Body})
		for _, m := range a.More {
			if m != nil && m.Name != nil {
				args = append(args, namedArg{m.Name, m.Value})
			}
		}
	}
	callee := u.prog
	if callee == nil {
		return nil // the use declaration reported why
	}

	before := len(c.errs)
	x := newExpander(c, callee, u, def, pos)
	given := map[string]Pos{}
	for _, arg := range args {
		name, apos := arg.name.Name, posOf(arg.name.Pos)
		if prev, dup := given[name]; dup {
			c.errorf(apos, "argument %s of %s is given twice (first at %d:%d)", name, fn, prev.Line, prev.Column)
			continue
		}
		given[name] = apos
		if in := findInput(callee, name); in != nil {
			c.bindInput(x, fn, in, arg)
			continue
		}
		if prm := findParam(callee, name); prm != nil {
			e := c.asReal(c.orExpr(arg.value))
			if e != nil && !isConstant(e) {
				c.errorf(e.Position(), "argument %s of %s is a param: it must be a constant (a number, param or size expression), got %s", name, fn, c.text(e))
				continue
			}
			if e != nil {
				x.params[prm] = e
			}
			continue
		}
		var names []string
		for _, in := range callee.Inputs {
			names = append(names, in.Name)
		}
		for _, p := range callee.Params {
			names = append(names, p.Name)
		}
		msg := fmt.Sprintf("unknown argument %s of %s", name, fn)
		if s := suggest(name, append([]string(nil), names...)); s != "" {
			msg += "; did you mean " + s + "?"
		}
		c.errorf(apos, "%s (its inputs and params: %s)", msg, strings.Join(names, ", "))
	}
	for _, in := range callee.Inputs {
		if _, ok := given[in.Name]; !ok {
			c.errorf(pos, "missing argument %s of %s: every input of a used spec must be given (%s)", in.Name, fn, describeInput(in))
		}
	}
	if len(c.errs) > before {
		return nil
	}
	c.bindDeclaredSizes(x, fn)
	if len(c.errs) > before {
		return nil
	}
	return x.expand()
}

// bindDeclaredSizes maps the callee's sizes that none of its input shapes
// names (declared with `size U`, so no argument binds them) to the caller's
// size of the same name, declaring it in the caller if it has none.
func (c *checker) bindDeclaredSizes(x *expander, fn string) {
	for _, s := range x.callee.Sizes {
		if _, ok := x.sizes[s]; ok {
			continue
		}
		sym, ok := c.globals[s.Name]
		switch {
		case !ok:
			ns := &Size{Name: s.Name, Pos: x.pos}
			c.globals[s.Name] = &symbol{kind: symSize, size: ns, pos: x.pos}
			c.prog.Sizes = append(c.prog.Sizes, ns)
			x.sizes[s] = ns
		case sym.kind == symSize:
			x.sizes[s] = sym.size
		default:
			c.errorf(x.pos, "size %s of %s is in none of its inputs' shapes, so it is the size %s of this spec, but %s is %s (declared at %d:%d)",
				s.Name, fn, s.Name, s.Name, sym.describe(), sym.pos.Line, sym.pos.Column)
		}
	}
}

// bindInput checks the argument for the callee input in: the name of a
// caller input or definition of the same rank and integer-ness, whose
// sizes unify with the callee's.
func (c *checker) bindInput(x *expander, fn string, in *Input, arg namedArg) {
	id := bareName(arg.value)
	if id == nil {
		if arg.value != nil {
			c.errorf(posOf(arg.value.Pos), "argument %s of %s must be the name of an input or definition, got %s", in.Name, fn, c.srcText(arg.value.Pos.Offset, arg.value.EndPos.Offset))
		}
		return
	}
	apos := posOf(id.Pos)
	if c.lookupIndex(id.Name) != nil {
		c.errorf(apos, "argument %s of %s must be the name of an input or definition, but %s is an index variable", in.Name, fn, id.Name)
		return
	}
	sym, ok := c.globals[id.Name]
	if !ok {
		c.unknownName(id.Name, apos)
		return
	}
	var t argTarget
	var shape []*Size
	isInt := false
	switch sym.kind {
	case symInput:
		t.input, shape, isInt = sym.input, sym.input.Shape, sym.input.Int
	case symDef:
		t.def, shape, isInt = sym.def, sym.def.Shape, sym.def.Type == Int
	default:
		c.errorf(apos, "argument %s of %s must be an input or definition, but %s is %s", in.Name, fn, id.Name, sym.describe())
		return
	}
	if len(shape) != len(in.Shape) {
		c.errorf(apos, "argument %s of %s must have %s (%s), but %s has %d", in.Name, fn, plural(len(in.Shape), "dimension"), describeInput(in), id.Name, len(shape))
		return
	}
	switch {
	case in.Int && !isInt:
		c.errorf(apos, "argument %s of %s must be an integer tensor (%s), but %s is real", in.Name, fn, describeInput(in), id.Name)
		return
	case !in.Int && isInt:
		c.errorf(apos, "argument %s of %s must be a real tensor (%s), but %s is an integer", in.Name, fn, describeInput(in), id.Name)
		return
	case in.Int && t.def != nil && gathers(x.callee, in):
		c.errorf(apos, "argument %s of %s is used as a label subscript, so it must be an integer input, not the definition %s", in.Name, fn, id.Name)
		return
	}
	for k, s := range in.Shape {
		if shape[k] == nil {
			return
		}
		if prev, ok := x.sizes[s]; ok && prev != shape[k] {
			c.errorf(apos, "size %s of %s is %s (from argument %s) but %s here (argument %s)", s.Name, fn, prev.Name, x.sizeFrom[s], shape[k].Name, in.Name)
			return
		}
	}
	for k, s := range in.Shape {
		if _, ok := x.sizes[s]; !ok {
			x.sizes[s], x.sizeFrom[s] = shape[k], in.Name
		}
	}
	x.inputs[in] = t
}

// gathers reports whether p uses the integer input in as a subscript.
func gathers(p *Program, in *Input) bool {
	found := false
	visit := func(e Expr) {
		Walk(e, func(e Expr) {
			if a, ok := e.(*Access); ok {
				for _, s := range a.Index {
					if g, ok := s.(*Access); ok && g.Input == in {
						found = true
					}
				}
			}
		})
	}
	for _, d := range p.Defs {
		visit(d.Body)
	}
	for _, u := range p.Updates {
		visit(u.Body)
	}
	return found
}

// Walk calls f on e and every expression inside it, parents first
// (subscripts, operands, arguments, filters and reduction bodies).
func Walk(e Expr, f func(Expr)) {
	if e == nil {
		return
	}
	f(e)
	switch x := e.(type) {
	case *Access:
		for _, i := range x.Index {
			Walk(i, f)
		}
	case *Unary:
		Walk(x.X, f)
	case *Binary:
		Walk(x.X, f)
		Walk(x.Y, f)
	case *Call:
		for _, a := range x.Args {
			Walk(a, f)
		}
	case *Reduce:
		Walk(x.Filter, f)
		Walk(x.Body, f)
	}
}

func findInput(p *Program, name string) *Input {
	for _, in := range p.Inputs {
		if in.Name == name {
			return in
		}
	}
	return nil
}

func findParam(p *Program, name string) *Param {
	for _, prm := range p.Params {
		if prm.Name == name {
			return prm
		}
	}
	return nil
}

// describeInput renders an input's declaration, such as `logits[N, C]` or
// `labels[N] int`.
func describeInput(in *Input) string {
	s := in.Name
	if len(in.Shape) > 0 {
		names := make([]string, len(in.Shape))
		for k, sz := range in.Shape {
			names[k] = sz.Name
		}
		s += "[" + strings.Join(names, ", ") + "]"
	}
	if in.Int {
		s += " int"
	}
	return s
}

// freshName returns base, or base_2, base_3, ... : the first that is not a
// name of the spec (declared anywhere in its file) nor of an expanded
// definition.
func (c *checker) freshName(base string) string {
	taken := func(n string) bool {
		_, g := c.globals[n]
		_, d := c.declared[n]
		return g || d || c.reserved[n]
	}
	name := base
	for k := 2; taken(name); k++ {
		name = fmt.Sprintf("%s_%d", base, k)
	}
	return name
}
