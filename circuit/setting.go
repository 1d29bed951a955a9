package circuit

import (
	"math"

	"github.com/neurosim/neurosim/design"
)

// Setting fixes, for one run, the figures of a design that change what the
// network computes or how much current its cells draw: one value per ranged
// device figure (a corner of the design). Prices that only scale a count —
// v_read, t_read, converter, neuron, write and synop energies, static power —
// are not part of it: they stay ranges and are charged at both ends.
type Setting struct {
	GPerUnit   []float64 // S per unit efficacy, one per array (auto: calibrated)
	GMin, GMax float64   // S; GMax = +Inf for an unbounded ideal window
	Variation  float64
	ReadNoise  float64
	StepPeriod float64 // s
	// Retention and RetentionVariation are the volatile element's τ (s)
	// and its lognormal σ from cell to cell; Retention 0 when the element
	// is not modelled as a device.
	Retention, RetentionVariation float64
}

// Settings lists the corners of d's device figures: every combination of the
// low and high ends of g_per_unit (when explicit), g_min, g_max, variation,
// read_noise, the retention τ of the volatile element and its variation,
// and, when timing changes the model (event streams, or a device retention,
// whose decay per step is exp(−step_period/τ)), step_period.
// A design without ranges has one setting. GPerUnit is left nil when it is
// auto (see Calibrate).
func Settings(d *design.Design, timed bool) []Setting {
	s := &d.Synapse
	type axis struct {
		r   design.Range
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
	pl := &d.Plasticity
	axes = append(axes,
		axis{pl.Retention, func(c *Setting, v float64) { c.Retention = v }},
		axis{pl.RetentionVariation, func(c *Setting, v float64) { c.RetentionVariation = v }})
	if timed || pl.Retention != (design.Range{}) {
		// With a device retention, the decay per step exp(−step/τ) depends
		// on the step period even for clocked inputs.
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
		if s.Mapping == design.Ideal && !s.Bounded() {
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
// and cell currents follow from the counted sums exactly.
func NeedsDevice(d *design.Design, c *Setting) bool {
	s := &d.Synapse
	if !s.Mapping.Analog() {
		return false
	}
	return s.Levels > 0 || c.Variation > 0 || c.ReadNoise > 0 || (!s.GPerUnitAuto && !math.IsInf(c.GMax, 1)) ||
		d.Array.ADCBits > 0
}
