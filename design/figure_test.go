package design

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func node(t *testing.T, text string, line int) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0]
	n.Line = line
	return n
}

// WithAll moves figures that constrain each other together: g_min above the
// old g_max is fine when g_max moves too, and refused (with the line of the
// value the check names) when it does not.
func TestWithAll(t *testing.T) {
	base, err := Lookup("rram-neurosim") // g_min 1/1.7 MΩ, g_max 10 µS
	if err != nil {
		t.Fatal(err)
	}
	d, err := base.WithAll([]Assignment{
		{Key: "synapse.g_min", Value: node(t, "20uS", 3)},
		{Key: "synapse.g_max", Value: node(t, "40uS", 4), Source: "[sweep axis]"},
	}, "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if d.Synapse.GMin.Lo != 20e-6 || d.Synapse.GMax.Lo != 40e-6 || d.Sources["synapse.g_max"] != "[sweep axis]" {
		t.Errorf("g_min %v g_max %v source %q", d.Synapse.GMin, d.Synapse.GMax, d.Sources["synapse.g_max"])
	}
	if base.Synapse.GMax.Lo != 10e-6 || base.Sources["synapse.g_max"] == "[sweep axis]" {
		t.Error("base design changed")
	}
	_, err = base.WithAll([]Assignment{
		{Key: "synapse.levels", Value: node(t, "8", 2)},
		{Key: "synapse.g_min", Value: node(t, "20uS", 7)},
	}, "s.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), "design s.yaml:7: synapse.g_min:") {
		t.Errorf("g_min above g_max: %v, want an error at s.yaml:7", err)
	}
}

func TestFigureAndText(t *testing.T) {
	d, err := Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		key, text string
		lo, hi    float64
		numeric   bool
	}{
		{"synapse.levels", "32", 32, 32, true},
		{"readout.adc_energy", "[47fJ, 990fJ]", 47e-15, 0.99e-12, true},
		{"input.v_read", "550mV", 0.55, 0.55, true},
		{"synapse.read_noise", "0", 0, 0, true},
		{"synapse.g_per_unit", "auto", 0, 0, true},
		{"plasticity.element", "rewrite", 0, 0, false},
		{"synapse.synop_energy", "", 0, 0, false}, // not a figure of a differential design
	}
	for _, c := range cases {
		if got := d.Text(c.key); got != c.text {
			t.Errorf("Text(%s) = %q, want %q", c.key, got, c.text)
		}
		r, ok := d.Figure(c.key)
		if ok != c.numeric || r.Lo != c.lo || r.Hi != c.hi {
			t.Errorf("Figure(%s) = %v, %v; want [%g, %g], %v", c.key, r, ok, c.lo, c.hi, c.numeric)
		}
	}
	if _, whole, ok := KeyNumeric("synapse.levels"); !ok || !whole {
		t.Error("levels is a whole number")
	}
	if dim, _, ok := KeyNumeric("readout.adc_energy"); !ok || dim != Energy {
		t.Error("adc_energy is an energy")
	}
	if _, _, ok := KeyNumeric("plasticity.element"); ok {
		t.Error("element is a choice, not a number")
	}
}

// ParseValue reads one value alone; With also checks it against the others.
func TestParseValue(t *testing.T) {
	base, err := Lookup("rram-neurosim") // g_max 10 µS
	if err != nil {
		t.Fatal(err)
	}
	text, r, num, err := base.ParseValue("synapse.g_min", node(t, "20uS", 9), "s.yaml")
	if err != nil || text != "20uS" || r != Point(20e-6) || !num {
		t.Errorf("g_min 20uS alone: %q %v %v %v", text, r, num, err)
	}
	if _, err := base.With("synapse.g_min", node(t, "20uS", 9), "", "s.yaml"); err == nil {
		t.Error("With accepted g_min above g_max")
	}
	if _, _, _, err := base.ParseValue("synapse.g_min", node(t, "20uJ", 9), "s.yaml"); err == nil ||
		!strings.HasPrefix(err.Error(), "design s.yaml:9: synapse.g_min:") {
		t.Errorf("g_min in joules: %v", err)
	}
	if text, _, num, err := base.ParseValue("plasticity.element", node(t, "volatile", 2), "s.yaml"); err != nil || text != "volatile" || num {
		t.Errorf("element: %q %v %v", text, num, err)
	}
}
