package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/internal/sweeptest"
)

// A report page is one file: inline SVG figures, no script, no link to
// anything outside it, with the version, the command, the design's sources
// (and a sweep's spec).
func TestPagesAreSelfContained(t *testing.T) {
	tab := sweeptest.Table(t, `name: page
models: {set: embedded, only: [ART_STPN_h11, ART_LSTM_h9]}
design: rram-neurosim
axes:
  synapse.levels: [0, 8]
  input.dac_energy: [0J, 1pJ]
`)
	figs, err := figure.Sweep(tab)
	if err != nil {
		t.Fatal(err)
	}
	p := Provenance{Version: "v-test", Command: "neurosim report --sweep d -o r.html"}
	var sw bytes.Buffer
	if err := WriteSweepPage(&sw, tab, figs, p); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(sw.String(), "<svg"); n != len(figs) || n < 4 {
		t.Errorf("%d inline SVG for %d figures (want pareto, joules, 2×2 heatmaps)", n, len(figs))
	}

	c := compare(t, "rram-neurosim")
	figs, err = figure.Energies("design rram-neurosim", c.Energies())
	if err != nil {
		t.Fatal(err)
	}
	var cmp bytes.Buffer
	if err := WriteComparisonPage(&cmp, c, figs, p); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		html string
		want []string
	}{
		{"sweep", sw.String(), []string{"neurosim v-test", "neurosim report --sweep d -o r.html", "NeuroSim V1.4 Param.cpp",
			"synapse.levels: [0, 8]", "J/inference", "accuracy (%)", "<dt>design_hash</dt>", "4 points × 2 models × 1 seeds = 8 rows"}},
		{"compare", cmp.String(), []string{"neurosim v-test", "NeuroSim V1.4 Param.cpp", "ART_STPNf_h13", "<dt>design_hash</dt>",
			"Energy and accuracy per model", "synapse_read (J/inference)"}},
	} {
		for _, want := range tt.want {
			if !strings.Contains(tt.html, want) {
				t.Errorf("%s page has no %q", tt.name, want)
			}
		}
		for _, bad := range []string{"<script", `src="http`, `href="http`, "<link", "<img"} {
			if strings.Contains(tt.html, bad) {
				t.Errorf("%s page refers outside itself: %q", tt.name, bad)
			}
		}
	}
}
