package report_test

import (
	"context"
	"math"
	"testing"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sim"
	"github.com/neurosim/neurosim/synapse"
	"github.com/neurosim/neurosim/workload"
)

func with(t *testing.T, d *design.Design, kv ...string) *design.Design {
	t.Helper()
	for i := 0; i < len(kv); i += 2 {
		var err error
		if d, err = d.WithText(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func preset(t *testing.T, name string) *design.Design {
	t.Helper()
	d, err := design.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func budget(t *testing.T, e *report.Energy, opt report.BudgetOptions) *report.Budget {
	t.Helper()
	b, err := report.NewBudget(e, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// power = J/step (dynamic) × rate + static power; J/inference = J/step ×
// steps per sequence, static charged over 1/rate per step.
func TestBudgetPower(t *testing.T) {
	d := with(t, preset(t, "rram-neurosim"), "static_power", "1mW")
	e := evaluate(t, model(t, "ART_STPN_h11"), d, artSet(t))
	b := budget(t, e, report.BudgetOptions{Rate: 2000, Battery: 3600})
	total := e.Runs[0].Result.TotalCounts()
	dyn := e.Joules.Breakdown
	dyn[energy.Static] = energy.Joules{}
	perStep := dyn.Total()
	steps := float64(total.Steps) // 128 sequences × 9 steps
	if steps != 128*9 {
		t.Fatalf("%v steps, want 1152", steps)
	}
	for _, end := range []struct {
		name      string
		got, dynJ float64
	}{{"low", b.Power.Lo, float64(perStep.Lo)}, {"high", b.Power.Hi, float64(perStep.Hi)}} {
		near(t, "power "+end.name, end.got, end.dynJ/steps*2000+1e-3)
	}
	near(t, "J per inference", float64(b.PerInference.Lo), (float64(perStep.Lo)/steps+1e-3/2000)*9)
	near(t, "battery life", b.BatteryLife.Hi, 3600/b.Power.Lo)
	// One 128×128 differential tile holds 64 inputs: STPN h11's 48 and 11 outputs fit in one.
	if len(b.Tiles) != 1 || b.Tiles[0].Count() != 1 {
		t.Errorf("tiles %+v, want one", b.Tiles)
	}
}

// tiles = ⌈inputs / inputs per tile⌉ · ⌈outputs / cols⌉, a differential pair
// taking two crossbar rows.
func TestTiles(t *testing.T) {
	d := preset(t, "rram-neurosim") // 128 × 128, differential: 64 inputs per tile
	a := circuitArray(200, 300)     // 200 inputs, 300 outputs
	if got := circuit.ArrayTiles(d, a); got.RowTiles != 4 || got.ColTiles != 3 || got.Count() != 12 {
		t.Errorf("differential: %+v, want ⌈200/64⌉ = 4 × ⌈300/128⌉ = 3 = 12", got)
	}
	p := preset(t, "paper")
	p.Array = design.Array{Rows: 128, Cols: 100, ColsPerADC: 4}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := circuit.ArrayTiles(p, a); got.Count() != 2*3 {
		t.Errorf("ideal: %+v, want ⌈200/128⌉ = 2 × ⌈300/100⌉ = 3", got)
	}
}

// Area sums its components, each counted by hand for STPN h11 (48 inputs,
// 11 outputs) on one NeuroSim tile: 128·128 cells of 48·(40 nm)², 128/8 =
// 16 ADCs, 128 DACs, 11 neurons, no adder (one row tile).
func TestArea(t *testing.T) {
	d := preset(t, "rram-neurosim")
	e := evaluate(t, model(t, "ART_STPN_h11"), d, artSet(t))
	b := budget(t, e, report.BudgetOptions{})
	want := 128*128*48*40e-9*40e-9 + 16*476.91e-12 + 128*0.166015625e-12 + 11*350e-12
	near(t, "area", b.Area.Lo, want)
	var sum float64
	for _, c := range b.AreaBy {
		sum += c.Area.Lo
	}
	near(t, "area by component", sum, b.Area.Lo)
	if len(b.AreaBy) != 4 {
		t.Errorf("%d components, want cells, adc, dac, neurons (no adders on one row tile)", len(b.AreaBy))
	}
}

// Lifetime = endurance / (writes per cell per second). A rewrite element
// writes every plastic cell every step: at 1000 steps/s and 10⁶ cycles,
// 1000 s for the worst and the median cell alike.
func TestLifetime(t *testing.T) {
	d := with(t, preset(t, "rram-neurosim"), "plasticity.endurance", "1e6")
	e := evaluate(t, model(t, "ART_STPN_h11"), d, artSet(t))
	b := budget(t, e, report.BudgetOptions{Rate: 1000})
	if l := b.Lifetime; l == nil || l.Worst.Lo != 1000 || l.Median.Hi != 1000 {
		t.Fatalf("rewrite lifetime %+v, want 1000 s", b.Lifetime)
	}
	// A volatile element writes a cell when its Hebbian increment is
	// nonzero: the worst cell is the one written most often.
	d = with(t, d, "plasticity.element", "volatile")
	e = evaluate(t, model(t, "ART_STPN_h11"), d, artSet(t))
	b = budget(t, e, report.BudgetOptions{Rate: 1000})
	c := e.Runs[0].Result.TotalCounts()
	var most int64
	for _, w := range c.Arrays[0].CellWrites {
		most = max(most, w)
	}
	if len(c.Arrays[0].CellWrites) != 528 || most == 0 {
		t.Fatalf("%d cells, at most %d writes", len(c.Arrays[0].CellWrites), most)
	}
	near(t, "worst lifetime", b.Lifetime.Worst.Lo, 1e6/(float64(most)/float64(c.Steps)*1000))
	if b.Lifetime.Median.Lo < b.Lifetime.Worst.Lo {
		t.Errorf("median cell %v s outlives the worst %v s less", b.Lifetime.Median.Lo, b.Lifetime.Worst.Lo)
	}
}

// With many ADC bits the quantised run is the unquantised one: a 40-bit
// step is 2·48·e_max/2^40 ≈ 1e-10·e_max (e_max ≤ 1 for row-normalised
// STPN), so logits (of order 1; absolute below 1) and energies agree to
// 1e-9. At 24 bits the step is 2^16 times larger, ≈ 6e-6.
func TestADCBitsLarge(t *testing.T) {
	base := with(t, preset(t, "rram-neurosim"), "synapse.levels", "0")
	q := with(t, base, "array.adc_bits", "40")
	m := model(t, "ART_STPN_h11")
	a, b := evaluate(t, m, base, artSet(t)), evaluate(t, m, q, artSet(t))
	testutil.Close(t, "logits", b.Result.Logits, a.Result.Logits, 1e-9, 1)
	pa, pb := paperSeqs(a), paperSeqs(b)
	testutil.Close(t, "paper energy per sequence", pb, pa, 1e-9, 0)
	// A coarse ADC does change the run.
	c := evaluate(t, m, with(t, base, "array.adc_bits", "3"), artSet(t))
	if maxDiff(c.Result.Logits, a.Result.Logits) < 1e-3 {
		t.Error("a 3-bit ADC left the logits unchanged")
	}
}

func paperSeqs(e *report.Energy) []float64 {
	out := make([]float64, e.Result.N)
	for n := range out {
		out[n] = float64(e.Result.SequenceEnergy(n))
	}
	return out
}

func maxDiff(a, b []float64) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

// A device whose every cell has the τ its synapse needs, τ = −Δt/ln λ,
// decays by exp(−Δt/τ) = λ: the run is today's (λ outside [0, 1] kept).
func TestDeviceTauEqualsNeeded(t *testing.T) {
	m := model(t, "ART_STPN_h11")
	lam := m.Net.DecayFactors()
	const step = 1e-3
	f := make([]float64, len(lam))
	for i, l := range lam {
		tau := circuit.NeededTau(l, step)
		switch {
		case math.IsNaN(tau):
			f[i] = l
		default:
			f[i] = math.Exp(-step / tau)
		}
	}
	dev, err := m.Net.WithDecay(f)
	if err != nil {
		t.Fatal(err)
	}
	in := workload.FromSet(artSet(t))
	run := func(net *synapse.Network) *sim.Result {
		r, err := sim.Run(context.Background(), net, in, sim.Options{Clocked: true, StepSeconds: step, Logits: true})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	want, got := run(m.Net), run(dev)
	// exp(ln λ) rounds to within a few ulps of λ: 1e-12 on every step.
	testutil.Close(t, "per-step energy", paperOf(got), paperOf(want), 1e-12, 1e-15)
	testutil.Close(t, "logits", got.Logits, want.Logits, 1e-12, 1e-12)
}

func paperOf(r *sim.Result) []float64 {
	out := make([]float64, len(r.PerStep))
	for i, v := range r.PerStep {
		out[i] = float64(v)
	}
	return out
}

// The realisable count equals a direct count over λ: τ = −Δt/ln λ lies in
// [lo, hi] exactly when λ lies in [exp(−Δt/lo), exp(−Δt/hi)].
func TestRealisableCount(t *testing.T) {
	d := with(t, preset(t, "stp-diffusive"), "plasticity.retention_variation", "0")
	e := evaluate(t, model(t, "ART_STPN_h11"), d, artSet(t))
	b := budget(t, e, report.BudgetOptions{})
	lam := e.Model.Net.DecayFactors()
	lo, hi := math.Exp(-1e-3/1e-3), math.Exp(-1e-3/10e-3) // step 1 ms, τ in [1 ms, 10 ms]
	inRange, outside := 0, 0
	for _, l := range lam {
		switch {
		case l < 0 || l > 1:
			outside++
		case l >= lo && l <= hi:
			inRange++
		}
	}
	s := b.STP
	if s == nil || s.Synapses != 528 || s.Outside != outside || outside != 62 ||
		s.Realisable.Lo != float64(inRange) || s.Realisable.Hi != float64(inRange) {
		t.Errorf("realisable %+v, want %d of 528 with %d (62) outside [0, 1]", s, inRange, outside)
	}
}

func circuitArray(inputs, outputs int) synapse.ArrayInfo {
	return synapse.ArrayInfo{Name: "a", Rows: outputs, Cols: inputs}
}
