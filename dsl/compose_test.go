package dsl

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// memFS is an in-memory spec reader for LoadWith.
func memFS(files map[string]string) func(string) ([]byte, error) {
	return func(path string) ([]byte, error) {
		if src, ok := files[filepath.ToSlash(path)]; ok {
			return []byte(src), nil
		}
		return nil, fmt.Errorf("open %s: %w", path, fs.ErrNotExist)
	}
}

const ceSpec = `// Label-smoothed cross-entropy.
loss cross_entropy_ls {
    param eps = 0.1
    input logits[N, C]
    input labels[N] int

    lse[i] = logsumexp(j: logits[i, j])
    loss   = mean(i: lse[i] - (1 - eps) * logits[i, labels[i]] - eps / C * sum(j: logits[i, j]))
}`

const centerSpec = `// Center loss with its update rule.
loss center {
    param alpha = 0.5
    input x[N, D]
    input centers[C, D]
    input labels[N] int

    sq[i] = sum(k: (x[i, k] - centers[labels[i], k])^2)
    loss = sum(i: sq[i]) / (2 * N)
    update centers[c, k] = centers[c, k] - alpha * sum(i | labels[i] == c: centers[c, k] - x[i, k]) / (1 + count(i | labels[i] == c))
}`

// TestComposeStructure checks the expansion of calls: renamed copies of
// the callee's definitions before the calling one, sizes and index ranges
// of the caller, params replaced by arguments or defaults, name
// collisions avoided, the update rule carried over, and Uses.
func TestComposeStructure(t *testing.T) {
	files := map[string]string{
		"specs/cross_entropy_ls.loss":  ceSpec,
		"specs/other/dir/center.loss":  centerSpec,
		"specs/other/dir/unused.loss":  "loss unused {\n input z\n loss = z\n}",
		"specs/other/dir/nothing.loss": "// x\nloss nothing {\n use unused\n input q\n u = unused(z: q)\n loss = u\n}",
	}
	src := `// Composite.
loss reid {
    use cross_entropy_ls
    use "other/dir/center.loss" as center
    use "other/dir/nothing.loss"
    input logits[N, K]
    input feat[N, E]
    input centers[K, E]
    input labels[N] int
    input k
    param w = 0.0005

    ce   = cross_entropy_ls(logits: logits, labels: labels, eps: 2 * w)
    ce2  = cross_entropy_ls(logits: logits, labels: labels)
    ce_lse = 1
    cen  = center(x: feat, centers: centers, labels: labels)
    n    = nothing(q: k)
    loss = ce + ce2 + ce_lse + w * cen + n
}`
	p, err := LoadWith("specs/reid.loss", []byte(src), memFS(files))
	require.NoError(t, err)
	require.Equal(t, []string{"cross_entropy_ls.loss", "other/dir/center.loss", "other/dir/nothing.loss", "other/dir/unused.loss"}, p.Uses)
	var names []string
	for _, d := range p.Defs {
		names = append(names, d.Name)
	}
	// ce_lse is the caller's own name (declared later), so both copies of
	// lse avoid it; the callee's result is the calling definition itself.
	require.Equal(t, []string{"ce_lse_2", "ce", "ce2_lse", "ce2", "ce_lse", "cen_sq", "cen", "n_u", "n", "loss"}, names)
	require.Equal(t, []string{"N", "K", "E"}, sizeNames(p.Sizes))
	checkSharedSizes(t, p)

	lse, ce := p.Defs[0], p.Defs[1]
	require.Equal(t, "cross_entropy_ls.loss:7:5", lse.Origin)
	require.Equal(t, "", ce.Origin)
	require.Equal(t, ce.Pos, lse.Pos, "copies are positioned at the calling definition")
	require.Same(t, p.Sizes[0], lse.Shape[0])
	red := lse.Body.(*Reduce)
	require.Same(t, p.Sizes[1], red.Vars[0].Range, "callee C is unified with the caller's K")
	require.Same(t, p.Inputs[0], red.Body.(*Access).Input)
	require.Same(t, lse.Index[0], red.Body.(*Access).Index[0].(*IndexRef).Var)

	// eps: 2 * w in ce; the default 0.1 in ce2; eps / C became eps / K.
	mean := ce.Body.(*Reduce)
	sub := mean.Body.(*Binary)
	epsTerm := sub.Y.(*Binary).X.(*Binary) // eps / C
	two := epsTerm.X.(*Binary)             // 2 * w
	require.Equal(t, "*", two.Op)
	require.Same(t, p.Params[0], two.Y.(*ParamRef).Param)
	require.Same(t, p.Sizes[1], epsTerm.Y.(*SizeRef).Size)
	gather := sub.X.(*Binary).Y.(*Binary).Y.(*Access) // logits[i, labels[i]]
	require.Same(t, p.Inputs[3], gather.Index[1].(*Access).Input)
	def2 := p.Defs[3].Body.(*Reduce).Body.(*Binary).Y.(*Binary).X.(*Binary).X
	require.Equal(t, 0.1, def2.(*Num).Value)
	require.Same(t, p.Defs[2], p.Defs[3].Body.(*Reduce).Body.(*Binary).X.(*Binary).X.(*Access).Def)

	// The centre update is carried over to the caller's centers, with the
	// default alpha; the index variable k is renamed away from the input k.
	require.Len(t, p.Updates, 1)
	u := p.Updates[0]
	require.Same(t, p.Inputs[2], u.Target)
	require.Equal(t, "other/dir/center.loss:10:12", u.Origin)
	require.Equal(t, "c", u.Index[0].Name)
	require.Equal(t, "k_2", u.Index[1].Name)
	require.Same(t, p.Sizes[1], u.Index[0].Range)
	require.Same(t, p.Sizes[2], u.Index[1].Range)
	require.Equal(t, "other/dir/nothing.loss:5:2", p.Defs[7].Origin)
}

