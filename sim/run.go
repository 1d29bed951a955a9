package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"neurosim/energy"
	"neurosim/synapse"
	"neurosim/workload"
)

// Options tune a run. The zero value runs on every CPU without progress reports.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// Results do not depend on it.
	Workers int
	// Progress, when set, is called after each finished sequence with the
	// number done so far. It is called from worker goroutines, serialised.
	Progress func(done, total int)
}

// Result is what a run produced.
type Result struct {
	N, T    int
	Classes int
	// PerStep holds the paper energy of every step, row-major [N][T].
	PerStep []energy.Paper
	// Logits holds the readout after the last step, row-major [N][Classes].
	Logits []float64
	// Predicted is the argmax of each sequence's logits (first maximum on ties,
	// like torch.argmax).
	Predicted []int
}

// Sequence returns the per-step energies of sequence n.
func (r *Result) Sequence(n int) []energy.Paper { return r.PerStep[n*r.T : (n+1)*r.T] }

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

// MeanPerStep is Total / (N·T), the reference's mean_energy_per_step.
func (r *Result) MeanPerStep() energy.Paper { return r.Total() / energy.Paper(r.N*r.T) }

// StepMeans returns the mean over sequences of the energy at each step t.
func (r *Result) StepMeans() []energy.Paper {
	m := make([]energy.Paper, r.T)
	for n := range r.N {
		for t, e := range r.Sequence(n) {
			m[t] += e
		}
	}
	for t := range m {
		m[t] /= energy.Paper(r.N)
	}
	return m
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

// Run evaluates every sequence of set through net. The set's width must match
// the network's input size; labels, when present, must be valid classes.
func Run(ctx context.Context, net *synapse.Network, set *workload.Set, opt Options) (*Result, error) {
	if err := set.CheckWidth(net.Cell.InputSize()); err != nil {
		return nil, err
	}
	if set.Labels != nil {
		if err := set.CheckLabels(net.Classes); err != nil {
			return nil, err
		}
	}
	res := &Result{
		N: set.N, T: set.T, Classes: net.Classes,
		PerStep:   make([]energy.Paper, set.N*set.T),
		Logits:    make([]float64, set.N*net.Classes),
		Predicted: make([]int, set.N),
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, set.N)
	var (
		next, done atomic.Int64
		mu         sync.Mutex
		wg         sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := net.NewRunner()
			for {
				n := int(next.Add(1) - 1)
				if n >= set.N || ctx.Err() != nil {
					return
				}
				runSequence(r, set, n, res)
				if opt.Progress != nil {
					d := int(done.Add(1))
					mu.Lock()
					opt.Progress(d, set.N)
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

func runSequence(r *synapse.Runner, set *workload.Set, n int, res *Result) {
	r.Reset()
	seq := set.Seq(n)
	out := res.Sequence(n)
	for t := range set.T {
		out[t] = r.Step(seq[t*set.I : (t+1)*set.I])
	}
	logits := res.Logits[n*res.Classes : (n+1)*res.Classes]
	copy(logits, r.Logits())
	best := 0
	for c, v := range logits {
		if v > logits[best] {
			best = c
		}
	}
	res.Predicted[n] = best
}
