package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/workload"
)

// RunOptions tune Run.
type RunOptions struct {
	// Workers is the number of sequences simulated in parallel (0: all
	// CPUs). Results do not depend on it.
	Workers int
	// Shard and Shards select a deterministic share of the work: group g
	// (in the order of its first row) belongs to shard g mod Shards.
	// Shards 0 means 1.
	Shard, Shards int
	// Version is neurosim's version, recorded in every result.
	Version string
	// Tasks, when set, is told how many simulations the run will make,
	// before the first; Progress, as each runs, its name ("MODEL at point
	// P") and how many of its sequences are done (the command line's
	// progress line).
	Tasks    func(n int)
	Progress func(simulation string, done, total int)
	// Rows, when set, is told after each row of this shard how many are
	// done of how many, and how many of those were found finished.
	Rows func(done, found, total int)
}

// Stats say what a run did.
type Stats struct {
	Rows        int // rows of this shard
	Found       int // already finished in the results folder
	Computed    int // priced and written by this run
	Simulations int // network runs (each serving a group of rows)
}

// Group is the rows of one model that differ only in prices: one
// simulation serves them all.
type Group struct {
	Model int
	Sim   string
	Rows  []int // indices into Sweep.Rows, ascending
}

// Groups lists the simulation groups in the order of their first row.
func (sw *Sweep) Groups() []Group {
	var groups []Group
	index := map[[2]string]int{}
	for i, r := range sw.Rows {
		k := [2]string{sw.Models[r.Model].key, r.Sim}
		g, ok := index[k]
		if !ok {
			g = len(groups)
			index[k] = g
			groups = append(groups, Group{Model: r.Model, Sim: r.Sim})
		}
		groups[g].Rows = append(groups[g].Rows, i)
	}
	return groups
}

// Run computes the rows of the chosen shard that dir does not hold yet and
// writes the results of each simulation there as soon as they are priced. It first writes
// dir/plan.json (WritePlan, refusing a folder that holds another sweep's plan). Rows
// that need the same simulation are priced from one run, evaluated with the
// union of the counts their prices need (design.SimulationKey,
// circuit.Meter). A cancelled context stops the run between writes; what
// was written stays valid.
func (sw *Sweep) Run(ctx context.Context, dir string, opt RunOptions) (Stats, error) {
	var st Stats
	if opt.Shards <= 0 {
		opt.Shards = 1
	}
	if opt.Shard < 0 || opt.Shard >= opt.Shards {
		return st, fmt.Errorf("shard %d/%d: want 0 ≤ i < n", opt.Shard, opt.Shards)
	}
	if err := sw.WritePlan(dir); err != nil {
		return st, err
	}
	groups := sw.Groups()
	for g := range groups {
		if g%opt.Shards == opt.Shard {
			st.Rows += len(groups[g].Rows)
		}
	}
	done := 0
	tick := func() {
		done++
		if opt.Rows != nil {
			opt.Rows(done, st.Found, st.Rows)
		}
	}
	index, err := loadResults(dir)
	if err != nil {
		return st, err
	}
	// The rows of each group of this shard still to compute.
	pendingOf := make([][]int, len(groups))
	simulations := 0
	for g := range groups {
		if g%opt.Shards != opt.Shard {
			continue
		}
		for _, i := range groups[g].Rows {
			if _, ok := index[sw.Rows[i].Key]; !ok {
				pendingOf[g] = append(pendingOf[g], i)
			}
		}
		if len(pendingOf[g]) > 0 {
			simulations++
		}
	}
	if opt.Tasks != nil {
		opt.Tasks(simulations)
	}
	for g := range groups {
		if g%opt.Shards != opt.Shard {
			continue
		}
		grp := &groups[g]
		pending := pendingOf[g]
		for range len(grp.Rows) - len(pending) {
			st.Found++
			tick()
		}
		if len(pending) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		var progress func(done, total int)
		if opt.Progress != nil {
			first := &sw.Rows[pending[0]]
			name := fmt.Sprintf("%s at point %d", sw.Models[grp.Model].Name, first.Point)
			if sw.Spec.Seeds > 1 {
				name += fmt.Sprintf(" seed %d", first.Seed)
			}
			progress = func(done, total int) { opt.Progress(name, done, total) }
		}
		e, err := sw.simulate(ctx, grp.Model, pending, opt.Workers, progress)
		if err != nil {
			return st, err
		}
		st.Simulations++
		totals := make([]energy.Counts, len(e.Runs))
		for k := range e.Runs {
			totals[k] = e.Runs[k].Result.TotalCounts()
		}
		results := make([]*Result, len(pending))
		for k, i := range pending {
			if results[k], err = sw.price(e, totals, &sw.Rows[i], opt.Version); err != nil {
				return st, err
			}
		}
		if err := writeResults(dir, results); err != nil {
			return st, err
		}
		for _, r := range results {
			index[r.Key] = r
			st.Computed++
			tick()
		}
	}
	return st, nil
}

