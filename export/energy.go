package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/npyfile"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/synapse"
)

// paperUnit names the paper's energy in table headers.
const paperUnit = "paper units, dimensionless"

// Value is a number that may be known only as an interval: it encodes to
// JSON as a number when exact and as [low, high] otherwise.
type Value struct{ Lo, Hi float64 }

// MarshalJSON writes a number or [low, high].
func (v Value) MarshalJSON() ([]byte, error) {
	if v.Lo == v.Hi {
		return json.Marshal(v.Lo)
	}
	return json.Marshal([2]float64{v.Lo, v.Hi})
}

func joules(j energy.Joules) Value { return Value{float64(j.Lo), float64(j.Hi)} }

// EnergyJSON is the stable JSON form of `neurosim energy` (documented in README).
type EnergyJSON struct {
	Checkpoint   string                      `json:"checkpoint"`
	Config       string                      `json:"config"`
	Format       string                      `json:"format"`
	StateKey     string                      `json:"state_key,omitempty"`
	Unit         string                      `json:"unit"`
	HiddenSize   int                         `json:"hidden_size"`
	InputSize    int                         `json:"input_size"`
	Classes      int                         `json:"classes"`
	Synapses     int                         `json:"synapses"`
	Network      string                      `json:"network"`           // art-config, rllib or description
	Observation  []int                       `json:"observation_shape"` // one step's input
	FrontEnd     []LayerJSON                 `json:"front_end,omitempty"`
	Heads        []LayerJSON                 `json:"heads"`
	EveryStep    bool                        `json:"heads_every_step"` // heads read at every step (an agent)
	Scope        string                      `json:"scope"`            // core, or network: what the design prices
	DecayOutside int                         `json:"decay_outside_unit_interval"`
	DecayPlastic int                         `json:"decay_synapses"`
	Design       string                      `json:"design"`
	DesignSource string                      `json:"design_source,omitempty"`
	Corners      int                         `json:"corners"`
	Inputs       string                      `json:"inputs"`
	Labels       string                      `json:"labels,omitempty"`
	Sequences    int                         `json:"sequences"`
	Steps        int                         `json:"steps"`
	TotalJ       Value                       `json:"total_J"`
	PerSeqJ      Value                       `json:"mean_per_sequence_J"`
	BreakdownJ   map[string]Value            `json:"breakdown_J"`
	ByLocationJ  map[string]map[string]Value `json:"by_location_J"`
	Paper        Value                       `json:"paper_energy"`
	PaperPerSeq  Value                       `json:"paper_energy_mean_per_sequence"`
	PaperPerStp  Value                       `json:"paper_energy_mean_per_step"`
	PaperSeqs    []float64                   `json:"paper_energy_per_sequence"`
	PaperAtStep  []float64                   `json:"paper_energy_mean_at_step"`
	GPerUnit     map[string]Value            `json:"g_per_unit_S,omitempty"`
	Accuracy     *Value                      `json:"accuracy,omitempty"`
	Correct      *int                        `json:"correct,omitempty"`
	// The chip budget's keys, when computed (export/budget.go).
	*BudgetJSON
}

// LayerJSON is a front-end layer or a head: its name (tensor prefix) and
// kind, and the shape of its output for one step.
type LayerJSON struct {
	Name  string `json:"name,omitempty"`
	Kind  string `json:"kind"`
	Shape []int  `json:"shape"`
}

func layers(ls []synapse.Layer) []LayerJSON {
	out := make([]LayerJSON, len(ls))
	for i, l := range ls {
		out[i] = LayerJSON{Name: l.Name, Kind: l.Kind, Shape: l.Out}
	}
	return out
}

func breakdown(b *energy.Breakdown) map[string]Value {
	m := map[string]Value{}
	for _, c := range energy.Categories() {
		m[c.String()] = joules(b[c])
	}
	return m
}

