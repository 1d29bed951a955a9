package synapse

import (
	"math"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
)

// normEps is added to every norm before dividing by it (STPLayers.py: + 1e-16).
const normEps = 1e-16

// STPN is the recurrent STP Neuron layer (STPNr): efficacy G = W + F, where F
// is a short-term state on the synapses named by plastic_weight_connections.
//
// With weight normalisation (the paper's configuration) each step computes
//
//	S = W + F;  n_r = ‖S_r‖₂ (· g_r when the gain is learned);  G = S/(n + 1e-16)
//	E = Σ_r Σ_f z_f² |G_rf|           with z = [x_t ; h_{t−1}]
//	h_t = act(LN(G z + b))
//	F ← λ⊙(F/(n + 1e-16)) + γ⊙(h_t ⊗ u),  u = [x_t ; h] restricted to the plastic columns
//
// and without it h_t = act(LN(W z + b + F z_p)), E = Σ z_f² |W + F|. The
// recurrent presynaptic value h of the Hebbian term is the wrapper's
// convention (arch.Wrapper.HebbianPre): the new h_t in the paper's ART
// network, the h_{t−1} that drove the synapses in its agents.
type STPN struct {
	in, hidden, cols int // cols = in + hidden
	p0, p1           int // plastic columns [p0, p1)
	stpLayer
	act   arch.Activation
	stp   arch.STP
	plast plasticity
	pre   arch.HebbianPre
}

// stpLayer holds the parameters STPN and STPNF share.
type stpLayer struct {
	w    []float64 // rows × cols
	bias []float64 // nil without bias
	ln   *layerNorm
	gain []float64 // learned weight-norm gain per row, or nil
	post *postNorm // "post" normalisation of the plastic state, or nil
}

// normalise divides row r of the total efficacy by its L2 norm (times the
// learned gain) plus 1e-16, in place, and returns the factor it applied.
func (l *stpLayer) normalise(r int, row []float64) float64 {
	var ss float64
	for _, v := range row {
		ss += v * v
	}
	n := math.Sqrt(ss)
	if l.gain != nil {
		n *= l.gain[r]
	}
	inv := 1 / (n + normEps)
	for c := range row {
		row[c] *= inv
	}
	return inv
}

// fusedRow reads row r of the total efficacy S = W + F (F on the columns
// [p0, p0 + len(f)) of W's row w), normalised when the layer normalises,
// against z: the same bits as building the row, normalise and mac, in two
// passes instead of five. It also returns the factor applied (1 without
// normalisation), kept for the update of F. row is scratch (len(w)).
func (l *stpLayer) fusedRow(r int, w, f []float64, p0 int, norm bool, row, z []float64, nz []int32) (acc, paper, inv float64) {
	n := len(w)
	row, z = row[:n], z[:n]
	p1 := p0 + len(f)
	// S = W + F and Σ S² in one pass, in column order.
	var ss float64
	for c, v := range w[:p0] {
		row[c] = v
		ss += v * v
	}
	wp, rp := w[p0:p1], row[p0:p1]
	for c, fv := range f {
		v := wp[c] + fv
		rp[c] = v
		ss += v * v
	}
	for c, v := range w[p1:] {
		row[p1+c] = v
		ss += v * v
	}
	inv = 1
	if norm {
		nn := math.Sqrt(ss)
		if l.gain != nil {
			nn *= l.gain[r]
		}
		inv = 1 / (nn + normEps)
	}
	// Skipping the zero columns is exact when every efficacy is finite,
	// which a finite Σ S² guarantees (see macSparse); otherwise read all.
	sparse := ss-ss == 0 && 4*len(nz) <= 3*n
	switch {
	case sparse && norm:
		for _, c := range nz {
			g, zc := row[c]*inv, z[c]
			acc += g * zc
			paper += zc * zc * math.Abs(g)
		}
	case sparse:
		for _, c := range nz {
			g, zc := row[c], z[c]
			acc += g * zc
			paper += zc * zc * math.Abs(g)
		}
	case norm:
		for c, v := range row {
			g, zc := v*inv, z[c]
			acc += g * zc
			paper += zc * zc * math.Abs(g)
		}
	default:
		acc, paper = mac(row, z)
	}
	return acc, paper, inv
}

