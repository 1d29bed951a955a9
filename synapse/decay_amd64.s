// An AVX2+FMA decay kernel: dst[i] = exp(delta·ll[i]) where ll[i] is a
// number (ln λ ≤ 0, or −Inf for λ = 0), and dst[i] = lambda[i] where it is
// NaN (λ outside [0, 1]). The exponential is math.Exp's own amd64 method
// with FMA (exp_amd64.s, after Shibata's SLEEF), lane by lane the same
// operations in the same order, so it gives math.Exp's bits on a CPU
// with FMA — where Go's math.Exp takes that path too.

#include "textflag.h"

#define LOG2E 1.4426950408889634073599246810018920
#define LN2U 0.69314718055966295651160180568695068359375
#define LN2L 0.28235290563031577122588448175013436025525412068e-12

DATA decayv<>+0(SB)/8, $LOG2E
DATA decayv<>+8(SB)/8, $LOG2E
DATA decayv<>+16(SB)/8, $LOG2E
DATA decayv<>+24(SB)/8, $LOG2E
DATA decayv<>+32(SB)/8, $LN2U
DATA decayv<>+40(SB)/8, $LN2U
DATA decayv<>+48(SB)/8, $LN2U
DATA decayv<>+56(SB)/8, $LN2U
DATA decayv<>+64(SB)/8, $LN2L
DATA decayv<>+72(SB)/8, $LN2L
DATA decayv<>+80(SB)/8, $LN2L
DATA decayv<>+88(SB)/8, $LN2L
DATA decayv<>+96(SB)/8, $0.0625
DATA decayv<>+104(SB)/8, $0.0625
DATA decayv<>+112(SB)/8, $0.0625
DATA decayv<>+120(SB)/8, $0.0625
DATA decayv<>+128(SB)/8, $2.4801587301587301587e-5
DATA decayv<>+136(SB)/8, $2.4801587301587301587e-5
DATA decayv<>+144(SB)/8, $2.4801587301587301587e-5
DATA decayv<>+152(SB)/8, $2.4801587301587301587e-5
DATA decayv<>+160(SB)/8, $1.9841269841269841270e-4
DATA decayv<>+168(SB)/8, $1.9841269841269841270e-4
DATA decayv<>+176(SB)/8, $1.9841269841269841270e-4
DATA decayv<>+184(SB)/8, $1.9841269841269841270e-4
DATA decayv<>+192(SB)/8, $1.3888888888888888889e-3
DATA decayv<>+200(SB)/8, $1.3888888888888888889e-3
DATA decayv<>+208(SB)/8, $1.3888888888888888889e-3
DATA decayv<>+216(SB)/8, $1.3888888888888888889e-3
DATA decayv<>+224(SB)/8, $8.3333333333333333333e-3
DATA decayv<>+232(SB)/8, $8.3333333333333333333e-3
DATA decayv<>+240(SB)/8, $8.3333333333333333333e-3
DATA decayv<>+248(SB)/8, $8.3333333333333333333e-3
DATA decayv<>+256(SB)/8, $4.1666666666666666667e-2
DATA decayv<>+264(SB)/8, $4.1666666666666666667e-2
DATA decayv<>+272(SB)/8, $4.1666666666666666667e-2
DATA decayv<>+280(SB)/8, $4.1666666666666666667e-2
DATA decayv<>+288(SB)/8, $1.6666666666666666667e-1
DATA decayv<>+296(SB)/8, $1.6666666666666666667e-1
DATA decayv<>+304(SB)/8, $1.6666666666666666667e-1
DATA decayv<>+312(SB)/8, $1.6666666666666666667e-1
DATA decayv<>+320(SB)/8, $0.5
DATA decayv<>+328(SB)/8, $0.5
DATA decayv<>+336(SB)/8, $0.5
DATA decayv<>+344(SB)/8, $0.5
DATA decayv<>+352(SB)/8, $1.0
DATA decayv<>+360(SB)/8, $1.0
DATA decayv<>+368(SB)/8, $1.0
DATA decayv<>+376(SB)/8, $1.0
DATA decayv<>+384(SB)/8, $2.0
DATA decayv<>+392(SB)/8, $2.0
DATA decayv<>+400(SB)/8, $2.0
DATA decayv<>+408(SB)/8, $2.0
DATA decayv<>+416(SB)/8, $1023
DATA decayv<>+424(SB)/8, $-53
DATA decayv<>+432(SB)/8, $1074
DATA decayv<>+440(SB)/8, $0x4330000000000000 // 2^52, as a float64 and as its bits
DATA decayv<>+448(SB)/8, $-1076.0
GLOBL decayv<>+0(SB), RODATA, $456

