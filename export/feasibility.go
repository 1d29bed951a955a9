package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
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
	Accuracy []Value    `json:"accuracy,omitempty"`
	Ratio    [][]*Value `json:"energy_ratio"` // null where the model's energy is 0
}

// WriteFeasibility renders a feasibility map as tables (one per compared
// model), JSON or CSV (one row per model, τ and write energy).
func WriteFeasibility(w io.Writer, f *report.Feasibility, fm Format) error {
	j := FeasibilityJSON{Set: f.Set, Design: f.Design.Name, Sequences: f.Sequences, STPN: f.STPN,
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
	switch fm {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		cw := csv.NewWriter(w)
		cw.Write([]string{"model", "retention_s", "write_energy_J", "energy_ratio_low", "energy_ratio_high",
			"stpn_accuracy_low", "stpn_accuracy_high", "model_accuracy_low", "model_accuracy_high"})
		for v, name := range f.Versus {
			for i, tau := range f.Taus {
				for k, wr := range f.Writes {
					r, a, b := f.Ratio[v][i][k], f.Accuracy[i], f.VersusAccuracy[v][i]
					acc := []string{"", "", "", ""}
					if f.HasLabels {
						acc = []string{full(a.Lo), full(a.Hi), full(b.Lo), full(b.Hi)}
					}
					cw.Write(append([]string{name, full(tau), full(wr), full(r.Lo), full(r.Hi)}, acc...))
				}
			}
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(w, "%s: %d sequences, design %s (retention τ and write energy per event varied; every other figure as designed)\n",
		f.Set, f.Sequences, f.Design.Name)
	fmt.Fprintf(w, "cells: STPN (%s) joules per inference ÷ the model's, same inputs and chip; < 1: STPN cheaper\n", f.STPN)
	for v, name := range f.Versus {
		head := []string{"τ \\ J per write"}
		for _, wr := range f.Writes {
			head = append(head, si(wr, "J"))
		}
		if f.HasLabels {
			head = append(head, "STPN accuracy (%)", name+" accuracy (%)")
		}
		rows := make([][]string, len(f.Taus))
		for i, tau := range f.Taus {
			row := []string{si(tau, "s")}
			for _, r := range f.Ratio[v][i] {
				row = append(row, ratioText(r))
			}
			if f.HasLabels {
				row = append(row, numRange(f.Accuracy[i], 100), numRange(f.VersusAccuracy[v][i], 100))
			}
			rows[i] = row
		}
		right := make([]int, len(head)-1)
		for k := range right {
			right[k] = k + 1
		}
		fmt.Fprintf(w, "STPN ÷ %s\n", name)
		if err := table(w, head, rows, right...); err != nil {
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
	return f(r.Lo) + "…" + f(r.Hi)
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
