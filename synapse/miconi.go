package synapse

import (
	"math"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
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
	win, err := p.get("i2h.weight", H, I)
	if err != nil {
		return nil, err
	}
	m.win = dense{rows: H, cols: I, w: win}
	if m.bin, err = p.get("i2h.bias", H); err != nil {
		return nil, err
	}
	if m.w, err = p.get("w", H, H); err != nil {
		return nil, err
	}
	if m.cfg.NetType == "rnn" {
		return m, nil
	}
	if m.alpha, err = p.get("alpha", H, H); err != nil {
		return nil, err
	}
	if m.wm, err = p.get("h2DA.weight", 1, H); err != nil {
		return nil, err
	}
	bm, err := p.get("h2DA.bias", 1)
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

func (m *Miconi) Arrays() []ArrayInfo {
	H := m.hidden
	w := ArrayInfo{Name: "w", Rows: H, Cols: H}
	if m.cfg.NetType == "modplast" {
		w.Plastic = H * H
	}
	return []ArrayInfo{{Name: "i2h", Rows: H, Cols: m.in}, w}
}

func (m *Miconi) newState() cellState {
	H := m.hidden
	st := &miconiState{cell: m, h: make([]float64, H), prev: make([]float64, H), pre: make([]float64, H),
		row: make([]float64, max(H, m.in)), old: make([]float64, H*H)}
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
	row  []float64 // one row of efficacies
	old  []float64 // Hebb before the step, kept when metering writes
	hebb []float64
}

func (st *miconiState) reset() {
	clear(st.h)
	clear(st.hebb)
}

func (st *miconiState) output() []float64 { return st.h }

func (st *miconiState) step(x []float64, _ float64, pr *probe) energy.Paper {
	m := st.cell
	H := m.hidden
	copy(st.prev, st.h)
	copy(st.pre, m.bin)
	e := m.win.read(0, x, st.pre, st.row, pr)
	// Recurrent array: efficacy w (+ α⊙Hebb), driven by h_{t−1}.
	e += pr.read(1, st.prev, st.pre, H, func(r int) []float64 {
		row := st.row[:H]
		copy(row, m.w[r*H:(r+1)*H])
		if st.hebb != nil {
			for j, h := range st.hebb[r*H : (r+1)*H] {
				row[j] += m.alpha[r*H+j] * h
			}
		}
		return row
	}, nil)
	for i, v := range st.pre {
		st.h[i] = math.Tanh(v)
	}
	pr.neurons(H)
	if st.hebb != nil {
		if pr.writes(1) != nil {
			copy(st.old, st.hebb)
		}
		st.updateHebb()
		pr.neurons(1) // the neuromodulator
		// The plastic part of the efficacy is α⊙Hebb: one unit of Hebb is α.
		pr.store(1, st.hebb, Unit{Elem: m.alpha})
		// Hebb has no passive decay: every change is written.
		pr.meterChanges(1, st.old, st.hebb, func(int) float64 { return 1 }, func(int) float64 { return 1 })
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
