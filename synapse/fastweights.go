package synapse

import (
	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
)

// FastWeights is the Fast Weights RNN of Ba et al. (2016) as the reference
// implements it (FastWeights(STPNr)), with λ, γ fixed by the config unless
// learned:
//
//	A = λ⊙F_{t−1} + γ⊙(h_{t−1} ⊗ h_{t−1})
//	a = W z + b;  h⁰ = act(LN(a));  h^{s+1} = act(LN(a + A h^s)), s < S
//	E = Σ z_f² |W_rf| + Σ_{s<S} Σ_r Σ_j (h^s_j)² |A_rj|
//	F_t = clamp(λ⊙A + γ⊙(h_t ⊗ h_t))      (clamp ±1000 unless configured)
//
// The stored F_t is the fast-weight matrix after a second decay: the
// reference's wrapper runs STPNr.update_states on the A the layer returns.
type FastWeights struct {
	in, hidden, s int
	w             dense
	bias          []float64
	ln            *layerNorm
	act           arch.Activation // cell activation
	wrap          arch.Activation // wrapper activation (normally none)
	plast         plasticity
}

func newFastWeights(c *arch.Config, p *params) (*FastWeights, error) {
	I, H := c.InputSize, c.Hidden
	fw := &FastWeights{in: I, hidden: H, s: c.S, act: c.CellActivation, wrap: c.Activation}
	w, err := p.get("weight", H, I+H)
	if err != nil {
		return nil, err
	}
	fw.w = dense{rows: H, cols: I + H, w: w}
	if fw.bias, fw.ln, err = p.biasAndNorm(c, H); err != nil {
		return nil, err
	}
	fw.plast, err = newPlasticity(c, p, H, H)
	return fw, err
}

func (fw *FastWeights) Unit() arch.Unit { return arch.FastWeights }
func (fw *FastWeights) InputSize() int  { return fw.in }
func (fw *FastWeights) HiddenSize() int { return fw.hidden }
func (fw *FastWeights) Synapses() int   { return fw.hidden*(fw.in+fw.hidden) + fw.s*fw.hidden*fw.hidden }
func (fw *FastWeights) newState() cellState {
	H := fw.hidden
	return &fwState{cell: fw, f: make([]float64, H*H), a: make([]float64, H*H), h: make([]float64, H),
		z: make([]float64, fw.in+H), pre: make([]float64, H), next: make([]float64, H), oja: make([]float64, H),
		row: make([]float64, fw.in+H), prev: make([]float64, H*H)}
}

func (fw *FastWeights) Arrays() []ArrayInfo {
	H := fw.hidden
	return []ArrayInfo{{Name: "W", Rows: H, Cols: fw.in + H}, {Name: "A", Rows: H, Cols: H, Plastic: H * H}}
}

type fwState struct {
	cell   *FastWeights
	f, a   []float64 // stored fast weights F, and this step's A
	h      []float64 // h_{t−1}, then h_t
	z, pre []float64
	next   []float64
	oja    []float64
	row    []float64
	lam    decayMem
	prev   []float64
}

func (st *fwState) reset()            { clear(st.f); clear(st.h) }
func (st *fwState) output() []float64 { return st.h }

func (st *fwState) step(x []float64, delta float64, pr *probe) energy.Paper {
	fw := st.cell
	H := fw.hidden
	copy(st.z, x)
	copy(st.z[fw.in:], st.h)
	lam, gam := fw.plast.decay(delta, &st.lam, nil), fw.plast.gamma
	for r := range H {
		hr := st.h[r]
		for j := range H {
			i := r*H + j
			st.a[i] = lam[i]*st.f[i] + gam[i]*(hr*st.h[j])
		}
	}
	if fw.bias != nil {
		copy(st.pre, fw.bias)
	} else {
		clear(st.pre)
	}
	e := fw.w.read(0, st.z, st.pre, st.row, pr)
	hs := st.h // h^s; h_{t−1} is no longer needed once A is built
	copy(hs, st.pre)
	fw.activate(hs, pr)
	for range fw.s {
		copy(st.next, st.pre)
		e += pr.read(1, hs, st.next, H, func(r int) []float64 {
			row := st.a[r*H : (r+1)*H]
			if pr.dev != nil {
				row = st.row[:H]
				copy(row, st.a[r*H:(r+1)*H])
			}
			return row
		}, nil)
		copy(hs, st.next)
		fw.activate(hs, pr)
	}
	if fw.wrap != arch.Identity {
		for i, v := range hs {
			hs[i] = fw.wrap.Apply(v)
		}
	}
	// The wrapper then updates the returned A as an STPNr state, with
	// presynaptic and postsynaptic activity both h_t.
	if pr.writes(1) != nil {
		copy(st.prev, st.f)
	}
	copy(st.f, st.a)
	fw.plast.update(st.f, hs, hs, nil, st.oja, lam, nil)
	pr.store(1, st.f, Unit{})
	// λ acts twice per step (building A, then updating it): a passive
	// element would have decayed F_{t−1} by λ².
	pr.meterChanges(1, st.prev, st.f, func(i int) float64 { return lam[i] * lam[i] },
		func(i int) float64 { return fw.plast.lambda[i] })
	return energy.Paper(e)
}

func (fw *FastWeights) activate(v []float64, pr *probe) {
	pr.neurons(len(v))
	if fw.ln != nil {
		fw.ln.apply(v)
	}
	for i, x := range v {
		v[i] = fw.act.Apply(x)
	}
}
