package circuit

import (
	"math"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/synapse"
)

// The chip budget beyond joules: how long a step takes and how much
// silicon the network needs. Both follow from the design's figures and
// the counts of a run, so they are re-derived without simulating again.

// span evaluates f at the low and the high ends of the design's figures
// (f is non-decreasing in each of them), as a range.
func span(f func(hi bool) float64) design.Range {
	return design.Range{Lo: f(false), Hi: f(true)}
}

func end(r design.Range, hi bool) float64 {
	if hi {
		return r.Hi
	}
	return r.Lo
}

// StepLatency is the time one network step takes (s), from the counts c of
// a run over arrays.
//
// Analog: each array is read ⌈reads/steps⌉ times a step (its reads per step
// in the run, rounded up), one read after another; a read takes t_read
// (the full pulse; every tile in parallel), then min(cols_per_adc, columns
// in use) conversions of t_conversion (each ADC converts its columns one
// after another), ⌈log2 row tiles⌉ levels of the adder tree at t_add, and
// one activation time t_neuron (every output has its own circuit).
//
// Digital: a core works through its synaptic operations and then its
// neuron updates one after another, the tiles (cores) in parallel with the
// work split evenly: (synops/step·t_synop + evaluations/step·t_neuron) /
// cores, plus the adder tree.
func StepLatency(d *design.Design, arrays []synapse.ArrayInfo, c *energy.Counts) design.Range {
	steps := float64(max(c.Steps, 1))
	if !d.Synapse.Mapping.Analog() {
		var synops float64
		cores := 0
		tree := 0
		for i, a := range arrays {
			synops += float64(c.Arrays[i].SynOps)
			t := ArrayTiles(d, a)
			cores += t.Count()
			tree = max(tree, levels(t.RowTiles))
		}
		return span(func(hi bool) float64 {
			return (synops/steps*end(d.Synapse.TSynop, hi)+float64(c.Neurons)/steps*end(d.Readout.TNeuron, hi))/
				float64(cores) + float64(tree)*end(d.Array.TAdd, hi)
		})
	}
	return span(func(hi bool) float64 {
		var t float64
		for i, a := range arrays {
			reads := math.Ceil(float64(c.Arrays[i].Reads) / steps)
			if reads == 0 {
				continue
			}
			tl := ArrayTiles(d, a)
			conv := 0
			if d.Tiled() {
				conv = min(d.Array.ColsPerADC, d.Array.Cols, a.Rows)
			}
			read := end(d.Input.TRead, hi) + float64(conv)*end(d.Array.TConversion, hi) +
				float64(levels(tl.RowTiles))*end(d.Array.TAdd, hi) + end(d.Readout.TNeuron, hi)
			t += reads * read
		}
		return t
	})
}

// levels is the depth ⌈log2 n⌉ of an adder tree over n partial sums.
func levels(n int) int {
	l := 0
	for k := 1; k < n; k *= 2 {
		l++
	}
	return l
}

// AreaComponent is the silicon of one kind of component (m²).
type AreaComponent struct {
	Name  string
	Count int // instances
	Area  design.Range
}

// ChipArea is the area of the network's arrays on d, by component, in a
// fixed order: crossbar cells, ADCs, DACs (row drivers), neurons
// (activation circuits), adders, and the rest of each tile. Only the
// components whose area the design gives are listed.
//
// Counts: cells = every cell of every tile (tiles × rows × cols; untiled:
// the cells in use, cells per synapse × inputs × outputs); ADCs = tiles ×
// ⌈cols / cols_per_adc⌉ (untiled: one per output); DACs = one per crossbar
// row of every tile (untiled: one per row in use); neurons = one per output
// of each array; adders = one per output for each row tile beyond the
// first; tiles = every tile (untiled: one per array).
func ChipArea(d *design.Design, arrays []synapse.ArrayInfo) []AreaComponent {
	var cells, adcs, dacs, neurons, adders, tiles int
	k := d.CellsPerSynapse()
	for _, a := range arrays {
		t := ArrayTiles(d, a)
		neurons += a.Rows
		adders += (t.RowTiles - 1) * a.Rows
		tiles += t.Count()
		if d.Tiled() {
			cells += t.Count() * d.Array.Rows * d.Array.Cols
			dacs += t.Count() * d.Array.Rows
			if d.Array.ColsPerADC > 0 {
				adcs += t.Count() * ceilDiv(d.Array.Cols, d.Array.ColsPerADC)
			}
		} else {
			cells += k * a.Cols * a.Rows
			dacs += k * a.Cols
			adcs += a.Rows
		}
	}
	if !d.Synapse.Mapping.Analog() {
		cells, adcs, dacs = 0, 0, 0
	}
	ar := &d.Area
	var out []AreaComponent
	add := func(name string, n int, each design.Range) {
		if each == (design.Range{}) || n == 0 {
			return
		}
		out = append(out, AreaComponent{name, n, design.Range{Lo: float64(n) * each.Lo, Hi: float64(n) * each.Hi}})
	}
	add("cells", cells, d.CellArea())
	add("adc", adcs, ar.ADC)
	add("dac", dacs, ar.DAC)
	add("neurons", neurons, ar.Neuron)
	add("adders", adders, ar.Adder)
	add("tiles", tiles, ar.Tile)
	return out
}
