package export

import (
	"bytes"
	"errors"
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

// EnergyJSON is the stable JSON form of `neurosim energy` (documented in
// README). Every quantity that may be a range is a Value ({low, high}).
type EnergyJSON struct {
	Meta         Meta                        `json:"meta"`
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
	Precision    string                      `json:"precision"` // float64, or float32 (--precision)
	Inputs       string                      `json:"inputs"`
	Labels       string                      `json:"labels,omitempty"`
	Sequences    int                         `json:"sequences"`
	Steps        int                         `json:"steps"`
	TotalJ       Value                       `json:"total_J"`
	PerSeqJ      Value                       `json:"mean_per_sequence_J"`
	BreakdownJ   map[string]Value            `json:"breakdown_J"`
	ByLocationJ  map[string]map[string]Value `json:"by_location_J"`
	GPerUnit     map[string]Value            `json:"g_per_unit_S,omitempty"`
	Paper        Value                       `json:"paper_energy"`
	PaperPerSeq  Value                       `json:"paper_energy_mean_per_sequence"`
	PaperPerStp  Value                       `json:"paper_energy_mean_per_step"`
	PaperSeqs    Values                      `json:"paper_energy_per_sequence"`
	PaperAtStep  []Value                     `json:"paper_energy_mean_at_step"`
	Accuracy     *Value                      `json:"accuracy,omitempty"` // fraction of sequences, 0…1
	Correct      *Value                      `json:"correct,omitempty"`  // sequences
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

func joules(j energy.Joules) Value { return span(j.Lo, j.Hi) }

func breakdown(b *energy.Breakdown) map[string]Value {
	m := map[string]Value{}
	for _, c := range energy.Categories() {
		m[c.String()] = joules(b[c])
	}
	return m
}

// energyMeta is the header of every output of an energy run.
func energyMeta(e *report.Energy, p Provenance) (Meta, error) {
	m, err := newMeta(p, e.Design.Name, e.Design)
	m.Checkpoint, m.Inputs, m.Labels = e.Model.Checkpoint, e.Input.Name, e.Input.LabelsName
	return m, err
}

// NewEnergyJSON flattens a report into its JSON form. Per-sequence and
// per-step paper energies span the design's corners (one corner unless
// device figures are ranges).
func NewEnergyJSON(e *report.Energy, p Provenance) (*EnergyJSON, error) {
	meta, err := energyMeta(e, p)
	if err != nil {
		return nil, err
	}
	r := e.Result
	steps, _ := r.Rect()
	j := &EnergyJSON{
		Meta:       meta,
		Checkpoint: e.Model.Checkpoint, Config: e.Model.Config, Format: e.Model.Format.String(),
		StateKey: e.Model.StateKey, Unit: e.Model.Unit.String(), HiddenSize: e.Model.Hidden,
		InputSize: e.Model.Input, Classes: e.Model.Classes, Synapses: e.Model.Synapses,
		Network: e.Model.Source.String(), Observation: e.Net.Obs(), FrontEnd: layers(e.Net.FrontEnd()),
		Heads: layers(e.Net.Heads()), EveryStep: e.Net.EveryStep(), Scope: e.Design.Scope.String(),
		DecayOutside: e.Outside, DecayPlastic: e.Plastic,
		Design: e.Design.Name, DesignSource: e.Design.Source, Corners: len(e.Runs),
		Precision: e.Precision.String(), Inputs: e.Input.Name, Labels: e.Input.LabelsName,
		Sequences: r.N, Steps: steps,
		TotalJ: joules(e.Joules.Total), PerSeqJ: joules(e.Joules.MeanPerSequence),
		BreakdownJ: breakdown(&e.Joules.Breakdown), ByLocationJ: map[string]map[string]Value{},
		GPerUnit:    gPerUnit(e),
		Paper:       span(e.Paper.Lo, e.Paper.Hi),
		PaperPerSeq: span(e.PaperPerSequence.Lo, e.PaperPerSequence.Hi),
		PaperPerStp: span(e.PaperPerStep.Lo, e.PaperPerStep.Hi),
		PaperSeqs:   sequencePaper(e),
		PaperAtStep: stepMeans(e),
	}
	for i, loc := range e.Joules.Locations {
		j.ByLocationJ[loc] = breakdown(&e.Joules.ByLocation[i])
	}
	if e.HasLabels {
		acc := span(e.Accuracy.Lo, e.Accuracy.Hi)
		// Accuracy is correct/N at every corner: the counts are whole.
		n := float64(r.N)
		correct := Value{math.Round(acc.Lo * n), math.Round(acc.Hi * n)}
		j.Accuracy, j.Correct = &acc, &correct
	}
	return j, validate("report", j)
}

// sequencePaper is the paper energy of each sequence over the corners.
// writeEnergyJSON writes j as writeJSON does, byte for byte, with its list
// of one value per sequence written directly into the indented document
// rather than marshalled, compacted and re-indented by encoding/json (a
// tenth of an h11 benchmark run's time went there).
func writeEnergyJSON(w io.Writer, j *EnergyJSON) error {
	seqs := j.PaperSeqs
	j.PaperSeqs = nil
	b, err := encodeJSON(j)
	j.PaperSeqs = seqs
	if err != nil {
		return err
	}
	const key = "\n  \"paper_energy_per_sequence\": null"
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return fmt.Errorf("export: %q not found in the report", key)
	}
	out := make([]byte, 0, len(b)+len(seqs)*64)
	out = append(out, b[:i+len(key)-len("null")]...)
	out = appendIndented(out, seqs)
	out = append(out, b[i+len(key):]...)
	_, err = w.Write(out)
	return err
}

func sequencePaper(e *report.Energy) Values {
	out := make(Values, e.Result.N)
	for i, run := range e.Runs {
		for n := range out {
			v := float64(run.Result.SequenceEnergy(n))
			if i == 0 {
				out[n] = exact(v)
			} else {
				out[n] = out[n].hull(v)
			}
		}
	}
	return out
}

// stepMeans is the mean paper energy at each step index over the corners.
func stepMeans(e *report.Energy) []Value {
	var out []Value
	for i, run := range e.Runs {
		for t, v := range run.Result.StepMeans() {
			if i == 0 {
				out = append(out, exact(v))
			} else {
				out[t] = out[t].hull(float64(v))
			}
		}
	}
	return out
}

// stepPaper is the paper energy of step t of sequence n over the corners.
func stepPaper(e *report.Energy, i int) Value {
	v := exact(e.Runs[0].Result.PerStep[i])
	for _, run := range e.Runs[1:] {
		v = v.hull(float64(run.Result.PerStep[i]))
	}
	return v
}

// gPerUnit gives the conductance per unit efficacy of each array over the
// corners (calibrated for g_per_unit auto), or nil for digital designs.
func gPerUnit(e *report.Energy) map[string]Value {
	if !e.Design.Synapse.Mapping.Analog() {
		return nil
	}
	m := map[string]Value{}
	for a, name := range e.Joules.Locations[:len(e.Runs[0].Setting.GPerUnit)] {
		v := exact(e.Runs[0].Setting.GPerUnit[a])
		for _, r := range e.Runs[1:] {
			v = v.hull(r.Setting.GPerUnit[a])
		}
		m[name] = v
	}
	return m
}

// WriteEnergy renders an energy report. Every number is checked first: a
// NaN or infinity is a *NonFiniteError and nothing is written.
func WriteEnergy(w io.Writer, e *report.Energy, f Format, p Provenance) error {
	j, err := NewEnergyJSON(e, p)
	if err != nil {
		return err
	}
	switch f {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		return energyCSV(w, e, j.Meta)
	}
	return energyTable(w, e, j, p)
}

// sequenceJoules is the hull over the runs of sequence n's breakdown.
func sequenceJoules(e *report.Energy, n int) energy.Breakdown { return e.SequenceJoules(n) }

// EnergyCSVHeader is the header of `neurosim energy --format csv` for a run
// of the given number of steps per sequence (0: sequences differ in length,
// no per-step columns). It depends on nothing else — not on the design.
func EnergyCSVHeader(steps int) []string {
	head := []string{"sequence", "label", "predicted", "steps"}
	for t := range steps {
		head = lowHigh(head, "paper_energy_step_"+strconv.Itoa(t))
	}
	head = lowHigh(head, "paper_energy_sequence")
	for _, c := range energy.Categories() {
		head = lowHigh(head, c.String()+"_J")
	}
	return lowHigh(head, "total_J")
}

// energyCSV writes one row per sequence: label and prediction (first
// corner), the paper energy of every step and of the sequence, then the
// joules of the sequence by category and in total.
func energyCSV(w io.Writer, e *report.Energy, m Meta) error {
	r := e.Result
	steps, _ := r.Rect()
	c := newCSV(w, "report", m)
	c.row(EnergyCSVHeader(steps))
	for n := range r.N {
		label := ""
		if e.HasLabels {
			label = strconv.Itoa(e.Input.Labels[n])
		}
		row := []string{strconv.Itoa(n), label, strconv.Itoa(r.Predicted[n]), strconv.Itoa(r.Steps(n))}
		put := func(col string, v Value) {
			col = fmt.Sprintf("sequence %d %s", n, col)
			row = append(row, c.num(col+"_low", v.Lo), c.num(col+"_high", v.Hi))
		}
		if steps > 0 {
			for t := range steps {
				put("paper_energy_step_"+strconv.Itoa(t), stepPaper(e, r.Offsets[n]+t))
			}
		}
		paper := exact(e.Runs[0].Result.SequenceEnergy(n))
		for _, run := range e.Runs[1:] {
			paper = paper.hull(float64(run.Result.SequenceEnergy(n)))
		}
		put("paper_energy_sequence", paper)
		b := sequenceJoules(e, n)
		for _, cat := range energy.Categories() {
			put(cat.String()+"_J", joules(b[cat]))
		}
		put("total_J", joules(b.Total()))
		c.row(row)
	}
	return c.close()
}

// corners describes how many runs a design took.
func corners(n int) string {
	if n == 1 {
		return "one run (no ranged device figure)"
	}
	return fmt.Sprintf("%d runs: the ends of its ranged device figures", n)
}

// si formats a quantity with an SI prefix and its unit symbol, the number
// and the unit joined by a no-break space.
func si(v float64, sym string) string {
	if v == 0 || !isFinite(v) {
		return strconv.FormatFloat(v, 'g', 4, 64) + nbsp + sym
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
				return strconv.FormatFloat(v/prefixes[i-1].f, 'g', 4, 64) + nbsp + prefixes[i-1].p + sym
			}
			return m + nbsp + p.p + sym
		}
	}
	return strconv.FormatFloat(v, 'g', 4, 64) + nbsp + sym
}

