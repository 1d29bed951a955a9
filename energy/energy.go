// Package energy holds the quantities neurosim charges and the ledger that adds
// them up.
//
// Two kinds of energy are kept apart by type:
//
//   - Paper is the dimensionless energy of Rodriguez, Guo & Moraitis, "Short-Term
//     Plasticity Neurons Learning to Learn and Forget" (ICML 2022): every synapse
//     is a conductance |efficacy| driven by a voltage equal to its presynaptic
//     value, so one step of one synapse costs z_f² · |efficacy_hf|. It has no unit.
//   - Joules is an SI energy, charged per event by a hardware design and
//     kept in a Ledger by Category, by location (synaptic array, neurons,
//     chip), by step and by sequence. A design's figures may be ranges, so
//     Joules is an interval [Lo, Hi] (a point when Lo == Hi).
package energy

import (
	"fmt"

	"gonum.org/v1/gonum/unit"
)

// Paper is the paper's dimensionless synaptic energy, Σ z_f² |efficacy_hf|.
// It is never mixed with joules.
type Paper float64

// Category is a kind of cost in the ledger.
type Category uint8

const (
	SynapseRead  Category = iota // current through the cells during a read
	SynapseWrite                 // writing the short-term (plastic) state
	DAC                          // converting a nonzero presynaptic value to a drive
	ADC                          // converting a postsynaptic row current
	Neuron                       // evaluating an activation
	Static                       // static power × simulated time
	NumCategories
)

var categoryNames = [NumCategories]string{"synapse_read", "synapse_write", "dac", "adc", "neuron", "static"}

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

// Joules is an energy in joules known to lie in [Lo, Hi]; Lo == Hi when
// every figure it was computed from is exact.
type Joules struct{ Lo, Hi unit.Energy }

// Point is the exact energy e.
func Point(e unit.Energy) Joules { return Joules{e, e} }

// IsPoint reports whether j is exact.
func (j Joules) IsPoint() bool { return j.Lo == j.Hi }

// Plus returns j + o.
func (j Joules) Plus(o Joules) Joules { return Joules{j.Lo + o.Lo, j.Hi + o.Hi} }

// Times returns j scaled by a count or other non-negative factor k.
func (j Joules) Times(k float64) Joules {
	return Joules{j.Lo * unit.Energy(k), j.Hi * unit.Energy(k)}
}

// Hull returns the smallest interval holding j and o.
func (j Joules) Hull(o Joules) Joules {
	return Joules{min(j.Lo, o.Lo), max(j.Hi, o.Hi)}
}

// Breakdown is an energy per category.
type Breakdown [NumCategories]Joules

// Total sums the categories in ledger order.
func (b *Breakdown) Total() Joules {
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

// Ledger keeps the joules of a run by category, location, step and sequence.
// Locations are the synaptic arrays of the network, then "neurons" and
// "chip" (static power); totals are summed in a fixed order, so they do not
// depend on how sequences were scheduled.
type Ledger struct {
	Locations []string
	Seqs      []Sequence
}

// Sequence is one sequence's share of a Ledger.
type Sequence struct {
	Steps []Breakdown // per step, all locations
	ByLoc []Breakdown // per location, all steps
}

// NewLedger makes a ledger for n sequences over the given locations.
func NewLedger(locations []string, n int) *Ledger {
	l := &Ledger{Locations: locations, Seqs: make([]Sequence, n)}
	for i := range l.Seqs {
		l.Seqs[i].ByLoc = make([]Breakdown, len(locations))
	}
	return l
}

// Charge adds e of category c at location loc to the last step of sequence n.
func (l *Ledger) Charge(n, loc int, c Category, e Joules) {
	s := &l.Seqs[n]
	st := &s.Steps[len(s.Steps)-1]
	st[c] = st[c].Plus(e)
	s.ByLoc[loc][c] = s.ByLoc[loc][c].Plus(e)
}

// BeginStep opens a new step of sequence n.
func (l *Ledger) BeginStep(n int) {
	l.Seqs[n].Steps = append(l.Seqs[n].Steps, Breakdown{})
}

// Sequence returns the breakdown of sequence n, summed over its steps in order.
func (l *Ledger) Sequence(n int) Breakdown {
	var b Breakdown
	for i := range l.Seqs[n].Steps {
		b.Add(&l.Seqs[n].Steps[i])
	}
	return b
}

// Total is the breakdown of the whole run, summed sequence by sequence.
func (l *Ledger) Total() Breakdown {
	var b Breakdown
	for n := range l.Seqs {
		s := l.Sequence(n)
		b.Add(&s)
	}
	return b
}

// ByLocation is the breakdown of each location over the whole run.
func (l *Ledger) ByLocation() []Breakdown {
	out := make([]Breakdown, len(l.Locations))
	for n := range l.Seqs {
		for i := range out {
			out[i].Add(&l.Seqs[n].ByLoc[i])
		}
	}
	return out
}
