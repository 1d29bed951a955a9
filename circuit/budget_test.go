package circuit

import (
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/synapse"
)

// A differential crossbar of 64 rows (32 inputs, two cells each) by 16
// columns, 8 columns to an ADC; every time a range so that both ends are
// checked. %ARRAY% is the array section (or nothing) and %AREA% the area.
const timed = `name: timed
synapse: {mapping: differential, g_per_unit: auto, g_min: 1uS, g_max: 11uS}
input: {encoding: amplitude, v_read: 1V, t_read: [10ns, 20ns], dac_energy: 0J}
readout: {adc_energy: 1pJ, neuron_energy: 0J, t_neuron: [5ns, 6ns]}
plasticity: {element: volatile, write_energy_per_event: 0J, write_energy_per_unit: 0J}
%ARRAY%
%AREA%
static_power: 0W
step_period: 1ms
`

const tiledArray = `array: {rows: 64, cols: 16, cols_per_adc: 8, t_conversion: [1ns, 2ns], t_add: [0.5ns, 1ns]}`

func timedDesign(t *testing.T, array, area string) *design.Design {
	t.Helper()
	return mustDesign(t, strings.NewReplacer("%ARRAY%", array, "%AREA%", area).Replace(timed))
}

// Two arrays: a has 100 inputs and 20 outputs (on the 64×16 tile: ⌈100/32⌉
// = 4 row tiles, ⌈20/16⌉ = 2 column tiles), b 10 inputs and 4 outputs (one
// tile), and c, never read.
var budgetArrays = []synapse.ArrayInfo{
	{Name: "a", Rows: 20, Cols: 100},
	{Name: "b", Rows: 4, Cols: 10},
	{Name: "c", Rows: 3, Cols: 3},
}

func nearRange(t *testing.T, what string, got, want design.Range) {
	t.Helper()
	near(t, what+" low", got.Lo, want.Lo)
	near(t, what+" high", got.Hi, want.Hi)
}

// StepLatency against the derivation of its doc: per array, ⌈reads/steps⌉
// reads one after another, each t_read + conversions·t_conversion + adder
// levels·t_add + t_neuron.
func TestStepLatency(t *testing.T) {
	// 9 steps: a is read 19 times (⌈19/9⌉ = 3 a step), b 9 times (1), c never.
	c := &energy.Counts{Steps: 9, Arrays: []energy.ArrayCounts{{Reads: 19}, {Reads: 9}, {}}}
	cases := []struct {
		name  string
		array string
		want  design.Range
	}{
		// a: 8 conversions (min(cols_per_adc 8, cols 16, outputs 20)), ⌈log2 4⌉ = 2 adder levels;
		// b: 4 conversions (its 4 outputs), one row tile so no adder.
		// low  3·(10 + 8·1 + 2·0.5 + 5) + (10 + 4·1 + 5) = 3·24 + 19 = 91 ns
		// high 3·(20 + 8·2 + 2·1 + 6) + (20 + 4·2 + 6)   = 3·44 + 34 = 166 ns
		{"tiled", tiledArray, design.Range{Lo: 91e-9, Hi: 166e-9}},
		// No array section: no conversions are timed and nothing is added.
		// low 3·(10 + 5) + (10 + 5) = 60 ns, high 3·(20 + 6) + (20 + 6) = 104 ns
		{"untiled", "", design.Range{Lo: 60e-9, Hi: 104e-9}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := timedDesign(t, tc.array, "")
			nearRange(t, "latency", StepLatency(d, budgetArrays, c), tc.want)
		})
	}

	t.Run("no reads", func(t *testing.T) {
		d := timedDesign(t, tiledArray, "")
		idle := &energy.Counts{Arrays: make([]energy.ArrayCounts, 3)}
		if got := StepLatency(d, budgetArrays, idle); got != (design.Range{}) {
			t.Errorf("a run that reads nothing takes %v s a step, want 0", got)
		}
	})

	// Digital: each core works through its share of the synaptic operations
	// and neuron updates, the cores in parallel. On 32-input × 8-neuron cores
	// a takes ⌈100/32⌉·⌈20/8⌉ = 4·3 = 12 cores, b 1 and c 1: 14 cores, and
	// a's 4 row tiles need ⌈log2 4⌉ = 2 adder levels.
	// 10 steps of 2660 synops (266 a step) and 140 neuron updates (14 a step):
	// low  (266·1 ns + 14·10 ns)/14 + 2·3 ns = 29 + 6 = 35 ns
	// high (266·2 ns + 14·10 ns)/14 + 2·3 ns = 48 + 6 = 54 ns
	t.Run("digital", func(t *testing.T) {
		d := mustDesign(t, `name: dig
synapse: {mapping: digital, synop_energy: 1pJ, t_synop: [1ns, 2ns]}
input: {dac_energy: 0J}
readout: {neuron_energy: 0J, t_neuron: 10ns}
plasticity: {element: rewrite, write_energy_per_event: 0J, write_energy_per_unit: 0J}
array: {rows: 32, cols: 8, t_add: 3ns}
static_power: 0W
step_period: 1ms
`)
		c := &energy.Counts{Steps: 10, Neurons: 140,
			Arrays: []energy.ArrayCounts{{SynOps: 2400}, {SynOps: 200}, {SynOps: 60}}}
		nearRange(t, "latency", StepLatency(d, budgetArrays, c), design.Range{Lo: 35e-9, Hi: 54e-9})
	})
}