// siRange formats an interval: one value when exact, "low … high" otherwise
// (a line may break after the ellipsis).
func siRange(lo, hi float64, sym string) string {
	if lo == hi {
		return si(lo, sym)
	}
	return si(lo, sym) + nbsp + "… " + si(hi, sym)
}

func jRange(j energy.Joules) string { return siRange(float64(j.Lo), float64(j.Hi), "J") }

// numRange formats an interval of plain numbers scaled by scale.
func numRange(v Value, scale float64) string {
	if v.Lo == v.Hi {
		return num(scale * v.Lo)
	}
	return num(scale*v.Lo) + nbsp + "… " + num(scale*v.Hi)
}

// fixedRange formats an interval with d decimals.
func fixedRange(v Value, scale float64, d int) string {
	f := func(x float64) string { return strconv.FormatFloat(scale*x, 'f', d, 64) }
	if v.Lo == v.Hi {
		return f(v.Lo)
	}
	return f(v.Lo) + nbsp + "… " + f(v.Hi)
}

func energyTable(w io.Writer, e *report.Energy, j *EnergyJSON, p Provenance) error {
	r, m := e.Result, e.Model
	steps, rect := r.Rect()
	shape := fmt.Sprintf("%d sequences × %d steps × %d values", r.N, steps, e.Input.I)
	if obs := e.Net.Obs(); len(obs) > 1 {
		shape = fmt.Sprintf("%d sequences × %d steps × %v values", r.N, steps, obs)
	}
	if !rect {
		shape = fmt.Sprintf("%d sequences, %d steps, %d events on %d channels", r.N, len(r.PerStep), e.Input.Events(), e.Input.I)
	}
	inputs := e.Input.Name
	if p.InputsNote != "" {
		inputs += " — " + p.InputsNote
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
		[]string{"inputs", inputs, shape},
		[]string{"design", e.Design.Name, corners(len(e.Runs))},
	)
	if e.Precision == synapse.Float32 {
		rows = append(rows, []string{"precision", "float32", "STPN arithmetic"})
	}
	if j.Accuracy != nil {
		rows = append(rows, []string{"accuracy", numRange(*j.Accuracy, 100), "% of sequences"})
	}
	rows = append(rows,
		[]string{"paper energy, total", numRange(j.Paper, 1), paperUnit},
		[]string{"paper energy, mean per sequence", numRange(j.PaperPerSeq, 1), paperUnit},
		[]string{"paper energy, mean per step", numRange(j.PaperPerStp, 1), paperUnit},
		[]string{"energy, total", jRange(e.Joules.Total), "J, all sequences" + paperNote(e)},
		[]string{"energy, mean per sequence", jRange(e.Joules.MeanPerSequence), "J per inference" + paperNote(e)},
	)
	for _, loc := range e.Joules.Locations {
		if v, ok := j.GPerUnit[loc]; ok {
			rows = append(rows, []string{"g_per_unit " + loc, siRange(v.Lo, v.Hi, "S"), "S per unit efficacy"})
		}
	}
	if err := table(w, []string{"quantity", "value", "unit"}, rows); err != nil {
		return err
	}
	if err := locationTable(w, e); err != nil {
		return err
	}
	if !rect {
		return nil
	}
	// Mean, min and max paper energy at each step, over sequences and corners.
	lo, hi := make([]float64, steps), make([]float64, steps)
	for i := range lo {
		lo[i], hi[i] = math.Inf(1), math.Inf(-1)
	}
	for _, run := range e.Runs {
		for n := range r.N {
			for t, v := range run.Result.Sequence(n) {
				lo[t], hi[t] = min(lo[t], float64(v)), max(hi[t], float64(v))
			}
		}
	}
	stepRows := make([][]string, steps)
	for t, v := range j.PaperAtStep {
		stepRows[t] = []string{strconv.Itoa(t), numRange(v, 1), num(lo[t]), num(hi[t])}
	}
	return table(w, []string{"step", "mean paper energy (" + paperUnit + ")",
		"min (paper units)", "max (paper units)"}, stepRows, 0, 1, 2, 3)
}

