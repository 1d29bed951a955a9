package energy

import "math"

// ArrayCounts is what the reads and writes of one synaptic array did. A
// read drives the columns with a presynaptic vector z; columns with z_f = 0
// are not driven, and a read whose z is all zero does not happen.
//
// Which fields are filled depends on the Meter a run was given: the event
// counts and z sums always; the others only when asked, since each costs a
// pass over the synapses.
type ArrayCounts struct {
	Reads int64 // read passes with at least one nonzero presynaptic value
	// Rows counts the ADC conversions: postsynaptic rows read, times, on a
	// tiled chip, the row tiles of the read with a nonzero input (each
	// converts its own partial sum).
	Rows int64
	// Adds counts the digital adds of partial sums from row tiles: one
	// fewer than the active row tiles, per row read (0 untiled).
	Adds   int64
	Drives int64 // nonzero presynaptic values driven (one DAC conversion each)
	SynOps int64 // synapses read with a nonzero presynaptic value

	Z2 float64 // Σ_reads rows·Σ_f z_f²: the amplitude-read weight of a unit conductance on every cell
	Z1 float64 // Σ_reads rows·Σ_f |z_f|: the same for pulse-width reads

	Paper    float64 // Σ z_f² |e_rf|: the paper's energy (dimensionless)
	PaperAbs float64 // Σ |z_f| |e_rf| (Meter.Abs)

	// CellZ2 and CellZ1 are Σ z_f²·G and Σ |z_f|·G over every cell read, in
	// siemens, when a device gives the cells' conductances G.
	CellZ2, CellZ1 float64

	// Writes of the short-term state (Meter.Writes), counted for both kinds
	// of element at once so that the kind is a price, not a re-run:
	//   - a volatile element decays by itself; a synapse is written when its
	//     Hebbian increment is nonzero, by that increment (Writes,
	//     WriteUnits = Σ|increment|), except that a synapse whose decay factor
	//     λ lies outside [0, 1] cannot decay passively and is written with
	//     its new value;
	//   - a non-volatile element holds its value, so every plastic synapse is
	//     rewritten with its new value every step (Rewrites,
	//     RewriteUnits = Σ|new value|).
	// Units are efficacy units of the state as stored.
	Writes, Rewrites         int64
	WriteUnits, RewriteUnits float64

	// Peak is the largest |efficacy| read (Meter.Peak); counts merge it by
	// maximum, not sum.
	Peak float64

	// CellWrites counts, per plastic synapse (in the order of its
	// short-term state), the writes of a volatile element (Meter.Cells; nil
	// otherwise): what wears each cell out.
	CellWrites []int64
}

// Add adds o to c (Peak: the larger).
func (c *ArrayCounts) Add(o *ArrayCounts) {
	c.Reads += o.Reads
	c.Rows += o.Rows
	c.Adds += o.Adds
	c.Drives += o.Drives
	c.SynOps += o.SynOps
	c.Z2 += o.Z2
	c.Z1 += o.Z1
	c.Paper += o.Paper
	c.PaperAbs += o.PaperAbs
	c.CellZ2 += o.CellZ2
	c.CellZ1 += o.CellZ1
	c.Writes += o.Writes
	c.Rewrites += o.Rewrites
	c.WriteUnits += o.WriteUnits
	c.RewriteUnits += o.RewriteUnits
	c.Peak = math.Max(c.Peak, o.Peak)
	if o.CellWrites != nil {
		if c.CellWrites == nil {
			c.CellWrites = make([]int64, len(o.CellWrites))
		}
		for i, n := range o.CellWrites {
			c.CellWrites[i] += n
		}
	}
}

// Write counts the write of plastic synapse i in one step, by the single
// rule both kinds of element follow: inc is its Hebbian increment, now its
// new value, and passive whether its decay factor λ lies in [0, 1] (so that
// a volatile element can realise its decay by itself).
func (c *ArrayCounts) Write(i int, inc, now float64, passive bool) {
	c.Rewrites++
	c.RewriteUnits += math.Abs(now)
	switch {
	case !passive:
		c.Writes++
		c.WriteUnits += math.Abs(now)
	case inc != 0:
		c.Writes++
		c.WriteUnits += math.Abs(inc)
	default:
		return
	}
	if c.CellWrites != nil {
		c.CellWrites[i]++
	}
}

// Counts is what a network did over a step, a sequence or a run.
type Counts struct {
	Arrays []ArrayCounts // in the cell's array order
	// Neurons counts nonlinearity evaluations (one per neuron output, gate,
	// or neuromodulator value computed).
	Neurons int64
	// Steps counts network steps.
	Steps int64
	// The simulated time the counts span is Seconds plus Periods step
	// periods: a dense (clocked) step lasts one period, an event step until
	// the next step of its sequence, the last step of a sequence one period.
	// Keeping periods apart lets a step period given as a range be priced
	// at both of its ends.
	Seconds, Periods float64
}

// NewCounts returns zero counts over arrays synaptic arrays.
func NewCounts(arrays int) Counts { return Counts{Arrays: make([]ArrayCounts, arrays)} }

// NewCountsList returns n Counts of arrays arrays each, zeroed, their
// arrays cut from one allocation (a run keeps one per sequence: tens of
// thousands, allocated before its workers start).
func NewCountsList(n, arrays int) []Counts {
	cs := make([]Counts, n)
	slab := make([]ArrayCounts, n*arrays)
	for i := range cs {
		cs[i].Arrays = slab[i*arrays : (i+1)*arrays : (i+1)*arrays]
	}
	return cs
}

// Reset zeroes c, keeping its arrays (and their per-cell counts).
func (c *Counts) Reset() {
	for i := range c.Arrays {
		cw := c.Arrays[i].CellWrites
		clear(cw)
		c.Arrays[i] = ArrayCounts{CellWrites: cw}
	}
	c.Neurons, c.Steps, c.Seconds, c.Periods = 0, 0, 0, 0
}

// Add adds o to c (which must have as many arrays, or none yet).
func (c *Counts) Add(o *Counts) {
	if c.Arrays == nil {
		c.Arrays = make([]ArrayCounts, len(o.Arrays))
	}
	for i := range o.Arrays {
		c.Arrays[i].Add(&o.Arrays[i])
	}
	c.Neurons += o.Neurons
	c.Steps += o.Steps
	c.Seconds += o.Seconds
	c.Periods += o.Periods
}

// Clone returns a copy of c that shares no memory with it.
func (c *Counts) Clone() Counts {
	d := *c
	d.Arrays = append([]ArrayCounts(nil), c.Arrays...)
	for i := range d.Arrays {
		if cw := d.Arrays[i].CellWrites; cw != nil {
			d.Arrays[i].CellWrites = append([]int64(nil), cw...)
		}
	}
	return d
}

// Sum adds counts in order.
func Sum(cs []Counts) Counts {
	var t Counts
	for i := range cs {
		t.Add(&cs[i])
	}
	return t
}

// Meter says which counts beyond the event counts, z sums and paper energy
// a run must fill. Each costs work per synapse; a run meters what its
// pricing needs and nothing more.
type Meter struct {
	Abs    bool // PaperAbs, for pulse-width reads
	Writes bool // the write counts of the short-term state
	Peak   bool // the largest |efficacy| read per array (calibration)
	Cells  bool // the writes of every plastic cell (endurance)
}

// Or is the meter that fills what either m or o fills.
func (m Meter) Or(o Meter) Meter {
	return Meter{Abs: m.Abs || o.Abs, Writes: m.Writes || o.Writes, Peak: m.Peak || o.Peak, Cells: m.Cells || o.Cells}
}
