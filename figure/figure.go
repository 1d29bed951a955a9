// Package figure builds the figures of neurosim's results with package
// plot: for a sweep, energy per inference against accuracy with the Pareto
// fronts, joules by category of the front points, and heatmaps of accuracy
// and energy over a two-axis grid; for a comparison or one energy run,
// joules by category per model, energy per step along a sequence, and
// energy against accuracy. Energies are the high ends of the designs'
// ranges and accuracies the low ends (the worst case, as the Pareto flags
// judge them); each model keeps one colour in every figure of a run.
package figure

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

// MaxBars bounds the bars of a sweep's joules chart: the points on the
// models' fronts, cheapest first per model.
const MaxBars = 24

// worst is one (point, model) of a sweep, its worst case over seeds.
type worst struct {
	point, model      int
	energy, acc       float64 // J per inference (high end), accuracy (low end, fraction)
	breakdown         [energy.NumCategories]float64
	pareto, paretoAll bool
	seeds             int
}

func sweepPoints(t *sweep.Table) []*worst {
	index := map[[2]int]*worst{}
	var out []*worst
	for _, r := range t.Rows {
		k := [2]int{r.Point, r.Model}
		w, ok := index[k]
		if !ok {
			w = &worst{point: r.Point, model: r.Model, energy: math.Inf(-1), acc: math.Inf(1), pareto: r.Pareto, paretoAll: r.ParetoAll}
			index[k] = w
			out = append(out, w)
		}
		w.energy = math.Max(w.energy, r.R.PerInference[1])
		w.acc = math.Min(w.acc, r.R.AccuracyLow())
		if r.R.Accuracy == nil {
			w.acc = math.NaN()
		}
		for c := range w.breakdown { // mean over seeds of the high end, per inference
			w.breakdown[c] += r.R.Breakdown[c][1] / float64(r.R.Sequences)
		}
		w.seeds++
	}
	for _, w := range out {
		for c := range w.breakdown {
			w.breakdown[c] /= float64(w.seeds)
		}
	}
	return out
}

// Sweep builds the figures of a merged sweep.
func Sweep(t *sweep.Table) ([]*plot.Figure, error) {
	p := t.Plan
	names := make([]string, len(p.Models))
	for i, m := range p.Models {
		names[i] = m.Name
	}
	colors := plot.Colors(names)
	pts := sweepPoints(t)
	labelled := len(pts) > 0 && !math.IsNaN(pts[0].acc)
	var figs []*plot.Figure

	if labelled {
		var series []plot.Series
		var all []plot.Point
		for mi, m := range p.Models {
			s := plot.Series{Name: m.Name, Color: colors[m.Name]}
			for _, w := range pts {
				if w.model == mi {
					s.Points = append(s.Points, plot.Point{X: w.energy, Y: 100 * w.acc, Front: w.pareto})
					if w.paretoAll {
						all = append(all, plot.Point{X: w.energy, Y: 100 * w.acc})
					}
				}
			}
			series = append(series, s)
		}
		f, err := plot.Tradeoff("pareto", fmt.Sprintf("sweep %s: energy against accuracy (%d points; filled: Pareto front)", p.Name, len(p.Points)),
			"energy per inference, worst case", "J", "accuracy, worst case (%)", series, all)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}

	// Joules by category: every (point, model) when few, else the fronts.
	chosen := pts
	if len(chosen) > 12 {
		chosen = nil
		for _, w := range pts {
			if w.pareto {
				chosen = append(chosen, w)
			}
		}
	}
	slices.SortStableFunc(chosen, func(a, b *worst) int {
		return cmp.Or(cmp.Compare(a.model, b.model), cmp.Compare(a.energy, b.energy))
	})
	if len(chosen) > MaxBars {
		chosen = chosen[:MaxBars]
	}
	var bars []plot.Bar
	for _, w := range chosen {
		m := p.Models[w.model].Name
		bars = append(bars, plot.Bar{Label: m + " · " + pointLabel(p, w.point), Color: colors[m], Segments: w.breakdown[:]})
	}
	what := "every point"
	if len(chosen) < len(pts) {
		what = fmt.Sprintf("the %d points of the models' Pareto fronts", len(chosen))
	}
	f, err := plot.StackedBars("joules", fmt.Sprintf("sweep %s: joules per inference by category, %s", p.Name, what),
		"energy per inference, high end", "J", energy.CategoryNames(), bars)
	if err != nil {
		return nil, err
	}
	figs = append(figs, f)

	// Heatmaps of a two-axis grid: one per model for accuracy and energy.
	if len(p.Axes) == 2 && strings.HasPrefix(p.Mode, "grid") {
		hs, err := heatmaps(t, pts, colors)
		if err != nil {
			return nil, err
		}
		figs = append(figs, hs...)
	}
	return figs, nil
}

// pointLabel writes a point's axis values briefly, each with the last part
// of its key: "levels 16, read_noise 0.1".
func pointLabel(p *sweep.Plan, point int) string {
	parts := make([]string, len(p.Axes))
	for a, ax := range p.Axes {
		k := ax.Key[strings.LastIndex(ax.Key, ".")+1:]
		parts[a] = k + " " + p.Points[point][a]
	}
	return strings.Join(parts, ", ")
}

// axisLabel is an axis key with its unit, and "0 (continuous)" for levels.
func axisLabel(a sweep.PlanAxis) string {
	if a.Unit != "" {
		return a.Key + " (" + a.Unit + ")"
	}
	return a.Key
}

