#!/usr/bin/env python3
# Writes runtime/gemm_amd64.s, the GEMM micro-kernels, from one template:
#
#     python3 tools/asmgen/gemm.py > runtime/gemm_amd64.s && gofmt -l runtime
#
# Then run go test ./runtime (TestGemmAsmMatchesGo compares every kernel with
# the pure-Go one) and go test -bench Gemm ./runtime. The tile shapes were
# chosen by measurement; see the comments in runtime/gemm_amd64.go.
import sys

HDR = '''//go:build amd64 && !purego

// The four kernels below follow one template (they were written out by a
// small script): a change to one should be made to all of them alike.

#include "textflag.h"

// The GEMM micro-kernels. Each one updates an mr×nr tile of C (row-major,
// leading dimension ldc elements) with the packed panels of A (k steps of mr
// values) and B (k steps of nr values):
//
//	for p := 0; p < k; p++ { C[i][j] = fma(a[p*mr+i], b[p*nr+j], C[i][j]) }
//
// The accumulators start from C and the FMA chain of every element runs
// sequentially over p, so the result does not depend on the tiling. The Go
// caller checks that all of a[:k*mr], b[:k*nr] and the C tile are in range.
//
// Registers: the nr/lanes vectors of a B step in Y0/Z0 upwards, then the
// registers that take the broadcast A values (rotating), then the mr×nr/lanes
// accumulators of the tile. The k loop is unrolled four times, with a tail
// loop of single steps; k = 0 only loads and stores the tile.
//
// func name(k int, a, b, c unsafe.Pointer, ldc int)
'''

def kernel(name, mr, nvec, zmm, f64, unroll):
    R = 'Z' if zmm else 'Y'
    vl = 64 if zmm else 32
    es = 8 if f64 else 4
    sfx = 'PD' if f64 else 'PS'
    bc = 'VBROADCASTSD' if f64 else 'VBROADCASTSS'
    mov = 'VMOVUPD' if f64 else 'VMOVUPS'
    nregs = 32 if zmm else 16
    nacc = mr * nvec
    nbc = nregs - nacc - nvec
    assert nbc >= 1, (name, nbc)
    breg = [f'{R}{i}' for i in range(nvec)]
    bcreg = [f'{R}{nvec+i}' for i in range(nbc)]
    acc = [[f'{R}{nvec+nbc+i*nvec+v}' for v in range(nvec)] for i in range(mr)]
    nr = nvec * vl // es
    out = []
    o = out.append
    o(f'\n// func {name}(k int, a, b, c unsafe.Pointer, ldc int): {mr}×{nr} {"float64" if f64 else "float32"}, {"AVX-512" if zmm else "AVX2+FMA"}.')
    o(f'TEXT ·{name}(SB), NOSPLIT, $0-40')
    o('\tMOVQ k+0(FP), CX')
    o('\tMOVQ a+8(FP), SI')
    o('\tMOVQ b+16(FP), DI')
    o('\tMOVQ c+24(FP), DX')
    o('\tMOVQ ldc+32(FP), BX')
    o(f'\tSHLQ ${3 if f64 else 2}, BX')
    # load C
    o('\tMOVQ DX, R8')
    for i in range(mr):
        for v in range(nvec):
            o(f'\t{mov} {v*vl}(R8), {acc[i][v]}')
        if i < mr - 1:
            o('\tADDQ BX, R8')
    o('\tMOVQ CX, R9')
    o(f'\tSHRQ ${ {1:0,2:1,4:2,8:3}[unroll] }, R9')
    o(f'\tANDQ ${unroll-1}, CX')
    o('\tTESTQ R9, R9')
    o(f'\tJZ {name}_tail')
    def step(u, out):
        ao = u * mr * es
        bo = u * nr * es
        for v in range(nvec):
            out(f'\t{mov} {bo + v*vl}(DI), {breg[v]}')
        for i in range(mr):
            r = bcreg[(u*mr + i) % nbc]
            out(f'\t{bc} {ao + i*es}(SI), {r}')
            for v in range(nvec):
                out(f'\tVFMADD231{sfx} {breg[v]}, {r}, {acc[i][v]}')
    o(f'{name}_loop:')
    for u in range(unroll):
        step(u, o)
    o(f'\tADDQ ${unroll*mr*es}, SI')
    o(f'\tADDQ ${unroll*nr*es}, DI')
    o('\tDECQ R9')
    o(f'\tJNZ {name}_loop')
    o(f'{name}_tail:')
    o('\tTESTQ CX, CX')
    o(f'\tJZ {name}_store')
    o(f'{name}_tailloop:')
    step(0, o)
    o(f'\tADDQ ${mr*es}, SI')
    o(f'\tADDQ ${nr*es}, DI')
    o('\tDECQ CX')
    o(f'\tJNZ {name}_tailloop')
    o(f'{name}_store:')
    o('\tMOVQ DX, R8')
    for i in range(mr):
        for v in range(nvec):
            o(f'\t{mov} {acc[i][v]}, {v*vl}(R8)')
        if i < mr - 1:
            o('\tADDQ BX, R8')
    o('\tVZEROUPPER')
    o('\tRET')
    return '\n'.join(out) + '\n'

KERNELS = [
    # name, mr, nvec, zmm, f64, unroll
    ('gemmF32AVX2', 6, 2, False, False, 4),
    ('gemmF64AVX2', 6, 2, False, True, 4),
    ('gemmF32AVX512', 8, 3, True, False, 4),
    ('gemmF64AVX512', 8, 3, True, True, 4),
]
import json
if len(sys.argv) > 1:
    KERNELS = json.loads(sys.argv[1])
sys.stdout.write(HDR)
for k in KERNELS:
    sys.stdout.write(kernel(*k))
