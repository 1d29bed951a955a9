package export

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/report"
)

// BudgetJSON is the chip budget in the JSON of `neurosim energy` (its keys
// sit beside the energy keys). Ranges use Value's form; a quantity that is
// unbounded (a cell never written, a step that takes no time) is null.
type BudgetJSON struct {
	Tiles              map[string]int   `json:"tiles,omitempty"`
	LatencyPerStep     Value            `json:"latency_per_step_s"`
	LatencyPerSequence Value            `json:"latency_per_sequence_s"`
	MaxStepRate        *Value           `json:"max_step_rate_Hz"`
	Area               *Value           `json:"area_m2,omitempty"`
	AreaBy             map[string]Value `json:"area_by_component_m2,omitempty"`
	Rate               float64          `json:"rate_Hz"`
	RateFrom           string           `json:"rate_from"`
	RateAboveMax       bool             `json:"rate_above_max_step_rate,omitempty"`
	Power              Value            `json:"power_W"`
	PerStep            Value            `json:"energy_per_step_J"`
	PerInference       Value            `json:"energy_per_inference_J"`
	EDP                Value            `json:"energy_delay_product_J_s"`
	SynopsPerJ         *Value           `json:"synops_per_J"`
	BatteryLife        *Value           `json:"battery_life_s,omitempty"`
	Lifetime           *LifetimeJSON    `json:"lifetime_s,omitempty"`
	STP                *STPJSON         `json:"stp_realisable,omitempty"`
}

// LifetimeJSON is the lifetime of the plastic cells (s): the worst cell
// and the median cell; null where a cell is never written.
type LifetimeJSON struct {
	Worst  *Value `json:"worst"`
	Median *Value `json:"median"`
}

// STPJSON counts the plastic synapses a volatile element realises.
type STPJSON struct {
	Synapses   int   `json:"synapses"`
	Realisable Value `json:"realisable"`
	Outside    int   `json:"outside_unit_interval"`
}

// bounded is v as a Value, or nil when an end is not finite.
func bounded(v report.Interval) *Value {
	if math.IsInf(v.Lo, 0) || math.IsInf(v.Hi, 0) || math.IsNaN(v.Lo) || math.IsNaN(v.Hi) {
		return nil
	}
	x := Value(v)
	return &x
}

// NewBudgetJSON flattens a budget.
func NewBudgetJSON(b *report.Budget, tiled bool) *BudgetJSON {
	j := &BudgetJSON{
		LatencyPerStep: Value(b.LatencyPerStep), LatencyPerSequence: Value(b.LatencyPerSequence),
		MaxStepRate: bounded(b.MaxStepRate),
		Rate:        b.Rate, RateFrom: b.RateFrom, RateAboveMax: b.RateAboveMax,
		Power: Value(b.Power), PerStep: joules(b.PerStep), PerInference: joules(b.PerInference),
		EDP: Value(b.EDP), SynopsPerJ: bounded(b.SynopsPerJoule),
	}
	if tiled {
		j.Tiles = map[string]int{}
		for _, t := range b.Tiles {
			j.Tiles[t.Array] = t.Count()
		}
	}
	if len(b.AreaBy) > 0 {
		j.Area = bounded(b.Area)
		j.AreaBy = map[string]Value{}
		for _, c := range b.AreaBy {
			j.AreaBy[c.Name] = Value(c.Area)
		}
	}
	if b.HasBattery {
		j.BatteryLife = bounded(b.BatteryLife)
	}
	if l := b.Lifetime; l != nil {
		j.Lifetime = &LifetimeJSON{Worst: bounded(l.Worst), Median: bounded(l.Median)}
	}
	if s := b.STP; s != nil {
		j.STP = &STPJSON{Synapses: s.Synapses, Realisable: Value(s.Realisable), Outside: s.Outside}
	}
	return j
}

// WriteEnergyBudget renders an energy report with its chip budget: JSON
// with the budget keys beside the energy keys, a table with a budget
// table after the energy tables; CSV (one row per sequence) as WriteEnergy.
// Every number is checked before anything is written.
func WriteEnergyBudget(w io.Writer, e *report.Energy, b *report.Budget, f Format, p Provenance) error {
	j, err := NewEnergyJSON(e, p)
	if err != nil {
		return err
	}
	j.BudgetJSON = NewBudgetJSON(b, e.Design.Tiled())
	if err := validate("report", j); err != nil {
		return err
	}
	switch f {
	case JSON:
		return writeEnergyJSON(w, j)
	case CSV:
		return energyCSV(w, e, j.Meta)
	}
	if err := energyTable(w, e, j, p); err != nil {
		return err
	}
	return budgetTable(w, e, b)
}

// paperJoules reports whether the joules are the paper's unit, not a chip's.
func paperJoules(e *report.Energy) bool { return e.Design.Name == report.PaperDesign }

