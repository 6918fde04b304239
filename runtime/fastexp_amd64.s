//go:build amd64 && !purego

#include "textflag.h"

// Vector kernels for ExpFast, LogSumExp and AddScaledExp (fastexp.go).
// Every lane evaluates the operation sequence of ExpFast, in the same order
// and with FMA exactly where ExpFast calls math.FMA, so each element's exp
// is bit-identical to the pure-Go path.

// Constants, each repeated in 4 lanes (32 bytes) for AVX2 memory operands.
// Generated from the constants in fastexp.go (the bit-identity tests would
// catch a mismatch).
// 0: clamp hi 710
DATA expconst<>+0(SB)/8, $0x4086300000000000
DATA expconst<>+8(SB)/8, $0x4086300000000000
DATA expconst<>+16(SB)/8, $0x4086300000000000
DATA expconst<>+24(SB)/8, $0x4086300000000000
// 32: clamp lo -746
DATA expconst<>+32(SB)/8, $0xc087500000000000
DATA expconst<>+40(SB)/8, $0xc087500000000000
DATA expconst<>+48(SB)/8, $0xc087500000000000
DATA expconst<>+56(SB)/8, $0xc087500000000000
// 64: log2(e)
DATA expconst<>+64(SB)/8, $0x3ff71547652b82fe
DATA expconst<>+72(SB)/8, $0x3ff71547652b82fe
DATA expconst<>+80(SB)/8, $0x3ff71547652b82fe
DATA expconst<>+88(SB)/8, $0x3ff71547652b82fe
// 96: shifter 1.5*2^52
DATA expconst<>+96(SB)/8, $0x4338000000000000
DATA expconst<>+104(SB)/8, $0x4338000000000000
DATA expconst<>+112(SB)/8, $0x4338000000000000
DATA expconst<>+120(SB)/8, $0x4338000000000000
// 128: -ln2hi
DATA expconst<>+128(SB)/8, $0xbfe62e42fefa3000
DATA expconst<>+136(SB)/8, $0xbfe62e42fefa3000
DATA expconst<>+144(SB)/8, $0xbfe62e42fefa3000
DATA expconst<>+152(SB)/8, $0xbfe62e42fefa3000
// 160: -ln2lo
DATA expconst<>+160(SB)/8, $0xbd53de6af278ece6
DATA expconst<>+168(SB)/8, $0xbd53de6af278ece6
DATA expconst<>+176(SB)/8, $0xbd53de6af278ece6
DATA expconst<>+184(SB)/8, $0xbd53de6af278ece6
// 192: q9
DATA expconst<>+192(SB)/8, $0x3e21e0c670afff06
DATA expconst<>+200(SB)/8, $0x3e21e0c670afff06
DATA expconst<>+208(SB)/8, $0x3e21e0c670afff06
DATA expconst<>+216(SB)/8, $0x3e21e0c670afff06
// 224: q8
DATA expconst<>+224(SB)/8, $0x3e5af6c36f75740c
DATA expconst<>+232(SB)/8, $0x3e5af6c36f75740c
DATA expconst<>+240(SB)/8, $0x3e5af6c36f75740c
DATA expconst<>+248(SB)/8, $0x3e5af6c36f75740c
// 256: q7
DATA expconst<>+256(SB)/8, $0x3e927e5d38a23654
DATA expconst<>+264(SB)/8, $0x3e927e5d38a23654
DATA expconst<>+272(SB)/8, $0x3e927e5d38a23654
DATA expconst<>+280(SB)/8, $0x3e927e5d38a23654
// 288: q6
DATA expconst<>+288(SB)/8, $0x3ec71ddef633fb47
DATA expconst<>+296(SB)/8, $0x3ec71ddef633fb47
DATA expconst<>+304(SB)/8, $0x3ec71ddef633fb47
DATA expconst<>+312(SB)/8, $0x3ec71ddef633fb47
// 320: q5
DATA expconst<>+320(SB)/8, $0x3efa01a0127f883a
DATA expconst<>+328(SB)/8, $0x3efa01a0127f883a
DATA expconst<>+336(SB)/8, $0x3efa01a0127f883a
DATA expconst<>+344(SB)/8, $0x3efa01a0127f883a
// 352: q4
DATA expconst<>+352(SB)/8, $0x3f2a01a01b4421fd
DATA expconst<>+360(SB)/8, $0x3f2a01a01b4421fd
DATA expconst<>+368(SB)/8, $0x3f2a01a01b4421fd
DATA expconst<>+376(SB)/8, $0x3f2a01a01b4421fd
// 384: q3
DATA expconst<>+384(SB)/8, $0x3f56c16c16c3396b
DATA expconst<>+392(SB)/8, $0x3f56c16c16c3396b
DATA expconst<>+400(SB)/8, $0x3f56c16c16c3396b
DATA expconst<>+408(SB)/8, $0x3f56c16c16c3396b
// 416: q2
DATA expconst<>+416(SB)/8, $0x3f8111111110e7a5
DATA expconst<>+424(SB)/8, $0x3f8111111110e7a5
DATA expconst<>+432(SB)/8, $0x3f8111111110e7a5
DATA expconst<>+440(SB)/8, $0x3f8111111110e7a5
// 448: q1
DATA expconst<>+448(SB)/8, $0x3fa55555555554f9
DATA expconst<>+456(SB)/8, $0x3fa55555555554f9
DATA expconst<>+464(SB)/8, $0x3fa55555555554f9
DATA expconst<>+472(SB)/8, $0x3fa55555555554f9
// 480: q0
DATA expconst<>+480(SB)/8, $0x3fc555555555555e
DATA expconst<>+488(SB)/8, $0x3fc555555555555e
DATA expconst<>+496(SB)/8, $0x3fc555555555555e
DATA expconst<>+504(SB)/8, $0x3fc555555555555e
// 512: 0.5
DATA expconst<>+512(SB)/8, $0x3fe0000000000000
DATA expconst<>+520(SB)/8, $0x3fe0000000000000
DATA expconst<>+528(SB)/8, $0x3fe0000000000000
DATA expconst<>+536(SB)/8, $0x3fe0000000000000
// 544: 1.0
DATA expconst<>+544(SB)/8, $0x3ff0000000000000
DATA expconst<>+552(SB)/8, $0x3ff0000000000000
DATA expconst<>+560(SB)/8, $0x3ff0000000000000
DATA expconst<>+568(SB)/8, $0x3ff0000000000000
// 576: bias1 (int64)
DATA expconst<>+576(SB)/8, $0x219bfffffffffc01
DATA expconst<>+584(SB)/8, $0x219bfffffffffc01
DATA expconst<>+592(SB)/8, $0x219bfffffffffc01
DATA expconst<>+600(SB)/8, $0x219bfffffffffc01
// 608: bias2 (int64)
DATA expconst<>+608(SB)/8, $0x4337fffffffff802
DATA expconst<>+616(SB)/8, $0x4337fffffffff802
DATA expconst<>+624(SB)/8, $0x4337fffffffff802
DATA expconst<>+632(SB)/8, $0x4337fffffffff802
GLOBL expconst<>(SB), RODATA|NOPTR, $640