// Doubling every time figure doubles the latency: it is a sum of counts ×
// times.
func TestStepLatencyScales(t *testing.T) {
	c := &energy.Counts{Steps: 9, Arrays: []energy.ArrayCounts{{Reads: 19}, {Reads: 9}, {}}}
	d := timedDesign(t, tiledArray, "")
	base := StepLatency(d, budgetArrays, c)
	for _, kv := range [][2]string{
		{"input.t_read", "[20ns, 40ns]"}, {"readout.t_neuron", "[10ns, 12ns]"},
		{"array.t_conversion", "[2ns, 4ns]"}, {"array.t_add", "[1ns, 2ns]"},
	} {
		var err error
		if d, err = d.WithText(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	nearRange(t, "latency at twice every time", StepLatency(d, budgetArrays, c),
		design.Range{Lo: 2 * base.Lo, Hi: 2 * base.Hi})
}

// The depth of an adder tree over n partial sums is ⌈log2 n⌉.
func TestAdderLevels(t *testing.T) {
	for _, tc := range []struct{ n, want int }{
		{0, 0}, {1, 0}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {8, 3}, {9, 4}, {1 << 20, 20},
	} {
		if got := levels(tc.n); got != tc.want {
			t.Errorf("levels(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

const allAreas = `area: {feature_size: 40nm, cell_f2: 48, adc: 100um2, dac: 1um2, neuron: 50um2, adder: 20um2, tile: 1000um2}`

// ChipArea against the counts of its doc, each × its area.
func TestChipArea(t *testing.T) {
	type comp struct {
		name  string
		count int
		each  float64 // m²
	}
	// A 48 F² cell at F = 40 nm: 48 × (40e-9 m)² = 7.68e-14 m².
	const cell = 48 * 40e-9 * 40e-9
	cases := []struct {
		name        string
		array, area string
		want        []comp
	}{
		// a on 4×2 = 8 tiles, b and c on one each: 10 tiles.
		// cells 10·64·16; ADCs 10·⌈16/8⌉; DACs 10·64 rows; neurons 20+4+3;
		// adders (4−1)·20 for a (b and c have one row tile).
		{"tiled", tiledArray, allAreas, []comp{
			{"cells", 10 * 64 * 16, cell}, {"adc", 10 * 2, 100e-12}, {"dac", 10 * 64, 1e-12},
			{"neurons", 27, 50e-12}, {"adders", 60, 20e-12}, {"tiles", 10, 1000e-12},
		}},
		// Untiled: the cells in use, 2·inputs·outputs (differential pairs);
		// a DAC per cell row (2·inputs), an ADC per output, no adders, one
		// tile per array.
		{"untiled", "", allAreas, []comp{
			{"cells", 2 * (100*20 + 10*4 + 3*3), cell}, {"adc", 27, 100e-12}, {"dac", 2 * (100 + 10 + 3), 1e-12},
			{"neurons", 27, 50e-12}, {"tiles", 3, 1000e-12},
		}},
		// Only the components whose area is given are listed.
		{"cells and ADCs only", tiledArray, `area: {cell: 0.5um2, adc: 100um2}`, []comp{
			{"cells", 10 * 64 * 16, 0.5e-12}, {"adc", 20, 100e-12},
		}},
		{"no area", tiledArray, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ChipArea(timedDesign(t, tc.array, tc.area), budgetArrays)
			if len(got) != len(tc.want) {
				t.Fatalf("%d components %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Name != w.name || g.Count != w.count {
					t.Errorf("component %d: %s × %d, want %s × %d", i, g.Name, g.Count, w.name, w.count)
				}
				nearRange(t, w.name, g.Area, design.Point(float64(w.count)*w.each))
			}
		})
	}
}

// A digital chip has no crossbar cells, converters or row drivers: only its
// neurons, adders and cores take area. 32-input × 8-neuron cores: a on
// 4×3 = 12, b and c on one each; adders (4−1)·20 for a.
func TestChipAreaDigital(t *testing.T) {
	d := mustDesign(t, `name: dig
synapse: {mapping: digital, synop_energy: 1pJ}
input: {dac_energy: 0J}
readout: {neuron_energy: 0J}
plasticity: {element: rewrite, write_energy_per_event: 0J, write_energy_per_unit: 0J}
array: {rows: 32, cols: 8}
area: {neuron: [50um2, 60um2], adder: 20um2, tile: 1000um2}
static_power: 0W
step_period: 1ms
`)
	got := ChipArea(d, budgetArrays)
	want := []AreaComponent{
		{"neurons", 27, design.Range{Lo: 27 * 50e-12, Hi: 27 * 60e-12}},
		{"adders", 60, design.Point(60 * 20e-12)},
		{"tiles", 14, design.Point(14 * 1000e-12)},
	}
	if len(got) != len(want) {
		t.Fatalf("components %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Count != want[i].Count {
			t.Errorf("component %d: %s × %d, want %s × %d", i, got[i].Name, got[i].Count, want[i].Name, want[i].Count)
		}
		nearRange(t, want[i].Name, got[i].Area, want[i].Area)
	}
}

// The cell area is cell_f2·F²: doubling the feature size quadruples it,
// and nothing else.
func TestChipAreaFeatureSize(t *testing.T) {
	d := timedDesign(t, tiledArray, allAreas)
	base := ChipArea(d, budgetArrays)
	d2, err := d.WithText("area.feature_size", "80nm")
	if err != nil {
		t.Fatal(err)
	}
	got := ChipArea(d2, budgetArrays)
	for i := range base {
		want := base[i].Area
		if base[i].Name == "cells" {
			want = design.Range{Lo: 4 * want.Lo, Hi: 4 * want.Hi}
		}
		if got[i].Name != base[i].Name || got[i].Count != base[i].Count {
			t.Errorf("component %d at 2F: %s × %d, want %s × %d", i, got[i].Name, got[i].Count, base[i].Name, base[i].Count)
		}
		nearRange(t, base[i].Name+" at 2F", got[i].Area, want)
	}
}
