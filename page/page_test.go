package page_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/page"
	"github.com/neurosim/neurosim/sweep"
)

// A sweep report is one file: inline SVG figures, no script, no link to
// anything outside it, with the version, the command, the design's sources
// and the spec.
func TestSweepPageIsSelfContained(t *testing.T) {
	s, err := sweep.ParseSpec("s.yaml", []byte(`name: page
models: {set: embedded, only: [ART_STPN_h11, ART_LSTM_h9]}
design: rram-neurosim
axes:
  synapse.levels: [0, 8]
  input.dac_energy: [0J, 1pJ]
`))
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sweep.Prepare(s, sweep.Options{Embedded: neurosim.ReferenceART()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := sw.Run(context.Background(), dir, sweep.RunOptions{Version: "v-test"}); err != nil {
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
	pg, err := page.Sweep(tab, figs, page.Meta{Version: "v-test", Command: "neurosim report --sweep d -o r.html"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := pg.Write(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if n := strings.Count(html, "<svg"); n != len(figs) || n < 4 {
		t.Errorf("%d inline SVG for %d figures (want pareto, joules, 2×2 heatmaps)", n, len(figs))
	}
	for _, want := range []string{"neurosim v-test", "neurosim report --sweep d -o r.html", "NeuroSim V1.4 Param.cpp",
		"synapse.levels: [0, 8]", "J per inference", "accuracy (%)"} {
		if !strings.Contains(html, want) {
			t.Errorf("report has no %q", want)
		}
	}
	for _, bad := range []string{"<script", `src="http`, `href="http`, "<link", "<img"} {
		if strings.Contains(html, bad) {
			t.Errorf("report refers outside itself: %q", bad)
		}
	}
}
