package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestModulePath(t *testing.T) {
	for _, tt := range []struct{ gomod, want string }{
		{"module example.com/m\n\ngo 1.26\n", "example.com/m"},
		{"// a comment\nmodule   example.com/m // trailing\n", "example.com/m"},
		{"module \"example.com/quoted\"\n", "example.com/quoted"},
		{"go 1.26\n", ""},
		{"modules example.com/m\n", ""},
		{"module\n", ""},
	} {
		if got := modulePath([]byte(tt.gomod)); got != tt.want {
			t.Errorf("modulePath(%q) = %q, want %q", tt.gomod, got, tt.want)
		}
	}
}

func TestImportPath(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("mod/go.mod", "module example.com/reid\n")
	write("mod/nested/go.mod", "module example.com/nested\n")
	for _, tt := range []struct{ dir, want string }{
		{"mod", "example.com/reid"},
		{"mod/internal/loss/costriplet", "example.com/reid/internal/loss/costriplet"},
		{"mod/nested/x", "example.com/nested/x"},
		// Not packages of the module for the go command: the tests stay
		// inside the generated package.
		{"mod/testdata/x", ""},
		{"mod/vendor/x", ""},
		{"mod/_x", ""},
		{"mod/.x/y", ""},
		{"outside", ""},
	} {
		if got := importPath(filepath.Join(root, filepath.FromSlash(tt.dir))); got != tt.want {
			t.Errorf("importPath(%s) = %q, want %q", tt.dir, got, tt.want)
		}
	}
}
