package report

import (
	"context"
	"io/fs"
	"math"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/workload"
)

// Breakeven is the write energy per event at which STPN stops being the
// cheapest model of a set, against each other model.
type Breakeven struct {
	Set              string
	Inputs           *workload.Set  // the set's inputs and labels
	Design           *design.Design // as given
	STPN             string         // the model the others are compared with
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

// RunBreakeven evaluates every model of a set once under design d, counting
// the writes of the short-term state, and solves for the crossing of STPN's
// energy with each other model's. Energy is linear in the write price, so
// the counts of that one run give every model's line: the fixed part is its
// counts priced with writes free, the slope its write events (of the
// design's plasticity element) per sequence.
func RunBreakeven(ctx context.Context, fsys fs.FS, name string, opt CompareOptions) (*Breakeven, error) {
	d, err := LoadDesign(opt.Design)
	if err != nil {
		return nil, err
	}
	free := *d
	free.Plasticity.WriteEnergyPerEvent = design.Point(0)
	o := opt
	o.design, o.meter = d, energy.Meter{Writes: true}
	cmp, err := Compare(ctx, fsys, name, o)
	if err != nil {
		return nil, err
	}
	b := &Breakeven{Set: name, Inputs: cmp.Inputs, Design: d, STPN: cmp.Baseline, Sequences: cmp.Inputs.N, Steps: cmp.Inputs.T}
	si := -1
	for i, r := range cmp.Rows {
		if r.Model.Name == cmp.Baseline {
			si = i
		}
	}
	n := float64(cmp.Inputs.N)
	// line returns model i's energy at zero write price (per sequence) at
	// price end hi of corner c, and its write events per sequence there.
	line := func(i, c int, hi bool) (e0, w float64) {
		r := &cmp.Rows[i].Runs[c]
		counts := r.Result.TotalCounts()
		fixed := circuit.Price(&free, &r.Setting, &counts).Total()
		tot := fixed.Total()
		e0 = float64(tot.Lo)
		if hi {
			e0 = float64(tot.Hi)
		}
		var writes int64
		for _, a := range counts.Arrays {
			if d.Plasticity.Element == design.Rewrite {
				writes += a.Rewrites
			} else {
				writes += a.Writes
			}
		}
		return e0 / n, float64(writes) / n
	}
	fixedJoules := func(i int) energy.Joules {
		var j energy.Joules
		for c := range cmp.Rows[i].Runs {
			r := &cmp.Rows[i].Runs[c]
			counts := r.Result.TotalCounts()
			t := circuit.Price(&free, &r.Setting, &counts).Total()
			if c == 0 {
				j = t.Total()
			} else {
				j = j.Hull(t.Total())
			}
		}
		return j.Times(1 / n)
	}
	for i, r := range cmp.Rows {
		if i == si {
			continue
		}
		row := BreakevenRow{
			Model: r.Model.Name, Unit: r.Model.Unit.String(),
			STPNFixed: fixedJoules(si), Fixed: fixedJoules(i),
			At: Interval{Lo: math.NaN(), Hi: math.NaN()},
		}
		verdicts := map[string]bool{}
		for c := range r.Runs {
			for k, hi := range []bool{false, true} {
				a, p := line(si, c, hi)
				bb, q := line(i, c, hi)
				if c == 0 && k == 0 {
					row.STPNWrites, row.Writes = point(p), point(q)
				}
				row.STPNWrites, row.Writes = row.STPNWrites.With(p), row.Writes.With(q)
				w := cross(a, p, bb, q)
				if !math.IsNaN(w) {
					if math.IsNaN(row.At.Lo) {
						row.At = point(w)
					}
					row.At = row.At.With(w)
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
