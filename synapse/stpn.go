package synapse

import (
	"math"

	"neurosim/arch"
	"neurosim/energy"
)

// normEps is added to every norm before dividing by it (STPLayers.py: + 1e-16).
const normEps = 1e-16

// plasticity is the update of a short-term state matrix F (rows × cols),
// shared by the STP cells and Fast Weights.
type plasticity struct {
	rows, cols    int
	lambda, gamma []float64 // rows × cols, broadcast from the checkpoint or config
	clamp         float64   // +Inf for none
	typ           arch.PlasticityType
	rule          arch.Rule
}

// update computes F ← clamp(λ⊙F + γ⊙ΔF) ("stp") or clamp(λ⊙(F + γ⊙ΔF))
// ("stp_prompt_decay"), with ΔF = post ⊗ pre (Hebb) or post ⊗ (pre − Fᵀpost)
// (Oja). rowScale, when not nil, divides row r of the old F first (the "pre"
// normalisation of STPN). oja is a scratch vector of length cols.
func (p *plasticity) update(F, post, pre, rowScale, oja []float64) {
	if p.rule == arch.Oja {
		// pre − Fᵀ post, with F already scaled as the update will see it.
		for c := range oja {
			oja[c] = pre[c]
		}
		for r, y := range post {
			s := 1.0
			if rowScale != nil {
				s = rowScale[r]
			}
			row := F[r*p.cols : (r+1)*p.cols]
			for c, f := range row {
				oja[c] -= y * f * s
			}
		}
		pre = oja
	}
	lo, hi := -p.clamp, p.clamp
	clamped := !math.IsInf(p.clamp, 1)
	for r, y := range post {
		s := 1.0
		if rowScale != nil {
			s = rowScale[r]
		}
		off := r * p.cols
		row := F[off : off+p.cols]
		lam := p.lambda[off : off+p.cols]
		gam := p.gamma[off : off+p.cols]
		if p.typ == arch.PromptDecay {
			for c, x := range pre {
				row[c] = lam[c] * (row[c]*s + gam[c]*(y*x))
			}
		} else {
			for c, x := range pre {
				row[c] = row[c]*s*lam[c] + gam[c]*(y*x)
			}
		}
		if clamped {
			for c, v := range row {
				row[c] = math.Min(math.Max(v, lo), hi)
			}
		}
	}
}

// STPN is the recurrent STP Neuron layer (STPNr): efficacy G = W + F, where F
// is a short-term state on the synapses named by plastic_weight_connections.
//
// With weight normalisation (the paper's configuration) each step computes
//
//	S = W + F;  n_r = ‖S_r‖₂ (· g_r when the gain is learned);  G = S/(n + 1e-16)
//	E = Σ_r Σ_f z_f² |G_rf|           with z = [x_t ; h_{t−1}]
//	h_t = act(LN(G z + b))
//	F ← λ⊙(F/(n + 1e-16)) + γ⊙(h_t ⊗ u),  u = [x_t ; h_t] restricted to the plastic columns
//
// and without it h_t = act(LN(W z + b + F z_p)), E = Σ z_f² |W + F|.
type STPN struct {
	in, hidden, cols int // cols = in + hidden
	p0, p1           int // plastic columns [p0, p1)
	w                []float64
	bias             []float64 // nil without bias
	ln               *layerNorm
	act              arch.Activation
	stp              arch.STP
	gain             []float64 // learned weight-norm gain per row, or nil
	plasticGain      []float64 // learned plastic-norm gain per row, or nil
	plast            plasticity
}

