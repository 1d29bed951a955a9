// AVX2 kernels of the lock-step STPN block (block.go): the 8 lanes of a
// column are two 4-wide vectors, lane b being sequence b, so every lane's
// sums run in the order of the one-sequence kernels, with the same IEEE
// operations (no FMA), and give their bits. Two vectors per column make two
// independent chains for each running sum.

#include "textflag.h"

// With AVX-512 (useZ) the float64 kernels take the 8 lanes of a column as
// one 8-wide vector: the same operations lane by lane, each sum one chain
// (the lanes' chains are independent: the order of each lane's sum is
// unchanged), half the instructions.

// func sumSquares8(w, f, row []float64, ss *[8]float64)
// For c in [0, len(w)): v = w[c] + f[8c:8c+8]; row[8c:8c+8] = v; ss += v*v.
TEXT ·sumSquares8(SB), NOSPLIT, $0-80
	CMPB ·useZ(SB), $0
	JNE  sumSquares8z
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ f_base+24(FP), DX
	MOVQ row_base+48(FP), DI
	MOVQ ss+72(FP), AX
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y4
	TESTQ CX, CX
	JE   done
loop:
	VBROADCASTSD (SI), Y1
	VADDPD (DX), Y1, Y2
	VADDPD 32(DX), Y1, Y5
	VMOVUPD Y2, (DI)
	VMOVUPD Y5, 32(DI)
	VMULPD Y2, Y2, Y2
	VMULPD Y5, Y5, Y5
	VADDPD Y2, Y0, Y0
	VADDPD Y5, Y4, Y4
	ADDQ $8, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNE  loop
done:
	VMOVUPD Y0, (AX)
	VMOVUPD Y4, 32(AX)
	VZEROUPPER
	RET

sumSquares8z:
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ f_base+24(FP), DX
	MOVQ row_base+48(FP), DI
	MOVQ ss+72(FP), AX
	VMOVUPD (AX), Z0
	TESTQ CX, CX
	JE   donesz
loopsz:
	VBROADCASTSD (SI), Z1
	VADDPD (DX), Z1, Z2
	VMOVUPD Z2, (DI)
	VMULPD Z2, Z2, Z2
	VADDPD Z2, Z0, Z0
	ADDQ $8, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNE  loopsz
donesz:
	VMOVUPD Z0, (AX)
	VZEROUPPER
	RET

// func read8(row, z []float64, nz []int32, inv, acc, paper *[8]float64)
// For c in nz: g = row[8c:8c+8]·inv; acc += g·z[8c:]; paper += (z·z)·|g|.
TEXT ·read8(SB), NOSPLIT, $0-96
	CMPB ·useZ(SB), $0
	JNE  read8z
	MOVQ row_base+0(FP), SI
	MOVQ z_base+24(FP), DX
	MOVQ nz_base+48(FP), BX
	MOVQ nz_len+56(FP), CX
	MOVQ inv+72(FP), AX
	VMOVUPD (AX), Y5
	VMOVUPD 32(AX), Y13
	MOVQ acc+80(FP), AX
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y8
	MOVQ paper+88(FP), AX
	VMOVUPD (AX), Y1
	VMOVUPD 32(AX), Y9
	// Y6 = 0x7fff… in every lane: |g| = g AND Y6.
	VPCMPEQQ Y6, Y6, Y6
	VPSRLQ $1, Y6, Y6
	TESTQ CX, CX
	JE   done
loop:
	MOVLQSX (BX), R8
	SHLQ $6, R8
	VMULPD (SI)(R8*1), Y5, Y2
	VMULPD 32(SI)(R8*1), Y13, Y10
	VMOVUPD (DX)(R8*1), Y3
	VMOVUPD 32(DX)(R8*1), Y11
	VMULPD Y3, Y2, Y4
	VMULPD Y11, Y10, Y12
	VADDPD Y4, Y0, Y0
	VADDPD Y12, Y8, Y8
	VMULPD Y3, Y3, Y3
	VMULPD Y11, Y11, Y11
	VANDPD Y6, Y2, Y2
	VANDPD Y6, Y10, Y10
	VMULPD Y2, Y3, Y3
	VMULPD Y10, Y11, Y11
	VADDPD Y3, Y1, Y1
	VADDPD Y11, Y9, Y9
	ADDQ $4, BX
	DECQ CX
	JNE  loop
