# Writes runtime/rowvec_amd64.s, the vector row kernels (Sum, Dot, SqDist,
# AddScaled, AddScaledDiff, AddConst), from one template:
#
#     python3 tools/asmgen/rowvec.py > runtime/rowvec_amd64.s
#
# then go test ./runtime (rowvec_test.go checks every path bit for bit
# against the pure-Go one), with -tags purego and with GOAMD64=v3 too.
out = []
def w(s=""): out.append(s)

w("""//go:build amd64 && !purego

#include "textflag.h"

// Vector kernels for rowvec.go. Written out long-hand (no macros) so that
// every kernel reads as straight-line code.
//
// Reductions (Sum, Dot, SqDist) keep 32 float64 partial sums: element j goes
// into lane j mod 32. AVX2 holds them in Y0-Y7 (Yk = lanes 4k..4k+3),
// AVX-512 in Z0-Z3 (Zk = lanes 8k..8k+7). A tail of r < 32 elements is done
// with masked loads and, on AVX2, a blend that keeps lanes >= r unchanged
// (AVX-512 uses merge masking), so untouched lanes keep their exact bits.
// The lanes are combined as in rowvec.go's combineLanes:
//
//	l[i] += l[i+16] (i < 16); l[i] += l[i+8] (i < 8); l[i] += l[i+4] (i < 4);
//	return (l[0]+l[2]) + (l[1]+l[3])
//
// Element-wise kernels: the AVX2 ones do the first len&^3 elements
// (len&^7 for addConst32AVX2, which adds whole vectors of float32); the
// caller runs the scalar loop on the rest. The AVX-512 ones do all of them,
// the last partial vector with masked loads and stores.

// Masks for AVX2 tails: 32 all-ones entries then 32 zero entries. Loading
// from entry 32-r+4g gives the mask of group g of a tail of r elements.
""")
for i in range(64):
    w("DATA rowmask64<>+%d(SB)/8, $%s" % (i*8, "0xffffffffffffffff" if i < 32 else "0"))
w("GLOBL rowmask64<>(SB), RODATA|NOPTR, $512")
w()
for i in range(0, 64, 2):
    v = ("0xffffffffffffffff" if i < 32 else "0")
    w("DATA rowmask32<>+%d(SB)/8, $%s" % (i*4, v))
w("GLOBL rowmask32<>(SB), RODATA|NOPTR, $256")
w()

def Y(i): return "Y%d" % i
def X(i): return "X%d" % i
def Z(i): return "Z%d" % i

