package synapse

import (
	"fmt"
	"slices"
	"strings"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/energy"
)

// Cell is a recurrent unit with its trained parameters.
type Cell interface {
	// Unit names the kind of cell.
	Unit() arch.Unit
	// InputSize is the number of external inputs per step.
	InputSize() int
	// HiddenSize is the number of neurons whose output the readout sees.
	HiddenSize() int
	// Synapses counts the synapses whose energy is charged per step
	// (for FastWeights: W plus one pass over A per inner step).
	Synapses() int
	// Arrays lists the synaptic arrays of the cell.
	Arrays() []ArrayInfo
	// newState allocates zeroed per-sequence state and scratch buffers.
	newState() cellState
}

// cellState is one sequence's dynamic state of a cell.
type cellState interface {
	reset()
	// step charges the paper energy of x with the state left by the previous
	// step, then advances the state. delta is the step's length in network
	// steps (1 for dense inputs); decay factors λ in [0, 1] act as λ^delta.
	step(x []float64, delta float64, pr *probe) energy.Paper
	// output is the cell's output after the wrapper's activation.
	output() []float64
}

// Network is a front-end of stateless layers, a recurrent core (Cell) and
// linear heads, as an arch.Network describes them: the paper's ART network
// (the cell read out by hidden2tag after the last step) and its RL agents
// (a convolutional or linear front-end, the core, and action and value
// heads read at every step) are two descriptions over the same units.
//
// The paper's energy of a step is the core's alone. Which arrays a run
// meters — and so which a hardware design prices — is the network's scope:
// the core (as the paper), or the whole network (WholeNetwork).
type Network struct {
	// Desc is the description, with every size resolved from the checkpoint.
	Desc *arch.Network
	// Config is the core's configuration (Desc.Core).
	Config  *arch.Config
	Cell    Cell
	Classes int // outputs of the first head: the logits

	front []stage
	heads []readout
	// arrays are the arrays a run meters: the core's, then, for the whole
	// network, each weighted front-end layer's and each head's; frontArray
	// and headArray give their indices (−1: not metered).
	arrays     []ArrayInfo
	frontArray []int
	headArray  []int
	whole      bool
}

// readout is a head: a linear layer on the core's output.
type readout struct {
	name, tensor string
	w            dense
	bias         []float64
}

