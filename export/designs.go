package export

import (
	"fmt"
	"io"

	"github.com/neurosim/neurosim/design"
)

func rng(r design.Range, sym string) string { return siRange(r.Lo, r.Hi, sym) }

// WriteDesigns lists hardware designs, one row each, with their sources.
func WriteDesigns(w io.Writer, ds []*design.Design) error {
	rows := make([][]string, len(ds))
	for i, d := range ds {
		s, in, out, pl := &d.Synapse, &d.Input, &d.Readout, &d.Plasticity
		var syn, drive string
		if s.Mapping == design.Digital {
			syn = "digital, " + rng(s.SynopEnergy, "J") + " per synaptic op"
			drive = "DAC " + rng(in.DACEnergy, "J")
		} else {
			g := "g " + rng(s.GPerUnit, "S") + "/unit"
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
		write := fmt.Sprintf("%s, %s/event + %s/unit", pl.Element, rng(pl.WriteEnergyPerEvent, "J"), rng(pl.WriteEnergyPerUnit, "J"))
		rows[i] = []string{d.Name, syn, drive, periphery, write, rng(d.StaticPower, "W") + ", step " + rng(d.StepPeriod, "s"), d.Source}
	}
	fmt.Fprintln(w, "Built-in designs (every figure's source: neurosim designs show NAME)")
	return table(w, []string{"name", "synapses", "input", "readout", "plasticity write", "static, step", "source"}, rows)
}