// simulate runs model mi once under the design of the first pending row,
// counting what every pending row's prices need.
func (sw *Sweep) simulate(ctx context.Context, mi int, rows []int, workers int, progress func(done, total int)) (*report.Energy, error) {
	var meter energy.Meter
	for _, i := range rows {
		meter = meter.Or(circuit.Meter(sw.Rows[i].Design))
	}
	m := sw.Models[mi]
	first := &sw.Rows[rows[0]]
	var (
		set    *workload.Set
		stream *workload.Stream
		err    error
	)
	if sw.Inputs.Timed() {
		if stream, err = sw.Inputs.stream(m.Input); err != nil {
			return nil, err
		}
	} else {
		set = sw.Inputs.Set
	}
	e, err := report.Evaluate(ctx, m.Model, first.Design, set, stream, report.EvalOptions{Workers: workers, Meter: meter, Progress: progress})
	if err != nil {
		return nil, fmt.Errorf("sweep %s: point %d (%s), model %s: %w",
			sw.Spec.File, first.Point, sw.describe(&sw.Points[first.Point]), m.Name, err)
	}
	return e, nil
}

// price turns the counts of e's runs (totals, one per run) into row r's
// result under its design: what (*report.Energy).Reprice does, without its
// checks, which the grouping guarantees (the row's design has e's
// simulation key, and e counted what every row of the group needs).
func (sw *Sweep) price(e *report.Energy, totals []energy.Counts, r *Row, version string) (*Result, error) {
	var (
		bd    energy.Breakdown
		total energy.Joules
	)
	arrays := e.Model.Net.Cell.Arrays()
	for k := range e.Runs { // as report.Energy summarises its runs: hull over corners
		b := circuit.Price(r.Design, &e.Runs[k].Setting, &totals[k])
		if err := circuit.CheckBill(r.Design, arrays, b); err != nil {
			return nil, fmt.Errorf("sweep %s: point %d, model %s: %w", sw.Spec.File, r.Point, sw.Models[r.Model].Name, err)
		}
		t := b.Total()
		if k == 0 {
			bd, total = t, t.Total()
			continue
		}
		bd.Hull(&t)
		total = total.Hull(t.Total())
	}
	m := sw.Models[r.Model]
	res := &Result{
		Format: rowFormat, Key: r.Key, Model: m.Name, Unit: m.Unit.String(), Seed: r.Seed,
		Design: r.Design.Name, DesignHash: r.DesignHash, Version: version,
		Sequences: e.Input.N, Corners: len(e.Runs),
		Total: pair(total), PerInference: pair(total.Times(1 / float64(e.Input.N))),
		Paper:             [2]float64{e.Paper.Lo, e.Paper.Hi},
		PaperPerInference: [2]float64{e.PaperPerSequence.Lo, e.PaperPerSequence.Hi},
		Outside:           e.Outside, Plastic: e.Plastic,
	}
	if t, ok := e.Result.Rect(); ok {
		res.Steps = t
	}
	for c := range bd {
		res.Breakdown[c] = pair(bd[c])
	}
	if e.HasLabels {
		res.Accuracy = &[2]float64{e.Accuracy.Lo, e.Accuracy.Hi}
	}
	for _, v := range append(res.Total[:], res.PerInference[:]...) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("sweep %s: point %d, model %s: energy %v is not finite", sw.Spec.File, r.Point, m.Name, v)
		}
	}
	return res, nil
}

// Plan is what a results folder holds about its sweep (plan.json): enough
// to merge the results into a table, and to show the sweep in a report,
// without the spec's files.
type Plan struct {
	Format     string       `json:"format"`
	Name       string       `json:"name"`
	Spec       string       `json:"spec"` // the spec file's name
	SpecText   string       `json:"spec_text"`
	Inputs     string       `json:"inputs"`
	Timed      bool         `json:"timed"`
	Design     string       `json:"design"` // the base design's name
	DesignHash string       `json:"design_hash"`
	DesignYAML string       `json:"design_yaml"` // with every figure's source
	Mode       string       `json:"mode"`
	Seeds      int          `json:"seeds"`
	Axes       []PlanAxis   `json:"axes"`
	Models     []PlanModel  `json:"models"`
	Points     [][]string   `json:"points"` // each point's values as the design writes them
	PointsSI   [][]*float64 `json:"points_si"`
	Rows       []PlanRow    `json:"rows"`
}

