package synapse_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// Tolerances against the agents' reference executed in float64
// (energy_f64.npy, logits_f64.npy, value_f64.npy): both sides evaluate the
// same float64 expressions in different orders (torch sums a convolution
// and a linear layer blockwise, adds b_ih and b_hh separately, divides where
// neurosim multiplies by a reciprocal), a few ulps per operation carried
// through 16 steps of a recurrent map. The reference README reports an
// independent NumPy float64 implementation within 1.2e-14 relative (energy)
// and 9.4e-16 absolute (logits, value); 1e-11 leaves room for the longer
// sums of the 2592-input cores without hiding a wrong equation, whose error
// would be of the order of the energies themselves.
const (
	agentRtol = 1e-11
	agentAtol = 1e-11
)

// runAgent runs every observation sequence of an agent through net, one
// step at a time as the paper's eval-pong.py does, and returns the per-step
// energy [N·T], action logits [N·T·A] and value [N·T].
func runAgent(t *testing.T, net *synapse.Network, name string) (e, logits, value []float64) {
	t.Helper()
	N, T, I, x := fixture.Observations(t, name)
	v := net.Head("value")
	if v < 0 {
		t.Fatal("no value head")
	}
	r := net.NewRunner()
	for n := range N {
		r.Reset()
		for s := range T {
			e = append(e, float64(r.Step(x[(n*T+s)*I:(n*T+s+1)*I])))
			logits = append(logits, r.Head(0)...)
			value = append(value, r.Head(v)[0])
		}
	}
	return e, logits, value
}

func TestAgentReferences(t *testing.T) {
	for _, name := range fixture.Agents(t) {
		t.Run(name, func(t *testing.T) {
			net := fixture.Agent(t, name)
			e, logits, value := runAgent(t, net, name)
			dir := testutil.Testdata("rl", name)
			testutil.Close(t, "per-step energy", e, testutil.NPY(t, filepath.Join(dir, "energy_f64.npy")).Float, agentRtol, 1e-12)
			for _, c := range []struct {
				what      string
				got, want []float64
			}{
				{"logits", logits, testutil.NPY(t, filepath.Join(dir, "logits_f64.npy")).Float},
				{"value", value, testutil.NPY(t, filepath.Join(dir, "value_f64.npy")).Float},
			} {
				if len(c.got) != len(c.want) {
					t.Fatalf("%s: %d values, reference %d", c.what, len(c.got), len(c.want))
				}
				for i := range c.got {
					if d := math.Abs(c.got[i] - c.want[i]); !(d <= agentAtol) {
						t.Fatalf("%s[%d] = %v, reference %v (atol %g)", c.what, i, c.got[i], c.want[i], agentAtol)
					}
				}
			}
		})
	}
}

