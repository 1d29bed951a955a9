package sweep

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/energy"
)

// Table is a merged sweep: one row per (point, model, seed) in plan order,
// each with its result and its Pareto flags.
type Table struct {
	Plan *Plan
	Rows []TableRow
}

// TableRow is one row of the table.
type TableRow struct {
	PlanRow
	R *Result
	// Pareto says the row's point is on its model's front of energy per
	// inference against accuracy; ParetoAll, on the front of every model's
	// points together. Both judge a point by its worst case over device
	// corners and Monte-Carlo seeds: the high end of its energy and the low
	// end of its accuracy (see Front).
	Pareto, ParetoAll bool
}

// IncompleteError says that a results folder does not hold every row yet.
type IncompleteError struct {
	Dir            string
	Missing, Total int
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("sweep results %s: %d of %d rows are not computed yet; run the shards that are missing "+
		"(or `neurosim sweep SPEC --out %s` to finish), then merge", e.Dir, e.Missing, e.Total, e.Dir)
}

// Merge reads a results folder and builds the table. It fails with an
// *IncompleteError while rows are missing. The table depends only on the
// plan and the results, never on how they were computed, so it is the same
// whatever the sharding, the number of workers or the interruptions.
func Merge(dir string) (*Table, error) {
	p, err := ReadPlan(dir)
	if err != nil {
		return nil, err
	}
	index, err := loadResults(dir)
	if err != nil {
		return nil, err
	}
	t := &Table{Plan: p}
	missing := 0
	for _, r := range p.Rows {
		res, ok := index[r.Key]
		if !ok {
			missing++
			continue
		}
		t.Rows = append(t.Rows, TableRow{PlanRow: r, R: res})
	}
	if missing > 0 {
		return nil, &IncompleteError{Dir: dir, Missing: missing, Total: len(p.Rows)}
	}
	t.pareto()
	return t, nil
}

// Candidate is a design point for the Pareto front: its energy (lower is
// better) and its accuracy (higher is better; NaN when there are no
// labels, and then only energy counts).
type Candidate struct{ Energy, Accuracy float64 }

// Front flags the candidates that no other candidate dominates: none has
// energy ≤ and accuracy ≥ with one of them strict. Equal candidates are on
// the front together.
func Front(cs []Candidate) []bool {
	acc := func(c Candidate) float64 {
		if math.IsNaN(c.Accuracy) {
			return 0
		}
		return c.Accuracy
	}
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return cs[order[a]].Energy < cs[order[b]].Energy })
	on := make([]bool, len(cs))
	best := math.Inf(-1) // highest accuracy at strictly lower energy
	for i := 0; i < len(order); {
		j := i
		top := math.Inf(-1)
		for j < len(order) && cs[order[j]].Energy == cs[order[i]].Energy {
			top = math.Max(top, acc(cs[order[j]]))
			j++
		}
		for k := i; k < j; k++ {
			a := acc(cs[order[k]])
			on[order[k]] = a == top && a > best
		}
		best = math.Max(best, top)
		i = j
	}
	return on
}

// pareto sets the flags: one candidate per (point, model), its worst case
// over seeds; every seed's row of a point gets the point's flags.
func (t *Table) pareto() {
	type pm struct{ point, model int }
	worst := map[pm]Candidate{}
	var order []pm
	for _, r := range t.Rows {
		k := pm{r.Point, r.Model}
		c, ok := worst[k]
		e, a := r.R.PerInference[1], r.R.AccuracyLow()
		if !ok {
			order = append(order, k)
			c = Candidate{Energy: e, Accuracy: a}
		} else {
			c.Energy = math.Max(c.Energy, e)
			c.Accuracy = math.Min(c.Accuracy, a)
		}
		worst[k] = c
	}
	all := make([]Candidate, len(order))
	perModel := map[int][]int{}
	for i, k := range order {
		all[i] = worst[k]
		perModel[k.model] = append(perModel[k.model], i)
	}
	onAll := Front(all)
	onModel := make([]bool, len(order))
	for _, idx := range perModel {
		cs := make([]Candidate, len(idx))
		for j, i := range idx {
			cs[j] = all[i]
		}
		for j, on := range Front(cs) {
			onModel[idx[j]] = on
		}
	}
	flag := map[pm][2]bool{}
	for i, k := range order {
		flag[k] = [2]bool{onModel[i], onAll[i]}
	}
	for i := range t.Rows {
		f := flag[pm{t.Rows[i].Point, t.Rows[i].Model}]
		t.Rows[i].Pareto, t.Rows[i].ParetoAll = f[0], f[1]
	}
}

