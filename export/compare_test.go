package export

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
)

// smallSet is the reference ART set with three of its models.
func smallSet(t *testing.T) fstest.MapFS {
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
	for _, m := range []string{"ART_STPN_h11", "ART_LSTM_h9", "ART_STPNf_h13"} {
		add(m + "/model.pth")
		add(m + "/config.json")
	}
	return fsys
}

func compare(t *testing.T, design string) *report.Comparison {
	t.Helper()
	c, err := report.Compare(context.Background(), smallSet(t), "small set", report.CompareOptions{Design: design})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCompareOutputs(t *testing.T) {
	var heads [][]string
	for _, design := range []string{"paper", "rram-neurosim"} {
		c := compare(t, design)
		var b bytes.Buffer
		if err := WriteComparison(&b, c, JSON, prov); err != nil {
			t.Fatal(err)
		}
		j := decode(t, b.Bytes())
		if m := j["meta"].(map[string]any); m["design"] != design || m["set"] != "small set" || m["checkpoint"] != "small set/*/model.pth" {
			t.Errorf("meta %v", m)
		}
		models := j["models"].([]any)
		if len(models) != 3 || j["baseline"] != "ART_STPN_h11" {
			t.Fatalf("%d models, baseline %v", len(models), j["baseline"])
		}
		for _, mm := range models {
			m := mm.(map[string]any)
			for _, k := range []string{"accuracy", "paper_energy_mean_per_step", "paper_energy_mean_per_sequence",
				"ratio_to_baseline", "mean_per_sequence_J", "ratio_to_baseline_J"} {
				checkLowHigh(t, m["model"].(string)+"."+k, m[k])
			}
			var metrics struct {
				Accuracy float64 `json:"accuracy"`
				PerSeq   float64 `json:"mean_energy_per_sequence"`
			}
			raw, err := os.ReadFile(testutil.Testdata("art", m["model"].(string), "metrics.json"))
			if err != nil || json.Unmarshal(raw, &metrics) != nil {
				t.Fatal(err)
			}
			alo, ahi := checkLowHigh(t, "accuracy", m["accuracy"])
			if design == "paper" && (alo != metrics.Accuracy || ahi != alo) {
				// accuracy is a fraction, as in metrics.json
				t.Errorf("%s: accuracy %v…%v, reference %v", m["model"], alo, ahi, metrics.Accuracy)
			}
			rlo, rhi := checkLowHigh(t, "ratio", m["ratio_to_baseline"])
			if m["model"] == "ART_STPN_h11" && (rlo != 1 || rhi != 1) {
				t.Errorf("baseline ratio %v…%v", rlo, rhi)
			}
		}
		b.Reset()
		if err := WriteComparison(&b, c, CSV, prov); err != nil {
			t.Fatal(err)
		}
		meta, recs := readCSV(t, b.Bytes())
		if meta["design"] != design || len(recs) != 4 {
			t.Errorf("csv: meta %v, %d records", meta, len(recs))
		}
		heads = append(heads, recs[0])
		acc := parse(t, recs[1][col(t, recs[0], "accuracy_low")])
		if acc < 0 || acc > 1 {
			t.Errorf("csv accuracy %v is not a fraction", acc)
		}
		b.Reset()
		if err := WriteComparison(&Terminal{W: &b, Style: Style{Width: 100}}, c, Table, prov); err != nil {
			t.Fatal(err)
		}
		if maxLine(b.String()) > 100 || !strings.Contains(b.String(), "accuracy") || !strings.Contains(b.String(), "(%)") {
			t.Errorf("table:\n%s", &b)
		}
		// Accuracy is a percentage in tables: 42.97 for STPN h11 (55/128).
		if design == "paper" && !strings.Contains(b.String(), "42.97") {
			t.Errorf("table accuracy not in %%:\n%s", &b)
		}
	}
	if !slices.Equal(heads[0], heads[1]) || !slices.Equal(heads[0], CompareCSVHeader()) {
		t.Errorf("CSV headers differ by design:\n%v\n%v", heads[0], heads[1])
	}
}

// The paper-energy ratio of the JSON is the report's own ratio when the
// design is exact.
func TestCompareRatio(t *testing.T) {
	c := compare(t, "paper")
	j, err := NewCompareJSON(c, prov)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range c.Rows {
		if got := j.Models[i].Ratio; math.Abs(got.Lo-r.Ratio) > 1e-15*r.Ratio || got.Lo != got.Hi {
			t.Errorf("%s: ratio %v, report %v", r.Model.Name, got, r.Ratio)
		}
	}
}

func TestBreakevenOutputs(t *testing.T) {
	b, err := report.RunBreakeven(context.Background(), smallSet(t), "small set", report.CompareOptions{Design: "rram-neurosim"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteBreakeven(&out, b, JSON, prov); err != nil {
		t.Fatal(err)
	}
	j := decode(t, out.Bytes())
	if m := j["meta"].(map[string]any); m["design"] != "rram-neurosim" || m["inputs"] != "small set/inputs.npy" {
		t.Errorf("meta %v", m)
	}
	// rram-neurosim's write_energy_per_event is 0.6 pJ … 3.33 pJ (preset).
	if lo, hi := checkLowHigh(t, "design_write_energy_per_event_J", j["design_write_energy_per_event_J"]); lo != 0.6e-12 || math.Abs(hi-3.333e-12) > 1e-15 {
		t.Errorf("write price %v…%v", lo, hi)
	}
	rows := j["models"].([]any)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, rr := range rows {
		r := rr.(map[string]any)
		for _, k := range []string{"stpn_fixed_J", "fixed_J", "stpn_writes", "writes"} {
			checkLowHigh(t, k, r[k])
		}
		switch r["model"] {
		case "ART_LSTM_h9":
			// No plastic state: LSTM never writes, so the lines cross where
			// STPN's writes have paid for its read advantage: a positive price.
			if lo, _ := checkLowHigh(t, "break_even_J", r["break_even_J"]); lo <= 0 {
				t.Errorf("LSTM break-even %v", r["break_even_J"])
			}
			// STPN h11 rewrites its 528 synapses at each of 9 steps.
			if w, _ := checkLowHigh(t, "stpn_writes", r["stpn_writes"]); w != 528*9 {
				t.Errorf("STPN writes %v per sequence, want 4752", w)
			}
		case "ART_STPNf_h13":
			// STPNf is cheaper at every write price (README): no crossing, null.
			if r["break_even_J"] != nil {
				t.Errorf("STPNf break-even %v, want null", r["break_even_J"])
			}
		}
	}
	out.Reset()
	if err := WriteBreakeven(&out, b, CSV, prov); err != nil {
		t.Fatal(err)
	}
	_, recs := readCSV(t, out.Bytes())
	if !slices.Equal(recs[0], BreakevenCSVHeader()) || len(recs) != 3 {
		t.Fatalf("csv %v", recs)
	}
	for _, r := range recs[1:] {
		if r[0] == "ART_STPNf_h13" && (r[col(t, recs[0], "break_even_J_low")] != "" || r[col(t, recs[0], "break_even_J_high")] != "") {
			t.Errorf("no crossing written as %v", r)
		}
	}
	for _, width := range []int{100, 0} {
		out.Reset()
		if err := WriteBreakeven(&Terminal{W: &out, Style: Style{Width: width}}, b, Table, prov); err != nil {
			t.Fatal(err)
		}
		if width > 0 && maxLine(out.String()) > width {
			t.Errorf("a line of %d columns:\n%s", maxLine(out.String()), &out)
		}
		if width == 0 && !strings.Contains(out.String(), "ART_STPN_h11 writes / seq") {
			t.Errorf("--wide lacks STPN's columns:\n%s", &out)
		}
	}
}
