package circuit

import (
	"math"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/synapse"
)

// Tiling returns, per array, the presynaptic inputs one row tile holds
// (array.rows over the cells a synapse takes: a differential pair takes
// two rows), or nil when the design has no array section.
func Tiling(d *design.Design, arrays []synapse.ArrayInfo) []int {
	if !d.Tiled() {
		return nil
	}
	t := make([]int, len(arrays))
	for i := range t {
		t[i] = d.Array.Rows / d.CellsPerSynapse()
	}
	return t
}

// Tiles is how one synaptic array is laid out on crossbar tiles (or cores).
type Tiles struct {
	// RowTiles split the array's inputs (Cols of synapse.ArrayInfo: they
	// drive crossbar rows), ColTiles its outputs (Rows of ArrayInfo: each
	// sums on a crossbar column).
	RowTiles, ColTiles int
}

// Count is RowTiles × ColTiles.
func (t Tiles) Count() int { return t.RowTiles * t.ColTiles }

// ArrayTiles lays array a out on d's tiles: ⌈inputs / inputs per tile⌉ ×
// ⌈outputs / cols⌉; one tile when the design has no array section.
func ArrayTiles(d *design.Design, a synapse.ArrayInfo) Tiles {
	if !d.Tiled() {
		return Tiles{1, 1}
	}
	per := d.Array.Rows / d.CellsPerSynapse()
	return Tiles{RowTiles: ceilDiv(a.Cols, per), ColTiles: ceilDiv(a.Rows, d.Array.Cols)}
}

func ceilDiv(a, b int) int { return max(1, (a+b-1)/b) }

// converting is a Crossbar whose ADCs quantise each row tile's partial sum
// (design.Array.ADCBits); it implements synapse.Converter.
type converting struct{ *Crossbar }

// Convert adds, over the row tiles of array a, each tile's partial sum
// Σ_f e_f z_f quantised to 2^bits levels over its full-scale range: the
// largest sum the tile's column can carry, n·e_max for n inputs at |z| = 1
// each on a cell at the top of the window (e_max = (g_max − g_min)/g). A
// tile whose inputs are all zero is not converted.
func (x converting) Convert(a, r int, e, z []float64) float64 {
	c := x.c
	n := len(e)
	if c.tiling != nil && c.tiling[a] > 0 {
		n = c.tiling[a]
	}
	emax := c.set.Window() / c.set.GPerUnit[a]
	bits := c.d.Array.ADCBits
	var acc float64
	for lo := 0; lo < len(e); lo += n {
		hi := min(lo+n, len(e))
		var s float64
		active := false
		for f := lo; f < hi; f++ {
			if z[f] != 0 {
				s += e[f] * z[f]
				active = true
			}
		}
		if active {
			acc += Quantise(s, float64(hi-lo)*emax, bits)
		}
	}
	return acc
}

// Quantise rounds x to the nearest of the 2^bits levels k·Δ, Δ = 2·fs/2^bits,
// k from −2^(bits−1) to 2^(bits−1) − 1, that a signed ADC with full-scale
// range [−fs, fs] resolves; beyond the range it clips.
func Quantise(x, fs float64, bits int) float64 {
	if !(fs > 0) || math.IsInf(fs, 1) {
		return x
	}
	step := math.Ldexp(fs, 1-bits)
	half := math.Ldexp(1, bits-1)
	k := math.Round(x / step)
	k = math.Max(-half, math.Min(half-1, k))
	return k * step
}
