package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/synapse"
	"github.com/neurosim/neurosim/workload"
)

// Seeder is a device whose random draws (read noise) restart from a stream
// of their own for every sequence, so that results do not depend on which
// worker ran which sequence.
type Seeder interface {
	Seed(sequence int)
}

// Options tune a run.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// Results do not depend on it.
	Workers int
	// Progress, when set, is called after each finished sequence with the
	// number done so far. Calls are serialised.
	Progress func(done, total int)
	// Period is the duration of one network step in ticks (the design's
	// step_period), for event streams: a step that comes Δt after the
	// previous one lasts Δt/Period network steps. It must be finite and
	// > 0 unless the run is Clocked. It is a float64 so that no step period
	// overflows the tick arithmetic.
	Period float64
	// Clocked says the stream is run at one step per period: step k is at
	// k periods and lasts exactly one period (Δ ≡ 1), whatever its
	// timestamps, which are not used. A dense set's stream
	// (workload.FromSet) is always run so.
	Clocked bool
	// StepSeconds is the step period in seconds; a clocked step k is at
	// k·StepSeconds (Result.Times).
	StepSeconds float64
	// Meter, when set, makes the run count what every step did
	// (Result.Counts), filling what it asks beyond the event counts.
	Meter *energy.Meter
	// Device, when set, returns the device one worker reads through; each
	// worker gets its own. A device with random draws also implements
	// Seeder.
	Device func() synapse.Device
	// Tiling splits reads over crossbar tiles: presynaptic inputs per row
	// tile, per array (synapse.Runner.SetTiling); nil for untiled arrays.
	Tiling []int
	// KeepSteps keeps each step's counts (Result.StepCounts, with Meter)
	// and timing (Result.Ticks, Deltas, Active): what a per-step trace
	// needs, and nothing else does.
	KeepSteps bool
	// Outputs keeps every head's output at every step (Result.Outputs) of
	// a network that reads its heads at every step (an agent's action
	// logits and value).
	Outputs bool
	// Logits keeps every sequence's readout (Result.Logits); without it a
	// run keeps only the predicted class, so that N sequences do not hold
	// N·classes values nobody asked for.
	Logits bool
	// Precision is the arithmetic of the lock-step kernel. Float32 is
	// refused (an error, never a float64 run) unless every sequence can run
	// through it: a dense set, a network with a lock-step kernel, read
	// ideally.
	Precision synapse.Precision
}

// Result is what a run produced. Steps are stored flat: sequence n's are
// [Offsets[n], Offsets[n+1]).
type Result struct {
	N       int
	Classes int
	Offsets []int
	// PerStep is the paper energy of every step.
	PerStep []energy.Paper
	// Times is each step's time in seconds from the stream's origin (for a
	// clocked stream k·period); Deltas its length in network steps (Δ₁ = 1);
	// Active the number of nonzero inputs it had (Options.KeepSteps).
	Times  []float64
	Deltas []float64
	Active []int
	// Logits holds the first head's output after the last step (the
	// readout), [N][Classes], when Options.Logits asked for it (else nil);
	// a sequence with no steps reads out the initial state.
	Logits []float64
	// Outputs holds, per head, its output at every step, flat like PerStep
	// ([steps][head size]), when Options.Outputs asked for them and the
	// network reads its heads at every step; else nil.
	Outputs [][]float64
	// Predicted is the argmax of each sequence's logits (first maximum on
	// ties, like torch.argmax).
	Predicted []int
	// Counts holds what each sequence did (Options.Meter), summed over its
	// steps in order; StepCounts what each step did (Options.KeepSteps),
	// flat like PerStep.
	Counts     []energy.Counts
	StepCounts []energy.Counts
	// cellWrites are the writes of every plastic cell over the whole run
	// (Meter.Cells), per array: kept once for the run, not per sequence,
	// since only their totals matter (endurance).
	cellWrites [][]int64
}

