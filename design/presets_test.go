package design

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	yaml "go.yaml.in/yaml/v3"

	"github.com/neurosim/neurosim/internal/testutil"
)

func TestPresetsValidate(t *testing.T) {
	for _, d := range Presets() {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.Name, err)
		}
		if d.File != "preset" {
			t.Errorf("%s: File = %q, want preset", d.Name, d.File)
		}
	}
}

func TestPresetNames(t *testing.T) {
	want := []string{"paper", "rram-neurosim", "rram-neurram", "pcm", "loihi", "biology", "stp-diffusive"}
	if got := PresetNames(); !slices.Equal(got, want) {
		t.Errorf("presets %v, want %v in this order", got, want)
	}
}

// For every preset, WriteYAML → Parse gives the identical Design.
func TestPresetsRoundTrip(t *testing.T) {
	for _, d := range Presets() {
		t.Run(d.Name, func(t *testing.T) { roundTrip(t, d) })
	}
}

// Every numeric figure of every preset says where it comes from; assumptions
// and derivations say so.
func TestPresetSources(t *testing.T) {
	for _, d := range Presets() {
		t.Run(d.Name, func(t *testing.T) {
			if strings.TrimSpace(d.Source) == "" {
				t.Errorf("no source for the design")
			}
			figures := d.Figures()
			if len(figures) < 7 {
				t.Fatalf("only %d figures: %v", len(figures), figures)
			}
			for _, k := range figures {
				if strings.TrimSpace(d.Sources[k]) == "" {
					t.Errorf("figure %s has no source", k)
				}
			}
			// A figure whose value is an assumption of this package must say so.
			for k, s := range d.Sources {
				if strings.Contains(strings.ToLower(s), "assum") && !strings.Contains(s, "[assumption]") {
					t.Errorf("%s: source mentions an assumption without the [assumption] tag: %q", k, s)
				}
			}
		})
	}
}

// The paper preset makes a synapse read cost exactly the paper's number:
// E = G·V²·t = (1 S·|w|)·(1 V·z)²·(1 s) = |w|·z², and nothing else costs.
func TestPaperPreset(t *testing.T) {
	d, err := Lookup("paper")
	if err != nil {
		t.Fatal(err)
	}
	s, in := d.Synapse, d.Input
	checks := []struct {
		what string
		ok   bool
	}{
		{"mapping ideal", s.Mapping == Ideal},
		{"encoding amplitude", in.Encoding == Amplitude},
		{"g_per_unit = 1 S", s.GPerUnit == Point(1) && !s.GPerUnitAuto},
		{"v_read = 1 V", in.VRead == Point(1)},
		{"t_read = 1 s", in.TRead == Point(1)},
		{"unbounded window", !s.Bounded() && s.GMin == Range{}},
		{"continuous", s.Levels == 0},
		{"no noise", s.Variation == Range{} && s.ReadNoise == Range{}},
		{"no DAC", in.DACEnergy == Range{}},
		{"no ADC, no neuron", d.Readout == Readout{}},
		{"free plasticity", d.Plasticity.WriteEnergyPerEvent == Range{} && d.Plasticity.WriteEnergyPerUnit == Range{}},
		{"no static power", d.StaticPower == Range{}},
		{"no ranges", len(d.Ranged()) == 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("paper preset: want %s", c.what)
		}
	}
	// E = G·V²·t with G = g_per_unit·|w|, V = v_read·z: exact in float64 for
	// these values, since every factor is 1.
	for _, wz := range [][2]float64{{0.37, -1.2}, {-2.5, 0.5}, {1e-3, 7}} {
		w, z := wz[0], wz[1]
		g := s.GPerUnit.Lo // S
		v := in.VRead.Lo * z
		e := g * math.Abs(w) * v * v * in.TRead.Lo
		if paper := math.Abs(w) * z * z; e != paper {
			t.Errorf("w=%v z=%v: E = %v J, paper %v", w, z, e, paper)
		}
	}
}

