package figure_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/internal/sweeptest"
	"github.com/neurosim/neurosim/internal/testutil"
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

func svg(t *testing.T, f *plot.Figure) string {
	t.Helper()
	var b strings.Builder
	if err := f.Render(&b, "svg"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A two-axis grid gets an accuracy and an energy heatmap per model; every
// cell of the accuracy map is labelled with its row's accuracy as the table
// has it, and levels 0 is called continuous.
func TestSweepHeatmaps(t *testing.T) {
	tab := sweeptest.Table(t, `name: h
models: {set: embedded, only: [ART_STPN_h11, ART_LSTM_h9]}
design: rram-neurosim
axes:
  synapse.levels: [0, 4]
  input.dac_energy: [0J, 1pJ]
`)
	figs, err := figure.Sweep(tab)
	if err != nil {
		t.Fatal(err)
	}
	// Models in the set's folder order.
	want := []string{"pareto", "joules", "heatmap-accuracy-ART_LSTM_h9", "heatmap-energy-ART_LSTM_h9",
		"heatmap-accuracy-ART_STPN_h11", "heatmap-energy-ART_STPN_h11"}
	if got := names(figs); !slices.Equal(got, want) {
		t.Fatalf("figures %v, want %v", got, want)
	}
	for m, model := range []string{"ART_LSTM_h9", "ART_STPN_h11"} {
		acc := svg(t, figs[2+2*m])
		for _, r := range tab.Rows {
			if r.R.Model != model {
				continue
			}
			if cell := fmt.Sprintf(">%.1f<", 100*r.R.Accuracy[0]); !strings.Contains(acc, cell) {
				t.Errorf("%s: no cell %s for point %d", model, cell, r.Point)
			}
		}
		for _, label := range []string{">continuous<", ">4<", "input.dac_energy (J)", "synapse.levels"} {
			if !strings.Contains(acc, label) {
				t.Errorf("%s accuracy map has no %q", model, label)
			}
		}
	}
}

// Without labels (event inputs) there is no trade-off and no accuracy map;
// a sweep of more than 12 points charts the joules of its front points.
func TestSweepFiguresWithoutLabels(t *testing.T) {
	tab := sweeptest.Table(t, `name: ev
models: {set: embedded, only: [ART_STPN_h11]}
inputs: {events: `+testutil.Testdata("events", "good.csv")+`}
design: rram-neurosim
axes:
  static_power: [0W, 1uW, 1mW, 1W]
  input.dac_energy: [0J, 1fJ, 1pJ, 1nJ]
`)
	figs, err := figure.Sweep(tab)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(figs); !slices.Equal(got, []string{"joules", "heatmap-energy-ART_STPN_h11"}) {
		t.Fatalf("figures %v", got)
	}
	// Every cost grows with both axes: the front is the one free point.
	if !strings.Contains(figs[0].Title, "the 1 points of the models' Pareto fronts") {
		t.Errorf("joules title %q", figs[0].Title)
	}
}
