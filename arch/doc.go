// Package arch reads the architecture of a trained network as users have
// it, and turns it into a typed, validated description: an arch.Network of
// an optional front-end of stateless layers, a recurrent core (Config) and
// linear heads, with the conventions of the wrapper around the core
// (Wrapper).
//
// ParseNetwork recognises four forms from their content:
//
//   - The config JSON of the paper's reference implementation
//     (NeuromorphicComputing/stpn, the `config/*.json` files of the
//     Associative Retrieval Task) as it is (Parse, Config.Network): the
//     cell, read out by hidden2tag after the last step, with the
//     conventions of NoEmbed_AssociativeNet (Hebbian presynaptic [x_t ; h_t],
//     activation applied to a feed-forward STP cell's F).
//   - The RLlib model config of the paper's agents
//     (AtariMujoco/rllib_nets.py:TorchCustomModelEnergy): an RLlib run's
//     params.json, whose model.custom_model_config holds the constructor's
//     keyword arguments, or the reference fixtures' spec.json, which holds
//     it under constructor.model_config with the observation space and
//     num_outputs. The front-end (conv or linear), core (stpn, stpmlp, lstm,
//     rnn, mlp) and action and value heads follow the constructor; the
//     conventions are SimpleNetSTPN's (Hebbian presynaptic [x_t ; h_{t−1}],
//     no activation on F).
//   - neurosim's network description of a user's own model, YAML or JSON
//     (see parseDescription for the format): input shape, layer list with
//     tensor-name prefixes, core, heads.
//
// Only the keys that change what a trained network computes at inference
// are interpreted. In the ART config: `model.recurrent_unit`,
// `model.hidden_size`, `model.activation`, `model.rnn_args` and
// `data.dict_size`; keys that only steer training or the random
// initialisation (`plastic_weights_init_config`,
// `learn_plastic_bias_params_dims`, the `training` and `stats` sections, …)
// are accepted and ignored. Any other key inside `model` — or inside an
// RLlib custom_model_config, or anywhere in a description — is an error
// that lists what is supported, so a configuration neurosim does not
// understand is never evaluated silently.
//
// Defaults follow the constructors of the reference code (STPLayers.py,
// rllib_nets.py): `plastic_weight_clamp_val` absent means 1000, null means
// no clamp; `bias` defaults to true; `layer_norm` to false except for
// FastWeights (true); FastWeights has S = 1 inner step and a tanh activation
// unless told otherwise; an RLlib custom_model_config defaults to fc_size
// 256, lstm_state_size 128, use_mlp true, use_cnn false, rnn_type "lstm".
//
// Sizes a description leaves out (0, or a nil observation shape) are
// worked out when the network is built from its checkpoint (synapse.Build),
// which then checks every tensor against the shape the description
// implies.
//
// Load and LoadNetwork read a file, pipe or device through MaxFileBytes
// (1 MiB by default; the neurosim flag --max-config-bytes), so that
// --config /dev/zero is refused at once.
package arch
