package arch

import (
	"encoding/json"
	"fmt"
	"strings"
)

// parseDescription reads neurosim's network description of a user's own
// model (YAML, or the same as JSON):
//
//	prefix: ""                        # prepended to every tensor name (optional)
//	input: {shape: [84, 84, 1]}       # one step's observation (optional when
//	                                  # the first layer's or the core's weights say it)
//	front_end:                        # stateless layers, in order (optional)
//	  - {type: permute, dims: [2, 0, 1]}            # (H, W, C) → (C, H, W)
//	  - {type: conv2d, name: conv1, out_channels: 16, kernel_size: 8, stride: 4, padding: 0}
//	  - {type: relu}                                # relu, tanh, sigmoid
//	  - {type: flatten}                             # C, H, W order, as torch.flatten
//	  - {type: linear, name: fc1, out_features: 256, bias: true}
//	core:
//	  unit: STPNr        # STPNr, STPNf, HebbFF, RNN, LSTM, GRU, FastWeights, MODPLAST, MLP;
//	                     # nn.RNN, nn.LSTM, nn.GRU (torch naming); stpn, stpmlp, mlp (the agents' cores)
//	  prefix: rnn.       # the core's tensors: rnn.weight, rnn.weight_lambda, …
//	  hidden_size: 64
//	  input_size: 256    # optional: checked against the front-end's output
//	  activation: tanh   # tanh, sigmoid or none: the activation the wrapper applies to the
//	                     # core's output (default tanh for STPNr, STPNf, HebbFF, MLP; none otherwise)
//	  naming: torch      # RNN, LSTM: torch (weight_ih_l0, …; default) or paper (CustomRNNCell, CustomLSTMCell)
//	  hebbian_presynaptic: previous   # STPNr: previous ([x_t; h_{t−1}], default) or new ([x_t; h_t], the ART network)
//	  activation_on_f: false          # STPNf, HebbFF: the wrapper applies the activation to F (the ART network)
//	  rnn_args: {...}    # as model.rnn_args of the paper's config: stp, bias, layer_norm, nonlinearity, S, …
//	heads:               # linear layers on the core's output; the first gives the logits
//	  - {name: logits, tensor: action_branch, size: 6}
//	  - {name: value, tensor: value_branch, size: 1}
//	outputs: every_step  # heads read at every step (default), or last_step (a sequence classifier)
//
// Sizes left out are taken from the checkpoint; every tensor is then
// checked against the shape the description implies.
func parseDescription(root object) (*Network, error) {
	if err := root.allow("prefix", "input", "front_end", "core", "heads", "outputs"); err != nil {
		return nil, err
	}
	n := &Network{File: root.file, Source: DescribedSource, EveryStep: true}
	var err error
	if n.Prefix, _, err = root.str("prefix"); err != nil {
		return nil, err
	}
	in, err := root.sub("input")
	if err != nil {
		return nil, err
	}
	if err := in.allow("shape"); err != nil {
		return nil, err
	}
	if n.Obs, _, err = in.ints("shape"); err != nil {
		return nil, err
	}
	layers, err := root.list("front_end")
	if err != nil {
		return nil, err
	}
	if len(layers) > MaxLayers {
		return nil, root.errf("front_end", "%d layers, at most %d", len(layers), MaxLayers)
	}
	for _, l := range layers {
		layer, err := parseLayer(l)
		if err != nil {
			return nil, err
		}
		n.Front = append(n.Front, layer)
	}
	core, err := root.sub("core")
	if err != nil {
		return nil, err
	}
	if err := n.parseCore(core); err != nil {
		return nil, err
	}
	heads, err := root.list("heads")
	if err != nil {
		return nil, err
	}
	if len(heads) > MaxHeads {
		return nil, root.errf("heads", "%d heads, at most %d", len(heads), MaxHeads)
	}
	for _, h := range heads {
		if err := h.allow("name", "tensor", "size"); err != nil {
			return nil, err
		}
		var head Head
		if head.Name, _, err = h.str("name"); err != nil {
			return nil, err
		}
		if head.Tensor, _, err = h.str("tensor"); err != nil {
			return nil, err
		}
		if head.Tensor == "" {
			return nil, h.errf("tensor", "missing: the head's tensor-name prefix (tensor.weight, tensor.bias)")
		}
		if head.Out, _, err = h.integer("size"); err != nil {
			return nil, err
		}
		n.Heads = append(n.Heads, head)
	}
	switch s, _, err := root.str("outputs"); {
	case err != nil:
		return nil, err
	case s == "" || s == "every_step":
		n.EveryStep = true
	case s == "last_step":
		n.EveryStep = false
	default:
		return nil, root.errf("outputs", "%q is not supported (supported: every_step, last_step)", s)
	}
	return n, n.Validate()
}

