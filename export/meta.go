package export

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Provenance says which program and command produced an output. The command
// line fills it in; the rest of a Meta comes from the report itself.
type Provenance struct {
	Version string // neurosim's version, as `neurosim version` prints it
	Command string // the command line, shell-quoted
	// InputsNote says in words where the inputs came from (the ART
	// generator, a file, the embedded set); tables print it.
	InputsNote string
}

// Meta is the header of every JSON output (its "meta" object) and of every
// CSV output (one leading "# key: value" line per key, in this order). Keys
// are a stable interface (README).
type Meta struct {
	Version    string `json:"neurosim_version"`
	Command    string `json:"command"`
	Design     string `json:"design"`
	DesignHash string `json:"design_hash"` // sha256 (hex) of the design's canonical YAML
	Checkpoint string `json:"checkpoint"`  // file (energy) or pattern of the set's checkpoints
	Set        string `json:"set,omitempty"`
	Inputs     string `json:"inputs"`
	Labels     string `json:"labels,omitempty"`
}

// YAMLWriter is a hardware design as far as outputs need it: its canonical
// YAML (circuit.Design.WriteYAML).
type YAMLWriter interface{ WriteYAML(io.Writer) error }

// DesignHash returns the SHA-256 (hex) of d's canonical YAML, the bytes
// `neurosim designs show` prints for it: outputs made with the same design
// figures carry the same hash, whether the design came from a preset or a file.
func DesignHash(d YAMLWriter) (string, error) {
	h := sha256.New()
	if err := d.WriteYAML(h); err != nil {
		return "", fmt.Errorf("design hash: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func newMeta(p Provenance, name string, d YAMLWriter) (Meta, error) {
	hash, err := DesignHash(d)
	return Meta{Version: p.Version, Command: p.Command, Design: name, DesignHash: hash}, err
}

// pairs lists the keys of m in their documented order, omitting empty
// optional ones.
func (m Meta) pairs() [][2]string {
	p := [][2]string{
		{"neurosim_version", m.Version}, {"command", m.Command},
		{"design", m.Design}, {"design_hash", m.DesignHash}, {"checkpoint", m.Checkpoint},
	}
	if m.Set != "" {
		p = append(p, [2]string{"set", m.Set})
	}
	p = append(p, [2]string{"inputs", m.Inputs})
	if m.Labels != "" {
		p = append(p, [2]string{"labels", m.Labels})
	}
	return p
}

// comment makes a value safe on one "# key: value" line: values with control
// characters are written as Go/JSON-style quoted strings.
func comment(v string) string {
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return strconv.Quote(v)
	}
	return v
}

// csvOut writes a CSV output: the Meta as "# key: value" lines, then rows.
// Numbers go through num, which refuses NaN and infinities, so a CSV with a
// non-finite number is an error (and, written through Outputs, no file).
type csvOut struct {
	w      io.Writer
	cw     *csv.Writer
	output string // what is being written, for errors
	err    error
}

func newCSV(w io.Writer, output string, m Meta) *csvOut { return newCSVLines(w, output, m.pairs()) }

// newCSVLines starts a CSV output with other "# key: value" lines than a
// Meta's (a sweep's table).
func newCSVLines(w io.Writer, output string, meta [][2]string) *csvOut {
	c := &csvOut{w: w, output: output}
	var b strings.Builder
	for _, kv := range meta {
		fmt.Fprintf(&b, "# %s: %s\n", kv[0], comment(kv[1]))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		c.err = err
	}
	c.cw = csv.NewWriter(w)
	return c
}

// num formats v for column col with the shortest text that reads back to the
// same float64; NaN and infinities are errors.
func (c *csvOut) num(col string, v float64) string {
	if !isFinite(v) && c.err == nil {
		c.err = &NonFiniteError{Output: c.output, Path: col, Value: v}
	}
	return full(v)
}

func (c *csvOut) row(fields []string) {
	if c.err == nil {
		c.err = c.cw.Write(fields)
	}
}

func (c *csvOut) close() error {
	if c.err != nil {
		return c.err
	}
	c.cw.Flush()
	return c.cw.Error()
}

// lowHigh appends name_low and name_high.
func lowHigh(head []string, name string) []string { return append(head, name+"_low", name+"_high") }
