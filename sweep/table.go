package sweep

import (
	"fmt"
	"math"
	"sort"
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
