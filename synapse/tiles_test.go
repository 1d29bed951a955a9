package synapse

import (
	"testing"

	"github.com/neurosim/neurosim/energy"
)

// A read over tiles of 4 inputs counts one conversion per row and row tile
// with a nonzero input, and one add fewer per row (by hand: tiles {0..3},
// {4..7}, {8..11}; z drives the first and the third).
func TestTileCounts(t *testing.T) {
	c := energy.NewCounts(1)
	p := probe{c: &c, tiles: []int{4}}
	z := []float64{1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0}
	p.begin(0, z, 5)
	if m := c.Arrays[0]; m.Rows != 5*2 || m.Adds != 5*1 || m.Drives != 2 || m.Reads != 1 {
		t.Errorf("tiled read: %+v, want 10 conversions, 5 adds, 2 drives, 1 read", m)
	}
	// Untiled, the same read converts each row once and adds nothing.
	c.Reset()
	p.tiles = nil
	p.begin(0, z, 5)
	if m := c.Arrays[0]; m.Rows != 5 || m.Adds != 0 {
		t.Errorf("untiled read: %+v, want 5 conversions, no add", m)
	}
	// All inputs zero: no read, nothing converted.
	c.Reset()
	p.tiles = []int{4}
	p.begin(0, make([]float64, 12), 5)
	if m := c.Arrays[0]; m.Rows != 0 || m.Reads != 0 {
		t.Errorf("silent read: %+v", m)
	}
}
