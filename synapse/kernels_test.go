package synapse

import (
	"math"
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