// Derived figures checked against a hand computation from the published
// parameters. Tolerance 1e-12 relative: float rounding of a few operations.
func TestPresetDerivedFigures(t *testing.T) {
	get := func(name string) *Design {
		d, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	nsim, nram, pc, bio, lh := get("rram-neurosim"), get("rram-neurram"), get("pcm"), get("biology"), get("loihi")
	tests := []struct {
		what      string
		got, want float64
	}{
		{"NeuroSim g_min = 1/R_off", nsim.Synapse.GMin.Lo, 1 / 1.7e6},
		{"NeuroSim g_max = 1/R_on", nsim.Synapse.GMax.Lo, 1e-5},
		// DNN+NeuroSim V1.4 cell read at R_on: 0.55² V² × 10 µS × 10 ns = 30.25 fJ (published: 30.3 fJ).
		{"NeuroSim read at R_on", nsim.Input.VRead.Lo * nsim.Input.VRead.Lo * nsim.Synapse.GMax.Lo * nsim.Input.TRead.Lo, 30.25e-15},
		// V2.1 write: 4 V, 50 ns at 240 kΩ: 16/240e3 × 50e-9 = 3.333… pJ.
		{"NeuroSim V2.1 write", nsim.Plasticity.WriteEnergyPerEvent.Hi, 10.0 / 3 * 1e-12},
		{"NeuRRAM g_max = 1/250 kΩ", nram.Synapse.GMax.Lo, 4e-6},
		// NeuRRAM read at R_on: 0.25 V² × 4 µS × 2 ns = 2 fJ (published: 2.0 fJ).
		{"NeuRRAM read at R_on", nram.Input.VRead.Lo * nram.Input.VRead.Lo * nram.Synapse.GMax.Lo * nram.Input.TRead.Lo, 2e-15},
		// Set pulse 1.75 V × 8.52 µs: 3.0625/250e3 × 8.52e-6 = 104.37 pJ (published ≈104 pJ); /1e6 → 26.09 pJ.
		{"NeuRRAM set at R_on", nram.Plasticity.WriteEnergyPerEvent.Hi, 104.37e-12},
		{"NeuRRAM set at R_off", nram.Plasticity.WriteEnergyPerEvent.Lo, 26.0925e-12},
		{"NeuRRAM sample + ADC", nram.Readout.ADCEnergy.Lo, 1.5e-12},
		// NVMExplorer PCM: (150 µA)² × 1 kΩ × 150 ns = 3.375 pJ; (300 µA)² × 1 kΩ × 40 ns = 3.6 pJ.
		{"PCM SET", pc.Plasticity.WriteEnergyPerEvent.Lo, 150e-6 * 150e-6 * 1e3 * 150e-9},
		{"PCM RESET", pc.Plasticity.WriteEnergyPerEvent.Hi, 300e-6 * 300e-6 * 1e3 * 40e-9},
		// Biology: 1.64e5 ATP × 5e-20 J = 8.2 fJ, × 1e-19 J = 16.4 fJ; 3.84e8 ATP → 19.2 pJ, 38.4 pJ.
		{"vesicle low", bio.Synapse.SynopEnergy.Lo, 1.64e5 * 5e-20},
		{"vesicle high", bio.Synapse.SynopEnergy.Hi, 1.64e5 * 1e-19},
		{"action potential low", bio.Readout.NeuronEnergy.Lo, 3.84e8 * 5e-20},
		{"action potential high", bio.Readout.NeuronEnergy.Hi, 3.84e8 * 1e-19},
		{"Loihi synop low", lh.Synapse.SynopEnergy.Lo, 23.6e-12},
		{"Loihi synop high", lh.Synapse.SynopEnergy.Hi, 27.1e-12},
		{"Loihi neuron", lh.Readout.NeuronEnergy.Lo, 81e-12},
		{"Loihi learning", lh.Plasticity.WriteEnergyPerEvent.Lo, 120e-12},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-12*math.Abs(tt.want) {
			t.Errorf("%s: %v, want %v", tt.what, tt.got, tt.want)
		}
	}
	// aihwkit programming noise, relative σ/g (σ in µS at g_max 25 µS), rounded to 3 digits in the preset.
	sigma := func(g float64) float64 { return (0.26348 + 1.9650*g - 1.1731*g*g) / (25 * g) }
	if v := pc.Synapse.Variation; math.Abs(v.Lo-sigma(1)) > 5e-4 || math.Abs(v.Hi-sigma(0.25)) > 5e-4 {
		t.Errorf("PCM variation %v, want ≈[%.4f, %.4f]", v, sigma(1), sigma(0.25))
	}
	// aihwkit 1/f read noise at t = t_0 = 20 s, t_read = 250 ns.
	readNoise := func(g float64) float64 {
		return math.Min(0.0088/math.Pow(g, 0.65), 0.2) * math.Sqrt(math.Log((20+250e-9)/(2*250e-9)))
	}
	if v := pc.Synapse.ReadNoise; math.Abs(v.Lo-readNoise(1)) > 5e-5 || math.Abs(v.Hi-readNoise(0.25)) > 5e-5 {
		t.Errorf("PCM read noise %v, want ≈[%.4f, %.4f]", v, readNoise(1), readNoise(0.25))
	}
}

// Presets are built anew on each call: changing one changes no other.
func TestPresetsAreCopies(t *testing.T) {
	a, _ := Lookup("loihi")
	a.Synapse.SynopEnergy = Point(1)
	a.Sources["synapse.synop_energy"] = "changed"
	b, _ := Lookup("loihi")
	if b.Synapse.SynopEnergy == Point(1) || b.Sources["synapse.synop_energy"] == "changed" {
		t.Error("Lookup returned a shared preset")
	}
}

func TestLookup(t *testing.T) {
	file := testutil.Testdata("designs", "digital.yaml")
	tests := []struct {
		arg  string
		name string // design name, "" for an error
		want string // error text
	}{
		{arg: "paper", name: "paper"},
		{arg: "biology", name: "biology"},
		{arg: file, name: "loihi-like"},
		{arg: "rram", want: `design rram: no preset of that name and no such file; presets: paper, rram-neurosim, rram-neurram, pcm, loihi, biology, stp-diffusive`},
		{arg: "", want: "no preset of that name"},
		{arg: filepath.Join(t.TempDir(), "x.yaml"), want: "no such file"},
		{arg: testutil.Testdata("designs", "bad", "wrong-unit.yaml"), want: `synapse.g_min: "5V" is a voltage`},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			d, err := Lookup(tt.arg)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("got %v, want error containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != tt.name {
				t.Errorf("name %q, want %q", d.Name, tt.name)
			}
		})
	}
}

// A Design is a yaml.Marshaler: yaml.Marshal writes what Parse reads back.
func TestMarshalYAML(t *testing.T) {
	for _, d := range Presets() {
		out, err := yaml.Marshal(d)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		got, err := Parse(d.File, out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", d.Name, err, out)
		}
		if diff := cmp.Diff(d, got); diff != "" {
			t.Errorf("%s (-marshalled +parsed):\n%s", d.Name, diff)
		}
	}
	bad := &Design{Name: "x"}
	if _, err := yaml.Marshal(bad); err == nil {
		t.Error("an invalid design marshalled")
	}
}
