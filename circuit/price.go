package circuit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/unit"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/synapse"
)

// Setting fixes, for one run, the figures of a design that change what the
// network computes or how much current its cells draw: one value per ranged
// figure (a corner of the design). Prices that only scale a count — v_read,
// t_read, converter, neuron, write and synop energies, static power — stay
// ranges and are charged at both ends in the same run.
type Setting struct {
	GPerUnit   []float64 // S per unit efficacy, one per array (auto: calibrated)
	GMin, GMax float64   // S; GMax = +Inf for an unbounded ideal window
	Variation  float64
	ReadNoise  float64
	StepPeriod float64 // s
}

// Settings lists the corners of d's device figures: every combination of the
// low and high ends of g_per_unit (when explicit), g_min, g_max, variation,
// read_noise and, when timing changes the model (event streams), step_period.
// A design without ranges has one setting. GPerUnit is left nil when it is
// auto (see Calibrate).
func (d *Design) Settings(timed bool) []Setting {
	s := &d.Synapse
	type axis struct {
		r   Range
		set func(*Setting, float64)
	}
	axes := []axis{
		{s.GMin, func(c *Setting, v float64) { c.GMin = v }},
		{s.GMax, func(c *Setting, v float64) { c.GMax = v }},
		{s.Variation, func(c *Setting, v float64) { c.Variation = v }},
		{s.ReadNoise, func(c *Setting, v float64) { c.ReadNoise = v }},
	}
	if !s.GPerUnitAuto {
		axes = append(axes, axis{s.GPerUnit, func(c *Setting, v float64) { c.GPerUnit = []float64{v} }})
	}
	if timed {
		axes = append(axes, axis{d.StepPeriod, func(c *Setting, v float64) { c.StepPeriod = v }})
	}
	out := []Setting{{StepPeriod: d.StepPeriod.Lo}}
	for _, a := range axes {
		if a.r.IsPoint() {
			for i := range out {
				a.set(&out[i], a.r.Lo)
			}
			continue
		}
		var next []Setting
		for _, c := range out {
			for _, v := range []float64{a.r.Lo, a.r.Hi} {
				cc := c
				a.set(&cc, v)
				next = append(next, cc)
			}
		}
		out = next
	}
	for i := range out {
		if s.Mapping == Ideal && !s.Bounded() {
			out[i].GMax = math.Inf(1)
		}
	}
	return out
}

// Window is the span of conductance a cell can add above g_min.
func (c *Setting) Window() float64 { return c.GMax - c.GMin }

// Calibrate sets GPerUnit for g_per_unit "auto": each array's largest
// |efficacy|, peak[a], read over the whole workload by the ideal model, is
// mapped to g_max − g_min. An array that never holds a nonzero efficacy
// gets the window itself per unit.
func (c *Setting) Calibrate(peak []float64) {
	c.GPerUnit = make([]float64, len(peak))
	for a, p := range peak {
		if p > 0 {
			c.GPerUnit[a] = c.Window() / p
		} else {
			c.GPerUnit[a] = c.Window()
		}
	}
}

// NeedsDevice reports whether reads must go through a crossbar model: when
// cells are quantised, varied or noisy, or may saturate (an explicit
// g_per_unit with a bounded window). Otherwise the ideal efficacies are read
// and cell currents follow from the metered sums exactly.
func (d *Design) NeedsDevice(c *Setting) bool {
	s := &d.Synapse
	if !s.Mapping.Analog() {
		return false
	}
	return s.Levels > 0 || c.Variation > 0 || c.ReadNoise > 0 || (!s.GPerUnitAuto && !math.IsInf(c.GMax, 1))
}

// Pricer charges a network's activity at one Setting of a design. It
// implements sim.Pricer.
type Pricer struct {
	d         *Design
	set       Setting
	arrays    []synapse.ArrayInfo
	locations []string
	device    bool
	variation [][]float64 // per array, per cell: the lognormal device factor
}

