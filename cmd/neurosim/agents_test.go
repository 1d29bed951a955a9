package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/internal/testutil"
)

func agent(name, file string) string { return testutil.Testdata("rl", name, file) }

// `energy --config M/spec.json --inputs OBS.npy` on the reference agents:
// per-step energy [N, T], action logits at every step [N, T, A] and value
// [N, T], against the reference executed in float64. Tolerance: 1e-11, as
// the synapse package's agent test explains (measured ≤ 2e-15).
func TestEnergyAgents(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"PONG_RNN", "PEND_STPN", "PENDRAW_STPMLP", "PEND_LSTM"} {
		t.Run(name, func(t *testing.T) {
			obs := "observations_PEND.npy"
			if strings.HasPrefix(name, "PONG") {
				obs = "observations_PONG.npy"
			}
			e, l, v := filepath.Join(dir, name+"_E.npy"), filepath.Join(dir, name+"_L.npy"), filepath.Join(dir, name+"_V.npy")
			code, _, stderr := runCLI(t, "energy", "--checkpoint", agent(name, "model.pth"), "--config", agent(name, "spec.json"),
				"--inputs", testutil.Testdata("rl", obs), "--per-step-out", e, "--logits-out", l, "--value-out", v, "--format", "json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, c := range []struct{ got, want string }{
				{e, "energy_f64.npy"}, {l, "logits_f64.npy"}, {v, "value_f64.npy"},
			} {
				got, want := testutil.NPY(t, c.got), testutil.NPY(t, agent(name, c.want))
				if !slices.Equal(got.Shape, want.Shape) {
					t.Fatalf("%s: shape %v, reference %v", c.want, got.Shape, want.Shape)
				}
				for i := range got.Float {
					if d := math.Abs(got.Float[i] - want.Float[i]); !(d <= 1e-11*math.Max(1, math.Abs(want.Float[i]))) {
						t.Fatalf("%s[%d] = %v, reference %v", c.want, i, got.Float[i], want.Float[i])
					}
				}
			}
		})
	}
}

// Importing an agent from an RLlib run: its params.json and the saved
// state_dict; the observation size and the number of actions come from the
// checkpoint. The README's import example: energy, action logits and value
// at every step equal the reference's (tolerance as TestEnergyAgents).
func TestEnergyAgentFromRLlibParams(t *testing.T) {
	dir := t.TempDir()
	e, l, v := filepath.Join(dir, "E.npy"), filepath.Join(dir, "L.npy"), filepath.Join(dir, "V.npy")
	code, _, stderr := runCLI(t, "energy", "--checkpoint", agent("PENDRAW_STPMLP", "model.pth"),
		"--config", testutil.Testdata("networks", "params_pendulum_stpmlp.json"),
		"--inputs", testutil.Testdata("rl", "observations_PEND.npy"), "--per-step-out", e, "--logits-out", l, "--value-out", v)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, c := range []struct{ got, want string }{
		{e, "energy_f64.npy"}, {l, "logits_f64.npy"}, {v, "value_f64.npy"},
	} {
		got, want := testutil.NPY(t, c.got), testutil.NPY(t, agent("PENDRAW_STPMLP", c.want))
		if !slices.Equal(got.Shape, want.Shape) {
			t.Fatalf("%s: shape %v, reference %v", c.want, got.Shape, want.Shape)
		}
		for i := range got.Float {
			if d := math.Abs(got.Float[i] - want.Float[i]); !(d <= 1e-11*math.Max(1, math.Abs(want.Float[i]))) {
				t.Fatalf("%s[%d] = %v, reference %v", c.want, i, got.Float[i], want.Float[i])
			}
		}
	}
}

