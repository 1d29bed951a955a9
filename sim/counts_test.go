package sim_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/sim"
	"github.com/neurosim/neurosim/workload"
)

// Counts by hand for STPNf on the one-hot ART inputs: one nonzero input per
// step drives all 13 rows, so per step 1 read, 13 rows (ADC), 1 drive (DAC),
// 13 synaptic operations, Σz² = 1 per row; 13 neurons; one period of time.
// A sequence sums its 9 steps; the per-step counts sum to the sequence's.
func TestCountsByHand(t *testing.T) {
	set := fixture.ART(t)
	net := network(t, "ART_STPNf_h13")
	res, err := sim.Run(context.Background(), net, workload.FromSet(set),
		sim.Options{Clocked: true, StepSeconds: 1e-3, Meter: &energy.Meter{Writes: true}, KeepSteps: true})
	if err != nil {
		t.Fatal(err)
	}
	for n := range set.N {
		c := res.Counts[n]
		a := c.Arrays[0]
		if a.Reads != 9 || a.Rows != 9*13 || a.Drives != 9 || a.SynOps != 9*13 || a.Z2 != 9*13 || c.Neurons != 9*13 ||
			c.Steps != 9 || c.Periods != 9 || c.Seconds != 0 {
			t.Fatalf("sequence %d: %+v", n, c)
		}
		// Every plastic synapse is rewritten every step; the paper energy
		// counted is the one reported.
		if a.Rewrites != 9*13*37 {
			t.Fatalf("sequence %d: %d rewrites, want %d", n, a.Rewrites, 9*13*37)
		}
		if math.Abs(a.Paper-float64(res.SequenceEnergy(n))) > 1e-12*a.Paper {
			t.Fatalf("sequence %d: counted paper energy %v, reported %v", n, a.Paper, res.SequenceEnergy(n))
		}
		var steps energy.Counts
		for k := range res.Steps(n) {
			steps.Add(&res.StepCounts[res.Offsets[n]+k])
		}
		if steps.Arrays[0].Rows != a.Rows || steps.Neurons != c.Neurons {
			t.Fatalf("sequence %d: steps sum to %+v, sequence %+v", n, steps, c)
		}
	}
	if tc := res.TotalCounts(); tc.Arrays[0].Reads != int64(9*set.N) {
		t.Errorf("total reads %d, want %d", tc.Arrays[0].Reads, 9*set.N)
	}
	if steps, ok := res.Rect(); !ok || steps != 9 || res.Times[1] != 1e-3 || len(res.StepMeans()) != 9 {
		t.Errorf("rect %d %v, t[1] = %v", steps, ok, res.Times[1])
	}
}

// Without Meter nothing is counted, and per-step timing is kept only when asked.
func TestNothingUnasked(t *testing.T) {
	res, err := sim.Run(context.Background(), network(t, "ART_STPN_h11"), referenceSet(t), sim.Options{Clocked: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts != nil || res.StepCounts != nil || res.Times != nil || res.Deltas != nil {
		t.Error("counts or per-step arrays kept without being asked")
	}
}

// An input that drives float64 out of range stops the run at the first bad
// sequence and step, whatever the worker count.
func TestNumericErrorNamesTheStep(t *testing.T) {
	set := fixture.ART(t)
	var x []float64
	for n := range set.N {
		x = append(x, set.Sequence(n, nil)...)
	}
	// sequence 5, step 2, channel 0: z² overflows.
	x[(5*set.T+2)*set.I] = 1e300
	x[(9*set.T+1)*set.I] = 1e300
	bad := workload.NewSet(set.Name, set.N, set.T, set.I, x)
	for _, w := range []int{1, 4} {
		_, err := sim.Run(context.Background(), network(t, "ART_STPN_h11"), workload.FromSet(bad),
			sim.Options{Clocked: true, Workers: w})
		var ne *sim.NumericError
		if !errors.As(err, &ne) || ne.Sequence != 5 || ne.Step != 2 || !strings.Contains(err.Error(), "sequence 5, step 2") {
			t.Errorf("%d workers: %v", w, err)
		}
	}
	b := workload.NewBuilder("one event", 1, 37)
	if err := b.Add(0, 0, []int32{0}, []float64{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Run(context.Background(), network(t, "ART_STPN_h11"), b.Stream(), sim.Options{Period: math.Inf(1)}); err == nil {
		t.Error("an infinite event period was accepted")
	}
}

// The writes of every plastic cell are kept once for the run (not per
// sequence) and add up to the run's volatile writes, for any worker count.
func TestCellWritesRunWide(t *testing.T) {
	for _, w := range []int{1, 3} {
		res, err := sim.Run(context.Background(), network(t, "ART_STPN_h11"), referenceSet(t),
			sim.Options{Clocked: true, Workers: w, Meter: &energy.Meter{Writes: true, Cells: true}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts[0].Arrays[0].CellWrites != nil {
			t.Error("per-sequence counts carry per-cell writes")
		}
		tc := res.TotalCounts()
		var sum int64
		for _, v := range tc.Arrays[0].CellWrites {
			sum += v
		}
		if len(tc.Arrays[0].CellWrites) != 528 || sum != tc.Arrays[0].Writes {
			t.Errorf("%d workers: %d cells summing to %d, want 528 cells summing to the %d writes", w, len(tc.Arrays[0].CellWrites), sum, tc.Arrays[0].Writes)
		}
	}
}
