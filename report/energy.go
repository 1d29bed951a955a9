package report

import (
	"context"
	"fmt"
	"math"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/interval"
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
	// KeepSteps keeps per-step joules (a --trace-out trace).
	KeepSteps bool
	// Outputs keeps every head's output at every step (an agent's logits
	// and value at every step).
	Outputs bool
	// Logits keeps every sequence's readout (a --logits-out file).
	Logits bool
	// Precision is the arithmetic of the STPN lock-step kernel
	// (sim.Options.Precision).
	Precision synapse.Precision
}

// Energy is the result of evaluating one model on one workload under one
// hardware design.
type Energy struct {
	Model  *Model
	Design *design.Design
	// Net is the network as the design runs it: its λ policy applied, and
	// its arrays those the design's scope prices.
	Net *synapse.Network
	// Precision is the arithmetic the STPN layer ran in.
	Precision synapse.Precision
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
	// Meter is what the runs counted beyond the event counts: what the
	// design's prices need, and what EvalOptions.Meter asked.
	Meter energy.Meter
	// Outside and Plastic count the plastic synapses whose decay factor λ
	// lies outside [0, 1], and all plastic synapses with a decay factor, in
	// the trained model (before the design's lambda_outside policy).
	Outside, Plastic int
}

// Interval is a dimensionless quantity known to lie in [Lo, Hi].
type Interval = interval.Range[float64]

func point(v float64) Interval { return interval.Point(v) }

// Run is the evaluation at one corner of the design: what the network did
// (Result, with its counts) and what that cost.
type Run struct {
	Setting circuit.Setting
	Result  *sim.Result
	// Bill is the joules of the whole run by location, each figure spanning
	// the design's price ranges.
	Bill energy.Bill
}

// Joules summarises the runs' bills: each figure is the hull of the runs'
// figures, each of which already spans the design's price ranges.
type Joules struct {
	Locations       []string
	Total           energy.Joules
	MeanPerSequence energy.Joules
	Breakdown       energy.Breakdown   // by category, whole run
	ByLocation      []energy.Breakdown // by location, whole run
}

// EvalOptions tune Evaluate.
type EvalOptions struct {
	Workers  int
	Progress func(done, total int)
	// Meter asks for counts beyond what the design's prices need (the
	// write counts of a break-even analysis, those of a price sweep).
	Meter energy.Meter
	// KeepSteps keeps per-step counts and timing (a per-step trace).
	KeepSteps bool
	// Outputs keeps every head's output at every step (sim.Options.Outputs).
	Outputs bool
	// Logits keeps every sequence's readout (sim.Options.Logits).
	Logits bool
	// Precision is the arithmetic of the STPN lock-step kernel
	// (sim.Options.Precision).
	Precision synapse.Precision
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
	return Evaluate(ctx, m, d, set, in, EvalOptions{Workers: opt.Workers, Progress: opt.Progress,
		KeepSteps: opt.KeepSteps, Outputs: opt.Outputs, Logits: opt.Logits, Precision: opt.Precision})
}

// LoadDesign returns the preset or design file name names ("" = paper).
func LoadDesign(name string) (*design.Design, error) {
	if name == "" {
		name = PaperDesign
	}
	return design.Lookup(name)
}

// PaperDesign is the design that reproduces the paper's accounting.
const PaperDesign = "paper"

// ticks converts a step period in seconds to ticks (ns). Kept as a float64,
// it cannot overflow; it must be a whole number of nanoseconds (the time
// resolution of event streams), or Δ would be computed from a rounded period
// while static power is charged on the exact one.
func ticks(d *design.Design, sec float64) (float64, error) {
	t := sec * workload.TicksPerSecond
	if math.IsInf(t, 0) || !(t >= 1) {
		return 0, fmt.Errorf("design %s: step_period %g s is outside what can be simulated (1 ns … %g s)", d.Name, sec, math.MaxFloat64/workload.TicksPerSecond)
	}
	if r := math.Round(t); math.Abs(r-t) > 1e-6*r {
		return 0, fmt.Errorf("design %s: step_period %g s is not a whole number of nanoseconds (the time resolution)", d.Name, sec)
	}
	return math.Round(t), nil
}