// NewEnergyJSON flattens a report into its JSON form. Per-sequence and
// per-step paper energies are those of the first corner.
func NewEnergyJSON(e *report.Energy) EnergyJSON {
	r := e.Result
	steps, _ := r.Rect()
	j := EnergyJSON{
		Checkpoint: e.Model.Checkpoint, Config: e.Model.Config, Format: e.Model.Format.String(),
		StateKey: e.Model.StateKey, Unit: e.Model.Unit.String(), HiddenSize: e.Model.Hidden,
		InputSize: e.Model.Input, Classes: e.Model.Classes, Synapses: e.Model.Synapses,
		Network: e.Model.Source.String(), Observation: e.Net.Obs(), FrontEnd: layers(e.Net.FrontEnd()),
		Heads: layers(e.Net.Heads()), EveryStep: e.Net.EveryStep(), Scope: e.Design.Scope.String(),
		DecayOutside: e.Outside, DecayPlastic: e.Plastic,
		Design: e.Design.Name, DesignSource: e.Design.Source, Corners: len(e.Runs),
		Inputs: e.Input.Name, Labels: e.Input.LabelsName,
		Sequences: r.N, Steps: steps,
		TotalJ: joules(e.Joules.Total), PerSeqJ: joules(e.Joules.MeanPerSequence),
		BreakdownJ: breakdown(&e.Joules.Breakdown), ByLocationJ: map[string]map[string]Value{},
		Paper:       Value(e.Paper),
		PaperPerSeq: Value(e.PaperPerSequence), PaperPerStp: Value(e.PaperPerStep),
		PaperSeqs: make([]float64, r.N),
	}
	for i, loc := range e.Joules.Locations {
		j.ByLocationJ[loc] = breakdown(&e.Joules.ByLocation[i])
	}
	for n := range r.N {
		j.PaperSeqs[n] = float64(r.SequenceEnergy(n))
	}
	for _, v := range r.StepMeans() {
		j.PaperAtStep = append(j.PaperAtStep, float64(v))
	}
	if g := gPerUnit(e); g != nil {
		j.GPerUnit = g
	}
	if e.HasLabels {
		acc := Value(e.Accuracy)
		correct := int(e.Accuracy.Lo*float64(r.N) + 0.5)
		j.Accuracy = &acc
		if e.Accuracy.Lo == e.Accuracy.Hi {
			j.Correct = &correct
		}
	}
	return j
}

// gPerUnit gives the conductance per unit efficacy of each array over the
// corners (calibrated for g_per_unit auto), or nil for digital designs.
func gPerUnit(e *report.Energy) map[string]Value {
	if !e.Design.Synapse.Mapping.Analog() {
		return nil
	}
	m := map[string]Value{}
	for a, name := range e.Joules.Locations[:len(e.Runs[0].Setting.GPerUnit)] {
		v := Value{math.Inf(1), math.Inf(-1)}
		for _, r := range e.Runs {
			g := r.Setting.GPerUnit[a]
			v.Lo, v.Hi = math.Min(v.Lo, g), math.Max(v.Hi, g)
		}
		m[name] = v
	}
	return m
}

// WriteEnergy renders an energy report.
func WriteEnergy(w io.Writer, e *report.Energy, f Format) error {
	switch f {
	case JSON:
		return writeJSON(w, NewEnergyJSON(e))
	case CSV:
		return energyCSV(w, e)
	}
	return energyTable(w, e)
}

// sequenceJoules is the hull over the runs of sequence n's breakdown.
func sequenceJoules(e *report.Energy, n int) energy.Breakdown {
	return e.SequenceJoules(n)
}

