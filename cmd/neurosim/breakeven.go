package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/report"
)

func newBreakeven(stdout, stderr io.Writer) *cobra.Command {
	var (
		format, set string
		opt         report.CompareOptions
	)
	cmd := &cobra.Command{
		Use:   "breakeven --design D [--set DIR]",
		Short: "The STP write energy per event at which STPN stops being the cheapest model",
		Long: `breakeven answers the question a plastic synapse raises for hardware: STPN spends the
least read energy, but it writes its short-term state every step. For STPN against
each other model of the set, on the set's inputs and under design D, it finds the
energy of one write event at which their energies cross: every model's energy is
linear in that price, E(w) = E_fixed + w·writes, so two runs (free writes, and writes
alone at 1 J) give the line of each model. All the design's other figures, including
write_energy_per_unit, are kept; ranges give the crossing at both ends.`,
		Example: `  neurosim breakeven --design rram-neurosim
  neurosim breakeven --design my-chip.yaml --set ../shared/reference/art --format json`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := export.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			fsys, name, err := fixtureSet(set)
			if err != nil {
				return err
			}
			b, err := report.RunBreakeven(cmd.Context(), fsys, name, opt)
			if err != nil {
				return err
			}
			return export.WriteBreakeven(stdout, b, f)
		},
	}
	cmd.Flags().StringVar(&opt.Design, "design", report.PaperDesign, "hardware design: a preset (neurosim designs) or a YAML file")
	cmd.Flags().StringVar(&set, "set", "", "fixture set directory (default: the embedded reference ART set)")
	cmd.Flags().StringVar(&opt.Baseline, "stpn", "", "the STPN model (default: the first STPNr model of the set)")
	cmd.Flags().StringVar(&opt.Models, "models", "", "only the model folders whose names match this pattern (e.g. 'PONG_*')")
	cmd.Flags().StringVar(&format, "format", "table", "table, json or csv")
	cmd.Flags().IntVar(&opt.Workers, "workers", 0, "sequences evaluated in parallel (default: all CPUs)")
	return cmd
}
