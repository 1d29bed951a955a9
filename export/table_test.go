package export

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		w    int
		hard bool
		want string
	}{
		{"fits", "a b c", 5, false, "a b c"},
		{"at spaces", "one two three", 7, false, "one two\nthree"},
		{"no-break space keeps a number with its unit", "2.418" + nbsp + "nJ" + nbsp + "… 12.6" + nbsp + "nJ", 10, false,
			"2.418" + nbsp + "nJ" + nbsp + "…\n12.6" + nbsp + "nJ"},
		{"long word kept whole without hard", "abcdefghij x", 4, false, "abcdefghij\nx"},
		{"long word broken with hard", "abcdefghij x", 4, true, "abcd\nefgh\nij x"},
		{"explicit newlines kept", "a\nb c", 10, false, "a\nb c"},
	} {
		if got := wrap(tt.in, tt.w, tt.hard); got != tt.want {
			t.Errorf("%s: wrap(%q, %d) = %q, want %q", tt.name, tt.in, tt.w, got, tt.want)
		}
	}
}

// maxLine is the display width of the widest line of s.
func maxLine(s string) int {
	m := 0
	for _, l := range strings.Split(s, "\n") {
		m = max(m, width(l))
	}
	return m
}

// A table too wide for the style wraps at spaces, hides optional columns
// (lowest first, and says which), and keeps every word of what it shows.
func TestGridFits(t *testing.T) {
	long := "a description long enough that it has to wrap over several lines of the column"
	g := grid{cols: []column{
		{head: "name"},
		{head: "an optional number", number: true, optional: 1},
		{head: "description"},
		{head: "energy (J)", number: true},
	}}
	for i := range 5 {
		g.rows = append(g.rows, []string{"model_" + strings.Repeat("x", i), "123456789012345", long, si(1.5e-12*float64(i+1), "J") + nbsp + "… " + si(3e-12, "J")})
	}
	for _, tt := range []struct {
		width      int
		wantHidden bool
	}{{100, false}, {50, true}, {0, false}} {
		var b bytes.Buffer
		hidden, err := g.render(&Terminal{W: &b, Style: Style{Width: tt.width}})
		if err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if tt.width > 0 && maxLine(out) > tt.width {
			t.Errorf("width %d: a line of %d columns:\n%s", tt.width, maxLine(out), out)
		}
		if tt.width == 0 && !strings.Contains(out, long) {
			t.Errorf("without a width limit, cells are not wrapped:\n%s", out)
		}
		if got := len(hidden) > 0; got != tt.wantHidden {
			t.Errorf("width %d: hidden %v", tt.width, hidden)
		}
		if tt.wantHidden && (hidden[0] != "an optional number" || strings.Contains(out, "123456789012345")) {
			t.Errorf("width %d: hid %v:\n%s", tt.width, hidden, out)
		}
		for _, w := range words(long) {
			if !strings.Contains(out, w) {
				t.Errorf("width %d: lost %q", tt.width, w)
			}
		}
		// A range is never split between a number and its unit.
		if strings.Contains(out, "1.5\n") || strings.Contains(out, " pJ\n│ pJ") {
			t.Errorf("width %d: number split from its unit:\n%s", tt.width, out)
		}
	}
}

// Text columns break inside words only when hiding columns was not enough.
func TestGridHardBreaksLast(t *testing.T) {
	g := grid{cols: []column{{head: "path"}, {head: "v", number: true}},
		rows: [][]string{{strings.Repeat("p", 120), "1"}}}
	var b bytes.Buffer
	if _, err := g.render(&Terminal{W: &b, Style: Style{Width: 40}}); err != nil {
		t.Fatal(err)
	}
	if maxLine(b.String()) > 40 || strings.Count(b.String(), "p") != 120+1 { // and the header's "path"
		t.Errorf("long path not broken to fit 40 columns:\n%s", &b)
	}
}

