package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/internal/testutil"
)

// --precision float32 runs the STPN layer in float32 and says so; the
// paper energy stays within float32 rounding of the float64 run (4e−6, the
// bound synapse.TestFloat32 derives), and the accuracy is the reference's.
// What cannot run in float32 is refused with one line, a bad value with a
// usage error.
func TestPrecisionFlag(t *testing.T) {
	m := testutil.Testdata("art", "ART_STPN_h11", "model.pth")
	in, labels := testutil.Testdata("art", "inputs.npy"), testutil.Testdata("art", "labels.npy")
	type report struct {
		Precision string
		Paper     struct{ Low, High float64 } `json:"paper_energy"`
		Accuracy  struct{ Low float64 }
	}
	get := func(p string) report {
		code, out, stderr := runCLI(t, "energy", "--checkpoint", m, "--inputs", in, "--labels", labels, "--precision", p, "--format", "json")
		var r report
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("--precision %s: exit %d %s", p, code, stderr)
		}
		return r
	}
	r64, r32 := get("float64"), get("float32")
	if r64.Precision != "float64" || r32.Precision != "float32" {
		t.Errorf("precision keys %q, %q", r64.Precision, r32.Precision)
	}
	if d := math.Abs(r32.Paper.Low-r64.Paper.Low) / r64.Paper.Low; d == 0 || d > 4e-6 {
		t.Errorf("float32 paper energy %v, float64 %v (relative difference %g)", r32.Paper.Low, r64.Paper.Low, d)
	}
	if r32.Accuracy.Low != 0.4296875 { // metrics.json of ART_STPN_h11
		t.Errorf("float32 accuracy %v", r32.Accuracy.Low)
	}
	code, _, stderr := runCLI(t, "energy", "--checkpoint", testutil.Testdata("art", "ART_LSTM_h9", "model.pth"), "--inputs", in, "--precision", "float32")
	if code != 1 || !strings.Contains(stderr, "only the STPN lock-step kernel runs in float32") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("LSTM in float32: exit %d %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "energy", "--checkpoint", m, "--inputs", in, "--precision", "half")
	if code != 2 || !strings.Contains(stderr, `--precision "half": want float64 or float32`) {
		t.Errorf("bad value: exit %d %q", code, stderr)
	}
}
