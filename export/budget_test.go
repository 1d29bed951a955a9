package export

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/report"
)

// The chip budget's keys follow the schema: ranges {low, high}, unbounded
// quantities null; the table fits and carries units.
func TestEnergyBudgetOutputs(t *testing.T) {
	for _, designName := range []string{"rram-neurosim", "stp-diffusive", "paper"} {
		e := evaluate(t, "ART_STPN_h11", designName)
		// 1 Wh = 3600 J.
		b, err := report.NewBudget(e, report.BudgetOptions{Rate: 1000, Battery: 3600})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := WriteEnergyBudget(&out, e, b, JSON, prov); err != nil {
			t.Fatal(err)
		}
		j := decode(t, out.Bytes())
		if j["meta"] == nil || j["rate_Hz"] != 1000.0 {
			t.Errorf("%s: meta %v, rate %v", designName, j["meta"], j["rate_Hz"])
		}
		for _, k := range []string{"latency_per_step_s", "latency_per_sequence_s", "power_W", "energy_per_step_J",
			"energy_per_inference_J", "energy_delay_product_J_s"} {
			checkLowHigh(t, designName+" "+k, j[k])
		}
		for _, k := range []string{"max_step_rate_Hz", "synops_per_J", "battery_life_s"} {
			if j[k] != nil {
				checkLowHigh(t, designName+" "+k, j[k])
			}
		}
		// At 1 kHz, power = energy per step × 1000 /s when there is no
		// static power (none of these presets has any).
		plo, phi := checkLowHigh(t, "power_W", j["power_W"])
		elo, ehi := checkLowHigh(t, "energy_per_step_J", j["energy_per_step_J"])
		if math.Abs(plo-1000*elo) > 1e-12*plo || math.Abs(phi-1000*ehi) > 1e-12*phi {
			t.Errorf("%s: power %v…%v W, energy per step %v…%v J", designName, plo, phi, elo, ehi)
		}
		for _, width := range []int{100, 0} {
			out.Reset()
			if err := WriteEnergyBudget(&Terminal{W: &out, Style: Style{Width: width}}, e, b, Table, prov); err != nil {
				t.Fatal(err)
			}
			if width > 0 && maxLine(out.String()) > width {
				t.Errorf("%s: a line of %d columns:\n%s", designName, maxLine(out.String()), &out)
			}
			for _, want := range []string{"chip budget", "battery life", "power"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("%s: no %q in\n%s", designName, want, &out)
				}
			}
		}
		out.Reset()
		if err := WriteEnergyBudget(&out, e, b, CSV, prov); err != nil {
			t.Fatal(err)
		}
		if _, recs := readCSV(t, out.Bytes()); len(recs) != 129 {
			t.Errorf("%s: csv %d records", designName, len(recs))
		}
	}
}

func TestFeasibilityOutputs(t *testing.T) {
	f, err := report.RunFeasibility(context.Background(), smallSet(t), "small set", report.FeasibilityOptions{
		Versus: []string{"ART_LSTM_h9"}, Writes: []float64{1e-15, 1e-12}, Taus: []float64{1e-3, 1e-2}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteFeasibility(&out, f, JSON, prov); err != nil {
		t.Fatal(err)
	}
	j := decode(t, out.Bytes())
	if m := j["meta"].(map[string]any); m["design"] != "stp-diffusive" || m["set"] != "small set" {
		t.Errorf("meta %v", m)
	}
	ratios := j["versus"].([]any)[0].(map[string]any)["energy_ratio"].([]any)
	if len(ratios) != 2 {
		t.Fatalf("ratios %v", ratios)
	}
	for i, row := range ratios {
		r := row.([]any)
		if len(r) != 2 {
			t.Fatalf("row %v", r)
		}
		lo0, _ := checkLowHigh(t, "ratio", r[0])
		lo1, _ := checkLowHigh(t, "ratio", r[1])
		// STPN writes, the LSTM does not: a dearer write can only raise
		// STPN's share.
		if !(lo1 > lo0) {
			t.Errorf("τ %d: ratio %v at 1 fJ, %v at 1 pJ per write", i, lo0, lo1)
		}
	}
	out.Reset()
	if err := WriteFeasibility(&out, f, CSV, prov); err != nil {
		t.Fatal(err)
	}
	meta, recs := readCSV(t, out.Bytes())
	if meta["design"] != "stp-diffusive" || len(recs) != 1+2*2 || recs[0][3] != "energy_ratio_low" {
		t.Errorf("csv: %v %v", meta, recs)
	}
	out.Reset()
	if err := WriteFeasibility(&Terminal{W: &out, Style: Style{Width: 100}}, f, Table, prov); err != nil {
		t.Fatal(err)
	}
	if maxLine(out.String()) > 100 || !strings.Contains(out.String(), "STPN ÷ ART_LSTM_h9") || !strings.Contains(out.String(), "10 ms") {
		t.Errorf("table:\n%s", &out)
	}
	out.Reset()
	if err := WriteFeasibilityPNG(&out, f); err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(&out); err != nil || img.Bounds().Dx() < 100 {
		t.Errorf("png: %v", err)
	}
}
