package synapse

import (
	"math"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/energy"
)

// Lanes is the number of sequences a Block steps in lock-step.
const Lanes = 8

// Block steps Lanes sequences of one network in lock-step, one network step
// at a time, so that each synapse's trained parameters (W, λ, γ) are read
// once for all of them and the lanes' sums run as independent chains. Every
// lane gives the bits its own Runner would: lanes are only interleaved,
// never mixed, and each lane's sums are taken in the Runner's order.
//
// A Block has a lock-step kernel for STPN layers read ideally (no device,
// no per-synapse count) with no front-end, at Δ = 1; for any other network
// or probe Step runs the lanes one after the other through their Runners.
// Like a Runner, a Block is not safe for concurrent use.
type Block struct {
	runners [Lanes]*Runner
	k       *stpnBlock // the lock-step kernel, nil without one
	lock    bool       // this sequence runs through k (decided by Reset)
}

// NewBlock allocates a block of Lanes runners with zeroed state.
func (n *Network) NewBlock() *Block {
	b := &Block{}
	for i := range b.runners {
		b.runners[i] = n.NewRunner()
	}
	if s, ok := n.Cell.(*STPN); ok && len(n.front) == 0 && s.lockstep() {
		b.k = newSTPNBlock(s)
	}
	return b
}

// Runner returns lane i's runner: configure it (Meter, SetDevice,
// SetTiling) like any runner, and read its outputs after a step.
func (b *Block) Runner(i int) *Runner { return b.runners[i] }

// Reset zeroes every lane's state: the next step starts Lanes sequences.
// Whether they run through the lock-step kernel is decided here, from the
// runners' configuration, which must not change before the next Reset.
func (b *Block) Reset() {
	for _, r := range b.runners {
		r.Reset()
	}
	b.lock = b.k != nil && b.ideal()
	if b.lock {
		clear(b.k.f)
		b.k.pending = false
	}
}

// Lockstep reports whether the sequences since the last Reset run through
// the lock-step kernel.
func (b *Block) Lockstep() bool { return b.lock }

// Step feeds xs[i] to lane i, Δ = 1 (len(xs) == Lanes; a lane without a
// sequence of its own can be fed zeros), and writes each lane's paper
// energy to e[i].
func (b *Block) Step(xs [][]float64, e []energy.Paper) {
	if b.lock {
		b.k.step(b, xs, e)
		return
	}
	for i, x := range xs {
		e[i] = b.runners[i].StepFor(x, 1)
	}
}

// ideal reports whether every lane reads ideally with nothing counted per
// synapse, the condition of the lock-step kernel.
func (b *Block) ideal() bool {
	for _, r := range b.runners {
		p := &r.probe
		if p.dev != nil || p.meter.Abs || p.meter.Peak || p.meter.Writes || r.net.Desc.EveryStep {
			return false
		}
	}
	return true
}

// lockstep reports whether the layer's options are those of the lock-step
// kernel: the paper's STPN (weight normalisation with the "pre" plastic
// norm and no learned gain, or none at all), Hebbian stp updates, no layer
// norm, no "post" normalisation.
func (s *STPN) lockstep() bool {
	st := s.stp
	norm := !st.WeightNorm || (st.PlasticNormTime == arch.NormPre && s.gain == nil)
	return norm && s.post == nil && s.ln == nil && s.plast.typ != arch.PromptDecay && s.plast.rule != arch.Oja
}

// stpnBlock holds Lanes sequences' STPN state interleaved: element k of
// lane b at k·Lanes + b.
type stpnBlock struct {
	s   *STPN
	f   []float64 // F, hidden × plastic columns × Lanes
	z   []float64 // [x ; h_{t−1}], cols × Lanes
	u   []float64 // the Hebbian presynaptic vector, plastic columns × Lanes
	row []float64 // one row of S = W + F, cols × Lanes
	pre []float64 // preactivations, hidden × Lanes
	inv []float64 // 1/(‖S_r‖ + ε), hidden × Lanes
	tz  []float64 // scratch of the batched tanh, hidden × Lanes each
	ts  []float64
	nz  []int32 // columns where some lane's z is nonzero
	any []bool  // per column: some lane's z is nonzero
	all []int32 // every column, in order
	// pending says that F still owes the update of the previous step: an
	// unclamped layer's update is taken row by row in the next step's read
	// of that row (one pass over F instead of two), from u, the previous
	// step's h (the runners' state until this step's activation) and inv,
	// the previous step's 1/(‖S_r‖ + ε) until the row's new norm replaces
	// it. The update after a sequence's last step is never taken: nothing
	// reads F after it.
	pending bool
}