// NewPricer prepares the pricing of a network whose arrays are given, at
// setting set (GPerUnit must be set: one value for every array, or one for all).
func NewPricer(d *Design, arrays []synapse.ArrayInfo, set Setting) (*Pricer, error) {
	p := &Pricer{d: d, set: set, arrays: arrays}
	if d.Synapse.Mapping.Analog() {
		switch len(set.GPerUnit) {
		case len(arrays):
		case 1:
			g := set.GPerUnit[0]
			p.set.GPerUnit = make([]float64, len(arrays))
			for i := range p.set.GPerUnit {
				p.set.GPerUnit[i] = g
			}
		default:
			return nil, fmt.Errorf("design %s: %d g_per_unit values for %d arrays", d.Name, len(set.GPerUnit), len(arrays))
		}
	}
	for _, a := range arrays {
		p.locations = append(p.locations, a.Name)
	}
	p.locations = append(p.locations, "neurons", "chip")
	p.device = d.NeedsDevice(&p.set)
	if p.device && set.Variation > 0 {
		// Device-to-device variation is drawn once per programmed cell, in
		// array, row, column (and +/− cell) order, from the design's seed:
		// the same chip for every sequence and every worker.
		rng := rand.New(rand.NewPCG(d.Seed, 0x76617269)) // "vari"
		cells := 1
		if d.Synapse.Mapping == Differential {
			cells = 2
		}
		p.variation = make([][]float64, len(arrays))
		for i, a := range arrays {
			v := make([]float64, a.Rows*a.Cols*cells)
			for k := range v {
				v[k] = math.Exp(set.Variation * rng.NormFloat64())
			}
			p.variation[i] = v
		}
	}
	return p, nil
}

// Locations names the ledger's locations: the arrays, "neurons", "chip".
func (p *Pricer) Locations() []string { return p.locations }

// Setting is the setting the pricer charges at.
func (p *Pricer) Setting() Setting { return p.set }

// Meter asks for Σ|z|·|e| when inputs are pulse-width encoded, and for
// writes counted as the plasticity element requires.
func (p *Pricer) Meter() synapse.MeterOptions {
	w := synapse.Volatile
	if p.d.Plasticity.Element == Rewrite {
		w = synapse.Rewrite
	}
	return synapse.MeterOptions{Abs: p.d.Input.Encoding == PulseWidth, Writes: w}
}

// span returns the interval [lo·a, hi·b] of a product of non-negative ranges.
func span(rs ...Range) energy.Joules {
	lo, hi := 1.0, 1.0
	for _, r := range rs {
		lo *= r.Lo
		hi *= r.Hi
	}
	return energy.Joules{Lo: unit.Energy(lo), Hi: unit.Energy(hi)}
}

// Charge adds the joules of one step (see sim.Pricer).
func (p *Pricer) Charge(l *energy.Ledger, n int, a *synapse.Activity, seconds, periods float64) {
	in, out, pl := &p.d.Input, &p.d.Readout, &p.d.Plasticity
	for i := range p.arrays {
		m := &a.Arrays[i]
		l.Charge(n, i, energy.SynapseRead, p.read(i, m))
		l.Charge(n, i, energy.DAC, span(in.DACEnergy).Times(float64(m.Drives)))
		l.Charge(n, i, energy.ADC, span(out.ADCEnergy).Times(float64(m.Rows)))
		w := span(pl.WriteEnergyPerEvent).Times(float64(m.Writes)).Plus(span(pl.WriteEnergyPerUnit).Times(m.WriteUnits))
		l.Charge(n, i, energy.SynapseWrite, w)
	}
	l.Charge(n, len(p.arrays), energy.Neuron, span(out.NeuronEnergy).Times(float64(a.Neurons)))
	t := Range{seconds + periods*p.d.StepPeriod.Lo, seconds + periods*p.d.StepPeriod.Hi}
	l.Charge(n, len(p.arrays)+1, energy.Static, span(p.d.StaticPower, t))
}

// read is the energy of array i's reads in one step.
func (p *Pricer) read(i int, m *synapse.ArrayActivity) energy.Joules {
	s, in := &p.d.Synapse, &p.d.Input
	if s.Mapping == Digital {
		return span(s.SynopEnergy).Times(float64(m.SynOps))
	}
	// Σ over cells of G·(weight of its drive): amplitude reads weigh z²,
	// pulse-width reads |z|; a cell then dissipates v_read²·t_read per unit.
	var g float64
	switch {
	case p.device && in.Encoding == Amplitude:
		g = m.CellZ2
	case p.device:
		g = m.CellZ1
	case in.Encoding == Amplitude:
		g = p.set.GPerUnit[i] * m.Paper
		if s.Mapping == Differential {
			g += 2 * p.set.GMin * m.Z2
		}
	default:
		g = p.set.GPerUnit[i] * m.PaperAbs
		if s.Mapping == Differential {
			g += 2 * p.set.GMin * m.Z1
		}
	}
	return span(in.VRead, in.VRead, in.TRead).Times(g)
}

// NewDevice returns a Crossbar for one worker, or nil when reads are ideal.
func (p *Pricer) NewDevice() synapse.Device {
	if !p.device {
		return nil
	}
	return &Crossbar{p: p, src: rand.NewPCG(0, 0)}
}

