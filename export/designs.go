package export

import (
	"fmt"
	"io"

	"github.com/neurosim/neurosim/design"
)

func rng(r design.Range, sym string) string { return siRange(r.Lo, r.Hi, sym) }

// designSummary describes one design in a few phrases, with units.
type designSummary struct {
	name, synapses, input, readout, write, static, source string
}

func summarise(d *design.Design) designSummary {
	s, in, out, pl := &d.Synapse, &d.Input, &d.Readout, &d.Plasticity
	var syn, drive string
	if s.Mapping == design.Digital {
		syn = "digital, " + rng(s.SynopEnergy, "J") + " per synaptic op"
		drive = "DAC " + rng(in.DACEnergy, "J")
	} else {
		g := "g " + rng(s.GPerUnit, "S") + " per unit"
		if s.GPerUnitAuto {
			g = "g auto"
		}
		window := "unbounded"
		if s.Bounded() {
			window = rng(s.GMin, "S") + " – " + rng(s.GMax, "S")
		}
		levels := "continuous"
		if s.Levels > 0 {
			levels = fmt.Sprintf("%d levels", s.Levels)
		}
		syn = fmt.Sprintf("%s, %s, %s, %s", s.Mapping, window, levels, g)
		drive = fmt.Sprintf("%s %s × %s, DAC %s", in.Encoding, rng(in.VRead, "V"), rng(in.TRead, "s"), rng(in.DACEnergy, "J"))
	}
	periphery := "neuron " + rng(out.NeuronEnergy, "J")
	if s.Mapping != design.Digital {
		periphery = "ADC " + rng(out.ADCEnergy, "J") + ", " + periphery
	}
	return designSummary{
		name: d.Name, synapses: syn, input: drive, readout: periphery,
		write:  fmt.Sprintf("%s, %s per event + %s per unit", pl.Element, rng(pl.WriteEnergyPerEvent, "J"), rng(pl.WriteEnergyPerUnit, "J")),
		static: rng(d.StaticPower, "W") + ", step " + rng(d.StepPeriod, "s"),
		source: d.Source,
	}
}

// WriteDesigns lists hardware designs with their sources: one block of rows
// per design, or one row per design when the width is not limited.
func WriteDesigns(w io.Writer, ds []*design.Design) error {
	if err := text(w, "Built-in designs (every figure's source: neurosim designs show NAME)"); err != nil {
		return err
	}
	if styleOf(w).Width == 0 {
		rows := make([][]string, len(ds))
		for i, d := range ds {
			s := summarise(d)
			rows[i] = []string{s.name, s.synapses, s.input, s.readout, s.write, s.static, s.source}
		}
		return table(w, []string{"name", "synapses", "input", "readout", "plasticity write", "static, step", "source"}, rows)
	}
	var rows [][]string
	for _, d := range ds {
		s := summarise(d)
		rows = append(rows,
			[]string{s.name, "synapses", s.synapses},
			[]string{"", "input", s.input},
			[]string{"", "readout", s.readout},
			[]string{"", "plasticity write", s.write},
			[]string{"", "static, step", s.static},
			[]string{"", "source", s.source},
		)
	}
	return table(w, []string{"design", "figure", "value"}, rows)
}