// Evaluate runs model m under design d on a dense set (set) or an event
// stream (in): one run per corner of the design's device figures, each
// priced at both ends of its price ranges.
func Evaluate(ctx context.Context, m *Model, d *design.Design, set *workload.Set, in *workload.Stream, opt EvalOptions) (*Energy, error) {
	e := &Energy{Model: m, Design: d, Set: set, Input: in, Precision: opt.Precision}
	e.Outside, e.Plastic = m.Net.DecayOutside()
	net, err := circuit.Prepare(m.Net, d)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", m.Checkpoint, err)
	}
	clocked := set != nil
	e.Net = net
	if clocked {
		obs := set.Obs
		if obs == nil {
			obs = []int{set.I}
		}
		if err := net.CheckObs("inputs "+set.Name, obs); err != nil {
			return nil, err
		}
		// A clocked run takes its time from the step period, not from the
		// stream's timestamps: one tick per step cannot overflow.
		e.Input = workload.FromSet(set)
	}
	arrays := net.Arrays()
	settings := circuit.Settings(d, !clocked)
	if len(settings) > 256 {
		return nil, fmt.Errorf("design %s: %d corners of ranged device figures; at most 256 (8 ranges) are evaluated", d.Name, len(settings))
	}
	meter := circuit.Meter(d).Or(opt.Meter)
	e.Meter = meter
	// Calibration depends on timing only through Δ and on the device only
	// through its decay, so it is kept by step period and retention.
	type calKey struct{ period, retention, variation float64 }
	peaks := map[calKey][]float64{}
	tiling := circuit.Tiling(d, arrays)
	for _, s := range settings {
		// With a device retention the network runs with its cells' own decay.
		run, err := circuit.Retain(net, d, &s)
		if err != nil {
			return nil, fmt.Errorf("design %s: checkpoint %s: %w", d.Name, m.Checkpoint, err)
		}
		// Event streams need the period in ticks for Δ; a clocked run only
		// counts steps, whatever their length.
		period := math.NaN()
		if !clocked {
			if period, err = ticks(d, s.StepPeriod); err != nil {
				return nil, err
			}
		}
		so := sim.Options{Workers: opt.Workers, Progress: opt.Progress, Period: period, Clocked: clocked,
			StepSeconds: s.StepPeriod, Meter: &meter, KeepSteps: opt.KeepSteps, Tiling: tiling, Outputs: opt.Outputs, Logits: opt.Logits,
			Precision: opt.Precision}
		if d.Synapse.Mapping.Analog() && d.Synapse.GPerUnitAuto {
			key := calKey{s.StepPeriod, s.Retention, s.RetentionVariation}
			if clocked && s.Retention == 0 {
				key.period = 0
			}
			peak, ok := peaks[key]
			if !ok {
				if peak, err = calibrate(ctx, run, e.Input, so); err != nil {
					return nil, fmt.Errorf("design %s: checkpoint %s: %w", d.Name, m.Checkpoint, err)
				}
				peaks[key] = peak
			}
			s.Calibrate(peak)
		}
		chip, err := circuit.NewChip(d, arrays, s)
		if err != nil {
			return nil, err
		}
		so.Device = chip.NewDevice
		res, err := sim.Run(ctx, run, e.Input, so)
		if err != nil {
			return nil, fmt.Errorf("design %s: checkpoint %s: %w", d.Name, m.Checkpoint, err)
		}
		r := Run{Setting: chip.Setting(), Result: res}
		total := res.TotalCounts()
		r.Bill = circuit.Price(d, &r.Setting, &total)
		if err := circuit.CheckBill(d, arrays, r.Bill); err != nil {
			return nil, err
		}
		e.Runs = append(e.Runs, r)
	}
	e.summarise()
	return e, nil
}

// calibrate runs the ideal model once to find each array's largest
// |efficacy| (the calibration of g_per_unit auto).
func calibrate(ctx context.Context, net *synapse.Network, in *workload.Stream, so sim.Options) ([]float64, error) {
	so.Meter, so.Progress, so.KeepSteps, so.Device, so.Outputs, so.Logits = &energy.Meter{Peak: true}, nil, false, nil, false, false
	res, err := sim.Run(ctx, net, in, so)
	if err != nil {
		return nil, err
	}
	total := res.TotalCounts()
	peak := make([]float64, len(total.Arrays))
	for a := range total.Arrays {
		peak[a] = total.Arrays[a].Peak
	}
	return peak, nil
}

