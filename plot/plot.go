package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is a drawing of a given size, rendered as SVG or PNG.
type Figure struct {
	// Name is a file stem ("pareto", "heatmap-accuracy-ART_STPN_h11").
	Name string
	// Title says in words what the figure shows (for reports).
	Title string
	W, H  vg.Length
	draw  func(draw.Canvas)
}

// Formats lists the formats a Figure renders to.
var Formats = []string{"svg", "png"}

// DPI of PNG renderings.
const DPI = 144

// Render writes the figure as "svg" or "png". Both are deterministic: the
// same figure gives the same bytes. SVG text names the Liberation fonts
// the layout was measured with and falls back to Arial/Helvetica (same
// metrics); fonts are not embedded, which keeps files small.
func (f *Figure) Render(w io.Writer, format string) error {
	switch format {
	case "svg":
		c := vgsvg.NewWith(vgsvg.UseWH(f.W, f.H))
		f.draw(draw.New(c))
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			return err
		}
		s := strings.ReplaceAll(b.String(), "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
		_, err := io.WriteString(w, s)
		return err
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(f.W, f.H), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
		f.draw(draw.New(c))
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
		return err
	}
	return fmt.Errorf("figure %s: unknown format %q (supported: svg, png)", f.Name, format)
}

// single is a figure of one gonum plot.
func single(name, title string, p *gplot.Plot, w, h vg.Length) *Figure {
	return &Figure{Name: name, Title: title, W: w, H: h, draw: func(c draw.Canvas) {
		// A white background in SVG too.
		c.FillPolygon(color.White, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
		p.Draw(c)
	}}
}

// Palette is the colour of each series, one per model: Tableau 10, in the
// order of the names given to Colors.
var Palette = []color.Color{
	rgb(0x4e79a7), rgb(0xf28e2b), rgb(0xe15759), rgb(0x76b7b2), rgb(0x59a14f),
	rgb(0xedc948), rgb(0xb07aa1), rgb(0xff9da7), rgb(0x9c755f), rgb(0xbab0ac),
}

func rgb(v uint32) color.Color {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// Colors gives each name one colour of the Palette, by its place among the
// names sorted, so that a model has the same colour in every figure of a
// run whatever order a figure lists it in.
func Colors(names []string) map[string]color.Color {
	s := slices.Clone(names)
	slices.Sort(s)
	s = slices.Compact(s)
	m := make(map[string]color.Color, len(s))
	for i, n := range s {
		m[n] = Palette[i%len(Palette)]
	}
	return m
}

// shade mixes c with black (t < 0) or white (t > 0) by |t|.
func shade(c color.Color, t float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 {
		x := float64(v >> 8)
		if t < 0 {
			x *= 1 + t
		} else {
			x += (255 - x) * t
		}
		return uint8(math.Round(x))
	}
	return color.NRGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// SI returns the factor and prefix that bring values whose largest
// magnitude is max into [1, 1000): SI(3.2e-10) = 1e12, "p".
func SI(max float64) (factor float64, prefix string) {
	prefixes := []struct {
		p string
		e int
	}{{"G", 9}, {"M", 6}, {"k", 3}, {"", 0}, {"m", -3}, {"µ", -6}, {"n", -9}, {"p", -12}, {"f", -15}, {"a", -18}, {"z", -21}}
	max = math.Abs(max)
	if max == 0 || math.IsNaN(max) || math.IsInf(max, 0) {
		return 1, ""
	}
	for _, p := range prefixes {
		if max >= math.Pow10(p.e) {
			return math.Pow10(-p.e), p.p
		}
	}
	return 1e21, "z"
}

// sans is the typeface of every text: Liberation Sans (metrics of Arial),
// set per plot rather than through gonum's global default.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot is a plot with neurosim's defaults: sans-serif text, title, axis
// labels with their units.
func newPlot(title, x, y string) *gplot.Plot {
	p := gplot.New()
	setFonts(p)
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}

func setFonts(p *gplot.Plot) {
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		size := f.Size
		*f = font.From(sans, size)
	}
}

// hgrid is a grid of horizontal lines only.
func hgrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	return g
}

func textStyle(size float64, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(sans, vg.Points(size)),
		Handler: gplot.DefaultTextHandler,
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
	}
}

// luminance is the relative luminance of c, 0 (black) to 1 (white).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}
