package energy

import (
	"reflect"
	"testing"

	"gonum.org/v1/gonum/unit"
)

// The one write rule: a volatile element writes nonzero Hebbian increments
// (or the new value where λ ∉ [0, 1]); a non-volatile one every value.
func TestWrite(t *testing.T) {
	c := ArrayCounts{CellWrites: make([]int64, 3)}
	c.Write(0, 0.5, 2, true)      // increment 0.5: written by both
	c.Write(1, 0, -3, true)       // no increment: only rewritten
	c.Write(2, 0.1, -0.25, false) // λ outside [0, 1]: the new value, by both
	c.Write(0, 0.5, 2, true)      // cell 0 again
	if got := c.CellWrites; got[0] != 2 || got[1] != 0 || got[2] != 1 {
		t.Errorf("per-cell writes %v, want [2 0 1]: cell 1 had no increment", got)
	}
	c.Writes, c.WriteUnits, c.Rewrites, c.RewriteUnits = c.Writes-1, c.WriteUnits-0.5, c.Rewrites-1, c.RewriteUnits-2
	if c.Writes != 2 || c.WriteUnits != 0.5+0.25 {
		t.Errorf("volatile: %d writes, %v units; want 2, 0.75", c.Writes, c.WriteUnits)
	}
	if c.Rewrites != 3 || c.RewriteUnits != 2+3+0.25 {
		t.Errorf("rewrite: %d writes, %v units; want 3, 5.25", c.Rewrites, c.RewriteUnits)
	}
}

func TestCountsAdd(t *testing.T) {
	a := Counts{Arrays: []ArrayCounts{{Reads: 1, Rows: 2, Z2: 0.5, Peak: 3}}, Neurons: 4, Steps: 1, Seconds: 1e-3}
	b := Counts{Arrays: []ArrayCounts{{Reads: 2, Rows: 1, Z2: 0.25, Peak: 1, Writes: 5}}, Neurons: 1, Steps: 1, Periods: 1}
	s := Sum([]Counts{a, b})
	want := Counts{Arrays: []ArrayCounts{{Reads: 3, Rows: 3, Z2: 0.75, Peak: 3, Writes: 5}}, Neurons: 5, Steps: 2, Seconds: 1e-3, Periods: 1}
	if !reflect.DeepEqual(s.Arrays[0], want.Arrays[0]) || s.Neurons != want.Neurons || s.Steps != 2 || s.Seconds != 1e-3 || s.Periods != 1 {
		t.Errorf("Sum = %+v, want %+v", s, want)
	}
	c := a.Clone()
	c.Arrays[0].Reads = 99
	if a.Arrays[0].Reads != 1 {
		t.Error("Clone shares arrays")
	}
	c.Reset()
	if !reflect.DeepEqual(c.Arrays[0], ArrayCounts{}) || c.Neurons != 0 || len(c.Arrays) != 1 {
		t.Errorf("Reset = %+v", c)
	}
	if m := (Meter{Abs: true}).Or(Meter{Writes: true}); m != (Meter{Abs: true, Writes: true}) {
		t.Errorf("Or = %+v", m)
	}
}

func TestBill(t *testing.T) {
	j := func(lo, hi float64) Joules { return Joules{Lo: unit.Energy(lo), Hi: unit.Energy(hi)} }
	b := Bill{{SynapseRead: j(1, 2)}, {Neuron: j(3, 3)}, {Static: j(0, 1)}}
	tot := b.Total()
	if tot[SynapseRead] != j(1, 2) || tot[Neuron] != j(3, 3) || tot.Total() != j(4, 6) {
		t.Errorf("Total = %v", tot)
	}
	o := Bill{{SynapseRead: j(0.5, 1)}, {Neuron: j(4, 4)}, {}}
	b.Hull(o)
	if b[0][SynapseRead] != j(0.5, 2) || b[1][Neuron] != j(3, 4) {
		t.Errorf("Hull = %v", b)
	}
	if got := Locations([]string{"rnn"}); len(got) != 3 || got[1] != "neurons" || got[2] != "chip" {
		t.Errorf("Locations = %v", got)
	}
	if Static.String() != "static" || Category(9).String() != "Category(9)" || len(Categories()) != int(NumCategories) {
		t.Error("category names")
	}
	if !Point(2).IsPoint() {
		t.Error("Point")
	}
}

// NewCountsList's counts are zeroed and independent though cut from one
// allocation: a change, or an append, to one leaves its neighbours alone.
func TestNewCountsList(t *testing.T) {
	cs := NewCountsList(3, 2)
	for i := range cs {
		if !reflect.DeepEqual(cs[i].Arrays, make([]ArrayCounts, 2)) {
			t.Fatalf("counts %d: %+v", i, cs[i])
		}
	}
	cs[1].Arrays[1].Reads = 7
	cs[0].Arrays = append(cs[0].Arrays, ArrayCounts{Reads: 9})
	if cs[0].Arrays[1].Reads != 0 || cs[2].Arrays[0].Reads != 0 || cs[1].Arrays[0].Reads != 0 {
		t.Errorf("a change to one list reached another: %+v", cs)
	}
}
