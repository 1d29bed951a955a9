package design

import (
	"fmt"
	"math"
)

// MaxTile bounds the rows, columns and columns per ADC of a tile: a million
// is far beyond any crossbar or core.
const MaxTile = 1 << 20

// MaxADCBits bounds array.adc_bits: float64 partial sums hold 53 bits, and a
// 48-bit step is already below their rounding.
const MaxADCBits = 48

// Array says how each synaptic array of a network is split over crossbar
// tiles. The weight matrix is stored transposed on the crossbar: presynaptic
// inputs drive the tile's rows (word lines, one DAC each) and each
// postsynaptic neuron sums its current on a column (bit line) into an ADC —
// the arrangement of NeuroSim, ISAAC and NeuRRAM, where an ADC converts a
// column's current, which is one output's partial dot product. A
// differential pair takes two rows (its two cells are driven with opposite
// signs, so the column sums G+ − G−), so a tile holds ⌊Rows/2⌋ inputs. An
// array with I inputs and O outputs needs ⌈I/inputs per tile⌉ × ⌈O/Cols⌉
// tiles; each output's partial sums from its row tiles are added digitally.
// For a digital chip a tile is a core: Rows inputs (fan-in) by Cols neurons.
type Array struct {
	Rows, Cols int // per tile; zero when the design has no array section
	// ColsPerADC columns share one ADC, converting one after another.
	ColsPerADC int
	// ADCBits quantises every column partial sum to 2^bits levels over its
	// full-scale range before it is used (0: conversion is exact).
	ADCBits int
	// ADCFOM is the Walden figure of merit (J per conversion step): a
	// conversion costs ADCFOM·2^ADCBits, instead of readout.adc_energy.
	ADCFOM      Range
	TConversion Range // s per conversion
	AddEnergy   Range // J per digital add of two partial sums
	TAdd        Range // s per level of the adder tree
}

// Footprint is the silicon area of each component, m² (zero: not given).
type Footprint struct {
	FeatureSize Range // m; the cell is CellF2·F²
	CellF2      Range // dimensionless
	Cell        Range // m², instead of CellF2·F²
	ADC, DAC    Range // one ADC; one row driver
	Neuron      Range // one activation circuit
	Adder       Range // one partial-sum adder
	Tile        Range // per tile or core, beyond the components listed
}

// Tiled reports whether the design has an array section.
func (d *Design) Tiled() bool { return d.Array.Rows > 0 }

// CellsPerSynapse is the number of crossbar rows one synapse takes: two for
// a differential pair, one otherwise (and one per input of a digital core).
func (d *Design) CellsPerSynapse() int {
	if d.Synapse.Mapping == Differential {
		return 2
	}
	return 1
}

// ConversionEnergy is the energy of one ADC conversion: readout.adc_energy,
// or array.adc_fom·2^adc_bits when a figure of merit is given (Walden, "Analog-to-
// digital converter survey and analysis", IEEE JSAC 17(4), 1999: FOM =
// P/(2^ENOB·f_s), so one conversion costs FOM·2^ENOB).
func (d *Design) ConversionEnergy() Range {
	if d.Array.ADCFOM == (Range{}) {
		return d.Readout.ADCEnergy
	}
	k := math.Ldexp(1, d.Array.ADCBits)
	return Range{Lo: d.Array.ADCFOM.Lo * k, Hi: d.Array.ADCFOM.Hi * k}
}

// CellArea is the area of one crossbar cell: area.cell, or cell_f2·F².
func (d *Design) CellArea() Range {
	a := &d.Area
	if a.Cell != (Range{}) {
		return a.Cell
	}
	return Range{Lo: a.CellF2.Lo * a.FeatureSize.Lo * a.FeatureSize.Lo, Hi: a.CellF2.Hi * a.FeatureSize.Hi * a.FeatureSize.Hi}
}

// checkChip checks the array, area, timing and retention figures.
func (d *Design) checkChip() error {
	e := func(key, format string, args ...any) error {
		return &Error{File: d.fileName(), Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	m := d.Synapse.Mapping
	for i := range schema {
		l := &schema[i]
		if l.cnt == nil {
			continue
		}
		n := *l.cnt(d)
		if !l.applies(m) && n != 0 {
			return e(l.key, "is set, but mapping %v has no %s", m, l.doc)
		}
		if n < 0 || n > l.max {
			return e(l.key, "%d is outside 0 … %d", n, l.max)
		}
	}
	a := &d.Array
	anyArray := a.Cols != 0 || a.ColsPerADC != 0 || a.ADCBits != 0 || a.ADCFOM != (Range{}) ||
		a.TConversion != (Range{}) || a.AddEnergy != (Range{}) || a.TAdd != (Range{})
	switch {
	case anyArray && a.Rows == 0:
		return e("array.rows", "missing; an array section needs rows and cols (the crossbar tile size)")
	case a.Rows > 0 && a.Cols == 0:
		return e("array.cols", "missing; an array section needs rows and cols (the crossbar tile size)")
	case a.Rows > 0 && a.Rows < d.CellsPerSynapse():
		return e("array.rows", "%d rows cannot hold one differential pair (2 rows)", a.Rows)
	case a.Rows > 0 && m.Analog() && a.ColsPerADC == 0:
		return e("array.cols_per_adc", "missing; an analog tile needs the number of columns that share one ADC (1 for an ADC per column)")
	case a.ColsPerADC > a.Cols:
		return e("array.cols_per_adc", "%d exceeds the %d columns of a tile", a.ColsPerADC, a.Cols)
	case a.ADCBits > 0 && !d.Synapse.Bounded():
		return e("array.adc_bits", "quantising partial sums needs their full-scale range, so a finite synapse.g_max")
	case a.ADCFOM != (Range{}) && a.ADCBits == 0:
		return e("array.adc_fom", "a figure of merit gives the energy of a conversion of adc_bits bits; set array.adc_bits")
	case a.ADCFOM != (Range{}) && d.Readout.ADCEnergy != (Range{}):
		return e("array.adc_fom", "is given with readout.adc_energy %s; give one of them",
			formatRange(d.Readout.ADCEnergy, Energy))
	}
	if c := d.ConversionEnergy(); math.IsInf(c.Hi, 0) {
		return e("array.adc_fom", "%s × 2^%d overflows float64", formatRange(a.ADCFOM, Energy), a.ADCBits)
	}
	ar := &d.Area
	switch {
	case (ar.CellF2 == Range{}) != (ar.FeatureSize == Range{}):
		return e("area.cell_f2", "cell_f2 and feature_size go together: the cell is cell_f2·F²")
	case ar.CellF2 != (Range{}) && ar.Cell != (Range{}):
		return e("area.cell", "is given with cell_f2; give the cell area one way")
	}
	if c := d.CellArea(); math.IsInf(c.Hi, 0) {
		return e("area.cell_f2", "cell_f2·feature_size² overflows float64")
	}
	p := &d.Plasticity
	switch {
	case p.Retention != (Range{}) && p.Retention.Lo <= 0:
		return e("plasticity.retention", "must be positive, found %s", formatRange(p.Retention, Time))
	case p.RetentionVariation != (Range{}) && p.Retention == (Range{}):
		return e("plasticity.retention_variation", "varies plasticity.retention, which is not given")
	}
	return nil
}