// PlanAxis describes an axis for the table.
type PlanAxis struct {
	Key     string `json:"key"`
	Column  string `json:"column"`
	Unit    string `json:"unit"`
	Numeric bool   `json:"numeric"`
	Whole   bool   `json:"whole"`
}

// PlanModel describes a model.
type PlanModel struct {
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Source   string `json:"source"`
	Hidden   int    `json:"hidden"`
	Synapses int    `json:"synapses"`
}

// PlanRow is one row: indices into Points and Models, its seed and the key
// of its result.
type PlanRow struct {
	Point int    `json:"point"`
	Model int    `json:"model"`
	Seed  uint64 `json:"seed"`
	Key   string `json:"key"`
}

// Plan describes the sweep as plan.json holds it.
func (sw *Sweep) Plan() (*Plan, error) {
	var y bytes.Buffer
	if err := sw.Base.WriteYAML(&y); err != nil {
		return nil, err
	}
	hash, err := sw.Base.Hash()
	if err != nil {
		return nil, err
	}
	s := sw.Spec
	p := &Plan{
		Format: planFormat, Name: s.Name, Spec: filepath.Base(s.File), SpecText: string(s.Text),
		Inputs: sw.Inputs.Name, Timed: sw.Inputs.Timed(),
		Design: sw.Base.Name, DesignHash: hash, DesignYAML: y.String(),
		Mode: "grid", Seeds: s.Seeds,
	}
	if s.Random > 0 {
		p.Mode = fmt.Sprintf("random %d (seed %d)", s.Random, s.RandomSeed)
	}
	for _, ax := range sw.Axes {
		p.Axes = append(p.Axes, PlanAxis{Key: ax.Key, Column: ax.Column, Unit: ax.Unit, Numeric: ax.Numeric, Whole: ax.Whole})
	}
	for _, m := range sw.Models {
		p.Models = append(p.Models, PlanModel{Name: m.Name, Unit: m.Unit.String(), Source: m.Source, Hidden: m.Hidden, Synapses: m.Synapses})
	}
	for _, pt := range sw.Points {
		texts := make([]string, len(pt.Values))
		si := make([]*float64, len(pt.Values))
		for a, v := range pt.Values {
			texts[a] = v.Text
			if !math.IsNaN(v.SI) {
				x := v.SI
				si[a] = &x
			}
		}
		p.Points = append(p.Points, texts)
		p.PointsSI = append(p.PointsSI, si)
	}
	for _, r := range sw.Rows {
		p.Rows = append(p.Rows, PlanRow{Point: r.Point, Model: r.Model, Seed: r.Seed, Key: r.Key})
	}
	return p, nil
}

func (p *Plan) encode() ([]byte, error) {
	data, err := json.MarshalIndent(p, "", " ")
	return append(data, '\n'), err
}

// WritePlan writes dir/plan.json, creating dir, or checks that the one
// there is the same. Run calls it first; a caller may call it before, to
// have the folder to plan outputs in.
func (sw *Sweep) WritePlan(dir string) error {
	p, err := sw.Plan()
	if err != nil {
		return err
	}
	data, err := p.encode()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, pointsDir), 0o755); err != nil {
		return fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	path := filepath.Join(dir, planFile)
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, data):
		return nil
	case err == nil:
		return fmt.Errorf("sweep results %s: holds the plan of another sweep (or of other model, input or design files); "+
			"use another folder, or remove %s to re-plan (finished points in common are kept)", dir, path)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	return nil
}

// ReadPlan reads dir/plan.json.
func ReadPlan(dir string) (*Plan, error) {
	data, err := os.ReadFile(filepath.Join(dir, planFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("sweep results %s: no %s; run `neurosim sweep SPEC --out %s` first", dir, planFile, dir)
		}
		return nil, fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("sweep results %s: %s: %v", dir, planFile, err)
	}
	if p.Format != planFormat {
		return nil, fmt.Errorf("sweep results %s: %s has format %q, want %q", dir, planFile, p.Format, planFormat)
	}
	if len(p.Points) != len(p.PointsSI) {
		return nil, fmt.Errorf("sweep results %s: %s is inconsistent", dir, planFile)
	}
	for _, r := range p.Rows {
		if r.Point < 0 || r.Point >= len(p.Points) || r.Model < 0 || r.Model >= len(p.Models) || len(p.Points[r.Point]) != len(p.Axes) {
			return nil, fmt.Errorf("sweep results %s: %s names a point or model it does not have", dir, planFile)
		}
	}
	return &p, nil
}
