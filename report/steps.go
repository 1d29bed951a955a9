package report

import (
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/sim"
)

// StepMeanJoules is, for each step index t, the mean over the sequences
// that have a step t of that step's energy by category, hulled over the
// runs; it needs EvalOptions.KeepSteps. Counts are summed over sequences in
// order and priced once per step index (prices are linear in counts).
func (e *Energy) StepMeanJoules() []energy.Breakdown {
	r := e.Result
	if len(r.StepCounts) == 0 {
		return nil
	}
	var out []energy.Breakdown
	for t := 0; ; t++ {
		n := 0
		for s := range r.N {
			if t < r.Steps(s) {
				n++
			}
		}
		if n == 0 {
			return out
		}
		b := e.hull(func(res *sim.Result) *energy.Counts {
			var sum energy.Counts
			for s := range res.N {
				if t < res.Steps(s) {
					sum.Add(&res.StepCounts[res.Offsets[s]+t])
				}
			}
			return &sum
		})
		for c := range b {
			b[c] = b[c].Times(1 / float64(n))
		}
		out = append(out, b)
	}
}
