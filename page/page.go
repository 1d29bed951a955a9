// Package page writes a neurosim report as one self-contained HTML file
// that a team can mail around: the figures inline as SVG (no external file,
// script or font), the tables, the hardware design with the source of every
// figure, the neurosim version and the command line that made it.
package page

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

// Meta says which program and command made a report.
type Meta struct {
	Version string
	Command string
}

// Page is what the template renders.
type Page struct {
	Title    string
	Meta     Meta
	Summary  []KV
	Figures  []Figure
	Tables   []Table
	Design   string // YAML with sources
	Spec     string // the sweep spec, when a sweep
	Footnote string
}

// KV is one line of the summary.
type KV struct{ Key, Value string }

// Figure is an inline SVG with its caption.
type Figure struct {
	Caption string
	SVG     template.HTML
}

// Table has a caption, a header (with units) and rows.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Note    string
}

//go:embed page.html
var pageHTML string

var tmpl = template.Must(template.New("page").Parse(pageHTML))

// Write renders p.
func (p *Page) Write(w io.Writer) error { return tmpl.Execute(w, p) }

// figures renders figs as inline SVG. The SVG is produced by package plot
// (gonum/plot through svgo, which escapes every text), so it is trusted.
func figures(figs []*plot.Figure) ([]Figure, error) {
	var out []Figure
	for _, f := range figs {
		var b bytes.Buffer
		if err := f.Render(&b, "svg"); err != nil {
			return nil, err
		}
		svg := b.Bytes()
		if i := bytes.Index(svg, []byte("<svg")); i > 0 { // drop the XML prolog
			svg = svg[i:]
		}
		out = append(out, Figure{Caption: f.Title, SVG: template.HTML(svg)})
	}
	return out, nil
}

// si writes a quantity with an SI prefix: "16.01 nJ".
func si(v float64, unit string) string {
	f, p := plot.SI(v)
	return strconv.FormatFloat(v*f, 'g', 4, 64) + " " + p + unit
}

func siRange(lo, hi float64, unit string) string {
	if lo == hi {
		return si(lo, unit)
	}
	return si(lo, unit) + " … " + si(hi, unit)
}

func pct(lo, hi float64) string {
	if math.IsNaN(lo) {
		return "—"
	}
	if lo == hi {
		return strconv.FormatFloat(100*lo, 'f', 1, 64)
	}
	return strconv.FormatFloat(100*lo, 'f', 1, 64) + " … " + strconv.FormatFloat(100*hi, 'f', 1, 64)
}

// MaxRows bounds the full table of a sweep report (the CSV has every row).
const MaxRows = 500

// Sweep is the report of a merged sweep with its figures.
func Sweep(t *sweep.Table, figs []*plot.Figure, meta Meta) (*Page, error) {
	p := t.Plan
	pg := &Page{Title: "neurosim sweep " + p.Name, Meta: meta, Design: p.DesignYAML, Spec: p.SpecText}
	pg.Summary = []KV{
		{"spec", p.Spec}, {"inputs", p.Inputs}, {"base design", p.Design + " (sha256 " + p.DesignHash[:12] + "…)"},
		{"mode", p.Mode}, {"size", fmt.Sprintf("%d points × %d models × %d seeds = %d rows", len(p.Points), len(p.Models), p.Seeds, len(t.Rows))},
	}
	var err error
	if pg.Figures, err = figures(figs); err != nil {
		return nil, err
	}
	header := []string{"model", "seed"}
	for _, a := range p.Axes {
		h := a.Key
		if a.Unit != "" {
			h += " (" + a.Unit + ")"
		}
		header = append(header, h)
	}
	header = append(header, "J per inference", "accuracy (%)", "paper energy per inference", "λ outside [0, 1]", "Pareto")
	row := func(r *sweep.TableRow) []string {
		rec := []string{r.R.Model, strconv.FormatUint(r.Seed, 10)}
		for a := range p.Axes {
			_, text := t.AxisValue(r, a)
			rec = append(rec, text)
		}
		acc := [2]float64{math.NaN(), math.NaN()}
		if r.R.Accuracy != nil {
			acc = *r.R.Accuracy
		}
		front := ""
		switch {
		case r.ParetoAll:
			front = "model, all"
		case r.Pareto:
			front = "model"
		}
		return append(rec, siRange(r.R.PerInference[0], r.R.PerInference[1], "J"), pct(acc[0], acc[1]),
			strconv.FormatFloat(r.R.PaperPerInference[1], 'g', 6, 64),
			fmt.Sprintf("%d of %d", r.R.Outside, r.R.Plastic), front)
	}
	var front, all [][]string
	for i := range t.Rows {
		r := &t.Rows[i]
		if r.Pareto {
			front = append(front, row(r))
		}
		if i < MaxRows {
			all = append(all, row(r))
		}
	}
	pg.Tables = append(pg.Tables, Table{Caption: "Rows on their model's Pareto front (energy per inference, high end, against accuracy, low end)",
		Header: header, Rows: front})
	note := ""
	if len(t.Rows) > MaxRows {
		note = fmt.Sprintf("The first %d of %d rows; sweep.csv and sweep.jsonl have all.", MaxRows, len(t.Rows))
	}
	pg.Tables = append(pg.Tables, Table{Caption: "Every row", Header: header, Rows: all, Note: note})
	pg.Footnote = "Energies are [low … high] over the design's ranges; accuracy over device corners; " +
		"Pareto flags judge each point by its worst case (high energy, low accuracy) over corners and seeds."
	return pg, nil
}

// Energies is the report of energy runs on the same inputs under one design
// (a comparison, or one model).
func Energies(title, designYAML string, es []*report.Energy, figs []*plot.Figure, meta Meta) (*Page, error) {
	pg := &Page{Title: title, Meta: meta, Design: designYAML}
	if len(es) > 0 {
		e := es[0]
		pg.Summary = []KV{{"design", e.Design.Name}, {"inputs", fmt.Sprintf("%d sequences", e.Input.N)}}
	}
	var err error
	if pg.Figures, err = figures(figs); err != nil {
		return nil, err
	}
	header := []string{"model", "unit", "hidden", "synapses", "accuracy (%)", "J per inference"}
	for _, c := range energy.Categories() {
		header = append(header, c.String()+" (J per inference)")
	}
	header = append(header, "paper energy per inference", "λ outside [0, 1]")
	var rows [][]string
	for _, e := range es {
		n := float64(e.Input.N)
		acc := "—"
		if e.HasLabels {
			acc = pct(e.Accuracy.Lo, e.Accuracy.Hi)
		}
		rec := []string{e.Model.Name, e.Model.Unit.String(), strconv.Itoa(e.Model.Hidden), strconv.Itoa(e.Model.Synapses), acc,
			siRange(float64(e.Joules.MeanPerSequence.Lo), float64(e.Joules.MeanPerSequence.Hi), "J")}
		for _, j := range e.Joules.Breakdown {
			rec = append(rec, siRange(float64(j.Lo)/n, float64(j.Hi)/n, "J"))
		}
		rec = append(rec, strconv.FormatFloat(e.PaperPerSequence.Hi, 'g', 6, 64), fmt.Sprintf("%d of %d", e.Outside, e.Plastic))
		rows = append(rows, rec)
	}
	pg.Tables = []Table{{Caption: "Energy and accuracy per model", Header: header, Rows: rows}}
	pg.Footnote = "Energies are [low … high] over the design's ranges; the paper energy is dimensionless (Σ z²·|efficacy|, readout excluded)."
	return pg, nil
}
