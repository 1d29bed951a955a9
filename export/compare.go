package export

import (
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/report"
)

// CompareJSON is the stable JSON form of `neurosim compare`.
type CompareJSON struct {
	Meta      Meta               `json:"meta"`
	Set       string             `json:"set"`
	Design    string             `json:"design"`
	Baseline  string             `json:"baseline"`
	Inputs    string             `json:"inputs"`
	Sequences int                `json:"sequences"`
	Steps     int                `json:"steps"`
	Models    []CompareModelJSON `json:"models"`
}

// CompareModelJSON is one model of CompareJSON. Paper energies and their
// ratio span the design's corners; joules span its corners and price ends;
// ratios are taken end by end (both models at the same end of the design's
// ranges).
type CompareModelJSON struct {
	Model       string `json:"model"`
	Checkpoint  string `json:"checkpoint"`
	Unit        string `json:"unit"`
	HiddenSize  int    `json:"hidden_size"`
	Synapses    int    `json:"synapses"`
	Accuracy    *Value `json:"accuracy,omitempty"` // fraction of sequences, 0…1; absent without labels (an agent set)
	PerStep     Value  `json:"paper_energy_mean_per_step"`
	PerSequence Value  `json:"paper_energy_mean_per_sequence"`
	Ratio       Value  `json:"ratio_to_baseline"`
	JPerSeq     Value  `json:"mean_per_sequence_J"`
	JRatio      Value  `json:"ratio_to_baseline_J"`
}

// ratio divides a by b end by end, reported low to high.
func ratio(a, b Value) Value {
	lo, hi := a.Lo/b.Lo, a.Hi/b.Hi
	return Value{min(lo, hi), max(lo, hi)}
}

// setMeta is the header of the outputs of a run over a fixture set.
func setMeta(p Provenance, c *report.Comparison) (Meta, error) {
	m, err := newMeta(p, c.Design.Name, c.Design)
	m.Set, m.Checkpoint = c.Set, path.Join(c.Set, "*", "model.pth")
	m.Inputs, m.Labels = c.Inputs.Name, c.Inputs.LabelsName
	return m, err
}

// NewCompareJSON flattens a comparison into its JSON form.
func NewCompareJSON(c *report.Comparison, p Provenance) (*CompareJSON, error) {
	meta, err := setMeta(p, c)
	if err != nil {
		return nil, err
	}
	j := &CompareJSON{Meta: meta, Set: c.Set, Design: c.Design.Name, Baseline: c.Baseline,
		Inputs: c.Inputs.Name, Sequences: c.Inputs.N, Steps: c.Inputs.T}
	var base CompareModelJSON
	for _, r := range c.Rows {
		m := CompareModelJSON{
			Model: r.Model.Name, Checkpoint: r.Model.Checkpoint, Unit: r.Model.Unit.String(),
			HiddenSize: r.Model.Hidden, Synapses: r.Model.Synapses,
			PerStep: span(r.PaperPerStep.Lo, r.PaperPerStep.Hi), PerSequence: span(r.PaperPerSequence.Lo, r.PaperPerSequence.Hi),
			JPerSeq: joules(r.Joules.MeanPerSequence), JRatio: span(r.JouleRatio.Lo, r.JouleRatio.Hi),
		}
		if r.HasLabels {
			acc := span(r.Accuracy.Lo, r.Accuracy.Hi)
			m.Accuracy = &acc
		}
		if r.Model.Name == c.Baseline {
			base = m
		}
		j.Models = append(j.Models, m)
	}
	for i := range j.Models {
		j.Models[i].Ratio = ratio(j.Models[i].PerSequence, base.PerSequence)
	}
	return j, validate("report", j)
}

// CompareCSVHeader is the header of `neurosim compare --format csv`, the
// same for every design.
func CompareCSVHeader() []string {
	head := []string{"model", "checkpoint", "unit", "hidden_size", "synapses"}
	for _, k := range []string{"accuracy", "paper_energy_mean_per_step", "paper_energy_mean_per_sequence",
		"ratio_to_baseline", "mean_per_sequence_J", "ratio_to_baseline_J"} {
		head = lowHigh(head, k)
	}
	return head
}