done:
	MOVQ acc+80(FP), AX
	VMOVUPD Y0, (AX)
	VMOVUPD Y8, 32(AX)
	MOVQ paper+88(FP), AX
	VMOVUPD Y1, (AX)
	VMOVUPD Y9, 32(AX)
	VZEROUPPER
	RET

read8z:
	MOVQ row_base+0(FP), SI
	MOVQ z_base+24(FP), DX
	MOVQ nz_base+48(FP), BX
	MOVQ nz_len+56(FP), CX
	MOVQ inv+72(FP), AX
	VMOVUPD (AX), Z5
	MOVQ acc+80(FP), AX
	VMOVUPD (AX), Z0
	MOVQ paper+88(FP), AX
	VMOVUPD (AX), Z1
	// Z6 = 0x7fff… in every lane: |g| = g AND Z6.
	VPTERNLOGQ $0xff, Z6, Z6, Z6
	VPSRLQ $1, Z6, Z6
	TESTQ CX, CX
	JE   donerz
looprz:
	MOVLQSX (BX), R8
	SHLQ $6, R8
	VMULPD (SI)(R8*1), Z5, Z2
	VMOVUPD (DX)(R8*1), Z3
	VMULPD Z3, Z2, Z4
	VADDPD Z4, Z0, Z0
	VMULPD Z3, Z3, Z3
	VPANDQ Z6, Z2, Z2
	VMULPD Z2, Z3, Z3
	VADDPD Z3, Z1, Z1
	ADDQ $4, BX
	DECQ CX
	JNE  looprz
donerz:
	MOVQ acc+80(FP), AX
	VMOVUPD Z0, (AX)
	MOVQ paper+88(FP), AX
	VMOVUPD Z1, (AX)
	VZEROUPPER
	RET

// func update8(f, u, lam, gam []float64, sc, y *[8]float64)
// For c in [0, len(lam)): f[8c:] = (f[8c:]·sc)·lam[c] + gam[c]·(y·u[8c:]).
TEXT ·update8(SB), NOSPLIT, $0-112
	CMPB ·useZ(SB), $0
	JNE  update8z
	MOVQ f_base+0(FP), DI
	MOVQ u_base+24(FP), DX
	MOVQ lam_base+48(FP), SI
	MOVQ lam_len+56(FP), CX
	MOVQ gam_base+72(FP), BX
	MOVQ sc+96(FP), AX
	VMOVUPD (AX), Y5
	VMOVUPD 32(AX), Y7
	MOVQ y+104(FP), AX
	VMOVUPD (AX), Y6
	VMOVUPD 32(AX), Y8
	TESTQ CX, CX
	JE   done
loop:
	VBROADCASTSD (SI), Y1
	VBROADCASTSD (BX), Y3
	VMULPD (DI), Y5, Y0
	VMULPD 32(DI), Y7, Y9
	VMULPD Y1, Y0, Y0
	VMULPD Y1, Y9, Y9
	VMULPD (DX), Y6, Y2
	VMULPD 32(DX), Y8, Y10
	VMULPD Y2, Y3, Y2
	VMULPD Y10, Y3, Y10
	VADDPD Y2, Y0, Y0
	VADDPD Y10, Y9, Y9
	VMOVUPD Y0, (DI)
	VMOVUPD Y9, 32(DI)
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $8, SI
	ADDQ $8, BX
	DECQ CX
	JNE  loop
done:
	VZEROUPPER
	RET

update8z:
	MOVQ f_base+0(FP), DI
	MOVQ u_base+24(FP), DX
	MOVQ lam_base+48(FP), SI
	MOVQ lam_len+56(FP), CX
	MOVQ gam_base+72(FP), BX
	MOVQ sc+96(FP), AX
	VMOVUPD (AX), Z5
	MOVQ y+104(FP), AX
	VMOVUPD (AX), Z6
	TESTQ CX, CX
	JE   doneuz
loopuz:
	VBROADCASTSD (SI), Z1
	VBROADCASTSD (BX), Z3
	VMULPD (DI), Z5, Z0
	VMULPD Z1, Z0, Z0
	VMULPD (DX), Z6, Z2
	VMULPD Z2, Z3, Z2
	VADDPD Z2, Z0, Z0
	VMOVUPD Z0, (DI)
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $8, SI
	ADDQ $8, BX
	DECQ CX
	JNE  loopuz
doneuz:
	VZEROUPPER
	RET

