package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Point is one design point of a trade-off plot.
type Point struct {
	X, Y  float64
	Front bool // on its series' front
}

// Series is the points of one model.
type Series struct {
	Name   string
	Color  color.Color
	Points []Point
}

// Tradeoff plots Y against X for each series: every point as a ring in the
// series' colour, its front points filled and joined by a staircase (the
// front of a cost X to minimise and a score Y to maximise); all, when not
// nil, is the front over every series, drawn dashed in black. X is in SI
// unit xUnit and scaled with a prefix; it is logarithmic when the points
// span more than a factor 30 (and are all positive).
func Tradeoff(name, title, xQuantity, xUnit, yLabel string, series []Series, all []Point) (*Figure, error) {
	maxX, minX := 0.0, math.Inf(1)
	for _, s := range series {
		for _, p := range s.Points {
			maxX, minX = math.Max(maxX, math.Abs(p.X)), math.Min(minX, p.X)
		}
	}
	f, prefix := SI(maxX)
	p := newPlot(title, fmt.Sprintf("%s (%s%s)", xQuantity, prefix, xUnit), yLabel)
	logX := minX > 0 && maxX/minX > 30
	if logX {
		p.X.Scale = gplot.LogScale{}
		p.X.Tick.Marker = gplot.LogTicks{Prec: -1}
	}
	p.Add(plotter.NewGrid())
	minY, maxY := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, q := range s.Points {
			minY, maxY = math.Min(minY, q.Y), math.Max(maxY, q.Y)
		}
	}
	if maxY > minY { // room above the points for the legend
		p.Y.Max = maxY + 0.12*float64(len(series)+1)*(maxY-minY)
	}
	for _, s := range series {
		var pts, front plotter.XYs
		for _, q := range s.Points {
			pts = append(pts, plotter.XY{X: q.X * f, Y: q.Y})
			if q.Front {
				front = append(front, plotter.XY{X: q.X * f, Y: q.Y})
			}
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("figure %s: %s: %w", name, s.Name, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.Color, Radius: vg.Points(3), Shape: draw.RingGlyph{}}
		p.Add(sc)
		if len(front) > 0 {
			l, fs, err := staircase(front, draw.LineStyle{Color: s.Color, Width: vg.Points(1.5)})
			if err != nil {
				return nil, err
			}
			fs.GlyphStyle = draw.GlyphStyle{Color: s.Color, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
			p.Add(l, fs)
			p.Legend.Add(s.Name, l, fs)
		} else {
			p.Legend.Add(s.Name, sc)
		}
	}
	if len(all) > 0 {
		var pts plotter.XYs
		for _, q := range all {
			pts = append(pts, plotter.XY{X: q.X * f, Y: q.Y})
		}
		l, _, err := staircase(pts, draw.LineStyle{Color: color.Black, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}})
		if err != nil {
			return nil, err
		}
		p.Add(l)
		p.Legend.Add("front of all models", l)
	}
	return single(name, title, p, 18*vg.Centimeter, 12*vg.Centimeter), nil
}

// staircase joins front points sorted by X: from each point right to the
// next X, then up or down to its Y (a cost/score front is a step function).
func staircase(pts plotter.XYs, sty draw.LineStyle) (*plotter.Line, *plotter.Scatter, error) {
	s := slices.Clone(pts)
	slices.SortStableFunc(s, func(a, b plotter.XY) int {
		switch {
		case a.X < b.X:
			return -1
		case a.X > b.X:
			return 1
		}
		return 0
	})
	var path plotter.XYs
	for i, q := range s {
		if i > 0 {
			path = append(path, plotter.XY{X: q.X, Y: s[i-1].Y})
		}
		path = append(path, q)
	}
	l, err := plotter.NewLine(path)
	if err != nil {
		return nil, nil, err
	}
	l.LineStyle = sty
	sc, err := plotter.NewScatter(s)
	if err != nil {
		return nil, nil, err
	}
	return l, sc, nil
}

// Bar is one stacked bar: a label under it, the colour of its model, and
// one value per category (SI, non-negative).
type Bar struct {
	Label    string
	Color    color.Color
	Segments []float64
}

