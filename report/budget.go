package report

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/unit"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
)

// BudgetOptions say at what rate a chip runs and on what battery.
type BudgetOptions struct {
	// Rate is the network steps per second the chip runs at; 0 takes it
	// from the event stream's own timing (steps over the time they span)
	// or, for dense inputs, from the design's step_period (one step per
	// period).
	Rate float64
	// Battery is the energy of a battery (J); 0 for none.
	Battery float64
}

// Budget is the chip budget of an evaluation: tiles, latency, area, power
// at a rate, lifetime of the plastic cells, and which trained decay factors
// a volatile element realises. Every interval spans the design's ranges:
// the hull over its device corners, each at both ends of its prices.
type Budget struct {
	Tiles []ArrayTiles
	// LatencyPerStep and LatencyPerSequence are compute times (s);
	// MaxStepRate = 1/LatencyPerStep (Hz), +Inf when nothing takes time.
	LatencyPerStep, LatencyPerSequence, MaxStepRate Interval
	// Area is the total of AreaBy (m²); AreaBy is empty when the design
	// gives no area figure.
	Area   Interval
	AreaBy []circuit.AreaComponent
	// Rate is the steps per second the budget is taken at and RateFrom
	// where it comes from ("--rate", "event timing", "step_period").
	Rate     float64
	RateFrom string
	// StepsPerSequence is the mean number of network steps per inference.
	StepsPerSequence float64
	// DynamicPerStep is the mean energy per step without static power;
	// PerStep adds static power over one step at Rate; PerInference is the
	// energy of one sequence at Rate (J).
	DynamicPerStep, PerStep, PerInference energy.Joules
	// Power = DynamicPerStep·Rate + static power (W).
	Power Interval
	// EDP is the energy-delay product per inference: PerInference ×
	// LatencyPerSequence (J·s).
	EDP Interval
	// SynopsPerJoule is synaptic operations per joule of one inference.
	SynopsPerJoule Interval
	// BatteryLife is Battery / Power (s); valid when HasBattery.
	BatteryLife Interval
	HasBattery  bool
	// Lifetime is the endurance of the plastic cells at Rate (nil when the
	// design gives no endurance or the network has no plastic cells).
	Lifetime *Lifetime
	// STP says which trained decay factors the volatile element realises
	// (nil when the design gives no retention or nothing decays).
	STP *STPRealisable
	// RateAboveMax is set when Rate exceeds the maximum step rate.
	RateAboveMax bool
}

// ArrayTiles is one synaptic array's tiles.
type ArrayTiles struct {
	Array string
	circuit.Tiles
}

// Lifetime is how long the plastic cells last at a rate: endurance ÷
// writes per cell per second. +Inf where a cell is never written.
type Lifetime struct {
	Worst, Median Interval // s
	// WorstWrites and MedianWrites are writes per cell per step.
	WorstWrites, MedianWrites Interval
}

// STPRealisable counts the plastic synapses whose trained λ needs a
// retention τ = −step_period/ln λ inside the design's retention range
// (an interval when step_period or the corners vary it).
type STPRealisable struct {
	Synapses   int
	Realisable Interval
	Outside    int // λ outside [0, 1]: no passive element realises them
}

// NewBudget computes the chip budget of an evaluation.
func NewBudget(e *Energy, opt BudgetOptions) (*Budget, error) {
	if opt.Rate < 0 || math.IsNaN(opt.Rate) || math.IsInf(opt.Rate, 0) {
		return nil, fmt.Errorf("rate %v steps/s: want a finite positive number", opt.Rate)
	}
	if opt.Battery < 0 || math.IsNaN(opt.Battery) || math.IsInf(opt.Battery, 0) {
		return nil, fmt.Errorf("battery %v J: want a finite positive energy", opt.Battery)
	}
	d := e.Design
	arrays := e.Net.Arrays()
	b := &Budget{}
	for _, a := range arrays {
		b.Tiles = append(b.Tiles, ArrayTiles{Array: a.Name, Tiles: circuit.ArrayTiles(d, a)})
	}
	total := e.Runs[0].Result.TotalCounts()
	steps := float64(max(total.Steps, 1))
	b.StepsPerSequence = steps / float64(e.Input.N)

	// Rate: the flag, the stream's own timing, or the design's clock.
	switch {
	case opt.Rate > 0:
		b.Rate, b.RateFrom = opt.Rate, "--rate"
	case e.Set == nil:
		// Events: steps over the time they span (the last step of each
		// sequence lasting one step period, as static power is charged).
		span := total.Seconds + total.Periods*d.StepPeriod.Lo
		b.Rate, b.RateFrom = steps/span, "event timing"
	default:
		b.Rate, b.RateFrom = 1/d.StepPeriod.Lo, "step_period"
	}
	if math.IsInf(b.Rate, 0) || !(b.Rate > 0) {
		return nil, fmt.Errorf("design %s: no finite step rate (step_period %g s)", d.Name, d.StepPeriod.Lo)
	}

	for k := range e.Runs {
		r := &e.Runs[k]
		c := r.Result.TotalCounts()
		lat := circuit.StepLatency(d, arrays, &c)
		dyn := r.Bill.Total()
		dyn[energy.Static] = energy.Joules{}
		perStep := dyn.Total().Times(1 / float64(max(c.Steps, 1)))
		b.hull(k == 0, lat, perStep)
	}
	n := b.StepsPerSequence
	b.LatencyPerSequence = Interval{Lo: b.LatencyPerStep.Lo * n, Hi: b.LatencyPerStep.Hi * n}
	b.MaxStepRate = Interval{Lo: 1 / b.LatencyPerStep.Hi, Hi: 1 / b.LatencyPerStep.Lo}
	b.RateAboveMax = b.Rate > b.MaxStepRate.Hi

	static := energy.Joules{Lo: unit.Energy(d.StaticPower.Lo / b.Rate), Hi: unit.Energy(d.StaticPower.Hi / b.Rate)}
	b.PerStep = b.DynamicPerStep.Plus(static)
	b.PerInference = b.PerStep.Times(n)
	b.Power = Interval{Lo: float64(b.DynamicPerStep.Lo)*b.Rate + d.StaticPower.Lo,
		Hi: float64(b.DynamicPerStep.Hi)*b.Rate + d.StaticPower.Hi}
	b.EDP = Interval{Lo: float64(b.PerInference.Lo) * b.LatencyPerSequence.Lo, Hi: float64(b.PerInference.Hi) * b.LatencyPerSequence.Hi}
	synops := float64(0)
	for _, a := range total.Arrays {
		synops += float64(a.SynOps)
	}
	synops /= float64(e.Input.N)
	b.SynopsPerJoule = Interval{Lo: synops / float64(b.PerInference.Hi), Hi: synops / float64(b.PerInference.Lo)}
	if opt.Battery > 0 {
		b.HasBattery = true
		b.BatteryLife = Interval{Lo: opt.Battery / b.Power.Hi, Hi: opt.Battery / b.Power.Lo}
	}

	b.AreaBy = circuit.ChipArea(d, arrays)
	for i, c := range b.AreaBy {
		if i == 0 {
			b.Area = Interval(c.Area)
		} else {
			b.Area = Interval{Lo: b.Area.Lo + c.Area.Lo, Hi: b.Area.Hi + c.Area.Hi}
		}
	}
	b.Lifetime = lifetime(e, b.Rate)
	b.STP = realisable(e)
	for _, q := range []struct {
		what, unit string
		v          Interval
	}{
		{"latency per step", "s", b.LatencyPerStep}, {"latency per inference", "s", b.LatencyPerSequence},
		{"area", "m²", b.Area}, {"power", "W", b.Power}, {"energy per inference", "J", Interval{Lo: float64(b.PerInference.Lo), Hi: float64(b.PerInference.Hi)}},
		{"energy-delay product", "J·s", b.EDP},
	} {
		if math.IsInf(q.v.Hi, 0) || math.IsNaN(q.v.Hi) || math.IsNaN(q.v.Lo) {
			return nil, fmt.Errorf("design %s: the %s overflows float64 (+Inf %s): a design figure is too large for this workload",
				d.Name, q.what, q.unit)
		}
	}
	return b, nil
}