// func updateSum8(w, f, row, u, lam, gam []float64, sc, y, ss *[8]float64)
// update8 and sumSquares8 in one pass: for c in [0, len(w)),
// f[8c:] = (f[8c:]·sc)·lam[c] + gam[c]·(y·u[8c:]); then v = w[c] + f[8c:],
// row[8c:] = v, ss += v*v — each operation as the two kernels take it.
TEXT ·updateSum8(SB), NOSPLIT, $0-168
	CMPB ·useZ(SB), $0
	JNE  updateSum8z
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ f_base+24(FP), DI
	MOVQ row_base+48(FP), R9
	MOVQ u_base+72(FP), DX
	MOVQ lam_base+96(FP), R10
	MOVQ gam_base+120(FP), BX
	MOVQ sc+144(FP), AX
	VMOVUPD (AX), Y5
	VMOVUPD 32(AX), Y7
	MOVQ y+152(FP), AX
	VMOVUPD (AX), Y6
	VMOVUPD 32(AX), Y8
	MOVQ ss+160(FP), AX
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y4
	TESTQ CX, CX
	JE   done
loop:
	VBROADCASTSD (R10), Y1
	VBROADCASTSD (BX), Y3
	VMULPD (DI), Y5, Y9
	VMULPD 32(DI), Y7, Y10
	VMULPD Y1, Y9, Y9
	VMULPD Y1, Y10, Y10
	VMULPD (DX), Y6, Y11
	VMULPD 32(DX), Y8, Y12
	VMULPD Y11, Y3, Y11
	VMULPD Y12, Y3, Y12
	VADDPD Y11, Y9, Y9
	VADDPD Y12, Y10, Y10
	VMOVUPD Y9, (DI)
	VMOVUPD Y10, 32(DI)
	VBROADCASTSD (SI), Y2
	VADDPD Y9, Y2, Y9
	VADDPD Y10, Y2, Y10
	VMOVUPD Y9, (R9)
	VMOVUPD Y10, 32(R9)
	VMULPD Y9, Y9, Y9
	VMULPD Y10, Y10, Y10
	VADDPD Y9, Y0, Y0
	VADDPD Y10, Y4, Y4
	ADDQ $8, SI
	ADDQ $8, R10
	ADDQ $8, BX
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R9
	DECQ CX
	JNE  loop
done:
	VMOVUPD Y0, (AX)
	VMOVUPD Y4, 32(AX)
	VZEROUPPER
	RET

updateSum8z:
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ f_base+24(FP), DI
	MOVQ row_base+48(FP), R9
	MOVQ u_base+72(FP), DX
	MOVQ lam_base+96(FP), R10
	MOVQ gam_base+120(FP), BX
	MOVQ sc+144(FP), AX
	VMOVUPD (AX), Z5
	MOVQ y+152(FP), AX
	VMOVUPD (AX), Z6
	MOVQ ss+160(FP), AX
	VMOVUPD (AX), Z0
	TESTQ CX, CX
	JE   donez
loopz:
	VBROADCASTSD (R10), Z1
	VBROADCASTSD (BX), Z3
	VMULPD (DI), Z5, Z9
	VMULPD Z1, Z9, Z9
	VMULPD (DX), Z6, Z11
	VMULPD Z11, Z3, Z11
	VADDPD Z11, Z9, Z9
	VMOVUPD Z9, (DI)
	VBROADCASTSD (SI), Z2
	VADDPD Z9, Z2, Z9
	VMOVUPD Z9, (R9)
	VMULPD Z9, Z9, Z9
	VADDPD Z9, Z0, Z0
	ADDQ $8, SI
	ADDQ $8, R10
	ADDQ $8, BX
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R9
	DECQ CX
	JNE  loopz
donez:
	VMOVUPD Z0, (AX)
	VZEROUPPER
	RET

// The float32 kernels (Float32 blocks): the 8 lanes of a column are one
// 8-wide vector, each sum one chain, the operations of the float64 kernels.

