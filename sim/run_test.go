package sim_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/sim"
	"github.com/neurosim/neurosim/synapse"
	"github.com/neurosim/neurosim/workload"
)

func testdataPath(elem ...string) string { return testutil.Testdata(elem...) }

func network(t testing.TB, name string) *synapse.Network { return fixture.Network(t, name) }

const period = workload.Tick(workload.TicksPerSecond)

func referenceSet(t *testing.T) *workload.Stream { return workload.FromSet(fixture.ART(t)) }

// Results are bit-identical whatever the number of workers.
func TestWorkersDoNotChangeResults(t *testing.T) {
	set := referenceSet(t)
	for _, name := range []string{"ART_STPN_h11", "ART_FW_S1_h20", "ART_MODPLAST_h17"} {
		net := network(t, name)
		base, err := sim.Run(context.Background(), net, set, sim.Options{Workers: 1, Period: float64(period), Logits: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(base.Logits) != set.N*net.Classes {
			t.Fatalf("%s: %d logits kept, want %d", name, len(base.Logits), set.N*net.Classes)
		}
		for _, w := range []int{2, 3, 8, 200} {
			got, err := sim.Run(context.Background(), net, set, sim.Options{Workers: w, Period: float64(period), Logits: true})
			if err != nil {
				t.Fatal(err)
			}
			for i := range base.PerStep {
				if math.Float64bits(float64(got.PerStep[i])) != math.Float64bits(float64(base.PerStep[i])) {
					t.Fatalf("%s, %d workers: step %d energy %v, 1 worker %v", name, w, i, got.PerStep[i], base.PerStep[i])
				}
			}
			for i := range base.Logits {
				if math.Float64bits(got.Logits[i]) != math.Float64bits(base.Logits[i]) {
					t.Fatalf("%s, %d workers: logit %d differs", name, w, i)
				}
			}
			if got.Total() != base.Total() {
				t.Fatalf("%s, %d workers: total %v, 1 worker %v", name, w, got.Total(), base.Total())
			}
		}
	}
}

// The summary statistics are those metrics.json defines: mean over N and t of
// the per-step energy, and mean over N of the sum over t.
func TestSummaryMatchesReferenceMetrics(t *testing.T) {
	set := referenceSet(t)
	res, err := sim.Run(context.Background(), network(t, "ART_STPN_h11"), set, sim.Options{Period: float64(period)})
	if err != nil {
		t.Fatal(err)
	}
	// metrics.json of ART_STPN_h11 (float32 reference run): accuracy 0.4296875,
	// mean_energy_per_step 8.654451904482105, mean_energy_per_sequence
	// 77.89006714033894. Our float64 run differs from the float32 one by its
	// rounding (≤ 6e-7 relative, reference README).
	if acc := res.Accuracy(set.Labels); acc != 0.4296875 {
		t.Errorf("accuracy %v, want 0.4296875", acc)
	}
	testutil.Close(t, "mean per step", []float64{float64(res.MeanPerStep())}, []float64{8.654451904482105}, 1e-6, 0)
	testutil.Close(t, "mean per sequence", []float64{float64(res.MeanPerSequence())}, []float64{77.89006714033894}, 1e-6, 0)
}

func TestRunRefusesWrongWidth(t *testing.T) {
	set := workload.NewSet("x.npy", 1, 2, 5, make([]float64, 10))
	_, err := sim.Run(context.Background(), network(t, "ART_LSTM_h9"), workload.FromSet(set), sim.Options{Period: float64(period)})
	if err == nil || err.Error() != "events x.npy: 5 channels per step, the model takes 37" {
		t.Errorf("got %v", err)
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sim.Run(ctx, network(t, "ART_LSTM_h9"), referenceSet(t), sim.Options{Period: float64(period)}); err == nil {
		t.Error("a cancelled run returned no error")
	}
}

// Logits are kept only when asked for; the predictions are the same either
// way.
func TestLogitsOnlyWhenAsked(t *testing.T) {
	set := referenceSet(t)
	net := network(t, "ART_STPN_h11")
	without, err := sim.Run(context.Background(), net, set, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	with, err := sim.Run(context.Background(), net, set, sim.Options{Logits: true})
	if err != nil {
		t.Fatal(err)
	}
	if without.Logits != nil || len(with.Logits) != set.N*net.Classes {
		t.Fatalf("logits kept: %d without asking, %d when asked", len(without.Logits), len(with.Logits))
	}
	for n, p := range with.Predicted {
		best := 0
		for c, v := range with.Logits[n*net.Classes : (n+1)*net.Classes] {
			if v > with.Logits[n*net.Classes+best] {
				best = c
			}
		}
		if without.Predicted[n] != p || p != best {
			t.Fatalf("sequence %d: predicted %d without logits, %d with, argmax %d", n, without.Predicted[n], p, best)
		}
	}
}

// Float32 runs through the lock-step kernel, all workers alike, within
// float32 rounding of the float64 run; where the kernel cannot take every
// sequence the run is refused, not taken in float64.
func TestFloat32(t *testing.T) {
	set := referenceSet(t)
	net := network(t, "ART_STPN_h11")
	ref, err := sim.Run(context.Background(), net, set, sim.Options{Period: float64(period)})
	if err != nil {
		t.Fatal(err)
	}
	var first *sim.Result
	for _, w := range []int{1, 2, 5} {
		got, err := sim.Run(context.Background(), net, set, sim.Options{Workers: w, Period: float64(period), Precision: synapse.Float32})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
			// 4e−6: the bound synapse.TestFloat32 derives for these models.
			testutil.Close(t, "float32 energy", paper(got.PerStep), paper(ref.PerStep), 4e-6, 1e-12)
			if worst, _ := testutil.MaxRelErr(paper(got.PerStep), paper(ref.PerStep), 1e-12); worst == 0 {
				t.Fatal("float32 run gives the float64 bits")
			}
			continue
		}
		for i := range got.PerStep {
			if got.PerStep[i] != first.PerStep[i] {
				t.Fatalf("%d workers: step %d %v, 1 worker %v", w, i, got.PerStep[i], first.PerStep[i])
			}
		}
	}
	for _, c := range []struct {
		name string
		net  *synapse.Network
		in   *workload.Stream
		opt  sim.Options
		want string
	}{
		{"LSTM", network(t, "ART_LSTM_h9"), set, sim.Options{}, "this network or design runs in float64"},
		{"metered writes", net, set, sim.Options{Meter: &energy.Meter{Writes: true}}, "this network or design runs in float64"},
		{"events", net, eventStream(t), sim.Options{}, "an event stream runs in float64"},
	} {
		c.opt.Precision, c.opt.Period = synapse.Float32, float64(period)
		_, err := sim.Run(context.Background(), c.net, c.in, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

func paper(e []energy.Paper) []float64 {
	out := make([]float64, len(e))
	for i, v := range e {
		out[i] = float64(v)
	}
	return out
}

func eventStream(t *testing.T) *workload.Stream {
	s, err := workload.LoadEvents(testdataPath("events", "good.csv"), 37)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
