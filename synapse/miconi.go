package synapse

import (
	"math"

	"neurosim/arch"
	"neurosim/energy"
)

// Miconi is the differentiable-plasticity baseline of Miconi et al.
// (CustomMiconiNetwork). For net_type "modplast" (neuromodulated plasticity):
//
//	E = Σ_r Σ_i x_i² |W_in,ri| + Σ_r Σ_j h_{t−1,j}² |w_rj + α_rj Hebb_rj|
//	h_t = tanh(W_in x + b_in + (w + α⊙Hebb) h_{t−1})
//	m_t = da(w_m·h_t + b_m)
//	Hebb ← clip(Hebb + m_t (h_t ⊗ h_{t−1}), −1, 1)        (addpw 3; 0–2 as in the reference)
//
// "rnn" drops α and Hebb.
type Miconi struct {
	in, hidden int
	cfg        arch.Miconi
	win        dense     // i2h.weight
	bin        []float64 // i2h.bias
	w          []float64 // recurrent w (H×H)
	alpha      []float64
	wm         []float64 // h2DA.weight
	bm         float64
}

func newMiconi(c *arch.Config, p *params) (*Miconi, error) {
	I, H := c.InputSize, c.Hidden
	m := &Miconi{in: I, hidden: H, cfg: c.Miconi}
	win, err := p.get("rnn.i2h.weight", H, I)
	if err != nil {
		return nil, err
	}
	m.win = dense{rows: H, cols: I, w: win}
	if m.bin, err = p.get("rnn.i2h.bias", H); err != nil {
		return nil, err
	}
	if m.w, err = p.get("rnn.w", H, H); err != nil {
		return nil, err
	}
	if m.cfg.NetType == "rnn" {
		return m, nil
	}
	if m.alpha, err = p.get("rnn.alpha", H, H); err != nil {
		return nil, err
	}
	if m.wm, err = p.get("rnn.h2DA.weight", 1, H); err != nil {
		return nil, err
	}
	bm, err := p.get("rnn.h2DA.bias", 1)
	if err != nil {
		return nil, err
	}
	m.bm = bm[0]
	return m, nil
}

func (m *Miconi) Unit() arch.Unit { return arch.MODPLAST }
func (m *Miconi) InputSize() int  { return m.in }
func (m *Miconi) HiddenSize() int { return m.hidden }
func (m *Miconi) Synapses() int   { return m.hidden * (m.in + m.hidden) }

func (m *Miconi) newState() cellState {
	H := m.hidden
	st := &miconiState{cell: m, h: make([]float64, H), prev: make([]float64, H), pre: make([]float64, H)}
	if m.cfg.NetType == "modplast" {
		st.hebb = make([]float64, H*H)
	}
	return st
}

type miconiState struct {
	cell *Miconi
	h    []float64 // h_t (after the step)
	prev []float64 // h_{t−1}
	pre  []float64 // preactivation
	hebb []float64
}

func (st *miconiState) reset() {
	clear(st.h)
	clear(st.hebb)
}

func (st *miconiState) output() []float64 { return st.h }

func (st *miconiState) step(x []float64) energy.Paper {
	m := st.cell
	H := m.hidden
	copy(st.prev, st.h)
	copy(st.pre, m.bin)
	e := m.win.read(x, st.pre)
	// Recurrent array: efficacy w (+ α⊙Hebb), driven by h_{t−1}.
	for r := range H {
		w := m.w[r*H : (r+1)*H]
		var acc, er float64
		for j, v := range w {
			if st.hebb != nil {
				v += m.alpha[r*H+j] * st.hebb[r*H+j]
			}
			hj := st.prev[j]
			acc += v * hj
			er += hj * hj * math.Abs(v)
		}
		st.pre[r] += acc
		e += er
	}
	for i, v := range st.pre {
		st.h[i] = math.Tanh(v)
	}
	if st.hebb != nil {
		st.updateHebb()
	}
	return energy.Paper(e)
}

// updateHebb applies the neuromodulated Hebbian update with
// ΔHebb = h_t ⊗ h_{t−1} and m = da(w_m·h_t + b_m).
func (st *miconiState) updateHebb() {
	m := st.cell
	H := m.hidden
	d := m.bm
	for j, v := range st.h {
		d += m.wm[j] * v
	}
	switch m.cfg.DA {
	case "tanh":
		d = math.Tanh(d)
	case "sig":
		d = arch.Logistic(d)
	}
	clip := func(v float64) float64 { return math.Min(math.Max(v, -1), 1) }
	for r, hr := range st.h {
		row := st.hebb[r*H : (r+1)*H]
		for j, hj := range st.prev {
			delta := d * (hr * hj)
			switch m.cfg.AddPW {
			case 3:
				row[j] = clip(row[j] + delta)
			case 2:
				row[j] = clip(row[j] + math.Max(delta, 0)*(1-row[j]) + math.Min(delta, 0)*(row[j]+1))
			case 1:
				row[j] += delta
			case 0:
				row[j] = (1-d)*row[j] + d*(hr*hj)
			}
		}
	}
}
