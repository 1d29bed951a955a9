package design

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Error is an invalid design: the file, the line when known, the dotted key
// and what is wrong. Its message is one line:
//
//	design d.yaml:4: synapse.g_min: "5V" is a voltage, want a conductance (S) or a resistance (Ω)
type Error struct {
	File string // the design file, "preset" for built-ins
	Line int    // 1-based line in the file; 0 when unknown
	Key  string // dotted key, "" for the whole file
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("design")
	if e.File != "" {
		b.WriteString(" " + oneLine(e.File))
	}
	switch {
	case e.Line > 0 && e.File == "":
		fmt.Fprintf(&b, " line %d", e.Line)
	case e.Line > 0:
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(oneLine(e.Key) + ": ")
	}
	b.WriteString(oneLine(e.Msg))
	return b.String()
}

// oneLine escapes control characters, which a file name, a YAML key or a
// library's message may hold, so that an error stays on one line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) }) {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}
