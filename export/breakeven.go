package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"

	"github.com/neurosim/neurosim/report"
)

// BreakevenJSON is the stable JSON form of `neurosim breakeven`.
type BreakevenJSON struct {
	Set       string             `json:"set"`
	Design    string             `json:"design"`
	STPN      string             `json:"stpn"`
	Sequences int                `json:"sequences"`
	Steps     int                `json:"steps"`
	WriteJ    Value              `json:"design_write_energy_per_event_J"`
	Models    []BreakevenRowJSON `json:"models"`
}

// BreakevenRowJSON is one model against STPN. Energies are mean joules per
// sequence with writes free; writes are events per sequence; break_even_J is
// the write energy per event where the two cross (null: they never do).
type BreakevenRowJSON struct {
	Model       string   `json:"model"`
	Unit        string   `json:"unit"`
	STPNFixedJ  Value    `json:"stpn_fixed_J"`
	FixedJ      Value    `json:"fixed_J"`
	STPNWrites  Value    `json:"stpn_writes"`
	Writes      Value    `json:"writes"`
	BreakEvenLo *float64 `json:"break_even_J_low"`
	BreakEvenHi *float64 `json:"break_even_J_high"`
	Verdict     string   `json:"verdict"`
}

func opt(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

// WriteBreakeven renders a break-even analysis with its assumptions.
func WriteBreakeven(w io.Writer, b *report.Breakeven, f Format) error {
	j := BreakevenJSON{Set: b.Set, Design: b.Design.Name, STPN: b.STPN, Sequences: b.Sequences, Steps: b.Steps,
		WriteJ: Value{b.Design.Plasticity.WriteEnergyPerEvent.Lo, b.Design.Plasticity.WriteEnergyPerEvent.Hi}}
	for _, r := range b.Rows {
		j.Models = append(j.Models, BreakevenRowJSON{
			Model: r.Model, Unit: r.Unit, STPNFixedJ: joules(r.STPNFixed), FixedJ: joules(r.Fixed),
			STPNWrites: Value(r.STPNWrites), Writes: Value(r.Writes),
			BreakEvenLo: opt(r.At.Lo), BreakEvenHi: opt(r.At.Hi), Verdict: r.Verdict,
		})
	}
	switch f {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		cw := csv.NewWriter(w)
		cw.Write([]string{"model", "unit", "stpn_fixed_J_low", "stpn_fixed_J_high", "fixed_J_low", "fixed_J_high",
			"stpn_writes_low", "stpn_writes_high", "writes_low", "writes_high", "break_even_J_low", "break_even_J_high", "verdict"})
		for _, r := range b.Rows {
			cw.Write([]string{r.Model, r.Unit, full(float64(r.STPNFixed.Lo)), full(float64(r.STPNFixed.Hi)),
				full(float64(r.Fixed.Lo)), full(float64(r.Fixed.Hi)), full(r.STPNWrites.Lo), full(r.STPNWrites.Hi),
				full(r.Writes.Lo), full(r.Writes.Hi),
				full(r.At.Lo), full(r.At.Hi), r.Verdict})
		}
		cw.Flush()
		return cw.Error()
	}
	d := b.Design
	fmt.Fprintf(w, "Break-even STP write energy: %s against every other model of %s (%d sequences × %d steps)\n",
		b.STPN, b.Set, b.Sequences, b.Steps)
	fmt.Fprintf(w, "Assumptions: design %s with write_energy_per_event free to vary; every other figure as designed\n", d.Name)
	fmt.Fprintf(w, "(write_energy_per_unit %s, element %s, lambda_outside %s); energies are joules per sequence,\n",
		rng(d.Plasticity.WriteEnergyPerUnit, "J"), d.Plasticity.Element, d.Plasticity.LambdaOutside)
	fmt.Fprintf(w, "linear in the write price w: E(w) = E_fixed + w·writes. The design's own price is %s per event.\n",
		rng(d.Plasticity.WriteEnergyPerEvent, "J"))
	rows := make([][]string, len(b.Rows))
	be := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return si(v, "J")
	}
	for i, r := range b.Rows {
		at := be(r.At.Lo)
		if r.At.Lo != r.At.Hi && !(math.IsNaN(r.At.Lo) && math.IsNaN(r.At.Hi)) {
			at += " … " + be(r.At.Hi)
		}
		rows[i] = []string{r.Model, r.Unit, jRange(r.STPNFixed), jRange(r.Fixed), numRange(r.STPNWrites, 1), numRange(r.Writes, 1), at, r.Verdict}
	}
	return table(w, []string{"vs model", "unit", b.STPN + " E_fixed / seq", "model E_fixed / seq",
		b.STPN + " writes / seq", "model writes / seq", "break-even (J per write)", "verdict"}, rows, 2, 3, 4, 5, 6)
}
