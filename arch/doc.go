// Package arch reads the architecture of a trained network from the config JSON
// of the paper's reference implementation (NeuromorphicComputing/stpn, the
// `config/*.json` files of the Associative Retrieval Task) as it is, and turns it
// into a typed, validated Config.
//
// Only the keys that change what a trained network computes at inference are
// interpreted: `model.recurrent_unit`, `model.hidden_size`, `model.activation`,
// `model.rnn_args` and `data.dict_size`. Keys that only steer training or the
// random initialisation (`plastic_weights_init_config`, `learn_plastic_bias_params_dims`,
// the `training` and `stats` sections, …) are accepted and ignored. Any other
// key inside `model` is an error that lists what is supported, so a
// configuration neurosim does not understand is never evaluated silently.
//
// Defaults follow the constructors of the reference code (STPLayers.py):
// `plastic_weight_clamp_val` absent means 1000, null means no clamp;
// `bias` defaults to true; `layer_norm` to false except for FastWeights (true);
// FastWeights has S = 1 inner step and a tanh activation unless told otherwise.
//
// Load reads a file, pipe or device through MaxFileBytes (1 MiB by default;
// the neurosim flag --max-config-bytes), so that --config /dev/zero is
// refused at once.
package arch
