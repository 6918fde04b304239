//go:build !amd64 || purego

package lossrt

// gemmKernels lists the micro-kernels for elements of size bytes: without
// the amd64 assembly only the pure-Go one.
func gemmKernels(size int) []gemmKernel {
	if size == 4 {
		return []gemmKernel{gemmGo32}
	}
	return []gemmKernel{gemmGo64}
}