func TestRowsVisible(t *testing.T) {
	for _, tt := range []struct {
		rows [][]string
		want bool
	}{
		{[][]string{{"a", "b"}, {"c", "d"}}, true},
		{[][]string{{"a", "b\nb"}, {"c", "d"}}, true},          // column 0 names every row
		{[][]string{{"a\na", "b\nb"}, {"c", "d"}}, false},      // nothing marks where a row starts
		{[][]string{{"a", "x", "b\nb"}, {"", "y", "d"}}, true}, // column 1 does
	} {
		if got := rowsVisible(tt.rows); got != tt.want {
			t.Errorf("rowsVisible(%q) = %v, want %v", tt.rows, got, tt.want)
		}
	}
}

// w2 is an ASCII terminal of the given width.
func w2(b *bytes.Buffer, width int) *Terminal {
	return &Terminal{W: b, Style: Style{Width: width, ASCII: true}}
}

// Under a locale that is not UTF-8, tables and text are plain ASCII.
func TestASCII(t *testing.T) {
	var b bytes.Buffer
	w := &Terminal{W: &b, Style: Style{Width: 100, ASCII: true}}
	if err := table(w, []string{"energy (µJ)", "× base"}, [][]string{{"1 µJ … 2 µJ", "λ Σ z²"}}, 0); err != nil {
		t.Fatal(err)
	}
	if err := text(w, "E = Σ z²·|w| — done"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for i := 0; i < len(out); i++ {
		if out[i] >= utf8.RuneSelf {
			t.Fatalf("non-ASCII byte %#x in:\n%s", out[i], out)
		}
	}
	for _, want := range []string{"+-", "| energy (uJ)", "1 uJ ... 2 uJ", "lambda sum z^2", "E = sum z^2*|w| - done"} {
		if !strings.Contains(out, want) {
			t.Errorf("ASCII output lacks %q:\n%s", want, out)
		}
	}
	// Every character neurosim's text is written with has a spelling: the
	// presets' sources (≈5–10×10⁻²⁰ J), units, τ, arrows, the ratio sign.
	for in, want := range map[string]string{
		"≈5–10×10⁻²⁰ J per ATP": "~5-10x10^-20 J per ATP",
		"10⁶ cycles, τ ÷ 2":     "10^6 cycles, tau / 2",
		"conv1 → relu":          "conv1 -> relu",
		"‖W‖ ± ε, A⊗Bᵀ":         "||W|| +- eps, A(x)B^T",
	} {
		if got := ToASCII(in); got != want {
			t.Errorf("ToASCII(%q) = %q, want %q", in, got, want)
		}
	}
	// The layout measures what is printed: a line of 30 "…" is 90 columns
	// in ASCII, so it wraps at 40 columns.
	b.Reset()
	if err := text(w2(&b, 40), strings.Repeat("… ", 30)); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if len(l) > 40 {
			t.Errorf("ASCII line of %d columns at width 40: %q", len(l), l)
		}
	}
	b.Reset()
	if err := table(w2(&b, 40), []string{"a", "b"}, [][]string{{strings.Repeat("…", 12), strings.Repeat("× ", 12)}}); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if len(l) > 40 {
			t.Errorf("ASCII table line of %d columns at width 40: %q", len(l), l)
		}
	}
	// Unicode borders otherwise; a plain writer gets the default style.
	b.Reset()
	if err := table(&b, []string{"a"}, [][]string{{"µ"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "┌") || !strings.Contains(b.String(), "µ") {
		t.Errorf("default style:\n%s", &b)
	}
}

func TestSI(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{1.5e-12, "1.5 pJ"}, {0, "0 J"}, {3.333e-6, "3.333 µJ"}, {999.9e-9, "999.9 nJ"}, {999.99e-9, "1 µJ"},
		{1, "1 J"}, {2e-21, "2 zJ"}, {-4e-3, "-4 mJ"}, {5e-25, "5e-25 J"}} {
		if got := strings.ReplaceAll(si(tt.v, "J"), nbsp, " "); got != tt.want {
			t.Errorf("si(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := strings.ReplaceAll(siRange(1e-12, 2e-12, "J"), nbsp, " "); got != "1 pJ … 2 pJ" {
		t.Errorf("siRange = %q", got)
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if g, err := ParseFormat(f.String()); err != nil || g != f {
			t.Errorf("ParseFormat(%q) = %v, %v", f, g, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "table, json, csv") {
		t.Errorf("ParseFormat(xml) = %v", err)
	}
	if Format(9).String() != "Format(9)" {
		t.Error(Format(9).String())
	}
}
