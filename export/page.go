package export

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

// A report page (`neurosim report`) is one self-contained HTML file that a
// team can mail around: the figures inline as SVG (no external file, script
// or font), the tables with units in their headers, the hardware design
// with the source of every figure, the neurosim version and the command
// line that made it. Numbers are written as in the human tables.
type page struct {
	Title    string
	Prov     Provenance
	Summary  [][2]string
	Figures  []pageFigure
	Tables   []pageTable
	Design   string // YAML with sources
	Spec     string // the sweep spec, when a sweep
	Footnote string
}

type pageFigure struct {
	Caption string
	SVG     template.HTML
}

type pageTable struct {
	Caption string
	Header  []string
	Rows    [][]string
	Note    string
}

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// write renders the page in memory first, so that a failure writes nothing.
func (pg *page) write(w io.Writer) error {
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, pg); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// pageFigures renders figs as inline SVG. The SVG is produced by package
// plot (gonum/plot through svgo, which escapes every text), so it is
// trusted.
func pageFigures(figs []*plot.Figure) ([]pageFigure, error) {
	var out []pageFigure
	for _, f := range figs {
		var b bytes.Buffer
		if err := f.Render(&b, "svg"); err != nil {
			return nil, err
		}
		svg := b.Bytes()
		if i := bytes.Index(svg, []byte("<svg")); i > 0 { // drop the XML prolog
			svg = svg[i:]
		}
		out = append(out, pageFigure{Caption: f.Title, SVG: template.HTML(svg)})
	}
	return out, nil
}

// MaxPageRows bounds the full table of a sweep report (the CSV has every
// row).
const MaxPageRows = 500

// WriteSweepPage writes the report page of a merged sweep with its figures.
func WriteSweepPage(w io.Writer, t *sweep.Table, figs []*plot.Figure, prov Provenance) error {
	p := t.Plan
	pg := &page{Title: "neurosim sweep " + p.Name, Prov: prov, Design: p.DesignYAML, Spec: p.SpecText}
	pg.Summary = append(sweepMeta(t, prov.Version)[1:8],
		[2]string{"size", fmt.Sprintf("%d points × %d models × %d seeds = %d rows", len(p.Points), len(p.Models), p.Seeds, len(t.Rows))})
	var err error
	if pg.Figures, err = pageFigures(figs); err != nil {
		return err
	}
	var header []string
	for _, c := range sweepColumns(p) {
		header = append(header, c.head)
	}
	header = append(header, "λ outside [0, 1]", "Pareto")
	row := func(r *sweep.TableRow) []string {
		front := ""
		switch {
		case r.ParetoAll:
			front = "model, all"
		case r.Pareto:
			front = "model"
		}
		return append(sweepCells(t, r), fmt.Sprintf("%d of %d", r.R.Outside, r.R.Plastic), front)
	}
	var front, all [][]string
	for i := range t.Rows {
		r := &t.Rows[i]
		if r.Pareto {
			front = append(front, row(r))
		}
		if i < MaxPageRows {
			all = append(all, row(r))
		}
	}
	pg.Tables = append(pg.Tables, pageTable{Caption: "Rows on their model's Pareto front (J/inference, high end, against accuracy, low end)",
		Header: header, Rows: front})
	note := ""
	if len(t.Rows) > MaxPageRows {
		note = fmt.Sprintf("The first %d of %d rows; sweep.csv and sweep.jsonl have all.", MaxPageRows, len(t.Rows))
	}
	pg.Tables = append(pg.Tables, pageTable{Caption: "Every row", Header: header, Rows: all, Note: note})
	pg.Footnote = "Energies are [low … high] over the design's ranges; accuracy over device corners; " +
		"Pareto flags judge each point by its worst case (high energy, low accuracy) over corners and seeds."
	return pg.write(w)
}

// WriteComparisonPage writes the report page of a comparison with its
// figures.
func WriteComparisonPage(w io.Writer, c *report.Comparison, figs []*plot.Figure, prov Provenance) error {
	m, err := setMeta(prov, c)
	if err != nil {
		return err
	}
	var y bytes.Buffer
	if err := c.Design.WriteYAML(&y); err != nil {
		return err
	}
	pg := &page{Title: "neurosim compare: " + c.Set + " on design " + c.Design.Name, Prov: prov, Design: y.String()}
	pg.Summary = append(m.pairs()[2:], [2]string{"sequences", strconv.Itoa(c.Inputs.N)})
	if prov.InputsNote != "" {
		pg.Summary = append(pg.Summary, [2]string{"note", prov.InputsNote})
	}
	if pg.Figures, err = pageFigures(figs); err != nil {
		return err
	}
	header := []string{"model", "unit", "hidden", "synapses", "accuracy (%)", "J/inference"}
	for _, k := range energy.Categories() {
		header = append(header, k.String()+" (J/inference)")
	}
	header = append(header, "E/sequence (paper)", "λ outside [0, 1]")
	var rows [][]string
	for _, e := range c.Energies() {
		n := float64(e.Input.N)
		acc := "—"
		if e.HasLabels {
			acc = fixedRange(span(e.Accuracy.Lo, e.Accuracy.Hi), 100, 2)
		}
		rec := []string{e.Model.Name, e.Model.Unit.String(), strconv.Itoa(e.Model.Hidden), strconv.Itoa(e.Model.Synapses), acc,
			jRange(e.Joules.MeanPerSequence)}
		for _, j := range e.Joules.Breakdown {
			rec = append(rec, siRange(float64(j.Lo)/n, float64(j.Hi)/n, "J"))
		}
		rec = append(rec, numRange(span(e.PaperPerSequence.Lo, e.PaperPerSequence.Hi), 1), fmt.Sprintf("%d of %d", e.Outside, e.Plastic))
		rows = append(rows, rec)
	}
	pg.Tables = []pageTable{{Caption: "Energy and accuracy per model", Header: header, Rows: rows}}
	pg.Footnote = "Energies are [low … high] over the design's ranges; the paper energy is dimensionless " +
		"(Σ z²·|efficacy|, readout excluded)."
	return pg.write(w)
}
