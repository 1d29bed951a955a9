package synapse

import "math"

// ArrayInfo describes one synaptic array of a cell: a crossbar of Rows
// postsynaptic neurons by Cols presynaptic inputs.
type ArrayInfo struct {
	Name       string
	Rows, Cols int
	// Plastic is the number of synapses of the array that carry short-term
	// state (0 for a static array).
	Plastic int
}

// Activity is what one network step did, per array (in Cell.Arrays order).
// It is filled only when the Runner meters (Runner.Meter).
type Activity struct {
	Arrays []ArrayActivity
	// Neurons counts nonlinearity evaluations (one per neuron output, gate,
	// or neuromodulator value computed).
	Neurons int
}

// ArrayActivity is one array's share of a step. A read drives the columns
// with a presynaptic vector z; columns with z_f = 0 are not driven, and a
// read whose z is all zero does not happen.
type ArrayActivity struct {
	Reads  int     // read passes with at least one nonzero presynaptic value
	Rows   int     // postsynaptic rows read (one ADC conversion each)
	Drives int     // nonzero presynaptic values driven (one DAC conversion each)
	SynOps int     // synapses read with a nonzero presynaptic value
	Z2     float64 // Σ_reads Σ_f z_f² × rows: the amplitude-read weight of a unit conductance on every cell
	Z1     float64 // Σ_reads Σ_f |z_f| × rows: the same for pulse-width reads
	Paper  float64 // Σ z_f² |e_rf|, the paper's energy (dimensionless)
	// PaperAbs is Σ |z_f| |e_rf|; metered only when asked (pulse-width designs).
	PaperAbs float64
	// CellZ2 and CellZ1 are Σ z_f² G and Σ |z_f| G over every cell read, in
	// siemens, where a Device gives the cells' conductances G.
	CellZ2, CellZ1 float64
	Writes         int     // plastic synapses written
	WriteUnits     float64 // Σ |written change|, efficacy units
	// Peak is the largest |efficacy| read (metered only when asked).
	Peak float64
}

// MeterOptions say what a metering Runner records beyond the counts.
type MeterOptions struct {
	Abs    bool      // Σ|z|·|e|, needed for pulse-width reads
	Writes WriteMode // how writes of the short-term state count
	Peak   bool      // the largest |efficacy| read per array (calibration)
}

// WriteMode says how writes of the short-term state are metered.
type WriteMode uint8

const (
	// Volatile: decay is passive and free; a synapse is written when its
	// new value differs from its passively decayed old value, by that
	// increment. A synapse whose decay factor is outside [0, 1] cannot decay
	// passively: its new value is written every step.
	Volatile WriteMode = iota
	// Rewrite: every plastic synapse's new value is written every step.
	Rewrite
)

// Device is the hardware an array's efficacies are read through. A Device
// is used by one Runner (one goroutine) at a time.
type Device interface {
	// Row presents row r of array a: it replaces the efficacies e in place
	// by those the hardware applies (quantised, varied, noisy, saturated)
	// and returns Σ_f z_f²·G_f and Σ_f |z_f|·G_f, where G_f is the total
	// conductance, in siemens, of the cells of synapse (r, f).
	Row(a, r int, e, z []float64) (cellZ2, cellZ1 float64)
	// Store rounds the short-term state f of array a to what the element
	// can hold, in place, after each update. unit(i) is the efficacy that
	// one unit of f[i] contributes to the array as read (1 for a plain F;
	// 1/‖row‖ for a row-normalised STPN; α for MODPLAST's Hebbian trace).
	Store(a int, f []float64, unit func(i int) float64)
}

// probe carries what a step needs beyond the state: the device, and the
// activity being metered (nil when not metering).
type probe struct {
	dev Device
	act *Activity
	MeterOptions
	wm writeMeter
}

// begin records one read of array a driven by z over rows rows and reports
// whether it happens at all (some z_f ≠ 0).
func (p *probe) begin(a int, z []float64, rows int) {
	if p.act == nil {
		return
	}
	var nnz int
	var z2, z1 float64
	for _, v := range z {
		if v != 0 {
			nnz++
			z2 += v * v
			z1 += math.Abs(v)
		}
	}
	if nnz == 0 {
		return
	}
	m := &p.act.Arrays[a]
	m.Reads++
	m.Rows += rows
	m.Drives += nnz
	m.SynOps += nnz * rows
	m.Z2 += z2 * float64(rows)
	m.Z1 += z1 * float64(rows)
}

// row reads one row of efficacies e (a scratch copy the device may rewrite)
// against z and returns Σ e_f z_f and Σ z_f² |e_f|, metering as asked.
func (p *probe) row(a, r int, e, z []float64) (acc, paper float64) {
	if p.dev != nil {
		c2, c1 := p.dev.Row(a, r, e, z)
		if p.act != nil {
			p.act.Arrays[a].CellZ2 += c2
			p.act.Arrays[a].CellZ1 += c1
		}
	}
	if p.act != nil && p.Peak {
		m := &p.act.Arrays[a]
		for _, v := range e {
			m.Peak = math.Max(m.Peak, math.Abs(v))
		}
	}
	if !p.Abs || p.act == nil {
		return mac(e, z)
	}
	var pa float64
	for c, v := range e {
		zc := z[c]
		acc += v * zc
		paper += zc * zc * math.Abs(v)
		pa += math.Abs(zc) * math.Abs(v)
	}
	p.act.Arrays[a].PaperAbs += pa
	return acc, paper
}

// mac returns Σ e_f z_f and Σ z_f² |e_f|.
func mac(e, z []float64) (acc, paper float64) {
	z = z[:len(e)]
	for c, v := range e {
		zc := z[c]
		acc += v * zc
		paper += zc * zc * math.Abs(v)
	}
	return acc, paper
}

// charge adds the paper energy of one read to the metered activity.
func (p *probe) charge(a int, paper float64) {
	if p.act != nil {
		p.act.Arrays[a].Paper += paper
	}
}

// neurons adds n nonlinearity evaluations.
func (p *probe) neurons(n int) {
	if p.act != nil {
		p.act.Neurons += n
	}
}

// store lets the device round a short-term state after its update.
// Callers build unit only when p.dev != nil, so that the ideal path does not
// allocate a closure per step.
func (p *probe) store(a int, f []float64, unit func(i int) float64) {
	p.dev.Store(a, f, unit)
}

// one is the unit of a state that is itself an efficacy.
func one(int) float64 { return 1 }

// meterWrites charges the writes of a short-term state that went from old
// to new in one step, for cells whose update is not a plain Hebbian
// increment on a decaying state (Fast Weights' two-stage update, MODPLAST's
// modulated trace). passive(i) is the factor a passive element would have
// multiplied old[i] by in that step; lambda(i) the synapse's trained decay
// factor, which decides whether it can be passive at all (in [0, 1]).
func (p *probe) meterWrites(a int, old, new []float64, passive, lambda func(i int) float64) {
	if p.act == nil {
		return
	}
	m := &p.act.Arrays[a]
	for i, v := range new {
		if l := lambda(i); p.Writes == Rewrite || l < 0 || l > 1 {
			m.Writes++
			m.WriteUnits += math.Abs(v)
			continue
		}
		if inc := v - passive(i)*old[i]; inc != 0 {
			m.Writes++
			m.WriteUnits += math.Abs(inc)
		}
	}
}