// TotalCounts is what the whole run did, summed sequence by sequence in
// order (zero counts when the run was not metered); with Meter.Cells its
// arrays carry the writes of every plastic cell.
func (r *Result) TotalCounts() energy.Counts {
	t := energy.Sum(r.Counts)
	for a, cw := range r.cellWrites {
		if cw != nil && a < len(t.Arrays) {
			t.Arrays[a].CellWrites = append([]int64(nil), cw...)
		}
	}
	return t
}

// Steps is the number of steps of sequence n.
func (r *Result) Steps(n int) int { return r.Offsets[n+1] - r.Offsets[n] }

// Rect returns the common number of steps of every sequence, if there is one.
func (r *Result) Rect() (int, bool) {
	t := r.Steps(0)
	for n := 1; n < r.N; n++ {
		if r.Steps(n) != t {
			return 0, false
		}
	}
	return t, true
}

// Sequence returns the per-step energies of sequence n.
func (r *Result) Sequence(n int) []energy.Paper { return r.PerStep[r.Offsets[n]:r.Offsets[n+1]] }

// SequenceEnergy returns the total paper energy of sequence n, summed in step order.
func (r *Result) SequenceEnergy(n int) energy.Paper {
	var s energy.Paper
	for _, e := range r.Sequence(n) {
		s += e
	}
	return s
}

// Total is the paper energy of the whole batch, summed sequence by sequence in order.
func (r *Result) Total() energy.Paper {
	var s energy.Paper
	for n := range r.N {
		s += r.SequenceEnergy(n)
	}
	return s
}

// MeanPerSequence is Total / N.
func (r *Result) MeanPerSequence() energy.Paper { return r.Total() / energy.Paper(r.N) }

// MeanPerStep is Total divided by the number of steps, the reference's
// mean_energy_per_step for dense inputs.
func (r *Result) MeanPerStep() energy.Paper {
	if len(r.PerStep) == 0 {
		return 0
	}
	return r.Total() / energy.Paper(len(r.PerStep))
}

// StepMeans returns, for each step index t, the mean over the sequences that
// have a step t of its energy.
func (r *Result) StepMeans() []energy.Paper {
	var sum []energy.Paper
	var cnt []int
	for n := range r.N {
		for t, e := range r.Sequence(n) {
			if t == len(sum) {
				sum, cnt = append(sum, 0), append(cnt, 0)
			}
			sum[t] += e
			cnt[t]++
		}
	}
	for t := range sum {
		sum[t] /= energy.Paper(cnt[t])
	}
	return sum
}

// Accuracy is the fraction of sequences whose prediction equals its label.
func (r *Result) Accuracy(labels []int) float64 {
	ok := 0
	for n, l := range labels {
		if r.Predicted[n] == l {
			ok++
		}
	}
	return float64(ok) / float64(len(labels))
}

