package synapse

import (
	"math"
	"math/bits"

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
// A block made with NewBlockPrecision(Float32) runs its lock-step kernel in
// float32 instead (and only that kernel: sequences that do not run
// lock-step are float64 as ever; see Lockstep).
// Like a Runner, a Block is not safe for concurrent use.
type Block struct {
	runners [Lanes]*Runner
	k       lockKernel // the lock-step kernel, nil without one
	lock    bool       // this sequence runs through k (decided by Reset)
}

// lockKernel is a lock-step kernel: it steps every lane of a block.
type lockKernel interface {
	reset()
	step(b *Block, xs [][]float64, e []energy.Paper)
}

// Precision is the arithmetic of a block's lock-step kernel.
type Precision int

const (
	// Float64 is the default: every lane gives its Runner's bits.
	Float64 Precision = iota
	// Float32 keeps the STPN layer's parameters, state and sums in
	// float32 (inputs rounded to float32, outputs widened): faster, and
	// as far from the float64 results as float32 arithmetic goes.
	Float32
)

func (p Precision) String() string {
	if p == Float32 {
		return "float32"
	}
	return "float64"
}

// NewBlock allocates a block of Lanes runners with zeroed state, its
// lock-step kernel in float64.
func (n *Network) NewBlock() *Block { return n.NewBlockPrecision(Float64) }

// NewBlockPrecision allocates a block whose lock-step kernel, if the
// network has one, runs in precision p.
func (n *Network) NewBlockPrecision(p Precision) *Block {
	b := &Block{}
	for i := range b.runners {
		b.runners[i] = n.NewRunner()
	}
	if s, ok := n.Cell.(*STPN); ok && len(n.front) == 0 && s.lockstep() {
		if p == Float32 {
			b.k = newSTPNBlock[float32](s)
		} else {
			b.k = newSTPNBlock[float64](s)
		}
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
		b.k.reset()
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

// real is the arithmetic of a lock-step kernel.
type real interface{ float32 | float64 }

// stpnBlock holds Lanes sequences' STPN state interleaved: element k of
// lane b at k·Lanes + b, in precision T. For T = float64 its parameters
// are the layer's own slices and every operation is stpnState.step's.
type stpnBlock[T real] struct {
	s            *STPN
	w, lam, gam  []T       // the layer's W, λ, γ
	bias         []T       // nil without bias
	f            []T       // F, hidden × plastic columns × Lanes
	z            []T       // [x ; h_{t−1}], cols × Lanes
	h            []T       // h, hidden × Lanes
	u            []T       // the Hebbian presynaptic vector, plastic columns × Lanes
	row          []T       // one row of S = W + F, cols × Lanes
	pre          []T       // preactivations, hidden × Lanes
	inv          []T       // 1/(‖S_r‖ + ε), hidden × Lanes
	ones         [Lanes]T  // the factors of F without weight normalisation
	wide, tz, ts []float64 // scratch of the batched tanh, hidden × Lanes each
	nz           []int32   // columns where some lane's z is nonzero
	driven       []uint64  // the inputs some lane drives, a bit each
	all          []int32   // every column, in order
	// pending says that F still owes the update of the previous step: an
	// unclamped layer's update is taken row by row in the next step's read
	// of that row (one pass over F instead of two), from u, the previous
	// step's h (until this step's activation replaces it) and inv, the
	// previous step's 1/(‖S_r‖ + ε) until the row's new norm replaces it.
	// The update after a sequence's last step is never taken: nothing
	// reads F after it.
	pending bool
	// fresh says that F is owed its zeroing: a sequence's first step
	// clears each row of F as it reads it (while it is in the cache)
	// rather than Reset clearing all of it (megabytes at hidden 512).
	fresh bool
}

func newSTPNBlock[T real](s *STPN) *stpnBlock[T] {
	pc := s.p1 - s.p0
	n := s.hidden * Lanes
	k := &stpnBlock[T]{s: s,
		w:      narrow[T](s.w),
		lam:    narrow[T](s.plast.lambda),
		gam:    narrow[T](s.plast.gamma),
		f:      make([]T, s.hidden*pc*Lanes),
		z:      make([]T, s.cols*Lanes),
		h:      make([]T, n),
		u:      make([]T, pc*Lanes),
		row:    make([]T, s.cols*Lanes),
		pre:    make([]T, n),
		inv:    make([]T, n),
		tz:     make([]float64, n),
		ts:     make([]float64, n),
		all:    make([]int32, s.cols),
		driven: make([]uint64, (s.in+63)/64),
	}
	if s.bias != nil {
		k.bias = narrow[T](s.bias)
	}
	if _, ok := any(k.pre).([]float64); !ok {
		k.wide = make([]float64, n)
	}
	for c := range k.all {
		k.all[c] = int32(c)
	}
	for l := range k.ones {
		k.ones[l] = 1
	}
	return k
}

// narrow returns v in precision T: v itself for float64, a rounded copy
// for float32.
func narrow[T real](v []float64) []T {
	if t, ok := any(v).([]T); ok {
		return t
	}
	t := make([]T, len(v))
	for i, x := range v {
		t[i] = T(x)
	}
	return t
}

func (k *stpnBlock[T]) reset() {
	clear(k.h)
	k.pending = false
	k.fresh = true
}

// step is stpnState.step for Lanes sequences at once, lane by lane the same
// operations in the same order.
func (k *stpnBlock[T]) step(b *Block, xs [][]float64, e []energy.Paper) {
	s := k.s
	cols, pc := s.cols, s.p1-s.p0
	// z = [x ; h_{t−1}] interleaved; nz lists the columns some lane
	// drives: every lane's zero columns add ±0, so reading only those is
	// exact while every efficacy is finite.
	var nnz [Lanes]int64
	var z2, z1 [Lanes]float64
	k.load(xs, &nnz, &z2, &z1)
	for l, r := range b.runners {
		if r.probe.c != nil {
			r.counts.Reset()
			r.counts.Steps = 1
		}
		nnz, z2, z1 := nnz[l], z2[l], z1[l]
		switch p := &r.probe; {
		case p.c == nil || nnz == 0:
		case p.tiles != nil: // the tiles driven need z itself
			z := r.state.(*stpnState).z
			for c := range z {
				z[c] = float64(k.z[c*Lanes+l])
			}
			p.begin(0, z, s.hidden)
		default:
			p.charge(0, s.hidden, nnz, z2, z1, 1)
		}
	}
	var paper, er [Lanes]T
	for r := range s.hidden {
		acc := (*[Lanes]T)(k.pre[r*Lanes : (r+1)*Lanes])
		k.readRow(r, cols, pc, acc, &er)
		for l, v := range er {
			paper[l] += v
		}
		if k.bias != nil {
			b := k.bias[r]
			for l := range acc {
				acc[l] += b
			}
		}
	}
	k.fresh = false // every row of F has been cleared
	k.activate()
	for l, rn := range b.runners {
		h := rn.state.(*stpnState).h
		for r := range h {
			h[r] = float64(k.h[r*Lanes+l])
		}
		rn.probe.neurons(s.hidden)
		if rn.probe.c != nil {
			rn.probe.c.Arrays[0].Paper += float64(paper[l])
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
	if s.pre == arch.NewHidden && s.in < s.p1 {
		// the hidden columns of u: [max(p0, in), p1)
		lo := max(s.p0, s.in)
		copy(k.u[(lo-s.p0)*Lanes:], k.h[(lo-s.in)*Lanes:(s.p1-s.in)*Lanes])
	}
	if lazy {
		k.pending = true
		return
	}
	k.update(pc, u)
}

// activate sets h = act(pre), lane by lane; tanh takes every lane at once,
// its exponentials vectorised, with math.Tanh's bits (rounded to T).
func (k *stpnBlock[T]) activate() {
	s := k.s
	if p, ok := any(k.pre).([]float64); ok && s.act == arch.Tanh {
		tanhAll(p, k.tz, k.ts)
		copy(k.h, k.pre)
		return
	}
	if s.act == arch.Tanh {
		for i, v := range k.pre {
			k.wide[i] = float64(v)
		}
		tanhAll(k.wide, k.tz, k.ts)
		for i, v := range k.wide {
			k.h[i] = T(v)
		}
		return
	}
	for i, v := range k.pre {
		k.h[i] = T(s.act.Apply(float64(v)))
	}
}

// load writes every lane's presynaptic vector z = [x ; h] (h its state of
// the previous step) into the interleaved k.z, lists in k.nz the columns
// where some lane's z is not zero, in order, and sets what probe.begin
// counts of each lane's z: its nonzero values, Σ z² and Σ |z|, summed in
// begin's order. (The runners' own z is not written: each step of a runner
// builds it afresh.) The hidden part is k.h as it is, interleaved already,
// its sums taken for all lanes at once: a zero adds +0 to sums that are
// never −0, which leaves them as they are.
func (k *stpnBlock[T]) load(xs [][]float64, nnz *[Lanes]int64, z2, z1 *[Lanes]float64) {
	in := k.s.in
	clear(k.z[:in*Lanes])
	driven := k.driven // the inputs some lane drives, 64 to a word
	clear(driven)
	for l, x := range xs {
		dst := k.z[l : l+(in-1)*Lanes+1]
		x = x[:in]
		// The nonzero inputs (few: one of 37 for ART) in order, found
		// 64 at a time.
		for w := range driven {
			base := w * 64
			for m := nonzeroMask(x[base:min(base+64, in)]); m != 0; m &= m - 1 {
				c := base + bits.TrailingZeros64(m)
				if t := T(x[c]); t != 0 {
					dst[c*Lanes] = t
					driven[w] |= m & -m
					nnz[l]++
					v := float64(t)
					z2[l] += v * v
					z1[l] += math.Abs(v)
				}
			}
		}
	}
	k.nz = k.nz[:0]
	for w, m := range driven {
		for ; m != 0; m &= m - 1 {
			k.nz = append(k.nz, int32(w*64+bits.TrailingZeros64(m)))
		}
	}
	h := k.h[:(k.s.cols-in)*Lanes]
	copy(k.z[in*Lanes:], h)
	s2, s1, n := *z2, *z1, *nnz // in registers, not through the pointers
	for c := range k.s.cols - in {
		q := (*[Lanes]T)(h[c*Lanes : c*Lanes+Lanes])
		some := false
		for l, t := range q {
			v := float64(t)
			s2[l] += v * v
			s1[l] += math.Abs(v)
			if t != 0 {
				n[l]++
				some = true
			}
		}
		if some {
			k.nz = append(k.nz, int32(in+c))
		}
	}
	*z2, *z1, *nnz = s2, s1, n
}

// readRow reads row r of every lane: S = W + F and Σ S² in one pass (F
// first brought up to date when its update is pending), then the
// normalised row against z, as stpLayer.fusedRow does for one lane.
func (k *stpnBlock[T]) readRow(r, cols, pc int, acc, paper *[Lanes]T) {
	*acc, *paper = [Lanes]T{}, [Lanes]T{}
	s := k.s
	w := k.w[r*cols : (r+1)*cols]
	row := k.row[:cols*Lanes]
	f := k.f[r*pc*Lanes : (r+1)*pc*Lanes]
	var ss [Lanes]T
	fixed := func(c int, v T) { // a column without F
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
	if k.fresh {
		clear(f)
	}
	if k.pending {
		k.updateRow(r, pc, wp, rp, &ss)
		wp = nil
	}
	if wp != nil && sumSquaresKernel(wp, f, rp, &ss) {
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
	inv := (*[Lanes]T)(k.inv[r*Lanes : (r+1)*Lanes])
	finite, done := false, false
	if s.stp.WeightNorm {
		finite, done = normKernel(&ss, inv)
	}
	if !done {
		finite = true
		for l, v := range ss {
			inv[l] = 1
			if s.stp.WeightNorm {
				inv[l] = 1 / (T(math.Sqrt(float64(v))) + normEps)
			}
			finite = finite && v-v == 0
		}
	}
	cs := k.nz
	if !finite {
		cs = k.all
	}
	if readKernel(row, k.z, cs, inv, acc, paper) {
		return
	}
	for _, c := range cs {
		q := row[int(c)*Lanes : int(c)*Lanes+Lanes]
		zc := k.z[int(c)*Lanes : int(c)*Lanes+Lanes]
		for l, g := range q {
			if s.stp.WeightNorm {
				g *= inv[l]
			}
			acc[l] += g * zc[l]
			paper[l] += zc[l] * zc[l] * T(math.Abs(float64(g)))
		}
	}
}

// scales returns row r's factors of F before its update (1/(‖S_r‖ + ε)
// with weight normalisation, else 1) and the lanes' h_r: views of k.inv
// and k.h (or of ones), read, never written, by the update.
func (k *stpnBlock[T]) scales(r int) (sc, y *[Lanes]T) {
	sc = &k.ones
	if k.s.stp.WeightNorm {
		sc = (*[Lanes]T)(k.inv[r*Lanes : (r+1)*Lanes])
	}
	return sc, (*[Lanes]T)(k.h[r*Lanes : (r+1)*Lanes])
}

// update is plasticity.update for every lane (the stp rule, Hebbian, with
// the "pre" normalisation when the layer normalises), λ and γ read once.
func (k *stpnBlock[T]) update(pc int, u []T) {
	s := k.s
	p := &s.plast
	lo, hi := T(-p.clamp), T(p.clamp)
	clamped := !math.IsInf(p.clamp, 1)
	u = u[:pc*Lanes]
	for r := range s.hidden {
		sc, y := k.scales(r)
		lam := k.lam[r*pc : (r+1)*pc]
		gam := k.gam[r*pc : (r+1)*pc]
		gam = gam[:len(lam)]
		f := k.f[r*pc*Lanes : (r+1)*pc*Lanes]
		// ((f·s)·λ) + γ·(y·u), lane by lane; s = 1 without
		// normalisation, and f·1 is f.
		if !updateKernel(f, u, lam, gam, sc, y) {
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
func (k *stpnBlock[T]) updateRow(r, pc int, wp, rp []T, ss *[Lanes]T) {
	s := k.s
	sc, y := k.scales(r)
	lam := k.lam[r*pc : (r+1)*pc]
	gam := k.gam[r*pc : (r+1)*pc]
	f := k.f[r*pc*Lanes : (r+1)*pc*Lanes]
	if updateSumKernel(wp, f, rp, k.u, lam, gam, sc, y, ss) {
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
func clampLanes[T real](f []T, lo, hi T) {
	for i, v := range f {
		if v < lo {
			f[i] = lo
		} else if v > hi {
			f[i] = hi
		}
	}
}

// The kernels of the block in precision T, where the CPU has them: each
// returns false, having done nothing, when it does not.

func sumSquaresKernel[T real](w, f, row []T, ss *[Lanes]T) bool {
	if !haveKernels4 {
		return false
	}
	switch w := any(w).(type) {
	case []float64:
		sumSquares8(w, any(f).([]float64), any(row).([]float64), any(ss).(*[Lanes]float64))
	case []float32:
		sumSquares8s(w, any(f).([]float32), any(row).([]float32), any(ss).(*[Lanes]float32))
	}
	return true
}

// nonzeroMask returns the bits c where x[c] != 0 (NaN too), len(x) ≤ 64.
func nonzeroMask(x []float64) uint64 {
	if haveKernels4 {
		return nonzero64(x)
	}
	var m uint64
	for c, v := range x {
		if v != 0 {
			m |= 1 << c
		}
	}
	return m
}

// normKernel sets inv = 1/(√ss + ε) and reports whether every ss is
// finite, for float64 (done false, having done nothing, otherwise).
func normKernel[T real](ss, inv *[Lanes]T) (finite, done bool) {
	if !haveKernels4 {
		return false, false
	}
	s, ok := any(ss).(*[Lanes]float64)
	if !ok {
		return false, false
	}
	return norm8(s, any(inv).(*[Lanes]float64), normEps), true
}

func readKernel[T real](row, z []T, nz []int32, inv, acc, paper *[Lanes]T) bool {
	if !haveKernels4 {
		return false
	}
	switch row := any(row).(type) {
	case []float64:
		read8(row, any(z).([]float64), nz, any(inv).(*[Lanes]float64), any(acc).(*[Lanes]float64), any(paper).(*[Lanes]float64))
	case []float32:
		read8s(row, any(z).([]float32), nz, any(inv).(*[Lanes]float32), any(acc).(*[Lanes]float32), any(paper).(*[Lanes]float32))
	}
	return true
}

func updateKernel[T real](f, u, lam, gam []T, sc, y *[Lanes]T) bool {
	if !haveKernels4 {
		return false
	}
	switch f := any(f).(type) {
	case []float64:
		update8(f, any(u).([]float64), any(lam).([]float64), any(gam).([]float64), any(sc).(*[Lanes]float64), any(y).(*[Lanes]float64))
	case []float32:
		update8s(f, any(u).([]float32), any(lam).([]float32), any(gam).([]float32), any(sc).(*[Lanes]float32), any(y).(*[Lanes]float32))
	}
	return true
}

func updateSumKernel[T real](w, f, row, u, lam, gam []T, sc, y, ss *[Lanes]T) bool {
	if !haveKernels4 {
		return false
	}
	switch w := any(w).(type) {
	case []float64:
		updateSum8(w, any(f).([]float64), any(row).([]float64), any(u).([]float64), any(lam).([]float64),
			any(gam).([]float64), any(sc).(*[Lanes]float64), any(y).(*[Lanes]float64), any(ss).(*[Lanes]float64))
	case []float32:
		updateSum8s(w, any(f).([]float32), any(row).([]float32), any(u).([]float32), any(lam).([]float32),
			any(gam).([]float32), any(sc).(*[Lanes]float32), any(y).(*[Lanes]float32), any(ss).(*[Lanes]float32))
	}
	return true
}
