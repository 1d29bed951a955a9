package export

import (
	"fmt"
	"io"
	"strconv"

	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

// MaxSweepTableRows bounds the rows of the human sweep table; a larger
// sweep shows its Pareto rows (the CSV and JSON Lines have every row).
const MaxSweepTableRows = 200

// WriteSweep writes a merged sweep: a human table (one row per point, model
// and seed, or only the Pareto rows of a large sweep), its CSV, or its JSON
// Lines.
func WriteSweep(w io.Writer, t *sweep.Table, f Format, version string) error {
	switch f {
	case CSV:
		return t.WriteCSV(w, version)
	case JSON:
		return t.WriteJSONL(w)
	}
	p := t.Plan
	rows := t.Rows
	note := ""
	if len(rows) > MaxSweepTableRows {
		rows = nil
		for _, r := range t.Rows {
			if r.Pareto {
				rows = append(rows, r)
			}
		}
		note = fmt.Sprintf("%d of %d rows: those on their model's Pareto front (all rows: --format csv or json)\n", len(rows), len(t.Rows))
	}
	fmt.Fprintf(w, "sweep %s: %d points × %d models × %d seeds on %s, base design %s (%s)\n",
		p.Name, len(p.Points), len(p.Models), p.Seeds, p.Inputs, p.Design, p.Mode)
	fmt.Fprint(w, "J/inference = joules per sequence; accuracy over device corners; "+
		"front: * on the model's Pareto front of energy against accuracy (worst case), ** on the front of all models\n")
	fmt.Fprint(w, note)
	header := []string{"model"}
	if p.Seeds > 1 {
		header = append(header, "seed")
	}
	var right []int
	for _, a := range p.Axes {
		h := a.Key
		if a.Unit != "" {
			h += " (" + a.Unit + ")"
		}
		if a.Numeric {
			right = append(right, len(header))
		}
		header = append(header, h)
	}
	right = append(right, len(header), len(header)+1, len(header)+2)
	header = append(header, "J/inference", "accuracy (%)", "paper E/inference", "front")
	var body [][]string
	for i := range rows {
		r := &rows[i]
		rec := []string{r.R.Model}
		if p.Seeds > 1 {
			rec = append(rec, strconv.FormatUint(r.Seed, 10))
		}
		for a := range p.Axes {
			_, text := t.AxisValue(r, a)
			rec = append(rec, text)
		}
		acc := "—"
		if r.R.Accuracy != nil {
			acc = numRange(pairInterval(*r.R.Accuracy), 100)
		}
		front := ""
		switch {
		case r.ParetoAll:
			front = "**"
		case r.Pareto:
			front = "*"
		}
		rec = append(rec, siRange(r.R.PerInference[0], r.R.PerInference[1], "J"), acc,
			numRange(pairInterval(r.R.PaperPerInference), 1), front)
		body = append(body, rec)
	}
	return table(w, header, body, right...)
}

func pairInterval(p [2]float64) report.Interval { return report.Interval{Lo: p[0], Hi: p[1]} }
