package synapse

import "golang.org/x/sys/cpu"

// The AVX2 kernels of block_amd64.s, used when the CPU has AVX2.
var haveKernels4 = kernels4Available

// kernels4Available says whether the CPU runs the AVX2 kernels.
var kernels4Available = cpu.X86.HasAVX2

// useZ makes the float64 kernels take the AVX-512 path (one 8-wide vector
// per column) where the CPU has it; read by the assembly.
var useZ = zAvailable

var zAvailable = kernels4Available && cpu.X86.HasAVX512F

//go:noescape
func sumSquares8(w, f, row []float64, ss *[8]float64)

//go:noescape
func read8(row, z []float64, nz []int32, inv, acc, paper *[8]float64)

//go:noescape
func update8(f, u, lam, gam []float64, sc, y *[8]float64)

//go:noescape
func updateSum8(w, f, row, u, lam, gam []float64, sc, y, ss *[8]float64)

//go:noescape
func sumSquares8s(w, f, row []float32, ss *[8]float32)

//go:noescape
func read8s(row, z []float32, nz []int32, inv, acc, paper *[8]float32)

//go:noescape
func update8s(f, u, lam, gam []float32, sc, y *[8]float32)

//go:noescape
func updateSum8s(w, f, row, u, lam, gam []float32, sc, y, ss *[8]float32)

//go:noescape
func norm8(ss, inv *[8]float64, eps float64) bool

//go:noescape
func nonzero64(x []float64) uint64
