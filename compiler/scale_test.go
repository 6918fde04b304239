package compiler_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lossgen/lossgen/compiler"
)

// chainSpec is a spec of n definitions, each reading the one before: the
// shape with which compile time and memory once grew quadratically.
func chainSpec(n int) []byte {
	var b strings.Builder
	b.WriteString("loss chain {\n    input x[N]\n    d0[i] = x[i] * 2\n")
	for k := 1; k < n; k++ {
		fmt.Fprintf(&b, "    d%d[i] = d%d[i] + x[i] * %d\n", k, k-1, k%7+1)
	}
	fmt.Fprintf(&b, "    loss = sum(i: d%d[i])\n}\n", n-1)
	return []byte(b.String())
}

// BenchmarkCompileDefinitions times Compile on chains of 1000 to 10000
// definitions; -benchmem gives the memory. It should grow linearly:
//
//	go test -run '^$' -bench CompileDefinitions -benchmem ./compiler
func BenchmarkCompileDefinitions(b *testing.B) {
	for _, n := range []int{1000, 2000, 5000, 10000} {
		src := chainSpec(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := compiler.Compile("chain.loss", src, compiler.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCompileDefinitions compiles a chain long enough that quadratic work
// would show, and checks the result is a whole package.
func TestCompileDefinitions(t *testing.T) {
	files, err := compiler.Compile("chain.loss", chainSpec(3000), compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := typeCheck(files); err != nil {
		t.Fatal(err)
	}
}
