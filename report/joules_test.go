package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/workload"
)

func model(t *testing.T, name string) *report.Model {
	t.Helper()
	m, err := report.LoadModel(testutil.Testdata("art", name, "model.pth"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func artSet(t *testing.T) *workload.Set { return fixture.ART(t) }

// mkDesign parses a design file built from a template; keys are replaced by
// the overrides given as "key: value" lines.
func mkDesign(t *testing.T, synapse, input, extra string) *design.Design {
	t.Helper()
	if extra == "" {
		extra = "static_power: 0W\nstep_period: 1ms\nseed: 1\n"
	}
	y := "name: test\nsource: test\n" +
		"synapse: {" + synapse + "}\n" +
		"input: {" + input + "}\n" +
		"readout: {adc_energy: 0J, neuron_energy: 0J}\n" +
		"plasticity: {element: volatile, write_energy_per_event: 0J, write_energy_per_unit: 0J}\n" + extra
	d, err := design.Parse("test.yaml", []byte(y))
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	return d
}

func evaluate(t *testing.T, m *report.Model, d *design.Design, set *workload.Set) *report.Energy {
	t.Helper()
	e, err := report.Evaluate(context.Background(), m, d, set, nil, report.EvalOptions{Logits: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func cat(e *report.Energy, c energy.Category) float64 {
	return float64(e.Joules.Breakdown[c].Lo)
}

// Identities are float64 sums of the same terms in different orders: 1e-12.
const idTol = 1e-12

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	testutil.Close(t, what, []float64{got}, []float64{want}, idTol, 0)
}

// With the paper design, synapse_read joules are the paper's number and
// every other category is exactly zero — for every reference model.
func TestPaperDesignIsThePaper(t *testing.T) {
	set := artSet(t)
	d, err := design.Lookup("paper")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range testutil.ReferenceModels(t) {
		e := evaluate(t, model(t, name), d, set)
		wantE := testutil.NPY(t, testutil.Testdata("art", name, "energy_f64.npy"))
		var want float64
		for _, v := range wantE.Float {
			want += v
		}
		// against the reference: same tolerance argument as synapse's tests
		testutil.Close(t, name+" synapse_read vs reference", []float64{cat(e, energy.SynapseRead)}, []float64{want}, 1e-11, 0)
		near(t, name+" synapse_read vs paper energy", cat(e, energy.SynapseRead), e.Paper.Lo)
		for _, c := range energy.Categories() {
			if b := e.Joules.Breakdown[c]; c != energy.SynapseRead && (b.Lo != 0 || b.Hi != 0) {
				t.Errorf("%s: %s = %v, want exactly 0", name, c, b)
			}
		}
		if !e.Joules.Total.IsPoint() || len(e.Runs) != 1 {
			t.Errorf("%s: paper design gave a range %v over %d runs", name, e.Joules.Total, len(e.Runs))
		}
	}
}

// Read energy scales as v_read² and t_read (E = G·V²·t), and the
// differential pair adds 2·g_min·v²·t per unit of Σ_steps Σ_rows Σ_f z_f².
func TestReadEnergyIdentities(t *testing.T) {
	set := artSet(t)
	// An explicit g_per_unit with a bounded window reads through the
	// crossbar model (cells may saturate); auto reads the ideal efficacies
	// and derives cell currents from metered sums. Both must obey the
	// identities.
	const syn = "mapping: %s, g_per_unit: %s, g_min: 0.5uS, g_max: 20uS, levels: 0, variation: 0, read_noise: 0"
	const in = "encoding: amplitude, v_read: %s, t_read: %s, dac_energy: 0J"
	for _, g := range []string{"2uS", "auto"} {
		for _, name := range []string{"ART_STPN_h11", "ART_STPNf_h13", "ART_LSTM_h9", "ART_FW_S1_h20", "ART_MODPLAST_h17"} {
			m := model(t, name)
			run := func(mapping, v, tr string) *report.Energy {
				return evaluate(t, m, mkDesign(t, fmt.Sprintf(syn, mapping, g), fmt.Sprintf(in, v, tr), ""), set)
			}
			read := func(mapping, v, tr string) float64 { return cat(run(mapping, v, tr), energy.SynapseRead) }
			e := run("ideal", "0.2V", "10ns")
			base := cat(e, energy.SynapseRead)
			near(t, name+" v_read ×2", read("ideal", "0.4V", "10ns"), 4*base)
			near(t, name+" t_read ×2", read("ideal", "0.2V", "20ns"), 2*base)
			// ideal: G = g·|e|, so E = g·v²·t·Σz²|e| = g·v²·t × paper energy
			// (one array, or arrays sharing g).
			if gs := e.Runs[0].Setting.GPerUnit; len(gs) == 1 {
				near(t, name+" ideal = g·v²·t·paper", base, gs[0]*0.04*10e-9*e.Paper.Lo)
			}
			if name == "ART_STPNf_h13" {
				// STPNf's presynaptic vector is the one-hot input alone: Σ_f z_f² = 1
				// per step, so Σ_steps Σ_rows Σ_f z_f² = 13 rows × 128 × 9.
				// The difference cancels two totals, so its error is relative to them.
				diff := read("differential", "0.2V", "10ns") - base
				testutil.Close(t, g+" differential − ideal", []float64{diff}, []float64{2 * 0.5e-6 * 0.04 * 10e-9 * 13 * 128 * 9}, idTol, base)
			}
		}
	}
}

// DAC energy = dac_energy × nonzero presynaptic values; static = static_power
// × N × T × step_period.
func TestPeripheryIdentities(t *testing.T) {
	set := artSet(t)
	d := mkDesign(t, "mapping: ideal, g_per_unit: 1S", "encoding: amplitude, v_read: 1V, t_read: 1ns, dac_energy: 3pJ",
		"static_power: 2mW\nstep_period: 5us\nseed: 1\n")
	// STPNf reads the one-hot input only: one nonzero value per step.
	e := evaluate(t, model(t, "ART_STPNf_h13"), d, set)
	near(t, "dac", cat(e, energy.DAC), 3e-12*128*9)
	near(t, "static", cat(e, energy.Static), 2e-3*128*9*5e-6)
	// STPN drives [x ; h_{t−1}]: x one-hot, h_{t−1} = 0 at t = 0 and tanh of
	// a generic preactivation (never exactly 0) after: 1 + 11 per later step.
	e = evaluate(t, model(t, "ART_STPN_h11"), d, set)
	near(t, "dac STPN", cat(e, energy.DAC), 3e-12*128*(9+8*11))
}

// Ranges: every energy that depends on a ranged price becomes a range whose
// ends are the energy at the low and the high price.
func TestRanges(t *testing.T) {
	set := artSet(t)
	m := model(t, "ART_STPN_h11")
	const syn = "mapping: ideal, g_per_unit: 1S"
	lo := evaluate(t, m, mkDesign(t, syn, "encoding: amplitude, v_read: 1V, t_read: 1ns, dac_energy: 1pJ", ""), set)
	hi := evaluate(t, m, mkDesign(t, syn, "encoding: amplitude, v_read: 2V, t_read: 1ns, dac_energy: 9pJ", ""), set)
	r := evaluate(t, m, mkDesign(t, syn, "encoding: amplitude, v_read: [1V, 2V], t_read: 1ns, dac_energy: [1pJ, 9pJ]", ""), set)
	if r.Joules.Total.Lo != lo.Joules.Total.Lo || r.Joules.Total.Hi != hi.Joules.Total.Hi {
		t.Errorf("range %v, want [%v, %v]", r.Joules.Total, lo.Joules.Total.Lo, hi.Joules.Total.Hi)
	}
}

// Noise is seeded: same seed → same bits; another seed → another result;
// a noise-free design does not depend on the seed.
func TestSeeds(t *testing.T) {
	set := artSet(t)
	m := model(t, "ART_STPN_h11")
	const in = "encoding: amplitude, v_read: 0.5V, t_read: 10ns, dac_energy: 0J"
	noisy := func(seed int) *report.Energy {
		return evaluate(t, m, mkDesign(t, "mapping: differential, g_per_unit: auto, g_min: 1uS, g_max: 10uS, levels: 16, variation: 0.1, read_noise: 0.05",
			in, fmt.Sprintf("static_power: 0W\nstep_period: 1ms\nseed: %d\n", seed)), set)
	}
	a, b, c := noisy(1), noisy(1), noisy(2)
	if a.Joules.Total != b.Joules.Total || a.Paper != b.Paper || fmt.Sprint(a.Result.Logits) != fmt.Sprint(b.Result.Logits) {
		t.Error("same seed, different results")
	}
	if a.Joules.Total == c.Joules.Total || fmt.Sprint(a.Result.Logits) == fmt.Sprint(c.Result.Logits) {
		t.Error("different seeds, same noisy results")
	}
	clean := func(seed int) *report.Energy {
		return evaluate(t, m, mkDesign(t, "mapping: differential, g_per_unit: auto, g_min: 1uS, g_max: 10uS, levels: 0, variation: 0, read_noise: 0",
			in, fmt.Sprintf("static_power: 0W\nstep_period: 1ms\nseed: %d\n", seed)), set)
	}
	if x, y := clean(1), clean(99); x.Joules.Total != y.Joules.Total || fmt.Sprint(x.Result.Logits) != fmt.Sprint(y.Result.Logits) {
		t.Error("a noise-free design depends on the seed")
	}
}

// Results of a noisy design do not depend on the number of workers.
func TestNoisyWorkers(t *testing.T) {
	set := artSet(t)
	m := model(t, "ART_FW_S1_h20")
	d := mkDesign(t, "mapping: differential, g_per_unit: auto, g_min: 1uS, g_max: 10uS, levels: 8, variation: 0.2, read_noise: 0.1",
		"encoding: pulse-width, v_read: 0.5V, t_read: 10ns, dac_energy: 1pJ", "")
	run := func(w int) *report.Energy {
		e, err := report.Evaluate(context.Background(), m, d, set, nil, report.EvalOptions{Workers: w, Logits: true})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b := run(1), run(5)
	if a.Joules.Total != b.Joules.Total || fmt.Sprint(a.Result.Logits) != fmt.Sprint(b.Result.Logits) {
		t.Error("workers changed a noisy result")
	}
}

// Accuracy under the design: coarse levels and strong noise hurt accuracy
// (the design is applied to the forward pass, not just priced).
func TestDeviceChangesAccuracy(t *testing.T) {
	set := artSet(t)
	m := model(t, "ART_STPN_h11")
	acc := func(levels int, noise float64) float64 {
		d := mkDesign(t, fmt.Sprintf("mapping: differential, g_per_unit: auto, g_min: 1uS, g_max: 10uS, levels: %d, variation: 0, read_noise: %g", levels, noise),
			"encoding: amplitude, v_read: 0.5V, t_read: 10ns, dac_energy: 0J", "")
		return evaluate(t, m, d, set).Accuracy.Lo
	}
	ideal := acc(0, 0)
	if ideal != 0.4296875 {
		t.Errorf("continuous noise-free device: accuracy %v, want the model's 0.4296875", ideal)
	}
	if a := acc(2, 0); a >= ideal {
		t.Errorf("2 levels: accuracy %v, not below %v", a, ideal)
	}
	if a := acc(0, 1); a >= ideal {
		t.Errorf("read noise σ = 1: accuracy %v, not below %v", a, ideal)
	}
}

func TestBadDesignName(t *testing.T) {
	_, err := report.LoadDesign("no-such-chip")
	if err == nil || !strings.Contains(err.Error(), "no-such-chip") {
		t.Errorf("got %v", err)
	}
}

// A volatile element is written where the Hebbian increment γ⊙(h ⊗ x) is
// nonzero: with one-hot inputs that is one column, H synapses per step, for
// HebbFF (scalar γ ≠ 0, λ = σ(·) inside [0, 1], h = σ(·) never 0). Its decay
// and the wrapper's σ applied to F are free.
func TestVolatileWritesAreHebbianIncrements(t *testing.T) {
	set := artSet(t)
	d := mkDesign(t, "mapping: ideal, g_per_unit: 1S", "encoding: amplitude, v_read: 1V, t_read: 1ns, dac_energy: 0J", "")
	d.Plasticity.WriteEnergyPerEvent = design.Point(1)
	if got := cat(evaluate(t, model(t, "ART_HebbFF_h26"), d, set), energy.SynapseWrite); got != 128*9*26 {
		t.Errorf("HebbFF: %v write events, want %d", got, 128*9*26)
	}
	d.Plasticity.Element = design.Rewrite
	if got := cat(evaluate(t, model(t, "ART_STPNf_h13"), d, set), energy.SynapseWrite); got != 128*9*481 {
		t.Errorf("rewrite: %v write events, want every plastic synapse every step (%d)", got, 128*9*481)
	}
}
