package synapse

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The vector decay gives math.Exp's bits: for λ across [0, 1] and outside
// it, and gaps from a fraction of a step to results that underflow, pass
// through the subnormal range or vanish; given the state it multiplies, it
// gives the same product where it does not take the factor.
func TestDecayKernelIsMathExp(t *testing.T) {
	if !haveDecay4 {
		t.Skip("no AVX2+FMA: the scalar loop is all there is")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	lambda := []float64{0, 1, 0.5, 1e-300, math.Nextafter(1, 0), -0.2, 1.7, 5e-324}
	for range 1021 { // not a multiple of 4
		switch rng.IntN(4) {
		case 0:
			lambda = append(lambda, rng.Float64())
		case 1:
			lambda = append(lambda, math.Exp(-rng.ExpFloat64()*50))
		case 2:
			lambda = append(lambda, rng.NormFloat64()*2)
		default:
			lambda = append(lambda, 1-rng.Float64()*1e-6)
		}
	}
	// A band of results through the subnormal range at Δ = 1000: ln λ from
	// −0.7452 (e^Δ·lnλ underflows) to −0.7075 (normal).
	for i := range 4000 {
		lambda = append(lambda, math.Exp(-0.7452+float64(i)*0.0377/4000))
	}
	var p plasticity
	p.setLambda(lambda)
	p.scalar = false
	// A state with zeros of both signs (a factor is then not needed) among
	// values of every size, subnormal ones included.
	state := make([]float64, len(lambda))
	for i := range state {
		switch rng.IntN(5) {
		case 0:
			state[i] = math.Copysign(0, rng.NormFloat64())
		case 1:
			state[i] = rng.NormFloat64() * 1e-300
		case 2:
			state[i] = float64(rng.IntN(9)-4) * 5e-324 // subnormal, or ±0
		default:
			state[i] = rng.NormFloat64()
		}
	}
	var mem decayMem
	// With AVX-512, pack8 and decay8 do the whole chunks of 8 and decay4
	// the next 4; then decay4 alone.
	defer func(had bool) { haveDecay8 = had }(haveDecay8)
	for _, wide := range []bool{haveDecay8, false} {
		haveDecay8 = wide
		for _, f := range [][]float64{nil, state} {
			for _, delta := range []float64{0.5, 1.5, 2.5, 37, 1000, 3600.25, 1e5, 1e9, 1e300} {
				got := p.decay(delta, &mem, f)
				for i, l := range lambda {
					want := l
					if l >= 0 && l <= 1 {
						want = math.Exp(delta * math.Log(l))
					}
					if f != nil && f[i] == 0 {
						// Only f·s·λ^Δ must be the same, for any row scale s.
						for _, s := range []float64{1, 0.37, -2} {
							if a, b := f[i]*s*got[i], f[i]*s*want; math.Float64bits(a) != math.Float64bits(b) {
								t.Fatalf("AVX-512 %v, λ = %v, Δ = %v, f = %v, s = %v: f·s·λ^Δ = %v, with math.Exp %v", wide, l, delta, f[i], s, a, b)
							}
						}
						continue
					}
					if math.Float64bits(got[i]) != math.Float64bits(want) {
						t.Fatalf("AVX-512 %v, λ = %v, Δ = %v, f %v: %v (%x), math.Exp %v (%x)", wide, l, delta, f != nil, got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
					}
				}
			}
		}
	}
}

// BenchmarkDecay times the decay factors of 528 synapses (STPN h11) for a
// gap of 1.5 steps and one of an hour at 1 ms steps.
func BenchmarkDecay(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	lambda := make([]float64, 528)
	for i := range lambda {
		lambda[i] = 0.5 + rng.Float64()*0.499
	}
	var p plasticity
	p.setLambda(lambda)
	var mem decayMem
	for _, delta := range []float64{1.5, 3600} {
		b.Run(fmt.Sprint(delta), func(b *testing.B) {
			for b.Loop() {
				p.decay(delta, &mem, nil)
			}
		})
	}
}