func sizeNames(ss []*Size) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

// TestComposeOverrideUpdate: a rule written in the caller replaces the
// rule that a call carries over, whichever comes first.
func TestComposeOverrideUpdate(t *testing.T) {
	files := map[string]string{"d/center.loss": centerSpec}
	for _, order := range []string{"before", "after"} {
		rule := "    update centers[a, b] = 0\n"
		src := "loss r {\n    use center\n    input x[N, D]\n    input centers[C, D]\n    input labels[N] int\n"
		if order == "before" {
			src += rule
		}
		src += "    cen = center(x: x, centers: centers, labels: labels)\n"
		if order == "after" {
			src += rule
		}
		src += "    loss = cen\n}"
		p, err := LoadWith("d/r.loss", []byte(src), memFS(files))
		require.NoError(t, err, order)
		require.Len(t, p.Updates, 1)
		require.Equal(t, "", p.Updates[0].Origin)
		require.IsType(t, &Num{}, p.Updates[0].Body)
	}
}

// TestComposeDiagnostics: every composition error, at its file:line:col.
func TestComposeDiagnostics(t *testing.T) {
	lib := map[string]string{
		"d/cross_entropy_ls.loss": ceSpec,
		"d/center.loss":           centerSpec,
		"d/pair.loss":             "loss pair {\n input a[N, D]\n input b[N, D]\n loss = sum(i, k: a[i, k] * b[i, k])\n}",
		"d/broken.loss":           "loss broken {\n input x[N]\n loss = sum(i: x[i] * qq)\n}",
		"d/cyc_a.loss":            "loss cyc_a {\n use cyc_b\n input x\n loss = x\n}",
		"d/cyc_b.loss":            "loss cyc_b {\n use cyc_a\n input x\n loss = x\n}",
		"d/exp.loss":              "loss exp {\n input x\n loss = x\n}",
		"d/syntax.loss":           "loss syntax {\n input x\n loss = x +\n}",
	}
	head := "loss m {\n use cross_entropy_ls as f\n input logits[N, C]\n input labels[N] int\n input x\n"
	tests := []struct {
		name, src, at, msg string
	}{
		{"unknown spec",
			"loss m {\n use cross_entropy_lss\n input x\n loss = x\n}",
			"d/m.loss:2:6", "cannot find spec cross_entropy_lss.loss next to m.loss"},
		{"unknown spec by path",
			"loss m {\n use \"sub/center.loss\" as c\n input x\n loss = x\n}",
			"d/m.loss:2:6", "cannot find spec sub/center.loss next to m.loss"},
		{"error inside the used spec",
			"loss m {\n use broken\n input x\n loss = x\n}",
			"d/broken.loss:3:23", "unknown name qq"},
		{"used spec with errors, at the use",
			"loss m {\n use broken\n input x\n loss = x\n}",
			"d/m.loss:2:6", "used spec broken.loss has errors"},
		{"syntax error inside the used spec",
			"loss m {\n use syntax\n input x\n loss = x\n}",
			"d/syntax.loss:4:1", `unexpected "}" (expected expression)`},
		{"cycle",
			"loss m {\n use cyc_a\n input x\n loss = x\n}",
			"d/cyc_b.loss:2:6", "use cycle: cyc_a.loss uses cyc_b.loss uses cyc_a.loss"},
		{"self use",
			"loss m {\n use m\n input x\n loss = x\n}",
			"d/m.loss:2:6", "use cycle: m.loss uses m.loss"},
		{"unknown argument",
			head + " ce = f(logit: logits, labels: labels)\n loss = ce\n}",
			"d/m.loss:6:9", "unknown argument logit of f; did you mean logits? (its inputs and params: logits, labels, eps)"},
		{"missing input argument",
			head + " ce = f(logits: logits)\n loss = ce\n}",
			"d/m.loss:6:7", "missing argument labels of f: every input of a used spec must be given (labels[N] int)"},
		{"argument rank",
			head + " ce = f(logits: labels, labels: labels)\n loss = ce\n}",
			"d/m.loss:6:17", "argument logits of f must have 2 dimensions (logits[N, C]), but labels has 1"},
		{"argument integer-ness",
			head + " input z[N, C] int\n ce = f(logits: z, labels: labels)\n loss = ce\n}",
			"d/m.loss:7:17", "argument logits of f must be a real tensor (logits[N, C]), but z is an integer"},
		{"argument not a tensor",
			head + " ce = f(logits: logits, labels: N)\n loss = ce\n}",
			"d/m.loss:6:33", "argument labels of f must be an input or definition, but N is a size"},
		{"argument an expression",
			head + " ce = f(logits: logits, labels: labels[0])\n loss = ce\n}",
			"d/m.loss:6:33", "argument labels of f must be the name of an input or definition, got labels[0]"},
		{"size conflict",
			"loss m {\n use pair\n input p[N, D]\n input q[D, N]\n s = pair(a: p, b: q)\n loss = s\n}",
			"d/m.loss:5:20", "size N of pair is N (from argument a) but D here (argument b)"},
		{"call inside an expression",
			head + " loss = 2 * f(logits: logits, labels: labels)\n}",
			"d/m.loss:6:13", "a call of the used spec f must be the whole right-hand side of a scalar definition"},
		{"call with indices",
			head + " ce[i] = f(logits: logits, labels: labels)\n loss = sum(i: ce[i])\n}",
			"d/m.loss:6:5", "a call of the used spec f is a scalar: write ce = f(...) without indices"},
		{"positional arguments",
			head + " ce = f(logits, labels)\n loss = ce\n}",
			"d/m.loss:6:9", "the arguments of the used spec f must be named: f(NAME: value, ...)"},
		{"argument twice",
			head + " ce = f(logits: logits, labels: labels, logits: logits)\n loss = ce\n}",
			"d/m.loss:6:41", "argument logits of f is given twice (first at 6:9)"},
		{"param argument not constant",
			head + " ce = f(logits: logits, labels: labels, eps: x)\n loss = ce\n}",
			"d/m.loss:6:46", "argument eps of f is a param: it must be a constant (a number, param or size expression), got x"},
		{"used spec as a value",
			head + " loss = f + x\n}",
			"d/m.loss:6:9", "f is a used spec, not a value: call it as NAME = f(...)"},
		{"named arguments to a reduction",
			"loss m {\n input x[N]\n loss = sum(i: x[i], k: 1)\n}",
			"d/m.loss:3:22", "sum takes no named arguments: only calls of used specs do"},
		{"use named like a function",
			"loss m {\n use exp\n input x\n loss = x\n}",
			"d/m.loss:2:6", "cannot use a spec under the name exp: exp is a function; add `as NAME`"},
		{"duplicate use name",
			"loss m {\n use pair\n use \"center.loss\" as pair\n input x\n loss = x\n}",
			"d/m.loss:3:23", "duplicate name pair: already declared as a used spec at 2:6"},
		{"path without a usable name",
			"loss m {\n use \"cross-entropy.loss\"\n input x\n loss = x\n}",
			"d/m.loss:2:6", "cannot name the spec \"cross-entropy.loss\" after its file: add `as NAME`"},
		{"integer definition as a gathered label",
			head + " y[i] = labels[i]\n ce = f(logits: logits, labels: y)\n loss = ce\n}",
			"d/m.loss:7:33", "argument labels of f is used as a label subscript, so it must be an integer input, not the definition y"},
		{"updated input bound to a definition",
			"loss m {\n use center\n input x[N, D]\n input c0[C, D]\n input labels[N] int\n c[a, b] = 2 * c0[a, b]\n" +
				" l = center(x: x, centers: c, labels: labels)\n loss = l\n}",
			"d/m.loss:7:6", "center updates its input centers (at center.loss:10:12), so the argument centers must be a real input, but c is a definition"},
		{"two calls update one input",
			"loss m {\n use center\n input x[N, D]\n input c[C, D]\n input labels[N] int\n" +
				" l1 = center(x: x, centers: c, labels: labels)\n l2 = center(x: x, centers: c, labels: labels)\n loss = l1 + l2\n}",
			"d/m.loss:7:7", "c is already updated by the rule from the call at 6:7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadWith("d/m.loss", []byte(tc.src), memFS(lib))
			require.Error(t, err)
			var list ErrorList
			require.True(t, errors.As(err, &list), "error type %T", err)
			found := false
			for _, e := range list {
				if fmt.Sprintf("%s:%d:%d", e.File, e.Pos.Line, e.Pos.Column) == tc.at && strings.Contains(e.Msg, tc.msg) {
					found = true
				}
			}
			require.True(t, found, "want %s: %s\ngot:\n%v", tc.at, tc.msg, err)
			require.NotContains(t, err.Error(), "internal error")
		})
	}
}

