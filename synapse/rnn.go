package synapse

import (
	"math"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
)

// dense is a static synaptic array: rows postsynaptic neurons, cols
// presynaptic inputs, row-major.
type dense struct {
	rows, cols int
	w          []float64
}

// read reads the array as array a of its cell: it adds W·z to out and
// returns Σ_r Σ_f z_f² |W_rf|. scratch (cols long) holds a row a device
// rewrites.
func (d *dense) read(a int, z, out, scratch []float64, pr *probe) float64 {
	return pr.read(a, z, out, d.rows, func(r int) []float64 {
		row := d.w[r*d.cols : (r+1)*d.cols]
		if pr.dev != nil {
			row = scratch[:d.cols]
			copy(row, d.w[r*d.cols:(r+1)*d.cols])
		}
		return row
	}, func(z []float64, nz []int32, acc, paper []float64) {
		// Weights are finite (checked when built), so the zero columns add
		// nothing: a sparse read skips them.
		macRows(d.w, d.cols, z, nz, acc, paper)
	})
}

// RNN is the non-plastic Elman baseline (CustomRNNCell):
// h_t = act(LN(z W + b)), z = [x_t ; h_{t−1}], E = Σ z_f² |W_fh|.
// The reference stores W presynaptic-first, [I+H, H]; it is transposed here.
// With torch naming (torch.nn.RNN, the agents' "rnn" core) W is
// [weight_ih_l0 weight_hh_l0] and b = bias_ih_l0 + bias_hh_l0, so that
// E = Σ x²|W_ih| + Σ h²|W_hh| (rllib_nets.py:968-974).
type RNN struct {
	in, hidden int
	w          dense
	bias       []float64
	ln         *layerNorm
	act        arch.Activation // the cell's nonlinearity
	wrap       arch.Activation // the wrapper's activation, applied to the output only
}

func newRNN(c *arch.Config, p *params) (*RNN, error) {
	I, H := c.InputSize, c.Hidden
	n := &RNN{in: I, hidden: H, act: c.CellActivation, wrap: c.Activation}
	if c.Naming == arch.TorchNaming {
		var err error
		if n.w, n.bias, err = torchLayer(p, c, 1); err != nil {
			return nil, err
		}
		return n, nil
	}
	wt, err := p.get("weight", I+H, H)
	if err != nil {
		return nil, err
	}
	n.w = dense{rows: H, cols: I + H, w: make([]float64, H*(I+H))}
	for f := range I + H {
		for h := range H {
			n.w.w[h*(I+H)+f] = wt[f*H+h]
		}
	}
	if n.bias, n.ln, err = p.biasAndNorm(c, H); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *RNN) Unit() arch.Unit { return arch.RNN }
func (n *RNN) InputSize() int  { return n.in }
func (n *RNN) HiddenSize() int { return n.hidden }
func (n *RNN) Synapses() int   { return n.hidden * (n.in + n.hidden) }
func (n *RNN) newState() cellState {
	return &rnnState{cell: n, h: make([]float64, n.hidden), z: make([]float64, n.in+n.hidden),
		out: make([]float64, n.hidden), row: make([]float64, n.in+n.hidden)}
}

func (n *RNN) Arrays() []ArrayInfo {
	return []ArrayInfo{{Name: "rnn", Rows: n.hidden, Cols: n.in + n.hidden}}
}

type rnnState struct {
	cell *RNN
	h, z []float64
	out  []float64
	row  []float64
}

func (st *rnnState) reset()            { clear(st.h); clear(st.out) }
func (st *rnnState) output() []float64 { return st.out }

func (st *rnnState) step(x []float64, _ float64, pr *probe) energy.Paper {
	n := st.cell
	copy(st.z, x)
	copy(st.z[n.in:], st.h)
	if n.bias != nil {
		copy(st.h, n.bias)
	} else {
		clear(st.h)
	}
	e := n.w.read(0, st.z, st.h, st.row, pr)
	if n.ln != nil {
		n.ln.apply(st.h)
	}
	pr.neurons(n.hidden)
	for i, v := range st.h {
		st.h[i] = n.act.Apply(v)
		// A non-STP cell keeps its own state; the wrapper's activation (if
		// any) only shapes what the readout sees.
		st.out[i] = n.wrap.Apply(st.h[i])
	}
	return energy.Paper(e)
}

// LSTM is the non-plastic LSTM baseline (CustomLSTMCell): W [4H, I+H] with row
// blocks (i, f, g, o); E sums z_f² |W_kf| over all 4H rows, z = [x_t ; h_{t−1}]
// with h the hidden output, not the cell state. With torch naming
// (torch.nn.LSTM, the agents' "lstm" core) W is [weight_ih_l0 weight_hh_l0]
// and b = bias_ih_l0 + bias_hh_l0: the same rule, E = Σ x²|W_ih| + Σ h²|W_hh|
// over every gate row (rllib_nets.py:961-967).
type LSTM struct {
	in, hidden int
	w          dense
	bias       []float64
	ln         *layerNorm
	wrap       arch.Activation
}

