package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/internal/sweeptest"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/sweep"
)

// loadSpec writes text as DIR/spec.yaml and loads and prepares it.
func loadSpec(t *testing.T, dir, text string) *sweep.Sweep {
	t.Helper()
	path := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := sweep.LoadSpec(path)
	if err != nil {
		t.Fatal(err)
	}
	return sweeptest.PrepareSpec(t, s)
}

// merge runs sw in a fresh folder and returns its table.
func merge(t *testing.T, sw *sweep.Sweep) *sweep.Table {
	t.Helper()
	dir := t.TempDir()
	run(t, sw, dir, sweep.RunOptions{})
	tab, err := sweep.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// The same model and inputs named every way a spec can name them — the
// embedded set, the set folder it was made from (testdata/art), a
// checkpoint with its config and the inputs and labels as files — are the
// same content: the same row keys and the same results to the bit.
func TestInputsNamedEveryWay(t *testing.T) {
	dir := t.TempDir()
	art, err := filepath.Rel(dir, testutil.Testdata("art"))
	if err != nil {
		t.Fatal(err)
	}
	axes := "design: rram-neurosim\naxes:\n  input.dac_energy: [0J, 1pJ]\n"
	specs := map[string]string{
		"embedded":   "name: e\nmodels: {set: embedded, only: [ART_STPN_h11]}\n" + axes,
		"set folder": "name: f\nmodels: {set: " + art + ", only: [ART_STPN_h11]}\n" + axes,
		"files": "name: c\nmodels:\n  - checkpoint: " + art + "/ART_STPN_h11/model.pth\n" +
			"inputs: {inputs: " + art + "/inputs.npy, labels: " + art + "/labels.npy}\n" + axes,
	}
	var first *sweep.Table
	for _, name := range []string{"embedded", "set folder", "files"} {
		sw := loadSpec(t, dir, specs[name])
		if sw.Models[0].Name != "ART_STPN_h11" {
			t.Errorf("%s: model named %q, want its folder's name", name, sw.Models[0].Name)
		}
		tab := merge(t, sw)
		if first == nil {
			first = tab
			continue
		}
		for i := range tab.Rows {
			a, b := first.Rows[i], tab.Rows[i]
			if a.Key != b.Key || a.R.Total != b.R.Total || *a.R.Accuracy != *b.R.Accuracy || a.R.Breakdown != b.R.Breakdown {
				t.Errorf("%s: row %d differs from the embedded set's: %+v\n%+v", name, i, b.R, a.R)
			}
		}
	}
	// Files lists what the spec reads, so that no output overwrites it.
	s, err := sweep.LoadSpec(filepath.Join(dir, "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files, sets := s.Files()
	want := []string{filepath.Join(dir, "spec.yaml"), filepath.Join(dir, art, "ART_STPN_h11/model.pth"),
		filepath.Join(dir, art, "ART_STPN_h11/config.json"), filepath.Join(dir, art, "inputs.npy"), filepath.Join(dir, art, "labels.npy")}
	if !slices.Equal(files, want) || len(sets) != 0 {
		t.Errorf("Files() = %v, %v\nwant %v", files, sets, want)
	}
	s, _ = sweep.ParseSpec(filepath.Join(dir, "s.yaml"), []byte(specs["set folder"]+"inputs: {set: "+art+"}\n"))
	if files, sets := s.Files(); len(files) != 1 || !slices.Equal(sets, []string{filepath.Join(dir, art), filepath.Join(dir, art)}) {
		t.Errorf("Files() of a set = %v, %v", files, sets)
	}
}

// Generated ART sequences carry their labels; event streams without labels
// give no accuracy, and the Pareto front is then the cheapest points.
func TestGeneratedAndEventInputs(t *testing.T) {
	dir := t.TempDir()
	sw := loadSpec(t, dir, `name: art
models: {set: embedded, only: [ART_STPN_h11]}
inputs: {art: {n: 16, seed: 3}}
design: paper
axes: {input.dac_energy: [0J, 1pJ]}
`)
	tab := merge(t, sw)
	if r := tab.Rows[0].R; r.Sequences != 16 || r.Accuracy == nil {
		t.Errorf("ART inputs: %d sequences, accuracy %v; want 16 with an accuracy", r.Sequences, r.Accuracy)
	}

	events := testutil.Testdata("events", "good.csv")
	sw = loadSpec(t, dir, `name: ev
models: {set: embedded, only: [ART_STPN_h11]}
inputs: {events: `+events+`}
design: rram-neurosim
axes: {static_power: [1mW, 0W]}
`)
	if !sw.Inputs.Timed() {
		t.Fatal("event inputs are not timed")
	}
	tab = merge(t, sw)
	if len(tab.Rows) != 2 || tab.Rows[0].R.Accuracy != nil || tab.Rows[0].R.Sequences != 3 {
		t.Fatalf("event rows %+v", tab.Rows)
	}
	// Static power is charged over the simulated time: 1 mW costs more.
	if !(tab.Rows[0].R.PerInference[1] > tab.Rows[1].R.PerInference[1]) || tab.Rows[0].Pareto || !tab.Rows[1].Pareto {
		t.Errorf("without labels the cheaper point alone is on the front: %v %v, pareto %v %v",
			tab.Rows[0].R.PerInference, tab.Rows[1].R.PerInference, tab.Rows[0].Pareto, tab.Rows[1].Pareto)
	}
}

// Random points drawn from continuous intervals stay inside them, log
// spaced ones too, whole for levels, and follow the mode's seed.
func TestRandomContinuousAxes(t *testing.T) {
	spec := `name: r
models: {set: embedded, only: [ART_STPN_h11]}
design: rram-neurosim
axes:
  readout.adc_energy: {from: 10fJ, to: 10pJ, log: true}
  synapse.read_noise: {from: 0, to: 0.3}
  synapse.levels: {from: 2, to: 64}
mode: {random: 20, seed: 5}
`
	a, b := prepare(t, spec), prepare(t, spec)
	for i, p := range a.Points {
		adc, noise, levels := p.Values[0].SI, p.Values[1].SI, p.Values[2].SI
		if adc < 10e-15 || adc > 10e-12 || noise < 0 || noise > 0.3 || levels < 2 || levels > 64 || levels != float64(int(levels)) {
			t.Errorf("point %d: adc %g J, noise %g, levels %g", i, adc, noise, levels)
		}
		if p.Values[0].SI != b.Points[i].Values[0].SI {
			t.Errorf("point %d differs between two preparations of one seed", i)
		}
	}
	if a.Points[0].Values[1].SI == a.Points[1].Values[1].SI {
		t.Error("two random points drew the same read noise")
	}
}

// Parse errors of the spec's structure: one line naming the file and line.
func TestBadSpecStructure(t *testing.T) {
	ok := "name: s\nmodels: {set: embedded}\ndesign: paper\naxes: {input.v_read: [1V]}\n"
	for _, tt := range []struct{ name, spec, want string }{
		{"not YAML", "name: [", "s.yaml:1: malformed YAML"},
		{"bad YAML deep", "name: s\nmodels: {set: embedded}\ndesign: paper\naxes:\n  input.v_read: [1V\nseeds: 1\n", "s.yaml:5: malformed YAML"},
		{"two documents", ok + "---\nname: t\n", "s.yaml:5: more than one YAML document"},
		{"bad second document", ok + "---\nname: [\n", "s.yaml:6: malformed YAML"},
		{"not a mapping", "- 1\n", "s.yaml:1: the top level: want a mapping"},
		{"duplicate key", ok + "name: t\n", `s.yaml:5: the top level: duplicate key "name" (first at line 1)`},
		{"anchor", "name: &n s\nmodels: {set: embedded}\ndesign: paper\naxes: {input.v_read: [1V]}\n", "anchors and aliases are not allowed"},
		{"no models", "name: s\ndesign: paper\naxes: {input.v_read: [1V]}\n", "models"},
		{"empty models", "name: s\nmodels: []\ndesign: paper\naxes: {input.v_read: [1V]}\n", "s.yaml:2: models: empty list"},
		{"model without source", "name: s\nmodels: [{name: x}]\ndesign: paper\naxes: {input.v_read: [1V]}\n", "each entry needs set"},
		{"set and checkpoint", "name: s\nmodels: [{set: embedded, checkpoint: m.pth}]\ndesign: paper\naxes: {input.v_read: [1V]}\n", "are exclusive"},
		{"only without set", "name: s\nmodels: [{checkpoint: m.pth, only: [a]}]\ndesign: paper\naxes: {input.v_read: [1V]}\n", "only applies to a set"},
		{"only not a list", "name: s\nmodels: [{set: embedded, only: a}]\ndesign: paper\naxes: {input.v_read: [1V]}\n", "only: want a list of model names"},
		{"unknown model key", "name: s\nmodels: [{set: embedded, seed: 1}]\ndesign: paper\naxes: {input.v_read: [1V]}\n", `unknown key "seed"`},
		{"two inputs", strings.Replace(ok, "design:", "inputs: {set: embedded, art: {n: 4}}\ndesign:", 1), "s.yaml:3: inputs"},
		{"art n", strings.Replace(ok, "design:", "inputs: {art: {n: 0}}\ndesign:", 1), `inputs: art: n: "0" is not a whole number`},
		{"art seed", strings.Replace(ok, "design:", "inputs: {art: {seed: -1}}\ndesign:", 1), "inputs: art: seed: want a whole number from 0"},
		{"text list", strings.Replace(ok, "design: paper", "design: [paper]", 1), "design: want a line of text, found a list"},
		{"random zero", ok + "mode: {random: 0, seed: 1}\n", "s.yaml:5: mode"},
		{"unknown mode", ok + "mode: lattice\n", "s.yaml:5: mode"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sweep.ParseSpec("s.yaml", []byte(tt.spec))
			if err == nil {
				_, err = sweep.Prepare(s, sweep.Options{Embedded: neurosim.ReferenceART()})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "sweep s.yaml") || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v\nwant one line with %q", err, tt.want)
			}
		})
	}
	if _, err := sweep.LoadSpec(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml: no such file") {
		t.Errorf("missing spec: %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	os.WriteFile(big, []byte(ok+"# "+strings.Repeat("x", sweep.MaxSpecSize)+"\n"), 0o644)
	if _, err := sweep.LoadSpec(big); err == nil {
		t.Error("a spec over MaxSpecSize was read")
	}
}

// A results folder refuses another sweep's plan; a plan.json that is not
// one, or is missing, is an error naming the folder; stray files in
// points/ are skipped.
func TestResultsFolder(t *testing.T) {
	dir := t.TempDir()
	sw := prepare(t, "name: a\nmodels: {set: embedded, only: [ART_STPN_h11]}\ndesign: paper\naxes: {input.dac_energy: [0J]}\n")
	run(t, sw, dir, sweep.RunOptions{})
	other := prepare(t, "name: b\nmodels: {set: embedded, only: [ART_STPN_h11]}\ndesign: paper\naxes: {input.dac_energy: [1pJ]}\n")
	if _, err := other.Run(context.Background(), dir, sweep.RunOptions{}); err == nil || !strings.Contains(err.Error(), "holds the plan of another sweep") {
		t.Errorf("another sweep's folder: %v", err)
	}
	for _, junk := range []string{"x.json", ".tmp.json", "y.txt"} {
		os.WriteFile(filepath.Join(dir, "points", junk), []byte("{not json"), 0o644)
	}
	if tab, err := sweep.Merge(dir); err != nil || len(tab.Rows) != 1 {
		t.Errorf("merge with stray files: %v", err)
	}
	if _, err := sweep.Merge(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no plan.json") {
		t.Errorf("no plan: %v", err)
	}
	for _, plan := range []string{"{", `{"format": "other/1"}`, `{"format": "neurosim-sweep-plan/1", "extra": 1}`} {
		bad := t.TempDir()
		os.WriteFile(filepath.Join(bad, "plan.json"), []byte(plan), 0o644)
		if _, err := sweep.ReadPlan(bad); err == nil || !strings.Contains(err.Error(), "sweep results "+bad) {
			t.Errorf("plan %q: %v", plan, err)
		}
	}
	var ie *sweep.IncompleteError
	if _, err := sweep.Merge(func() string {
		d := t.TempDir()
		if err := sw.WritePlan(d); err != nil {
			t.Fatal(err)
		}
		return d
	}()); err == nil || !asIncomplete(err, &ie) || ie.Missing != 1 || ie.Total != 1 {
		t.Errorf("empty results: %v", err)
	}
}

func asIncomplete(err error, ie **sweep.IncompleteError) bool {
	e, ok := err.(*sweep.IncompleteError)
	*ie = e
	return ok
}