// TestLoadFromDisk: Load resolves uses next to the spec on disk, and a
// misspelt name gets a suggestion from the .loss files there.
func TestLoadFromDisk(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cross_entropy_ls.loss"), []byte(ceSpec), 0o644))
	main := filepath.Join(dir, "reid.loss")
	good := "loss reid {\n use cross_entropy_ls\n input z[N, C]\n input y[N] int\n ce = cross_entropy_ls(logits: z, labels: y)\n loss = ce\n}"
	p, err := Load(main, []byte(good))
	require.NoError(t, err)
	require.Equal(t, []string{"cross_entropy_ls.loss"}, p.Uses)

	_, err = Load(main, []byte(strings.Replace(good, "use cross_entropy_ls", "use cross_entropy_lss", 1)))
	require.Error(t, err)
	require.Contains(t, err.Error(), "reid.loss:2:6: cannot find spec cross_entropy_lss.loss next to reid.loss; did you mean cross_entropy_ls?")

	_, err = Load(main, []byte(strings.Replace(good, "use cross_entropy_ls", `use "./cross_entropy_lx.loss" as cross_entropy_ls`, 1)))
	require.Error(t, err)
	require.Contains(t, err.Error(), "cannot find spec cross_entropy_lx.loss next to reid.loss; did you mean cross_entropy_ls.loss?")

	// Check reads from disk too, relative to the parsed file's name.
	f, err := Parse(main, []byte(good))
	require.NoError(t, err)
	_, err = Check(f, []byte(good))
	require.NoError(t, err)
}

