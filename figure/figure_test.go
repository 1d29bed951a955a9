package figure_test

import (
	"context"
	"slices"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
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
	es := make([]*report.Energy, len(c.Rows))
	for i := range c.Rows {
		es[i] = c.Rows[i].Energy
	}
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
	s, err := sweep.ParseSpec("s.yaml", []byte(`name: r
models: {set: embedded, only: [ART_STPN_h11]}
design: paper
axes:
  input.dac_energy: {from: 0J, to: 1pJ}
  static_power: [0W, 1uW]
mode: {random: 4, seed: 1}
`))
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sweep.Prepare(s, sweep.Options{Embedded: neurosim.ReferenceART()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := sw.Run(context.Background(), dir, sweep.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	tab, err := sweep.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := figure.Sweep(tab)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(figs); !slices.Equal(got, []string{"pareto", "joules"}) {
		t.Errorf("figures %v", got)
	}
}