func newSTPN(c *arch.Config, p *params) (*STPN, error) {
	I, H := c.InputSize, c.Hidden
	s := &STPN{in: I, hidden: H, cols: I + H, act: c.Activation, stp: c.STP}
	switch c.STP.Connections {
	case arch.AllConnections:
		s.p0, s.p1 = 0, I+H
	case arch.InputConnections:
		s.p0, s.p1 = 0, I
	case arch.HiddenConnections:
		s.p0, s.p1 = I, I+H
	}
	var err error
	if s.w, err = p.get("rnn.weight", H, I+H); err != nil {
		return nil, err
	}
	if c.Bias {
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
	s.plast, err = newPlasticity(c, p, H, s.p1-s.p0)
	return s, err
}

func newPlasticity(c *arch.Config, p *params, rows, cols int) (plasticity, error) {
	pl := plasticity{rows: rows, cols: cols, clamp: c.STP.Clamp, typ: c.STP.Type, rule: c.STP.Rule}
	var err error
	if pl.lambda, err = p.plasticParam("rnn.weight_lambda", c.STP.Learned, c.STP.Dims, c.STP.Lambda, rows, cols); err != nil {
		return pl, err
	}
	pl.gamma, err = p.plasticParam("rnn.weight_gamma", c.STP.Learned, c.STP.Dims, c.STP.Gamma, rows, cols)
	return pl, err
}

func (s *STPN) Unit() arch.Unit { return arch.STPNr }
func (s *STPN) InputSize() int  { return s.in }
func (s *STPN) HiddenSize() int { return s.hidden }
func (s *STPN) Synapses() int   { return s.hidden * s.cols }
func (s *STPN) newState() cellState {
	pc := s.p1 - s.p0
	return &stpnState{
		cell: s,
		f:    make([]float64, s.hidden*pc),
		h:    make([]float64, s.hidden),
		z:    make([]float64, s.cols),
		row:  make([]float64, s.cols),
		pre:  make([]float64, s.hidden),
		inv:  make([]float64, s.hidden),
		oja:  make([]float64, pc),
	}
}

type stpnState struct {
	cell *STPN
	f    []float64 // plastic state F, hidden × (p1 − p0)
	h    []float64 // h_{t−1}, then h_t
	z    []float64 // [x ; h]
	row  []float64 // one row of the total efficacy S = W + F
	pre  []float64 // preactivation
	inv  []float64 // 1/(n_r + ε) per row, the factor applied to F before its update
	oja  []float64
}

func (st *stpnState) reset() {
	clear(st.f)
	clear(st.h)
}

func (st *stpnState) output() []float64 { return st.h }

func (st *stpnState) step(x []float64) energy.Paper {
	s := st.cell
	z := st.z
	copy(z, x)
	copy(z[s.in:], st.h)
	pc := s.p1 - s.p0
	var e float64
	for r := range s.hidden {
		w := s.w[r*s.cols : (r+1)*s.cols]
		f := st.f[r*pc : (r+1)*pc]
		if !s.stp.WeightNorm {
			var acc float64
			for c, v := range w {
				g := v
				if c >= s.p0 && c < s.p1 {
					g += f[c-s.p0]
				}
				zc := z[c]
				acc += g * zc
				e += zc * zc * math.Abs(g)
			}
			st.pre[r] = acc
			continue
		}
		row := st.row
		copy(row, w)
		plastic := row[s.p0:s.p1]
		for c, v := range f {
			plastic[c] += v
		}
		var ss float64
		for _, v := range row {
			ss += v * v
		}
		n := math.Sqrt(ss)
		if s.gain != nil {
			n *= s.gain[r]
		}
		inv := 1 / (n + normEps)
		st.inv[r] = inv
		var acc, er float64
		for c, v := range row {
			g := v * inv
			zc := z[c]
			acc += g * zc
			er += zc * zc * math.Abs(g)
		}
		e += er
		st.pre[r] = acc
	}
	if s.bias != nil {
		for r, b := range s.bias {
			st.pre[r] += b
		}
	}
	if s.ln != nil {
		s.ln.apply(st.pre)
	}
	for r, v := range st.pre {
		st.h[r] = s.act.Apply(v)
	}
	// Reference quirk (NoEmbed_AssociativeNet.forward_energy): the presynaptic
	// vector of the Hebbian term is [x_t ; h_t], built from the hidden state
	// the step has just produced, not the h_{t−1} that drove the synapses.
	copy(z[s.in:], st.h)
	var scale []float64
	if s.stp.WeightNorm && s.stp.PlasticNormTime == arch.NormPre {
		// F is divided by the same row norm as the total efficacy before it
		// decays (STPNr.layer_forward, plastic_weight_norm.time == "pre").
		scale = st.inv
	}
	s.plast.update(st.f, st.h, z[s.p0:s.p1], scale, st.oja)
	if s.stp.PlasticNormTime == arch.NormPost {
		st.postNorm()
	}
	return energy.Paper(e)
}

// postNorm divides each row of the new F by the norm of W + F ("G") or of F
// alone ("F"), as update_dynamic_efficacies does when plastic_weight_norm.time
// is "post".
func (st *stpnState) postNorm() {
	s := st.cell
	pc := s.p1 - s.p0
	for r := range s.hidden {
		f := st.f[r*pc : (r+1)*pc]
		var ss float64
		if s.stp.PlasticNorm == arch.NormOfTotal {
			w := s.w[r*s.cols : (r+1)*s.cols]
			for c, v := range w {
				if c >= s.p0 && c < s.p1 {
					v += f[c-s.p0]
				}
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