// Build checks a state_dict against a network description and returns the
// network. Every tensor the description implies must be present, floating
// point, finite and of the right shape (sizes the description leaves out
// are taken from the tensors); a tensor it has no place for is refused (as
// PyTorch's strict load_state_dict does).
func Build(desc *arch.Network, sd *checkpoint.StateDict) (*Network, error) {
	if err := desc.Validate(); err != nil {
		return nil, err
	}
	d := *desc
	d.Obs = slices.Clone(desc.Obs)
	d.Front = slices.Clone(desc.Front)
	d.Heads = slices.Clone(desc.Heads)
	c := &d.Core
	root := newParams(sd).at(d.Prefix)
	core := root.at(d.CorePrefix)
	if d.Source == arch.ARTSource && c.InputSize == 0 {
		// data.dict_size absent: the ART network's input and output sizes are
		// both the dictionary size, which the readout's rows give.
		sh := root.shape(d.Heads[0].Tensor + ".weight")
		if len(sh) != 2 || sh[0] <= 0 || sh[0] > arch.MaxHidden {
			return nil, root.errf(d.Heads[0].Tensor+".weight", "is missing or not 2-D, and the config has no data.dict_size to size the input")
		}
		c.InputSize, d.Obs, d.Heads[0].Out = sh[0], []int{sh[0]}, sh[0]
	}
	if d.Obs == nil {
		// The observation size, from the first layer's or the core's weights.
		n := 0
		switch {
		case len(d.Front) > 0 && d.Front[0].Kind == arch.Linear:
			if sh := root.shape(d.Front[0].Name + ".weight"); len(sh) == 2 {
				n = sh[1]
			}
		case len(d.Front) == 0:
			n = coreInput(c, core)
		default:
			return nil, &arch.Error{File: d.File, Key: "input.shape", Msg: "missing: the front-end does not start with a linear layer, so the checkpoint cannot tell the observation's shape"}
		}
		if n <= 0 || n > arch.MaxElements {
			return nil, &arch.Error{File: d.File, Key: "input.shape", Msg: "missing, and the checkpoint's weights do not give the observation size"}
		}
		d.Obs = []int{n}
	}
	net := &Network{Desc: &d, Config: c}
	shape := d.Obs
	for i, l := range d.Front {
		s, err := newStage(l, shape, root, d.File, fmt.Sprintf("front_end[%d]", i))
		if err != nil {
			return nil, err
		}
		net.front = append(net.front, s)
		shape = s.out
		if s.weighted() {
			d.Front[i].Out = s.out[0]
		}
	}
	if len(shape) != 1 {
		return nil, &arch.Error{File: d.File, Key: "front_end", Msg: fmt.Sprintf(
			"its output has shape %v, and the core takes a vector: end the front-end with flatten", shape)}
	}
	if c.InputSize != 0 && c.InputSize != shape[0] {
		return nil, &arch.Error{File: d.File, Key: "core.input_size", Msg: fmt.Sprintf(
			"is %d, but the %s gives %d values", c.InputSize, inputName(&d), shape[0])}
	}
	c.InputSize = shape[0]
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var (
		cell Cell
		err  error
	)
	switch c.Unit {
	case arch.STPNr:
		cell, err = newSTPN(c, d.Wrapper, core)
	case arch.STPNf, arch.HebbFF:
		cell, err = newSTPNF(c, d.Wrapper, core)
	case arch.RNN:
		cell, err = newRNN(c, core)
	case arch.LSTM:
		cell, err = newLSTM(c, core)
	case arch.GRU:
		cell, err = newGRU(c, core)
	case arch.MLP:
		cell, err = newMLP(c, core)
	case arch.FastWeights:
		cell, err = newFastWeights(c, core)
	case arch.MODPLAST:
		cell, err = newMiconi(c, core)
	}
	if err != nil {
		return nil, err
	}
	net.Cell = cell
	H := cell.HiddenSize()
	for i, h := range d.Heads {
		out := h.Out
		if out == 0 {
			if sh := root.shape(h.Tensor + ".weight"); len(sh) == 2 && sh[0] > 0 && sh[0] <= arch.MaxElements {
				out = sh[0]
			} else {
				out = 1 // missing or malformed: get reports it
			}
		}
		w, err := root.get(h.Tensor+".weight", out, H)
		if err != nil {
			return nil, err
		}
		b, err := root.get(h.Tensor+".bias", out)
		if err != nil {
			return nil, err
		}
		d.Heads[i].Out = out
		net.heads = append(net.heads, readout{name: h.Name, tensor: h.Tensor, w: dense{rows: out, cols: H, w: w}, bias: b})
	}
	net.Classes = d.Heads[0].Out
	if err := root.unused(&d); err != nil {
		return nil, err
	}
	net.scope(false)
	return net, nil
}

// inputName says what feeds the core, for messages.
func inputName(d *arch.Network) string {
	if len(d.Front) == 0 {
		return "observation"
	}
	return "front-end"
}

// coreInput is the core's input size as its main weight gives it, or 0 when
// that tensor is missing or malformed (the cell's constructor reports it).
func coreInput(c *arch.Config, p *params) int {
	H := c.Hidden
	var name string
	var dim, minus int
	switch {
	case c.Naming == arch.TorchNaming:
		name, dim = "weight_ih_l0", 1
	case c.Unit == arch.STPNr || c.Unit == arch.FastWeights || c.Unit == arch.LSTM:
		name, dim, minus = "weight", 1, H
	case c.Unit == arch.RNN:
		name, dim, minus = "weight", 0, H
	case c.Unit == arch.MODPLAST:
		name, dim = "i2h.weight", 1
	default: // STPNf, HebbFF, MLP
		name, dim = "weight", 1
	}
	if sh := p.shape(name); len(sh) == 2 {
		return sh[dim] - minus
	}
	return 0
}

// scope sets which arrays a run meters: the core's, and with whole every
// front-end layer's and head's too.
func (n *Network) scope(whole bool) {
	n.whole = whole
	n.arrays = slices.Clone(n.Cell.Arrays())
	n.frontArray = make([]int, len(n.front))
	n.headArray = make([]int, len(n.heads))
	for i := range n.front {
		n.frontArray[i] = -1
		if s := &n.front[i]; whole && s.weighted() {
			n.frontArray[i] = len(n.arrays)
			n.arrays = append(n.arrays, ArrayInfo{Name: s.name, Rows: s.w.rows, Cols: s.w.cols})
		}
	}
	for i := range n.heads {
		n.headArray[i] = -1
		if h := &n.heads[i]; whole {
			n.headArray[i] = len(n.arrays)
			n.arrays = append(n.arrays, ArrayInfo{Name: h.tensor, Rows: h.w.rows, Cols: h.w.cols})
		}
	}
}

