package report_test

import (
	"context"
	"math"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/report"
)

// The mean joules at each step, times the sequences, summed over the steps,
// is the run's total (every sequence of the dense set has every step).
func TestStepMeanJoulesSumToTotal(t *testing.T) {
	set := artSet(t)
	d, err := design.Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	e, err := report.Evaluate(context.Background(), model(t, "ART_STPN_h11"), d, set, nil, report.EvalOptions{KeepSteps: true})
	if err != nil {
		t.Fatal(err)
	}
	steps := e.StepMeanJoules()
	if len(steps) != set.T {
		t.Fatalf("%d steps, want %d", len(steps), set.T)
	}
	var lo, hi float64
	for _, b := range steps {
		tot := b.Total()
		lo += float64(tot.Lo) * float64(set.N)
		hi += float64(tot.Hi) * float64(set.N)
	}
	// Sums of the same terms in another order: relative 1e-12.
	if want := float64(e.Joules.Total.Lo); math.Abs(lo-want) > 1e-12*want {
		t.Errorf("Σ steps low %g J, total %g J", lo, want)
	}
	if want := float64(e.Joules.Total.Hi); math.Abs(hi-want) > 1e-12*want {
		t.Errorf("Σ steps high %g J, total %g J", hi, want)
	}
	e2, err := report.Evaluate(context.Background(), model(t, "ART_STPN_h11"), d, set, nil, report.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e2.StepMeanJoules() != nil {
		t.Error("steps without KeepSteps")
	}
}
