//go:build amd64 && !purego

package lossrt

// cpuid and xgetbv are in cpu_amd64.s.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// The instruction sets the assembly kernels use, read once at start-up.
// A kernel is only taken when both the CPU reports the instructions and the
// operating system saves the wide registers on a context switch (XCR0);
// otherwise the pure-Go path runs.
var (
	hasAVX2FMA = false
	hasAVX512  = false
)

func init() {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return
	}
	xcr0, _ := xgetbv()
	const ymmState = 0x6  // XMM and YMM registers
	const zmmState = 0xe0 // opmask, upper ZMM0-15, ZMM16-31
	if xcr0&ymmState != ymmState {
		return
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const (
		avx2     = 1 << 5
		avx512f  = 1 << 16
		avx512dq = 1 << 17
		avx512bw = 1 << 30
		avx512vl = 1 << 31
	)
	hasAVX2FMA = ebx7&avx2 != 0
	want512 := uint32(avx512f | avx512dq | avx512bw | avx512vl)
	hasAVX512 = hasAVX2FMA && ebx7&want512 == want512 && xcr0&zmmState == zmmState
}
