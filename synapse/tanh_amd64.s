// tanh8 (tanh.go): math.Tanh for eight values at a time with AVX-512,
// math's own steps (tanh.go in the Go distribution) lane by lane, without
// FMA, given the exponentials e^{2|x|} of its |x| ≥ 0.625 branch.

#include "textflag.h"

DATA tanhv<>+0(SB)/8, $-9.64399179425052238628e-1  // P0
DATA tanhv<>+8(SB)/8, $-9.92877231001918586564e1   // P1
DATA tanhv<>+16(SB)/8, $-1.61468768441708447952e3  // P2
DATA tanhv<>+24(SB)/8, $1.12811678491632931402e2   // Q0
DATA tanhv<>+32(SB)/8, $2.23548839060100448583e3   // Q1
DATA tanhv<>+40(SB)/8, $4.84406305325125486048e3   // Q2
DATA tanhv<>+48(SB)/8, $0.625
DATA tanhv<>+56(SB)/8, $44.014845965556527147994   // 0.5·log(2^127)
DATA tanhv<>+64(SB)/8, $1.0
DATA tanhv<>+72(SB)/8, $2.0
DATA tanhv<>+80(SB)/8, $0x7fffffffffffffff          // |·|
DATA tanhv<>+88(SB)/8, $0x8000000000000000          // sign
DATA tanhv<>+96(SB)/8, $0x0008000000000000          // a NaN's quiet bit
GLOBL tanhv<>+0(SB), RODATA, $104

// func tanh8(x, s []float64) int
// For the whole chunks of 8 of x: x[i] = math.Tanh(x[i]), s[i] holding
// math.Exp(2·|x[i]|). Returns how many it wrote.
TEXT ·tanh8(SB), NOSPLIT, $0-56
	MOVQ x_base+0(FP), DI
	MOVQ x_len+8(FP), CX
	MOVQ s_base+24(FP), SI
	VBROADCASTSD tanhv<>+0(SB), Z20
	VBROADCASTSD tanhv<>+8(SB), Z21
	VBROADCASTSD tanhv<>+16(SB), Z22
	VBROADCASTSD tanhv<>+24(SB), Z23
	VBROADCASTSD tanhv<>+32(SB), Z24
	VBROADCASTSD tanhv<>+40(SB), Z25
	VBROADCASTSD tanhv<>+48(SB), Z26
	VBROADCASTSD tanhv<>+56(SB), Z27
	VBROADCASTSD tanhv<>+64(SB), Z28
	VBROADCASTSD tanhv<>+72(SB), Z29
	VPBROADCASTQ tanhv<>+80(SB), Z30
	VPBROADCASTQ tanhv<>+88(SB), Z31
	VPBROADCASTQ tanhv<>+96(SB), Z19
	VPXORQ Z18, Z18, Z18                // 0
	SHRQ $3, CX
	MOVQ CX, AX
	SHLQ $3, AX
	TESTQ CX, CX
	JE   done
loop:
	VMOVUPD (DI), Z0                    // x
	VPANDQ Z30, Z0, Z1                  // z = |x|
	// The rational branch: x + x·s·((P0·s + P1)·s + P2)/(((s + Q0)·s + Q1)·s + Q2), s = x².
	VMULPD Z0, Z0, Z2                   // s
	VMULPD Z20, Z2, Z3                  // P0·s
	VADDPD Z21, Z3, Z3                  // + P1
	VMULPD Z2, Z3, Z3                   // ·s
	VADDPD Z22, Z3, Z3                  // + P2
	VADDPD Z23, Z2, Z4                  // s + Q0
	VMULPD Z2, Z4, Z4                   // ·s
	VADDPD Z24, Z4, Z4                  // + Q1
	VMULPD Z2, Z4, Z4                   // ·s
	VADDPD Z25, Z4, Z4                  // + Q2
	VMULPD Z2, Z0, Z5                   // x·s
	VMULPD Z3, Z5, Z5                   // ·(P…)
	VDIVPD Z4, Z5, Z5                   // /(Q…)
	VADDPD Z5, Z0, Z5                   // x + …
	// |x| ≥ 0.625: 1 − 2/(e^{2|x|} + 1), with x's sign.
	VMOVUPD (SI), Z6
	VADDPD Z28, Z6, Z6                  // e + 1
	VDIVPD Z6, Z29, Z6                  // 2/(e + 1)
	VSUBPD Z6, Z28, Z6                  // 1 − …
	VPANDQ Z31, Z0, Z7                  // x's sign
	VPXORQ Z7, Z6, Z6                   // −… where x < 0
	VCMPPD $29, Z26, Z1, K1             // |x| ≥ 0.625
	VMOVAPD Z6, K1, Z5
	// |x| > 0.5·log(2^127) (±Inf too): ±1.
	VCMPPD $30, Z27, Z1, K2             // |x| > …
	VPORQ Z28, Z7, Z6                   // ±1
	VMOVAPD Z6, K2, Z5
	// x = ±0: x itself; NaN: x, quieted (as math.Tanh's arithmetic gives it).
	VCMPPD $0, Z18, Z0, K3              // x == 0
	VMOVAPD Z0, K3, Z5
	VCMPPD $3, Z0, Z0, K4               // x NaN
	VPORQ Z19, Z0, Z6
	VMOVAPD Z6, K4, Z5
	VMOVUPD Z5, (DI)
	ADDQ $64, DI
	ADDQ $64, SI
	DECQ CX
	JNE  loop
done:
	MOVQ AX, ret+48(FP)
	VZEROUPPER
	RET
