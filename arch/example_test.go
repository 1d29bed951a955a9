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
