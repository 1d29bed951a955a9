package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/sweep"
)

// MaxSweepTableRows bounds the rows of the human sweep table; a larger
// sweep shows its Pareto rows (the CSV and JSON Lines have every row).
const MaxSweepTableRows = 200

// WriteSweep writes a merged sweep: a human table (one row per point, model
// and seed, or only the Pareto rows of a large sweep), its CSV (sweep.csv),
// or its JSON Lines (sweep.jsonl). The CSV and JSON Lines depend only on the
// table and the version given, never on how the rows were computed, so that
// they are byte-identical however the sweep ran.
func WriteSweep(w io.Writer, t *sweep.Table, f Format, version string) error {
	switch f {
	case CSV:
		return sweepCSV(w, t, version)
	case JSON:
		return sweepJSONL(w, t)
	}
	return sweepTable(w, t)
}

// SweepCSVHeader is the header of a sweep's CSV: the same for every sweep
// with the same axes. Axis columns hold SI numbers (a word for a choice).
func SweepCSVHeader(p *sweep.Plan) []string {
	head := []string{"point", "model", "unit", "seed"}
	for _, a := range p.Axes {
		head = append(head, a.Column)
	}
	head = append(head, "design_hash")
	for _, c := range energy.Categories() {
		head = lowHigh(head, c.String()+"_J")
	}
	for _, k := range []string{"total_J", "mean_per_sequence_J", "paper_energy_mean_per_sequence", "accuracy"} {
		head = lowHigh(head, k)
	}
	return append(head, "decay_outside_unit_interval", "decay_synapses", "sequences", "corners",
		"pareto", "pareto_all", "neurosim_version")
}

// sweepMeta is the "# key: value" header of a sweep's CSV: what the sweep
// is, nothing of how it was computed (no command line: shards and merges
// differ in theirs, and the table must not).
func sweepMeta(t *sweep.Table, version string) [][2]string {
	p := t.Plan
	return [][2]string{
		{"neurosim_version", version}, {"sweep", p.Name}, {"spec", p.Spec}, {"design", p.Design},
		{"design_hash", p.DesignHash}, {"inputs", p.Inputs}, {"mode", p.Mode}, {"seeds", strconv.Itoa(p.Seeds)},
		{"energy", "J, [low, high] over the design's ranges; mean_per_sequence_J = total_J / sequences (J per inference)"},
		{"accuracy", "fraction of sequences correct, [low, high] over device corners; empty without labels"},
		{"pareto", "on the model's front of mean_per_sequence_J_high against accuracy_low " +
			"(worst case over corners and seeds); pareto_all: over all models"},
	}
}

// sweepValues lists a row's ranged quantities in the order of the header
// (after design_hash), with their names; accuracy is last, absent without
// labels.
func sweepValues(r *sweep.TableRow) ([]string, []Value) {
	var names []string
	var vs []Value
	for c, cat := range energy.Categories() {
		names, vs = append(names, cat.String()+"_J"), append(vs, pair(r.R.Breakdown[c]))
	}
	names = append(names, "total_J", "mean_per_sequence_J", "paper_energy_mean_per_sequence")
	vs = append(vs, pair(r.R.Total), pair(r.R.PerInference), pair(r.R.PaperPerInference))
	if r.R.Accuracy != nil {
		names, vs = append(names, "accuracy"), append(vs, pair(*r.R.Accuracy))
	}
	return names, vs
}

// axisText is row r's value on axis a as data: the SI number of a numeric
// axis, else the text.
func axisText(t *sweep.Table, r *sweep.TableRow, a int) (string, bool) {
	num, text := t.AxisValue(r, a)
	if num != nil {
		return full(*num), true
	}
	return text, false
}

func sweepCSV(w io.Writer, t *sweep.Table, version string) error {
	bw := bufio.NewWriter(w)
	c := newCSVLines(bw, "sweep.csv", sweepMeta(t, version))
	c.row(SweepCSVHeader(t.Plan))
	for i := range t.Rows {
		r := &t.Rows[i]
		rec := []string{strconv.Itoa(r.Point), r.R.Model, r.R.Unit, strconv.FormatUint(r.Seed, 10)}
		for a := range t.Plan.Axes {
			v, _ := axisText(t, r, a)
			rec = append(rec, v)
		}
		rec = append(rec, r.R.DesignHash)
		names, vs := sweepValues(r)
		for k, v := range vs {
			col := fmt.Sprintf("row %d %s", i, names[k])
			rec = append(rec, c.num(col+"_low", v.Lo), c.num(col+"_high", v.Hi))
		}
		if r.R.Accuracy == nil {
			rec = append(rec, "", "") // no labels
		}
		rec = append(rec, strconv.Itoa(r.R.Outside), strconv.Itoa(r.R.Plastic),
			strconv.Itoa(r.R.Sequences), strconv.Itoa(r.R.Corners),
			strconv.FormatBool(r.Pareto), strconv.FormatBool(r.ParetoAll), r.R.Version)
		c.row(rec)
	}
	if err := c.close(); err != nil {
		return err
	}
	return bw.Flush()
}

