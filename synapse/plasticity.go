package synapse

import (
	"fmt"
	"math"

	"github.com/neurosim/neurosim/arch"
)

// plasticity is the update of a short-term state matrix F (rows × cols),
// shared by the STP cells and Fast Weights.
type plasticity struct {
	rows, cols    int
	lambda, gamma []float64 // rows × cols, broadcast from the checkpoint or config
	scalar        bool      // λ is one value everywhere
	// logLambda is ln λ for λ in [0, 1] (−Inf for 0) and NaN outside, so a
	// step of Δ network steps decays by exp(Δ·ln λ) = λ^Δ.
	logLambda []float64
	clamp     float64 // +Inf for none
	typ       arch.PlasticityType
	rule      arch.Rule
}

func newPlasticity(c *arch.Config, p *params, rows, cols int) (plasticity, error) {
	pl := plasticity{rows: rows, cols: cols, clamp: c.STP.Clamp, typ: c.STP.Type, rule: c.STP.Rule}
	var err error
	if pl.lambda, err = p.plasticParam("rnn.weight_lambda", c.STP.Learned, c.STP.Dims, c.STP.Lambda, rows, cols); err != nil {
		return pl, err
	}
	pl.setLambda(pl.lambda)
	pl.gamma, err = p.plasticParam("rnn.weight_gamma", c.STP.Learned, c.STP.Dims, c.STP.Gamma, rows, cols)
	return pl, err
}

// setLambda installs decay factors and what the decay of a step derives from them.
func (p *plasticity) setLambda(lambda []float64) {
	p.lambda = lambda
	p.scalar = uniform(lambda)
	p.logLambda = make([]float64, len(lambda))
	for i, l := range lambda {
		p.logLambda[i] = math.NaN()
		if l >= 0 && l <= 1 {
			p.logLambda[i] = math.Log(l)
		}
	}
}

