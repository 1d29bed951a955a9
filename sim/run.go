package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/synapse"
	"github.com/neurosim/neurosim/workload"
)

// Pricer charges what each step did in joules; package circuit implements
// it for a hardware design.
type Pricer interface {
	// Locations names the ledger's locations: the network's arrays, then
	// the others the pricer charges (neurons, chip).
	Locations() []string
	// Meter says what the runner must record beyond the counts.
	Meter() synapse.MeterOptions
	// NewDevice returns the device one worker reads through (nil for the
	// ideal arrays of the paper). Devices are not shared between workers; a
	// device with random draws also implements Seeder.
	NewDevice() synapse.Device
	// Charge adds the joules of one step of sequence n to l (whose step is
	// already open). The simulated time attributed to the step is seconds
	// plus periods step periods: a step lasts until the next step of its
	// sequence, and the last step of a sequence, like every step of a
	// clocked (dense) input, lasts one period. Keeping periods apart lets a
	// pricer whose step period is a range charge both ends of it.
	Charge(l *energy.Ledger, n int, a *synapse.Activity, seconds, periods float64)
}

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
	// step_period). A step that comes Δt after the previous one lasts
	// Δt/Period network steps; it must be > 0.
	Period workload.Tick
	// Pricer, when set, charges every step in joules into Result.Ledger.
	Pricer Pricer
	// Clocked says the stream is a dense set at one step per period
	// (workload.FromSet): every step lasts exactly one period.
	Clocked bool
}

// Result is what a run produced. Steps are stored flat: sequence n's are
// [Offsets[n], Offsets[n+1]).
type Result struct {
	N       int
	Classes int
	Offsets []int
	// PerStep is the paper energy of every step.
	PerStep []energy.Paper
	// Ticks is each step's time; Deltas its length in network steps (Δ₁ = 1);
	// Active the number of nonzero inputs it had.
	Ticks  []workload.Tick
	Deltas []float64
	Active []int
	// Logits holds the readout after the last step, [N][Classes]; a sequence
	// with no steps reads out the initial state.
	Logits []float64
	// Predicted is the argmax of each sequence's logits (first maximum on
	// ties, like torch.argmax).
	Predicted []int
	// Ledger holds the joules when a Pricer was given.
	Ledger *energy.Ledger
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
	if err := in.CheckWidth(net.Cell.InputSize()); err != nil {
		return nil, err
	}
	if in.Labels != nil {
		if err := in.CheckLabels(net.Classes); err != nil {
			return nil, err
		}
	}
	if opt.Period <= 0 && !in.Clocked() {
		return nil, fmt.Errorf("sim: step period %d ticks, want > 0", opt.Period)
	}
	res := &Result{N: in.N, Classes: net.Classes, Offsets: make([]int, in.N+1)}
	for n := range in.N {
		res.Offsets[n+1] = res.Offsets[n] + in.SeqLen(n)
	}
	steps := res.Offsets[in.N]
	res.PerStep = make([]energy.Paper, steps)
	res.Ticks = make([]workload.Tick, steps)
	res.Deltas = make([]float64, steps)
	res.Active = make([]int, steps)
	res.Logits = make([]float64, in.N*net.Classes)
	res.Predicted = make([]int, in.N)
	if opt.Pricer != nil {
		res.Ledger = energy.NewLedger(opt.Pricer.Locations(), in.N)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, in.N))
	var (
		next, done atomic.Int64
		mu         sync.Mutex
		wg         sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(net, in.I, opt)
			for {
				n := int(next.Add(1) - 1)
				if n >= in.N || ctx.Err() != nil {
					return
				}
				w.sequence(in, n, res, opt)
				if opt.Progress != nil {
					d := int(done.Add(1))
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
	return res, nil
}

// worker is one goroutine's runner, input buffer and device.
type worker struct {
	r    *synapse.Runner
	x    []float64
	seed Seeder
}

func newWorker(net *synapse.Network, width int, opt Options) *worker {
	w := &worker{r: net.NewRunner(), x: make([]float64, width)}
	if opt.Pricer != nil {
		w.r.Meter(opt.Pricer.Meter())
		if dev := opt.Pricer.NewDevice(); dev != nil {
			w.r.SetDevice(dev)
			w.seed, _ = dev.(Seeder)
		}
	}
	return w
}

func (w *worker) sequence(in *workload.Stream, n int, res *Result, opt Options) {
	w.r.Reset()
	if w.seed != nil {
		w.seed.Seed(n)
	}
	steps := in.SeqLen(n)
	off := res.Offsets[n]
	for k := range steps {
		t := in.Time(n, k) // a clocked stream's time is the step index
		delta := in.Delta(n, k, opt.Period)
		active := in.Input(n, k, w.x)
		res.PerStep[off+k] = w.r.StepFor(w.x, delta)
		res.Ticks[off+k], res.Deltas[off+k], res.Active[off+k] = t, delta, active
		if res.Ledger != nil {
			seconds, periods := 0.0, 1.0
			if k+1 < steps && !opt.Clocked && !in.Clocked() {
				seconds, periods = workload.Seconds(in.Time(n, k+1)-t), 0
			}
			res.Ledger.BeginStep(n)
			opt.Pricer.Charge(res.Ledger, n, w.r.Activity(), seconds, periods)
		}
	}
	logits := res.Logits[n*res.Classes : (n+1)*res.Classes]
	copy(logits, w.r.Logits())
	best := 0
	for c, v := range logits {
		if v > logits[best] {
			best = c
		}
	}
	res.Predicted[n] = best
}
