package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// Format is an output format for reports.
type Format uint8

const (
	Table Format = iota // human table, units in every header
	JSON                // one JSON document (keys in README)
	CSV                 // comma-separated rows after # metadata lines (columns in README)
)

var formatNames = [...]string{"table", "json", "csv"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Formats lists every format, for help texts and shell completion.
func Formats() []Format { return []Format{Table, JSON, CSV} }

// ParseFormat parses "table", "json" or "csv".
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if f.String() == s {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown format %q (supported: table, json, csv)", s)
}

// writeJSON encodes v in memory — so that a value JSON cannot encode fails
// before anything is written — and then writes it indented.
func writeJSON(w io.Writer, v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// encodeJSON encodes v indented, as writeJSON writes it.
func encodeJSON(v any) ([]byte, error) {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// num formats a number for a human table: 7 significant digits.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 7, 64) }

// full formats a number for CSV: the shortest text that reads back to the same float64.
func full(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