# ---------------- reductions ----------------
# op: sum, dot, sqdist; t: 64 or 32
def red_avx2(op, t):
    name = {"sum": "sum", "dot": "dot", "sqdist": "sqDist"}[op] + "%dAVX2" % t
    es = t // 8
    two = op != "sum"
    if two:
        sig = "func %s(a, b []float%d) float64" % (name, t)
        frame = "$0-56"; ret = "ret+48(FP)"
    else:
        sig = "func %s(x []float%d) float64" % (name, t)
        frame = "$0-32"; ret = "ret+24(FP)"
    L = name  # label prefix
    w("// " + sig)
    w("TEXT ·%s(SB), NOSPLIT, %s" % (name, frame))
    if two:
        w("\tMOVQ a_base+0(FP), SI")
        w("\tMOVQ b_base+24(FP), DI")
        w("\tMOVQ a_len+8(FP), CX")
    else:
        w("\tMOVQ x_base+0(FP), SI")
        w("\tMOVQ x_len+8(FP), CX")
    for k in range(8):
        w("\tVXORPD %s, %s, %s" % (Y(k), Y(k), Y(k)))
    w("\tMOVQ CX, DX")
    w("\tSHRQ $5, DX")
    w("\tJZ   %s_tail" % L)
    w()
    w("%s_loop:" % L)
    for g in range(8):
        off = g * 4 * es
        if t == 64:
            if op == "sum":
                w("\tVADDPD %d(SI), %s, %s" % (off, Y(g), Y(g)))
            elif op == "dot":
                tr = Y(8 + g)
                w("\tVMOVUPD     %d(SI), %s" % (off, tr))
                w("\tVFMADD231PD %d(DI), %s, %s" % (off, tr, Y(g)))
            else:
                tr = Y(8 + g)
                w("\tVMOVUPD     %d(SI), %s" % (off, tr))
                w("\tVSUBPD      %d(DI), %s, %s" % (off, tr, tr))
                w("\tVFMADD231PD %s, %s, %s" % (tr, tr, Y(g)))
        else:
            if op == "sum":
                tr = Y(8 + g)
                w("\tVCVTPS2PD %d(SI), %s" % (off, tr))
                w("\tVADDPD    %s, %s, %s" % (tr, Y(g), Y(g)))
            else:
                ta = Y(8 + (2 * g) % 8); tb = Y(9 + (2 * g) % 8)
                w("\tVCVTPS2PD   %d(SI), %s" % (off, ta))
                w("\tVCVTPS2PD   %d(DI), %s" % (off, tb))
                if op == "dot":
                    w("\tVFMADD231PD %s, %s, %s" % (tb, ta, Y(g)))
                else:
                    w("\tVSUBPD      %s, %s, %s" % (tb, ta, ta))
                    w("\tVFMADD231PD %s, %s, %s" % (ta, ta, Y(g)))
    w("\tADDQ $%d, SI" % (32 * es))
    if two:
        w("\tADDQ $%d, DI" % (32 * es))
    w("\tDECQ DX")
    w("\tJNZ  %s_loop" % L)
    w()
    w("%s_tail:" % L)
    w("\t// r = CX = len mod 32; R8 = &rowmask64[32-r]%s." % ("" if t == 64 else ", R9 = &rowmask32[32-r]"))
    w("\tANDQ $31, CX")
    w("\tJZ   %s_reduce" % L)
    w("\tLEAQ rowmask64<>+256(SB), R8")
    w("\tMOVQ CX, AX")
    w("\tSHLQ $3, AX")
    w("\tSUBQ AX, R8")
    if t == 32:
        w("\tLEAQ rowmask32<>+128(SB), R9")
        w("\tMOVQ CX, AX")
        w("\tSHLQ $2, AX")
        w("\tSUBQ AX, R9")
    for g in range(8):
        if g > 0:
            w("\tCMPQ CX, $%d" % (4 * g))
            w("\tJLE  %s_reduce" % L)
        off = g * 4 * es
        w("\tVMOVUPD %d(R8), Y8" % (g * 32))
        if t == 64:
            w("\tVMASKMOVPD %d(SI), Y8, Y9" % off)
            if two:
                w("\tVMASKMOVPD %d(DI), Y8, Y10" % off)
        else:
            w("\tVMOVUPS    %d(R9), X11" % (g * 16))
            w("\tVMASKMOVPS %d(SI), X11, X9" % off)
            w("\tVCVTPS2PD  X9, Y9")
            if two:
                w("\tVMASKMOVPS %d(DI), X11, X10" % off)
                w("\tVCVTPS2PD  X10, Y10")
        if op == "sum":
            w("\tVADDPD    Y9, %s, Y12" % Y(g))
        elif op == "dot":
            w("\tVMOVAPD     %s, Y12" % Y(g))
            w("\tVFMADD231PD Y10, Y9, Y12")
        else:
            w("\tVSUBPD      Y10, Y9, Y9")
            w("\tVMOVAPD     %s, Y12" % Y(g))
            w("\tVFMADD231PD Y9, Y9, Y12")
        w("\tVBLENDVPD Y8, Y12, %s, %s" % (Y(g), Y(g)))
    w()
    w("%s_reduce:" % L)
    w("\tVADDPD       Y4, Y0, Y0")
    w("\tVADDPD       Y5, Y1, Y1")
    w("\tVADDPD       Y6, Y2, Y2")
    w("\tVADDPD       Y7, Y3, Y3")
    w("\tVADDPD       Y2, Y0, Y0")
    w("\tVADDPD       Y3, Y1, Y1")
    w("\tVADDPD       Y1, Y0, Y0")
    w("\tVEXTRACTF128 $1, Y0, X1")
    w("\tVADDPD       X1, X0, X0")
    w("\tVPERMILPD    $1, X0, X1")
    w("\tVADDSD       X1, X0, X0")
    w("\tVZEROUPPER")
    w("\tVMOVSD       X0, %s" % ret)
    w("\tRET")
    w()

