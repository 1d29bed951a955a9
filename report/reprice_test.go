package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/report"
)

// A price-only change re-priced from stored counts is exactly what a fresh
// run under the changed design reports: the same counts (the simulation is
// identical) times the same prices.
func TestRepriceIsAFreshRun(t *testing.T) {
	set := artSet(t)
	base, err := design.Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	m := model(t, "ART_STPN_h11")
	e, err := report.Evaluate(context.Background(), m, base, set, nil, report.EvalOptions{Meter: energy.Meter{Abs: true, Writes: true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, val string }{
		{"input.v_read", "0.3V"}, {"input.t_read", "[5ns, 20ns]"}, {"input.dac_energy", "1pJ"},
		{"readout.adc_energy", "2pJ"}, {"readout.neuron_energy", "0J"}, {"plasticity.element", "volatile"},
		{"plasticity.write_energy_per_event", "10fJ"}, {"plasticity.write_energy_per_unit", "1pJ"},
		{"static_power", "1uW"}, {"step_period", "10us"}, {"input.encoding", "pulse-width"},
	} {
		p, err := base.WithText(c.key, c.val)
		if err != nil {
			t.Fatal(err)
		}
		bills, err := e.Reprice(p)
		if err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
		fresh, err := report.Evaluate(context.Background(), m, p, set, nil, report.EvalOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for r := range bills {
			for l := range bills[r] {
				if bills[r][l] != fresh.Runs[r].Bill[l] {
					t.Errorf("%s = %s: location %d re-priced %v, fresh run %v", c.key, c.val, l, bills[r][l], fresh.Runs[r].Bill[l])
				}
			}
		}
	}
	// A device figure needs a new run.
	p, err := base.WithText("synapse.levels", "8")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reprice(p); err == nil || !strings.Contains(err.Error(), "change the simulation") {
		t.Errorf("levels re-priced: %v", err)
	}
	// Counts the run did not keep: a paper-design run has no write counts.
	pe, err := report.Evaluate(context.Background(), m, mustLookup(t, "paper"), set, nil, report.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pw, err := mustLookup(t, "paper").WithText("plasticity.write_energy_per_event", "1pJ")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pe.Reprice(pw); err == nil || !strings.Contains(err.Error(), "did not keep") {
		t.Errorf("writes priced from a run that did not count them: %v", err)
	}
}

func mustLookup(t *testing.T, name string) *design.Design {
	t.Helper()
	d, err := design.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