// Crossbar reads efficacies through the cells of a design: mapped to
// conductances, saturated to the window, quantised to levels, varied per cell
// and noisy per read. It implements synapse.Device (and sim.Device).
//
// A synapse with efficacy e is one cell G = g·|e| (ideal) or a pair
// G± = g_min + g·max(±e, 0) (differential), where g is the array's
// g_per_unit; each cell's programmable part g·|e| is clipped to
// [0, g_max − g_min] and rounded to one of `levels` evenly spaced values in
// that window; then multiplied by the cell's variation factor exp(σ_v·N(0,1))
// and, at every read, by 1 + σ_r·N(0,1) (read noise, clipped at zero
// conductance). The efficacy the network uses is what the cells give back:
// sign(e)·G/g, or (G+ − G−)/g.
type Crossbar struct {
	p   *Pricer
	src *rand.PCG
	rng *rand.Rand
}

// Seed restarts the read noise from a stream of sequence n's own.
func (c *Crossbar) Seed(n int) {
	c.src.Seed(c.p.d.Seed, 0x6e6f6973^uint64(n)<<32) // "nois"
	if c.rng == nil {
		c.rng = rand.New(c.src)
	}
}

func (c *Crossbar) cell(w, gmin, varf float64) float64 {
	set, s := &c.p.set, &c.p.d.Synapse
	if win := set.Window(); w > win {
		w = win
	}
	if s.Levels > 0 {
		step := set.Window() / float64(s.Levels-1)
		w = math.Round(w/step) * step
	}
	g := (gmin + w) * varf
	if set.ReadNoise > 0 {
		g *= 1 + set.ReadNoise*c.rng.NormFloat64()
		g = math.Max(g, 0)
	}
	return g
}

// Row presents row r of array a (see synapse.Device).
func (c *Crossbar) Row(a, r int, e, z []float64) (cellZ2, cellZ1 float64) {
	p := c.p
	g := p.set.GPerUnit[a]
	cols := p.arrays[a].Cols
	var vf []float64
	if p.variation != nil {
		vf = p.variation[a]
	}
	diff := p.d.Synapse.Mapping == Differential
	for f, v := range e {
		zf := z[f]
		if zf == 0 {
			continue // an undriven column draws no current and adds nothing
		}
		k := r*cols + f
		var total float64
		if diff {
			v1, v2 := 1.0, 1.0
			if vf != nil {
				v1, v2 = vf[2*k], vf[2*k+1]
			}
			gp := c.cell(g*math.Max(v, 0), p.set.GMin, v1)
			gn := c.cell(g*math.Max(-v, 0), p.set.GMin, v2)
			e[f] = (gp - gn) / g
			total = gp + gn
		} else {
			vk := 1.0
			if vf != nil {
				vk = vf[k]
			}
			gc := c.cell(g*math.Abs(v), 0, vk)
			e[f] = math.Copysign(gc/g, v)
			total = gc
		}
		cellZ2 += zf * zf * total
		cellZ1 += math.Abs(zf) * total
	}
	return cellZ2, cellZ1
}

// Store rounds a short-term state to the levels of array a's cells: the
// efficacy f[i] contributes, unit(i)·f[i], is rounded to the level spacing
// in efficacy units (the volatile element holds the same analog levels).
// Increments smaller than half a level are lost, as on the device.
func (c *Crossbar) Store(a int, f []float64, unit func(i int) float64) {
	s := &c.p.d.Synapse
	if s.Levels == 0 {
		return
	}
	step := c.p.set.Window() / float64(s.Levels-1) / c.p.set.GPerUnit[a]
	for i, v := range f {
		if u := unit(i); u != 0 {
			f[i] = math.Round(v*u/step) * step / u
		}
	}
}

// Peaks is a sim.Pricer that charges nothing and records, per array, the
// largest |efficacy| the ideal model reads: the calibration of g_per_unit
// "auto".
type Peaks struct {
	mu   sync.Mutex
	arrs []synapse.ArrayInfo
	peak []float64
}

// NewPeaks prepares a calibration run over the given arrays.
func NewPeaks(arrays []synapse.ArrayInfo) *Peaks {
	return &Peaks{arrs: arrays, peak: make([]float64, len(arrays))}
}

func (p *Peaks) Locations() []string {
	names := make([]string, len(p.arrs))
	for i, a := range p.arrs {
		names[i] = a.Name
	}
	return names
}
func (p *Peaks) Meter() synapse.MeterOptions { return synapse.MeterOptions{Peak: true} }
func (p *Peaks) NewDevice() synapse.Device   { return nil }
func (p *Peaks) Charge(_ *energy.Ledger, _ int, a *synapse.Activity, _, _ float64) {
	p.mu.Lock()
	for i, m := range a.Arrays {
		p.peak[i] = math.Max(p.peak[i], m.Peak)
	}
	p.mu.Unlock()
}

// Peak returns the largest |efficacy| read per array.
func (p *Peaks) Peak() []float64 { return p.peak }