def fold_z0():
    # X0 = the sum of Z0's 8 lanes, as combineLanes ends: l[i] += l[i+4],
    # then (l0+l2) + (l1+l3).
    w("\tVEXTRACTF64X4 $1, Z0, Y1")
    w("\tVADDPD        Y1, Y0, Y0")
    w("\tVEXTRACTF128  $1, Y0, X1")
    w("\tVADDPD        X1, X0, X0")
    w("\tVPERMILPD     $1, X0, X1")
    w("\tVADDSD        X1, X0, X0")

def tail_masks():
    # K1-K4 = bits 0-7, 8-15, 16-23, 24-31 of 2^CX - 1 (CX = r < 32).
    w("\tMOVL     $1, AX")
    w("\tSHLL     CX, AX")
    w("\tDECL     AX")
    w("\tKMOVD    AX, K1")
    w("\tKSHIFTRD $8, K1, K2")
    w("\tKSHIFTRD $16, K1, K3")
    w("\tKSHIFTRD $24, K1, K4")

def red_avx512(op, t):
    name = {"sum": "sum", "dot": "dot", "sqdist": "sqDist"}[op] + "%dAVX512" % t
    es = t // 8
    two = op != "sum"
    if two:
        sig = "func %s(a, b []float%d) float64" % (name, t)
        frame = "$0-56"; ret = "ret+48(FP)"
    else:
        sig = "func %s(x []float%d) float64" % (name, t)
        frame = "$0-32"; ret = "ret+24(FP)"
    L = name
    w("// " + sig)
    w("TEXT ·%s(SB), NOSPLIT, %s" % (name, frame))
    if two:
        w("\tMOVQ a_base+0(FP), SI")
        w("\tMOVQ b_base+24(FP), DI")
        w("\tMOVQ a_len+8(FP), CX")
    else:
        w("\tMOVQ x_base+0(FP), SI")
        w("\tMOVQ x_len+8(FP), CX")
    for k in range(4):
        w("\tVPXORQ %s, %s, %s" % (Z(k), Z(k), Z(k)))
    w("\tMOVQ CX, DX")
    w("\tSHRQ $5, DX")
    w("\tJZ   %s_tail" % L)
    w()
    w("%s_loop:" % L)
    for g in range(4):
        off = g * 8 * es
        ta, tb = Z(4 + g), Z(8 + g)
        if t == 64:
            if op == "sum":
                w("\tVADDPD %d(SI), %s, %s" % (off, Z(g), Z(g)))
            elif op == "dot":
                w("\tVMOVUPD     %d(SI), %s" % (off, ta))
                w("\tVFMADD231PD %d(DI), %s, %s" % (off, ta, Z(g)))
            else:
                w("\tVMOVUPD     %d(SI), %s" % (off, ta))
                w("\tVSUBPD      %d(DI), %s, %s" % (off, ta, ta))
                w("\tVFMADD231PD %s, %s, %s" % (ta, ta, Z(g)))
        else:
            w("\tVCVTPS2PD   %d(SI), %s" % (off, ta))
            if op == "sum":
                w("\tVADDPD      %s, %s, %s" % (ta, Z(g), Z(g)))
            else:
                w("\tVCVTPS2PD   %d(DI), %s" % (off, tb))
                if op == "dot":
                    w("\tVFMADD231PD %s, %s, %s" % (tb, ta, Z(g)))
                else:
                    w("\tVSUBPD      %s, %s, %s" % (tb, ta, ta))
                    w("\tVFMADD231PD %s, %s, %s" % (ta, ta, Z(g)))
    w("\tADDQ $%d, SI" % (32 * es))
    if two:
        w("\tADDQ $%d, DI" % (32 * es))
    w("\tDECQ DX")
    w("\tJNZ  %s_loop" % L)
    w()
    w("%s_tail:" % L)
    w("\t// r = CX = len mod 32; K1-K4 = bits 0-7, 8-15, 16-23, 24-31 of 2^r-1.")
    w("\tANDQ     $31, CX")
    w("\tJZ       %s_reduce" % L)
    tail_masks()
    for g in range(4):
        if g > 0:
            w("\tCMPQ CX, $%d" % (8 * g))
            w("\tJLE  %s_reduce" % L)
        K = "K%d" % (g + 1)
        off = g * 8 * es
        ta, tb = Z(4 + g), Z(8 + g)
        if t == 64:
            w("\tVMOVUPD.Z   %d(SI), %s, %s" % (off, K, ta))
            if two:
                w("\tVMOVUPD.Z   %d(DI), %s, %s" % (off, K, tb))
        else:
            w("\tVMOVUPS.Z   %d(SI), %s, Y%d" % (off, K, 4 + g))
            w("\tVCVTPS2PD   Y%d, %s" % (4 + g, ta))
            if two:
                w("\tVMOVUPS.Z   %d(DI), %s, Y%d" % (off, K, 8 + g))
                w("\tVCVTPS2PD   Y%d, %s" % (8 + g, tb))
        if op == "sum":
            w("\tVADDPD      %s, %s, %s, %s" % (ta, Z(g), K, Z(g)))
        elif op == "dot":
            w("\tVFMADD231PD %s, %s, %s, %s" % (tb, ta, K, Z(g)))
        else:
            w("\tVSUBPD      %s, %s, %s" % (tb, ta, ta))
            w("\tVFMADD231PD %s, %s, %s, %s" % (ta, ta, K, Z(g)))
    w()
    w("%s_reduce:" % L)
    w("\tVADDPD        Z2, Z0, Z0")
    w("\tVADDPD        Z3, Z1, Z1")
    w("\tVADDPD        Z1, Z0, Z0")
    fold_z0()
    w("\tVZEROUPPER")
    w("\tVMOVSD        X0, %s" % ret)
    w("\tRET")
    w()

