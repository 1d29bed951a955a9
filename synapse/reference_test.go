package synapse_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// load builds the network of a reference model folder.
func load(t testing.TB, dir string) *synapse.Network { return fixture.Network(t, dir) }

// Tolerances against the reference executed in float64 (energy_f64.npy,
// logits_f64.npy): both sides compute the same float64 expressions and differ
// only in summation order and in multiplying by 1/(n+ε) where the reference
// divides, i.e. by a few ulps per operation. The reference README reports an
// independent NumPy float64 implementation within 4e-13 relative (energy) and
// 6e-12 (logits); STPNf has steps with energy ~1e-6 where cancellation in W+F
// costs relative precision, hence 1e-11 rather than 1e-14.
const (
	energyRtol = 1e-11
	energyFlr  = 1e-12 // relative to max(|want|, 1e-12), as ../shared/tools/parity does
	logitsAtol = 1e-11
)

func TestReferenceModels(t *testing.T) {
	in := testutil.NPY(t, testutil.Testdata("art", "inputs.npy"))
	labels := testutil.NPY(t, testutil.Testdata("art", "labels.npy"))
	for _, name := range testutil.ReferenceModels(t) {
		t.Run(name, func(t *testing.T) {
			dir := testutil.Testdata("art", name)
			net := load(t, dir)
			checkAgainstReference(t, net, dir, in.Float, in.Shape[0], in.Shape[1], in.Shape[2], labels.Int)
		})
	}
}

// The untrained hidden-128 and hidden-512 STPNs of the perf set: larger
// matrices, same code path.
func TestReferencePerf(t *testing.T) {
	in := testutil.NPY(t, testutil.Testdata("perf", "inputs_64.npy"))
	labels := testutil.NPY(t, testutil.Testdata("perf", "labels_64.npy"))
	for _, name := range []string{"ART_STPN_h128", "ART_STPN_h512"} {
		t.Run(name, func(t *testing.T) {
			dir := testutil.Testdata("perf", name)
			checkAgainstReference(t, load(t, dir), dir, in.Float, in.Shape[0], in.Shape[1], in.Shape[2], labels.Int)
		})
	}
}

func checkAgainstReference(t *testing.T, net *synapse.Network, dir string, x []float64, N, T, I int, labels []int64) {
	t.Helper()
	wantE := testutil.NPY(t, filepath.Join(dir, "energy_f64.npy"))
	wantL := testutil.NPY(t, filepath.Join(dir, "logits_f64.npy"))
	var metrics struct {
		Accuracy float64 `json:"accuracy"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &metrics); err != nil {
		t.Fatal(err)
	}
	r := net.NewRunner()
	gotE := make([]float64, 0, N*T)
	gotL := make([]float64, 0, N*net.Classes)
	correct := 0
	for n := range N {
		r.Reset()
		for s := range T {
			gotE = append(gotE, float64(r.Step(x[(n*T+s)*I:(n*T+s+1)*I])))
		}
		logits := r.Logits()
		gotL = append(gotL, logits...)
		best := 0
		for c, v := range logits {
			if v > logits[best] {
				best = c
			}
		}
		if int64(best) == labels[n] {
			correct++
		}
	}
	testutil.Close(t, "per-step energy", gotE, wantE.Float, energyRtol, energyFlr)
	for i := range gotL {
		if d := gotL[i] - wantL.Float[i]; d > logitsAtol || d < -logitsAtol {
			t.Fatalf("logit %d = %v, reference %v (atol %g)", i, gotL[i], wantL.Float[i], logitsAtol)
		}
	}
	// metrics.json holds the accuracy of the float32 reference run; its
	// checks say the float64 run predicts the same classes.
	if acc := float64(correct) / float64(N); acc != metrics.Accuracy {
		t.Errorf("accuracy %v, reference %v", acc, metrics.Accuracy)
	}
}
