package report

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"slices"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
)

// FeasibilityOptions say which grid a feasibility map covers.
type FeasibilityOptions struct {
	Design string // "" = stp-diffusive
	// STPN names the plastic model ("" = the first STPNr model of the set);
	// Versus the models it is compared with (nil = every other model).
	STPN   string
	Versus []string
	// Models selects the set's model folders by a pattern (CompareOptions.Models).
	Models string
	// Writes are the energies of one STP write event (J) and Taus the
	// retention time constants of the volatile element (s), the two axes.
	Writes, Taus []float64
	Workers      int
	Progress     func(done, total int)
}

// Feasibility is a 2-D map over write energy × device retention τ: STPN's
// energy relative to each other model, and accuracy, on the same inputs
// and chip. A change of τ is a device change (a run per τ, every cell
// decaying by its own exp(−Δt/τ_cell)); a change of write energy is a
// price (re-priced from the run's counts).
type Feasibility struct {
	Set       string
	Design    *design.Design
	Sequences int
	STPN      string
	Versus    []string
	Writes    []float64 // J per write event, columns
	Taus      []float64 // s, rows
	// Ratio[v][i][j] is STPN's mean joules per sequence over model v's at
	// τ = Taus[i] and write energy Writes[j], low end by low end and high
	// by high over the design's ranges, reported low to high.
	Ratio [][][]Interval
	// Accuracy[i] is STPN's accuracy at Taus[i]; VersusAccuracy[v][i]
	// model v's.
	Accuracy       []Interval
	VersusAccuracy [][]Interval
	// HasLabels says the set has labels, so accuracies (an agent set has
	// none: its accuracies are NaN).
	HasLabels bool
}

// MaxFeasibilityPoints bounds each axis of the grid.
const MaxFeasibilityPoints = 64