func newLSTM(c *arch.Config, p *params) (*LSTM, error) {
	I, H := c.InputSize, c.Hidden
	l := &LSTM{in: I, hidden: H, wrap: c.Activation}
	if c.Naming == arch.TorchNaming {
		var err error
		if l.w, l.bias, err = torchLayer(p, c, 4); err != nil {
			return nil, err
		}
		return l, nil
	}
	w, err := p.get("weight", 4*H, I+H)
	if err != nil {
		return nil, err
	}
	l.w = dense{rows: 4 * H, cols: I + H, w: w}
	if l.bias, l.ln, err = p.biasAndNorm(c, 4*H); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *LSTM) Unit() arch.Unit { return arch.LSTM }
func (l *LSTM) InputSize() int  { return l.in }
func (l *LSTM) HiddenSize() int { return l.hidden }
func (l *LSTM) Synapses() int   { return 4 * l.hidden * (l.in + l.hidden) }
func (l *LSTM) newState() cellState {
	H := l.hidden
	return &lstmState{cell: l, h: make([]float64, H), c: make([]float64, H), z: make([]float64, l.in+H),
		gates: make([]float64, 4*H), out: make([]float64, H), row: make([]float64, l.in+H)}
}

func (l *LSTM) Arrays() []ArrayInfo {
	return []ArrayInfo{{Name: "rnn", Rows: 4 * l.hidden, Cols: l.in + l.hidden}}
}

type lstmState struct {
	cell           *LSTM
	h, c, z, gates []float64
	out            []float64
	row            []float64
}

func (st *lstmState) reset()            { clear(st.h); clear(st.c); clear(st.out) }
func (st *lstmState) output() []float64 { return st.out }

func (st *lstmState) step(x []float64, _ float64, pr *probe) energy.Paper {
	l := st.cell
	H := l.hidden
	copy(st.z, x)
	copy(st.z[l.in:], st.h)
	if l.bias != nil {
		copy(st.gates, l.bias)
	} else {
		clear(st.gates)
	}
	e := l.w.read(0, st.z, st.gates, st.row, pr)
	if l.ln != nil {
		l.ln.apply(st.gates)
	}
	lstmCell(st.gates, st.h, st.c, H)
	pr.neurons(5 * H) // σ for i, f, o; tanh for g and for the cell state
	for i, v := range st.h {
		st.out[i] = l.wrap.Apply(v)
	}
	return energy.Paper(e)
}

// lstmCell applies gates laid out (i, f, g, o) to the cell state c and writes h.
func lstmCell(gates, h, c []float64, H int) {
	for j := range H {
		i := arch.Logistic(gates[j])
		f := arch.Logistic(gates[H+j])
		g := math.Tanh(gates[2*H+j])
		o := arch.Logistic(gates[3*H+j])
		c[j] = f*c[j] + i*g
		h[j] = o * math.Tanh(c[j])
	}
}

// torchLayer reads the one layer of a torch.nn.RNN, LSTM or GRU with g gate
// blocks as one array over z = [x ; h]: row r is [weight_ih_l0[r]
// weight_hh_l0[r]], and the bias bias_ih_l0 + bias_hh_l0 (nil without bias).
func torchLayer(p *params, c *arch.Config, g int) (dense, []float64, error) {
	I, H := c.InputSize, c.Hidden
	ih, hh, err := torchWeights(p, g, I, H)
	if err != nil {
		return dense{}, nil, err
	}
	d := dense{rows: g * H, cols: I + H, w: make([]float64, g*H*(I+H))}
	for r := range g * H {
		row := d.w[r*(I+H) : (r+1)*(I+H)]
		copy(row, ih[r*I:(r+1)*I])
		copy(row[I:], hh[r*H:(r+1)*H])
	}
	bih, bhh, err := torchBiases(p, c, g*H)
	if err != nil || bih == nil {
		return d, nil, err
	}
	b := make([]float64, g*H)
	for r := range b {
		b[r] = bih[r] + bhh[r]
	}
	return d, b, nil
}

// torchWeights reads weight_ih_l0 [g·H, I] and weight_hh_l0 [g·H, H].
func torchWeights(p *params, g, I, H int) (ih, hh []float64, err error) {
	if p.shape("weight_ih_l1") != nil || p.shape("weight_ih_l0_reverse") != nil {
		return nil, nil, p.errf("weight_ih_l1", "or a reverse direction is present: only one-layer, one-direction torch recurrent layers are supported")
	}
	if ih, err = p.get("weight_ih_l0", g*H, I); err != nil {
		return nil, nil, err
	}
	hh, err = p.get("weight_hh_l0", g*H, H)
	return ih, hh, err
}

// torchBiases reads bias_ih_l0 and bias_hh_l0 (n each) when the config has a bias.
func torchBiases(p *params, c *arch.Config, n int) (bih, bhh []float64, err error) {
	if !c.Bias {
		return nil, nil, nil
	}
	if bih, err = p.get("bias_ih_l0", n); err != nil {
		return nil, nil, err
	}
	bhh, err = p.get("bias_hh_l0", n)
	return bih, bhh, err
}