#define CHI expconst<>+0(SB)
#define CLO expconst<>+32(SB)
#define LOG2E expconst<>+64(SB)
#define SHIFTER expconst<>+96(SB)
#define NLN2HI expconst<>+128(SB)
#define NLN2LO expconst<>+160(SB)
#define Q9 expconst<>+192(SB)
#define Q8 expconst<>+224(SB)
#define Q7 expconst<>+256(SB)
#define Q6 expconst<>+288(SB)
#define Q5 expconst<>+320(SB)
#define Q4 expconst<>+352(SB)
#define Q3 expconst<>+384(SB)
#define Q2 expconst<>+416(SB)
#define Q1 expconst<>+448(SB)
#define Q0 expconst<>+480(SB)
#define HALF expconst<>+512(SB)
#define ONE expconst<>+544(SB)
#define BIAS1 expconst<>+576(SB)
#define BIAS2 expconst<>+608(SB)

// EXP_AVX2: Y0 = ExpFast(Y0) in 4 lanes. Needs Y14 = 710, Y15 = -746;
// clobbers Y1-Y8. In ExpFast's names:
//
//	x = min(710, x); x = max(-746, x)   (x second operand: a NaN stays)
//	Y1 = t = fma(x, log2e, shifter); Y2 = k = t - shifter
//	Y0 = r1 = fma(k, -ln2hi, x); Y7 = r = fma(k, -ln2lo, r1)
//	Y0 = rl = fma(k, -ln2lo, r1 - r)
//	Y3, Y4, Y5 = r2, r4, r8
//	Y2 = b = fma(r, q7, q6); Y6 = c = fma(r, q5, q4); b = fma(r2, b, c)
//	Y6 = d = fma(r, q3, q2); Y8 = e = fma(r, q1, q0); d = fma(r2, d, e)
//	b = fma(r4, b, d); Y6 = a = fma(r, q9, q8); Y2 = u = fma(r8, a, b)
//	Y2 = v = fma(u, r, 0.5); Y4 = h = 1 + r; Y5 = hl = (1 - h) + r
//	Y5 = c = hl + rl; c = fma(r2, v, c); Y2 = u = h + c
//	Y6 = e1 = t>>1 - bias1; Y1 = e2 = t - e1 - bias2 (64-bit integers)
//	Y0 = u * (e1<<52) * (e2<<52)
#define EXP_AVX2 \
	VMINPD      Y0, Y14, Y0; \
	VMAXPD      Y0, Y15, Y0; \
	VMOVUPD     SHIFTER, Y1; \
	VFMADD231PD LOG2E, Y0, Y1; \
	VSUBPD      SHIFTER, Y1, Y2; \
	VFMADD231PD NLN2HI, Y2, Y0; \
	VMOVAPD     Y0, Y7; \
	VFMADD231PD NLN2LO, Y2, Y7; \
	VSUBPD      Y7, Y0, Y0; \
	VFMADD231PD NLN2LO, Y2, Y0; \
	VMULPD      Y7, Y7, Y3; \
	VMULPD      Y3, Y3, Y4; \
	VMULPD      Y4, Y4, Y5; \
	VMOVUPD     Q7, Y2; \
	VFMADD213PD Q6, Y7, Y2; \
	VMOVUPD     Q5, Y6; \
	VFMADD213PD Q4, Y7, Y6; \
	VFMADD213PD Y6, Y3, Y2; \
	VMOVUPD     Q3, Y6; \
	VFMADD213PD Q2, Y7, Y6; \
	VMOVUPD     Q1, Y8; \
	VFMADD213PD Q0, Y7, Y8; \
	VFMADD213PD Y8, Y3, Y6; \
	VFMADD213PD Y6, Y4, Y2; \
	VMOVUPD     Q9, Y6; \
	VFMADD213PD Q8, Y7, Y6; \
	VFMADD231PD Y6, Y5, Y2; \
	VFMADD213PD HALF, Y7, Y2; \
	VADDPD      ONE, Y7, Y4; \
	VMOVUPD     ONE, Y5; \
	VSUBPD      Y4, Y5, Y5; \
	VADDPD      Y7, Y5, Y5; \
	VADDPD      Y0, Y5, Y5; \
	VFMADD231PD Y2, Y3, Y5; \
	VADDPD      Y5, Y4, Y2; \
	VPSRLQ      $1, Y1, Y6; \
	VPSUBQ      BIAS1, Y6, Y6; \
	VPSUBQ      Y6, Y1, Y1; \
	VPSUBQ      BIAS2, Y1, Y1; \
	VPSLLQ      $52, Y6, Y6; \
	VPSLLQ      $52, Y1, Y1; \
	VMULPD      Y6, Y2, Y2; \
	VMULPD      Y1, Y2, Y0

