package cli

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// importPath returns the import path of the package in dir, from the
// nearest go.mod at or above it (module path, then dir's path inside the
// module), or "" where it cannot tell: no go.mod, one without a module
// line, or a directory the go command would not treat as a package of that
// module (under testdata, vendor, or a name starting with . or _). The
// generated tests then stay inside the package (codegen.Options.ImportPath).
func importPath(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	var rel []string
	for d := abs; ; d = filepath.Dir(d) {
		if src, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			mod := modulePath(src)
			if mod == "" {
				return ""
			}
			for _, elem := range rel {
				if elem == "testdata" || elem == "vendor" || strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") {
					return ""
				}
			}
			return path.Join(append([]string{mod}, rel...)...)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		rel = append([]string{filepath.Base(d)}, rel...)
	}
}

// modulePath reads the module directive of a go.mod file: the path after
// "module", quoted or not; "" if there is none.
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		rest, ok := strings.CutPrefix(line, "module")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t' && rest[0] != '"') {
			continue
		}
		rest = strings.TrimSpace(rest)
		if strings.HasPrefix(rest, `"`) {
			if p, err := strconv.Unquote(rest); err == nil {
				return p
			}
			return ""
		}
		return rest
	}
	return ""
}
