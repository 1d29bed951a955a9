package export

import (
	"fmt"
	"io"
	"math"
	"path"

	"github.com/neurosim/neurosim/report"
)

// BreakevenJSON is the stable JSON form of `neurosim breakeven`.
type BreakevenJSON struct {
	Meta      Meta               `json:"meta"`
	Set       string             `json:"set"`
	Design    string             `json:"design"`
	STPN      string             `json:"stpn"`
	Inputs    string             `json:"inputs"`
	Sequences int                `json:"sequences"`
	Steps     int                `json:"steps"`
	WriteJ    Value              `json:"design_write_energy_per_event_J"`
	Models    []BreakevenRowJSON `json:"models"`
}

// BreakevenRowJSON is one model against STPN. Energies are mean joules per
// sequence with writes free; writes are events per sequence; break_even_J is
// the write energy per event where the two cross, null when they never do.
type BreakevenRowJSON struct {
	Model      string `json:"model"`
	Unit       string `json:"unit"`
	STPNFixedJ Value  `json:"stpn_fixed_J"`
	FixedJ     Value  `json:"fixed_J"`
	STPNWrites Value  `json:"stpn_writes"`
	Writes     Value  `json:"writes"`
	BreakEven  *Value `json:"break_even_J"`
	Verdict    string `json:"verdict"`
}

// NewBreakevenJSON flattens a break-even analysis into its JSON form.
func NewBreakevenJSON(b *report.Breakeven, p Provenance) (*BreakevenJSON, error) {
	meta, err := newMeta(p, b.Design.Name, b.Design)
	if err != nil {
		return nil, err
	}
	meta.Set, meta.Checkpoint = b.Set, path.Join(b.Set, "*", "model.pth")
	meta.Inputs, meta.Labels = b.Inputs.Name, b.Inputs.LabelsName
	we := b.Design.Plasticity.WriteEnergyPerEvent
	j := &BreakevenJSON{Meta: meta, Set: b.Set, Design: b.Design.Name, STPN: b.STPN, Inputs: b.Inputs.Name,
		Sequences: b.Sequences, Steps: b.Steps, WriteJ: span(we.Lo, we.Hi), Models: []BreakevenRowJSON{}}
	for _, r := range b.Rows {
		row := BreakevenRowJSON{
			Model: r.Model, Unit: r.Unit, STPNFixedJ: joules(r.STPNFixed), FixedJ: joules(r.Fixed),
			STPNWrites: span(r.STPNWrites.Lo, r.STPNWrites.Hi), Writes: span(r.Writes.Lo, r.Writes.Hi),
			Verdict: r.Verdict,
		}
		// report.BreakevenRow.At is NaN at both ends when the lines never
		// cross at a non-negative price.
		if !math.IsNaN(r.At.Lo) && !math.IsNaN(r.At.Hi) {
			row.BreakEven = &Value{r.At.Lo, r.At.Hi}
		}
		j.Models = append(j.Models, row)
	}
	return j, validate("report", j)
}

// BreakevenCSVHeader is the header of `neurosim breakeven --format csv`.
func BreakevenCSVHeader() []string {
	head := []string{"model", "unit"}
	for _, k := range []string{"stpn_fixed_J", "fixed_J", "stpn_writes", "writes", "break_even_J"} {
		head = lowHigh(head, k)
	}
	return append(head, "verdict")
}

// WriteBreakeven renders a break-even analysis with its assumptions. In CSV
// the break_even_J cells are empty when the lines never cross.
func WriteBreakeven(w io.Writer, b *report.Breakeven, f Format, p Provenance) error {
	j, err := NewBreakevenJSON(b, p)
	if err != nil {
		return err
	}
	switch f {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		out := newCSV(w, "report", j.Meta)
		out.row(BreakevenCSVHeader())
		for _, r := range j.Models {
			row := []string{r.Model, r.Unit}
			for _, v := range []Value{r.STPNFixedJ, r.FixedJ, r.STPNWrites, r.Writes} {
				row = append(row, full(v.Lo), full(v.Hi))
			}
			if r.BreakEven != nil {
				row = append(row, full(r.BreakEven.Lo), full(r.BreakEven.Hi))
			} else {
				row = append(row, "", "")
			}
			out.row(append(row, r.Verdict))
		}
		return out.close()
	}
	return breakevenTable(w, b, j)
}