// hull widens the per-run figures (the first run sets them).
func (b *Budget) hull(first bool, lat design.Range, perStep energy.Joules) {
	if first {
		b.LatencyPerStep, b.DynamicPerStep = Interval(lat), perStep
		return
	}
	b.LatencyPerStep = b.LatencyPerStep.Hull(Interval(lat))
	b.DynamicPerStep = b.DynamicPerStep.Hull(perStep)
}

// lifetime is endurance ÷ writes per cell per second at rate, worst cell
// and median, hulled over the runs.
func lifetime(e *Energy, rate float64) *Lifetime {
	d := e.Design
	end := d.Plasticity.Endurance
	if end == (design.Range{}) || e.Plastic == 0 {
		return nil
	}
	arrays := e.Net.Arrays()
	var lt *Lifetime
	for k := range e.Runs {
		c := e.Runs[k].Result.TotalCounts()
		steps := float64(max(c.Steps, 1))
		var perCell []float64 // writes per step of every plastic cell
		for i, a := range arrays {
			if a.Plastic == 0 {
				continue
			}
			m := &c.Arrays[i]
			if d.Plasticity.Element == design.Rewrite || m.CellWrites == nil {
				// A rewrite element writes every plastic cell each update.
				w := float64(m.Rewrites) / float64(a.Plastic) / steps
				for range a.Plastic {
					perCell = append(perCell, w)
				}
				continue
			}
			for _, w := range m.CellWrites {
				perCell = append(perCell, float64(w)/steps)
			}
		}
		if len(perCell) == 0 {
			return nil
		}
		slices.Sort(perCell)
		worst := perCell[len(perCell)-1]
		median := perCell[len(perCell)/2]
		if len(perCell)%2 == 0 {
			median = (perCell[len(perCell)/2-1] + perCell[len(perCell)/2]) / 2
		}
		life := func(w float64) Interval {
			return Interval{Lo: end.Lo / (w * rate), Hi: end.Hi / (w * rate)} // +Inf where w = 0
		}
		l := Lifetime{Worst: life(worst), Median: life(median), WorstWrites: point(worst), MedianWrites: point(median)}
		if lt == nil {
			lt = &l
			continue
		}
		lt.Worst, lt.Median = lt.Worst.Hull(l.Worst), lt.Median.Hull(l.Median)
		lt.WorstWrites, lt.MedianWrites = lt.WorstWrites.Hull(l.WorstWrites), lt.MedianWrites.Hull(l.MedianWrites)
	}
	return lt
}

// realisable counts the trained decay factors the design's retention range
// realises, at both ends of step_period.
func realisable(e *Energy) *STPRealisable {
	d := e.Design
	lam := e.Model.Net.DecayFactors()
	if d.Plasticity.Retention == (design.Range{}) || len(lam) == 0 {
		return nil
	}
	lo := circuit.CountRealisable(lam, d.StepPeriod.Lo, d.Plasticity.Retention)
	hi := circuit.CountRealisable(lam, d.StepPeriod.Hi, d.Plasticity.Retention)
	return &STPRealisable{
		Synapses: lo.Synapses, Outside: lo.Outside,
		Realisable: Interval{Lo: float64(min(lo.Realisable, hi.Realisable)), Hi: float64(max(lo.Realisable, hi.Realisable))},
	}
}