func axisValues(p *sweep.Plan, a int) []string {
	var vals []string
	seen := map[string]bool{}
	for _, pt := range p.Points {
		if v := pt[a]; !seen[v] {
			seen[v] = true
			if p.Axes[a].Key == "synapse.levels" && v == "0" {
				vals = append(vals, "continuous")
			} else {
				vals = append(vals, v)
			}
		}
	}
	return vals
}

func heatmaps(t *sweep.Table, pts []*worst, colors map[string]color.Color) ([]*plot.Figure, error) {
	p := t.Plan
	ys, xs := axisValues(p, 0), axisValues(p, 1)
	nx := len(xs)
	var figs []*plot.Figure
	// Accuracy on one scale for every model, so that models compare at a
	// glance; energy on each model's own scale (models may differ by
	// orders of magnitude, a model's points by a percent).
	accLo, accHi := math.Inf(1), math.Inf(-1)
	for _, w := range pts {
		accLo, accHi = math.Min(accLo, 100*w.acc), math.Max(accHi, 100*w.acc)
	}
	for mi, m := range p.Models {
		eHi := 0.0
		for _, w := range pts {
			if w.model == mi {
				eHi = math.Max(eHi, w.energy)
			}
		}
		f, prefix := plot.SI(eHi)
		acc := grid(len(ys), nx)
		en := grid(len(ys), nx)
		for _, w := range pts {
			if w.model == mi {
				// Grid points are listed first axis slowest.
				acc[w.point/nx][w.point%nx] = 100 * w.acc
				en[w.point/nx][w.point%nx] = w.energy * f
			}
		}
		if !math.IsNaN(accLo) && !math.IsInf(accLo, 0) {
			h := &plot.Heatmap{
				Name: "heatmap-accuracy-" + m.Name, Title: fmt.Sprintf("%s: accuracy (%%), worst case", m.Name),
				XLabel: axisLabel(p.Axes[1]), YLabel: axisLabel(p.Axes[0]), X: xs, Y: ys, Values: acc,
				ValueLabel: "accuracy (%)", Min: accLo, Max: accHi, Accent: colors[m.Name],
				Format: func(v float64) string { return fmt.Sprintf("%.1f", v) },
			}
			fig, err := h.Figure()
			if err != nil {
				return nil, err
			}
			figs = append(figs, fig)
		}
		h := &plot.Heatmap{
			Name: "heatmap-energy-" + m.Name, Title: fmt.Sprintf("%s: energy per inference (%sJ), worst case", m.Name, prefix),
			XLabel: axisLabel(p.Axes[1]), YLabel: axisLabel(p.Axes[0]), X: xs, Y: ys, Values: en,
			ValueLabel: "energy per inference (" + prefix + "J)", Accent: colors[m.Name],
			Format: func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) },
		}
		fig, err := h.Figure()
		if err != nil {
			return nil, err
		}
		figs = append(figs, fig)
	}
	return figs, nil
}

func grid(rows, cols int) [][]float64 {
	g := make([][]float64, rows)
	for i := range g {
		g[i] = make([]float64, cols)
		for j := range g[i] {
			g[i][j] = math.NaN()
		}
	}
	return g
}

// Energies builds the figures of one or more energy runs on the same
// inputs (a comparison's rows, or one `neurosim energy` run): joules by
// category per model, energy per step along a sequence (when the runs kept
// their steps), and energy against accuracy (with labels, two models or
// more).
func Energies(title string, es []*report.Energy) ([]*plot.Figure, error) {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Model.Name
	}
	colors := plot.Colors(names)
	var figs []*plot.Figure
	var bars []plot.Bar
	for _, e := range es {
		seg := make([]float64, energy.NumCategories)
		for c, j := range e.Joules.Breakdown {
			seg[c] = float64(j.Hi) / float64(e.Input.N)
		}
		bars = append(bars, plot.Bar{Label: e.Model.Name, Color: colors[e.Model.Name], Segments: seg})
	}
	f, err := plot.StackedBars("joules", title+": joules per inference by category", "energy per inference, high end", "J", energy.CategoryNames(), bars)
	if err != nil {
		return nil, err
	}
	figs = append(figs, f)

	var lines []plot.Line
	for _, e := range es {
		steps := e.StepMeanJoules()
		if steps == nil {
			continue
		}
		y := make([]float64, len(steps))
		for t, b := range steps {
			y[t] = float64(b.Total().Hi)
		}
		lines = append(lines, plot.Line{Name: e.Model.Name, Color: colors[e.Model.Name], Y: y})
	}
	if len(lines) > 0 {
		f, err := plot.Lines("steps", title+": energy at each step of a sequence (mean over sequences)", "step of the sequence",
			"energy per step, high end", "J", lines)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}

	if len(es) > 1 && es[0].HasLabels {
		cs := make([]sweep.Candidate, len(es))
		for i, e := range es {
			cs[i] = sweep.Candidate{Energy: float64(e.Joules.MeanPerSequence.Hi), Accuracy: e.Accuracy.Lo}
		}
		front := sweep.Front(cs)
		var series []plot.Series
		var all []plot.Point
		for i, e := range es {
			pt := plot.Point{X: cs[i].Energy, Y: 100 * cs[i].Accuracy, Front: front[i]}
			series = append(series, plot.Series{Name: e.Model.Name, Color: colors[e.Model.Name], Points: []plot.Point{pt}})
			if front[i] {
				all = append(all, pt)
			}
		}
		f, err := plot.Tradeoff("tradeoff", title+": energy against accuracy (filled: on the front)",
			"energy per inference, worst case", "J", "accuracy, worst case (%)", series, all)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}
