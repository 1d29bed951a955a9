// Package energy holds the quantities neurosim charges: the paper's
// dimensionless energy, the event counts a run produces, and joules.
//
// Three kinds of quantity are kept apart by type:
//
//   - Paper is the dimensionless energy of Rodriguez, Guo & Moraitis, "Short-Term
//     Plasticity Neurons Learning to Learn and Forget" (ICML 2022): every synapse
//     is a conductance |efficacy| driven by a voltage equal to its presynaptic
//     value, so one step of one synapse costs z_f² · |efficacy_hf|. It has no unit.
//   - Counts are what a run did: per synaptic array, the reads, conversions,
//     weighted read sums (Σ G·z², in siemens, a "conductance" that a read
//     voltage squared and a read time turn into joules), STP write events
//     and the change they write; neuron evaluations; simulated time. A
//     simulation produces counts; it never prices them.
//   - Joules is an SI energy, the counts priced by a hardware design
//     (package circuit), by Category and by location (synaptic array,
//     neurons, chip). A design's figures may be ranges, so Joules is an
//     interval [Lo, Hi] (a point when Lo == Hi).
//
// Keeping counts and prices apart is what lets a change of price — a write
// energy, a converter, static power — be re-priced from stored counts
// without simulating again (break-even analysis, price sweeps). Counts add:
// a sequence's counts are the sum of its steps', a run's the sum of its
// sequences', always summed in step and sequence order so that totals do
// not depend on how sequences were scheduled.
package energy

import (
	"fmt"

	"gonum.org/v1/gonum/unit"

	"github.com/neurosim/neurosim/interval"
)

// Paper is the paper's dimensionless synaptic energy, Σ z_f² |efficacy_hf|.
// It is never mixed with joules.
type Paper float64

// Category is a kind of cost.
type Category uint8

const (
	SynapseRead  Category = iota // current through the cells during a read
	SynapseWrite                 // writing the short-term (plastic) state
	DAC                          // converting a nonzero presynaptic value to a drive
	ADC                          // converting a postsynaptic row current
	Neuron                       // evaluating an activation
	Static                       // static power × simulated time
	DigitalAdd                   // adding the partial sums of a tiled array
	NumCategories
)

var categoryNames = [NumCategories]string{"synapse_read", "synapse_write", "dac", "adc", "neuron", "static", "digital_add"}

func (c Category) String() string {
	if c < NumCategories {
		return categoryNames[c]
	}
	return fmt.Sprintf("Category(%d)", uint8(c))
}

// Categories lists every category in ledger order.
func Categories() []Category {
	c := make([]Category, NumCategories)
	for i := range c {
		c[i] = Category(i)
	}
	return c
}

// CategoryNames lists every category's name in ledger order: the keys and
// column prefixes of outputs, the legends of figures.
func CategoryNames() []string { return append([]string(nil), categoryNames[:]...) }

// Joules is an energy in joules known to lie in [Lo, Hi]; Lo == Hi when
// every figure it was computed from is exact.
type Joules = interval.Range[unit.Energy]

// Point is the exact energy e.
func Point(e unit.Energy) Joules { return Joules{Lo: e, Hi: e} }

// Breakdown is an energy per category.
type Breakdown [NumCategories]Joules

// Total sums the categories in ledger order.
func (b Breakdown) Total() Joules {
	var s Joules
	for _, v := range b {
		s = s.Plus(v)
	}
	return s
}

// Add adds o to b.
func (b *Breakdown) Add(o *Breakdown) {
	for i, v := range o {
		b[i] = b[i].Plus(v)
	}
}

// Hull widens b to hold o, category by category.
func (b *Breakdown) Hull(o *Breakdown) {
	for i, v := range o {
		b[i] = b[i].Hull(v)
	}
}

// Bill is the joules of some counts by location: one Breakdown per
// synaptic array (in the cell's order), then "neurons", then "chip"
// (static power).
type Bill []Breakdown

// Total is the breakdown over every location, summed in location order.
func (b Bill) Total() Breakdown {
	var t Breakdown
	for i := range b {
		t.Add(&b[i])
	}
	return t
}

// Hull widens b to hold o, location by location (same locations).
func (b Bill) Hull(o Bill) {
	for i := range b {
		b[i].Hull(&o[i])
	}
}

// Locations names the locations of a Bill over the given arrays.
func Locations(arrays []string) []string {
	return append(append([]string(nil), arrays...), "neurons", "chip")
}
