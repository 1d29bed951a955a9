package circuit

import (
	"fmt"
	"math"
	"testing"

	"github.com/neurosim/neurosim/synapse"
)

// ArrayTiles splits inputs over rows / cells per synapse and outputs over
// the columns of a tile: ⌈inputs / per tile⌉ × ⌈outputs / cols⌉.
func TestArrayTiles(t *testing.T) {
	diff := timedDesign(t, tiledArray, "") // 64 rows, 32 differential inputs; 16 columns
	ideal := mustDesign(t, `name: ideal
synapse: {mapping: ideal, g_per_unit: 1uS}
input: {encoding: amplitude, v_read: 1V, t_read: 1ns, dac_energy: 0J}
readout: {adc_energy: 0J, neuron_energy: 0J}
plasticity: {element: volatile, write_energy_per_event: 0J, write_energy_per_unit: 0J}
array: {rows: 64, cols: 16, cols_per_adc: 1}
static_power: 0W
step_period: 1ms
`) // one cell per synapse: 64 inputs a tile
	cases := []struct {
		name       string
		ideal      bool
		rows, cols int // outputs, inputs of the synaptic array
		want       Tiles
	}{
		{"fits one tile", false, 16, 32, Tiles{1, 1}},
		{"one input too many", false, 16, 33, Tiles{2, 1}},
		{"one output too many", false, 17, 32, Tiles{1, 2}},
		{"100 inputs, 20 outputs", false, 20, 100, Tiles{4, 2}},
		{"single cells hold twice the inputs", true, 20, 100, Tiles{2, 2}},
		{"empty array still takes a tile", false, 0, 0, Tiles{1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := diff
			if tc.ideal {
				d = ideal
			}
			got := ArrayTiles(d, synapse.ArrayInfo{Rows: tc.rows, Cols: tc.cols})
			if got != tc.want || got.Count() != tc.want.RowTiles*tc.want.ColTiles {
				t.Errorf("%+v (%d tiles), want %+v", got, got.Count(), tc.want)
			}
		})
	}
	// Without an array section every array is one (untiled) tile, and
	// Tiling says so with nil.
	untiled := timedDesign(t, "", "")
	if got := ArrayTiles(untiled, synapse.ArrayInfo{Rows: 1000, Cols: 1000}); got != (Tiles{1, 1}) {
		t.Errorf("untiled: %+v, want one tile", got)
	}
	if got := Tiling(untiled, budgetArrays); got != nil {
		t.Errorf("untiled Tiling = %v, want nil", got)
	}
	if got := Tiling(diff, budgetArrays); len(got) != 3 || got[0] != 32 || got[2] != 32 {
		t.Errorf("Tiling = %v, want 32 inputs a row tile for each of 3 arrays", got)
	}
	if got := Tiling(ideal, budgetArrays[:1]); len(got) != 1 || got[0] != 64 {
		t.Errorf("ideal Tiling = %v, want [64]", got)
	}
}

// A signed ADC of b bits over [−fs, fs] resolves k·Δ, Δ = 2·fs/2^b,
// k = −2^(b−1) … 2^(b−1) − 1; beyond the range it clips.
func TestQuantise(t *testing.T) {
	cases := []struct {
		x, fs float64
		bits  int
		want  float64
	}{
		// 2 bits over [−1, 1]: Δ = 0.5, levels −1, −0.5, 0, 0.5.
		{0.3, 1, 2, 0.5},
		{0.2, 1, 2, 0},
		{-0.3, 1, 2, -0.5},
		{0.9, 1, 2, 0.5},       // above the top level: clips to 0.5
		{-0.9, 1, 2, -1},       // rounds to −2Δ, the bottom level
		{-5, 1, 2, -1},         // clips
		{0.7, 1, 1, 0},         // 1 bit: levels −1 and 0
		{0.1, 1, 8, 0.1015625}, // 8 bits: Δ = 1/128, 0.1 → 13/128
		{1e6, 1000, 8, 1000 - 1000.0/128},
		// No finite positive full scale: nothing to quantise against.
		{0.3, 0, 2, 0.3},
		{0.3, -1, 2, 0.3},
		{0.3, math.Inf(1), 2, 0.3},
		{0.3, math.NaN(), 2, 0.3},
	}
	for _, tc := range cases {
		if got := Quantise(tc.x, tc.fs, tc.bits); got != tc.want {
			t.Errorf("Quantise(%v, fs %v, %d bits) = %v, want %v", tc.x, tc.fs, tc.bits, got, tc.want)
		}
	}
}

// Quantise is a 4-bit ADC over ±1: sixteen levels 1/8 apart.
func ExampleQuantise() {
	for _, x := range []float64{0.3, -0.3, 0.99, -2} {
		fmt.Println(x, "→", Quantise(x, 1, 4))
	}
	// Output:
	// 0.3 → 0.25
	// -0.3 → -0.25
	// 0.99 → 0.875
	// -2 → -1
}

// An ADC per row tile: Convert quantises each active tile's partial sum
// over the full scale n·e_max of its n inputs and adds them.
func TestConvert(t *testing.T) {
	// 4 rows hold two differential inputs a tile; 4 bits; window 10 µS at
	// 2 µS per unit, so e_max = 5.
	d := mustDesign(t, `name: adc
synapse: {mapping: differential, g_per_unit: auto, g_min: 1uS, g_max: 11uS}
input: {encoding: amplitude, v_read: 1V, t_read: 1ns, dac_energy: 0J}
readout: {adc_energy: 1pJ, neuron_energy: 0J}
plasticity: {element: volatile, write_energy_per_event: 0J, write_energy_per_unit: 0J}
array: {rows: 4, cols: 4, cols_per_adc: 1, adc_bits: 4}
static_power: 0W
step_period: 1ms
`)
	arrays := []synapse.ArrayInfo{{Name: "a", Rows: 1, Cols: 5}}
	chip, err := NewChip(d, arrays, Setting{GPerUnit: []float64{2e-6}, GMin: 1e-6, GMax: 11e-6})
	if err != nil {
		t.Fatal(err)
	}
	conv, ok := chip.NewDevice().(synapse.Converter)
	if !ok {
		t.Fatal("a design with adc_bits reads through no converter")
	}
	// Tiles [0, 2), [2, 4), [4, 5).
	// First: Σ e·z = 1·1 + 2·0.5 = 2 over fs = 2·5 = 10, Δ = 10·2/16 = 1.25:
	//   round(1.6) = 2 → 2.5.
	// Second: no input is driven, so nothing is converted (not even 0).
	// Third: 5·1 = 5 over fs = 5, Δ = 0.625: round(8) = 8, clipped to 7 → 4.375.
	e := []float64{1, 2, 3, 4, 5}
	z := []float64{1, 0.5, 0, 0, 1}
	if got := conv.Convert(0, 0, e, z); got != 2.5+4.375 {
		t.Errorf("Convert = %v, want 2.5 + 4.375", got)
	}
	// All undriven: no tile converts.
	if got := conv.Convert(0, 0, e, make([]float64, 5)); got != 0 {
		t.Errorf("Convert of no input = %v, want 0", got)
	}

}
