package export

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// escapeControls shows the control characters of s — ESC, CR, BEL, C1
// controls, the bidirectional overrides — and bytes that are not UTF-8 as
// Go escapes (\x1b), so that text taken from a file, such as a tensor or a
// folder name, cannot move the cursor, clear the screen or reorder a line
// of a terminal. Newlines are kept when keepNewlines is set.
func escapeControls(s string, keepNewlines bool) string {
	bad := func(r rune) bool {
		return r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) || r == '\n' && !keepNewlines
	}
	if utf8.ValidString(s) && strings.IndexFunc(s, bad) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case bad(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// DefaultWidth is the width human output fits in unless told otherwise.
const DefaultWidth = 100

// Style says how human output is laid out.
type Style struct {
	// Width is the most terminal columns a line may take; 0 means no
	// limit (--wide). Tables wrap their cells, and hide the columns they
	// mark as optional (saying so), to fit.
	Width int
	// ASCII draws borders with + - | and spells the few non-ASCII
	// characters of the output (µ, …, ×, λ, Σ, …) in ASCII, for terminals
	// whose locale is not UTF-8.
	ASCII bool
}

// Terminal is a writer of human output with its Style. The table writers of
// this package lay their tables out for it; any other writer gets
// DefaultWidth and Unicode borders.
type Terminal struct {
	W io.Writer
	Style
}

// Write writes p, transliterated to ASCII when the style says so. Callers
// write whole strings (lines, cells), so no character is split across calls.
func (t *Terminal) Write(p []byte) (int, error) {
	if !t.ASCII {
		return t.W.Write(p)
	}
	if _, err := io.WriteString(t.W, ToASCII(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// asciiText spells in ASCII the characters neurosim's human output is
// written with (its source strings, units and the presets' sources); the
// no-break space is kept, since the layout still needs it.
var asciiText = []string{
	"…", "...", "×", "x", "µ", "u", "μ", "u", "—", "-", "–", "-", "−", "-",
	"Σ", "sum ", "λ", "lambda", "γ", "gamma", "Δ", "delta", "·", "*", "τ", "tau", "ε", "eps",
	"≥", ">=", "≤", "<=", "Ω", "Ohm", "σ", "sigma", "⊙", "*", "⊗", "(x)", "ĝ", "g", "ᵀ", "^T",
	"→", "->", "←", "<-", "÷", "/", "≈", "~", "±", "+-", "‖", "||",
}

var (
	// asciiLayout transliterates text before it is laid out, so that widths
	// are measured on what will be printed.
	asciiLayout = strings.NewReplacer(asciiText...)
	// asciiReplacer transliterates what is written: the text, the no-break
	// spaces and the box-drawing characters of borders.
	asciiReplacer = strings.NewReplacer(append(slices.Clone(asciiText), "\u00a0", " ",
		"│", "|", "┌", "+", "┐", "+", "└", "+", "┘", "+", "├", "+", "┤", "+", "┬", "+", "┴", "+", "┼", "+", "─", "-",
	)...)
)

// superscripts are the superscript digits and minus, spelled after a caret:
// z² is z^2, 10⁻²⁰ is 10^-20.
const superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"

func superscriptASCII(r rune) byte {
	if r == '⁻' {
		return '-'
	}
	for i, d := range []rune("⁰¹²³⁴⁵⁶⁷⁸⁹") {
		if r == d {
			return byte('0' + i)
		}
	}
	return 0
}

// exponents spells each run of superscript characters as ^ and their ASCII.
func exponents(s string) string {
	if !strings.ContainsAny(s, superscripts) {
		return s
	}
	var b strings.Builder
	run := false
	for _, r := range s {
		c := superscriptASCII(r)
		switch {
		case c != 0 && !run:
			b.WriteByte('^')
			fallthrough
		case c != 0:
			b.WriteByte(c)
		default:
			b.WriteRune(r)
		}
		run = c != 0
	}
	return b.String()
}

// ToASCII replaces the non-ASCII characters of neurosim's human output by
// ASCII spellings; other non-ASCII characters (in file names, for instance)
// are kept.
func ToASCII(s string) string { return asciiReplacer.Replace(exponents(s)) }

// forStyle is s as st will print it, no-break spaces kept: in ASCII when the
// style says so, so that the layout measures the printed width.
func forStyle(st Style, s string) string {
	if !st.ASCII {
		return s
	}
	return asciiLayout.Replace(exponents(s))
}

func styleOf(w io.Writer) Style {
	if t, ok := w.(*Terminal); ok {
		return t.Style
	}
	return Style{Width: DefaultWidth}
}

// column describes one column of a grid.
type column struct {
	head string
	// number marks right-aligned columns of numbers: wrapped only at spaces,
	// never inside a word.
	number bool
	// optional columns may be hidden to fit the width, lowest first (0: the
	// column is always shown).
	optional int
}

// grid is a table to lay out: text columns wrap at spaces and, if they must,
// inside words; a no-break space (U+00A0) keeps a number with its unit.
type grid struct {
	cols []column
	rows [][]string
}

// nbsp joins a number and its unit, or a range's parts, so that wrapping
// does not separate them.
const nbsp = "\u00a0"

func width(s string) int { return twwidth.Width(s) }

// words splits s at spaces and tabs (not at no-break spaces).
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

// cellWidth is the widest line of s as written.
func cellWidth(s string) int {
	m := 0
	for _, l := range strings.Split(s, "\n") {
		m = max(m, width(l))
	}
	return m
}

// minWidth is the narrowest column c can be made: its longest word, or, for
// text when hard is set (breaking inside words), at most 8.
func (g *grid) minWidth(c int, natural int, hard bool) int {
	m := 0
	cells := append([]string{g.cols[c].head}, g.column(c)...)
	for _, s := range cells {
		for _, l := range strings.Split(s, "\n") {
			for _, w := range words(l) {
				m = max(m, width(w))
			}
		}
	}
	if hard && !g.cols[c].number {
		m = min(m, 8)
	}
	return min(m, natural)
}

func (g *grid) column(c int) []string {
	out := make([]string, len(g.rows))
	for i, r := range g.rows {
		if c < len(r) {
			out[i] = r[c]
		}
	}
	return out
}

// overhead is what borders and padding add to the cells of n columns.
func overhead(n int) int { return 3*n + 1 }

// layout gives every shown column a width so that the table fits in
// maxWidth (0: no limit). It wraps cells at spaces first; if that is not
// enough it hides optional columns, lowest first; if still too wide it
// breaks text inside words. It returns the widths of the columns, -1 for
// hidden ones.
func (g *grid) layout(maxWidth int) []int {
	hidden := map[int]bool{}
	for {
		widths, fits := g.shrink(maxWidth, hidden, false)
		if fits {
			return widths
		}
		next := -1
		for c, col := range g.cols {
			if col.optional > 0 && !hidden[c] && (next < 0 || col.optional < g.cols[next].optional) {
				next = c
			}
		}
		if next < 0 {
			widths, _ = g.shrink(maxWidth, hidden, true)
			return widths
		}
		hidden[next] = true
	}
}

// shrink narrows the widest shrinkable column, one column at a time, until
// the shown columns fit in maxWidth or none can shrink.
func (g *grid) shrink(maxWidth int, hidden map[int]bool, hard bool) ([]int, bool) {
	widths := make([]int, len(g.cols))
	mins := make([]int, len(g.cols))
	total := 0
	for c := range g.cols {
		if hidden[c] {
			widths[c] = -1
			continue
		}
		widths[c] = cellWidth(g.cols[c].head)
		for _, s := range g.column(c) {
			widths[c] = max(widths[c], cellWidth(s))
		}
		mins[c] = g.minWidth(c, widths[c], hard)
		total += widths[c]
	}
	total += overhead(len(g.cols) - len(hidden))
	if maxWidth <= 0 {
		return widths, true
	}
	for total > maxWidth {
		// The first column, which names the rows, shrinks last.
		best := -1
		for c := 1; c < len(g.cols); c++ {
			if widths[c] > mins[c] && (best < 0 || widths[c] > widths[best]) {
				best = c
			}
		}
		if best < 0 && widths[0] > mins[0] {
			best = 0
		}
		if best < 0 {
			break
		}
		widths[best]--
		total--
	}
	return widths, total <= maxWidth
}

// wrap breaks s into lines of at most w columns at spaces; a word longer than
// w is broken inside only when hard is set.
func wrap(s string, w int, hard bool) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var line string
		for _, word := range words(para) {
			for hard && width(word) > w {
				if line != "" {
					out = append(out, line)
					line = ""
				}
				head, tail := cut(word, w)
				out = append(out, head)
				word = tail
			}
			switch {
			case line == "":
				line = word
			case width(line)+1+width(word) <= w:
				line += " " + word
			default:
				out = append(out, line)
				line = word
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// cut splits s after at most w columns (at least one rune).
func cut(s string, w int) (string, string) {
	n := 0
	for i, r := range s {
		rw := width(string(r))
		if n+rw > w && i > 0 {
			return s[:i], s[i:]
		}
		n += rw
	}
	return s, ""
}

// render lays the grid out for w's style and writes it. It returns the
// headers of the columns it hid to fit.
func (g *grid) render(w io.Writer) (hidden []string, err error) {
	st := styleOf(w)
	if st.ASCII {
		g = g.transliterated(st)
	}
	widths := g.layout(st.Width)
	var (
		head  []string
		align []tw.Align
	)
	fix := func(s string, c int) string {
		s = escapeControls(s, false)
		if st.Width > 0 {
			s = wrap(s, widths[c], !g.cols[c].number)
		}
		return strings.ReplaceAll(s, nbsp, " ")
	}
	for c, col := range g.cols {
		if widths[c] < 0 {
			hidden = append(hidden, strings.ReplaceAll(col.head, nbsp, " "))
			continue
		}
		head = append(head, fix(col.head, c))
		if col.number {
			align = append(align, tw.AlignRight)
		} else {
			align = append(align, tw.AlignLeft)
		}
	}
	rows := make([][]string, len(g.rows))
	for i, r := range g.rows {
		for c := range g.cols {
			if widths[c] < 0 {
				continue
			}
			s := ""
			if c < len(r) {
				s = r[c]
			}
			rows[i] = append(rows[i], fix(s, c))
		}
	}
	rend := tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)}
	if st.ASCII {
		rend.Symbols = tw.NewSymbols(tw.StyleASCII)
	}
	if !rowsVisible(rows) {
		rend.Settings.Separators.BetweenRows = tw.On
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(rend)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
	t.Header(head)
	if err := t.Bulk(rows); err != nil {
		return nil, err
	}
	return hidden, t.Render()
}

// transliterated is a copy of g as st prints it (see forStyle).
func (g *grid) transliterated(st Style) *grid {
	t := &grid{cols: slices.Clone(g.cols), rows: make([][]string, len(g.rows))}
	for c := range t.cols {
		t.cols[c].head = forStyle(st, t.cols[c].head)
	}
	for i, r := range g.rows {
		t.rows[i] = make([]string, len(r))
		for c, cell := range r {
			t.rows[i][c] = forStyle(st, cell)
		}
	}
	return t
}

// rowsVisible reports whether a reader can tell where each row starts
// without lines between rows: no cell has several lines, or some column has
// one line of text in every row.
func rowsVisible(rows [][]string) bool {
	multi := false
	for _, r := range rows {
		for _, s := range r {
			multi = multi || strings.Contains(s, "\n")
		}
	}
	if !multi || len(rows) == 0 {
		return true
	}
	for c := range rows[0] {
		ok := true
		for _, r := range rows {
			ok = ok && c < len(r) && strings.TrimSpace(r[c]) != "" && !strings.Contains(r[c], "\n")
		}
		if ok {
			return true
		}
	}
	return false
}

// table renders rows under a header, headers kept as written (they carry
// units) and the columns listed in right right-aligned, fitted to w's style.
func table(w io.Writer, header []string, rows [][]string, right ...int) error {
	g := grid{rows: rows}
	for _, h := range header {
		g.cols = append(g.cols, column{head: h})
	}
	for _, c := range right {
		g.cols[c].number = true
	}
	_, err := g.render(w)
	return err
}

// text writes a paragraph wrapped to w's width.
func text(w io.Writer, s string) error {
	s = escapeControls(s, true)
	st := styleOf(w)
	s = forStyle(st, s)
	if st.Width > 0 {
		s = wrap(s, st.Width, true)
	}
	_, err := io.WriteString(w, strings.ReplaceAll(s, nbsp, " ")+"\n")
	return err
}