// layerTypes maps the type names of a front-end layer.
var layerTypes = map[string]Layer{
	"linear":  {Kind: Linear},
	"conv2d":  {Kind: Conv2d},
	"relu":    {Kind: Act, Activation: ReLU},
	"tanh":    {Kind: Act, Activation: Tanh},
	"sigmoid": {Kind: Act, Activation: Sigmoid},
	"flatten": {Kind: Flatten},
	"permute": {Kind: Permute},
}

func parseLayer(o object) (Layer, error) {
	typ, ok, err := o.str("type")
	if err != nil {
		return Layer{}, err
	}
	l, known := layerTypes[strings.ToLower(typ)]
	if !ok || !known {
		return l, o.errf("type", "%q is not supported (supported: linear, conv2d, relu, tanh, sigmoid, flatten, permute)", typ)
	}
	switch l.Kind {
	case Linear:
		if err := o.allow("type", "name", "in_features", "out_features", "bias"); err != nil {
			return l, err
		}
		if l.Out, _, err = o.integer("out_features"); err != nil {
			return l, err
		}
	case Conv2d:
		if err := o.allow("type", "name", "in_channels", "out_channels", "kernel_size", "stride", "padding", "bias"); err != nil {
			return l, err
		}
		if l.Out, _, err = o.integer("out_channels"); err != nil {
			return l, err
		}
		if l.Kernel, ok, err = o.pair("kernel_size"); err != nil {
			return l, err
		} else if !ok {
			return l, o.errf("kernel_size", "missing")
		}
		l.Stride = [2]int{1, 1}
		if s, ok, err := o.pair("stride"); err != nil {
			return l, err
		} else if ok {
			l.Stride = s
		}
		if l.Padding, _, err = o.pair("padding"); err != nil {
			return l, err
		}
	case Permute:
		if err := o.allow("type", "dims"); err != nil {
			return l, err
		}
		if l.Dims, _, err = o.ints("dims"); err != nil {
			return l, err
		}
		if len(l.Dims) > MaxObsRank {
			return l, o.errf("dims", "%v: at most %d dimensions", l.Dims, MaxObsRank)
		}
	default:
		if err := o.allow("type"); err != nil {
			return l, err
		}
	}
	if l.Kind == Linear || l.Kind == Conv2d {
		if l.Name, _, err = o.str("name"); err != nil {
			return l, err
		}
		if l.Name == "" {
			return l, o.errf("name", "missing: the layer's tensor-name prefix (name.weight, name.bias)")
		}
		if l.Bias, err = o.boolean("bias", true); err != nil {
			return l, err
		}
	}
	return l, nil
}

// coreUnits maps the unit names of a description's core to a unit, its
// tensor naming and whether the name fixes it.
var coreUnits = map[string]struct {
	unit  Unit
	torch bool
}{
	"nn.RNN": {RNN, true}, "torch.nn.RNN": {RNN, true},
	"nn.LSTM": {LSTM, true}, "torch.nn.LSTM": {LSTM, true},
	"nn.GRU": {GRU, true}, "torch.nn.GRU": {GRU, true},
	"stpn": {STPNr, false}, "stpmlp": {STPNf, false}, "mlp": {MLP, false}, "lstm": {LSTM, true}, "rnn": {RNN, true},
}

