package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"neurosim/report"
)

// CompareJSON is the stable JSON form of `neurosim compare`.
type CompareJSON struct {
	Set       string             `json:"set"`
	Design    string             `json:"design"`
	Baseline  string             `json:"baseline"`
	Sequences int                `json:"sequences"`
	Steps     int                `json:"steps"`
	Models    []CompareModelJSON `json:"models"`
}

// CompareModelJSON is one model of CompareJSON.
type CompareModelJSON struct {
	Model       string  `json:"model"`
	Unit        string  `json:"unit"`
	HiddenSize  int     `json:"hidden_size"`
	Synapses    int     `json:"synapses"`
	Accuracy    float64 `json:"accuracy"`
	PerStep     float64 `json:"paper_energy_mean_per_step"`
	PerSequence float64 `json:"paper_energy_mean_per_sequence"`
	Ratio       float64 `json:"ratio_to_baseline"`
}

// WriteComparison renders a comparison.
func WriteComparison(w io.Writer, c *report.Comparison, f Format) error {
	j := CompareJSON{Set: c.Set, Design: c.Design, Baseline: c.Baseline, Sequences: c.Inputs.N, Steps: c.Inputs.T}
	for _, r := range c.Rows {
		j.Models = append(j.Models, CompareModelJSON{
			Model: r.Model.Name, Unit: r.Model.Unit.String(), HiddenSize: r.Model.Hidden, Synapses: r.Model.Synapses,
			Accuracy: r.Accuracy, PerStep: float64(r.MeanPerStep), PerSequence: float64(r.MeanPerSequence), Ratio: r.Ratio,
		})
	}
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	case CSV:
		cw := csv.NewWriter(w)
		cw.Write([]string{"model", "unit", "hidden_size", "synapses", "accuracy",
			"paper_energy_mean_per_step", "paper_energy_mean_per_sequence", "ratio_to_baseline"})
		for _, m := range j.Models {
			cw.Write([]string{m.Model, m.Unit, strconv.Itoa(m.HiddenSize), strconv.Itoa(m.Synapses), full(m.Accuracy),
				full(m.PerStep), full(m.PerSequence), full(m.Ratio)})
		}
		cw.Flush()
		return cw.Error()
	}
	rows := make([][]string, len(j.Models))
	for i, m := range j.Models {
		rows[i] = []string{m.Model, m.Unit, strconv.Itoa(m.HiddenSize), strconv.Itoa(m.Synapses),
			strconv.FormatFloat(100*m.Accuracy, 'f', 2, 64), num(m.PerStep), num(m.PerSequence),
			strconv.FormatFloat(m.Ratio, 'f', 3, 64)}
	}
	fmt.Fprintf(w, "%s: %d sequences × %d steps, design %s\n", j.Set, j.Sequences, j.Steps, j.Design)
	fmt.Fprintf(w, "E = paper energy, dimensionless: Σ z²·|efficacy| over the recurrent cell's synapses, readout excluded;\n")
	fmt.Fprintf(w, "hidden in neurons, synapses per step; last column = E/sequence relative to %s\n", j.Baseline)
	return table(w, []string{"model", "unit", "hidden", "synapses", "accuracy (%)",
		"E/step (paper)", "E/sequence (paper)", "× " + j.Baseline},
		rows, 2, 3, 4, 5, 6, 7)
}