// Run evaluates every sequence of in through net. The stream's width must
// match the network's input size; labels, when present, must be valid classes.
//
// A sequence's steps are taken in time order. Step k lasts
// Δ_k = (t_k − t_{k−1})/Period network steps (Δ₁ = 1); between steps no
// neuron is evaluated and hidden states hold, while every decay factor λ in
// [0, 1] acts as λ^Δ_k (synapse.Runner.StepFor). A dense set run through
// workload.FromSet has Δ ≡ 1 and is the reference model exactly.
func Run(ctx context.Context, net *synapse.Network, in *workload.Stream, opt Options) (*Result, error) {
	if err := in.CheckWidth(net.InputSize()); err != nil {
		return nil, err
	}
	if in.Labels != nil {
		if err := in.CheckLabels(net.Classes); err != nil {
			return nil, err
		}
	}
	opt.Clocked = opt.Clocked || in.Clocked()
	if !opt.Clocked && (!(opt.Period > 0) || math.IsInf(opt.Period, 1)) {
		return nil, fmt.Errorf("sim: step period %g ticks, want a finite number > 0", opt.Period)
	}
	res := &Result{N: in.N, Classes: net.Classes, Offsets: make([]int, in.N+1)}
	for n := range in.N {
		res.Offsets[n+1] = res.Offsets[n] + in.SeqLen(n)
	}
	steps := res.Offsets[in.N]
	res.PerStep = make([]energy.Paper, steps)
	if opt.KeepSteps {
		res.Times = make([]float64, steps)
		res.Deltas = make([]float64, steps)
		res.Active = make([]int, steps)
	}
	if opt.Logits {
		res.Logits = make([]float64, in.N*net.Classes)
	}
	res.Predicted = make([]int, in.N)
	if opt.Outputs && net.EveryStep() {
		for _, h := range net.Heads() {
			res.Outputs = append(res.Outputs, make([]float64, steps*h.Out[0]))
		}
	}
	arrays := len(net.Arrays())
	if opt.Meter != nil {
		res.Counts = energy.NewCountsList(in.N, arrays)
		if opt.KeepSteps {
			res.StepCounts = energy.NewCountsList(steps, arrays)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, in.N))
	// A clocked set whose network has a lock-step kernel runs Lanes
	// sequences at a time; each gives its own bits either way.
	ws := make([]*worker, workers)
	for i := range ws {
		ws[i] = newWorker(net, in.I, opt)
	}
	group := 1
	if ws[0].blk != nil {
		group = synapse.Lanes
	}
	if opt.Precision == synapse.Float32 {
		if err := float32Run(opt, ws[0].blk != nil); err != nil {
			return nil, err
		}
	}
	var (
		next, done atomic.Int64
		mu         sync.Mutex
		wg         sync.WaitGroup
		failed     error // the failure of the lowest-numbered sequence
		failedAt   = in.N
	)
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(int64(group)) - int64(group))
				if n >= in.N || ctx.Err() != nil {
					return
				}
				ns := min(group, in.N-n)
				var at int
				var err error
				if group > 1 {
					at, err = w.lanes(in, n, ns, res, opt)
				} else {
					at, err = n, w.sequence(in, n, res, opt)
				}
				if err != nil {
					// Report the first failing sequence in sequence order, so
					// the message does not depend on the worker count.
					mu.Lock()
					if at < failedAt {
						failed, failedAt = err, at
					}
					mu.Unlock()
					continue
				}
				if opt.Progress != nil {
					d := int(done.Add(int64(ns)))
					mu.Lock()
					opt.Progress(d, in.N)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("run interrupted: %w", err)
	}
	// Integer sums: the order of the workers does not matter.
	for _, w := range ws {
		for a, cw := range w.cells {
			if cw == nil {
				continue
			}
			if res.cellWrites == nil {
				res.cellWrites = make([][]int64, len(w.cells))
			}
			if res.cellWrites[a] == nil {
				res.cellWrites[a] = make([]int64, len(cw))
			}
			for i, v := range cw {
				res.cellWrites[a][i] += v
			}
		}
	}
	if failed != nil {
		return nil, failed
	}
	return res, nil
}

// float32Run says why a run cannot be taken in float32, if it cannot:
// only the lock-step kernel has a float32 path, and every sequence must
// run through it.
func float32Run(opt Options, lockstep bool) error {
	const only = "precision float32: only the STPN lock-step kernel runs in float32 (the paper's STPN layer, no front-end, read ideally, on a dense input set)"
	switch {
	case !opt.Clocked:
		return fmt.Errorf("%s; an event stream runs in float64", only)
	case !lockstep:
		return fmt.Errorf("%s; this network or design runs in float64 (drop --precision)", only)
	}
	return nil // a dense set's sequences are of one length: all run lock-step
}

// NumericError is a run that left the range of float64: a paper energy, a
// cell current or an output became NaN or infinite.
type NumericError struct {
	Sequence, Step int    // 0-based
	Quantity       string // what became non-finite
	Value          float64
}

func (e *NumericError) Error() string {
	return fmt.Sprintf("sequence %d, step %d: %s is %v — an input or a design figure drives float64 arithmetic out of range",
		e.Sequence, e.Step, e.Quantity, e.Value)
}