// sweepJSONL writes one JSON object per row, keys in the CSV's order; every
// ranged quantity is a Value, {"low": …, "high": …}. Without labels there
// is no accuracy key, as in the other JSON outputs.
func sweepJSONL(w io.Writer, t *sweep.Table) error {
	bw := bufio.NewWriter(w)
	str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	for i := range t.Rows {
		r := &t.Rows[i]
		var b strings.Builder
		fmt.Fprintf(&b, `{"point":%d,"model":%s,"unit":%s,"seed":%d`, r.Point, str(r.R.Model), str(r.R.Unit), r.Seed)
		for a, ax := range t.Plan.Axes {
			v, num := axisText(t, r, a)
			if !num {
				v = str(v)
			}
			fmt.Fprintf(&b, `,%s:%s`, str(ax.Column), v)
		}
		fmt.Fprintf(&b, `,"design_hash":%s`, str(r.R.DesignHash))
		names, vs := sweepValues(r)
		for k, v := range vs {
			if !isFinite(v.Lo) || !isFinite(v.Hi) {
				return &NonFiniteError{Output: "sweep.jsonl", Path: fmt.Sprintf("row %d %s", i, names[k]), Value: v.Lo + v.Hi}
			}
			j, err := v.MarshalJSON()
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, `,%s:%s`, str(names[k]), j)
		}
		fmt.Fprintf(&b, `,"decay_outside_unit_interval":%d,"decay_synapses":%d,"sequences":%d,"corners":%d,"pareto":%t,"pareto_all":%t,"neurosim_version":%s}`,
			r.R.Outside, r.R.Plastic, r.R.Sequences, r.R.Corners, r.Pareto, r.ParetoAll, str(r.R.Version))
		b.WriteByte('\n')
		if _, err := bw.WriteString(b.String()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// sweepTable is the human table of a sweep.
func sweepTable(w io.Writer, t *sweep.Table) error {
	p := t.Plan
	rows := t.Rows
	note := ""
	if len(rows) > MaxSweepTableRows {
		rows = nil
		for _, r := range t.Rows {
			if r.Pareto {
				rows = append(rows, r)
			}
		}
		note = fmt.Sprintf("%d of %d rows: those on their model's Pareto front (all rows: --format csv or json).", len(rows), len(t.Rows))
	}
	intro := fmt.Sprintf("sweep %s: %d points × %d models × %d seeds on %s, base design %s (%s).\n",
		p.Name, len(p.Points), len(p.Models), p.Seeds, p.Inputs, p.Design, p.Mode) +
		"J/inference = joules per sequence; accuracy over device corners; front: * on the model's Pareto front of " +
		"energy against accuracy (worst case), ** on the front of all models."
	if note != "" {
		intro += "\n" + note
	}
	if err := text(w, intro); err != nil {
		return err
	}
	g := grid{cols: append(sweepColumns(p), column{head: "front"})}
	for i := range rows {
		r := &rows[i]
		front := ""
		switch {
		case r.ParetoAll:
			front = "**"
		case r.Pareto:
			front = "*"
		}
		g.rows = append(g.rows, append(sweepCells(t, r), front))
	}
	return renderGrid(w, &g)
}

// sweepColumns are the columns of a sweep's rows as people read them (the
// human table, the report page): the model, the seed when there are
// several, the axes with their units, J/inference, accuracy (%) and the
// paper's energy per sequence.
func sweepColumns(p *sweep.Plan) []column {
	cols := []column{{head: "model"}}
	if p.Seeds > 1 {
		cols = append(cols, column{head: "seed", number: true})
	}
	for _, a := range p.Axes {
		h := a.Key
		if a.Unit != "" {
			h += " (" + a.Unit + ")"
		}
		cols = append(cols, column{head: h, number: a.Numeric})
	}
	return append(cols, column{head: "J/inference", number: true}, column{head: "accuracy (%)", number: true},
		column{head: "E/sequence (paper)", number: true, optional: 1})
}

// sweepCells is row r in sweepColumns.
func sweepCells(t *sweep.Table, r *sweep.TableRow) []string {
	rec := []string{r.R.Model}
	if t.Plan.Seeds > 1 {
		rec = append(rec, strconv.FormatUint(r.Seed, 10))
	}
	for a := range t.Plan.Axes {
		_, text := t.AxisValue(r, a)
		rec = append(rec, text)
	}
	acc := "—"
	if r.R.Accuracy != nil {
		acc = fixedRange(pair(*r.R.Accuracy), 100, 2)
	}
	return append(rec, siRange(r.R.PerInference[0], r.R.PerInference[1], "J"), acc, numRange(pair(r.R.PaperPerInference), 1))
}

func pair(p [2]float64) Value { return Value{p[0], p[1]} }
