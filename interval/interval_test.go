package interval

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/unit"
)

func TestRange(t *testing.T) {
	j := Range[unit.Energy]{1, 3}
	if got := j.Plus(Point[unit.Energy](2)); got != (Range[unit.Energy]{3, 5}) {
		t.Errorf("Plus = %v", got)
	}
	if got := j.Times(2); got != (Range[unit.Energy]{2, 6}) {
		t.Errorf("Times = %v", got)
	}
	if got := j.Hull(Range[unit.Energy]{0, 2}); got != (Range[unit.Energy]{0, 3}) {
		t.Errorf("Hull = %v", got)
	}
	if got := j.With(7); got != (Range[unit.Energy]{1, 7}) {
		t.Errorf("With = %v", got)
	}
	if j.IsPoint() || !Point(2.0).IsPoint() {
		t.Error("IsPoint wrong")
	}
	// 0.5 V … 1 V squared times 10 ns … 20 ns: [2.5e-9, 2e-8] J per unit conductance.
	v, tr := Range[float64]{0.5, 1}, Range[float64]{10e-9, 20e-9}
	if got := Product[unit.Energy](v, v, tr); got != (Range[unit.Energy]{0.25 * 10e-9, 20e-9}) {
		t.Errorf("Product = %v", got)
	}
	if got := Scale(j, Range[float64]{2, 3}); got != (Range[unit.Energy]{2, 9}) {
		t.Errorf("Scale = %v", got)
	}
	if !j.Finite() || (Range[float64]{0, math.Inf(1)}).Finite() || (Range[float64]{math.NaN(), 0}).Finite() {
		t.Error("Finite wrong")
	}
}
