package synapse_test

import (
	"fmt"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/synapse"
)

// A checkpoint is checked against its config and becomes a network; a Runner
// steps it and reports the paper energy of each step.
func ExampleBuild() {
	cfg, err := arch.Load("../testdata/art/ART_STPN_h11/config.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	sd, err := checkpoint.Load("../testdata/art/ART_STPN_h11/model.pth", checkpoint.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	net, err := synapse.Build(cfg.Network(), sd)
	if err != nil {
		fmt.Println(err)
		return
	}
	outside, plastic := net.DecayOutside()
	fmt.Println(net.Cell.Unit(), net.Cell.HiddenSize(), net.Cell.Synapses(), outside, plastic)
	r := net.NewRunner()
	x := make([]float64, 37)
	x[24] = 1 // 'y', the first symbol of the reference's first sequence
	// The reference's energy_f64.npy[0, 0] is 0.13358025899805503.
	fmt.Printf("%.12f\n", r.Step(x))
	// Output:
	// STPNr 11 528 62 528
	// 0.133580258998
}
