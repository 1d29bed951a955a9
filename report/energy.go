package report

import (
	"context"
	"fmt"
	"math"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/sim"
	"github.com/neurosim/neurosim/synapse"
	"github.com/neurosim/neurosim/workload"
)

// EnergyOptions say what `neurosim energy` evaluates.
type EnergyOptions struct {
	Checkpoint string
	Config     string // "" = config.json beside the checkpoint
	StateKey   string
	Inputs     string // .npy [N,T,I]; "" = Events, or the built-in ART generator
	Events     string // event file (.csv or .npz); exclusive with Inputs
	Labels     string // .npy [N]; optional
	ART        workload.ARTConfig
	Design     string // preset name or YAML file; "" = paper
	Workers    int
	Progress   func(done, total int)
}

// Energy is the result of evaluating one model on one workload under one
// hardware design.
type Energy struct {
	Model  *Model
	Design *circuit.Design
	// Input is what ran; Set is the dense set it came from (nil for events).
	Input *workload.Stream
	Set   *workload.Set
	// Runs holds one run per corner of the design's device figures (one run
	// when nothing that changes the computation is a range).
	Runs []Run
	// Result is the first run's result (the only one for exact designs).
	Result *sim.Result
	// Accuracy is the fraction of correct predictions, over the runs (an
	// interval when device figures are ranges); valid when HasLabels.
	Accuracy  Interval
	HasLabels bool
	// Paper is the total paper energy over the runs; PaperPerSequence and
	// PaperPerStep are its means.
	Paper, PaperPerSequence, PaperPerStep Interval
	// Joules is the run's energy in joules.
	Joules Joules
	// Outside and Plastic count the plastic synapses whose decay factor λ
	// lies outside [0, 1], and all plastic synapses with a decay factor, in
	// the trained model (before the design's lambda_outside policy).
	Outside, Plastic int
}

// Interval is a dimensionless quantity known to lie in [Lo, Hi].
type Interval struct{ Lo, Hi float64 }

func (i Interval) hull(v float64) Interval { return Interval{min(i.Lo, v), max(i.Hi, v)} }

func point(v float64) Interval { return Interval{v, v} }

// Run is the evaluation at one corner of the design.
type Run struct {
	Setting circuit.Setting
	Result  *sim.Result
}

// Joules summarises the ledgers of the runs: each figure is the hull of the
// runs' figures, each of which already spans the design's price ranges.
type Joules struct {
	Locations       []string
	Total           energy.Joules
	MeanPerSequence energy.Joules
	Breakdown       energy.Breakdown   // by category, whole run
	ByLocation      []energy.Breakdown // by location, whole run
}

// RunEnergy loads everything opt names, checks it, and runs it.
func RunEnergy(ctx context.Context, opt EnergyOptions) (*Energy, error) {
	d, err := LoadDesign(opt.Design)
	if err != nil {
		return nil, err
	}
	m, err := LoadModel(opt.Checkpoint, opt.Config, opt.StateKey)
	if err != nil {
		return nil, err
	}
	var (
		set *workload.Set
		in  *workload.Stream
	)
	switch {
	case opt.Inputs != "" && opt.Events != "":
		return nil, fmt.Errorf("give --inputs or --events, not both")
	case opt.Events != "":
		if in, err = workload.LoadEvents(opt.Events, m.Input); err != nil {
			return nil, err
		}
	case opt.Inputs != "":
		if set, err = workload.LoadInputs(opt.Inputs); err != nil {
			return nil, err
		}
	default:
		if set, err = workload.ART(opt.ART); err != nil {
			return nil, err
		}
	}
	if opt.Labels != "" {
		if set != nil {
			err = set.LoadLabels(opt.Labels)
		} else {
			err = in.LoadLabels(opt.Labels)
		}
		if err != nil {
			return nil, err
		}
	}
	return Evaluate(ctx, m, d, set, in, opt.Workers, opt.Progress)
}

// LoadDesign returns the preset or design file name names ("" = paper).
func LoadDesign(name string) (*circuit.Design, error) {
	if name == "" {
		name = PaperDesign
	}
	return circuit.Lookup(name)
}

// PaperDesign is the design that reproduces the paper's accounting.
const PaperDesign = "paper"

func policy(p circuit.LambdaPolicy) synapse.LambdaPolicy {
	switch p {
	case circuit.Clamp:
		return synapse.ClampLambda
	case circuit.Refuse:
		return synapse.RefuseLambda
	}
	return synapse.PerStep
}