// worker is one goroutine's runner (or block of runners in lock-step),
// input buffers and devices.
type worker struct {
	r     *synapse.Runner
	x     []float64
	seed  Seeder
	every bool // the network reads its heads at every step
	// blk steps Lanes sequences of a clocked set in lock-step when the
	// network has a kernel for it and nothing needs its synapses one by
	// one (nil otherwise); xs are its lanes' inputs.
	blk *synapse.Block
	xs  [][]float64
	// cells adds up the writes of every plastic cell over the sequences
	// this worker ran, per array (Meter.Cells).
	cells [][]int64
}

func newWorker(net *synapse.Network, width int, opt Options) *worker {
	w := &worker{x: make([]float64, width), every: net.EveryStep()}
	w.r, w.seed = configure(net.NewRunner(), opt)
	if opt.Clocked {
		blk := net.NewBlockPrecision(opt.Precision)
		for l := range synapse.Lanes {
			configure(blk.Runner(l), opt)
		}
		if blk.Reset(); blk.Lockstep() {
			w.blk = blk
			for range synapse.Lanes {
				w.xs = append(w.xs, make([]float64, width))
			}
		}
	}
	return w
}

// configure sets a runner up as opt asks: meter, tiling, device.
func configure(r *synapse.Runner, opt Options) (*synapse.Runner, Seeder) {
	var seed Seeder
	if opt.Meter != nil {
		r.Meter(*opt.Meter)
	}
	if opt.Tiling != nil {
		r.SetTiling(opt.Tiling)
	}
	if opt.Device != nil {
		if dev := opt.Device(); dev != nil {
			r.SetDevice(dev)
			seed, _ = dev.(Seeder)
		}
	}
	return r, seed
}

func finite(v float64) bool { return v-v == 0 }

func (w *worker) sequence(in *workload.Stream, n int, res *Result, opt Options) error {
	w.r.Reset()
	if w.seed != nil {
		w.seed.Seed(n)
	}
	for k := range in.SeqLen(n) {
		delta := 1.0
		if k > 0 && !opt.Clocked {
			delta = float64(in.Time(n, k)-in.Time(n, k-1)) / opt.Period
			if math.IsInf(delta, 1) { // a period of almost no ticks
				return &NumericError{Sequence: n, Step: k, Quantity: "the step's length in periods", Value: delta}
			}
		}
		active := in.Input(n, k, w.x)
		e := w.r.StepFor(w.x, delta)
		if err := w.record(w.r, in, n, k, e, delta, active, res, opt); err != nil {
			return err
		}
	}
	return w.finish(w.r, in, n, res)
}

// lanes runs sequences n … n+ns−1 (ns ≤ Lanes) of a clocked set in
// lock-step; lanes past the set run on zeros and are not recorded. It
// returns the first failing sequence and its error.
func (w *worker) lanes(in *workload.Stream, n, ns int, res *Result, opt Options) (int, error) {
	T := in.SeqLen(n)
	for l := 1; l < ns; l++ {
		if in.SeqLen(n+l) != T {
			// Not one length: one at a time.
			for i := n; i < n+ns; i++ {
				if err := w.sequence(in, i, res, opt); err != nil {
					return i, err
				}
			}
			return n, nil
		}
	}
	w.blk.Reset()
	var e [synapse.Lanes]energy.Paper
	var errs [synapse.Lanes]error
	var active [synapse.Lanes]int
	for k := range T {
		for l, x := range w.xs {
			switch {
			case l < ns && opt.KeepSteps:
				active[l] = in.Input(n+l, k, x)
			case l < ns: // the active count is kept only with the steps
				in.Values(n+l, k, x)
			default:
				clear(x)
			}
		}
		w.blk.Step(w.xs, e[:])
		for l := range ns {
			if errs[l] == nil {
				errs[l] = w.record(w.blk.Runner(l), in, n+l, k, e[l], 1, active[l], res, opt)
			}
		}
	}
	for l := range ns {
		if errs[l] == nil {
			errs[l] = w.finish(w.blk.Runner(l), in, n+l, res)
		}
		if errs[l] != nil {
			return n + l, errs[l]
		}
	}
	return n, nil
}

