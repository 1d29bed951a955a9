package circuit

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/synapse"
)

func mustDesign(t *testing.T, y string) *design.Design {
	t.Helper()
	d, err := design.Parse("t.yaml", []byte(y))
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	return d
}

const analog = `name: t
synapse: {mapping: differential, g_per_unit: %G%, g_min: 1uS, g_max: 11uS, levels: %LEVELS%, variation: 0, read_noise: 0}
input: {encoding: %ENC%, v_read: [0.5V, 1V], t_read: 10ns, dac_energy: 2pJ}
readout: {adc_energy: [1pJ, 4pJ], neuron_energy: 3pJ}
plasticity: {element: %ELEM%, write_energy_per_event: 5pJ, write_energy_per_unit: 7pJ, lambda_outside: per-step}
static_power: 1mW
step_period: [1ms, 2ms]
seed: 1
`

// analogDesign has g_per_unit auto, so without levels it needs no device
// model (cells cannot saturate); with levels it does.
func analogDesign(t *testing.T, levels, enc, elem string) *design.Design {
	r := strings.NewReplacer("%LEVELS%", levels, "%ENC%", enc, "%ELEM%", elem, "%G%", "auto")
	return mustDesign(t, r.Replace(analog))
}

func counts() *energy.Counts {
	return &energy.Counts{
		Arrays: []energy.ArrayCounts{{
			Reads: 2, Rows: 10, Drives: 6, SynOps: 30, Z2: 4, Z1: 5, Paper: 3, PaperAbs: 3.5,
			CellZ2: 7e-6, CellZ1: 8e-6, Writes: 11, WriteUnits: 0.5, Rewrites: 20, RewriteUnits: 2,
		}},
		Neurons: 9, Seconds: 0.25, Periods: 3,
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	// Each price is a product of at most four factors and a count: a few ulps.
	if math.Abs(got-want) > 1e-14*math.Abs(want) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

// Every category priced by hand from the counts (no device: reads follow
// from g·Σz²|e| + 2·g_min·Σz²).
func TestPriceByHand(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	set := Setting{GPerUnit: []float64{2e-6}, GMin: 1e-6, GMax: 11e-6}
	b := Price(d, &set, counts())
	if len(b) != 3 {
		t.Fatalf("%d locations, want rnn, neurons, chip", len(b))
	}
	g := 2e-6*3 + 2*1e-6*4 // S: g·Σz²|e| + 2·g_min·Σz²
	near(t, "read low", float64(b[0][energy.SynapseRead].Lo), 0.25*10e-9*g)
	near(t, "read high", float64(b[0][energy.SynapseRead].Hi), 1*10e-9*g)
	near(t, "dac", float64(b[0][energy.DAC].Hi), 6*2e-12)
	near(t, "adc low", float64(b[0][energy.ADC].Lo), 10*1e-12)
	near(t, "adc high", float64(b[0][energy.ADC].Hi), 10*4e-12)
	near(t, "write (volatile)", float64(b[0][energy.SynapseWrite].Lo), 11*5e-12+0.5*7e-12)
	near(t, "neuron", float64(b[1][energy.Neuron].Lo), 9*3e-12)
	near(t, "static low", float64(b[2][energy.Static].Lo), 1e-3*(0.25+3*1e-3))
	near(t, "static high", float64(b[2][energy.Static].Hi), 1e-3*(0.25+3*2e-3))

	// Pulse width weighs |z|; a rewrite element writes every value.
	d = analogDesign(t, "0", "pulse-width", "rewrite")
	b = Price(d, &set, counts())
	near(t, "read pulse", float64(b[0][energy.SynapseRead].Hi), 10e-9*(2e-6*3.5+2*1e-6*5))
	near(t, "write (rewrite)", float64(b[0][energy.SynapseWrite].Lo), 20*5e-12+2*7e-12)

	// Through a device (levels): the cell currents the device reported.
	d = analogDesign(t, "8", "amplitude", "volatile")
	b = Price(d, &set, counts())
	near(t, "read device amplitude", float64(b[0][energy.SynapseRead].Lo), 0.25*10e-9*7e-6)
	d = analogDesign(t, "8", "pulse-width", "volatile")
	b = Price(d, &set, counts())
	near(t, "read device pulse", float64(b[0][energy.SynapseRead].Lo), 0.25*10e-9*8e-6)

	dig := mustDesign(t, `name: dig
synapse: {mapping: digital, synop_energy: 23.6pJ}
input: {dac_energy: 0J}
readout: {neuron_energy: 81pJ}
plasticity: {element: rewrite, write_energy_per_event: 120pJ, write_energy_per_unit: 0J}
static_power: 0W
step_period: 1ms
`)
	b = Price(dig, &Setting{}, counts())
	near(t, "synops", float64(b[0][energy.SynapseRead].Lo), 30*23.6e-12)
	if b[0][energy.ADC].Hi != 0 {
		t.Errorf("digital ADC %v, want 0", b[0][energy.ADC])
	}
}

func TestMeter(t *testing.T) {
	if m := Meter(analogDesign(t, "0", "pulse-width", "volatile")); !m.Abs || !m.Writes {
		t.Errorf("pulse width with write prices: %+v", m)
	}
	p, _ := design.Lookup("paper")
	if m := Meter(p); m.Abs || m.Writes {
		t.Errorf("paper design meters %+v; it prices neither |z| nor writes", m)
	}
}

func TestSettings(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	if s := Settings(d, false); len(s) != 1 || s[0].StepPeriod != 1e-3 {
		t.Errorf("dense: %d settings, want 1 (step_period is a price)", len(s))
	}
	if s := Settings(d, true); len(s) != 2 || s[0].StepPeriod != 1e-3 || s[1].StepPeriod != 2e-3 {
		t.Errorf("events: %+v, want the two ends of step_period", s)
	}
	r, err := d.WithText("synapse.variation", "[0.1, 0.2]")
	if err != nil {
		t.Fatal(err)
	}
	if r, err = r.WithText("synapse.g_min", "[0.5uS, 1uS]"); err != nil {
		t.Fatal(err)
	}
	if s := Settings(r, false); len(s) != 4 {
		t.Errorf("two ranged device figures: %d settings, want 4", len(s))
	}
	p, _ := design.Lookup("paper")
	s := Settings(p, false)
	if len(s) != 1 || !math.IsInf(s[0].GMax, 1) || NeedsDevice(p, &s[0]) {
		t.Errorf("paper: %+v, want one unbounded ideal setting", s)
	}
	c := Setting{GMin: 1e-6, GMax: 11e-6}
	c.Calibrate([]float64{2, 0})
	// window 10 µS (11 − 1, one rounding) over peaks 2 and none
	near(t, "calibrated g[0]", c.GPerUnit[0], 5e-6)
	near(t, "calibrated g[1]", c.GPerUnit[1], 10e-6)
}

// The crossbar by hand: differential pair G± = g_min + g·max(±e, 0),
// saturated at g_max and rounded to levels; the network reads (G+ − G−)/g.
func TestCrossbar(t *testing.T) {
	d := analogDesign(t, "3", "amplitude", "volatile") // levels 0, 5, 10 µS above g_min
	arrays := []synapse.ArrayInfo{{Name: "a", Rows: 1, Cols: 3}}
	chip, err := NewChip(d, arrays, Setting{GPerUnit: []float64{2e-6}, GMin: 1e-6, GMax: 11e-6})
	if err != nil {
		t.Fatal(err)
	}
	if !chip.Device() {
		t.Fatal("levels need the device model")
	}
	x := chip.NewDevice()
	// e = 2 → 4 µS rounds to 5 µS; e = −100 → saturates at 10 µS; z = 0 undriven.
	e := []float64{2, -100, 7}
	z := []float64{1, 0.5, 0}
	c2, c1 := x.Row(0, 0, e, z)
	g0 := (1e-6 + 5e-6) + 1e-6  // G+ + G− of the first synapse
	g1 := 1e-6 + (1e-6 + 10e-6) // of the second
	near(t, "e[0]", e[0], 5e-6/2e-6)
	near(t, "e[1]", e[1], -10e-6/2e-6)
	if e[2] != 7 {
		t.Errorf("undriven column changed: %v", e[2])
	}
	near(t, "Σz²G", c2, 1*g0+0.25*g1)
	near(t, "Σ|z|G", c1, 1*g0+0.5*g1)
	// A stored state rounds to the level spacing in efficacy units: 5 µS / 2 µS = 2.5.
	f := []float64{1.4, 1.1, 0}
	x.Store(0, f, synapse.Unit{})
	if f[0] != 2.5 || f[1] != 0 {
		t.Errorf("Store = %v, want [2.5 0 0]", f)
	}
	if _, err := NewChip(d, arrays, Setting{GPerUnit: []float64{1, 2}}); err == nil {
		t.Error("two g_per_unit for one array accepted")
	}
}

// Variation and noise are seeded: same design seed and sequence, same draws.
func TestCrossbarSeeded(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	d, err := d.WithText("synapse.read_noise", "0.1")
	if err != nil {
		t.Fatal(err)
	}
	if d, err = d.WithText("synapse.variation", "0.2"); err != nil {
		t.Fatal(err)
	}
	arrays := []synapse.ArrayInfo{{Name: "a", Rows: 2, Cols: 2}}
	read := func(seq int) float64 {
		chip, err := NewChip(d, arrays, Setting{GPerUnit: []float64{1e-6}, GMin: 1e-6, GMax: 11e-6, Variation: 0.2, ReadNoise: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		x := chip.NewDevice()
		x.(interface{ Seed(int) }).Seed(seq)
		c2, _ := x.Row(0, 1, []float64{1, -1}, []float64{1, 1})
		return c2
	}
	if read(3) != read(3) || read(3) == read(4) {
		t.Error("read noise is not seeded per sequence")
	}
}

func TestPrepareAndOverflow(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	b := Price(d, &Setting{GPerUnit: []float64{2e-6}, GMin: 1e-6}, counts())
	arrays := []synapse.ArrayInfo{{Name: "rnn"}}
	if err := CheckBill(d, arrays, b); err != nil {
		t.Errorf("finite bill refused: %v", err)
	}
	huge, err := d.WithText("input.dac_energy", "1e308J")
	if err != nil {
		t.Fatal(err)
	}
	b = Price(huge, &Setting{GPerUnit: []float64{2e-6}, GMin: 1e-6}, counts())
	var oe *OverflowError
	if err := CheckBill(huge, arrays, b); !errors.As(err, &oe) || oe.Category != energy.DAC || oe.Location != "rnn" {
		t.Errorf("6 × 1e308 J accepted or misnamed: %v", err)
	}
}