// LOADCONST512 puts the constants of EXP_AVX512 in Z14-Z31.
#define LOADCONST512 \
	VBROADCASTSD HALF, Z14; \
	VBROADCASTSD ONE, Z15; \
	VBROADCASTSD CHI, Z16; \
	VBROADCASTSD CLO, Z17; \
	VBROADCASTSD LOG2E, Z18; \
	VBROADCASTSD SHIFTER, Z19; \
	VBROADCASTSD NLN2HI, Z20; \
	VBROADCASTSD NLN2LO, Z21; \
	VBROADCASTSD Q9, Z22; \
	VBROADCASTSD Q8, Z23; \
	VBROADCASTSD Q7, Z24; \
	VBROADCASTSD Q6, Z25; \
	VBROADCASTSD Q5, Z26; \
	VBROADCASTSD Q4, Z27; \
	VBROADCASTSD Q3, Z28; \
	VBROADCASTSD Q2, Z29; \
	VBROADCASTSD Q1, Z30; \
	VBROADCASTSD Q0, Z31

// EXP_AVX512: Z0 = ExpFast(Z0) in 8 lanes, as EXP_AVX2; clobbers Z1-Z8. The final
// u·2^k is one VSCALEFPD: u·2^k1 is exact in ExpFast, so both round the
// same product once.
#define EXP_AVX512 \
	VMINPD      Z0, Z16, Z0; \
	VMAXPD      Z0, Z17, Z0; \
	VMOVAPD     Z19, Z1; \
	VFMADD231PD Z18, Z0, Z1; \
	VSUBPD      Z19, Z1, Z1; \
	VFMADD231PD Z20, Z1, Z0; \
	VMOVAPD     Z0, Z7; \
	VFMADD231PD Z21, Z1, Z7; \
	VSUBPD      Z7, Z0, Z0; \
	VFMADD231PD Z21, Z1, Z0; \
	VMULPD      Z7, Z7, Z3; \
	VMULPD      Z3, Z3, Z4; \
	VMULPD      Z4, Z4, Z5; \
	VMOVAPD     Z24, Z2; \
	VFMADD213PD Z25, Z7, Z2; \
	VMOVAPD     Z26, Z6; \
	VFMADD213PD Z27, Z7, Z6; \
	VFMADD213PD Z6, Z3, Z2; \
	VMOVAPD     Z28, Z6; \
	VFMADD213PD Z29, Z7, Z6; \
	VMOVAPD     Z30, Z8; \
	VFMADD213PD Z31, Z7, Z8; \
	VFMADD213PD Z8, Z3, Z6; \
	VFMADD213PD Z6, Z4, Z2; \
	VMOVAPD     Z22, Z6; \
	VFMADD213PD Z23, Z7, Z6; \
	VFMADD231PD Z6, Z5, Z2; \
	VFMADD213PD Z14, Z7, Z2; \
	VADDPD      Z15, Z7, Z4; \
	VSUBPD      Z4, Z15, Z5; \
	VADDPD      Z7, Z5, Z5; \
	VADDPD      Z0, Z5, Z5; \
	VFMADD231PD Z2, Z3, Z5; \
	VADDPD      Z5, Z4, Z2; \
	VSCALEFPD   Z1, Z2, Z0

