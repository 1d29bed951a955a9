// AVX2 kernels of the lock-step STPN block (block.go): lane b of each
// 4-wide vector is sequence b, so every lane's sums run in the order of
// the one-sequence kernels, with the same IEEE operations (no FMA), and
// give their bits.

#include "textflag.h"

// func sumSquares4(w, f, row []float64, ss *[4]float64)
// For c in [0, len(w)): v = w[c] + f[4c:4c+4]; row[4c:4c+4] = v; ss += v*v.
TEXT ·sumSquares4(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ f_base+24(FP), DX
	MOVQ row_base+48(FP), DI
	MOVQ ss+72(FP), AX
	VMOVUPD (AX), Y0
	TESTQ CX, CX
	JE   done
loop:
	VBROADCASTSD (SI), Y1
	VADDPD (DX), Y1, Y1
	VMOVUPD Y1, (DI)
	VMULPD Y1, Y1, Y2
	VADDPD Y2, Y0, Y0
	ADDQ $8, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNE  loop
done:
	VMOVUPD Y0, (AX)
	VZEROUPPER
	RET

// func read4(row, z []float64, nz []int32, inv, acc, paper *[4]float64)
// For c in nz: g = row[4c:4c+4]·inv; acc += g·z[4c:]; paper += (z·z)·|g|.
TEXT ·read4(SB), NOSPLIT, $0-96
	MOVQ row_base+0(FP), SI
	MOVQ z_base+24(FP), DX
	MOVQ nz_base+48(FP), BX
	MOVQ nz_len+56(FP), CX
	MOVQ inv+72(FP), AX
	VMOVUPD (AX), Y5
	MOVQ acc+80(FP), AX
	VMOVUPD (AX), Y0
	MOVQ paper+88(FP), AX
	VMOVUPD (AX), Y1
	// Y6 = 0x7fff… in every lane: |g| = g AND Y6.
	VPCMPEQQ Y6, Y6, Y6
	VPSRLQ $1, Y6, Y6
	TESTQ CX, CX
	JE   done
loop:
	MOVLQSX (BX), R8
	SHLQ $5, R8
	VMULPD (SI)(R8*1), Y5, Y2
	VMOVUPD (DX)(R8*1), Y3
	VMULPD Y3, Y2, Y4
	VADDPD Y4, Y0, Y0
	VMULPD Y3, Y3, Y3
	VANDPD Y6, Y2, Y2
	VMULPD Y2, Y3, Y3
	VADDPD Y3, Y1, Y1
	ADDQ $4, BX
	DECQ CX
	JNE  loop
done:
	MOVQ acc+80(FP), AX
	VMOVUPD Y0, (AX)
	MOVQ paper+88(FP), AX
	VMOVUPD Y1, (AX)
	VZEROUPPER
	RET

// func update4(f, u, lam, gam []float64, sc, y *[4]float64)
// For c in [0, len(lam)): f[4c:] = (f[4c:]·sc)·lam[c] + gam[c]·(y·u[4c:]).
TEXT ·update4(SB), NOSPLIT, $0-112
	MOVQ f_base+0(FP), DI
	MOVQ u_base+24(FP), DX
	MOVQ lam_base+48(FP), SI
	MOVQ lam_len+56(FP), CX
	MOVQ gam_base+72(FP), BX
	MOVQ sc+96(FP), AX
	VMOVUPD (AX), Y5
	MOVQ y+104(FP), AX
	VMOVUPD (AX), Y6
	TESTQ CX, CX
	JE   done
loop:
	VMULPD (DI), Y5, Y0
	VBROADCASTSD (SI), Y1
	VMULPD Y1, Y0, Y0
	VMULPD (DX), Y6, Y2
	VBROADCASTSD (BX), Y3
	VMULPD Y2, Y3, Y2
	VADDPD Y2, Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, DX
	ADDQ $8, SI
	ADDQ $8, BX
	DECQ CX
	JNE  loop
done:
	VZEROUPPER
	RET
