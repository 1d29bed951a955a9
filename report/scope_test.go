package report_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/workload"
)

func pongAgent(t *testing.T) (*report.Model, *workload.Set) {
	t.Helper()
	// The config is found beside the checkpoint: spec.json.
	m, err := report.LoadModel(testutil.Testdata("rl", "PONG_RNN", "model.pth"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	set, err := workload.LoadInputs(testutil.Testdata("rl", "observations_PONG.npy"))
	if err != nil {
		t.Fatal(err)
	}
	return m, set
}

func scoped(t *testing.T, name string, scope string) *design.Design {
	t.Helper()
	d, err := design.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	if d, err = d.WithText("scope", scope); err != nil {
		t.Fatal(err)
	}
	return d
}

// The whole network's scope prices front-end and heads on top of the core,
// and changes nothing the core does. On the paper design (1 S per unit,
// 1 V, 1 s) a convolution's read energy is the paper's rule applied to its
// unrolled kernels at every output position, Σ_positions Σ_out Σ_k
// patch_k²·|W_out,k| — computed here with plain loops from the checkpoint's
// conv1 weights and the observations.
func TestWholeNetworkScopeOnPaperDesign(t *testing.T) {
	m, set := pongAgent(t)
	core := evaluate(t, m, scoped(t, "paper", "core"), set)
	whole := evaluate(t, m, scoped(t, "paper", "network"), set)
	if want := []string{"rnn", "neurons", "chip"}; !slices.Equal(core.Joules.Locations, want) {
		t.Errorf("core scope locations %v, want %v", core.Joules.Locations, want)
	}
	want := []string{"rnn", "conv1", "conv2", "action_branch", "value_branch", "neurons", "chip"}
	if !slices.Equal(whole.Joules.Locations, want) {
		t.Fatalf("whole network locations %v, want %v", whole.Joules.Locations, want)
	}
	if whole.Paper != core.Paper || whole.Joules.ByLocation[0] != core.Joules.ByLocation[0] {
		t.Errorf("the core changed with the scope: paper %v vs %v, joules %v vs %v",
			whole.Paper, core.Paper, whole.Joules.ByLocation[0], core.Joules.ByLocation[0])
	}
	sd, err := checkpoint.Load(testutil.Testdata("rl", "PONG_RNN", "model.pth"), checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := sd.Get("conv1.weight") // [16, 1, 8, 8]
	w := wt.Float64s()
	var reads float64
	for n := range set.N {
		seq := set.Sequence(n, nil)
		for s := range set.T {
			frame := seq[s*set.I : (s+1)*set.I] // 84×84×1, (y, x, c)
			for oy := range 20 {
				for ox := range 20 {
					for o := range 16 {
						for ky := range 8 {
							for kx := range 8 {
								v := frame[(oy*4+ky)*84+ox*4+kx]
								reads += v * v * math.Abs(w[o*64+ky*8+kx])
							}
						}
					}
				}
			}
		}
	}
	got := float64(whole.Joules.ByLocation[1][energy.SynapseRead].Lo)
	// The same terms summed in another order: 1e-12 relative.
	if math.Abs(got-reads) > 1e-12*reads {
		t.Errorf("conv1 synapse_read %v J, the paper's rule per position gives %v", got, reads)
	}
}

// On a priced design, each output position of a convolution is one read:
// an ADC conversion per kernel row, and its activation a neuron.
func TestWholeNetworkScopePricesPositions(t *testing.T) {
	m, set := pongAgent(t)
	d := scoped(t, "rram-neurosim", "network")
	whole := evaluate(t, m, d, set)
	core := evaluate(t, m, scoped(t, "rram-neurosim", "core"), set)
	steps := float64(set.N * set.T)
	// conv1: 20×20 positions × 16 kernels, every patch of a Pong frame
	// nonzero (background 0.1–0.3).
	adc := whole.Joules.ByLocation[1][energy.ADC]
	want := d.Readout.ADCEnergy
	rows := 400 * 16 * steps
	if math.Abs(float64(adc.Lo)-want.Lo*rows) > 1e-12*want.Lo*rows || math.Abs(float64(adc.Hi)-want.Hi*rows) > 1e-12*want.Hi*rows {
		t.Errorf("conv1 adc %v, want %g…%g J (%g rows)", adc, want.Lo*rows, want.Hi*rows, rows)
	}
	// Neurons: the two ReLUs' 16·400 + 32·81 outputs per step on top of the core's.
	extra := float64(16*400+32*81) * steps
	n := float64(whole.Joules.ByLocation[5][energy.Neuron].Lo - core.Joules.ByLocation[1][energy.Neuron].Lo)
	if e := d.Readout.NeuronEnergy.Lo * extra; math.Abs(n-e) > 1e-12*e {
		t.Errorf("front-end neurons %v J, want %v J", n, e)
	}
}

// An agent on a noisy, varied chip holding the whole network gives the same
// bits — energies, joules, logits and values at every step — whatever the
// number of workers.
func TestAgentRunsIndependentOfWorkers(t *testing.T) {
	m, err := report.LoadModel(testutil.Testdata("rl", "PEND_STPN", "model.pth"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	set, err := workload.LoadInputs(testutil.Testdata("rl", "observations_PEND.npy"))
	if err != nil {
		t.Fatal(err)
	}
	d := scoped(t, "pcm", "network")
	var first *report.Energy
	for _, workers := range []int{1, 3, 8} {
		e, err := report.Evaluate(context.Background(), m, d, set, nil, report.EvalOptions{Workers: workers, Outputs: true})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = e
			continue
		}
		for k := range e.Runs {
			a, b := first.Runs[k].Result, e.Runs[k].Result
			if !slices.Equal(a.PerStep, b.PerStep) || !slices.Equal(a.Outputs[0], b.Outputs[0]) || !slices.Equal(a.Outputs[1], b.Outputs[1]) {
				t.Errorf("corner %d: results differ between 1 and %d workers", k, workers)
			}
		}
		if first.Joules.Total != e.Joules.Total {
			t.Errorf("joules %v with 1 worker, %v with %d", first.Joules.Total, e.Joules.Total, workers)
		}
	}
}