// shortVerdicts abridges report's verdicts for a table column headed "STPN
// is cheaper"; a verdict not listed is printed whole.
var shortVerdicts = map[string]string{
	"STPN is cheaper while a write event costs less than the break-even": "below the break-even",
	"STPN is cheaper once a write event costs more than the break-even":  "above the break-even",
	"STPN is cheaper at any write energy":                                "at any write energy",
	"STPN is not cheaper at any write energy":                            "at no write energy",
	"depends on where in the design's ranges the chip lies":              "depending on the design's ranges",
}

func breakevenTable(w io.Writer, b *report.Breakeven, j *BreakevenJSON) error {
	d := b.Design
	wide := styleOf(w).Width == 0
	intro := fmt.Sprintf("Break-even STP write energy: %s against every other model of %s (%d sequences × %d steps, inputs %s). ",
		j.STPN, j.Set, j.Sequences, j.Steps, j.Inputs) +
		fmt.Sprintf("Assumptions: design %s with write_energy_per_event free to vary; every other figure as designed "+
			"(write_energy_per_unit %s, element %s, lambda_outside %s). Energies are joules per sequence, linear in the write "+
			"price w: E(w) = E_fixed + w·writes. The design's own price is %s per write event.",
			d.Name, siRange(d.Plasticity.WriteEnergyPerUnit.Lo, d.Plasticity.WriteEnergyPerUnit.Hi, "J"), d.Plasticity.Element,
			d.Plasticity.LambdaOutside, siRange(j.WriteJ.Lo, j.WriteJ.Hi, "J"))
	if len(j.Models) > 0 && !wide {
		// STPN's own line is the same in every row: say it once.
		s := j.Models[0]
		intro += fmt.Sprintf(" %s: E_fixed %s per sequence, %s write events per sequence.",
			j.STPN, siRange(s.STPNFixedJ.Lo, s.STPNFixedJ.Hi, "J"), numRange(s.STPNWrites, 1))
	}
	if err := text(w, intro); err != nil {
		return err
	}
	verdictHead := "STPN is cheaper"
	if wide {
		verdictHead = "verdict"
	}
	g := grid{cols: []column{{head: "vs model"}, {head: "unit", optional: 1}}}
	if wide {
		g.cols = append(g.cols, column{head: j.STPN + " E_fixed / seq", number: true})
	}
	g.cols = append(g.cols, column{head: "model E_fixed / seq", number: true})
	if wide {
		g.cols = append(g.cols, column{head: j.STPN + " writes / seq", number: true})
	}
	g.cols = append(g.cols, column{head: "model writes / seq", number: true},
		column{head: "break-even (J per write)", number: true}, column{head: verdictHead})
	for _, r := range j.Models {
		at := "—"
		if r.BreakEven != nil {
			at = siRange(r.BreakEven.Lo, r.BreakEven.Hi, "J")
		}
		row := []string{r.Model, r.Unit}
		if wide {
			row = append(row, siRange(r.STPNFixedJ.Lo, r.STPNFixedJ.Hi, "J"))
		}
		row = append(row, siRange(r.FixedJ.Lo, r.FixedJ.Hi, "J"))
		if wide {
			row = append(row, numRange(r.STPNWrites, 1))
		}
		verdict := r.Verdict
		if short, ok := shortVerdicts[verdict]; ok && !wide {
			verdict = short
		}
		g.rows = append(g.rows, append(row, numRange(r.Writes, 1), at, verdict))
	}
	return renderGrid(w, &g)
}
