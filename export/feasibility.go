package export

import (
	"fmt"
	"io"
	"math"
	"path"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/neurosim/neurosim/report"
)

// FeasibilityJSON is the stable JSON form of `neurosim feasibility`.
type FeasibilityJSON struct {
	Meta      Meta                `json:"meta"`
	Set       string              `json:"set"`
	Design    string              `json:"design"`
	Sequences int                 `json:"sequences"`
	STPN      string              `json:"stpn"`
	Writes    []float64           `json:"write_energy_J"`
	Taus      []float64           `json:"retention_s"`
	Accuracy  []Value             `json:"stpn_accuracy,omitempty"` // absent without labels
	Versus    []FeasibilityVsJSON `json:"versus"`
}

// FeasibilityVsJSON is STPN against one model: ratio[i][j] at retention i
// and write energy j.
type FeasibilityVsJSON struct {
	Model    string     `json:"model"`
	Accuracy []Value    `json:"accuracy,omitempty"` // absent without labels
	Ratio    [][]*Value `json:"energy_ratio"`       // null where the model's energy is 0
}

// WriteFeasibility renders a feasibility map as tables (one per compared
// model), JSON or CSV (one row per model, τ and write energy), after the
// Meta of every output. Every number is checked before anything is written;
// a ratio whose model spends nothing is null in JSON, empty in CSV.
func WriteFeasibility(w io.Writer, f *report.Feasibility, fm Format, p Provenance) error {
	meta, err := newMeta(p, f.Design.Name, f.Design)
	if err != nil {
		return err
	}
	meta.Set, meta.Checkpoint, meta.Inputs = f.Set, path.Join(f.Set, "*", "model.pth"), path.Join(f.Set, "inputs.npy")
	j := FeasibilityJSON{Meta: meta, Set: f.Set, Design: f.Design.Name, Sequences: f.Sequences, STPN: f.STPN,
		Writes: f.Writes, Taus: f.Taus}
	for _, a := range f.Accuracy {
		if f.HasLabels {
			j.Accuracy = append(j.Accuracy, Value(a))
		}
	}
	for v, name := range f.Versus {
		x := FeasibilityVsJSON{Model: name}
		for i := range f.Taus {
			if f.HasLabels {
				x.Accuracy = append(x.Accuracy, Value(f.VersusAccuracy[v][i]))
			}
			row := make([]*Value, len(f.Writes))
			for k, r := range f.Ratio[v][i] {
				row[k] = bounded(r)
			}
			x.Ratio = append(x.Ratio, row)
		}
		j.Versus = append(j.Versus, x)
	}
	if err := validate("report", j); err != nil {
		return err
	}
	switch fm {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		cw := newCSV(w, "report", meta)
		head := []string{"model", "retention_s", "write_energy_J"}
		for _, k := range []string{"energy_ratio", "stpn_accuracy", "model_accuracy"} {
			head = lowHigh(head, k)
		}
		cw.row(head)
		for v, x := range j.Versus {
			for i, tau := range f.Taus {
				for k, wr := range f.Writes {
					row := []string{x.Model, full(tau), full(wr), "", ""}
					if r := x.Ratio[i][k]; r != nil {
						row[3], row[4] = full(r.Lo), full(r.Hi)
					}
					if !f.HasLabels {
						cw.row(append(row, "", "", "", "")) // no labels, no accuracy
						continue
					}
					a, b := j.Accuracy[i], j.Versus[v].Accuracy[i]
					cw.row(append(row, full(a.Lo), full(a.Hi), full(b.Lo), full(b.Hi)))
				}
			}
		}
		return cw.close()
	}
	if err := text(w, fmt.Sprintf("%s: %d sequences, design %s (retention τ and write energy per event varied; every other figure as designed). "+
		"Cells: STPN (%s) joules per inference ÷ the model's, same inputs and chip; < 1: STPN cheaper.",
		f.Set, f.Sequences, f.Design.Name, f.STPN)); err != nil {
		return err
	}
	for v, name := range f.Versus {
		g := grid{cols: []column{{head: "τ \\ J per write"}}}
		for _, wr := range f.Writes {
			g.cols = append(g.cols, column{head: si(wr, "J"), number: true})
		}
		if f.HasLabels {
			g.cols = append(g.cols, column{head: "STPN accuracy (%)", number: true, optional: 2},
				column{head: name + " accuracy (%)", number: true, optional: 1})
		}
		for i, tau := range f.Taus {
			row := []string{si(tau, "s")}
			for _, r := range f.Ratio[v][i] {
				row = append(row, ratioText(r))
			}
			if f.HasLabels {
				row = append(row, numRange(Value(f.Accuracy[i]), 100), numRange(Value(f.VersusAccuracy[v][i]), 100))
			}
			g.rows = append(g.rows, row)
		}
		if err := text(w, "STPN ÷ "+name); err != nil {
			return err
		}
		if err := renderGrid(w, &g); err != nil {
			return err
		}
	}
	return nil
}