// budgetTable prints the chip budget: one row per quantity, units in the
// last column.
func budgetTable(w io.Writer, e *report.Energy, b *report.Budget) error {
	unitNote := ""
	if paperJoules(e) {
		unitNote = " — the paper's unit (1 S, 1 V, 1 s per |w|·z²), not a chip's joules"
	}
	rate := fmt.Sprintf("from %s", b.RateFrom)
	if b.RateAboveMax {
		rate += "; ABOVE the maximum step rate"
	}
	rows := [][]string{
		{"step rate", si(b.Rate, "Hz"), rate},
		{"energy per step", jRange(b.PerStep), "J/step at this rate" + unitNote},
		{"energy per inference", jRange(b.PerInference), fmt.Sprintf("J per sequence of %s steps%s", num(b.StepsPerSequence), unitNote)},
		{"power", siRange(b.Power.Lo, b.Power.Hi, "W"), "dynamic × rate + static"},
		{"latency per step", siRange(b.LatencyPerStep.Lo, b.LatencyPerStep.Hi, "s"), "compute time of one step"},
		{"latency per inference", siRange(b.LatencyPerSequence.Lo, b.LatencyPerSequence.Hi, "s"), ""},
		{"maximum step rate", siRange(b.MaxStepRate.Lo, b.MaxStepRate.Hi, "Hz"), "1 / latency per step"},
		{"energy-delay product", siRange(b.EDP.Lo, b.EDP.Hi, "J·s"), "per inference"},
		{"synaptic operations per joule", siRange(b.SynopsPerJoule.Lo, b.SynopsPerJoule.Hi, "op/J"), ""},
	}
	if b.HasBattery {
		rows = append(rows, []string{"battery life", duration(b.BatteryLife, "never (no power drawn)"), "battery / power"})
	}
	if e.Design.Tiled() {
		for _, t := range b.Tiles {
			rows = append(rows, []string{"tiles " + t.Array, strconv.Itoa(t.Count()),
				fmt.Sprintf("%d row × %d column tiles of %d × %d", t.RowTiles, t.ColTiles, e.Design.Array.Rows, e.Design.Array.Cols)})
		}
	}
	for _, c := range b.AreaBy {
		rows = append(rows, []string{"area " + c.Name, areaText(report.Interval(c.Area)), strconv.Itoa(c.Count) + " instances"})
	}
	if len(b.AreaBy) > 0 {
		rows = append(rows, []string{"area, total", areaText(b.Area), ""})
	}
	if l := b.Lifetime; l != nil {
		rows = append(rows,
			[]string{"lifetime, worst cell", duration(l.Worst, "never (no writes)"), fmt.Sprintf("%s writes/step", numRange(Value(l.WorstWrites), 1))},
			[]string{"lifetime, median cell", duration(l.Median, "never (no writes)"), fmt.Sprintf("%s writes/step", numRange(Value(l.MedianWrites), 1))})
	}
	if s := b.STP; s != nil {
		rows = append(rows, []string{"STP synapses realisable", fmt.Sprintf("%s of %d", numRange(Value(s.Realisable), 1), s.Synapses),
			fmt.Sprintf("needed τ = −step_period/ln λ within the retention range; %d with λ outside [0, 1]", s.Outside)})
	}
	return table(w, []string{"chip budget", "value", "unit / note"}, rows, 1)
}

// areaText writes an area in µm² below 0.01 mm², in mm² up to 1 m², in m²
// above (where mm² could overflow float64: a 1e308 m² tile is legal).
func areaText(a report.Interval) string {
	f := func(v float64) string {
		switch {
		case v >= 1:
			return num(v) + " m²"
		case v >= 1e-8:
			return num(v*1e6) + " mm²"
		}
		return num(v*1e12) + " µm²"
	}
	if a.Lo == a.Hi {
		return f(a.Lo)
	}
	return f(a.Lo) + " … " + f(a.Hi)
}

// duration formats seconds as an interval, never (saying why) when
// unbounded.
func duration(v report.Interval, never string) string {
	f := func(s float64) string {
		switch {
		case math.IsInf(s, 1):
			return never
		case s >= 3.156e7:
			return num(s/3.156e7) + " years"
		case s >= 86400:
			return num(s/86400) + " days"
		}
		return si(s, "s")
	}
	if v.Lo == v.Hi {
		return f(v.Lo)
	}
	return f(v.Lo) + " … " + f(v.Hi)
}

// paperNote marks joules of the paper design as the paper's unit.
func paperNote(e *report.Energy) string {
	if paperJoules(e) {
		return "; the paper's unit (1 S, 1 V, 1 s per |w|·z²), not a chip's joules"
	}
	return ""
}

// perStepAndWatts gives a compared model's mean joules per step and its
// power at one step per step_period (dynamic × rate + static); a power that
// overflows float64 is an error, as in energy's chip budget.
func perStepAndWatts(c *report.Comparison, i int) (string, string, error) {
	r := c.Rows[i]
	steps := float64(max(1, len(r.Result.PerStep)))
	dyn := r.Joules.Breakdown
	dyn[energy.Static] = energy.Joules{}
	perStep := r.Joules.Total.Times(1 / steps)
	d := c.Design
	rate := 1 / d.StepPeriod.Lo
	t := dyn.Total()
	lo, hi := float64(t.Lo)/steps*rate+d.StaticPower.Lo, float64(t.Hi)/steps*rate+d.StaticPower.Hi
	if math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
		return "", "", fmt.Errorf("design %s: the power of %s overflows float64 (+Inf W): a design figure is too large for this workload",
			d.Name, r.Model.Name)
	}
	return jRange(perStep), siRange(lo, hi, "W"), nil
}
