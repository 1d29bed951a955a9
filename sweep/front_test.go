package sweep

import (
	"math"
	"slices"
	"testing"
)

// A constructed front, decided by hand.
func TestFront(t *testing.T) {
	nan := math.NaN()
	cs := []Candidate{
		{1, 0.5},   // 0 front: cheapest with accuracy 0.5
		{2, 0.5},   // 1 dominated by 0 (dearer, no more accurate)
		{2, 0.7},   // 2 front
		{3, 0.6},   // 3 dominated by 2
		{3, 0.9},   // 4 front
		{1, 0.4},   // 5 dominated by 0 (same energy, less accurate)
		{2, 0.7},   // 6 front: equal to 2, neither dominates
		{4, 0.9},   // 7 dominated by 4 (same accuracy, dearer)
		{0.5, 0.1}, // 8 front: cheapest of all
	}
	want := []bool{true, false, true, false, true, false, true, false, true}
	got := Front(cs)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("candidate %d %v: front %v, want %v", i, cs[i], got[i], want[i])
		}
	}
	// Without labels only energy counts: the cheapest are the front.
	got = Front([]Candidate{{2, nan}, {1, nan}, {1, nan}, {3, nan}})
	if want := []bool{false, true, true, false}; !slices.Equal(got, want) {
		t.Errorf("unlabelled: %v, want %v", got, want)
	}
}

// A point is judged by its worst seed: high energy end, low accuracy end;
// all its seeds' rows get its flags, per model and across models.
func TestParetoWorstCaseOverSeeds(t *testing.T) {
	row := func(point, model int, e [2]float64, acc [2]float64) TableRow {
		a := acc
		return TableRow{PlanRow: PlanRow{Point: point, Model: model}, R: &Result{PerInference: e, Accuracy: &a}}
	}
	tab := &Table{Rows: []TableRow{
		// model 0: point 0 seeds are (1 J, 0.8) and (1 J, 0.3): worst 0.3;
		// point 1 is (2 J, 0.5): the front is point 0 (cheapest) and point 1.
		row(0, 0, [2]float64{1, 1}, [2]float64{0.8, 0.8}),
		row(0, 0, [2]float64{1, 1}, [2]float64{0.3, 0.3}),
		row(1, 0, [2]float64{2, 2}, [2]float64{0.5, 0.6}),
		// Across models point 1 stays on the front: nothing is as cheap and
		// as accurate. Point 2: low end cheap but high end 5 J: dominated
		// by point 1.
		row(2, 0, [2]float64{0.5, 5}, [2]float64{0.5, 0.5}),
		// model 1: one point at (3 J, 0.9): its own front, and on the
		// front across models (most accurate).
		row(0, 1, [2]float64{3, 3}, [2]float64{0.9, 0.9}),
		// model 1 point 1: (1.5 J, 0.4): front of model 1; across models,
		// point 0 of model 0 (1 J, 0.3) is cheaper but less accurate, so it
		// stays on the front there too.
		row(1, 1, [2]float64{1.5, 1.5}, [2]float64{0.4, 0.4}),
	}}
	tab.pareto()
	want := [][2]bool{{true, true}, {true, true}, {true, true}, {false, false}, {true, true}, {true, true}}
	for i, w := range want {
		if got := [2]bool{tab.Rows[i].Pareto, tab.Rows[i].ParetoAll}; got != w {
			t.Errorf("row %d: pareto, pareto_all = %v, want %v", i, got, w)
		}
	}
}
