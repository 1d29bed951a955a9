package figure_test

import (
	"context"
	"slices"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/internal/sweeptest"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
)

func names(figs []*plot.Figure) []string {
	var n []string
	for _, f := range figs {
		n = append(n, f.Name)
	}
	return n
}

// A comparison gets joules, steps (when steps were kept) and the trade-off.
func TestEnergies(t *testing.T) {
	c, err := report.Compare(context.Background(), neurosim.ReferenceART(), "ref",
		report.CompareOptions{Design: "paper", KeepSteps: true})
	if err != nil {
		t.Fatal(err)
	}
	es := c.Energies()
	figs, err := figure.Energies("t", es)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(figs); !slices.Equal(got, []string{"joules", "steps", "tradeoff"}) {
		t.Errorf("figures %v", got)
	}
	figs, err = figure.Energies("t", es[:1])
	if err != nil {
		t.Fatal(err)
	}
	if got := names(figs); !slices.Equal(got, []string{"joules", "steps"}) {
		t.Errorf("one model: figures %v, want no trade-off of one point", got)
	}
}

// A random sweep has no grid: no heatmaps.
func TestSweepRandomHasNoHeatmap(t *testing.T) {
	tab := sweeptest.Table(t, `name: r
models: {set: embedded, only: [ART_STPN_h11]}
design: paper
axes:
  input.dac_energy: {from: 0J, to: 1pJ}
  static_power: [0W, 1uW]
mode: {random: 4, seed: 1}
`)
	figs, err := figure.Sweep(tab)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(figs); !slices.Equal(got, []string{"pareto", "joules"}) {
		t.Errorf("figures %v", got)
	}
}