// StackedBars stacks each bar's categories bottom to top in the order of
// categories, each category a shade of the bar's colour, darkest first (a
// grey legend gives the order). Values are in SI unit unit, scaled with a
// prefix. Labels are written under the bars, slanted when there are many.
func StackedBars(name, title, quantity, unit string, categories []string, bars []Bar) (*Figure, error) {
	maxY := 0.0
	for _, b := range bars {
		s := 0.0
		for _, v := range b.Segments {
			s += v
		}
		maxY = math.Max(maxY, s)
	}
	f, prefix := SI(maxY)
	p := newPlot(title, "", fmt.Sprintf("%s (%s%s)", quantity, prefix, unit))
	p.Add(hgrid())
	p.X.Min, p.X.Max = -0.6, float64(len(bars))-0.4
	labels := make([]string, len(bars))
	for i, b := range bars {
		labels[i] = b.Label
	}
	p.NominalX(labels...)
	left := vg.Length(0)
	if len(bars) > 4 {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
		// The first label slants left of the plot's own area: make room
		// for it (what reaches beyond the y axis's width).
		reach := p.X.Tick.Label.Width(labels[0]) * vg.Length(math.Cos(math.Pi/6))
		left = max(0, reach-3.2*vg.Centimeter)
	}
	p.Add(&stack{bars: bars, scale: f, shades: len(categories)})
	for k := len(categories) - 1; k >= 0; k-- {
		c := shade(color.Gray{Y: 0x70}, shadeOf(k, len(categories)))
		p.Legend.Add(categories[k], &swatch{c})
	}
	p.Legend.Top = true
	p.Y.Min = 0
	p.Y.Max = maxY * f * (1 + 0.07*float64(len(categories))) // room for the legend
	w := 18 * vg.Centimeter
	if n := len(bars); n > 8 {
		w = vg.Length(math.Min(40, 10+1.2*float64(n))) * vg.Centimeter
	}
	fig := single(name, title, p, w+left, 13*vg.Centimeter)
	if left > 0 {
		fig.draw = padLeft(fig.draw, left)
	}
	return fig, nil
}

// padLeft draws with a blank margin of left at the canvas's left edge.
func padLeft(inner func(draw.Canvas), left vg.Length) func(draw.Canvas) {
	return func(c draw.Canvas) {
		c.FillPolygon(color.White, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
		c.Min.X += left
		inner(c)
	}
}

// shadeOf is the shade of category k of n: from darker to much lighter.
func shadeOf(k, n int) float64 {
	if n <= 1 {
		return 0
	}
	return -0.35 + 1.15*float64(k)/float64(n-1)
}

type stack struct {
	bars   []Bar
	scale  float64
	shades int
}

func (s *stack) Plot(c draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&c)
	for i, b := range s.bars {
		y := 0.0
		x0, x1 := tx(float64(i)-0.35), tx(float64(i)+0.35)
		for k, v := range b.Segments {
			if v <= 0 {
				continue
			}
			y0, y1 := ty(y), ty(y+v*s.scale)
			y += v * s.scale
			pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
			c.FillPolygon(shade(b.Color, shadeOf(k, s.shades)), c.ClipPolygonXY(pts))
			c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}, c.ClipLinesXY(append(pts, pts[0]))...)
		}
	}
}

func (s *stack) DataRange() (xmin, xmax, ymin, ymax float64) {
	for _, b := range s.bars {
		t := 0.0
		for _, v := range b.Segments {
			t += math.Max(v, 0) * s.scale
		}
		ymax = math.Max(ymax, t)
	}
	return -0.5, float64(len(s.bars)) - 0.5, 0, ymax
}

// swatch is a legend thumbnail of one colour.
type swatch struct{ c color.Color }

func (s *swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(s.c, pts)
}

// Line is one series of a line chart: a value at x = 1, 2, …
type Line struct {
	Name  string
	Color color.Color
	Y     []float64
}

// Lines plots each series against its index from 1 (a step of a
// sequence), values in SI unit unit scaled with a prefix, each series in
// its colour with a marker at every step.
func Lines(name, title, xLabel, quantity, unit string, lines []Line) (*Figure, error) {
	maxY := 0.0
	for _, l := range lines {
		for _, v := range l.Y {
			maxY = math.Max(maxY, math.Abs(v))
		}
	}
	f, prefix := SI(maxY)
	p := newPlot(title, xLabel, fmt.Sprintf("%s (%s%s)", quantity, prefix, unit))
	p.Add(hgrid())
	for _, l := range lines {
		xy := make(plotter.XYs, len(l.Y))
		for i, v := range l.Y {
			xy[i] = plotter.XY{X: float64(i + 1), Y: v * f}
		}
		ln, sc, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, fmt.Errorf("figure %s: %s: %w", name, l.Name, err)
		}
		ln.LineStyle = draw.LineStyle{Color: l.Color, Width: vg.Points(1.5)}
		sc.GlyphStyle = draw.GlyphStyle{Color: l.Color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(ln, sc)
		p.Legend.Add(l.Name, ln, sc)
	}
	p.Y.Min = 0
	p.Y.Max = maxY * f * (1 + 0.1*float64(len(lines))) // room for the legend
	p.X.Tick.Marker = integerTicks{}
	p.Legend.Left = true
	return single(name, title, p, 18*vg.Centimeter, 12*vg.Centimeter), nil
}

// integerTicks marks whole numbers only (steps 1, 2, …).
type integerTicks struct{}

func (integerTicks) Ticks(min, max float64) []gplot.Tick {
	step := math.Max(1, math.Ceil((max-min)/10))
	var t []gplot.Tick
	for v := math.Ceil(min); v <= max; v += step {
		t = append(t, gplot.Tick{Value: v, Label: fmt.Sprint(v)})
	}
	return t
}