// WriteComparison renders a comparison; every number is checked before
// anything is written.
func WriteComparison(w io.Writer, c *report.Comparison, f Format, p Provenance) error {
	j, err := NewCompareJSON(c, p)
	if err != nil {
		return err
	}
	switch f {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		out := newCSV(w, "report", j.Meta)
		out.row(CompareCSVHeader())
		for _, m := range j.Models {
			row := []string{m.Model, m.Checkpoint, m.Unit, strconv.Itoa(m.HiddenSize), strconv.Itoa(m.Synapses)}
			if m.Accuracy != nil {
				row = append(row, full(m.Accuracy.Lo), full(m.Accuracy.Hi))
			} else {
				row = append(row, "", "") // no labels
			}
			for _, v := range []Value{m.PerStep, m.PerSequence, m.Ratio, m.JPerSeq, m.JRatio} {
				row = append(row, full(v.Lo), full(v.Hi)) // validated above
			}
			out.row(row)
		}
		return out.close()
	}
	return compareTable(w, c, j, p)
}

func compareTable(w io.Writer, c *report.Comparison, j *CompareJSON, p Provenance) error {
	paper := j.Design == "paper"
	inputs := j.Inputs
	if p.InputsNote != "" {
		inputs += " (" + p.InputsNote + ")"
	}
	intro := fmt.Sprintf("%s: %d sequences × %d steps from %s, design %s.\n", j.Set, j.Sequences, j.Steps, inputs, j.Design) +
		"E = paper energy, dimensionless: Σ z²·|efficacy| over the recurrent core's synapses, front-end and readout excluded. " +
		"× = E/sequence relative to the baseline " + j.Baseline + "."
	rate := 1 / c.Design.StepPeriod.Lo // steps/s at one step per step_period
	if !paper {
		if math.IsInf(rate, 0) || !(rate > 0) {
			return fmt.Errorf("design %s: no finite step rate (step_period %g s)", c.Design.Name, c.Design.StepPeriod.Lo)
		}
		intro += " J/inference = joules per sequence on " + j.Design + ", J/step its mean per step, W the power at one step per " +
			"step_period (" + si(rate, "Hz") + "); × (J) = the joules' ratio to the baseline's."
	}
	if err := text(w, intro); err != nil {
		return err
	}
	g := grid{cols: []column{
		{head: "model"},
		{head: "unit", optional: 1},
		{head: "hidden (neurons)", number: true, optional: 3},
		{head: "synapses (per step)", number: true, optional: 4},
		{head: "accuracy (%)", number: true},
		{head: "E/step (paper)", number: true, optional: 2},
		{head: "E/sequence (paper)", number: true},
		{head: "× (paper)", number: true},
	}}
	if !paper {
		g.cols = append(g.cols, column{head: "J/step", number: true, optional: 5}, column{head: "J/inference", number: true},
			column{head: "W at " + si(rate, "Hz"), number: true}, column{head: "× (J)", number: true})
	}
	for i, m := range j.Models {
		accuracy := "—" // no labels
		if m.Accuracy != nil {
			accuracy = fixedRange(*m.Accuracy, 100, 2)
		}
		row := []string{m.Model, m.Unit, strconv.Itoa(m.HiddenSize), strconv.Itoa(m.Synapses),
			accuracy, numRange(m.PerStep, 1), numRange(m.PerSequence, 1), fixedRange(m.Ratio, 1, 3)}
		if !paper {
			st, w, err := perStepAndWatts(c, i)
			if err != nil {
				return err
			}
			row = append(row, st, siRange(m.JPerSeq.Lo, m.JPerSeq.Hi, "J"), w, fixedRange(m.JRatio, 1, 3))
		}
		g.rows = append(g.rows, row)
	}
	return renderGrid(w, &g)
}

// renderGrid renders g and says which columns it hid to fit the width.
func renderGrid(w io.Writer, g *grid) error {
	hidden, err := g.render(w)
	if err != nil || len(hidden) == 0 {
		return err
	}
	return text(w, fmt.Sprintf("(hidden to fit %d columns: %s; --wide shows every column)",
		styleOf(w).Width, strings.Join(hidden, ", ")))
}