// func decay4(dst, ll, lambda []float64, delta float64) int
// Writes the whole chunks of 4 and returns how many elements it wrote:
// len(dst) rounded down to a multiple of 4.
TEXT ·decay4(SB), NOSPLIT, $0-88
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ ll_base+24(FP), SI
	MOVQ lambda_base+48(FP), DX
	VBROADCASTSD delta+72(FP), Y15
	VPBROADCASTQ decayv<>+416(SB), Y11 // 1023 (int64)
	VPBROADCASTQ decayv<>+424(SB), Y10 // −53 (int64)
	VPXOR Y9, Y9, Y9                  // 0
	VBROADCASTSD decayv<>+448(SB), Y12 // −1076.0
	SHRQ $2, CX
	MOVQ CX, AX
	SHLQ $2, AX
	TESTQ CX, CX
	JE   done
loop:
	VMOVUPD (SI), Y8                  // ln λ
	VMULPD Y8, Y15, Y0                // x = delta·ln λ
	VMULPD decayv<>+0(SB), Y0, Y1       // x·LOG2E
	// Where x·LOG2E < −1076, k ≤ −1076 and the result is 0 whatever
	// the polynomial: those lanes compute exp(0) instead and are set to
	// 0 at the end, so that no lane takes the slow subnormal arithmetic
	// of a value that vanishes anyway (a gap of hours made decay 2.4×
	// slower).
	VCMPPD $1, Y12, Y1, Y7            // under: x·LOG2E < −1076
	VBLENDVPD Y7, Y9, Y0, Y0
	VBLENDVPD Y7, Y9, Y1, Y1
	VCVTPD2DQY Y1, X2                 // k, rounded to nearest (int32)
	VCVTDQ2PD X2, Y1                  // float(k)
	VMOVUPD decayv<>+32(SB), Y3
	VFNMADD231PD Y3, Y1, Y0           // x −= k·LN2U (fused)
	VMOVUPD decayv<>+64(SB), Y3
	VFNMADD231PD Y3, Y1, Y0           // x −= k·LN2L (fused)
	VMULPD decayv<>+96(SB), Y0, Y0   // x·0.0625
	VMOVUPD decayv<>+128(SB), Y1
	VFMADD213PD decayv<>+160(SB), Y0, Y1
	VFMADD213PD decayv<>+192(SB), Y0, Y1
	VFMADD213PD decayv<>+224(SB), Y0, Y1
	VFMADD213PD decayv<>+256(SB), Y0, Y1
	VFMADD213PD decayv<>+288(SB), Y0, Y1
	VFMADD213PD decayv<>+320(SB), Y0, Y1
	VFMADD213PD decayv<>+352(SB), Y0, Y1
	VMULPD Y1, Y0, Y0
	VMOVUPD decayv<>+384(SB), Y4
	VADDPD Y4, Y0, Y1
	VMULPD Y1, Y0, Y0
	VADDPD Y4, Y0, Y1
	VMULPD Y1, Y0, Y0
	VADDPD Y4, Y0, Y1
	VMULPD Y1, Y0, Y0
	VADDPD Y4, Y0, Y1
	VFMADD213PD decayv<>+352(SB), Y1, Y0    // x = x·(x + 2) + 1 (fused)
	// e = k + 1023: normal (e > 0) ×2^k; under (e < −52) 0; between,
	// subnormal: math.Exp computes (x·2^(k+1022))·2^−1022, which rounds
	// x·2^(k+1074) to an integer, ties to even, and takes it as the
	// subnormal's bits. The same rounding is done here in normal
	// arithmetic: t = x·2^(k+1074) = x·2^(e+51) is exact and below 2^52,
	// so t + 2^52 rounds t to an integer r and has the bits of 2^52 plus
	// r — and no lane takes the CPU's slow subnormal arithmetic.
	VPMOVSXDQ X2, Y5
	VPADDQ Y11, Y5, Y5
	VPSLLQ $52, Y5, Y1
	VMULPD Y1, Y0, Y3                 // normal
	VPCMPGTQ Y9, Y5, Y6               // e > 0
	VPCMPGTQ Y5, Y10, Y13             // e < −52
	VPOR Y6, Y13, Y14
	VBLENDVPD Y14, Y9, Y5, Y14        // e, or 0 where not subnormal
	VPBROADCASTQ decayv<>+432(SB), Y1
	VPADDQ Y1, Y14, Y1
	VPSLLQ $52, Y1, Y1                // 2^(e+51)
	VMULPD Y1, Y0, Y0                 // t
	VPBROADCASTQ decayv<>+440(SB), Y1
	VADDPD Y1, Y0, Y0                 // 2^52 + r
	VPSUBQ Y1, Y0, Y0                 // subnormal: the bits r
	VBLENDVPD Y6, Y3, Y0, Y0
	VBLENDVPD Y13, Y9, Y0, Y0         // under → 0
	VBLENDVPD Y7, Y9, Y0, Y0          // far under → 0
	VCMPPD $3, Y8, Y8, Y6             // ln λ NaN: λ outside [0, 1]
	VBLENDVPD Y6, (DX), Y0, Y0        // → λ itself
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	DECQ CX
	JNE  loop