// energyCSV writes one row per sequence: label and prediction, the paper
// energy of every step and of the sequence, then the joules of the sequence
// by category and in total (each as _low and _high columns when the design
// has ranges).
func energyCSV(w io.Writer, e *report.Energy) error {
	r := e.Result
	steps, rect := r.Rect()
	ranged := len(e.Runs) > 1 || !e.Joules.Total.IsPoint()
	cw := csv.NewWriter(w)
	head := []string{"sequence", "label", "predicted", "steps"}
	if rect {
		for t := range steps {
			head = append(head, fmt.Sprintf("paper_energy_step_%d", t))
		}
	}
	head = append(head, "paper_energy_sequence")
	jcol := func(name string) {
		if ranged {
			head = append(head, name+"_J_low", name+"_J_high")
		} else {
			head = append(head, name+"_J")
		}
	}
	for _, c := range energy.Categories() {
		jcol(c.String())
	}
	jcol("total")
	if err := cw.Write(head); err != nil {
		return err
	}
	for n := range r.N {
		label := ""
		if e.HasLabels {
			label = strconv.Itoa(e.Input.Labels[n])
		}
		row := []string{strconv.Itoa(n), label, strconv.Itoa(r.Predicted[n]), strconv.Itoa(r.Steps(n))}
		if rect {
			for _, v := range r.Sequence(n) {
				row = append(row, full(float64(v)))
			}
		}
		row = append(row, full(float64(r.SequenceEnergy(n))))
		b := sequenceJoules(e, n)
		put := func(j energy.Joules) {
			row = append(row, full(float64(j.Lo)))
			if ranged {
				row = append(row, full(float64(j.Hi)))
			}
		}
		for _, c := range energy.Categories() {
			put(b[c])
		}
		put(b.Total())
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// corners describes how many runs a design took.
func corners(n int) string {
	if n == 1 {
		return "one run (no ranged device figure)"
	}
	return fmt.Sprintf("%d runs: the ends of its ranged device figures", n)
}

// si formats a quantity with an SI prefix and its unit symbol.
func si(v float64, sym string) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', 4, 64) + " " + sym
	}
	prefixes := []struct {
		p string
		f float64
	}{{"E", 1e18}, {"P", 1e15}, {"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}, {"", 1},
		{"m", 1e-3}, {"µ", 1e-6}, {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}, {"a", 1e-18}, {"z", 1e-21}}
	for i, p := range prefixes {
		if math.Abs(v) >= p.f {
			m := strconv.FormatFloat(v/p.f, 'g', 4, 64)
			if (m == "1000" || m == "-1000") && i > 0 { // rounding reached the next prefix
				return strconv.FormatFloat(v/prefixes[i-1].f, 'g', 4, 64) + " " + prefixes[i-1].p + sym
			}
			return m + " " + p.p + sym
		}
	}
	return strconv.FormatFloat(v, 'g', 4, 64) + " " + sym
}

// siRange formats an interval: one value when exact, "low … high" otherwise.
func siRange(lo, hi float64, sym string) string {
	if lo == hi {
		return si(lo, sym)
	}
	return si(lo, sym) + " … " + si(hi, sym)
}

func jRange(j energy.Joules) string { return siRange(float64(j.Lo), float64(j.Hi), "J") }

func numRange(v report.Interval, scale float64) string {
	if v.Lo == v.Hi {
		return num(scale * v.Lo)
	}
	return num(scale*v.Lo) + " … " + num(scale*v.Hi)
}

func energyTable(w io.Writer, e *report.Energy) error {
	r, m := e.Result, e.Model
	steps, rect := r.Rect()
	shape := fmt.Sprintf("%d sequences × %d steps × %d values", r.N, steps, e.Input.I)
	if obs := e.Net.Obs(); len(obs) > 1 {
		shape = fmt.Sprintf("%d sequences × %d steps × %v", r.N, steps, obs)
	}
	if !rect {
		shape = fmt.Sprintf("%d sequences, %d steps, %d events on %d channels", r.N, len(r.PerStep), e.Input.Events(), e.Input.I)
	}
	rows := [][]string{
		{"checkpoint", m.Checkpoint, ""},
		{"config", m.Config, ""},
		{"recurrent unit", m.Unit.String(), ""},
		{"hidden size", strconv.Itoa(m.Hidden), "neurons"},
		{"synapses", strconv.Itoa(m.Synapses), "per step (readout excluded)"},
	}
	if e.Net.EveryStep() || len(e.Net.FrontEnd()) > 0 {
		rows[len(rows)-1][2] = "per step, the core's (front-end and heads excluded)"
	}
	if fe := e.Net.FrontEnd(); len(fe) > 0 {
		var parts []string
		for _, l := range fe {
			p := l.Kind
			if l.Name != "" {
				p = l.Name
			}
			parts = append(parts, p)
		}
		rows = append(rows, []string{"front-end", strings.Join(parts, " → "),
			fmt.Sprintf("%d values into the core", m.Net.Cell.InputSize())})
	}
	if hs := e.Net.Heads(); len(hs) > 1 || e.Net.EveryStep() {
		var parts []string
		for _, h := range hs {
			parts = append(parts, fmt.Sprintf("%s %d", h.Name, h.Out[0]))
		}
		when := "read after the last step"
		if e.Net.EveryStep() {
			when = "read at every step"
		}
		rows = append(rows, []string{"heads", strings.Join(parts, ", "), "outputs; " + when})
	}
	if e.Net.Whole() {
		rows = append(rows, []string{"scope", "network", "front-end, core and heads priced (the paper energy is the core's)"})
	}
	if e.Plastic > 0 {
		rows = append(rows, []string{"decay λ outside [0, 1]", fmt.Sprintf("%d of %d", e.Outside, e.Plastic),
			"plastic synapses; policy " + e.Design.Plasticity.LambdaOutside.String()})
	}
	rows = append(rows,
		[]string{"inputs", e.Input.Name, shape},
		[]string{"design", e.Design.Name, corners(len(e.Runs))},
	)
	if e.HasLabels {
		rows = append(rows, []string{"accuracy", numRange(e.Accuracy, 100), "% of sequences"})
	}
	rows = append(rows,
		[]string{"paper energy, total", numRange(e.Paper, 1), paperUnit},
		[]string{"paper energy, mean per sequence", numRange(e.PaperPerSequence, 1), paperUnit},
		[]string{"paper energy, mean per step", numRange(e.PaperPerStep, 1), paperUnit},
		[]string{"energy, total", jRange(e.Joules.Total), "all sequences" + paperNote(e)},
		[]string{"energy, mean per sequence", jRange(e.Joules.MeanPerSequence), "J per inference" + paperNote(e)},
	)
	if g := gPerUnit(e); g != nil {
		for _, loc := range e.Joules.Locations {
			if v, ok := g[loc]; ok {
				rows = append(rows, []string{"g_per_unit " + loc, siRange(v.Lo, v.Hi, "S"), "per unit efficacy"})
			}
		}
	}
	if err := table(w, []string{"quantity", "value", "unit"}, rows); err != nil {
		return err
	}
	// Joules by category (columns) and location (rows).
	head := []string{"location"}
	for _, c := range energy.Categories() {
		head = append(head, c.String()+" (J)")
	}
	head = append(head, "total (J)")
	var byLoc [][]string
	add := func(name string, b *energy.Breakdown) {
		row := []string{name}
		for _, c := range energy.Categories() {
			row = append(row, jRange(b[c]))
		}
		byLoc = append(byLoc, append(row, jRange(b.Total())))
	}
	for i, loc := range e.Joules.Locations {
		add(loc, &e.Joules.ByLocation[i])
	}
	add("all", &e.Joules.Breakdown)
	right := make([]int, len(head)-1)
	for i := range right {
		right[i] = i + 1
	}
	if err := table(w, head, byLoc, right...); err != nil {
		return err
	}
	if !rect {
		return nil
	}
	stepRows := make([][]string, steps)
	lo, hi := make([]float64, steps), make([]float64, steps)
	for n := range r.N {
		for t, v := range r.Sequence(n) {
			if n == 0 || float64(v) < lo[t] {
				lo[t] = float64(v)
			}
			if n == 0 || float64(v) > hi[t] {
				hi[t] = float64(v)
			}
		}
	}
	for t, v := range r.StepMeans() {
		stepRows[t] = []string{strconv.Itoa(t), num(float64(v)), num(lo[t]), num(hi[t])}
	}
	return table(w, []string{"step", "mean paper energy (" + paperUnit + ")", "min", "max"}, stepRows, 0, 1, 2, 3)
}

// WritePerStepNPY writes the paper energy of every step as float64 [N, T].
// It needs the same number of steps in every sequence.
func WritePerStepNPY(w io.Writer, e *report.Energy) error {
	r := e.Result
	steps, ok := r.Rect()
	if !ok {
		return fmt.Errorf("sequences have different numbers of steps; use --trace-out for event streams")
	}
	data := make([]float64, len(r.PerStep))
	for i, v := range r.PerStep {
		data[i] = float64(v)
	}
	return npyfile.EncodeFloat64(w, []int{r.N, steps}, data)
}

// WriteLogitsNPY writes the first head's output as float64: for a network
// read out after its last step (the ART network) the readout [N, classes];
// for one that reads its heads at every step (an agent) the action logits
// of every step, [N, T, A] (the run must keep its outputs,
// report.EvalOptions.Outputs).
func WriteLogitsNPY(w io.Writer, e *report.Energy) error {
	r := e.Result
	if !e.Net.EveryStep() {
		return npyfile.EncodeFloat64(w, []int{r.N, r.Classes}, r.Logits)
	}
	return writeHeadNPY(w, e, 0, true)
}

// WriteValueNPY writes the output of the head named "value" at every step
// as float64 [N, T] (an agent's value estimate).
func WriteValueNPY(w io.Writer, e *report.Energy) error {
	h := e.Net.Head("value")
	if h < 0 {
		return fmt.Errorf("the network has no head named value (heads: %s)", headNames(e))
	}
	if !e.Net.EveryStep() {
		return fmt.Errorf("the network reads its heads once, after the last step, not at every step")
	}
	return writeHeadNPY(w, e, h, false)
}

func headNames(e *report.Energy) string {
	var s []string
	for _, h := range e.Net.Heads() {
		s = append(s, h.Name)
	}
	return strings.Join(s, ", ")
}

// writeHeadNPY writes head h at every step as [N, T, size] (or [N, T] for
// a one-output head when !keepLast).
func writeHeadNPY(w io.Writer, e *report.Energy, h int, keepLast bool) error {
	r := e.Result
	steps, ok := r.Rect()
	if !ok {
		return fmt.Errorf("sequences have different numbers of steps; outputs at every step need dense inputs")
	}
	if r.Outputs == nil {
		return fmt.Errorf("the run did not keep the heads' outputs at every step")
	}
	out := r.Outputs[h]
	shape := []int{r.N, steps, len(out) / max(1, len(r.PerStep))}
	if !keepLast && shape[2] == 1 {
		shape = shape[:2]
	}
	return npyfile.EncodeFloat64(w, shape, out)
}

// WriteTrace writes one CSV row per network step: sequence, step, t (s), Δ
// (in step periods, at the low end of a ranged step_period), active inputs,
// the joules of each category (the hull over the design's corners, as
// _low/_high columns when ranged) and the paper energy (first corner).
// Columns are a stable interface (README).
func WriteTrace(w io.Writer, e *report.Energy) error {
	r := e.Result
	ranged := len(e.Runs) > 1 || !e.Joules.Total.IsPoint()
	head := []string{"sequence", "step", "t_s", "delta", "active_inputs"}
	for _, c := range energy.Categories() {
		if ranged {
			head = append(head, c.String()+"_J_low", c.String()+"_J_high")
		} else {
			head = append(head, c.String()+"_J")
		}
	}
	head = append(head, "paper_energy")
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return err
	}
	for n := range r.N {
		for k := range r.Steps(n) {
			i := r.Offsets[n] + k
			b := e.StepJoules(i)
			row := []string{strconv.Itoa(n), strconv.Itoa(k), full(r.Times[i]), full(r.Deltas[i]), strconv.Itoa(r.Active[i])}
			for _, c := range energy.Categories() {
				row = append(row, full(float64(b[c].Lo)))
				if ranged {
					row = append(row, full(float64(b[c].Hi)))
				}
			}
			row = append(row, full(float64(r.PerStep[i])))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