// RunFeasibility evaluates a feasibility map over the models of a fixture
// set held in fsys (as Compare reads it).
func RunFeasibility(ctx context.Context, fsys fs.FS, name string, opt FeasibilityOptions) (*Feasibility, error) {
	if opt.Design == "" {
		opt.Design = "stp-diffusive"
	}
	base, err := LoadDesign(opt.Design)
	if err != nil {
		return nil, err
	}
	for _, axis := range []struct {
		what string
		v    []float64
	}{{"write energies", opt.Writes}, {"retention times", opt.Taus}} {
		if len(axis.v) == 0 || len(axis.v) > MaxFeasibilityPoints {
			return nil, fmt.Errorf("feasibility: %d %s; want 1 to %d", len(axis.v), axis.what, MaxFeasibilityPoints)
		}
	}
	for _, tau := range opt.Taus {
		if !(tau > 0) || math.IsInf(tau, 0) {
			return nil, fmt.Errorf("feasibility: retention τ %g s; want a finite time above 0", tau)
		}
	}
	members, set, err := readSet(fsys, name, opt.Models)
	if err != nil {
		return nil, err
	}
	models := make([]*Model, len(members))
	for i, mb := range members {
		if models[i], err = mb.model(fsys, name); err != nil {
			return nil, err
		}
	}
	f := &Feasibility{Set: name, Design: base, Sequences: set.N, Writes: opt.Writes, Taus: opt.Taus,
		HasLabels: set.Labels != nil}
	var stpn *Model
	for _, m := range models {
		if (opt.STPN == "" && m.Unit == arch.STPNr && stpn == nil) || m.Name == opt.STPN {
			stpn = m
		}
	}
	if stpn == nil {
		return nil, fmt.Errorf("set %s: no STPN model %q (models: %s)", name, opt.STPN, modelNames(models))
	}
	f.STPN = stpn.Name
	var versus []*Model
	for _, m := range models {
		if m == stpn || (opt.Versus != nil && !slices.Contains(opt.Versus, m.Name)) {
			continue
		}
		versus = append(versus, m)
		f.Versus = append(f.Versus, m.Name)
	}
	for _, v := range opt.Versus {
		if !slices.Contains(f.Versus, v) {
			return nil, fmt.Errorf("set %s: no model %q to compare with (models: %s)", name, v, modelNames(models))
		}
	}
	if len(versus) == 0 {
		return nil, fmt.Errorf("set %s: no model to compare %s with", name, stpn.Name)
	}
	f.Ratio = make([][][]Interval, len(versus))
	f.VersusAccuracy = make([][]Interval, len(versus))
	for v := range versus {
		f.Ratio[v] = make([][]Interval, len(opt.Taus))
	}
	total := len(opt.Taus) * (1 + len(versus))
	done := 0
	// A model without decaying synapses runs the same at every τ.
	fixed := map[*Model][]energy.Joules{}
	var fixedAcc = map[*Model]Interval{}
	for i, tau := range opt.Taus {
		d := *base
		d.Plasticity.Retention = design.Point(tau)
		if err := d.Validate(); err != nil {
			return nil, err
		}
		eval := func(m *Model) ([]energy.Joules, Interval, error) {
			e, err := Evaluate(ctx, m, &d, set, nil, EvalOptions{Workers: opt.Workers, Meter: energy.Meter{Writes: true}})
			if err != nil {
				return nil, Interval{}, err
			}
			js, err := perWrite(e, &d, opt.Writes)
			return js, e.Accuracy, err
		}
		sj, sacc, err := eval(stpn)
		if err != nil {
			return nil, err
		}
		f.Accuracy = append(f.Accuracy, sacc)
		done++
		progress(opt.Progress, done, total)
		for v, m := range versus {
			vj, vacc, ok := fixed[m], fixedAcc[m], false
			if vj != nil {
				ok = true
			}
			if !ok {
				if vj, vacc, err = eval(m); err != nil {
					return nil, err
				}
				if m.Net.DecayFactors() == nil {
					fixed[m], fixedAcc[m] = vj, vacc
				}
			}
			f.VersusAccuracy[v] = append(f.VersusAccuracy[v], vacc)
			row := make([]Interval, len(opt.Writes))
			for j := range opt.Writes {
				lo, hi := float64(sj[j].Lo/vj[j].Lo), float64(sj[j].Hi/vj[j].Hi)
				row[j] = Interval{Lo: min(lo, hi), Hi: max(lo, hi)}
			}
			f.Ratio[v][i] = row
			done++
			progress(opt.Progress, done, total)
		}
	}
	return f, nil
}

func progress(p func(int, int), done, total int) {
	if p != nil {
		p(done, total)
	}
}

// perWrite re-prices an evaluation at each write energy per event: mean
// joules per sequence, hulled over the runs.
func perWrite(e *Energy, d *design.Design, writes []float64) ([]energy.Joules, error) {
	out := make([]energy.Joules, len(writes))
	for j, w := range writes {
		p := *d
		p.Plasticity.WriteEnergyPerEvent = design.Point(w)
		bills, err := e.Reprice(&p)
		if err != nil {
			return nil, err
		}
		for k, b := range bills {
			t := b.Total().Total()
			if k == 0 {
				out[j] = t
			} else {
				out[j] = out[j].Hull(t)
			}
		}
		out[j] = out[j].Times(1 / float64(e.Input.N))
	}
	return out, nil
}

func modelNames(ms []*Model) string {
	var s string
	for i, m := range ms {
		if i > 0 {
			s += ", "
		}
		s += m.Name
	}
	return s
}

// LogSpace returns n values from lo to hi, evenly spaced in log (lo alone
// when n is 1): lo·(hi/lo)^f, or lo^(1−f)·hi^f when the ratio overflows
// float64 (1e-200 to 1e200), whose factors lie between lo and hi or 1.
func LogSpace(lo, hi float64, n int) []float64 {
	if n <= 1 {
		return []float64{lo}
	}
	out := make([]float64, n)
	r := hi / lo
	for i := range out {
		f := float64(i) / float64(n-1)
		if math.IsInf(r, 0) {
			out[i] = math.Pow(lo, 1-f) * math.Pow(hi, f)
		} else {
			out[i] = lo * math.Pow(r, f)
		}
	}
	out[0], out[n-1] = lo, hi
	return out
}