// func sumSquares8s(w, f, row []float32, ss *[8]float32)
TEXT ·sumSquares8s(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ f_base+24(FP), DX
	MOVQ row_base+48(FP), DI
	MOVQ ss+72(FP), AX
	VMOVUPS (AX), Y0
	TESTQ CX, CX
	JE   done
loop:
	VBROADCASTSS (SI), Y1
	VADDPS (DX), Y1, Y2
	VMOVUPS Y2, (DI)
	VMULPS Y2, Y2, Y2
	VADDPS Y2, Y0, Y0
	ADDQ $4, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNE  loop
done:
	VMOVUPS Y0, (AX)
	VZEROUPPER
	RET

// func read8s(row, z []float32, nz []int32, inv, acc, paper *[8]float32)
TEXT ·read8s(SB), NOSPLIT, $0-96
	MOVQ row_base+0(FP), SI
	MOVQ z_base+24(FP), DX
	MOVQ nz_base+48(FP), BX
	MOVQ nz_len+56(FP), CX
	MOVQ inv+72(FP), AX
	VMOVUPS (AX), Y5
	MOVQ acc+80(FP), AX
	VMOVUPS (AX), Y0
	MOVQ paper+88(FP), AX
	VMOVUPS (AX), Y1
	// Y6 = 0x7fffffff in every lane: |g| = g AND Y6.
	VPCMPEQD Y6, Y6, Y6
	VPSRLD $1, Y6, Y6
	TESTQ CX, CX
	JE   done
loop:
	MOVLQSX (BX), R8
	SHLQ $5, R8
	VMULPS (SI)(R8*1), Y5, Y2
	VMOVUPS (DX)(R8*1), Y3
	VMULPS Y3, Y2, Y4
	VADDPS Y4, Y0, Y0
	VMULPS Y3, Y3, Y3
	VANDPS Y6, Y2, Y2
	VMULPS Y2, Y3, Y3
	VADDPS Y3, Y1, Y1
	ADDQ $4, BX
	DECQ CX
	JNE  loop
done:
	MOVQ acc+80(FP), AX
	VMOVUPS Y0, (AX)
	MOVQ paper+88(FP), AX
	VMOVUPS Y1, (AX)
	VZEROUPPER
	RET

// func update8s(f, u, lam, gam []float32, sc, y *[8]float32)
TEXT ·update8s(SB), NOSPLIT, $0-112
	MOVQ f_base+0(FP), DI
	MOVQ u_base+24(FP), DX
	MOVQ lam_base+48(FP), SI
	MOVQ lam_len+56(FP), CX
	MOVQ gam_base+72(FP), BX
	MOVQ sc+96(FP), AX
	VMOVUPS (AX), Y5
	MOVQ y+104(FP), AX
	VMOVUPS (AX), Y6
	TESTQ CX, CX
	JE   done
loop:
	VBROADCASTSS (SI), Y1
	VBROADCASTSS (BX), Y3
	VMULPS (DI), Y5, Y0
	VMULPS Y1, Y0, Y0
	VMULPS (DX), Y6, Y2
	VMULPS Y2, Y3, Y2
	VADDPS Y2, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, DX
	ADDQ $4, SI
	ADDQ $4, BX
	DECQ CX
	JNE  loop
done:
	VZEROUPPER
	RET

// func updateSum8s(w, f, row, u, lam, gam []float32, sc, y, ss *[8]float32)
TEXT ·updateSum8s(SB), NOSPLIT, $0-168
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ f_base+24(FP), DI
	MOVQ row_base+48(FP), R9
	MOVQ u_base+72(FP), DX
	MOVQ lam_base+96(FP), R10
	MOVQ gam_base+120(FP), BX
	MOVQ sc+144(FP), AX
	VMOVUPS (AX), Y5
	MOVQ y+152(FP), AX
	VMOVUPS (AX), Y6
	MOVQ ss+160(FP), AX
	VMOVUPS (AX), Y0
	TESTQ CX, CX
	JE   done
loop:
	VBROADCASTSS (R10), Y1
	VBROADCASTSS (BX), Y3
	VMULPS (DI), Y5, Y9
	VMULPS Y1, Y9, Y9
	VMULPS (DX), Y6, Y11
	VMULPS Y11, Y3, Y11
	VADDPS Y11, Y9, Y9
	VMOVUPS Y9, (DI)
	VBROADCASTSS (SI), Y2
	VADDPS Y9, Y2, Y9
	VMOVUPS Y9, (R9)
	VMULPS Y9, Y9, Y9
	VADDPS Y9, Y0, Y0
	ADDQ $4, SI
	ADDQ $4, R10
	ADDQ $4, BX
	ADDQ $32, DI
	ADDQ $32, DX
	ADDQ $32, R9
	DECQ CX
	JNE  loop
done:
	VMOVUPS Y0, (AX)
	VZEROUPPER
	RET

// func norm8(ss, inv *[8]float64, eps float64) bool
// inv = 1/(√ss + eps) lane by lane (each operation correctly rounded, as
// the scalar loop's); returns whether every ss is finite.
TEXT ·norm8(SB), NOSPLIT, $0-25
	MOVQ ss+0(FP), SI
	MOVQ inv+8(FP), DI
	CMPB ·useZ(SB), $0
	JNE  normz
	VBROADCASTSD eps+16(FP), Y2
	VPCMPEQQ Y3, Y3, Y3
	VPSRLQ $54, Y3, Y3
	VPSLLQ $52, Y3, Y3                 // 1.0 = 0x3ff0…
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y4
	VSQRTPD Y0, Y1
	VSQRTPD Y4, Y5
	VADDPD Y2, Y1, Y1
	VADDPD Y2, Y5, Y5
	VDIVPD Y1, Y3, Y1
	VDIVPD Y5, Y3, Y5
	VMOVUPD Y1, (DI)
	VMOVUPD Y5, 32(DI)
	VSUBPD Y0, Y0, Y0                  // 0 where finite, NaN elsewhere
	VSUBPD Y4, Y4, Y4
	VADDPD Y4, Y0, Y0
	VPXOR Y6, Y6, Y6
	VCMPPD $0, Y6, Y0, Y0              // == 0
	VMOVMSKPD Y0, AX
	CMPB AX, $0xf
	SETEQ ret+24(FP)
	VZEROUPPER
	RET
normz:
	VBROADCASTSD eps+16(FP), Z2
	VPTERNLOGQ $0xff, Z3, Z3, Z3
	VPSRLQ $54, Z3, Z3
	VPSLLQ $52, Z3, Z3                 // 1.0
	VMOVUPD (SI), Z0
	VSQRTPD Z0, Z1
	VADDPD Z2, Z1, Z1
	VDIVPD Z1, Z3, Z1
	VMOVUPD Z1, (DI)
	VSUBPD Z0, Z0, Z0
	VPXORQ Z6, Z6, Z6
	VCMPPD $0, Z6, Z0, K1
	KMOVW K1, AX
	CMPB AX, $0xff
	SETEQ ret+24(FP)
	VZEROUPPER
	RET

// func nonzero64(x []float64) uint64
// Bit c of the result is set where x[c] != 0 (NaN included), for
// len(x) ≤ 64: four or eight compares at a time, the tail one by one
// (AVX2) or masked (AVX-512).
TEXT ·nonzero64(SB), NOSPLIT, $0-32
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), R10
	XORQ AX, AX                        // the mask
	XORQ CX, CX                        // c, also the shift count
	CMPB ·useZ(SB), $0
	JNE  nzz
	VXORPD Y1, Y1, Y1