// locationTable prints the joules by category and location: categories as
// rows, locations as columns (so that it fits the width), or transposed
// when there is no width limit.
func locationTable(w io.Writer, e *report.Energy) error {
	type col struct {
		name string
		b    *energy.Breakdown
	}
	var cols []col
	for i, loc := range e.Joules.Locations {
		cols = append(cols, col{loc, &e.Joules.ByLocation[i]})
	}
	cols = append(cols, col{"all", &e.Joules.Breakdown})
	cats := append(energy.Categories(), energy.NumCategories) // the last is the total
	catName := func(c energy.Category) string {
		if c == energy.NumCategories {
			return "total"
		}
		return c.String()
	}
	cell := func(b *energy.Breakdown, c energy.Category) string {
		if c == energy.NumCategories {
			return jRange(b.Total())
		}
		return jRange(b[c])
	}
	if styleOf(w).Width == 0 {
		head := []string{"location"}
		for _, c := range cats {
			head = append(head, catName(c)+" (J)")
		}
		rows := make([][]string, len(cols))
		right := make([]int, len(cats))
		for i, l := range cols {
			rows[i] = []string{l.name}
			for k, c := range cats {
				rows[i] = append(rows[i], cell(l.b, c))
				right[k] = k + 1
			}
		}
		return table(w, head, rows, right...)
	}
	head := []string{"energy (J)"}
	right := make([]int, len(cols))
	for i, l := range cols {
		head = append(head, l.name)
		right[i] = i + 1
	}
	rows := make([][]string, len(cats))
	for i, c := range cats {
		rows[i] = []string{catName(c)}
		for _, l := range cols {
			rows[i] = append(rows[i], cell(l.b, c))
		}
	}
	return table(w, head, rows, right...)
}

