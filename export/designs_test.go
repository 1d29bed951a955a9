package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
)

// Every preset is listed with its figures in units, in 100 columns by
// default (a block of rows per design) and one row per design with --wide.
func TestWriteDesigns(t *testing.T) {
	ds := design.Presets()
	for _, width := range []int{100, 0} {
		var b bytes.Buffer
		if err := WriteDesigns(&Terminal{W: &b, Style: Style{Width: width}}, ds); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if width > 0 && maxLine(out) > width {
			t.Errorf("a line of %d columns:\n%s", maxLine(out), out)
		}
		for _, d := range ds {
			if !strings.Contains(out, "│ "+d.Name+" ") {
				t.Errorf("width %d: %s missing:\n%s", width, d.Name, out)
			}
		}
		// rram-neurosim (preset): 0.55 V × 10 ns reads, rewrite at 0.6 … 3.33 pJ.
		for _, want := range []string{"550 mV", "10 ns", "600 fJ", "per event", "digital", "per synaptic op"} {
			if !strings.Contains(out, want) {
				t.Errorf("width %d lacks %q", width, want)
			}
		}
		if rows := strings.Count(out, "\n"); (width > 0) != (rows > 6*len(ds)) {
			t.Errorf("width %d: %d lines; want a block per design only when narrow", width, rows)
		}
	}
}