nz4:
	MOVQ R10, R8
	SUBQ CX, R8
	CMPQ R8, $4
	JL   nz1
	VCMPPD $4, (SI)(CX*8), Y1, Y0      // x != 0 (unordered: NaN too)
	VMOVMSKPD Y0, R9
	SHLQ CX, R9
	ORQ  R9, AX
	ADDQ $4, CX
	JMP  nz4
nz1:
	CMPQ CX, R10
	JGE  nzdone
	VMOVSD (SI)(CX*8), X0
	VUCOMISD X1, X0
	JNE  nzset
	JPS  nzset                         // NaN
	INCQ CX
	JMP  nz1
nzset:
	BTSQ CX, AX
	INCQ CX
	JMP  nz1
nzz:
	VPXORQ Z1, Z1, Z1
	LEAQ nzmask<>(SB), R11
nz8:
	MOVQ R10, R8
	SUBQ CX, R8
	JLE  nzdone
	CMPQ R8, $8
	JLE  nzpart
	MOVQ $8, R8
nzpart:
	MOVBQZX (R11)(R8*1), R9            // the chunk's lanes
	KMOVW R9, K1
	VMOVUPD.Z (SI)(CX*8), K1, Z0
	VCMPPD $4, Z1, Z0, K1, K2
	KMOVW K2, R9
	SHLQ CX, R9
	ORQ  R9, AX
	ADDQ $8, CX
	JMP  nz8
nzdone:
	MOVQ AX, ret+24(FP)
	VZEROUPPER
	RET

DATA nzmask<>+0(SB)/1, $0x00
DATA nzmask<>+1(SB)/1, $0x01
DATA nzmask<>+2(SB)/1, $0x03
DATA nzmask<>+3(SB)/1, $0x07
DATA nzmask<>+4(SB)/1, $0x0f
DATA nzmask<>+5(SB)/1, $0x1f
DATA nzmask<>+6(SB)/1, $0x3f
DATA nzmask<>+7(SB)/1, $0x7f
DATA nzmask<>+8(SB)/1, $0xff
GLOBL nzmask<>+0(SB), RODATA, $9