// func rowMax64AVX2(x []float64) float64
TEXT ·rowMax64AVX2(SB), NOSPLIT, $0-32
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ $0xfff0000000000000, AX
	VMOVQ AX, X0
	VPBROADCASTQ X0, Y0
	VMOVAPD Y0, Y1
	VMOVAPD Y0, Y2
	VMOVAPD Y0, Y3

max64loop16:
	CMPQ CX, $16
	JB   max64loop4
	// m = v > m ? v : m, lane by lane: a NaN v leaves m.
	VMOVUPD (SI), Y4
	VMAXPD  Y0, Y4, Y0
	VMOVUPD 32(SI), Y5
	VMAXPD  Y1, Y5, Y1
	VMOVUPD 64(SI), Y6
	VMAXPD  Y2, Y6, Y2
	VMOVUPD 96(SI), Y7
	VMAXPD  Y3, Y7, Y3
	ADDQ    $128, SI
	SUBQ    $16, CX
	JMP     max64loop16

max64loop4:
	CMPQ    CX, $4
	JB      max64reduce
	VMOVUPD (SI), Y4
	VMAXPD  Y0, Y4, Y0
	ADDQ    $32, SI
	SUBQ    $4, CX
	JMP     max64loop4

max64reduce:
	// No lane holds a NaN, so the order only decides the sign of a zero max.
	VMAXPD       Y1, Y0, Y0
	VMAXPD       Y3, Y2, Y2
	VMAXPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VMAXSD       X1, X0, X0

max64tail:
	TESTQ  CX, CX
	JZ     max64done
	VMOVSD (SI), X4
	VMAXSD X0, X4, X0
	ADDQ   $8, SI
	DECQ   CX
	JMP    max64tail

max64done:
	VZEROUPPER
	VMOVSD X0, ret+24(FP)
	RET