// The Hebbian presynaptic convention is the network's, not the unit's: the
// same STPNr weights under the ART network's convention ([x_t ; h_t]) must
// give what the reference measured by running PENDRAW_STPN through the
// paper's ART wrapper (art_vs_rl_stpn_convention.json): the same energy at
// t = 0 (F_0 = 0 and h_{−1} = 0 in both), and from t = 1 on the largest
// relative difference it recorded per sequence, |E_ART − E_agent| / |E_ART|.
func TestAgentSTPNUnderARTConvention(t *testing.T) {
	const name = "PENDRAW_STPN"
	sd, desc := fixture.AgentModel(t, name)
	desc.Wrapper.HebbianPre = arch.NewHidden
	art, err := synapse.Build(desc, sd)
	if err != nil {
		t.Fatal(err)
	}
	rl := fixture.Agent(t, name)
	eART, _, _ := runAgent(t, art, name)
	eRL, _, _ := runAgent(t, rl, name)
	var want struct {
		PerSequence []struct {
			T0Equal bool    `json:"energy_t0_equal"`
			MaxRel  float64 `json:"energy_max_rel_diff_t_ge_1"`
		} `json:"per_sequence"`
	}
	raw, err := os.ReadFile(testutil.Testdata("rl", "art_vs_rl_stpn_convention.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	N, T, _, _ := fixture.Observations(t, name)
	if len(want.PerSequence) != N {
		t.Fatalf("%d sequences in the convention check, %d observed", len(want.PerSequence), N)
	}
	for n, w := range want.PerSequence {
		a, r := eART[n*T:(n+1)*T], eRL[n*T:(n+1)*T]
		if (a[0] == r[0]) != w.T0Equal {
			t.Errorf("sequence %d: energy at t = 0 %v (ART) vs %v (agent), reference says equal = %v", n, a[0], r[0], w.T0Equal)
		}
		worst := 0.0
		for s := 1; s < T; s++ {
			worst = math.Max(worst, math.Abs(a[s]-r[s])/math.Abs(a[s]))
		}
		// The difference itself is a difference of two trajectories computed
		// in float64 on both sides: 1e-9 relative is far below the 6–59 %
		// being checked.
		if math.Abs(worst-w.MaxRel) > 1e-9*w.MaxRel {
			t.Errorf("sequence %d: largest relative difference from t = 1 on %.15g, reference %.15g", n, worst, w.MaxRel)
		}
	}
}

// Whether the wrapper applies the activation to F is the network's
// convention too. For the agents' STP MLP (tanh, F_0 = 0) applying it
// changes nothing at t = 0 and t = 1 — tanh(F_0) = tanh(0) = 0 = F_0, so F_1
// is the same — and changes F from t = 2 on, since tanh(F_1) ≠ F_1 where
// F_1 ≠ 0.
func TestAgentSTPMLPActivationOnF(t *testing.T) {
	const name = "PENDRAW_STPMLP"
	sd, desc := fixture.AgentModel(t, name)
	desc.Wrapper.ActivationOnF = true
	art, err := synapse.Build(desc, sd)
	if err != nil {
		t.Fatal(err)
	}
	eART, _, _ := runAgent(t, art, name)
	eRL, _, _ := runAgent(t, fixture.Agent(t, name), name)
	_, T, _, _ := fixture.Observations(t, name)
	for i := range eRL {
		s := i % T
		same := eART[i] == eRL[i]
		if s < 2 && !same {
			t.Errorf("step %d of sequence %d: %v with activation on F, %v without; want equal", s, i/T, eART[i], eRL[i])
		}
		if s == T-1 && same {
			t.Errorf("last step of sequence %d: energy %v either way; the activation on F should change it", i/T, eRL[i])
		}
	}
}

// Under the whole network's scope, a convolution is one crossbar read of its
// unrolled kernels per output position, counted as such; the core's counts
// and the paper energy do not change.
func TestWholeNetworkCountsConvPerPosition(t *testing.T) {
	const name = "PONG_RNN"
	core := fixture.Agent(t, name)
	whole := core.WholeNetwork()
	arrays := whole.Arrays()
	names := []string{"rnn", "conv1", "conv2", "action_branch", "value_branch"}
	if len(arrays) != len(names) {
		t.Fatalf("%d arrays, want %v", len(arrays), names)
	}
	for i, a := range arrays {
		if a.Name != names[i] {
			t.Fatalf("array %d is %s, want %s", i, a.Name, names[i])
		}
	}
	// conv1: 16 kernels of 1×8×8 over 84×84, stride 4: (84−8)/4+1 = 20 → 400
	// positions; conv2: 32 kernels of 16×4×4 over 20×20, stride 2: 9×9 = 81.
	want := []struct{ rows, cols, positions int }{{16, 64, 400}, {32, 256, 81}}
	_, _, I, x := fixture.Observations(t, name)
	rc, rw := core.NewRunner(), whole.NewRunner()
	rc.Meter(energy.Meter{})
	rw.Meter(energy.Meter{})
	ec, ew := rc.Step(x[:I]), rw.Step(x[:I])
	if ec != ew {
		t.Errorf("paper energy %v under the whole network's scope, %v under the core's", ew, ec)
	}
	cc, cw := rc.Counts(), rw.Counts()
	if !reflect.DeepEqual(cc.Arrays[0], cw.Arrays[0]) {
		t.Errorf("core counts differ: %+v vs %+v", cc.Arrays[0], cw.Arrays[0])
	}
	for i, w := range want {
		a, c := arrays[1+i], cw.Arrays[1+i]
		if a.Rows != w.rows || a.Cols != w.cols {
			t.Errorf("%s is %d×%d, want %d×%d", a.Name, a.Rows, a.Cols, w.rows, w.cols)
		}
		// Pong frames are nowhere zero (background 0.1–0.3), so every patch
		// of conv1 drives a read; conv2 reads post-ReLU features, whose
		// all-zero patches do not.
		if i == 0 && (c.Reads != int64(w.positions) || c.Rows != int64(w.positions*w.rows)) {
			t.Errorf("%s: %d reads of %d rows, want one per position: %d reads, %d rows", a.Name, c.Reads, c.Rows, w.positions, w.positions*w.rows)
		}
		if c.Reads > int64(w.positions) || c.Rows != c.Reads*int64(w.rows) {
			t.Errorf("%s: %d reads, %d rows read; at most %d reads of %d rows each", a.Name, c.Reads, c.Rows, w.positions, w.rows)
		}
	}
	// Neurons: the RNN's 48 under the core's scope; the two ReLUs' 16·400 +
	// 32·81 outputs on top under the whole network's.
	if cc.Neurons != 48 || cw.Neurons != 48+16*400+32*81 {
		t.Errorf("neurons %d (core) and %d (whole), want 48 and %d", cc.Neurons, cw.Neurons, 48+16*400+32*81)
	}
}

// A step of an agent — convolutions included — allocates nothing either.
func TestAgentStepDoesNotAllocate(t *testing.T) {
	for _, name := range []string{"PONG_RNN", "PEND_STPN", "PENDRAW_LSTM"} {
		net := fixture.Agent(t, name).WholeNetwork()
		_, _, I, x := fixture.Observations(t, name)
		r := net.NewRunner()
		r.Meter(energy.Meter{Abs: true, Writes: true, Peak: true})
		r.SetDevice(&passThrough{})
		if a := testing.AllocsPerRun(20, func() { r.StepFor(x[:I], 1.5) }); a != 0 {
			t.Errorf("%s: %v allocations per metered step", name, a)
		}
	}
}
