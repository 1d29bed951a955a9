package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
)

// The budget keys of `energy --format json`, as the issue names them.
func TestEnergyBudgetJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "energy", "--checkpoint", h11, "--art-n", "8", "--design", "stp-diffusive",
		"--rate", "2kHz", "--battery", "1Wh", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var j map[string]any
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"latency_per_step_s", "latency_per_sequence_s", "max_step_rate_Hz", "area_m2",
		"area_by_component_m2", "tiles", "power_W", "energy_per_inference_J", "synops_per_J", "lifetime_s",
		"stp_realisable", "battery_life_s"} {
		if _, ok := j[k]; !ok {
			t.Errorf("no %s in the JSON", k)
		}
	}
	if j["rate_Hz"] != 2000.0 || j["rate_from"] != "--rate" {
		t.Errorf("rate %v from %v, want 2000 from --rate", j["rate_Hz"], j["rate_from"])
	}
	s := j["stp_realisable"].(map[string]any)
	if s["synapses"] != 528.0 || s["outside_unit_interval"] != 62.0 {
		t.Errorf("stp_realisable %v", s)
	}
}

func TestBudgetFlagsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--rate", "fast"}, {"--rate", "0"}, {"--rate", "-5Hz"}, {"--battery", "1V"}, {"--battery", "0Wh"},
	} {
		code, _, stderr := runCLI(t, append([]string{"energy", "--checkpoint", h11, "--art-n", "2"}, args...)...)
		if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, args[0]) {
			t.Errorf("%v: exit %d, %q; want a one-line usage error naming the flag", args, code, stderr)
		}
	}
	// The message quotes what was given and says what is wanted: it quoted
	// the text rewritten for the parser ("-5s" is negative, "5Ts" has unknown
	// unit "Ts"; want a time), called 1e301 J not positive, and took a
	// rate of 1e-320 steps/s, whose power underflowed to 0 W.
	for _, tt := range []struct{ flag, value, want string }{
		{"--rate", "-5Hz", "--rate -5Hz: want a rate from 1e-18 to 1e+18 steps/s"},
		{"--rate", "5THz", `--rate 5THz: "5THz" is not a frequency`},
		{"--rate", "1e-320", "--rate 1e-320: want a rate from 1e-18 to 1e+18 steps/s"},
		{"--battery", "-1Wh", "--battery -1Wh: want an energy from 1e-18 to 1e+300 J"},
		{"--battery", "1e301J", "--battery 1e301J: want an energy from 1e-18 to 1e+300 J"},
		{"--battery", "5mV", `--battery 5mV: "5mV" is not an energy`},
	} {
		code, _, stderr := runCLI(t, "energy", "--checkpoint", h11, "--art-n", "2", tt.flag, tt.value)
		if code != 2 {
			t.Errorf("%s %s: exit %d, want 2", tt.flag, tt.value, code)
		}
		oneLine(t, stderr, tt.want)
	}
}

// A chip that draws no power (every price 0) lasts for ever on a battery:
// the table said "never (no writes)".
func TestBatteryLifeWithoutPower(t *testing.T) {
	d, err := design.Lookup("loihi")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"synapse.synop_energy", "readout.neuron_energy", "plasticity.write_energy_per_event"} {
		if d, err = d.WithText(k, "0J"); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "free.yaml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteYAML(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, stderr := runCLI(t, "energy", "--checkpoint", h11, "--art-n", "2", "--design", file, "--battery", "1Wh")
	if code != 0 || !strings.Contains(out, "never (no power drawn)") {
		t.Errorf("exit %d, %s\n%s", code, stderr, out)
	}
}

// The paper design's joules are marked as the paper's unit.
func TestPaperJoulesMarked(t *testing.T) {
	code, out, stderr := runCLI(t, "energy", "--checkpoint", h11, "--art-n", "2")
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(out, "the paper's unit") || !strings.Contains(out, "energy per step") {
		t.Errorf("paper design output does not mark its joules as the paper's unit:\n%s", out)
	}
}

func TestFeasibility(t *testing.T) {
	png := filepath.Join(t.TempDir(), "map.png")
	code, out, stderr := runCLI(t, "feasibility", "--versus", "ART_LSTM_h9", "--writes", "1fJ,1nJ,3",
		"--taus", "1ms,100ms,2", "--png", png, "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var j struct {
		Writes []float64 `json:"write_energy_J"`
		Taus   []float64 `json:"retention_s"`
		Versus []struct {
			Model string  `json:"model"`
			Ratio [][]any `json:"energy_ratio"`
		} `json:"versus"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Writes) != 3 || math.Abs(j.Writes[1]-1e-12) > 1e-27 || len(j.Taus) != 2 || len(j.Versus) != 1 ||
		len(j.Versus[0].Ratio) != 2 || len(j.Versus[0].Ratio[0]) != 3 {
		t.Errorf("grid %+v", j)
	}
	b, err := os.ReadFile(png)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("no PNG written: %v", err)
	}
	for _, args := range [][]string{{"--writes", "1pJ"}, {"--taus", "0s,1s,3"}, {"--writes", "1pJ,1nJ,0"}, {"--versus", "nobody"}} {
		code, _, stderr := runCLI(t, append([]string{"feasibility"}, args...)...)
		if code == 0 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want one line of refusal", args, code, stderr)
		}
	}
}
