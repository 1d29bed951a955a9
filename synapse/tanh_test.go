package synapse

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tanhAll gives math.Tanh's bits on every branch (0, ±small, the rational
// branch, |x| ≥ 0.625, beyond 44, ±Inf, NaN), with and without the vector
// exponentials.
func TestTanhAllIsMathTanh(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := []float64{0, math.Copysign(0, -1), 0.625, -0.625, math.Nextafter(0.625, 0), 44.01, 44.02, -50, 1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), math.Copysign(math.NaN(), -1), 5e-324, 1e-10}
	for range 2001 { // not a multiple of 4 or 8
		switch rng.IntN(3) {
		case 0:
			x = append(x, rng.NormFloat64())
		case 1:
			x = append(x, rng.NormFloat64()*20)
		default:
			x = append(x, rng.Float64()*1.5-0.75)
		}
	}
	defer func(d8, d4 bool) { haveDecay8, haveDecay4 = d8, d4 }(haveDecay8, haveDecay4)
	for _, k := range []struct{ d8, d4 bool }{{haveDecay8, haveDecay4}, {false, haveDecay4}, {false, false}} {
		haveDecay8, haveDecay4 = k.d8, k.d4
		got := append([]float64(nil), x...)
		tanhAll(got, make([]float64, len(x)), make([]float64, len(x)))
		for i, v := range x {
			if want := math.Tanh(v); math.Float64bits(got[i]) != math.Float64bits(want) {
				t.Fatalf("kernels %v: tanh(%v) = %v, math.Tanh %v", k, v, got[i], want)
			}
		}
	}
}