# ---------------- row blocks of SqDist ----------------
# sqDistRows{t}AVX512(dst []float64, a, b []float{t}) sets
# dst[j] = SqDist(a, b[j*len(a):][:len(a)]) for every j, R rows of b at a
# time against the one row a, which is loaded (and, for float32, widened)
# once per R rows. Each row keeps its own 32 lanes (Z4r..Z4r+3), in the
# order of red_avx512, so every dst[j] is bit-identical to SqDist. The
# caller passes a multiple of R rows. Row r of a block is addressed from
# R12 (rows 0-2) or R13 (rows 3-5), plus 0, 1 or 2 times the row stride
# R10.
SQDIST_ROWS = 6

def sqdist_rows_avx512(t, R):
    name = "sqDistRows%dAVX512" % t
    es = t // 8
    sig = "func %s(dst []float64, a, b []float%d)" % (name, t)
    L = name
    def row(r, off):
        base = "R12" if r < 3 else "R13"
        idx = ["", "(R10*1)", "(R10*2)"][r % 3]
        return "%d(%s)%s" % (off, base, idx)
    def one(g, off, mask):
        K = "K%d" % (g + 1)
        if t == 64:
            if mask:
                w("\tVMOVUPD.Z   %d(R11), %s, Z28" % (off, K))
            else:
                w("\tVMOVUPD     %d(R11), Z28" % off)
        else:
            if mask:
                w("\tVMOVUPS.Z   %d(R11), %s, Y28" % (off, K))
                w("\tVCVTPS2PD   Y28, Z28")
            else:
                w("\tVCVTPS2PD   %d(R11), Z28" % off)
        for r in range(R):
            tr = "Z%d" % (29 + r % 3)
            if t == 64:
                if mask:
                    w("\tVMOVUPD.Z   %s, %s, %s" % (row(r, off), K, tr))
                    w("\tVSUBPD      %s, Z28, %s" % (tr, tr))
                else:
                    w("\tVSUBPD      %s, Z28, %s" % (row(r, off), tr))
            else:
                if mask:
                    w("\tVMOVUPS.Z   %s, %s, Y%d" % (row(r, off), K, 29 + r % 3))
                    w("\tVCVTPS2PD   Y%d, %s" % (29 + r % 3, tr))
                else:
                    w("\tVCVTPS2PD   %s, %s" % (row(r, off), tr))
                w("\tVSUBPD      %s, Z28, %s" % (tr, tr))
            acc = "Z%d" % (4 * r + g)
            if mask:
                w("\tVFMADD231PD %s, %s, %s, %s" % (tr, tr, K, acc))
            else:
                w("\tVFMADD231PD %s, %s, %s" % (tr, tr, acc))
    w("// " + sig)
    w("// len(dst) must be a multiple of %d and len(b) at least len(dst)*len(a)." % R)
    w("TEXT ·%s(SB), NOSPLIT, $0-72" % name)
    w("\tMOVQ dst_base+0(FP), R8")
    w("\tMOVQ dst_len+8(FP), BX")
    w("\tMOVQ a_base+24(FP), SI")
    w("\tMOVQ a_len+32(FP), CX")
    w("\tMOVQ b_base+48(FP), R12")
    w("\tLEAQ (CX*%d), R10" % es)
    w("\t// r = R9 = len(a) mod 32; K1-K4 = bits 0-7, 8-15, 16-23, 24-31 of 2^r-1.")
    w("\tMOVQ     CX, R9")
    w("\tANDQ     $31, R9")
    w("\tMOVQ     R9, CX")
    tail_masks()
    w("\tMOVQ     a_len+32(FP), CX")
    w("\tSHRQ     $5, CX")
    w()
    w("%s_block:" % L)
    w("\tCMPQ BX, $%d" % R)
    w("\tJB   %s_done" % L)
    w("\tLEAQ (R12)(R10*2), R13")
    w("\tADDQ R10, R13")
    for k in range(4 * R):
        w("\tVPXORQ Z%d, Z%d, Z%d" % (k, k, k))
    w("\tMOVQ SI, R11")
    w("\tMOVQ CX, DX")
    w("\tTESTQ DX, DX")
    w("\tJZ   %s_tail" % L)
    w()
    w("%s_loop:" % L)
    for g in range(4):
        one(g, g * 8 * es, None)
    w("\tADDQ $%d, R11" % (32 * es))
    w("\tADDQ $%d, R12" % (32 * es))
    w("\tADDQ $%d, R13" % (32 * es))
    w("\tDECQ DX")
    w("\tJNZ  %s_loop" % L)
    w()
    w("%s_tail:" % L)
    w("\tTESTQ R9, R9")
    w("\tJZ   %s_reduce" % L)
    for g in range(4):
        if g > 0:
            w("\tCMPQ R9, $%d" % (8 * g))
            w("\tJLE  %s_reduce" % L)
        one(g, g * 8 * es, "K")
    w()
    w("%s_reduce:" % L)
    w("\t// Row r's lanes Z4r..Z4r+3 combine as combineLanes does; row 0 in place,")
    w("\t// the others moved to Z0 first (the VEX forms below reach only X0-X15).")
    for r in range(R):
        a0, a1, a2, a3 = ["Z%d" % (4 * r + k) for k in range(4)]
        w("\tVADDPD        %s, %s, %s" % (a2, a0, a0))
        w("\tVADDPD        %s, %s, %s" % (a3, a1, a1))
        w("\tVADDPD        %s, %s, Z0" % (a1, a0))
        fold_z0()
        w("\tVMOVSD        X0, %d(R8)" % (8 * r))
    w("\t// Next block: R12 moves from the end of row 0 to the start of row %d." % R)
    w("\tMOVQ a_len+32(FP), AX")
    w("\tANDQ $-32, AX")
    w("\tSHLQ $%d, AX" % (es.bit_length() - 1))
    w("\tSUBQ AX, R12")
    for k in (8, 4, 2, 1):
        if R & k:
            w("\tLEAQ (R12)(R10*%d), R12" % k)
    w("\tADDQ $%d, R8" % (8 * R))
    w("\tSUBQ $%d, BX" % R)
    w("\tJMP  %s_block" % L)
    w()
    w("%s_done:" % L)
    w("\tVZEROUPPER")
    w("\tRET")
    w()