// WholeNetwork returns a copy of the network whose runs meter, and so
// price, every layer: each weighted front-end layer (a convolution as one
// crossbar read of its unrolled kernels per output position), the core and
// each head, with the neurons of the front-end's activations. The paper's
// energy is unchanged: it is the core's.
func (n *Network) WholeNetwork() *Network {
	if n.whole {
		return n
	}
	m := *n
	m.scope(true)
	return &m
}

// Whole reports whether runs meter the whole network.
func (n *Network) Whole() bool { return n.whole }

// Arrays lists the synaptic arrays a run meters, in ledger order: the
// core's, then (WholeNetwork) the front-end's and the heads'. Their names
// are unique.
func (n *Network) Arrays() []ArrayInfo { return n.arrays }

// InputSize is the number of values of one step's observation.
func (n *Network) InputSize() int { return size(n.Desc.Obs) }

// Obs is the shape of one step's observation.
func (n *Network) Obs() []int { return n.Desc.Obs }

// EveryStep reports whether the heads are read at every step (an agent);
// otherwise once, after the last step (the ART readout).
func (n *Network) EveryStep() bool { return n.Desc.EveryStep }

// Heads describes the heads, in order (the first gives the logits).
func (n *Network) Heads() []Layer {
	out := make([]Layer, len(n.heads))
	for i, h := range n.heads {
		out[i] = Layer{Name: h.name, Kind: "head", In: []int{h.w.cols}, Out: []int{h.w.rows}}
	}
	return out
}

// FrontEnd describes the front-end's layers, in order.
func (n *Network) FrontEnd() []Layer {
	out := make([]Layer, len(n.front))
	for i := range n.front {
		out[i] = n.front[i].info()
	}
	return out
}

// Head returns the index of the head named name, or −1.
func (n *Network) Head(name string) int {
	for i, h := range n.heads {
		if h.name == name {
			return i
		}
	}
	return -1
}

// CheckObs reports an error unless steps of the given shape are this
// network's observations: the same shape, or a flat vector of as many
// values. what names the inputs in the message.
func (n *Network) CheckObs(what string, shape []int) error {
	if slices.Equal(shape, n.Desc.Obs) || (len(shape) == 1 && shape[0] == n.InputSize()) {
		return nil
	}
	if len(shape) == 1 && len(n.Desc.Obs) == 1 {
		return fmt.Errorf("%s: %d values per step, the model takes %d", what, shape[0], n.InputSize())
	}
	return fmt.Errorf("%s: steps of shape %s, the model takes observations of shape %s", what, dims(shape), dims(n.Desc.Obs))
}

func dims(s []int) string {
	p := make([]string, len(s))
	for i, d := range s {
		p[i] = fmt.Sprint(d)
	}
	return "[" + strings.Join(p, " ") + "]"
}

// Runner evaluates sequences through a Network. It owns all per-sequence state
// and scratch memory, so Step does not allocate. A Runner is not safe for
// concurrent use; make one per goroutine.
type Runner struct {
	net    *Network
	state  cellState
	bufs   [][]float64 // each front-end layer's output
	patch  []float64   // a convolution's patch
	acc    []float64   // a convolution's outputs at one position
	row    []float64   // a row a device rewrites
	outs   [][]float64 // each head's output
	probe  probe       // the metered arrays: counts and device
	plain  probe       // layers outside the scope and the paper's energy: ideal, not counted
	counts energy.Counts
}

// NewRunner allocates a runner with zeroed state.
func (n *Network) NewRunner() *Runner {
	r := &Runner{net: n, state: n.Cell.newState(), counts: energy.NewCounts(len(n.arrays)), plain: probe{offBooks: true}}
	var patch, acc, row int
	for i := range n.front {
		s := &n.front[i]
		r.bufs = append(r.bufs, make([]float64, size(s.out)))
		if s.weighted() {
			patch, acc, row = max(patch, s.w.cols), max(acc, s.w.rows), max(row, s.w.cols)
		}
	}
	for _, h := range n.heads {
		r.outs = append(r.outs, make([]float64, h.w.rows))
		row = max(row, h.w.cols)
	}
	r.patch, r.acc, r.row = make([]float64, patch), make([]float64, acc), make([]float64, row)
	r.Reset()
	return r
}

