package synapse

// Tiles and converters: the two hooks a tiled chip needs. A crossbar tile
// holds a slice of an array's presynaptic inputs; each postsynaptic row's
// partial sum over a tile is converted by an ADC, and the partial sums of
// the row tiles are added digitally. Counting which row tiles a read drives
// is the probe's (Runner.SetTiling); what a converter makes of a partial sum
// is the device's (Converter).

// Converter is a Device whose converters compute a row's weighted sum
// themselves — for example tile by tile, each partial sum quantised by an
// ADC. When the Device given to SetDevice is a Converter, a read uses
// Convert's result as the row's Σ_f e_f z_f; the paper energy is still
// Σ_f z_f² |e_f| of the efficacies the device applied.
type Converter interface {
	// Convert returns the weighted sum of row r of array a, whose
	// efficacies e (as Row left them) are driven by z.
	Convert(a, r int, e, z []float64) float64
}

// SetTiling splits every following read over tiles: array a's presynaptic
// inputs are taken inputs[a] at a time (0: one tile). A read then counts
// one ADC conversion per postsynaptic row and row tile with a nonzero
// input (energy.ArrayCounts.Rows) and one digital add fewer than that
// (Adds). nil restores untiled reads.
func (r *Runner) SetTiling(inputs []int) {
	r.probe.tiles = append([]int(nil), inputs...)
	if inputs == nil {
		r.probe.tiles = nil
	}
}

// activeTiles counts the row tiles of array a with a nonzero input in z
// (1 when the array is untiled and some input is nonzero).
func (p *probe) activeTiles(a int, z []float64) int64 {
	if p.tiles == nil || a >= len(p.tiles) || p.tiles[a] <= 0 || p.tiles[a] >= len(z) {
		return 1
	}
	n := p.tiles[a]
	var active int64
	for lo := 0; lo < len(z); lo += n {
		for _, v := range z[lo:min(lo+n, len(z))] {
			if v != 0 {
				active++
				break
			}
		}
	}
	return active
}