// uniform reports whether every element of v equals the first.
func uniform(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

// outside counts the decay factors outside [0, 1].
func (p *plasticity) outside() int {
	n := 0
	for _, l := range p.lambda {
		if l < 0 || l > 1 {
			n++
		}
	}
	return n
}

// clampLambda clamps every decay factor into [0, 1].
func (p *plasticity) clampLambda() {
	lam := make([]float64, len(p.lambda))
	for i, l := range p.lambda {
		lam[i] = math.Min(math.Max(l, 0), 1)
	}
	p.setLambda(lam)
}

// decay returns the decay factors of a step lasting delta network steps:
// λ^delta for every λ in [0, 1] (a passive element with time constant
// −step/ln λ) and λ itself for a λ outside [0, 1], which has no
// continuous-time meaning and acts once per network step. For delta == 1 it
// returns λ itself, so dense runs are the reference model exactly. buf has
// rows × cols elements.
func (p *plasticity) decay(delta float64, buf []float64) []float64 {
	if delta == 1 {
		return p.lambda
	}
	if p.scalar {
		l := p.lambda[0]
		if l >= 0 && l <= 1 {
			l = math.Pow(l, delta)
		}
		for i := range buf {
			buf[i] = l
		}
		return buf
	}
	for i, ll := range p.logLambda {
		if ll == ll { // λ in [0, 1]
			buf[i] = math.Exp(delta * ll)
		} else {
			buf[i] = p.lambda[i]
		}
	}
	return buf
}

// update computes F ← clamp(λ⊙F + γ⊙ΔF) ("stp") or clamp(λ⊙(F + γ⊙ΔF))
// ("stp_prompt_decay"), with ΔF = post ⊗ pre (Hebb) or post ⊗ (pre − Fᵀpost)
// (Oja) and λ the decay factors lam of this step. rowScale, when not nil,
// divides row r of the old F first (the "pre" normalisation of STPN). oja is
// a scratch vector of length cols.
//
// When m is not nil the writes are metered: the element decays passively
// (the decay, and the model's own rescaling of F, are free), and a synapse is
// written when its Hebbian increment — γ⊙ΔF, or λ⊙γ⊙ΔF for prompt decay — is
// nonzero, by that increment; a synapse whose λ lies outside [0, 1] cannot
// decay passively and is written with its new value every step, as is every
// synapse in Rewrite mode.
func (p *plasticity) update(F, post, pre, rowScale, oja, lam []float64, m *writeMeter) {
	if p.rule == arch.Oja {
		// pre − Fᵀ post, with F already scaled as the update will see it.
		copy(oja, pre)
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
		l := lam[off : off+p.cols]
		g := p.gamma[off : off+p.cols]
		if p.typ == arch.PromptDecay {
			for c, x := range pre {
				row[c] = l[c] * (row[c]*s + g[c]*(y*x))
			}
		} else {
			for c, x := range pre {
				row[c] = row[c]*s*l[c] + g[c]*(y*x)
			}
		}
		if clamped {
			for c, v := range row {
				row[c] = math.Min(math.Max(v, lo), hi)
			}
		}
		if m != nil {
			m.row(p, off, y, pre, row, l)
		}
	}
}

// writeMeter counts the writes of one array's short-term state.
type writeMeter struct {
	act  *ArrayActivity
	mode WriteMode
}

// meter returns the write meter of array a, or nil when not metering.
func (pr *probe) meter(a int) *writeMeter {
	if pr.act == nil {
		return nil
	}
	pr.wm = writeMeter{act: &pr.act.Arrays[a], mode: pr.Writes}
	return &pr.wm
}

func (m *writeMeter) row(p *plasticity, off int, y float64, pre, row, lam []float64) {
	for c, x := range pre {
		if l := p.lambda[off+c]; m.mode == Rewrite || l < 0 || l > 1 {
			m.act.Writes++
			m.act.WriteUnits += math.Abs(row[c])
			continue
		}
		inc := p.gamma[off+c] * (y * x)
		if p.typ == arch.PromptDecay {
			inc *= lam[c]
		}
		if inc != 0 {
			m.act.Writes++
			m.act.WriteUnits += math.Abs(inc)
		}
	}
}

// decaying is a cell with a trained short-term decay.
type decaying interface {
	Cell
	plasticity() *plasticity
	// withPlasticity returns a copy of the cell using p.
	withPlasticity(p plasticity) Cell
}

func (s *STPN) plasticity() *plasticity  { return &s.plast }
func (s *STPNF) plasticity() *plasticity { return &s.plast }
func (fw *FastWeights) plasticity() *plasticity {
	return &fw.plast
}

func (s *STPN) withPlasticity(p plasticity) Cell         { c := *s; c.plast = p; return &c }
func (s *STPNF) withPlasticity(p plasticity) Cell        { c := *s; c.plast = p; return &c }
func (fw *FastWeights) withPlasticity(p plasticity) Cell { c := *fw; c.plast = p; return &c }

// DecayOutside counts the plastic synapses whose decay factor λ lies outside
// [0, 1], and all plastic synapses with a decay factor. Such a synapse is not
// a passive decay: trained STPN λ are unconstrained (row normalisation keeps
// them stable), and whether they can be built decides the hardware.
func (n *Network) DecayOutside() (outside, plastic int) {
	d, ok := n.Cell.(decaying)
	if !ok {
		return 0, 0
	}
	p := d.plasticity()
	return p.outside(), len(p.lambda)
}

// LambdaPolicy says what to do with decay factors outside [0, 1].
type LambdaPolicy uint8

const (
	// PerStep applies such a λ once per network step, as the discrete model does.
	PerStep LambdaPolicy = iota
	// ClampLambda clamps every λ into [0, 1]. This changes the model.
	ClampLambda
	// RefuseLambda refuses a network with any λ outside [0, 1].
	RefuseLambda
)

func (p LambdaPolicy) String() string { return [...]string{"per-step", "clamp", "refuse"}[p] }

// WithLambdaPolicy returns the network to run under policy: n itself for
// PerStep, a copy with clamped λ for ClampLambda, and an error for
// RefuseLambda when some λ lies outside [0, 1].
func (n *Network) WithLambdaPolicy(policy LambdaPolicy) (*Network, error) {
	outside, total := n.DecayOutside()
	if outside == 0 || policy == PerStep {
		return n, nil
	}
	if policy == RefuseLambda {
		return nil, fmt.Errorf("%s: %d of %d plastic synapses have a decay factor λ outside [0, 1], which a passive element cannot realise (lambda_outside: refuse)",
			n.Config.File, outside, total)
	}
	d := n.Cell.(decaying)
	p := *d.plasticity()
	p.clampLambda()
	m := *n
	m.Cell = d.withPlasticity(p)
	return &m, nil
}