// record keeps what step k of sequence n did on runner r: its paper
// energy e, head outputs, timing (a step of length delta with active
// nonzero inputs) and counts.
func (w *worker) record(r *synapse.Runner, in *workload.Stream, n, k int, e energy.Paper, delta float64, active int, res *Result, opt Options) error {
	off := res.Offsets[n]
	if !finite(float64(e)) {
		return &NumericError{Sequence: n, Step: k, Quantity: "the paper energy", Value: float64(e)}
	}
	res.PerStep[off+k] = e
	for h, out := range res.Outputs {
		v := r.Head(h)
		copy(out[(off+k)*len(v):], v)
	}
	if opt.KeepSteps {
		t := workload.Seconds(in.Time(n, k))
		if opt.Clocked {
			t = float64(k) * opt.StepSeconds
		}
		res.Times[off+k], res.Deltas[off+k], res.Active[off+k] = t, delta, active
	}
	if res.Counts != nil {
		c := r.Counts()
		for a := range c.Arrays {
			if m := &c.Arrays[a]; !finite(m.CellZ2) || !finite(m.CellZ1) {
				return &NumericError{Sequence: n, Step: k, Quantity: "the cell current sum Σ z²·G", Value: m.CellZ2}
			}
		}
		// A step lasts until the next step of its sequence; the last
		// step, like every step of a clocked input, one period.
		if k+1 < in.SeqLen(n) && !opt.Clocked {
			c.Seconds = workload.Seconds(in.Time(n, k+1) - in.Time(n, k))
		} else {
			c.Periods = 1
		}
		w.add(res, n, off+k, c)
	}
	return nil
}

// add adds counts c of sequence n (at flat step i, or none: −1) to the
// result; the per-cell writes go to the worker's run-wide totals.
func (w *worker) add(res *Result, n, i int, c *energy.Counts) {
	var cells [][]int64
	for a := range c.Arrays {
		cw := c.Arrays[a].CellWrites
		if cw == nil {
			continue
		}
		if cells == nil {
			cells = make([][]int64, len(c.Arrays))
		}
		cells[a], c.Arrays[a].CellWrites = cw, nil
		if w.cells == nil {
			w.cells = make([][]int64, len(c.Arrays))
		}
		if w.cells[a] == nil {
			w.cells[a] = make([]int64, len(cw))
		}
		for j, v := range cw {
			w.cells[a][j] += v
		}
	}
	res.Counts[n].Add(c)
	if res.StepCounts != nil && i >= 0 {
		res.StepCounts[i].Add(c)
	}
	for a, cw := range cells {
		if cw != nil {
			c.Arrays[a].CellWrites = cw
		}
	}
}

// finish reads sequence n's logits out of runner r after its last step.
func (w *worker) finish(r *synapse.Runner, in *workload.Stream, n int, res *Result) error {
	steps := in.SeqLen(n)
	off := res.Offsets[n]
	logits := r.Logits() // the runner's own slice, until its next step
	if res.Logits != nil {
		copy(res.Logits[n*res.Classes:(n+1)*res.Classes], logits)
	}
	if res.Counts != nil && !w.every {
		// The readout of a network read once per sequence, when its heads
		// are metered (a design whose scope is the whole network).
		i := -1
		if steps > 0 {
			i = off + steps - 1
		}
		w.add(res, n, i, r.Counts())
	}
	best := 0
	for c, v := range logits {
		if !finite(v) {
			return &NumericError{Sequence: n, Step: steps - 1, Quantity: fmt.Sprintf("logit %d", c), Value: v}
		}
		if v > logits[best] {
			best = c
		}
	}
	res.Predicted[n] = best
	return nil
}
