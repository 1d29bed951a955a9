package design_test

import (
	"fmt"
	"log"

	"github.com/neurosim/neurosim/design"
)

// Lookup finds a preset by name (or reads a design file). Figures are SI;
// a ranged figure has a low and a high end.
func ExampleLookup() {
	d, err := design.Lookup("rram-neurosim")
	if err != nil {
		log.Fatal(err)
	}
	s := d.Synapse
	fmt.Println(d.Name, s.Mapping, "levels", s.Levels)
	fmt.Printf("g_max %.3g S, v_read %.3g V, t_read %.3g s\n",
		s.GMax.Lo, d.Input.VRead.Lo, d.Input.TRead.Lo)
	// A cell read at g_max: E = G·V²·t.
	e := s.GMax.Lo * d.Input.VRead.Lo * d.Input.VRead.Lo * d.Input.TRead.Lo
	fmt.Printf("read at g_max %.4g fJ\n", e*1e15)
	adc := d.Readout.ADCEnergy
	fmt.Printf("ADC %.3g–%.3g pJ\n", adc.Lo*1e12, adc.Hi*1e12)
	fmt.Println("ranged:", d.Ranged())
	fmt.Println("source of g_min:", d.Sources["synapse.g_min"])
	// Output:
	// rram-neurosim differential levels 32
	// g_max 1e-05 S, v_read 0.55 V, t_read 1e-08 s
	// read at g_max 30.25 fJ
	// ADC 0.047–0.99 pJ
	// ranged: [readout.adc_energy plasticity.write_energy_per_event]
	// source of g_min: [derived] 1/R_off = 1/1.7 MΩ; DNN+NeuroSim V1.4 Param.cpp resistanceOff = 100e3*17
}

// Parse reads a design file; every problem is one line naming the file, the
// line, the key and what was expected.
func ExampleParse() {
	_, err := design.Parse("d.yaml", []byte(`name: broken
synapse: {mapping: differential, g_per_unit: auto, g_min: 5V, g_max: 10uS}
`))
	fmt.Println(err)
	// Output:
	// design d.yaml:2: synapse.g_min: "5V" is a voltage, want a conductance (S) or a resistance (Ω)
}
