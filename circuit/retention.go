package circuit

import (
	"math"
	"math/rand/v2"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/synapse"
)

// The volatile element as a device. A cell with retention time constant τ
// decays over one step period Δt by exp(−Δt/τ): the trained decay factor λ
// of a synapse needs τ = −Δt/ln λ. A design's plasticity.retention gives
// the device's τ (a range: one run per end) and retention_variation its
// lognormal spread from cell to cell.

// NeededTau is the retention time constant a passive element needs to decay
// by λ per step of period step: −step/ln λ; 0 for λ = 0, +Inf for λ = 1,
// and NaN for λ outside [0, 1], which no passive element realises.
func NeededTau(lambda, step float64) float64 {
	switch {
	case !(lambda >= 0 && lambda <= 1):
		return math.NaN()
	case lambda == 0:
		return 0
	case lambda == 1:
		return math.Inf(1)
	}
	return -step / math.Log(lambda)
}

// Realisable counts which trained decay factors a device can realise.
type Realisable struct {
	Synapses   int // plastic synapses with a decay factor
	Realisable int // whose needed τ lies in the device's retention range
	Outside    int // with λ outside [0, 1]: no passive element realises them
}

// CountRealisable counts, over the trained decay factors lambdas, those
// whose needed τ (NeededTau at step period step) lies within the device's
// retention range [lo, hi], and those outside [0, 1].
func CountRealisable(lambdas []float64, step float64, retention design.Range) Realisable {
	r := Realisable{Synapses: len(lambdas)}
	for _, l := range lambdas {
		tau := NeededTau(l, step)
		switch {
		case math.IsNaN(tau):
			r.Outside++
		case tau >= retention.Lo && tau <= retention.Hi:
			r.Realisable++
		}
	}
	return r
}

// DeviceDecay returns the decay factor per step of each of n plastic cells
// at setting set: exp(−step/τ_cell), τ_cell = τ·exp(σ·N(0,1)) drawn once per
// cell, in cell order, from the design's seed — the same cells for every
// run and worker. nil when the design gives no retention.
func DeviceDecay(d *design.Design, set *Setting, n int) []float64 {
	if set.Retention <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(d.Seed, 0x72657465)) // "rete"
	f := make([]float64, n)
	for i := range f {
		tau := set.Retention
		if set.RetentionVariation > 0 {
			tau *= math.Exp(set.RetentionVariation * rng.NormFloat64())
		}
		f[i] = math.Exp(-set.StepPeriod / tau)
	}
	return f
}

// Retain returns the network as the device runs it: every plastic synapse
// decays by its own cell's factor (DeviceDecay) instead of its trained λ,
// so that accuracy is the device's. A network without decaying synapses,
// or a design without retention, is returned as it is.
func Retain(net *synapse.Network, d *design.Design, set *Setting) (*synapse.Network, error) {
	lam := net.DecayFactors()
	f := DeviceDecay(d, set, len(lam))
	if f == nil || lam == nil {
		return net, nil
	}
	return net.WithDecay(f)
}
