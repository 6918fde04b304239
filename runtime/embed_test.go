package lossrt

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSourceCoversPackage checks that Source holds every file that the Go
// build of runtime/ and its subpackages reads, so that lossgen run's copy of
// the runtime compiles like the original.
func TestSourceCoversPackage(t *testing.T) {
	var onDisk []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if buildInput(name) {
			onDisk = append(onDisk, filepath.ToSlash(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var embedded []string
	err = fs.WalkDir(Source, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && buildInput(d.Name()) {
			embedded = append(embedded, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(onDisk)
	slices.Sort(embedded)
	if !slices.Equal(onDisk, embedded) {
		t.Errorf("Source does not match the package files; extend the //go:embed patterns in embed.go\n on disk:  %v\n embedded: %v", onDisk, embedded)
	}
}

// buildInput reports whether go build reads a file of this name (tests aside).
func buildInput(name string) bool {
	if strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return false
	}
	switch filepath.Ext(name) {
	case ".go", ".s", ".h", ".c", ".syso":
		return true
	}
	return false
}
