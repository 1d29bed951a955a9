package synapse

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"sync"

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
	// order sorts the synapses by ln λ, once, for the first gap (decay).
	order *decayOrder
	clamp float64 // +Inf for none
	typ   arch.PlasticityType
	rule  arch.Rule
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
	p.order = &decayOrder{}
}

// decayOrder lists the synapses with λ in [0, 1] by ascending ln λ (byLog,
// their ln λ in sortedLog) and the others (outsideAt). Over a gap of Δ
// steps the synapses whose λ^Δ underflows to 0 are a prefix of byLog, so a
// long gap computes the exponential of the rest only (decay). It is built
// by the first gap, once for all the runners sharing the layer: a dense
// run never pays for it.
type decayOrder struct {
	once      sync.Once
	byLog     []int32
	sortedLog []float64
	outsideAt []int32
}

func (o *decayOrder) get(logLambda []float64) *decayOrder {
	o.once.Do(func() {
		for i, ll := range logLambda {
			if ll == ll {
				o.byLog = append(o.byLog, int32(i))
			} else {
				o.outsideAt = append(o.outsideAt, int32(i))
			}
		}
		slices.SortStableFunc(o.byLog, func(a, b int32) int { return cmp.Compare(logLambda[a], logLambda[b]) })
		o.sortedLog = make([]float64, len(o.byLog))
		for j, i := range o.byLog {
			o.sortedLog[j] = logLambda[i]
		}
	})
	return o
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
// returns λ itself, so dense runs are the reference model exactly. *mem
// holds the factors returned and scratch; it is allocated by the first step
// that needs it (a dense run never does).
func (p *plasticity) decay(delta float64, mem *[]float64) []float64 {
	if delta == 1 {
		return p.lambda
	}
	if len(*mem) < 2*len(p.lambda) {
		*mem = make([]float64, 2*len(p.lambda))
	}
	buf, scratch := (*mem)[:len(p.lambda)], (*mem)[len(p.lambda):2*len(p.lambda)]
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
	// λ^Δ = exp(Δ·ln λ) is 0 where Δ·ln λ·log₂e < farUnder, a test monotone
	// in ln λ: a prefix of byLog. When that is most synapses, the rest are
	// computed in byLog's order and put in place.
	o := p.order.get(p.logLambda)
	under := sort.Search(len(o.sortedLog), func(j int) bool { return delta*o.sortedLog[j]*math.Log2E >= farUnder })
	if under < len(o.sortedLog)/2 {
		p.exps(delta, buf, p.logLambda, p.lambda)
		return buf
	}
	rest := o.sortedLog[under:]
	p.exps(delta, scratch[:len(rest)], rest, rest)
	clear(buf)
	for _, i := range o.outsideAt {
		buf[i] = p.lambda[i]
	}
	for j, i := range o.byLog[under:] {
		buf[i] = scratch[j]
	}
	return buf
}

// farUnder is the decay kernels' test (decay_amd64.s) for an exponential
// that is 0 whatever its polynomial: x·log₂e < farUnder. math.Exp gives 0
// there too (below −745.13).
const farUnder = -1076.0

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