func (n *Network) parseCore(core object) error {
	if err := core.allow("unit", "prefix", "hidden_size", "input_size", "activation", "naming",
		"hebbian_presynaptic", "activation_on_f", "rnn_args"); err != nil {
		return err
	}
	c := &n.Core
	c.File = core.file
	name, ok, err := core.str("unit")
	if err != nil {
		return err
	}
	names := supported(Units()) + ", nn.RNN, nn.LSTM, nn.GRU, stpn, stpmlp, mlp"
	if !ok {
		return core.errf("unit", "missing (supported: %s)", names)
	}
	naming := TorchNaming
	if a, ok := coreUnits[name]; ok {
		c.Unit = a.unit
	} else {
		for _, u := range Units() {
			if u.String() == name {
				c.Unit = u
			}
		}
	}
	if c.Unit == 0 {
		return core.errf("unit", "%q is not supported (supported: %s)", name, names)
	}
	if s, ok, err := core.str("naming"); err != nil {
		return err
	} else if ok {
		switch {
		case c.Unit != RNN && c.Unit != LSTM && c.Unit != GRU:
			return core.errf("naming", "applies to RNN, LSTM and GRU cores, not %s", c.Unit)
		case s == "paper" && c.Unit != GRU && !coreUnits[name].torch:
			naming = PaperNaming
		case s == "torch":
		default:
			return core.errf("naming", "%q is not supported for %s (supported: torch, and paper for RNN and LSTM)", s, name)
		}
	}
	if c.Unit == RNN || c.Unit == LSTM || c.Unit == GRU {
		c.Naming = naming
	}
	n.CorePrefix = "rnn."
	if s, ok, err := core.str("prefix"); err != nil {
		return err
	} else if ok {
		n.CorePrefix = s
	}
	h, ok, err := core.integer("hidden_size")
	if err != nil {
		return err
	}
	if !ok || h <= 0 || h > MaxHidden {
		return core.errf("hidden_size", "want an integer between 1 and %d", MaxHidden)
	}
	c.Hidden = h
	if v, ok, err := core.integer("input_size"); err != nil {
		return err
	} else if ok {
		if v <= 0 || v > MaxElements {
			return core.errf("input_size", "must be between 1 and %d, found %d", MaxElements, v)
		}
		c.InputSize = v
	}
	switch c.Unit {
	case STPNr, STPNf, HebbFF, MLP:
		c.Activation = Tanh
	}
	if core.null("activation") {
		c.Activation = Identity
	} else if a, ok, err := core.str("activation"); err != nil {
		return err
	} else if ok {
		switch a {
		case "tanh":
			c.Activation = Tanh
		case "sigmoid":
			c.Activation = Sigmoid
		case "none":
			c.Activation = Identity
		default:
			return core.errf("activation", "%q is not supported (supported: tanh, sigmoid, none)", a)
		}
	}
	switch s, _, err := core.str("hebbian_presynaptic"); {
	case err != nil:
		return err
	case s == "" || s == "previous":
		n.Wrapper.HebbianPre = PrevHidden
	case s == "new":
		n.Wrapper.HebbianPre = NewHidden
	default:
		return core.errf("hebbian_presynaptic", "%q is not supported (supported: previous, new)", s)
	}
	if n.Wrapper.ActivationOnF, err = core.boolean("activation_on_f", false); err != nil {
		return err
	}
	args, err := core.sub("rnn_args")
	if err != nil {
		return err
	}
	act := c.Activation
	switch c.Unit {
	case STPNr, STPNf, HebbFF:
		err = c.parseSTPCell(args)
	case FastWeights:
		err = c.parseFastWeights(args)
	case RNN:
		err = c.parseRNN(args)
	case LSTM:
		err = c.parseLSTM(args)
	case MODPLAST:
		err = c.parseMiconi(args)
		act = Identity // the Miconi network applies tanh itself
	case GRU, MLP:
		if err = args.allow("bias"); err == nil {
			c.Bias, err = args.boolean("bias", true)
		}
	}
	if err != nil {
		return err
	}
	c.Activation = act
	if (c.Unit == STPNr || c.Unit == STPNf || c.Unit == HebbFF) && c.Activation == Identity {
		return core.errf("activation", "%s needs an activation (tanh or sigmoid)", c.Unit)
	}
	return nil
}

// list returns the objects of the JSON array at key (none when absent or null).
func (o object) list(key string) ([]object, error) {
	raw, ok := o.m[key]
	if !ok || isNull(raw) {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, o.errf(key, "want a list, found %s", show(raw))
	}
	out := make([]object, len(items))
	for i, it := range items {
		var err error
		if out[i], err = parseObject(o.file, fmt.Sprintf("%s[%d]", o.join(key), i), it); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// pair returns an integer or a pair [a, b] of integers at key as (a, b);
// ok is false when absent or null.
func (o object) pair(key string) (p [2]int, ok bool, err error) {
	if raw, present := o.m[key]; !present || isNull(raw) {
		return p, false, nil
	}
	if n, ok, err := o.integer(key); err == nil && ok {
		return [2]int{n, n}, true, nil
	}
	v, ok, err := o.ints(key)
	if err != nil || !ok {
		return p, false, o.errf(key, "want an integer or a pair [height, width], found %s", show(o.m[key]))
	}
	if len(v) != 2 {
		return p, false, o.errf(key, "want an integer or a pair [height, width], found %s", show(o.m[key]))
	}
	return [2]int{v[0], v[1]}, true, nil
}
