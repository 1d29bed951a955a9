package synapse_test

import (
	"testing"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/testutil"
)

// A step must not allocate: every buffer lives in the Runner.
func TestStepDoesNotAllocate(t *testing.T) {
	in := testutil.NPY(t, testutil.Testdata("art", "inputs.npy"))
	for _, name := range testutil.ReferenceModels(t) {
		net := load(t, testutil.Testdata("art", name))
		x := in.Float[:net.Cell.InputSize()]
		plain, metered := net.NewRunner(), net.NewRunner()
		// Metering everything, through a device, at a fractional Δ.
		metered.Meter(energy.Meter{Abs: true, Writes: true, Peak: true})
		metered.SetDevice(&passThrough{})
		if a := testing.AllocsPerRun(100, func() { plain.Step(x); plain.Logits() }); a != 0 {
			t.Errorf("%s: %v allocations per step", name, a)
		}
		if a := testing.AllocsPerRun(100, func() { metered.StepFor(x, 1.5) }); a != 0 {
			t.Errorf("%s: %v allocations per metered step", name, a)
		}
	}
}

// BenchmarkSequence runs one 9-step ART sequence (the unit of the reference
// timing in testdata/perf/reference_timing.json) through a single Runner.
// synapse-updates/s = sequences/s × 9 × H × (H + 37), as the reference counts.
func BenchmarkSequence(b *testing.B) {
	in := testutil.NPY(b, testutil.Testdata("art", "inputs.npy"))
	for _, m := range []struct{ set, name string }{
		{"art", "ART_STPN_h11"}, {"perf", "ART_STPN_h128"},
		{"art", "ART_LSTM_h9"}, {"art", "ART_FW_S1_h20"}, {"art", "ART_MODPLAST_h17"},
	} {
		net := load(b, testutil.Testdata(m.set, m.name))
		b.Run(m.name, func(b *testing.B) {
			r := net.NewRunner()
			I, T := net.Cell.InputSize(), 9
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				seq := in.Float[(n%128)*T*I : (n%128+1)*T*I]
				r.Reset()
				for t := range T {
					r.Step(seq[t*I : (t+1)*I])
				}
				r.Logits()
				n++
			}
			H := net.Cell.HiddenSize()
			b.ReportMetric(float64(b.N)*float64(T*H*(H+I))/b.Elapsed().Seconds(), "synapse-upd/s")
		})
	}
}

// BenchmarkAgentStep runs one step of a reference agent: PONG_RNN's two
// convolutions (400 and 81 positions) and core, and the pendulum STPN with
// its linear front-end.
func BenchmarkAgentStep(b *testing.B) {
	for _, name := range []string{"PONG_RNN", "PEND_STPN"} {
		net := fixture.Agent(b, name)
		_, _, I, x := fixture.Observations(b, name)
		b.Run(name, func(b *testing.B) {
			r := net.NewRunner()
			b.ReportAllocs()
			for b.Loop() {
				r.Step(x[:I])
			}
		})
	}
}
