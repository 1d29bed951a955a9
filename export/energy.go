package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"neurosim/internal/npyfile"
	"neurosim/report"
)

// paperUnit names the paper's energy in table headers.
const paperUnit = "paper units, dimensionless"

// EnergyJSON is the stable JSON form of `neurosim energy` (documented in README).
type EnergyJSON struct {
	Checkpoint  string    `json:"checkpoint"`
	Config      string    `json:"config"`
	Format      string    `json:"format"`
	StateKey    string    `json:"state_key,omitempty"`
	Unit        string    `json:"unit"`
	HiddenSize  int       `json:"hidden_size"`
	InputSize   int       `json:"input_size"`
	Classes     int       `json:"classes"`
	Synapses    int       `json:"synapses"`
	Design      string    `json:"design"`
	Inputs      string    `json:"inputs"`
	Labels      string    `json:"labels,omitempty"`
	Sequences   int       `json:"sequences"`
	Steps       int       `json:"steps"`
	Paper       float64   `json:"paper_energy"`
	PaperPerSeq float64   `json:"paper_energy_mean_per_sequence"`
	PaperPerStp float64   `json:"paper_energy_mean_per_step"`
	PaperSeqs   []float64 `json:"paper_energy_per_sequence"`
	PaperAtStep []float64 `json:"paper_energy_mean_at_step"`
	Accuracy    *float64  `json:"accuracy,omitempty"`
	Correct     *int      `json:"correct,omitempty"`
}

// NewEnergyJSON flattens a report into its JSON form.
func NewEnergyJSON(e *report.Energy) EnergyJSON {
	r := e.Result
	j := EnergyJSON{
		Checkpoint: e.Model.Checkpoint, Config: e.Model.Config, Format: e.Model.Format.String(),
		StateKey: e.Model.StateKey, Unit: e.Model.Unit.String(), HiddenSize: e.Model.Hidden,
		InputSize: e.Model.Input, Classes: e.Model.Classes, Synapses: e.Model.Synapses,
		Design: e.Design, Inputs: e.Workload.Name, Labels: e.Workload.LabelsName,
		Sequences: r.N, Steps: e.Workload.T,
		Paper: float64(r.Total()), PaperPerSeq: float64(r.MeanPerSequence()), PaperPerStp: float64(r.MeanPerStep()),
		PaperSeqs: make([]float64, r.N),
	}
	for n := range r.N {
		j.PaperSeqs[n] = float64(r.SequenceEnergy(n))
	}
	j.PaperAtStep = j.PaperAtStep[:0]
	for _, v := range r.StepMeans() {
		j.PaperAtStep = append(j.PaperAtStep, float64(v))
	}
	if e.HasLabels {
		acc := e.Accuracy
		correct := int(acc*float64(r.N) + 0.5)
		j.Accuracy, j.Correct = &acc, &correct
	}
	return j
}

// WriteEnergy renders an energy report.
func WriteEnergy(w io.Writer, e *report.Energy, f Format) error {
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(NewEnergyJSON(e))
	case CSV:
		return energyCSV(w, e)
	}
	return energyTable(w, e)
}

// energyCSV writes one row per sequence: its label and prediction, the paper
// energy of every step and of the whole sequence.
func energyCSV(w io.Writer, e *report.Energy) error {
	r := e.Result
	cw := csv.NewWriter(w)
	head := []string{"sequence", "label", "predicted"}
	for t := range e.Workload.T {
		head = append(head, fmt.Sprintf("paper_energy_step_%d", t))
	}
	head = append(head, "paper_energy_sequence")
	if err := cw.Write(head); err != nil {
		return err
	}
	for n := range r.N {
		label := ""
		if e.HasLabels {
			label = strconv.Itoa(e.Workload.Labels[n])
		}
		row := []string{strconv.Itoa(n), label, strconv.Itoa(r.Predicted[n])}
		for _, v := range r.Sequence(n) {
			row = append(row, full(float64(v)))
		}
		row = append(row, full(float64(r.SequenceEnergy(n))))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func energyTable(w io.Writer, e *report.Energy) error {
	r, m := e.Result, e.Model
	rows := [][]string{
		{"checkpoint", m.Checkpoint, ""},
		{"config", m.Config, ""},
		{"recurrent unit", m.Unit.String(), ""},
		{"hidden size", strconv.Itoa(m.Hidden), "neurons"},
		{"synapses", strconv.Itoa(m.Synapses), "per step (readout excluded)"},
		{"inputs", e.Workload.Name, fmt.Sprintf("%d sequences × %d steps × %d values", r.N, e.Workload.T, e.Workload.I)},
		{"design", e.Design, "ideal conductances |efficacy|, voltages = activations"},
	}
	if e.HasLabels {
		rows = append(rows, []string{"accuracy", num(100 * e.Accuracy), "% of sequences"})
	}
	rows = append(rows,
		[]string{"energy, total", num(float64(r.Total())), paperUnit},
		[]string{"energy, mean per sequence", num(float64(r.MeanPerSequence())), paperUnit},
		[]string{"energy, mean per step", num(float64(r.MeanPerStep())), paperUnit},
	)
	if err := table(w, []string{"quantity", "value", "unit"}, rows); err != nil {
		return err
	}
	T := e.Workload.T
	steps := make([][]string, T)
	lo, hi := make([]float64, T), make([]float64, T)
	for n := range r.N {
		for t, v := range r.Sequence(n) {
			if n == 0 || float64(v) < lo[t] {
				lo[t] = float64(v)
			}
			if n == 0 || float64(v) > hi[t] {
				hi[t] = float64(v)
			}
		}
	}
	for t, v := range r.StepMeans() {
		steps[t] = []string{strconv.Itoa(t), num(float64(v)), num(lo[t]), num(hi[t])}
	}
	return table(w, []string{"step", "mean energy (" + paperUnit + ")", "min", "max"}, steps, 0, 1, 2, 3)
}

// WritePerStepNPY writes the paper energy of every step as float64 [N, T].
func WritePerStepNPY(w io.Writer, e *report.Energy) error {
	r := e.Result
	data := make([]float64, len(r.PerStep))
	for i, v := range r.PerStep {
		data[i] = float64(v)
	}
	return npyfile.EncodeFloat64(w, []int{r.N, e.Workload.T}, data)
}

// WriteLogitsNPY writes the readout after the last step as float64 [N, classes].
func WriteLogitsNPY(w io.Writer, e *report.Energy) error {
	r := e.Result
	return npyfile.EncodeFloat64(w, []int{r.N, r.Classes}, r.Logits)
}
