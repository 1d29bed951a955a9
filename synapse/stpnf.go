package synapse

import (
	"math"

	"neurosim/arch"
	"neurosim/energy"
)

// STPNF is a feed-forward STP layer: STPNf, and HebbFF (Tyulmankov et al.),
// whose scalar λ = σ(_weight_lambda) and γ = −exp(_weight_gamma) are stored raw.
//
//	STPNf (weight normalisation): G = (W + F)/(‖W_r + F_r‖ + 1e-16), h = act(G x)  (no bias)
//	otherwise:                    h = act(W x + b + F x)
//	E = Σ_r Σ_i x_i² |G_ri|  (or |W + F|)
//	F ← λ⊙act(F) + γ⊙(h ⊗ x)
type STPNF struct {
	unit        arch.Unit
	in, hidden  int
	w           []float64
	bias        []float64
	ln          *layerNorm
	act         arch.Activation
	stp         arch.STP
	gain        []float64
	plasticGain []float64
	plast       plasticity
}

func newSTPNF(c *arch.Config, p *params) (*STPNF, error) {
	I, H := c.InputSize, c.Hidden
	s := &STPNF{unit: c.Unit, in: I, hidden: H, act: c.Activation, stp: c.STP}
	var err error
	if s.w, err = p.get("rnn.weight", H, I); err != nil {
		return nil, err
	}
	if c.Bias {
		// With weight normalisation STPNF.layer_forward ignores its bias, but
		// the parameter exists and is part of the state_dict.
		if s.bias, err = p.get("rnn.bias", H); err != nil {
			return nil, err
		}
	}
	if c.LayerNorm {
		if s.ln, err = p.layerNorm(H); err != nil {
			return nil, err
		}
	}
	if c.STP.WeightNorm && c.STP.LearnNorm {
		if s.gain, err = p.get("rnn.g_weight_norm", H, 1); err != nil {
			return nil, err
		}
	}
	if c.STP.PlasticNormTime == arch.NormPost && c.STP.PlasticNorm == arch.NormOfPlastic && c.STP.LearnPlasticNorm {
		if s.plasticGain, err = p.get("rnn.g_plastic_weight_norm", H, 1); err != nil {
			return nil, err
		}
	}
	if c.Unit == arch.HebbFF {
		s.plast = plasticity{rows: H, cols: I, clamp: c.STP.Clamp, typ: c.STP.Type, rule: c.STP.Rule}
		rawL, err := p.scalar("rnn._weight_lambda")
		if err != nil {
			return nil, err
		}
		rawG, err := p.scalar("rnn._weight_gamma")
		if err != nil {
			return nil, err
		}
		// HebbFF.layer_forward: weight_lambda = sigmoid(_weight_lambda),
		// weight_gamma = −exp(_weight_gamma) (forced anti-Hebbian).
		lam, gam := arch.Logistic(rawL), -math.Exp(rawG)
		s.plast.lambda = make([]float64, H*I)
		s.plast.gamma = make([]float64, H*I)
		for i := range s.plast.lambda {
			s.plast.lambda[i], s.plast.gamma[i] = lam, gam
		}
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
	}
}

type stpnfState struct {
	cell *STPNF
	f    []float64
	h    []float64
	row  []float64
	oja  []float64
}

func (st *stpnfState) reset() {
	clear(st.f)
	clear(st.h)
}

func (st *stpnfState) output() []float64 { return st.h }

func (st *stpnfState) step(x []float64) energy.Paper {
	s := st.cell
	var e float64
	for r := range s.hidden {
		w := s.w[r*s.in : (r+1)*s.in]
		f := st.f[r*s.in : (r+1)*s.in]
		row := st.row
		var ss float64
		for c, v := range w {
			g := v + f[c]
			row[c] = g
			ss += g * g
		}
		inv := 1.0
		if s.stp.WeightNorm {
			n := math.Sqrt(ss)
			if s.gain != nil {
				n *= s.gain[r]
			}
			inv = 1 / (n + normEps)
		}
		var acc float64
		for c, v := range row {
			g := v * inv
			xc := x[c]
			acc += g * xc
			e += xc * xc * math.Abs(g)
		}
		if !s.stp.WeightNorm && s.bias != nil {
			acc += s.bias[r]
		}
		st.h[r] = acc
	}
	if s.ln != nil {
		s.ln.apply(st.h)
	}
	for r, v := range st.h {
		st.h[r] = s.act.Apply(v)
	}
	// Reference quirk (NoEmbed_AssociativeNet): the wrapper applies the
	// activation to the first state tensor of an STP cell; for a feed-forward
	// cell that tensor is F itself, so F decays from act(F), not F.
	for i, v := range st.f {
		st.f[i] = s.act.Apply(v)
	}
	s.plast.update(st.f, st.h, x, nil, st.oja)
	if s.stp.PlasticNormTime == arch.NormPost {
		st.postNorm()
	}
	return energy.Paper(e)
}

func (st *stpnfState) postNorm() {
	s := st.cell
	for r := range s.hidden {
		f := st.f[r*s.in : (r+1)*s.in]
		var ss float64
		if s.stp.PlasticNorm == arch.NormOfTotal {
			for c, v := range s.w[r*s.in : (r+1)*s.in] {
				v += f[c]
				ss += v * v
			}
		} else {
			for _, v := range f {
				ss += v * v
			}
		}
		n := math.Sqrt(ss)
		switch {
		case s.stp.PlasticNorm == arch.NormOfTotal && s.gain != nil:
			n *= s.gain[r]
		case s.stp.PlasticNorm == arch.NormOfPlastic && s.plasticGain != nil:
			n *= s.plasticGain[r]
		}
		d := n + normEps
		for c := range f {
			f[c] /= d
		}
	}
}