// WritePerStepNPY writes the paper energy of every step (first corner) as
// float64 [N, T]. It needs the same number of steps in every sequence and
// refuses NaN and infinities.
func WritePerStepNPY(w io.Writer, e *report.Energy) error {
	r := e.Result
	steps, ok := r.Rect()
	if !ok {
		return fmt.Errorf("sequences have different numbers of steps; use --trace-out for event streams")
	}
	data := make([]float64, len(r.PerStep))
	for i, v := range r.PerStep {
		if !isFinite(float64(v)) {
			return &NonFiniteError{Output: "per-step energies", Path: fmt.Sprintf("sequence %d step %d", i/max(steps, 1), i%max(steps, 1)), Value: float64(v)}
		}
		data[i] = float64(v)
	}
	return npyfile.EncodeFloat64(w, []int{r.N, steps}, data)
}

// WriteLogitsNPY writes the first head's output (first corner) as
// float64: for a network read out after its last step (the ART network) the
// readout [N, classes]; for one that reads its heads at every step (an
// agent) the action logits of every step, [N, T, A] (the run must keep its
// outputs, report.EvalOptions.Outputs; an ART run its Logits). It refuses NaN and infinities.
func WriteLogitsNPY(w io.Writer, e *report.Energy) error {
	r := e.Result
	if e.Net.EveryStep() {
		return writeHeadNPY(w, e, 0, "logits", true)
	}
	if r.Logits == nil {
		return errors.New("the run did not keep its logits (report.EvalOptions.Logits)")
	}
	for i, v := range r.Logits {
		if !isFinite(v) {
			return &NonFiniteError{Output: "logits", Path: fmt.Sprintf("sequence %d class %d", i/max(r.Classes, 1), i%max(r.Classes, 1)), Value: v}
		}
	}
	return npyfile.EncodeFloat64(w, []int{r.N, r.Classes}, r.Logits)
}

