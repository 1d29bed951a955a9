package report

import (
	"context"
	"io/fs"
	"math"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/energy"
)

// Breakeven is the write energy per event at which STPN stops being the
// cheapest model of a set, against each other model.
type Breakeven struct {
	Set              string
	Design           *circuit.Design // as given
	STPN             string          // the model the others are compared with
	Sequences, Steps int
	Rows             []BreakevenRow
}

// BreakevenRow compares STPN with one other model. Energies are mean joules
// per sequence, at the low and the high end of the design's other prices
// (Lo, Hi); a model's energy is linear in the write energy per event w:
// E(w) = Fixed + w·Writes.
type BreakevenRow struct {
	Model, Unit        string
	STPNFixed, Fixed   energy.Joules
	STPNWrites, Writes Interval // write events per sequence
	// At spans the break-even w over the design's corners and price ends:
	// STPN is cheaper for w below it (when STPN writes more) or above it
	// (when it writes less). NaN when the lines never cross at w ≥ 0.
	At Interval
	// Verdict says in words what happens; it is the same at every corner
	// and price end, or says that it depends on them.
	Verdict string
}

// RunBreakeven evaluates every model of a set twice under design d — with
// free writes, and with 1 J per write event and nothing else — and solves
// for the crossing of STPN's energy with each other model's.
func RunBreakeven(ctx context.Context, fsys fs.FS, name string, opt CompareOptions) (*Breakeven, error) {
	d, err := LoadDesign(opt.Design)
	if err != nil {
		return nil, err
	}
	free := *d
	free.Plasticity.WriteEnergyPerEvent = circuit.Point(0)
	counts := countingDesign(d)
	o := opt
	o.design = &free
	fixed, err := Compare(ctx, fsys, name, o)
	if err != nil {
		return nil, err
	}
	o.design = counts
	writes, err := Compare(ctx, fsys, name, o)
	if err != nil {
		return nil, err
	}
	b := &Breakeven{Set: name, Design: d, STPN: fixed.Baseline, Sequences: fixed.Inputs.N, Steps: fixed.Inputs.T}
	si := -1
	for i, r := range fixed.Rows {
		if r.Model.Name == fixed.Baseline {
			si = i
		}
	}
	n := float64(fixed.Inputs.N)
	// line returns model i's energy at zero write price (per sequence) at
	// price end hi of corner c, and its write events per sequence there.
	line := func(i, c int, hi bool) (e0, w float64) {
		t := fixed.Rows[i].Runs[c].Result.Ledger.Total()
		tot := t.Total()
		e0 = float64(tot.Lo)
		if hi {
			e0 = float64(tot.Hi)
		}
		return e0 / n, float64(writes.Rows[i].Runs[c].Result.Ledger.Total()[energy.SynapseWrite].Lo) / n
	}
	for i, r := range fixed.Rows {
		if i == si {
			continue
		}
		row := BreakevenRow{
			Model: r.Model.Name, Unit: r.Model.Unit.String(),
			STPNFixed: fixed.Rows[si].Joules.MeanPerSequence, Fixed: r.Joules.MeanPerSequence,
			At: Interval{math.NaN(), math.NaN()},
		}
		verdicts := map[string]bool{}
		for c := range r.Runs {
			for k, hi := range []bool{false, true} {
				a, p := line(si, c, hi)
				bb, q := line(i, c, hi)
				if c == 0 && k == 0 {
					row.STPNWrites, row.Writes = point(p), point(q)
				}
				row.STPNWrites, row.Writes = row.STPNWrites.hull(p), row.Writes.hull(q)
				w := cross(a, p, bb, q)
				if !math.IsNaN(w) {
					if math.IsNaN(row.At.Lo) {
						row.At = point(w)
					}
					row.At = row.At.hull(w)
				}
				verdicts[verdict(a, p, bb, q, w)] = true
			}
		}
		for v := range verdicts {
			row.Verdict = v
		}
		if len(verdicts) > 1 {
			row.Verdict = "depends on where in the design's ranges the chip lies"
		}
		b.Rows = append(b.Rows, row)
	}
	return b, nil
}

// countingDesign is d with every price zero but 1 J per write event: its
// synapse_write joules count write events.
func countingDesign(d *circuit.Design) *circuit.Design {
	c := *d
	zero := circuit.Point(0)
	c.Synapse.SynopEnergy, c.Input.VRead = zero, zero
	c.Input.DACEnergy, c.Readout.ADCEnergy, c.Readout.NeuronEnergy = zero, zero, zero
	c.Plasticity.WriteEnergyPerEvent, c.Plasticity.WriteEnergyPerUnit = circuit.Point(1), zero
	c.StaticPower = zero
	return &c
}

// cross solves a + w·p = b + w·q for w ≥ 0 (NaN when there is no such w).
func cross(a, p, b, q float64) float64 {
	if p == q {
		return math.NaN()
	}
	w := (b - a) / (p - q)
	if w < 0 || math.IsInf(w, 0) {
		return math.NaN()
	}
	return w
}

func verdict(a, p, b, q, w float64) string {
	switch {
	case math.IsNaN(w) && a < b:
		return "STPN is cheaper at any write energy"
	case math.IsNaN(w):
		return "STPN is not cheaper at any write energy"
	case p > q:
		return "STPN is cheaper while a write event costs less than the break-even"
	default:
		return "STPN is cheaper once a write event costs more than the break-even"
	}
}
