package arch

import (
	"encoding/json"
	"fmt"
)

// The paper's agents (AtariMujoco/rllib_nets.py, TorchCustomModelEnergy and
// the identical TorchMLP_RNNModel) are built by RLlib from its model config:
// ModelCatalog calls the class with the observation space, the action
// space's num_outputs and model_config, and passes
// model_config["custom_model_config"] as keyword arguments:
//
//	fc_size=256, lstm_state_size=128, use_mlp=True, use_cnn=False,
//	rnn_type="lstm", stp=None, energy_eval=False
//
// (the constructor's defaults, used for absent keys). The network is:
//
//   - front-end: use_cnn — the observation (H, W, C) permuted to (C, H, W),
//     conv1 (16 channels, 8×8, stride 4) → relu → conv2 (32, 4×4, stride 2)
//     → relu → flatten (rllib_nets.py:616-621, 721-722, 928-932); use_mlp —
//     fc1 (fc_size) → tanh (:611-613, 925-927); neither — none;
//   - core (rllib_nets.py:634-645): "stpn" SimpleNetSTPN (STPNr under
//     rnn.rnn., tanh, Hebbian presynaptic [x_t ; h_{t−1}]), "stpmlp"
//     SimpleNetSTPMLP (STPNf under rnn.rnn., tanh, no activation on F),
//     "lstm" / "rnn" torch.nn.LSTM / RNN under rnn., "mlp" torch.nn.Linear
//     under rnn. followed by tanh; hidden size lstm_state_size;
//   - heads, read at every step: action_branch (num_outputs logits) and
//     value_branch (one value).
var rllibKwargs = []string{"fc_size", "lstm_state_size", "use_mlp", "use_cnn", "rnn_type", "stp", "energy_eval"}

// rllibModel reads an RLlib model config; obs and outputs are the
// observation shape and num_outputs when known (spec.json), else nil and 0
// (taken from the checkpoint).
func rllibModel(model object, obs []int, outputs int) (*Network, error) {
	for _, k := range []string{"use_lstm", "use_attention"} {
		if on, err := model.boolean(k, false); err != nil {
			return nil, err
		} else if on {
			return nil, model.errf(k, "RLlib would wrap the custom model in a model of its own; only the custom model itself is supported")
		}
	}
	kw, err := model.sub("custom_model_config")
	if err != nil {
		return nil, err
	}
	if err := kw.allow(rllibKwargs...); err != nil {
		return nil, err
	}
	n := &Network{File: model.file, Source: RLlibSource, Obs: obs, EveryStep: true,
		Wrapper: Wrapper{HebbianPre: PrevHidden}}
	fc := 256
	if v, ok, err := kw.integer("fc_size"); err != nil {
		return nil, err
	} else if ok {
		fc = v
	}
	hidden := 128
	if v, ok, err := kw.integer("lstm_state_size"); err != nil {
		return nil, err
	} else if ok {
		hidden = v
	}
	useMLP, err := kw.boolean("use_mlp", true)
	if err != nil {
		return nil, err
	}
	useCNN, err := kw.boolean("use_cnn", false)
	if err != nil {
		return nil, err
	}
	switch {
	case useMLP && useCNN:
		// assert (not (use_cnn == use_mlp)) or use_mlp is False
		return nil, kw.errf("use_mlp", "use_mlp and use_cnn are both true; the model takes one front-end")
	case useMLP:
		if fc <= 0 || fc > MaxElements {
			return nil, kw.errf("fc_size", "must be between 1 and %d, found %d", MaxElements, fc)
		}
		n.Front = []Layer{{Kind: Linear, Name: "fc1", Out: fc, Bias: true}, {Kind: Act, Activation: Tanh}}
	case useCNN:
		if obs == nil {
			dim := 84 // RLlib's MODEL_DEFAULTS
			if v, ok, err := model.integer("dim"); err != nil {
				return nil, err
			} else if ok {
				if v <= 0 || v > 1<<12 {
					return nil, model.errf("dim", "must be between 1 and 4096, found %d", v)
				}
				dim = v
			}
			gray, err := model.boolean("grayscale", false)
			if err != nil {
				return nil, err
			}
			ch := 3
			if gray {
				ch = 1
			}
			n.Obs = []int{dim, dim, ch}
		}
		n.Front = []Layer{
			{Kind: Permute, Dims: []int{2, 0, 1}},
			{Kind: Conv2d, Name: "conv1", Out: 16, Kernel: [2]int{8, 8}, Stride: [2]int{4, 4}, Bias: true},
			{Kind: Act, Activation: ReLU},
			{Kind: Conv2d, Name: "conv2", Out: 32, Kernel: [2]int{4, 4}, Stride: [2]int{2, 2}, Bias: true},
			{Kind: Act, Activation: ReLU},
			{Kind: Flatten},
		}
	}
	if hidden <= 0 || hidden > MaxHidden {
		return nil, kw.errf("lstm_state_size", "must be between 1 and %d, found %d", MaxHidden, hidden)
	}
	typ := "lstm"
	if s, ok, err := kw.str("rnn_type"); err != nil {
		return nil, err
	} else if ok {
		typ = s
	}
	c := Config{File: model.file, Hidden: hidden, Bias: true}
	n.CorePrefix = "rnn."
	switch typ {
	case "stpn", "stpmlp":
		c.Unit, c.Activation = STPNr, Tanh
		if typ == "stpmlp" {
			c.Unit = STPNf
		}
		// SimpleNetSTPN / SimpleNetSTPMLP hold the STP layer as .rnn, and the
		// agent holds them as .rnn; stp=None is {} (Scripts/Nets.py).
		n.CorePrefix = "rnn.rnn."
		stp, err := kw.sub("stp")
		if err != nil {
			return nil, err
		}
		if c.STP, err = parseSTP(stp, c.Unit); err != nil {
			return nil, err
		}
	case "lstm":
		c.Unit, c.Naming = LSTM, TorchNaming
	case "rnn":
		c.Unit, c.Naming, c.CellActivation = RNN, TorchNaming, Tanh
	case "mlp":
		c.Unit, c.Activation = MLP, Tanh
	default:
		return nil, kw.errf("rnn_type", "%q is not supported (supported: lstm, stpn, rnn, stpmlp, mlp)", typ)
	}
	n.Core = c
	n.Heads = []Head{{Name: "logits", Tensor: "action_branch", Out: outputs}, {Name: "value", Tensor: "value_branch", Out: 1}}
	return n, n.Validate()
}