done:
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

// func decay8(dst, ll, lambda []float64, delta float64) int
// decay4 with AVX-512: eight at a time, the same operations lane by lane,
// constants held in registers. Writes the whole chunks of 8 and returns how
// many elements it wrote.
TEXT ·decay8(SB), NOSPLIT, $0-88
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ ll_base+24(FP), SI
	MOVQ lambda_base+48(FP), DX
	VBROADCASTSD delta+72(FP), Z15
	VPBROADCASTQ decayv<>+416(SB), Z11 // 1023 (int64)
	VPBROADCASTQ decayv<>+424(SB), Z10 // −53 (int64)
	VPXORQ Z9, Z9, Z9                  // 0
	VBROADCASTSD decayv<>+448(SB), Z12 // −1076.0
	VBROADCASTSD decayv<>+0(SB), Z16   // LOG2E
	VBROADCASTSD decayv<>+32(SB), Z17  // LN2U
	VBROADCASTSD decayv<>+64(SB), Z18  // LN2L
	VBROADCASTSD decayv<>+96(SB), Z19  // 0.0625
	VBROADCASTSD decayv<>+128(SB), Z20 // Taylor coefficients, highest first
	VBROADCASTSD decayv<>+160(SB), Z21
	VBROADCASTSD decayv<>+192(SB), Z22
	VBROADCASTSD decayv<>+224(SB), Z23
	VBROADCASTSD decayv<>+256(SB), Z24
	VBROADCASTSD decayv<>+288(SB), Z25
	VBROADCASTSD decayv<>+320(SB), Z26
	VBROADCASTSD decayv<>+352(SB), Z27 // 1.0
	VBROADCASTSD decayv<>+384(SB), Z4  // 2.0
	VPBROADCASTQ decayv<>+432(SB), Z28 // 1074 (int64)
	VPBROADCASTQ decayv<>+440(SB), Z29 // 2^52 and its bits
	SHRQ $3, CX
	MOVQ CX, AX
	SHLQ $3, AX
	TESTQ CX, CX
	JE   done8
loop8:
	VMOVUPD (SI), Z8                   // ln λ
	VMULPD Z8, Z15, Z0                 // x = delta·ln λ
	VMULPD Z16, Z0, Z1                 // x·LOG2E
	VCMPPD $1, Z12, Z1, K1             // far under: x·LOG2E < −1076 (see decay4)
	VCMPPD $3, Z8, Z8, K4              // ln λ NaN: λ outside [0, 1]
	// When no lane needs the exponential (every one far under or outside
	// [0, 1], as for most synapses over a long gap), store 0 and λ.
	KORW K1, K4, K6
	KMOVW K6, R8
	CMPB R8, $0xff
	JNE  poly8
	VMOVUPD (DX), Z6
	VBLENDMPD Z6, Z9, K4, Z0
	JMP  store8
poly8:
	VBLENDMPD Z9, Z0, K1, Z0
	VBLENDMPD Z9, Z1, K1, Z1
	VCVTPD2DQ Z1, Y2                   // k, rounded to nearest (int32)
	VCVTDQ2PD Y2, Z1                   // float(k)
	VFNMADD231PD Z17, Z1, Z0           // x −= k·LN2U (fused)
	VFNMADD231PD Z18, Z1, Z0           // x −= k·LN2L (fused)
	VMULPD Z19, Z0, Z0                 // x·0.0625
	VMOVAPD Z20, Z1
	VFMADD213PD Z21, Z0, Z1
	VFMADD213PD Z22, Z0, Z1
	VFMADD213PD Z23, Z0, Z1
	VFMADD213PD Z24, Z0, Z1
	VFMADD213PD Z25, Z0, Z1
	VFMADD213PD Z26, Z0, Z1
	VFMADD213PD Z27, Z0, Z1
	VMULPD Z1, Z0, Z0
	VADDPD Z4, Z0, Z1
	VMULPD Z1, Z0, Z0
	VADDPD Z4, Z0, Z1
	VMULPD Z1, Z0, Z0
	VADDPD Z4, Z0, Z1
	VMULPD Z1, Z0, Z0
	VADDPD Z4, Z0, Z1
	VFMADD213PD Z27, Z1, Z0            // x = x·(x + 2) + 1 (fused)
	VPMOVSXDQ Y2, Z5
	VPADDQ Z11, Z5, Z5                 // e = k + 1023
	VPSLLQ $52, Z5, Z1
	VMULPD Z1, Z0, Z3                  // normal
	VPCMPGTQ Z9, Z5, K2                // e > 0
	// Every lane normal (the common case; a far-under lane counts, its x
	// having been set to 0): the subnormal steps are skipped.
	KMOVW K2, R8
	CMPB R8, $0xff
	JNE  sub8
	VMOVAPD Z3, Z0
	JMP  fin8