// func rowMax32AVX2(x []float32) float32
TEXT ·rowMax32AVX2(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVL $0xff800000, AX
	VMOVD AX, X0
	VPBROADCASTD X0, Y0
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3

max32loop32:
	CMPQ CX, $32
	JB   max32loop8
	VMOVUPS (SI), Y4
	VMAXPS  Y0, Y4, Y0
	VMOVUPS 32(SI), Y5
	VMAXPS  Y1, Y5, Y1
	VMOVUPS 64(SI), Y6
	VMAXPS  Y2, Y6, Y2
	VMOVUPS 96(SI), Y7
	VMAXPS  Y3, Y7, Y3
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     max32loop32

max32loop8:
	CMPQ    CX, $8
	JB      max32reduce
	VMOVUPS (SI), Y4
	VMAXPS  Y0, Y4, Y0
	ADDQ    $32, SI
	SUBQ    $8, CX
	JMP     max32loop8

max32reduce:
	VMAXPS       Y1, Y0, Y0
	VMAXPS       Y3, Y2, Y2
	VMAXPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VMAXSS       X1, X0, X0

max32tail:
	TESTQ  CX, CX
	JZ     max32done
	VMOVSS (SI), X4
	VMAXSS X0, X4, X0
	ADDQ   $4, SI
	DECQ   CX
	JMP    max32tail

max32done:
	VZEROUPPER
	VMOVSS X0, ret+24(FP)
	RET

// func rowSumExp64AVX2(x []float64, m float64, acc *[8]float64)
// Adds exp(x[i]-m) into lane i mod 8 of acc for the first len(x)&^7
// elements.
TEXT ·rowSumExp64AVX2(SB), NOSPLIT, $0-40
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD m+24(FP), Y13
	MOVQ         acc+32(FP), DI
	VMOVUPD      (DI), Y11
	VMOVUPD      32(DI), Y12
	VMOVUPD      CHI, Y14
	VMOVUPD      CLO, Y15
	SHRQ         $3, CX
	JZ           sum64done

sum64loop:
	VMOVUPD (SI), Y0
	VSUBPD  Y13, Y0, Y0
	EXP_AVX2
	VADDPD  Y0, Y11, Y11
	VMOVUPD 32(SI), Y0
	VSUBPD  Y13, Y0, Y0
	EXP_AVX2
	VADDPD  Y0, Y12, Y12
	ADDQ    $64, SI
	DECQ    CX
	JNZ     sum64loop

sum64done:
	VMOVUPD Y11, (DI)
	VMOVUPD Y12, 32(DI)
	VZEROUPPER
	RET

// func rowSumExp32AVX2(x []float32, m float64, acc *[8]float64)
TEXT ·rowSumExp32AVX2(SB), NOSPLIT, $0-40
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD m+24(FP), Y13
	MOVQ         acc+32(FP), DI
	VMOVUPD      (DI), Y11
	VMOVUPD      32(DI), Y12
	VMOVUPD      CHI, Y14
	VMOVUPD      CLO, Y15
	SHRQ         $3, CX
	JZ           sum32done

sum32loop:
	VCVTPS2PD (SI), Y0
	VSUBPD    Y13, Y0, Y0
	EXP_AVX2
	VADDPD    Y0, Y11, Y11
	VCVTPS2PD 16(SI), Y0
	VSUBPD    Y13, Y0, Y0
	EXP_AVX2
	VADDPD    Y0, Y12, Y12
	ADDQ      $32, SI
	DECQ      CX
	JNZ       sum32loop

sum32done:
	VMOVUPD Y11, (DI)
	VMOVUPD Y12, 32(DI)
	VZEROUPPER
	RET

// func addScaledExp64AVX2(dst, src []float64, scale, shift float64)
// Does the first len(src)&^3 elements.
TEXT ·addScaledExp64AVX2(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSD scale+48(FP), Y12
	VBROADCASTSD shift+56(FP), Y13
	VMOVUPD      CHI, Y14
	VMOVUPD      CLO, Y15
	SHRQ         $2, CX
	JZ           add64done

add64loop:
	VMOVUPD (SI), Y0
	VSUBPD  Y13, Y0, Y0
	EXP_AVX2
	VMULPD  Y12, Y0, Y0
	VADDPD  (DI), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     add64loop

add64done:
	VZEROUPPER
	RET

// func addScaledExp32AVX2(dst, src []float32, scale, shift float64)
TEXT ·addScaledExp32AVX2(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSD scale+48(FP), Y12
	VBROADCASTSD shift+56(FP), Y13
	VMOVUPD      CHI, Y14
	VMOVUPD      CLO, Y15
	SHRQ         $2, CX
	JZ           add32done

add32loop:
	VCVTPS2PD  (SI), Y0
	VSUBPD     Y13, Y0, Y0
	EXP_AVX2
	VMULPD     Y12, Y0, Y0
	VCVTPD2PSY Y0, X0
	VADDPS     (DI), X0, X0
	VMOVUPS    X0, (DI)
	ADDQ       $16, SI
	ADDQ       $16, DI
	DECQ       CX
	JNZ        add32loop

add32done:
	VZEROUPPER
	RET

// TAILMASK sets K1 to the low CX bits (CX in 1..7).
#define TAILMASK \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1

// func rowSumExp64AVX512(x []float64, m float64, acc *[8]float64)
// Adds exp(x[i]-m) into lane i mod 8 of acc for all of x.
TEXT ·rowSumExp64AVX512(SB), NOSPLIT, $0-40
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD m+24(FP), Z13
	MOVQ         acc+32(FP), DI
	VMOVUPD      (DI), Z11
	LOADCONST512
	MOVQ         CX, DX
	SHRQ         $3, DX
	JZ           sum64x8tail

sum64x8loop:
	VMOVUPD (SI), Z0
	VSUBPD  Z13, Z0, Z0
	EXP_AVX512
	VADDPD  Z0, Z11, Z11
	ADDQ    $64, SI
	DECQ    DX
	JNZ     sum64x8loop

sum64x8tail:
	ANDQ      $7, CX
	JZ        sum64x8done
	TAILMASK
	VMOVUPD.Z (SI), K1, Z0
	VSUBPD    Z13, Z0, Z0
	EXP_AVX512
	VADDPD    Z0, Z11, K1, Z11

sum64x8done:
	VMOVUPD Z11, (DI)
	VZEROUPPER
	RET

// func rowSumExp32AVX512(x []float32, m float64, acc *[8]float64)
TEXT ·rowSumExp32AVX512(SB), NOSPLIT, $0-40
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD m+24(FP), Z13
	MOVQ         acc+32(FP), DI
	VMOVUPD      (DI), Z11
	LOADCONST512
	MOVQ         CX, DX
	SHRQ         $3, DX
	JZ           sum32x8tail

sum32x8loop:
	VCVTPS2PD (SI), Z0
	VSUBPD    Z13, Z0, Z0
	EXP_AVX512
	VADDPD    Z0, Z11, Z11
	ADDQ      $32, SI
	DECQ      DX
	JNZ       sum32x8loop

sum32x8tail:
	ANDQ      $7, CX
	JZ        sum32x8done
	TAILMASK
	VMOVUPS.Z (SI), K1, Y0
	VCVTPS2PD Y0, Z0
	VSUBPD    Z13, Z0, Z0
	EXP_AVX512
	VADDPD    Z0, Z11, K1, Z11

sum32x8done:
	VMOVUPD Z11, (DI)
	VZEROUPPER
	RET

// func addScaledExp64AVX512(dst, src []float64, scale, shift float64)
TEXT ·addScaledExp64AVX512(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSD scale+48(FP), Z12
	VBROADCASTSD shift+56(FP), Z13
	LOADCONST512
	MOVQ         CX, DX
	SHRQ         $3, DX
	JZ           add64x8tail

add64x8loop:
	VMOVUPD (SI), Z0
	VSUBPD  Z13, Z0, Z0
	EXP_AVX512
	VMULPD  Z12, Z0, Z0
	VADDPD  (DI), Z0, Z0
	VMOVUPD Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    DX
	JNZ     add64x8loop

add64x8tail:
	ANDQ      $7, CX
	JZ        add64x8done
	TAILMASK
	VMOVUPD.Z (SI), K1, Z0
	VSUBPD    Z13, Z0, Z0
	EXP_AVX512
	VMULPD    Z12, Z0, Z0
	VMOVUPD.Z (DI), K1, Z8
	VADDPD    Z8, Z0, Z0
	VMOVUPD   Z0, K1, (DI)

add64x8done:
	VZEROUPPER
	RET

// func addScaledExp32AVX512(dst, src []float32, scale, shift float64)
TEXT ·addScaledExp32AVX512(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSD scale+48(FP), Z12
	VBROADCASTSD shift+56(FP), Z13
	LOADCONST512
	MOVQ         CX, DX
	SHRQ         $3, DX
	JZ           add32x8tail

add32x8loop:
	VCVTPS2PD (SI), Z0
	VSUBPD    Z13, Z0, Z0
	EXP_AVX512
	VMULPD    Z12, Z0, Z0
	VCVTPD2PS Z0, Y0
	VADDPS    (DI), Y0, Y0
	VMOVUPS   Y0, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	DECQ      DX
	JNZ       add32x8loop

add32x8tail:
	ANDQ      $7, CX
	JZ        add32x8done
	TAILMASK
	VMOVUPS.Z (SI), K1, Y0
	VCVTPS2PD Y0, Z0
	VSUBPD    Z13, Z0, Z0
	EXP_AVX512
	VMULPD    Z12, Z0, Z0
	VCVTPD2PS Z0, Y0
	VMOVUPS.Z (DI), K1, Y8
	VADDPS    Y8, Y0, Y0
	VMOVUPS   Y0, K1, (DI)

add32x8done:
	VZEROUPPER
	RET
