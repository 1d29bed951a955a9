package plot

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func figures(t *testing.T) []*Figure {
	t.Helper()
	c := Colors([]string{"b", "a"})
	tr, err := Tradeoff("t", "trade-off", "energy per inference", "J", "accuracy (%)", []Series{
		{Name: "a", Color: c["a"], Points: []Point{{1e-12, 40, true}, {2e-12, 30, false}, {3e-12, 45, true}}},
		{Name: "b", Color: c["b"], Points: []Point{{5e-11, 20, true}}},
	}, []Point{{1e-12, 40, true}, {3e-12, 45, true}})
	if err != nil {
		t.Fatal(err)
	}
	bars, err := StackedBars("b", "bars", "energy per inference", "J", []string{"read", "write"},
		[]Bar{{Label: "a", Color: c["a"], Segments: []float64{1e-9, 2e-9}}, {Label: "b", Color: c["b"], Segments: []float64{0, 5e-10}}})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Lines("l", "lines", "step", "energy per step", "J", []Line{{Name: "a", Color: c["a"], Y: []float64{1e-6, 2e-6, 1.5e-6}}})
	if err != nil {
		t.Fatal(err)
	}
	h := &Heatmap{Name: "h", Title: "feasibility", XLabel: "write energy (pJ)", YLabel: "τ (ms)",
		X: []string{"0.1", "1", "10"}, Y: []string{"1", "10"},
		Values: [][]float64{{0.5, -0.2, math.NaN()}, {1, 0, -3}}, ValueLabel: "margin (pJ)", Diverging: true}
	hm, err := h.Figure()
	if err != nil {
		t.Fatal(err)
	}
	return []*Figure{tr, bars, lines, hm}
}

// Every figure renders to SVG and PNG, the same bytes each time, with its
// units on the axes.
func TestRender(t *testing.T) {
	units := map[string][]string{"t": {"energy per inference (pJ)", "accuracy (%)"}, "b": {"energy per inference (nJ)"},
		"l": {"energy per step (µJ)", "step"}, "h": {"write energy (pJ)", "τ (ms)", "margin (pJ)"}}
	for i, f := range figures(t) {
		again := figures(t)[i]
		for _, format := range Formats {
			var a, b bytes.Buffer
			if err := f.Render(&a, format); err != nil {
				t.Fatalf("%s.%s: %v", f.Name, format, err)
			}
			if err := again.Render(&b, format); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s.%s: two renderings differ", f.Name, format)
			}
			if format == "png" {
				if _, err := png.Decode(&a); err != nil {
					t.Errorf("%s.png: %v", f.Name, err)
				}
				continue
			}
			for _, u := range units[f.Name] {
				if !strings.Contains(a.String(), u) {
					t.Errorf("%s.svg has no %q", f.Name, u)
				}
			}
		}
	}
	if err := figures(t)[0].Render(&bytes.Buffer{}, "gif"); err == nil {
		t.Error("gif accepted")
	}
}

func TestSI(t *testing.T) {
	for _, c := range []struct {
		max    float64
		factor float64
		prefix string
	}{{3.2e-10, 1e12, "p"}, {1e-9, 1e9, "n"}, {999e-9, 1e9, "n"}, {2.5, 1, ""}, {0, 1, ""}, {4e3, 1e-3, "k"}} {
		f, p := SI(c.max)
		if f != c.factor || p != c.prefix {
			t.Errorf("SI(%g) = %g, %q; want %g, %q", c.max, f, p, c.factor, c.prefix)
		}
	}
}

// One colour per name, whatever order the names come in.
func TestColors(t *testing.T) {
	a, b := Colors([]string{"x", "y", "z"}), Colors([]string{"z", "x", "y", "x"})
	for _, n := range []string{"x", "y", "z"} {
		if a[n] != b[n] {
			t.Errorf("%s has two colours", n)
		}
	}
	if a["x"] == a["y"] {
		t.Error("two names share a colour")
	}
}

func TestHeatmapShape(t *testing.T) {
	h := &Heatmap{Name: "bad", X: []string{"a"}, Y: []string{"r"}, Values: [][]float64{{1, 2}}}
	if _, err := h.Figure(); err == nil {
		t.Error("a row longer than the columns was accepted")
	}
}

// Slanted labels reach left of the plot: a long first label widens the
// figure by the room it needs, a short one does not.
func TestSlantedLabelsFit(t *testing.T) {
	width := func(first string) vg.Length {
		bars := []Bar{{Label: first, Color: Palette[0], Segments: []float64{1}}}
		for i := range 5 {
			bars = append(bars, Bar{Label: fmt.Sprint(i), Color: Palette[1], Segments: []float64{1}})
		}
		f, err := StackedBars("b", "bars", "energy", "J", []string{"read"}, bars)
		if err != nil {
			t.Fatal(err)
		}
		return f.W
	}
	short, long := width("a"), width(strings.Repeat("a long label ", 6))
	if long <= short {
		t.Errorf("figure %v wide with a long first label, %v with a short one", long, short)
	}
}
