package synapse

import (
	"math"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
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
	if pl.lambda, err = p.plasticParam("weight_lambda", c.STP.Learned, c.STP.Dims, c.STP.Lambda, rows, cols); err != nil {
		return pl, err
	}
	pl.setLambda(pl.lambda)
	pl.gamma, err = p.plasticParam("weight_gamma", c.STP.Learned, c.STP.Dims, c.STP.Gamma, rows, cols)
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
// returns λ itself, so dense runs are the reference model exactly.
//
// f, when not nil, is the state the factors multiply and all they are used
// for (f·λ^Δ, as F's update without prompt decay): where f is ±0 the
// product is f·s·λ^Δ = ±0 whatever the factor, so it is not taken (set to
// 0). mem holds the factors returned and scratch; it is allocated by the
// first step that needs it (a dense run never does).
func (p *plasticity) decay(delta float64, mem *decayMem, f []float64) []float64 {
	n := len(p.lambda)
	if delta == 1 || n == 0 {
		return p.lambda
	}
	if len(mem.f) < 3*n {
		mem.f, mem.mask = make([]float64, 3*n), make([]byte, n/8)
	}
	buf := mem.f[:n]
	if p.scalar {
		l := p.lambda[0]
		if l >= 0 && l <= 1 {
			l = math.Pow(l, delta)
		}
		// Filled by doubling copies (memmove), not element by element.
		buf[0] = l
		for i := 1; i < n; i *= 2 {
			copy(buf[i:], buf[:i])
		}
		return buf
	}
	if !haveDecay8 {
		p.exps(delta, buf, p.logLambda, p.lambda)
		return buf
	}
	// Over a long gap most exponentials underflow to 0 (λ^Δ = exp(Δ·ln λ)
	// is 0 where Δ·ln λ·log₂e < −1076, the kernels' test, whatever the
	// polynomial; math.Exp gives 0 there too), and where the state is 0
	// none is needed. With AVX-512 a first pass sets those, and the λ
	// outside [0, 1], and packs the others' Δ·ln λ; the exponentials are
	// taken of the packed values only (exp(1·x) is exp(x): the same bits),
	// then put back in place. When most must be taken, all are, in place.
	// The chunks of 8 are packed, the rest taken.
	if f != nil {
		f = f[:n] // the assembly reads n values of it
	}
	c := n &^ 7
	xs, ys := mem.f[n:n+c], mem.f[2*n:2*n+c]
	k := pack8(buf, p.logLambda, p.lambda, f, xs, mem.mask, delta)
	if k > c*3/4 {
		p.exps(delta, buf, p.logLambda, p.lambda)
		return buf
	}
	p.exps(1, ys[:k], xs[:k], xs[:k])
	expand8(buf, ys, mem.mask)
	p.exps(delta, buf[c:], p.logLambda[c:], p.lambda[c:])
	return buf
}

// decayMem is the memory of a cell's decay over gaps: the factors returned,
// scratch, and which lanes of each chunk of 8 were packed.
type decayMem struct {
	f    []float64
	mask []byte
}

// exps sets dst[i] = exp(delta·ll[i]) where ll[i] is a number and lambda[i]
// where it is NaN, with math.Exp's bits.
func (p *plasticity) exps(delta float64, dst, ll, lambda []float64) {
	i := 0
	if haveDecay8 {
		// Eight at a time, with math.Exp's bits.
		i = decay8(dst, ll, lambda, delta)
	}
	if haveDecay4 {
		// Four at a time, with math.Exp's bits.
		i += decay4(dst[i:], ll[i:], lambda[i:], delta)
	}
	for ; i < len(dst); i++ {
		if x := ll[i]; x == x { // λ in [0, 1]
			dst[i] = math.Exp(delta * x)
		} else {
			dst[i] = lambda[i]
		}
	}
}

// multiplies returns f, the state, for decay when update uses the decay
// factors of a step only to multiply f — not with prompt decay, where they
// scale the Hebbian increment too — and nil otherwise.
func (p *plasticity) multiplies(f []float64) []float64 {
	if p.typ == arch.PromptDecay {
		return nil
	}
	return f
}

// update computes F ← clamp(λ⊙F + γ⊙ΔF) ("stp") or clamp(λ⊙(F + γ⊙ΔF))
// ("stp_prompt_decay"), with ΔF = post ⊗ pre (Hebb) or post ⊗ (pre − Fᵀpost)
// (Oja) and λ the decay factors lam of this step. rowScale, when not nil,
// divides row r of the old F first (the "pre" normalisation of STPN). oja is
// a scratch vector of length cols.
//
// When m is not nil the writes are counted (energy.ArrayCounts.Write): for
// a volatile element the decay, and the model's own rescaling of F, are free
// passive dynamics, and the increment written is the Hebbian one — γ⊙ΔF, or
// λ⊙γ⊙ΔF for prompt decay.
func (p *plasticity) update(F, post, pre, rowScale, oja, lam []float64, m *energy.ArrayCounts) {
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
		// Slices of one length, so that the loops carry no bounds checks.
		row := F[off : off+p.cols]
		pre := pre[:len(row)]
		l := lam[off : off+len(row)]
		g := p.gamma[off : off+len(row)]
		l, g = l[:len(row)], g[:len(row)]
		switch {
		case p.typ == arch.PromptDecay:
			for c, f := range row {
				row[c] = l[c] * (f*s + g[c]*(y*pre[c]))
			}
		case s == 1:
			// row·1 is row: the plain update without the multiply.
			for c, f := range row {
				row[c] = f*l[c] + g[c]*(y*pre[c])
			}
		default:
			for c, f := range row {
				row[c] = f*s*l[c] + g[c]*(y*pre[c])
			}
		}
		if clamped {
			// As math.Min(math.Max(v, lo), hi) for every non-NaN v (±0
			// included), and NaN stays NaN.
			for c, v := range row {
				if v < lo {
					row[c] = lo
				} else if v > hi {
					row[c] = hi
				}
			}
		}
		if m != nil {
			p.countWrites(m, off, y, pre, row, l)
		}
	}
}

// countWrites counts the writes of row r (at flat offset off) of an update
// whose postsynaptic value was y, presynaptic vector pre, new values row and
// decay factors lam.
func (p *plasticity) countWrites(m *energy.ArrayCounts, off int, y float64, pre, row, lam []float64) {
	for c, x := range pre {
		l := p.lambda[off+c]
		inc := p.gamma[off+c] * (y * x)
		if p.typ == arch.PromptDecay {
			inc *= lam[c]
		}
		m.Write(off+c, inc, row[c], l >= 0 && l <= 1)
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

// ClampLambda returns a copy of the network whose decay factors are clamped
// into [0, 1], so that every plastic synapse can be a passive element; this
// changes the model (and its accuracy). A network without decay factors, or
// with none outside [0, 1], is returned as it is.
func (n *Network) ClampLambda() *Network {
	d, ok := n.Cell.(decaying)
	if !ok || d.plasticity().outside() == 0 {
		return n
	}
	p := *d.plasticity()
	p.clampLambda()
	m := *n
	m.Cell = d.withPlasticity(p)
	return &m
}
