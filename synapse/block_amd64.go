package synapse

import "golang.org/x/sys/cpu"

// The AVX2 kernels of block_amd64.s, used when the CPU has AVX2.
var haveKernels4 = kernels4Available

// kernels4Available says whether the CPU runs the AVX2 kernels.
var kernels4Available = cpu.X86.HasAVX2

//go:noescape
func sumSquares4(w, f, row []float64, ss *[4]float64)

//go:noescape
func read4(row, z []float64, nz []int32, inv, acc, paper *[4]float64)

//go:noescape
func update4(f, u, lam, gam []float64, sc, y *[4]float64)