// newSTPLayer reads W (rows × cols), the bias, the layer norm, the learned
// weight-norm gain and the "post" normalisation (whose F starts at column
// p0) as the config asks.
func newSTPLayer(c *arch.Config, p *params, rows, cols, p0 int) (stpLayer, error) {
	var l stpLayer
	var err error
	if l.w, err = p.get("weight", rows, cols); err != nil {
		return l, err
	}
	if l.bias, l.ln, err = p.biasAndNorm(c, rows); err != nil {
		return l, err
	}
	if c.STP.WeightNorm && c.STP.LearnNorm {
		if l.gain, err = p.get("g_weight_norm", rows, 1); err != nil {
			return l, err
		}
	}
	l.post, err = newPostNorm(c, p, l.w, rows, cols, p0, l.gain)
	return l, err
}

func newSTPN(c *arch.Config, w arch.Wrapper, p *params) (*STPN, error) {
	I, H := c.InputSize, c.Hidden
	s := &STPN{in: I, hidden: H, cols: I + H, act: c.Activation, stp: c.STP, pre: w.HebbianPre}
	switch c.STP.Connections {
	case arch.AllConnections:
		s.p0, s.p1 = 0, I+H
	case arch.InputConnections:
		s.p0, s.p1 = 0, I
	case arch.HiddenConnections:
		s.p0, s.p1 = I, I+H
	}
	var err error
	if s.stpLayer, err = newSTPLayer(c, p, H, I+H, s.p0); err != nil {
		return nil, err
	}
	s.plast, err = newPlasticity(c, p, H, s.p1-s.p0)
	return s, err
}

func (s *STPN) Unit() arch.Unit { return arch.STPNr }
func (s *STPN) InputSize() int  { return s.in }
func (s *STPN) HiddenSize() int { return s.hidden }
func (s *STPN) Synapses() int   { return s.hidden * s.cols }
func (s *STPN) newState() cellState {
	pc := s.p1 - s.p0
	return &stpnState{
		cell: s,
		h:    make([]float64, s.hidden),
		z:    make([]float64, s.cols),
		row:  make([]float64, s.cols),
		pre:  make([]float64, s.hidden),
		inv:  make([]float64, s.hidden),
		oja:  make([]float64, pc),
	}
}

func (s *STPN) Arrays() []ArrayInfo {
	return []ArrayInfo{{Name: "rnn", Rows: s.hidden, Cols: s.cols, Plastic: s.hidden * (s.p1 - s.p0)}}
}

type stpnState struct {
	cell *STPN
	// f is the plastic state F, hidden × (p1 − p0), allocated by the
	// first step (the lanes of a lock-step block never take one).
	f   []float64
	h   []float64 // h_{t−1}, then h_t
	z   []float64 // [x ; h]
	row []float64 // one row of the total efficacy S = W + F
	pre []float64 // preactivation
	inv []float64 // 1/(n_r + ε) per row, the factor applied to F before its update
	oja []float64
	lam decayMem // this step's decay factors when they are not λ itself
}

func (st *stpnState) reset() {
	clear(st.f)
	clear(st.h)
}

func (st *stpnState) output() []float64 { return st.h }