// WriteValueNPY writes the output of the head named "value" at every step
// (first corner) as float64 [N, T] (an agent's value estimate).
func WriteValueNPY(w io.Writer, e *report.Energy) error {
	h := e.Net.Head("value")
	if h < 0 {
		return fmt.Errorf("the network has no head named value (heads: %s)", headNames(e))
	}
	if !e.Net.EveryStep() {
		return fmt.Errorf("the network reads its heads once, after the last step, not at every step")
	}
	return writeHeadNPY(w, e, h, "values", false)
}

func headNames(e *report.Energy) string {
	var s []string
	for _, h := range e.Net.Heads() {
		s = append(s, h.Name)
	}
	return strings.Join(s, ", ")
}

// writeHeadNPY writes head h at every step as [N, T, size] (or [N, T] for
// a one-output head when !keepLast), refusing NaN and infinities.
func writeHeadNPY(w io.Writer, e *report.Energy, h int, what string, keepLast bool) error {
	r := e.Result
	steps, ok := r.Rect()
	if !ok {
		return fmt.Errorf("sequences have different numbers of steps; outputs at every step need dense inputs")
	}
	if r.Outputs == nil {
		return fmt.Errorf("the run did not keep the heads' outputs at every step")
	}
	out := r.Outputs[h]
	size := len(out) / max(1, len(r.PerStep))
	for i, v := range out {
		if !isFinite(v) {
			step := i / max(size, 1)
			return &NonFiniteError{Output: what, Path: fmt.Sprintf("sequence %d step %d output %d", step/max(steps, 1), step%max(steps, 1), i%max(size, 1)), Value: v}
		}
	}
	shape := []int{r.N, steps, size}
	if !keepLast && shape[2] == 1 {
		shape = shape[:2]
	}
	return npyfile.EncodeFloat64(w, shape, out)
}

// TraceCSVHeader is the header of --trace-out.
func TraceCSVHeader() []string {
	head := []string{"sequence", "step", "t_s", "delta", "active_inputs"}
	for _, c := range energy.Categories() {
		head = lowHigh(head, c.String()+"_J")
	}
	return lowHigh(head, "paper_energy")
}

// WriteTrace writes one CSV row per network step after the Meta lines:
// sequence, step, t (s), Δ (in step periods, at the low end of a ranged
// step_period), active inputs, the joules of each category and the paper
// energy, each as _low/_high over the design's corners and price ends.
// Columns are a stable interface (README).
func WriteTrace(w io.Writer, e *report.Energy, p Provenance) error {
	m, err := energyMeta(e, p)
	if err != nil {
		return err
	}
	r := e.Result
	if len(r.Times) != len(r.PerStep) {
		return fmt.Errorf("trace: the run kept no per-step data (report.EvalOptions.KeepSteps)")
	}
	c := newCSV(w, "trace", m)
	c.row(TraceCSVHeader())
	for n := range r.N {
		for k := range r.Steps(n) {
			i := r.Offsets[n] + k
			b := e.StepJoules(i)
			at := fmt.Sprintf("sequence %d step %d ", n, k)
			row := []string{strconv.Itoa(n), strconv.Itoa(k), c.num(at+"t_s", r.Times[i]),
				c.num(at+"delta", r.Deltas[i]), strconv.Itoa(r.Active[i])}
			for _, cat := range energy.Categories() {
				row = append(row, c.num(at+cat.String()+"_J_low", float64(b[cat].Lo)), c.num(at+cat.String()+"_J_high", float64(b[cat].Hi)))
			}
			pe := stepPaper(e, i)
			row = append(row, c.num(at+"paper_energy_low", pe.Lo), c.num(at+"paper_energy_high", pe.Hi))
			c.row(row)
		}
	}
	return c.close()
}
