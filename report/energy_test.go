package report_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/workload"
)

// A design with ranged device figures (pcm: variation and read noise) runs
// once per corner (g_min, variation, read_noise: 2³) end to end; every reported figure is the hull of the
// corners' figures, and each corner's joules span its price range.
func TestRangedDeviceDesignEndToEnd(t *testing.T) {
	set := artSet(t)
	e := evaluate(t, model(t, "ART_STPN_h11"), mustLookup(t, "pcm"), set)
	if len(e.Runs) != 8 {
		t.Fatalf("%d runs, want 8 (g_min × variation × read_noise ends)", len(e.Runs))
	}
	for i, r := range e.Runs {
		tot := r.Bill.Total().Total()
		if !(tot.Lo < tot.Hi) {
			t.Errorf("corner %d: %v is not a range although pcm's prices are", i, tot)
		}
		if tot.Lo < e.Joules.Total.Lo || tot.Hi > e.Joules.Total.Hi {
			t.Errorf("corner %d: %v outside the reported hull %v", i, tot, e.Joules.Total)
		}
		acc := r.Result.Accuracy(set.Labels)
		if acc < e.Accuracy.Lo || acc > e.Accuracy.Hi {
			t.Errorf("corner %d: accuracy %v outside %v", i, acc, e.Accuracy)
		}
		p := float64(r.Result.Total())
		if p < e.Paper.Lo || p > e.Paper.Hi {
			t.Errorf("corner %d: paper energy %v outside %v", i, p, e.Paper)
		}
	}
	// Noise and variation differ between corners, so accuracy is a range.
	if e.Accuracy.IsPoint() {
		t.Errorf("accuracy %v is a point over 4 noisy corners", e.Accuracy)
	}
	// Per-sequence joules are hulls too, and add up to within the hull.
	var lo, hi float64
	for n := range set.N {
		b := e.SequenceJoules(n)
		lo += float64(b.Total().Lo)
		hi += float64(b.Total().Hi)
	}
	if lo > float64(e.Joules.Total.Lo)*(1+1e-12) || hi < float64(e.Joules.Total.Hi)*(1-1e-12) {
		t.Errorf("per-sequence hulls sum to [%v, %v], narrower than the total %v", lo, hi, e.Joules.Total)
	}
}

// RunEnergy from files: inputs and labels, events, the ART generator; the
// per-step joules of a kept trace add up to the sequence's.
func TestRunEnergy(t *testing.T) {
	ckpt := testutil.Testdata("art", "ART_STPN_h11", "model.pth")
	e, err := report.RunEnergy(context.Background(), report.EnergyOptions{
		Checkpoint: ckpt, Inputs: testutil.Testdata("art", "inputs.npy"), Labels: testutil.Testdata("art", "labels.npy"),
		Design: "rram-neurosim", KeepSteps: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if e.Accuracy.Lo != 0.4296875 && e.Accuracy.IsPoint() {
		// rram-neurosim quantises to 32 levels: accuracy may move, but it is a fraction.
		if e.Accuracy.Lo < 0 || e.Accuracy.Lo > 1 {
			t.Errorf("accuracy %v", e.Accuracy)
		}
	}
	seq := e.SequenceJoules(3)
	var sum energy.Breakdown
	for k := range e.Result.Steps(3) {
		s := e.StepJoules(e.Result.Offsets[3] + k)
		sum.Add(&s)
	}
	for c := range seq {
		if d := math.Abs(float64(sum[c].Hi - seq[c].Hi)); d > 1e-12*float64(seq[c].Hi) {
			t.Errorf("%v: steps sum to %v, sequence %v", energy.Category(c), sum[c], seq[c])
		}
	}

	dir := t.TempDir()
	ev := filepath.Join(dir, "e.csv")
	if err := os.WriteFile(ev, []byte("sequence,t,channel,value\n0,0,3,1\n0,0.01,26,1\n1,0,4,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err = report.RunEnergy(context.Background(), report.EnergyOptions{Checkpoint: ckpt, Events: ev, Design: "loihi"})
	if err != nil {
		t.Fatal(err)
	}
	// loihi charges static power: none; its step period is a range only
	// for timed runs — but loihi's is a point, so one run.
	if len(e.Runs) != 1 || e.Input.N != 2 || e.Result.Steps(0) != 2 {
		t.Errorf("events: %d runs, %d sequences, %d steps", len(e.Runs), e.Input.N, e.Result.Steps(0))
	}
	e, err = report.RunEnergy(context.Background(), report.EnergyOptions{Checkpoint: ckpt, ART: workload.ARTConfig{N: 5, Seed: 3}})
	if err != nil || e.Input.N != 5 || !e.HasLabels {
		t.Fatalf("ART generator: %v", err)
	}
	for _, c := range []struct {
		opt  report.EnergyOptions
		want string
	}{
		{report.EnergyOptions{Checkpoint: ckpt, Inputs: "x.npy", Events: "e.csv"}, "not both"},
		{report.EnergyOptions{Checkpoint: ckpt, Design: "no-such"}, "no-such"},
		{report.EnergyOptions{Checkpoint: filepath.Join(dir, "none.pth")}, "none.pth"},
		{report.EnergyOptions{Checkpoint: ckpt, Events: ev, Labels: filepath.Join(dir, "l.npy")}, "l.npy"},
	} {
		if _, err := report.RunEnergy(context.Background(), c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error naming %q", c.opt, err, c.want)
		}
	}
}

// An event run whose step period is not a whole number of ns is refused:
// Δ would be computed from a rounded period.
func TestEventPeriodResolution(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "e.csv")
	if err := os.WriteFile(ev, []byte("sequence,t,channel,value\n0,0,3,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := mustLookup(t, "paper").WithText("input.t_read", "1ns")
	if err != nil {
		t.Fatal(err)
	}
	if d, err = d.WithText("step_period", "1.5ns"); err != nil {
		t.Fatal(err)
	}
	in, err := workload.LoadEvents(ev, 37)
	if err != nil {
		t.Fatal(err)
	}
	_, err = report.Evaluate(context.Background(), model(t, "ART_STPN_h11"), d, nil, in, report.EvalOptions{})
	if err == nil || !strings.Contains(err.Error(), "whole number of nanoseconds") {
		t.Errorf("1.5 ns period: %v", err)
	}
}