sub8:
	VPCMPGTQ Z5, Z10, K3               // e < −52
	KORW K2, K3, K5
	VPBLENDMQ Z9, Z5, K5, Z13          // e, or 0 where not subnormal
	VPADDQ Z28, Z13, Z1
	VPSLLQ $52, Z1, Z1                 // 2^(e+51)
	VMULPD Z1, Z0, Z0                  // t (see decay4)
	VADDPD Z29, Z0, Z0                 // 2^52 + r
	VPSUBQ Z29, Z0, Z0                 // subnormal: the bits r
	VBLENDMPD Z3, Z0, K2, Z0
	VBLENDMPD Z9, Z0, K3, Z0           // under → 0
fin8:
	VBLENDMPD Z9, Z0, K1, Z0           // far under → 0
	VMOVUPD (DX), Z6
	VBLENDMPD Z6, Z0, K4, Z0           // → λ itself
store8:
	VMOVUPD Z0, (DI)
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, DX
	DECQ CX
	JNE  loop8
done8:
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

// func pack8(dst, ll, lambda, f, xs []float64, mask []byte, delta float64) int
// The first pass of a long gap's decay, eight at a time with AVX-512, over
// the whole chunks of 8 of dst: dst[i] = λ where ln λ is NaN (λ outside
// [0, 1]) and 0 elsewhere, and the synapses that need their exponential —
// not 0 whatever its polynomial (x·log₂e ≥ −1076 with x = delta·ln λ,
// decay8's test) and, when f is not empty, f[i] ≠ 0 — have their x packed
// in order into xs, and each chunk's lanes so taken into mask. Returns how
// many it packed. Each chunk stores a whole vector at the packed position,
// so xs needs the length of dst's chunks, no more.
TEXT ·pack8(SB), NOSPLIT, $0-160
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ ll_base+24(FP), SI
	MOVQ lambda_base+48(FP), DX
	MOVQ f_base+72(FP), R11
	MOVQ f_len+80(FP), R12
	MOVQ xs_base+96(FP), R9
	MOVQ mask_base+120(FP), R10
	VBROADCASTSD delta+144(FP), Z15
	VBROADCASTSD decayv<>+0(SB), Z16   // LOG2E
	VBROADCASTSD decayv<>+448(SB), Z12 // −1076.0
	VPTERNLOGQ $0xff, Z10, Z10, Z10
	VPSRLQ $1, Z10, Z10                // 0x7fff…: all bits but the sign
	XORQ AX, AX
	SHRQ $3, CX
	TESTQ CX, CX
	JE   donep
loopp:
	VMOVUPD (SI), Z8                   // ln λ
	VMULPD Z8, Z15, Z0                 // x = delta·ln λ
	VMULPD Z16, Z0, Z1                 // x·LOG2E
	VCMPPD $29, Z12, Z1, K1            // x·LOG2E ≥ −1076 (false for NaN)
	TESTQ R12, R12
	JE   nof
	VPTESTMQ (R11), Z10, K1, K1        // and f ≠ ±0: its bits but the sign (integer: a subnormal f takes no assist)
	ADDQ $64, R11
nof:
	VCMPPD $3, Z8, Z8, K4              // ln λ NaN: λ outside [0, 1]
	VMOVUPD.Z (DX), K4, Z6             // λ there, 0 elsewhere
	VMOVUPD Z6, (DI)
	VCOMPRESSPD.Z Z0, K1, Z2
	VMOVUPD Z2, (R9)(AX*8)
	KMOVW K1, R8
	MOVB R8, (R10)
	POPCNTL R8, R8
	ADDQ R8, AX
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, DX
	INCQ R10
	DECQ CX
	JNE  loopp
donep:
	MOVQ AX, ret+152(FP)
	VZEROUPPER
	RET

// func expand8(dst, ys []float64, mask []byte)
// The last pass of a long gap's decay, over the whole chunks of 8 of dst:
// the packed values ys go back, in order, to the lanes pack8 took them
// from (mask), the rest of dst left as it is.
TEXT ·expand8(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ ys_base+24(FP), R9
	MOVQ mask_base+48(FP), R10
	XORQ AX, AX
	SHRQ $3, CX
	TESTQ CX, CX
	JE   donee
loope:
	MOVBLZX (R10), R8
	KMOVW R8, K1
	VMOVUPD (DI), Z6
	VEXPANDPD (R9)(AX*8), K1, Z6
	VMOVUPD Z6, (DI)
	POPCNTL R8, R8
	ADDQ R8, AX
	ADDQ $64, DI
	INCQ R10
	DECQ CX
	JNE  loope
donee:
	VZEROUPPER
	RET
