package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap is a value over two categorical axes: accuracy over levels ×
// read noise, or a feasibility margin over write energy × τ. Rows are
// drawn top to bottom in the order of Y, columns left to right in the order
// of X; each cell is coloured by its value and labelled with it.
type Heatmap struct {
	Name, Title    string
	XLabel, YLabel string // the axes' quantities with their units: "read noise σ", "levels"
	X, Y           []string
	// Values[row][column]; NaN draws an empty (grey) cell, "—".
	Values [][]float64
	// ValueLabel names the value with its unit, for the colour bar:
	// "accuracy (%)", "margin (pJ)".
	ValueLabel string
	// Format writes a cell's label (default: 3 significant digits).
	Format func(float64) string
	// Diverging colours values below Center blue and above it red (a
	// margin, feasible on one side); otherwise a sequential scale from
	// light yellow (smallest) to dark blue (largest), ColorBrewer's YlGnBu.
	Diverging bool
	Center    float64
	// Min and Max fix the colour scale (both zero: the values' range).
	Min, Max float64
	// Accent, when set, colours the title (the model's colour).
	Accent color.Color
}

// Figure draws the heatmap with its colour bar.
func (h *Heatmap) Figure() (*Figure, error) {
	if len(h.Y) == 0 || len(h.X) == 0 || len(h.Values) != len(h.Y) {
		return nil, fmt.Errorf("heatmap %s: %d rows of values for %d row labels and %d columns", h.Name, len(h.Values), len(h.Y), len(h.X))
	}
	for i, r := range h.Values {
		if len(r) != len(h.X) {
			return nil, fmt.Errorf("heatmap %s: row %d has %d values for %d columns", h.Name, i, len(r), len(h.X))
		}
	}
	lo, hi := h.Min, h.Max
	if lo == 0 && hi == 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, r := range h.Values {
			for _, v := range r {
				if !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if math.IsInf(lo, 0) { // no value at all
		lo, hi = 0, 1
	}
	if h.Diverging {
		d := math.Max(math.Abs(lo-h.Center), math.Abs(hi-h.Center))
		if d == 0 {
			d = 1
		}
		lo, hi = h.Center-d, h.Center+d
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	var cm palette.ColorMap
	if h.Diverging {
		cm = moreland.SmoothBlueRed()
	} else {
		cm = sequential()
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	format := h.Format
	if format == nil {
		format = func(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
	}

	p := newPlot(h.Title, h.XLabel, h.YLabel)
	if h.Accent != nil {
		p.Title.TextStyle.Color = h.Accent
	}
	p.NominalX(h.X...)
	rows := make([]string, len(h.Y)) // bottom to top
	for i, y := range h.Y {
		rows[len(h.Y)-1-i] = y
	}
	p.NominalY(rows...)
	p.X.Min, p.X.Max = -0.5, float64(len(h.X))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(h.Y))-0.5
	p.Add(&cells{h: h, cm: cm, format: format})

	bar := gplot.New()
	setFonts(bar)
	bar.HideX()
	bar.Y.Label.Text = h.ValueLabel
	bar.Y.Min, bar.Y.Max = lo, hi
	bar.Y.Tick.Marker = spanTicks{}
	bar.Add(&colorBar{cm: cm})
	bar.Title.Text = " "

	w := vg.Length(math.Max(14, math.Min(36, 6+2.2*float64(len(h.X))))) * vg.Centimeter
	ht := vg.Length(math.Max(9, math.Min(30, 4+1.2*float64(len(h.Y))))) * vg.Centimeter
	barW := 3.2 * vg.Centimeter
	return &Figure{Name: h.Name, Title: h.Title, W: w, H: ht, draw: func(c draw.Canvas) {
		c.FillPolygon(color.White, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
		p.Draw(draw.Crop(c, 0, -barW, 0, 0))
		bc := draw.Crop(c, w-barW, 0, 0, 0)
		bar.Draw(draw.Crop(bc, vg.Centimeter*0.3, -vg.Centimeter*0.6, vg.Centimeter*1.2, 0))
	}}, nil
}

type cells struct {
	h      *Heatmap
	cm     palette.ColorMap
	format func(float64) string
}

func (c *cells) Plot(cv draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&cv)
	n := len(c.h.Y)
	for i, row := range c.h.Values {
		y := float64(n - 1 - i)
		for j, v := range row {
			x := float64(j)
			pts := []vg.Point{
				{X: tx(x - 0.5), Y: ty(y - 0.5)}, {X: tx(x + 0.5), Y: ty(y - 0.5)},
				{X: tx(x + 0.5), Y: ty(y + 0.5)}, {X: tx(x - 0.5), Y: ty(y + 0.5)},
			}
			fill := color.Color(color.Gray{Y: 0xdd})
			label := "—"
			if !math.IsNaN(v) {
				// Clamp a little inside the scale: a reversed map can round
				// its ends just outside it.
				lo, hi := c.cm.Min(), c.cm.Max()
				eps := 1e-9 * (hi - lo)
				if col, err := c.cm.At(math.Max(lo+eps, math.Min(hi-eps, v))); err == nil {
					fill = col
				}
				label = c.format(v)
			}
			cv.FillPolygon(fill, pts)
			cv.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(1)}, append(pts, pts[0]))
			ink := color.Color(color.Black)
			if luminance(fill) < 0.45 {
				ink = color.White
			}
			cv.FillText(textStyle(9, ink), vg.Point{X: tx(x), Y: ty(y)}, label)
		}
	}
}

func (c *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(len(c.h.X)) - 0.5, -0.5, float64(len(c.h.Y)) - 0.5
}

// sequential is ColorBrewer's YlGnBu, interpolated by luminance.
func sequential() palette.ColorMap {
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlGnBu", 9)
	if err != nil {
		panic(err) // a fixed, existing palette
	}
	c := slices.Clone(pal.Colors())
	slices.Reverse(c) // dark to light: luminance must increase
	cm, err := moreland.NewLuminance(c)
	if err != nil {
		panic(err)
	}
	return palette.Reverse(cm) // light for the smallest value
}

// spanTicks marks five evenly spaced values with as many digits as it takes
// to tell them apart (a narrow scale such as 15.99 … 16.01 nJ).
type spanTicks struct{}

func (spanTicks) Ticks(min, max float64) []gplot.Tick {
	// gonum's round-number ticks when they tell their values apart.
	def := gplot.DefaultTicks{}.Ticks(min, max)
	seen, major := map[string]bool{}, 0
	for _, t := range def {
		if t.Label == "" {
			continue
		}
		if seen[t.Label] {
			major = 0
			break
		}
		seen[t.Label] = true
		major++
	}
	if major >= 2 {
		return def
	}
	for digits := 2; ; digits++ {
		var t []gplot.Tick
		distinct := true
		for i := range 5 {
			v := min + float64(i)/4*(max-min)
			l := strconv.FormatFloat(v, 'g', digits, 64)
			if len(t) > 0 && t[len(t)-1].Label == l {
				distinct = false
			}
			t = append(t, gplot.Tick{Value: v, Label: l})
		}
		if distinct || digits >= 15 {
			return t
		}
	}
}

// colorBar draws the colour scale as stacked rectangles: vector shapes that
// SVG viewers scale like the rest (an embedded 1-pixel-wide image, as
// gonum's ColorBar draws, keeps its aspect ratio in browsers).
type colorBar struct{ cm palette.ColorMap }

func (b *colorBar) Plot(c draw.Canvas, p *gplot.Plot) {
	tx, ty := p.Transforms(&c)
	lo, hi := b.cm.Min(), b.cm.Max()
	const n = 64
	for i := range n {
		y0, y1 := lo+(hi-lo)*float64(i)/n, lo+(hi-lo)*float64(i+1)/n
		col, err := b.cm.At(math.Max(lo, math.Min(hi, (y0+y1)/2)))
		if err != nil {
			continue
		}
		y1 = math.Min(hi, y1+(hi-lo)/(4*n)) // overlap the next band: no seams where antialiasing meets
		c.FillPolygon(col, []vg.Point{{X: tx(0), Y: ty(y0)}, {X: tx(1), Y: ty(y0)}, {X: tx(1), Y: ty(y1)}, {X: tx(0), Y: ty(y1)}})
	}
}

func (b *colorBar) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 1, b.cm.Min(), b.cm.Max()
}
