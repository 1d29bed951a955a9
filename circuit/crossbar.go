package circuit

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/synapse"
)

// Chip is a network's synaptic arrays built on a design at one Setting: what
// its reads go through. It is shared by every worker of a run; each worker
// reads through a Device of its own (NewDevice).
type Chip struct {
	d         *design.Design
	set       Setting
	arrays    []synapse.ArrayInfo
	device    bool
	variation [][]float64 // per array, per cell: the lognormal device factor
	tiling    []int       // presynaptic inputs per row tile, per array (nil: untiled)
}

// NewChip builds the arrays of a network on design d at setting set
// (GPerUnit must be set for an analog design: one value for every array, or
// one for all).
func NewChip(d *design.Design, arrays []synapse.ArrayInfo, set Setting) (*Chip, error) {
	c := &Chip{d: d, set: set, arrays: arrays, tiling: Tiling(d, arrays)}
	if d.Synapse.Mapping.Analog() {
		switch len(set.GPerUnit) {
		case len(arrays):
			c.set.GPerUnit = append([]float64(nil), set.GPerUnit...)
		case 1:
			c.set.GPerUnit = make([]float64, len(arrays))
			for i := range c.set.GPerUnit {
				c.set.GPerUnit[i] = set.GPerUnit[0]
			}
		default:
			return nil, fmt.Errorf("design %s: %d g_per_unit values for %d arrays", d.Name, len(set.GPerUnit), len(arrays))
		}
	}
	c.device = NeedsDevice(d, &c.set)
	if c.device && set.Variation > 0 {
		// Device-to-device variation is drawn once per programmed cell, in
		// array, row, column (and +/− cell) order, from the design's seed:
		// the same chip for every sequence and every worker.
		rng := rand.New(rand.NewPCG(d.Seed, 0x76617269)) // "vari"
		cells := 1
		if d.Synapse.Mapping == design.Differential {
			cells = 2
		}
		c.variation = make([][]float64, len(arrays))
		for i, a := range arrays {
			v := make([]float64, a.Rows*a.Cols*cells)
			for k := range v {
				v[k] = math.Exp(set.Variation * rng.NormFloat64())
			}
			c.variation[i] = v
		}
	}
	return c, nil
}

// Setting is the setting the chip is built at (GPerUnit one per array).
func (c *Chip) Setting() Setting { return c.set }

// Device reports whether reads go through a crossbar model (NeedsDevice).
func (c *Chip) Device() bool { return c.device }

// NewDevice returns a Crossbar for one worker, or nil when reads are ideal.
func (c *Chip) NewDevice() synapse.Device {
	if !c.device {
		return nil
	}
	x := &Crossbar{c: c, src: rand.NewPCG(0, 0)}
	if c.d.Array.ADCBits > 0 {
		return &converting{x}
	}
	return x
}

// Crossbar reads efficacies through the cells of a design: mapped to
// conductances, saturated to the window, quantised to levels, varied per cell
// and noisy per read. It implements synapse.Device (and sim.Seeder).
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
	c   *Chip
	src *rand.PCG
	rng *rand.Rand
}

// Seed restarts the read noise from a stream of sequence n's own.
func (x *Crossbar) Seed(n int) {
	x.src.Seed(x.c.d.Seed, 0x6e6f6973^uint64(n)<<32) // "nois"
	if x.rng == nil {
		x.rng = rand.New(x.src)
	}
}

func (x *Crossbar) cell(w, gmin, varf float64) float64 {
	set, s := &x.c.set, &x.c.d.Synapse
	if win := set.Window(); w > win {
		w = win
	}
	if s.Levels > 0 {
		step := set.Window() / float64(s.Levels-1)
		w = math.Round(w/step) * step
	}
	g := (gmin + w) * varf
	if set.ReadNoise > 0 {
		g *= 1 + set.ReadNoise*x.rng.NormFloat64()
		g = math.Max(g, 0)
	}
	return g
}

// Row presents row r of array a (see synapse.Device).
func (x *Crossbar) Row(a, r int, e, z []float64) (cellZ2, cellZ1 float64) {
	c := x.c
	g := c.set.GPerUnit[a]
	cols := c.arrays[a].Cols
	var vf []float64
	if c.variation != nil {
		vf = c.variation[a]
	}
	diff := c.d.Synapse.Mapping == design.Differential
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
			gp := x.cell(g*math.Max(v, 0), c.set.GMin, v1)
			gn := x.cell(g*math.Max(-v, 0), c.set.GMin, v2)
			e[f] = (gp - gn) / g
			total = gp + gn
		} else {
			vk := 1.0
			if vf != nil {
				vk = vf[k]
			}
			gc := x.cell(g*math.Abs(v), 0, vk)
			e[f] = math.Copysign(gc/g, v)
			total = gc
		}
		cellZ2 += zf * zf * total
		cellZ1 += math.Abs(zf) * total
	}
	return cellZ2, cellZ1
}

// Store rounds a short-term state to the levels of array a's cells: the
// efficacy f[i] contributes, u.At(i)·f[i], is rounded to the level spacing
// in efficacy units (the volatile element holds the same analog levels).
// Increments smaller than half a level are lost, as on the device.
func (x *Crossbar) Store(a int, f []float64, u synapse.Unit) {
	s := &x.c.d.Synapse
	if s.Levels == 0 {
		return
	}
	step := x.c.set.Window() / float64(s.Levels-1) / x.c.set.GPerUnit[a]
	for i, v := range f {
		if k := u.At(i); k != 0 {
			f[i] = math.Round(v*k/step) * step / k
		}
	}
}
