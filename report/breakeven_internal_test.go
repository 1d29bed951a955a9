package report

import (
	"context"
	"math"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/design"
)

// countingDesign is d with every price zero but 1 J per write event: its
// synapse_write joules count write events (the two-run method break-even
// used before counts were kept).
func countingDesign(d *design.Design) *design.Design {
	c := *d
	zero := design.Point(0)
	c.Synapse.SynopEnergy, c.Input.VRead = zero, zero
	c.Input.DACEnergy, c.Readout.ADCEnergy, c.Readout.NeuronEnergy = zero, zero, zero
	c.Plasticity.WriteEnergyPerEvent, c.Plasticity.WriteEnergyPerUnit = design.Point(1), zero
	c.StaticPower = zero
	return &c
}

// Break-even from one run equals the old two runs (writes free; writes
// alone at 1 J), and runs each model's network once.
func TestBreakevenOneRunEqualsTwo(t *testing.T) {
	ctx := context.Background()
	fsys := neurosim.ReferenceART()
	d, err := design.Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	finished := 0
	b, err := RunBreakeven(ctx, fsys, "ref", CompareOptions{Design: "rram-neurosim",
		Progress: func(string, int, int) { finished++ }})
	if err != nil {
		t.Fatal(err)
	}
	// One priced run per model (the g_per_unit calibration reports no progress).
	if want := 8 * 128; finished != want {
		t.Errorf("%d sequences run, want %d (each model once)", finished, want)
	}
	free := *d
	free.Plasticity.WriteEnergyPerEvent = design.Point(0)
	fixed, err := Compare(ctx, fsys, "ref", CompareOptions{design: &free})
	if err != nil {
		t.Fatal(err)
	}
	writes, err := Compare(ctx, fsys, "ref", CompareOptions{design: countingDesign(d)})
	if err != nil {
		t.Fatal(err)
	}
	n := float64(fixed.Inputs.N)
	byName := map[string]int{}
	for i, r := range fixed.Rows {
		byName[r.Model.Name] = i
	}
	// The old method's numbers are sums of the same terms in another order.
	close := func(what string, got, want float64) {
		t.Helper()
		if !(math.Abs(got-want) <= 1e-12*math.Abs(want)) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s: one run %.17g, two runs %.17g", what, got, want)
		}
	}
	si := byName[b.STPN]
	for _, row := range b.Rows {
		i := byName[row.Model]
		close(row.Model+" fixed low", float64(row.Fixed.Lo), float64(fixed.Rows[i].Joules.MeanPerSequence.Lo))
		close(row.Model+" fixed high", float64(row.Fixed.Hi), float64(fixed.Rows[i].Joules.MeanPerSequence.Hi))
		close(row.Model+" STPN fixed", float64(row.STPNFixed.Lo), float64(fixed.Rows[si].Joules.MeanPerSequence.Lo))
		w := float64(writes.Rows[i].Joules.Breakdown[1].Lo) / n // synapse_write at 1 J per event
		close(row.Model+" writes", row.Writes.Lo, w)
		ws := float64(writes.Rows[si].Joules.Breakdown[1].Lo) / n
		close(row.Model+" STPN writes", row.STPNWrites.Lo, ws)
		// The crossing of the two lines at the low price end.
		a, bb := float64(fixed.Rows[si].Joules.Total.Lo)/n, float64(fixed.Rows[i].Joules.Total.Lo)/n
		close(row.Model+" break-even", row.At.Lo, cross(a, ws, bb, w))
	}
}
