package workload

import (
	"slices"
	"testing"

	"github.com/neurosim/neurosim/internal/testutil"
)

// Observations [N, T, …obs shape] (Pong frames [2, 8, 84, 84, 1]) are read
// as N·T steps of 84·84·1 values, with the step's shape kept.
func TestLoadObservations(t *testing.T) {
	s, err := LoadInputs(testutil.Testdata("rl", "observations_PONG.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 2 || s.T != 8 || s.I != 84*84 || !slices.Equal(s.Obs, []int{84, 84, 1}) {
		t.Errorf("set %d × %d × %d, step shape %v; want 2 × 8 × 7056, [84 84 1]", s.N, s.T, s.I, s.Obs)
	}
	p, err := LoadInputs(testutil.Testdata("rl", "observations_PEND.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if p.I != 4 || !slices.Equal(p.Obs, []int{4}) {
		t.Errorf("pendulum: %d values per step, shape %v; want 4, [4]", p.I, p.Obs)
	}
}
