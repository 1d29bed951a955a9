//go:build !amd64

package synapse

// Without the amd64 kernels the block's pure-Go loops run.
var haveKernels4, kernels4Available = false, false

var useZ, zAvailable = false, false

func sumSquares8(w, f, row []float64, ss *[8]float64)                    { panic("no kernel") }
func read8(row, z []float64, nz []int32, inv, acc, paper *[8]float64)    { panic("no kernel") }
func update8(f, u, lam, gam []float64, sc, y *[8]float64)                { panic("no kernel") }
func updateSum8(w, f, row, u, lam, gam []float64, sc, y, ss *[8]float64) { panic("no kernel") }
func norm8(ss, inv *[8]float64, eps float64) bool                        { panic("no kernel") }
func nonzero64(x []float64) uint64                                       { panic("no kernel") }
func sumSquares8s(w, f, row []float32, ss *[8]float32)                   { panic("no kernel") }
func read8s(row, z []float32, nz []int32, inv, acc, paper *[8]float32)   { panic("no kernel") }
func update8s(f, u, lam, gam []float32, sc, y *[8]float32)               { panic("no kernel") }
func updateSum8s(w, f, row, u, lam, gam []float32, sc, y, ss *[8]float32) {
	panic("no kernel")
}
