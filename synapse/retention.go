package synapse

import (
	"fmt"
	"math"
)

// Decay factors as a device gives them. A volatile element with retention
// time constant τ decays, over one step period Δt, by exp(−Δt/τ): a decay
// factor in [0, 1] that the cell has whatever the trained λ was. These two
// calls let the chip model read the trained factors and run the network
// with its cells' own.

// DecayFactors returns a copy of the trained decay factors λ of the
// network's plastic synapses, in the order of its short-term state (the
// order of energy.ArrayCounts.CellWrites), or nil when no synapse decays.
func (n *Network) DecayFactors() []float64 {
	d, ok := n.Cell.(decaying)
	if !ok {
		return nil
	}
	return append([]float64(nil), d.plasticity().lambda...)
}

// WithDecay returns a copy of the network whose plastic synapses decay per
// step period by factors (one per synapse, in DecayFactors order) instead
// of their trained λ. A factor in [0, 1] acts as a passive element, f^Δ
// over Δ step periods; each must be finite. The network itself is not
// changed.
func (n *Network) WithDecay(factors []float64) (*Network, error) {
	d, ok := n.Cell.(decaying)
	if !ok {
		return nil, fmt.Errorf("%v has no decaying short-term state", n.Cell.Unit())
	}
	p := *d.plasticity()
	if len(factors) != len(p.lambda) {
		return nil, fmt.Errorf("%d decay factors for %d plastic synapses", len(factors), len(p.lambda))
	}
	for i, f := range factors {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("decay factor %d is %v", i, f)
		}
	}
	p.setLambda(append([]float64(nil), factors...))
	m := *n
	m.Cell = d.withPlasticity(p)
	return &m, nil
}
