package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserModuleGoGenerate is the third way users reach lossgen: a
// //go:generate line in their own module, which requires lossgen as a
// dependency (here through a replace directive pointing at this checkout,
// standing in for the module proxy), then an ordinary import of the
// generated package from a training loop.
func TestUserModuleGoGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := os.ReadFile(filepath.Join(repoRoot, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// The user's module requires what lossgen requires, at the same versions.
	var requires []string
	inRequire := false
	for _, line := range strings.Split(string(gomod), "\n") {
		switch {
		case strings.HasPrefix(line, "require ("):
			inRequire = true
		case inRequire && line == ")":
			inRequire = false
		case inRequire:
			requires = append(requires, strings.TrimSpace(strings.Split(line, "//")[0]))
		}
	}
	write("go.mod", "module example.com/reid\n\ngo 1.26\n\nrequire (\n\tgithub.com/lossgen/lossgen v0.0.0\n\t"+
		strings.Join(requires, "\n\t")+"\n)\n\nreplace github.com/lossgen/lossgen => "+repoRoot+"\n")
	write("go.sum", string(sum))
	write("specs/scaled_center.loss", `// A user's own variant: center loss with a weight.
loss scaled_center {
    param lambda = 0.5
    input x[N, D]
    input centers[C, D]
    input labels[N] int

    loss = lambda * sum(i, k: (x[i, k] - centers[labels[i], k])^2) / N
}
`)
	write("loss/gen.go", "// Package loss holds the project's compiled losses.\npackage loss\n\n"+
		"//go:generate go run github.com/lossgen/lossgen/cmd/lossgen compile -o scaled_center ../specs/scaled_center.loss\n")
	write("main.go", `package main

import (
	"fmt"

	"example.com/reid/loss/scaled_center"
)

func main() {
	ws, err := scaled_center.NewWorkspace64(scaled_center.Dims{N: 2, D: 1, C: 2})
	if err != nil {
		panic(err)
	}
	g := scaled_center.Grads64{X: make([]float64, 2), Centers: make([]float64, 2)}
	loss, err := ws.Grad(scaled_center.Inputs64{X: []float64{1, 3}, Centers: []float64{0, 1}, Labels: []int{0, 1}}, g)
	if err != nil {
		panic(err)
	}
	fmt.Println(loss, g.X, g.Centers)
}
`)
	goCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "LOSSGEN_CACHE="+runCache)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	goCmd("generate", "./...")
	first, err := os.ReadFile(filepath.Join(dir, "loss", "scaled_center", "scaled_center.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(first), "//go:generate go run github.com/lossgen/lossgen/cmd/lossgen compile -o . ../../specs/scaled_center.loss") {
		t.Errorf("generated package does not carry its own go:generate line:\n%s", first)
	}
	// loss = 0.5·((1−0)² + (3−1)²)/2 = 1.25; ∂/∂x = λ·2(x − c)/N = [0.5, 1].
	if got := strings.TrimSpace(goCmd("run", ".")); got != "1.25 [0.5 1] [-0.5 -1]" {
		t.Errorf("user program printed %q", got)
	}
	// Regenerating, now also from the package's own go:generate line,
	// changes nothing.
	goCmd("generate", "./...")
	again, err := os.ReadFile(filepath.Join(dir, "loss", "scaled_center", "scaled_center.go"))
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(first) {
		t.Error("go generate is not idempotent")
	}
}