func TestEnergyAgentErrors(t *testing.T) {
	dir := t.TempDir()
	spec, err := os.ReadFile(agent("PEND_STPN", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	bigger := testutil.WriteFile(t, dir, "spec.json", []byte(strings.Replace(string(spec), `"lstm_state_size": 64`, `"lstm_state_size": 65`, 2)))
	conv := testutil.WriteFile(t, dir, "conv.yaml", []byte(`
input: {shape: [84, 84, 1]}
front_end:
  - {type: permute, dims: [2, 0, 1]}
  - {type: conv2d, name: conv1, out_channels: 8, kernel_size: 8, stride: 4}
core: {unit: nn.RNN, hidden_size: 48}
heads: [{name: logits, tensor: action_branch}, {name: value, tensor: value_branch}]`))
	pend := testutil.Testdata("rl", "observations_PEND.npy")
	// A second YAML document was ignored, even a malformed one; a design
	// file with two is refused, and so is a description now.
	desc, err := os.ReadFile(testutil.Testdata("networks", "pend_stpn.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	twoDocs := testutil.WriteFile(t, dir, "two.yaml", append(slices.Clip(desc), "---\ncore: {unit: RNN}\n"...))
	badSecond := testutil.WriteFile(t, dir, "bad.yaml", append(slices.Clip(desc), "---\ncore: {unit: [\n"...))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"value of the ART network", []string{"--checkpoint", h11, "--inputs", inputs, "--value-out", filepath.Join(dir, "V.npy")},
			"the network has no head named value (heads: logits)"},
		{"observations of another task", []string{"--checkpoint", agent("PONG_RNN", "model.pth"), "--config", agent("PONG_RNN", "spec.json"), "--inputs", pend},
			"observations_PEND.npy: steps of shape [4], the model takes observations of shape [84 84 1]"},
		{"config disagrees with the checkpoint", []string{"--checkpoint", agent("PEND_STPN", "model.pth"), "--config", bigger, "--inputs", pend},
			`tensor "rnn.rnn.weight" has shape [64 320], config needs [65 321]`},
		{"two YAML documents", []string{"--checkpoint", agent("PEND_STPN", "model.pth"), "--config", twoDocs, "--inputs", pend},
			"two.yaml: more than one YAML document (---); want one network description per file"},
		{"a malformed second document", []string{"--checkpoint", agent("PEND_STPN", "model.pth"), "--config", badSecond, "--inputs", pend},
			"bad.yaml: not valid YAML: line 27: did not find expected node content"},
		{"description disagrees with the checkpoint", []string{"--checkpoint", agent("PONG_RNN", "model.pth"), "--config", conv, "--inputs", pend},
			`tensor "conv1.weight" has shape [16 1 8 8], config needs [8 1 8 8]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"energy"}, tt.args...)...)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 1 and nothing", code, stdout)
			}
			if !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line containing %q", stderr, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "V.npy")); err == nil {
				t.Error("an output file was left behind")
			}
		})
	}
}

// compare on an agent set: the agents that share observations, no
// accuracy, each mean energy per step that of the reference run.
func TestCompareAgentSet(t *testing.T) {
	code, stdout, stderr := runCLI(t, "compare", "--set", testutil.Testdata("rl"), "--models", "PEND_*", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Baseline  string
		Sequences int
		Steps     int
		Models    []struct {
			Model    string
			Unit     string
			Accuracy *export.Value
			PerStep  export.Value `json:"paper_energy_mean_per_step"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Baseline != "PEND_STPN" || got.Sequences != 8 || got.Steps != 16 || len(got.Models) != 5 {
		t.Fatalf("comparison %+v; want 5 PEND agents, 8 × 16 steps, baseline PEND_STPN", got)
	}
	units := map[string]string{"PEND_LSTM": "LSTM", "PEND_MLP": "MLP", "PEND_RNN": "RNN", "PEND_STPMLP": "STPNf", "PEND_STPN": "STPNr"}
	for _, m := range got.Models {
		if m.Unit != units[m.Model] || m.Accuracy != nil {
			t.Errorf("%s: unit %s, accuracy %v; want %s and none", m.Model, m.Unit, m.Accuracy, units[m.Model])
		}
		ref := testutil.NPY(t, agent(m.Model, "energy_f64.npy")).Float
		var mean float64
		for _, v := range ref {
			mean += v
		}
		mean /= float64(len(ref))
		if math.Abs(m.PerStep.Lo-mean) > 1e-11*mean || m.PerStep.Hi != m.PerStep.Lo {
			t.Errorf("%s: mean energy per step %v, reference %v", m.Model, m.PerStep, mean)
		}
	}
	code, _, stderr = runCLI(t, "compare", "--set", testutil.Testdata("rl"))
	if code != 1 || !strings.Contains(stderr, "the models take different inputs") || !strings.Contains(stderr, "--models") {
		t.Errorf("a set of agents with different observations: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "compare", "--set", testutil.Testdata("rl"), "--models", "CARTPOLE_*")
	if code != 1 || !strings.Contains(stderr, `no model matches --models "CARTPOLE_*"`) {
		t.Errorf("a pattern matching nothing: exit %d, %q", code, stderr)
	}
}

// breakeven and feasibility take agent sets as compare does; an agent set
// has no labels, so feasibility reports no accuracy (not NaN).
func TestBreakevenAndFeasibilityOnAgentSet(t *testing.T) {
	code, stdout, stderr := runCLI(t, "feasibility", "--set", testutil.Testdata("rl"), "--models", "PENDRAW_*",
		"--writes", "1fJ,1nJ,2", "--taus", "1ms,1s,2", "--format", "json")
	if code != 0 {
		t.Fatalf("feasibility: exit %d: %s", code, stderr)
	}
	var f map[string]any
	if err := json.Unmarshal([]byte(stdout), &f); err != nil {
		t.Fatal(err)
	}
	if _, ok := f["stpn_accuracy"]; ok || f["stpn"] != "PENDRAW_STPN" || len(f["versus"].([]any)) != 4 {
		t.Errorf("feasibility on PENDRAW_*: %v", f)
	}
	code, stdout, stderr = runCLI(t, "breakeven", "--set", testutil.Testdata("rl"), "--models", "PEND_*",
		"--design", "rram-neurosim", "--format", "json")
	if code != 0 {
		t.Fatalf("breakeven: exit %d: %s", code, stderr)
	}
	var b map[string]any
	if err := json.Unmarshal([]byte(stdout), &b); err != nil {
		t.Fatal(err)
	}
	if b["stpn"] != "PEND_STPN" || len(b["models"].([]any)) != 4 {
		t.Errorf("breakeven on PEND_*: %v", b)
	}
}
