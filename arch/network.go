package arch

import (
	"fmt"
	"slices"
	"strings"
)

// Source is the kind of file a network description was read from.
type Source uint8

const (
	// ARTSource is the paper's ART config JSON: NoEmbed_AssociativeNet, a
	// recurrent cell read out by hidden2tag after the last step.
	ARTSource Source = iota + 1
	// RLlibSource is the RLlib model config of the paper's agents
	// (AtariMujoco/rllib_nets.py:TorchCustomModelEnergy), from an RLlib
	// run's params.json or the reference fixtures' spec.json.
	RLlibSource
	// DescribedSource is neurosim's network description (YAML or JSON) of a
	// user's own model.
	DescribedSource
)

var sourceNames = [...]string{ARTSource: "art-config", RLlibSource: "rllib", DescribedSource: "description"}

func (s Source) String() string {
	if s > 0 && int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return fmt.Sprintf("Source(%d)", uint8(s))
}

// LayerKind is the kind of a front-end layer.
type LayerKind uint8

const (
	Linear  LayerKind = iota + 1 // torch.nn.Linear on a vector: weight [out, in], bias [out]
	Conv2d                       // torch.nn.Conv2d on [C, H, W]: weight [out, C, kh, kw], bias [out]
	Act                          // an elementwise activation
	Flatten                      // torch.flatten of the whole step, in C, H, W (row-major) order
	Permute                      // a reordering of the step's dimensions (tensor.permute)
)

var layerNames = [...]string{Linear: "linear", Conv2d: "conv2d", Act: "activation", Flatten: "flatten", Permute: "permute"}

func (k LayerKind) String() string {
	if k > 0 && int(k) < len(layerNames) {
		return layerNames[k]
	}
	return fmt.Sprintf("LayerKind(%d)", uint8(k))
}

// Layer is one stateless layer of a front-end. Sizes left 0 are taken from
// the checkpoint's tensors.
type Layer struct {
	Kind LayerKind
	// Name is the layer's tensor-name prefix ("conv1": conv1.weight,
	// conv1.bias) and its location in the energy ledger; "" for layers
	// without parameters.
	Name string
	// Out is a linear layer's out_features or a convolution's
	// out_channels.
	Out int
	// Kernel, Stride and Padding of a convolution, (height, width); zero
	// padding, no dilation, one group.
	Kernel, Stride, Padding [2]int
	Bias                    bool
	Activation              Activation // Act
	Dims                    []int      // Permute: output dimension i is input dimension Dims[i]
}

// Head is a linear output of the core: weight [Out, H], bias [Out].
type Head struct {
	// Name says what the head outputs; the first head is the network's
	// logits (ART: the class scores; agents: the action logits), a head
	// named "value" an agent's value estimate.
	Name string
	// Tensor is the tensor-name prefix ("action_branch") and the head's
	// location in the energy ledger.
	Tensor string
	Out    int // 0: from the checkpoint
}

// HebbianPre is the recurrent presynaptic value an STPNr core's Hebbian
// term sees.
type HebbianPre uint8

const (
	// NewHidden is [x_t ; h_t]: the paper's ART network
	// (NoEmbed_AssociativeNet.forward_energy) replaces the hidden state by
	// the step's output before it updates F.
	NewHidden HebbianPre = iota
	// PrevHidden is [x_t ; h_{t−1}], the hidden state that drove the
	// synapses: the paper's agents (Scripts/Nets.py SimpleNetSTPN).
	PrevHidden
)

func (h HebbianPre) String() string {
	if h == PrevHidden {
		return "previous"
	}
	return "new"
}

// Wrapper is how the network around a core drives it: the conventions in
// which the paper's two networks differ, so that each unit is written once.
//
// What is charged is the same in both: the paper's energy counts the
// synapses of the core alone — never a front-end, a readout or a head —
// with the presynaptic values the unit's own rule gives (an LSTM's previous
// hidden output, not its cell state). A hardware design whose scope is the
// whole network prices the other layers in joules as well.
type Wrapper struct {
	// HebbianPre is the recurrent presynaptic value of an STPNr core's
	// Hebbian term.
	HebbianPre HebbianPre
	// ActivationOnF: the wrapper applies the core's activation to the
	// first state tensor of an STP cell, which for a feed-forward cell
	// (STPNf, HebbFF) is F itself, before F decays (the ART network).
	ActivationOnF bool
}

// Network describes a whole network: an optional front-end of stateless
// layers, a recurrent core, and linear heads, with the wrapper's
// conventions. Each step, an observation of shape Obs goes through the
// front-end; its output (a vector) is the core's input; the heads read the
// core's output.
type Network struct {
	File   string
	Source Source
	// Obs is the shape of one step's observation, as the inputs hold it
	// ([84 84 1], [4], [37]); nil when it is to be taken from the
	// checkpoint (the first layer's or the core's input size).
	Obs   []int
	Front []Layer
	// Core is the recurrent unit; Core.InputSize is the front-end's output
	// size (0: worked out from the front-end or the checkpoint).
	Core Config
	// Prefix is prepended to every tensor name (a model saved inside
	// another); CorePrefix to the core's own tensor names after it ("rnn."
	// for rnn.weight, "rnn.rnn." for the agents' STP cores).
	Prefix, CorePrefix string
	Wrapper            Wrapper
	Heads              []Head
	// EveryStep says the heads are read at every step (an agent's policy
	// and value); otherwise once, after the last step (the ART readout).
	EveryStep bool
}

