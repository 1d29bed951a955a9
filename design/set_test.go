package design

import (
	"strings"
	"testing"
)

func TestWith(t *testing.T) {
	base, err := Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	d, err := base.WithText("synapse.levels", "16")
	if err != nil {
		t.Fatal(err)
	}
	if d.Synapse.Levels != 16 || base.Synapse.Levels != 32 {
		t.Errorf("levels %d (base %d), want 16 (base unchanged at 32)", d.Synapse.Levels, base.Synapse.Levels)
	}
	// A range with prefixes, read as in a file: [1 pJ, 3 pJ] in J.
	d, err = base.WithText("plasticity.write_energy_per_event", "[1pJ, 3pJ]")
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Plasticity.WriteEnergyPerEvent; r.Lo != 1e-12 || r.Hi != 3e-12 {
		t.Errorf("write energy %v, want [1e-12, 3e-12]", r)
	}
	// An explicit g_per_unit replaces auto, and back.
	d, err = base.WithText("synapse.g_per_unit", "2uS")
	if err != nil {
		t.Fatal(err)
	}
	if d.Synapse.GPerUnitAuto || d.Synapse.GPerUnit.Lo != 2e-6 {
		t.Errorf("g_per_unit auto=%v %v, want 2 µS", d.Synapse.GPerUnitAuto, d.Synapse.GPerUnit)
	}
	if d, err = d.WithText("synapse.g_per_unit", "auto"); err != nil || !d.Synapse.GPerUnitAuto || d.Synapse.GPerUnit != (Range{}) {
		t.Errorf("back to auto: %v, %+v", err, d)
	}
	if d, err = base.WithText("plasticity.element", "volatile"); err != nil || d.Plasticity.Element != Volatile {
		t.Errorf("element: %v", err)
	}
	bad := []struct{ key, val, want string }{
		{"synapse.levels", "1", "1 level stores nothing"},
		{"input.v_read", "5uS", "conductance"},
		{"synapse.nope", "1", "is not a figure"},
		{"synapse.synop_energy", "1pJ", "mapping differential has no"},
		{"synapse.g_min", "20uS", "exceeds g_max"},
		{"plasticity.element", "flash", "not supported"},
	}
	for _, b := range bad {
		_, err := base.WithText(b.key, b.val)
		if err == nil || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), b.key) {
			t.Errorf("%s: %s: got %v, want an error naming the key and %q", b.key, b.val, err, b.want)
		}
	}
}

// Price figures do not change the simulation key; device figures do; step
// period only for timed (event) runs.
func TestSimulationKey(t *testing.T) {
	base, err := Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	k := SimulationKey(base, false)
	for _, key := range Keys() {
		r, ok := KeyRole(key)
		if !ok {
			t.Fatalf("%s has no role", key)
		}
		var val string
		switch key {
		case "input.v_read":
			val = "0.3V"
		case "input.t_read":
			val = "5ns"
		case "input.dac_energy", "readout.adc_energy", "readout.neuron_energy",
			"plasticity.write_energy_per_event", "plasticity.write_energy_per_unit":
			val = "7pJ"
		case "static_power":
			val = "1mW"
		case "step_period":
			val = "2ms"
		case "input.encoding":
			val = "pulse-width"
		case "plasticity.element":
			val = "volatile"
		case "synapse.levels":
			val = "8"
		case "synapse.variation", "synapse.read_noise":
			val = "0.1"
		case "synapse.g_min":
			val = "1uS"
		case "synapse.g_max":
			val = "20uS"
		case "synapse.g_per_unit":
			val = "1uS"
		case "plasticity.lambda_outside":
			val = "clamp"
		case "seed":
			val = "9"
		default:
			continue // name, source, synop_energy (not for this mapping), mapping
		}
		d, err := base.WithText(key, val)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		same := SimulationKey(d, false) == k
		if want := r != Device; same != want {
			t.Errorf("%s (role %v): simulation key unchanged = %v, want %v", key, r, same, want)
		}
		if sameTimed := SimulationKey(d, true) == SimulationKey(base, true); sameTimed != (r == Price) {
			t.Errorf("%s (role %v): timed key unchanged = %v, want %v", key, r, sameTimed, r == Price)
		}
	}
	h1, err := base.Hash()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := base.WithText("input.v_read", "0.3V")
	if h2, _ := d.Hash(); h1 == h2 || len(h1) != 64 {
		t.Errorf("hash %q unchanged by a figure, or not a sha256", h1)
	}
}
