package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Format is an output format for reports.
type Format uint8

const (
	Table Format = iota
	JSON
	CSV
)

func (f Format) String() string { return [...]string{"table", "json", "csv"}[f] }

// ParseFormat parses "table", "json" or "csv".
func ParseFormat(s string) (Format, error) {
	for f := Table; f <= CSV; f++ {
		if f.String() == s {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown format %q (supported: table, json, csv)", s)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// num formats a number for a human table: 7 significant digits.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 7, 64) }

// full formats a number for CSV: the shortest text that reads back to the same float64.
func full(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// table renders rows with a header, headers kept as written (they carry units)
// and numeric columns right-aligned.
func table(w io.Writer, header []string, rows [][]string, right ...int) error {
	align := make([]tw.Align, len(header))
	for i := range align {
		align[i] = tw.AlignLeft
	}
	for _, c := range right {
		align[c] = tw.AlignRight
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}