// AxisValue returns row r's value on axis a for the table: the SI number
// for a numeric axis (nil for "auto"), else the text.
func (t *Table) AxisValue(r *TableRow, a int) (num *float64, text string) {
	return t.Plan.PointsSI[r.Point][a], t.Plan.Points[r.Point][a]
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Columns lists the CSV columns in order. They depend only on the axes.
func (t *Table) Columns() []string {
	cols := []string{"point", "model", "unit", "seed"}
	for _, a := range t.Plan.Axes {
		cols = append(cols, a.Column)
	}
	cols = append(cols, "design_hash")
	for _, c := range energy.Categories() {
		cols = append(cols, c.String()+"_J_low", c.String()+"_J_high")
	}
	cols = append(cols, "total_J_low", "total_J_high", "J_per_inference_low", "J_per_inference_high",
		"paper_energy_per_inference_low", "paper_energy_per_inference_high",
		"accuracy_low", "accuracy_high", "decay_outside_unit_interval", "decay_synapses",
		"sequences", "corners", "pareto", "pareto_all", "neurosim_version")
	return cols
}

// Meta is the header of the CSV table ("# key: value" lines): what the
// sweep is. It holds nothing about how the table was computed, so that it
// is byte-identical however the rows were run.
func (t *Table) Meta(version string) [][2]string {
	p := t.Plan
	return [][2]string{
		{"neurosim_version", version}, {"sweep", p.Name}, {"spec", p.Spec}, {"design", p.Design},
		{"design_hash", p.DesignHash}, {"inputs", p.Inputs}, {"mode", p.Mode}, {"seeds", strconv.Itoa(p.Seeds)},
		{"energy", "J, [low, high] over the design's ranges; J_per_inference = total_J / sequences"},
		{"accuracy", "fraction of sequences correct, [low, high] over device corners"},
		{"pareto", "on the model's front of J_per_inference_high against accuracy_low (worst case over corners and seeds); pareto_all: over all models"},
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// WriteCSV writes the table: the Meta lines, a header, one line per row.
// Numbers are the shortest text that reads back to the same float64; an
// absent accuracy is empty.
func (t *Table) WriteCSV(w io.Writer, version string) error {
	bw := bufio.NewWriter(w)
	for _, kv := range t.Meta(version) {
		fmt.Fprintf(bw, "# %s: %s\n", kv[0], oneLine(kv[1]))
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(t.Columns()); err != nil {
		return err
	}
	for i := range t.Rows {
		r := &t.Rows[i]
		rec := []string{strconv.Itoa(r.Point), r.R.Model, r.R.Unit, strconv.FormatUint(r.Seed, 10)}
		for a := range t.Plan.Axes {
			if num, text := t.AxisValue(r, a); num != nil {
				rec = append(rec, formatFloat(*num))
			} else {
				rec = append(rec, text)
			}
		}
		rec = append(rec, r.R.DesignHash)
		for _, b := range r.R.Breakdown {
			rec = append(rec, formatFloat(b[0]), formatFloat(b[1]))
		}
		acc := [2]string{}
		if r.R.Accuracy != nil {
			acc = [2]string{formatFloat(r.R.Accuracy[0]), formatFloat(r.R.Accuracy[1])}
		}
		rec = append(rec, formatFloat(r.R.Total[0]), formatFloat(r.R.Total[1]),
			formatFloat(r.R.PerInference[0]), formatFloat(r.R.PerInference[1]),
			formatFloat(r.R.PaperPerInference[0]), formatFloat(r.R.PaperPerInference[1]),
			acc[0], acc[1], strconv.Itoa(r.R.Outside), strconv.Itoa(r.R.Plastic),
			strconv.Itoa(r.R.Sequences), strconv.Itoa(r.R.Corners),
			strconv.FormatBool(r.Pareto), strconv.FormatBool(r.ParetoAll), r.R.Version)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteJSONL writes one JSON object per row, keys in the CSV's order;
// every energy and the accuracy are {"low": …, "high": …}.
func (t *Table) WriteJSONL(w io.Writer) error {
	bw := bufio.NewWriter(w)
	str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	rng := func(p [2]float64) string {
		return `{"low":` + formatFloat(p[0]) + `,"high":` + formatFloat(p[1]) + `}`
	}
	for i := range t.Rows {
		r := &t.Rows[i]
		var b strings.Builder
		fmt.Fprintf(&b, `{"point":%d,"model":%s,"unit":%s,"seed":%d`, r.Point, str(r.R.Model), str(r.R.Unit), r.Seed)
		for a, ax := range t.Plan.Axes {
			num, text := t.AxisValue(r, a)
			v := str(text)
			if num != nil {
				v = formatFloat(*num)
			}
			fmt.Fprintf(&b, `,%s:%s`, str(ax.Column), v)
		}
		fmt.Fprintf(&b, `,"design_hash":%s`, str(r.R.DesignHash))
		for c, cat := range energy.Categories() {
			fmt.Fprintf(&b, `,%s:%s`, str(cat.String()+"_J"), rng(r.R.Breakdown[c]))
		}
		acc := "null"
		if r.R.Accuracy != nil {
			acc = rng(*r.R.Accuracy)
		}
		fmt.Fprintf(&b, `,"total_J":%s,"J_per_inference":%s,"paper_energy_per_inference":%s,"accuracy":%s`,
			rng(r.R.Total), rng(r.R.PerInference), rng(r.R.PaperPerInference), acc)
		fmt.Fprintf(&b, `,"decay_outside_unit_interval":%d,"decay_synapses":%d,"sequences":%d,"corners":%d,"pareto":%t,"pareto_all":%t,"neurosim_version":%s}`,
			r.R.Outside, r.R.Plastic, r.R.Sequences, r.R.Corners, r.Pareto, r.ParetoAll, str(r.R.Version))
		b.WriteByte('\n')
		if _, err := bw.WriteString(b.String()); err != nil {
			return err
		}
	}
	return bw.Flush()
}