// ticks converts a step period in seconds to ticks, for event streams (a
// dense set's clocked stream needs no period in ticks). The period must be a
// whole number of nanoseconds (the time resolution), or Δ would be computed
// from a rounded period while static power is charged on the exact one, and
// below 2^63 ns.
func ticks(d *circuit.Design, sec float64) (workload.Tick, error) {
	t, err := workload.ToTicks(sec)
	if err != nil { // a valid period is positive and finite: it is too long
		return 0, fmt.Errorf("design %s: step_period %g s is longer than an event time can be (2^63 ns, about 292 years)", d.Name, sec)
	}
	if t < 1 || math.Abs(float64(t)-sec*workload.TicksPerSecond) > 1e-6*float64(t) {
		return 0, fmt.Errorf("design %s: step_period %g s is not a whole number of nanoseconds (the time resolution)", d.Name, sec)
	}
	return t, nil
}

// Evaluate runs model m under design d on a dense set (set) or an event
// stream (in): one run per corner of the design's device figures, each
// charged at both ends of its price ranges.
func Evaluate(ctx context.Context, m *Model, d *circuit.Design, set *workload.Set, in *workload.Stream,
	workers int, progress func(int, int)) (*Energy, error) {
	e := &Energy{Model: m, Design: d, Set: set, Input: in}
	e.Outside, e.Plastic = m.Net.DecayOutside()
	net, err := m.Net.WithLambdaPolicy(policy(d.Plasticity.LambdaOutside))
	if err != nil {
		return nil, fmt.Errorf("design %s: checkpoint %s: %w", d.Name, m.Checkpoint, err)
	}
	clocked := set != nil
	if clocked {
		if err := set.CheckWidth(net.Cell.InputSize()); err != nil {
			return nil, err
		}
		e.Input = workload.FromSet(set)
	}
	arrays := net.Cell.Arrays()
	settings := d.Settings(!clocked)
	if len(settings) > 256 {
		return nil, fmt.Errorf("design %s: %d corners of ranged device figures; at most 256 (8 ranges) are evaluated", d.Name, len(settings))
	}
	for _, s := range settings {
		var period workload.Tick // unused by a clocked stream: it steps by index
		if !clocked {
			if period, err = ticks(d, s.StepPeriod); err != nil {
				return nil, err
			}
		}
		opt := sim.Options{Workers: workers, Progress: progress, Period: period, Clocked: clocked}
		if d.Synapse.Mapping.Analog() && d.Synapse.GPerUnitAuto {
			peaks := circuit.NewPeaks(arrays)
			cal := opt
			cal.Pricer, cal.Progress = peaks, nil
			if _, err := sim.Run(ctx, net, e.Input, cal); err != nil {
				return nil, err
			}
			s.Calibrate(peaks.Peak())
		}
		pricer, err := circuit.NewPricer(d, arrays, s)
		if err != nil {
			return nil, err
		}
		opt.Pricer = pricer
		res, err := sim.Run(ctx, net, e.Input, opt)
		if err != nil {
			return nil, err
		}
		e.Runs = append(e.Runs, Run{Setting: pricer.Setting(), Result: res})
	}
	e.summarise()
	return e, nil
}

func (e *Energy) summarise() {
	e.Result = e.Runs[0].Result
	e.HasLabels = e.Input.Labels != nil
	j := &e.Joules
	for i, r := range e.Runs {
		l := r.Result.Ledger
		total := l.Total()
		byLoc := l.ByLocation()
		paper := float64(r.Result.Total())
		acc := math.NaN()
		if e.HasLabels {
			acc = r.Result.Accuracy(e.Input.Labels)
		}
		if i == 0 {
			j.Locations = l.Locations
			j.Breakdown, j.ByLocation = total, byLoc
			e.Paper, e.Accuracy = point(paper), point(acc)
			continue
		}
		j.Breakdown.Hull(&total)
		for k := range byLoc {
			j.ByLocation[k].Hull(&byLoc[k])
		}
		e.Paper, e.Accuracy = e.Paper.hull(paper), e.Accuracy.hull(acc)
	}
	// The total of each run, hulled: tighter than the sum of hulled categories.
	for i, r := range e.Runs {
		total := r.Result.Ledger.Total()
		t := total.Total()
		if i == 0 {
			j.Total = t
		} else {
			j.Total = j.Total.Hull(t)
		}
	}
	j.MeanPerSequence = j.Total.Times(1 / float64(e.Input.N))
	steps := float64(max(1, len(e.Result.PerStep)))
	e.PaperPerSequence = Interval{e.Paper.Lo / float64(e.Input.N), e.Paper.Hi / float64(e.Input.N)}
	e.PaperPerStep = Interval{e.Paper.Lo / steps, e.Paper.Hi / steps}
}
