package synapse

import (
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

// Network is a recurrent cell followed by a linear readout
// (NoEmbed_AssociativeNet: logits = hidden2tag(h_T)).
type Network struct {
	Config  *arch.Config
	Cell    Cell
	Classes int

	readW []float64 // [Classes × Hidden]
	readB []float64
}

// Build checks a state_dict against its architecture and returns the network.
// Every tensor the config implies must be present, floating point, finite and
// of the right shape; a tensor the config has no place for is refused.
func Build(cfg *arch.Config, sd *checkpoint.StateDict) (*Network, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p := newParams(sd)
	c := *cfg
	if c.InputSize == 0 {
		// data.dict_size absent: the ART network's input and output sizes are
		// both the dictionary size, which the readout's rows give.
		t, ok := sd.Get("hidden2tag.weight")
		if !ok || len(t.Shape) != 2 {
			return nil, p.errf("hidden2tag.weight", "is missing or not 2-D, and the config has no data.dict_size to size the input")
		}
		c.InputSize = t.Shape[0]
	}
	var (
		cell Cell
		err  error
	)
	switch c.Unit {
	case arch.STPNr:
		cell, err = newSTPN(&c, p)
	case arch.STPNf, arch.HebbFF:
		cell, err = newSTPNF(&c, p)
	case arch.RNN:
		cell, err = newRNN(&c, p)
	case arch.LSTM:
		cell, err = newLSTM(&c, p)
	case arch.FastWeights:
		cell, err = newFastWeights(&c, p)
	case arch.MODPLAST:
		cell, err = newMiconi(&c, p)
	}
	if err != nil {
		return nil, err
	}
	n := &Network{Config: &c, Cell: cell, Classes: c.InputSize}
	h := cell.HiddenSize()
	if n.readW, err = p.get("hidden2tag.weight", n.Classes, h); err != nil {
		return nil, err
	}
	if n.readB, err = p.get("hidden2tag.bias", n.Classes); err != nil {
		return nil, err
	}
	if err := p.unused(&c); err != nil {
		return nil, err
	}
	return n, nil
}

// Runner evaluates sequences through a Network. It owns all per-sequence state
// and scratch memory, so Step does not allocate. A Runner is not safe for
// concurrent use; make one per goroutine.
type Runner struct {
	net    *Network
	state  cellState
	logits []float64
	probe  probe
	counts energy.Counts
}

// NewRunner allocates a runner with zeroed state.
func (n *Network) NewRunner() *Runner {
	return &Runner{net: n, state: n.Cell.newState(), logits: make([]float64, n.Classes),
		counts: energy.NewCounts(len(n.Cell.Arrays()))}
}

// Reset zeroes every neural and synaptic state: the next step starts a sequence.
func (r *Runner) Reset() { r.state.reset() }

// Step feeds one input vector (length InputSize), returns the paper energy of
// the step (evaluated before the update, as the reference does) and advances
// the state.
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
	return r.state.step(x, delta, &r.probe)
}

// Meter makes every following step count what it did (Counts): the event
// counts, z sums and paper energy of every array, and what m asks beyond.
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

// Counts is what the last step did; valid only after Meter. The simulated
// time is left to the caller.
func (r *Runner) Counts() *energy.Counts { return &r.counts }

// SetDevice routes every read of the following steps through dev (nil for
// the ideal arrays of the paper).
func (r *Runner) SetDevice(dev Device) {
	r.probe.dev = dev
	r.probe.conv, _ = dev.(Converter)
}

// Logits returns the readout of the current output, hidden2tag.weight·h +
// hidden2tag.bias. The slice is reused by the next call.
func (r *Runner) Logits() []float64 {
	h := r.state.output()
	H := len(h)
	for c := range r.logits {
		row := r.net.readW[c*H : (c+1)*H]
		s := r.net.readB[c]
		for j, v := range h {
			s += row[j] * v
		}
		r.logits[c] = s
	}
	return r.logits
}

// Output returns the cell's current output (after the wrapper's activation).
func (r *Runner) Output() []float64 { return r.state.output() }