// Network is the paper's ART network around the cell c: no front-end, the
// core's tensors under "rnn.", the readout hidden2tag (dict_size classes)
// after the last step, and the conventions of NoEmbed_AssociativeNet.
func (c *Config) Network() *Network {
	n := &Network{
		File: c.File, Source: ARTSource, Core: *c, CorePrefix: "rnn.",
		Wrapper: Wrapper{HebbianPre: NewHidden, ActivationOnF: true},
		Heads:   []Head{{Name: "logits", Tensor: "hidden2tag", Out: c.InputSize}},
	}
	if c.InputSize > 0 {
		n.Obs = []int{c.InputSize}
	}
	return n
}

// Limits on a description, so that a hostile file cannot ask for absurd
// allocations before shapes are checked against the checkpoint.
const (
	MaxLayers   = 64
	MaxHeads    = 16
	MaxObsRank  = 4
	MaxElements = 1 << 22 // values in one step's observation or layer output
	MaxKernel   = 1 << 10
)

// Validate checks the structure of a description; sizes are checked
// against the checkpoint when the network is built.
func (n *Network) Validate() error {
	e := func(key, format string, args ...any) error {
		return &Error{File: n.File, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	if n.Obs != nil {
		if len(n.Obs) == 0 || len(n.Obs) > MaxObsRank {
			return e("input.shape", "has %d dimensions, want 1 to %d", len(n.Obs), MaxObsRank)
		}
		total := 1
		for _, d := range n.Obs {
			if d <= 0 || d > MaxElements {
				return e("input.shape", "%v: every dimension must be between 1 and %d", n.Obs, MaxElements)
			}
			total *= d
			if total > MaxElements {
				return e("input.shape", "%v has more than %d values", n.Obs, MaxElements)
			}
		}
	}
	if len(n.Front) > MaxLayers {
		return e("front_end", "%d layers, at most %d", len(n.Front), MaxLayers)
	}
	names := map[string]string{}
	claim := func(key, name string) error {
		if name == "" {
			return e(key, "needs a name (its tensor-name prefix)")
		}
		if other, ok := names[name]; ok {
			return e(key, "name %q is also used by %s", name, other)
		}
		names[name] = key
		return nil
	}
	for i, l := range n.Front {
		key := fmt.Sprintf("front_end[%d]", i)
		switch l.Kind {
		case Linear:
			if err := claim(key, l.Name); err != nil {
				return err
			}
			if l.Out < 0 || l.Out > MaxElements {
				return e(key+".out_features", "must be between 1 and %d, found %d", MaxElements, l.Out)
			}
		case Conv2d:
			if err := claim(key, l.Name); err != nil {
				return err
			}
			if l.Out < 0 || l.Out > MaxElements {
				return e(key+".out_channels", "must be between 1 and %d, found %d", MaxElements, l.Out)
			}
			for j := range 2 {
				switch {
				case l.Kernel[j] < 1 || l.Kernel[j] > MaxKernel:
					return e(key+".kernel_size", "%v: want 1 to %d", l.Kernel, MaxKernel)
				case l.Stride[j] < 1 || l.Stride[j] > MaxKernel:
					return e(key+".stride", "%v: want 1 to %d", l.Stride, MaxKernel)
				case l.Padding[j] < 0 || l.Padding[j] > MaxKernel:
					return e(key+".padding", "%v: want 0 to %d", l.Padding, MaxKernel)
				}
			}
		case Act:
			if l.Activation == Identity {
				return e(key, "an activation layer needs relu, tanh or sigmoid")
			}
		case Flatten:
		case Permute:
			p := slices.Clone(l.Dims)
			slices.Sort(p)
			for j, d := range p {
				if d != j {
					return e(key+".dims", "%v is not a permutation of 0…%d", l.Dims, len(l.Dims)-1)
				}
			}
			if len(p) == 0 {
				return e(key+".dims", "missing")
			}
		default:
			return e(key, "unknown layer kind %v", l.Kind)
		}
	}
	if len(n.Heads) == 0 {
		return e("heads", "none: a network needs at least one head (the first gives the logits)")
	}
	if len(n.Heads) > MaxHeads {
		return e("heads", "%d heads, at most %d", len(n.Heads), MaxHeads)
	}
	outs := map[string]bool{}
	for i, h := range n.Heads {
		key := fmt.Sprintf("heads[%d]", i)
		if err := claim(key, h.Tensor); err != nil {
			return err
		}
		if h.Name == "" || outs[h.Name] {
			return e(key+".name", "%q: every head needs a name of its own", h.Name)
		}
		outs[h.Name] = true
		if h.Out < 0 || h.Out > MaxElements {
			return e(key+".size", "must be between 1 and %d, found %d", MaxElements, h.Out)
		}
		if h.Name == "value" && h.Out > 1 {
			return e(key+".size", "a value head has one output, found %d", h.Out)
		}
	}
	if strings.TrimSuffix(n.CorePrefix, ".") == "" && n.CorePrefix != "" {
		return e("core.prefix", "%q is not a tensor-name prefix", n.CorePrefix)
	}
	// A layer's tensors must not be the core's: name.weight under the core's
	// prefix would be claimed twice.
	for name, key := range sortedMap(names) {
		if n.CorePrefix != "" && (strings.HasPrefix(name+".", n.CorePrefix) || strings.HasPrefix(n.CorePrefix, name+".")) {
			return e(key, "name %q overlaps the core's tensor prefix %q", name, n.CorePrefix)
		}
	}
	return n.Core.Validate()
}

// sortedMap yields the entries of m in key order, so that the first problem
// reported does not depend on map order.
func sortedMap(m map[string]string) func(func(string, string) bool) {
	return func(yield func(string, string) bool) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}
