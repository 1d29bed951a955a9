package synapse

import (
	"math"
	"math/rand/v2"
	"testing"
)

// nonzeroMask finds every nonzero input, NaN and the least subnormal
// included and −0 excluded, for every length up to 64, on each path the
// CPU has (AVX-512, AVX2, pure Go).
func TestNonzeroMask(t *testing.T) {
	defer func(z, k bool) { useZ, haveKernels4 = z, k }(useZ, haveKernels4)
	for _, path := range []struct{ z, k bool }{{zAvailable, kernels4Available}, {false, kernels4Available}, {false, false}} {
		useZ, haveKernels4 = path.z, path.k
		for n := 0; n <= 64; n++ {
			for trial := range 20 {
				x := make([]float64, n)
				var want uint64
				for c := range x {
					switch (c*7 + trial*13 + n) % 5 {
					case 0:
						x[c] = 1.5
					case 1:
						x[c] = math.NaN()
					case 2:
						x[c] = math.Copysign(0, -1)
					case 3:
						x[c] = 5e-324
					}
					if x[c] != 0 {
						want |= 1 << c
					}
				}
				if got := nonzeroMask(x); got != want {
					t.Fatalf("AVX-512 %v, kernels %v, %d values: %x, want %x", path.z, path.k, n, got, want)
				}
			}
		}
	}
}

// macRows gives macSparse's bits on every row, four rows at a time or one,
// for sparse and dense inputs (both of macSparse's ways).
func TestMacRowsIsMacSparse(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, rows := range []int{1, 3, 4, 7, 37} {
		for _, density := range []float64{0.05, 0.5, 0.9} {
			cols := 11 + rows
			w := make([]float64, rows*cols)
			for i := range w {
				w[i] = rng.NormFloat64()
			}
			z := make([]float64, cols)
			var nz []int32
			for c := range z {
				if rng.Float64() < density {
					z[c] = rng.NormFloat64()
					nz = append(nz, int32(c))
				}
			}
			acc, paper := make([]float64, rows), make([]float64, rows)
			macRows(w, cols, z, nz, acc, paper)
			for r := range rows {
				a, p := macSparse(w[r*cols:(r+1)*cols], z, nz)
				if math.Float64bits(a) != math.Float64bits(acc[r]) || math.Float64bits(p) != math.Float64bits(paper[r]) {
					t.Fatalf("%d rows, density %v, row %d: (%v, %v), macSparse (%v, %v)", rows, density, r, acc[r], paper[r], a, p)
				}
			}
		}
	}
}
