package report_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
)

// artFS is a set of the reference ART fixtures: the inputs, the labels and
// the named model folders (checkpoint and config).
func artFS(t *testing.T, models ...string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	add := func(name string) {
		b, err := os.ReadFile(testutil.Testdata("art", name))
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	add("inputs.npy")
	add("labels.npy")
	for _, m := range models {
		add(m + "/model.pth")
		add(m + "/config.json")
	}
	return fsys
}

// refPerSequence is a reference model's mean paper energy per sequence:
// the mean over sequences of the row sums of its energy_f64.npy [N, T].
func refPerSequence(t *testing.T, dir ...string) float64 {
	t.Helper()
	a := testutil.NPY(t, testutil.Testdata(append(dir, "energy_f64.npy")...))
	var sum float64
	for _, v := range a.Float {
		sum += v
	}
	return sum / float64(a.Shape[0])
}

// refAccuracy is a reference ART model's accuracy (metrics.json).
func refAccuracy(t *testing.T, name string) float64 {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata("art", name, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Accuracy float64 }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Accuracy
}

// Parity against the float64 reference holds to 1e-11 per model
// (TestPaperDesignIsThePaper); means and ratios of such sums stay within 1e-10.
const refTol = 1e-10

// Under the paper design each row is the reference model's mean energy per
// sequence and accuracy; ratios are to the STPN (the first STPNr), and in
// joules they are the same ratios, since the paper design's joules are the
// paper's energy.
func TestCompareAgainstReference(t *testing.T) {
	models := []string{"ART_STPN_h11", "ART_LSTM_h9", "ART_RNN_h20"}
	fsys := artFS(t, models...)
	// What is not a model folder is passed over.
	fsys["README.md"] = &fstest.MapFile{Data: []byte("notes")}
	fsys["notes/todo.txt"] = &fstest.MapFile{Data: []byte("x")}
	var seen []string
	c, err := report.Compare(context.Background(), fsys, "ref", report.CompareOptions{Design: "paper",
		Progress: func(model string, done, total int) {
			if done == total {
				seen = append(seen, model)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Baseline != "ART_STPN_h11" || c.Set != "ref" || len(c.Rows) != 3 || c.Inputs.N != 128 {
		t.Fatalf("baseline %s, set %s, %d rows, %d sequences", c.Baseline, c.Set, len(c.Rows), c.Inputs.N)
	}
	if len(seen) != 3 {
		t.Errorf("progress finished for %v, want every model", seen)
	}
	base := refPerSequence(t, "art", "ART_STPN_h11")
	for i, want := range []string{"ART_LSTM_h9", "ART_RNN_h20", "ART_STPN_h11"} { // in name order
		r := c.Rows[i]
		if r.Model.Name != want {
			t.Fatalf("row %d is %s, want %s", i, r.Model.Name, want)
		}
		ref := refPerSequence(t, "art", want)
		testutil.Close(t, want+" mean per sequence", []float64{float64(r.MeanPerSequence)}, []float64{ref}, refTol, 0)
		testutil.Close(t, want+" ratio", []float64{r.Ratio, r.JouleRatio.Lo, r.JouleRatio.Hi},
			[]float64{ref / base, ref / base, ref / base}, refTol, 0)
		if !r.HasLabels || r.Accuracy.Lo != refAccuracy(t, want) || r.Accuracy.Hi != r.Accuracy.Lo {
			t.Errorf("%s: accuracy %v, want the reference's %v", want, r.Accuracy, refAccuracy(t, want))
		}
	}

	// Another baseline: its own ratio is exactly 1.
	c, err = report.Compare(context.Background(), fsys, "ref", report.CompareOptions{Baseline: "ART_LSTM_h9", Models: "ART_[LS]*"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Baseline != "ART_LSTM_h9" || len(c.Rows) != 2 || c.Rows[0].Ratio != 1 || c.Rows[0].JouleRatio != (report.Interval{Lo: 1, Hi: 1}) {
		t.Errorf("baseline %s, rows %d, its ratio %v %v", c.Baseline, len(c.Rows), c.Rows[0].Ratio, c.Rows[0].JouleRatio)
	}
	// No STPN: the first model in name order.
	c, err = report.Compare(context.Background(), fsys, "ref", report.CompareOptions{Models: "ART_[LR]*"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Baseline != "ART_LSTM_h9" {
		t.Errorf("baseline %s without an STPN, want the first model, ART_LSTM_h9", c.Baseline)
	}
}

// The set's inputs may be its one inputs_*.npy, its labels its one
// labels_*.npy (as the perf set names them).
func TestCompareSuffixedInputs(t *testing.T) {
	fsys := artFS(t, "ART_LSTM_h9")
	fsys["inputs_128.npy"], fsys["labels_128.npy"] = fsys["inputs.npy"], fsys["labels.npy"]
	delete(fsys, "inputs.npy")
	delete(fsys, "labels.npy")
	c, err := report.Compare(context.Background(), fsys, "ref", report.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Rows[0]
	testutil.Close(t, "mean per sequence", []float64{float64(r.MeanPerSequence)}, []float64{refPerSequence(t, "art", "ART_LSTM_h9")}, refTol, 0)
	if !r.HasLabels || r.Accuracy.Lo != refAccuracy(t, "ART_LSTM_h9") {
		t.Errorf("accuracy %v from labels_128.npy, want %v", r.Accuracy, refAccuracy(t, "ART_LSTM_h9"))
	}
}

// The agents of testdata/rl take the observations their spec.json names:
// the pendulum agents share theirs, Pong's differ, so the whole set is
// refused with a --models hint and the pendulum group runs, each agent's
// energy that of its reference.
func TestCompareAgents(t *testing.T) {
	fsys := os.DirFS(testutil.Testdata("rl"))
	_, err := report.Compare(context.Background(), fsys, "rl", report.CompareOptions{})
	if err == nil || !strings.Contains(err.Error(), "set rl: the models take different inputs") ||
		!strings.Contains(err.Error(), "observations_PONG.npy: PONG_LSTM, PONG_MLP, PONG_RNN, PONG_STPMLP, PONG_STPN") || !strings.Contains(err.Error(), "--models 'PEND*'") {
		t.Errorf("error %v, want the two groups and a --models hint", err)
	}
	c, err := report.Compare(context.Background(), fsys, "rl", report.CompareOptions{Models: "PEND_*"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Rows) != 5 || c.Baseline != "PEND_STPN" || c.Inputs.N != 8 || c.Inputs.T != 16 {
		t.Fatalf("%d agents, baseline %s, inputs %d×%d; want 5, PEND_STPN, 8×16", len(c.Rows), c.Baseline, c.Inputs.N, c.Inputs.T)
	}
	for _, r := range c.Rows {
		testutil.Close(t, r.Model.Name+" mean per sequence", []float64{float64(r.MeanPerSequence)},
			[]float64{refPerSequence(t, "rl", r.Model.Name)}, refTol, 1e-12)
		if r.HasLabels {
			t.Errorf("%s: an agent set has no labels, yet accuracy %v", r.Model.Name, r.Accuracy)
		}
	}
}

// A set that cannot be compared is one error naming the set and what is
// wrong with it, before anything runs.
func TestCompareSetErrors(t *testing.T) {
	good := artFS(t, "ART_LSTM_h9")
	with := func(edit func(fstest.MapFS)) fstest.MapFS {
		fsys := fstest.MapFS{}
		for k, v := range good {
			fsys[k] = v
		}
		edit(fsys)
		return fsys
	}
	spec := func(file string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{"observations": {"file": "` + file + `"}}`)}
	}
	tests := []struct {
		name string
		fsys fs.FS
		opt  report.CompareOptions
		want string
	}{
		{"empty", fstest.MapFS{}, report.CompareOptions{}, "set s: no model folders (with model.pth and config.json, spec.json, params.json)"},
		{"bad pattern", good, report.CompareOptions{Models: "["}, `--models "[": syntax error in pattern`},
		{"no match", good, report.CompareOptions{Models: "PONG_*"}, `set s: no model matches --models "PONG_*" (models: ART_LSTM_h9)`},
		{"no baseline", good, report.CompareOptions{Baseline: "ART_GRU"}, `set s: no model "ART_GRU" to compare against (models: ART_LSTM_h9)`},
		{"no design", good, report.CompareOptions{Design: "no-such-design"}, "no-such-design"},
		{"no config", with(func(f fstest.MapFS) { delete(f, "ART_LSTM_h9/config.json") }), report.CompareOptions{},
			"set s: model ART_LSTM_h9 has no config.json, spec.json, params.json"},
		{"no inputs", with(func(f fstest.MapFS) { delete(f, "inputs.npy") }), report.CompareOptions{},
			"set s: no inputs.npy or observations.npy for model ART_LSTM_h9"},
		{"two suffixed inputs", with(func(f fstest.MapFS) {
			f["inputs_a.npy"], f["inputs_b.npy"] = f["inputs.npy"], f["inputs.npy"]
			delete(f, "inputs.npy")
		}), report.CompareOptions{}, "set s: no inputs.npy or observations.npy for model ART_LSTM_h9"},
		{"observations outside", with(func(f fstest.MapFS) {
			delete(f, "ART_LSTM_h9/config.json")
			f["ART_LSTM_h9/spec.json"] = spec("../../obs.npy")
		}), report.CompareOptions{}, `set s: ART_LSTM_h9/spec.json: observations.file "../../obs.npy" lies outside the set`},
		{"inputs not npy", with(func(f fstest.MapFS) { f["inputs.npy"] = &fstest.MapFile{Data: []byte("not npy")} }),
			report.CompareOptions{}, "s/inputs.npy"},
		{"labels not npy", with(func(f fstest.MapFS) { f["labels.npy"] = &fstest.MapFile{Data: []byte("not npy")} }),
			report.CompareOptions{}, "s/labels.npy"},
		{"checkpoint not a checkpoint", with(func(f fstest.MapFS) { f["ART_LSTM_h9/model.pth"] = &fstest.MapFile{Data: []byte("PK")} }),
			report.CompareOptions{}, "s/ART_LSTM_h9/model.pth"},
		{"config not a config", with(func(f fstest.MapFS) { f["ART_LSTM_h9/config.json"] = &fstest.MapFile{Data: []byte("{")} }),
			report.CompareOptions{}, "s/ART_LSTM_h9/config.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := report.Compare(context.Background(), tt.fsys, "s", tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line containing %q", err, tt.want)
			}
		})
	}
}
