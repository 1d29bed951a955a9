package synapse_test

import (
	"path/filepath"
	"testing"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// Float32 tolerances against the float64 reference. The unit roundoff of
// float32 is 2⁻²⁴ ≈ 6e−8; a step's energy is a sum of rows·cols terms of
// products rounded a few times each, over nine recurrent steps, so its
// relative error is a few 1e−7 — the paper's own float32 run
// (energy.npy, logits.npy) is within 4e−7 relative (energy) and 2e−6
// (logits) of its float64 run on these models. We allow ten times that:
// enough for a different summation order, far too little for arithmetic
// coarser than float32 (bfloat16's 2⁻⁸ would miss by 1e4).
const (
	float32EnergyRtol = 4e-6
	float32LogitsAtol = 2e-5
)

// float32Run runs a model's inputs through Float32 blocks and returns the
// per-step energies and the logits.
func float32Run(t *testing.T, net *synapse.Network, x []float64, N, T, I int) (energies, logits []float64) {
	t.Helper()
	blk := net.NewBlockPrecision(synapse.Float32)
	xs := make([][]float64, synapse.Lanes)
	var e [synapse.Lanes]energy.Paper
	energies = make([]float64, N*T)
	for n0 := 0; n0 < N; n0 += synapse.Lanes {
		blk.Reset()
		if !blk.Lockstep() {
			t.Fatal("the model does not run lock-step")
		}
		for k := range T {
			for l := range xs {
				n := min(n0+l, N-1)
				xs[l] = x[(n*T+k)*I : (n*T+k+1)*I]
			}
			blk.Step(xs, e[:])
			for l := range synapse.Lanes {
				if n0+l < N {
					energies[(n0+l)*T+k] = float64(e[l])
				}
			}
		}
		for l := range synapse.Lanes {
			if n0+l < N {
				logits = append(logits, blk.Runner(l).Logits()...)
			}
		}
	}
	return energies, logits
}

// The float32 kernel against the float64 reference, with the paper's own
// float32 run as the yardstick; and the float32 assembly kernels against
// the pure-Go loops (the same operations: the same bits).
func TestFloat32(t *testing.T) {
	for _, m := range []struct{ set, name, inputs string }{
		{"art", "ART_STPN_h11", "inputs.npy"}, {"art", "ART_STPN_scalarSTP_h20", "inputs.npy"},
		{"perf", "ART_STPN_h128", "inputs_64.npy"}, {"perf", "ART_STPN_h512", "inputs_64.npy"},
	} {
		t.Run(m.name, func(t *testing.T) {
			dir := testutil.Testdata(m.set, m.name)
			in := testutil.NPY(t, testutil.Testdata(m.set, m.inputs))
			N, T, I := in.Shape[0], in.Shape[1], in.Shape[2]
			net := load(t, dir)
			gotE, gotL := float32Run(t, net, in.Float, N, T, I)
			wantE := testutil.NPY(t, filepath.Join(dir, "energy_f64.npy")).Float
			wantL := testutil.NPY(t, filepath.Join(dir, "logits_f64.npy")).Float
			paperE := testutil.NPY(t, filepath.Join(dir, "energy.npy")).Float
			paperL := testutil.NPY(t, filepath.Join(dir, "logits.npy")).Float
			ours, _ := testutil.MaxRelErr(gotE, wantE, 1e-12)
			theirs, _ := testutil.MaxRelErr(paperE, wantE, 1e-12)
			t.Logf("energy per step, max relative error vs float64: neurosim float32 %.2g, paper's float32 %.2g", ours, theirs)
			if ours > float32EnergyRtol {
				t.Errorf("energy: max relative error %g > %g", ours, float32EnergyRtol)
			}
			lo, lt := maxAbsErr(gotL, wantL), maxAbsErr(paperL, wantL)
			t.Logf("logits, max absolute error vs float64: neurosim float32 %.2g, paper's float32 %.2g", lo, lt)
			if lo > float32LogitsAtol {
				t.Errorf("logits: max absolute error %g > %g", lo, float32LogitsAtol)
			}
			if ours == 0 || lo == 0 {
				t.Error("float32 run gives float64's bits: it is not in float32")
			}
			old := synapse.SetKernels(false)
			goE, goL := float32Run(t, net, in.Float, N, T, I)
			synapse.SetKernels(old)
			for i := range goE {
				if goE[i] != gotE[i] {
					t.Fatalf("step %d: pure Go %v, kernels %v", i, goE[i], gotE[i])
				}
			}
			for i := range goL {
				if goL[i] != gotL[i] {
					t.Fatalf("logit %d: pure Go %v, kernels %v", i, goL[i], gotL[i])
				}
			}
		})
	}
}

func maxAbsErr(got, want []float64) float64 {
	worst := 0.0
	for i := range want {
		worst = max(worst, abs(got[i]-want[i]))
	}
	return worst
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