func newSTPNBlock(s *STPN) *stpnBlock {
	pc := s.p1 - s.p0
	k := &stpnBlock{s: s,
		f:   make([]float64, s.hidden*pc*Lanes),
		z:   make([]float64, s.cols*Lanes),
		u:   make([]float64, pc*Lanes),
		row: make([]float64, s.cols*Lanes),
		pre: make([]float64, s.hidden*Lanes),
		inv: make([]float64, s.hidden*Lanes),
		tz:  make([]float64, s.hidden*Lanes),
		ts:  make([]float64, s.hidden*Lanes),
		all: make([]int32, s.cols),
		any: make([]bool, s.cols),
	}
	for c := range k.all {
		k.all[c] = int32(c)
	}
	return k
}

// step is stpnState.step for Lanes sequences at once, lane by lane the same
// operations in the same order.
func (k *stpnBlock) step(b *Block, xs [][]float64, e []energy.Paper) {
	s := k.s
	cols, pc := s.cols, s.p1-s.p0
	var st [Lanes]*stpnState
	// z = [x ; h_{t−1}] interleaved; any marks the columns some lane
	// drives: every lane's zero columns add ±0, so reading only those is
	// exact while every efficacy is finite.
	clear(k.z)
	clear(k.any)
	for l, r := range b.runners {
		st[l] = r.state.(*stpnState)
		if r.probe.c != nil {
			r.counts.Reset()
			r.counts.Steps = 1
		}
		z := st[l].z
		copy(z, xs[l])
		copy(z[s.in:], st[l].h)
		r.probe.begin(0, z, s.hidden)
		k.scatter(k.z, z, l)
	}
	k.nz = k.nz[:0]
	for c, a := range k.any[:cols] {
		if a {
			k.nz = append(k.nz, int32(c))
		}
	}
	var paper [Lanes]float64
	for r := range s.hidden {
		acc, er := k.readRow(r, cols, pc, &st)
		for l := range Lanes {
			k.pre[r*Lanes+l] = acc[l]
			paper[l] += er[l]
		}
	}
	if s.bias != nil {
		for r, b := range s.bias {
			for l := range Lanes {
				k.pre[r*Lanes+l] += b
			}
		}
	}
	if s.act == arch.Tanh {
		// Every lane's tanh at once, its exponentials vectorised, with
		// math.Tanh's bits.
		tanhAll(k.pre, k.tz, k.ts)
	} else {
		for i, v := range k.pre {
			k.pre[i] = s.act.Apply(v)
		}
	}
	for l, rn := range b.runners {
		h := st[l].h
		for r := range h {
			h[r] = k.pre[r*Lanes+l]
		}
		rn.probe.neurons(s.hidden)
		if rn.probe.c != nil {
			rn.probe.c.Arrays[0].Paper += paper[l]
		}
		e[l] = energy.Paper(paper[l])
	}
	// The Hebbian presynaptic vector on the plastic columns: [x_t ; h], h
	// the new hidden state (ART) or the one that drove the synapses — then
	// it is z itself.
	u := k.z[s.p0*Lanes : s.p1*Lanes]
	lazy := math.IsInf(s.plast.clamp, 1)
	if s.pre == arch.NewHidden || lazy {
		copy(k.u, u)
		u = k.u
	}
	if s.pre == arch.NewHidden {
		for l := range b.runners {
			h := st[l].h
			copy(st[l].z[s.in:], h)
			if s.in < s.p1 {
				// the hidden columns of u: [max(p0, in), p1)
				lo := max(s.p0, s.in)
				dst := k.u[(lo-s.p0)*Lanes:]
				for j, v := range h[lo-s.in : s.p1-s.in] {
					dst[j*Lanes+l] = v
				}
			}
		}
	}
	if lazy {
		k.pending = true
		return
	}
	k.update(st, pc, u)
}

// scatter writes lane l's vector v into the interleaved dst (zeroed),
// marking the columns where it is not zero.
func (k *stpnBlock) scatter(dst, v []float64, l int) {
	any := k.any[:len(v)]
	dst = dst[l:]
	for c, x := range v {
		if x != 0 {
			dst[c*Lanes] = x
			any[c] = true
		}
	}
}

