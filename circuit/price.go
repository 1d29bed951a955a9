package circuit

import (
	"fmt"

	"gonum.org/v1/gonum/unit"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/interval"
	"github.com/neurosim/neurosim/synapse"
)

// Meter says which counts pricing under d needs beyond those every run
// keeps: Σ|z|·|e| when inputs are pulse-width encoded, the writes of the
// short-term state when writing it costs anything or wears cells out
// (plasticity.endurance), and then each cell's writes.
func Meter(d *design.Design) energy.Meter {
	pl := &d.Plasticity
	endurance := pl.Endurance != (design.Range{})
	return energy.Meter{
		Abs:    d.Synapse.Mapping.Analog() && d.Input.Encoding == design.PulseWidth,
		Writes: pl.WriteEnergyPerEvent.Hi > 0 || pl.WriteEnergyPerUnit.Hi > 0 || endurance,
		// The writes of each cell, for the lifetime of a volatile element
		// (a rewrite element writes every cell every step).
		Cells: endurance && pl.Element == design.Volatile,
	}
}

// price is the joules of count events at price r per event.
func price(r design.Range, count float64) energy.Joules {
	return interval.Product[unit.Energy](r).Times(count)
}

// Price turns counts into joules: what they cost on design d built at
// setting set (whose GPerUnit has one value per array). Every price is
// charged at both ends of its range, so each result bounds the energy of
// the counts exactly (energies are non-negative sums of counts × prices).
// Locations are the arrays, then "neurons", then "chip".
//
// Per array: synapse_read (see below), dac = dac_energy × nonzero drives,
// adc = adc_energy × rows read, synapse_write = write_energy_per_event ×
// writes + write_energy_per_unit × Σ|written change|, where a volatile
// element writes Hebbian increments and a rewrite element every plastic
// synapse's new value (energy.ArrayCounts). At "neurons": neuron_energy ×
// evaluations. At "chip": static_power × simulated time.
//
// synapse_read is v_read²·t_read × Σ_cells G·z² (amplitude encoding) or
// × Σ_cells G·|z| (pulse width), the sums taken from the device's cell
// currents when reads went through a crossbar model, else from the ideal
// conductances: g·Σ z²|e| (+ 2·g_min·Σ z² per read row for differential
// pairs). A digital design charges synop_energy per synaptic operation.
func Price(d *design.Design, set *Setting, c *energy.Counts) energy.Bill {
	bill := make(energy.Bill, len(c.Arrays)+2)
	in, out, pl := &d.Input, &d.Readout, &d.Plasticity
	device := NeedsDevice(d, set)
	for i := range c.Arrays {
		m := &c.Arrays[i]
		b := &bill[i]
		b[energy.SynapseRead] = readJoules(d, set, device, i, m)
		b[energy.DAC] = price(in.DACEnergy, float64(m.Drives))
		b[energy.ADC] = price(d.ConversionEnergy(), float64(m.Rows))
		b[energy.DigitalAdd] = price(d.Array.AddEnergy, float64(m.Adds))
		writes, units := m.Writes, m.WriteUnits
		if pl.Element == design.Rewrite {
			writes, units = m.Rewrites, m.RewriteUnits
		}
		b[energy.SynapseWrite] = price(pl.WriteEnergyPerEvent, float64(writes)).Plus(price(pl.WriteEnergyPerUnit, units))
	}
	bill[len(c.Arrays)][energy.Neuron] = price(out.NeuronEnergy, float64(c.Neurons))
	t := design.Range{Lo: c.Seconds + c.Periods*d.StepPeriod.Lo, Hi: c.Seconds + c.Periods*d.StepPeriod.Hi}
	bill[len(c.Arrays)+1][energy.Static] = interval.Product[unit.Energy](d.StaticPower, t)
	return bill
}

// readJoules is the energy of array i's reads.
func readJoules(d *design.Design, set *Setting, device bool, i int, m *energy.ArrayCounts) energy.Joules {
	s, in := &d.Synapse, &d.Input
	if s.Mapping == design.Digital {
		return price(s.SynopEnergy, float64(m.SynOps))
	}
	// Σ over cells of G·(weight of its drive): amplitude reads weigh z²,
	// pulse-width reads |z|; a cell then dissipates v_read²·t_read per unit.
	var g float64
	switch {
	case device && in.Encoding == design.Amplitude:
		g = m.CellZ2
	case device:
		g = m.CellZ1
	case in.Encoding == design.Amplitude:
		g = set.GPerUnit[i] * m.Paper
		if s.Mapping == design.Differential {
			g += 2 * set.GMin * m.Z2
		}
	default:
		g = set.GPerUnit[i] * m.PaperAbs
		if s.Mapping == design.Differential {
			g += 2 * set.GMin * m.Z1
		}
	}
	return interval.Product[unit.Energy](in.VRead, in.VRead, in.TRead).Times(g)
}

// OverflowError is a design whose figures, times the counts of a run,
// exceed float64: the energy of a category would be infinite.
type OverflowError struct {
	Design   string
	Location string
	Category energy.Category
}

func (e *OverflowError) Error() string {
	return fmt.Sprintf("design %s: the %s energy at %s overflows float64 (+Inf J): a design figure is too large for this workload",
		e.Design, e.Category, e.Location)
}

// CheckBill returns an *OverflowError when some joules of b are not finite.
func CheckBill(d *design.Design, arrays []synapse.ArrayInfo, b energy.Bill) error {
	names := make([]string, len(arrays))
	for i, a := range arrays {
		names[i] = a.Name
	}
	locs := energy.Locations(names)
	for l := range b {
		for _, c := range energy.Categories() {
			if j := b[l][c]; !j.Finite() {
				return &OverflowError{Design: d.Name, Location: locs[l], Category: c}
			}
		}
	}
	return nil
}

// Prepare applies d's scope and its policy for trained decay factors λ
// outside [0, 1] to a network. Scope network meters (and so prices) every
// layer (synapse.Network.WholeNetwork); core, the core alone. Policy
// per-step keeps λ; clamp returns a copy with λ clamped into [0, 1] (a
// changed model); refuse fails when any λ lies outside [0, 1], since no
// passive element realises it.
func Prepare(net *synapse.Network, d *design.Design) (*synapse.Network, error) {
	if d.Scope == design.NetworkScope {
		net = net.WholeNetwork()
	}
	switch d.Plasticity.LambdaOutside {
	case design.Clamp:
		return net.ClampLambda(), nil
	case design.Refuse:
		if out, total := net.DecayOutside(); out > 0 {
			return nil, fmt.Errorf("design %s: %s: %d of %d plastic synapses have a decay factor λ outside [0, 1], which a passive element cannot realise (lambda_outside: refuse)",
				d.Name, net.Config.File, out, total)
		}
	}
	return net, nil
}