// percent writes an accuracy as a percentage with one decimal.
func percent(a report.Interval) string {
	f := func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) }
	if a.Lo == a.Hi {
		return f(a.Lo) + "%"
	}
	return f(a.Lo) + "…" + f(a.Hi) + "%"
}

func ratioText(r report.Interval) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
	if r.Lo == r.Hi {
		return f(r.Lo)
	}
	return f(r.Lo) + nbsp + "… " + f(r.Hi)
}

// ratioGrid is one model's ratios as a heat-map grid in index coordinates:
// column = write energy, row = retention τ, value = log10 of the ratio's
// geometric mean over the design's ranges.
type ratioGrid [][]report.Interval

func (g ratioGrid) Dims() (c, r int) { return len(g[0]), len(g) }
func (g ratioGrid) Z(c, r int) float64 {
	v := g[r][c]
	z := (math.Log10(v.Lo) + math.Log10(v.Hi)) / 2
	if math.IsInf(z, 0) {
		return math.NaN() // a zero energy on one side: drawn in the NaN colour
	}
	return z
}
func (g ratioGrid) X(c int) float64 { return float64(c) }
func (g ratioGrid) Y(r int) float64 { return float64(r) }

// WriteFeasibilityPNG draws the map as a PNG: one heat map per compared
// model, write energy across, retention τ (with STPN's accuracy at it)
// up, blue where STPN is cheaper and red where it is not, each cell
// labelled with the ratio. (A reusable heat map belongs in a plot package;
// this one is kept small so that it can move there.)
func WriteFeasibilityPNG(w io.Writer, f *report.Feasibility) error {
	const panelH = 3.2 // inches per compared model
	width := vg.Length(1.4+0.9*float64(len(f.Writes))) * vg.Inch
	height := vg.Length(panelH*float64(len(f.Versus))) * vg.Inch
	// Colour scale shared by the panels, symmetric about a ratio of 1.
	span := 0.5
	for v := range f.Versus {
		g := ratioGrid(f.Ratio[v])
		c, r := g.Dims()
		for i := range r {
			for k := range c {
				if z := math.Abs(g.Z(k, i)); !math.IsInf(z, 0) && !math.IsNaN(z) {
					span = math.Max(span, z)
				}
			}
		}
	}
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(-span)
	cmap.SetMax(span)
	pal := cmap.Palette(255)
	plots := make([][]*plot.Plot, len(f.Versus))
	for v, name := range f.Versus {
		p := plot.New()
		acc := f.VersusAccuracy[v][0]
		for _, a := range f.VersusAccuracy[v][1:] {
			acc = acc.Hull(a)
		}
		p.Title.Text = fmt.Sprintf("%s joules ÷ %s joules (accuracy %s) on %s; blue: STPN cheaper",
			f.STPN, name, percent(acc), f.Design.Name)
		p.X.Label.Text = "energy of one STP write event"
		p.Y.Label.Text = "retention τ (STPN accuracy)"
		if !f.HasLabels {
			p.Title.Text = fmt.Sprintf("%s joules ÷ %s joules on %s; blue: STPN cheaper", f.STPN, name, f.Design.Name)
			p.Y.Label.Text = "retention τ"
		}
		g := ratioGrid(f.Ratio[v])
		hm := plotter.NewHeatMap(g, pal)
		hm.Min, hm.Max = -span, span
		p.Add(hm)
		var xys plotter.XYs
		var labels []string
		for i := range f.Taus {
			for k := range f.Writes {
				xys = append(xys, plotter.XY{X: float64(k), Y: float64(i)})
				labels = append(labels, ratioText(f.Ratio[v][i][k]))
			}
		}
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].XAlign, l.TextStyle[k].YAlign = draw.XCenter, draw.YCenter
		}
		p.Add(l)
		var xt, yt []plot.Tick
		for k, wr := range f.Writes {
			xt = append(xt, plot.Tick{Value: float64(k), Label: si(wr, "J")})
		}
		for i, tau := range f.Taus {
			label := si(tau, "s")
			if f.HasLabels {
				label += " (" + percent(f.Accuracy[i]) + ")"
			}
			yt = append(yt, plot.Tick{Value: float64(i), Label: label})
		}
		p.X.Tick.Marker = plot.ConstantTicks(xt)
		p.Y.Tick.Marker = plot.ConstantTicks(yt)
		p.X.Min, p.X.Max = -0.5, float64(len(f.Writes))-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(len(f.Taus))-0.5
		plots[v] = []*plot.Plot{p}
	}
	img := vgimg.New(width, height)
	dc := draw.New(img)
	t := draw.Tiles{Rows: len(f.Versus), Cols: 1, PadX: vg.Millimeter, PadY: 4 * vg.Millimeter,
		PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 4 * vg.Millimeter}
	canvases := plot.Align(plots, t, dc)
	for v := range plots {
		plots[v][0].Draw(canvases[v][0])
	}
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}