// TestComposeTestdata: the composition specs of testdata/compose load,
// and their programs keep the invariants later stages rely on.
func TestComposeTestdata(t *testing.T) {
	files, err := filepath.Glob("testdata/compose/*.loss")
	require.NoError(t, err)
	more, _ := filepath.Glob("testdata/compose/*/*.loss")
	files = append(append(files, more...), "testdata/center_update.loss")
	require.GreaterOrEqual(t, len(files), 6)
	for _, file := range files {
		src, err := os.ReadFile(file)
		require.NoError(t, err)
		// outer/double.loss uses ../reid_baseline.loss: the compose tree
		// is its include directory.
		p, err := LoadOpts(file, src, LoadOptions{Include: []string{"testdata/compose"}})
		require.NoError(t, err, file)
		require.Same(t, p.Result, p.Defs[len(p.Defs)-1])
		checkSharedSizes(t, p)
		seen := map[string]bool{}
		for _, d := range p.Defs {
			require.False(t, seen[d.Name], "duplicate definition %s in %s", d.Name, file)
			seen[d.Name] = true
		}
	}
}

// A use reaches only the root spec's directory tree and the include
// directories, whatever the path says (../, a symbolic link), and only .loss
// files: `use "../../etc/passwd" as p` once printed that file's first line
// in its parse error.
func TestUseStaysInsideItsTree(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "proj")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "sub"), 0o755))
	lib := "loss half {\n    input x[N]\n    loss = sum(i: x[i]) / 2\n}\n"
	for _, f := range []string{filepath.Join(base, "outside.loss"), filepath.Join(root, "sub", "inside.loss")} {
		require.NoError(t, os.WriteFile(f, []byte(lib), 0o644))
	}
	secret := filepath.Join(base, "secret.txt")
	require.NoError(t, os.WriteFile(secret, []byte("root:x:0:0:secret line\n"), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(base, "outside.loss"), filepath.Join(root, "link.loss")))
	spec := func(path string) []byte {
		return []byte("loss top {\n    use \"" + path + "\" as h\n    input x[N]\n    loss = h(x: x)\n}\n")
	}
	main := filepath.Join(root, "top.loss")
	for _, tt := range []struct {
		path, want string
	}{
		{"../outside.loss", "used spec ../outside.loss is outside the directory of top.loss"},
		{"sub/../../outside.loss", "is outside the directory of top.loss"},
		{"link.loss", "used spec link.loss is outside the directory of top.loss"},
		{"../secret.txt", "a used spec is a .loss file, got ../secret.txt"},
		{"../../../../../../../../etc/passwd", "a used spec is a .loss file"},
	} {
		_, err := Load(main, spec(tt.path))
		require.Error(t, err, tt.path)
		require.Contains(t, err.Error(), tt.want, tt.path)
		require.NotContains(t, err.Error(), "secret line")
		require.NotContains(t, err.Error(), "root:")
	}
	// Inside the tree, through ../ that stays inside, and from an include
	// directory, a use works.
	for _, path := range []string{"sub/inside.loss", "sub/../sub/inside.loss"} {
		_, err := Load(main, spec(path))
		require.NoError(t, err, path)
	}
	_, err := LoadOpts(main, spec("../outside.loss"), LoadOptions{Include: []string{base}})
	require.NoError(t, err)
	_, err = LoadOpts(main, spec("link.loss"), LoadOptions{Include: []string{base}})
	require.NoError(t, err)
}