func (st *stpnState) step(x []float64, delta float64, pr *probe) energy.Paper {
	s := st.cell
	if st.f == nil {
		st.f = make([]float64, s.hidden*(s.p1-s.p0))
	}
	z := st.z
	copy(z, x)
	copy(z[s.in:], st.h)
	pc := s.p1 - s.p0
	clear(st.pre)
	e := pr.read(0, z, st.pre, s.hidden, func(r int) []float64 {
		// The total efficacy of row r: S = W + F on the plastic columns.
		row := st.row
		copy(row, s.w[r*s.cols:(r+1)*s.cols])
		plastic := row[s.p0:s.p1]
		for c, v := range st.f[r*pc : (r+1)*pc] {
			plastic[c] += v
		}
		if s.stp.WeightNorm {
			st.inv[r] = s.normalise(r, row)
		}
		return row
	}, func(z []float64, nz []int32, acc, paper []float64) {
		for r := range acc {
			acc[r], paper[r], st.inv[r] = s.fusedRow(r, s.w[r*s.cols:(r+1)*s.cols], st.f[r*pc:(r+1)*pc], s.p0,
				s.stp.WeightNorm, st.row, z, nz)
		}
	})
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
	pr.neurons(s.hidden)
	if s.pre == arch.NewHidden {
		// Reference quirk (NoEmbed_AssociativeNet.forward_energy): the
		// presynaptic vector of the Hebbian term is [x_t ; h_t], built from
		// the hidden state the step has just produced, not the h_{t−1} that
		// drove the synapses (which z still holds for the agents'
		// SimpleNetSTPN).
		copy(z[s.in:], st.h)
	}
	var scale []float64
	if s.stp.WeightNorm && s.stp.PlasticNormTime == arch.NormPre {
		// F is divided by the same row norm as the total efficacy before it
		// decays (STPNr.layer_forward, plastic_weight_norm.time == "pre").
		scale = st.inv
	}
	lam := s.plast.decay(delta, &st.lam, s.plast.multiplies(st.f))
	s.plast.update(st.f, st.h, z[s.p0:s.p1], scale, st.oja, lam, pr.writes(0))
	if s.post != nil {
		s.post.apply(st.f, s.hidden)
	}
	if s.stp.WeightNorm {
		// The array presents (W + F)/‖W_r + F_r‖: one unit of F is 1/‖row‖ of efficacy.
		pr.store(0, st.f, Unit{Row: st.inv, Cols: pc})
	} else {
		pr.store(0, st.f, Unit{})
	}
	return energy.Paper(e)
}

// postNorm divides each row of a new plastic state by the norm of the
// total efficacy W + F ("G") or of F alone ("F"), as
// update_dynamic_efficacies does when plastic_weight_norm.time is "post".
type postNorm struct {
	kind        arch.NormKind
	w           []float64 // W, rows × wcols, F on columns [p0, p0 + plastic columns)
	wcols, p0   int
	gain        []float64 // learned weight-norm gain (G), or nil
	plasticGain []float64 // learned plastic-norm gain (F), or nil
}

func (pn *postNorm) apply(f []float64, rows int) {
	pc := len(f) / rows
	for r := range rows {
		fr := f[r*pc : (r+1)*pc]
		var ss float64
		if pn.kind == arch.NormOfTotal {
			for c, v := range pn.w[r*pn.wcols : (r+1)*pn.wcols] {
				if c >= pn.p0 && c < pn.p0+pc {
					v += fr[c-pn.p0]
				}
				ss += v * v
			}
		} else {
			for _, v := range fr {
				ss += v * v
			}
		}
		n := math.Sqrt(ss)
		switch {
		case pn.kind == arch.NormOfTotal && pn.gain != nil:
			n *= pn.gain[r]
		case pn.kind == arch.NormOfPlastic && pn.plasticGain != nil:
			n *= pn.plasticGain[r]
		}
		d := n + normEps
		for c := range fr {
			fr[c] /= d
		}
	}
}

// newPostNorm returns the "post" normalisation a config asks for, or nil.
func newPostNorm(c *arch.Config, p *params, w []float64, rows, wcols, p0 int, gain []float64) (*postNorm, error) {
	if c.STP.PlasticNormTime != arch.NormPost {
		return nil, nil
	}
	pn := &postNorm{kind: c.STP.PlasticNorm, w: w, wcols: wcols, p0: p0, gain: gain}
	if c.STP.PlasticNorm == arch.NormOfPlastic && c.STP.LearnPlasticNorm {
		var err error
		if pn.plasticGain, err = p.get("g_plastic_weight_norm", rows, 1); err != nil {
			return nil, err
		}
	}
	return pn, nil
}
