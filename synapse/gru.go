package synapse

import (
	"math"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
)

// GRU is torch.nn.GRU with one layer, an extension beyond the paper (which
// has no GRU). Its weights are read as two arrays, because the reset gate
// scales the recurrent part of the candidate before it is added:
//
//	gi = W_ih x_t + b_ih,  gh = W_hh h_{t−1} + b_hh      (row blocks r, z, n)
//	r = σ(gi_r + gh_r);  u = σ(gi_z + gh_z);  n = tanh(gi_n + r ⊙ gh_n)
//	h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}
//	E = Σ_k Σ_i x_i² |W_ih,ki| + Σ_k Σ_j h_{t−1,j}² |W_hh,kj|  over all 3H rows
//
// E follows the paper's rule for its LSTM: every synapse of every gate row,
// input and recurrent, driven by its presynaptic value.
type GRU struct {
	in, hidden int
	ih, hh     dense
	bih, bhh   []float64 // nil without bias
	wrap       arch.Activation
}

func newGRU(c *arch.Config, p *params) (*GRU, error) {
	I, H := c.InputSize, c.Hidden
	g := &GRU{in: I, hidden: H, wrap: c.Activation}
	ih, hh, err := torchWeights(p, 3, I, H)
	if err != nil {
		return nil, err
	}
	g.ih = dense{rows: 3 * H, cols: I, w: ih}
	g.hh = dense{rows: 3 * H, cols: H, w: hh}
	if g.bih, g.bhh, err = torchBiases(p, c, 3*H); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *GRU) Unit() arch.Unit { return arch.GRU }
func (g *GRU) InputSize() int  { return g.in }
func (g *GRU) HiddenSize() int { return g.hidden }
func (g *GRU) Synapses() int   { return 3 * g.hidden * (g.in + g.hidden) }
func (g *GRU) Arrays() []ArrayInfo {
	H := g.hidden
	return []ArrayInfo{{Name: "rnn_ih", Rows: 3 * H, Cols: g.in}, {Name: "rnn_hh", Rows: 3 * H, Cols: H}}
}

func (g *GRU) newState() cellState {
	H := g.hidden
	return &gruState{cell: g, h: make([]float64, H), gi: make([]float64, 3*H), gh: make([]float64, 3*H),
		out: make([]float64, H), row: make([]float64, max(g.in, H))}
}

type gruState struct {
	cell      *GRU
	h, gi, gh []float64
	out, row  []float64
}

func (st *gruState) reset()            { clear(st.h); clear(st.out) }
func (st *gruState) output() []float64 { return st.out }

// biased sets v to b, or to zero when there is no bias.
func biased(v, b []float64) {
	if b != nil {
		copy(v, b)
	} else {
		clear(v)
	}
}

func (st *gruState) step(x []float64, _ float64, pr *probe) energy.Paper {
	g := st.cell
	H := g.hidden
	biased(st.gi, g.bih)
	biased(st.gh, g.bhh)
	e := g.ih.read(0, x, st.gi, st.row, pr)
	e += g.hh.read(1, st.h, st.gh, st.row, pr)
	for j := range H {
		r := arch.Logistic(st.gi[j] + st.gh[j])
		u := arch.Logistic(st.gi[H+j] + st.gh[H+j])
		n := math.Tanh(st.gi[2*H+j] + r*st.gh[2*H+j])
		st.h[j] = (1-u)*n + u*st.h[j]
		st.out[j] = g.wrap.Apply(st.h[j])
	}
	pr.neurons(3 * H) // σ for r and u, tanh for n
	return energy.Paper(e)
}

// MLP is the agents' memoryless "mlp" core (torch.nn.Linear followed by the
// wrapper's activation, rllib_nets.py:644-645, 978-987):
//
//	h_t = act(W x_t + b),  E = Σ_r Σ_i x_i² |W_ri|
type MLP struct {
	in, hidden int
	w          dense
	bias       []float64
	act        arch.Activation
}

func newMLP(c *arch.Config, p *params) (*MLP, error) {
	I, H := c.InputSize, c.Hidden
	m := &MLP{in: I, hidden: H, act: c.Activation}
	w, err := p.get("weight", H, I)
	if err != nil {
		return nil, err
	}
	m.w = dense{rows: H, cols: I, w: w}
	if c.Bias {
		if m.bias, err = p.get("bias", H); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *MLP) Unit() arch.Unit     { return arch.MLP }
func (m *MLP) InputSize() int      { return m.in }
func (m *MLP) HiddenSize() int     { return m.hidden }
func (m *MLP) Synapses() int       { return m.hidden * m.in }
func (m *MLP) Arrays() []ArrayInfo { return []ArrayInfo{{Name: "rnn", Rows: m.hidden, Cols: m.in}} }
func (m *MLP) newState() cellState {
	return &mlpState{cell: m, h: make([]float64, m.hidden), row: make([]float64, m.in)}
}

type mlpState struct {
	cell   *MLP
	h, row []float64
}

func (st *mlpState) reset()            { clear(st.h) }
func (st *mlpState) output() []float64 { return st.h }

func (st *mlpState) step(x []float64, _ float64, pr *probe) energy.Paper {
	m := st.cell
	biased(st.h, m.bias)
	e := m.w.read(0, x, st.h, st.row, pr)
	for i, v := range st.h {
		st.h[i] = m.act.Apply(v)
	}
	pr.neurons(m.hidden)
	return energy.Paper(e)
}