# ---------------- element-wise ----------------
# Each kernel is described by: signature, arg loads, and a body(g, isa, mask)
# emitting code for one vector of elements at element offset g*W.
# Registers: SI = x or a, DI = b, R8 = dst or da, R9 = db, Y15/Z15 = s or v.

def ew_kernel(kind, t, isa, mode=None):
    es = t // 8
    W = 4 if isa == "AVX2" else 8
    V = (lambda i: "Y%d" % i) if isa == "AVX2" else (lambda i: "Z%d" % i)
    # the float32 form of a V register (half width)
    H = (lambda i: "X%d" % i) if isa == "AVX2" else (lambda i: "Y%d" % i)
    cvtdown = "VCVTPD2PSY" if isa == "AVX2" else "VCVTPD2PS"
    bcast = "VBROADCASTSD" if t == 64 else "VBROADCASTSS"

    def load(src, off, reg, mask):
        # float64 value of elements off.. of src into V(reg)
        if t == 64:
            if mask:
                w("\tVMOVUPD.Z  %d(%s), %s, %s" % (off, src, mask, V(reg)))
            else:
                w("\tVMOVUPD    %d(%s), %s" % (off, src, V(reg)))
        else:
            if mask:
                w("\tVMOVUPS.Z  %d(%s), %s, %s" % (off, src, mask, H(reg)))
                w("\tVCVTPS2PD  %s, %s" % (H(reg), V(reg)))
            else:
                w("\tVCVTPS2PD  %d(%s), %s" % (off, src, V(reg)))

    def update(dst, off, reg, tmp, sub, mask):
        # dst[off..] (+|-)= T(V(reg)); reg holds float64 values (converted to T first for float32).
        if t == 64:
            val, loadop, store, addop, subop = V(reg), "VMOVUPD", "VMOVUPD", "VADDPD", "VSUBPD"
            treg = V(tmp)
        else:
            val, loadop, store, addop, subop = H(reg), "VMOVUPS", "VMOVUPS", "VADDPS", "VSUBPS"
            treg = H(tmp)
        if mask:
            w("\t%s.Z  %d(%s), %s, %s" % (loadop, off, dst, mask, treg))
        else:
            w("\t%s    %d(%s), %s" % (loadop, off, dst, treg))
        if sub:
            w("\t%s     %s, %s, %s" % (subop, val, treg, treg))
        else:
            w("\t%s     %s, %s, %s" % (addop, val, treg, treg))
        if mask:
            w("\t%s    %s, %s, %d(%s)" % (store, treg, mask, off, dst))
        else:
            w("\t%s    %s, %d(%s)" % (store, treg, off, dst))

    def tofloat32(reg):
        if t == 32:
            w("\t%s %s, %s" % (cvtdown, V(reg), H(reg)))

    if kind == "addScaled":
        name = "addScaled%d%s" % (t, isa)
        sig = "func %s(dst []float%d, s float64, x []float%d)" % (name, t, t)
        frame = "$0-56"
        args = ["MOVQ dst_base+0(FP), R8", "MOVQ x_base+32(FP), SI", "MOVQ x_len+40(FP), CX",
                "VBROADCASTSD s+24(FP), %s" % V(15)]
        ptrs = ["SI", "R8"]
        def body(g, mask):
            off = g * W * es
            r = g
            load("SI", off, r, mask)
            w("\tVMULPD     %s, %s, %s" % (V(15), V(r), V(r)))
            tofloat32(r)
            update("R8", off, r, 8 + g, False, mask)
    elif kind == "addConst":
        name = "addConst%d%s" % (t, isa)
        if t == 32:
            # No widening needed: whole vectors of float32.
            W = 8 if isa == "AVX2" else 16
        sig = "func %s(dst []float%d, v float%d)" % (name, t, t)
        frame = "$0-32" if t == 64 else "$0-28"
        args = ["MOVQ dst_base+0(FP), R8", "MOVQ dst_len+8(FP), CX",
                "%s v+24(FP), %s" % (bcast, V(15))]
        ptrs = ["R8"]
        def body(g, mask):
            off = g * W * es
            reg = V(15)
            tr = V(g)
            if t == 64:
                lo, ad, st = "VMOVUPD", "VADDPD", "VMOVUPD"
            else:
                lo, ad, st = "VMOVUPS", "VADDPS", "VMOVUPS"
            if mask:
                w("\t%s.Z  %d(R8), %s, %s" % (lo, off, mask, tr))
            else:
                w("\t%s    %d(R8), %s" % (lo, off, tr))
            w("\t%s     %s, %s, %s" % (ad, reg, tr, tr))
            if mask:
                w("\t%s    %s, %s, %d(R8)" % (st, tr, mask, off))
            else:
                w("\t%s    %s, %d(R8)" % (st, tr, off))
    elif kind == "addScaledDiff":
        name = "addScaledDiff%s%d%s" % (mode, t, isa)
        if mode == "Both":
            sig = "func %s(da, db []float%d, s float64, a, b []float%d)" % (name, t, t)
            frame = "$0-104"
            args = ["MOVQ da_base+0(FP), R8", "MOVQ db_base+24(FP), R9", "VBROADCASTSD s+48(FP), %s" % V(15),
                    "MOVQ a_base+56(FP), SI", "MOVQ a_len+64(FP), CX", "MOVQ b_base+80(FP), DI"]
            ptrs = ["SI", "DI", "R8", "R9"]
        else:
            dn = "da" if mode == "A" else "db"
            sig = "func %s(%s []float%d, s float64, a, b []float%d)" % (name, dn, t, t)
            frame = "$0-80"
            args = ["MOVQ %s_base+0(FP), R8" % dn, "VBROADCASTSD s+24(FP), %s" % V(15),
                    "MOVQ a_base+32(FP), SI", "MOVQ a_len+40(FP), CX", "MOVQ b_base+56(FP), DI"]
            ptrs = ["SI", "DI", "R8"]
        def body(g, mask):
            off = g * W * es
            r = g
            load("SI", off, r, mask)
            load("DI", off, 4 + g, mask)
            w("\tVSUBPD     %s, %s, %s" % (V(4 + g), V(r), V(r)))
            w("\tVMULPD     %s, %s, %s" % (V(15), V(r), V(r)))
            tofloat32(r)
            if mode == "Both":
                update("R8", off, r, 8 + g, False, mask)
                update("R9", off, r, 8 + g, True, mask)
            elif mode == "A":
                update("R8", off, r, 8 + g, False, mask)
            else:
                update("R8", off, r, 8 + g, True, mask)
    w("// " + sig)
    if isa == "AVX2":
        w("// Does the first len&^%d elements." % (W - 1))
    w("TEXT ·%s(SB), NOSPLIT, %s" % (name, frame))
    for a in args:
        w("\t" + a)
    L = name
    U = 4  # vectors per iteration
    step = U * W * es
    w("\tMOVQ CX, DX")
    w("\tSHRQ $%d, DX" % ((U * W).bit_length() - 1))
    w("\tJZ   %s_tail" % L)
    w()
    w("%s_loop:" % L)
    for g in range(U):
        body(g, None)
    for p in ptrs:
        w("\tADDQ $%d, %s" % (step, p))
    w("\tDECQ DX")
    w("\tJNZ  %s_loop" % L)
    w()
    w("%s_tail:" % L)
    w("\tANDQ $%d, CX" % (U * W - 1))
    w()
    w("%s_one:" % L)
    w("\tCMPQ CX, $%d" % W)
    w("\tJB   %s_rest" % L)
    body(0, None)
    for p in ptrs:
        w("\tADDQ $%d, %s" % (W * es, p))
    w("\tSUBQ $%d, CX" % W)
    w("\tJMP  %s_one" % L)
    w()
    w("%s_rest:" % L)
    if isa == "AVX512":
        w("\tTESTQ CX, CX")
        w("\tJZ    %s_done" % L)
        w("\tMOVL  $1, AX")
        w("\tSHLL  CX, AX")
        w("\tDECL  AX")
        w("\tKMOVW AX, K1")
        body(0, "K1")
        w()
        w("%s_done:" % L)
    w("\tVZEROUPPER")
    w("\tRET")
    w()

w("// ---- reductions, AVX2 ----")
w()
for op in ["sum", "dot", "sqdist"]:
    for t in [64, 32]:
        red_avx2(op, t)
w("// ---- reductions, AVX-512 ----")
w()
for op in ["sum", "dot", "sqdist"]:
    for t in [64, 32]:
        red_avx512(op, t)
w("// ---- row blocks of SqDist, AVX-512 ----")
w()
for t in [64, 32]:
    sqdist_rows_avx512(t, SQDIST_ROWS)
for isa in ["AVX2", "AVX512"]:
    w("// ---- element-wise kernels, %s ----" % ("AVX2" if isa == "AVX2" else "AVX-512"))
    w()
    for t in [64, 32]:
        ew_kernel("addScaled", t, isa)
        for mode in ["Both", "A", "B"]:
            ew_kernel("addScaledDiff", t, isa, mode)
        ew_kernel("addConst", t, isa)

import sys
sys.stdout.write("\n".join(out).rstrip() + "\n")
