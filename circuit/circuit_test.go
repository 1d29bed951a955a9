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

// The ideal mapping through a bounded window: one cell G = g·|e|, clipped
// at g_max − g_min, read back with the efficacy's sign. One g_per_unit is
// every array's.
func TestCrossbarIdeal(t *testing.T) {
	d := mustDesign(t, `name: ideal
synapse: {mapping: ideal, g_per_unit: 2uS, g_max: 10uS}
input: {encoding: amplitude, v_read: 1V, t_read: 1ns, dac_energy: 0J}
readout: {adc_energy: 0J, neuron_energy: 0J}
plasticity: {element: volatile, write_energy_per_event: 0J, write_energy_per_unit: 0J}
static_power: 0W
step_period: 1ms
`)
	s := Settings(d, false)
	if len(s) != 1 || s[0].GMax != 10e-6 || !NeedsDevice(d, &s[0]) {
		t.Fatalf("settings %+v: want one, bounded at 10 µS, through the device (cells may saturate)", s)
	}
	arrays := []synapse.ArrayInfo{{Name: "a", Rows: 1, Cols: 3}, {Name: "b", Rows: 1, Cols: 1}}
	chip, err := NewChip(d, arrays, s[0])
	if err != nil {
		t.Fatal(err)
	}
	if g := chip.Setting().GPerUnit; len(g) != 2 || g[0] != 2e-6 || g[1] != 2e-6 {
		t.Errorf("GPerUnit %v, want 2 µS for each of two arrays", g)
	}
	x := chip.NewDevice()
	// e = −3 → 6 µS; e = 8 → 16 µS saturates at 10 µS; e = 1 → 2 µS.
	e := []float64{-3, 8, 1}
	z := []float64{0.5, 1, -2}
	c2, c1 := x.Row(0, 0, e, z)
	near(t, "e[0]", e[0], -3)
	near(t, "e[1]", e[1], 10e-6/2e-6)
	near(t, "e[2]", e[2], 1)
	near(t, "Σz²G", c2, 0.25*6e-6+1*10e-6+4*2e-6)
	near(t, "Σ|z|G", c1, 0.5*6e-6+1*10e-6+2*2e-6)
	// Continuous cells hold any state: Store changes nothing.
	f := []float64{0.123, -4.56}
	x.Store(1, f, synapse.Unit{})
	if f[0] != 0.123 || f[1] != -4.56 {
		t.Errorf("Store without levels changed the state: %v", f)
	}
}

// Ideal reads without levels, variation or noise need no device; nor does a
// digital design.
func TestNoDevice(t *testing.T) {
	arrays := []synapse.ArrayInfo{{Name: "a", Rows: 2, Cols: 2}}
	for _, d := range []*design.Design{
		analogDesign(t, "0", "amplitude", "volatile"), // g_per_unit auto: nothing saturates
		mustDesign(t, `name: dig
synapse: {mapping: digital, synop_energy: 1pJ}
input: {dac_energy: 0J}
readout: {neuron_energy: 0J}
plasticity: {element: rewrite, write_energy_per_event: 0J, write_energy_per_unit: 0J}
static_power: 0W
step_period: 1ms
`),
	} {
		chip, err := NewChip(d, arrays, Setting{GPerUnit: []float64{1e-6}, GMin: 1e-6, GMax: 11e-6})
		if err != nil {
			t.Fatal(err)
		}
		if chip.Device() || chip.NewDevice() != nil {
			t.Errorf("%s: reads go through a device model", d.Name)
		}
	}
}

// Energies are sums of counts × prices: the read energy goes as v_read²,
// the write energy vanishes with its prices, and static energy goes as
// time.
func TestPriceIdentities(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	set := Setting{GPerUnit: []float64{2e-6}, GMin: 1e-6, GMax: 11e-6}
	base := Price(d, &set, counts())
	cases := []struct {
		name   string
		key    string
		value  string
		loc    int
		cat    energy.Category
		factor float64
	}{
		{"2× v_read, 4× read", "input.v_read", "[1V, 2V]", 0, energy.SynapseRead, 4},
		{"2× t_read, 2× read", "input.t_read", "20ns", 0, energy.SynapseRead, 2},
		{"free writes", "plasticity.write_energy_per_event", "0J", 0, energy.SynapseWrite, 0},
		{"3× static power", "static_power", "3mW", 2, energy.Static, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d2, err := d.WithText(tc.key, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if tc.factor == 0 {
				// Both write prices to zero: nothing is charged at all.
				if d2, err = d2.WithText("plasticity.write_energy_per_unit", "0J"); err != nil {
					t.Fatal(err)
				}
			}
			got := Price(d2, &set, counts())[tc.loc][tc.cat]
			want := base[tc.loc][tc.cat]
			if tc.factor == 0 {
				if got.Lo != 0 || got.Hi != 0 {
					t.Errorf("%v, want exactly 0 J", got)
				}
				return
			}
			near(t, "low", float64(got.Lo), tc.factor*float64(want.Lo))
			near(t, "high", float64(got.Hi), tc.factor*float64(want.Hi))
		})
	}
}

// The overflow error names the design, category and location.
func TestOverflowError(t *testing.T) {
	err := &OverflowError{Design: "big", Location: "neurons", Category: energy.Neuron}
	for _, s := range []string{"design big", "neuron", "at neurons", "+Inf J"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not say %q", err, s)
		}
	}
}

// Every ranged device figure doubles the corners; step_period is one of them
// when a device retention makes the decay per step depend on it.
func TestSettingsCorners(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	with := func(d *design.Design, kv ...string) *design.Design {
		t.Helper()
		for i := 0; i < len(kv); i += 2 {
			var err error
			if d, err = d.WithText(kv[i], kv[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	// Retention [5 ms, 10 ms] × its variation [0, 0.1] × step_period
	// [1 ms, 2 ms] (dense inputs, but the retention needs it): 8 corners.
	r := with(d, "plasticity.retention", "[5ms, 10ms]", "plasticity.retention_variation", "[0, 0.1]")
	s := Settings(r, false)
	if len(s) != 8 {
		t.Fatalf("%d settings, want 8", len(s))
	}
	seen := map[[3]float64]bool{}
	for _, c := range s {
		seen[[3]float64{c.Retention, c.RetentionVariation, c.StepPeriod}] = true
		if c.GMin != 1e-6 || c.GMax != 11e-6 || c.GPerUnit != nil {
			t.Errorf("corner %+v: point figures not set, or auto g_per_unit given a value", c)
		}
	}
	for _, tau := range []float64{5e-3, 10e-3} {
		for _, v := range []float64{0, 0.1} {
			for _, p := range []float64{1e-3, 2e-3} {
				if !seen[[3]float64{tau, v, p}] {
					t.Errorf("no corner τ %v, σ %v, step %v", tau, v, p)
				}
			}
		}
	}
	// An explicit g_per_unit range: one corner at each end.
	g := with(d, "synapse.g_per_unit", "[1uS, 2uS]")
	s = Settings(g, false)
	if len(s) != 2 || len(s[0].GPerUnit) != 1 || s[0].GPerUnit[0] != 1e-6 || s[1].GPerUnit[0] != 2e-6 {
		t.Errorf("g_per_unit [1 µS, 2 µS]: %+v", s)
	}
}