// parseParams reads an RLlib run's params.json: its "model" section. The
// observation shape and the number of actions are the environment's, not
// the config's: they are taken from the checkpoint.
func parseParams(root, model object) (*Network, error) {
	if fw, ok, err := root.str("framework"); err != nil {
		return nil, err
	} else if ok && fw != "torch" {
		return nil, root.errf("framework", "%q: only torch agents are supported", fw)
	}
	return rllibModel(model, nil, 0)
}

// parseSpec reads the spec.json of a reference agent fixture: the
// constructor's arguments, with the RLlib model config under
// constructor.model_config.
func parseSpec(root object) (*Network, error) {
	con, err := root.sub("constructor")
	if err != nil {
		return nil, err
	}
	space, err := con.sub("obs_space")
	if err != nil {
		return nil, err
	}
	shape, ok, err := space.ints("shape")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, space.errf("shape", "missing")
	}
	outputs, ok, err := con.integer("num_outputs")
	if err != nil {
		return nil, err
	}
	if !ok || outputs <= 0 || outputs > MaxElements {
		return nil, con.errf("num_outputs", "want an integer between 1 and %d", MaxElements)
	}
	model, err := con.sub("model_config")
	if err != nil {
		return nil, err
	}
	n, err := rllibModel(model, shape, outputs)
	if err != nil {
		return nil, err
	}
	// The constructor's keyword arguments repeat custom_model_config; a
	// spec whose two copies disagree describes no single model.
	kw, _ := model.sub("custom_model_config")
	for _, k := range rllibKwargs {
		a, inCon := con.m[k]
		b, inKw := kw.m[k]
		if inCon && inKw && !sameJSON(a, b) {
			return nil, con.errf(k, "is %s, but model_config.custom_model_config.%s is %s", show(a), k, show(b))
		}
	}
	return n, nil
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}
