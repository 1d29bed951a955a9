package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/neurosim/neurosim/report"
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
	Accuracy    *Value  `json:"accuracy,omitempty"` // absent without labels (an agent set)
	PerStep     float64 `json:"paper_energy_mean_per_step"`
	PerSequence float64 `json:"paper_energy_mean_per_sequence"`
	Ratio       float64 `json:"ratio_to_baseline"`
	JPerSeq     Value   `json:"mean_per_sequence_J"`
	JRatio      Value   `json:"ratio_to_baseline_J"`
}

// WriteComparison renders a comparison.
func WriteComparison(w io.Writer, c *report.Comparison, f Format) error {
	j := CompareJSON{Set: c.Set, Design: c.Design.Name, Baseline: c.Baseline, Sequences: c.Inputs.N, Steps: c.Inputs.T}
	for _, r := range c.Rows {
		m := CompareModelJSON{
			Model: r.Model.Name, Unit: r.Model.Unit.String(), HiddenSize: r.Model.Hidden, Synapses: r.Model.Synapses,
			PerStep: float64(r.MeanPerStep), PerSequence: float64(r.MeanPerSequence), Ratio: r.Ratio,
			JPerSeq: joules(r.Joules.MeanPerSequence), JRatio: Value(r.JouleRatio),
		}
		if r.HasLabels {
			acc := Value(r.Accuracy)
			m.Accuracy = &acc
		}
		j.Models = append(j.Models, m)
	}
	switch f {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		cw := csv.NewWriter(w)
		cw.Write([]string{"model", "unit", "hidden_size", "synapses", "accuracy_low", "accuracy_high",
			"paper_energy_mean_per_step", "paper_energy_mean_per_sequence", "ratio_to_baseline",
			"mean_per_sequence_J_low", "mean_per_sequence_J_high", "ratio_to_baseline_J_low", "ratio_to_baseline_J_high"})
		for _, m := range j.Models {
			accLo, accHi := "", ""
			if m.Accuracy != nil {
				accLo, accHi = full(m.Accuracy.Lo), full(m.Accuracy.Hi)
			}
			cw.Write([]string{m.Model, m.Unit, strconv.Itoa(m.HiddenSize), strconv.Itoa(m.Synapses),
				accLo, accHi, full(m.PerStep), full(m.PerSequence), full(m.Ratio),
				full(m.JPerSeq.Lo), full(m.JPerSeq.Hi), full(m.JRatio.Lo), full(m.JRatio.Hi)})
		}
		cw.Flush()
		return cw.Error()
	}
	paper := c.Design.Name == "paper"
	rows := make([][]string, len(j.Models))
	for i, m := range j.Models {
		acc := "—"
		if m.Accuracy != nil {
			acc = strconv.FormatFloat(100*m.Accuracy.Lo, 'f', 2, 64)
			if m.Accuracy.Lo != m.Accuracy.Hi {
				acc += " … " + strconv.FormatFloat(100*m.Accuracy.Hi, 'f', 2, 64)
			}
		}
		rows[i] = []string{m.Model, m.Unit, strconv.Itoa(m.HiddenSize), strconv.Itoa(m.Synapses),
			acc, num(m.PerStep), num(m.PerSequence), strconv.FormatFloat(m.Ratio, 'f', 3, 64)}
		if !paper {
			ratio := strconv.FormatFloat(m.JRatio.Lo, 'f', 3, 64)
			if m.JRatio.Lo != m.JRatio.Hi {
				ratio += " … " + strconv.FormatFloat(m.JRatio.Hi, 'f', 3, 64)
			}
			st, w := perStepAndWatts(c, i)
			rows[i] = append(rows[i], st, siRange(m.JPerSeq.Lo, m.JPerSeq.Hi, "J"), w, ratio)
		}
	}
	fmt.Fprintf(w, "%s: %d sequences × %d steps, design %s\n", j.Set, j.Sequences, j.Steps, j.Design)
	fmt.Fprintf(w, "E = paper energy, dimensionless: Σ z²·|efficacy| over the recurrent core's synapses, front-end and readout excluded;\n")
	fmt.Fprintf(w, "hidden in neurons, synapses per step; last column = E/sequence relative to %s\n", j.Baseline)
	head := []string{"model", "unit", "hidden", "synapses", "accuracy (%)",
		"E/step (paper)", "E/sequence (paper)", "× " + j.Baseline}
	right := []int{2, 3, 4, 5, 6, 7}
	if !paper {
		head = append(head, "J/step", "J/inference ("+j.Design+")",
			fmt.Sprintf("W at %s", si(1/c.Design.StepPeriod.Lo, "Hz")), "× "+j.Baseline+" (J)")
		right = append(right, 8, 9, 10, 11)
	}
	return table(w, head, rows, right...)
}