// Reset zeroes every neural and synaptic state: the next step starts a
// sequence. An every-step network's heads then read the initial state.
func (r *Runner) Reset() {
	r.state.reset()
	if r.net.Desc.EveryStep {
		r.readHeads(&r.plain, false)
	}
}

// Step feeds one observation (InputSize values), returns the paper energy of
// the step (the core's, evaluated before the update, as the reference does)
// and advances the state.
func (r *Runner) Step(x []float64) energy.Paper { return r.StepFor(x, 1) }

// StepFor is Step for a step that comes delta network steps after the
// previous one (event-driven inputs): every decay factor λ in [0, 1] acts as
// λ^delta, a passive element decaying for delta step periods; a λ outside
// [0, 1] acts once, as in the discrete model. Hidden states hold between
// steps. StepFor(x, 1) is Step(x) exactly.
func (r *Runner) StepFor(x []float64, delta float64) energy.Paper {
	if r.probe.c != nil {
		r.counts.Reset()
		r.counts.Steps = 1
	}
	n := r.net
	in := x
	for i := range n.front {
		// A weighted layer in the scope reads through the probe; under the
		// whole network's scope every activation counts its neurons.
		pr, a := &r.plain, n.frontArray[i]
		metered := a >= 0 || (n.whole && n.front[i].kind == arch.Act)
		if metered {
			pr = &r.probe
		}
		in = n.front[i].forward(in, r.bufs[i], pr, a, r.patch, r.acc, r.row, metered)
	}
	e := r.state.step(in, delta, &r.probe)
	if n.Desc.EveryStep {
		r.readHeads(&r.probe, true)
	}
	return e
}

// readHeads computes every head on the core's output; reads of heads in the
// scope go through pr when metered.
func (r *Runner) readHeads(pr *probe, metered bool) {
	h := r.state.output()
	for i := range r.net.heads {
		hd := &r.net.heads[i]
		p, a := &r.plain, r.net.headArray[i]
		if metered && a >= 0 {
			p = pr
		}
		biased(r.outs[i], hd.bias)
		hd.w.read(a, h, r.outs[i], r.row, p)
	}
}

// Meter makes every following step count what it did (Counts): the event
// counts, z sums and paper energy of every metered array, and what m asks
// beyond.
func (r *Runner) Meter(m energy.Meter) {
	r.probe.c, r.probe.meter = &r.counts, m
	for a, info := range r.net.Cell.Arrays() {
		if m.Cells && m.Writes && info.Plastic > 0 {
			r.counts.Arrays[a].CellWrites = make([]int64, info.Plastic)
		} else {
			r.counts.Arrays[a].CellWrites = nil
		}
	}
}

// Counts is what the last step did — or, after Logits on a network read
// out after its last step, what that readout did; valid only after Meter.
// The simulated time is left to the caller.
func (r *Runner) Counts() *energy.Counts { return &r.counts }

// SetDevice routes every read of the metered arrays through dev (nil for
// the ideal arrays of the paper).
func (r *Runner) SetDevice(dev Device) {
	r.probe.dev = dev
	r.probe.conv, _ = dev.(Converter)
}

// Logits returns the first head's output (hidden2tag.weight·h +
// hidden2tag.bias for the ART network). A network read out after its last
// step is read now, on the current output, and, when its heads are
// metered, Counts then holds that readout alone; an every-step network's
// heads are those of its last step. The slice is reused.
func (r *Runner) Logits() []float64 {
	if !r.net.Desc.EveryStep {
		if r.probe.c != nil {
			r.counts.Reset()
		}
		r.readHeads(&r.probe, true)
	}
	return r.outs[0]
}

// Head returns head i's output as last read (by a step of an every-step
// network, or by Logits). The slice is reused.
func (r *Runner) Head(i int) []float64 { return r.outs[i] }

// Output returns the cell's current output (after the wrapper's activation).
func (r *Runner) Output() []float64 { return r.state.output() }
