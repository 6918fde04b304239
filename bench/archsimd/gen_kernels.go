//go:build ignore

// gen_kernels writes gemm_simd.go, the unrolled archsimd micro-kernels:
//
//	go run gen_kernels.go > gemm_simd.go && gofmt -w gemm_simd.go
package main

import (
	"fmt"
	"strings"
)

// shapes are {mr, vector width, vectors per row}; nr = width·vectors.
var shapes = [][3]int{
	{6, 8, 2}, {5, 8, 2}, {12, 8, 1},
	{4, 16, 2}, {5, 16, 2}, {8, 16, 2}, {12, 16, 2}, {12, 16, 1}, {14, 16, 1},
}

func main() {
	fmt.Print(`// Register-blocked GEMM micro-kernels written with simd/archsimd, generated
// by gen_kernels.go (go run gen_kernels.go > gemm_simd.go). The bodies are
// fully unrolled; every accumulator is a separate local so that it can live
// in a vector register.
//
// Two flavours of each tile: the safe one indexes slices through array
// pointers (one bounds check per panel per k step); the ...U one checks the
// bounds once up front and addresses the panels with unsafe.Pointer
// arithmetic.

//go:build goexperiment.simd && amd64

package archsimd

import (
	"simd/archsimd"
	"unsafe"
)

`)
	for _, s := range shapes {
		base := fmt.Sprintf("gemm%dx%dF32x%d", s[0], s[1]*s[2], s[1])
		kernel(s[0], s[1], s[2], base, false)
		kernel(s[0], s[1], s[2], base+"U", true)
	}
}

func kernel(mr, vw, nv int, name string, uns bool) {
	nr := vw * nv
	T := fmt.Sprintf("archsimd.Float32x%d", vw)
	p := func(format string, args ...any) { fmt.Printf(format+"\n", args...) }
	p("// %s computes C[%d×%d] += A·B for packed panels: a holds kc steps of %d", name, mr, nr, mr)
	p("// floats (column p of A), b holds kc steps of %d floats (row p of B); C is", nr)
	p("// row-major with stride ldc. %d %s accumulators.", mr*nv, T)
	p("func %s(kc int, a, b, c []float32, ldc int) {", name)
	var accs []string
	for i := range mr {
		for j := range nv {
			accs = append(accs, fmt.Sprintf("c%d_%d", i, j))
		}
	}
	p("\tvar %s %s", strings.Join(accs, ", "), T)
	if uns {
		p("\tif kc <= 0 {\n\t\treturn\n\t}")
		p("\t_ = a[kc*%d-1]", mr)
		p("\t_ = b[kc*%d-1]", nr)
		p("\tpa := unsafe.Pointer(unsafe.SliceData(a))")
		p("\tpb := unsafe.Pointer(unsafe.SliceData(b))")
	}
	p("\tfor p := 0; p < kc; p++ {")
	if uns {
		p("\t\tap := unsafe.Add(pa, p*%d)", mr*4)
		p("\t\tbp := unsafe.Add(pb, p*%d)", nr*4)
		for j := range nv {
			p("\t\tb%d := archsimd.LoadFloat32x%d((*[%d]float32)(unsafe.Add(bp, %d)))", j, vw, vw, j*vw*4)
		}
	} else {
		p("\t\tap := (*[%d]float32)(a[p*%d:])", mr, mr)
		p("\t\tbp := (*[%d]float32)(b[p*%d:])", nr, nr)
		for j := range nv {
			p("\t\tb%d := archsimd.LoadFloat32x%d((*[%d]float32)(bp[%d:%d]))", j, vw, vw, j*vw, (j+1)*vw)
		}
	}
	for i := range mr {
		decl := "="
		if i == 0 {
			decl = ":="
		}
		src := fmt.Sprintf("ap[%d]", i)
		if uns {
			src = fmt.Sprintf("*(*float32)(unsafe.Add(ap, %d))", 4*i)
		}
		p("\t\tai %s archsimd.BroadcastFloat32x%d(%s)", decl, vw, src)
		for j := range nv {
			p("\t\tc%d_%d = ai.MulAdd(b%d, c%d_%d)", i, j, j, i, j)
		}
	}
	p("\t}")
	for i := range mr {
		p("\tr%d := (*[%d]float32)(c[%d*ldc:])", i, nr, i)
		for j := range nv {
			sl := fmt.Sprintf("(*[%d]float32)(r%d[%d:%d])", vw, i, j*vw, (j+1)*vw)
			p("\tarchsimd.LoadFloat32x%d(%s).Add(c%d_%d).Store(%s)", vw, sl, i, j, sl)
		}
	}
	p("}\n")
}