// readRow reads row r of every lane: S = W + F and Σ S² in one pass (F
// first brought up to date when its update is pending), then the
// normalised row against z, as stpLayer.fusedRow does for one lane.
func (k *stpnBlock) readRow(r, cols, pc int, st *[Lanes]*stpnState) (acc, paper [Lanes]float64) {
	s := k.s
	w := s.w[r*cols : (r+1)*cols]
	row := k.row[:cols*Lanes]
	f := k.f[r*pc*Lanes : (r+1)*pc*Lanes]
	var ss [Lanes]float64
	fixed := func(c int, v float64) { // a column without F
		q := row[c*Lanes : c*Lanes+Lanes]
		for l := range q {
			q[l] = v
			ss[l] += v * v
		}
	}
	for c, v := range w[:s.p0] {
		fixed(c, v)
	}
	wp := w[s.p0:s.p1]
	rp := row[s.p0*Lanes : s.p1*Lanes]
	if k.pending {
		k.updateRow(r, pc, st, wp, rp, &ss)
		wp = nil
	}
	if haveKernels4 && wp != nil {
		sumSquares8(wp, f, rp, &ss)
		wp = nil
	}
	for c, v := range wp {
		fc := f[c*Lanes : c*Lanes+Lanes]
		q := rp[c*Lanes : c*Lanes+Lanes]
		for l, fv := range fc {
			x := v + fv
			q[l] = x
			ss[l] += x * x
		}
	}
	for c, v := range w[s.p1:] {
		fixed(s.p1+c, v)
	}
	inv := [Lanes]float64{}
	finite := true
	for l, v := range ss {
		inv[l] = 1
		if s.stp.WeightNorm {
			inv[l] = 1 / (math.Sqrt(v) + normEps)
		}
		finite = finite && v-v == 0
		k.inv[r*Lanes+l] = inv[l]
	}
	cs := k.nz
	if !finite {
		cs = k.all
	}
	if haveKernels4 {
		read8(row, k.z, cs, &inv, &acc, &paper)
		return acc, paper
	}
	for _, c := range cs {
		q := row[int(c)*Lanes : int(c)*Lanes+Lanes]
		zc := k.z[int(c)*Lanes : int(c)*Lanes+Lanes]
		for l, g := range q {
			if s.stp.WeightNorm {
				g *= inv[l]
			}
			acc[l] += g * zc[l]
			paper[l] += zc[l] * zc[l] * math.Abs(g)
		}
	}
	return acc, paper
}

// update is plasticity.update for every lane (the stp rule, Hebbian, with
// the "pre" normalisation when the layer normalises), λ and γ read once.
func (k *stpnBlock) update(st [Lanes]*stpnState, pc int, u []float64) {
	s := k.s
	p := &s.plast
	lo, hi := -p.clamp, p.clamp
	clamped := !math.IsInf(p.clamp, 1)
	u = u[:pc*Lanes]
	for r := range s.hidden {
		var sc, y [Lanes]float64
		for l := range Lanes {
			sc[l], y[l] = 1, st[l].h[r]
			if s.stp.WeightNorm {
				sc[l] = k.inv[r*Lanes+l]
			}
		}
		lam := p.lambda[r*pc : (r+1)*pc]
		gam := p.gamma[r*pc : (r+1)*pc]
		gam = gam[:len(lam)]
		f := k.f[r*pc*Lanes : (r+1)*pc*Lanes]
		if haveKernels4 {
			// ((f·s)·λ) + γ·(y·u), lane by lane; s = 1 without
			// normalisation, and f·1 is f.
			update8(f, u, lam, gam, &sc, &y)
		} else {
			for c, lc := range lam {
				gc := gam[c]
				fc := f[c*Lanes : c*Lanes+Lanes]
				uc := u[c*Lanes : c*Lanes+Lanes]
				for l, fv := range fc {
					if s.stp.WeightNorm {
						fv *= sc[l]
					}
					fc[l] = fv*lc + gc*(y[l]*uc[l])
				}
			}
		}
		if clamped {
			clampLanes(f, lo, hi)
		}
	}
}

// updateRow takes row r's pending update of F (update's arithmetic, for an
// unclamped layer) and builds the plastic part of the row, S = W + F, with
// Σ S² over it, in the same pass: the operations of update followed by
// those of readRow's sum, in their order, lane by lane.
func (k *stpnBlock) updateRow(r, pc int, st *[Lanes]*stpnState, wp, rp []float64, ss *[Lanes]float64) {
	s := k.s
	p := &s.plast
	var sc, y [Lanes]float64
	for l := range Lanes {
		sc[l], y[l] = 1, st[l].h[r]
		if s.stp.WeightNorm {
			sc[l] = k.inv[r*Lanes+l]
		}
	}
	lam := p.lambda[r*pc : (r+1)*pc]
	gam := p.gamma[r*pc : (r+1)*pc]
	f := k.f[r*pc*Lanes : (r+1)*pc*Lanes]
	if haveKernels4 {
		updateSum8(wp, f, rp, k.u, lam, gam, &sc, &y, ss)
		return
	}
	gam = gam[:len(lam)]
	wp = wp[:len(lam)]
	u := k.u[:pc*Lanes]
	for c, lc := range lam {
		gc, v := gam[c], wp[c]
		fc := f[c*Lanes : c*Lanes+Lanes]
		uc := u[c*Lanes : c*Lanes+Lanes]
		q := rp[c*Lanes : c*Lanes+Lanes]
		for l, fv := range fc {
			if s.stp.WeightNorm {
				fv *= sc[l]
			}
			fv = fv*lc + gc*(y[l]*uc[l])
			fc[l] = fv
			x := v + fv
			q[l] = x
			ss[l] += x * x
		}
	}
}

// clampLanes clamps every value of f into [lo, hi] as update does.
func clampLanes(f []float64, lo, hi float64) {
	for i, v := range f {
		if v < lo {
			f[i] = lo
		} else if v > hi {
			f[i] = hi
		}
	}
}
