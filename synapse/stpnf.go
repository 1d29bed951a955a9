package synapse

import (
	"math"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
)

// STPNF is a feed-forward STP layer: STPNf, and HebbFF (Tyulmankov et al.),
// whose scalar λ = σ(_weight_lambda) and γ = −exp(_weight_gamma) are stored raw.
//
//	STPNf (weight normalisation): G = (W + F)/(‖W_r + F_r‖ + 1e-16), h = act(G x)  (no bias)
//	otherwise:                    h = act(W x + b + F x)
//	E = Σ_r Σ_i x_i² |G_ri|  (or |W + F|)
//	F ← λ⊙act(F) + γ⊙(h ⊗ x)     (the ART network; act(F) is F in the agents)
//
// Whether the wrapper applies the activation to F is its convention
// (arch.Wrapper.ActivationOnF).
type STPNF struct {
	unit       arch.Unit
	in, hidden int
	stpLayer
	act    arch.Activation
	stp    arch.STP
	plast  plasticity
	actOnF bool
}

func newSTPNF(c *arch.Config, w arch.Wrapper, p *params) (*STPNF, error) {
	I, H := c.InputSize, c.Hidden
	s := &STPNF{unit: c.Unit, in: I, hidden: H, act: c.Activation, stp: c.STP, actOnF: w.ActivationOnF}
	// With weight normalisation STPNF.layer_forward ignores its bias, but
	// the parameter exists and is part of the state_dict.
	var err error
	if s.stpLayer, err = newSTPLayer(c, p, H, I, 0); err != nil {
		return nil, err
	}
	if c.Unit == arch.HebbFF {
		s.plast = plasticity{rows: H, cols: I, clamp: c.STP.Clamp, typ: c.STP.Type, rule: c.STP.Rule}
		rawL, err := p.scalar("_weight_lambda")
		if err != nil {
			return nil, err
		}
		rawG, err := p.scalar("_weight_gamma")
		if err != nil {
			return nil, err
		}
		// HebbFF.layer_forward: weight_lambda = sigmoid(_weight_lambda),
		// weight_gamma = −exp(_weight_gamma) (forced anti-Hebbian).
		lam, gam := arch.Logistic(rawL), -math.Exp(rawG)
		lambda := make([]float64, H*I)
		s.plast.gamma = make([]float64, H*I)
		for i := range lambda {
			lambda[i], s.plast.gamma[i] = lam, gam
		}
		s.plast.setLambda(lambda)
		return s, nil
	}
	s.plast, err = newPlasticity(c, p, H, I)
	return s, err
}

func (s *STPNF) Unit() arch.Unit { return s.unit }
func (s *STPNF) InputSize() int  { return s.in }
func (s *STPNF) HiddenSize() int { return s.hidden }
func (s *STPNF) Synapses() int   { return s.hidden * s.in }
func (s *STPNF) newState() cellState {
	return &stpnfState{
		cell: s,
		f:    make([]float64, s.hidden*s.in),
		h:    make([]float64, s.hidden),
		row:  make([]float64, s.in),
		oja:  make([]float64, s.in),
		inv:  make([]float64, s.hidden),
	}
}

func (s *STPNF) Arrays() []ArrayInfo {
	return []ArrayInfo{{Name: "rnn", Rows: s.hidden, Cols: s.in, Plastic: s.hidden * s.in}}
}

type stpnfState struct {
	cell *STPNF
	f    []float64
	h    []float64
	row  []float64
	oja  []float64
	lam  decayMem
	inv  []float64 // 1/(‖W_r + F_r‖ + ε) with weight normalisation, else 1
}

func (st *stpnfState) reset() {
	clear(st.f)
	clear(st.h)
}

func (st *stpnfState) output() []float64 { return st.h }

func (st *stpnfState) step(x []float64, delta float64, pr *probe) energy.Paper {
	s := st.cell
	clear(st.h)
	e := pr.read(0, x, st.h, s.hidden, func(r int) []float64 {
		w := s.w[r*s.in : (r+1)*s.in]
		row := st.row
		for c, v := range st.f[r*s.in : (r+1)*s.in] {
			row[c] = w[c] + v
		}
		st.inv[r] = 1
		if s.stp.WeightNorm {
			st.inv[r] = s.normalise(r, row)
		}
		return row
	}, func(x []float64, nz []int32, acc, paper []float64) {
		for r := range acc {
			acc[r], paper[r], st.inv[r] = s.fusedRow(r, s.w[r*s.in:(r+1)*s.in], st.f[r*s.in:(r+1)*s.in], 0,
				s.stp.WeightNorm, st.row, x, nz)
		}
	})
	if !s.stp.WeightNorm && s.bias != nil {
		// With weight normalisation STPNF.layer_forward ignores its bias.
		for r, b := range s.bias {
			st.h[r] += b
		}
	}
	if s.ln != nil {
		s.ln.apply(st.h)
	}
	for r, v := range st.h {
		st.h[r] = s.act.Apply(v)
	}
	pr.neurons(s.hidden)
	if s.actOnF {
		// Reference quirk (NoEmbed_AssociativeNet): the wrapper applies the
		// activation to the first state tensor of an STP cell; for a
		// feed-forward cell that tensor is F itself, so F decays from
		// act(F), not F. The agents' SimpleNetSTPMLP does not.
		for i, v := range st.f {
			st.f[i] = s.act.Apply(v)
		}
	}
	lam := s.plast.decay(delta, &st.lam, s.plast.multiplies(st.f))
	s.plast.update(st.f, st.h, x, nil, st.oja, lam, pr.writes(0))
	if s.post != nil {
		s.post.apply(st.f, s.hidden)
	}
	pr.store(0, st.f, Unit{Row: st.inv, Cols: s.in})
	return energy.Paper(e)
}