func (e *Energy) summarise() {
	e.Result = e.Runs[0].Result
	e.HasLabels = e.Input.Labels != nil
	j := &e.Joules
	names := make([]string, 0, len(e.Net.Arrays()))
	for _, a := range e.Net.Arrays() {
		names = append(names, a.Name)
	}
	j.Locations = energy.Locations(names)
	for i, r := range e.Runs {
		total := r.Bill.Total()
		paper := float64(r.Result.Total())
		acc := math.NaN()
		if e.HasLabels {
			acc = r.Result.Accuracy(e.Input.Labels)
		}
		if i == 0 {
			j.Breakdown, j.ByLocation = total, append([]energy.Breakdown(nil), r.Bill...)
			j.Total = total.Total()
			e.Paper, e.Accuracy = point(paper), point(acc)
			continue
		}
		j.Breakdown.Hull(&total)
		energy.Bill(j.ByLocation).Hull(r.Bill)
		// The total of each run, hulled: tighter than the sum of hulled categories.
		j.Total = j.Total.Hull(total.Total())
		e.Paper, e.Accuracy = e.Paper.With(paper), e.Accuracy.With(acc)
	}
	j.MeanPerSequence = j.Total.Times(1 / float64(e.Input.N))
	steps := float64(max(1, len(e.Result.PerStep)))
	e.PaperPerSequence = Interval{Lo: e.Paper.Lo / float64(e.Input.N), Hi: e.Paper.Hi / float64(e.Input.N)}
	e.PaperPerStep = Interval{Lo: e.Paper.Lo / steps, Hi: e.Paper.Hi / steps}
}

// SequenceJoules is sequence n's energy by category: the hull over the
// runs of its counts priced under the design.
func (e *Energy) SequenceJoules(n int) energy.Breakdown {
	return e.hull(func(r *sim.Result) *energy.Counts { return &r.Counts[n] })
}

// StepJoules is the energy of step i (flat index, as in sim.Result.PerStep)
// by category, hulled over the runs; it needs EvalOptions.KeepSteps.
func (e *Energy) StepJoules(i int) energy.Breakdown {
	return e.hull(func(r *sim.Result) *energy.Counts { return &r.StepCounts[i] })
}

// hull prices the counts each run's result gives and hulls them.
func (e *Energy) hull(counts func(*sim.Result) *energy.Counts) energy.Breakdown {
	var b energy.Breakdown
	for k := range e.Runs {
		r := &e.Runs[k]
		t := circuit.Price(e.Design, &r.Setting, counts(r.Result)).Total()
		if k == 0 {
			b = t
		} else {
			b.Hull(&t)
		}
	}
	return b
}

// Reprice prices the counts of every run again under design p, which must
// differ from the evaluated design only in prices (design.SimulationKey) and
// need no count the runs did not keep: the joules of a price change, one
// bill per run, without simulating again.
func (e *Energy) Reprice(p *design.Design) ([]energy.Bill, error) {
	timed := e.Set == nil
	if design.SimulationKey(p, timed) != design.SimulationKey(e.Design, timed) {
		return nil, fmt.Errorf("design %s differs from %s in figures that change the simulation, not only in prices", p.Name, e.Design.Name)
	}
	if need := circuit.Meter(p); need.Or(e.Meter) != e.Meter {
		return nil, fmt.Errorf("design %s needs counts (%+v) the run of %s did not keep (%+v)", p.Name, need, e.Design.Name, e.Meter)
	}
	bills := make([]energy.Bill, len(e.Runs))
	for i := range e.Runs {
		r := &e.Runs[i]
		total := r.Result.TotalCounts()
		bills[i] = circuit.Price(p, &r.Setting, &total)
		if err := circuit.CheckBill(p, e.Net.Arrays(), bills[i]); err != nil {
			return nil, err
		}
	}
	return bills, nil
}
