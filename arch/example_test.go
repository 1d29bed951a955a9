package arch_test

import (
	"fmt"

	"github.com/neurosim/neurosim/arch"
)

func ExampleParse() {
	cfg, err := arch.Parse("config.json", []byte(`{
	  "data": {"dict_size": 37},
	  "model": {"recurrent_unit": "FastWeights", "hidden_size": 20, "activation": null,
	            "rnn_args": {"S": 1, "stp": {"learn_plastic_weight_params": false,
	              "learn_plastic_weight_params_kwargs": {"weight_lambda": {"fixed_parameter_value": 0.9},
	                                                     "weight_gamma": {"fixed_parameter_value": 0.5}},
	              "plastic_weight_connections": "hidden"}}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Unit, cfg.Hidden, cfg.InputSize, cfg.S, cfg.STP.Lambda, cfg.STP.Gamma, cfg.STP.Clamp, cfg.LayerNorm)
	// Output: FastWeights 20 37 1 0.9 0.5 1000 true
}

func ExampleParseNetwork() {
	// A user's own agent: a linear front-end, an STPN core and two heads.
	n, err := arch.ParseNetwork("agent.yaml", []byte(`
input: {shape: [4]}
front_end:
  - {type: linear, name: fc1, out_features: 256}
  - {type: tanh}
core:
  unit: STPNr
  prefix: rnn.rnn.
  hidden_size: 64
  rnn_args: {stp: {plastic_weight_connections: all, plasticity_type_kwargs: {weight_norm: {}}}}
heads:
  - {name: logits, tensor: action_branch, size: 2}
  - {name: value, tensor: value_branch, size: 1}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Source, n.Obs, len(n.Front), n.Core.Unit, n.Core.Hidden, n.Wrapper.HebbianPre, n.Heads[1].Name, n.EveryStep)
	// Output: description [4] 2 STPNr 64 previous value true
}
